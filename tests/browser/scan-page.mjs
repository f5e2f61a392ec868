// The search page's log scan over file:// (run by tests/scan_browser.rs,
// which builds tests/data/scan/kb and writes what `kbgen scan --json` says
// of each fixture log to SCAN_EXPECTED).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { launch, fileUrl, open, serve } from "./harness.mjs";

const FIXTURES = process.env.SCAN_FIXTURES;
const EXPECTED = JSON.parse(fs.readFileSync(process.env.SCAN_EXPECTED, "utf8"));
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// Waits for the page's report of the file just given, and returns it.
async function report(page) {
  await page.waitForFunction(() => window.kbgenScanReport || document.querySelector(".scan-error"));
  const error = await page.locator(".scan-error").allInnerTexts();
  assert.deepEqual(error.filter((e) => !e.startsWith("warning")), [], "no scan error");
  return page.evaluate(() => { const r = window.kbgenScanReport; window.kbgenScanReport = null; return r; });
}

// The report as `kbgen scan --json` prints it (the page adds counts it shows).
function asJson(r) {
  return {
    records: r.records,
    articles: r.articles,
    unmatched: r.unmatched.map(({ key, count, example }) => ({ key, count, example })),
    skipped: r.skipped,
  };
}

test("a chosen text log shows the grouped report", async () => {
  const { page, problems } = await open(browser, fileUrl("search/index.html"));
  await page.locator("#scan-file").setInputFiles(path.join(FIXTURES, "cbs.log"));
  const r = await report(page);
  assert.deepEqual(asJson(r), EXPECTED["cbs.log"]);
  const first = EXPECTED["cbs.log"].articles[0];
  const item = page.locator(".scan-article").first();
  assert.equal(await item.locator("a.scan-title").innerText(), first.title);
  assert.match(await item.innerText(), new RegExp(`${first.count} records`));
  // Counted as the command counts: "1 article", not "1 articles".
  const want = EXPECTED["cbs.log"];
  const n = (k, word) => `${k} ${word}${k === 1 ? "" : "s"}`;
  assert.match(await page.locator(".scan-status").innerText(),
    new RegExp(`^cbs\\.log: ${n(want.records, "record")}, \\d+ with a known problem, ${n(want.articles.length, "article")}$`));
  // The report saved as JSON is what `kbgen scan --json` prints.
  const [saved] = await Promise.all([page.waitForEvent("download"), page.locator("a.scan-download").click()]);
  assert.equal(saved.suggestedFilename(), "cbs.log.scan.json");
  assert.deepEqual(JSON.parse(fs.readFileSync(await saved.path(), "utf8")), EXPECTED["cbs.log"]);
  // The article link leads to the article, offline.
  await item.locator("a.scan-title").click();
  await page.waitForLoadState("load");
  assert.equal(await page.locator("h1").first().innerText(), first.title);
  assert.deepEqual(problems, []);
  await page.close();
});

test("articles that repeat the one above are one entry that names them", async () => {
  const { page, problems } = await open(browser, fileUrl("search/index.html"));
  await page.locator("#scan-file").setInputFiles(path.join(FIXTURES, "app-access-denied.log"));
  const r = await report(page);
  const want = EXPECTED["app-access-denied.log"];
  assert.deepEqual(asJson(r), want);
  // Two with matches of their own, then one entry for the three that
  // only share the common code, naming the other two.
  assert.equal(await page.locator(".scan-article").count(), 3);
  const third = page.locator(".scan-article").nth(2);
  assert.equal(await third.locator("details.scan-same summary").innerText(), "and 2 more articles with the same matches");
  const titles = await page.locator(".scan-article a.scan-title").allTextContents();
  assert.deepEqual(titles, want.articles.map((a) => a.title));
  await third.locator("details.scan-same summary").click();
  await third.locator("details.scan-same a.scan-title").last().click();
  await page.waitForLoadState("load");
  assert.equal(await page.locator("h1").first().innerText(), want.articles[4].title);
  assert.deepEqual(problems, []);
  await page.close();
});

