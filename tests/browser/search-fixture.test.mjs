// The browser search engine and page on a hand-made index (fixture.mjs),
// over file://, http:// at the root and under a sub-path: the JSON shape of
// window.kbgen.search, ranking by signatures and templates, typos, phrases,
// noise, the live result list, keyboard picking, filters and the article
// stub. No console errors and no request leaving the site, anywhere.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { launch, serve, fileUrl, open } from "./harness.mjs";
import { writeSite } from "./fixture.mjs";

let browser;
let site;
before(async () => { browser = await launch(); site = writeSite(); });
after(async () => { await browser?.close(); if (site) fs.rmSync(site, { recursive: true, force: true }); });

const CRASH = "A process serving application pool 'DefaultAppPool' terminated unexpectedly. The process id was '4711'. The process exit code was '0xff'.";

async function api(page, query, options) {
  return page.evaluate(([q, o]) => window.kbgen.search(q, o), [query, options]);
}

test("window.kbgen.search returns the documented shape", async () => {
  const { page, problems } = await open(browser, fileUrl("search/index.html", site));
  const res = await api(page, `2024-06-01T08:00:01Z ${CRASH}`);
  assert.ok(Array.isArray(res.results) && res.results.length > 0);
  assert.deepEqual(res.ignored, ["2024-06-01T08:00:01Z"]);
  const r = res.results[0];
  for (const k of ["source", "url", "title", "score", "matched", "product", "snippet"]) assert.ok(k in r, `result has ${k}`);
  assert.equal(r.source, "iis/app-pool-crash.md");
  assert.equal(r.url, "iis/app-pool-crash/index.html");
  assert.equal(r.product, "IIS");
  assert.equal(typeof r.score, "number");
  for (const m of r.matched) {
    assert.ok(["event", "code", "template", "passage", "text"].includes(m.kind), m.kind);
    assert.equal(typeof m.key, "string");
    assert.equal(typeof m.detail, "string");
  }
  const tpl = r.matched.find((m) => m.kind === "template");
  assert.ok(tpl, "template matched");
  assert.equal(tpl.detail, "matches message template 100% (Event 1009 · W3SVC)", "says whose message it is");
  assert.ok(res.results.every((x, i, a) => i === 0 || a[i - 1].score >= x.score), "sorted by score");
  assert.deepEqual(problems, []);
  await page.close();
});

test("signatures rank first: any spelling of a code, event keys, bare IDs", async () => {
  const { page, problems } = await open(browser, fileUrl("index.html", site));
  for (const q of ["0x80070003", "-2147024893", "80070003", "ERROR_PATH_NOT_FOUND", "2147942403"]) {
    const res = await api(page, q);
    assert.equal(res.results[0]?.source, "iis/app-pool-crash.md", q);
    assert.ok(res.results[0].matched.some((m) => m.kind === "code" && m.detail === "0x80070003 · ERROR_PATH_NOT_FOUND"), q);
  }
  let res = await api(page, "NTDS Replication event 1722");
  assert.equal(res.results[0].source, "ad/replication-1722.md");
  assert.ok(res.results[0].matched.some((m) => m.kind === "event" && m.detail === "Event 1722 · NTDS Replication"));
  res = await api(page, "Microsoft-Windows-ActiveDirectory_DomainService 1722");
  assert.equal(res.results[0].source, "ad/replication-1722.md", "alias from the manifest");
  res = await api(page, "Error 1722");
  assert.equal(res.results[0].source, "ad/replication-1722.md");
  assert.ok(res.results[0].matched.some((m) => m.kind === "code" && m.key === "0x800706ba"), "Win32 error in context");
  res = await api(page, "event id 5002");
  assert.equal(res.results[0].source, "iis/app-pool-disabled.md", "bare event ID");
  res = await api(page, "NETLOGON 5719");
  assert.equal(res.results[0].source, "windows/netlogon-5719.md");
  assert.deepEqual(problems, []);
  await page.close();
});

test("typos, phrases, limits and an empty query", async () => {
  const { page, problems } = await open(browser, fileUrl("index.html", site));
  let res = await api(page, "replicaton");
  assert.equal(res.results[0]?.source, "ad/replication-1722.md", "one edit away");
  assert.ok(res.results[0].matched.some((m) => m.detail === "words: replication (for replicaton)"));
  res = await api(page, "reaplication");
  assert.equal(res.results[0]?.source, "ad/replication-1722.md", "one insertion away");
  res = await api(page, "0x80070004");
  assert.deepEqual(res.results, [], "codes get no typo tolerance");
  res = await api(page, '"secure session"');
  assert.deepEqual(res.results.map((r) => r.source), ["windows/netlogon-5719.md"]);
  res = await api(page, 'pool "repeated failures"');
  assert.equal(res.results[0].source, "iis/app-pool-disabled.md");
  assert.ok(res.results.every((r) => r.source === "iis/app-pool-disabled.md"), "a phrase is required");
  // In order: both documents have "pool", one has "pool disabled"; none has
  // "disabled pool", which is then dropped rather than leaving nothing.
  res = await api(page, '"pool disabled"');
  assert.deepEqual(res.results.map((r) => r.source), ["iis/app-pool-disabled.md"]);
  res = await api(page, '"disabled pool"');
  assert.ok(res.results.some((r) => r.source === "iis/app-pool-crash.md"), "words out of order are no phrase");
  res = await api(page, "application pool", { limit: 1 });
  assert.equal(res.results.length, 1);
  res = await api(page, "  ");
  assert.deepEqual(res, { results: [], ignored: [], query: { terms: [], events: [], codes: [] } });
  assert.deepEqual(problems, []);
  await page.close();
});

