// Small enhancements shared by every page: none of them is needed to read the course.
(function () {
  "use strict";
  // Keep the sidebar's current entry in view.
  var current = document.querySelector(".toc [aria-current='page']");
  if (current && current.scrollIntoView && window.matchMedia("(min-width: 60rem)").matches) {
    current.scrollIntoView({ block: "nearest" });
  }

  // Glossary tooltips show on hover and keyboard focus (style.css); Escape hides the one open
  // until the pointer or the focus leaves its term (WCAG 1.4.13: dismissible).
  function termOf(node) {
    return node && node.closest ? node.closest(".term") : null;
  }
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape" && e.key !== "Esc") return;
    var terms = document.querySelectorAll(".term");
    for (var i = 0; i < terms.length; i++) {
      if (terms[i].matches(":hover") || terms[i].contains(document.activeElement)) terms[i].classList.add("term-dismissed");
    }
  });
  function reset(e) {
    var term = termOf(e.target);
    if (term && !term.contains(e.relatedTarget)) term.classList.remove("term-dismissed");
  }
  document.addEventListener("focusout", reset);
  document.addEventListener("mouseout", reset);

  // Keep an open tooltip inside the window: near the right edge of a narrow screen it would
  // otherwise stick out, cut off and scrolling the page sideways.
  function place(term) {
    var tip = term && term.querySelector(".term-tip");
    if (!tip) return;
    tip.style.left = "";
    var r = tip.getBoundingClientRect();
    if (!r.width) return;
    var margin = 8;
    var width = document.documentElement.clientWidth;
    var shift = 0;
    if (r.right > width - margin) shift = width - margin - r.right;
    if (r.left + shift < margin) shift = margin - r.left;
    if (shift) tip.style.left = shift + "px";
  }
  function show(e) {
    var term = termOf(e.target);
    if (term) place(term);
  }
  document.addEventListener("focusin", show);
  document.addEventListener("mouseover", show);
})();
