// Reading an article in Chromium: the copy button on code blocks (from
// file://, where the page script may not use inline script), and the table
// of contents open in a sticky side column on a wide screen, folded on a phone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, fileUrl } from "./harness.mjs";

const ARTICLE = "windows/service-control-manager-7000-7023-service-failed-to-start/index.html";
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function page(width) {
  const ctx = await browser.newContext({ viewport: { width, height: 800 } });
  await ctx.grantPermissions(["clipboard-read", "clipboard-write"]);
  const p = await ctx.newPage();
  const errors = [];
  p.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  p.on("pageerror", (e) => errors.push(e.message));
  await p.goto(fileUrl(ARTICLE), { waitUntil: "load" });
  return { ctx, p, errors };
}

test("a code block's copy button copies its text, from file://", async () => {
  const { ctx, p, errors } = await page(1280);
  const block = p.locator(".code-block").first();
  const code = await block.locator("pre > code").innerText();
  await block.locator("button.copy-code").click();
  await p.waitForFunction(() => document.querySelector(".copy-code").textContent === "Copied");
  const copied = await p.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied.trim(), code.trim());
  assert.ok(await p.locator("button.copy-code").count() >= 2, "one button per block, fixes' blocks too");
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("the table of contents stays in view beside the text on a wide screen", async () => {
  const { ctx, p, errors } = await page(1280);
  const toc = p.locator("#toc");
  assert.equal(await toc.evaluate((d) => d.open), true);
  const main = await p.locator(".article > .body").boundingBox();
  const side = await toc.boundingBox();
  assert.ok(side.x > main.x + main.width, "side column, right of the text");
  await p.evaluate(() => window.scrollTo(0, document.body.scrollHeight / 2));
  const after = await toc.boundingBox();
  assert.ok(after.y >= 0 && after.y < 100, `still in view after scrolling (top at ${after.y})`);
  // A link to a fix opens it.
  await p.locator("#toc a[href^='#fix-']").first().click();
  // page.js opens it on the hash change, which may come after the click returns.
  await p.waitForFunction(() => document.querySelector("details.fix")?.open === true, null, { timeout: 5000 });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("the table of contents is folded above the text on a phone", async () => {
  const { ctx, p, errors } = await page(390);
  const toc = p.locator("#toc");
  assert.equal(await toc.evaluate((d) => d.open), false);
  const body = await p.locator(".article > .body").boundingBox();
  const box = await toc.boundingBox();
  assert.ok(box.y + box.height <= body.y, "above the text");
  assert.deepEqual(errors, []);
  await ctx.close();
});
