// A minimal LMS for tests/browser/scorm.test.mjs: scorm-again's SCORM 1.2 API on window.API (as
// an LMS player embeds it), every call of the package recorded in window.lmsCalls, and the
// package's launch page (the folder named by ?pkg=) in a frame. On a resumed session the test puts
// the data model the LMS kept from the last one in window.lmsResume before this runs; with
// window.lmsRefuse set, LMSInitialize fails as an LMS's does when it has no session to give.
// The learner is always the same.
(function () {
  "use strict";
  var api = new window.Scorm12API({ autocommit: false, lmsCommitUrl: false, logLevel: 4 });
  var data = window.lmsResume || { core: {} };
  data.core = data.core || {};
  data.core.student_id = "A-1024";
  data.core.student_name = "Sato, Hanako";
  api.loadFromJSON(data);
  window.lmsCalls = [];
  ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit"].forEach(function (name) {
    var real = api[name];
    api[name] = function () {
      var result = real.apply(api, arguments);
      window.lmsCalls.push({ fn: name, args: Array.prototype.slice.call(arguments), result: result });
      return result;
    };
  });
  if (window.lmsRefuse) {
    api.LMSInitialize = function () {
      window.lmsCalls.push({ fn: "LMSInitialize", args: Array.prototype.slice.call(arguments), result: "false" });
      return "false";
    };
  }
  window.API = api;
  var pkg = new URLSearchParams(window.location.search).get("pkg") || "pkg";
  document.getElementById("sco").src = pkg + "/scorm.html";
})();
