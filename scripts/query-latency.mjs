// Query latency in headless Chromium: opens the built site's search page
// over file:// (as from a file share: no server, no fetch), and for each
// query, on a fresh page with nothing cached, times window.kbgen.search —
// cold (the engine and index files load as the query needs them), and again
// warm (every file already loaded: the time from the shards' arrival to
// the results). Uses Debian's chromium through the playwright-core that the
// browser tests install (npm ci --prefix tests/browser).
//
// usage: node scripts/query-latency.mjs SITE_DIR "query 1" "query 2" ...
// prints one JSON line per query: {query, cold_ms, warm_ms, first}
// (scripts/query-bytes.mjs counts the files and bytes each query loads)
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "..", "tests", "browser", "package.json"));
const { chromium } = require("playwright-core");

const [site, ...queries] = process.argv.slice(2);
if (!site || !queries.length) {
  console.error("usage: node scripts/query-latency.mjs SITE_DIR QUERY...");
  process.exit(2);
}
const page_url = pathToFileURL(path.resolve(site, "search", "index.html")).href;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  for (const query of queries) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(page_url);
    const r = await page.evaluate(async (q) => {
      const t0 = performance.now();
      const cold = await window.kbgen.search(q);
      const coldMs = performance.now() - t0;
      const t1 = performance.now();
      await window.kbgen.search(q);
      const warmMs = performance.now() - t1;
      const top = (cold.results || cold)[0];
      return { coldMs, warmMs, first: top ? (top.url || top.u || "") : "" };
    }, query);
    console.log(JSON.stringify({
      query, cold_ms: +r.coldMs.toFixed(1), warm_ms: +r.warmMs.toFixed(2),
      first: r.first,
    }));
    await context.close();
  }
} finally {
  await browser.close();
}
