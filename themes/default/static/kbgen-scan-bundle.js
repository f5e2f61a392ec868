// Support bundles on the search page, as src/scan/bundle.rs reads them: a
// zip file or a tar file (the page decompresses a gzipped one first) is
// read file by file, and each file is scanned as a log of its own named
// `bundle:path`. Plain JavaScript over the file's bytes, offline under
// file://: the zip index (its central directory, at the end), deflate by
// the browser (DecompressionStream "deflate-raw"), the tar headers (512
// bytes each, with GNU long names and pax paths).
(function (root) {
  "use strict";
  function u16(b, at) { return b[at] | b[at + 1] << 8; }
  function u32(b, at) { return (b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24) >>> 0; }
  function u64(b, at) { return u32(b, at) + u32(b, at + 4) * 4294967296; }
  function ascii(b, at, n) { return String.fromCharCode.apply(null, b.subarray(at, at + n)); }
  function starts(b, magic) {
    if (b.length < magic.length) return false;
    for (var i = 0; i < magic.length; i++) if (b[i] !== magic[i]) return false;
    return true;
  }
  var utf8 = new TextDecoder("utf-8");

  // A tar header's checksum (octal, at 148): the sum of its bytes, the
  // field itself counted as spaces.
  function tarChecksumHolds(h) {
    var field = ascii(h, 148, 8).replace(/^ +/, "");
    var digits = /^[0-7]+/.exec(field);
    if (!digits) return false;
    var sum = 0;
    for (var i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
    return sum === parseInt(digits[0], 8);
  }

  // "zip", "tar" or null, by the first bytes (bundle.rs `bundle_of`).
  function kind(b) {
    if (starts(b, [0x50, 0x4b, 3, 4]) || starts(b, [0x50, 0x4b, 5, 6])) return "zip";
    if (b.length >= 512 && ascii(b, 257, 5) === "ustar" && tarChecksumHolds(b.subarray(0, 512))) return "tar";
    return null;
  }

  // Archives and compressed files not unpacked, with the tool that does.
  var NOT_UNPACKED = [
    [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0], "an xz-compressed file", "`xz -d`"],
    [[0x42, 0x5a, 0x68], "a bzip2-compressed file", "`bzip2 -d`"],
    [[0x28, 0xb5, 0x2f, 0xfd], "a zstd-compressed file", "`zstd -d`"],
    [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], "a 7-Zip archive", "`7z x`"],
    [[0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], "a RAR archive", "`unrar x`"],
    [[0x4d, 0x53, 0x43, 0x46, 0, 0, 0, 0], "a cabinet (.cab) file", "`expand -F:* FILE DIR` on Windows, `cabextract` elsewhere"],
  ];
  function notUnpacked(b) {
    for (var i = 0; i < NOT_UNPACKED.length; i++) {
      if (starts(b, NOT_UNPACKED[i][0])) return { what: NOT_UNPACKED[i][1], tool: NOT_UNPACKED[i][2] };
    }
    return null;
  }

  // A NUL byte in the first 8 KB, and no .evtx file or UTF-16 text.
  function isBinary(b) {
    var head = b.subarray(0, 8192);
    if (starts(head, [0x45, 0x6c, 0x66, 0x46, 0x69, 0x6c, 0x65, 0]) || starts(head, [0xff, 0xfe])) return false;
    return head.indexOf(0) >= 0;
  }

  // The most files of a bundle that are scanned (bundle.rs MOST_FILES).
  var MOST_FILES = 100000;
  function tooMany(verb) {
    return "it holds more than " + MOST_FILES + " files, more than kbgen scan opens in a bundle; " + verb + " it and scan the folder";
  }

  // ---- Zip ---------------------------------------------------------------
  var BAD_INDEX = "it starts as a zip file but its index cannot be read; copy it again, or check it with `unzip -t`";

  // The files of a zip file by its index: [{path, method, flags, size, at}],
  // `at` being the local header.
  function zipFiles(b) {
    var end = -1;
    for (var i = b.length - 22; i >= Math.max(0, b.length - 22 - 65535); i--) {
      if (u32(b, i) === 0x06054b50) { end = i; break; }
    }
    if (end < 0) throw new Error(BAD_INDEX);
    var count = u16(b, end + 10), at = u32(b, end + 16);
    if ((count === 0xffff || at === 0xffffffff) && end >= 20 && u32(b, end - 20) === 0x07064b50) {
      var z = u64(b, end - 12);
      if (u32(b, z) !== 0x06064b50) throw new Error(BAD_INDEX);
      count = u64(b, z + 32);
      at = u64(b, z + 48);
    }
    if (count > MOST_FILES) throw new Error(tooMany("unzip"));
    var files = [];
    for (var k = 0; k < count; k++) {
      if (at + 46 > b.length || u32(b, at) !== 0x02014b50) throw new Error(BAD_INDEX);
      var n = u16(b, at + 28), extra = u16(b, at + 30), comment = u16(b, at + 32);
      var f = {
        path: utf8.decode(b.subarray(at + 46, at + 46 + n)),
        flags: u16(b, at + 8), method: u16(b, at + 10),
        size: u32(b, at + 20), at: u32(b, at + 42),
      };
      // Zip64: the sizes and offset too large for 32 bits are in an extra
      // field, in this order, only those that are.
      var wide = [u32(b, at + 24) === 0xffffffff, f.size === 0xffffffff, f.at === 0xffffffff];
      for (var x = at + 46 + n; x + 4 <= at + 46 + n + extra; x += 4 + u16(b, x + 2)) {
        if (u16(b, x) !== 1) continue;
        var v = x + 4;
        if (wide[0]) v += 8;
        if (wide[1]) { f.size = u64(b, v); v += 8; }
        if (wide[2]) f.at = u64(b, v);
      }
      files.push(f);
      at += 46 + n + extra + comment;
    }
    return files;
  }

  // A zip file's compressed bytes, after its local header.
  function zipData(b, f) {
    if (f.at + 30 > b.length || u32(b, f.at) !== 0x04034b50) throw new Error("its local header is missing");
    var start = f.at + 30 + u16(b, f.at + 26) + u16(b, f.at + 28);
    if (start + f.size > b.length) throw new Error("the zip file is cut short");
    return b.subarray(start, start + f.size);
  }

  // Deflated bytes inflated, `most` bytes at most (`null` past it).
  function inflate(bytes, most) {
    if (typeof DecompressionStream === "undefined") {
      return Promise.reject(new Error("this browser cannot decompress zip files: unzip it first, or scan it with `kbgen scan FILE`"));
    }
    var reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
    var parts = [], size = 0;
    function next() {
      return reader.read().then(function (r) {
        if (r.done) return joined(parts, size);
        size += r.value.length;
        if (size > most) { reader.cancel().catch(function () {}); return null; }
        parts.push(r.value);
        return next();
      });
    }
    return next();
  }
  function joined(parts, size) {
    var out = new Uint8Array(size), at = 0;
    parts.forEach(function (p) { out.set(p, at); at += p.length; });
    return out;
  }

  // Each file of a zip file in turn: `each({path, bytes})` or `each({path,
  // skip})`, waited on; `most` bytes of text in all.
  function eachZipFile(b, most, each) {
    var files = zipFiles(b);
    var i = 0, left = most;
    function step() {
      // Folders are skipped in a loop: thousands in a row would overflow
      // the stack as calls.
      while (i < files.length && /\/$/.test(files[i].path)) i++;
      if (i >= files.length) return Promise.resolve();
      var f = files[i++];
      var got;
      if (f.flags & 1) {
        got = Promise.resolve({ path: f.path, skip: "it cannot be unzipped (it is encrypted); unzip the bundle and scan this file" });
      } else if (f.method !== 0 && f.method !== 8) {
        got = Promise.resolve({ path: f.path, skip: "it cannot be unzipped (compression method " + f.method +
          " is not supported); unzip the bundle and scan this file" });
      } else {
        got = Promise.resolve().then(function () {
          var data = zipData(b, f);
          return f.method === 0 ? data : inflate(data, left);
        }).then(function (bytes) {
          if (bytes === null || bytes.length > left) throw new Error(overCap(most));
          left -= bytes.length;
          return { path: f.path, bytes: bytes };
        }, function (err) {
          return { path: f.path, skip: "it cannot be unzipped (" + (err && err.message || err) + "); unzip the bundle and scan this file" };
        });
      }
      return got.then(function (file) { return each(file, i, files.length); }).then(step);
    }
    return step();
  }
  function overCap(most) { return "its files hold over " + (most >> 20) + " MB of text, the most that is read; scan it with `kbgen scan FILE`"; }

  // ---- Tar ---------------------------------------------------------------
  function cString(b, at, n) {
    var s = b.subarray(at, at + n), z = s.indexOf(0);
    return utf8.decode(z < 0 ? s : s.subarray(0, z));
  }
  // A header's size: octal, or base-256 when its first byte has the high bit.
  function tarSize(h) {
    if (h[124] & 0x80) {
      var v = h[124] & 0x7f;
      for (var i = 125; i < 136; i++) v = v * 256 + h[i];
      return v;
    }
    return parseInt(ascii(h, 124, 12).replace(/[^0-7]/g, " ").trim().split(" ")[0] || "0", 8);
  }
  function paxPath(data) {
    var text = utf8.decode(data), at = 0, path = null;
    while (at < text.length) {
      var sp = text.indexOf(" ", at), len = parseInt(text.slice(at, sp), 10);
      if (!(len > 0) || sp < 0) break;
      var rec = text.slice(sp + 1, at + len - 1);
      if (rec.indexOf("path=") === 0) path = rec.slice(5);
      at += len;
    }
    return path;
  }

  // Each file of a tar file in turn, as `eachZipFile`; a file cut short is
  // handed on with the bytes there are and `cut`, and ends the walk.
  function eachTarFile(b, each) {
    var files = [], at = 0, longName = null, pax = null;
    while (at + 512 <= b.length) {
      var h = b.subarray(at, at + 512);
      if (h.every(function (c) { return c === 0; })) break;
      if (!tarChecksumHolds(h)) { files.push({ broke: "a damaged header" }); break; }
      var size = tarSize(h), type = String.fromCharCode(h[156]), start = at + 512;
      var data = b.subarray(start, Math.min(start + size, b.length));
      var cut = start + size > b.length;
      if (type === "L") longName = cString(data, 0, data.length);
      else if (type === "x") pax = paxPath(data);
      else {
        if (type === "0" || type === "\u0000" || type === "7") {
          if (files.length >= MOST_FILES) { files.push({ skip: tooMany("untar") }); break; }
          var prefix = cString(h, 345, 155), name = cString(h, 0, 100);
          var path = longName || pax || (ascii(h, 257, 5) === "ustar" && prefix ? prefix + "/" + name : name);
          files.push({ path: path, bytes: data, cut: cut });
        }
        longName = pax = null;
      }
      if (cut) { files.push({ broke: "a cut-short file" }); break; }
      at = start + Math.ceil(size / 512) * 512;
    }
    var i = 0;
    function step() {
      if (i >= files.length) return Promise.resolve();
      var f = files[i++];
      return Promise.resolve(each(f, i, files.length)).then(step);
    }
    return step();
  }

  root.kbgenScanBundle = {
    kind: kind,
    notUnpacked: notUnpacked,
    isBinary: isBinary,
    eachZipFile: eachZipFile,
    eachTarFile: eachTarFile,
    overCap: overCap,
  };
})(typeof window !== "undefined" ? window : globalThis);
