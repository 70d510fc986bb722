// Resumable imaging upload from the case page, by the tus 1.0.0 protocol (imaging/tus.py).
// A small client of our own rather than tus-js-client: the platform has no JavaScript build,
// and the part of tus we speak (create, HEAD for the offset, PATCH in chunks) is a few lines.
// Where each file's upload lives is kept in localStorage, so choosing the same files again
// after a closed page or a power cut continues from the server's offset.
(function () {
  "use strict";
  var root = document.getElementById("upload");
  if (!root) return;
  var CHUNK = 512 * 1024; // small parts: on a weak link a lost part costs little
  var PARALLEL = 2;
  var t = function (key) { return root.getAttribute("data-t-" + key) || ""; };
  var form = document.getElementById("upload-form");
  var progress = document.getElementById("upload-progress");
  var csrf = (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value ||
    (document.cookie.match(/csrftoken=([^;]+)/) || [])[1] || "";

  function b64(text) { return btoa(unescape(encodeURIComponent(text))); }
  function mb(bytes) { return (bytes / 1048576).toFixed(1) + " MB"; }
  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  function request(method, url, headers, body) {
    var all = { "Tus-Resumable": "1.0.0", "X-CSRFToken": csrf };
    Object.keys(headers || {}).forEach(function (k) { all[k] = headers[k]; });
    return fetch(url, { method: method, headers: all, body: body, credentials: "same-origin" });
  }

  // Retries a network failure or a server error with growing waits; a refusal (4xx) is final.
  async function patient(attempt, row) {
    for (var wait = 1000; ; wait = Math.min(wait * 2, 30000)) {
      try {
        var response = await attempt();
        if (response.status < 500) return response;
      } catch (e) { /* offline: wait and try again */ }
      row.note(t("waiting"));
      await sleep(wait);
    }
  }

  async function checksum(blob) {
    if (!window.crypto || !crypto.subtle) return null; // only on https or localhost
    var digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
    return "sha256 " + btoa(String.fromCharCode.apply(null, new Uint8Array(digest)));
  }

  function Row(file) {
    var div = document.createElement("div");
    div.className = "upload-row";
    var label = document.createElement("span");
    var bar = document.createElement("progress");
    bar.max = file.size || 1; bar.value = 0;
    div.appendChild(label); div.appendChild(bar);
    progress.appendChild(div);
    var name = file.webkitRelativePath || file.name;
    this.set = function (sent, state) {
      bar.value = sent;
      label.textContent = name + " — " + state + " (" + mb(sent) + " / " + mb(file.size) + ")";
    };
    this.note = function (text) { label.textContent = name + " — " + text; };
  }

  // A CD's folder names often carry the patient's name: the key is a hash, not the path.
  function fnv1a(text) {
    var hash = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) { hash ^= text.charCodeAt(i); hash = Math.imul(hash, 0x01000193) >>> 0; }
    return hash.toString(16);
  }

  async function send(file, batch, row, totals, batches) {
    var key = "nd-upload:" + root.getAttribute("data-case") + ":" +
      fnv1a((file.webkitRelativePath || file.name) + ":" + file.size + ":" + file.lastModified);
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
    var location = saved && saved.location;
    var offset = 0;
    if (location) {
      var head = await patient(function () { return request("HEAD", location); }, row);
      if (head.ok) {
        offset = parseInt(head.headers.get("Upload-Offset"), 10) || 0;
        row.note(t("resume"));
        if (saved.status) batches[saved.status] = true; // its outcome is reported with the batch it began in
      } else { location = null; }
    }
    if (!location) {
      var metadata = ["case " + b64(root.getAttribute("data-case")), "filename " + b64(file.webkitRelativePath || file.name),
        "batch " + b64(batch.id)].join(",");
      var created = await patient(function () {
        return request("POST", batch.upload_url, { "Upload-Length": String(file.size), "Upload-Metadata": metadata });
      }, row);
      if (created.status !== 201) { row.note(t("failed") + ": " + (await created.text())); return; }
      location = created.headers.get("Location");
      localStorage.setItem(key, JSON.stringify({ location: location, status: batch.status_url }));
      batches[batch.status_url] = true;
    }
    totals.sent += offset;
    while (offset < file.size) {
      var part = file.slice(offset, Math.min(offset + CHUNK, file.size));
      row.set(offset, t("sending"));
      var headers = { "Content-Type": "application/offset+octet-stream", "Upload-Offset": String(offset) };
      var sum = await checksum(part);
      if (sum) headers["Upload-Checksum"] = sum;
      var answer = await patient(function () { return request("PATCH", location, headers, part); }, row);
      if (answer.status === 204) {
        var next = parseInt(answer.headers.get("Upload-Offset"), 10);
        totals.sent += next - offset; offset = next;
      } else if (answer.status === 409 || answer.status === 460 || answer.status === 423) {
        // a stale offset, a damaged part, or the server still finishing the last one: ask where it is
        if (answer.status === 423) await sleep(2000);
        var again = await patient(function () { return request("HEAD", location); }, row); // where the server is
        var known = parseInt(again.headers.get("Upload-Offset"), 10) || 0;
        totals.sent += known - offset; offset = known;
      } else {
        row.note(t("failed") + ": " + (await answer.text()));
        localStorage.removeItem(key);
        return;
      }
      totals.show();
    }
    localStorage.removeItem(key);
    row.set(file.size, t("sent"));
  }

  async function statuses(urls) {
    var uploads = [];
    for (var i = 0; i < urls.length; i++) {
      var answer = await fetch(urls[i], { credentials: "same-origin" }).catch(function () { return null; });
      if (!answer || !answer.ok) return null;
      uploads = uploads.concat((await answer.json()).uploads);
    }
    return { uploads: uploads };
  }

  async function report(urls) {
    for (var i = 0; i < 200; i++) {
      var body = await statuses(urls);
      if (body) {
        var pending = body.uploads.filter(function (u) { return u.state !== "done" && u.state !== "failed"; });
        if (!pending.length) {
          var stored = 0, duplicates = 0, lines = [];
          body.uploads.forEach(function (u) {
            stored += u.stored; duplicates += u.duplicates;
            u.skipped.forEach(function (s) { lines.push(s.name + ": " + s.message); });
            if (u.state === "failed" && !u.skipped.length) lines.push(u.name + ": " + t("not-processed"));
          });
          var summary = document.createElement("p");
          summary.className = "notice";
          summary.textContent = t("done") + ": " + stored + " " + t("stored") + ", " + duplicates + " " + t("duplicates") +
            ". " + t("reload");
          progress.appendChild(summary);
          if (lines.length) {
            var list = document.createElement("ul");
            lines.forEach(function (line) { var li = document.createElement("li"); li.textContent = line; list.appendChild(li); });
            progress.appendChild(list);
          }
          return;
        }
      }
      await sleep(3000);
    }
    var late = document.createElement("p");
    late.className = "notice";
    late.textContent = t("still-processing");
    progress.appendChild(late);
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    var files = Array.prototype.slice.call(document.getElementById("upload-files").files)
      .concat(Array.prototype.slice.call(document.getElementById("upload-folder").files));
    if (!files.length) return;
    document.getElementById("upload-start").disabled = true;
    var started = await fetch(root.getAttribute("data-batch-url"), {
      method: "POST", headers: { "X-CSRFToken": csrf }, credentials: "same-origin"
    }).catch(function () { return null; });
    if (!started || started.status !== 201) {
      progress.textContent = t("error");
      document.getElementById("upload-start").disabled = false;
      return;
    }
    var batch = await started.json();
    var total = files.reduce(function (n, f) { return n + f.size; }, 0);
    var summary = document.createElement("p");
    progress.appendChild(summary);
    var totals = { sent: 0, show: function () { summary.textContent = mb(this.sent) + " / " + mb(total) + " · " + mb(total - this.sent) + " " + t("left"); } };
    totals.show();
    var queue = files.slice();
    var batches = {};
    async function worker() {
      while (queue.length) { var file = queue.shift(); await send(file, batch, new Row(file), totals, batches); }
    }
    var workers = [];
    for (var i = 0; i < PARALLEL; i++) workers.push(worker());
    await Promise.all(workers);
    totals.show();
    await report(Object.keys(batches));
    document.getElementById("upload-start").disabled = false;
  });
})();
