// Shared set-up for the browser tests: Debian's Chromium driven by
// playwright-core, a throwaway static server on 127.0.0.1, and a page
// wrapper that records console errors and every request that leaves the site.
import { chromium } from "playwright-core";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

export const SITE = process.env.KBGEN_SITE;

// The site to serve: `dir` when a test brings its own (a fixture), else the
// built kb/ named by KBGEN_SITE.
function siteDir(dir) {
  const s = dir || SITE;
  if (!s) throw new Error("KBGEN_SITE must name a built site (run through `cargo test --test browser`)");
  return s;
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--allow-file-access-from-files=false"],
  });
}

const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".xml": "application/xml", ".png": "image/png", ".svg": "image/svg+xml" };

// Serves the site under `prefix` (e.g. "/some/sub/path/") on a free loopback port.
export async function serve(prefix = "/", dir) {
  const site = siteDir(dir);
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (!url.startsWith(prefix)) { res.writeHead(404).end(); return; }
    let rel = url.slice(prefix.length);
    if (rel === "" || rel.endsWith("/")) rel += "index.html";
    const file = path.join(site, rel);
    if (!file.startsWith(path.resolve(site)) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404).end(); return; }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${server.address().port}${prefix}`;
  return { base, close: () => new Promise((r) => server.close(r)) };
}

export function fileUrl(rel, dir) {
  return pathToFileURL(path.join(siteDir(dir), rel)).href;
}

// Opens a page and records what a user would not want: console errors,
// failed loads, and requests to anything but the site's own origin.
export async function open(browser, url) {
  const page = await browser.newPage();
  const problems = [];
  const origin = url.startsWith("file:") ? "file:" : new URL(url).origin;
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  page.on("requestfailed", (r) => problems.push(`failed: ${r.url()}`));
  page.on("request", (r) => {
    const u = r.url();
    const same = origin === "file:" ? u.startsWith("file:") : u.startsWith(origin);
    if (!same && !u.startsWith("data:")) problems.push(`left the site: ${u}`);
  });
  await page.goto(url, { waitUntil: "load" });
  return { page, problems };
}
