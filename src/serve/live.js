// kbgen serve: live reload. Served as /__kbgen/live.js and added to HTML
// responses only (never to the files on disk). It polls /__kbgen/version:
// a new version means a rebuild succeeded, so the page reloads; an error
// means the last rebuild failed, so the error is shown over the last good
// page. Text goes in with textContent, never innerHTML; styles are set
// through the CSSOM, which the theme's Content-Security-Policy allows.
(function () {
  "use strict";
  var script = document.currentScript;
  var match = script && /[?&]v=(\d+)/.exec(script.src);
  var seen = match ? Number(match[1]) : null;
  var overlay = null;
  var dismissed = null;

  function style(el, props) {
    for (var k in props) el.style[k] = props[k];
    return el;
  }

  function show(text) {
    if (dismissed === text) return;
    if (!overlay) {
      overlay = style(document.createElement("div"), {
        position: "fixed", left: "0", right: "0", bottom: "0", maxHeight: "60vh",
        overflow: "auto", zIndex: "2147483647", background: "#2b0b0b", color: "#ffe9e9",
        borderTop: "4px solid #e5484d", padding: "12px 16px",
        font: "14px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
        boxShadow: "0 -4px 16px rgba(0,0,0,.4)"
      });
      overlay.id = "kbgen-error-overlay";
      overlay.setAttribute("role", "alert");
      var head = style(document.createElement("div"), { display: "flex", gap: "1em", alignItems: "baseline" });
      var title = style(document.createElement("strong"), { flex: "1" });
      title.textContent = "kbgen: the last rebuild failed; this is the last good site.";
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "Dismiss";
      close.addEventListener("click", function () {
        dismissed = overlay.kbgenText;
        overlay.remove();
        overlay = null;
      });
      head.appendChild(title);
      head.appendChild(close);
      // Every property the theme's `pre` sets is set here too: its light
      // background under the overlay's pale text was unreadable.
      var pre = style(document.createElement("pre"), {
        whiteSpace: "pre-wrap", margin: "8px 0 0", padding: "0", border: "0", borderRadius: "0",
        background: "transparent", color: "inherit", font: "inherit", overflow: "visible"
      });
      overlay.appendChild(head);
      overlay.appendChild(pre);
      document.body.appendChild(overlay);
    }
    overlay.kbgenText = text;
    overlay.lastChild.textContent = text;
  }

  function hide() {
    if (overlay) overlay.remove();
    overlay = null;
  }

  function poll() {
    fetch("/__kbgen/version", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (seen !== null && s.version !== seen) {
          location.reload();
          return;
        }
        seen = s.version;
        var errorPage = document.body && document.body.hasAttribute("data-kbgen-error-page");
        if (errorPage) {
          // The server's own error page: reload it when the error text changes.
          var shown = document.querySelector("pre");
          if (s.error && shown && shown.textContent !== s.error) location.reload();
        } else if (s.error) {
          show(s.error);
        } else {
          hide();
        }
      })
      .catch(function () { /* server stopped or restarting: try again */ })
      .then(function () { setTimeout(poll, 500); });
  }

  poll();
})();
