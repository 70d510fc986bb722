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

  async function send(file, batch, row, totals, batches, rows) {
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
    rows[location.split("/").pop()] = row; // the upload's id ends its address
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
    var uploads = [], pending = false;
    for (var i = 0; i < urls.length; i++) {
      var answer = await fetch(urls[i], { credentials: "same-origin" }).catch(function () { return null; });
      if (!answer || !answer.ok) return null;
      var body = await answer.json();
      uploads = uploads.concat(body.uploads);
      pending = pending || body.pending;
    }
    return { uploads: uploads, pending: pending };
  }

  // The studies part of this page, fetched again and put in place: each study shows as soon as
  // it is stored, with its state and what to do (review, share), as the server renders it.
  async function refreshStudies() {
    var here = document.getElementById("imaging-studies");
    if (!here || !window.DOMParser) return;
    var answer = await fetch(window.location.pathname, { credentials: "same-origin" }).catch(function () { return null; });
    if (!answer || !answer.ok) return;
    var fresh = new DOMParser().parseFromString(await answer.text(), "text/html").getElementById("imaging-studies");
    // Unchanged, it is left alone: a tap or focus on it is not lost to a needless swap.
    if (fresh && fresh.innerHTML !== here.innerHTML) here.replaceChildren.apply(here, Array.prototype.slice.call(fresh.childNodes));
  }

  function describe(u) {
    var text = u.state_label;
    // "Label: number", never "number word": Kiswahili and English agree the word with the number.
    if (u.state === "done") text += " · " + t("stored") + ": " + u.stored + (u.duplicates ? " · " + t("duplicates") + ": " + u.duplicates : "");
    return text;
  }

  // Follows each file through processing (a small JSON answer every few seconds, cheap on a
  // slow link) until every file is sent and processed.
  async function follow(urls, rows, sending) {
    var seen = "";
    for (var i = 0; i < 600; i++) {
      var body = await statuses(Object.keys(urls));
      if (body) {
        var studies = {};
        body.uploads.forEach(function (u) {
          var row = rows[u.id];
          if (row && u.state !== "receiving") row.note(describe(u));
          u.studies.forEach(function (id) { studies[id] = true; });
        });
        var now = Object.keys(studies).sort().join(",");
        if (now !== seen) { seen = now; await refreshStudies(); }
        // The studies are put in place before the panel says it is done, so what it names is there.
        if (!sending.active && !body.pending) { await refreshStudies(); finish(body.uploads); return; }
      }
      await sleep(3000);
    }
    var late = document.createElement("p");
    late.className = "notice";
    late.textContent = t("still-processing");
    progress.appendChild(late);
  }

  function finish(uploads) {
    var stored = 0, duplicates = 0, lines = [], notices = [];
    uploads.forEach(function (u) {
      stored += u.stored; duplicates += u.duplicates;
      u.skipped.forEach(function (s) { lines.push(s.name + ": " + s.message); });
      if (u.state === "failed" && !u.skipped.length) lines.push(u.name + ": " + t("not-processed"));
      u.notices.forEach(function (n) { if (notices.indexOf(n) < 0) notices.push(n); });
    });
    var summary = document.createElement("p");
    summary.className = "notice";
    summary.textContent = t("done") + " · " + t("stored") + ": " + stored + " · " + t("duplicates") + ": " + duplicates;
    progress.appendChild(summary);
    notices.forEach(function (text) {
      var notice = document.createElement("p");
      notice.className = "notice warning";
      notice.textContent = text;
      progress.appendChild(notice);
    });
    if (lines.length) {
      var list = document.createElement("ul");
      lines.forEach(function (line) { var li = document.createElement("li"); li.textContent = line; list.appendChild(li); });
      progress.appendChild(list);
    }
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
    var batches = {}, rows = {}, sending = { active: true }, following = null;
    async function worker() {
      while (queue.length) {
        var file = queue.shift();
        await send(file, batch, new Row(file), totals, batches, rows);
        if (!following) following = follow(batches, rows, sending); // processing starts with the first file
      }
    }
    var workers = [];
    for (var i = 0; i < PARALLEL; i++) workers.push(worker());
    await Promise.all(workers);
    sending.active = false;
    totals.show();
    await (following || follow(batches, rows, sending));
    document.getElementById("upload-start").disabled = false;
  });
})();
