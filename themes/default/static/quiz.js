/*! kyozai knowledge checks: scores a quiz in the browser, shows which answers were wrong with
 * each chosen option's feedback, the explanation and a link to the section to review, offers a
 * retry (options in a new order when the quiz asks for it), and keeps the results in this browser.
 *
 * Plain script, no dependencies, nothing inline and no network request: it works from file:// and
 * under Content-Security-Policy: default-src 'self'. Without it the questions still read in full
 * and a notice says that scoring needs JavaScript.
 *
 * Each `section.quiz[data-quiz]` is handled on its own, with its data (window.kyozaiQuizzes[id],
 * set by LANG/quizzes/ID/data.js): the right option ids of each question, the pass mark, whether
 * to shuffle, and the theme's UI strings. Results are stored under `kyozai:quiz:ID` as
 * {"v":1,"best","last","passed","pass","attempts","first","updated"}, and every submission
 * dispatches `kyozai:quiz-result` on document with {id, score, passed, pass, best, attempts}.
 */
(function () {
  "use strict";

  var VERSION = 1;

  /** A UI string with its {name} placeholders filled in. */
  function fmt(s, values) {
    return String(s || "").replace(/\{([a-z]+)\}/g, function (m, k) {
      return Object.prototype.hasOwnProperty.call(values || {}, k) ? String(values[k]) : m;
    });
  }

  function storage() {
    try {
      var s = window.localStorage;
      var probe = "kyozai:probe";
      s.setItem(probe, "1");
      s.removeItem(probe);
      return s;
    } catch (e) {
      return null;
    }
  }

  /** The stored results of quiz `id`, or null. */
  function load(id) {
    var s = storage();
    if (!s) return null;
    try {
      var v = JSON.parse(s.getItem("kyozai:quiz:" + id));
      return v && v.v === VERSION && typeof v.best === "number" ? v : null;
    } catch (e) {
      return null;
    }
  }

  /** Records one attempt's score and returns the updated results. */
  function record(id, score, pass) {
    var now = new Date().toISOString();
    var old = load(id);
    var best = old ? Math.max(old.best, score) : score;
    var v = {
      v: VERSION,
      best: best,
      last: score,
      passed: best >= pass,
      pass: pass,
      attempts: (old ? old.attempts : 0) + 1,
      first: old && old.first ? old.first : now,
      updated: now
    };
    var s = storage();
    if (s) {
      try {
        s.setItem("kyozai:quiz:" + id, JSON.stringify(v));
      } catch (e) {
        // Full or refused: the result is shown all the same.
      }
    }
    return v;
  }

  /** The share of questions answered right, in whole percent (half rounds up). */
  function score(right, total) {
    return total > 0 ? Math.round((100 * right) / total) : 0;
  }

  /** Whether the chosen ids are exactly the right ones. */
  function sameSet(chosen, right) {
    if (chosen.length !== right.length) return false;
    for (var i = 0; i < right.length; i++) if (chosen.indexOf(right[i]) < 0) return false;
    return true;
  }

  /** Puts the children of `list` in a random order (Fisher-Yates). */
  function shuffle(list) {
    var items = Array.prototype.slice.call(list.children);
    for (var i = items.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var x = items[i];
      items[i] = items[j];
      items[j] = x;
    }
    for (var k = 0; k < items.length; k++) list.appendChild(items[k]);
  }

  function setup(section) {
    var id = section.getAttribute("data-quiz");
    var data = (window.kyozaiQuizzes || {})[id];
    var form = section.querySelector(".quiz-form");
    if (!data || !form) return;
    var t = data.strings || {};
    var pass = Number(data.pass);
    var submit = form.querySelector(".quiz-submit");
    var retry = form.querySelector(".quiz-retry");
    var summary = section.querySelector(".quiz-summary");
    var previous = section.querySelector(".quiz-previous");
    var questions = [];
    for (var i = 0; i < data.questions.length; i++) {
      var q = data.questions[i];
      var fs = section.querySelector('fieldset[data-question="' + q.id + '"]');
      if (fs) questions.push({ data: q, el: fs, number: i + 1 });
    }

    function showPrevious() {
      var old = load(id);
      previous.hidden = !old;
      if (old) previous.textContent = fmt(t.quiz_previous, { best: old.best, attempts: old.attempts });
    }

    function inputs(fs) {
      return fs.querySelectorAll("input");
    }

    function chosen(fs) {
      var out = [];
      var list = inputs(fs);
      for (var k = 0; k < list.length; k++) if (list[k].checked) out.push(list[k].value);
      return out;
    }

    function reorder() {
      if (!data.shuffle) return;
      for (var k = 0; k < questions.length; k++) {
        if (questions[k].data.kind === "true-false") continue;
        shuffle(questions[k].el.querySelector(".quiz-options"));
      }
    }

    function reset() {
      for (var k = 0; k < questions.length; k++) {
        var fs = questions[k].el;
        fs.classList.remove("quiz-is-right", "quiz-is-wrong");
        fs.removeAttribute("data-result");
        var list = inputs(fs);
        for (var m = 0; m < list.length; m++) {
          list[m].checked = false;
          list[m].disabled = false;
        }
        var hide = fs.querySelectorAll(".quiz-result, .quiz-feedback, .quiz-mark");
        for (var n = 0; n < hide.length; n++) hide[n].hidden = true;
        var opts = fs.querySelectorAll(".quiz-option");
        for (var o = 0; o < opts.length; o++) opts[o].classList.remove("is-chosen", "is-correct");
      }
      summary.textContent = "";
      summary.removeAttribute("data-kind");
      submit.hidden = false;
      retry.hidden = true;
      reorder();
    }

    function mark(fs, right, picked) {
      var opts = fs.querySelectorAll(".quiz-option");
      for (var k = 0; k < opts.length; k++) {
        var li = opts[k];
        var oid = li.getAttribute("data-option");
        var isRight = right.indexOf(oid) >= 0;
        var isPicked = picked.indexOf(oid) >= 0;
        li.classList.toggle("is-correct", isRight);
        li.classList.toggle("is-chosen", isPicked);
        var c = li.querySelector(".quiz-mark-correct");
        if (c) c.hidden = !isRight;
        var p = li.querySelector(".quiz-mark-chosen");
        if (p) p.hidden = !isPicked;
        // Feedback of what was chosen, and of a right option that was missed.
        var f = li.querySelector(".quiz-feedback");
        if (f) f.hidden = !(isPicked || isRight);
      }
    }

    function unanswered() {
      var out = [];
      for (var k = 0; k < questions.length; k++) if (!chosen(questions[k].el).length) out.push(questions[k]);
      return out;
    }

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (!retry.hidden) return;
      var missing = unanswered();
      if (missing.length) {
        summary.setAttribute("data-kind", "error");
        summary.textContent = fmt(t.quiz_unanswered, { count: missing.length });
        var first = missing[0].el.querySelector("input");
        if (first) first.focus();
        return;
      }
      var right = 0;
      var wrong = [];
      for (var k = 0; k < questions.length; k++) {
        var q = questions[k];
        var picked = chosen(q.el);
        var ok = sameSet(picked, q.data.correct);
        if (ok) right++;
        else wrong.push(q);
        q.el.classList.add(ok ? "quiz-is-right" : "quiz-is-wrong");
        q.el.setAttribute("data-result", ok ? "right" : "wrong");
        mark(q.el, q.data.correct, picked);
        var res = q.el.querySelector(".quiz-result");
        res.hidden = false;
        res.querySelector(".quiz-verdict").textContent = ok ? t.quiz_right : t.quiz_wrong;
        var review = res.querySelector(".quiz-review");
        if (review) review.hidden = ok;
        var list = inputs(q.el);
        for (var m = 0; m < list.length; m++) list[m].disabled = true;
      }
      var total = questions.length;
      var pct = score(right, total);
      var saved = record(id, pct, pass);
      var passed = pct >= pass;
      submit.hidden = true;
      retry.hidden = false;
      // The summary: score, pass or not, and links to the questions answered wrong.
      summary.textContent = "";
      summary.setAttribute("data-kind", passed ? "passed" : "failed");
      var p1 = document.createElement("p");
      p1.className = "quiz-score";
      p1.textContent = fmt(t.quiz_score, { score: pct, right: right, total: total }) + " " +
        fmt(passed ? t.quiz_passed : t.quiz_failed, { pass: pass });
      summary.appendChild(p1);
      if (wrong.length) {
        var p2 = document.createElement("p");
        p2.className = "quiz-wrong-list";
        p2.appendChild(document.createTextNode(t.quiz_wrong_list + " "));
        for (var w = 0; w < wrong.length; w++) {
          if (w) p2.appendChild(document.createTextNode(t.quiz_list_separator));
          var a = document.createElement("a");
          a.href = "#" + wrong[w].el.id;
          a.textContent = fmt(t.quiz_question, { n: wrong[w].number });
          p2.appendChild(a);
        }
        summary.appendChild(p2);
      }
      showPrevious();
      retry.focus();
      document.dispatchEvent(new CustomEvent("kyozai:quiz-result", {
        detail: { id: id, score: pct, passed: saved.passed, pass: pass, best: saved.best, attempts: saved.attempts }
      }));
    });

    retry.addEventListener("click", function () {
      reset();
      var first = form.querySelector("input");
      if (first) first.focus();
    });

    section.classList.add("is-enhanced");
    var nojs = section.querySelector(".quiz-nojs");
    if (nojs) nojs.hidden = true;
    showPrevious();
    reset();
  }

  function init() {
    var all = document.querySelectorAll("section.quiz[data-quiz]");
    for (var i = 0; i < all.length; i++) setup(all[i]);
  }

  window.kyozaiQuiz = { score: score, fmt: fmt };

  // Deferred scripts run before DOMContentLoaded (while the document is "interactive"), and the
  // quiz's data script comes after this one: start on DOMContentLoaded, or at once if the page
  // has finished loading.
  if (document.readyState === "complete") init();
  else document.addEventListener("DOMContentLoaded", init);
})();
