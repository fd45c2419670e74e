/*! kyozai site search, the core: normalisation, query terms, matching, ranking, snippets, and
 * which parts of a sharded index a query needs (src/search/ is its Rust twin, unit for unit: all
 * offsets are UTF-16 code units).
 *
 * No DOM and no words: it runs in the browser (window.kyozaiSearchCore, used by search.js) and
 * under node (module.exports), where the twin test (tests/browser/search-twin.test.mjs) runs it and
 * the Rust search on the same built indexes and requires the same ranked results.
 *
 * The index comes in shards (src/search/shards.rs): search/<lang>.js says how many; a query
 * loads the gram files of its terms (search/<lang>/g<k>.js), which say which shards can hold a
 * match, then only those shards (search/<lang>/<k>.js), and merges their hits. The shards a query
 * needs are searched in batches of M.batch: each batch's hits ranked together, the batches in
 * course order, the next batch loaded only when asked for.
 *
 * Plain script, no dependencies, no eval: it works from file:// and under
 * Content-Security-Policy: default-src 'self'.
 */
(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module && module.exports) module.exports = api;
  else root.kyozaiSearchCore = api;
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";
  // ---- Normalisation (src/search/normalize.rs) --------------------------------

  function isSpace(c) {
    return c <= 0x20 || (c >= 0x7f && c <= 0xa0) || c === 0x1680 ||
      (c >= 0x2000 && c <= 0x200b) || c === 0x2028 || c === 0x2029 ||
      c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
  }

  function isWordUnit(c) {
    return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) || (c >= 0xc0 && c <= 0xd6) ||
      (c >= 0xd8 && c <= 0xf6) || (c >= 0xf8 && c <= 0x24f) ||
      (c >= 0x370 && c <= 0x3ff) || (c >= 0x400 && c <= 0x52f) ||
      (c >= 0x1e00 && c <= 0x1eff);
  }

  function isBreakUnit(c) {
    if ((c >= 0x3005 && c <= 0x3007) || (c >= 0x3031 && c <= 0x3035) ||
        c === 0x303b || c === 0x303c) {
      return false;
    }
    return (c >= 0x3000 && c <= 0x303f) || (c >= 0x2010 && c <= 0x205e) ||
      c === 0x30fb || (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff5f && c <= 0xff65) || isSpace(c);
  }

  // Half-width katakana U+FF61..U+FF9F → full-width.
  var HALFWIDTH_KANA = [
    0x3002, 0x300c, 0x300d, 0x3001, 0x30fb, 0x30f2, 0x30a1, 0x30a3,
    0x30a5, 0x30a7, 0x30a9, 0x30e3, 0x30e5, 0x30e7, 0x30c3, 0x30fc,
    0x30a2, 0x30a4, 0x30a6, 0x30a8, 0x30aa, 0x30ab, 0x30ad, 0x30af,
    0x30b1, 0x30b3, 0x30b5, 0x30b7, 0x30b9, 0x30bb, 0x30bd, 0x30bf,
    0x30c1, 0x30c4, 0x30c6, 0x30c8, 0x30ca, 0x30cb, 0x30cc, 0x30cd,
    0x30ce, 0x30cf, 0x30d2, 0x30d5, 0x30d8, 0x30db, 0x30de, 0x30df,
    0x30e0, 0x30e1, 0x30e2, 0x30e4, 0x30e6, 0x30e8, 0x30e9, 0x30ea,
    0x30eb, 0x30ec, 0x30ed, 0x30ef, 0x30f3, 0x309b, 0x309c
  ];

  function voiced(c) {
    if (((c >= 0x304b && c <= 0x3062) || (c >= 0x30ab && c <= 0x30c2)) &&
        (c - 0x304b) % 2 === 0) return c + 1;
    if (c === 0x3064 || c === 0x3066 || c === 0x3068 || c === 0x30c4 ||
        c === 0x30c6 || c === 0x30c8) return c + 1;
    if (((c >= 0x306f && c <= 0x307d) || (c >= 0x30cf && c <= 0x30dd)) &&
        (c - 0x306f) % 3 === 0) return c + 1;
    if (c === 0x3046) return 0x3094;
    if (c === 0x30a6) return 0x30f4;
    if (c === 0x309d || c === 0x30fd) return c + 1;
    if (c >= 0x30ef && c <= 0x30f2) return c + 8;
    return -1;
  }

  function semiVoiced(c) {
    if (((c >= 0x306f && c <= 0x307d) || (c >= 0x30cf && c <= 0x30dd)) &&
        (c - 0x306f) % 3 === 0) return c + 2;
    return -1;
  }

  // Display form: half-width kana composed into full-width, whitespace collapsed, trimmed.
  function display(s) {
    var out = [];
    var pending = false;
    var i = 0;
    var n = s.length;
    while (i < n) {
      var c = s.charCodeAt(i++);
      if (isSpace(c)) {
        pending = out.length > 0;
        continue;
      }
      if (pending) {
        out.push(0x20);
        pending = false;
      }
      var base = c >= 0xff61 && c <= 0xff9f ? HALFWIDTH_KANA[c - 0xff61] : c;
      if (i < n) {
        var next = s.charCodeAt(i);
        var k = -1;
        if (next === 0xff9e || next === 0x3099) k = voiced(base);
        else if (next === 0xff9f || next === 0x309a) k = semiVoiced(base);
        if (k >= 0) {
          out.push(k);
          i++;
          continue;
        }
      }
      out.push(base);
    }
    return unitsToString(out);
  }

  // Lower case of Latin (incl. Extended Additional), Greek and Cyrillic letters, when
  // it is one character; built on first use.
  var lowerTable = null;
  function lowerUnit(c) {
    if (lowerTable === null) {
      lowerTable = new Uint16Array(0x1f00);
      for (var u = 0; u < 0x1f00; u++) {
        var l = String.fromCharCode(u).toLowerCase();
        lowerTable[u] = l.length === 1 ? l.charCodeAt(0) : u;
      }
    }
    return lowerTable[c];
  }

  // How the text of language lang (a BCP 47 code) is folded: hiragana → katakana in Japanese
  // only (by the primary subtag). Folding::for_lang in Rust.
  function folding(lang) {
    var primary = String(lang || "").split(/[-_]/)[0].toLowerCase();
    return { kana: primary === "ja" };
  }

  // One UTF-16 unit → one UTF-16 unit, marks kept: full-width ASCII → ASCII, hiragana →
  // katakana (with f.kana), upper → lower case.
  function lightUnit(c, f) {
    if (c < 0x80) return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
    if (c >= 0xff01 && c <= 0xff5e) {
      var a = c - 0xfee0;
      return a >= 0x41 && a <= 0x5a ? a + 0x20 : a;
    }
    if (f.kana && ((c >= 0x3041 && c <= 0x3096) || c === 0x309d || c === 0x309e)) return c + 0x60;
    if ((c >= 0xc0 && c <= 0x52f) || (c >= 0x1e00 && c <= 0x1eff)) return lowerUnit(c);
    return c;
  }

  // A Latin letter without its marks, in lower case: one whose canonical decomposition is an
  // ASCII letter and combining marks (U+0300..U+036F), and đ, Đ → d; built on first use.
  var markTable = null;
  function stripMark(c) {
    var slot;
    if (c >= 0xc0 && c <= 0x24f) slot = c - 0xc0;
    else if (c >= 0x1e00 && c <= 0x1eff) slot = c - 0x1e00 + (0x250 - 0xc0);
    else return c;
    if (markTable === null) {
      markTable = new Uint16Array(0x250 - 0xc0 + 0x100);
      var ranges = [[0xc0, 0x24f], [0x1e00, 0x1eff]];
      var k = 0;
      for (var r = 0; r < ranges.length; r++) {
        for (var u = ranges[r][0]; u <= ranges[r][1]; u++) {
          var d = String.fromCharCode(u).normalize("NFD");
          var base = u;
          if (u === 0x110 || u === 0x111) base = 0x64;
          else if (d.length > 1 && /^[A-Za-z][\u0300-\u036f]+$/.test(d)) base = d.toLowerCase().charCodeAt(0);
          markTable[k++] = base;
        }
      }
    }
    return markTable[slot];
  }

  // One UTF-16 unit → one UTF-16 unit: lightUnit, then stripMark.
  function foldUnit(c, f) {
    return stripMark(lightUnit(c, f));
  }

  // UTF-16 units → string: TextDecoder where it is there and the platform is little
  // endian (fast on long texts), else String.fromCharCode in chunks.
  var utf16 = null;
  try {
    if (typeof TextDecoder !== "undefined" && new Uint8Array(new Uint16Array([1]).buffer)[0] === 1) {
      utf16 = new TextDecoder("utf-16le", { ignoreBOM: true });
    }
  } catch (e) {
    utf16 = null;
  }

  function unitsToString(units) {
    if (utf16 !== null && units.length > 256) {
      return utf16.decode(units instanceof Uint16Array ? units : Uint16Array.from(units));
    }
    var parts = [];
    for (var i = 0; i < units.length; i += 8192) {
      parts.push(String.fromCharCode.apply(null, units.slice(i, i + 8192)));
    }
    return parts.join("");
  }

  // foldUnit (or lightUnit) for every BMP unit, per folding, built on first use.
  var foldTables = {};

  function table(f, light) {
    var key = (f.kana ? "k" : "-") + (light ? "l" : "f");
    var t = foldTables[key];
    if (!t) {
      t = foldTables[key] = new Uint16Array(0x10000);
      for (var c = 0; c < 0x10000; c++) t[c] = light ? lightUnit(c, f) : foldUnit(c, f);
    }
    return t;
  }

  // Fold a string unit by unit with folding f (folding(lang)); the length never changes.
  function fold(s, f, light) {
    var t = table(f || folding(""), light);
    var n = s.length;
    var out = new Uint16Array(n);
    for (var i = 0; i < n; i++) out[i] = t[s.charCodeAt(i)];
    return unitsToString(out);
  }

  function normalize(s, f) {
    return fold(display(s), f);
  }

  // ---- Terms (src/search/terms.rs) -------------------------------------------

  var MAX_TERMS = 8;

  function endsWith(s, t) {
    return s.length >= t.length && s.lastIndexOf(t) === s.length - t.length;
  }

  function stem(w) {
    var n = w.length;
    if (n >= 5 && endsWith(w, "ies")) return w.slice(0, n - 3) + "y";
    if (n >= 5 && (endsWith(w, "ses") || endsWith(w, "xes") || endsWith(w, "zes") ||
        endsWith(w, "ches") || endsWith(w, "shes"))) return w.slice(0, n - 2);
    if (n >= 4 && endsWith(w, "s") && !endsWith(w, "ss") && !endsWith(w, "us") &&
        !endsWith(w, "is")) return w.slice(0, n - 1);
    if (n >= 6 && endsWith(w, "ing")) return w.slice(0, n - 3);
    if (n >= 5 && endsWith(w, "ed")) return w.slice(0, n - 2);
    if (n >= 6 && endsWith(w, "ly")) return w.slice(0, n - 2);
    return w;
  }

  function ekey(w) {
    return w.length >= 3 && endsWith(w, "e") ? w.slice(0, -1) : w;
  }

  function stripY(w) {
    return w.length >= 2 && endsWith(w, "y") ? w.slice(0, -1) : w;
  }

  function forms(w) {
    var a = ekey(w);
    var b = ekey(stem(w));
    return a === b ? [a] : [a, b];
  }

  function isTrimUnit(c) {
    return c < 0x80 && !isWordUnit(c);
  }

  // A query → terms: {text, marked, exact, word, prefix, forms, key}, folded as language lang
  // folds (see marksAgree for marked and exact).
  function parseQuery(query, lang) {
    var last = query.length ? query.charCodeAt(query.length - 1) : 0x20;
    var endsOpen = !isSpace(last) && !isBreakUnit(last);
    var f = folding(lang);
    var shown = display(query);
    var norm = fold(shown, f);
    var light = fold(shown, f, true);
    var terms = [];
    var start = 0;
    for (var i = 0; i <= norm.length && terms.length < MAX_TERMS; i++) {
      if (i < norm.length && !isBreakUnit(norm.charCodeAt(i))) continue;
      var a = start;
      var b = i;
      start = i + 1;
      while (a < b && isTrimUnit(norm.charCodeAt(a))) a++;
      while (b > a && isTrimUnit(norm.charCodeAt(b - 1))) b--;
      if (a === b) continue;
      var text = norm.slice(a, b);
      var marked = light.slice(a, b);
      if (terms.some(function (t) { return t.marked === marked; })) continue;
      var word = true;
      for (var j = 0; j < text.length; j++) {
        if (!isWordUnit(text.charCodeAt(j))) {
          word = false;
          break;
        }
      }
      terms.push({ text: text, marked: marked, exact: marked !== text, word: word, prefix: false, forms: [], key: text });
    }
    if (terms.length === 1 && terms[0].marked.length === 1 && terms[0].marked.charCodeAt(0) < 0x80) {
      return [];
    }
    terms.forEach(function (t, idx) {
      if (!t.word) return;
      var x = stripY(ekey(t.text));
      var y = stripY(ekey(stem(t.text)));
      var k = 0;
      while (k < x.length && k < y.length && x.charCodeAt(k) === y.charCodeAt(k)) k++;
      t.key = x.slice(0, k);
      t.forms = forms(t.text);
      t.prefix = idx === terms.length - 1 && endsOpen;
    });
    return terms;
  }

  // Whether the marked letters of term are in raw (display text) at p, for a match ending at e:
  // a query letter without marks accepts any marks, one with marks only itself (whatever its
  // case). Always true for a term without marks.
  var NO_KANA = { kana: false };
  function marksAgree(raw, p, e, term) {
    if (!term.exact) return true;
    var n = Math.min(term.marked.length, e - p);
    for (var i = 0; i < n; i++) {
      var q = term.marked.charCodeAt(i);
      if (q === term.text.charCodeAt(i)) continue;
      if (p + i >= raw.length || lightUnit(raw.charCodeAt(p + i), NO_KANA) !== q) return false;
    }
    return true;
  }

  function wordMatches(w, term) {
    if (term.prefix && w.lastIndexOf(term.text, 0) === 0) return true;
    var f = forms(w);
    for (var i = 0; i < f.length; i++) {
      if (term.forms.indexOf(f[i]) >= 0) return true;
    }
    return false;
  }

  // ---- Matching, ranking, snippets (src/search/query.rs) ---------------------

  var SCORE_TITLE = 1000;
  var SCORE_HEADING = 300;
  var SCORE_BODY = 100;
  var SNIPPET_LEN = 80;
  var SNIPPET_LEAD = 30;

  // First match of term in folded text s at or after from: [start, end] or null; raw is the same
  // text in display form (needed only for a term with marks, term.exact).
  function nextMatch(s, term, from, raw) {
    var key = term.key;
    var at = from;
    for (;;) {
      var p = s.indexOf(key, at);
      if (p < 0) return null;
      if (!term.word) {
        if (marksAgree(raw, p, p + key.length, term)) return [p, p + key.length];
        at = p + 1;
        continue;
      }
      var e = p + key.length;
      while (e < s.length && isWordUnit(s.charCodeAt(e))) e++;
      if ((p === 0 || !isWordUnit(s.charCodeAt(p - 1))) && wordMatches(s.slice(p, e), term) &&
          marksAgree(raw, p, e, term)) {
        return [p, e];
      }
      at = e > p + 1 ? e : p + 1;
    }
  }

  // The index unpacked for searching: folded text, chunk boundaries, titles.
  function prepare(idx) {
    var text = idx.text;
    var f0 = folding(idx.lang);
    var folded = fold(text, f0);
    var n = idx.page.length;
    var recStart = new Uint32Array(n + 1);
    var sepAt = new Uint32Array(n);
    var headings = new Array(n);
    var bodies = new Array(n);
    var p = 0;
    for (var d = 0; d < n; d++) {
      recStart[d] = p;
      var f = text.indexOf("\u001f", p);
      var e = text.indexOf("\u001e", f);
      if (e < 0) e = text.length;
      sepAt[d] = f;
      headings[d] = folded.slice(p, f);
      bodies[d] = folded.slice(f + 1, e);
      p = e + 1;
    }
    recStart[n] = text.length + 1;
    var pageDocs = idx.pages.map(function () { return []; });
    for (var k = 0; k < n; k++) pageDocs[idx.page[k]].push(k);
    return {
      index: idx,
      text: text,
      folded: folded,
      recStart: recStart,
      sepAt: sepAt,
      headings: headings,
      bodies: bodies,
      titles: idx.pages.map(function (pg) { return fold(pg[1], f0); }),
      pageDocs: pageDocs
    };
  }

  function headingText(P, d) {
    return P.text.slice(P.recStart[d], P.sepAt[d]);
  }

  function bodyText(P, d) {
    return P.text.slice(P.sepAt[d] + 1, P.recStart[d + 1] - 1);
  }

  // Chunks where term matches in the heading or text, by one scan of the whole text.
  function scanText(P, term, mark) {
    var s = P.folded;
    var starts = P.recStart;
    var n = P.index.page.length;
    var d = 0;
    var at = 0;
    for (;;) {
      var m = nextMatch(s, term, at, P.text);
      if (m === null) return;
      while (d + 1 <= n && starts[d + 1] <= m[0]) d++;
      mark[d] = 1;
      if (d + 1 > n) return;
      at = starts[d + 1];
    }
  }

  function compareHits(a, b) {
    return b.score - a.score || a.pos - b.pos || a.len - b.len || a.doc - b.doc;
  }

  // Search with parsed terms; hits best first: {doc, url, title, heading, kind, score}.
  function searchTerms(P, terms) {
    return rankTerms(P, terms).map(function (h) { return hitOf(P, h.doc, h.doc, h.score); });
  }

  // The hit of chunk d of prepared index P, numbered doc, with score.
  function hitOf(P, d, doc, score) {
    var idx = P.index;
    var heading = headingText(P, d);
    return {
      doc: doc,
      url: idx.pages[idx.page[d]][0] + idx.anchor[d],
      title: idx.pages[idx.page[d]][1],
      heading: heading === "" ? null : heading,
      kind: idx.kind.charAt(d),
      score: score
    };
  }

  // The chunks that match every term, ranked best first: {doc, score, pos, len}.
  function rankTerms(P, terms) {
    if (!terms.length) return [];
    var idx = P.index;
    var n = idx.page.length;
    var titleHits = terms.map(function (t) {
      return P.titles.map(function (title, page) {
        var m = nextMatch(title, t, 0, idx.pages[page][1]);
        return m ? m[0] : -1;
      });
    });
    // Candidates: every chunk that matches the most selective-looking term.
    var driver = 0;
    for (var i = 1; i < terms.length; i++) {
      if (terms[i].key.length > terms[driver].key.length) driver = i;
    }
    var mark = new Uint8Array(n);
    scanText(P, terms[driver], mark);
    titleHits[driver].forEach(function (pos, page) {
      if (pos >= 0) P.pageDocs[page].forEach(function (d) { mark[d] = 1; });
    });
    var exact = terms.some(function (t) { return t.exact; });
    var hits = [];
    for (var doc = 0; doc < n; doc++) {
      if (!mark[doc]) continue;
      var page = idx.page[doc];
      var rawHeading = exact ? headingText(P, doc) : "";
      var rawBody = exact ? bodyText(P, doc) : "";
      var score = 0;
      var best = [-1, -1, -1];
      var ok = true;
      for (var t = 0; t < terms.length; t++) {
        var inTitle = titleHits[t][page];
        var mh = nextMatch(P.headings[doc], terms[t], 0, rawHeading);
        var mb = nextMatch(P.bodies[doc], terms[t], 0, rawBody);
        var pos = [inTitle, mh ? mh[0] : -1, mb ? mb[0] : -1];
        if (pos[0] >= 0) score += SCORE_TITLE;
        else if (pos[1] >= 0) score += SCORE_HEADING;
        else if (pos[2] >= 0) score += SCORE_BODY;
        else {
          ok = false;
          break;
        }
        for (var f = 0; f < 3; f++) {
          if (pos[f] >= 0 && (best[f] < 0 || pos[f] < best[f])) best[f] = pos[f];
        }
      }
      if (!ok) continue;
      var lens = [P.titles[page].length, P.headings[doc].length, P.bodies[doc].length];
      var bp = 0;
      var bl = 0;
      for (var g = 0; g < 3; g++) {
        if (best[g] >= 0) {
          bp = best[g];
          bl = lens[g];
          break;
        }
      }
      hits.push({ doc: doc, score: score, pos: bp, len: bl });
    }
    hits.sort(compareHits);
    return hits;
  }

  function search(P, query) {
    return searchTerms(P, parseQuery(query, P.index.lang));
  }

  // ---- Shards (src/search/shards.rs) -----------------------------------------

  var BITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

  // The gram numbers a term's key needs, or null when any shard may match.
  function termGrams(t) {
    var k = t.key;
    if (k.length === 0) return null;
    if (k.length === 1) return [k.charCodeAt(0)];
    var out = [];
    for (var i = 0; i + 1 < k.length; i++) out.push(k.charCodeAt(i) * 65536 + k.charCodeAt(i + 1));
    return out;
  }

  // The gram files (numbers) that say where the terms can match.
  function gramFiles(M, terms) {
    var files = [];
    if (!M.grams) return files;
    terms.forEach(function (t) {
      (termGrams(t) || []).forEach(function (g) {
        var f = g % M.grams;
        if (files.indexOf(f) < 0) files.push(f);
      });
    });
    return files;
  }

  // The shards (numbers, in order) that hold every gram of every term; gramPart(f) gives gram
  // file f's map.
  function neededShards(M, terms, gramPart) {
    var set = null;
    if (!M.grams) terms = [];
    terms.forEach(function (t) {
      var grams = termGrams(t);
      if (grams === null) return;
      grams.forEach(function (g) {
        var bits = gramPart(g % M.grams)[String(g)] || "";
        var has = new Uint8Array(M.shards);
        for (var j = 0; j < bits.length; j++) {
          var d = BITS.indexOf(bits.charAt(j));
          for (var b = 0; b < 6; b++) {
            if ((d >> b) & 1 && 6 * j + b < M.shards) has[6 * j + b] = 1;
          }
        }
        if (set === null) set = has;
        else for (var k = 0; k < set.length; k++) set[k] &= has[k];
      });
    });
    var out = [];
    for (var s = 0; s < M.shards; s++) if (set === null || set[s]) out.push(s);
    return out;
  }

  // Search prepared shards [{P, first}] with terms; the hits of the whole index, best first,
  // each with its shard's P and its number there (local) besides its global number (doc).
  function searchShards(list, terms) {
    var all = [];
    list.forEach(function (sh) {
      rankTerms(sh.P, terms).forEach(function (h) {
        all.push({ sh: sh, local: h.doc, doc: sh.first + h.doc, score: h.score, pos: h.pos, len: h.len });
      });
    });
    all.sort(compareHits);
    return all.map(function (h) {
      var hit = hitOf(h.sh.P, h.local, h.doc, h.score);
      hit.P = h.sh.P;
      hit.local = h.local;
      return hit;
    });
  }

  // The batches a query's needed shards are searched in: runs of M.batch shards, in order (all at
  // once when the manifest has no batch, as before version 3).
  function batchesOf(M, need) {
    var size = M.batch > 0 ? M.batch : Math.max(need.length, 1);
    var out = [];
    for (var i = 0; i < need.length; i += size) out.push(need.slice(i, i + size));
    return out;
  }

  // The batches of a query with terms on sharded index M: {missing: [names]} while gram files
  // are missing, else {batches: [[shard, …], …]}.
  function planSharded(M, part, terms) {
    if (!terms.length) return { batches: [] };
    var missing = gramFiles(M, terms).map(function (f) { return "g" + f; })
      .filter(function (n) { return part(n) === undefined; });
    if (missing.length) return { missing: missing };
    return { batches: batchesOf(M, neededShards(M, terms, function (f) { return part("g" + f); })) };
  }

  // The hits of terms in shards (numbers), ranked together: {missing: [names]} while shards are
  // missing, else {hits}.
  function searchIn(shards, part, terms, cache) {
    var missing = shards.map(String).filter(function (n) { return part(n) === undefined; });
    if (missing.length) return { missing: missing };
    var list = shards.map(function (k) { return preparedShard(cache, part, k); });
    return { hits: searchShards(list, terms) };
  }

  // Shard k prepared for searching ({P, first}), kept in cache; part(String(k)) must be loaded.
  function preparedShard(cache, part, k) {
    if (!cache[k]) {
      var sh = part(String(k));
      cache[k] = { P: prepare(sh), first: sh.first };
    }
    return cache[k];
  }

  // The names of the gram files ("g3") a query on sharded index M needs before its shards are
  // known; loaded while the reader is still typing, they cost a few KB each.
  function gramNames(M, query) {
    if (!M || !M.grams) return [];
    return gramFiles(M, parseQuery(query, M.lang)).map(function (f) { return "g" + f; });
  }

  // Batch k of a query on a sharded index M whose parts part(name) gives ("g3", "12"; undefined
  // when not loaded): {missing: [names]} while parts are missing, else {hits, shards, terms, batch,
  // batches} (shards: the batch's; batches: how many the query has; none past the last).
  function searchBatch(M, part, query, k, cache) {
    var terms = parseQuery(query, M.lang);
    var plan = planSharded(M, part, terms);
    if (plan.missing) return plan;
    var shards = plan.batches[k] || [];
    var r = searchIn(shards, part, terms, cache || {});
    if (r.missing) return r;
    return { hits: r.hits, shards: shards, terms: terms, batch: k, batches: plan.batches.length };
  }

  // A whole query on a sharded index M: every batch's hits, the batches in order (Sharded::search
  // in Rust). {missing: [names]} while parts are missing, else {hits, shards, terms, batches}.
  function searchSharded(M, part, query, cache) {
    var terms = parseQuery(query, M.lang);
    var plan = planSharded(M, part, terms);
    if (plan.missing) return plan;
    var need = [];
    plan.batches.forEach(function (b) { need.push.apply(need, b); });
    var missing = need.map(String).filter(function (n) { return part(n) === undefined; });
    if (missing.length) return { missing: missing };
    var hits = [];
    cache = cache || {};
    plan.batches.forEach(function (b) {
      searchIn(b, part, terms, cache).hits.forEach(function (h) { hits.push(h); });
    });
    return { hits: hits, shards: need, terms: terms, batches: plan.batches.length };
  }

  // All matches of the terms in folded text s (raw in display form) that start before end,
  // merged: [[s, e], …].
  function matchRanges(s, terms, end, raw) {
    var ranges = [];
    terms.forEach(function (t) {
      var at = 0;
      for (;;) {
        var m = nextMatch(s, t, at, raw);
        if (m === null || m[0] >= end) break;
        ranges.push(m);
        at = m[1];
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    });
    return merged;
  }

  function isLowSurrogate(c) {
    return c >= 0xdc00 && c <= 0xdfff;
  }

  // Snippet of a chunk's text: {text, marks: [[start, end], …]} (offsets into text).
  function snippet(P, doc, terms) {
    var body = bodyText(P, doc);
    var s = P.bodies[doc];
    var n = s.length;
    var first = -1;
    terms.forEach(function (t) {
      var m = nextMatch(s, t, 0, body);
      if (m && (first < 0 || m[0] < first)) first = m[0];
    });
    var start = first < 0 ? 0 : Math.max(0, first - SNIPPET_LEAD);
    var end = Math.min(start + SNIPPET_LEN, n);
    start = Math.max(0, end - SNIPPET_LEN);
    if (start > 0 && isLowSurrogate(body.charCodeAt(start))) start--;
    if (end < n && isLowSurrogate(body.charCodeAt(end))) end++;
    var lead = start > 0 ? 1 : 0;
    var marks = [];
    matchRanges(s, terms, end, body).forEach(function (r) {
      if (r[1] <= start) return;
      marks.push([Math.max(r[0], start) - start + lead, Math.min(r[1], end) - start + lead]);
    });
    var merged = [];
    marks.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push(r);
    });
    var text = (start > 0 ? "\u2026" : "") + body.slice(start, end) + (end < n ? "\u2026" : "");
    return { text: text, marks: merged };
  }

  // The snippet with marks wrapped in « and » (as Hit::snippet in Rust).
  function markedSnippet(P, doc, terms) {
    var sn = snippet(P, doc, terms);
    var out = "";
    var at = 0;
    sn.marks.forEach(function (r) {
      out += sn.text.slice(at, r[0]) + "\u00ab" + sn.text.slice(r[0], r[1]) + "\u00bb";
      at = r[1];
    });
    return out + sn.text.slice(at);
  }

  return {
    isSpace: isSpace,
    isWordUnit: isWordUnit,
    isBreakUnit: isBreakUnit,
    display: display,
    fold: fold,
    foldUnit: foldUnit,
    lightUnit: lightUnit,
    folding: folding,
    normalize: normalize,
    stem: stem,
    forms: forms,
    parseQuery: parseQuery,
    prepare: prepare,
    search: search,
    searchTerms: searchTerms,
    termGrams: termGrams,
    neededShards: neededShards,
    searchShards: searchShards,
    batchesOf: batchesOf,
    searchBatch: searchBatch,
    preparedShard: preparedShard,
    gramNames: gramNames,
    searchSharded: searchSharded,
    matchRanges: matchRanges,
    snippet: snippet,
    markedSnippet: markedSnippet
  };
});
