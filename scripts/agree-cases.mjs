#!/usr/bin/env node
// Writes the cases tests/browser/agreement.mjs checks: for every query of a
// query file, what `kbgen search --json` ranks first (and its top five) on a
// built site. scripts/eval runs it on the shared full corpus; the test suite
// makes the same cases in tests/browser.rs for the small corpora.
//
// Usage: node scripts/agree-cases.mjs KBGEN SOURCE SITE QUERIES.tsv OUT.json
import fs from "node:fs";
import { execFileSync } from "node:child_process";

const [kbgen, source, site, queryFile, out] = process.argv.slice(2);
if (!out) {
  console.error("usage: node scripts/agree-cases.mjs KBGEN SOURCE SITE QUERIES.tsv OUT.json");
  process.exit(2);
}
const cases = fs
  .readFileSync(queryFile, "utf8")
  .split("\n")
  .slice(1)
  .filter((l) => l.trim())
  .map((l) => l.split("\t"))
  .map(([id, , query]) => {
    const args = ["search", "--json", "-n", "5", "-s", source, "-o", site, "--", query];
    const res = JSON.parse(execFileSync(kbgen, args, { encoding: "utf8", maxBuffer: 64 << 20 }));
    const tops = res.results.map((r) => r.source);
    return { site, id, query, top: tops[0] ?? null, top5: tops };
  });
fs.writeFileSync(out, JSON.stringify(cases));
console.log(`${cases.length} queries from ${queryFile}: terminal answers written to ${out}`);
