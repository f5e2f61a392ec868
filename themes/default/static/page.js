// kbgen page script for reading an article: a copy button on every code
// block (on-call readers copy commands from them), the "On this page" list
// opened where there is room for it beside the text, and a fix opened when
// a link points into it. A file of its own, not inline script: the pages'
// Content-Security-Policy allows only 'self' scripts. The clipboard API is
// tried first and a selection copy is the fallback, so copying works from
// file:// and over plain http:// as well.
(function () {
  "use strict";

  function copyText(text, done, failed) {
    function fallback() {
      var ta = document.createElement("textarea");
      ta.value = text;
      ta.setAttribute("readonly", "");
      ta.style.position = "fixed";
      ta.style.opacity = "0";
      document.body.appendChild(ta);
      ta.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(ta);
      (ok ? done : failed)();
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  }

  function addCopyButtons() {
    var blocks = document.querySelectorAll(".article pre > code");
    Array.prototype.forEach.call(blocks, function (code) {
      var pre = code.parentNode;
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "copy-code";
      btn.textContent = "Copy";
      btn.setAttribute("aria-label", "Copy this code block");
      btn.addEventListener("click", function () {
        var say = function (t) {
          btn.textContent = t;
          setTimeout(function () { btn.textContent = "Copy"; }, 1500);
        };
        copyText(code.textContent, function () { say("Copied"); }, function () { say("Press Ctrl+C"); });
      });
      var wrap = document.createElement("div");
      wrap.className = "code-block";
      pre.parentNode.insertBefore(wrap, pre);
      wrap.appendChild(pre);
      wrap.appendChild(btn);
    });
  }

  // Wide screens show the list in a sticky side column, open; phones keep it
  // folded above the text.
  function placeToc() {
    var toc = document.getElementById("toc");
    if (!toc || !window.matchMedia) return;
    var wide = window.matchMedia("(min-width: 1100px)");
    var apply = function () { toc.open = wide.matches; };
    apply();
    if (wide.addEventListener) wide.addEventListener("change", apply);
  }

  // A link to a fix (or a heading inside one) opens that fix.
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    for (; el; el = el.parentElement) {
      if (el.tagName === "DETAILS" && el.id !== "toc") el.open = true;
    }
  }

  addCopyButtons();
  placeToc();
  openTarget();
  window.addEventListener("hashchange", openTarget);
})();
