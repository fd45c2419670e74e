/*! kyozai site search, the box: shows the results of the page language's index
 * (window.kyozaiSearch[lang], loaded by search/<lang>.js on first use) under the search box.
 * The query algorithm is in search-core.js (window.kyozaiSearchCore), loaded before this file.
 * A query whose shards make several batches is answered from the first batch; "more results",
 * once every hit found so far is shown, searches the next batch and adds its hits after them.
 *
 * Plain script, no dependencies, no eval, nothing inline: it works from file:// and
 * under Content-Security-Policy: default-src 'self'.
 */
(function () {
  "use strict";

  var root = typeof window !== "undefined" ? window : globalThis;
  var core = root.kyozaiSearchCore;
  if (!core) return;
  var parseQuery = core.parseQuery;
  var prepare = core.prepare;
  var searchShards = core.searchShards;
  var searchBatch = core.searchBatch;
  var preparedShard = core.preparedShard;
  var gramNames = core.gramNames;
  var matchRanges = core.matchRanges;
  var snippet = core.snippet;

  // ---- The search box ---------------------------------------------------------

  // Results shown at first, and added by each press of the "more results" button.
  var PAGE_SIZE = 20;
  // How long the box waits after a keystroke for the next one: long enough to take a burst (a
  // held key, a fast typist's double letters) as one query, short enough that the answer to the
  // last keystroke is not held back (its search takes a few milliseconds once its shards are in).
  var DEBOUNCE_MS = 30;

  function isEditable(el) {
    if (!el || el.nodeType !== 1) return false;
    if (el.isContentEditable) return true;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  // Text with marked ranges → DOM nodes (never HTML parsing of data).
  function appendMarked(parent, text, marks) {
    var doc = parent.ownerDocument;
    var at = 0;
    marks.forEach(function (r) {
      if (r[0] > at) parent.appendChild(doc.createTextNode(text.slice(at, r[0])));
      var m = doc.createElement("mark");
      m.textContent = text.slice(r[0], r[1]);
      parent.appendChild(m);
      at = r[1];
    });
    if (at < text.length) parent.appendChild(doc.createTextNode(text.slice(at)));
  }

  // Under file:// a folder URL does not open its index.html: add it.
  function resolveHref(base, url, protocol) {
    if (protocol === "file:") {
      var hash = url.indexOf("#");
      var path = hash < 0 ? url : url.slice(0, hash);
      var frag = hash < 0 ? "" : url.slice(hash);
      if (path === "" || path.charAt(path.length - 1) === "/") url = path + "index.html" + frag;
    }
    return base + url;
  }

  // The search box's words: the JSON of <script type="application/json" id="kyozai-search-strings">.
  function readWords(document) {
    var node = document.getElementById("kyozai-search-strings");
    try {
      var w = node ? JSON.parse(node.textContent) : null;
      return w && typeof w === "object" ? w : {};
    } catch (e) {
      return {};
    }
  }

  // A text with each {name} replaced by vars[name].
  function fill(text, vars) {
    return String(text || "").replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : all;
    });
  }

  // Plural rules and number formats by language, made once (making them is slow the first time).
  var intl = {};

  // The words for n of something: words[key + "_" + the plural category of n in lang] (one,
  // few, …) when the theme has it, else words[key]; {n} is n as lang writes numbers.
  function count(words, key, n, lang) {
    var category = "other";
    var shownN = String(n);
    try {
      var f = intl[lang] || (intl[lang] = {
        plural: new Intl.PluralRules(lang || undefined),
        number: new Intl.NumberFormat(lang || undefined)
      });
      category = f.plural.select(n);
      shownN = f.number.format(n);
    } catch (e) {
      category = "other";
    }
    var text = words[key + "_" + category] || words[key];
    return fill(text, { n: shownN });
  }

  function init(document) {
    var form = document.getElementById("search");
    var input = document.getElementById("search-input");
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    if (!form || !input || !list) return;
    var html = document.documentElement;
    var lang = html.getAttribute("data-lang") || html.getAttribute("lang") || "";
    var base = html.getAttribute("data-root") || "";
    // The index is normally loaded by a <script src> in the page. A large site may
    // instead name it in the form's data-index attribute: it is then loaded on first
    // use (a script element, so it works from file:// and under default-src 'self').
    var lazySrc = form.getAttribute("data-index");
    var data = loaded();
    if (data === null && !lazySrc) {
      form.hidden = true;
      return;
    }
    // The words come from the theme's i18n/LANG.toml, in the page (base.html).
    var words = readWords(document);

    var prepared = null;
    var shardCache = {};
    var loading = false;
    // Whether the last query waits for the shards of its next batch (extend goes on when they load).
    var extending = false;
    // Whether a query waits for the scripts being loaded (it is answered again when they are).
    var wanted = false;
    var requested = {};
    var pending = 0;
    var timer = 0;
    var hideTimer = 0;
    var lastQuery = null;
    var shown = null;
    var protocol = root.location ? root.location.protocol : "";
    var partsBase = lazySrc ? lazySrc.replace(/\.js$/, "/") : "";

    function loaded() {
      var d = root.kyozaiSearch && root.kyozaiSearch[lang];
      return d && (d.v === 1 || d.v === 2 || d.v === 3) ? d : null;
    }

    function part(name) {
      var parts = root.kyozaiSearchParts;
      return parts ? parts[lang + "/" + name] : undefined;
    }

    // Loads a script (a part of the index named name, if any); when every script asked for has
    // loaded, answers the waiting query again. A shard is prepared for searching as soon as it
    // arrives, while the others are still on their way.
    function load(src, name) {
      pending++;
      var script = document.createElement("script");
      script.src = src;
      script.async = true;
      script.onload = function () {
        if (name && /^[0-9]+$/.test(name) && part(name)) preparedShard(shardCache, part, Number(name));
        if (--pending > 0) return;
        if (data === null) data = loaded();
        if (data === null) {
          form.hidden = true;
          return;
        }
        if (extending) {
          wanted = false;
          extend(shown.focus);
          return;
        }
        if (!wanted) {
          // The manifest came while the reader was still typing: fetch the text's gram files.
          if (timer) prefetch(input.value);
          return;
        }
        wanted = false;
        lastQuery = null;
        if (input.value.trim() !== "") run();
      };
      script.onerror = function () {
        form.hidden = true;
      };
      (document.head || html).appendChild(script);
    }

    // Builds the folding tables and the number formats the first query needs (about 25 ms in
    // all), while the reader focuses the box or types rather than after.
    var warmed = false;
    function warm() {
      if (warmed) return;
      warmed = true;
      var f = core.folding(lang);
      core.fold("", f);
      core.fold("", f, true);
      count(words, "results", 1, lang);
    }

    // While the reader types (before the pause that sends the query), loads the gram files the
    // text needs, so that the query goes straight to its shards.
    function prefetch(query) {
      warm();
      var M = ready();
      if (M === null || M.v !== 3) return;
      gramNames(M, query).forEach(function (name) {
        if (requested[name] || part(name) !== undefined) return;
        requested[name] = true;
        load(partsBase + name + ".js", name);
      });
    }

    // The index's manifest (or a whole index of version 1), or null while it is being loaded.
    function ready() {
      if (data === null) data = loaded();
      if (data !== null) return data;
      if (!loading) {
        loading = true;
        load(lazySrc);
      }
      return null;
    }

    // Batch k of the query: {hits, terms, batches}, or null while the parts it needs are being
    // loaded.
    function answer(query, k) {
      var M = ready();
      if (M === null) {
        wanted = true;
        return null;
      }
      if (M.v === 1) {
        if (prepared === null) prepared = prepare(M);
        var terms = parseQuery(query, M.lang);
        var hits = k === 0 ? searchShards([{ P: prepared, first: 0 }], terms) : [];
        return { hits: hits, terms: terms, batches: terms.length ? 1 : 0 };
      }
      var r = searchBatch(M, part, query, k, shardCache);
      if (!r.missing) return r;
      wanted = true;
      r.missing.forEach(function (name) {
        if (requested[name]) return;
        requested[name] = true;
        load(partsBase + name + ".js", name);
      });
      return null;
    }

    function say(text) {
      if (status && status.textContent !== text) status.textContent = text;
    }

    function links() {
      return Array.prototype.slice.call(list.querySelectorAll("a, button"));
    }

    function hide() {
      list.hidden = true;
    }

    function show() {
      if (!list.firstChild) return;
      list.hidden = false;
      place();
    }

    // Keep the list inside the viewport: shift it left when it would overflow.
    function place() {
      list.style.left = "";
      var vw = document.documentElement.clientWidth;
      var r = list.getBoundingClientRect();
      if (!vw || r.right <= vw - 8) return;
      var formLeft = form.getBoundingClientRect().left;
      list.style.left = Math.round(Math.max(8, vw - 8 - r.width) - formLeft) + "px";
    }

    function run() {
      timer = 0;
      var query = input.value;
      if (query === lastQuery) {
        show();
        return;
      }
      extending = false;
      if (query.trim() === "") {
        lastQuery = query;
        while (list.firstChild) list.removeChild(list.firstChild);
        say("");
        hide();
        return;
      }
      var found = answer(query, 0);
      if (found === null) return;
      lastQuery = query;
      shown = { query: query, hits: found.hits, terms: found.terms, count: 0, batch: 0, batches: found.batches, fresh: true };
      extend(false);
    }

    // When every hit found so far is shown and a batch is left, searches the last query's next
    // batch (when its shards are not loaded yet, loads them and goes on once they are): one batch
    // a press, none for a new query, so that no answer loads more than one batch of shards even
    // when the batches before hold no match. Then shows the next results; with focus, moves the
    // focus to the first of them.
    function extend(focus) {
      var s = shown;
      extending = false;
      if (!s || input.value !== s.query) return;
      var left = s.fresh ? 0 : 1;
      while (left > 0 && s.count >= s.hits.length && s.batch + 1 < s.batches) {
        var found = answer(s.query, s.batch + 1);
        if (found === null) {
          extending = true;
          s.focus = focus;
          return;
        }
        s.batch++;
        left--;
        found.hits.forEach(function (h) { s.hits.push(h); });
      }
      if (s.fresh) {
        s.fresh = false;
        while (list.firstChild) list.removeChild(list.firstChild);
        if (!s.hits.length && s.batch + 1 >= s.batches) {
          var none = document.createElement("li");
          none.className = "search-none";
          none.setAttribute("aria-hidden", "true");
          none.textContent = fill(words.no_results, { q: s.query.trim() });
          list.appendChild(none);
          say(none.textContent);
          show();
          return;
        }
      }
      var first = more();
      var partial = s.batch + 1 < s.batches;
      var counted = count(words, partial && words.results_partial ? "results_partial" : "results", s.hits.length, lang);
      var note = list.querySelector(".search-partial");
      if (note) note.textContent = counted;
      say(counted);
      show();
      if (focus) {
        var items = list.querySelectorAll("li.search-result a");
        var to = first || items[items.length - 1];
        if (to) to.focus();
      }
    }

    // Shows the next PAGE_SIZE results of the last query, and a button for the rest (and for the
    // next batches) if any; returns the first link it added.
    function more() {
      ["search-more", "search-partial"].forEach(function (name) {
        var old = list.querySelector("." + name);
        if (old) list.removeChild(old);
      });
      var hits = shown.hits;
      var terms = shown.terms;
      var end = Math.min(hits.length, shown.count + PAGE_SIZE);
      var first = null;
      for (var i = shown.count; i < end; i++) {
        var hit = hits[i];
        var li = document.createElement("li");
        li.className = "search-result";
        var a = document.createElement("a");
        a.href = resolveHref(base, hit.url, protocol);
        a.className = "search-link search-kind-" + hit.kind;
        var title = document.createElement("span");
        title.className = "search-title";
        var P = hit.P;
        appendMarked(title, hit.title, matchRanges(P.titles[P.index.page[hit.local]], terms, Infinity, hit.title));
        a.appendChild(title);
        if (hit.heading) {
          var heading = document.createElement("span");
          heading.className = "search-heading";
          appendMarked(heading, hit.heading, matchRanges(P.headings[hit.local], terms, Infinity, hit.heading));
          a.appendChild(heading);
        }
        var sn = snippet(P, hit.local, terms);
        if (sn.text) {
          var snip = document.createElement("span");
          snip.className = "search-snippet";
          appendMarked(snip, sn.text, sn.marks);
          a.appendChild(snip);
        }
        li.appendChild(a);
        list.appendChild(li);
        if (!first) first = a;
      }
      shown.count = end;
      var partial = shown.batch + 1 < shown.batches;
      if (partial && words.results_partial) {
        // The count so far, in the list too (the status region says it to screen readers).
        var note = document.createElement("li");
        note.className = "search-partial";
        note.setAttribute("aria-hidden", "true");
        list.appendChild(note);
      }
      if (end < hits.length || partial) {
        var item = document.createElement("li");
        item.className = "search-more";
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = words.more || "";
        button.addEventListener("click", function () {
          extend(true);
        });
        item.appendChild(button);
        list.appendChild(item);
      }
      return first;
    }

    // Answers the query after the reader has paused for DEBOUNCE_MS (or after wait ms).
    function schedule(wait) {
      if (timer) clearTimeout(timer);
      timer = setTimeout(run, typeof wait === "number" ? wait : DEBOUNCE_MS);
      prefetch(input.value);
    }

    function flush() {
      if (timer) {
        clearTimeout(timer);
        run();
      }
    }

    list.hidden = true;

    // While an input method composes (Japanese kana → kanji), wait for the result.
    input.addEventListener("input", function (e) {
      if (!e.isComposing) schedule();
    });
    // An input method's commit is a whole word (or phrase) chosen by the reader: no pause to
    // wait for.
    input.addEventListener("compositionend", function () {
      schedule(0);
    });
    input.addEventListener("focus", function () {
      ready();
      warm();
      if (input.value.trim() !== "") {
        if (input.value !== lastQuery) schedule();
        else show();
      }
    });

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      flush();
      var first = links()[0];
      if (first) first.click();
    });

    form.addEventListener("keydown", function (e) {
      var items = links();
      var at = items.indexOf(document.activeElement);
      if (e.key === "ArrowDown" || e.key === "Down") {
        flush();
        items = links();
        if (!items.length) return;
        e.preventDefault();
        show();
        items[at < 0 ? 0 : Math.min(at + 1, items.length - 1)].focus();
      } else if (e.key === "ArrowUp" || e.key === "Up") {
        if (at < 0) return;
        e.preventDefault();
        if (at === 0) input.focus();
        else items[at - 1].focus();
      } else if (e.key === "Escape" || e.key === "Esc") {
        e.preventDefault();
        if (!list.hidden) {
          hide();
        } else if (input.value !== "") {
          input.value = "";
          lastQuery = null;
          say("");
        }
        input.focus();
      }
    });

    // Keep the focus in the box while a result is pressed, so the click registers
    // (some browsers do not focus a link on click, and the list would hide first).
    list.addEventListener("mousedown", function (e) {
      if (e.button === 0) e.preventDefault();
    });
    list.addEventListener("click", function (e) {
      var t = e.target;
      while (t && t !== list && t.tagName !== "A") t = t.parentNode;
      if (t && t !== list) hide();
    });

    form.addEventListener("focusin", function () {
      if (hideTimer) clearTimeout(hideTimer);
      hideTimer = 0;
    });
    form.addEventListener("focusout", function (e) {
      if (e.relatedTarget && form.contains(e.relatedTarget)) return;
      if (hideTimer) clearTimeout(hideTimer);
      hideTimer = setTimeout(function () {
        hideTimer = 0;
        if (!form.contains(document.activeElement)) hide();
      }, 150);
    });

    document.addEventListener("keydown", function (e) {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      if (isEditable(e.target) || isEditable(document.activeElement)) return;
      e.preventDefault();
      input.focus();
      input.select();
    });
  }

  if (typeof document !== "undefined" && document && document.getElementById) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () { init(document); });
    } else {
      init(document);
    }
  }
})();
