// kbgen page script, on every page: the search box. `/` focuses it; typing
// shows results as you type (a drop-down in the header, the full list on
// search/index.html), arrow keys and Enter pick one. The engine
// (kbgen-analyze.js, kbgen-search.js) and the index load on first use.
// `window.kbgen.search(query, options)` is the engine's public face.
// Everything shown comes from the index or the query, so it is put in the
// page with textContent and createElement, never as HTML.
(function () {
  "use strict";
  var root = document.body.getAttribute("data-root") || "";
  var engine = null;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = root + "assets/" + src;
      s.onload = function () { resolve(); };
      s.onerror = function () { reject(new Error("cannot load assets/" + src)); };
      document.head.appendChild(s);
    });
  }

  function loadEngine() {
    if (!engine) {
      engine = (window.kbgenAnalyze ? Promise.resolve() : loadScript("kbgen-analyze.js"))
        .then(function () { return window.kbgenEngine ? null : loadScript("kbgen-search.js"); })
        .then(function () { return window.kbgenEngine; });
      engine.catch(function () { engine = null; });
    }
    return engine;
  }

  window.kbgen = {
    // For the page's other scripts (scan-page.js): one loader of assets.
    loadScript: loadScript,
    search: function (query, options) {
      // kbgen-remote.js (search.endpoint in kb.toml) answers instead.
      if (window.kbgenRemote) return window.kbgenRemote(query, options);
      return loadEngine().then(function (e) { return e.search(query, options); });
    },
  };

  // ---- Small DOM helpers ------------------------------------------------------------
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  // Appends `text` to `parent`, wrapping the words whose terms the result
  // matched in <mark>.
  function highlighted(parent, text, terms) {
    var want = Object.create(null);
    (terms || []).forEach(function (t) { want[t] = true; });
    var A = window.kbgenAnalyze;
    var re = /[\p{L}\p{N}_\\$@]+(?:[.\-/:]+[\p{L}\p{N}_\\$@]+)*/gu;
    var last = 0;
    var m;
    while ((m = re.exec(text))) {
      var hit = A && A.analyze(m[0]).terms.some(function (t) { return want[t]; });
      if (!hit) continue;
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      parent.appendChild(el("mark", null, m[0]));
      last = m.index + m[0].length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function href(url) { return root + url; }

  // The query's words as the reader typed them, keyed by the engine's
  // spelling of each of their terms: "ms", "exchange", "sync" all map to
  // "MSExchangeSyncAppPool". Set for the answer being shown.
  var typed = Object.create(null);
  function typedWords(query) {
    var map = Object.create(null);
    var A = window.kbgenAnalyze;
    var re = /[\p{L}\p{N}_\\$@]+(?:[.\-/:]+[\p{L}\p{N}_\\$@]+)*/gu;
    var m;
    while (A && (m = re.exec(query))) {
      var a = A.analyze(m[0]);
      a.terms.forEach(function (t) {
        var w = a.spelled[t] || t.slice(2);
        if (!(w in map)) map[w] = m[0];
      });
    }
    return map;
  }

  // "words: ms, exchange, sync" → "words: MSExchangeSyncAppPool"; a typo's
  // "x (for y)" stays as it is.
  function asTyped(detail) {
    if (detail.indexOf("words: ") !== 0) return detail;
    var out = [];
    detail.slice(7).split(", ").forEach(function (w) {
      var shown = w.indexOf(" (for ") < 0 && typed[w] ? typed[w] : w;
      if (out.indexOf(shown) < 0) out.push(shown);
    });
    return "words: " + out.join(", ");
  }

  // "words: a, b, …" cut to its first dozen words.
  function shorten(detail) {
    var parts = detail.split(", ");
    return parts.length > 12 ? parts.slice(0, 12).join(", ") + " … (" + (parts.length - 12) + " more)" : detail;
  }

  function badges(r) {
    var box = el("div", "result-badges");
    r.matched.forEach(function (m) {
      if (m.kind === "event") box.appendChild(el("span", "badge event", m.detail));
      else if (m.kind === "code") box.appendChild(el("span", "badge code", m.detail));
      else if (m.kind === "template" || m.kind === "passage") box.appendChild(el("span", "badge template", m.detail));
      else if (m.detail.indexOf("phrase: ") === 0) box.appendChild(el("span", "badge phrase", "“" + m.detail.slice(8) + "”"));
      else box.appendChild(el("span", "chip words", shorten(asTyped(m.detail))));
    });
    return box;
  }

  function resultItem(r, compact) {
    var li = el("li", "result");
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    li.dataset.product = r.products.join("\n");
    li.dataset.sources = r.sources.join("\n");
    li.dataset.versions = (r.versions || []).join("\n");
    var a = el("a", "result-title", r.title);
    a.href = href(r.url);
    a.tabIndex = -1;
    li.appendChild(a);
    if (r.product) li.appendChild(el("span", "meta result-product", r.product));
    if (r.fresh) li.appendChild(el("span", "badge stale", r.fresh));
    if (!compact && r.snippet) {
      var p = el("p", "snippet");
      highlighted(p, r.snippet, r.highlight);
      li.appendChild(p);
    }
    li.appendChild(badges(r));
    li.addEventListener("click", function (e) {
      if (e.target.tagName !== "A") location.href = a.href;
    });
    return li;
  }

  // ---- Keyboard selection in a result list ----------------------------------------------
  function visibleItems(list) {
    return Array.prototype.filter.call(list.querySelectorAll(".result"), function (li) { return !li.hidden; });
  }

  function move(list, delta) {
    var items = visibleItems(list);
    if (!items.length) return;
    var cur = items.findIndex(function (li) { return li.getAttribute("aria-selected") === "true"; });
    var next = cur < 0 ? (delta > 0 ? 0 : items.length - 1) : Math.min(items.length - 1, Math.max(0, cur + delta));
    items.forEach(function (li, i) { li.setAttribute("aria-selected", i === next ? "true" : "false"); });
    items[next].scrollIntoView({ block: "nearest" });
  }

  function selected(list) {
    var li = list && list.querySelector('.result[aria-selected="true"]:not([hidden])');
    return li ? li.querySelector("a.result-title") : null;
  }

  // ---- Runs queries as the user types; only the latest answer is shown ----------------
  function liveSearch(box, show, delay) {
    var timer = null;
    var seq = 0;
    function run() {
      var query = box.value;
      var mine = ++seq;
      if (!query.trim()) { show(null, query); return; }
      window.kbgen.search(query).then(function (res) {
        if (mine !== seq) return;
        typed = typedWords(query);
        show(res, query);
      }, function (err) {
        if (mine === seq) show({ error: err }, query);
      });
    }
    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, delay);
    });
    return function () { clearTimeout(timer); run(); };
  }

  // ---- The article stub offered when nothing matches well ---------------------------------
  // A double-quoted YAML string; control characters (ESC from coloured
  // terminal output, NUL) are escaped, as raw they make the stub invalid YAML.
  function yamlString(s) {
    return '"' + s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, function (c) {
        return "\\x" + ("0" + c.charCodeAt(0).toString(16)).slice(-2);
      }) + '"';
  }

  // The message of a pasted block: an Event Viewer "Description:" (or
  // Get-WinEvent "Message :") and what follows it, else the whole paste.
  function pastedMessage(query) {
    // The search box is one line, so the block's lines arrive joined.
    var m = /\b(?:Description|Message)\s*:\s*((?:(?!\b(?:Description|Message)\s*:)[\s\S])*)$/i.exec(query);
    var text = m && m[1].trim() ? m[1] : query;
    return window.kbgenAnalyze.fold(text).trim();
  }

  // The message as a template: the parts that differ between two logs of the
  // same event (times, dates, GUIDs, addresses, bare numbers) become
  // placeholders. Codes (0x…, negative numbers) stay: they are signatures.
  function templated(message) {
    return message
      .replace(/\b\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g, "<time>")
      .replace(/\b\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s?[AP]M)?\b/g, "<time>")
      .replace(/\{?\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b\}?/g, "<guid>")
      .replace(/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, "<address>")
      .replace(/(^|[^\w.\-x<])\d{2,}(?![\w.]*[\w])/g, "$1<number>");
  }

  function stub(query, q) {
    var line = window.kbgenAnalyze.fold(query).trim();
    var message = templated(pastedMessage(query));
    var title = line.length > 90 ? line.slice(0, 87).replace(/\s+\S*$/, "") + "…" : line;
    var today = new Date().toISOString().slice(0, 10);
    var sigs = [];
    var events = q.events || [];
    events.forEach(function (e, i) {
      // A block's lines arrive joined: "Source: X Date: …" may leave the
      // next field's label on the source.
      var source = e.source && e.source.replace(/\s+(?:Date|Event|Level|Task|Keywords|User|Computer|Description|Logged|Opcode|Log)$/, "");
      var src = source ? ", source: " + yamlString(source) : "";
      sigs.push("  - event: {id: " + e.id + src + "}" + (i === 0 ? "\n    message: " + yamlString(message) : ""));
    });
    var codes = [];
    (q.codes || []).forEach(function (c) { if (codes.indexOf(c) < 0) codes.push(c); });
    if (codes.length) {
      sigs.push("  - codes: [" + codes.map(yamlString).join(", ") + "]" + (events.length ? "" : "\n    message: " + yamlString(message)));
    }
    if (!sigs.length) sigs.push("  - message: " + yamlString(message));
    return [
      "---",
      "title: " + yamlString(title),
      "date: " + today,
      "summary: \"\"",
      "products: []",
      "tags: []",
      "signatures:",
      sigs.join("\n"),
      "---",
      "",
      "# " + title,
      "",
      "## Symptoms",
      "",
      "```text",
      query.trim(),
      "```",
      "",
      "## Cause",
      "",
      "## Resolution",
      "",
    ].join("\n");
  }

  function stubSection(query, res, none) {
    var box = el("details", "stub");
    box.open = true;
    box.appendChild(el("summary", null, none ? "No article matches this yet. Write one:" : "No good match. Start an article:"));
    box.appendChild(el("p", "meta", "Copy this into a new file under kb/ (for example kb/<product>/<short-name>.md), fill in the cause and the fix, and rebuild."));
    var ta = el("textarea", "stub-text");
    ta.readOnly = true;
    ta.rows = 14;
    ta.spellcheck = false;
    ta.setAttribute("aria-label", "Article stub in Markdown");
    ta.value = stub(query, res.query || {});
    box.appendChild(ta);
    var btn = el("button", "copy", "Copy");
    btn.type = "button";
    var note = el("span", "meta copy-note");
    note.setAttribute("aria-live", "polite");
    btn.addEventListener("click", function () {
      function done() { note.textContent = "Copied."; }
      function fallback() {
        ta.focus();
        ta.select();
        try { document.execCommand("copy"); done(); } catch (e) { note.textContent = "Press Ctrl+C to copy."; }
      }
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(ta.value).then(done, fallback);
      else fallback();
    });
    box.appendChild(btn);
    box.appendChild(note);
    return box;
  }

  // Event Viewer's and Get-WinEvent's field labels, and words every failure
  // report has: a pasted block matches every article on them, so they are
  // no evidence that an article is about this error.
  var NOT_EVIDENCE = "log name source event id date time level task category keywords user computer " +
    "description opcode logged record provider machine message information warning error critical " +
    "verbose classic system application security failed failure fails fail error errors the a an of to " +
    "is was in on for with at by from this that";
  var notEvidence = null;
  function evidence(terms) {
    if (!notEvidence) {
      notEvidence = Object.create(null);
      window.kbgenAnalyze.analyze(NOT_EVIDENCE).terms.forEach(function (t) { notEvidence[t] = true; });
    }
    return terms.filter(function (t) { return t.indexOf("w:") === 0 && !notEvidence[t]; });
  }

  // A best result with no event, code, template or phrase match, and few of
  // the query's distinctive words, is no good match: the stub goes first.
  function weak(res) {
    var best = res.results[0];
    if (!best) return true;
    if (best.matched.some(function (m) { return m.kind !== "text" || m.detail.indexOf("phrase: ") === 0; })) return false;
    var words = evidence(res.query.terms || []).length;
    var text = best.matched.filter(function (m) { return m.kind === "text" && m.detail.indexOf("words: ") === 0; })[0];
    var hit = text ? evidence(window.kbgenAnalyze.analyze(text.key).terms).length : 0;
    // Fewer than three, or than a third, of them: a few common words only.
    return hit < Math.min(3, words) || hit * 3 < words;
  }

  // ---- Filters derived from the results -----------------------------------------------------
  function filterSelect(label, values, onChange) {
    var wrap = el("label", "filter");
    wrap.appendChild(el("span", null, label + " "));
    var sel = el("select");
    sel.appendChild(el("option", null, "All"));
    sel.options[0].value = "";
    values.forEach(function (v) {
      var o = el("option", null, v);
      o.value = v;
      sel.appendChild(o);
    });
    sel.addEventListener("change", onChange);
    wrap.appendChild(sel);
    return { wrap: wrap, select: sel };
  }

  function collect(results, field) {
    var out = [];
    results.forEach(function (r) { (r[field] || []).forEach(function (v) { if (out.indexOf(v) < 0) out.push(v); }); });
    return out.sort();
  }

  // ---- The search page ---------------------------------------------------------------
  function searchPage(box, form, out) {
    var list = null;
    function show(res, query) {
      out.textContent = "";
      list = null;
      if (!res) return;
      if (res.error) {
        out.appendChild(el("p", "search-error", "Search is unavailable: " + res.error.message + ". Was the site built with its search index?"));
        return;
      }
      var status = el("p", "search-status");
      status.textContent = res.results.length === 0 ? "No matching article." : res.results.length + " result" + (res.results.length === 1 ? "" : "s") + ".";
      out.appendChild(status);
      if (res.ignored.length) {
        var ign = el("p", "ignored");
        ign.appendChild(el("span", null, "Ignored as noise: "));
        res.ignored.forEach(function (n, i) {
          if (i) ign.appendChild(document.createTextNode(" "));
          ign.appendChild(el("code", null, n));
        });
        out.appendChild(ign);
      }
      if (res.cut) out.appendChild(el("p", "ignored", "Long query: " + res.cut + "."));
      // A weak match puts the stub first, where it is seen.
      if (weak(res)) out.appendChild(stubSection(query, res, res.results.length === 0));
      if (res.results.length) {
        var filters = el("div", "search-filters");
        var prod = filterSelect("Product", collect(res.results, "products"), apply);
        var src = filterSelect("Event source", collect(res.results, "sources"), apply);
        var ver = filterSelect("Version", collect(res.results, "versions"), apply);
        if (prod.select.options.length > 2) filters.appendChild(prod.wrap);
        if (src.select.options.length > 2) filters.appendChild(src.wrap);
        if (ver.select.options.length > 2) filters.appendChild(ver.wrap);
        if (filters.childNodes.length) out.appendChild(filters);
        // A shared link keeps its filters: ?q=…&product=…&source=….
        var params = new URLSearchParams(location.search);
        [[prod, "product"], [src, "source"]].forEach(function (f) {
          var want = params.get(f[1]);
          if (want && collect(res.results, f[1] === "product" ? "products" : "sources").indexOf(want) >= 0) f[0].select.value = want;
        });
        list = el("ol", "results");
        list.id = "result-list";
        list.setAttribute("role", "listbox");
        list.setAttribute("aria-label", "Search results");
        res.results.forEach(function (r) { list.appendChild(resultItem(r, false)); });
        out.appendChild(list);
        function apply() {
          var p = prod.select.value;
          var s = src.select.value;
          var v = ver.select.value;
          var shown = 0;
          Array.prototype.forEach.call(list.children, function (li) {
            li.hidden = (p && li.dataset.product.split("\n").indexOf(p) < 0) || (s && li.dataset.sources.split("\n").indexOf(s) < 0) ||
              (v && li.dataset.versions.split("\n").indexOf(v) < 0);
            if (li.hidden) li.setAttribute("aria-selected", "false");
            else shown++;
          });
          var n = res.results.length;
          status.textContent = p || s || v
            ? shown + " of " + n + " result" + (n === 1 ? "" : "s") + " (filtered)."
            : n + " result" + (n === 1 ? "" : "s") + ".";
          remember(query, p, s);
        }
        apply();
      } else {
        remember(query, "", "");
      }
    }
    // The query and filters in the address, so a filtered search can be shared.
    function remember(query, product, source) {
      try {
        var url = new URL(location.href);
        url.searchParams.set("q", query);
        [["product", product], ["source", source]].forEach(function (kv) {
          if (kv[1]) url.searchParams.set(kv[0], kv[1]); else url.searchParams.delete(kv[0]);
        });
        history.replaceState(null, "", url.href);
      } catch (e) { /* file:// may refuse; the results are shown anyway */ }
    }
    var now = liveSearch(box, show, 150);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var a = selected(list);
      if (a) location.href = a.href; else now();
    });
    document.addEventListener("keydown", function (e) {
      if (!list || (e.key !== "ArrowDown" && e.key !== "ArrowUp")) return;
      if (e.target !== box && !out.contains(e.target) && e.target !== document.body) return;
      e.preventDefault();
      move(list, e.key === "ArrowDown" ? 1 : -1);
    });
    var q = new URLSearchParams(location.search).get("q");
    if (q) { box.value = q; now(); }
  }

  // ---- The drop-down on every other page ------------------------------------------------
  function dropDown(box, form) {
    var panel = el("div", "search-drop");
    panel.hidden = true;
    var list = null;
    form.appendChild(panel);
    function show(res, query) {
      panel.textContent = "";
      list = null;
      if (!res || res.error) { panel.hidden = !res; if (res) panel.appendChild(el("p", "search-error", "Search is unavailable: " + res.error.message)); return; }
      list = el("ol", "results compact");
      list.setAttribute("role", "listbox");
      res.results.slice(0, 6).forEach(function (r) { list.appendChild(resultItem(r, true)); });
      if (res.results.length) panel.appendChild(list);
      var more = el("a", "more", res.results.length ? "All results for this search →" : "No match yet: open the search page →");
      more.href = root + "search/index.html?q=" + encodeURIComponent(query);
      panel.appendChild(more);
      panel.hidden = false;
    }
    liveSearch(box, show, 150);
    box.addEventListener("focus", loadEngine, { once: true });
    box.addEventListener("keydown", function (e) {
      if (e.key === "Escape") {
        // Close the drop-down first; a second Escape clears the box as usual.
        if (!panel.hidden) { e.preventDefault(); panel.hidden = true; }
        return;
      }
      if (!list || panel.hidden || (e.key !== "ArrowDown" && e.key !== "ArrowUp")) return;
      e.preventDefault();
      move(list, e.key === "ArrowDown" ? 1 : -1);
    });
    form.addEventListener("submit", function (e) {
      var a = selected(list);
      if (a) { e.preventDefault(); location.href = a.href; }
    });
    document.addEventListener("click", function (e) { if (!form.contains(e.target)) panel.hidden = true; });
  }

  // ---- Wiring ---------------------------------------------------------------------------------
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) return;
    var b = document.getElementById("q");
    if (b) { e.preventDefault(); b.focus(); b.select(); }
  });

  var box = document.getElementById("q");
  var form = box && box.form;
  var out = document.getElementById("results");
  if (!box || !form) return;
  if (out && document.querySelector(".search-page")) searchPage(box, form, out);
  else dropDown(box, form);
})();
