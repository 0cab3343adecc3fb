// Loads the QR engine (sabaq-qr.js, then its module) only once an assessment's pass is on
// screen, so an assessment page costs a few hundred bytes for it until a learner has a code;
// later passes (after "Start again") redraw through the loaded engine.
(function () {
  var glue = document.currentScript.src.replace(/-on-pass\.js$/, ".js"), added = false;
  new MutationObserver(function () {
    if (!document.querySelector(".quiz-passed:not([hidden]) .quiz-qr")) return;
    if (added) {
      if (typeof sabaq_qr_ready !== "undefined") sabaq_qr_ready.then(function () { sabaq_qr.draw(); });
      return;
    }
    added = true;
    var script = document.createElement("script");
    script.src = glue;
    document.head.appendChild(script);
  }).observe(document.documentElement, { subtree: true, attributes: true, attributeFilter: ["hidden"] });
})();
