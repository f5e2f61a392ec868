// The log formats of the search page's log scan, each read as
// src/scan/formats/ reads it, and told apart from the log's first bytes as
// src/scan/input.rs tells them. A reader is made with (text, emit, skip)
// and read with step(n), about n lines or events at a time; step returns
// false once the text is done. Needs kbgen-scan-formats.js first.
(function (root) {
  "use strict";
  var F = root.kbgenScanFormats;

  // ---- Format detection (input.rs `detect`) ------------------------------------------
  function detect(text, name) {
    if (text.startsWith("ElfFile\u0000")) return "evtx";
    var head = text.slice(0, 8192);
    var body = head.replace(/^\ufeff/, "").trimStart();
    var firstLine = body.split("\n")[0] || "";
    if (body[0] === "<" && body.indexOf("<Event") >= 0) return "xml";
    if ((body[0] === "[" && body.slice(1).trimStart()[0] === "{") || body[0] === "{") return "json";
    if (firstLine.indexOf("Date and Time") >= 0 && firstLine.indexOf("Source") >= 0) {
      var tabs = firstLine.split("\t").length, commas = firstLine.split(",").length;
      return tabs > commas ? "tab" : "csv";
    }
    var blockKey = function (l) {
      var k = l.split(":")[0].trim();
      return k === "Log Name" || k === "TimeCreated" || k === "ProviderName";
    };
    if (body.split("\n").slice(0, 20).some(blockKey)) return "blocks";
    if (/\.evtx$/i.test(name || "")) return "evtx";
    return "text";
  }
  // Whether records are numbered by line (else by record) in examples.
  function byLine(format) { return format === "text" || format === "csv" || format === "tab" || format === "blocks"; }

  // ---- Line logs (formats/text.rs) ---------------------------------------------------
  var W3C = ["Software:", "Version:", "Date:", "Remark:", "Start-Date:", "End-Date:"];
  function TextReader(text, emit) {
    this.lines = new F.Lines(text);
    this.emit = emit;
    this.pending = null; this.stamped = false; this.iis = null; this.uls = false; this.cmtrace = null;
  }
  TextReader.prototype.step = function (n) {
    for (var k = 0; k < n; k++) {
      var line = this.lines.next();
      if (line === null) {
        if (this.cmtrace) this.emit(cmtrace(this.cmtrace[0], this.cmtrace[1]));
        this.flush();
        return false;
      }
      this.line(this.lines.no, line);
    }
    return true;
  };
  TextReader.prototype.flush = function () {
    if (this.pending) { this.emit(this.pending); this.pending = null; }
  };
  TextReader.prototype.line = function (no, line) {
    if (this.cmtrace) {
      var c = this.cmtrace; this.cmtrace = null;
      return this.cmtraceLine(c[0], c[1] + "\n" + F.cut(line, 64 * 1024));
    }
    if (line.startsWith("<![LOG[")) { this.flush(); return this.cmtraceLine(no, line); }
    if (line[0] === "#") {
      var rest = line.slice(1);
      if (rest.startsWith("Fields:")) this.iis = rest.slice(7).split(/\s+/).filter(Boolean);
      if (this.iis || W3C.some(function (d) { return rest.startsWith(d); })) return;
    }
    if (this.iis) return this.emit(iis(no, this.iis, line));
    if (line.startsWith("Timestamp") && line.indexOf("\tProcess") >= 0) { this.uls = true; return; }
    if (this.uls && line.indexOf("\t") >= 0) {
      var u = uls(no, line);
      if (u) { this.flush(); return this.emit(u); }
    }
    var st = F.atLineStart(line);
    if (st) {
      this.flush();
      this.stamped = true;
      this.pending = afterStamp(no, st[0], line.slice(st[1]));
      return;
    }
    if (!line.trim()) return;
    if (this.pending && (this.stamped || isContinuation(line))) return F.pushLine(this.pending, line);
    this.flush();
    this.pending = afterStamp(no, null, line);
  };
  TextReader.prototype.cmtraceLine = function (start, text) {
    var i = text.indexOf("]LOG]!>");
    var done = i >= 0 && text.slice(i).trimEnd().endsWith(">");
    if (done || text.length > 64 * 1024) this.emit(cmtrace(start, text));
    else this.cmtrace = [start, text];
  };
  function isContinuation(line) {
    return line[0] === " " || line[0] === "\t" ||
      ["at ", "Caused by", "--- ", "..."].some(function (p) { return line.startsWith(p); });
  }
  function trimStartOf(s, chars) {
    var i = 0;
    while (i < s.length && chars.indexOf(s[i]) >= 0) i++;
    return s.slice(i);
  }
  function afterStamp(no, time, rest) {
    rest = trimStartOf(rest, " \t,|]-");
    var rec = F.record(no);
    rec.time = time;
    if (time && time.y === 0) {
      var sp = syslogProgram(rest);
      if (sp) {
        rec.sources.push(sp[0]);
        rec.text = sp[1];
        var l = leadingLevel(sp[1]);
        rec.level = l ? l[0] : null;
        return rec;
      }
    }
    var lv = leadingLevel(rest);
    if (lv) { rec.level = lv[0]; rec.text = trimStartOf(lv[1], " \t:,|]-"); }
    else rec.text = rest;
    return rec;
  }
  function syslogProgram(rest) {
    var sp = rest.indexOf(" ");
    if (sp < 0) return null;
    var after = rest.slice(sp + 1);
    var colon = after.indexOf(": ");
    if (colon < 0) return null;
    var tag = after.slice(0, colon);
    if (!tag || tag.indexOf(" ") >= 0) return null;
    return [tag.split("[")[0], after.slice(colon + 2)];
  }
  function trimChars(s, chars) {
    var a = 0, b = s.length;
    while (a < b && chars.indexOf(s[a]) >= 0) a++;
    while (b > a && chars.indexOf(s[b - 1]) >= 0) b--;
    return s.slice(a, b);
  }
  function leadingLevel(s) {
    var at = 0;
    for (var k = 0; k < 3; k++) {
      var t = s.slice(at);
      var start = t.length - t.trimStart().length;
      t = t.slice(start);
      var m = t.search(/[ \t]/);
      var end = m < 0 ? t.length : m;
      var l = F.levelWord(trimChars(t.slice(0, end), "[]<>():,|"));
      if (l) return [l, t.slice(end)];
      at += start + end;
      if (at >= s.length) break;
    }
    return null;
  }
  function cmtrace(no, text) {
    var body = text.startsWith("<![LOG[") ? text.slice(7) : text;
    var i = body.indexOf("]LOG]!>");
    var message = i >= 0 ? body.slice(0, i) : body, attrs = i >= 0 ? body.slice(i + 7) : "";
    var attr = function (name) {
      var key = name + "=\"", from = attrs.indexOf(key);
      return from < 0 ? null : attrs.slice(from + key.length).split("\"")[0];
    };
    var rec = F.record(no);
    var d = attr("date"), t = attr("time");
    if (d !== null && t !== null) rec.time = F.parseStamp(d + " " + t.split(/[+-]/)[0]);
    rec.level = { 3: 2, 2: 3, 1: 4 }[attr("type")] || null;
    var comp = attr("component");
    if (comp !== null) rec.sources.push(comp);
    rec.text = message;
    return rec;
  }
  function iis(no, fields, line) {
    var values = line.split(" ");
    var get = function (name) {
      var i = fields.indexOf(name);
      var v = i < 0 ? undefined : values[i];
      return v === undefined || v === "-" ? null : v;
    };
    var rec = F.record(no);
    if (get("date") !== null && get("time") !== null) rec.time = F.parseStamp(get("date") + " " + get("time"));
    var status = /^\d+$/.test(get("sc-status") || "") ? Number(get("sc-status")) : 0;
    var text = (get("cs-method") || "") + " " + (get("cs-uri-stem") || "");
    if (status > 0) {
      text += " HTTP " + status;
      var sub = get("sc-substatus");
      if (sub !== null && sub !== "0") text += "." + sub;
    }
    var w = get("sc-win32-status");
    if (w !== null && w !== "0") text += " error " + w;
    rec.level = status >= 500 ? 2 : status >= 400 ? 3 : 4;
    rec.text = text;
    return rec;
  }
  function uls(no, line) {
    var cols = line.split("\t").map(function (c) { return c.trim(); });
    if (cols.length < 8) return null;
    var rec = F.record(no);
    rec.time = F.parseStamp(cols[0].replace(/\*+$/, ""));
    rec.level = F.levelWord(cols[6]);
    rec.sources.push(cols[3]);
    rec.text = cols[7];
    return rec;
  }

  F.readers.text = TextReader;
  root.kbgenScanReaders = { detect: detect, byLine: byLine, leadingLevel: leadingLevel };
})(typeof window !== "undefined" ? window : globalThis);
