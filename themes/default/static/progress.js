/*! kyozai progress: remembers which pages this browser has read and reads the knowledge-check
 * results quiz.js keeps, shows both in the sidebar and on the progress page, decides whether the
 * course's completion rule is met, and makes the completion record (JSON and CSV, with a SHA-256
 * digest) and the certificate from it.
 *
 * Everything stays in this browser's localStorage:
 *   kyozai:progress:<course>  {"v":1,"started":ISO,"read":[page paths],"done":ISO|null}
 *   kyozai:learner:<course>   {"name","staff_id","department"} as the learner typed them
 *   kyozai:record:<course>    the last completion record made (with its digest)
 *   kyozai:quiz:<quiz>        written by quiz.js (read here)
 *   kyozai:checklist:<id>:v<version>  written by checklist.js (read here)
 * The course data and the UI words come from LANG/progress/data.js (window.kyozaiCourse); the list
 * of the pages from LANG/progress/pages.js (window.kyozaiCoursePages), which only the progress and
 * certificate pages and the SCORM launch page load. A course page names its own path in its
 * root element's data-page, a sidebar link its page's in data-path.
 * Inside a SCORM package the launch page around this page keeps these keys in the LMS; a change
 * is announced to it through window.parent.kyozaiScorm. Exposed for that page as
 * window.kyozaiProgress.
 */
