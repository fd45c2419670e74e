/*! kyozai SCORM 1.2 launch page: the one SCO of a kyozai package. It holds the LMS session while
 * the learner moves between the course pages, which it shows in the frame #scorm-frame.
 *
 * It finds the LMS's SCORM 1.2 API the standard way (window.API on this window or one of up to 7
 * parents, then on window.opener and its parents), calls LMSInitialize("") once, and reports:
 *   cmi.core.lesson_status   "incomplete" at first; "passed" once the course's completion rule is
 *                            met; "failed" when every part of the rule was tried (every required
 *                            quiz taken, the checklist answered) and a quiz is still below its
 *                            pass mark (a retry that passes turns it into "passed"). Without a
 *                            rule: "completed" once every page was read. A "passed" or
 *                            "completed" the LMS already holds is never taken back.
 *   cmi.core.score.raw/min/max  the mean of the required quizzes' best scores (an untaken quiz
 *                            counts 0), 0..100; not set when the rule has no quiz.
 *   cmi.core.session_time    the time since LMSInitialize, HHHH:MM:SS.SS.
 *   cmi.core.lesson_location the page shown, relative to the package root (en/…/index.html).
 *   cmi.core.exit            "suspend", so the LMS hands the data back next time.
 *   cmi.suspend_data         the learner's progress, packed (see pack below), at most 4096
 *                            characters.
 * It commits after each change and finishes on pagehide. On start it puts the progress the LMS
 * holds (cmi.suspend_data) into this browser's localStorage, replacing what the browser held for
 * this course, so that the pages (progress.js, quiz.js, checklist.js) show the learner's own
 * progress on a shared computer too. It reads the progress back through window.kyozaiProgress.
 *
 * Without an LMS (or when the LMS refuses), it just shows the course in the frame: the package is
 * then the plain site. Nothing but the SCORM API calls leaves the page.
 */
