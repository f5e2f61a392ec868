// The search page's log scan: which known problems are in a log, the
// report `kbgen scan --json` prints, made in the browser. Records (from
// kbgen-scan-readers.js and kbgen-scan-events.js) are matched against the
// signatures of search/idx/scan.js as src/scan/matcher.rs matches them —
// event key, strong codes and symbolic names, message templates — with
// kbgen-analyze.js for the text, so page and command agree; tallied and
// ranked as src/scan/report.rs; unmatched keys as src/scan/unmatched.rs.
// A log is read a few thousand lines at a time with a yield to the page
// between, so a 20 MB log never freezes it. Sets window.kbgenScan.
(function (root) {
  "use strict";
  var A = root.kbgenAnalyze;
  var F = root.kbgenScanFormats;
  var R = root.kbgenScanReaders;
  var KIND = ["event", "code", "template"];
  var WEIGHT = [3, 2, 1];

  // ---- Signatures, keyed for lookup (src/scan/kb.rs) ----------------------------------
  function prepare(sigs, manifest) {
    var terms = Object.create(null);
    var templates = sigs.templates.map(function (t, i) {
      var seq = t[2].split(" ").filter(Boolean);
      seq.forEach(function (term) {
        var list = terms[term] || (terms[term] = []);
        var last = list[list.length - 1];
        if (last && last[0] === i) last[1]++;
        else list.push([i, 1]);
      });
      return { article: t[0], text: t[1], seq: seq };
    });
    return {
      articles: sigs.articles, events: sigs.events, codes: sigs.codes, names: sigs.names,
      templates: templates, terms: terms, bound: new Uint16Array(templates.length),
      aliases: manifest.aliases || {}, strength: manifest.template,
    };
  }
  function own(map, key) { return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : null; }

  // Template match strength (src/search/rank.rs `template_strength`).
  function templateStrength(share, len, t) {
    var words = share * len;
    if (share < t.min || words < t.minWords - 1e-3) return 0;
    return share * Math.min(1, words / t.fullWords);
  }

  // ---- One record (src/scan/matcher.rs, src/scan/terms.rs) ---------------------------
  function paddedFlag(code, lower) {
    if (code.indexOf("0x8007") !== 0) return false;
    var low = code.slice(6);
    return lower.indexOf("0x0000" + low) >= 0 && lower.indexOf("8007" + low) < 0;
  }
  function matchRecord(s, rec) {
    var ev = [];
    var push = function (article, kind, key, detail, share, strength) {
      ev.push({ article: article, kind: kind, key: key, detail: detail, share: share, strength: strength });
    };
    var eventKeys = [];
    if (rec.eventId !== null) {
      rec.sources.forEach(function (src) {
        var key = A.canonicalSource(src, s.aliases) + "/" + rec.eventId;
        if (eventKeys.indexOf(key) < 0) eventKeys.push(key);
      });
    }
    var a = A.analyze(rec.text, s.aliases);
    var textEvents = [], names = [];
    a.terms.forEach(function (t) {
      if (t.indexOf("e:") === 0) textEvents.push(t.slice(2));
      else if (t.indexOf("n:") === 0) names.push(t.slice(2));
    });
    eventKeys.concat(textEvents).forEach(function (key) {
      (own(s.events, key) || []).forEach(function (c) { push(c[0], 0, key, c[1], 1, c[2]); });
    });
    var lower = rec.text.toLowerCase(), codes = [];
    a.strong.forEach(function (c) { if (codes.indexOf(c) < 0 && !paddedFlag(c, lower)) codes.push(c); });
    names.forEach(function (n) { (own(s.names, n) || []).forEach(function (c) { codes.push(c); }); });
    var seen = Object.create(null);
    codes.forEach(function (key) {
      if (seen[key]) return;
      seen[key] = true;
      var cited = own(s.codes, key) || [], strength = specificity(cited);
      cited.forEach(function (c) { push(c[0], 1, key, c[1], 1, strength); });
    });
    templates(s, a.seq, push);
    ev.sort(function (x, y) {
      return x.article - y.article || x.kind - y.kind || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0);
    });
    ev = ev.filter(function (e, i) {
      var p = ev[i - 1];
      return !p || p.article !== e.article || p.kind !== e.kind || p.key !== e.key;
    });
    return { evidence: ev, eventKey: eventKeys[0] || null };
  }
  // How surely a code found points at each article citing it (matcher.rs
  // `specificity`): all of it for at most three articles, shared out beyond.
  function specificity(cited) {
    var articles = 1;
    for (var i = 1; i < cited.length; i++) if (cited[i][0] !== cited[i - 1][0]) articles++;
    return Math.round(Math.min(1, 3 / articles) * 1000) / 1000;
  }
  // Templates the sequence covers; only those whose shared terms could
  // reach the share are measured (the bound of matcher.rs `templates`).
  function templates(s, seq, push) {
    if (seq.length < 3) return;
    var line = new Map();
    seq.forEach(function (t) { line.set(t, (line.get(t) || 0) + 1); });
    var touched = [];
    line.forEach(function (onLine, term) {
      (own(s.terms, term) || []).forEach(function (p) {
        if (s.bound[p[0]] === 0) touched.push(p[0]);
        s.bound[p[0]] += Math.min(p[1], onLine);
      });
    });
    var best = new Map();
    touched.forEach(function (t) {
      var bound = s.bound[t];
      s.bound[t] = 0;
      var tpl = s.templates[t], len = tpl.seq.length;
      if (bound < Math.max(3, Math.ceil(len / 2))) return;
      var share = A.coverage(tpl.seq, seq);
      var strength = templateStrength(share, len, s.strength);
      if (strength <= 0) return;
      var slot = best.get(tpl.article);
      if (!slot || strength > slot[0]) best.set(tpl.article, [strength, share, t]);
    });
    best.forEach(function (b, article) { push(article, 2, s.templates[b[2]].text, "", b[1], b[0]); });
  }

  // ---- Unmatched keys (src/scan/unmatched.rs) ----------------------------------------
  var CAPACITY = 4096;
  function isError(level, line) {
    if (level !== null) return level <= 2;
    return /error|fail|exception|fatal/.test(line.toLowerCase());
  }
  // Calls f(start, end, token) for each token as the scan's prefilter
  // reads tokens (src/scan/prefilter/token.rs `for_token_spans`): runs of
  // ASCII letters, digits and joiners, an apostrophe or backtick between
  // two letters inside the run but left out of the token; a run of
  // joiners alone is no token.
  var TOKEN_CHAR = /[A-Za-z0-9_.\-\\/:$@]/, ASCII_LETTER = /[A-Za-z]/;
  function forTokenSpans(text, f) {
    var start = -1, joined = false;
    var emit = function (end) {
      var span = text.slice(start, end);
      if (/[A-Za-z0-9]/.test(span)) f(start, end, joined ? span.replace(/['`]/g, "") : span);
      start = -1; joined = false;
    };
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (TOKEN_CHAR.test(c)) { if (start < 0) start = i; continue; }
      if ((c === "'" || c === "`") && ASCII_LETTER.test(text[i - 1] || "") && ASCII_LETTER.test(text[i + 1] || "")) {
        joined = true;
        continue;
      }
      if (start >= 0) emit(i);
    }
    if (start >= 0) emit(text.length);
  }
  // The line with its variable values masked (unmatched.rs `mask`): noise
  // tokens as `*`, other runs of digits as `#`, white space collapsed.
  function mask(line) {
    var out = "", done = 0;
    var between = function (text) {
      for (var i = 0; i < text.length; i++) {
        if (!/\s/.test(text[i])) out += text[i];
        else if (!out.endsWith(" ")) out += " ";
      }
    };
    forTokenSpans(line, function (start, end, tok) {
      between(line.slice(done, start));
      done = end;
      var raw = line.slice(start, end);
      // A code in hex is kept (unmatched.rs `is_hex_code`).
      out += A.isNoiseToken(tok) ? "*" : /^0[xX][0-9a-fA-F]{8}$/.test(raw) ? raw : raw.replace(/[0-9]+/g, "#");
    });
    between(line.slice(done));
    return F.cut(out.trim(), 160);
  }
  // {key, title}: the key a record without evidence is counted under, and
  // a title for `kbgen new article`; null for a line that is no error.
  function missing(rec, eventKey) {
    if (eventKey !== null && rec.eventId !== null) {
      var source = (rec.sources[0] || "").replace(/^Microsoft-Windows-/, "");
      return { key: eventKey, title: source + " event " + rec.eventId };
    }
    var first = rec.text.split("\n").find(function (l) { return l.trim(); });
    if (!first || !isError(rec.level, first)) return null;
    var key = mask(first);
    if ((key.match(/\p{L}/gu) || []).length < 4) return null;
    return { key: key, title: F.cut(key, 70).trimEnd() };
  }
  function Counter() { this.keys = new Map(); this.total = 0; this.pruned = false; }
  Counter.prototype.add = function (m, example) {
    this.total++;
    if (m === null) return;
    var slot = this.keys.get(m.key);
    if (slot) { slot.count++; return; }
    if (this.keys.size >= CAPACITY) { this.prune(); this.pruned = true; }
    this.keys.set(m.key, { count: 1, example: example(), title: m.title });
  };
  Counter.prototype.prune = function () {
    var counts = Array.from(this.keys.values(), function (v) { return v.count; }).sort(function (a, b) { return a - b; });
    var median = counts[counts.length >> 1];
    var self = this;
    this.keys.forEach(function (v, k) { if (v.count <= median) self.keys.delete(k); });
    if (this.keys.size >= CAPACITY / 2) Array.from(this.keys.keys()).slice(CAPACITY / 2).forEach(function (k) { self.keys.delete(k); });
  };
  Counter.prototype.top = function (n) {
    var all = [];
    this.keys.forEach(function (v, k) { all.push({ key: k, count: v.count, example: v.example, title: v.title }); });
    all.sort(function (a, b) { return b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0); });
    return all.slice(0, n);
  };

  root.kbgenScan = {
    prepare: prepare, matchRecord: matchRecord, missing: missing, Counter: Counter,
    KIND: KIND, WEIGHT: WEIGHT, detect: R.detect, byLine: R.byLine,
  };
})(typeof window !== "undefined" ? window : globalThis);
