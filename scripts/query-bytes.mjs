// Bytes of browser search index a query downloads, measured with the real
// engine: themes/default/static/kbgen-{analyze,versions,search}.js run in node's vm
// with a stand-in `document` whose <script> tags read search/idx/*.js from
// the built site. Each query starts cold (a new context, nothing cached).
// Also reports the time from the last index file's arrival to the results
// (node, not a browser: a lower bound for what a page sees).
//
// usage: node scripts/query-bytes.mjs SITE_DIR "query 1" "query 2" ...
// prints one JSON line per query: {query, files, bytes, ms_after_load, first}
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const theme = path.join(here, "..", "themes", "default", "static");
const [site, ...queries] = process.argv.slice(2);
if (!site || !queries.length) {
  console.error("usage: node scripts/query-bytes.mjs SITE_DIR QUERY...");
  process.exit(2);
}
const analyzeJs = fs.readFileSync(path.join(theme, "kbgen-analyze.js"), "utf8");
const versionsJs = fs.readFileSync(path.join(theme, "kbgen-versions.js"), "utf8");
const searchJs = fs.readFileSync(path.join(theme, "kbgen-search.js"), "utf8");

async function measure(query) {
  const loaded = [];
  let lastArrival = 0;
  const ctx = { console, TextEncoder, TextDecoder, setTimeout, Promise };
  ctx.window = ctx;
  ctx.globalThis = ctx;
  ctx.document = {
    body: { getAttribute: () => "" },
    createElement: () => ({ remove() {} }),
    head: {
      appendChild(s) {
        setImmediate(() => {
          const file = path.join(site, s.src);
          let text;
          try { text = fs.readFileSync(file, "utf8"); } catch { s.onerror(); return; }
          loaded.push([s.src, Buffer.byteLength(text)]);
          vm.runInContext(text, ctx);
          lastArrival = performance.now();
          s.onload();
        });
      },
    },
  };
  vm.createContext(ctx);
  vm.runInContext(analyzeJs, ctx);
  vm.runInContext(versionsJs, ctx);
  vm.runInContext(searchJs, ctx);
  const res = await ctx.kbgenEngine.search(query);
  const done = performance.now();
  const bytes = loaded.reduce((a, [, b]) => a + b, 0);
  // Warm: the same query again, every file already in the store.
  const t0 = performance.now();
  await ctx.kbgenEngine.search(query);
  const warm = performance.now() - t0;
  return {
    query, files: loaded.length, bytes,
    ms_after_load: +(done - lastArrival).toFixed(2), ms_warm: +warm.toFixed(2),
    first: res.results[0] ? res.results[0].source : null,
  };
}

for (const q of queries) console.log(JSON.stringify(await measure(q)));