(function () {
  "use strict";

  var frame = document.getElementById("scorm-frame");
  if (!frame) return;
  var course = window.kyozaiCourse || {};
  var statusLine = document.getElementById("scorm-status");
  var home = frame.getAttribute("data-home") || "index.html";
  var MAX_SUSPEND = 4096;
  var MAX_LOCATION = 255;
  var KEY_PROGRESS = "kyozai:progress:" + course.id;
  var KEY_LEARNER = "kyozai:learner:" + course.id;
  var KEY_RECORD = "kyozai:record:" + course.id;

  function getStorage() {
    try {
      var s = window.localStorage;
      s.setItem("kyozai:storage-test", "1");
      s.removeItem("kyozai:storage-test");
      return s;
    } catch (e) {
      return null;
    }
  }
  var storage = getStorage();

  function readJSON(key) {
    if (!storage) return null;
    try {
      var v = JSON.parse(storage.getItem(key));
      return v && typeof v === "object" ? v : null;
    } catch (e) {
      return null;
    }
  }

  function put(key, value) {
    if (!storage) return;
    try {
      if (value == null) storage.removeItem(key);
      else storage.setItem(key, JSON.stringify(value));
    } catch (e) {
      // Full or refused: the pages then start from nothing.
    }
  }

  function checklistKey() {
    var c = course.checklist;
    return c ? "kyozai:checklist:" + c.id + ":v" + c.version : null;
  }

  // ---- suspend_data ---------------------------------------------------------------------------
  // JSON with short keys, every part optional:
  //   {"v":1,                       format version
  //    "e":"1b479a48",              the first 8 hex digits of the course edition
  //    "s":"t4x2k0","d":"t4x9q1",   started and completed, seconds since 1970 in base 36
  //    "p":"_w8B",                  pages read: bit i of byte i>>3 is page i of pages.js, base64url
  //    "q":{"awareness":[90,80,2,70,"t4x2k0","t4x9q1"]},  best, last, attempts, pass mark,
  //                                 first and last attempt (base 36 seconds), per required quiz
  //    "c":{"t":"t4x9q1","r":"Nursing","a":{"org-corrective":["in-place","note"]}}}
  //                                 the checklist: saved, respondent, status and note per item
  // Pages are kept by position, so they are restored only into the same edition; quizzes and
  // checklist items by id. Notes are shortened (the longest first) when the whole would pass
  // 4096 characters.

  function b36(iso) {
    var t = Date.parse(iso);
    return isFinite(t) ? Math.floor(t / 1000).toString(36) : undefined;
  }

  function iso(b) {
    var n = typeof b === "string" ? parseInt(b, 36) : NaN;
    return isFinite(n) ? new Date(n * 1000).toISOString().replace(/\.000Z$/, "Z") : null;
  }

  function bitsOf(indices) {
    var bytes = [];
    indices.forEach(function (i) {
      while (bytes.length <= i >> 3) bytes.push(0);
      bytes[i >> 3] |= 1 << (i & 7);
    });
    return btoa(String.fromCharCode.apply(null, bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function indicesOf(bits) {
    var out = [];
    var raw;
    try {
      raw = atob(String(bits).replace(/-/g, "+").replace(/_/g, "/"));
    } catch (e) {
      return out;
    }
    for (var b = 0; b < raw.length; b++) {
      for (var k = 0; k < 8; k++) if (raw.charCodeAt(b) & (1 << k)) out.push(b * 8 + k);
    }
    return out;
  }

  function edition() { return String(course.edition || "").slice(0, 8); }

  /** The learner's progress in this browser, packed for cmi.suspend_data. */
  function pack() {
    var d = { v: 1, e: edition() };
    var p = readJSON(KEY_PROGRESS);
    if (p && p.v === 1) {
      d.s = b36(p.started);
      d.d = b36(p.done);
      var paths = (window.kyozaiCoursePages || []).map(function (x) { return x.path; });
      var read = (Array.isArray(p.read) ? p.read : []).map(function (x) { return paths.indexOf(x); }).filter(function (i) { return i >= 0; });
      if (read.length) d.p = bitsOf(read);
    }
    (course.quizzes || []).forEach(function (q) {
      var r = readJSON("kyozai:quiz:" + q.id);
      if (!r || typeof r.best !== "number" || typeof r.last !== "number") return;
      d.q = d.q || {};
      d.q[q.id] = [Math.round(r.best), Math.round(r.last), r.attempts | 0, typeof r.pass === "number" ? r.pass : null, b36(r.first) || null, b36(r.updated) || null];
    });
    var key = checklistKey();
    var c = key && readJSON(key);
    if (c && c.answers && typeof c.answers === "object") {
      var a = {};
      Object.keys(c.answers).forEach(function (id) {
        var x = c.answers[id] || {};
        var status = typeof x.status === "string" ? x.status : "";
        var note = typeof x.note === "string" ? x.note : "";
        if (status || note) a[id] = note ? [status, note] : [status];
      });
      d.c = { t: b36(c.saved), r: typeof c.respondent === "string" && c.respondent ? c.respondent : undefined, a: a };
    }
    return fit(d);
  }

  /** `d` as JSON of at most MAX_SUSPEND characters: notes shortened, then dropped parts. */
  function fit(d) {
    var text = JSON.stringify(d);
    var notes = function () {
      var a = d.c ? d.c.a : {};
      return Object.keys(a).filter(function (k) { return a[k].length > 1; }).map(function (k) { return a[k]; });
    };
    while (text.length > MAX_SUSPEND) {
      var list = notes();
      if (!list.length) break;
      list.sort(function (x, y) { return y[1].length - x[1].length; });
      var longest = list[0];
      var over = text.length - MAX_SUSPEND;
      longest[1] = longest[1].slice(0, Math.max(0, longest[1].length - Math.max(over, 16)));
      if (!longest[1]) longest.length = 1;
      text = JSON.stringify(d);
    }
    // What no note can make room for (a course of thousands of pages): less, never too much.
    ["r", "q-dates", "c", "p"].forEach(function (part) {
      if (text.length <= MAX_SUSPEND) return;
      if (part === "r" && d.c) delete d.c.r;
      if (part === "q-dates" && d.q) Object.keys(d.q).forEach(function (k) { d.q[k] = d.q[k].slice(0, 4); });
      if (part === "c") delete d.c;
      if (part === "p") delete d.p;
      text = JSON.stringify(d);
    });
    return text;
  }

  /** The packed progress `text` as the localStorage entries it stands for, or null if it is not
   *  kyozai's. Each entry is [key, value or null (remove)]. */
  function unpack(text) {
    var d;
    try {
      d = JSON.parse(text);
    } catch (e) {
      return null;
    }
    if (!d || typeof d !== "object" || d.v !== 1) return null;
    var entries = [];
    var paths = (window.kyozaiCoursePages || []).map(function (x) { return x.path; });
    var read = d.e === edition() && typeof d.p === "string"
      ? indicesOf(d.p).filter(function (i) { return i < paths.length; }).map(function (i) { return paths[i]; })
      : [];
    entries.push([KEY_PROGRESS, { v: 1, started: iso(d.s), read: read, done: iso(d.d) }]);
    var q = d.q && typeof d.q === "object" ? d.q : {};
    (course.quizzes || []).forEach(function (quiz) {
      var r = q[quiz.id];
      var ok = Array.isArray(r) && typeof r[0] === "number" && typeof r[1] === "number";
      var pass = ok && typeof r[3] === "number" ? r[3] : null;
      entries.push(["kyozai:quiz:" + quiz.id, ok ? {
        v: 1, best: r[0], last: r[1], passed: pass != null && r[0] >= pass, pass: pass,
        attempts: Math.max(1, r[2] | 0), first: iso(r[4]), updated: iso(r[5]),
      } : null]);
    });
    var key = checklistKey();
    if (key) {
      var c = d.c && typeof d.c === "object" && d.c.a && typeof d.c.a === "object" ? d.c : null;
      var answers = {};
      if (c) {
        Object.keys(c.a).forEach(function (id) {
          var x = c.a[id];
          if (Array.isArray(x)) answers[id] = { status: typeof x[0] === "string" ? x[0] : "", note: typeof x[1] === "string" ? x[1] : "" };
        });
      }
      entries.push([key, c ? {
        checklist: course.checklist.id, version: course.checklist.version, saved: iso(c.t) || new Date().toISOString(),
        respondent: typeof c.r === "string" ? c.r : "", answers: answers,
      } : null]);
    }
    return entries;
  }

  /** Replaces this browser's progress in the course with `entries` (all of it when null). */
  function restore(entries) {
    if (!storage) return;
    var prefix = checklistKey() ? checklistKey().replace(/\d+$/, "") : null;
    var drop = [KEY_PROGRESS, KEY_RECORD];
    (course.quizzes || []).forEach(function (q) { drop.push("kyozai:quiz:" + q.id); });
    try {
      // Other versions of the checklist too: checklist.js would carry their answers over.
      for (var i = storage.length - 1; i >= 0; i--) {
        var k = storage.key(i);
        if (prefix && k && k.indexOf(prefix) === 0) drop.push(k);
      }
    } catch (e) {
      // Unavailable: nothing to drop.
    }
    drop.forEach(function (k) { put(k, null); });
    (entries || []).forEach(function (e) { put(e[0], e[1]); });
  }

  // ---- The LMS --------------------------------------------------------------------------------

  /** The SCORM 1.2 API on `win` or one of its parents (at most 7 levels up), or null. */
  function findIn(win) {
    for (var n = 0; win && n <= 7; n++) {
      try {
        if (win.API && typeof win.API.LMSInitialize === "function") return win.API;
      } catch (e) {
        // A window of another origin: its API is out of reach.
      }
      var up = null;
      try { up = win.parent; } catch (e) { up = null; }
      if (!up || up === win) break;
      win = up;
    }
    return null;
  }

  function findApi() {
    var api = findIn(window);
    if (api) return api;
    try {
      return window.opener ? findIn(window.opener) : null;
    } catch (e) {
      return null;
    }
  }

  var api = null;
  var started = Date.now();
  var finished = false;
  var sent = {};
  var lmsStatus = "";

  function get(name) {
    try {
      var v = api.LMSGetValue(name);
      return v == null ? "" : String(v);
    } catch (e) {
      return "";
    }
  }

  /** Sets `name` unless the LMS already has that value from this page. */
  function set(name, value) {
    value = String(value);
    if (sent[name] === value) return false;
    try {
      var ok = api.LMSSetValue(name, value);
      if (String(ok) === "true") {
        sent[name] = value;
        return true;
      }
    } catch (e) {
      // The LMS refused the value: the others are still sent.
    }
    return false;
  }

  function say(kind) {
    if (!statusLine) return;
    statusLine.textContent = statusLine.getAttribute("data-" + kind) || "";
    statusLine.className = "scorm-status is-" + kind;
  }

  function sessionTime() {
    var cs = Math.round((Date.now() - started) / 10);
    var two = function (n) { return (n < 10 ? "0" : "") + n; };
    var h = String(Math.floor(cs / 360000));
    while (h.length < 4) h = "0" + h;
    return h + ":" + two(Math.floor(cs / 6000) % 60) + ":" + two(Math.floor(cs / 100) % 60) + "." + two(cs % 100);
  }

  /** The lesson status the course's progress stands for. */
  function statusOf(s) {
    if (!course.rule) return s.pages > 0 && s.read.length >= s.pages ? "completed" : "incomplete";
    if (s.complete) return "passed";
    return s.attempted ? "failed" : "incomplete";
  }

  /** Sends the current progress to the LMS and commits it; returns whether anything changed. */
  function report() {
    if (!api || finished || !window.kyozaiProgress) return false;
    var s = window.kyozaiProgress.state();
    var changed = false;
    var st = statusOf(s);
    var kept = (lmsStatus === "passed" || lmsStatus === "completed") && st !== "passed";
    if (!kept && set("cmi.core.lesson_status", st)) {
      lmsStatus = st;
      changed = true;
    }
    // The score once a quiz was taken: before that the LMS shows none rather than 0.
    if (s.score != null && s.quizzes.some(function (q) { return q.result; })) {
      changed = set("cmi.core.score.min", "0") || changed;
      changed = set("cmi.core.score.max", "100") || changed;
      changed = set("cmi.core.score.raw", String(s.score)) || changed;
    }
    changed = set("cmi.suspend_data", pack()) || changed;
    changed = setLocation() || changed;
    return changed;
  }

  function commit() {
    if (!api || finished) return;
    set("cmi.core.session_time", sessionTime());
    try { api.LMSCommit(""); } catch (e) { /* the next commit carries it */ }
  }

  var timer = null;
  /** Reports and commits soon (once for a burst of changes). */
  function changed() {
    if (!api || finished) return;
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (report()) commit();
    }, 150);
  }

  /** The frame's page relative to the package root, or null (another origin, not a page). */
  function framePage() {
    var here;
    try {
      here = frame.contentWindow.location.href;
    } catch (e) {
      return null;
    }
    var base = window.location.href.split("#")[0].split("?")[0].replace(/[^/]*$/, "");
    here = here.split("#")[0].split("?")[0];
    if (here.indexOf(base) !== 0) return null;
    var rel = here.slice(base.length);
    if (rel === "" || /\/$/.test(rel)) rel += "index.html";
    return validLocation(rel) ? rel : null;
  }

  function validLocation(rel) {
    return typeof rel === "string" && rel.length <= MAX_LOCATION && /^[A-Za-z0-9-]+\/(?:[A-Za-z0-9._~%-]+\/)*[A-Za-z0-9._~%-]+\.html$/.test(rel) && !/(^|\/)\.\.?(\/|$)/.test(rel);
  }

  function setLocation() {
    var page = framePage();
    return page ? set("cmi.core.lesson_location", page) : false;
  }

  function finish() {
    if (!api || finished) return;
    clearTimeout(timer);
    report();
    set("cmi.core.exit", "suspend");
    commit();
    finished = true;
    try { api.LMSFinish(""); } catch (e) { /* the LMS has what was committed */ }
  }

  /** The learner as the LMS names them ("Family, Given"), in the order of the package language
   * (its UI string name_order, such as "{given} {family}", on the frame as data-name-order). */
  function learnerName(raw) {
    var parts = String(raw || "").split(",").map(function (x) { return x.trim(); }).filter(Boolean);
    if (parts.length !== 2) return String(raw || "").trim();
    var order = frame.getAttribute("data-name-order") || "{given} {family}";
    return order.replace(/\{(family|given)\}/g, function (all, k) { return k === "family" ? parts[0] : parts[1]; });
  }

  function start() {
    var page = home;
    var found = findApi();
    if (found) {
      var ok = false;
      try { ok = String(found.LMSInitialize("")) === "true"; } catch (e) { ok = false; }
      if (ok) {
        api = found;
        started = Date.now();
        lmsStatus = get("cmi.core.lesson_status");
        restore(unpack(get("cmi.suspend_data")));
        var id = get("cmi.core.student_id");
        if (id) {
          var had = readJSON(KEY_LEARNER) || {};
          put(KEY_LEARNER, { name: learnerName(get("cmi.core.student_name")), staff_id: id, department: had.staff_id === id && typeof had.department === "string" ? had.department : "" });
        }
        var at = get("cmi.core.lesson_location");
        if (get("cmi.core.entry") === "resume" && validLocation(at)) page = at;
        if (lmsStatus === "" || lmsStatus === "not attempted") set("cmi.core.lesson_status", "incomplete");
        if (!lmsStatus || lmsStatus === "not attempted") lmsStatus = "incomplete";
        say("connected");
        window.addEventListener("pagehide", finish);
        if (!("onpagehide" in window)) window.addEventListener("unload", finish);
        window.addEventListener("storage", function (e) {
          if (!e.key || e.key.indexOf("kyozai:") === 0) changed();
        });
      } else {
        say("refused");
      }
    }
    frame.addEventListener("load", changed);
    frame.src = page;
    frame.hidden = false;
    if (api) {
      // The status "incomplete", the restored progress and the score from the start.
      report();
      commit();
    }
  }

  window.kyozaiScorm = {
    /** Called by progress.js in the frame whenever the stored progress changed. */
    changed: changed,
    pack: pack,
    unpack: unpack,
    sessionTime: sessionTime,
    /** Whether an LMS session is open. */
    connected: function () { return !!api && !finished; },
  };

  start();
})();
