// A form sent back in error: the focus goes to its error summary (templates/includes/error_summary.html),
// so a screen reader reads "There is a problem" and the list first; a link in it takes the focus to the
// field itself, with its label in view (a plain #fragment would only scroll).
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    const field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    const label = (field.labels && field.labels[0]) || field.closest("fieldset")?.querySelector("legend") || field;
    label.scrollIntoView();
    field.focus({ preventScroll: true });
  });
});
