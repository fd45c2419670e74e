// Filters the case library by category, country and kind of cause. Without JavaScript every case
// stays listed and the filter form stays hidden.
(function () {
  "use strict";
  var form = document.getElementById("case-filters");
  if (!form) return;
  var cards = Array.prototype.slice.call(document.querySelectorAll(".case-card"));
  var count = form.querySelector(".case-count");
  function apply() {
    var cat = form.elements.category.value;
    var country = form.elements.country.value;
    var cause = form.elements.cause.value;
    var shown = 0;
    cards.forEach(function (c) {
      var ok = (!cat || c.getAttribute("data-category") === cat) &&
        (!country || c.getAttribute("data-country") === country) &&
        (!cause || (" " + c.getAttribute("data-causes") + " ").indexOf(" " + cause + " ") >= 0);
      c.hidden = !ok;
      if (ok) shown++;
    });
    if (count) {
      // data-template-one, when the theme's strings have it, is the wording for a single case.
      var template = (shown === 1 && count.getAttribute("data-template-one")) || count.getAttribute("data-template") || "{n}";
      count.textContent = template.replace("{n}", String(shown));
    }
  }
  form.hidden = false;
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  apply();
})();
