// Loaded only when kb.toml sets `search.endpoint`: the search box queries
// an OpenSearch/Elasticsearch `_search` URL holding `kbgen export --format
// opensearch` output, instead of the static index. The pasted text is
// analysed by kbgen-analyze.js as for the static index, so its error codes
// and event keys in any spelling match the `codes` and `event_keys`
// keyword fields exactly; the words go to a multi_match over the text.
// Results take the shape the static engine gives, so search.js shows them
// the same way. Loaded before search.js, which calls window.kbgenRemote.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="kbgen-search-endpoint"]');
  if (!meta) return;
  var endpoint = meta.getAttribute("content");
  var root = document.body.getAttribute("data-root") || "";
  var analyzer = null;

  function loadAnalyzer() {
    if (window.kbgenAnalyze) return Promise.resolve(window.kbgenAnalyze);
    if (!analyzer) {
      analyzer = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = root + "assets/kbgen-analyze.js";
        s.onload = function () { resolve(window.kbgenAnalyze); };
        s.onerror = function () { analyzer = null; reject(new Error("cannot load assets/kbgen-analyze.js")); };
        document.head.appendChild(s);
      });
    }
    return analyzer;
  }

  function strip(terms, prefix) {
    return terms.filter(function (t) { return t.indexOf(prefix) === 0; })
      .map(function (t) { return t.slice(prefix.length); });
  }

  function body(query, terms, size) {
    var codes = strip(terms, "c:");
    var events = strip(terms, "e:");
    var ids = strip(terms, "i:").map(Number).filter(function (n) { return n >= 0; });
    var should = [{ multi_match: { query: query, fields: ["title^3", "templates^2", "summary", "text"] } }];
    if (codes.length) should.push({ terms: { codes: codes, boost: 10 } });
    if (events.length) should.push({ terms: { event_keys: events, boost: 10 } });
    if (ids.length) should.push({ terms: { event_ids: ids, boost: 2 } });
    return { size: size, query: { bool: { should: should, minimum_should_match: 1 } }, _source: { excludes: ["text", "signatures"] } };
  }

  function result(hit, codes, events) {
    var d = hit._source || {};
    var matched = [];
    (d.event_keys || []).forEach(function (k) { if (events.indexOf(k) >= 0) matched.push({ kind: "event", detail: "Event " + k }); });
    (d.codes || []).forEach(function (c) { if (codes.indexOf(c) >= 0) matched.push({ kind: "code", detail: c }); });
    var fresh = d.freshness === "overdue" ? "may be out of date" : d.freshness === "expired" ? "expired" : "";
    return {
      source: d.path, url: String(d.url || "").replace(/^\/+/, ""), title: d.title, score: hit._score || 0,
      matched: matched, product: (d.products || []).join(", "), products: d.products || [], versions: d.versions || [], sources: [],
      snippet: d.summary || "", fresh: fresh, highlight: [],
    };
  }

  // search.js's window.kbgen.search hands every query here.
  window.kbgenRemote = function (query, options) {
    var size = (options && options.limit) || 20;
    return loadAnalyzer().then(function (A) {
      var terms = A.analyze(query, {}).terms;
      return fetch(endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body(query, terms, size)),
      }).then(function (r) {
        if (!r.ok) throw new Error("search endpoint answered " + r.status);
        return r.json();
      }).then(function (res) {
        var hits = (res.hits && res.hits.hits) || [];
        var codes = strip(terms, "c:");
        var events = strip(terms, "e:");
        return { results: hits.map(function (h) { return result(h, codes, events); }), ignored: [], query: { terms: terms, events: [], codes: [] } };
      });
    });
  };
})();
