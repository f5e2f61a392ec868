// Screenshots for the README, taken with the browser-test harness: the home
// page and a pasted log line on the search page. Run by scripts/screenshots.
// Usage: node screenshots.mjs SITE_DIR OUT_DIR
import path from "node:path";
import { launch, fileUrl, open } from "./harness.mjs";

const [site, out] = process.argv.slice(2);
const LINE = "2024-06-01 08:00:01 Warning A process serving application pool 'MSExchangeSyncAppPool' terminated unexpectedly. The process id was '4242'. The process exit code was '0xe0434352'.";
const browser = await launch();
try {
  let { page, problems } = await open(browser, fileUrl("index.html", site));
  await page.setViewportSize({ width: 1100, height: 760 });
  await page.screenshot({ path: path.join(out, "home.png") });
  await page.close();
  ({ page, problems } = await open(browser, fileUrl("search/index.html", site)));
  await page.setViewportSize({ width: 1100, height: 760 });
  await page.locator("#q").fill(LINE);
  await page.locator("#result-list .result").first().waitFor();
  await page.waitForTimeout(200);
  await page.screenshot({ path: path.join(out, "search.png") });
  if (problems.length) throw new Error(problems.join("\n"));
} finally {
  await browser.close();
}