test("a dropped Event Viewer XML export shows the grouped report", async () => {
  const { page, problems } = await open(browser, fileUrl("search/index.html"));
  const xml = fs.readFileSync(path.join(FIXTURES, "events.xml"), "utf8");
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], "events.xml", { type: "text/xml" }));
    const over = new DragEvent("dragover", { dataTransfer: dt, bubbles: true, cancelable: true });
    document.body.dispatchEvent(over);
    document.body.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, xml);
  const r = await report(page);
  assert.deepEqual(asJson(r), EXPECTED["events.xml"]);
  assert.ok(r.articles.length > 0, "the export matches articles");
  const shown = await page.locator(".scan-article a.scan-title").allInnerTexts();
  assert.deepEqual(shown, EXPECTED["events.xml"].articles.map((a) => a.title));
  assert.deepEqual(problems, []);
  await page.close();
});

test("a file that starts as .evtx but is cut short says so, and is not misread as text", async () => {
  const { page } = await open(browser, fileUrl("search/index.html"));
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(["ElfFile\u0000\u0001\u0002 binary event log"], "System"));
    document.body.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await page.locator(".scan-error").waitFor();
  assert.match(await page.locator(".scan-error").innerText(), /not a readable \.evtx file/);
  assert.equal(await page.locator(".scan-article").count(), 0);
  await page.close();
});

test("every real .evtx file: the page parses it and its report equals kbgen scan --json", async (t) => {
  const expected = JSON.parse(fs.readFileSync(process.env.SCAN_EXPECTED_EVTX, "utf8"));
  const names = Object.keys(expected).sort();
  if (!names.length) { t.skip("../shared/logs/evtx is not present beside this checkout"); return; }
  const { page, problems } = await open(browser, fileUrl("search/index.html"));
  let matched = 0;
  for (const name of names) {
    await page.locator("#scan-file").setInputFiles(path.join(process.env.SCAN_EVTX, name));
    const r = asJson(await report(page));
    const want = expected[name];
    assert.equal(r.records, want.records, name + ": records");
    assert.deepEqual(r.articles, want.articles, name + ": articles");
    if (want.skipped.length) {
      // Around damage the evtx crate hands records on in another order
      // than the file's, so the first record of a key (its example) can
      // differ; the keys and counts may not.
      const keyed = (u) => u.map(({ key, count }) => ({ key, count }));
      assert.deepEqual(keyed(r.unmatched), keyed(want.unmatched), name + ": unmatched");
    } else {
      assert.deepEqual(r.unmatched, want.unmatched, name + ": unmatched");
    }
    // A damaged chunk or record is reported where the command reports it.
    assert.deepEqual(r.skipped.map((s) => s.at).sort(), want.skipped.map((s) => s.at).sort(), name + ": skipped");
    matched += r.articles.length;
  }
  assert.ok(matched > 0, "some .evtx file matches an article");
  assert.deepEqual(problems, []);
  await page.close();
});

