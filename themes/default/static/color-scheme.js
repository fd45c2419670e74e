// Light or dark: applies the reader's choice, kept by the header switch, before the page is drawn
// (this file is loaded without `defer` for that; style.css follows the system setting when no
// choice was made), then makes the switch work once the page is read.
(function () {
  "use strict";
  var KEY = "kyozai:color-scheme";
  var root = document.documentElement;
  function stored() {
    try {
      return window.localStorage.getItem(KEY);
    } catch (e) {
      return null; // storage refused (some browsers on file://): the system setting applies
    }
  }
  var chosen = stored();
  if (chosen === "dark" || chosen === "light") root.setAttribute("data-color-scheme", chosen);

  function isDark() {
    var set = root.getAttribute("data-color-scheme");
    if (set) return set === "dark";
    return !!(window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  }
  function ready() {
    var buttons = document.querySelectorAll("[data-scheme-switch]");
    function show() {
      for (var i = 0; i < buttons.length; i++) buttons[i].setAttribute("aria-pressed", isDark() ? "true" : "false");
    }
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].addEventListener("click", function () {
        var next = isDark() ? "light" : "dark";
        root.setAttribute("data-color-scheme", next);
        try {
          window.localStorage.setItem(KEY, next);
        } catch (e) {
          // Not kept: the choice lasts for this page only.
        }
        show();
      });
    }
    if (window.matchMedia) {
      var m = window.matchMedia("(prefers-color-scheme: dark)");
      if (m.addEventListener) m.addEventListener("change", show);
    }
    show();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
