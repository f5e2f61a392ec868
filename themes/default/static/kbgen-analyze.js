// kbgen's query analyser, the browser twin of src/analysis/.
// docs/search.md is the contract and tests/data/analyzer-vectors.json keeps
// the two in step (`node --test` in tests/browser runs every vector).
// A classic script with no dependencies: it sets `kbgenAnalyze` on the
// global object, so it loads under file:// and in node's `vm`.
(function (root) {
  "use strict";

  // ---- 1. Fold: undo what copy and paste does to text ----------------------
  var FOLD = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\uff1a": ":",
  };
  var ZERO_WIDTH = /[\u200b\u200c\u200d\u200e\u200f\u2060\ufeff]/;

  function fold(text) {
    var chars = Array.from(String(text));
    var out = "";
    var lastSpace = false;
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i];
      if (ZERO_WIDTH.test(c)) continue;
      var m = FOLD[c];
      if (m === undefined) {
        if (c === "\u00d7") {
          var before = i > 0 && /[0-9]/.test(chars[i - 1]);
          var after = i + 1 < chars.length && /[0-9a-fA-F]/.test(chars[i + 1]);
          m = before && after ? "x" : c;
        } else if (/\s/u.test(c)) {
          m = " ";
        } else {
          m = c;
        }
      }
      if (m === " ") {
        if (!lastSpace) out += " ";
        lastSpace = true;
      } else {
        out += m;
        lastSpace = false;
      }
    }
    return out;
  }

  // ---- 2. Tokens -------------------------------------------------------------
  var ALNUM = /[\p{L}\p{N}]/u;
  var LETTER = /\p{L}/u;
  var JOINERS = "_.-\\/:$@";

  function isJoiner(c) { return JOINERS.indexOf(c) >= 0; }

  // Trims joiners at both ends, keeping a `-` directly before a leading digit.
  function trimToken(t) {
    var s = 0;
    while (s < t.length && isJoiner(t[s])) {
      if (t[s] === "-" && s + 1 < t.length && /[0-9]/.test(t[s + 1])) break;
      s++;
    }
    var e = t.length;
    // A trailing `$` is part of the name: `C$`, `ADMIN$`, `MACHINE$`.
    while (e > s && isJoiner(t[e - 1]) && t[e - 1] !== "$") e--;
    return t.slice(s, e);
  }

  function tokenize(text) {
    var chars = Array.from(text);
    var tokens = [];
    var cur = "";
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i];
      if (ALNUM.test(c) || isJoiner(c)) { cur += c; continue; }
      if (c === "'" && i > 0 && i + 1 < chars.length && LETTER.test(chars[i - 1]) && LETTER.test(chars[i + 1])) continue;
      if (cur) tokens.push(cur);
      cur = "";
    }
    if (cur) tokens.push(cur);
    var out = [];
    for (var j = 0; j < tokens.length; j++) {
      var t = trimToken(tokens[j]);
      if (t) out.push(t);
    }
    return out;
  }

  // ---- 3. Rules ----------------------------------------------------------------
  var LEVELS = set("info information warn warning debug trace verbose notice fatal critical");
  var STOPWORDS = set("a an and are as at be been by for from has have if in into is it its of on or so than that the then there these this those to was were will with " +
    "cannot cant wont dont doesnt didnt isnt arent wasnt werent couldnt shouldnt wouldnt hasnt havent");
  var NOT_SOURCE = set("event eventid eventcode id source provider providername log from level logged error err code status msg http win32 errorcode");
  var EVENT_WORDS = set("event eventid eventcode");
  var SOURCE_WORDS = set("source provider providername");
  var SKIP_AFTER = set("from source provider providername in the log by of");
  var WIN32_CONTEXT = set("error err code status win32 errorcode");

  function set(words) {
    var s = Object.create(null);
    words.split(" ").forEach(function (w) { s[w] = true; });
    return s;
  }

  var GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  var TIME = "\\d{1,2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?";
  var DATE = "(?:\\d{4}-\\d{1,2}-\\d{1,2}|\\d{4}/\\d{1,2}/\\d{1,2}|\\d{1,2}/\\d{1,2}/\\d{2,4}|\\d{1,2}\\.\\d{1,2}\\.\\d{4})";
  var DATETIME = new RegExp("^(?:" + DATE + "(?:T" + TIME + "(?:Z|[+-]\\d{2}:?\\d{2})?)?|" + TIME + ")$", "i");
  var IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?$/;
  var IPV6 = /^[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}$/i;
  var HEX_NOISE = /^0x(?:[0-9a-f]{5,7}|[0-9a-f]{9,16})$/i;

  function hex(n, width) {
    var s = n.toString(16);
    while (s.length < width) s = "0" + s;
    return s;
  }

  function win32(n) { return "c:0x8007" + hex(n, 4); }

  // The code term of a token, "" for a code that is noise (value 0), or null.
  function codeOf(t) {
    var m;
    if ((m = /^0x([0-9a-f]{1,4})$/i.exec(t))) {
      var v = parseInt(m[1], 16);
      return v === 0 ? "" : win32(v);
    }
    if ((m = /^0x([0-9a-f]{8})$/i.exec(t))) {
      var w = parseInt(m[1], 16);
      if (w === 0) return "";
      return w <= 0xffff ? win32(w) : "c:0x" + m[1].toLowerCase();
    }
    if (/^[89a-f][0-9a-f]{7}$/i.test(t)) return "c:0x" + t.toLowerCase();
    if ((m = /^-(\d{9,10})$/.exec(t))) {
      var n = Number(m[1]);
      if (n >= 268435456 && n <= 2147483648) return "c:0x" + hex(4294967296 - n, 8);
      return null;
    }
    if (/^\d{10}$/.test(t)) {
      var u = Number(t);
      if (u >= 2147483648 && u <= 4294967295) return "c:0x" + hex(u, 8);
      return null;
    }
    if (/^[245]\.\d{1,3}\.\d{1,3}$/.test(t)) return "c:" + t;
    if ((m = /^MSSQLSERVER_(\d+)$/i.exec(t))) return "c:mssql-" + m[1];
    return null;
  }

  function isNoise(t) {
    return GUID.test(t) || DATETIME.test(t) || IPV4.test(t) || (IPV6.test(t) && /[0-9a-f]/i.test(t)) ||
      HEX_NOISE.test(t) || /^\d{6,}$/.test(t) || /^-\d+$/.test(t) || LEVELS[t.toLowerCase()] === true;
  }

  // True when the analyser takes a run of token characters for noise, once
  // trimmed as it trims tokens (src/analysis/mod.rs `is_noise_token`).
  function isNoiseToken(raw) {
    var t = trimToken(raw);
    var code = codeOf(t);
    return code === "" || (code === null && isNoise(t));
  }

  function isName(t) {
    if (/^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+$/.test(t)) {
      var head = t.slice(0, t.indexOf("_"));
      return head === head.toUpperCase();
    }
    return /^E[A-Z]{3,}$/.test(t);
  }

  // Splits a token into parts: on joiners, then at camelCase boundaries.
  var LOWER = /\p{Ll}/u;
  var UPPER = /\p{Lu}/u;
  function parts(t) {
    var out = [];
    t.split(/[_.\-\\/:$@]+/).forEach(function (piece) {
      var cs = Array.from(piece);
      var cur = "";
      for (var i = 0; i < cs.length; i++) {
        var c = cs[i];
        if (cur && UPPER.test(c)) {
          var prev = cs[i - 1];
          var next = cs[i + 1];
          // `VMs`, `DCs`: an acronym's plural, not `V` + `Ms`.
          var plural = i + 2 === cs.length && next === "s";
          if (LOWER.test(prev) || (UPPER.test(prev) && next !== undefined && LOWER.test(next) && !plural)) {
            out.push(cur);
            cur = "";
          }
        }
        cur += c;
      }
      if (cur) out.push(cur);
    });
    return out;
  }

  // Plurals, then -ing/-ed, then a final e: `disable`, `disabled`,
  // `disabling` and `disables` all become `disabl`.
  // ---- English stemmer ----------------------------------------------------------
  // Porter2 (the Snowball English stemmer), as the Rust analyser runs it
  // through the rust-stemmers crate; tests/data/stem-vectors.json holds
  // words with their stems, checked on both sides.
  var P2_EXCEPTIONS = {
    skis: "ski", skies: "sky", dying: "die", lying: "lie", tying: "tie",
    idly: "idl", gently: "gentl", ugly: "ugli", early: "earli", only: "onli",
    singly: "singl", sky: "sky", news: "news", howe: "howe", atlas: "atlas",
    cosmos: "cosmos", bias: "bias", andes: "andes",
  };
  var P2_AFTER_1A = { inning: 1, outing: 1, canning: 1, herring: 1, earring: 1, proceed: 1, exceed: 1, succeed: 1 };
  var P2_STEP2 = [
    ["ization", "ize"], ["ational", "ate"], ["fulness", "ful"], ["ousness", "ous"],
    ["iveness", "ive"], ["tional", "tion"], ["biliti", "ble"], ["lessli", "less"],
    ["entli", "ent"], ["ation", "ate"], ["alism", "al"], ["aliti", "al"], ["ousli", "ous"],
    ["iviti", "ive"], ["fulli", "ful"], ["enci", "ence"], ["anci", "ance"], ["abli", "able"],
    ["izer", "ize"], ["ator", "ate"], ["alli", "al"], ["bli", "ble"], ["ogi", "og"], ["li", ""],
  ];
  var P2_STEP3 = [
    ["ational", "ate"], ["tional", "tion"], ["alize", "al"], ["icate", "ic"], ["iciti", "ic"],
    ["ative", ""], ["ical", "ic"], ["ness", ""], ["ful", ""],
  ];
  var P2_STEP4 = ["ement", "ance", "ence", "able", "ible", "ment", "ant", "ent", "ism", "ate",
    "iti", "ous", "ive", "ize", "ion", "al", "er", "ic"];

  function p2Vowel(c) { return "aeiouy".indexOf(c) >= 0; }

  // The start of the region after the first non-vowel that follows a vowel, from `from`.
  function p2Region(w, from) {
    for (var i = from + 1; i < w.length; i++) if (!p2Vowel(w[i]) && p2Vowel(w[i - 1])) return i + 1;
    return w.length;
  }

  // True when w[0..end) ends in a short syllable.
  function p2ShortSyllable(w, end) {
    if (end === 2) return p2Vowel(w[0]) && !p2Vowel(w[1]);
    if (end < 3) return false;
    var a = w[end - 3], b = w[end - 2], c = w[end - 1];
    return !p2Vowel(a) && p2Vowel(b) && !p2Vowel(c) && "wxY".indexOf(c) < 0;
  }

  function p2EndsWith(w, s) { return w.length >= s.length && w.slice(w.length - s.length) === s; }

  function porter2(word) {
    if (word.length <= 2) return word;
    if (Object.prototype.hasOwnProperty.call(P2_EXCEPTIONS, word)) return P2_EXCEPTIONS[word];
    var w = word.charAt(0) === "'" ? word.slice(1) : word;
    // y at the start or after a vowel is a consonant: Y.
    var chars = w.split("");
    for (var i = 0; i < chars.length; i++) {
      if (chars[i] === "y" && (i === 0 || p2Vowel(chars[i - 1]))) chars[i] = "Y";
    }
    w = chars.join("");
    var r1 = /^(gener|commun|arsen)/.test(w) ? w.match(/^(gener|commun|arsen)/)[0].length : p2Region(w, 0);
    var r2 = p2Region(w, r1);
    // Step 0: possessives.
    if (p2EndsWith(w, "'s'")) w = w.slice(0, -3);
    else if (p2EndsWith(w, "'s")) w = w.slice(0, -2);
    else if (p2EndsWith(w, "'")) w = w.slice(0, -1);
    // Step 1a.
    if (p2EndsWith(w, "sses")) w = w.slice(0, -2);
    else if (p2EndsWith(w, "ied") || p2EndsWith(w, "ies")) w = w.length > 4 ? w.slice(0, -2) : w.slice(0, -1);
    else if (p2EndsWith(w, "us") || p2EndsWith(w, "ss")) { /* unchanged */ }
    else if (p2EndsWith(w, "s")) {
      var before = w.slice(0, -2);
      if (/[aeiouy]/.test(before)) w = w.slice(0, -1);
    }
    if (P2_AFTER_1A[w]) return w;
    // Step 1b.
    var m1b = ["eedly", "ingly", "edly", "eed", "ing", "ed"].filter(function (s) { return p2EndsWith(w, s); })[0];
    if (m1b === "eed" || m1b === "eedly") {
      if (w.length - m1b.length >= r1) w = w.slice(0, -m1b.length) + "ee";
    } else if (m1b) {
      var stemPart = w.slice(0, -m1b.length);
      if (/[aeiouy]/.test(stemPart)) {
        w = stemPart;
        if (p2EndsWith(w, "at") || p2EndsWith(w, "bl") || p2EndsWith(w, "iz")) w += "e";
        else if (/(bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(w)) w = w.slice(0, -1);
        else if (r1 >= w.length && p2ShortSyllable(w, w.length)) w += "e";
      }
    }
    // Step 1c.
    if (w.length > 2 && /[yY]$/.test(w) && !p2Vowel(w[w.length - 2])) w = w.slice(0, -1) + "i";
    // Step 2.
    for (var k = 0; k < P2_STEP2.length; k++) {
      var s2 = P2_STEP2[k];
      if (!p2EndsWith(w, s2[0])) continue;
      var at2 = w.length - s2[0].length;
      if (at2 >= r1) {
        if (s2[0] === "ogi") { if (w[at2 - 1] === "l") w = w.slice(0, at2) + s2[1]; }
        else if (s2[0] === "li") { if ("cdeghkmnrt".indexOf(w[at2 - 1]) >= 0) w = w.slice(0, at2); }
        else w = w.slice(0, at2) + s2[1];
      }
      break;
    }
    // Step 3.
    for (k = 0; k < P2_STEP3.length; k++) {
      var s3 = P2_STEP3[k];
      if (!p2EndsWith(w, s3[0])) continue;
      var at3 = w.length - s3[0].length;
      if (at3 >= r1 && (s3[0] !== "ative" || at3 >= r2)) w = w.slice(0, at3) + s3[1];
      break;
    }
    // Step 4.
    for (k = 0; k < P2_STEP4.length; k++) {
      var s4 = P2_STEP4[k];
      if (!p2EndsWith(w, s4)) continue;
      var at4 = w.length - s4.length;
      if (at4 >= r2 && (s4 !== "ion" || "st".indexOf(w[at4 - 1]) >= 0)) w = w.slice(0, at4);
      break;
    }
    // Step 5.
    var last = w.length - 1;
    if (w[last] === "e") {
      if (last >= r2 || (last >= r1 && !p2ShortSyllable(w, last))) w = w.slice(0, last);
    } else if (w[last] === "l") {
      if (last >= r2 && w[last - 1] === "l") w = w.slice(0, last);
    }
    return w.replace(/Y/g, "y");
  }

  // Words only (codes and names never reach it): 4+ ASCII lower-case letters.
  function stem(w) {
    return /^[a-z]{4,}$/.test(w) ? porter2(w) : w;
  }

  function keptPart(p) {
    return !STOPWORDS[p] && !(Array.from(p).length === 1 && LETTER.test(p));
  }

  // Word terms of a token (rule 5); `whole` adds the whole token first when
  // it has several parts. Returns {terms, primary}.
  function wordTerms(t, whole) {
    var ps = parts(t).map(function (p) { return p.toLowerCase(); });
    var terms = [];
    var compound = /[_.\-\\/:$@]/.test(t);
    var partTerms = function () {
      ps.forEach(function (p) { if (keptPart(p)) terms.push("w:" + stem(p)); });
    };
    if (ps.length <= 1 && !compound) {
      if (ps.length && keptPart(ps[0])) terms.push("w:" + stem(ps[0]));
      return { terms: terms, primary: terms[0] || null };
    }
    // `on-premises`, `read-only`: hyphenated lower-case words count as words.
    if (whole && /^\p{Ll}+(?:-\p{Ll}+)+$/u.test(t)) {
      partTerms();
      return { terms: terms, primary: terms[0] || null };
    }
    var primary = null;
    if (whole) {
      primary = "w:" + t.toLowerCase();
      terms.push(primary);
      // A camelCase piece of a longer token is also the word it is when
      // written alone (`LsaIso.exe` holds `lsaiso`).
      t.split(/[_.\-\\/:$@]+/).forEach(function (piece) {
        var w = "w:" + piece.toLowerCase();
        if (parts(piece).length > 1 && terms.indexOf(w) < 0) terms.push(w);
      });
    }
    partTerms();
    if (whole) {
      // Codes written inside the token, between joiners (`processor:2147500037`).
      t.toLowerCase().split(/[_.\-\\/:$@]/).forEach(function (piece) {
        var c = codeOf(piece);
        if (c) terms.push(c);
      });
    }
    return { terms: terms, primary: primary };
  }

  // ---- 4/5. Context and events ----------------------------------------------------
  function slug(s) {
    var out = "";
    for (var i = 0; i < s.length; i++) {
      var c = s[i];
      if (/[A-Za-z0-9]/.test(c)) out += c.toLowerCase();
      else if (out && out[out.length - 1] !== "-") out += "-";
    }
    return out.replace(/-+$/, "");
  }

  function canonicalSource(text, aliases) {
    var s = slug(text);
    if (s.indexOf("microsoft-windows-") === 0) s = s.slice("microsoft-windows-".length);
    if (aliases && Object.prototype.hasOwnProperty.call(aliases, s)) return aliases[s];
    if (s.indexOf("mssql-") === 0) return "mssqlserver";
    return s;
  }

  // Analyses text: {terms, seq, noise} per docs/search.md, plus what the
  // search page needs for an article stub: `events` [{id, source}] and
  // `codes` (code tokens as written).
  function analyze(text, aliases) {
    var toks = tokenize(fold(text)).map(function (t) {
      return { text: t, lower: t.toLowerCase(), kind: "word", terms: [], primary: null, number: null };
    });
    var noise = [];
    var terms = [];
    var seq = [];
    var codes = [];
    // Code keys written so that they surely are codes (Rust's
    // `strong_codes`; for the log scan): a bare `0x3` is more often a flag.
    var strong = [];
    // How the text spelled each word term, unstemmed, for display.
    var spelled = Object.create(null);

    toks.forEach(function (tok, i) {
      var t = tok.text;
      var code = codeOf(t);
      if (code === "" || (code === null && isNoise(t))) {
        tok.kind = "noise";
        noise.push(t);
        return;
      }
      if (code) {
        tok.kind = "code";
        tok.terms = [code];
        tok.primary = code;
        codes.push(t);
      } else if (isName(t)) {
        tok.kind = "name";
        tok.primary = "n:" + t.toLowerCase();
        tok.terms = [tok.primary].concat(wordTerms(t, false).terms);
        codes.push(t);
      } else if (/^\d{1,5}$/.test(t)) {
        tok.kind = "number";
        tok.number = Number(t);
        tok.primary = "w:" + t;
        tok.terms = [tok.primary];
      } else {
        var w = wordTerms(t, true);
        tok.terms = w.terms;
        tok.primary = w.primary;
      }
      // Context: the token before, by lower-cased text.
      var prev = i > 0 ? toks[i - 1].lower : "";
      var prev2 = i > 1 ? toks[i - 2].lower : "";
      var ownLen = tok.terms.length;
      if (code) {
        var shortHex = tok.lower.indexOf("0x") === 0 && code.indexOf("c:0x8007") === 0 &&
          parseInt(tok.lower.slice(2), 16) <= 0xffff;
        if (!shortHex || WIN32_CONTEXT[prev] || prev === "hr" || prev === "hresult") strong.push(code);
      } else if (tok.kind === "word") {
        tok.terms.forEach(function (term) { if (term.indexOf("c:") === 0) strong.push(term); });
      }
      var httpCtx = prev === "http" || (prev === "error" && prev2 === "http");
      var bugCheck = prev === "stop" || prev === "bugcheck" || (prev === "check" && prev2 === "bug") ||
        (prev === "code" && prev2 === "stop");
      if (bugCheck && tok.kind === "code") {
        var hexText = tok.lower.indexOf("0x") === 0 ? tok.lower.slice(2) : tok.lower;
        tok.terms.push("c:bugcheck-0x" + parseInt(hexText, 16).toString(16));
        codes.push("Bug Check 0x" + parseInt(hexText, 16).toString(16).toUpperCase());
      } else if (httpCtx && /^[1-5]\d\d(?:\.\d{1,3})?$/.test(t)) {
        tok.terms.push("c:http-" + t);
        codes.push("HTTP " + t);
      } else if (tok.kind === "number") {
        if (prev === "msg") {
          tok.terms.push("c:mssql-" + t);
            codes.push("Msg " + t);
        } else if (WIN32_CONTEXT[prev] && tok.number >= 1 && tok.number <= 65535 &&
            // `exit status 1` is a process's exit status, and `error 550
            // 5.7.23` an SMTP reply with its enhanced status code.
            !(prev === "status" && prev2 === "exit") &&
            !(i + 1 < toks.length && /^[245]\.\d{1,3}\.\d{1,3}$/.test(toks[i + 1].text))) {
          tok.terms.push(win32(tok.number));
            codes.push(t);
        }
      }
      if (tok.kind === "word" || tok.kind === "name") {
        parts(t).forEach(function (p) {
          var lp = p.toLowerCase();
          var key = "w:" + stem(lp);
          if (!(key in spelled)) spelled[key] = lp;
        });
      }
      // A code the context rules added is strong too.
      tok.terms.slice(ownLen).forEach(function (term) { if (term.indexOf("c:") === 0) strong.push(term); });
      terms.push.apply(terms, tok.terms);
      if (tok.primary) seq.push(tok.primary);
    });

    var events = eventTerms(toks, aliases);
    var unique = [];
    var seen = Object.create(null);
    terms.concat(events.terms).forEach(function (term) {
      if (!seen[term]) { seen[term] = true; unique.push(term); }
    });
    return {
      terms: unique, seq: seq, noise: noise, events: events.found, codes: codes, spelled: spelled,
      strong: strong.map(function (c) { return c.slice(2); }),
    };
  }

  function sourceish(tok) {
    return tok.kind !== "noise" && tok.kind !== "code" && tok.terms.length > 0 && LETTER.test(tok.text) &&
      !STOPWORDS[tok.lower] && !NOT_SOURCE[tok.lower];
  }

  function sourceText(tok) {
    var k = tok.text.indexOf("/");
    return k >= 0 ? tok.text.slice(0, k) : tok.text;
  }

  // Up to `max` source-ish tokens ending right before index `end`, nearest
  // last; and starting at `start` after skipping the filler words.
  function runBefore(toks, end, max) {
    var run = [];
    for (var i = end - 1; i >= 0 && run.length < max && sourceish(toks[i]); i--) run.unshift(sourceText(toks[i]));
    return run;
  }
  function runAfter(toks, start, max) {
    var i = start;
    while (i < toks.length && SKIP_AFTER[toks[i].lower]) i++;
    var run = [];
    for (; i < toks.length && run.length < max && sourceish(toks[i]); i++) run.push(sourceText(toks[i]));
    return run;
  }

  // Limits of src/analysis/bounds.rs, the same on both sides.
  var NEAREST_SOURCES = 8;
  var COVERAGE_TERMS = 1024;
  var QUERY_MAX_BYTES = 16 * 1024;
  var QUERY_MAX_TERMS = 256;
  var QUERY_MAX_EVENTS = 64;

  // At most `k` entries of the sorted `at` nearest to `i`, in text order.
  function nearest(at, i, k) {
    if (at.length <= k) return at;
    var lo = 0;
    while (lo < at.length && at[lo] < i) lo++;
    var hi = lo;
    while (hi - lo < k) {
      var left = lo > 0 ? i - at[lo - 1] : Infinity;
      var right = hi < at.length ? at[hi] - i : Infinity;
      if (left === Infinity && right === Infinity) break;
      if (left <= right) lo--; else hi++;
    }
    return at.slice(lo, hi);
  }

  // A query cut to the limits, analysed; `cut` says what was left out.
  function analyzeQuery(query, aliases) {
    var said = [];
    var text = String(query || "");
    var bytes = new TextEncoder().encode(text);
    if (bytes.length > QUERY_MAX_BYTES) {
      var end = QUERY_MAX_BYTES;
      while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
      var nl = bytes.lastIndexOf(10, end - 1);
      if (nl > end / 2) end = nl + 1;
      text = new TextDecoder().decode(bytes.subarray(0, end));
      said.push("only the first " + Math.ceil(end / 1024) + " KB of the " + Math.ceil(bytes.length / 1024) + " KB query were searched");
    }
    var a = analyze(text, aliases);
    var events = a.terms.filter(function (t) { return t.indexOf("e:") === 0; }).length;
    if (events > QUERY_MAX_EVENTS) {
      var kept = 0;
      a.terms = a.terms.filter(function (t) { return t.indexOf("e:") !== 0 || ++kept <= QUERY_MAX_EVENTS; });
      said.push("only the first " + QUERY_MAX_EVENTS + " of " + events + " event keys were searched");
    }
    var terms = a.terms.length;
    if (terms > QUERY_MAX_TERMS) {
      a.terms = a.terms.slice(0, QUERY_MAX_TERMS);
      said.push("only the first " + QUERY_MAX_TERMS + " of " + terms + " terms were searched");
    }
    a.seq = a.seq.slice(0, COVERAGE_TERMS);
    a.noise = a.noise.slice(0, 64);
    return { text: text, analysis: a, cut: said.length ? said.join("; ") : null };
  }

  function eventTerms(toks, aliases) {
    var terms = [];
    var found = [];
    var sourceAt = [];
    toks.forEach(function (tok, i) { if (SOURCE_WORDS[tok.lower]) sourceAt.push(i); });
    function add(run, j, n, fromEnd) {
      var words = fromEnd ? run.slice(run.length - j) : run.slice(0, j);
      var c = canonicalSource(words.join(" "), aliases);
      if (c) terms.push("e:" + c + "/" + n);
    }
    toks.forEach(function (tok, i) {
      if (tok.kind !== "number" || tok.number < 1 || tok.number > 65535) return;
      var n = tok.number;
      var prev = i > 0 ? toks[i - 1].lower : "";
      var keyword = -1;
      if (EVENT_WORDS[prev]) keyword = i - 1;
      else if (prev === "id" && i > 1 && toks[i - 2].lower === "event") keyword = i - 2;
      var j;
      if (keyword >= 0) {
        terms.push("i:" + n);
        var before = runBefore(toks, keyword, 5);
        for (j = 1; j <= before.length; j++) add(before, j, n, true);
        var after = runAfter(toks, i + 1, 4);
        for (j = 1; j <= after.length; j++) add(after, j, n, false);
        var named = [];
        // The nearest `Source:` lines only, as src/analysis/bounds.rs: all of
        // them made a long paste of pairs quadratic.
        nearest(sourceAt, i, NEAREST_SOURCES).forEach(function (s) {
          var run = runAfter(toks, s + 1, 4);
          if (!named.length) named = run;
          for (var k = 1; k <= run.length; k++) add(run, k, n, false);
        });
        var guess = named.length ? named : before.length ? before : after;
        found.push({ id: n, source: guess.slice(0, 3).join(" ") });
      } else if (i > 0 && sourceish(toks[i - 1])) {
        var run = runBefore(toks, i, 5);
        for (j = 1; j <= run.length; j++) add(run, j, n, true);
        found.push({ id: n, source: run.slice(-3).join(" ") });
      }
    });
    return { terms: terms, found: found };
  }

  // ---- Index helpers -------------------------------------------------------------
  // FNV-1a, 32-bit, over the UTF-8 bytes of `s`.
  function fnv1a32(s) {
    var bytes = new TextEncoder().encode(s);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  // `t<k>`: the term shard holding `term`.
  function termShard(term, shards) { return "t" + (fnv1a32(term) % shards); }

  // `d<k>`: the doc shard holding document number `doc`.
  function docShard(doc, perShard) { return "d" + Math.floor(doc / perShard); }

  // `v<hex>`: the vocabulary shard of a word (without `w:`), by its first two
  // characters hex-encoded as UTF-8.
  function vocabShard(word) {
    var head = Array.from(word).slice(0, 2).join("");
    var bytes = new TextEncoder().encode(head);
    var out = "v";
    for (var i = 0; i < bytes.length; i++) out += hex(bytes[i], 2);
    return out;
  }

  // Length of the longest common subsequence of two term lists.
  function lcs(a, b) {
    if (!a.length || !b.length) return 0;
    var prev = new Array(b.length + 1).fill(0);
    var cur = new Array(b.length + 1).fill(0);
    for (var i = 1; i <= a.length; i++) {
      for (var j = 1; j <= b.length; j++) {
        cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
      }
      var t = prev; prev = cur; cur = t;
    }
    return prev[b.length];
  }

  // Share of a template's sequence that a line's sequence covers; 0 for
  // templates of fewer than 3 terms.
  function coverage(templateSeq, lineSeq) {
    if (!templateSeq || templateSeq.length < 3) return 0;
    var t = templateSeq.slice(0, COVERAGE_TERMS);
    return lcs(t, lineSeq.slice(0, COVERAGE_TERMS)) / t.length;
  }

  root.kbgenAnalyze = {
    analyze: analyze,
    isNoiseToken: isNoiseToken,
    analyzeQuery: analyzeQuery,
    fold: fold,
    tokenize: tokenize,
    slug: slug,
    canonicalSource: canonicalSource,
    fnv1a32: fnv1a32,
    termShard: termShard,
    docShard: docShard,
    vocabShard: vocabShard,
    lcs: lcs,
    coverage: coverage,
    stem: stem,
  };
})(typeof window !== "undefined" ? window : globalThis);
