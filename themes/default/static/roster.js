/*! kyozai completion roster page (LANG/roster/): reads the completion records learners export
 * (JSON or CSV) that the person in charge picks or drops, and shows who completed, when and with
 * what scores, completion per department and every record whose digest does not match (edited
 * after export). Files it cannot use are named with the reason. Exports the roster as CSV and
 * prints as A4. The rules live in roster-core.js (digests with sha256.js: crypto.subtle is missing
 * on plain-http hosts); the words come from the page's JSON block. Nothing leaves the browser.
 */
(function () {
  "use strict";

  var core = window.kyozaiRosterCore;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function fill(s, vars) {
    return String(s).replace(/\{(\w+)\}/g, function (all, k) { return vars && Object.prototype.hasOwnProperty.call(vars, k) ? String(vars[k]) : all; });
  }

  function readFile(file) {
    if (file.text) return file.text();
    return new Promise(function (ok, no) {
      var r = new FileReader();
      r.onload = function () { ok(String(r.result)); };
      r.onerror = function () { no(r.error); };
      r.readAsText(file);
    });
  }

  function table(cls, caption, heads) {
    var t = el("table", cls);
    if (caption) t.appendChild(el("caption", null, caption));
    var thead = el("thead");
    var tr = el("tr");
    heads.forEach(function (h) { var th = el("th", null, h); th.scope = "col"; tr.appendChild(th); });
    thead.appendChild(tr);
    t.appendChild(thead);
    var tbody = el("tbody");
    t.appendChild(tbody);
    return { table: t, body: tbody };
  }

  function setup(section) {
    var t = JSON.parse(document.getElementById("kyozai-roster-strings").textContent);
    var state = { files: [] };
    var message = section.querySelector(".roster-message");
    var filesBox = section.querySelector(".roster-files");
    var results = section.querySelector(".roster-results");
    var buttons = section.querySelectorAll("[data-action='export-csv'], [data-action='print']");
    var last = null;
    var checkWord = { ok: t.roster_check_ok, mismatch: t.roster_check_mismatch, unchecked: t.roster_check_unchecked, missing: t.roster_check_missing };

    function say(text, kind) { message.textContent = text; message.setAttribute("data-kind", kind || "info"); }

    function reason(err) { return fill(t["roster_err_" + err.code] || t.roster_err_format, err); }

    function add(list) {
      var files = Array.prototype.slice.call(list || []);
      return Promise.all(files.map(function (file) {
        if (file.size > core.MAX_BYTES) return { name: file.name, error: { code: "too_big", limit: core.MAX_BYTES / 1024 } };
        return readFile(file).then(function (body) {
          var r = core.parse(file.name, body);
          return r.error ? { name: file.name, error: r.error } : { name: file.name, record: r.record };
        }, function () { return { name: file.name, error: { code: "read" } }; });
      })).then(function (read) {
        state.files = state.files.concat(read);
        render();
        var bad = read.filter(function (f) { return f.error; }).length;
        say(fill(t.roster_added, { n: read.length - bad, bad: bad }), bad ? "error" : "ok");
      });
    }

    function render() {
      var records = [];
      state.files.forEach(function (f) { if (f.record) records.push(f.record); });
      var result = core.combine(records);
      last = { records: records, result: result };
      var dupOf = {};
      result.duplicates.forEach(function (d) { dupOf[d.index] = records[d.of].file; });

      filesBox.textContent = "";
      var bad = state.files.filter(function (f) { return f.error; });
      if (bad.length || result.duplicates.length) {
        var ft = table("roster-refused", t.roster_refused_title, [t.roster_file, t.roster_reason]);
        bad.forEach(function (f) {
          var tr = el("tr");
          tr.setAttribute("data-file", f.name);
          var th = el("th", null, f.name);
          th.scope = "row";
          tr.appendChild(th);
          tr.appendChild(el("td", null, reason(f.error)));
          ft.body.appendChild(tr);
        });
        result.duplicates.forEach(function (d) {
          var tr = el("tr", "is-duplicate");
          tr.setAttribute("data-file", records[d.index].file);
          var th = el("th", null, records[d.index].file);
          th.scope = "row";
          tr.appendChild(th);
          tr.appendChild(el("td", null, fill(t.roster_duplicate, { file: dupOf[d.index] })));
          ft.body.appendChild(tr);
        });
        filesBox.appendChild(ft.table);
      }
      var any = result.learners.length > 0;
      results.hidden = !any;
      for (var i = 0; i < buttons.length; i++) buttons[i].disabled = !any;
      section.querySelector(".roster-count").textContent = any || bad.length ? fill(t.roster_count, { n: result.learners.length, bad: bad.length, mismatched: result.mismatched }) : t.roster_empty;
      if (!any) return;

      var lt = table("roster-learners", t.roster_learners_caption, [t.roster_name, t.roster_staff_id, t.roster_department, t.roster_completed, t.roster_scores, t.roster_passed, t.roster_checklist, t.roster_digest]);
      result.learners.forEach(function (l) {
        l.records.slice().reverse().forEach(function (index) {
          var r = records[index];
          var tr = el("tr", index === l.latest ? "is-latest" : "is-earlier");
          tr.setAttribute("data-file", r.file);
          tr.setAttribute("data-check", r.check);
          var th = el("th", null, r.name || "–");
          th.scope = "row";
          tr.appendChild(th);
          tr.appendChild(el("td", null, r.staffId));
          tr.appendChild(el("td", null, r.department));
          tr.appendChild(el("td", "completed", r.completed.slice(0, 10)));
          tr.appendChild(el("td", "scores", r.quizzes.map(function (q) { return (q.title || q.id) + " " + (q.best === null ? "–" : q.best) + "/" + (q.pass === null ? "–" : q.pass); }).join(t.roster_list_separator)));
          tr.appendChild(el("td", "passed", r.passed ? t.roster_yes : t.roster_no));
          tr.appendChild(el("td", "checklist", r.checklist ? r.checklist.answered + "/" + r.checklist.items : "–"));
          var dc = el("td", "digest", checkWord[r.check]);
          if (r.check === "mismatch") dc.appendChild(el("strong", "flag", " " + t.roster_flag));
          tr.appendChild(dc);
          lt.body.appendChild(tr);
        });
      });
      var lb = section.querySelector(".roster-learners-box");
      lb.textContent = "";
      lb.appendChild(lt.table);

      var dt = table("roster-departments", t.roster_departments_caption, [t.roster_department, t.roster_dep_learners, t.roster_dep_passed, t.roster_dep_mismatched]);
      result.departments.forEach(function (d) {
        var tr = el("tr");
        tr.setAttribute("data-department", d.department);
        var th = el("th", null, d.department || t.roster_no_department);
        th.scope = "row";
        tr.appendChild(th);
        tr.appendChild(el("td", "learners", String(d.learners)));
        tr.appendChild(el("td", "passed", d.passed + " (" + Math.round((d.passed / d.learners) * 100) + "%)"));
        tr.appendChild(el("td", "mismatched", String(d.mismatched)));
        dt.body.appendChild(tr);
      });
      var db = section.querySelector(".roster-departments-box");
      db.textContent = "";
      db.appendChild(dt.table);
    }

    var pick = section.querySelector("input[data-action='pick']");
    pick.addEventListener("change", function () { add(pick.files).then(function () { pick.value = ""; }); });
    var zone = section.querySelector(".roster-input");
    ["dragenter", "dragover"].forEach(function (ev) { zone.addEventListener(ev, function (e) { e.preventDefault(); zone.classList.add("is-dragging"); }); });
    zone.addEventListener("dragleave", function () { zone.classList.remove("is-dragging"); });
    zone.addEventListener("drop", function (e) { e.preventDefault(); zone.classList.remove("is-dragging"); if (e.dataTransfer) add(e.dataTransfer.files); });
    section.querySelector("[data-action='export-csv']").addEventListener("click", function () {
      if (!last) return;
      var body = core.toCsv(last.records, last.result, { header: t.roster_csv_header.split("|"), yes: t.roster_yes, no: t.roster_no, checks: checkWord });
      var url = URL.createObjectURL(new Blob([body], { type: "text/csv;charset=utf-8" }));
      var a = document.createElement("a");
      a.href = url;
      a.download = "completion-roster.csv";
      a.hidden = true;
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 2000);
      say(fill(t.roster_exported, { file: a.download }), "ok");
    });
    section.querySelector("[data-action='print']").addEventListener("click", function () { window.print(); });
    section.querySelector("[data-action='clear']").addEventListener("click", function () { state.files = []; render(); say(t.roster_cleared, "ok"); });
    section.classList.add("is-enhanced");
    render();
    window.kyozaiRoster = { add: add, state: state, result: function () { return last; } };
  }

  function init() {
    var s = document.querySelector("section.roster");
    if (s && core && !s.classList.contains("is-enhanced")) setup(s);
  }

  if (document.readyState === "complete") init();
  else {
    document.addEventListener("DOMContentLoaded", init);
    window.addEventListener("load", init);
  }
})();
