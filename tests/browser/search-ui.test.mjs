// The search page's chips and filters as a reader sees them: the "words:"
// chip shows the query's words as typed (not the camelCase pieces the
// engine matched), and narrowing by product or source says how many of the
// results are left and keeps the filter in the address, so a reload (or a
// shared link) shows the same filtered list; a version in the query marks
// the results that apply to it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, serve, open } from "./harness.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("the words chip shows the words as typed", async () => {
  const srv = await serve("/");
  try {
    const { page, problems } = await open(browser, srv.base + "search/index.html");
    await page.locator("#q").fill("MSExchangeSyncAppPool keeps crashing");
    await page.locator("#result-list .result").first().waitFor();
    const chips = await page.locator("#result-list .chip.words").allInnerTexts();
    assert.ok(chips.length > 0, "a words chip");
    assert.ok(chips.some((c) => c.includes("MSExchangeSyncAppPool")), chips.join(" | "));
    assert.ok(!chips.some((c) => /\bms, exchange\b/.test(c)), chips.join(" | "));
    assert.deepEqual(problems, []);
    await page.close();
  } finally { await srv.close(); }
});

test("filters say how many results are left and live in the URL", async () => {
  const srv = await serve("/");
  try {
    const { page, problems } = await open(browser, srv.base + "search/index.html?q=" + encodeURIComponent("access denied"));
    await page.locator("#result-list .result").first().waitFor();
    const total = await page.locator("#result-list .result").count();
    const select = page.locator(".search-filters select").first();
    const options = await select.locator("option").allInnerTexts();
    assert.ok(options.length > 2, `a product filter: ${options}`);
    const product = options[1];
    await select.selectOption(product);
    const shown = await page.locator("#result-list .result:not([hidden])").count();
    assert.ok(shown > 0 && shown < total, `${shown} of ${total}`);
    assert.equal(await page.locator(".search-status").innerText(), `${shown} of ${total} results (filtered).`);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get("product"), product);
    assert.equal(url.searchParams.get("q"), "access denied");

    // The same address, opened again, shows the same filtered list.
    await page.goto(url.href, { waitUntil: "load" });
    await page.locator("#result-list .result").first().waitFor({ state: "attached" });
    await page.waitForFunction((n) => document.querySelectorAll("#result-list .result:not([hidden])").length === n, shown);
    assert.equal(await page.locator(".search-filters select").first().inputValue(), product);
    assert.equal(await page.locator(".search-status").innerText(), `${shown} of ${total} results (filtered).`);

    await page.locator(".search-filters select").first().selectOption("");
    assert.equal(await page.locator(".search-status").innerText(), `${total} results.`);
    assert.equal(new URL(page.url()).searchParams.get("product"), null);
    assert.deepEqual(problems, []);
    await page.close();
  } finally { await srv.close(); }
});

// An Event Viewer block of an event no article knows: its field labels and
// "failed" match every article, which must not hide the stub.
const UNKNOWN_BLOCK = `Log Name:      Application
Source:        Contoso.Frobnicator
Date:          2024-06-01 08:00:01
Event ID:      31337
Task Category: None
Level:         Error
Keywords:      Classic
User:          N/A
Computer:      web01.contoso.com
Description:
The frobnicator spooler failed to flush the quux journal 4711 at 08:00:01; the widget cache stayed locked.`;

test("an unknown Event Viewer block offers the stub, with its message as a template, above the weak results", async () => {
  const srv = await serve("/");
  try {
    const { page, problems } = await open(browser, srv.base + "search/index.html");
    await page.locator("#q").fill(UNKNOWN_BLOCK);
    const ta = page.locator(".stub textarea");
    await ta.waitFor();
    const md = await ta.inputValue();
    assert.match(md, /\n {2}- event: \{id: 31337, source: "Contoso\.Frobnicator"\}\n/);
    assert.match(md, /\n {4}message: "The frobnicator spooler failed to flush the quux journal <number> at <time>; the widget cache stayed locked\."\n/);
    const order = await page.evaluate(() => {
      const stub = document.querySelector(".stub"), list = document.querySelector("#result-list");
      return !list || (stub.compareDocumentPosition(list) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
    });
    assert.ok(order, "the stub comes before the results");
    // A pasted block of a known event still goes straight to its article.
    await page.locator("#q").fill(UNKNOWN_BLOCK.replace("Contoso.Frobnicator", "W3SVC").replace("31337", "1009")
      .replace(/Description:\n.*/, "Description:\nA process serving application pool 'MSExchangeSyncAppPool' terminated unexpectedly. The process id was '4242'. The process exit code was '0xe0434352'."));
    await page.locator(".stub").waitFor({ state: "detached" });
    const first = page.locator("#result-list .result").first();
    assert.match(await first.locator(".badge.event").first().innerText(), /Event 1009 · W3SVC/);
    assert.deepEqual(problems, []);
    await page.close();
  } finally { await srv.close(); }
});

test("a version in the query shows which results apply to it", async () => {
  const srv = await serve("/");
  try {
    const { page, problems } = await open(browser, srv.base + "search/index.html");
    await page.locator("#q").fill("application pool disabled on Windows Server 2012 R2");
    await page.locator("#result-list .result").first().waitFor();
    const first = page.locator("#result-list .result").first();
    const badges = await first.locator(".badge.version").allInnerTexts();
    assert.deepEqual(badges, ["applies to Windows Server 2012 R2"]);
    assert.deepEqual(problems, []);
    await page.close();
  } finally { await srv.close(); }
});
