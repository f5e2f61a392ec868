// `kbgen serve` in a real browser: the injected live script loads under the
// theme's Content-Security-Policy (no console error), a saved edit reloads
// the page, a broken edit shows the error overlay over the last good page,
// and the fix removes it. Run by `cargo test --test serve`, which starts the
// server and names it in KBGEN_SERVE_URL and the article in KBGEN_SERVE_FILE.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { launch, open } from "./harness.mjs";

const URL = process.env.KBGEN_SERVE_URL;
const FILE = process.env.KBGEN_SERVE_FILE;
const PAGE = "exchange/cas-role-msexchangesyncapppool-crash/";
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

function withTitle(text, title) {
  return text.replace(/^title:.*$/m, `title: ${title}`);
}

test("live reload and error overlay", async () => {
  assert.ok(URL && FILE, "run through `cargo test --test serve`");
  const original = fs.readFileSync(FILE, "utf8");
  const { page, problems } = await open(browser, URL + PAGE);
  try {
    assert.match(await page.title(), /MSExchangeSyncAppPool crashes/);
    // Wait for the first poll, so the script is known to be running.
    await page.waitForResponse((r) => r.url().includes("/__kbgen/version"), { timeout: 10000 });

    fs.writeFileSync(FILE, withTitle(original, '"Reloaded by kbgen serve"'));
    await page.waitForFunction(() => document.title.startsWith("Reloaded by kbgen serve"), null, { timeout: 30000 });

    fs.writeFileSync(FILE, withTitle(original, "[unclosed"));
    const overlay = page.locator("#kbgen-error-overlay");
    await overlay.waitFor({ state: "visible", timeout: 30000 });
    const text = await overlay.locator("pre").innerText();
    assert.match(text, /cas-role-msexchangesyncapppool-crash\.md:3:\d+: error: invalid YAML/);
    // Readable in the light theme: the theme's `pre` background must not win.
    const ratio = await overlay.locator("pre").evaluate((pre) => {
      const rgb = (c) => c.match(/[\d.]+/g).map(Number);
      const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
        .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
      let el = pre, bg = getComputedStyle(el).backgroundColor;
      while (el && (bg === "rgba(0, 0, 0, 0)" || bg === "transparent")) { el = el.parentElement; bg = getComputedStyle(el).backgroundColor; }
      const [a, b] = [lum(rgb(getComputedStyle(pre).color)), lum(rgb(bg))].sort((x, y) => y - x);
      return (a + 0.05) / (b + 0.05);
    });
    assert.ok(ratio >= 7, `overlay text contrast ${ratio.toFixed(1)}:1, want at least 7:1`);
    assert.match(await page.title(), /^Reloaded by kbgen serve/, "last good page still shown");

    fs.writeFileSync(FILE, original);
    await page.waitForFunction(() => document.title.includes("MSExchangeSyncAppPool crashes"), null, { timeout: 30000 });
    assert.equal(await overlay.count(), 0, "overlay gone after the fix");
    // Reloads abort the polls in flight; only real problems count.
    assert.deepEqual(problems.filter((p) => !p.startsWith("failed: ")), []);
  } finally {
    fs.writeFileSync(FILE, original);
    await page.close();
  }
});