test("every fixture log: the page's report equals kbgen scan --json", async () => {
  const { page, problems } = await open(browser, fileUrl("search/index.html"));
  for (const name of Object.keys(EXPECTED).sort()) {
    await page.locator("#scan-file").setInputFiles(path.join(FIXTURES, name));
    const r = await report(page);
    assert.deepEqual(asJson(r), EXPECTED[name], name);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test("several files chosen at once make one report, as kbgen scan A B does", async () => {
  const want = JSON.parse(fs.readFileSync(process.env.SCAN_EXPECTED_TOGETHER, "utf8"));
  const { page, problems } = await open(browser, fileUrl("search/index.html"));
  await page.locator("#scan-file").setInputFiles(want.files);
  const r = await report(page);
  assert.deepEqual(asJson(r), want.report);
  // Every file's records are in it: none was left out.
  const alone = {
    ...EXPECTED,
    ...JSON.parse(fs.readFileSync(process.env.SCAN_EXPECTED_GZ, "utf8")),
    ...JSON.parse(fs.readFileSync(process.env.SCAN_EXPECTED_BUNDLES, "utf8")),
  };
  const names = want.files.map((p) => path.basename(p));
  assert.equal(r.records, names.reduce((sum, n) => sum + alone[n].records, 0));
  assert.ok(names.every((n) => alone[n].records > 0), "each file has records");
  assert.match(await page.locator(".scan-status").innerText(), new RegExp(`^${want.files.length} files: ${r.records} records`));
  const [saved] = await Promise.all([page.waitForEvent("download"), page.locator("a.scan-download").click()]);
  assert.equal(saved.suggestedFilename(), "logs.scan.json");
  assert.deepEqual(JSON.parse(fs.readFileSync(await saved.path(), "utf8")), want.report);
  // Dropped with a file that cannot be scanned: that one is listed as
  // skipped with why, and the other is scanned.
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File(["ElfFile\u0000\u0001\u0002 binary event log"], "System.evtx"));
    dt.items.add(new File([text], "cbs.log"));
    document.body.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, fs.readFileSync(path.join(FIXTURES, "cbs.log"), "utf8"));
  const two = await report(page);
  assert.deepEqual(two.articles, EXPECTED["cbs.log"].articles);
  assert.equal(two.records, EXPECTED["cbs.log"].records);
  assert.equal(two.skipped.length, 1);
  assert.equal(two.skipped[0].file, "System.evtx");
  assert.match(two.skipped[0].reason, /^System\.evtx is not a readable \.evtx file/);
  assert.match(await page.locator(".scan-error").innerText(), /^warning: System\.evtx: System\.evtx is not a readable/);
  assert.deepEqual(problems, []);
  await page.close();
});

// Pastes `text` into the search box: copied to the clipboard, then Ctrl+V
// (the box, one line, takes it joined; the page reads the paste's lines).
async function paste(page, text) {
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.locator("#q").fill("");
  await page.locator("#q").press("Control+V");
}

test("a log pasted into the search box is offered as a scan, and scanned as a file would be", async () => {
  const { page, problems } = await open(browser, fileUrl("search/index.html"));
  const offer = page.locator(".scan-offer");
  // One line (or two) is a search, with no offer.
  await paste(page, "2024-03-11 09:14:31, Error CSI 00000004 (F) STATUS_SXS_ASSEMBLY_MISSING\n");
  assert.match(await page.locator("#q").inputValue(), /STATUS_SXS_ASSEMBLY_MISSING/, "the paste is in the box");
  assert.equal(await offer.isVisible(), false);
  const log = fs.readFileSync(path.join(FIXTURES, "cbs.log"), "utf8");
  await paste(page, log.replace(/\n/g, "\r\n"));
  await offer.waitFor();
  const lines = log.split("\n").filter((l) => l.trim()).length;
  assert.match(await offer.innerText(), new RegExp(`^You pasted ${lines} lines, searched below as one\\.`));
  await offer.getByRole("button", { name: "Scan them as a log" }).click();
  // The report of the same text as a file named pasted.log.
  const want = JSON.parse(JSON.stringify(EXPECTED["cbs.log"]).replaceAll("cbs.log:", "pasted.log:"));
  assert.deepEqual(asJson(await report(page)), want);
  assert.equal(await offer.isVisible(), false);
  // Typing over a paste takes its offer away.
  await paste(page, log);
  await offer.waitFor();
  await page.locator("#q").fill("0x800f090d");
  assert.equal(await offer.isVisible(), false);
  assert.deepEqual(problems, []);
  await page.close();
});

// The page's level list, by the words `--min-level` takes.
const LEVELS = { "": "", critical: "1", error: "2", warning: "3", information: "4", verbose: "5" };

test("a time window and a level typed in give the report of kbgen scan --since --until --min-level", async () => {
  const cases = JSON.parse(fs.readFileSync(process.env.SCAN_EXPECTED_WINDOWED, "utf8"));
  const whole = { ...EXPECTED, ...JSON.parse(fs.readFileSync(process.env.SCAN_EXPECTED_BUNDLES, "utf8")) };
  let left = 0;
  for (const c of cases) {
    const name = path.basename(c.path);
    const what = `${name} from ${c.since || "-"} until ${c.until || "-"} at least ${c.level || "any"}`;
    // A page of its own: the window is typed before the file is chosen.
    const { page, problems } = await open(browser, fileUrl("search/index.html"));
    await page.locator("#scan-since").fill(c.since);
    await page.locator("#scan-until").fill(c.until);
    await page.locator("#scan-level").selectOption(LEVELS[c.level]);
    await page.locator("#scan-file").setInputFiles(c.path);
    const r = await report(page);
    assert.deepEqual(asJson(r), c.report, what);
    // What the window left out is counted and said, as the command says it.
    assert.equal(r.filtered, whole[name].records - c.report.records, what);
    const status = await page.locator(".scan-status").innerText();
    if (r.filtered) assert.match(status, new RegExp(`\\(${r.filtered} more left out by the time window and level\\)`), what);
    else assert.doesNotMatch(status, /left out/, what);
    left += r.filtered;
    assert.deepEqual(problems, [], what);
    await page.close();
  }
  assert.ok(left > 0, "the windows leave records out");
  assert.ok(cases.some((c) => c.report.articles.length > 0), "some windowed log still matches articles");
});

test("a changed window scans the last file again; a time it cannot read says what to write", async () => {
  const cases = JSON.parse(fs.readFileSync(process.env.SCAN_EXPECTED_WINDOWED, "utf8"));
  const from = cases.find((c) => c.since && !c.until && !c.level);
  const { page, problems } = await open(browser, fileUrl("search/index.html"));
  await page.locator("#scan-file").setInputFiles(from.path);
  assert.deepEqual(asJson(await report(page)), EXPECTED[path.basename(from.path)]);
  // Typed and entered: the same file again, in the window.
  await page.locator("#scan-since").fill(from.since);
  await page.locator("#scan-since").press("Enter");
  assert.deepEqual(asJson(await report(page)), from.report);
  // A time it does not read, and a window that ends before it starts: an
  // error that names the field, no report.
  await page.locator("#scan-until").fill("yesterday");
  await page.locator("#scan-until").press("Enter");
  await page.locator(".scan-error").waitFor();
  assert.equal(await page.locator(".scan-error").innerText(),
    "“until”: \"yesterday\" is not a time kbgen reads; write it like 2024-02-19 or 2024-02-19T11:00:00");
  assert.equal(await page.locator(".scan-article").count(), 0);
  await page.locator("#scan-until").fill("2024-03-10");
  await page.locator("#scan-until").press("Enter");
  await page.waitForFunction(() => /swap/.test(document.querySelector(".scan-error")?.innerText || ""));
  assert.match(await page.locator(".scan-error").innerText(),
    /^no record can be kept: the time to look from \(2024-03-11T09:14:31\) is after the time to look until \(2024-03-10T23:59:59\.999\); swap “from” and “until”$/);
  // Emptied, one field and then the other: the window from, then the whole log.
  await page.locator("#scan-until").fill("");
  await page.locator("#scan-until").press("Enter");
  assert.deepEqual(asJson(await report(page)), from.report);
  await page.locator("#scan-since").fill("");
  await page.locator("#scan-since").press("Enter");
  assert.deepEqual(asJson(await report(page)), EXPECTED[path.basename(from.path)]);
  assert.deepEqual(problems, []);
  await page.close();
});

test("over http:// under a sub-path: several files, a window and a pasted log give the command's reports", async () => {
  const together = JSON.parse(fs.readFileSync(process.env.SCAN_EXPECTED_TOGETHER, "utf8"));
  const windowed = JSON.parse(fs.readFileSync(process.env.SCAN_EXPECTED_WINDOWED, "utf8"))[0];
  const srv = await serve("/kb/");
  try {
    const { page, problems } = await open(browser, srv.base + "search/index.html");
    await page.locator("#scan-file").setInputFiles(together.files);
    assert.deepEqual(asJson(await report(page)), together.report);
    // The window typed after the file is chosen: it is scanned again
    // within it (each change scans it again; the last is awaited).
    await page.locator("#scan-file").setInputFiles(windowed.path);
    await page.locator("#scan-level").selectOption(LEVELS[windowed.level]);
    await page.locator("#scan-until").fill(windowed.until);
    await page.locator("#scan-since").fill(windowed.since);
    await page.waitForFunction(() => !document.getElementById("log-scan").hasAttribute("aria-busy"));
    await page.evaluate(() => { window.kbgenScanReport = null; });
    await page.locator("#scan-since").press("Enter");
    assert.deepEqual(asJson(await report(page)), windowed.report);
    await page.locator("#scan-since").fill("");
    await page.locator("#scan-until").fill("");
    await page.locator("#scan-until").press("Enter");
    await paste(page, fs.readFileSync(path.join(FIXTURES, "cbs.log"), "utf8"));
    await page.locator(".scan-offer button").click();
    const want = JSON.parse(JSON.stringify(EXPECTED["cbs.log"]).replaceAll("cbs.log:", "pasted.log:"));
    // The reports of the window's changes may land first: wait for the paste's.
    await page.waitForFunction(() => /^pasted\.log:/.test(document.querySelector(".scan-status")?.innerText || ""));
    assert.deepEqual(asJson(await report(page)), want);
    assert.deepEqual(problems, []);
    await page.close();
  } finally { await srv.close(); }
});

test("gzip-compressed logs: the page's report equals kbgen scan --json", async () => {
  const expected = JSON.parse(fs.readFileSync(process.env.SCAN_EXPECTED_GZ, "utf8"));
  const { page, problems } = await open(browser, fileUrl("search/index.html"));
  for (const name of Object.keys(expected).sort()) {
    await page.locator("#scan-file").setInputFiles(path.join(process.env.SCAN_GZ, name));
    const r = asJson(await report(page));
    const want = expected[name];
    if (name.includes("cut")) {
      // The browser's decoder may stop a few kilobytes from where the
      // command's does: the same kind of report, about as many records.
      assert.equal(r.skipped.length, 1, name);
      assert.match(r.skipped[0].reason, /^the gzip stream breaks off here/, name);
      assert.equal(want.skipped.length, 1, name);
      assert.ok(Math.abs(r.records - want.records) <= want.records / 10, `${name}: ${r.records} against ${want.records}`);
      assert.deepEqual(r.articles.map((a) => a.source), want.articles.map((a) => a.source), name);
    } else {
      assert.deepEqual(r, want, name);
    }
  }
  assert.ok(expected["cbs.log.gz"].articles.length > 0, "a gzip log matches articles");
  // A gzip header with nothing after it says so.
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])], "empty.log.gz"));
    document.body.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await page.locator(".scan-error").waitFor();
  assert.match(await page.locator(".scan-error").innerText(), /empty\.log\.gz: it starts as a gzip file but cannot be decompressed/);
  // A gzip bomb stops at the cap on decompressed text, and says what to do.
  const bomb = process.env.SCAN_BOMB;
  assert.ok(fs.statSync(bomb).size < 1 << 20, "the bomb is small");
  await page.locator("#scan-file").setInputFiles(bomb);
  await page.waitForFunction(() => /over 512 MB/.test(document.querySelector(".scan-error")?.innerText || ""));
  assert.match(await page.locator(".scan-error").innerText(), /bomb\.log\.gz: its decompressed text is over 512 MB; scan it with `kbgen scan FILE`/);
  assert.equal(await page.locator(".scan-article").count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test("support bundles: the page's report equals kbgen scan --json", async () => {
  const expected = JSON.parse(fs.readFileSync(process.env.SCAN_EXPECTED_BUNDLES, "utf8"));
  const names = Object.keys(expected).sort();
  assert.deepEqual(names, ["cut.tar", "stored.zip", "support.tar.gz", "support.zip"]);
  const { page, problems } = await open(browser, fileUrl("search/index.html"));
  // Cut in its last log: the files before it and that log up to the cut
  // are scanned (the command may stop a line earlier), and the cut is named.
  await page.locator("#scan-file").setInputFiles(path.join(process.env.SCAN_BUNDLES, "cut.tar"));
  const cut = asJson(await report(page));
  const want = expected["cut.tar"];
  assert.ok(Math.abs(cut.records - want.records) <= 2, `cut.tar: ${cut.records} against ${want.records}`);
  assert.deepEqual(cut.articles.map((a) => a.source), want.articles.map((a) => a.source));
  for (const r of [cut, want]) {
    assert.ok(r.skipped.some((s) => s.file === "cut.tar:logs/CBS.persist.log" || /after logs\/CBS\.persist\.log/.test(s.reason)),
      JSON.stringify(r.skipped));
  }
  for (const name of names.filter((n) => n !== "cut.tar")) {
    await page.locator("#scan-file").setInputFiles(path.join(process.env.SCAN_BUNDLES, name));
    const r = asJson(await report(page));
    assert.deepEqual(r, expected[name], name);
    assert.ok(r.articles.length > 0, name + " matches articles");
    assert.deepEqual(r.skipped.map((s) => s.file), [`${name}:logs/tool.bin`, `${name}:logs/older.zip`], name);
  }
  // The page names a file in the bundle in its examples, as the command does.
  assert.match(await page.locator(".scan-article").first().innerText(), /support\.zip:logs\//);
  // A zip bomb stops at the cap on a bundle's text, and says what to do.
  const bomb = process.env.SCAN_ZIP_BOMB;
  assert.ok(fs.statSync(bomb).size < 2 << 20, "the bomb is small");
  await page.locator("#scan-file").setInputFiles(bomb);
  await page.waitForFunction(() => /over 512 MB/.test(document.querySelector(".scan-error")?.innerText || ""));
  assert.match(await page.locator(".scan-error").innerText(), /bomb\.zip: its files hold over 512 MB of text, .*`kbgen scan FILE`/);
  assert.equal(await page.locator(".scan-article").count(), 0);
  // An archive it does not unpack says how to unpack it.
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0, 0, 4])], "logs.tar.xz"));
    document.body.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await page.locator(".scan-error").waitFor();
  assert.match(await page.locator(".scan-error").innerText(), /logs\.tar\.xz is an xz-compressed file, .*`xz -d`/);
  assert.deepEqual(problems, []);
  await page.close();
});

