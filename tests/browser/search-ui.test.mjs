// The search page's chips and filters as a reader sees them: the "words:"
// chip shows the query's words as typed (not the camelCase pieces the
// engine matched), and narrowing by product or source says how many of the
// results are left and keeps the filter in the address, so a reload (or a
// shared link) shows the same filtered list.
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
