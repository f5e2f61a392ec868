// The log scan's tally and report (src/scan/report.rs): matched records
// counted per article with first and last time and an example, articles
// ranked by their strongest evidence, then the records of their most
// frequent signature of that strength, then the weights of all their
// signatures found. `scanText` drives a whole log in steps, yielding to
// the page between them. Needs kbgen-scan.js.
(function (root) {
  "use strict";
  var F = root.kbgenScanFormats;
  var S = root.kbgenScan;
  // Lines or events read between two yields to the page.
  var STEP = 2000;

  // Text kept as keys of remembered answers, at most (UTF-16 code units).
  var MEMO_CHARS = 8 << 20;

  function Tally(sigs, file, format) {
    this.sigs = sigs; this.records = 0; this.articles = new Map(); this.unmatched = new S.Counter();
    this.skipped = [];
    this.file = file; this.byLine = S.byLine(format);
    this.memo = new Map(); this.memoChars = 0;
    this.filter = null; this.filtered = 0;
  }
  // A record's evidence, and its unmatched key when it has none. Logs
  // repeat records word for word (a service's same message, an event with
  // the same strings): each is matched once and its answer kept by all it
  // depends on, in a bounded map.
  Tally.prototype.match = function (rec) {
    var key = rec.eventId + "\u0001" + rec.sources.join("\u0002") + "\u0001" + rec.level + "\u0001" + rec.text;
    var hit = this.memo.get(key);
    if (hit) return hit;
    var out = S.matchRecord(this.sigs, rec);
    var answer = { evidence: out.evidence, missing: out.evidence.length ? null : S.missing(rec, out.eventKey) };
    if (this.memoChars + key.length > MEMO_CHARS) { this.memo.clear(); this.memoChars = 0; }
    this.memo.set(key, answer);
    this.memoChars += key.length;
    return answer;
  };
  Tally.prototype.example = function (r) {
    var sum = F.summary(r, 300);
    return this.byLine ? this.file + ":" + r.at + ": " + sum : this.file + " record " + r.at + ": " + sum;
  };
  Tally.prototype.feed = function (rec) {
    var self = this;
    if (this.filter && !keeps(this.filter, rec)) {
      this.filtered++;
      return;
    }
    var out = this.match(rec);
    this.records++;
    if (!out.evidence.length) {
      this.unmatched.add(out.missing, function () { return self.example(rec); });
      return;
    }
    var seen = [];
    out.evidence.forEach(function (ev) {
      var t = self.articles.get(ev.article);
      if (!t) { t = { count: 0, first: null, last: null, example: "", evidence: new Map() }; self.articles.set(ev.article, t); }
      if (seen.indexOf(ev.article) < 0) {
        seen.push(ev.article);
        t.count++;
        if (!t.example) t.example = self.example(rec);
        if (rec.time) {
          if (!t.first || F.orderStamps(rec.time, t.first) < 0) t.first = rec.time;
          if (!t.last || F.orderStamps(rec.time, t.last) >= 0) t.last = rec.time;
        }
      }
      var k = ev.kind + "\u0000" + ev.key;
      var found = t.evidence.get(k);
      if (!found) { found = { kind: ev.kind, key: ev.key, records: 0, detail: "", share: 0, strength: 0 }; t.evidence.set(k, found); }
      found.records++;
      if (ev.strength > found.strength) { found.detail = ev.detail; found.share = ev.share; found.strength = ev.strength; }
    });
  };

  // Whether a record is in the time window and at least as severe as the
  // level (report.rs `Filter::keeps`): one without a time or a level is kept.
  function keeps(f, rec) {
    if (rec.time) {
      if (f.since && F.compareStamps(rec.time, f.since) < 0) return false;
      if (f.until && F.compareStamps(rec.time, f.until) > 0) return false;
    }
    return !f.minLevel || !rec.level || rec.level <= f.minLevel;
  }

  // The filter of the page's "from", "until" and level fields, read as
  // `--since`, `--until` and `--min-level` are: {filter} (null when every
  // field is empty), or {error} naming the field and what to write.
  function readFilter(since, until, minLevel) {
    var f = { since: null, until: null, minLevel: minLevel || null };
    var times = [["from", since, F.parseStamp, "since"], ["until", until, F.parseUntil, "until"]];
    for (var i = 0; i < times.length; i++) {
      var t = times[i], text = (t[1] || "").trim();
      if (!text) continue;
      f[t[3]] = t[2](text);
      if (!f[t[3]]) {
        return { error: "“" + t[0] + "”: " + JSON.stringify(text) + " is not a time kbgen reads; " +
          "write it like 2024-02-19 or 2024-02-19T11:00:00" };
      }
    }
    // Both with a year or both without, as report.rs `empty_window`.
    if (f.since && f.until && (f.since.y === 0) === (f.until.y === 0) && F.compareStamps(f.since, f.until) > 0) {
      return { error: "no record can be kept: the time to look from (" + F.stampText(f.since) + ") is after " +
        "the time to look until (" + F.stampText(f.until) + "); swap “from” and “until”" };
    }
    return { filter: f.since || f.until || f.minLevel ? f : null };
  }

  function weight(f) {
    return S.WEIGHT[f.kind] + (f.kind === 2 ? 0.9 * f.strength : 0.5 * f.strength);
  }
  // [strongest evidence, records of its most frequent signature of that
  // strength, weights of all its signatures found] (report.rs `Score`).
  function score(t) {
    var best = 0, top = 0, all = [];
    t.evidence.forEach(function (f) { best = Math.max(best, weight(f)); all.push(weight(f)); });
    t.evidence.forEach(function (f) { if (weight(f) >= best - 1e-9) top = Math.max(top, f.records); });
    // Largest first, as report.rs adds them: the same sum in any order met.
    all.sort(function (a, b) { return b - a; });
    var total = all.reduce(function (sum, w) { return sum + w; }, 0);
    return [best, top, total];
  }
  function cmpStr(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  // `{:.0}` as Rust prints it: a tie goes to the even neighbour.
  function percent(share) {
    var v = share * 100, f = Math.floor(v);
    var r = v - f === 0.5 ? (f % 2 === 0 ? f : f + 1) : Math.round(v);
    return String(r);
  }
  function articleReport(a, t) {
    var matched = Array.from(t.evidence.values());
    matched.sort(function (x, y) { return x.kind - y.kind || cmpStr(x.key, y.key); });
    matched.sort(function (x, y) { return x.kind - y.kind || y.strength - x.strength || y.records - x.records; });
    return {
      source: a[2], url: a[0], title: a[1],
      matched: matched.map(function (f) {
        var n = f.records + (f.records === 1 ? " record" : " records");
        var detail = f.kind === 2 ? percent(f.share) + "% of the template; " + n :
          f.detail ? f.detail + "; " + n : n;
        return { kind: S.KIND[f.kind], key: f.key, detail: detail };
      }),
      count: t.count,
      first: t.first ? F.stampText(t.first) : null,
      last: t.last ? F.stampText(t.last) : null,
      example: t.example,
    };
  }
  // The report, the shape of `kbgen scan --json`, with the `unmatched`
  // most frequent unmatched keys.
  Tally.prototype.finish = function (unmatched) {
    var self = this;
    var ranked = Array.from(this.articles, function (e) { return { a: e[0], t: e[1], s: score(e[1]) }; });
    ranked.sort(function (x, y) {
      return y.s[0] - x.s[0] || y.s[1] - x.s[1] || y.s[2] - x.s[2] || y.t.count - x.t.count || x.a - y.a;
    });
    return {
      records: this.records,
      articles: ranked.map(function (r) { return articleReport(self.sigs.articles[r.a], r.t); }),
      unmatched: this.unmatched.top(unmatched),
      skipped: this.skipped,
      unmatchedRecords: this.unmatched.total,
      filtered: this.filtered,
      unmatchedPruned: this.unmatched.pruned,
    };
  };

  // Decoded text of a log's bytes: UTF-16 after its BOM, else UTF-8
  // (a UTF-8 BOM dropped), as src/scan/input.rs reads them.
  function decode(bytes) {
    // A view is read where it is: a 20 MB log is not copied first.
    var u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    if (u8[0] === 0xff && u8[1] === 0xfe) return new TextDecoder("utf-16le").decode(u8.subarray(2));
    return new TextDecoder("utf-8").decode(u8);
  }

  function yieldToPage() { return new Promise(function (resolve) { setTimeout(resolve, 0); }); }

  // Scans a log's text; resolves to the report. `progress(done, total)`
  // hears how far it got after each step. With `options.tally` (the files
  // of a bundle), the records are added to that tally, which it resolves to.
  // What a reader could not read in one file, a few notes per reason and
  // a count of the rest (skip_notes.rs).
  var LIKE_KEPT = 3, REASONS = 64;
  function SkipNotes(file) { this.file = file; this.byReason = new Map(); this.others = [0, ""]; }
  SkipNotes.prototype.keep = function (at, reason) {
    var seen = this.byReason.get(reason);
    if (seen) {
      seen[0]++;
      if (seen[0] <= LIKE_KEPT) return true;
      seen[1] = at;
      return false;
    }
    if (this.byReason.size >= REASONS) { this.others[0]++; this.others[1] = at; return false; }
    this.byReason.set(reason, [1, ""]);
    return true;
  };
  SkipNotes.prototype.summaries = function () {
    var file = this.file, out = [];
    var moreAt = function (n, last) {
      var notes = n + (n === 1 ? " more place" : " more places");
      return last ? "and " + notes + ", the last at " + last : "and " + notes;
    };
    this.byReason.forEach(function (seen, reason) {
      if (seen[0] > LIKE_KEPT) out.push({ file: file, at: moreAt(seen[0] - LIKE_KEPT, seen[1]), reason: reason });
    });
    if (this.others[0] > 0) {
      out.push({ file: file, at: moreAt(this.others[0], this.others[1]), reason: "notes of further kinds, not listed" });
    }
    return out;
  };

  function scanText(text, file, sigs, options) {
    options = options || {};
    var format = S.detect(text, file);
    var tally = options.tally || new Tally(sigs, file, format);
    tally.file = file;
    tally.byLine = S.byLine(format);
    var bytes = options.bytes;
    if (format === "evtx" && (!bytes || bytes.length < 4096)) {
      return Promise.reject(new Error(file + " is not a readable .evtx file (its file header is damaged or it is " +
        "another format); export the log again with Event Viewer or `wevtutil epl`"));
    }
    if (format === "xml" || format === "json" || format === "evtx") tally.byLine = false;
    var notes = new SkipNotes(file);
    var skip = function (at, reason) { if (notes.keep(at, reason)) tally.skipped.push({ file: file, at: at, reason: reason }); };
    var input = format === "evtx" ? bytes : text;
    var reader = new F.readers[format](input, function (r) { tally.feed(r); }, skip);
    var step = function () {
      var more = reader.step(options.step || STEP);
      if (options.progress) options.progress(reader.lines ? reader.lines.pos : reader.pos || 0, input.length);
      if (!more) {
        Array.prototype.push.apply(tally.skipped, notes.summaries());
        return options.tally ? tally : tally.finish(options.unmatched === undefined ? 10 : options.unmatched);
      }
      return yieldToPage().then(step);
    };
    return Promise.resolve().then(step);
  }

  S.Tally = Tally;
  S.readFilter = readFilter;
  S.decode = decode;
  S.scanText = scanText;
  S.format = function (text, file) { return S.detect(text, file); };
})(typeof window !== "undefined" ? window : globalThis);
