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
