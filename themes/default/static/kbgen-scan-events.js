// Event exports for the search page's log scan, read as src/scan/formats/
// reads them: Event XML (event_xml.rs), Event Viewer CSV and tab text
// (table.rs), JSON (json.rs) and `Key : Value` blocks (blocks.rs). Same
// reader shape as kbgen-scan-readers.js. Needs kbgen-scan-formats.js.
(function (root) {
  "use strict";
  var F = root.kbgenScanFormats;

  // ---- Event XML -------------------------------------------------------------------
  var ENTITIES = { lt: "<", gt: ">", amp: "&", quot: "\"", apos: "'" };
  function unescape(s) {
    if (s.indexOf("&") < 0) return s;
    return s.replace(/&([^;&]{1,10});/g, function (all, e) {
      if (ENTITIES[e]) return ENTITIES[e];
      var n = e[0] === "#" ? (e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : NaN;
      return n >= 0 && n <= 0x10ffff && !(n >= 0xd800 && n < 0xe000) ? String.fromCodePoint(n) : all;
    });
  }
  function local(name) { var p = name.split(":"); return p[p.length - 1]; }
  function attribute(tag, name) {
    var re = new RegExp("\\s" + name + "\\s*=\\s*([\"'])([\\s\\S]*?)\\1");
    var m = re.exec(tag);
    return m ? unescape(m[2]) : null;
  }
  // One `<Event>` element → a record, or null when it is not one.
  function event(xml, at) {
    var rec = F.record(at), stack = [], text = "", strings = [], message = null, sawEvent = false;
    var rest = xml, lt;
    while ((lt = rest.indexOf("<")) >= 0) {
      text += unescape(rest.slice(0, lt));
      rest = rest.slice(lt);
      if (rest.startsWith("<![CDATA[")) {
        var end = rest.indexOf("]]>");
        if (end < 0) return null;
        text += rest.slice(9, end);
        rest = rest.slice(end + 3);
        continue;
      }
      var gt = rest.indexOf(">");
      if (gt < 0) return null;
      var tag = rest.slice(1, gt);
      rest = rest.slice(gt + 1);
      if (tag[0] === "!" || tag[0] === "?") continue;
      if (tag[0] === "/") {
        var name = local(tag.slice(1).trim());
        var value = text.trim(); text = "";
        var parent = stack.length > 1 ? stack[stack.length - 2] : "";
        var inData = stack.indexOf("EventData") >= 0 || stack.indexOf("UserData") >= 0;
        if (parent === "System" && name === "EventID") rec.eventId = /^\d+$/.test(value) ? Number(value) : null;
        else if (parent === "System" && name === "Level") rec.level = /^\d+$/.test(value) ? F.levelWindows(Number(value)) : null;
        else if (parent === "RenderingInfo" && name === "Message") message = value;
        else if (parent === "RenderingInfo" && name === "Level" && rec.level === null) rec.level = F.levelWord(value);
        else if (inData && name !== "Binary" && value) strings.push(value);
        stack.pop();
        if (name === "Event") break;
        continue;
      }
      var closed = tag.endsWith("/");
      if (closed) tag = tag.slice(0, -1);
      var tn = local(tag.split(/\s/)[0]);
      sawEvent = sawEvent || tn === "Event";
      text = "";
      if (tn === "Provider") {
        ["Name", "EventSourceName"].forEach(function (a) {
          var v = attribute(tag, a);
          if (v && rec.sources.indexOf(v) < 0) rec.sources.push(v);
        });
      } else if (tn === "TimeCreated") {
        var t = attribute(tag, "SystemTime");
        rec.time = t === null ? null : F.parseStamp(t);
      }
      if (!closed) stack.push(tn);
    }
    if (!sawEvent) return null;
    rec.text = message !== null ? message : strings.join(" | ");
    return rec;
  }
  function XmlReader(text, emit, skip) { this.text = text; this.pos = 0; this.n = 0; this.emit = emit; this.skip = skip; }
  XmlReader.prototype.step = function (k) {
    for (var i = 0; i < k; i++) {
      var end = this.text.indexOf("</Event>", this.pos);
      if (end < 0) { this.cutShort(); return false; }
      var stop = end + 8, chunk = this.text.slice(this.pos, stop);
      this.pos = stop;
      this.n++;
      var open = chunk.indexOf("<Event");
      if (open < 0) continue;
      var rec = event(chunk.slice(open), this.n);
      if (rec) this.emit(rec);
      else this.skip("event " + this.n, "not a readable <Event> element; skipped");
    }
    return true;
  };
  // event_xml.rs: a file cut short ends inside its last event, which is
  // read as far as it goes, and the cut noted.
  XmlReader.prototype.cutShort = function () {
    var rest = this.text.slice(this.pos), m = /<Event[>\t\r\n \/]/.exec(rest);
    if (!m) return;
    this.n++;
    var rec = event(rest.slice(m.index), this.n);
    this.skip("event " + this.n, "the file ends before this event's </Event>; " + (rec ? "read as far as it goes" : "skipped"));
    if (rec) this.emit(rec);
  };

  // ---- Event Viewer CSV and tab-separated text -----------------------------------------
  function column(name) {
    var n = name.trim().toLowerCase();
    if (["level", "leveldisplayname", "keywords", "entrytype", "type"].indexOf(n) >= 0) return "level";
    if (["date and time", "timecreated", "timegenerated", "date", "time"].indexOf(n) >= 0) return "time";
    if (["source", "providername", "provider"].indexOf(n) >= 0) return "source";
    if (["event id", "id", "eventid", "instanceid"].indexOf(n) >= 0) return "id";
    if (["message", "description", ""].indexOf(n) >= 0) return "message";
    return "other";
  }
  function split(row, sep) {
    var fields = [], cur = "", inside = false;
    for (var i = 0; i < row.length; i++) {
      var c = row[i];
      if (c === "\"" && inside && row[i + 1] === "\"") { cur += "\""; i++; }
      else if (c === "\"" && inside) inside = false;
      else if (c === "\"" && cur === "") inside = true;
      else if (c === sep && !inside) { fields.push(cur); cur = ""; }
      else cur += c;
    }
    fields.push(cur);
    return fields;
  }
  function TableReader(sep) {
    return function (text, emit, skip) {
      this.lines = new F.Lines(text); this.emit = emit; this.skip = skip;
      this.sep = sep; this.header = null; this.row = ""; this.start = 0; this.open = false;
    };
  }
  var MAX_ROW = 1 << 20;
  // table.rs `read`: a quoted field's being open is counted line by line
  // (recounting the whole row at each line took time by its square).
  function tableStep(k) {
    for (var i = 0; i < k; i++) {
      var line = this.lines.next();
      if (line === null) {
        if (this.open) {
          this.skip("line " + this.start,
            "a quoted field opened in this row is never closed; the rest of the file is read as its row");
        }
        if (this.row) this.takeRow();
        return false;
      }
      if (!this.row) {
        this.start = this.lines.no;
        if (!line.trim()) continue;
      } else this.row += "\n";
      this.row += line;
      if ((line.split("\"").length - 1) % 2 === 1) this.open = !this.open;
      if (this.lines.cut && this.open) {
        this.skip("line " + this.lines.no, "a line longer than 256 KiB, of which the first 256 KiB are read; its row ends there");
        this.open = false;
      }
      if (this.open) {
        if (this.row.length < MAX_ROW) continue;
        this.skip("line " + this.start,
          "a quoted field not closed within 1 MiB; its row is cut there and the lines after it read as rows");
        this.open = false;
      }
      this.takeRow();
    }
    return true;
  }
  function takeRow() {
    var fields = split(this.row, this.sep);
    this.row = "";
    if (!this.header) { this.header = fields.map(column); return; }
    var rec = tableRecord(this.header, fields, this.start);
    if (rec) this.emit(rec);
    else this.skip("line " + this.start, "a row without a date, source or message; skipped");
  }
  function tableRecord(cols, fields, at) {
    var rec = F.record(at);
    fields.forEach(function (f, i) {
      f = f.trim();
      var c = i < cols.length ? cols[i] : "message";
      if (c === "level") rec.level = F.levelWord(f) || (/^\d+$/.test(f) ? F.levelWindows(Number(f)) : null);
      else if (c === "time") rec.time = F.parseStamp(f);
      else if (c === "source" && f) rec.sources.push(f);
      else if (c === "id") rec.eventId = /^\d+$/.test(f) ? Number(f) : null;
      else if (c === "message" && f) F.pushLine(rec, f);
    });
    return rec.time || rec.sources.length || rec.text ? rec : null;
  }
  var Csv = TableReader(","), Tab = TableReader("\t");
  Csv.prototype.step = tableStep; Tab.prototype.step = tableStep;
  Csv.prototype.takeRow = takeRow; Tab.prototype.takeRow = takeRow;

  // ---- JSON ------------------------------------------------------------------------
  function get(map, names) {
    for (var i = 0; i < names.length; i++) {
      if (Object.prototype.hasOwnProperty.call(map, names[i])) return map[names[i]];
      var lower = names[i].toLowerCase();
      for (var k in map) if (k.toLowerCase() === lower) return map[k];
    }
    return undefined;
  }
  function jsonText(v) {
    if (typeof v === "string") return v;
    if (typeof v === "number") return String(v);
    if (Array.isArray(v) && v.every(function (b) { return Number.isInteger(b) && b >= 0; })) {
      return new TextDecoder().decode(new Uint8Array(v));
    }
    return null;
  }
  function jsonTime(v) {
    if (v && typeof v === "object" && !Array.isArray(v)) { var inner = get(v, ["value", "DateTime"]); return inner === undefined ? null : jsonTime(inner); }
    var s = jsonText(v);
    if (s === null) return null;
    var m = /^\/Date\((\d+)/.exec(s);
    if (m) return F.fromEpochMicros(Number(m[1]) * 1000);
    if (s.length >= 15 && /^\d+$/.test(s)) return F.fromEpochMicros(Number(s));
    return F.parseStamp(s);
  }
  function jsonLevel(map) {
    var p = get(map, ["PRIORITY"]);
    if (p !== undefined) { var pt = jsonText(p); return pt !== null && /^\d+$/.test(pt) ? F.levelSyslog(Number(pt)) : null; }
    var l = get(map, ["LevelDisplayName", "level", "severity", "@l"]);
    if (l !== undefined) { var lw = jsonText(l); var lv = lw === null ? null : F.levelWord(lw); if (lv) return lv; }
    var e = get(map, ["EntryType"]);
    if (e !== undefined) {
      if (Number.isInteger(e) && e >= 0) return e === 1 || e === 16 ? 2 : e === 2 ? 3 : 4;
      var et = jsonText(e); return et === null ? null : F.levelWord(et);
    }
    var w = get(map, ["Level"]);
    return Number.isInteger(w) && w >= 0 ? F.levelWindows(w) : null;
  }
  function jsonRecord(map, n) {
    var rec = F.record(n);
    var msg = get(map, ["MESSAGE", "Message", "msg", "@m", "@mt"]);
    var text = msg === undefined ? null : jsonText(msg);
    if (text === null) {
      var items = get(map, ["Properties", "ReplacementStrings"]);
      text = Array.isArray(items) ? items.map(function (p) {
        return jsonText(p && typeof p === "object" && "Value" in p ? p.Value : p);
      }).filter(function (t) { return t !== null; }).join(" | ") : "";
    }
    rec.text = text;
    var t = get(map, ["__REALTIME_TIMESTAMP", "TimeCreated", "TimeGenerated", "timestamp", "time", "@t"]);
    rec.time = t === undefined ? null : jsonTime(t);
    rec.level = jsonLevel(map);
    var src = get(map, ["ProviderName", "Source", "SYSLOG_IDENTIFIER", "_COMM"]);
    var st = src === undefined ? null : jsonText(src);
    if (st !== null) rec.sources.push(st);
    var id = get(map, ["Id", "EventID", "InstanceId"]);
    if (Number.isInteger(id) && id >= 0) rec.eventId = id % 65536;
    return rec;
  }
  // A whole array is parsed at once (JSON.parse cannot stream); records
  // are then handed out a step at a time. One object per line otherwise.
  function JsonReader(text, emit, skip) {
    this.emit = emit; this.skip = skip; this.items = null; this.i = 0; this.n = 0;
    var body = text.trimStart();
    if (body[0] === "[") {
      try { this.items = JSON.parse(body); } catch (e) {
        skip("", "not valid JSON (" + e.message + "); the rest of the file is skipped");
        this.items = [];
      }
    } else { this.lines = new F.Lines(text); this.value = ""; this.depth = 0; this.start = 0; }
  }
  JsonReader.prototype.one = function (v) {
    this.n++;
    var self = this;
    if (Array.isArray(v)) v.forEach(function (x) { if (x && typeof x === "object" && !Array.isArray(x)) self.emit(jsonRecord(x, self.n)); });
    else if (v && typeof v === "object") this.emit(jsonRecord(v, this.n));
  };
  // json.rs `read_values`: a value is parsed once its brackets close, one
  // line at a time or spread over several; one not valid is noted and
  // passed over; an object opened at a line's first column while a value
  // is open begins the next value.
  var MAX_VALUE = 4 << 20;
  function bracketDepth(line) {
    var depth = 0, string = false, escaped = false;
    for (var i = 0; i < line.length; i++) {
      var c = line[i];
      if (string) {
        if (escaped) escaped = false;
        else if (c === "\\") escaped = true;
        else if (c === "\"") string = false;
      } else if (c === "\"") string = true;
      else if (c === "{" || c === "[") depth++;
      else if (c === "}" || c === "]") depth--;
    }
    return depth;
  }
  JsonReader.prototype.parse = function () {
    var text = this.value;
    this.value = ""; this.depth = 0;
    var v;
    try { v = JSON.parse(text); } catch (e) {
      this.skip("line " + this.start, "not valid JSON; this value is skipped (a text log? scan it with --format text)");
      return;
    }
    this.one(v);
  };
  JsonReader.prototype.step = function (k) {
    for (var i = 0; i < k; i++) {
      if (this.items) {
        if (this.i >= this.items.length) return false;
        this.one(this.items[this.i++]);
        continue;
      }
      var line = this.lines.next();
      if (line === null) {
        if (this.value) this.parse();
        return false;
      }
      if (this.depth > 0 && line[0] === "{") this.parse();
      if (!this.value) {
        if (!line.trim()) continue;
        this.start = this.lines.no;
      } else this.value += "\n";
      this.value += line;
      this.depth += bracketDepth(line);
      if (this.depth > 0) {
        if (this.value.length < MAX_VALUE) continue;
        this.skip("line " + this.start, "a JSON value not closed within 4 MiB; skipped");
        this.value = ""; this.depth = 0;
        continue;
      }
      this.parse();
    }
    return true;
  };

  // ---- `Key : Value` blocks ----------------------------------------------------------
  var BLOCK_KEYS = {
    TimeCreated: "time", Date: "time", TimeGenerated: "time", ProviderName: "source", Source: "source",
    Id: "id", "Event ID": "id", EventID: "id", InstanceId: "id", LevelDisplayName: "level", Level: "level",
    EntryType: "level", Message: "message", Description: "message", "Event Xml": "xml",
  };
  ("Log Name,LogName,Task Category,Task,TaskDisplayName,Keywords,KeywordsDisplayNames,User,UserId,UserName," +
    "Computer,MachineName,OpCode,Opcode,OpcodeDisplayName,RecordId,ProcessId,ThreadId,ContainerLog,Properties," +
    "ActivityId,RelatedActivityId,Qualifiers,Version,ProviderId,Bookmark,MatchedQueryIds,Index,Category," +
    "CategoryNumber,ReplacementStrings,Site,Container").split(",").forEach(function (k) { BLOCK_KEYS[k] = "other"; });
  function Blocks(text, emit) { this.lines = new F.Lines(text); this.emit = emit; this.first = null; this.rec = null; this.current = "other"; }
  Blocks.prototype.step = function (k) {
    for (var i = 0; i < k; i++) {
      var line = this.lines.next();
      if (line === null) {
        if (this.rec) this.emit(this.rec);
        this.rec = null;
        return false;
      }
      var colon = line.indexOf(":");
      var name = colon < 0 ? null : line.slice(0, colon).trim();
      var key = name !== null && Object.prototype.hasOwnProperty.call(BLOCK_KEYS, name) ? BLOCK_KEYS[name] : null;
      if (!key) {
        if (this.current === "message" && line.trim() && this.rec) F.pushLine(this.rec, line.trim());
        continue;
      }
      var value = line.slice(colon + 1).trim();
      if (this.first === null) this.first = name;
      if (name === this.first && this.rec) { this.emit(this.rec); this.rec = null; }
      if (!this.rec) this.rec = F.record(this.lines.no);
      var r = this.rec;
      this.current = key;
      if (key === "time") r.time = F.parseStamp(value);
      else if (key === "source" && value) r.sources.push(value);
      else if (key === "id") r.eventId = /^\d+$/.test(value) ? Number(value) : null;
      else if (key === "level") r.level = F.levelWord(value) || (/^\d+$/.test(value) ? F.levelWindows(Number(value)) : null);
      else if (key === "message" && value) F.pushLine(r, value);
    }
    return true;
  };

  F.readers.xml = XmlReader;
  F.eventXml = event;
  F.readers.csv = Csv;
  F.readers.tab = Tab;
  F.readers.json = JsonReader;
  F.readers.blocks = Blocks;
})(typeof window !== "undefined" ? window : globalThis);
