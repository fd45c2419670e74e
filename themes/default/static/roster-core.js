/*! kyozai completion roster, the core: reads completion records (the JSON or CSV a learner
 * exports when the course is completed), checks each JSON record's digest and brings them
 * together: one row per learner (their latest record), completion per department.
 *
 * The digest is the SHA-256 of JSON.stringify(the record without "digest"), so it can be checked
 * only from the JSON file; a CSV record keeps its digest but cannot be re-serialised exactly, so
 * it is shown as "not checked". No DOM and no words: states and errors are codes.
 * Runs in the browser (window.kyozaiRosterCore, with window.kyozaiSha256) and under node.
 */
(function (root, factory) {
  var sha = typeof module === "object" && module && module.exports ? require("./sha256.js") : root.kyozaiSha256;
  var api = factory(sha);
  if (typeof module === "object" && module && module.exports) module.exports = api;
  else root.kyozaiRosterCore = api;
})(typeof self !== "undefined" ? self : this, function (sha) {
  "use strict";

  var FORMAT = "kyozai-completion";
  var MAX_BYTES = 256 * 1024;
  var CSV_HEADER = "format,version,course_id,course_edition,course_title,lang,name,staff_id,department,started,completed,quiz_scores,checklist_answered,checklist_items,digest";

  function isObject(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function str(v) { return typeof v === "string" ? v : ""; }
  function fail(code, detail) { var e = { code: code }; if (detail) for (var k in detail) e[k] = detail[k]; return { error: e }; }
  function num(v) { return typeof v === "number" && isFinite(v) ? v : null; }

  function csvRows(body) {
    var rows = [];
    var row = [];
    var field = "";
    var quoted = false;
    for (var i = 0; i < body.length; i++) {
      var c = body.charAt(i);
      if (quoted) {
        if (c === "\"") { if (body.charAt(i + 1) === "\"") { field += "\""; i++; } else quoted = false; } else field += c;
        continue;
      }
      if (c === "\"") quoted = true;
      else if (c === ",") { row.push(field); field = ""; }
      else if (c === "\r" || c === "\n") {
        row.push(field); field = ""; rows.push(row); row = [];
        if (c === "\r" && body.charAt(i + 1) === "\n") i++;
      } else field += c;
    }
    if (quoted) return null;
    if (field !== "" || row.length) { row.push(field); rows.push(row); }
    return rows.filter(function (r) { return !(r.length === 1 && r[0] === ""); });
  }

  function undefuse(s) { return /^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s; }

  /** Whether the record's digest is that of the record without it. */
  function digestOf(rec) {
    var copy = {};
    Object.keys(rec).forEach(function (k) { if (k !== "digest") copy[k] = rec[k]; });
    return sha.hex(JSON.stringify(copy));
  }

  /** Reads one record: { record } or { error: { code, ... } }. */
  function parse(name, text) {
    var body = String(text).replace(/^\uFEFF/, "");
    if (!/\S/.test(body)) return fail("empty");
    var first = body.replace(/^\s+/, "").charAt(0);
    return first === "{" || first === "[" ? fromJson(name, body) : fromCsv(name, body);
  }

  function fromJson(name, body) {
    var rec;
    try { rec = JSON.parse(body); } catch (e) { return fail("json"); }
    if (!isObject(rec) || rec.format !== FORMAT) return fail("format");
    if (rec.version !== 1) return fail("version", { found: String(rec.version).slice(0, 20) });
    var learner = isObject(rec.learner) ? rec.learner : {};
    var course = isObject(rec.course) ? rec.course : {};
    if (!str(learner.name) && !str(learner.staff_id)) return fail("learner");
    if (!str(rec.completed)) return fail("completed");
    var quizzes = Array.isArray(rec.quizzes) ? rec.quizzes.filter(isObject).map(function (q) {
      return { id: str(q.id), title: str(q.title), best: num(q.best), pass: num(q.pass), passed: q.passed === true };
    }) : [];
    var cl = isObject(rec.checklist) ? { answered: num(rec.checklist.answered), items: num(rec.checklist.items) } : null;
    var digest = str(rec.digest).toLowerCase();
    var check = !digest ? "missing" : digestOf(rec) === digest ? "ok" : "mismatch";
    return { record: build(name, "json", course, rec.lang, learner, rec.started, rec.completed, quizzes, cl, digest, check) };
  }

  function fromCsv(name, body) {
    var rows = csvRows(body);
    if (!rows || rows.length !== 2) return fail("csv");
    if (rows[0].join(",") !== CSV_HEADER) return fail("csv");
    var f = rows[1].map(undefuse);
    if (f.length !== 15) return fail("csv");
    if (f[0] !== FORMAT) return fail("format");
    if (f[1] !== "1") return fail("version", { found: f[1].slice(0, 20) });
    if (!f[6] && !f[7]) return fail("learner");
    if (!f[10]) return fail("completed");
    var quizzes = [];
    if (f[11]) {
      var parts = f[11].split(";");
      for (var i = 0; i < parts.length; i++) {
        var m = /^(.*):(\d+)\/(\d+)$/.exec(parts[i]);
        if (!m) return fail("csv");
        var best = Number(m[2]);
        var pass = Number(m[3]);
        quizzes.push({ id: m[1], title: "", best: best, pass: pass, passed: best >= pass });
      }
    }
    var cl = f[12] === "" && f[13] === "" ? null : { answered: Number(f[12]), items: Number(f[13]) };
    return { record: build(name, "csv", { id: f[2], edition: f[3], title: f[4] }, f[5], { name: f[6], staff_id: f[7], department: f[8] }, f[9], f[10], quizzes, cl, f[14].toLowerCase(), f[14] ? "unchecked" : "missing") };
  }

  function build(file, kind, course, lang, learner, started, completed, quizzes, checklist, digest, check) {
    var name = str(learner.name).replace(/\s+/g, " ").trim();
    var staff = str(learner.staff_id).trim();
    return {
      file: file, kind: kind,
      course: { id: str(course.id), edition: str(course.edition), title: str(course.title) },
      lang: str(lang), name: name, staffId: staff, department: str(learner.department).replace(/\s+/g, " ").trim(),
      started: str(started), completed: str(completed), quizzes: quizzes, checklist: checklist,
      passed: quizzes.every(function (q) { return q.passed; }),
      digest: digest, check: check,
      key: staff ? "id:" + staff : "name:" + name,
    };
  }

  /**
   * Brings records together: the same record twice (same digest, or same learner and completion
   * time) is a duplicate; a learner with several records is shown with the latest completion.
   * Departments: how many learners completed, how many with every quiz passed, how many records
   * failed the digest check.
   */
  function combine(records) {
    var seen = {};
    var duplicates = [];
    var byKey = {};
    var keys = [];
    records.forEach(function (r, index) {
      var k = r.digest ? "d:" + r.digest : "k:" + r.key + "\u0000" + r.completed;
      if (Object.prototype.hasOwnProperty.call(seen, k)) { duplicates.push({ index: index, of: seen[k] }); return; }
      seen[k] = index;
      if (!Object.prototype.hasOwnProperty.call(byKey, r.key)) { byKey[r.key] = []; keys.push(r.key); }
      byKey[r.key].push(index);
    });
    var learners = keys.map(function (k) {
      var list = byKey[k].slice().sort(function (a, b) {
        var x = records[a].completed;
        var y = records[b].completed;
        return x !== y ? (x < y ? -1 : 1) : a - b;
      });
      return { key: k, records: list, latest: list[list.length - 1] };
    });
    var deps = {};
    var order = [];
    learners.forEach(function (l) {
      var r = records[l.latest];
      var d = r.department;
      if (!Object.prototype.hasOwnProperty.call(deps, d)) { deps[d] = { department: d, learners: 0, passed: 0, mismatched: 0 }; order.push(d); }
      deps[d].learners++;
      if (r.passed) deps[d].passed++;
      if (l.records.some(function (i) { return records[i].check === "mismatch"; })) deps[d].mismatched++;
    });
    order.sort(function (a, b) { return a < b ? -1 : a > b ? 1 : 0; });
    return {
      learners: learners,
      duplicates: duplicates,
      departments: order.map(function (d) { return deps[d]; }),
      mismatched: records.filter(function (r) { return r.check === "mismatch"; }).length,
    };
  }

  function csvField(v) {
    var s = v === null || v === undefined ? "" : String(v);
    if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return "\"" + s.replace(/"/g, "\"\"") + "\"";
  }

  /** One row per kept record; `labels` gives the header (12 words) and the word per check state. */
  function toCsv(records, result, labels) {
    var rows = [labels.header];
    result.learners.forEach(function (l) {
      l.records.forEach(function (i) {
        var r = records[i];
        rows.push([r.name, r.staffId, r.department, r.completed, r.started, r.course.id, r.course.edition,
          r.quizzes.map(function (q) { return q.id + ":" + (q.best === null ? "" : q.best) + "/" + (q.pass === null ? "" : q.pass); }).join(";"),
          r.passed ? labels.yes : labels.no,
          r.checklist ? r.checklist.answered + "/" + r.checklist.items : "",
          labels.checks[r.check] || r.check, r.file]);
      });
    });
    return "\uFEFF" + rows.map(function (row) { return row.map(csvField).join(","); }).join("\r\n") + "\r\n";
  }

  return { MAX_BYTES: MAX_BYTES, parse: parse, combine: combine, toCsv: toCsv, digestOf: digestOf };
});
