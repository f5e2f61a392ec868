// A tiny hand-made site with a search index in the format of docs/search.md,
// written to a temp folder, so the browser engine is tested on its own,
// deterministically, whatever the Rust index writer does. The pages copy the
// shape of themes/default/templates (CSP, data-root, header search box) and
// the assets are the theme's own static files.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import vm from "node:vm";

const here = (rel) => new URL(rel, import.meta.url);
const STATIC = here("../../themes/default/static/");

function analyzer() {
  const ctx = { TextEncoder };
  vm.createContext(ctx);
  vm.runInContext(fs.readFileSync(new URL("kbgen-analyze.js", STATIC), "utf8"), ctx);
  return ctx.kbgenAnalyze;
}

export const PRODUCTS = ["IIS", "Windows Server", "Linux"];
// The bonuses of src/search/rank.rs, as the writer puts them in the manifest.
const BOOST = { event: 400, id: 120, code: 400, name: 300, template: 500, version: 80, otherVersion: 80 };

export const DOCS = [
  {
    u: "iis/app-pool-crash/index.html", s: "iis/app-pool-crash.md", p: [0],
    t: "Application pool worker process terminates unexpectedly (W3SVC 1009)",
    x: "The worker process of an application pool crashes and W3SVC logs event 1009 with the exit code.",
    e: [["w3svc/1009", "W3SVC", 1009]],
    c: [["0x80070003", "ERROR_PATH_NOT_FOUND", "The system cannot find the path specified."]],
    m: ["A process serving application pool '<name>' terminated unexpectedly. The process id was '<pid>'. The process exit code was '<code>'."],
  },
  {
    u: "iis/app-pool-disabled/index.html", s: "iis/app-pool-disabled.md", p: [0],
    t: "Application pool disabled after repeated failures (WAS 5002)",
    x: "Rapid-fail protection disables an application pool after five failures in five minutes.",
    e: [["was/5002", "WAS", 5002]],
    c: [],
    m: ["Application pool '<name>' is being automatically disabled due to a series of failures in the process(es) serving that application pool."],
  },
  {
    u: "ad/replication-1722/index.html", s: "ad/replication-1722.md", p: [1],
    t: "Active Directory replication fails with error 1722: the RPC server is unavailable",
    x: "Replication between domain controllers stops because the RPC server cannot be reached.",
    e: [["ntds-replication/1722", "NTDS Replication", 1722]],
    c: [["0x800706ba", "RPC_S_SERVER_UNAVAILABLE", "The RPC server is unavailable."]],
    m: [],
  },
  {
    u: "linux/disk-full/index.html", s: "linux/disk-full.md", p: [2],
    t: "No space left on device (ENOSPC)",
    x: "Writes fail with ENOSPC when a file system or its inodes are full.",
    e: [],
    c: [["enospc", "ENOSPC", "No space left on device"]],
    m: ["write failed: No space left on device"],
  },
  {
    u: "windows/netlogon-5719/index.html", s: "windows/netlogon-5719.md", p: [1],
    t: "NETLOGON 5719: no domain controller available for the secure channel",
    x: "At startup the computer cannot set up a secure session with a domain controller.",
    e: [["netlogon/5719", "NETLOGON", 5719]],
    c: [],
    m: ["This computer was not able to set up a secure session with a domain controller in domain <domain> due to the following: <reason>"],
  },
];

const page = (title, root, main, extra = "") => `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'">
<title>${title}</title>
<link rel="stylesheet" href="${root}assets/kb.css">
<link rel="icon" href="${root}assets/favicon.svg" type="image/svg+xml">
<script src="${root}assets/search.js" defer></script>
</head>
<body data-root="${root}">
<header class="site-header">
  <a class="brand" href="${root}index.html">Fixture KB</a>
  <form class="search-box" role="search" action="${root}search/index.html" method="get">
    <label for="q" class="visually-hidden">Search</label>
    <input id="q" name="q" type="search" autocomplete="off" spellcheck="false" value="">
    <button type="submit">Search</button>
  </form>
</header>
<main id="main" tabindex="-1">
${main}
</main>
${extra}
</body>
</html>
`;

const stripHoles = (m) => m.replace(/<[^<>]*>/g, " ");

