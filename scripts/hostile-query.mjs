// One long query in headless Chromium: opens SITE/search/index.html over
// file:// and times window.kbgen.search on the text of QUERY_FILE (too long
// for a command-line argument). Used by scripts/bench-hostile.
//
// usage: node scripts/hostile-query.mjs SITE_DIR QUERY_FILE
// prints {ms, results, cut}
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "..", "tests", "browser", "package.json"));
const { chromium } = require("playwright-core");

const [site, file] = process.argv.slice(2);
const query = fs.readFileSync(file, "utf8");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
const page = await browser.newPage();
await page.goto(pathToFileURL(path.resolve(site, "search", "index.html")).href, { waitUntil: "load" });
const out = await page.evaluate(async (q) => {
  const t = performance.now();
  const res = await window.kbgen.search(q);
  return { ms: Math.round(performance.now() - t), results: res.results.length, cut: res.cut || null };
}, query);
console.log(JSON.stringify(out));
await browser.close();
