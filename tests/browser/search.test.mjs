// Search on the built kb/ (KBGEN_SITE) with the index the Rust writer made:
// the seed article's event 1009 line, pasted with another PID, comes first
// with its template (and event) match shown; 0x80070003 in any spelling
// finds the articles citing ERROR_PATH_NOT_FOUND; over file://, http:// at
// the root and under a sub-path; no console error, nothing leaves the site.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, serve, fileUrl, open } from "./harness.mjs";

const SEED = "exchange/cas-role-msexchangesyncapppool-crash";
const LINE_1009 = "A process serving application pool 'MSExchangeSyncAppPool' terminated unexpectedly. The process id was '12345'. The process exit code was '0xe0434352'.";
const VIEWER_1009 = `Log Name: System\nSource: W3SVC\nDate: 2024-06-01 08:00:01\nEvent ID: 1009\nLevel: Warning\nDescription: ${LINE_1009.replace("12345", "4242")}`;
const CITING_0x80070003 = [
  "exchange/cas-role-msexchangesyncapppool-crash.md",
  "databases/sql-server-17058-cannot-open-error-log.md",
  "windows/service-control-manager-7000-7023-service-failed-to-start.md",
];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("window.kbgen.search on the real index", async () => {
  const { page, problems } = await open(browser, fileUrl("search/index.html"));
  const search = (q) => page.evaluate((q) => window.kbgen.search(q), q);

  let res = await search(LINE_1009);
  assert.equal(res.results[0].source, `${SEED}.md`);
  assert.equal(res.results[0].url, `${SEED}/index.html`);
  assert.ok(res.results[0].matched.some((m) => m.kind === "template" && /^matches message template \d+% \(Event 1009 · W3SVC\)$/.test(m.detail)));

  res = await search(VIEWER_1009);
  assert.equal(res.results[0].source, `${SEED}.md`);
  assert.ok(res.results[0].matched.some((m) => m.kind === "event" && m.detail === "Event 1009 · W3SVC"));
  assert.deepEqual(res.ignored, ["2024-06-01", "08:00:01", "Warning"]);

  for (const q of ["0x80070003", "-2147024893", "80070003", "ERROR_PATH_NOT_FOUND"]) {
    res = await search(q);
    const top = res.results.slice(0, CITING_0x80070003.length);
    assert.deepEqual(top.map((r) => r.source).sort(), [...CITING_0x80070003].sort(), q);
    for (const r of top) assert.ok(r.matched.some((m) => m.kind === "code" && m.detail === "0x80070003 · ERROR_PATH_NOT_FOUND"), `${q}: ${r.source}`);
  }

  res = await search("W3SVC event id 1011");
  assert.equal(res.results[0].source, `${SEED}.md`);
  assert.ok(res.results[0].matched.some((m) => m.detail === "Event 1011 · W3SVC"));
  assert.deepEqual(problems, []);
  await page.close();
});

// Pastes the 1009 line into the search page's box; the seed comes first with
// its template badge and highlighted words; ArrowDown + Enter opens it.
async function pasteOnSearchPage(url) {
  const { page, problems } = await open(browser, url);
  await page.locator("#q").fill(LINE_1009);
  const first = page.locator("#result-list .result").first();
  await first.waitFor();
  assert.ok((await first.locator("a.result-title").getAttribute("href")).endsWith(`${SEED}/index.html`));
  assert.match(await first.locator(".badge.template").innerText(), /matches message template \d+%/);
  assert.match(await first.locator(".result-product").innerText(), /Exchange Server/);
  assert.ok(await first.locator(".snippet mark").count() > 0);
  await page.keyboard.press("ArrowDown");
  await Promise.all([page.waitForURL((u) => u.href.endsWith(`${SEED}/index.html`)), page.keyboard.press("Enter")]);
  assert.match(await page.locator("h1").innerText(), /MSExchangeSyncAppPool/);
  assert.deepEqual(problems, []);
  await page.close();
}

test("search page over file://", async () => {
  await pasteOnSearchPage(fileUrl("search/index.html"));
});

test("search page over http:// at the web root", async () => {
  const srv = await serve("/");
  try { await pasteOnSearchPage(srv.base + "search/index.html"); } finally { await srv.close(); }
});

test("search page over http:// under a sub-path", async () => {
  const srv = await serve("/some/sub/path/");
  try { await pasteOnSearchPage(srv.base + "search/index.html"); } finally { await srv.close(); }
});

test("home page: the header box shows results as you type, and submits to the search page", async () => {
  const srv = await serve("/some/sub/path/");
  try {
    const { page, problems } = await open(browser, srv.base + "index.html");
    await page.locator("body").press("/");
    await page.keyboard.type("0x80070003");
    const first = page.locator(".search-drop .result").first();
    await first.waitFor();
    assert.match(await page.locator(".search-drop .badge.code").first().innerText(), /0x80070003 · ERROR_PATH_NOT_FOUND/);
    await page.keyboard.press("Escape");
    await Promise.all([page.waitForURL(/search\/index\.html\?q=0x80070003$/), page.keyboard.press("Enter")]);
    await page.locator("#result-list .result").first().waitFor();
    assert.equal(await page.locator("#q").inputValue(), "0x80070003");
    assert.ok(await page.locator("#result-list .badge.code", { hasText: "ERROR_PATH_NOT_FOUND" }).count() >= 3);
    assert.deepEqual(problems, []);
    await page.close();
  } finally { await srv.close(); }
});

test("an unknown error offers an article stub", async () => {
  const { page, problems } = await open(browser, fileUrl("search/index.html") + "?q=" + encodeURIComponent("Frobnicator event 4242 failed with 0xDEADBEEF"));
  const ta = page.locator(".stub textarea");
  await ta.waitFor();
  const md = await ta.inputValue();
  assert.match(md, /signatures:\n {2}- event: \{id: 4242, source: "Frobnicator"\}/);
  assert.match(md, /- codes: \["0xDEADBEEF"\]/);
  assert.deepEqual(problems, []);
  await page.close();
});
