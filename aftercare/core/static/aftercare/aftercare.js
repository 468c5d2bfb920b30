// Aftercare's one script: small progressive enhancements. Everything works without it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // Selects marked data-autosubmit send their form on change; their buttons hide (see .js .js-hide).
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-autosubmit]") && select.form) {
      select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit();
    }
  });
  // The menu button of the header on phones: it shows and hides the navigation and tools
  // (CSS hides them under 40rem only when this script runs; without it they simply wrap).
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".menu-button");
    var menu = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("is-open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        button.setAttribute("aria-expanded", "false");
        menu.classList.remove("is-open");
        button.focus();
      }
    });
  });

  // Tables with column headers become cards on phones (CSS under 37.5rem): each cell is given
  // its column's name to show beside the value. Without the script the table scrolls in its box.
  function labelTables(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("table.table").forEach(function (table) {
      var heads = table.tHead && table.tHead.rows.length ? table.tHead.rows[table.tHead.rows.length - 1].cells : null;
      // Compact tables (the attendance grids of inputs) already fit a phone and stay tables.
      if (!heads || table.classList.contains("table--cards") || table.classList.contains("table--compact")) { return; }
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var column = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            var head = heads[column];
            if (head && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", head.textContent.trim()); }
            column += cell.colSpan || 1;
          });
        });
      });
      table.classList.add("table--cards");
    });
  }
  document.addEventListener("DOMContentLoaded", function () { labelTables(document); });
  document.addEventListener("htmx:load", function (event) { labelTables(event.target); });

  // A message shown next to the case section where the person acted: bring it into view and
  // focus it, so it is seen on a phone and read out (role="status" is not announced on load).
  // After "load": scrolling to the #section of the address moves focus to the page itself.
  window.addEventListener("load", function () {
    var flash = document.querySelector(".case-section [data-flash]");
    if (flash) { window.setTimeout(function () { flash.focus(); }, 0); }
  });
})();
