#!/usr/bin/env node
// Checks that `kbgen export --format jsonl` gives back every signature of a
// built site: for each article of the site's search index (search/idx/d*.js),
// the export has the article, every event key and every message template
// the index holds for it, and only codes whose canonical keys the index
// holds too (the index also keys codes its prose spells surely, which are
// no signature). scripts/eval runs it on the full shared corpus, whose site
// it builds anyway; tests/export.rs checks the smaller corpora.
//
// Usage: node scripts/export-roundtrip.mjs SITE EXPORT.jsonl
import fs from "node:fs";
import path from "node:path";

const [site, jsonl] = process.argv.slice(2);
if (!jsonl) {
  console.error("usage: node scripts/export-roundtrip.mjs SITE EXPORT.jsonl");
  process.exit(2);
}

// Each index file is one call `kbgenIndex("<name>", <JSON>);`.
function indexFile(file) {
  const text = fs.readFileSync(file, "utf8");
  const start = text.indexOf(",");
  return JSON.parse(text.slice(start + 1, text.lastIndexOf(")")));
}

const idx = path.join(site, "search", "idx");
const records = new Map();
for (const f of fs.readdirSync(idx).filter((f) => /^d\d+\.js$/.test(f))) {
  for (const r of indexFile(path.join(idx, f))) records.set(r.s, r);
}
const exported = new Map();
let signatures = 0;
for (const line of fs.readFileSync(jsonl, "utf8").split("\n").filter(Boolean)) {
  const a = JSON.parse(line);
  exported.set(a.path, a);
  signatures += a.signatures.length;
}

const problems = [];
const say = (p) => { if (problems.length < 20) problems.push(p); else problems.length++; };
if (records.size !== exported.size) say(`${records.size} articles in the index, ${exported.size} exported`);
for (const [source, r] of records) {
  const a = exported.get(source);
  if (!a) { say(`${source}: not exported`); continue; }
  const events = new Set();
  const ids = new Set();
  const templates = new Set();
  const codes = new Set();
  for (const s of a.signatures) {
    if (s.event) events.add(s.event.key);
    if (s.event) ids.add(s.event.id);
    if (s.bare_event_id != null) ids.add(s.bare_event_id);
    if (s.template != null) templates.add(s.template);
    for (const c of s.codes) codes.add(c.key);
  }
  for (const [key, , id] of r.e) {
    const ok = key.startsWith("id/") ? ids.has(id) : events.has(key);
    if (!ok) say(`${source}: event ${key} missing from the export`);
  }
  for (const [text] of r.m) if (!templates.has(text)) say(`${source}: template missing from the export: ${text}`);
  const indexed = new Set(r.c.map((c) => c[0]));
  for (const key of codes) if (!indexed.has(key)) say(`${source}: exported code ${key} is not the index's`);
}
if (problems.length) {
  console.error(`export round trip: ${problems.length} problems\n  ${problems.filter(Boolean).join("\n  ")}`);
  process.exit(1);
}
console.log(`export round trip: ${exported.size} articles, ${signatures} signatures, every event key, template and code as the index has them`);
