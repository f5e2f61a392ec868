// The browser and the terminal rank alike: for every query of the query
// files, window.kbgen.search puts first what `kbgen search --json` puts
// first. Each query runs on a fresh page over file://, so what it loads is
// what a cold query downloads; the sizes are reported and the median held
// under the budget. Where a case gives the terminal's top five (`top5`),
// the page's top five must be the same, in the same order. Run by tests/browser.rs with KBGEN_AGREE naming a JSON
// file of {site, id, query, top}.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { launch, fileUrl, open } from "./harness.mjs";

const BUDGET = 150 * 1024;
const cases = JSON.parse(fs.readFileSync(process.env.KBGEN_AGREE, "utf8"));
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("window.kbgen.search and kbgen search --json agree on the top result", async () => {
  const mismatches = [];
  const bytes = [];
  for (const c of cases) {
    const { page, problems } = await open(browser, fileUrl("search/index.html", c.site));
    const res = await page.evaluate((q) => window.kbgen.search(q, { limit: 5 }), c.query);
    const files = await page.evaluate(() => window.kbgenEngine.loaded());
    const size = files.reduce((n, f) => n + fs.statSync(path.join(c.site, "search/idx", f + ".js")).size, 0);
    bytes.push(size);
    const tops = res.results.map((r) => r.source);
    const top = tops[0] ?? null;
    if (top !== c.top) mismatches.push(`${c.id}: browser ${top}, terminal ${c.top} — ${c.query}`);
    // Where the terminal's top five are given, the page's must be the same.
    else if (c.top5 && JSON.stringify(tops) !== JSON.stringify(c.top5)) {
      mismatches.push(`${c.id}: top five differ — browser ${tops.join(", ")}; terminal ${c.top5.join(", ")}`);
    }
    assert.deepEqual(problems, [], c.id);
    await page.close();
  }
  const sorted = [...bytes].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(`${cases.length} queries: median download ${(median / 1024).toFixed(1)} KB, largest ${(sorted.at(-1) / 1024).toFixed(1)} KB`);
  assert.deepEqual(mismatches, []);
  assert.ok(median < BUDGET, `median query download ${median} bytes, budget ${BUDGET}`);
});
