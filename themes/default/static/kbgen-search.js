// kbgen's in-browser search engine. It reads the index that `kbgen build`
// writes under search/idx/ (format: docs/search.md), loading each file with
// a <script> tag because fetch and XHR of local files fail under file://.
// Nothing loads before the first query; a query loads the manifest, the
// term shards of its terms, perhaps a vocabulary shard or two for typos,
// and the doc shards of its best ~30 candidates, which it then re-ranks.
// Needs kbgen-analyze.js first, and kbgen-versions.js before a search;
// sets window.kbgenEngine.
(function () {
  "use strict";
  var A = window.kbgenAnalyze;

  // Every ranking number comes from the index's manifest (`boost`, `fuzzy`,
  // `rerank`, `template`, `phraseQueryMax`, `phraseCheckMax`, `passage`): the same numbers `kbgen search`
  // uses, defined once in src/search/rank.rs. Only how many results to
  // return is the page's own choice.
  var LIMIT = 20;

  // Template match strength, as src/search/rank.rs: the covered share,
  // discounted when it is only a few words; 0 under `min` or `minWords`.
  function templateStrength(share, len, t) {
    var words = share * len;
    if (share < t.min || words < t.minWords - 1e-3) return 0;
    return share * Math.min(1, words / t.fullWords);
  }

  // ---- Loading index files -------------------------------------------------------
  var store = Object.create(null);
  var loading = Object.create(null);

  // Every index file is one call of this function.
  window.kbgenIndex = function (name, data) { store[name] = data; };

  function siteRoot(options) {
    if (options && typeof options.root === "string") return options.root;
    var b = document.body;
    return (b && b.getAttribute("data-root")) || "";
  }

  function load(name, root) {
    if (name in store) return Promise.resolve(store[name]);
    if (loading[name]) return loading[name];
    var p = new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = root + "search/idx/" + name + ".js";
      s.async = true;
      s.onload = function () {
        s.remove();
        if (name in store) resolve(store[name]);
        else reject(new Error("search/idx/" + name + ".js did not register its data"));
      };
      s.onerror = function () {
        s.remove();
        delete loading[name];
        reject(new Error("cannot load the search index file search/idx/" + name + ".js"));
      };
      document.head.appendChild(s);
    });
    loading[name] = p;
    return p;
  }

  function loadAll(names, root) {
    return Promise.all(names.map(function (n) { return load(n, root); }));
  }

  // ---- Helpers ----------------------------------------------------------------------
  function uniq(list) {
    var seen = Object.create(null);
    return list.filter(function (x) { if (seen[x]) return false; seen[x] = true; return true; });
  }

  // [doc, weight, doc, weight, …] with delta-encoded doc numbers → pairs.
  function decode(list) {
    var out = [];
    var doc = 0;
    for (var i = 0; i + 1 < list.length; i += 2) {
      doc = i === 0 ? list[0] : doc + list[i];
      out.push([doc, list[i + 1]]);
    }
    return out;
  }

  // The quoted phrases of a query, after folding typographic quotes.
  function phrases(query) {
    var out = [];
    var re = /"([^"]+)"/g;
    var m;
    var text = A.fold(query);
    while ((m = re.exec(text))) out.push(m[1]);
    return out;
  }

  // True when a and b are one insertion, deletion, substitution or swap of
  // neighbours apart.
  function oneEdit(a, b) {
    if (a === b) return false;
    var la = a.length;
    var lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    var i = 0;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (la === lb) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  // Whether the typed word is a typo of a word whose stem is `stem`: one
  // edit from the stem plus an ending the stemmer takes off (the manifest's
  // fuzzyEndings, as src/search/rank.rs's typo_of).
  // Returns the word it takes it for (stem + ending), or null.
  function typoOf(word, stem, endings) {
    var wl = Array.from(word).length;
    var sl = Array.from(stem).length;
    for (var k = 0; k < endings.length; k++) {
      var e = endings[k];
      if (Math.abs(sl + Array.from(e).length - wl) <= 1 && oneEdit(word, stem + e)) return stem + e;
    }
    return null;
  }

  // A template's sequence: space-separated terms in the record.
  function templateSeq(m) {
    return typeof m[1] === "string" ? (m[1] ? m[1].split(" ") : []) : m[1] || [];
  }

  function stripKind(key, kind) {
    return key.indexOf(kind + ":") === 0 ? key.slice(kind.length + 1) : key;
  }

  // ---- Search ---------------------------------------------------------------------------
  function search(query, options) {
    options = options || {};
    var root = siteRoot(options);
    return load("manifest", root).then(function (man) {
      if (!man.boost || !man.template || typeof man.phraseQueryMax !== "number" || typeof man.phraseCheckMax !== "number" || !man.passage || typeof man.passage.unordered !== "number" || !Array.isArray(man.fuzzyEndings)) {
        throw new Error("search/idx/manifest.js is from another version of kbgen: rebuild the site");
      }
      if (typeof man.boost.version !== "number" || !Array.isArray(man.versionHeads) || !Array.isArray(man.builds)) {
        throw new Error("search/idx/manifest.js is from another version of kbgen: rebuild the site");
      }
      var V = window.kbgenVersions;
      if (!V) throw new Error("kbgen-versions.js must be loaded before a search");
      var boost = Object.assign({}, man.boost, { typo: man.fuzzy, candidates: man.rerank, limit: LIMIT });
      var aliases = man.aliases || {};
      var bounded = A.analyzeQuery(query, aliases);
      var q = bounded.analysis;
      q.cut = bounded.cut;
      // The product table only for a query that may name a version.
      var table = V.mayName(bounded.text, man.versionHeads, man.builds) ? load("versions", root) : Promise.resolve({});
      return table.then(function (known) {
        return run(options, man, boost, bounded, known);
      });
    });
  }

  // The search proper, once the manifest (and the product table, when
  // needed: `known`, else empty) are in.
  function run(options, man, boost, bounded, known) {
    var V = window.kbgenVersions;
    var aliases = man.aliases || {};
    var q = bounded.analysis;
    var root = siteRoot(options);
    // A version the query names counts through its bonus only (kbgen-versions.js).
    var named = V.mentions(bounded.text, known, man.builds);
    q.terms = V.dropVersionEvents(q.terms, named);
    var phraseSeqs = phrases(bounded.text)
      .map(function (p) { return A.analyze(p, aliases).seq; })
      .filter(function (s) { return s.length > 0; });
    var ctx = { man: man, boost: boost, q: q, named: named, known: known, root: root, postings: Object.create(null), typos: Object.create(null) };
    if (!q.terms.length || !man.docs) return finish(ctx, [], options);
    return loadPostings(ctx, q.terms)
      .then(function () { return typoTerms(ctx); })
      .then(function () { return rank(ctx, phraseSeqs, options); });
  }

  function loadPostings(ctx, terms) {
    var shards = uniq(terms.map(function (t) { return A.termShard(t, ctx.man.termShards); }));
    return loadAll(shards, ctx.root).then(function () {
      terms.forEach(function (t) {
        var list = store[A.termShard(t, ctx.man.termShards)][t];
        if (list && list.length) ctx.postings[t] = decode(list);
      });
    });
  }

  // Words of 5+ letters with no postings get the vocabulary words one edit
  // away, at reduced weight. Only the vocabulary shards the manifest lists
  // are read: the word's own first two letters, and those two swapped.
  function typoTerms(ctx) {
    var vocab = ctx.man.vocab;
    if (!Array.isArray(vocab)) return Promise.resolve();
    var present = Object.create(null);
    vocab.forEach(function (v) { present[v.charAt(0) === "v" ? v : "v" + v] = true; });
    var words = ctx.q.terms
      .filter(function (t) { return t.indexOf("w:") === 0 && !ctx.postings[t] && /^\p{L}{5,}$/u.test(t.slice(2)); })
      .map(function (t) { return t.slice(2); });
    if (!words.length) return Promise.resolve();
    var wanted = {};
    words.forEach(function (w) {
      var cs = Array.from(w);
      [A.vocabShard(w), A.vocabShard(cs[1] + cs[0])].forEach(function (s) {
        if (present[s]) (wanted[s] = wanted[s] || []).push(w);
      });
    });
    var names = Object.keys(wanted);
    return loadAll(names, ctx.root).then(function () {
      var extra = [];
      words.forEach(function (w) {
        var found = [];
        var read = Object.create(null);
        names.forEach(function (s) {
          if (wanted[s].indexOf(w) < 0) return;
          store[s].forEach(function (cand) {
            var as = found.indexOf(cand) < 0 && typoOf(w, cand, ctx.man.fuzzyEndings);
            if (as) { found.push(cand); read[cand] = as; }
          });
        });
        found.forEach(function (cand) {
          ctx.typos["w:" + cand] = { typed: w, as: read[cand] };
          extra.push("w:" + cand);
        });
      });
      return extra.length ? loadPostings(ctx, extra) : null;
    });
  }

  function rank(ctx, phraseSeqs, options) {
    var boost = ctx.boost;
    var scores = new Map();
    Object.keys(ctx.postings).forEach(function (term) {
      var factor = ctx.typos[term] ? boost.typo : 1;
      ctx.postings[term].forEach(function (p) {
        var s = scores.get(p[0]);
        if (!s) { s = { doc: p[0], score: 0, terms: [] }; scores.set(p[0], s); }
        s.score += p[1] * factor;
        s.terms.push(term);
      });
    });
    var cands = Array.from(scores.values());
    cands.sort(byScore);
    // Quoted phrases, in a short typed query only (quotes in a pasted log
    // line are the log's): see keepPhrases.
    if (ctx.q.seq.length > ctx.man.phraseQueryMax) phraseSeqs = [];
    var kept = phraseSeqs.length ? keepPhrases(ctx, cands, phraseSeqs) : Promise.resolve(cands);
    return kept.then(function (kept) {
      cands = kept.slice(0, boost.candidates);
      var per = ctx.man.docShard;
      var shards = uniq(cands.map(function (c) { return A.docShard(c.doc, per); }));
      return loadAll(shards, ctx.root).then(function () {
        var results = cands.map(function (c) {
          var d = store[A.docShard(c.doc, per)][c.doc % per];
          return rerank(ctx, c, d);
        });
        results.sort(byResult);
        return passages(ctx, results);
      }).then(function (results) {
        return finish(ctx, results, options);
      });
    });
  }

  // The first document of `doc`'s blocks group (its record's `b`, or
  // itself): the group's file, `f<first>.js`, holds the blocks of each of
  // its documents in order. Its record must be loaded.
  function groupFirst(doc, per) {
    var r = store[A.docShard(doc, per)][doc % per];
    return r.b === undefined ? doc : r.b;
  }

  // The blocks of `doc`, its blocks file loaded.
  function blocksOf(doc, per) {
    var first = groupFirst(doc, per);
    return store["f" + first][doc - first];
  }

  // The records, then the blocks files, of `docs`.
  function loadBlocks(docs, ctx) {
    var per = ctx.man.docShard;
    var shards = uniq(docs.map(function (d) { return A.docShard(d, per); }));
    return loadAll(shards, ctx.root).then(function () {
      return loadAll(uniq(docs.map(function (d) { return "f" + groupFirst(d, per); })), ctx.root);
    });
  }

  // The best of `cands` (ranked) that scored on every term of the quoted
  // phrases and, for a phrase of two or more terms, have its terms in
  // order within one heading or body block (the document's blocks file),
  // read in at most the manifest's phraseCheckMax documents, a few at a
  // time. When none passes, the phrases are a wish, not a filter: all of
  // `cands`. As src/index/terminal/query/phrase.rs.
  function keepPhrases(ctx, cands, phraseSeqs) {
    var want = uniq([].concat.apply([], phraseSeqs));
    var scoredOnAll = cands.filter(function (c) {
      return want.every(function (t) { return c.terms.indexOf(t) >= 0; });
    });
    var long = phraseSeqs.filter(function (s) { return s.length > 1; }).map(function (s) {
      return s.map(function (t) { return t.indexOf("w:") === 0 && t.indexOf(":", 2) < 0 ? t.slice(2) : t; }).join(" ");
    });
    var limit = ctx.boost.candidates;
    if (!long.length) return Promise.resolve(scoredOnAll.length ? scoredOnAll.slice(0, limit) : cands);
    var toCheck = scoredOnAll.slice(0, ctx.man.phraseCheckMax);
    var kept = [];
    var BATCH = 6;
    function from(i) {
      if (i >= toCheck.length || kept.length >= limit) return Promise.resolve(kept.length ? kept.slice(0, limit) : cands);
      var batch = toCheck.slice(i, i + BATCH);
      return loadBlocks(batch.map(function (c) { return c.doc; }), ctx).then(function () {
        batch.forEach(function (c) {
          var blocks = blocksOf(c.doc, ctx.man.docShard);
          if (long.every(function (p) { return hasPhrase(blocks, p); })) kept.push(c);
        });
        return from(i + BATCH);
      });
    }
    return from(0);
  }

  // True when one of `blocks` (terms separated by single spaces) has
  // `phrase` (terms joined by spaces) as whole terms.
  function hasPhrase(blocks, phrase) {
    var p = " " + phrase + " ";
    return blocks.some(function (b) { return (" " + b + " ").indexOf(p) >= 0; });
  }

  function byScore(a, b) { return b.score - a.score || a.doc - b.doc; }

  // Results: by score, then by how many of the query's words they scored on
  // (not as typos), then how many the title and summary hold (as
  // src/search/rank.rs's heading_words), then article order.
  function byResult(a, b) {
    return b.score - a.score || b.words - a.words || b.heading - a.heading || a.doc - b.doc;
  }

  // Each record's title and summary terms, analysed once: every query
  // weighs the heading words of up to `rerank` records.
  var headingTerms = new WeakMap();

  function headingWords(ctx, d) {
    var heading = headingTerms.get(d);
    if (!heading) {
      heading = new Set(A.analyze((d.t || "") + " " + (d.x || ""), ctx.man.aliases || {}).terms);
      headingTerms.set(d, heading);
    }
    return ctx.q.terms.filter(function (t) { return t.indexOf("w:") === 0 && heading.has(t); }).length;
  }

  function rerank(ctx, c, d) {
    var boost = ctx.boost;
    var q = ctx.q;
    var has = Object.create(null);
    q.terms.forEach(function (t) { has[t] = true; });
    var matched = [];
    var score = c.score;
    var seen = Object.create(null);

    // Each event ID earns its bonus once, at the best the document gives it
    // (two sources citing one ID are not twice the evidence), times how
    // surely the document is about it (`about`, an event's 4th; 1 when absent).
    var perId = [];
    var bestOfId = Object.create(null);
    (d.e || []).forEach(function (ev) {
      var key = stripKind(String(ev[0]), "e");
      if (seen["e " + key]) return;
      var about = typeof ev[3] === "number" ? ev[3] : 1;
      var detail = "Event " + ev[2] + (ev[1] ? " · " + ev[1] : "");
      var bonus = has["e:" + key] ? boost.event : has["i:" + ev[2]] ? boost.id : null;
      if (bonus === null) return;
      bonus *= about;
      seen["e " + key] = true;
      matched.push({ kind: "event", key: key, detail: detail });
      var id = String(ev[2]);
      if (!(id in bestOfId)) { perId.push(id); bestOfId[id] = bonus; }
      else bestOfId[id] = Math.max(bestOfId[id], bonus);
    });
    perId.forEach(function (id) { score += bestOfId[id]; });
    (d.c || []).forEach(function (co) {
      var key = stripKind(String(co[0]), "c");
      var name = co[1] || "";
      if (seen["c " + key]) return;
      var detail = key + (name ? " · " + name : "");
      var names = Array.isArray(co[3]) ? co[3] : name ? [name.toLowerCase()] : [];
      var bonus = has["c:" + key] ? boost.code : names.some(function (n) { return has["n:" + n]; }) ? boost.name : null;
      if (bonus === null) return;
      score += bonus;
      seen["c " + key] = true;
      matched.push({ kind: "code", key: key, detail: detail });
    });
    // The best covered template earns the template bonus times its strength.
    var best = null;
    (d.m || []).forEach(function (m) {
      var seq = templateSeq(m);
      var cov = A.coverage(seq, q.seq);
      var strength = templateStrength(cov, seq.length, ctx.man.template);
      if (strength > 0 && (!best || strength > best.strength)) best = { cov: cov, strength: strength, text: m[0], owner: m[2] || "" };
    });
    if (best) {
      score += boost.template * best.strength;
      var detail = "matches message template " + Math.round(best.cov * 100) + "%";
      matched.push({ kind: "template", key: best.text, detail: best.owner ? detail + " (" + best.owner + ")" : detail });
    }
    score += window.kbgenVersions.bonus(ctx.named, d, ctx.known, boost, matched);
    // The query's words found in the document, one entry as kbgen search --json has it.
    var words = c.terms.filter(function (t) { return t.indexOf("w:") === 0; });
    var spell = function (t) { return q.spelled[t] || t.slice(2); };
    if (words.length) {
      matched.push({
        kind: "text",
        key: words.map(spell).join(" "),
        detail: "words: " + words.map(function (t) {
          return ctx.typos[t] ? ctx.typos[t].as + " (for " + ctx.typos[t].typed + ")" : spell(t);
        }).join(", "),
      });
    }
    // Products are names; an older index numbered them in the manifest.
    var products = (d.p || []).map(function (n) {
      return typeof n === "number" ? (ctx.man.products || [])[n] : n;
    }).filter(Boolean);
    return {
      doc: c.doc,
      source: d.s,
      url: String(d.u || "").replace(/^\/+/, ""),
      title: d.t,
      score: score,
      matched: matched,
      product: products.join(", "),
      products: products,
      sources: uniq((d.e || []).map(function (ev) { return String(ev[1]); }).filter(Boolean)),
      snippet: d.x || "",
      fresh: d.f || "",
      versions: d.v || [],
      highlight: c.terms.slice(),
      words: c.terms.filter(function (t) { return t.indexOf("w:") === 0 && !ctx.typos[t]; }).length,
      heading: headingWords(ctx, d),
      templateStrength: best ? best.strength : 0,
    };
  }

  // A pasted text (at least the manifest's passage.minTerms terms) is
  // compared with every block of the best passage.rerank results (their
  // blocks files): where a block holds more of it, in order (or
  // passage.unordered of its share in any order), than the best template
  // does, the result gains the template bonus for the difference,
  // the block judged as a template would be. As src/search/rank.rs's
  // passage_bonus.
  function passages(ctx, results) {
    var q = ctx.q;
    var p = ctx.man.passage;
    if (q.seq.length < p.minTerms) return Promise.resolve(results);
    var top = results.slice(0, p.rerank);
    return loadBlocks(top.map(function (r) { return r.doc; }), ctx).then(function () {
      top.forEach(function (r) {
        var best = null;
        blocksOf(r.doc, ctx.man.docShard).forEach(function (block, k) {
          var seq = block.split(" ").map(function (t) { return t.indexOf(":") >= 0 ? t : "w:" + t; });
          var share = Math.max(A.coverage(q.seq, seq), p.unordered * unorderedShare(q.seq, seq));
          var strength = templateStrength(share, q.seq.length, ctx.man.template);
          if (best ? strength > best.strength : strength > 0) best = { k: k, share: share, strength: strength };
        });
        if (!best || !(best.strength > r.templateStrength)) return;
        r.score += ctx.boost.template * (best.strength - r.templateStrength);
        var m = { kind: "passage", key: String(best.k), detail: "matches a passage " + Math.round(best.share * 100) + "%" };
        var words = r.matched.length && r.matched[r.matched.length - 1].kind === "text";
        r.matched.splice(r.matched.length - (words ? 1 : 0), 0, m);
      });
      results.sort(byResult);
      return results;
    });
  }

  // Share of the query's terms (repeats counted) that a block holds, in
  // any order; as src/search/rank.rs's unordered_share.
  function unorderedShare(query, block) {
    if (!query.length) return 0;
    var held = new Set(block);
    var n = 0;
    query.forEach(function (t) { if (held.has(t)) n++; });
    return n / query.length;
  }

  function finish(ctx, results, options) {
    var limit = options.limit || ctx.boost.limit;
    var answer = {
      results: results.slice(0, limit).map(function (r) {
        delete r.doc;
        delete r.heading;
        delete r.words;
        delete r.templateStrength;
        r.score = Math.round(r.score * 1000) / 1000;
        return r;
      }),
      ignored: ctx.q.noise.slice(),
      query: { terms: ctx.q.terms.slice(), events: ctx.q.events, codes: ctx.q.codes },
    };
    // What of a long query was not searched, as `kbgen search --json` says it.
    if (ctx.q.cut) answer.cut = ctx.q.cut;
    return answer;
  }

  // The index files this page has loaded so far (for measuring downloads).
  function loaded() { return Object.keys(store); }

  window.kbgenEngine = { search: search, load: load, oneEdit: oneEdit, loaded: loaded };
})();
