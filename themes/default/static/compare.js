/*! kyozai checklist comparison page: reads the JSON and CSV exports the officer picks or drops,
 * shows every respondent side by side (a heat map per domain and item), the hospital-wide weakest
 * domains and kinds of measure, the items respondents disagree on most and what changed between
 * two exports of one respondent; names each file it could not use and why; lets the respondents
 * be renamed; exports the combined table as CSV and prints as an A4 report.
 *
 * The rules live in compare-core.js; the words come from the page (a JSON block written from the
 * theme's i18n files) and the checklist's labels from its data.js. Nothing leaves the browser:
 * files are read with FileReader, the CSV is a Blob URL. Plain script, no inline code.
 */
(function () {
  "use strict";

  var core = window.kyozaiCompareCore;

  function $(root, sel) { return root.querySelector(sel); }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function circled(n) { return n >= 1 && n <= 20 ? String.fromCharCode(0x2460 + n - 1) : "(" + n + ")"; }

  /** Level 0–3 of a score between 0 and 1, as the checklist page colours its heat map. */
  function level(score) {
    if (score >= 1) return 3;
    if (score >= 2 / 3 - 1e-9) return 2;
    if (score >= 1 / 3 - 1e-9) return 1;
    return 0;
  }

  function pct(x) { return Math.round(x * 100) + "%"; }

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

  function setup(section) {
    var id = section.getAttribute("data-checklist");
    var stringsNode = document.getElementById("kyozai-compare-strings");
    var data = window.kyozaiChecklists && window.kyozaiChecklists[id];
    if (!core || !stringsNode || !data) return;
    var t = JSON.parse(stringsNode.textContent);
    var m = core.model(data);
    var labelOf = function (list, key) { var hit = (list || []).filter(function (x) { return x.id === key; })[0]; return hit ? String(hit.label) : key; };
    var statusLabel = {};
    data.statuses.forEach(function (s) { statusLabel[s.id] = String(s.label); });
    var question = {};
    data.items.forEach(function (it) { question[it.id] = String(it.question); });
    var domainLabel = {};
    data.domains.forEach(function (d) { domainLabel[d.number] = circled(d.number) + " " + labelOf(data.subjects, d.subject) + " × " + labelOf(data.controls, d.control); });
    var groupLabel = {};
    data.groups.forEach(function (g) { groupLabel[g.id] = String(g.label); });
    var levels = t.compare_levels.split("|");

    var state = { files: [] }; // { name, export } or { name, error }
    var message = $(section, ".compare-message");
    var filesBox = $(section, ".compare-files");
    var results = $(section, ".compare-results");
    var buttons = section.querySelectorAll("[data-action='export-csv'], [data-action='print']");

    function say(text, kind) {
      message.textContent = text;
      message.setAttribute("data-kind", kind || "info");
    }

    function reason(err) {
      var key = "compare_err_" + err.code.replace(/-/g, "_");
      return fill(t[key] || t.compare_err_format, err);
    }

    function usable() {
      var list = [];
      state.files.forEach(function (f) { if (f.export) list.push(f.export); });
      return list;
    }

    function add(fileList) {
      var files = Array.prototype.slice.call(fileList || []);
      if (!files.length) return Promise.resolve();
      return Promise.all(files.map(function (file) {
        if (file.size > core.MAX_BYTES) return { name: file.name, error: { code: "too-big", limit: core.MAX_BYTES / 1024 } };
        return readFile(file).then(function (body) {
          var r = core.parse(m, file.name, body);
          return r.error ? { name: file.name, error: r.error } : { name: file.name, export: r.export };
        }, function () { return { name: file.name, error: { code: "read" } }; });
      })).then(function (read) {
        state.files = state.files.concat(read);
        render();
        var bad = read.filter(function (f) { return f.error; }).length;
        say(fill(t.compare_added, { n: read.length - bad, bad: bad }), bad ? "error" : "ok");
      });
    }

    // ---- Rendering -----------------------------------------------------------------------------

    function scoreCell(td, score) {
      if (score === null) { td.textContent = "–"; td.setAttribute("data-empty", "true"); return; }
      td.textContent = pct(score);
      td.setAttribute("data-level", String(level(score)));
      td.title = levels[level(score)];
    }

    function statusCell(td, st) {
      if (!st) { td.appendChild(el("span", "visually-hidden", t.compare_not_answered)); td.setAttribute("data-empty", "true"); return; }
      var s = m.statusById[st];
      if (s.na || s.score === null) { td.textContent = t.compare_na_short; td.setAttribute("data-na", "true"); }
      else { td.textContent = pct(s.score / m.max); td.setAttribute("data-level", String(level(s.score / m.max))); }
      td.title = statusLabel[st];
      td.setAttribute("data-status", st);
    }

    function renderFiles(exports, result) {
      filesBox.textContent = "";
      if (!state.files.length) { filesBox.appendChild(el("p", "compare-empty", t.compare_empty)); return; }
      var dupOf = {};
      result.duplicates.forEach(function (d) { dupOf[d.index] = exports[d.of].file; });
      var table = el("table", "compare-file-list");
      var cap = el("caption", null, t.compare_files);
      table.appendChild(cap);
      var head = el("tr");
      [t.compare_file, t.compare_respondent, t.compare_date, t.compare_state].forEach(function (h) { var th = el("th", null, h); th.scope = "col"; head.appendChild(th); });
      var thead = el("thead");
      thead.appendChild(head);
      table.appendChild(thead);
      var tbody = el("tbody");
      var k = 0;
      state.files.forEach(function (f, i) {
        var tr = el("tr");
        tr.setAttribute("data-file", f.name);
        var th = el("th", "file-name", f.name);
        th.scope = "row";
        tr.appendChild(th);
        if (f.error) {
          tr.className = "is-refused";
          tr.appendChild(el("td", null, ""));
          tr.appendChild(el("td", null, ""));
          tr.appendChild(el("td", "file-state", reason(f.error)));
        } else {
          var index = k++;
          var td = el("td");
          var input = el("input");
          input.type = "text";
          input.maxLength = 200;
          input.value = f.export.respondent;
          input.setAttribute("aria-label", fill(t.compare_rename, { file: f.name }));
          input.setAttribute("data-index", String(i));
          input.addEventListener("change", function () {
            var v = core.cleanName(input.value);
            if (!v) { input.value = f.export.respondent; return; }
            f.export.respondent = v;
            render();
            var again = filesBox.querySelector("input[data-index='" + i + "']");
            if (again) again.focus();
          });
          td.appendChild(input);
          tr.appendChild(td);
          tr.appendChild(el("td", null, f.export.date || "–"));
          var note = [];
          if (dupOf[index] !== undefined) { tr.className = "is-duplicate"; note.push(fill(t.compare_duplicate, { file: dupOf[index] })); }
          else note.push(t.compare_read);
          if (f.export.migrated) note.push(fill(t.compare_migrated, f.export.migrated));
          if (f.export.ignored) note.push(fill(t.compare_ignored, { n: f.export.ignored }));
          tr.appendChild(el("td", "file-state", note.join(" ")));
        }
        tbody.appendChild(tr);
      });
      table.appendChild(tbody);
      filesBox.appendChild(table);
    }

    function renderHeat(box, result) {
      box.textContent = "";
      var table = el("table", "compare-heat");
      table.appendChild(el("caption", null, t.compare_heat_caption));
      var thead = el("thead");
      var tr = el("tr");
      var corner = el("th", null, t.compare_item);
      corner.scope = "col";
      tr.appendChild(corner);
      result.respondents.forEach(function (r) {
        var th = el("th", "respondent");
        th.scope = "col";
        th.appendChild(el("span", "name", r.name));
        if (r.date) th.appendChild(el("span", "date", r.date));
        tr.appendChild(th);
      });
      thead.appendChild(tr);
      table.appendChild(thead);
      m.domains.forEach(function (n) {
        var tbody = el("tbody");
        var dr = el("tr", "domain-row");
        dr.setAttribute("data-domain", String(n));
        var th = el("th", null, domainLabel[n] || circled(n));
        th.scope = "row";
        dr.appendChild(th);
        result.respondents.forEach(function (r) { var td = el("td"); scoreCell(td, r.domains[n]); dr.appendChild(td); });
        tbody.appendChild(dr);
        m.items.forEach(function (it) {
          if (it.domain !== n) return;
          var ir = el("tr", "item-row");
          ir.setAttribute("data-item", it.id);
          var ith = el("th", null, question[it.id]);
          ith.scope = "row";
          ir.appendChild(ith);
          result.respondents.forEach(function (r) { var td = el("td"); statusCell(td, r.items[it.id]); ir.appendChild(td); });
          tbody.appendChild(ir);
        });
        table.appendChild(tbody);
      });
      box.appendChild(table);
    }

    function renderHospital(box, result) {
      box.textContent = "";
      var list = el("ol", "compare-ranking");
      result.ranking.forEach(function (n) {
        var d = result.domains.filter(function (x) { return x.number === n; })[0];
        var li = el("li");
        li.setAttribute("data-domain", String(n));
        li.setAttribute("data-level", String(level(d.score)));
        if (d.weakest) li.setAttribute("data-weakest", "true");
        li.appendChild(el("span", "label", domainLabel[n] || circled(n)));
        li.appendChild(el("span", "score", " " + pct(d.score) + " (" + levels[level(d.score)] + ", " + fill(t.compare_of_respondents, { n: d.respondents }) + ")"));
        if (d.weakest) li.appendChild(el("strong", "weakest", " " + t.compare_weakest));
        list.appendChild(li);
      });
      box.appendChild(el("h3", null, t.compare_domains_title));
      box.appendChild(list.childNodes.length ? list : el("p", null, t.compare_nothing_scored));
      box.appendChild(el("h3", null, t.compare_groups_title));
      var ul = el("ul", "compare-groups");
      result.groups.forEach(function (g) {
        var li = el("li");
        li.setAttribute("data-group", g.id);
        if (g.score !== null) li.setAttribute("data-level", String(level(g.score)));
        if (g.weakest) li.setAttribute("data-weakest", "true");
        li.appendChild(el("span", "label", groupLabel[g.id] || g.id));
        li.appendChild(el("span", "score", " " + (g.score === null ? "–" : pct(g.score) + " (" + levels[level(g.score)] + ")")));
        if (g.weakest) li.appendChild(el("strong", "weakest", " " + t.compare_weakest));
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }

    function renderDisagreement(box, result) {
      box.textContent = "";
      box.appendChild(el("p", "compare-note", t.compare_disagree_note));
      var top = result.disagreement.filter(function (d) { return d.sd > 0; }).slice(0, 5);
      if (!top.length) { box.appendChild(el("p", null, t.compare_disagree_none)); return; }
      var table = el("table", "compare-disagree");
      var tr = el("tr");
      [t.compare_item, t.compare_spread, t.compare_range, t.compare_respondents].forEach(function (h) { var th = el("th", null, h); th.scope = "col"; tr.appendChild(th); });
      var thead = el("thead");
      thead.appendChild(tr);
      table.appendChild(thead);
      var tbody = el("tbody");
      top.forEach(function (d) {
        var row = el("tr");
        row.setAttribute("data-item", d.item);
        var th = el("th", null, question[d.item]);
        th.scope = "row";
        row.appendChild(th);
        row.appendChild(el("td", "sd", d.sd.toFixed(2)));
        row.appendChild(el("td", "range", pct(d.min) + "–" + pct(d.max)));
        row.appendChild(el("td", "n", String(d.respondents)));
        tbody.appendChild(row);
      });
      table.appendChild(tbody);
      box.appendChild(table);
    }

    function renderChanges(box, exports, result) {
      box.textContent = "";
      if (!result.changes.length) { box.appendChild(el("p", null, t.compare_changes_none)); return; }
      result.changes.forEach(function (c) {
        var a = exports[c.from];
        var b = exports[c.to];
        var div = el("div", "compare-change");
        div.setAttribute("data-respondent", c.respondent);
        div.appendChild(el("h3", null, fill(t.compare_change_title, { name: c.respondent, from: a.date || a.file, to: b.date || b.file })));
        if (!c.items.length) { div.appendChild(el("p", null, t.compare_change_same)); box.appendChild(div); return; }
        var ul = el("ul");
        c.domains.forEach(function (d) {
          var li = el("li", "domain-change", (domainLabel[d.number] || circled(d.number)) + ": " + (d.from === null ? "–" : pct(d.from)) + " → " + (d.to === null ? "–" : pct(d.to)));
          li.setAttribute("data-domain", String(d.number));
          li.setAttribute("data-trend", d.from !== null && d.to !== null ? (d.to > d.from ? "up" : "down") : "new");
          ul.appendChild(li);
        });
        div.appendChild(ul);
        var ol = el("ul", "item-changes");
        c.items.forEach(function (x) {
          var li = el("li", null, question[x.item] + ": " + (x.from ? statusLabel[x.from] : t.compare_not_answered) + " → " + (x.to ? statusLabel[x.to] : t.compare_not_answered));
          li.setAttribute("data-item", x.item);
          ol.appendChild(li);
        });
        div.appendChild(ol);
        box.appendChild(div);
      });
    }

    var last = null;
    function render() {
      var exports = usable();
      var result = core.combine(m, exports);
      last = { exports: exports, result: result };
      renderFiles(exports, result);
      var any = result.respondents.length > 0;
      results.hidden = !any;
      for (var i = 0; i < buttons.length; i++) buttons[i].disabled = !any;
      $(section, ".compare-count").textContent = any ? fill(t.compare_count, { n: exports.length - result.duplicates.length, r: result.respondents.length, bad: state.files.length - exports.length + result.duplicates.length }) : "";
      if (!any) return;
      renderHeat($(section, ".compare-heat-box"), result);
      renderHospital($(section, ".compare-hospital-box"), result);
      renderDisagreement($(section, ".compare-disagree-box"), result);
      renderChanges($(section, ".compare-changes-box"), exports, result);
    }

    function download(name, body) {
      var url = URL.createObjectURL(new Blob([body], { type: "text/csv;charset=utf-8" }));
      var a = document.createElement("a");
      a.href = url;
      a.download = name;
      a.hidden = true;
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 2000);
    }

    // ---- Input -------------------------------------------------------------------------------

    var pick = $(section, "input[data-action='pick']");
    pick.addEventListener("change", function () { add(pick.files).then(function () { pick.value = ""; }); });
    var zone = $(section, ".compare-input");
    ["dragenter", "dragover"].forEach(function (ev) {
      zone.addEventListener(ev, function (e) { e.preventDefault(); zone.classList.add("is-dragging"); });
    });
    zone.addEventListener("dragleave", function () { zone.classList.remove("is-dragging"); });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      zone.classList.remove("is-dragging");
      if (e.dataTransfer) add(e.dataTransfer.files);
    });
    $(section, "[data-action='export-csv']").addEventListener("click", function () {
      if (!last) return;
      var body = core.toCsv(m, last.exports, last.result, { header: t.compare_csv_header.split("|"), yes: t.compare_yes, questions: question, statuses: statusLabel });
      var name = id + "-v" + m.version + "-compare.csv";
      download(name, body);
      say(fill(t.compare_exported, { file: name }), "ok");
    });
    $(section, "[data-action='print']").addEventListener("click", function () { window.print(); });
    $(section, "[data-action='clear']").addEventListener("click", function () {
      state.files = [];
      render();
      say(t.compare_cleared, "ok");
    });

    section.classList.add("is-enhanced");
    render();
    // For tests and tools.
    window.kyozaiCompare = { add: add, state: state, result: function () { return last; } };
  }

  function init() {
    var s = document.querySelector("section.compare[data-checklist]");
    if (s && !s.classList.contains("is-enhanced")) setup(s);
  }

  if (document.readyState === "complete") init();
  else {
    document.addEventListener("DOMContentLoaded", init);
    window.addEventListener("load", init);
  }
})();