(function () {
  "use strict";

  var course = window.kyozaiCourse;
  if (!course || !course.id) return;
  var t = course.t || {};
  var KEY_PROGRESS = "kyozai:progress:" + course.id;
  var KEY_LEARNER = "kyozai:learner:" + course.id;
  var KEY_RECORD = "kyozai:record:" + course.id;
  var storage = getStorage();

  function getStorage() {
    try {
      var s = window.localStorage;
      if (!s) return null;
      s.setItem("kyozai:storage-test", "1");
      s.removeItem("kyozai:storage-test");
      return s;
    } catch (e) {
      return null;
    }
  }

  function words(key, vars) {
    var s = String(t[key] == null ? key : t[key]);
    Object.keys(vars || {}).forEach(function (k) { s = s.split("{" + k + "}").join(String(vars[k])); });
    return s;
  }

  function readJSON(key) {
    if (!storage) return null;
    try {
      var v = JSON.parse(storage.getItem(key));
      return v && typeof v === "object" ? v : null;
    } catch (e) {
      return null;
    }
  }

  function writeJSON(key, value) {
    if (!storage) return false;
    try {
      storage.setItem(key, JSON.stringify(value));
      return true;
    } catch (e) {
      return false;
    }
  }

  function nowIso() { return new Date().toISOString().replace(/\.\d{3}Z$/, "Z"); }

  function isScore(n) { return typeof n === "number" && isFinite(n) && n >= 0 && n <= 100; }

  // ---- The learner's state ---------------------------------------------------------------

  function progress() {
    var p = readJSON(KEY_PROGRESS);
    if (!p || p.v !== 1 || !Array.isArray(p.read)) p = { v: 1, started: null, read: [], done: null };
    return p;
  }

  /** A quiz result as quiz.js stores it, or null when there is none (or it is malformed). */
  function quizResult(id) {
    var r = readJSON("kyozai:quiz:" + id);
    if (!r || !isScore(r.best) || !isScore(r.last)) return null;
    return {
      best: Math.round(r.best),
      last: Math.round(r.last),
      pass: isScore(r.pass) ? Math.round(r.pass) : null,
      passed: r.passed === true,
      attempts: typeof r.attempts === "number" && r.attempts > 0 ? Math.floor(r.attempts) : 1,
      first: typeof r.first === "string" ? r.first : null,
      updated: typeof r.updated === "string" ? r.updated : null,
    };
  }

  function checklistState() {
    var c = course.checklist;
    if (!c) return null;
    var saved = readJSON("kyozai:checklist:" + c.id + ":v" + c.version);
    var answers = saved && saved.answers && typeof saved.answers === "object" ? saved.answers : {};
    var answered = Object.keys(answers).filter(function (k) { return answers[k] && answers[k].status; }).length;
    return { id: c.id, title: c.title, answered: Math.min(answered, c.items), items: c.items };
  }

  /** Everything the pages and the LMS report: pages read, quizzes, checklist, completion. */
  function state() {
    var p = progress();
    var quizzes = (course.quizzes || []).map(function (q) {
      return { id: q.id, title: q.title, url: q.url, result: quizResult(q.id) };
    });
    var checklist = checklistState();
    var checklistDone = !checklist || checklist.answered >= checklist.items;
    var passed = quizzes.filter(function (q) { return q.result && q.result.passed; }).length;
    var taken = quizzes.filter(function (q) { return q.result; }).length;
    var known = pageSet();
    var total = known ? known.count : Math.max(0, Number(course.page_count) || 0);
    // Without the list (an ordinary page), the paths read as recorded: those of pages the course
    // no longer has are dropped where the list is loaded (see update).
    var read = p.read.filter(function (x) { return typeof x === "string" && (known ? known.has[x] === true : true); });
    if (read.length > total) read = read.slice(0, total);
    var complete = !!course.rule && passed === quizzes.length && checklistDone;
    var scores = quizzes.filter(function (q) { return q.result; }).map(function (q) { return q.result.best; });
    return {
      progress: p,
      read: read,
      pages: total,
      quizzes: quizzes,
      passed: passed,
      checklist: checklist,
      complete: complete,
      // Every part of the rule has been tried: the verdict is passed or failed from now on.
      attempted: !!course.rule && taken === quizzes.length && checklistDone,
      // The mean of the best scores of the rule's quizzes (untaken ones count as 0).
      score: quizzes.length ? Math.round(scores.reduce(function (a, b) { return a + b; }, 0) / quizzes.length) : null,
    };
  }

  /** Records the first visit and, once the rule is met, when; returns the state. */
  function update(readPath) {
    var p = progress();
    var changed = false;
    if (!p.started) { p.started = nowIso(); changed = true; }
    if (readPath != null && p.read.indexOf(readPath) < 0) { p.read.push(readPath); changed = true; }
    var known = pageSet();
    if (known) {
      var kept = p.read.filter(function (x) { return known.has[x] === true; });
      if (kept.length !== p.read.length) { p.read = kept; changed = true; }
    }
    if (changed) writeJSON(KEY_PROGRESS, p);
    var s = state();
    if (s.complete && !p.done) {
      p.done = nowIso();
      writeJSON(KEY_PROGRESS, p);
      s = state();
    }
    // A quiz result or checklist answer is stored by its own script: the launch page is told of
    // every update, not only of those that changed the pages read.
    notify();
    return s;
  }

  /** Tells the SCORM launch page around this page (if any) that the stored progress changed. */
  function notify() {
    try {
      if (window.parent !== window && window.parent.kyozaiScorm) window.parent.kyozaiScorm.changed();
    } catch (e) {
      // A parent of another origin: not a kyozai launch page.
    }
  }

  // ---- The completion record ---------------------------------------------------------------

  function earliest(list) {
    return list.filter(function (x) { return typeof x === "string" && x; }).sort()[0] || null;
  }

  /** The completion record of the current state for `learner`, with its digest. */
  function makeRecord(learner, s) {
    var firsts = s.quizzes.map(function (q) { return q.result && q.result.first; });
    firsts.push(s.progress.started);
    var rec = {
      format: "kyozai-completion",
      version: 1,
      course: { id: course.id, edition: course.edition, title: course.title },
      lang: course.lang,
      learner: { name: learner.name, staff_id: learner.staff_id, department: learner.department },
      started: earliest(firsts) || nowIso(),
      completed: s.progress.done || nowIso(),
      quizzes: s.quizzes.map(function (q) {
        var r = q.result || { best: 0, last: 0, pass: null, passed: false, attempts: 0 };
        return { id: q.id, title: q.title, best: r.best, last: r.last, pass: r.pass, passed: r.passed, attempts: r.attempts };
      }),
      checklist: s.checklist ? { id: s.checklist.id, answered: s.checklist.answered, items: s.checklist.items } : null,
    };
    rec.digest = window.kyozaiSha256.hex(JSON.stringify(rec));
    return rec;
  }

  var CSV_HEADER = ["format", "version", "course_id", "course_edition", "course_title", "lang", "name", "staff_id", "department", "started", "completed", "quiz_scores", "checklist_answered", "checklist_items", "digest"];

  function csvCell(v, text) {
    var s = v == null ? "" : String(v);
    // A typed text a spreadsheet would run as a formula is kept as text.
    if (text && /^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function recordCsv(rec) {
    var row = [
      [rec.format], [rec.version], [rec.course.id], [rec.course.edition], [rec.course.title, true], [rec.lang],
      [rec.learner.name, true], [rec.learner.staff_id, true], [rec.learner.department, true], [rec.started], [rec.completed],
      [rec.quizzes.map(function (q) { return q.id + ":" + q.best + "/" + (q.pass == null ? "" : q.pass); }).join(";")],
      [rec.checklist ? rec.checklist.answered : ""], [rec.checklist ? rec.checklist.items : ""], [rec.digest],
    ];
    return CSV_HEADER.join(",") + "\r\n" + row.map(function (c) { return csvCell(c[0], c[1]); }).join(",") + "\r\n";
  }

  function fileStem(rec) {
    var id = String(rec.learner.staff_id).replace(/[^A-Za-z0-9_-]+/g, "_").slice(0, 40) || "learner";
    return "kyozai-completion-" + id + "-" + String(rec.completed).slice(0, 10);
  }

  function download(name, type, text) {
    var blob = new Blob([text], { type: type });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  // ---- Pages ---------------------------------------------------------------------------------

  /** The pages of the course, [{path, url, title}], where this page loads them; else null. */
  function coursePages() {
    var list = window.kyozaiCoursePages;
    return Array.isArray(list) ? list : null;
  }

  var pageSetCache = null;
  /** The paths of the course's pages as {has: {path: true}, count}, or null without the list. */
  function pageSet() {
    var list = coursePages();
    if (!list) return null;
    if (!pageSetCache) {
      var has = Object.create(null);
      list.forEach(function (x) { has[x.path] = true; });
      pageSetCache = { has: has, count: list.length };
    }
    return pageSetCache;
  }

  /** The page of the course whose URL (below the site root) is `rel`, by the list; or null. */
  function pageAt(rel) {
    var hit = (coursePages() || []).filter(function (p) { return p.url === rel; })[0];
    return hit ? hit.path : null;
  }

  /** The course page this document is (its path below the language folder), or null. */
  function currentPage() {
    var own = document.documentElement.getAttribute("data-page");
    if (own != null) return own;
    var root = document.documentElement.getAttribute("data-root");
    if (root == null) return null;
    var base = new URL(root || "./", window.location.href).href;
    var here = window.location.href.split("#")[0].split("?")[0];
    if (here.indexOf(base) !== 0) return null;
    var rel = here.slice(base.length);
    if (rel === "" || /\/$/.test(rel)) rel += "index.html";
    return pageAt(rel);
  }

  function pageOfLink(a) {
    var own = a.getAttribute("data-path");
    if (own != null) return own;
    var href = a.getAttribute("href");
    if (!href) return null;
    var root = document.documentElement.getAttribute("data-root") || "";
    var base = new URL(root || "./", window.location.href).href;
    var abs = new URL(href, window.location.href).href.split("#")[0];
    if (abs.indexOf(base) !== 0) return null;
    var rel = abs.slice(base.length);
    return pageAt(rel);
  }

  // Marks `el` (a sidebar link or a progress page entry) as read or not: its class and the
  // visually hidden "(read)" after it for screen readers.
  function markRead(el, read) {
    el.classList.toggle("is-read", read);
    var mark = el.querySelector(".read-mark");
    if (read && !mark) {
      mark = document.createElement("span");
      mark.className = "read-mark";
      mark.textContent = words("progress_read_mark", { read: words("progress_read") });
      el.appendChild(mark);
    } else if (!read && mark) {
      mark.remove();
    }
  }

  function markSidebar(s) {
    var links = document.querySelectorAll(".sidebar a[data-p]");
    Array.prototype.forEach.call(links, function (a) {
      var path = pageOfLink(a);
      markRead(a, path != null && s.read.indexOf(path) >= 0);
    });
    var entry = document.querySelector(".sidebar .toc-progress");
    if (entry) {
      var count = entry.querySelector(".toc-progress-count");
      if (!count) {
        count = document.createElement("span");
        count.className = "toc-progress-count";
        entry.appendChild(count);
      }
      var parts = [words("progress_pages_count", { n: s.read.length, total: s.pages })];
      if (s.quizzes.length) parts.push(words("progress_quizzes_count", { n: s.passed, total: s.quizzes.length }));
      if (s.complete) parts.push(words("progress_complete"));
      count.textContent = parts.join(words("progress_separator"));
    }
  }

  function setText(el, text) { if (el) el.textContent = text; }

  function showProgressPage(s) {
    var page = document.getElementById("progress-page");
    if (!page) return;
    var bar = document.getElementById("progress-pages-bar");
    if (bar) bar.value = s.read.length;
    setText(document.getElementById("progress-pages-count"), words("progress_pages_count", { n: s.read.length, total: s.pages }));
    Array.prototype.forEach.call(page.querySelectorAll(".progress-pages li[data-page]"), function (li) {
      markRead(li, s.read.indexOf(li.getAttribute("data-page")) >= 0);
    });
    setText(document.getElementById("progress-quizzes-count"), words("progress_quizzes_count", { n: s.passed, total: s.quizzes.length }));
    s.quizzes.forEach(function (q) {
      var row = page.querySelector('tr[data-quiz="' + q.id.replace(/"/g, "") + '"]');
      if (!row) return;
      var r = q.result;
      var cell = function (f, v) { setText(row.querySelector('[data-field="' + f + '"]'), v); };
      cell("best", r ? r.best + "%" : "–");
      cell("last", r ? r.last + "%" : "–");
      cell("pass", r && r.pass != null ? r.pass + "%" : "–");
      cell("attempts", r ? r.attempts : 0);
      cell("status", !r ? words("progress_not_taken") : r.passed ? words("progress_passed") : words("progress_not_passed"));
      row.className = !r ? "not-taken" : r.passed ? "passed" : "not-passed";
    });
    if (s.checklist) {
      var cbar = document.getElementById("progress-checklist-bar");
      if (cbar) cbar.value = s.checklist.answered;
      setText(document.getElementById("progress-checklist-count"), words("progress_checklist_count", { n: s.checklist.answered, total: s.checklist.items }));
    }
    var status = document.getElementById("completion-status");
    if (status) {
      var text = s.complete ? words("progress_complete") : words("progress_incomplete");
      if (status.textContent !== text) status.textContent = text;
      status.className = "completion-status " + (s.complete ? "complete" : "incomplete");
    }
    var form = document.getElementById("record-form");
    if (form) form.hidden = !s.complete;
    var result = document.getElementById("record-result");
    var rec = readJSON(KEY_RECORD);
    if (result) {
      result.hidden = !(s.complete && rec && rec.digest);
      if (rec && rec.digest) setText(document.getElementById("record-digest"), rec.digest);
    }
  }

  function wireProgressPage() {
    var form = document.getElementById("record-form");
    if (form) {
      var learner = readJSON(KEY_LEARNER) || {};
      [["record-name", "name"], ["record-staff-id", "staff_id"], ["record-department", "department"]].forEach(function (f) {
        var input = document.getElementById(f[0]);
        if (input && typeof learner[f[1]] === "string") input.value = learner[f[1]];
      });
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var value = function (id) { var el = document.getElementById(id); return el ? el.value.trim() : ""; };
        var l = { name: value("record-name"), staff_id: value("record-staff-id"), department: value("record-department") };
        var message = document.getElementById("record-message");
        if (!l.name || !l.staff_id) {
          setText(message, words("record_missing"));
          return;
        }
        setText(message, "");
        writeJSON(KEY_LEARNER, l);
        var s = update(null);
        if (!s.complete) return;
        writeJSON(KEY_RECORD, makeRecord(l, s));
        refresh();
        var status = document.getElementById("record-status");
        setText(status, words("record_made"));
        var first = document.getElementById("record-export-json");
        if (first) first.focus();
      });
    }
    var exportAs = function (id, ext, type, body) {
      var b = document.getElementById(id);
      if (!b) return;
      b.addEventListener("click", function () {
        var rec = readJSON(KEY_RECORD);
        if (!rec) return;
        var name = fileStem(rec) + "." + ext;
        download(name, type, body(rec));
        setText(document.getElementById("record-status"), words("record_exported", { name: name }));
      });
    };
    exportAs("record-export-json", "json", "application/json", function (r) { return JSON.stringify(r, null, 2) + "\n"; });
    exportAs("record-export-csv", "csv", "text/csv", recordCsv);
    var reset = document.getElementById("progress-reset");
    if (reset) {
      reset.addEventListener("click", function () {
        if (!window.confirm(words("progress_confirm_reset"))) return;
        if (storage) {
          [KEY_PROGRESS, KEY_RECORD].concat((course.quizzes || []).map(function (q) { return "kyozai:quiz:" + q.id; }))
            .forEach(function (k) { try { storage.removeItem(k); } catch (e) { /* unavailable */ } });
        }
        notify();
        refresh();
      });
    }
  }

  function showCertificate() {
    var box = document.getElementById("certificate");
    if (!box) return;
    var rec = readJSON(KEY_RECORD);
    var ok = rec && rec.format === "kyozai-completion" && rec.learner && Array.isArray(rec.quizzes) && rec.digest;
    if (ok) {
      var copy = JSON.parse(JSON.stringify(rec));
      delete copy.digest;
      ok = window.kyozaiSha256.hex(JSON.stringify(copy)) === rec.digest;
    }
    document.getElementById("certificate-none").hidden = !!ok;
    box.hidden = !ok;
    var print = document.getElementById("certificate-print");
    if (print) print.hidden = !ok;
    if (!ok) return;
    var field = function (f) { return box.querySelector('[data-field="' + f + '"]'); };
    setText(field("name"), rec.learner.name);
    setText(field("staff"), words("certificate_staff", { id: rec.learner.staff_id }));
    setText(field("department"), rec.learner.department || "");
    var date = new Date(rec.completed);
    var shown = isNaN(date) ? String(rec.completed).slice(0, 10) : new Intl.DateTimeFormat(course.lang, { year: "numeric", month: "long", day: "numeric" }).format(date);
    setText(field("date"), words("certificate_on", { date: shown }));
    setText(field("edition"), rec.course.edition);
    setText(field("digest"), rec.digest);
    var body = field("scores");
    body.textContent = "";
    rec.quizzes.forEach(function (q) {
      var tr = document.createElement("tr");
      var th = document.createElement("th");
      th.scope = "row";
      var known = (course.quizzes || []).filter(function (x) { return x.id === q.id; })[0];
      th.textContent = known ? known.title : q.title;
      tr.appendChild(th);
      [q.best + "%", q.pass == null ? "–" : q.pass + "%"].forEach(function (v) {
        var td = document.createElement("td");
        td.textContent = v;
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    var table = box.querySelector(".certificate-scores");
    if (table) table.hidden = rec.quizzes.length === 0;
    if (print) print.addEventListener("click", function () { window.print(); });
  }

  function refresh() {
    var s = state();
    markSidebar(s);
    showProgressPage(s);
    return s;
  }

  window.kyozaiProgress = {
    state: state,
    update: update,
    makeRecord: makeRecord,
    recordCsv: recordCsv,
    refresh: refresh,
  };

  function start() {
    update(currentPage());
    wireProgressPage();
    refresh();
    showCertificate();
    document.addEventListener("kyozai:quiz-result", function () { update(null); refresh(); });
    document.addEventListener("change", function (e) {
      // A checklist answer on this page: read it back once checklist.js has saved it.
      if (e.target && e.target.closest && e.target.closest(".checklist")) {
        setTimeout(function () { update(null); refresh(); }, 0);
      }
    });
    window.addEventListener("storage", function (e) {
      if (!e.key || e.key.indexOf("kyozai:") === 0) { update(null); refresh(); }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
