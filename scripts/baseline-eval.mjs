#!/usr/bin/env node
// The baseline beside kbgen's search figures: MiniSearch with its defaults
// (BM25+ over title and text, no stemming, no fuzzy, no prefix), the search
// a small static site would ship, over the same articles and the same
// query file. Prints the table `kbgen eval` prints, per kind.
//
// Usage: node scripts/baseline-eval.mjs CORPUS_DIR QUERIES.tsv
// Needs the npm packages of tests/browser (`npm ci --prefix tests/browser`).
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(new URL("../tests/browser/package.json", import.meta.url));
const MiniSearch = require("minisearch");

const [corpus, queryFile] = process.argv.slice(2);
if (!corpus || !queryFile) {
  console.error("usage: node scripts/baseline-eval.mjs CORPUS_DIR QUERIES.tsv");
  process.exit(2);
}

// Every Markdown file kbgen would index, as title + body text.
function* markdownFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* markdownFiles(full);
    else if (entry.name.endsWith(".md")) yield full;
  }
}

function article(file) {
  let text = fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  let title = "";
  const fm = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (fm) {
    const t = /^title:\s*(.*)$/m.exec(fm[1]);
    if (t) title = t[1].trim().replace(/^(["'])(.*)\1$/, "$2");
    text = text.slice(fm[0].length);
  }
  if (!title) {
    const h = /^#\s+(.+)$/m.exec(text);
    if (h) title = h[1].trim();
  }
  return { id: path.relative(corpus, file).split(path.sep).join("/"), title, text };
}

const docs = [...markdownFiles(corpus)].map(article);
const index = new MiniSearch({ fields: ["title", "text"] });
index.addAll(docs);

const queries = fs
  .readFileSync(queryFile, "utf8")
  .split("\n")
  .slice(1)
  .filter((l) => l.trim())
  .map((l) => l.split("\t"))
  .map(([id, kind, query, expected]) => ({ id, kind, query, expected: expected.split("|").map((s) => s.trim()) }));

const figures = new Map();
for (const q of queries) {
  const top = index.search(q.query).slice(0, 10).map((r) => r.id);
  const at = top.findIndex((id) => q.expected.includes(id));
  for (const kind of [q.kind, "all"]) {
    const f = figures.get(kind) || { n: 0, r1: 0, r5: 0, rr: 0 };
    f.n += 1;
    if (at === 0) f.r1 += 1;
    if (at >= 0 && at < 5) f.r5 += 1;
    if (at >= 0) f.rr += 1 / (at + 1);
    figures.set(kind, f);
  }
}

const version = JSON.parse(
  fs.readFileSync(new URL("../tests/browser/node_modules/minisearch/package.json", import.meta.url), "utf8"),
).version;
console.log(`MiniSearch ${version} (defaults), ${docs.length} articles, ${queries.length} queries from ${queryFile}`);
console.log(`${"kind".padEnd(10)} ${"n".padStart(4)} ${"recall@1".padStart(9)} ${"recall@5".padStart(9)} ${"MRR".padStart(7)}`);
const kinds = [...figures.keys()].filter((k) => k !== "all").sort();
for (const kind of [...kinds, "all"]) {
  const f = figures.get(kind);
  const fmt = (x) => (x / f.n).toFixed(3).padStart(9);
  console.log(`${kind.padEnd(10)} ${String(f.n).padStart(4)} ${fmt(f.r1)} ${fmt(f.r5)} ${(f.rr / f.n).toFixed(3).padStart(7)}`);
}
