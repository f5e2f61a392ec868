// Windows .evtx files for the search page's log scan, in plain JavaScript
// (no wasm). As src/scan/formats/evtx.rs does with the evtx crate, each
// record's binary XML is rendered to event XML, values formatted as that
// crate formats them, and read by the Event XML reader, so every path
// gives the same record. The file: a 4 KB header, then 64 KB chunks, each
// with its own string and template tables; a record is a fragment holding
// a template instance (a template, defined once per chunk, and the
// substitution values that fill it). A chunk that cannot be read is
// reported with its offset and the other chunks are read; a record that
// cannot be read is reported and the rest of its chunk is read.
// Needs kbgen-scan-formats.js and kbgen-scan-events.js.
(function (root) {
  "use strict";
  var F = root.kbgenScanFormats;
  var HEADER = 4096, CHUNK = 65536;

  function hex(n, width) { var s = n.toString(16); while (s.length < (width || 0)) s = "0" + s; return s; }
  function escapeXml(s, attr) {
    s = s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    return attr ? s.replace(/"/g, "&quot;") : s;
  }
  function pad(n, w) { var s = String(n); while (s.length < w) s = "0" + s; return s; }

  // One chunk's bytes, read at offsets from the chunk's start.
  function Chunk(bytes, start) {
    this.b = bytes; this.start = start;
    this.v = new DataView(bytes.buffer, bytes.byteOffset + start, CHUNK);
    this.names = new Map();
  }
  Chunk.prototype.u8 = function (o) { this.check(o, 1); return this.v.getUint8(o); };
  Chunk.prototype.u16 = function (o) { this.check(o, 2); return this.v.getUint16(o, true); };
  Chunk.prototype.u32 = function (o) { this.check(o, 4); return this.v.getUint32(o, true); };
  Chunk.prototype.check = function (o, n) {
    if (o < 0 || o + n > CHUNK) throw new Error("binary XML runs past its chunk (offset 0x" + hex(o) + ")");
  };
  Chunk.prototype.utf16 = function (o, units) {
    this.check(o, units * 2);
    var s = "";
    for (var i = 0; i < units; i++) {
      var c = this.v.getUint16(o + 2 * i, true);
      if (c === 0) break;
      s += String.fromCharCode(c);
    }
    return s;
  };
  // A name in the chunk's string table: link, hash, length, UTF-16.
  Chunk.prototype.name = function (o) {
    var n = this.names.get(o);
    if (n === undefined) { n = this.utf16(o + 8, this.u16(o + 6)); this.names.set(o, n); }
    return n;
  };
  // A name reference at `o`; the name is inline when it follows at once.
  // Returns [name, the offset after the reference].
  Chunk.prototype.nameRef = function (o) {
    var at = this.u32(o), next = o + 4;
    if (at === next) next += 10 + 2 * this.u16(at + 6);
    return [this.name(at), next];
  };

  // ---- Values, formatted as the evtx crate formats them -------------------------------
  function datetime(year, month, day, h, m, s, ticks) {
    return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(h, 2) + ":" + pad(m, 2) + ":" +
      pad(s, 2) + "." + pad(ticks, 7) + "Z";
  }
  function filetime(v) {
    var ticks = v.getBigUint64(0, true);
    var ms = Number(ticks / 10000n) - 11644473600000;
    var d = new Date(ms);
    return datetime(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(),
      d.getUTCSeconds(), Number(ticks % 10000000n));
  }
  function guid(bytes) {
    var order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15], s = "{";
    order.forEach(function (idx, i) { if (i === 4 || i === 6 || i === 8 || i === 10) s += "-"; s += hex(bytes[idx], 2); });
    return s + "}";
  }
  function sid(bytes, v) {
    if (bytes.length < 8) return "S-?";
    var authority = 0;
    for (var i = 2; i < 8; i++) authority = authority * 256 + bytes[i];
    var s = "S-" + bytes[0] + "-" + authority;
    for (var k = 0; k < bytes[1] && 8 + 4 * k + 4 <= bytes.length; k++) s += "-" + v.getUint32(8 + 4 * k, true);
    return s;
  }
  var SIZES = { 3: 1, 4: 1, 5: 2, 6: 2, 7: 4, 8: 4, 9: 8, 10: 8, 11: 4, 12: 8, 13: 4, 15: 16, 17: 8, 18: 16, 20: 4, 21: 8 };
  // One value of type `type` held in bytes [o, o + size) of the chunk.
  function value(chunk, type, o, size) {
    chunk.check(o, size);
    var bytes = chunk.b.subarray(chunk.start + o, chunk.start + o + size);
    var v = new DataView(bytes.buffer, bytes.byteOffset, size);
    if (type & 0x80) return items(chunk, type, o, size).join(",");
    switch (type) {
      case 0x00: return "";
      case 0x01: return chunk.utf16(o, size >> 1);
      case 0x02: var a = ""; for (var j = 0; j < size; j++) a += String.fromCharCode(bytes[j]); return a.replace(/\u0000+$/, "");
      case 0x03: return String(v.getInt8(0));
      case 0x04: return String(v.getUint8(0));
      case 0x05: return String(v.getInt16(0, true));
      case 0x06: return String(v.getUint16(0, true));
      case 0x07: return String(v.getInt32(0, true));
      case 0x08: return String(v.getUint32(0, true));
      case 0x09: return String(v.getBigInt64(0, true));
      case 0x0a: return String(v.getBigUint64(0, true));
      case 0x0b: return String(v.getFloat32(0, true));
      case 0x0c: return String(v.getFloat64(0, true));
      case 0x0d: var b = v.getInt32(0, true); return b === 0 ? "false" : b === 1 ? "true" : String(b);
      case 0x0e: var h = ""; for (var k = 0; k < size; k++) h += hex(bytes[k], 2).toUpperCase(); return h;
      case 0x0f: return guid(bytes);
      case 0x10: return "0x" + (size === 4 ? v.getUint32(0, true).toString(16) : v.getBigUint64(0, true).toString(16));
      case 0x11: return filetime(v);
      case 0x12:
        return datetime(v.getUint16(0, true), v.getUint16(2, true), v.getUint16(6, true), v.getUint16(8, true),
          v.getUint16(10, true), v.getUint16(12, true), v.getUint16(14, true) * 10000);
      case 0x13: return sid(bytes, v);
      case 0x14: return "0x" + v.getUint32(0, true).toString(16);
      case 0x15: return "0x" + v.getBigUint64(0, true).toString(16);
      default: throw new Error("unknown value type 0x" + hex(type, 2));
    }
  }
  // The items of an array value, each formatted.
  function items(chunk, type, o, size) {
    var base = type & 0x7f, out = [];
    if (base === 1) return rawStrings(chunk, o, size);
    if (base === 2) return value(chunk, 2, o, size).split("\u0000");
    var w = SIZES[base];
    if (!w) throw new Error("unknown array value type 0x" + hex(type, 2));
    for (var i = 0; i + w <= size; i += w) out.push(value(chunk, base, o + i, w));
    return out;
  }
  // A string array: UTF-16 strings each ending with a NUL.
  function rawStrings(chunk, o, size) {
    var out = [], cur = "";
    for (var i = 0; i + 2 <= size; i += 2) {
      var c = chunk.u16(o + i);
      if (c === 0) { out.push(cur); cur = ""; } else cur += String.fromCharCode(c);
    }
    if (cur) out.push(cur);
    return out;
  }

  // ---- Binary XML → event XML ------------------------------------------------------------
  // Renders the token stream in [o, end) into `out` (an array of strings).
  // `values` are the substitutions of the template being filled (null
  // outside one); element starts carry a dependency ID inside a template.
  function render(chunk, o, end, values, out, depth) {
    if (depth > 8) throw new Error("binary XML nested too deep");
    // Open elements: each one's start tag, to repeat it for an array.
    var stack = [];
    while (o < end) {
      var tok = chunk.u8(o), t = tok & 0x0f, more = tok & 0x40;
      if (t === 0x00) return o + 1;
      if (t === 0x0f) { o += 4; continue; }
      if (t === 0x0c) { o = instance(chunk, o, out, depth); continue; }
      if (t === 0x01) {
        o += 1 + (values ? 2 : 0) + 4;
        var n = chunk.nameRef(o);
        o = n[1] + (more ? 4 : 0);
        stack.push({ name: n[0], tag: "<" + n[0] });
        continue;
      }
      var top = stack[stack.length - 1];
      if ((t === 0x02 || t === 0x03 || t === 0x04) && !top) throw new Error("an element end without its start");
      if (t === 0x02) { out.push(top.tag + ">"); o += 1; continue; }
      if (t === 0x03) { out.push(top.tag + "/>"); stack.pop(); o += 1; continue; }
      if (t === 0x04) { out.push("</" + stack.pop().name + ">"); o += 1; continue; }
      if (t === 0x06) {
        var a = chunk.nameRef(o + 1), text = [];
        o = one(chunk, a[1], values, text, depth, null);
        if (text.length && top) top.tag += " " + a[0] + "=\"" + text.join("") + "\"";
        continue;
      }
      o = one(chunk, o, values, out, depth, top || {});
    }
    return o;
  }
  // One content token at `o` (text, substitution, CDATA, reference); the
  // offset after it. An optional substitution without a value writes
  // nothing (an attribute given none is left out). `el` is the open
  // element whose content this is, or null in an attribute's value; in
  // an element, an array value repeats it once per item, as the evtx
  // crate expands arrays.
  function one(chunk, o, values, out, depth, el) {
    var attr = el === null;
    var tok = chunk.u8(o), t = tok & 0x0f;
    if (t === 0x05) {
      var type = chunk.u8(o + 1);
      if (type !== 0x01) throw new Error("text of value type 0x" + hex(type, 2));
      var units = chunk.u16(o + 2);
      out.push(escapeXml(chunk.utf16(o + 4, units), attr));
      return o + 4 + 2 * units;
    }
    if (t === 0x0d || t === 0x0e) {
      var id = chunk.u16(o + 1), v = values && values[id];
      if (v && v.size > 0 && v.type !== 0x00) {
        if (v.type === 0x21) render(chunk, v.at, v.at + v.size, null, out, depth + 1);
        else if (el && el.name && v.type & 0x80) {
          out.push(items(chunk, v.type, v.at, v.size).map(function (item) { return escapeXml(item, false); })
            .join("</" + el.name + ">" + el.tag + ">"));
        } else out.push(escapeXml(value(chunk, v.type, v.at, v.size), attr));
      }
      return o + 4;
    }
    if (t === 0x07) {
      var len = chunk.u16(o + 1);
      out.push("<![CDATA[" + chunk.utf16(o + 3, len) + "]]>");
      return o + 3 + 2 * len;
    }
    if (t === 0x08) { out.push("&#" + chunk.u16(o + 1) + ";"); return o + 3; }
    if (t === 0x09) { var e = chunk.nameRef(o + 1); out.push("&" + e[0] + ";"); return e[1]; }
    if (t === 0x0a) return chunk.nameRef(o + 1)[1];
    if (t === 0x0b) return o + 3 + 2 * chunk.u16(o + 1);
    throw new Error("unknown binary XML token 0x" + hex(tok, 2) + " at chunk offset 0x" + hex(o));
  }
  // A template instance at `o`: its definition (inline the first time a
  // chunk uses it), then its substitution values; renders it filled.
  function instance(chunk, o, out, depth) {
    var def = chunk.u32(o + 6), at = o + 10, body, size;
    if (def === at) {
      size = chunk.u32(at + 20);
      body = at + 24;
      at = body + size;
    } else {
      size = chunk.u32(def + 20);
      body = def + 24;
    }
    var count = chunk.u32(at);
    if (count > 4096) throw new Error("a template instance with " + count + " values");
    var values = [], pos = at + 4 + 4 * count;
    for (var i = 0; i < count; i++) {
      var vsize = chunk.u16(at + 4 + 4 * i), vtype = chunk.u8(at + 6 + 4 * i);
      values.push({ type: vtype, at: pos, size: vsize });
      pos += vsize;
    }
    render(chunk, body, body + size, values, out, depth + 1);
    return pos;
  }

  // ---- The file ----------------------------------------------------------------------
  function EvtxReader(bytes, emit, skip) {
    this.bytes = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    this.emit = emit; this.skip = skip;
    this.pos = 0; this.total = this.bytes.length;
    this.chunkNo = -1; this.chunk = null; this.at = 0; this.end = 0;
  }
  // Moves to the next chunk that holds records; false at the end of the file.
  EvtxReader.prototype.nextChunk = function () {
    for (;;) {
      this.chunkNo++;
      var start = HEADER + this.chunkNo * CHUNK;
      this.pos = Math.min(start, this.total);
      if (start + CHUNK > this.total) return false;
      var b = this.bytes, empty = true;
      // Unused chunks of a preallocated file are all zeros.
      for (var i = start; i < start + CHUNK && empty; i++) if (b[i]) empty = false;
      if (empty) continue;
      var magic = String.fromCharCode.apply(null, b.subarray(start, start + 8));
      if (magic !== "ElfChnk\u0000") {
        this.skip("chunk " + this.chunkNo + " at offset 0x" + hex(start),
          "not a chunk (its header does not start with ElfChnk); the records of this chunk are skipped, the other chunks are read");
        continue;
      }
      this.chunk = new Chunk(b, start);
      // Records run to the free space, or past it to the last record the
      // header names (a file not closed cleanly).
      var free = this.chunk.u32(48), last = this.chunk.u32(44);
      this.at = 512;
      this.end = Math.min(CHUNK, Math.max(free > 512 ? free : 512, last + 24));
      return true;
    }
  };
  // The next record's offset in the chunk at or after `o`, or -1. Where
  // the last record ended, a record header is taken as it is (a record
  // cut short by a crash still has its header); past damage, a record
  // must also end with the copy of its size, so data is not taken for one.
  EvtxReader.prototype.findRecord = function (o) {
    var c = this.chunk, from = o;
    for (; o + 24 <= this.end; o++) {
      if (c.u32(o) !== 0x00002a2a) continue;
      var size = c.u32(o + 4);
      if (size >= 28 && o + size <= CHUNK && (o === from || c.u32(o + size - 4) === size)) return o;
    }
    return -1;
  };
  EvtxReader.prototype.step = function (n) {
    for (var k = 0; k < n; k++) {
      if (!this.chunk && !this.nextChunk()) { this.pos = this.total; return false; }
      var o = this.findRecord(this.at);
      if (o > this.at) {
        this.skip("chunk " + this.chunkNo + ", record at offset 0x" + hex(this.chunk.start + this.at),
          "no record header where one should start; the bytes up to the next record are skipped");
      }
      if (o < 0) { this.chunk = null; continue; }
      var c = this.chunk, size = c.u32(o + 4);
      this.at = o + size;
      this.pos = c.start + this.at;
      var id = Number(new DataView(c.b.buffer, c.b.byteOffset + c.start + o + 8, 8).getBigUint64(0, true));
      var out = [];
      try {
        render(c, o + 24, o + size - 4, null, out, 0);
      } catch (e) {
        this.skip("chunk " + this.chunkNo + ", record at offset 0x" + hex(c.start + o),
          String(e && e.message || e) + "; this record is skipped, the rest of its chunk is read");
        continue;
      }
      var rec = F.eventXml(out.join(""), id);
      if (rec) this.emit(rec);
      else this.skip("record " + id, "rendered to XML without an <Event> element; skipped");
    }
    return true;
  };

  F.readers.evtx = EvtxReader;
})(typeof window !== "undefined" ? window : globalThis);
