// Live-reload client for `kyozai serve`, served at /__kyozai/live.js and added to
// every HTML page by the dev server. It listens to /__kyozai/events:
//   reload {"css_only": bool}  reload the page (keeping the scroll position),
//                              or only refetch the stylesheets;
//   error  {path, line, column, message, help, more, snippet: [{line, text}]}
//                              show the error overlay;
//   ok                         remove the overlay.
// The server also puts in every page, as JSON, the overlay's words in each language
// (#kyozai-live-words: the theme's serve_ UI strings) and, while a build has failed,
// the error (#kyozai-live-error), which the page shows as soon as it loads. The
// overlay is built here alone, with DOM APIs, and styled by /__kyozai/live.css, so it
// works under `Content-Security-Policy: default-src 'self'`.
(function () {
  'use strict';
  if (window.__kyozaiLive) {
    return;
  }
  window.__kyozaiLive = true;

  var EVENTS = '/__kyozai/events';
  var STYLESHEET = '/__kyozai/live.css';
  var OVERLAY_ID = 'kyozai-overlay';
  var SCROLL_KEY = 'kyozai-scroll:' + location.pathname;
  // JSON of the error the overlay shows, and of the one the reader closed (not
  // shown again until another error comes).
  var shown = null;
  var dismissed = null;
  var focusBefore = null;

  // The JSON data the server put in the page under `id`, or null.
  function pageData(id) {
    var node = document.getElementById(id);
    if (!node) {
      return null;
    }
    try {
      return JSON.parse(node.textContent);
    } catch (e) {
      return null;
    }
  }

  // The overlay's words in the page's language (English when the theme has none in it).
  var WORDS = (function () {
    var all = pageData('kyozai-live-words') || {};
    var lang = (document.documentElement.getAttribute('lang') || '').toLowerCase();
    return all[lang] || all[lang.split('-')[0]] || all.en || {};
  })();

  // The word `key`, its `{name}` placeholders filled from `values`.
  function word(key, values) {
    var text = typeof WORDS[key] === 'string' ? WORDS[key] : key;
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  // Scroll position across reloads.
  function saveScroll() {
    try {
      sessionStorage.setItem(SCROLL_KEY, JSON.stringify({ x: window.scrollX, y: window.scrollY }));
    } catch (e) {
      // Storage may be disabled; the reload still happens.
    }
  }

  function restoreScroll() {
    var saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(SCROLL_KEY) || 'null');
      sessionStorage.removeItem(SCROLL_KEY);
    } catch (e) {
      return;
    }
    if (saved && typeof saved.y === 'number') {
      window.scrollTo(saved.x || 0, saved.y);
    }
  }

  if (document.readyState === 'complete') {
    restoreScroll();
  } else {
    window.addEventListener('load', restoreScroll);
  }

  // Stylesheets.
  function ensureStylesheet() {
    if (document.querySelector('link[data-kyozai]')) {
      return;
    }
    var link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = STYLESHEET;
    link.setAttribute('data-kyozai', '');
    (document.head || document.documentElement).appendChild(link);
  }

  function isStylesheet(link) {
    return (link.getAttribute('rel') || '').toLowerCase().split(/\s+/).indexOf('stylesheet') >= 0;
  }

  // Load each stylesheet again under a cache-busting query; the old one goes
  // when the new one has loaded, so the page never shows unstyled.
  function swapStylesheets() {
    var links = Array.prototype.slice.call(document.getElementsByTagName('link'));
    var stamp = String(Date.now());
    links.forEach(function (link) {
      if (!isStylesheet(link) || link.hasAttribute('data-kyozai') || link.hasAttribute('data-kyozai-old') || !link.href) {
        return;
      }
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin) {
        return;
      }
      url.searchParams.set('kyozai-reload', stamp);
      var fresh = link.cloneNode(false);
      fresh.href = url.href;
      link.setAttribute('data-kyozai-old', '');
      var done = function () {
        if (link.parentNode) {
          link.parentNode.removeChild(link);
        }
      };
      fresh.addEventListener('load', done);
      fresh.addEventListener('error', done);
      link.parentNode.insertBefore(fresh, link.nextSibling);
    });
  }

  // The error overlay.
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function snippetLine(report, number, text, width) {
    var isError = number === report.line;
    var line = element('span', isError ? 'kyozai-line kyozai-line-error' : 'kyozai-line');
    var label = String(number);
    while (label.length < width) {
      label = ' ' + label;
    }
    line.appendChild(element('span', 'kyozai-ln', (isError ? '>' : ' ') + label + ' | '));
    var chars = Array.from(text);
    var at = report.column - 1;
    if (isError && at >= 0 && at < chars.length) {
      line.appendChild(document.createTextNode(chars.slice(0, at).join('')));
      line.appendChild(element('mark', '', chars[at]));
      line.appendChild(document.createTextNode(chars.slice(at + 1).join('')));
    } else {
      line.appendChild(document.createTextNode(text));
    }
    return line;
  }

  function buildOverlay(report) {
    var overlay = element('div');
    overlay.id = OVERLAY_ID;
    overlay.setAttribute('role', 'alertdialog');
    overlay.setAttribute('aria-modal', 'true');
    overlay.setAttribute('aria-live', 'assertive');
    overlay.setAttribute('aria-labelledby', 'kyozai-overlay-title');
    overlay.setAttribute('aria-describedby', 'kyozai-overlay-message');
    var box = element('div', 'kyozai-overlay-box');
    var head = element('div', 'kyozai-overlay-head');
    var title = element('h2', '', word('serve_error_title'));
    title.id = 'kyozai-overlay-title';
    var close = element('button', 'kyozai-overlay-close', '\u00d7');
    close.type = 'button';
    close.setAttribute('aria-label', word('serve_close'));
    head.appendChild(title);
    head.appendChild(close);
    box.appendChild(head);
    if (report.path) {
      box.appendChild(element('p', 'kyozai-overlay-loc', report.path + ':' + report.line + ':' + report.column));
    }
    var text = String(report.message);
    if (report.more > 0) {
      text += ' ' + word('serve_more', { n: report.more });
    }
    var message = element('p', 'kyozai-overlay-message', text);
    message.id = 'kyozai-overlay-message';
    box.appendChild(message);
    if (report.help) {
      box.appendChild(element('p', 'kyozai-overlay-help', word('serve_help', { help: report.help })));
    }
    var snippet = Array.isArray(report.snippet) ? report.snippet : [];
    if (snippet.length) {
      var width = 1;
      snippet.forEach(function (entry) {
        width = Math.max(width, String(entry.line).length);
      });
      var pre = element('pre', 'kyozai-overlay-snippet');
      snippet.forEach(function (entry) {
        pre.appendChild(snippetLine(report, entry.line, String(entry.text), width));
        pre.appendChild(document.createTextNode('\n'));
      });
      box.appendChild(pre);
    }
    overlay.appendChild(box);
    return overlay;
  }

  function removeOverlay(restoreFocus) {
    var overlay = document.getElementById(OVERLAY_ID);
    if (overlay && overlay.parentNode) {
      overlay.parentNode.removeChild(overlay);
    }
    shown = null;
    if (restoreFocus && focusBefore && document.contains(focusBefore)) {
      focusBefore.focus();
    }
    focusBefore = null;
  }

  // Close button, Escape, and focus kept on the dialog while it is open.
  function wire(overlay, json) {
    var close = overlay.querySelector('.kyozai-overlay-close');
    var dismiss = function () {
      dismissed = json;
      removeOverlay(true);
    };
    if (close) {
      close.addEventListener('click', dismiss);
    }
    overlay.addEventListener('keydown', function (event) {
      if (event.key === 'Escape') {
        event.preventDefault();
        dismiss();
      } else if (event.key === 'Tab' && close) {
        event.preventDefault();
        close.focus();
      }
    });
    if (close) {
      if (!focusBefore && document.activeElement !== document.body) {
        focusBefore = document.activeElement;
      }
      close.focus();
    }
  }

  function showError(report) {
    var json = JSON.stringify(report);
    if (json === dismissed || (json === shown && document.getElementById(OVERLAY_ID))) {
      return;
    }
    var keep = focusBefore;
    removeOverlay(false);
    focusBefore = keep;
    ensureStylesheet();
    var overlay = buildOverlay(report);
    var body = document.body || document.documentElement;
    body.insertBefore(overlay, body.firstChild);
    shown = json;
    wire(overlay, json);
  }

  // A page loaded while the course does not build shows the error at once; the
  // event stream's first event repeats it.
  var initial = pageData('kyozai-live-error');
  if (initial) {
    showError(initial);
  }

  // The event stream. EventSource reconnects by itself after a dropped
  // connection; if it gives up (the server was down), start a new one.
  function connect() {
    var source = new EventSource(EVENTS);
    source.addEventListener('reload', function (event) {
      var data = {};
      try {
        data = JSON.parse(event.data);
      } catch (e) {
        // A reload without data is a full reload.
      }
      if (data.css_only) {
        swapStylesheets();
      } else {
        saveScroll();
        location.reload();
      }
    });
    source.addEventListener('error', function (event) {
      // Connection failures are plain events without data; ours carry JSON.
      if (typeof event.data !== 'string') {
        if (source.readyState === EventSource.CLOSED) {
          source.close();
          window.setTimeout(connect, 2000);
        }
        return;
      }
      try {
        showError(JSON.parse(event.data));
      } catch (e) {
        // Malformed report: nothing sensible to show.
      }
    });
    source.addEventListener('ok', function () {
      dismissed = null;
      removeOverlay(true);
    });
  }

  connect();
})();
