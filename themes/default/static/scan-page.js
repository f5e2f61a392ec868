// The search page's log scan: choose or drop log files (text, Event XML,
// CSV, JSON exports) and see which known problems are in them — the report
// `kbgen scan` prints, made in the browser, offline under file://. Loads
// the analyser and the index loader of the search engine, then the scan's
// signatures (search/idx/scan.js) and its scripts, on the first file only.
// Everything shown comes from the log or the index: put in the page with
// textContent, never as HTML.
(function () {
  "use strict";
  var page = document.querySelector(".search-page");
  if (!page) return;
  var root = document.body.getAttribute("data-root") || "";
  var SCRIPTS = ["kbgen-analyze.js", "kbgen-search.js", "kbgen-scan-formats.js", "kbgen-scan-readers.js",
    "kbgen-scan-events.js", "kbgen-scan-evtx.js", "kbgen-scan.js", "kbgen-scan-report.js", "kbgen-scan-bundle.js"];
  var GLOBALS = ["kbgenAnalyze", "kbgenEngine", "kbgenScanFormats", "kbgenScanReaders", null, null, "kbgenScan", null,
    "kbgenScanBundle"];
  var ready = null;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  // search.js, on every page and run before this one, loads assets.
  function loadScript(src) {
    return window.kbgen.loadScript(src);
  }

  // The scripts in order (each needs the ones before), then the signatures.
  function load() {
    if (!ready) {
      ready = SCRIPTS.reduce(function (p, src, i) {
        return p.then(function () {
          var have = GLOBALS[i] && window[GLOBALS[i]];
          if (src === "kbgen-scan-report.js" && window.kbgenScan && window.kbgenScan.scanText) have = true;
          if (src === "kbgen-scan-events.js" && window.kbgenScanFormats && window.kbgenScanFormats.readers.xml) have = true;
          if (src === "kbgen-scan-evtx.js" && window.kbgenScanFormats && window.kbgenScanFormats.readers.evtx) have = true;
          return have ? null : loadScript(src);
        });
      }, Promise.resolve()).then(function () {
        var E = window.kbgenEngine;
        return Promise.all([E.load("manifest", root), E.load("scan", root)]);
      }).then(function (got) {
        return window.kbgenScan.prepare(got[1], got[0]);
      });
      ready.catch(function () { ready = null; });
    }
    return ready;
  }

  // ---- The form ------------------------------------------------------------------
  var box = el("section", "log-scan");
  box.id = "log-scan";
  box.appendChild(el("h2", null, "Scan a log"));
  var zone = el("label", "scan-drop");
  zone.appendChild(el("span", null, "Drop log files here, or choose them: "));
  var input = el("input");
  input.type = "file";
  input.multiple = true;
  input.id = "scan-file";
  zone.appendChild(input);
  box.appendChild(zone);
  box.appendChild(el("p", "hint", "Windows event logs (.evtx), text logs (CBS.log, syslog, journalctl, CMTrace, IIS, ULS), " +
    "and Event Viewer exports as XML, CSV, text or JSON, gzip-compressed or not, or a zip or tar support bundle of them. " +
    "Several files make one report. The logs stay on this computer."));
  // Only the records of an incident: the command's --since, --until and
  // --min-level. Text fields, not date pickers: a syslog time has no year
  // (`Mar  3 04:12`), and the fields read what the command reads.
  var windowBox = el("fieldset", "scan-window");
  windowBox.appendChild(el("legend", null, "Only records"));
  function field(id, label, control) {
    var l = el("label", null, label + " ");
    control.id = id;
    l.appendChild(control);
    windowBox.appendChild(l);
    return control;
  }
  function timeField(id, label) {
    var i = el("input");
    i.type = "text";
    i.placeholder = "2024-02-19 11:00";
    i.setAttribute("autocomplete", "off");
    i.setAttribute("spellcheck", "false");
    return field(id, label, i);
  }
  var since = timeField("scan-since", "from");
  var until = timeField("scan-until", "until");
  var level = field("scan-level", "at least", el("select"));
  ["any level", "Critical", "Error", "Warning", "Information", "Verbose"].forEach(function (name, n) {
    var o = el("option", null, name);
    o.value = n ? String(n) : "";
    level.appendChild(o);
  });
  box.appendChild(windowBox);
  box.appendChild(el("p", "hint", "A date alone is the whole day: from 2024-02-19 until 2024-02-19 keeps that day. " +
    "Records without a time or a level are kept."));
  var status = el("p", "scan-status");
  status.setAttribute("role", "status");
  var bar = el("progress", "scan-progress");
  bar.max = 1;
  bar.hidden = true;
  var out = el("div", "scan-report");
  out.id = "scan-report";
  out.setAttribute("aria-live", "polite");
  box.appendChild(bar);
  box.appendChild(status);
  box.appendChild(out);
  page.appendChild(box);

  // ---- Gzip ----------------------------------------------------------------------
  // A gzip file (a rotated log: syslog.2.gz) is read as its text, which the
  // browser decompresses (DecompressionStream, no fetch: it works from
  // file://). A stream that breaks off gives the text before the break,
  // noted in the report as the command line notes it.
  var MOST_TEXT = 512 << 20;
  function isGzip(b) { return b.length >= 3 && b[0] === 0x1f && b[1] === 0x8b && b[2] === 8; }
  var CRC_TABLE = null;
  function crc32(parts) {
    if (!CRC_TABLE) {
      CRC_TABLE = new Int32Array(256);
      for (var n = 0; n < 256; n++) {
        var c = n;
        for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
        CRC_TABLE[n] = c;
      }
    }
    var crc = -1;
    parts.forEach(function (p) {
      for (var i = 0; i < p.length; i++) crc = CRC_TABLE[(crc ^ p[i]) & 0xff] ^ (crc >>> 8);
    });
    return (crc ^ -1) >>> 0;
  }
  function u32(b, at) { return (b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24) >>> 0; }
  // Where the member whose text is `parts` (`size` bytes) ends in `bytes`,
  // past `from`, when another member starts there: the browser decodes one
  // member and calls what follows junk, where `zcat` reads every member
  // (`cat a.gz b.gz`). A member ends with its text's CRC-32 and size, so
  // the end is the next gzip header whose eight bytes before it hold
  // those two; -1 when none does.
  function nextMember(bytes, from, parts, size) {
    var crc = null;
    for (var b = from + 18; b + 3 <= bytes.length; b++) {
      if (bytes[b] !== 0x1f || !isGzip(bytes.subarray(b, b + 3)) || u32(bytes, b - 4) !== size >>> 0) continue;
      if (crc === null) crc = crc32(parts);
      if (u32(bytes, b - 8) === crc) return b;
    }
    return -1;
  }
  function gunzip(bytes) {
    if (typeof DecompressionStream === "undefined") {
      return Promise.reject(new Error("this browser cannot decompress gzip files: decompress it first (gzip -d), or scan it with `kbgen scan FILE`"));
    }
    var parts = [], size = 0;
    function joined() {
      var out = new Uint8Array(size), at = 0;
      parts.forEach(function (p) { out.set(p, at); at += p.length; });
      return out;
    }
    function member(from) {
      var reader = new Blob([bytes.subarray(from)]).stream().pipeThrough(new DecompressionStream("gzip")).getReader();
      var mine = [], mySize = 0;
      function next() {
        return reader.read().then(function (r) {
          if (r.done) return { bytes: joined(), broke: null };
          size += r.value.length;
          mySize += r.value.length;
          if (size > MOST_TEXT) {
            reader.cancel();
            throw new Error("its decompressed text is over " + (MOST_TEXT >> 20) + " MB; scan it with `kbgen scan FILE`");
          }
          parts.push(r.value);
          mine.push(r.value);
          return next();
        }, function (err) {
          var at = mySize ? nextMember(bytes, from, mine, mySize) : -1;
          if (at > 0) return member(at);
          var why = String(err && err.message || err);
          if (!size) throw new Error("it starts as a gzip file but cannot be decompressed (" + why + ")");
          return { bytes: joined(), broke: { after: size, error: why } };
        });
      }
      return next();
    }
    return member(0);
  }
  // The report's words for a break, as `kbgen scan` words them.
  function brokeOff(file, b) {
    return {
      file: file,
      at: "byte " + b.after + " of its text",
      reason: "the gzip stream breaks off here (" + b.error + "): the records before were scanned, " +
        "the rest cannot be read; copy the file again, or check it with `gzip -t`",
    };
  }

  var running = 0;
  var lastFiles = null;
  // Scans the files chosen or dropped into one report, as `kbgen scan A B`
  // does. One file that cannot be scanned is an error; among several it is
  // listed as skipped, with why, and the others are scanned, as the
  // command lists it.
  function scanFiles(files) {
    var mine = ++running;
    lastFiles = files;
    out.textContent = "";
    bar.hidden = false;
    bar.value = 0;
    var label = files.length === 1 ? files[0].name : files.length + " files";
    status.textContent = "Reading " + label + "…";
    box.setAttribute("aria-busy", "true");
    load().then(function (sigs) {
      var read = window.kbgenScan.readFilter(since.value, until.value, Number(level.value) || null);
      if (read.error) throw new Error(read.error);
      var tally = new window.kbgenScan.Tally(sigs, files[0].name, "text");
      tally.filter = read.filter;
      return files.reduce(function (done, file, i) {
        return done.then(function () {
          var one = scanFile(file, sigs, tally, mine, [i, files.length]);
          return files.length === 1 ? one : one.catch(function (err) {
            if (mine !== running) throw err;
            var why = String(err && err.message || err);
            if (why.indexOf(file.name + ": ") === 0) why = why.slice(file.name.length + 2);
            tally.skipped.push({ file: file.name, at: "", reason: why });
          });
        });
      }, Promise.resolve()).then(function () { return tally.finish(10); });
    }).then(function (report) {
      if (mine !== running) return;
      show(label, report, files.length > 1);
    }, function (err) {
      if (mine !== running) return;
      status.textContent = "";
      out.appendChild(el("p", "scan-error", String(err && err.message || err)));
    }).then(function () {
      if (mine !== running) return;
      bar.hidden = true;
      box.removeAttribute("aria-busy");
    });
  }

  // Scans one file chosen or dropped into `tally`: a log, a gzipped log,
  // or a bundle; it is file `outer[0]` of `outer[1]` on the bar.
  function scanFile(file, sigs, tally, mine, outer) {
    var gz = false, broke = null;
    return file.arrayBuffer().then(function (buffer) {
      var bytes = new Uint8Array(buffer);
      if (!isGzip(bytes)) return bytes;
      gz = true;
      status.textContent = "Decompressing " + file.name + "…";
      return gunzip(bytes).then(function (g) {
        broke = g.broke;
        return g.bytes;
      }, function (err) {
        throw new Error(file.name + ": " + err.message);
      });
    }).then(function (bytes) {
      var B = window.kbgenScanBundle;
      // As the command reads them: a zip file, a tar file, a gzipped tar file.
      var bundle = B.kind(bytes);
      if (bundle === "zip" && gz) bundle = null;
      if (bundle) return scanBundle(bytes, bundle, file.name, sigs, mine, tally, outer);
      var packed = !gz && B.notUnpacked(bytes);
      if (packed) {
        throw new Error(file.name + " is " + packed.what + ", which this page does not unpack; unpack it with " +
          packed.tool + " and drop the logs in it");
      }
      return scanLog(bytes, file.name, sigs, tally, progressOf(file.name, mine, 0, 1, outer));
    }).then(function () {
      if (broke) tally.skipped.push(brokeOff(file.name, broke));
    });
  }

  // How far the scan of log `n` of `total` (of a bundle) got, on the bar,
  // in file `outer[0]` of `outer[1]` chosen or dropped.
  function progressOf(name, mine, n, total, outer) {
    return function (done, size) {
      if (mine !== running) throw new Error("superseded");
      bar.value = (outer[0] + (n + (size ? done / size : 1)) / total) / outer[1];
      status.textContent = "Scanning " + name + ": " + Math.round(100 * bar.value) + "%";
    };
  }

  // Scans a log's bytes (an .evtx file as bytes, any other as text) into `tally`.
  function scanLog(bytes, name, sigs, tally, progress) {
    var evtx = String.fromCharCode.apply(null, bytes.subarray(0, 8)) === "ElfFile\u0000";
    var text = evtx ? "ElfFile\u0000" : window.kbgenScan.decode(bytes);
    return window.kbgenScan.scanText(text, name, sigs, { bytes: evtx ? bytes : null, tally: tally, progress: progress });
  }

  // ---- Support bundles (src/scan/bundle.rs) ------------------------------------------
  // Each file of a zip or tar file is scanned as a log named `bundle:path`,
  // into `tally`; a file that is no log or cannot be read is listed in
  // `skipped` with what to do, and the others are still scanned.
  function scanBundle(bytes, kind, name, sigs, mine, tally, outer) {
    var B = window.kbgenScanBundle;
    var last = "";
    function skip(path, reason) {
      tally.skipped.push({ file: path ? name + ":" + shown(path) : name, at: "", reason: reason });
    }
    function unread(path, err) {
      skip(path, "it cannot be read (" + (err && err.message || err) + "); unpack the bundle and scan this file");
    }
    function each(f, n, total) {
      if (mine !== running) throw new Error("superseded");
      if (f.broke) {
        skip("", "the tar stream breaks off after " + (last || "its start") + " (" + f.broke + "): " +
          "the files before were scanned; copy the bundle again, or check it with `tar -tf`");
        return null;
      }
      if (f.skip) return skip(f.path || "", f.skip);
      last = f.path;
      var member = name + ":" + shown(f.path);
      var gz = null;
      var text = isGzip(f.bytes) ? gunzip(f.bytes).then(function (g) { gz = g.broke; return g.bytes; }) : Promise.resolve(f.bytes);
      return text.then(function (b) {
        if (B.kind(b) || isGzip(b) || B.notUnpacked(b)) {
          return skip(f.path, "an archive inside the bundle is not opened; unpack it and scan its files");
        }
        if (B.isBinary(b)) return skip(f.path, "a binary file, not a log");
        return scanLog(b, member, sigs, tally, progressOf(member, mine, n - 1, total, outer)).then(function () {
          if (f.cut) unread(f.path, new Error("the tar file is cut short in it"));
        }, function (err) {
          if (err && err.message === "superseded") throw err;
          unread(f.path, err);
        });
      }, function (err) { unread(f.path, err); }).then(function () {
        if (gz) tally.skipped.push(brokeOff(member, gz));
      });
    }
    var walk = Promise.resolve().then(function () {
      return kind === "zip" ? B.eachZipFile(bytes, MOST_TEXT, each) : B.eachTarFile(bytes, each);
    });
    return walk.then(null, function (err) {
      throw new Error(name + ": " + (err && err.message || err));
    });
  }

  // A path from an archive as the report shows it: control characters as `?`.
  function shown(path) { return path.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?"); }

  input.addEventListener("change", function () {
    if (input.files && input.files.length) scanFiles(Array.prototype.slice.call(input.files));
  });
  // A changed window scans the last files again (the browser keeps them).
  [since, until, level].forEach(function (f) {
    f.addEventListener("change", function () { if (lastFiles) scanFiles(lastFiles); });
  });
  // A file dropped anywhere on the page is scanned (not opened by the browser).
  document.addEventListener("dragover", function (e) {
    if (e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types || [], "Files") >= 0) {
      e.preventDefault();
      zone.classList.add("over");
    }
  });
  document.addEventListener("dragleave", function () { zone.classList.remove("over"); });
  document.addEventListener("drop", function (e) {
    var files = e.dataTransfer && e.dataTransfer.files;
    if (!files || !files.length) return;
    e.preventDefault();
    zone.classList.remove("over");
    scanFiles(Array.prototype.slice.call(files));
  });

  // ---- A log pasted into the search box --------------------------------------------
  // The box is one line: a log of many lines pasted into it arrives joined
  // and is searched as one query, which finds little. The page offers to
  // scan what was pasted as a log file instead. An offer, not a scan: an
  // Event Viewer block of one event is a few lines too, and its search
  // finds its article.
  var PASTED_LINES = 3;
  var q = document.getElementById("q");
  var offer = el("p", "scan-offer");
  offer.hidden = true;
  var offerText = el("span");
  var scanPasted = el("button", null, "Scan them as a log");
  scanPasted.type = "button";
  offer.appendChild(offerText);
  offer.appendChild(scanPasted);
  offer.appendChild(el("span", null, " for the known problems in each."));
  var results = document.getElementById("results");
  if (results && results.parentNode === page) page.insertBefore(offer, results);
  else page.insertBefore(offer, box);
  var pasted = "";
  // Counted in one pass, without a string per line: a paste can be a
  // whole log of many megabytes.
  function nonBlankLines(text) {
    var lines = 0, blank = true;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c === 10 || c === 13) {
        if (!blank) lines++;
        blank = true;
      } else if (c > 32) {
        blank = false;
      }
    }
    return blank ? lines : lines + 1;
  }
  if (q) {
    q.addEventListener("paste", function (e) {
      var text = e.clipboardData ? e.clipboardData.getData("text/plain") : "";
      var lines = nonBlankLines(text);
      offer.hidden = lines < PASTED_LINES;
      if (offer.hidden) return;
      pasted = text;
      offerText.textContent = "You pasted " + lines + " lines, searched below as one. ";
    });
    // Typed over, the paste is gone: so is the offer.
    q.addEventListener("input", function (e) {
      if (e.inputType !== "insertFromPaste") offer.hidden = true;
    });
  }
  scanPasted.addEventListener("click", function () {
    offer.hidden = true;
    scanFiles([new File([pasted], "pasted.log", { type: "text/plain" })]);
    box.scrollIntoView({ block: "start" });
  });

  // ---- The report (as `kbgen scan` prints it) ---------------------------------------
  function when(a) {
    if (!a.first) return "";
    return a.first === a.last ? ", at " + a.first : ", " + a.first + " … " + a.last;
  }
  // "1 record", "2 records", as the command prints counts.
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  function shellWord(s) { return "'" + s.replace(/'/g, "'\\''") + "'"; }

  // The report's articles (each with its `rank`, from 1) as runs of
  // articles with the same evidence: what matched, in how many records,
  // when (src/cmd/scan.rs `same_evidence_runs`). A common code cited by a
  // hundred articles gives one entry that names the others, not a hundred.
  function sameEvidenceRuns(articles) {
    var runs = [];
    var key = function (a) { return JSON.stringify([a.matched, a.count, a.first, a.last]); };
    articles.forEach(function (a, i) {
      var ranked = Object.assign({ rank: i + 1 }, a);
      var last = runs[runs.length - 1];
      if (last && key(last[0]) === key(a)) last.push(ranked);
      else runs.push([ranked]);
    });
    return runs;
  }
  function sameAsAbove(rest) {
    var more = el("details", "scan-same");
    more.appendChild(el("summary", "meta", "and " + rest.length + " more article" + (rest.length === 1 ? "" : "s") +
      " with the same matches"));
    var ul = el("ul");
    rest.forEach(function (a) {
      var link = el("a", "scan-title", a.title);
      link.href = root + a.url;
      var li = el("li");
      li.appendChild(link);
      ul.appendChild(li);
    });
    more.appendChild(ul);
    return more;
  }

  // A link that saves the report as `kbgen scan --json` prints it, to
  // attach to a ticket or read with a script: made in the page, so it
  // works offline; the last report's file is let go when a new one is made.
  var saved = null;
  function download(name, r, several) {
    var json = {
      records: r.records,
      articles: r.articles,
      unmatched: r.unmatched.map(function (u) { return { key: u.key, count: u.count, example: u.example }; }),
      skipped: r.skipped,
    };
    if (saved) URL.revokeObjectURL(saved);
    saved = URL.createObjectURL(new Blob([JSON.stringify(json, null, 2) + "\n"], { type: "application/json" }));
    var link = el("a", "scan-download", "Save this report as JSON");
    link.href = saved;
    link.download = (several ? "logs" : name.replace(/[^\w.-]+/g, "_")) + ".scan.json";
    var p = el("p", "meta");
    p.appendChild(link);
    p.appendChild(el("span", null, " (as kbgen scan --json prints it)"));
    return p;
  }

  function show(name, r, several) {
    var matched = r.records - r.unmatchedRecords;
    status.textContent = name + ": " + plural(r.records, "record") + ", " + matched + " with a known problem, " +
      plural(r.articles.length, "article") + (r.filtered ? " (" + r.filtered + " more left out by the time window and level)" : "");
    var list = el("ol", "scan-articles");
    sameEvidenceRuns(r.articles).forEach(function (run) {
      var a = run[0];
      var li = el("li", "scan-article");
      li.value = a.rank;
      var link = el("a", "scan-title", a.title);
      link.href = root + a.url;
      li.appendChild(link);
      li.appendChild(el("p", "meta scan-count", plural(a.count, "record") + when(a)));
      var badges = el("div", "result-badges");
      a.matched.forEach(function (m) {
        var b = el("span", "badge " + m.kind, m.kind + ": " + m.key);
        b.title = m.detail;
        badges.appendChild(b);
        badges.appendChild(el("span", "meta", " " + m.detail + " "));
      });
      li.appendChild(badges);
      li.appendChild(el("code", "scan-example", a.example));
      if (run.length > 1) li.appendChild(sameAsAbove(run.slice(1)));
      list.appendChild(li);
    });
    out.appendChild(list);
    if (r.unmatched.length) {
      var lower = r.unmatchedPruned ? "at least " : "";
      out.appendChild(el("h3", null, plural(r.unmatchedRecords, "record") + " matched no article; the most frequent (" +
        lower + "count, key):"));
      var ul = el("ul", "scan-unmatched");
      r.unmatched.forEach(function (u) {
        var li = el("li");
        li.appendChild(el("span", "scan-key", u.count + "  " + u.key));
        li.appendChild(el("code", "scan-example", u.example));
        li.appendChild(el("code", "scan-new", "kbgen new article " + shellWord(u.title)));
        ul.appendChild(li);
      });
      out.appendChild(ul);
    }
    r.skipped.forEach(function (s) {
      out.appendChild(el("p", "scan-error", "warning: " + s.file + (s.at ? " " + s.at : "") + ": " + s.reason));
    });
    out.appendChild(download(name, r, several));
    // For tests and scripts: the report as data.
    window.kbgenScanReport = r;
  }
})();
