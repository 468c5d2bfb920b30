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
})();
