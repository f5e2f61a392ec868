// Versions in a query, as src/search/versions.rs: a product and version
// named in pasted text (`Exchange 2016 CU23`, `Windows Server 2019`, a build
// `10.0.17763`) favour the articles that apply to it (docs/search.md,
// "Versions"). The product versions and builds come from the manifest
// (`products`, `builds`). Needs kbgen-analyze.js first; sets
// window.kbgenVersions, which kbgen-search.js uses.
(function () {
  "use strict";
  var A = window.kbgenAnalyze;

  // Lower-case runs of letters, digits and dots, dots trimmed from their ends.
  function words(text) {
    return A.fold(String(text)).toLowerCase().split(/[^\p{Alphabetic}\p{N}.]+/u)
      .map(function (w) { return w.replace(/^\.+|\.+$/g, ""); })
      .filter(function (w) { return w.length > 0; });
  }

  // 1–2 digits, a year 19xx/20xx, a dotted number, a half-year (22h2).
  function isVersion(w) {
    return /^\d{1,2}$/.test(w) || /^(19|20)\d\d$/.test(w) || /^\d+(\.\d+)+$/.test(w) || /^\d\dh\d$/.test(w);
  }

  function isLevel(w) { return /^(sp|cu|ru)\d+$/.test(w); }
  function isQualifier(w) { return w === "r2" || isLevel(w); }

  function versionKey(v) { return words(v).join(" "); }

  // Same release: same version with the same level or one without a level,
  // or dotted numbers one extending the other.
  function sameRelease(a, b) {
    function split(v) {
      var w = v.split(" ");
      if (w.length > 1 && isLevel(w[w.length - 1])) return [w.slice(0, -1).join(" "), w[w.length - 1]];
      return [v, null];
    }
    var x = split(a);
    var y = split(b);
    if (x[0] === y[0]) return x[1] === null || y[1] === null || x[1] === y[1];
    var dotted = function (s) { return /^[\d.]+$/.test(s); };
    var extends_ = function (long, short) { return long.indexOf(short + ".") === 0; };
    return dotted(x[0]) && dotted(y[0]) && (extends_(x[0], y[0]) || extends_(y[0], x[0]));
  }

  // The product versions `text` names, as src/search/versions.rs's mentions.
  function mentions(text, known, builds) {
    var w = words(text);
    var out = [];
    function push(product, version, byBuild, group) {
      if (out.some(function (o) { return o.product === product && o.version === version; })) return;
      out.push({ product: product, version: version, byBuild: byBuild, group: group });
    }
    var products = Object.keys(known).sort();
    w.forEach(function (word, i) {
      builds.forEach(function (b) {
        if (word === b[0] || word.indexOf(b[0] + ".") === 0) {
          b[1].forEach(function (pv) { push(pv[0], pv[1], true, b[0]); });
        }
      });
      if (i === 0 || !isVersion(word)) return;
      var version = word;
      if (i + 1 < w.length && isQualifier(w[i + 1])) version += " " + w[i + 1];
      var bestLen = 0;
      var best = [];
      products.forEach(function (product) {
        var name = product.split(" ");
        var j = Math.min(name.length, i);
        for (; j >= 1; j--) {
          var ok = true;
          for (var k = 0; k < j && ok; k++) ok = w[i - j + k] === name[k];
          if (ok) break;
        }
        if (j < 1 || j < bestLen) return;
        if (!known[product][1].some(function (v) { return sameRelease(v, version); })) return;
        if (j > bestLen) { bestLen = j; best = []; }
        best.push(product);
      });
      best.forEach(function (p) { push(p, version, false, p); });
    });
    return out;
  }

  // Whether `text` may name a product version: a build of the table, or a
  // version word after the first word of a product's name (`heads`). Only
  // then is the product table (versions.js) loaded.
  function mayName(text, heads, builds) {
    var head = Object.create(null);
    heads.forEach(function (h) { head[h] = true; });
    var w = words(text);
    var seen = false;
    return w.some(function (word, i) {
      var build = builds.some(function (b) { return word === b[0] || word.indexOf(b[0] + ".") === 0; });
      var named = i > 0 && seen && isVersion(word);
      if (head[word]) seen = true;
      return build || named;
    });
  }

  // Drops the event keys a recognised version number made, unless the
  // query keys that number as an event (it has `i:N`).
  function dropVersionEvents(terms, found) {
    found.forEach(function (m) {
      if (m.byBuild) return;
      var number = m.version.split(" ")[0];
      if (!/^\d+$/.test(number)) return;
      var id = Number(number);
      if (id < 1 || id > 65535 || terms.indexOf("i:" + number) >= 0) return;
      var tail = "/" + number;
      terms = terms.filter(function (t) {
        return !(t.indexOf("e:") === 0 && t.slice(-tail.length) === tail);
      });
    });
    return terms;
  }

  // What a record (its `a`: [[product key, version as written]]) gains or
  // loses for the named versions, group by group (a product, or a build
  // naming several releases); pushes the reasons.
  function bonus(found, d, known, boost, matched) {
    var groups = [];
    found.forEach(function (m) { if (groups.indexOf(m.group) < 0) groups.push(m.group); });
    var name = function (product) { return known[product] ? known[product][0] : product; };
    var declared = function (m) { return (d.a || []).filter(function (a) { return a[0] === m.product; }); };
    var score = 0;
    groups.forEach(function (group) {
      var wanted = found.filter(function (m) { return m.group === group; });
      var hit = null;
      wanted.some(function (m) {
        var a = declared(m).find(function (a) { return sameRelease(versionKey(a[1]), m.version); });
        if (a) hit = { m: m, a: a };
        return !!a;
      });
      var other = wanted.find(function (m) { return declared(m).length > 0; });
      if (hit) {
        score += boost.version;
        matched.push({ kind: "version", key: hit.m.product + " " + hit.m.version, detail: "applies to " + name(hit.m.product) + " " + hit.a[1] });
      } else if (other) {
        var versions = [];
        declared(other).forEach(function (a) { if (versions[versions.length - 1] !== a[1]) versions.push(a[1]); });
        score -= boost.otherVersion;
        matched.push({
          kind: "version",
          key: other.product + " " + other.version,
          detail: "for " + name(other.product) + " " + versions.join(", ") + ", not " + other.version,
        });
      }
    });
    return score;
  }

  window.kbgenVersions = { words: words, mayName: mayName, mentions: mentions, dropVersionEvents: dropVersionEvents, bonus: bonus, sameRelease: sameRelease };
})();
