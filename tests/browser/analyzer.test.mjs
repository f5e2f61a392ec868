// Every shared analyser vector (tests/data/analyzer-vectors.json) through
// the browser analyser, loaded as the page loads it: a classic script run
// in a fresh context. cargo test runs the same vectors through the Rust
// analyser, so the two cannot drift.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import vm from "node:vm";

const here = (rel) => new URL(rel, import.meta.url);
const vectors = JSON.parse(fs.readFileSync(here("../data/analyzer-vectors.json"), "utf8"));
// The vectors use the built-in alias table; the file carries it under
// `aliases` (slug → canonical slug) so that neither side hard-codes it twice.
const aliases = vectors.aliases || {};

export function loadAnalyzer() {
  const ctx = { TextEncoder };
  vm.createContext(ctx);
  vm.runInContext(fs.readFileSync(here("../../themes/default/static/kbgen-analyze.js"), "utf8"), ctx);
  return ctx.kbgenAnalyze;
}

const A = loadAnalyzer();

// Without the table, a vector whose event terms need an alias is a todo,
// not a failure: it says so instead of passing silently.
function needsAliases(v) {
  if (vectors.aliases) return false;
  const got = A.analyze(v.input, {}).terms;
  const plain = (ts) => ts.filter((t) => !t.startsWith("e:"));
  return JSON.stringify(plain(got)) === JSON.stringify(plain(v.terms)) && JSON.stringify(got) !== JSON.stringify(v.terms);
}

for (const v of vectors.vectors) {
  const todo = needsAliases(v) ? "needs the built-in alias table under `aliases` in analyzer-vectors.json" : false;
  test(`analyse ${JSON.stringify(v.input)}`, { todo }, () => {
    const got = A.analyze(v.input, aliases);
    assert.deepEqual([...got.terms], v.terms, "terms");
    assert.deepEqual([...got.noise], v.noise, "noise");
    if (v.seq) assert.deepEqual([...got.seq], v.seq, "seq");
  });
}

test("Porter2 stems agree with the Rust analyser (tests/data/stem-vectors.json)", () => {
  const stems = JSON.parse(fs.readFileSync(here("../data/stem-vectors.json"), "utf8")).words;
  assert.ok(stems.length > 500, "the stem vectors lost their words");
  const wrong = stems.filter(([w, s]) => A.stem(w) !== s);
  assert.deepEqual(wrong, [], "stems that differ");
});

test("FNV-1a 32 matches the published test values", () => {
  assert.equal(A.fnv1a32(""), 0x811c9dc5);
  assert.equal(A.fnv1a32("a"), 0xe40c292c);
  assert.equal(A.fnv1a32("foobar"), 0xbf9cf968);
  assert.equal(A.termShard("a", 16), "t" + (0xe40c292c % 16));
});

test("shard names", () => {
  assert.equal(A.vocabShard("replication"), "v7265");
  assert.equal(A.vocabShard("é"), "vc3a9");
  assert.equal(A.docShard(0, 100), "d0");
  assert.equal(A.docShard(250, 100), "d2");
});

test("template coverage: values, noise and surrounding text do not lower it; a cut line does", () => {
  // The writer analyses a template's literal text, placeholders removed.
  const tpl = A.analyze("A process serving application pool '' terminated unexpectedly. The process id was ''.").seq;
  const line = A.analyze("2024-06-01 08:00:01 W3SVC A process serving application pool 'MSExchangeSyncAppPool' terminated unexpectedly. The process id was '4242'. more").seq;
  assert.equal(A.coverage(tpl, line), 1);
  const cut = A.analyze("A process serving application pool 'X' terminated").seq;
  assert.ok(A.coverage(tpl, cut) < 0.8);
  assert.equal(A.coverage(["w:a", "w:b"], ["w:a", "w:b"]), 0, "templates under 3 terms never match");
  assert.equal(A.lcs(["a", "b", "c", "d"], ["x", "a", "c", "d", "b"]), 3);
});
