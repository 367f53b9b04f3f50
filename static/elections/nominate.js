// The nomination form, as the candidate types: the statement's word count (counted exactly as
// the server counts, elections/nominations.py word_count: runs of letters or digits, so a
// hyphenated word, "and/or" or a web address counts as its parts), and the declaration box
// labelled with the chosen post's own wording. Loaded as a file: the site's CSP allows no inline script.
(function () {
  "use strict";
  var WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;

  function countWords(text) {
    var words = (text || "").normalize("NFC").match(WORD);
    return words ? words.length : 0;
  }
  window.liCountWords = countWords;

  document.querySelectorAll("textarea[data-word-limit]").forEach(function (area) {
    var limit = parseInt(area.getAttribute("data-word-limit"), 10);
    var counter = document.createElement("p");
    counter.id = area.getAttribute("data-word-counter") || (area.id + "-words");
    counter.className = "word-count";
    counter.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", counter);
    function update() {
      var words = countWords(area.value);
      var over = words - limit;
      counter.textContent = over > 0
        ? words + " words: " + over + " over the limit of " + limit
        : words + " of " + limit + " words";
      counter.classList.toggle("over", over > 0);
    }
    area.addEventListener("input", update);
    update();
  });

  var select = document.querySelector("select[name=position]");
  var box = document.getElementById("id_candidate_declares_eligible");
  var partner = document.getElementById("id_partner_number");
  if (!select) { return; }
  function follow() {
    var option = select.options[select.selectedIndex];
    var declaration = option ? option.getAttribute("data-declaration") : "";
    if (box) {
      var label = document.querySelector("label[for=id_candidate_declares_eligible]");
      if (label && declaration) { label.textContent = declaration; }
      box.closest("div").hidden = !declaration;
      if (!declaration) { box.checked = false; }
    }
    if (partner) {
      var noJobShare = option && option.getAttribute("data-job-share") === "no";
      partner.closest("div").hidden = noJobShare;
      if (noJobShare) { partner.value = ""; }
    }
  }
  select.addEventListener("change", follow);
  follow();
})();
