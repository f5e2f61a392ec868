// The log readers of the search page's log scan: a log's text → records
// {at, time, level, sources, eventId, text}, as src/scan/formats/ reads
// them (text lines, Event XML, Event Viewer CSV/tab text, JSON, `Key :
// Value` blocks), so the page and `kbgen scan` see the same records. Each
// reader is a cursor over the whole text: `step(n)` reads about n lines or
// events and returns false when done, so the page can yield between steps.
// Sets window.kbgenScanFormats.
(function (root) {
  "use strict";

  // ---- Levels (src/scan/record.rs: Windows numbering, lower is worse) -------------
  var LEVEL_WORDS = {
    critical: 1, crit: 1, fatal: 1, emerg: 1, emergency: 1, alert: 1, panic: 1,
    error: 2, err: 2, unexpected: 2, severe: 2, "audit failure": 2,
    warning: 3, warn: 3, monitorable: 3,
    information: 4, info: 4, informational: 4, notice: 4, "audit success": 4, high: 4, medium: 4,
    verbose: 5, debug: 5, trace: 5, dbg: 5, vrb: 5,
  };
  var LEVEL_NAMES = ["", "Critical", "Error", "Warning", "Information", "Verbose"];
  function levelWord(w) {
    if (!w || w.length > 13) return null;
    var l = LEVEL_WORDS[w.toLowerCase()];
    return l || null;
  }
  function levelWindows(n) {
    if (n === 1 || n === 2 || n === 3 || n === 5) return n;
    return n === 0 || n === 4 ? 4 : null;
  }
  function levelSyslog(n) {
    if (n >= 0 && n <= 2) return 1;
    return { 3: 2, 4: 3, 5: 4, 6: 4, 7: 5 }[n] || null;
  }

  // ---- Timestamps (src/scan/stamp.rs) ------------------------------------------------
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function isDigit(s, i) { var c = s.charCodeAt(i); return c >= 48 && c <= 57; }
  function num(s, at, min, max) {
    var n = 0;
    while (n < max && at + n < s.length && isDigit(s, at + n)) n++;
    if (n < min) return null;
    return [Number(s.slice(at, at + n)), at + n];
  }
  function byte(s, at, set) { return at < s.length && set.indexOf(s[at]) >= 0 ? at + 1 : null; }
  function stamp(y, mo, d) { return { y: y, mo: mo, d: d, h: 0, mi: 0, s: 0, ms: 0 }; }
  function ymd(s, i0) {
    var a = num(s, i0, 4, 4); if (!a) return null;
    var i = byte(s, a[1], "-/"); if (i === null) return null;
    var m = num(s, i, 1, 2); if (!m) return null;
    i = byte(s, m[1], "-/"); if (i === null) return null;
    var d = num(s, i, 1, 2); if (!d) return null;
    return [stamp(a[0], m[0], d[0]), d[1]];
  }
  function mdy(s, i0) {
    var m = num(s, i0, 1, 2); if (!m) return null;
    var i = byte(s, m[1], "/-"); if (i === null) return null;
    var d = num(s, i, 1, 2); if (!d) return null;
    i = byte(s, d[1], "/-"); if (i === null) return null;
    var y = num(s, i, 4, 4); if (!y) return null;
    return [stamp(y[0], m[0], d[0]), y[1]];
  }
  function time(s, at, st) {
    var h = num(s, at, 1, 2); if (!h) return null;
    var i = byte(s, h[1], ":"); if (i === null) return null;
    var mi = num(s, i, 2, 2); if (!mi) return null;
    st.h = h[0]; st.mi = mi[0]; i = mi[1];
    var j = byte(s, i, ":");
    if (j !== null) {
      var sec = num(s, j, 2, 2); if (!sec) return null;
      st.s = sec[0]; i = sec[1];
      var k = byte(s, i, ".,");
      var frac = k === null ? null : num(s, k, 1, 9);
      if (frac) {
        var digits = frac[1] - i - 1;
        var ms = digits === 1 ? frac[0] * 100 : digits === 2 ? frac[0] * 10 : digits === 3 ? frac[0] :
          Math.floor(frac[0] / Math.pow(10, digits - 3));
        st.ms = ms; i = frac[1];
      }
    }
    return [st, i];
  }
  // As the command's stamp reading: a day past its month's end is no date
  // (February has 29 in a leap year, and in a stamp without a year).
  function daysInMonth(y, mo) {
    var leap = y === 0 || (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    return mo === 2 ? (leap ? 29 : 28) : (mo === 4 || mo === 6 || mo === 9 || mo === 11) ? 30 : 31;
  }
  function valid(st) {
    return st.mo >= 1 && st.mo <= 12 && st.d >= 1 && st.d <= daysInMonth(st.y, st.mo) &&
      st.h < 24 && st.mi < 60 && st.s < 61 ? st : null;
  }
  function iso(s, i0) {
    var a = ymd(s, i0); if (!a) return null;
    var i = byte(s, a[1], "T "); if (i === null) return null;
    var t = time(s, i, a[0]); if (!t) return null;
    i = t[1];
    if (s[i] === "Z") i++;
    else if (s[i] === "+" || s[i] === "-") {
      var z = num(s, i + 1, 2, 4);
      if (z) {
        i = z[1];
        var c = byte(s, i, ":"); var z2 = c === null ? null : num(s, c, 2, 2);
        if (z2) i = z2[1];
      }
    }
    return valid(t[0]) ? [t[0], i] : null;
  }
  function us(s, i0) {
    var a = mdy(s, i0); if (!a) return null;
    var i = byte(s, a[1], " "); if (i === null) return null;
    var t = time(s, i, a[0]); if (!t) return null;
    var st = t[0]; i = t[1];
    if (s[i] === " ") {
      var ap = s.slice(i + 1, i + 3).toUpperCase();
      if (ap === "PM" && st.h < 12) { st.h += 12; i += 3; }
      else if (ap === "AM" && st.h === 12) { st.h = 0; i += 3; }
      else if (ap === "AM" || ap === "PM") i += 3;
    }
    return valid(st) ? [st, i] : null;
  }
  function syslog(s, i0) {
    var m = MONTHS.indexOf(s.slice(i0, i0 + 3)); if (m < 0) return null;
    var i = byte(s, i0 + 3, " "); if (i === null) return null;
    if (s[i] === " ") i++;
    var d = num(s, i, 1, 2); if (!d) return null;
    i = byte(s, d[1], " "); if (i === null) return null;
    var t = time(s, i, stamp(0, m + 1, d[0])); if (!t) return null;
    return valid(t[0]) ? t : null;
  }
  // A timestamp at the start of a line: [stamp, length] or null.
  function atLineStart(s) {
    var open = s[0] === "[" ? 1 : 0;
    var c = s.charCodeAt(open);
    var r = null;
    if (c >= 48 && c <= 57) r = iso(s, open) || us(s, open);
    else if (c >= 65 && c <= 90) r = syslog(s, open);
    if (!r) return null;
    var len = r[1];
    if (open && s[len] === "]") len++;
    return [r[0], len];
  }
  function parseStamp(text) {
    var s = text.trim();
    var r = atLineStart(s);
    if (r) return r[0];
    var d = ymd(s, 0) || mdy(s, 0);
    return d ? valid(d[0]) : null;
  }
  // The last moment an "until" time keeps (stamp.rs `parse_until`): the
  // time as written, or for a date alone the end of that day.
  function parseUntil(text) {
    var s = text.trim();
    var r = atLineStart(s);
    if (r) return r[0];
    var day = parseStamp(s);
    if (!day) return null;
    day.h = 23; day.mi = 59; day.s = 59; day.ms = 999;
    return day;
  }
  function fromEpochMicros(us) {
    var secs = Math.floor(us / 1e6);
    var dt = new Date(secs * 1000);
    return {
      y: dt.getUTCFullYear(), mo: dt.getUTCMonth() + 1, d: dt.getUTCDate(), h: dt.getUTCHours(),
      mi: dt.getUTCMinutes(), s: dt.getUTCSeconds(), ms: Math.floor(us / 1000) % 1000,
    };
  }
  function pad(n, w) { var s = String(n); while (s.length < w) s = "0" + s; return s; }
  function stampText(st) {
    var out = st.y === 0 ? MONTHS[Math.min(12, Math.max(1, st.mo)) - 1] + " " + (st.d < 10 ? " " : "") + st.d + " " :
      pad(st.y, 4) + "-" + pad(st.mo, 2) + "-" + pad(st.d, 2) + "T";
    out += pad(st.h, 2) + ":" + pad(st.mi, 2) + ":" + pad(st.s, 2);
    if (st.ms > 0) out += "." + pad(st.ms, 3);
    return out;
  }
  // The order of a report's first and last times (src/scan/stamp.rs
  // `order`): by year, then the rest; a stamp without a year comes first.
  function orderStamps(a, b) {
    var ka = [a.y, a.mo, a.d, a.h, a.mi, a.s, a.ms];
    var kb = [b.y, b.mo, b.d, b.h, b.mi, b.s, b.ms];
    for (var i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    return 0;
  }

  // Whether `a` is before (-1), at (0) or after (1) `b` for the time
  // window (stamp.rs `compare`): a stamp without a year is compared by
  // the rest alone, as a syslog line is with `--since 2024-03-03`.
  var BELOW_YEAR = ["mo", "d", "h", "mi", "s", "ms"];
  function compareStamps(a, b) {
    if (a.y !== 0 && b.y !== 0 && a.y !== b.y) return a.y < b.y ? -1 : 1;
    for (var i = 0; i < BELOW_YEAR.length; i++) {
      var f = BELOW_YEAR[i];
      if (a[f] !== b[f]) return a[f] < b[f] ? -1 : 1;
    }
    return 0;
  }

  // ---- Records ---------------------------------------------------------------------
  var MAX_TEXT = 16 * 1024;
  var MAX_LINE = 256 * 1024;
  function record(at) { return { at: at, time: null, level: null, sources: [], eventId: null, text: "" }; }
  // UTF-8 byte length of a string.
  function utf8Len(s) {
    var n = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c < 0x80) n += 1;
      else if (c < 0x800) n += 2;
      else if (c >= 0xd800 && c < 0xdc00) { n += 4; i++; }
      else n += 3;
    }
    return n;
  }
  // The longest prefix of at most `max` UTF-8 bytes (src/scan/record.rs `cut`).
  function cut(s, max) {
    if (s.length <= max / 3 || utf8Len(s) <= max) return s;
    var n = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      var w = c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? 4 : 3;
      if (n + w > max) return s.slice(0, i);
      n += w;
      if (w === 4) i++;
    }
    return s;
  }
  // The text's UTF-8 length is kept on the record with the text's length
  // it is of: measured again at each line, a record of many continuation
  // lines cost 16 KiB of counting per line once full.
  function pushLine(rec, line) {
    var n = rec.textLen === rec.text.length ? rec.textBytes : utf8Len(rec.text);
    if (n >= MAX_TEXT) { rec.textLen = rec.text.length; rec.textBytes = n; return; }
    if (rec.text) { rec.text += "\n"; n += 1; }
    var piece = cut(line, MAX_TEXT - n);
    rec.text += piece;
    rec.textLen = rec.text.length;
    rec.textBytes = n + utf8Len(piece);
  }
  // The record on one line, for the report's example (LogRecord::summary).
  function summary(rec, max) {
    var out = "";
    if (rec.time) out += stampText(rec.time) + " ";
    if (rec.level) out += LEVEL_NAMES[rec.level] + " ";
    if (rec.sources.length) out += rec.sources[0] + " ";
    if (rec.eventId !== null) out += rec.eventId + " ";
    if (out) out = out.slice(0, -1) + ": ";
    var words = rec.text.split(/\s+/).filter(Boolean);
    out += words.map(function (w) { return utf8Len(w) > 60 ? cut(w, 60) + "…" : w; }).join(" ");
    if (utf8Len(out) > max) out = cut(out, max - 1) + "…";
    return out;
  }

  // ---- Lines over the whole text -----------------------------------------------------
  function Lines(text) { this.text = text; this.pos = 0; this.no = 0; this.cut = false; }
  Lines.prototype.next = function () {
    if (this.pos >= this.text.length) return null;
    var end = this.text.indexOf("\n", this.pos);
    if (end < 0) end = this.text.length;
    var line = this.text.slice(this.pos, end);
    this.pos = end + 1;
    this.no++;
    if (line.endsWith("\r")) line = line.slice(0, -1);
    var kept = cut(line, MAX_LINE);
    // Whether the line was longer than MAX_LINE bytes (lines.rs `was_cut`).
    this.cut = kept.length < line.length;
    return kept;
  };

  root.kbgenScanFormats = {
    levelWord: levelWord, levelWindows: levelWindows, levelSyslog: levelSyslog, LEVEL_NAMES: LEVEL_NAMES,
    atLineStart: atLineStart, parseStamp: parseStamp, parseUntil: parseUntil, fromEpochMicros: fromEpochMicros,
    stampText: stampText, orderStamps: orderStamps, compareStamps: compareStamps,
    record: record, pushLine: pushLine, summary: summary, cut: cut, utf8Len: utf8Len, Lines: Lines,
    readers: {},
  };
})(typeof window !== "undefined" ? window : globalThis);
