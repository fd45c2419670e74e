// Sends a first-time visitor of the language chooser to the course in their browser's language.
// Without JavaScript the chooser simply lists every language.
(function () {
  "use strict";
  var links = document.querySelectorAll("a.enter[data-lang]");
  if (!links.length) return;
  try {
    if (sessionStorage.getItem("kyozai:chose-language")) return;
    sessionStorage.setItem("kyozai:chose-language", "1");
  } catch (e) { /* storage may be off; still redirect once per load */ }
  var wanted = (navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ""]);
  for (var i = 0; i < wanted.length; i++) {
    var code = String(wanted[i]).toLowerCase().split("-")[0];
    for (var j = 0; j < links.length; j++) {
      if (links[j].getAttribute("data-lang") === code) {
        window.location.replace(links[j].getAttribute("href"));
        return;
      }
    }
  }
})();
