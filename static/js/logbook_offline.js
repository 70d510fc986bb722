// The logbook with no connection: an entry written offline (or whose sending fails) is kept on
// this phone, listed with its state, and sent when the link returns. Each entry carries the key
// made when its form opened, so an entry sent twice is recorded once (the server answers the
// second sending with the first entry). Without this file the form posts as any form does.
(function () {
  "use strict";
  var box = document.getElementById("offline-entries");
  if (!box || !window.localStorage) { return; }
  var STORE = "nd-logbook-pending-" + box.getAttribute("data-owner");
  var KEEP_SENT_MS = 24 * 3600 * 1000;
  var say = function (name) { return box.getAttribute("data-" + name) || name; };
  var sending = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(STORE) || "[]"); } catch (e) { return []; }
  }
  function save(items) { localStorage.setItem(STORE, JSON.stringify(items)); }
  function update(key, changes) {
    var items = load();
    items.forEach(function (item) { if (item.key === key) { Object.assign(item, changes); } });
    save(items);
    draw();
  }
  function put(entry) {
    var items = load().filter(function (item) { return item.key !== entry.key; });
    items.push(entry);
    save(items);
    draw();
  }
  function remove(key) {
    save(load().filter(function (item) { return item.key !== key; }));
    draw();
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 15) | 64; bytes[8] = (bytes[8] & 63) | 128;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }
  function csrfToken() {
    var found = document.cookie.split("; ").filter(function (c) { return c.indexOf("csrftoken=") === 0; })[0];
    if (found) { return decodeURIComponent(found.slice("csrftoken=".length)); }
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }
  function field(fields, name) {
    var pair = fields.filter(function (p) { return p[0] === name; })[0];
    return pair ? pair[1] : "";
  }

  // --- The list of entries kept on this phone -------------------------------------------------
  function draw() {
    var now = Date.now();
    var kept = load();
    var items = kept.filter(function (item) { return item.state !== "sent" || now - item.sentAt < KEEP_SENT_MS; });
    // A sent entry is on the server: after a day it leaves the phone too.
    if (items.length !== kept.length) { save(items); }
    var list = box.querySelector("ul");
    list.textContent = "";
    box.hidden = items.length === 0;
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.setAttribute("data-key", item.key);
      li.setAttribute("data-state", item.state);
      var title = document.createElement("strong");
      title.textContent = [field(item.fields, "performed_on"), field(item.fields, "diagnosis")].filter(Boolean).join(" · ");
      li.appendChild(title);
      li.appendChild(document.createElement("br"));
      var state = document.createElement("span");
      state.className = "tag";
      state.textContent = say(item.state);
      li.appendChild(state);
      if (item.message) {
        var why = document.createElement("div");
        why.className = item.state === "refused" ? "errors" : "muted";
        why.setAttribute("role", item.state === "refused" ? "alert" : "status");
        why.textContent = item.message;
        li.appendChild(why);
      }
      if (item.state === "sent" && item.url) {
        li.appendChild(document.createTextNode(" "));
        li.appendChild(link(item.url, say("open")));
      }
      if (item.state === "refused") {
        li.appendChild(link(box.getAttribute("data-form") + "?pending=" + encodeURIComponent(item.key), say("correct")));
        li.appendChild(document.createTextNode(" "));
        li.appendChild(button(say("discard"), function () {
          if (window.confirm(say("discard-confirm"))) { remove(item.key); }
        }));
      }
      if (item.state === "waiting") {
        li.appendChild(document.createTextNode(" "));
        li.appendChild(button(say("send-now"), function () { sendAll(); }));
      }
      list.appendChild(li);
    });
  }
  function link(href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }
  function button(text, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "secondary";
    b.textContent = text;
    b.addEventListener("click", onClick);
    return b;
  }

  // --- Sending ------------------------------------------------------------------------------
  // Resolves with "sent", "refused" or "waiting" (no answer, or not one to act on: kept to retry).
  function send(item) {
    update(item.key, { state: "sending", message: "" });
    var body = new URLSearchParams();
    item.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    body.set("client_key", item.key);
    body.set("csrfmiddlewaretoken", csrfToken());
    return fetch(box.getAttribute("data-form"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (!json) {
        // Signed out (the sign-in page) or a refused token: nothing recorded, kept to retry.
        update(item.key, { state: "waiting", message: say("sign-in") });
        return "waiting";
      }
      return response.json().then(function (answer) {
        if (response.ok) {
          update(item.key, {
            state: "sent", url: answer.url, sentAt: Date.now(), message: "",
            // Only what names it in the list stays on the phone; the rest is on the server now.
            fields: item.fields.filter(function (p) { return p[0] === "performed_on" || p[0] === "diagnosis"; })
          });
          return "sent";
        }
        var messages = (answer.errors || []).map(function (e) { return (e.label ? e.label + ": " : "") + e.message; });
        update(item.key, { state: "refused", message: messages.join(" ") || say("refused") });
        return "refused";
      });
    }).catch(function () {
      update(item.key, { state: "waiting", message: say("no-connection") });
      return "waiting";
    });
  }
  function sendAll() {
    if (sending || !navigator.onLine) { return Promise.resolve(); }
    sending = true;
    var waiting = load().filter(function (item) { return item.state === "waiting" || item.state === "sending"; });
    return waiting.reduce(function (done, item) {
      return done.then(function () { return send(item); });
    }, Promise.resolve()).then(function () { sending = false; }, function () { sending = false; });
  }

  // --- The new-entry form -------------------------------------------------------------------
  var form = document.querySelector("form[data-offline-entry]");
  if (form) {
    var keyField = form.querySelector("input[name=client_key]");
    var wanted = new URLSearchParams(window.location.search).get("pending");
    var stored = wanted && load().filter(function (item) { return item.key === wanted; })[0];
    if (stored) {
      // A kept entry opened for correction: its data back in the form, under its own key.
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.type === "checkbox" || el.type === "radio") { el.checked = false; }
      });
      stored.fields.forEach(function (pair) {
        Array.prototype.forEach.call(form.querySelectorAll("[name='" + pair[0] + "']"), function (el) {
          if (el.type === "checkbox" || el.type === "radio") {
            if (el.value === pair[1]) { el.checked = true; }
          } else if (el.type !== "hidden" || el.name !== "csrfmiddlewaretoken") {
            el.value = pair[1];
          }
        });
      });
      keyField.value = stored.key;
      var note = document.getElementById("offline-correcting");
      if (note) { note.hidden = false; note.textContent = stored.message || ""; }
    } else if (keyField) {
      // A page kept by the service worker holds the key of the day it was kept: a new one each time.
      keyField.value = newKey();
    }
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-sending-natively")) { return; }
      event.preventDefault();
      var fields = [];
      new FormData(form).forEach(function (value, name) {
        if (name !== "csrfmiddlewaretoken" && typeof value === "string") { fields.push([name, value]); }
      });
      var entry = { key: keyField.value || newKey(), fields: fields, state: "waiting", savedAt: Date.now(), message: "" };
      put(entry);  // kept first: nothing is lost whatever happens next
      if (!navigator.onLine) {
        update(entry.key, { message: say("no-connection") });
        form.reset();
        keyField.value = newKey();  // the next entry is another one
        box.scrollIntoView();
        return;
      }
      send(entry).then(function (result) {
        var now = load().filter(function (item) { return item.key === entry.key; })[0];
        if (result === "sent" && now && now.url) {
          window.location.assign(now.url);
        } else if (result === "refused") {
          // Online: the page itself shows the refusals at their fields, as without this file.
          remove(entry.key);
          form.setAttribute("data-sending-natively", "1");
          form.submit();
        } else {
          form.reset();
          keyField.value = newKey();
          box.scrollIntoView();
        }
      });
    });
  }

  window.addEventListener("online", sendAll);
  draw();
  sendAll();

  if ("serviceWorker" in navigator && box.getAttribute("data-sw")) {
    navigator.serviceWorker.register(box.getAttribute("data-sw"), { scope: box.getAttribute("data-scope") }).catch(function () {});
  }
})();
