// The built kb/ in a real browser: the seed article over file:// and over
// http:// under a sub-path, with no console error and no request leaving
// the site; keyboard access to the search box.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, serve, fileUrl, open } from "./harness.mjs";

const SEED = "exchange/cas-role-msexchangesyncapppool-crash/index.html";
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function checkSeed(url) {
  const { page, problems } = await open(browser, url);
  const text = await page.locator("main").innerText();
  for (const id of ["1011", "1009", "1002"]) assert.match(text, new RegExp(`Event ${id} · W3SVC`), `event ${id} badge`);
  assert.match(text, /The process id was '<process id>'/, "placeholder shown literally");
  const css = await page.evaluate(() => getComputedStyle(document.querySelector(".site-header")).borderBottomStyle);
  assert.equal(css, "solid", "stylesheet loaded");
  // Follow a relative link to the event page and back: links work from here.
  await page.locator("a.badge.event", { hasText: "Event 1011" }).first().click();
  await page.waitForLoadState("load");
  assert.match(await page.locator("h1").innerText(), /Event 1011 · W3SVC/);
  assert.ok(await page.locator(`a[href$="${SEED}"]`).count() > 0, "event page links back");
  assert.deepEqual(problems, []);
  await page.close();
}

test("seed article over file://", async () => {
  await checkSeed(fileUrl(SEED));
});

test("seed article over http:// at the web root", async () => {
  const srv = await serve("/");
  try { await checkSeed(srv.base + SEED); } finally { await srv.close(); }
});

test("seed article over http:// under a sub-path", async () => {
  const srv = await serve("/some/sub/path/");
  try { await checkSeed(srv.base + SEED); } finally { await srv.close(); }
});

test("slash focuses the search box", async () => {
  const { page, problems } = await open(browser, fileUrl("index.html"));
  await page.locator("body").press("/");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "q");
  assert.deepEqual(problems, []);
  await page.close();
});
