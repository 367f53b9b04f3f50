// The minutes editor (Wagtail's Draftail) copies what was typed into its hidden input only a
// quarter of a second after the last keystroke, so a Save clicked sooner posted the minutes as
// they were before. Copy them as the form is submitted: the submit event fires before the
// browser reads the form's fields. Loaded as a file: the admin's CSP allows no inline script.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    event.target.querySelectorAll("input[data-draftail-input]").forEach(function (input) {
      if (input.draftailEditor && input.draftailEditor.saveState) {
        input.draftailEditor.saveState();
      }
    });
  }, true);
})();
