(function () {
  var glue = document.currentScript.src.replace(/-on-view\.js$/, ".js"), added = false;
  var mode = /sabaq-assess\.js$/.test(glue) ? "assessment" : "practice";
  var quizzes = [].slice.call(document.querySelectorAll('.quiz[data-mode="' + mode + '"]'));
  function load() {
    if (added) return;
    added = true;
    // The glue's fetch of the module takes this download, started beside the glue's own.
    var module = document.createElement("link");
    module.rel = "preload";
    module.as = "fetch";
    module.crossOrigin = "anonymous";
    module.href = glue.replace(/\.js$/, "_bg.wasm");
    document.head.appendChild(module);
    var script = document.createElement("script");
    script.src = glue;
    document.head.appendChild(script);
  }
  if (!quizzes.length) return;
  if (!("IntersectionObserver" in window)) return load();
  var watch = new IntersectionObserver(function (entries) {
    if (entries.some(function (entry) { return entry.isIntersecting; })) {
      watch.disconnect();
      load();
    }
  }, { rootMargin: "100% 0px" });
  quizzes.forEach(function (quiz) {
    watch.observe(quiz);
    quiz.addEventListener("focusin", load);
  });
})();
