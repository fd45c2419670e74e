// Small enhancements shared by every page: none of them is needed to read the course.
(function () {
  "use strict";
  // Keep the sidebar's current entry in view.
  var current = document.querySelector(".toc [aria-current='page']");
  if (current && current.scrollIntoView && window.matchMedia("(min-width: 60rem)").matches) {
    current.scrollIntoView({ block: "nearest" });
  }
})();
