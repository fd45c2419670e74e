// kyozai slide decks: shows one slide at a time on a 1280 × 720 canvas scaled to the window,
// splits a slide whose content does not fit into more slides, keeps the slide number in the URL
// (#N), and runs the overview and the presenter view. The presenter view opens in a second window
// that drives this one through postMessage (which works between windows opened from file:// as
// well); where the browser refuses a second window, it is shown in this window instead.
// Its words come from the deck's data- attributes (data-t-NAME), written by the theme's templates.
(function () {
  "use strict";
  var W = 1280, H = 720;
  var CHANNEL = "kyozai-slides";
  var root = document.documentElement;
  var body = document.body;
  var deck = document.getElementById("deck");
  if (!deck) return;
  var data = { deck: deck.getAttribute("data-deck"), lang: deck.getAttribute("data-lang") };
  // The words that make a paragraph's last sentence point at what follows it, in the course's
  // languages (the UI strings slides_lead_words), as src/markdown/slides.rs takes them.
  var leadWords = (deck.getAttribute("data-lead-words") || "").split("|").filter(Boolean);
  var leadRe = leadWords.length ? new RegExp("(" + leadWords.map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }).join("|") + ")[^\u3002.]*[\u3002.]$") : null;
  var notesPages = deck.classList.contains("notes-pages");
  var slides = [];
  var index = 0;
  var partner = null; // the other window: the presenter's or the audience's
  var presenterWindow = window.opener && /[?&]presenter\b/.test(location.search) ? window.opener : null;
  var presenting = false;

  function word(key, fallback) {
    var v = deck.getAttribute("data-t-" + key.replace(/_/g, "-"));
    return v === null ? fallback : v;
  }
  function format(s, vars) { return s.replace(/\{(\w+)\}/g, function (m, k) { return k in vars ? String(vars[k]) : m; }); }

  // ---- Fitting: split what does not fit into more slides ----

  function overflows(slide) {
    var b = slide.querySelector(".slide-body");
    return slide.scrollHeight > slide.clientHeight + 1 || slide.scrollWidth > slide.clientWidth + 1 ||
      (b !== null && (b.scrollHeight > b.clientHeight + 1 || b.scrollWidth > b.clientWidth + 1));
  }

  // The element inside `el` whose children can be moved to a continuation (list items, table
  // rows, the blocks of a callout): `el` itself when it has two or more, the rows of a table, or
  // what it wraps (a title followed by one block counts as wrapping that block).
  function splittable(el) {
    while (el) {
      if (el.tagName === "FIGURE" || el.tagName === "P" || /^H\d$/.test(el.tagName) || el.namespaceURI !== "http://www.w3.org/1999/xhtml") return null;
      if (el.tagName === "TABLE") {
        var rows = el.tBodies[0] || null;
        return rows && rows.children.length >= 2 ? rows : null;
      }
      var kids = el.children;
      if (kids.length === 2 && /^(P|H\d)$/.test(kids[0].tagName)) {
        var inner = splittable(kids[1]);
        if (inner) return inner;
      }
      if (kids.length >= 2) return el;
      if (kids.length !== 1) return null;
      el = kids[0];
    }
    return null;
  }

  function isTitle(el) {
    return /^H\d$/.test(el.tagName) || el.classList.contains("callout-title") || el.classList.contains("data-list-title");
  }

  // A heading, a paragraph ending in a colon, or one whose last sentence points at what comes
  // next (as src/markdown/slides.rs decides for a figure's lead).
  function leads(el) {
    if (/^H\d$/.test(el.tagName)) return true;
    if (el.tagName !== "P") return false;
    var t = el.textContent.replace(/\s+$/, "");
    return /[:：]$/.test(t) || (leadRe !== null && leadRe.test(t));
  }

  function shallow(el) {
    var c = el.cloneNode(false);
    c.removeAttribute("id");
    return c;
  }

  // A copy of the ancestors of `inner` up to `top` (each without its children, but a table keeps
  // its head), so that children of `inner` moved into the copy keep their setting.
  function copyPath(top, inner) {
    var chain = [];
    for (var e = inner; e && e !== top.parentNode; e = e.parentNode) chain.unshift(e);
    var rootCopy = null, parent = null;
    chain.forEach(function (el) {
      var c = shallow(el);
      if (el.tagName === "TABLE") {
        for (var i = 0; i < el.children.length; i++) if (el.children[i].tagName === "THEAD") c.appendChild(el.children[i].cloneNode(true));
      }
      if (parent) parent.appendChild(c); else rootCopy = c;
      parent = c;
    });
    return { root: rootCopy, inner: parent };
  }

  // Moves content from the end of `box` to the start of `target` until the slide fits: the items
  // of the last block first (so a list or table fills the slide and goes on on the next), whole
  // blocks when not even one item of the last block fits. Returns whether anything moved.
  function moveTail(box, target, over) {
    var moved = false;
    while (over()) {
      var last = box.lastElementChild;
      if (!last) break;
      var inner = splittable(last);
      if (inner) {
        var copy = copyPath(last, inner);
        target.insertBefore(copy.root, target.firstChild);
        while (over() && inner.children.length > 1) copy.inner.insertBefore(inner.lastElementChild, copy.inner.firstChild);
        // A title left alone (a callout's, a list's) goes on with its block.
        var titleLeft = inner.children.length === 1 && isTitle(inner.firstElementChild);
        if (titleLeft && box.children.length === 1 && copy.inner.children.length) {
          // The block is alone on the slide: rather than leave its title alone, its text goes on
          // between sentences; where there is no sentence to split at, the title stays alone.
          var back = copy.inner.children.length;
          while (copy.inner.firstElementChild) inner.appendChild(copy.inner.firstElementChild);
          copy.root.remove();
          if (splitText(last, target, over)) return true;
          copy = copyPath(last, inner);
          target.insertBefore(copy.root, target.firstChild);
          for (var k = 0; k < back; k++) copy.inner.insertBefore(inner.lastElementChild, copy.inner.firstChild);
          return true;
        }
        if (!over() && !(titleLeft && box.children.length > 1)) {
          // One item does not go on alone to the next slide when three or more stay on this one.
          if (copy.inner.children.length === 1 && inner.children.length >= 3 && !isTitle(inner.lastElementChild)) copy.inner.insertBefore(inner.lastElementChild, copy.inner.firstChild);
          if (inner.tagName === "OL") copy.inner.setAttribute("start", String((parseInt(inner.getAttribute("start"), 10) || 1) + inner.children.length));
          return true;
        }
        if (box.children.length === 1) {
          // The block is alone: what moved is all that can.
          if (copy.inner.children.length === 0) { copy.root.remove(); return moved; }
          if (inner.tagName === "OL") copy.inner.setAttribute("start", String((parseInt(inner.getAttribute("start"), 10) || 1) + inner.children.length));
          return true;
        }
        // Not even one item fits beside what comes before: put the items back, move the block.
        while (copy.inner.firstElementChild) inner.appendChild(copy.inner.firstElementChild);
        copy.root.remove();
      }
      if (box.children.length < 2) { moved = splitText(last, target, over) || moved; break; }
      target.insertBefore(last, target.firstChild);
      moved = true;
    }
    // A heading, or a paragraph ending in a colon, does not end a slide: it goes with what follows it.
    while (moved && box.children.length > 1 && leads(box.lastElementChild)) target.insertBefore(box.lastElementChild, target.firstChild);
    return moved;
  }

  // Splits the last paragraph or list item inside `top` between sentences, moving the end of it
  // to the start of `target` until the slide fits: for a block too long for a slide of its own.
  function splitText(top, target, over) {
    var el = top;
    while (el && !/^(P|LI|TD|TH)$/.test(el.tagName) && el.lastElementChild) el = el.lastElementChild;
    if (!el || !/^(P|LI|TD|TH)$/.test(el.tagName)) return false;
    Array.prototype.slice.call(el.childNodes).forEach(function (n) {
      if (n.nodeType !== 3) return;
      var re = /[.!?]["”’)]?\s+(?=["“‘(]?[A-Z])|[。！？]」?(?=\S)/g, m, cut = [];
      while ((m = re.exec(n.data)) !== null) cut.push(m.index + m[0].length);
      for (var i = cut.length - 1; i >= 0; i--) n.splitText(cut[i]);
    });
    if (el.childNodes.length < 2) return false;
    var copy, into;
    if (el.tagName === "TD" || el.tagName === "TH") {
      // A table row too tall: the row goes on in the continuation, its first cell repeated (so
      // that it says which row goes on) and its other cells empty.
      var row = el.parentNode;
      copy = copyPath(top, row.parentNode);
      var next = shallow(row);
      Array.prototype.forEach.call(row.children, function (c, i) {
        var nc = i === 0 && c !== el ? c.cloneNode(true) : shallow(c);
        Array.prototype.forEach.call(nc.querySelectorAll("[id]"), function (x) { x.removeAttribute("id"); });
        next.appendChild(nc);
        if (c === el) into = nc;
      });
      copy.inner.appendChild(next);
    } else {
      copy = copyPath(top, el);
      into = copy.inner;
    }
    target.insertBefore(copy.root, target.firstChild);
    while (over() && el.childNodes.length > 1) into.insertBefore(el.lastChild, into.firstChild);
    // The cut goes back to the end of a sentence (not after a link in the middle of one), if there
    // is one before it.
    var ends = function (n) { return n.nodeType === 3 && /(?:[.!?]["”’)]?\s+|[。！？]」?)$/.test(n.data); };
    var fitted = into.childNodes.length;
    while (el.childNodes.length > 1 && !ends(el.lastChild)) into.insertBefore(el.lastChild, into.firstChild);
    if (!ends(el.lastChild)) while (into.childNodes.length > fitted) el.appendChild(into.firstChild);
    if (!into.childNodes.length) { copy.root.remove(); return false; }
    return true;
  }

  // The continuation of `slide`: the same title marked as continued, an empty body.
  function continuation(slide) {
    var c = shallow(slide);
    c.classList.remove("current", "measure");
    var frame = document.createElement("div");
    frame.className = "slide-frame";
    var h = slide.querySelector(".slide-title");
    if (h) {
      var h2 = h.cloneNode(false);
      var title = h.getAttribute("data-title") || h.textContent;
      h2.setAttribute("data-title", title);
      h2.textContent = format(word("continued", "{title}"), { title: title });
      frame.appendChild(h2);
    }
    var b = document.createElement("div");
    b.className = "slide-body";
    frame.appendChild(b);
    c.appendChild(frame);
    var foot = slide.querySelector(".slide-footer");
    if (foot) c.appendChild(foot.cloneNode(true));
    return { slide: c, body: b };
  }

  function fit(slide) {
    var out = [slide];
    for (var guard = 0; guard < 40; guard++) {
      slide.classList.add("measure");
      var over = function () { return overflows(slide); };
      if (!over()) { slide.classList.remove("measure"); break; }
      var b = slide.querySelector(".slide-body");
      if (!b) { slide.classList.remove("measure"); break; }
      var next = continuation(slide);
      var moved = moveTail(b, next.body, over);
      slide.classList.remove("measure");
      if (!moved || next.body.children.length === 0) break;
      if (notesPages) {
        var page = slide.closest(".notes-page");
        var np = document.createElement("div");
        np.className = "notes-page";
        var ns = document.createElement("div");
        ns.className = "notes-slide";
        ns.appendChild(next.slide);
        np.appendChild(ns);
        var nt = document.createElement("div");
        nt.className = "notes-text";
        np.appendChild(nt);
        page.parentNode.insertBefore(np, page.nextSibling);
      } else {
        slide.parentNode.insertBefore(next.slide, slide.nextSibling);
      }
      out.push(next.slide);
      slide = next.slide;
    }
    return out;
  }

  function fitAll() {
    var all = Array.prototype.slice.call(deck.querySelectorAll(".slide"));
    var done = [];
    all.forEach(function (s) { done = done.concat(fit(s)); });
    slides = done;
    var total = slides.length;
    slides.forEach(function (s, i) {
      var n = s.querySelector(".slide-number");
      if (n) n.textContent = format(word("position", "{n} / {total}"), { n: i + 1, total: total });
      s.setAttribute("data-slide", String(i + 1));
    });
  }

  // ---- Showing a slide ----

  function layout() {
    if (notesPages || body.classList.contains("overview")) { deck.style.transform = ""; return; }
    var box = { left: 0, top: 0, width: window.innerWidth, height: window.innerHeight };
    if (presenting) {
      box = { left: 12, top: 12, width: window.innerWidth * 0.62 - 18, height: window.innerHeight * 0.42 - 12 };
    }
    var s = Math.min(box.width / W, box.height / H);
    var x = box.left + (box.width - W * s) / 2, y = box.top + (box.height - H * s) / 2;
    deck.style.transform = "translate(" + x + "px, " + y + "px) scale(" + s + ")";
    var holder = document.querySelector(".presenter-next-slide");
    var clone = holder && holder.querySelector(".slide");
    if (clone) {
      var r = holder.getBoundingClientRect();
      var ns = Math.min(r.width / W, r.height / H);
      clone.style.transform = "scale(" + ns + ")";
    }
  }

  function fromHash() {
    var m = /^#(\d+)$/.exec(location.hash);
    return m ? Math.min(Math.max(parseInt(m[1], 10) - 1, 0), slides.length - 1) : 0;
  }

  function setHash(i) {
    var h = "#" + (i + 1);
    if (location.hash === h) return;
    try { history.replaceState(null, "", h); } catch (e) { location.hash = h; }
  }

  function go(i, tell) {
    if (!slides.length) return;
    i = Math.min(Math.max(i, 0), slides.length - 1);
    if (slides[index]) slides[index].classList.remove("current");
    index = i;
    slides[i].classList.add("current");
    setHash(i);
    var pos = document.querySelector(".deck-position");
    if (pos) pos.textContent = format(word("position", "{n} / {total}"), { n: i + 1, total: slides.length });
    if (presenting) showPresenter();
    if (tell !== false) send();
    if (body.classList.contains("overview")) slides[i].focus();
  }

  function send() {
    var to = partner || presenterWindow;
    if (!to || to.closed) return;
    try { to.postMessage({ kind: CHANNEL, deck: data.deck, slide: index + 1 }, "*"); } catch (e) { /* the window went away */ }
  }

  window.addEventListener("message", function (e) {
    var m = e.data;
    if (!m || m.kind !== CHANNEL || m.deck !== data.deck || typeof m.slide !== "number") return;
    partner = e.source;
    if (m.slide - 1 !== index) go(m.slide - 1, false);
  });

  // ---- Overview, full screen ----

  function toggleOverview(on) {
    on = on === undefined ? !body.classList.contains("overview") : on;
    body.classList.toggle("overview", on);
    slides.forEach(function (s) { if (on) s.setAttribute("tabindex", "0"); else s.removeAttribute("tabindex"); });
    var b = document.querySelector('[data-action="overview"]');
    if (b) b.setAttribute("aria-pressed", on ? "true" : "false");
    layout();
    if (on && slides[index]) { slides[index].focus(); slides[index].scrollIntoView({ block: "center" }); }
  }

  function toggleFullscreen() {
    if (document.fullscreenElement) { document.exitFullscreen(); return; }
    if (root.requestFullscreen) root.requestFullscreen().catch(function () { /* not allowed here */ });
  }

  // ---- Presenter view ----

  var started = Date.now(), pausedAt = null, ticker = null;

  function two(n) { return (n < 10 ? "0" : "") + n; }

  function tick() {
    var el = document.querySelector(".presenter-elapsed");
    var clock = document.querySelector(".presenter-clock");
    var ms = (pausedAt || Date.now()) - started;
    var s = Math.floor(ms / 1000);
    var h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60;
    if (el) el.textContent = (h ? h + ":" + two(m) : String(m)) + ":" + two(s % 60);
    var now = new Date();
    if (clock) clock.textContent = now.toLocaleTimeString(data.lang || undefined, { hour: "2-digit", minute: "2-digit" });
  }

  function showPresenter() {
    var holder = document.querySelector(".presenter-next-slide");
    var notes = document.querySelector(".presenter-notes-text");
    if (holder) {
      holder.textContent = "";
      var next = slides[index + 1];
      if (next) {
        var c = next.cloneNode(true);
        c.classList.remove("current");
        c.removeAttribute("tabindex");
        c.setAttribute("aria-hidden", "true");
        c.setAttribute("inert", "");
        Array.prototype.forEach.call(c.querySelectorAll("[id]"), function (e) { e.removeAttribute("id"); });
        Array.prototype.forEach.call(c.querySelectorAll("a, button, input, [tabindex]"), function (e) { e.setAttribute("tabindex", "-1"); });
        holder.appendChild(c);
      } else {
        var p = document.createElement("p");
        p.className = "deck-end";
        p.textContent = word("end", "");
        holder.appendChild(p);
      }
    }
    if (notes) {
      notes.textContent = "";
      var own = slides[index].querySelector(".slide-notes");
      if (own) {
        Array.prototype.forEach.call(own.childNodes, function (n) { notes.appendChild(n.cloneNode(true)); });
        Array.prototype.forEach.call(notes.querySelectorAll("[id]"), function (e) { e.removeAttribute("id"); });
      } else {
        var none = document.createElement("p");
        none.textContent = word("no_notes", "");
        notes.appendChild(none);
      }
    }
    layout();
  }

  function setPresenting(on) {
    presenting = on;
    body.classList.toggle("presenting", on);
    var panel = document.querySelector(".presenter");
    if (panel) panel.hidden = !on;
    if (on) {
      if (!ticker) { tick(); ticker = setInterval(tick, 1000); }
      showPresenter();
    } else {
      layout();
    }
  }

  function openPresenter() {
    if (presenting) { setPresenting(false); return; }
    var url = location.href.split("#")[0].split("?")[0] + "?presenter#" + (index + 1);
    var win = null;
    try { win = window.open(url, "kyozai-presenter", "popup,width=1280,height=800"); } catch (e) { win = null; }
    if (win) {
      partner = win;
      return;
    }
    setPresenting(true);
    var status = document.querySelector(".presenter-status");
    if (status) status.textContent = word("popup_blocked", "");
  }

  // ---- Input ----

  function act(name) {
    switch (name) {
      case "next": go(index + 1); break;
      case "prev": go(index - 1); break;
      case "first": go(0); break;
      case "last": go(slides.length - 1); break;
      case "overview": toggleOverview(); break;
      case "fullscreen": toggleFullscreen(); break;
      case "presenter": openPresenter(); break;
      case "timer-pause":
        if (pausedAt) { started += Date.now() - pausedAt; pausedAt = null; } else { pausedAt = Date.now(); }
        tick();
        break;
      case "timer-reset": started = Date.now(); if (pausedAt) pausedAt = started; tick(); break;
    }
  }

  function onKey(e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var tag = e.target && e.target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
    var onButton = tag === "BUTTON" || tag === "A";
    var overview = body.classList.contains("overview");
    var name = null;
    switch (e.key) {
      case "ArrowRight": case "ArrowDown": case "PageDown": name = "next"; break;
      case "ArrowLeft": case "ArrowUp": case "PageUp": name = "prev"; break;
      case " ": case "Spacebar": if (onButton) return; name = e.shiftKey ? "prev" : "next"; break;
      case "Home": name = "first"; break;
      case "End": name = "last"; break;
      case "Enter": if (overview && e.target.classList && e.target.classList.contains("slide")) { toggleOverview(false); e.preventDefault(); } return;
      case "Escape": if (overview || !document.fullscreenElement) toggleOverview(); return;
      case "f": case "F": name = "fullscreen"; break;
      case "o": case "O": name = "overview"; break;
      case "p": case "P": name = "presenter"; break;
      default: return;
    }
    e.preventDefault();
    if (overview && (name === "next" || name === "prev" || name === "first" || name === "last")) {
      act(name);
      return;
    }
    act(name);
  }

  function init() {
    root.classList.add("has-script");
    fitAll();
    if (notesPages) return;
    go(fromHash(), false);
    layout();
    window.addEventListener("resize", layout);
    window.addEventListener("hashchange", function () { var i = fromHash(); if (i !== index) go(i); });
    document.addEventListener("keydown", onKey);
    document.addEventListener("click", function (e) {
      var b = e.target.closest && e.target.closest("[data-action]");
      if (b) { act(b.getAttribute("data-action")); return; }
      var s = e.target.closest && e.target.closest(".slide");
      if (s && body.classList.contains("overview")) {
        var i = slides.indexOf(s);
        if (i >= 0) { go(i); toggleOverview(false); }
      }
    });
    var hide = null;
    document.addEventListener("mousemove", function () {
      body.classList.add("show-controls");
      clearTimeout(hide);
      hide = setTimeout(function () { body.classList.remove("show-controls"); }, 2500);
    });
    var x0 = null, y0 = null;
    document.addEventListener("touchstart", function (e) {
      if (e.touches.length === 1) { x0 = e.touches[0].clientX; y0 = e.touches[0].clientY; }
    }, { passive: true });
    document.addEventListener("touchend", function (e) {
      if (x0 === null || !e.changedTouches.length) return;
      var dx = e.changedTouches[0].clientX - x0, dy = e.changedTouches[0].clientY - y0;
      x0 = null;
      if (Math.abs(dx) > 50 && Math.abs(dx) > Math.abs(dy)) act(dx < 0 ? "next" : "prev");
    });
    if (presenterWindow) {
      partner = presenterWindow;
      setPresenting(true);
      send();
    }
  }

  init();
})();
