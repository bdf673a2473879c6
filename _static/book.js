/* Learning from Mistakes: accessibility fixes the theme's markup needs.
   A control's accessible name must contain the text it shows, or a screen-reader
   user hears, and a voice-control user must say, something else than what is on
   screen (axe: label-content-name-mismatch). */
document.addEventListener("DOMContentLoaded", function () {
  // MyST-NB's hide-input toggles: aria-label "Toggle hidden content" while they show
  // "Show code cell source"; without the label, the visible text is the name.
  document.querySelectorAll("summary[aria-label]").forEach(function (s) {
    if (s.textContent.trim()) { s.removeAttribute("aria-label"); }
  });
  // Icon fonts draw glyphs that count as text: hide the icons from assistive tech
  // (the buttons keep their labels).
  document.querySelectorAll("button i[class*='fa-'], a.btn i[class*='fa-']").forEach(function (i) {
    i.setAttribute("aria-hidden", "true");
  });
  // The colour-mode button's icons carry titles ("Light", "Dark", …) that Font
  // Awesome turns into SVG <title>s: text inside a button labelled "Color mode".
  // The button's tooltip already names it; the icons need no names of their own.
  // Font Awesome turns each <i> into an <svg> when its script runs, which may be
  // before or after this one: quiet every icon of that button now, at load, and
  // whenever the icons are redrawn (otherwise an <svg role="img"> is left nameless).
  var buttons = document.querySelectorAll(".theme-switch-button");
  var untitle = function () {
    buttons.forEach(function (button) {
      button.querySelectorAll("[title]").forEach(function (e) {
        e.removeAttribute("title");
      });
      button.querySelectorAll("svg").forEach(function (svg) {
        svg.querySelectorAll("title").forEach(function (t) { t.remove(); });
        svg.removeAttribute("aria-labelledby");
        svg.removeAttribute("role");
        svg.setAttribute("aria-hidden", "true");
      });
    });
  };
  untitle();
  window.addEventListener("load", untitle);
  if (window.MutationObserver) {
    buttons.forEach(function (button) {
      new MutationObserver(untitle).observe(button, { childList: true, subtree: true });
    });
  }
  // The search buttons show "Search Ctrl+K" but are labelled "Search": let the
  // visible text be the name.
  document.querySelectorAll(".search-button__button[aria-label]").forEach(function (b) {
    b.removeAttribute("aria-label");
  });
});

/* A page opened from disk (file://): browsers do not let MathJax start its speech worker
   there (a console error, and no spoken form of any equation), so such a reader gets
   MathJax's hidden MathML for screen readers instead. This file runs after the book's
   MathJax settings and before MathJax itself (which is deferred). */
(function (settings) {
  if (location.protocol !== "file:" || !settings || settings.version) { return; }
  var options = settings.options = settings.options || {};
  options.enableSpeech = false;
  options.enableBraille = false;
  options.menuOptions = {settings: {speech: false, braille: false, assistiveMml: true}};
  var loader = settings.loader = settings.loader || {};
  loader.load = (loader.load || []).concat(["a11y/assistive-mml"]);
})(window.MathJax);

/* Long display equations: MathJax 4 breaks one that is wider than its column (see
   _config.yml), but it measures the column only when it typesets the page. An equation
   inside a closed dropdown has no column then (it would never be broken), and a phone
   turned sideways has a wider one. So the display equations inside a dropdown are
   typeset again, from their TeX, when it first opens, and all of them when the text
   column changes width. window.lfmMathSettled() resolves once MathJax and any such
   re-typesetting are done (the browser tests wait for it). */
(function () {
  var queue = Promise.resolve();
  var ready = function () {
    var mj = window.MathJax;
    return mj && mj.startup && mj.startup.promise && mj.typesetPromise ? mj : null;
  };
  var retypeset = function (root) {
    queue = queue.then(function () {
      var mj = ready();
      if (!mj) { return null; }
      return mj.startup.promise.then(function () {
        var doc = mj.startup.document;
        var items = Array.from(doc.math).filter(function (m) {
          return m.display && root.contains(m.typesetRoot);
        });
        if (!items.length) { return null; }
        items.forEach(function (m) { m.removeFromDocument(true); });  // the TeX is back
        doc.math.remove.apply(doc.math, items);
        return mj.typesetPromise([root]);
      });
    }).catch(function (e) { console.warn("MathJax could not re-break an equation:", e); });
    return queue;
  };
  window.lfmMathSettled = function () {
    var mj = ready();
    return Promise.resolve(mj ? mj.startup.promise : null).then(function () { return queue; });
  };
  document.addEventListener("toggle", function (event) {
    var box = event.target;
    if (box.open && !box.dataset.lfmMathFitted && box.querySelector("mjx-container[display]")) {
      box.dataset.lfmMathFitted = "1";
      retypeset(box);
    }
  }, true);  // toggle does not bubble: listen on the way down
  document.addEventListener("DOMContentLoaded", function () {
    var column = document.querySelector("article.bd-article");
    if (!column || !window.ResizeObserver) { return; }
    var width = null, timer = null;
    new ResizeObserver(function (entries) {
      var now = Math.round(entries[0].contentRect.width);
      if (width !== null && now !== width) {
        clearTimeout(timer);
        timer = setTimeout(function () { retypeset(column); }, 250);
      }
      width = now;
    }).observe(column);
  });
})();
