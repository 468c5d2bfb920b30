/* Quick exit: leave for a neutral site at once and end the session.
 * The link works without JavaScript too (the server signs out and redirects).
 * With JavaScript: the page is blanked, the session is ended in the background, and
 * location.replace swaps this page out of the history, so Back does not return to it.
 * Pressing Escape three times does the same. Portal links also replace rather than
 * add history entries, so the portal leaves as few traces in the history as it can. */
(function () {
  "use strict";
  var link = document.getElementById("quick-exit");
  if (!link) { return; }
  var target = link.getAttribute("data-exit-url") || "https://www.google.com/";
  var endpoint = link.getAttribute("href");
  var leaving = false;

  function leave(event) {
    if (event) { event.preventDefault(); }
    if (leaving) { return; }
    leaving = true;
    try {
      if (navigator.sendBeacon) { navigator.sendBeacon(endpoint); }
    } catch (ignore) { /* the redirect below still leaves */ }
    document.title = "";
    if (document.body) { document.body.replaceChildren(); }
    window.location.replace(target);
  }

  link.addEventListener("click", leave);

  var presses = 0;
  var timer = null;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    presses += 1;
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { presses = 0; }, 2000);
    if (presses >= 3) { leave(); }
  });

  document.addEventListener("click", function (event) {
    var anchor = event.target.closest ? event.target.closest("a[data-replace]") : null;
    if (!anchor || event.defaultPrevented || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    event.preventDefault();
    window.location.replace(anchor.href);
  });
})();