// Types a pasted line on the search page, checks the list, then picks the
// second result with the keyboard and lands on its page.
async function searchPage(url) {
  const { page, problems } = await open(browser, url);
  await page.locator("#q").fill(`08:00:01 ${CRASH}`);
  const first = page.locator("#result-list .result").first();
  await first.waitFor();
  assert.equal(await first.locator("a.result-title").innerText(), "Application pool worker process terminates unexpectedly (W3SVC 1009)");
  assert.match(await first.locator(".result-product").innerText(), /IIS/);
  assert.ok(await first.locator(".snippet mark").count() > 0, "matched words highlighted");
  assert.match(await first.locator(".badge.template").innerText(), /matches message template 100% \(Event 1009 · W3SVC\)/);
  assert.match(await page.locator(".ignored").innerText(), /08:00:01/);
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  const second = page.locator("#result-list .result").nth(1);
  assert.equal(await second.getAttribute("aria-selected"), "true");
  const target = await second.locator("a").getAttribute("href");
  await Promise.all([page.waitForURL((u) => u.href.includes(target.replace(/^(\.\.\/)+/, ""))), page.keyboard.press("Enter")]);
  assert.deepEqual(problems, []);
  await page.close();
}

test("search page over file://", async () => {
  await searchPage(fileUrl("search/index.html", site));
});

test("search page over http:// at the root", async () => {
  const srv = await serve("/", site);
  try { await searchPage(srv.base + "search/index.html"); } finally { await srv.close(); }
});

test("search page over http:// under a sub-path", async () => {
  const srv = await serve("/some/sub/path/", site);
  try { await searchPage(srv.base + "search/index.html"); } finally { await srv.close(); }
});

test("home page: slash, typing shows a drop-down, arrows and Enter open a result", async () => {
  const srv = await serve("/kb/", site);
  try {
    const { page, problems } = await open(browser, srv.base + "index.html");
    await page.locator("body").press("/");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "q");
    await page.keyboard.type("W3SVC 1009");
    const first = page.locator(".search-drop .result").first();
    await first.waitFor();
    assert.match(await first.innerText(), /W3SVC 1009/);
    assert.match(await first.locator(".badge.event").innerText(), /Event 1009 · W3SVC/);
    await page.keyboard.press("ArrowDown");
    await Promise.all([page.waitForURL(srv.base + "iis/app-pool-crash/index.html"), page.keyboard.press("Enter")]);
    // From an article two levels down, the box submits to the search page.
    await page.locator("#q").fill("0x80070003");
    await Promise.all([page.waitForURL(/search\/index\.html\?q=0x80070003/), page.locator("#q").press("Enter")]);
    await page.locator("#result-list .result").first().waitFor();
    assert.match(await page.locator("#result-list .badge.code").first().innerText(), /0x80070003 · ERROR_PATH_NOT_FOUND/);
    assert.deepEqual(problems, []);
    await page.close();
  } finally { await srv.close(); }
});

test("filters by product and event source narrow the list", async () => {
  const { page, problems } = await open(browser, fileUrl("search/index.html", site) + "?q=" + encodeURIComponent("application pool domain controller replication"));
  await page.locator("#result-list .result").first().waitFor();
  const all = await page.locator("#result-list .result").count();
  assert.ok(all >= 3);
  await page.locator(".search-filters select").first().selectOption("IIS");
  const shown = await page.locator("#result-list .result:not([hidden])").allInnerTexts();
  assert.ok(shown.length > 0 && shown.length < all);
  assert.ok(shown.every((t) => /IIS/.test(t)));
  assert.deepEqual(problems, []);
  await page.close();
});

test("no good match offers an article stub with the recognised signatures", async () => {
  const { page, problems } = await open(browser, fileUrl("search/index.html", site));
  await page.locator("#q").fill('Frobnicator event 4242: "quux" exploded, 0xDEADBEEF at 2024-06-01 08:00');
  const ta = page.locator(".stub textarea");
  await ta.waitFor();
  assert.equal(await ta.getAttribute("readonly"), "");
  const md = await ta.inputValue();
  assert.match(md, /^---\ntitle: "Frobnicator event 4242: \\"quux\\" exploded, 0xDEADBEEF at 2024-06-01 08:00"\n/);
  assert.match(md, /\n {2}- event: \{id: 4242, source: "Frobnicator"\}\n/);
  assert.match(md, /\n {2}- codes: \["0xDEADBEEF"\]\n/);
  assert.match(md, /\n---\n\n# Frobnicator/);
  await page.locator(".stub button.copy").click();
  await page.locator(".copy-note", { hasText: /Copied|Ctrl\+C/ }).waitFor();
  // A good match offers no open stub.
  await page.locator("#q").fill("0x80070003");
  await page.locator("#result-list .result", { hasText: "0x80070003 · ERROR_PATH_NOT_FOUND" }).first().waitFor();
  assert.equal(await page.locator(".stub").count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test("results update as you type; only the latest query is shown", async () => {
  const { page, problems } = await open(browser, fileUrl("search/index.html", site));
  const box = page.locator("#q");
  await box.pressSequentially("ENOSPC", { delay: 20 });
  await page.locator("#result-list .result").first().waitFor();
  await box.fill("NETLOGON 5719");
  await page.locator("#result-list .result a", { hasText: "NETLOGON 5719" }).first().waitFor();
  assert.match(await page.locator("#result-list .result").first().innerText(), /NETLOGON 5719/);
  assert.match(page.url(), /\?q=NETLOGON(\+|%20)5719/);
  assert.deepEqual(problems, []);
  await page.close();
});
