// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Switch language as soon as one is chosen (the button stays for keyboards and no-JS).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // Copy a secret (API token, recovery codes) with one tap.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (source && navigator.clipboard) {
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          button.textContent = button.getAttribute("data-copied") || button.textContent;
        });
      }
    });
  });
  // The referral form shows only the sections the chosen category asks for.
  var category = document.querySelector("select[name=category]");
  if (category) {
    var showSections = function () {
      var option = category.options[category.selectedIndex];
      document.querySelectorAll("[data-section]").forEach(function (section) {
        var key = section.getAttribute("data-section");
        section.hidden = !(option && option.getAttribute("data-" + key) === "1");
      });
    };
    category.addEventListener("change", showSections);
    showSections();
  }
  // Ask before irreversible actions.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
});