test("a 20 MB text log: the page keeps answering while it is scanned", async () => {
  const { page, problems } = await open(browser, fileUrl("search/index.html"));
  const r = await page.evaluate(async () => {
    const lines = [];
    for (let i = 0; i < 20000; i++) {
      lines.push(`2024-02-19 11:${String(i % 60).padStart(2, "0")}:52, Info  CBS  Session: ${i}_${i * 7} initialized by client WindowsUpdateAgent, ` +
        `external staging directory: (null), worker ${i} of a long line to fill the log with text`);
    }
    lines.push("2024-02-19 11:59:59, Error  CBS  Failed to find package [HRESULT = 0x800f090d - CBS_E_MISSING_PACKAGE_MAPPING_INDEX]");
    const block = lines.join("\n") + "\n";
    const text = block.repeat(Math.ceil((20 << 20) / block.length));
    // Timer callbacks that ran while the scan was going: the page was not frozen.
    let ticks = 0;
    let scanning = true;
    const tick = () => { ticks++; if (scanning) setTimeout(tick, 0); };
    setTimeout(tick, 0);
    const dt = new DataTransfer();
    dt.items.add(new File([text], "big.log"));
    document.body.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
    await new Promise((resolve) => { const wait = () => (window.kbgenScanReport ? resolve() : setTimeout(wait, 50)); wait(); });
    scanning = false;
    const rep = window.kbgenScanReport;
    return { bytes: text.length, records: rep.records, top: rep.articles[0] && rep.articles[0].count, ticks, lines: text.split("\n").length - 1 };
  });
  assert.ok(r.bytes >= 20 << 20, "the log is 20 MB");
  assert.equal(r.records, r.lines, "every line is a record");
  assert.equal(r.top, r.lines / 20001, "the one known error, once per block");
  // A frozen page runs no timer until the scan ends; this one ran one
  // between (nearly) every step of 2,000 lines.
  assert.ok(r.ticks > r.lines / 2000 / 2, `timers ran ${r.ticks} times during ${r.lines / 2000} steps`);
  assert.deepEqual(problems, []);
  await page.close();
});
