/*! kyozai checklist comparison, the core: reads JSON and CSV exports of one checklist and brings
 * them together (every respondent's answers side by side, hospital-wide domain and group scores,
 * the items respondents disagree on most, what changed between two exports of one respondent) and
 * writes the combined table as CSV.
 *
 * No DOM and no words: errors are codes with their details, which the page turns into sentences.
 * It runs in the browser (window.kyozaiCompareCore) and under node (module.exports), where a test
 * runs it on the same files as `kyozai report` (src/report/) and requires the same result: the two
 * follow the same rules in the same order, so their figures are equal to the last bit.
 */
(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module && module.exports) module.exports = api;
  else root.kyozaiCompareCore = api;
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var FORMAT = "kyozai-checklist";
  var MAX_BYTES = 1024 * 1024;
  var MAX_ITEMS = 5000;
  var MAX_NOTE = 20000;
  var MAX_RESPONDENT = 200;
  var CSV_COLUMNS = 12; // exports made before the respondent column have 12, newer ones 13

  function isObject(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function hasOwn(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }
  function fail(code, detail) { var e = { code: code }; if (detail) for (var k in detail) e[k] = detail[k]; return { error: e }; }

  /** One line, trimmed, at most MAX_RESPONDENT UTF-16 units. */
  function cleanName(s) { return String(s).replace(/[\s\u0085\u00a0]+/g, " ").trim().slice(0, MAX_RESPONDENT); }

  /** The name of a file without its folder and last extension. */
  function stem(name) {
    var base = String(name).replace(/^.*[\\/]/, "");
    var dot = base.lastIndexOf(".");
    return dot > 0 ? base.slice(0, dot) : base;
  }

  /** What the rules need of a checklist, from its data (LANG/checklists/ID/data.js). */
  function model(data) {
    var statuses = data.statuses.map(function (s) { return { id: String(s.id), score: typeof s.score === "number" ? s.score : null, na: !!s.na }; });
    var statusById = {};
    var max = 0;
    statuses.forEach(function (s) { statusById[s.id] = s; if (!s.na && s.score !== null && s.score > max) max = s.score; });
    var items = data.items.map(function (it, i) { return { id: String(it.id), domain: Number(it.domain) || 0, index: i }; });
    var byId = {};
    items.forEach(function (it) { byId[it.id] = it; });
    var domains = [];
    items.forEach(function (it) { if (domains.indexOf(it.domain) < 0) domains.push(it.domain); });
    domains.sort(function (a, b) { return a - b; });
    return {
      id: String(data.id), version: Number(data.version), statuses: statuses, statusById: statusById, max: max,
      items: items, byId: byId, domains: domains,
      groups: (data.groups || []).map(function (g) { return { id: String(g.id), domains: g.domains.map(Number) }; }),
    };
  }

  // ---- Reading one file ----------------------------------------------------------------------

  /**
   * Reads one export. Returns { export: {...} } or { error: { code, ... } }. `text` is the file's
   * text; the caller refuses files over MAX_BYTES before reading them (code "too-big").
   */
  function parse(m, name, text) {
    var body = String(text).replace(/^\uFEFF/, "");
    if (!/\S/.test(body)) return fail("empty");
    var first = body.replace(/^\s+/, "").charAt(0);
    var raw = first === "{" || first === "[" ? fromJson(body) : fromCsv(body);
    if (raw.error) return raw;
    return settle(m, name, raw);
  }

  /** A JSON export as { checklist, version, respondent, date, exported, items: [{id, status, note}] }. */
  function fromJson(body) {
    var rec;
    try { rec = JSON.parse(body); } catch (e) { return fail("json"); }
    if (!isObject(rec) || rec.format !== FORMAT || typeof rec.checklist !== "string") return fail("format");
    if (!Array.isArray(rec.items)) return fail("items");
    if (rec.items.length > MAX_ITEMS) return fail("too-many", { limit: MAX_ITEMS });
    var items = [];
    for (var i = 0; i < rec.items.length; i++) {
      var it = rec.items[i];
      if (!isObject(it) || typeof it.id !== "string" || !it.id || it.id.length > 200) return fail("item", { index: i + 1 });
      var status = it.status;
      if (status === undefined || status === null) status = "";
      else if (typeof status !== "string") return fail("status", { item: it.id, status: JSON.stringify(status).slice(0, 80) });
      var note = it.note;
      if (note === undefined || note === null) note = "";
      else if (typeof note !== "string" || note.length > MAX_NOTE) return fail("note", { item: it.id });
      items.push({ id: it.id, status: status, note: note });
    }
    return {
      checklist: rec.checklist, version: rec.version,
      respondent: typeof rec.respondent === "string" ? rec.respondent : "",
      date: typeof rec.date === "string" ? rec.date : "",
      exported: typeof rec.exported === "string" ? rec.exported : "",
      items: items, kind: "json",
    };
  }

  /** Splits CSV text into rows of fields; null when a quote is left open. */
  function csvRows(body) {
    var rows = [];
    var row = [];
    var field = "";
    var quoted = false;
    var i = 0;
    var n = body.length;
    while (i < n) {
      var c = body.charAt(i);
      if (quoted) {
        if (c === "\"") {
          if (body.charAt(i + 1) === "\"") { field += "\""; i += 2; continue; }
          quoted = false; i++; continue;
        }
        field += c; i++; continue;
      }
      if (c === "\"") { quoted = true; i++; continue; }
      if (c === ",") { row.push(field); field = ""; i++; continue; }
      if (c === "\r" || c === "\n") {
        row.push(field); field = "";
        rows.push(row); row = [];
        i += c === "\r" && body.charAt(i + 1) === "\n" ? 2 : 1;
        continue;
      }
      field += c; i++;
    }
    if (quoted) return null;
    if (field !== "" || row.length) { row.push(field); rows.push(row); }
    return rows.filter(function (r) { return !(r.length === 1 && r[0] === ""); });
  }

  /** Undoes the checklist page's guard against spreadsheet formulas (a leading apostrophe). */
  function undefuse(s) { return /^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s; }

  /** A CSV export: a header row, then one row per item (checklist, version, date, item, …, status, …, note, respondent). */
  function fromCsv(body) {
    var rows = csvRows(body);
    if (!rows || rows.length < 2) return fail("csv");
    var width = rows[0].length;
    if (width !== CSV_COLUMNS && width !== CSV_COLUMNS + 1) return fail("csv");
    if (rows.length - 1 > MAX_ITEMS) return fail("too-many", { limit: MAX_ITEMS });
    var head = rows[1];
    var out = { checklist: head[0], version: null, respondent: width > CSV_COLUMNS ? undefuse(head[12]) : "", date: head[2], exported: "", items: [], kind: "csv" };
    if (/^[0-9]{1,9}$/.test(head[1])) out.version = parseInt(head[1], 10);
    for (var r = 1; r < rows.length; r++) {
      var f = rows[r];
      if (f.length !== width) return fail("csv-row", { row: r + 1 });
      if (f[0] !== head[0] || f[1] !== head[1] || f[2] !== head[2] || (width > CSV_COLUMNS && f[12] !== head[12])) return fail("csv-mixed", { row: r + 1 });
      if (!f[3] || f[3].length > 200) return fail("item", { index: r });
      var note = undefuse(f[11]);
      if (note.length > MAX_NOTE) return fail("note", { item: f[3] });
      out.items.push({ id: f[3], status: f[9], note: note });
    }
    return out;
  }

  /** Checks a read export against the checklist and carries an older version's answers over. */
  function settle(m, name, raw) {
    if (raw.checklist !== m.id) return fail("checklist", { found: String(raw.checklist).slice(0, 80), want: m.id });
    var v = raw.version;
    if (typeof v !== "number" || !isFinite(v) || v < 1 || Math.floor(v) !== v) return fail("version");
    if (v > m.version) return fail("newer", { found: v, want: m.version });
    var older = v < m.version;
    var answers = {};
    var notes = {};
    var seen = {};
    var known = 0;
    var dropped = 0;
    for (var i = 0; i < raw.items.length; i++) {
      var it = raw.items[i];
      if (hasOwn(seen, it.id)) return fail("duplicate-item", { item: it.id });
      seen[it.id] = true;
      if (!hasOwn(m.byId, it.id)) { dropped++; continue; }
      known++;
      var status = it.status;
      if (status !== "" && !hasOwn(m.statusById, status)) {
        // An older version's status that is gone is dropped, as the checklist page migrates
        // stored answers; in an export of this version it is an error.
        if (!older) return fail("status", { item: it.id, status: status.slice(0, 80) });
        status = "";
        dropped++;
      }
      if (status) answers[it.id] = status;
      if (it.note) notes[it.id] = it.note;
    }
    if (!known) return fail("no-known");
    var date = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(raw.date) ? raw.date : "";
    var respondent = cleanName(raw.respondent);
    return {
      export: {
        file: String(name), kind: raw.kind, version: v, date: date, exported: raw.exported.slice(0, 40),
        respondent: respondent || cleanName(stem(name)), named: !!respondent,
        answers: answers, notes: notes,
        migrated: older ? { from: v, dropped: dropped } : null,
        ignored: older ? 0 : dropped,
      },
    };
  }

  // ---- Bringing them together ------------------------------------------------------------------

  function statusScore(m, id) {
    var s = id ? m.statusById[id] : null;
    return s && !s.na && s.score !== null ? s.score : null;
  }

  /** Domain number → score 0–1 (null: nothing scored) of one export, as the checklist page totals it. */
  function domainScores(m, ex) {
    var sums = {};
    var counts = {};
    m.domains.forEach(function (n) { sums[n] = 0; counts[n] = 0; });
    m.items.forEach(function (it) {
      var sc = statusScore(m, ex.answers[it.id]);
      if (sc === null) return;
      sums[it.domain] += sc;
      counts[it.domain]++;
    });
    var out = {};
    m.domains.forEach(function (n) { out[n] = counts[n] && m.max > 0 ? sums[n] / (counts[n] * m.max) : null; });
    return out;
  }

  /** Group scores: the mean of the group's scored domains; the weakest marked unless all are 1. */
  function groupScores(m, domains) {
    var groups = m.groups.map(function (g) {
      var sum = 0;
      var n = 0;
      g.domains.forEach(function (d) { var s = hasOwn(domains, d) ? domains[d] : null; if (s !== null) { sum += s; n++; } });
      return { id: g.id, score: n ? sum / n : null, weakest: false };
    });
    markWeakest(groups);
    return groups;
  }

  function markWeakest(list) {
    var min = null;
    list.forEach(function (x) { if (x.score !== null && (min === null || x.score < min)) min = x.score; });
    if (min !== null && min < 1) list.forEach(function (x) { if (x.score !== null && Math.abs(x.score - min) < 1e-9) x.weakest = true; });
  }

  function answersKey(m, ex) {
    return m.items.map(function (it) { return (ex.answers[it.id] || "") + "\u0001" + (ex.notes[it.id] || ""); }).join("\u0002");
  }

  /** Earlier first: by date, then by export time, then by file order. */
  function chronological(a, b) {
    if (a.ex.date !== b.ex.date) return a.ex.date < b.ex.date ? -1 : 1;
    if (a.ex.exported !== b.ex.exported) return a.ex.exported < b.ex.exported ? -1 : 1;
    return a.index - b.index;
  }

  /**
   * Brings exports together (in file order; each one's `respondent` may have been edited).
   * Duplicates (same respondent, date and answers as an earlier file) are left out and named.
   * Each respondent is one column, its latest export; hospital-wide figures weigh respondents
   * equally. Disagreement is the population standard deviation of the item's scores (0–1) over
   * the respondents who gave it a scored status.
   */
  function combine(m, exports) {
    var seen = {};
    var duplicates = [];
    var byName = {};
    var names = [];
    exports.forEach(function (ex, index) {
      var key = ex.respondent + "\u0000" + ex.date + "\u0000" + answersKey(m, ex);
      if (hasOwn(seen, key)) { duplicates.push({ index: index, of: seen[key] }); return; }
      seen[key] = index;
      if (!hasOwn(byName, ex.respondent)) { byName[ex.respondent] = []; names.push(ex.respondent); }
      byName[ex.respondent].push({ ex: ex, index: index });
    });

    var respondents = names.map(function (name) {
      var list = byName[name].slice().sort(chronological);
      var latest = list[list.length - 1];
      var domains = domainScores(m, latest.ex);
      var items = {};
      m.items.forEach(function (it) { items[it.id] = latest.ex.answers[it.id] || null; });
      return {
        name: name, exports: list.map(function (x) { return x.index; }), latest: latest.index,
        date: latest.ex.date, domains: domains, groups: groupScores(m, domains), items: items,
      };
    });

    // Hospital-wide: every respondent's latest export counts once.
    var domains = m.domains.map(function (n) {
      var sum = 0;
      var k = 0;
      respondents.forEach(function (r) { var s = r.domains[n]; if (s !== null) { sum += s; k++; } });
      return { number: n, score: k ? sum / k : null, respondents: k, weakest: false };
    });
    markWeakest(domains);
    var hospital = {};
    domains.forEach(function (d) { hospital[d.number] = d.score; });
    var groups = groupScores(m, hospital);
    var ranking = domains.filter(function (d) { return d.score !== null; }).sort(function (a, b) {
      return a.score !== b.score ? a.score - b.score : a.number - b.number;
    }).map(function (d) { return d.number; });

    // Disagreement per item.
    var disagreement = [];
    if (m.max > 0) {
      m.items.forEach(function (it) {
        var values = [];
        respondents.forEach(function (r) { var s = statusScore(m, r.items[it.id]); if (s !== null) values.push(s / m.max); });
        if (values.length < 2) return;
        var sum = 0;
        values.forEach(function (x) { sum += x; });
        var mean = sum / values.length;
        var sq = 0;
        values.forEach(function (x) { sq += (x - mean) * (x - mean); });
        var lo = values[0];
        var hi = values[0];
        values.forEach(function (x) { if (x < lo) lo = x; if (x > hi) hi = x; });
        disagreement.push({ item: it.id, index: it.index, respondents: values.length, mean: mean, sd: Math.sqrt(sq / values.length), min: lo, max: hi });
      });
      disagreement.sort(function (a, b) { return a.sd !== b.sd ? b.sd - a.sd : a.index - b.index; });
      disagreement.forEach(function (d) { delete d.index; });
    }

    // What changed between consecutive exports of one respondent.
    var changes = [];
    names.forEach(function (name) {
      var list = byName[name].slice().sort(chronological);
      for (var i = 1; i < list.length; i++) {
        var a = list[i - 1].ex;
        var b = list[i].ex;
        var items = [];
        m.items.forEach(function (it) {
          var x = a.answers[it.id] || null;
          var y = b.answers[it.id] || null;
          if (x !== y) items.push({ item: it.id, from: x, to: y });
        });
        var da = domainScores(m, a);
        var db = domainScores(m, b);
        var doms = [];
        m.domains.forEach(function (n) { if (da[n] !== db[n]) doms.push({ number: n, from: da[n], to: db[n] }); });
        changes.push({ respondent: name, from: list[i - 1].index, to: list[i].index, items: items, domains: doms });
      }
    });

    return { respondents: respondents, duplicates: duplicates, domains: domains, ranking: ranking, groups: groups, disagreement: disagreement, changes: changes };
  }

  // ---- The combined table as CSV ---------------------------------------------------------------

  /** One CSV field: always quoted; text a spreadsheet would run as a formula is defused. */
  function csvField(v) {
    var s = v === null || v === undefined ? "" : String(v);
    if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return "\"" + s.replace(/"/g, "\"\"") + "\"";
  }

  /**
   * Every kept export, respondent by respondent and oldest first, one row per item. `labels`
   * gives the header (11 words), `yes` for the latest export and, per item id, the question and, per status id, its label.
   */
  function toCsv(m, exports, result, labels) {
    var rows = [labels.header];
    result.respondents.forEach(function (r) {
      r.exports.forEach(function (index) {
        var ex = exports[index];
        var latest = index === r.latest ? labels.yes : "";
        m.items.forEach(function (it) {
          var st = ex.answers[it.id] || "";
          var sc = statusScore(m, st);
          rows.push([r.name, ex.date, ex.file, latest, it.id, it.domain, labels.questions[it.id] || "", st, st ? labels.statuses[st] || st : "", sc === null ? "" : sc, ex.notes[it.id] || ""]);
        });
      });
    });
    return "\uFEFF" + rows.map(function (row) { return row.map(csvField).join(","); }).join("\r\n") + "\r\n";
  }

  return { MAX_BYTES: MAX_BYTES, model: model, parse: parse, combine: combine, toCsv: toCsv, cleanName: cleanName, csvRows: csvRows };
});
