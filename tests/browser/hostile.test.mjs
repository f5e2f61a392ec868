// Hostile content in a real browser: the fixture in tests/data/hostile/kb
// tries to run script from its title, summary, tags, product, event source,
// message, raw HTML and links. Every page of the built site is opened over
// file:// (and the search page is fed payloads); no payload may run, and
// nothing may even be blocked by the CSP (a console error would say so).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { launch, fileUrl, open } from "./harness.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
let browser;
let site;

before(async () => {
  if (!process.env.KBGEN_BIN) throw new Error("KBGEN_BIN must name the kbgen binary (run through `cargo test --test browser`)");
  site = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kbgen-hostile-")), "site");
  execFileSync(process.env.KBGEN_BIN, ["build", "--quiet", "--broken-links", "warn", "--source",
    path.join(here, "../data/hostile/kb"), "--output", site], { cwd: os.tmpdir() });
  browser = await launch();
});
after(async () => { await browser?.close(); });

function pages(dir, rel = "") {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) return r === "search/idx" || r === "assets" ? [] : pages(dir, r);
    return e.name.endsWith(".html") ? [r] : [];
  });
}

test("no page of the hostile site runs a payload", async () => {
  const all = pages(site);
  assert.ok(all.length >= 10, `pages: ${all}`);
  for (const rel of all) {
    const { page, problems } = await open(browser, fileUrl(rel, site));
    await page.waitForTimeout(50);
    assert.equal(await page.evaluate(() => window.__xss), undefined, `${rel} ran a payload`);
    assert.deepEqual(problems, [], rel);
    await page.close();
  }
});

test("search results and queries are shown as text", async () => {
  const { page, problems } = await open(browser, fileUrl("search/index.html", site));
  for (const q of ["Payloads everywhere", "<img src=x onerror=\"window.__xss='query'\">", "window.__xss message 4242"]) {
    await page.locator("#q").fill(q);
    await page.waitForTimeout(400);
    assert.equal(await page.evaluate(() => window.__xss), undefined, q);
  }
  const res = await page.evaluate(() => window.kbgen.search("Payloads everywhere"));
  assert.match(res.results[0].title, /<script>window.__xss='title'<\/script>/, "the title is data, shown as written");
  assert.ok(await page.locator("#result-list .result", { hasText: "<script>" }).count() >= 1, "shown as text");
  assert.deepEqual(problems, []);
  await page.close();
});