// The index: every term of a document with the weight of its best field,
// times a rarity factor, like the writer (docs/search.md), in simpler form.
export function buildIndex({ termShards = 4, docShard = 2, boost } = {}) {
  const A = analyzer();
  const perDoc = DOCS.map((d) => {
    const w = new Map();
    const put = (terms, weight) => terms.forEach((t) => w.set(t, Math.max(w.get(t) || 0, weight)));
    put(d.e.flatMap(([k, , id]) => [`e:${k}`, `i:${id}`]), 30);
    put(d.c.flatMap(([c, n]) => [`c:${c}`].concat(n ? [`n:${n.toLowerCase()}`] : [])), 30);
    put(A.analyze(d.t).terms, 10);
    d.m.forEach((m) => put(A.analyze(stripHoles(m)).terms, 5));
    d.c.forEach(([, , msg]) => put(A.analyze(msg).terms, 5));
    put(A.analyze(d.x).terms, 3);
    return w;
  });
  const df = new Map();
  perDoc.forEach((w) => w.forEach((_, t) => df.set(t, (df.get(t) || 0) + 1)));
  const shards = Array.from({ length: termShards }, () => ({}));
  const vocab = {};
  [...df.keys()].sort().forEach((t) => {
    const list = [];
    let prev = 0;
    perDoc.forEach((w, doc) => {
      if (!w.has(t)) return;
      const rarity = 1 + Math.log(DOCS.length / df.get(t));
      list.push(list.length ? doc - prev : doc, Math.min(255, Math.max(1, Math.round(w.get(t) * rarity))));
      prev = doc;
    });
    shards[A.fnv1a32(t) % termShards][t] = list;
    if (t.startsWith("w:")) (vocab[A.vocabShard(t.slice(2))] ||= []).push(t.slice(2));
  });
  const files = {};
  const file = (name, data) => { files[name] = `kbgenIndex(${JSON.stringify(name)}, ${JSON.stringify(data)});\n`; };
  const aliases = { "activedirectory-domainservice": "ntds-replication", "ntds-kcc": "ntds-replication" };
  const vocabFiles = Object.keys(vocab).sort().map((v) => v.slice(1));
  file("manifest", {
    version: 1, docs: DOCS.length, termShards, docShard, aliases, vocab: vocabFiles, boost: boost || BOOST,
    fuzzy: 0.5, rerank: 30, template: { min: 0.5, minWords: 3, fullWords: 6 }, phraseQueryMax: 12, phraseCheckMax: 60,
    passage: { rerank: 10, minTerms: 6, unordered: 0.75 },
    // No document declares a product version (docs/search.md, "Versions").
    versionHeads: [], builds: [],
    fuzzyEndings: ["", "e", "s", "es", "ed", "ing", "er", "ers", "ly", "ion", "ions", "ation", "ations", "ment",
      "ments", "ness", "ity", "ities", "ive", "al", "ate", "ated", "ates", "ize", "ized", "able",
      "ance", "ence", "ful", "ous", "ism", "y"],
  });
  shards.forEach((s, k) => file(`t${k}`, s));
  // Blocks files hold two consecutive documents, as the writer groups
  // small ones: a record names its group's first document when that is
  // not itself ("b").
  const group = (n) => n - (n % 2);
  for (let k = 0; k * docShard < DOCS.length; k++) {
    file(`d${k}`, DOCS.slice(k * docShard, (k + 1) * docShard).map((d, i) => ({
      ...d,
      ...(group(k * docShard + i) === k * docShard + i ? {} : { b: group(k * docShard + i) }),
      p: d.p.map((n) => PRODUCTS[n]),
      c: d.c.map(([code, name, msg]) => [code, name, msg, name ? [name.toLowerCase()] : []]),
      // A template's owner is the document's first event, as the writer
      // names the event or code whose message it is.
      m: d.m.map((m) => [m, A.analyze(stripHoles(m)).seq, d.e.length ? `Event ${d.e[0][2]} · ${d.e[0][1]}` : ""]),
    })));
  }
  // Each document's blocks, for phrases: its title, summary and templates,
  // word terms without their "w:" (as the writer's f<first>.js), grouped.
  const short = (t) => (t.startsWith("w:") && !t.includes(":", 2) ? t.slice(2) : t);
  const blocks = (d) => [d.t, d.x, ...d.m.map(stripHoles)]
    .map((text) => A.analyze(text).seq.map(short).join(" "));
  for (let first = 0; first < DOCS.length; first += 2) {
    file(`f${first}`, DOCS.slice(first, first + 2).map(blocks));
  }
  Object.entries(vocab).forEach(([name, words]) => file(name, words));
  return files;
}

// Writes the fixture site to a fresh temp folder and returns its path.
export function writeSite(options) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kbgen-fixture-"));
  const write = (rel, text) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  for (const f of fs.readdirSync(STATIC)) write(`assets/${f}`, fs.readFileSync(new URL(f, STATIC)));
  write("index.html", page("Fixture KB", "", "<h1>Fixture KB</h1>"));
  write("search/index.html", page("Search", "../", `<section class="search-page"><h1>Search</h1><div id="results" aria-live="polite"></div></section>`));
  for (const d of DOCS) write(d.u, page(d.t, "../../", `<h1>${d.t}</h1>`));
  for (const [name, text] of Object.entries(buildIndex(options))) write(`search/idx/${name}.js`, text);
  return dir;
}
