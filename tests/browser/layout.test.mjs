// The "eye" pass over the built kb/: every kind of page at phone and desktop
// widths, light and dark, must not scroll sideways, must not repeat an id,
// and must log no console error. Pages are picked one per kind (and the
// long-named ones the issue saw overflow) so the pass stays short.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { launch, fileUrl, SITE } from "./harness.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// One page of each template, plus the pages with the longest unbroken words.
function pages() {
  const pick = ["index.html", "search/index.html", "404.html", "events/index.html", "codes/index.html",
    "fixes/index.html", "products/index.html", "tags/index.html",
    "exchange/cas-role-msexchangesyncapppool-crash/index.html",
    "windows/service-control-manager-7000-7023-service-failed-to-start/index.html",
    "codes/0x80070003/index.html"];
  for (const dir of ["events/id", "fixes", "products", "tags", "codes"]) {
    const sub = fs.readdirSync(path.join(SITE, dir)).filter((d) => fs.existsSync(path.join(SITE, dir, d, "index.html")));
    if (sub.length) pick.push(`${dir}/${sub[0]}/index.html`);
  }
  const w3svc = fs.readdirSync(path.join(SITE, "events")).find((d) => d.toLowerCase() === "w3svc");
  if (w3svc) pick.push(`events/${w3svc}/1011/index.html`);
  return pick;
}

// Every HTML page of the site, for the narrowest width.
function allPages(dir = SITE, prefix = "") {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return e.name === "assets" ? [] : allPages(path.join(dir, e.name), `${prefix}${e.name}/`);
    return e.name.endsWith(".html") ? [`${prefix}${e.name}`] : [];
  });
}

async function check(width, scheme, list = pages()) {
  const ctx = await browser.newContext({ viewport: { width, height: 800 }, colorScheme: scheme });
  const found = [];
  // One tab for every page: opening a tab costs more than loading a page.
  const page = await ctx.newPage();
  let errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(e.message));
  for (const rel of list) {
    errors = [];
    await page.goto(fileUrl(rel), { waitUntil: "load" });
    const r = await page.evaluate(() => {
      const ids = [...document.querySelectorAll("[id]")].map((e) => e.id);
      const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
      const wide = document.documentElement.scrollWidth - document.documentElement.clientWidth;
      const edge = document.documentElement.clientWidth + 1;
      const culprits = wide > 0 ? [...document.querySelectorAll("body *")]
        .filter((e) => !e.parentElement.closest("pre") && e.getBoundingClientRect().right > edge && e.parentElement.getBoundingClientRect().right <= edge)
        .slice(0, 3).map((e) => `${e.tagName.toLowerCase()}.${e.className}: ${e.textContent.slice(0, 40)}`) : [];
      return { dup, wide, culprits };
    });
    if (r.wide > 0) found.push(`${rel} @${width}px ${scheme}: scrolls sideways by ${r.wide}px (${r.culprits.join(" | ")})`);
    if (r.dup.length) found.push(`${rel}: duplicate ids ${[...new Set(r.dup)].join(", ")}`);
    for (const e of errors) found.push(`${rel}: console error ${e}`);
  }
  await ctx.close();
  assert.deepEqual(found, []);
}

for (const width of [320, 390, 1280, 1440]) {
  for (const scheme of ["light", "dark"]) {
    test(`no sideways scroll, duplicate id or console error at ${width}px, ${scheme}`, () => check(width, scheme));
  }
}

test("no page of the site scrolls sideways or repeats an id at 320px", () => check(320, "light", allPages()));
