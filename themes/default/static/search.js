// kbgen page script: keyboard access to the search box on every page.
// The in-browser search engine arrives with the search index (issue 4).
(function () {
  "use strict";
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable)) return;
    var box = document.getElementById("q");
    if (box) { e.preventDefault(); box.focus(); box.select(); }
  });
})();
