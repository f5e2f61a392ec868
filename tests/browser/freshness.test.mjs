// Freshness, redirects and a search endpoint in Chromium, on small sites
// this test builds with KBGEN_BIN: the "may be out of date" banner is shown
// (and readable: dark text on a light box) and results carry the mark; an
// alias page sends the reader on from file://; with `search.endpoint` the
// search page asks that OpenSearch URL and shows its hits.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import http from "node:http";
import { execFileSync } from "node:child_process";
import { launch, serve, fileUrl, open } from "./harness.mjs";

const BIN = process.env.KBGEN_BIN;
let browser;
const temps = [];
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); for (const t of temps) fs.rmSync(t, { recursive: true, force: true }); });

function site(toml) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kbgen-fresh-"));
  temps.push(dir);
  fs.mkdirSync(path.join(dir, "kb"));
  fs.writeFileSync(path.join(dir, "kb.toml"), toml);
  fs.writeFileSync(path.join(dir, "kb", "old-fix.md"), "---\ntitle: Old fix for 0x80070005\nreviewed: 2020-01-01\naliases: [/kb/42/]\n---\nAccess is denied with 0x80070005 when the service starts.\n");
  fs.writeFileSync(path.join(dir, "kb", "new-fix.md"), "---\ntitle: New fix\nreviewed: 2025-06-01\n---\nThe disk is full.\n");
  execFileSync(BIN, ["build", "-q"], { cwd: dir, env: { ...process.env, SOURCE_DATE_EPOCH: "1749988800" } });
  return path.join(dir, "public");
}

test("the banner of an overdue article is visible and readable; results carry the mark", async () => {
  const out = site('review_every = "12 months"\n');
  const { page, problems } = await open(browser, fileUrl("old-fix/index.html", out));
  const banner = page.locator(".fresh-banner");
  assert.ok(await banner.isVisible(), "banner shown");
  assert.match(await banner.innerText(), /May be out of date\. .*last verified 2020-01-01/);
  const [fg, bg] = await banner.evaluate((e) => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]);
  assert.notEqual(fg, bg);
  assert.match(await page.locator(".freshness .verified").innerText(), /verified 5 years ago/);
  const fresh = await open(browser, fileUrl("new-fix/index.html", out));
  assert.equal(await fresh.page.locator(".fresh-banner").count(), 0);
  await page.goto(fileUrl("search/index.html", out) + "?q=0x80070005");
  await page.locator("#results .result").first().waitFor();
  assert.equal(await page.locator("#results .result .badge.stale").first().innerText(), "may be out of date");
  assert.deepEqual(problems, []);
  await page.close();
  await fresh.page.close();
});

test("an alias page sends the reader to the article from file://", async () => {
  const out = site("");
  const { page, problems } = await open(browser, fileUrl("kb/42/index.html", out));
  await page.waitForURL(/old-fix\/index\.html$/);
  assert.match(await page.locator("h1").innerText(), /Old fix/);
  assert.deepEqual(problems, []);
  await page.close();
});

test("with search.endpoint the search page asks the endpoint and shows its hits", async () => {
  const asked = [];
  const api = http.createServer((req, res) => {
    const cors = { "access-control-allow-origin": "*", "access-control-allow-headers": "content-type", "access-control-allow-methods": "POST" };
    if (req.method === "OPTIONS") { res.writeHead(204, cors).end(); return; }
    let body = "";
    req.on("data", (c) => { body += c; });
    req.on("end", () => {
      asked.push(JSON.parse(body));
      const hit = { _score: 7, _source: { path: "remote/x.md", url: "remote/x/index.html", title: "Remote article", products: ["IIS"], codes: ["0x80070005"], event_keys: [], summary: "From the cluster.", freshness: "expired" } };
      res.writeHead(200, { ...cors, "content-type": "application/json" }).end(JSON.stringify({ hits: { hits: [hit] } }));
    });
  });
  await new Promise((r) => api.listen(0, "127.0.0.1", r));
  const endpoint = `http://127.0.0.1:${api.address().port}/kbgen/_search`;
  const out = site(`[search]\nendpoint = "${endpoint}"\n`);
  const server = await serve("/", out);
  const { page, problems } = await open(browser, server.base + "search/index.html?q=" + encodeURIComponent("HRESULT -2147024891 on start"));
  await page.locator("#results .result").first().waitFor();
  assert.equal(await page.locator("#results .result-title").first().innerText(), "Remote article");
  assert.equal(await page.locator("#results .badge.stale").first().innerText(), "expired");
  const should = asked[0].query.bool.should;
  assert.ok(should.some((s) => s.terms?.codes?.includes("0x80070005")), JSON.stringify(should));
  assert.deepEqual(problems.filter((p) => !p.includes(endpoint)), []);
  await page.close();
  await server.close();
  await new Promise((r) => api.close(r));
});

test("the version filter on the search page keeps the articles for that version", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kbgen-versions-"));
  temps.push(dir);
  fs.mkdirSync(path.join(dir, "kb"));
  for (const [name, versions] of [["e2013", '"2013"'], ["e2016", '"2016", "2019"'], ["e2019", '"2019"']]) {
    fs.writeFileSync(path.join(dir, "kb", `${name}.md`), `---\ntitle: Transport queue stuck ${name}\nproducts:\n  - name: Exchange Server\n    versions: [${versions}]\n---\nThe transport queue is stuck.\n`);
  }
  execFileSync(BIN, ["build", "-q"], { cwd: dir });
  const out = path.join(dir, "public");
  const { page, problems } = await open(browser, fileUrl("search/index.html", out) + "?q=transport+queue+stuck");
  await page.locator("#results .result").first().waitFor();
  assert.equal(await page.locator("#results .result:not([hidden])").count(), 3);
  const select = page.locator("label.filter", { hasText: "Version" }).locator("select");
  assert.deepEqual(await select.locator("option").allInnerTexts(), ["All", "Exchange Server 2013", "Exchange Server 2016", "Exchange Server 2019"]);
  await select.selectOption("Exchange Server 2019");
  const shown = await page.locator("#results .result:not([hidden]) .result-title").allInnerTexts();
  assert.deepEqual(shown.sort(), ["Transport queue stuck e2016", "Transport queue stuck e2019"]);
  assert.deepEqual(problems, []);
  await page.close();
});
