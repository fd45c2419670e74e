/*! kyozai self-assessment checklists: keeps the answers in this browser, totals them in the
 * summary box (progress, heat map, score by kind of measure, what to do next), exports them as
 * CSV and JSON (with the respondent named in the form and the date), imports a JSON export and
 * clears them.
 *
 * Plain script, no dependencies, no eval, nothing inline and no network request: it works from
 * file:// and under Content-Security-Policy: default-src 'self'. Without it the checklist is an
 * ordinary form that can be read, filled in and printed.
 *
 * Each `section.checklist[data-checklist]` is handled on its own. The checklist's data
 * (window.kyozaiChecklists[id], set by LANG/checklists/ID/data.js) gives the groups and the
 * labels; without it the script works from the form alone and leaves out the group scores.
 */
(function () {
  "use strict";

  var FORMAT = "kyozai-checklist";
  var FORMAT_VERSION = 1;
  var MAX_IMPORT_BYTES = 1024 * 1024;
  var MAX_IMPORT_ITEMS = 5000;
  var MAX_NOTE = 20000;
  var MAX_RESPONDENT = 200;
  var ANNOUNCE_DELAY = 700;

  // ---- Strings ---------------------------------------------------------------------------

  // The words come from the theme's UI strings (the `checklist_` keys of i18n/LANG.toml), handed
  // over in the checklist's data (window.kyozaiChecklists[id].strings); `{name}` placeholders are
  // filled in by `fill`.

  function fill(s, vars) {
    return String(s).replace(/\{(\w+)\}/g, function (all, k) { return vars && hasOwn(vars, k) ? String(vars[k]) : all; });
  }

  /** What the script says, from the UI strings `s` (a key that is missing shows as itself). */
  function makeStrings(s) {
    var w = function (k) { return isObject(s) && typeof s[k] === "string" ? s[k] : k; };
    var f = function (k, vars) { return fill(w(k), vars); };
    return {
      progressLabel: w("checklist_progress"),
      progress: function (a, n, na) {
        return f("checklist_answered", { answered: a, applicable: n }) + (na ? f("checklist_answered_na", { na: na }) : "") + (n > 0 && a === n ? w("checklist_answered_all") : "");
      },
      noItems: w("checklist_no_items"),
      notAnswered: w("checklist_not_answered"),
      notApplicable: w("checklist_not_applicable"),
      levels: w("checklist_levels").split("|"),
      score: function (pct, level) { return f("checklist_score", { pct: pct, level: level }); },
      partial: function (a, n) { return f("checklist_partial", { answered: a, items: n }); },
      groupsTitle: w("checklist_groups_title"),
      groupsNote: w("checklist_groups_note"),
      groupSeparator: w("checklist_group_separator"),
      groupDomains: function (marks) { return f("checklist_group_domains", { domains: w("checklist_domains"), marks: marks }); },
      weakestSpace: w("checklist_weakest_space"),
      weakest: f("checklist_weakest_label", { weakest: w("checklist_weakest") }),
      listSeparator: w("checklist_list_separator"),
      nextTitle: w("checklist_next_title"),
      nextIntro: function (inPlace, na) { return f("checklist_next_intro", { in_place: inPlace, na: na }); },
      nextNone: w("checklist_next_none"),
      nextDone: function (inPlace) { return f("checklist_next_done", { in_place: inPlace }); },
      domainScore: function (label, pct) { return f("checklist_domain_score", { label: label, pct: pct }); },
      unanswered: function (n) { return n === 1 ? w("checklist_unanswered_one") : f("checklist_unanswered", { n: n }); },
      current: function (status) { return f("checklist_current", { status: status }); },
      announce: function (a, n, weakest) { return f("checklist_announce", { answered: a, applicable: n }) + (weakest ? f("checklist_announce_weakest", { weakest: weakest }) : ""); },
      printDate: function (d) { return f("checklist_print_date", { date: d }); },
      storageUnavailable: w("checklist_storage_unavailable"),
      storageFailed: w("checklist_storage_failed"),
      migrated: function (n, v, dropped) { return f("checklist_migrated", { n: n, version: v }) + (dropped ? f("checklist_migrated_dropped", { dropped: dropped }) : ""); },
      synced: w("checklist_synced"),
      confirmReset: w("checklist_confirm_reset"),
      resetDone: w("checklist_reset_done"),
      confirmImport: w("checklist_confirm_import"),
      importDone: function (n, ignored, v, current) {
        return f("checklist_imported", { n: n }) + (ignored ? f("checklist_imported_ignored", { ignored: ignored }) : "") + (v !== current ? f("checklist_imported_version", { version: v }) : "");
      },
      importRefused: w("checklist_import_refused"),
      errTooBig: function (kb) { return f("checklist_err_too_big", { limit: kb }); },
      errRead: w("checklist_err_read"),
      errJson: w("checklist_err_json"),
      errFormat: w("checklist_err_format"),
      errChecklist: function (found, want) { return f("checklist_err_checklist", { found: found, want: want }); },
      errVersion: w("checklist_err_version"),
      errItems: w("checklist_err_items"),
      errTooMany: function (n) { return f("checklist_err_too_many", { limit: n }); },
      errItem: function (i) { return f("checklist_err_item", { n: i + 1 }); },
      errDuplicate: function (id) { return f("checklist_err_duplicate", { item: id }); },
      errStatus: function (id, st) { return f("checklist_err_status", { item: id, status: st }); },
      errNote: function (id) { return f("checklist_err_note", { item: id }); },
      errNoKnown: w("checklist_err_no_known"),
      exported: function (name) { return f("checklist_exported", { file: name }); },
      csvHeader: w("checklist_csv_header").split("|"),
    };
  }

  // ---- Small helpers ---------------------------------------------------------------------

  var slice = Array.prototype.slice;

  function $$(root, sel) { return slice.call(root.querySelectorAll(sel)); }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function isObject(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }

  function hasOwn(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }

  function pad2(n) { return (n < 10 ? "0" : "") + n; }

  /** The local date as YYYY-MM-DD. */
  function isoDate(d) { return d.getFullYear() + "-" + pad2(d.getMonth() + 1) + "-" + pad2(d.getDate()); }

  function circled(n) { return n >= 1 && n <= 20 ? String.fromCharCode(0x2460 + n - 1) : "(" + n + ")"; }

  function text(node) { return node ? node.textContent.replace(/\s+/g, " ").trim() : ""; }

  /** The browser's localStorage, or null when it cannot be used (blocked, disabled, opaque origin). */
  function getStorage() {
    try {
      var s = window.localStorage;
      if (!s) return null;
      var k = "kyozai:storage-test";
      s.setItem(k, k);
      s.removeItem(k);
      return s;
    } catch (e) {
      return null;
    }
  }

  // ---- The checklist model ---------------------------------------------------------------

  /** What the script needs to know about one checklist, from its data and its form. */
  function buildModel(section, form) {
    var id = section.getAttribute("data-checklist");
    var version = parseInt(section.getAttribute("data-version"), 10) || 1;
    var lang = section.getAttribute("data-lang") || document.documentElement.getAttribute("lang") || "en";
    var all = window.kyozaiChecklists;
    // The words do not depend on the version: a page left from an older build still gets them.
    var t = makeStrings(all && isObject(all[id]) ? all[id].strings : null);
    var data = all && isObject(all[id]) && all[id].version === version ? all[id] : null;
    var labelOf = function (list, key) {
      var hit = (list || []).filter(function (x) { return x.id === key; })[0];
      return hit ? String(hit.label) : "";
    };

    // Items in form order, with their inputs.
    var items = $$(form, ".item[data-item]").map(function (node, index) {
      var itemId = node.getAttribute("data-item");
      var d = data ? (data.items || []).filter(function (x) { return x.id === itemId; })[0] : null;
      var cm = node.querySelector(".countermeasure");
      var cmText = "";
      if (cm) {
        var copy = cm.cloneNode(true);
        var lab = copy.querySelector(".countermeasure-label");
        if (lab) lab.remove();
        cmText = text(copy);
      }
      return {
        id: itemId,
        index: index,
        domain: parseInt(node.getAttribute("data-domain"), 10) || 0,
        node: node,
        radios: $$(node, "input[type=radio]"),
        note: node.querySelector("textarea"),
        question: d && d.question ? String(d.question) : text(node.querySelector(".question")),
        countermeasure: d && d.countermeasure ? String(d.countermeasure) : cmText,
        subject: d ? labelOf(data.subjects, d.subject) : "",
        control: d ? labelOf(data.controls, d.control) : "",
      };
    });
    var byId = {};
    items.forEach(function (it) { byId[it.id] = it; });

    // Statuses: from the data, else from the first item's radios.
    var statuses;
    if (data && Array.isArray(data.statuses) && data.statuses.length) {
      statuses = data.statuses.map(function (s) {
        return { id: String(s.id), label: String(s.label), score: typeof s.score === "number" ? s.score : null, na: !!s.na };
      });
    } else {
      statuses = (items[0] ? items[0].radios : []).map(function (r) {
        var sc = r.getAttribute("data-score");
        return { id: r.value, label: text(r.parentNode), score: sc === null ? null : Number(sc), na: r.getAttribute("data-na") === "true" };
      });
    }
    var statusById = {};
    var max = 0;
    statuses.forEach(function (s) {
      statusById[s.id] = s;
      if (!s.na && s.score !== null && s.score > max) max = s.score;
    });
    var inPlace = statuses.filter(function (s) { return !s.na && s.score === max; })[0];
    var naStatus = statuses.filter(function (s) { return s.na; })[0];

    // Domains: every numbered cell of the form and the heat map, labelled by the form's legends.
    var domains = {};
    var addDomain = function (n, label) {
      if (!n) return;
      if (!domains[n]) domains[n] = { number: n, label: "" };
      if (label && !domains[n].label) domains[n].label = label;
    };
    $$(form, "fieldset.domain[data-domain]").forEach(function (f) {
      addDomain(parseInt(f.getAttribute("data-domain"), 10), text(f.querySelector("legend")));
    });
    $$(section, "table.matrix-heat td[data-domain]").forEach(function (td) {
      addDomain(parseInt(td.getAttribute("data-domain"), 10), "");
    });
    if (data && Array.isArray(data.domains)) {
      data.domains.forEach(function (d) {
        addDomain(d.number, circled(d.number) + " " + labelOf(data.subjects, d.subject) + " × " + labelOf(data.controls, d.control));
      });
    }
    Object.keys(domains).forEach(function (n) { if (!domains[n].label) domains[n].label = circled(Number(n)); });

    var groups = data && Array.isArray(data.groups) ? data.groups.map(function (g) {
      return { id: String(g.id), label: String(g.label), domains: (g.domains || []).map(Number) };
    }) : [];

    return {
      id: id, version: version, lang: lang, t: t, title: data ? String(data.title) : section.getAttribute("aria-label") || id,
      respondent: form.querySelector("input[data-respondent]"),
      items: items, byId: byId, statuses: statuses, statusById: statusById, max: max,
      inPlace: inPlace, naStatus: naStatus, domains: domains, groups: groups,
    };
  }

  // ---- Answers ---------------------------------------------------------------------------
  // Answers are { itemId: { status: "status-id" or "", note: "text" } } for answered items only.

  /** Keeps only what fits the model: known items, known statuses, string notes. */
  function sanitize(model, raw) {
    var out = {};
    var kept = 0;
    var dropped = 0;
    if (!isObject(raw)) return { answers: out, kept: 0, dropped: 0 };
    Object.keys(raw).forEach(function (k) {
      var a = raw[k];
      if (!hasOwn(model.byId, k) || !isObject(a)) { dropped++; return; }
      var status = typeof a.status === "string" && hasOwn(model.statusById, a.status) ? a.status : "";
      var note = typeof a.note === "string" ? a.note.slice(0, MAX_NOTE) : "";
      if (status || note) { out[k] = { status: status, note: note }; kept++; }
    });
    return { answers: out, kept: kept, dropped: dropped };
  }

  function readForm(model) {
    var answers = {};
    model.items.forEach(function (it) {
      var checked = it.radios.filter(function (r) { return r.checked; })[0];
      var status = checked && hasOwn(model.statusById, checked.value) ? checked.value : "";
      var note = it.note ? it.note.value : "";
      if (status || note) answers[it.id] = { status: status, note: note };
    });
    return answers;
  }

  function writeForm(model, answers) {
    model.items.forEach(function (it) {
      var a = answers[it.id];
      it.radios.forEach(function (r) { r.checked = !!a && a.status === r.value; });
      if (it.note) it.note.value = a ? a.note : "";
      mirrorNote(it);
    });
  }

  function countAnswers(answers) { return Object.keys(answers).length; }

  /** The print-only copy of a note (a textarea prints only what fits in its box). */
  function mirrorNote(it) {
    if (!it.note) return;
    if (!it.mirror) {
      it.mirror = el("div", "note-print");
      it.mirror.setAttribute("aria-hidden", "true");
      it.note.parentNode.insertBefore(it.mirror, it.note.nextSibling);
    }
    it.mirror.textContent = it.note.value;
  }

  // ---- Totals ----------------------------------------------------------------------------

  /** Level 0–3 of a score between 0 and 1: 3 only when everything is in place. */
  function level(score) {
    if (score >= 1) return 3;
    if (score >= 2 / 3 - 1e-9) return 2;
    if (score >= 1 / 3 - 1e-9) return 1;
    return 0;
  }

  function pct(score) { return Math.round(score * 100); }

  function summarize(model, answers) {
    var domains = {};
    Object.keys(model.domains).forEach(function (n) {
      domains[n] = { number: Number(n), label: model.domains[n].label, items: 0, answered: 0, na: 0, scored: 0, sum: 0, score: null };
    });
    var answered = 0;
    var na = 0;
    var unanswered = 0;
    model.items.forEach(function (it) {
      var d = domains[it.domain] || (domains[it.domain] = { number: it.domain, label: circled(it.domain), items: 0, answered: 0, na: 0, scored: 0, sum: 0, score: null });
      d.items++;
      var s = answers[it.id] && answers[it.id].status ? model.statusById[answers[it.id].status] : null;
      if (!s) { unanswered++; return; }
      d.answered++;
      if (s.na) { d.na++; na++; return; }
      answered++;
      if (s.score !== null) { d.scored++; d.sum += s.score; }
    });
    Object.keys(domains).forEach(function (n) {
      var d = domains[n];
      if (d.scored && model.max > 0) d.score = d.sum / (d.scored * model.max);
    });
    var groups = model.groups.map(function (g) {
      var scores = g.domains.map(function (n) { return domains[n] ? domains[n].score : null; }).filter(function (x) { return x !== null; });
      var score = scores.length ? scores.reduce(function (a, b) { return a + b; }, 0) / scores.length : null;
      return { id: g.id, label: g.label, domains: g.domains, score: score, weakest: false };
    });
    var scored = groups.filter(function (g) { return g.score !== null; });
    var min = scored.length ? Math.min.apply(null, scored.map(function (g) { return g.score; })) : null;
    // The weakest kind of measure: the lowest score, unless every kind is fully in place.
    if (min !== null && min < 1) {
      groups.forEach(function (g) { if (g.score !== null && Math.abs(g.score - min) < 1e-9) g.weakest = true; });
    }
    var next = model.items.filter(function (it) {
      var a = answers[it.id];
      var s = a && a.status ? model.statusById[a.status] : null;
      return s && !s.na && s !== model.inPlace && (s.score === null || s.score < model.max);
    }).map(function (it) {
      return { item: it, status: model.statusById[answers[it.id].status], domain: domains[it.domain] };
    });
    next.sort(function (a, b) {
      var sa = a.domain.score === null ? 2 : a.domain.score;
      var sb = b.domain.score === null ? 2 : b.domain.score;
      if (sa !== sb) return sa - sb;
      if (a.domain.number !== b.domain.number) return a.domain.number - b.domain.number;
      var xa = a.status.score === null ? 0 : a.status.score;
      var xb = b.status.score === null ? 0 : b.status.score;
      if (xa !== xb) return xa - xb;
      return a.item.index - b.item.index;
    });
    return {
      total: model.items.length, answered: answered, na: na, applicable: model.items.length - na,
      unanswered: unanswered, domains: domains, groups: groups, next: next,
      weakest: groups.filter(function (g) { return g.weakest; }),
    };
  }

  // ---- The summary box -------------------------------------------------------------------

  function domainText(t, d) {
    if (!d || d.items === 0) return t.noItems;
    if (d.answered === 0) return t.notAnswered;
    if (d.score === null) return t.notApplicable;
    var s = t.score(pct(d.score), t.levels[level(d.score)]);
    if (d.answered < d.items) s += " · " + t.partial(d.answered, d.items);
    return s;
  }

  function renderSummary(ui) {
    var model = ui.model;
    var t = model.t;
    var sum = summarize(model, ui.answers);
    var box = ui.summary;
    if (!box) return sum;

    var progress = box.querySelector("progress");
    if (progress) {
      progress.max = Math.max(sum.applicable, 1);
      progress.value = sum.applicable ? sum.answered : (sum.total ? 1 : 0);
      progress.setAttribute("aria-label", t.progressLabel);
    }
    var ptext = box.querySelector(".progress-text");
    if (ptext) ptext.textContent = t.progress(sum.answered, sum.applicable, sum.na);

    $$(box, "table.matrix-heat td[data-domain]").forEach(function (td) {
      var d = sum.domains[td.getAttribute("data-domain")];
      if (d && d.score !== null) td.setAttribute("data-level", String(level(d.score)));
      else td.removeAttribute("data-level");
      var span = td.querySelector(".domain-score");
      if (!span) { span = el("span", "domain-score"); td.appendChild(span); }
      span.textContent = domainText(t, d);
    });

    var gbox = box.querySelector(".group-scores");
    if (gbox && model.groups.length) {
      gbox.textContent = "";
      gbox.appendChild(el("h3", null, t.groupsTitle));
      gbox.appendChild(el("p", "group-note", t.groupsNote));
      var ul = el("ul");
      sum.groups.forEach(function (g) {
        var li = el("li");
        li.setAttribute("data-group", g.id);
        if (g.score !== null) li.setAttribute("data-level", String(level(g.score)));
        if (g.weakest) li.className = "weakest";
        li.appendChild(el("span", "group-label", g.label));
        li.appendChild(document.createTextNode(t.groupSeparator));
        li.appendChild(el("span", "group-score", g.score === null ? t.notAnswered : t.score(pct(g.score), t.levels[level(g.score)])));
        if (g.weakest) {
          if (t.weakestSpace) li.appendChild(document.createTextNode(t.weakestSpace));
          li.appendChild(el("strong", "weakest-label", t.weakest));
        }
        li.appendChild(el("span", "group-domains", t.groupDomains(g.domains.map(circled).join(""))));
        ul.appendChild(li);
      });
      gbox.appendChild(ul);
    }

    var nbox = box.querySelector(".next-steps");
    if (nbox) {
      nbox.textContent = "";
      nbox.appendChild(el("h3", null, t.nextTitle));
      var inPlace = model.inPlace ? model.inPlace.label : "";
      var naLabel = model.naStatus ? model.naStatus.label : t.notApplicable;
      if (sum.next.length) {
        nbox.appendChild(el("p", "next-intro", t.nextIntro(inPlace, naLabel)));
        var ol = el("ol");
        sum.next.forEach(function (n) {
          var li = el("li");
          li.setAttribute("data-item", n.item.id);
          li.setAttribute("data-domain", String(n.domain.number));
          li.appendChild(el("span", "step-text", n.item.countermeasure));
          var meta = el("span", "step-meta");
          meta.appendChild(el("span", "step-domain", n.domain.score === null ? n.domain.label : t.domainScore(n.domain.label, pct(n.domain.score))));
          meta.appendChild(document.createTextNode(" · "));
          meta.appendChild(el("span", "step-status", t.current(n.status.label)));
          li.appendChild(meta);
          ol.appendChild(li);
        });
        nbox.appendChild(ol);
      } else {
        nbox.appendChild(el("p", "next-empty", sum.answered ? t.nextDone(inPlace) : t.nextNone));
      }
      if (sum.unanswered) nbox.appendChild(el("p", "next-unanswered", t.unanswered(sum.unanswered)));
    }
    if (ui.printDate) ui.printDate.textContent = t.printDate(isoDate(new Date()));
    return sum;
  }

  // ---- Export ----------------------------------------------------------------------------

  /** The respondent typed in the form: one line, trimmed. */
  function respondentOf(model) {
    return model.respondent ? model.respondent.value.replace(/\s+/g, " ").trim().slice(0, MAX_RESPONDENT) : "";
  }

  function exportRecord(model, answers, now) {
    var sum = summarize(model, answers);
    return {
      format: FORMAT,
      formatVersion: FORMAT_VERSION,
      checklist: model.id,
      version: model.version,
      title: model.title,
      lang: model.lang,
      respondent: respondentOf(model),
      date: isoDate(now),
      exported: now.toISOString(),
      statuses: model.statuses.map(function (s) { return { id: s.id, label: s.label, score: s.score, na: s.na }; }),
      items: model.items.map(function (it) {
        var a = answers[it.id] || { status: "", note: "" };
        var s = a.status ? model.statusById[a.status] : null;
        return {
          id: it.id, domain: it.domain, subject: it.subject, control: it.control,
          question: it.question, countermeasure: it.countermeasure,
          status: s ? s.id : null, statusLabel: s ? s.label : "", note: a.note || "",
        };
      }),
      summary: {
        answered: sum.answered, applicable: sum.applicable, notApplicable: sum.na,
        domains: Object.keys(sum.domains).map(function (n) { var d = sum.domains[n]; return { number: d.number, score: d.score }; }),
        groups: sum.groups.map(function (g) { return { id: g.id, label: g.label, score: g.score, weakest: g.weakest }; }),
      },
    };
  }

  /** One CSV field: always quoted; text that a spreadsheet would run as a formula is defused. */
  function csvField(v) {
    var s = v === null || v === undefined ? "" : String(v);
    if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return "\"" + s.replace(/"/g, "\"\"") + "\"";
  }

  function toCsv(model, record) {
    var rows = [model.t.csvHeader];
    record.items.forEach(function (it) {
      rows.push([record.checklist, record.version, record.date, it.id, it.domain, it.subject, it.control, it.question, it.countermeasure, it.status || "", it.statusLabel, it.note, record.respondent]);
    });
    // A byte order mark so that spreadsheet programs read the file as UTF-8; CRLF line ends.
    return "\uFEFF" + rows.map(function (r) { return r.map(csvField).join(","); }).join("\r\n") + "\r\n";
  }

  function download(name, type, body) {
    var blob = new Blob([body], { type: type });
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 2000);
  }

  // ---- Import ----------------------------------------------------------------------------

  /** Checks a parsed JSON export; returns { answers, count, ignored, version } or { error }. */
  function validateImport(model, rec) {
    var t = model.t;
    if (!isObject(rec)) return { error: t.errFormat };
    if (hasOwn(rec, "format") && rec.format !== FORMAT) return { error: t.errFormat };
    if (typeof rec.checklist !== "string") return { error: t.errFormat };
    if (rec.checklist !== model.id) return { error: t.errChecklist(rec.checklist.slice(0, 80), model.id) };
    var version = model.version;
    if (hasOwn(rec, "version")) {
      if (typeof rec.version !== "number" || !isFinite(rec.version) || rec.version < 1 || Math.floor(rec.version) !== rec.version) return { error: t.errVersion };
      version = rec.version;
    }
    if (!Array.isArray(rec.items)) return { error: t.errItems };
    if (rec.items.length > MAX_IMPORT_ITEMS) return { error: t.errTooMany(MAX_IMPORT_ITEMS) };
    var answers = {};
    var seen = {};
    var count = 0;
    var ignored = 0;
    for (var i = 0; i < rec.items.length; i++) {
      var it = rec.items[i];
      if (!isObject(it) || typeof it.id !== "string" || !it.id || it.id.length > 200) return { error: t.errItem(i) };
      if (hasOwn(seen, it.id)) return { error: t.errDuplicate(it.id) };
      seen[it.id] = true;
      if (!hasOwn(model.byId, it.id)) { ignored++; continue; }
      var status = it.status;
      if (status === undefined || status === null || status === "") status = "";
      else if (typeof status !== "string" || !hasOwn(model.statusById, status)) return { error: t.errStatus(it.id, String(status).slice(0, 80)) };
      var note = it.note;
      if (note === undefined || note === null) note = "";
      else if (typeof note !== "string" || note.length > MAX_NOTE) return { error: t.errNote(it.id) };
      count++;
      if (status || note) answers[it.id] = { status: status, note: note };
    }
    if (!count) return { error: t.errNoKnown };
    // Exports made before the respondent field have none: they import with an empty one.
    var respondent = typeof rec.respondent === "string" ? rec.respondent.slice(0, MAX_RESPONDENT) : "";
    return { answers: answers, count: countAnswers(answers), ignored: ignored, version: version, respondent: respondent };
  }

  function readFile(file) {
    if (file.text) return file.text();
    return new Promise(function (ok, fail) {
      var r = new FileReader();
      r.onload = function () { ok(String(r.result)); };
      r.onerror = function () { fail(r.error); };
      r.readAsText(file);
    });
  }

  // ---- One checklist on the page ---------------------------------------------------------

  var instances = [];

  function setup(section) {
    var form = section.querySelector("form.checklist-form");
    if (!form || section.getAttribute("data-enhanced") === "true") return;
    section.setAttribute("data-enhanced", "true");
    var model = buildModel(section, form);
    var t = model.t;
    var key = form.getAttribute("data-storage-key") || "kyozai:checklist:" + model.id + ":v" + model.version;
    var storage = getStorage();
    var message = section.querySelector(".checklist-message");
    var summary = section.querySelector(".checklist-summary");
    var ui = { section: section, model: model, key: key, answers: {}, summary: summary, printDate: null, saveFailed: false };
    instances.push(ui);

    function say(text, kind) {
      if (!message) return;
      message.textContent = text;
      message.setAttribute("data-kind", kind || "info");
      message.className = "checklist-message" + (kind === "error" ? " is-error" : kind === "ok" ? " is-ok" : "");
    }
    ui.say = say;

    // The summary box: announced by a short sentence, not by re-reading every figure.
    var live = null;
    if (summary) {
      summary.removeAttribute("aria-live");
      live = el("p", "summary-status visually-hidden");
      live.setAttribute("role", "status");
      live.setAttribute("aria-live", "polite");
      summary.appendChild(live);
      ui.printDate = el("p", "print-date");
      var title = summary.querySelector(".summary-title");
      if (title) title.parentNode.insertBefore(ui.printDate, title.nextSibling);
      else summary.insertBefore(ui.printDate, summary.firstChild);
    }
    var announceTimer = null;
    function announce() {
      if (!live) return;
      clearTimeout(announceTimer);
      announceTimer = setTimeout(function () {
        var sum = summarize(model, ui.answers);
        live.textContent = t.announce(sum.answered, sum.applicable, sum.weakest.map(function (g) { return g.label; }).join(t.listSeparator));
      }, ANNOUNCE_DELAY);
    }

    function save() {
      if (!storage) return;
      try {
        var who = respondentOf(model);
        if (countAnswers(ui.answers) || who) {
          storage.setItem(key, JSON.stringify({ checklist: model.id, version: model.version, saved: new Date().toISOString(), respondent: who, answers: ui.answers }));
        } else {
          storage.removeItem(key);
        }
        if (ui.saveFailed) { ui.saveFailed = false; say(""); }
      } catch (e) {
        if (!ui.saveFailed) say(t.storageFailed, "error");
        ui.saveFailed = true;
      }
      // Other copies of this checklist on the page follow.
      instances.forEach(function (o) { if (o !== ui && o.key === key) o.reload(); });
    }

    function load() {
      if (!storage) return {};
      var raw = null;
      try { raw = storage.getItem(key); } catch (e) { return {}; }
      if (raw !== null) {
        try {
          var rec = JSON.parse(raw);
          ui.storedRespondent = isObject(rec) && typeof rec.respondent === "string" ? rec.respondent : "";
          return sanitize(model, rec.answers).answers;
        } catch (e) { return {}; }
      }
      return migrate();
    }

    /** No answers for this version: carry over those of the newest other version still stored. */
    function migrate() {
      var m = /^(.*:v)(\d+)$/.exec(key);
      if (!m) return {};
      var prefix = m[1];
      var found = [];
      try {
        for (var i = 0; i < storage.length; i++) {
          var k = storage.key(i);
          if (k && k !== key && k.indexOf(prefix) === 0 && /^\d+$/.test(k.slice(prefix.length))) found.push({ key: k, version: parseInt(k.slice(prefix.length), 10) });
        }
      } catch (e) { return {}; }
      if (!found.length) return {};
      found.sort(function (a, b) { return b.version - a.version; });
      var result = null;
      var from = null;
      for (var j = 0; j < found.length && !result; j++) {
        try {
          var rec = JSON.parse(storage.getItem(found[j].key));
          if (isObject(rec) && isObject(rec.answers)) {
            result = sanitize(model, rec.answers);
            from = found[j];
            ui.storedRespondent = typeof rec.respondent === "string" ? rec.respondent : "";
            if (model.respondent) model.respondent.value = ui.storedRespondent;
          }
        } catch (e) { /* unreadable: try an older one */ }
      }
      if (!result) return {};
      ui.answers = result.answers;
      save();
      if (!ui.saveFailed) {
        found.forEach(function (f) { try { storage.removeItem(f.key); } catch (e) { /* keep it */ } });
      }
      say(t.migrated(result.kept, from.version, result.dropped), "ok");
      return result.answers;
    }

    function writeRespondent() {
      if (model.respondent) model.respondent.value = ui.storedRespondent || "";
    }

    ui.reload = function () {
      ui.storedRespondent = "";
      ui.answers = load();
      writeForm(model, ui.answers);
      writeRespondent();
      renderSummary(ui);
    };

    // Start: restore the answers, then show the totals.
    model.items.forEach(mirrorNote);
    if (!storage) say(t.storageUnavailable, "error");
    ui.storedRespondent = "";
    ui.answers = load();
    if (countAnswers(ui.answers)) writeForm(model, ui.answers);
    else ui.answers = readForm(model); // answers the browser kept in the form (back/forward)
    if (ui.storedRespondent) writeRespondent();
    renderSummary(ui);
    section.classList.add("is-enhanced");

    // Changes.
    form.addEventListener("change", function (e) {
      ui.answers = readForm(model);
      save();
      if (e.target && e.target.type === "radio") {
        renderSummary(ui);
        announce();
      }
    });
    form.addEventListener("input", function (e) {
      if (e.target && e.target === model.respondent) { save(); return; }
      if (!e.target || e.target.tagName !== "TEXTAREA") return;
      var it = model.items.filter(function (x) { return x.note === e.target; })[0];
      if (it) mirrorNote(it);
      ui.answers = readForm(model);
      save();
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); });

    // Buttons.
    var on = function (action, type, fn) {
      $$(section, "[data-action='" + action + "']").forEach(function (b) { b.addEventListener(type, fn); });
    };
    on("export-csv", "click", function () {
      var rec = exportRecord(model, ui.answers, new Date());
      var name = model.id + "-v" + model.version + "-" + rec.date + ".csv";
      download(name, "text/csv;charset=utf-8", toCsv(model, rec));
      say(t.exported(name), "ok");
    });
    on("export-json", "click", function () {
      var rec = exportRecord(model, ui.answers, new Date());
      var name = model.id + "-v" + model.version + "-" + rec.date + ".json";
      download(name, "application/json", JSON.stringify(rec, null, 2) + "\n");
      say(t.exported(name), "ok");
    });
    on("reset", "click", function () {
      if (!window.confirm(t.confirmReset)) return;
      ui.answers = {};
      writeForm(model, ui.answers);
      ui.storedRespondent = "";
      writeRespondent();
      save();
      renderSummary(ui);
      announce();
      say(t.resetDone, "ok");
    });
    on("import", "change", function (e) {
      var input = e.target;
      var file = input.files && input.files[0];
      if (!file) return;
      var refuse = function (why) { say(why + " " + t.importRefused, "error"); input.value = ""; };
      if (file.size > MAX_IMPORT_BYTES) { refuse(t.errTooBig(MAX_IMPORT_BYTES / 1024)); return; }
      readFile(file).then(function (body) {
        var rec;
        try { rec = JSON.parse(String(body).replace(/^\uFEFF/, "")); } catch (err) { refuse(t.errJson); return; }
        var v = validateImport(model, rec);
        if (v.error) { refuse(v.error); return; }
        if (countAnswers(ui.answers) && !window.confirm(t.confirmImport)) { input.value = ""; return; }
        ui.answers = v.answers;
        writeForm(model, ui.answers);
        ui.storedRespondent = v.respondent;
        writeRespondent();
        save();
        renderSummary(ui);
        announce();
        say(t.importDone(v.count, v.ignored, v.version, model.version), "ok");
        input.value = "";
      }, function () { refuse(t.errRead); });
    });

    // Another tab changed the answers.
    window.addEventListener("storage", function (e) {
      if (e.key !== null && e.key !== key) return;
      ui.reload();
      say(t.synced, "info");
    });
  }

  function init() {
    $$(document, "section.checklist[data-checklist]").forEach(function (s) {
      try {
        setup(s);
      } catch (e) {
        // One broken checklist must not stop the others; the form still works as plain HTML.
        if (window.console) window.console.warn("kyozai checklist:", e);
      }
    });
  }

  // For tests and tools: the pure parts.
  window.kyozaiChecklistLib = { summarize: summarize, level: level, csvField: csvField, validateImport: validateImport, makeStrings: makeStrings };

  // Deferred scripts run before DOMContentLoaded, and the checklist's data script comes after
  // this one: start on DOMContentLoaded (or at once if the page has finished loading; `load`
  // catches a script added late). Each checklist is set up only once.
  if (document.readyState === "complete") init();
  else {
    document.addEventListener("DOMContentLoaded", init);
    window.addEventListener("load", init);
  }
})();
