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

// Issue 15: attachments that could run script are not in the site, hidden
// text (an HTML comment, <script> and <style> contents) is not found by
// search, and no image is fetched from another machine or host.
test("attachments, hidden text and remote images stay out", async () => {
  for (const f of ["payload.html", "drawing.svg", "payload.js", "id_rsa", "notes.txt"]) {
    assert.ok(!fs.existsSync(path.join(site, f)), `${f} was published`);
  }
  assert.ok(fs.existsSync(path.join(site, "trace.log")), "the linked log is published");
  const { page, problems } = await open(browser, fileUrl("attachments/index.html", site));
  const asked = [];
  page.on("request", (r) => asked.push(r.url()));
  await page.reload({ waitUntil: "load" });
  for (const u of asked) assert.ok(!/fileserver|images\.example/i.test(u), `asked for ${u}`);
  assert.equal(await page.locator("img").count(), 2, "the two raw images stay, without a source");
  assert.equal(await page.locator("img[src]").count(), 0);
  for (const hidden of ["hunter2", "scriptleak", "styleleak"]) {
    const res = await page.evaluate((q) => window.kbgen.search(q), hidden);
    assert.equal(res.results.length, 0, `${hidden} found by search`);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

