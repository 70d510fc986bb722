// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // The phone's menu: a real button with aria-expanded in place of the <details> that works
  // without JavaScript; Escape closes it and gives the focus back to the button.
  var details = document.querySelector("details[data-menu]");
  if (details) {
    var panel = details.querySelector(".menu-panel");
    var menu = document.createElement("div");
    var toggle = document.createElement("button");
    menu.className = "menu";
    toggle.type = "button";
    toggle.className = "menu-button";
    toggle.textContent = details.querySelector("summary").textContent;
    toggle.setAttribute("aria-controls", panel.id);
    toggle.setAttribute("aria-expanded", "false");
    menu.appendChild(toggle);
    menu.appendChild(panel);
    details.replaceWith(menu);
    var setOpen = function (open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("open", open);
    };
    toggle.addEventListener("click", function () { setOpen(toggle.getAttribute("aria-expanded") !== "true"); });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.classList.contains("open")) { setOpen(false); toggle.focus(); }
    });
  }
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
  // After a refused submit, land on the summary of what is wrong (a phone would show the top of
  // a long form, the error far below); each of its links moves the focus to its field.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.querySelectorAll("a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var target = document.getElementById(link.getAttribute("href").slice(1));
        if (!target) { return; }
        // A group of radios or boxes is a <div id=...>: focus its first input instead.
        if (!target.matches("input, select, textarea, button")) {
          target = target.querySelector("input, select, textarea, button") || target;
        }
        event.preventDefault();
        var field = target.closest(".field") || target;
        field.scrollIntoView();
        target.focus({ preventScroll: true });
      });
    });
  }
  // Ask before irreversible actions.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
});
