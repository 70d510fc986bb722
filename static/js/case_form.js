// The referral form: keeps the "still needed to send" list and the structured CT findings in step
// with what the doctor types and the category chosen. Only an aid: the server decides what is
// missing (the same list is drawn there, and sending refuses on it); without this file the form
// shows every findings field and the list as it was when the page was drawn.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form.case-form");
  var checklist = document.querySelector("[data-needed-checklist]");
  if (!form || !checklist) { return; }
  var category = form.querySelector("select[name=category]");

  var chosen = function () {
    return category ? category.options[category.selectedIndex] : null;
  };
  var asks = function (what) {
    var option = chosen();
    return what === "" || what === "all" || Boolean(option && option.getAttribute("data-" + what) === "1");
  };
  var empty = function (name) {
    var inputs = form.querySelectorAll("[name='" + name + "']");
    if (!inputs.length) { return false; }
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) { return false; }
      } else if (input.value.trim() !== "") {
        return false;
      }
    }
    return true;
  };

  var update = function () {
    var anyMissing = false;
    checklist.querySelectorAll("li[data-needed]").forEach(function (item) {
      var field = item.getAttribute("data-needed");
      if (field === "consent") {  // recorded on its own page: as the server drew it
        anyMissing = anyMissing || !item.hidden;
        return;
      }
      var names = (item.getAttribute("data-fields") || field).split(" ");
      var missing = asks(item.getAttribute("data-asked-for")) && names.some(empty);
      item.hidden = !missing;
      anyMissing = anyMissing || missing;
    });
    var none = checklist.querySelector("[data-needed-none]");
    if (none) { none.hidden = anyMissing; }
    form.querySelectorAll("[data-needed-for]").forEach(function (marker) {
      marker.hidden = !asks(marker.getAttribute("data-needed-for"));
    });
    // Structured findings: only those the chosen category asks for.
    var option = chosen();
    var pk = option ? option.value : "";
    form.querySelectorAll("[data-findings-in-referral]").forEach(function (fieldset) {
      var shown = 0;
      fieldset.querySelectorAll("[data-categories]").forEach(function (row) {
        var asked = pk !== "" && row.getAttribute("data-categories").split(" ").indexOf(pk) !== -1;
        row.hidden = !asked;
        if (asked) { shown += 1; }
      });
      fieldset.hidden = shown === 0;
    });
  };
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
});
