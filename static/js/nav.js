// The main navigation collapses behind a "Menu" button on narrow screens. Without this script
// the list simply shows in full (the button stays hidden), so nothing depends on it.
(function () {
  var header = document.querySelector(".site-header");
  var button = header && header.querySelector(".menu-button");
  if (!button) return;
  var list = document.getElementById(button.getAttribute("aria-controls"));
  header.classList.add("has-menu-button");
  button.addEventListener("click", function () {
    button.setAttribute("aria-expanded", button.getAttribute("aria-expanded") === "true" ? "false" : "true");
  });
  // Escape closes an open menu and gives the focus back to the button.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      button.setAttribute("aria-expanded", "false");
      if (list && list.contains(document.activeElement)) button.focus();
    }
  });
})();
