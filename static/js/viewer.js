// NeuroDaraja CT viewer: one series, slice by slice, on a phone over a slow link.
// No words live here: every label and message comes from data-* attributes that
// imaging/viewer.html fills with translated text. Positions are image pixels (column x, row y).

const SVG_NS = "http://www.w3.org/2000/svg";
const MAX_PARALLEL = 3;         // prefetches at once
const WINDOW_DEBOUNCE_MS = 350; // free windowing: wait for the hand to rest before asking the server
const MIN_ZOOM = 0.5;
const MAX_ZOOM = 16;

const clamp = (value, low, high) => Math.min(high, Math.max(low, value));

// --- geometry: the same computation as imaging/geometry.py (a test runs this block there) ---
// Points to a tenth of a pixel, sqrt(dx² + dy²) in mm (not hypot: its last bit may differ
// between engines), then a tenth of a millimetre, halves up: what is shown is what is saved.
const round1 = (value) => Math.round(value * 10) / 10;
function distanceMm(points, spacingRow, spacingColumn) {
  if (!(spacingRow > 0) || !(spacingColumn > 0)) return null;
  const [[x1, y1], [x2, y2]] = points.map((point) => point.map(round1));
  const dx = (x2 - x1) * spacingColumn, dy = (y2 - y1) * spacingRow;
  return round1(Math.sqrt(dx * dx + dy * dy));
}
// --- end of geometry ---

const viewerRoot = document.getElementById("viewer");
if (viewerRoot && window.fetch) main(viewerRoot);

function main(root) {
  const t = root.dataset; // messages, labels, units, manifest URL
  const q = (name) => root.querySelector("[data-" + name + "]");
  const qa = (name) => Array.from(root.querySelectorAll("[data-" + name + "]"));
  const fmt = (template, values) =>
    String(template || "").replace(/\{(\w+)\}/g, (match, key) => (key in values ? values[key] : match));
  const numberFormat = (digits) => {
    const options = { minimumFractionDigits: digits, maximumFractionDigits: digits };
    try { return new Intl.NumberFormat(document.documentElement.lang || undefined, options); }
    catch (error) { return new Intl.NumberFormat(undefined, options); }
  };
  const nf0 = numberFormat(0);
  const nf1 = numberFormat(1);
  const make = (tag, properties, ...children) => {
    const node = Object.assign(document.createElement(tag), properties);
    node.append(...children);
    return node;
  };

  const el = {
    fallback: document.querySelector("[data-viewer-fallback]"),
    stage: q("stage"), layer: q("layer"), canvas: q("canvas"), overlay: q("overlay"),
    loading: q("loading"), imageError: q("image-error"),
    cornerSlice: q("corner-slice"), cornerWindow: q("corner-window"),
    slider: q("slider"), status: q("status"), live: q("live"), message: q("message"),
    keyToggle: q("key-toggle"), keyList: q("key-list"), full: q("full"),
    annotationList: q("annotation-list"),
    measure: q("measure"), measureValue: q("measure-value"), measureSave: q("measure-save"),
    textForm: q("text-form"), windowForm: q("window-form"), abc: q("abc"),
  };
  const orient = qa("orient");
  const ctx = el.canvas.getContext("2d");
  const presetButtons = qa("preset");
  const toolButtons = qa("tool");

  // --- State ----------------------------------------------------------------------------
  let manifest = null, series = {}, instances = [], N = 0, cols = 512, rows = 512;
  let spacing = null;            // [row spacing, column spacing] in mm, or null
  const indexOf = new Map();     // instance id -> slice index
  const annotations = new Map(); // instance id -> [annotation]
  let ready = false, current = 0, tool = "scroll";
  let direction = 1;             // last scroll direction: prefetch that way first on ties
  let win = null;                // window shown: {preset, center, width}
  const caches = new Map();      // window key -> {key, win, entries: [{img, state}], loaded}
  let loadCache = null;          // the cache the prefetcher fills
  let inflight = 0;
  let full = null;               // full-quality image: {index, key, img, state}
  let shown = false;             // an image of the current slice is on the canvas
  const view = { zoom: 1, x: 0, y: 0 };
  const pointers = new Map();    // pointer id -> {x, y}
  let gesture = null;
  let temp = null;               // shape being drawn: {kind, points}
  let pendingMeasure = null;     // first point of a tap-tap measurement
  let measurement = null;        // last measurement, not saved: {index, points, mm}
  let pendingText = null;        // {index, point} while the text form is open
  const distances = [];          // the last two measured distances, mm
  const abcRange = { first: null, last: null };
  let keyBusy = false, renderQueued = false, wheelRest = 0;
  let windowTimer = 0, liveTimer = 0, hashTimer = 0, messageTimer = 0;

  // --- Start: show the viewer, fetch the manifest -----------------------------------------
  if (el.fallback) el.fallback.hidden = true;
  root.hidden = false;
  fetch(t.manifestUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => { if (!response.ok) throw new Error("manifest " + response.status); return response.json(); })
    .then(init)
    .catch((error) => {
      console.error(error);
      el.loading.hidden = true;
      say(t.msgManifestError, true);
      if (el.fallback) el.fallback.hidden = false;
    });

  function init(data) {
    manifest = data;
    series = data.series || {};
    instances = data.instances || [];
    N = instances.length;
    if (!N) { el.loading.hidden = true; say(t.msgEmpty); return; }
    cols = series.columns || 512;
    rows = series.rows || 512;
    const ps = series.pixel_spacing;
    spacing = Array.isArray(ps) && ps[0] > 0 && ps[1] > 0 ? [Number(ps[0]), Number(ps[1])] : null;
    instances.forEach((instance, index) => indexOf.set(instance.id, index));
    const marks = data.orientation || {};
    orient.forEach((node) => {
      const mark = marks[node.dataset.orient];
      node.hidden = !mark;
      if (mark) { node.textContent = mark.letters; node.title = mark.title; }
    });
    (data.annotations || []).forEach(addAnnotationData);

    Object.assign(el.canvas, { width: cols, height: rows });
    Object.assign(el.layer.style, { width: cols + "px", height: rows + "px" }); // CSSOM: allowed by style-src 'self'
    el.overlay.setAttribute("viewBox", `0 0 ${cols} ${rows}`);
    el.slider.max = String(N);
    const sliceSpacing = series.slice_spacing || series.slice_thickness;
    if (el.abc && sliceSpacing) el.abc.elements.namedItem("abc_spacing").value = round1(sliceSpacing);

    const fromHash = /slice=(\d+)/.exec(location.hash);
    // The middle slice first: the no-script image is that slice in the first preset, already cached.
    current = fromHash ? clamp(Number(fromHash[1]) - 1, 0, N - 1) : Math.floor(N / 2);
    bindEvents();
    fitStage();
    ready = true;
    // The first preset: the brain window for CT, the scanner's own window for MRI and the rest.
    const first = presetButtons[0];
    setWindow(first ? presetWindow(first) : { preset: null, center: 40, width: 80 }, true);
    sliceChanged();
    applyView();
  }

  function bindEvents() {
    const stage = el.stage;
    const stageHandlers = { pointerdown: onPointerDown, pointermove: onPointerMove, pointerup: onPointerUp,
      pointercancel: onPointerUp, keydown: onKey, contextmenu: (event) => event.preventDefault() };
    for (const [type, handler] of Object.entries(stageHandlers)) stage.addEventListener(type, handler);
    stage.addEventListener("wheel", onWheel, { passive: false });
    el.slider.addEventListener("input", () => go(el.slider.valueAsNumber - 1));
    qa("step").forEach((button) => button.addEventListener("click", () => go(current + Number(button.dataset.step))));
    toolButtons.forEach((button) => button.addEventListener("click", () => setTool(button.dataset.tool)));
    presetButtons.forEach((button) => button.addEventListener("click", () => setWindow(presetWindow(button), true)));
    const zooms = { in: () => zoomAtCentre(1.25), out: () => zoomAtCentre(0.8), reset: resetView };
    qa("zoom").forEach((button) => button.addEventListener("click", zooms[button.dataset.zoom]));
    if (el.full) el.full.addEventListener("click", toggleFull);
    if (el.keyToggle) el.keyToggle.addEventListener("click", toggleKey);
    if (el.measureSave) el.measureSave.addEventListener("click", saveMeasurement);
    if (el.windowForm) el.windowForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const center = parseFloat(el.windowForm.elements.namedItem("center").value);
      const width = parseFloat(el.windowForm.elements.namedItem("width").value);
      if (Number.isFinite(center) && Number.isFinite(width)) setWindow(customWindow(center, width), true);
    });
    if (el.textForm) {
      el.textForm.addEventListener("submit", saveText);
      q("text-cancel").addEventListener("click", closeText);
    }
    if (el.abc) {
      el.abc.addEventListener("input", computeAbc);
      el.abc.addEventListener("submit", (event) => { event.preventDefault(); computeAbc(); });
      q("abc-first").addEventListener("click", () => markRange("first"));
      q("abc-last").addEventListener("click", () => markRange("last"));
    }
    if (window.ResizeObserver) new ResizeObserver(() => applyView()).observe(stage);
    else window.addEventListener("resize", () => applyView());
    window.addEventListener("resize", fitStage);
  }

  // --- Slices ---------------------------------------------------------------------------
  function go(index) {
    if (!ready || !Number.isFinite(index)) return;
    index = clamp(Math.round(index), 0, N - 1);
    if (index === current) return;
    direction = index > current ? 1 : -1;
    current = index;
    temp = pendingMeasure = null;
    sliceChanged();
  }

  function sliceChanged() {
    // Coming back to a slice that failed is the moment to try it again.
    const entry = loadCache && loadCache.entries[current];
    if (entry && entry.state === "error") loadCache.entries[current] = undefined;
    el.slider.value = String(current + 1);
    el.slider.setAttribute("aria-valuetext", fmt(t.msgSlice, { n: current + 1, total: N }));
    refresh();
    pump();
    clearTimeout(hashTimer);
    hashTimer = setTimeout(() => history.replaceState(null, "", "#slice=" + (current + 1)), 400);
  }

  function updateLabels() {
    const slice = fmt(t.msgSlice, { n: current + 1, total: N });
    const key = isKey(current) ? " · " + t.labelKey : "";
    el.cornerSlice.textContent = slice + key;
    updateStatus();
    clearTimeout(liveTimer); // announce where the user stops, not every slice passed
    liveTimer = setTimeout(() => { el.live.textContent = slice + key; }, 400);
  }

  function updateStatus() {
    if (!N) return;
    const position = instances[current].position;
    const parts = [fmt(t.msgSlice, { n: current + 1, total: N })];
    if (position !== null && position !== undefined) parts.push(fmt(t.msgPosition, { mm: nf1.format(position) }));
    parts.push(fmt(t.msgLoaded, { n: loadCache ? loadCache.loaded : 0, total: N }));
    el.status.textContent = parts.join(" · ");
  }

  // --- Images: current slice first, then outward, a few at a time --------------------------
  const windowKey = (w) => w.preset || `c${Math.round(w.center)}w${Math.round(w.width)}`;

  function fillUrl(template, values) {
    let url = String(template);
    for (const [name, value] of Object.entries(values)) {
      const text = encodeURIComponent(String(value));
      url = url.split("{" + name + "}").join(text).split("%7B" + name + "%7D").join(text);
    }
    return url;
  }

  function imageUrl(w, instance) {
    if (w.preset) return fillUrl(manifest.render_url, { id: instance.id, preset: w.preset });
    return fillUrl(manifest.custom_url, { id: instance.id, center: Math.round(w.center), width: Math.round(w.width) });
  }

  function cacheFor(w) {
    const key = windowKey(w);
    let cache = caches.get(key);
    if (!cache) {
      for (const [other, old] of caches) if (!old.win.preset) caches.delete(other); // one free window at a time
      cache = { key, win: { ...w }, entries: new Array(N), loaded: 0 };
      caches.set(key, cache);
    }
    return cache;
  }

  function pump() {
    const cache = loadCache;
    if (!ready || !cache) return;
    const here = cache.entries[current];
    if (!here && inflight < MAX_PARALLEL * 2) load(cache, current);
    if (!here || here.state === "loading") return; // the slice on screen has the whole link to itself
    while (inflight < MAX_PARALLEL) {
      const next = nextMissing(cache);
      if (next < 0) return;
      load(cache, next);
    }
  }

  function nextMissing(cache) {
    for (let distance = 1; distance < N; distance++) {
      for (const index of [current + distance * direction, current - distance * direction]) {
        if (index >= 0 && index < N && !cache.entries[index]) return index;
      }
    }
    return -1;
  }

  function load(cache, index) {
    const entry = { img: new Image(), state: "loading" };
    cache.entries[index] = entry;
    inflight++;
    const done = (state) => {
      entry.state = state;
      inflight--;
      cache.loaded += state === "ok" ? 1 : 0;
      if (cache === loadCache) updateStatus();
      if (index === current) scheduleRender();
      pump();
    };
    Object.assign(entry.img, { onload: () => done("ok"), onerror: () => done("error"), decoding: "async" });
    entry.img.src = imageUrl(cache.win, instances[index]);
  }

  // --- Window ---------------------------------------------------------------------------
  function presetWindow(button) {
    return { preset: button.dataset.preset, center: Number(button.dataset.center), width: Number(button.dataset.width) };
  }

  function customWindow(center, width) {
    center = clamp(Math.round(center), -5000, 30000); // the server's limits (MRI values run high)
    width = clamp(Math.round(width), 1, 70000);
    const same = presetButtons.find((b) => Number(b.dataset.center) === center && Number(b.dataset.width) === width);
    return same ? presetWindow(same) : { preset: null, center, width };
  }

  function setWindow(w, now) {
    win = w;
    presetButtons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.preset === w.preset)));
    if (el.windowForm) ["center", "width"].forEach((name) => { el.windowForm.elements.namedItem(name).value = Math.round(w[name]); });
    el.cornerWindow.textContent = fmt(t.msgWindow, { center: nf0.format(w.center), width: nf0.format(w.width) });
    clearTimeout(windowTimer);
    if (now) loadWindow();
    else windowTimer = setTimeout(loadWindow, WINDOW_DEBOUNCE_MS);
    scheduleRender();
  }

  function loadWindow() {
    clearTimeout(windowTimer);
    loadCache = cacheFor(win);
    updateStatus();
    pump();
    scheduleRender();
  }

  // While the right image is on its way, show the same slice from another window, re-windowed
  // here from its 8-bit values: rough, but it follows the hand at once.
  function rewindow(from, to) {
    const lut = new Uint8ClampedArray(256);
    const low0 = from.center - from.width / 2, low1 = to.center - to.width / 2;
    for (let p = 0; p < 256; p++) lut[p] = ((low0 + (p / 255) * from.width - low1) / to.width) * 255;
    try {
      const image = ctx.getImageData(0, 0, cols, rows), px = image.data;
      for (let i = 0; i < px.length; i += 4) px[i] = px[i + 1] = px[i + 2] = lut[px[i]];
      ctx.putImageData(image, 0, 0);
    } catch (error) { /* a canvas we may not read: keep the plain image */ }
  }

  // --- Drawing --------------------------------------------------------------------------
  function scheduleRender() {
    if (renderQueued) return;
    renderQueued = true;
    requestAnimationFrame(render);
  }

  function render() {
    renderQueued = false;
    if (!ready || !win) return;
    const key = windowKey(win), own = caches.get(key), entry = own && own.entries[current];
    let source = null, from = null;
    if (full && full.index === current && full.key === key && full.state === "ok") { source = full.img; from = win; }
    else if (entry && entry.state === "ok") { source = entry.img; from = win; }
    else {
      for (const cache of [loadCache, ...caches.values()]) {
        const other = cache && cache.entries[current];
        if (other && other.state === "ok") { source = other.img; from = cache.win; break; }
      }
    }
    ctx.fillStyle = "#000";
    ctx.fillRect(0, 0, cols, rows); // never leave another slice on screen
    if (source) ctx.drawImage(source, 0, 0, cols, rows);
    if (source && windowKey(from) !== key) rewindow(from, win);
    const exact = Boolean(source) && windowKey(from) === key;
    const failed = !exact && Boolean(entry) && entry.state === "error";
    el.loading.hidden = exact || failed;
    el.imageError.hidden = !failed;
    el.stage.setAttribute("aria-busy", String(!exact && !failed));
    if (el.full) el.full.setAttribute("aria-pressed", String(Boolean(full) && full.index === current && full.key === key));
    shown = Boolean(source);
    drawOverlay();
  }

  function svg(name, attributes, parent) {
    const node = document.createElementNS(SVG_NS, name);
    for (const [attribute, value] of Object.entries(attributes)) node.setAttribute(attribute, value);
    parent.appendChild(node);
    return node;
  }

  function distanceText(millimetres, points) {
    if (millimetres !== null && millimetres !== undefined) return `${nf1.format(millimetres)} ${t.unitMm}`;
    const [p, q] = points;
    return `${nf0.format(Math.hypot(q[0] - p[0], q[1] - p[1]))} ${t.unitPx}`;
  }

  function drawOverlay() {
    el.overlay.replaceChildren();
    if (!ready || !shown) return; // never put one slice's marks on another slice's image
    const u = 1 / scale();      // one screen pixel, in image pixels: sizes stay readable at any zoom
    annotationsOf(current).forEach((a) => drawShape(a, u, a.mine ? "is-mine" : "is-other"));
    if (measurement && measurement.index === current) {
      drawShape({ kind: "distance", points: measurement.points, millimetres: measurement.mm }, u, "is-temp");
    }
    if (temp) drawShape(temp, u, "is-temp");
    if (pendingMeasure) drawShape({ kind: "point", points: [pendingMeasure] }, u, "is-temp");
    if (pendingText && pendingText.index === current) drawShape({ kind: "point", points: [pendingText.point] }, u, "is-temp");
  }

  function drawShape(a, u, variant) {
    const [p, q] = a.points || [];
    const group = svg("g", { class: "shape " + variant, "stroke-width": 2 * u }, el.overlay);
    const label = (x, y, text, line) => {
      const node = svg("text", { x: x + 8 * u, y: y - 8 * u + line * 16 * u, "font-size": 14 * u, "stroke-width": 3 * u }, group);
      node.textContent = text;
    };
    if (!p) return;
    if (a.kind === "point" || a.kind === "text") svg("circle", { cx: p[0], cy: p[1], r: 5 * u }, group);
    if (a.kind === "text") {
      label(p[0], p[1], a.text || "", 0);
      if (a.author) label(p[0], p[1], a.author, 1);
    }
    if ((a.kind === "arrow" || a.kind === "distance") && q) {
      svg("line", { x1: p[0], y1: p[1], x2: q[0], y2: q[1] }, group);
      const angle = Math.atan2(q[1] - p[1], q[0] - p[0]);
      const length = Math.hypot(q[0] - p[0], q[1] - p[1]);
      if (a.kind === "arrow") {
        const wing = (side) => [q[0] - 14 * u * Math.cos(angle + side * 0.45), q[1] - 14 * u * Math.sin(angle + side * 0.45)];
        svg("polygon", { points: [q, wing(1), wing(-1)].map((v) => v.join(",")).join(" ") }, group);
        if (a.author) label(p[0], p[1], a.author, 0);
      } else {
        const dx = Math.sin(angle) * 6 * u, dy = -Math.cos(angle) * 6 * u; // end ticks
        for (const end of [p, q]) svg("line", { x1: end[0] - dx, y1: end[1] - dy, x2: end[0] + dx, y2: end[1] + dy }, group);
        if (length * (1 / u) >= 4) label(q[0], q[1], distanceText(a.millimetres, [p, q]), 0);
        if (a.author) label(q[0], q[1], a.author, 1);
      }
    }
  }

  // --- Zoom and pan ---------------------------------------------------------------------
  const fitScale = () => Math.min(el.stage.clientWidth / cols, el.stage.clientHeight / rows) || 1;
  const scale = () => fitScale() * view.zoom;

  function origin() {
    const s = scale();
    return { x: (el.stage.clientWidth - cols * s) / 2 + view.x, y: (el.stage.clientHeight - rows * s) / 2 + view.y };
  }

  function applyView() {
    const s = scale(), o = origin();
    el.layer.style.transform = `translate(${o.x}px, ${o.y}px) scale(${s})`;
    placeOrientation(o, s);
    drawOverlay();
  }

  // On a wide screen the image (with its slider) fits in the window as the page opens: no
  // scrolling to see its lower half. A phone keeps the square stage of the stylesheet.
  function fitStage() {
    const stage = el.stage;
    if (!window.matchMedia("(min-width: 48rem)").matches) { stage.style.height = ""; return; }
    const top = stage.getBoundingClientRect().top + window.scrollY;
    const slices = el.slider.parentElement.getBoundingClientRect().height + 16;
    const room = Math.floor(window.innerHeight - top - slices);
    stage.style.height = Math.max(256, Math.min(room, stage.clientWidth)) + "px";
  }

  // The letters sit at the image's edges, kept on the stage when the image is zoomed past it.
  function placeOrientation(o, s) {
    const width = el.stage.clientWidth, height = el.stage.clientHeight;
    const left = clamp(o.x, 0, width), right = clamp(o.x + cols * s, 0, width);
    const top = clamp(o.y, 0, height), bottom = clamp(o.y + rows * s, 0, height);
    const middleX = (left + right) / 2, middleY = (top + bottom) / 2;
    const spots = { left: [left, middleY], right: [right, middleY], top: [middleX, top], bottom: [middleX, bottom] };
    orient.forEach((node) => {
      const [x, y] = spots[node.dataset.orient];
      Object.assign(node.style, { left: x + "px", top: y + "px" });
    });
  }

  function toImage(clientX, clientY) {
    const rect = el.stage.getBoundingClientRect(), s = scale(), o = origin();
    return [(clientX - rect.left - o.x) / s, (clientY - rect.top - o.y) / s];
  }

  // Pan so that image point p lies under the screen point (clientX, clientY).
  function placeAt(p, clientX, clientY) {
    const rect = el.stage.getBoundingClientRect(), s = scale();
    view.x = clientX - rect.left - p[0] * s - (el.stage.clientWidth - cols * s) / 2;
    view.y = clientY - rect.top - p[1] * s - (el.stage.clientHeight - rows * s) / 2;
    applyView();
  }

  function zoomAt(factor, clientX, clientY) {
    const p = toImage(clientX, clientY);
    view.zoom = clamp(view.zoom * factor, MIN_ZOOM, MAX_ZOOM);
    placeAt(p, clientX, clientY);
  }

  function zoomAtCentre(factor) {
    const rect = el.stage.getBoundingClientRect();
    zoomAt(factor, rect.left + rect.width / 2, rect.top + rect.height / 2);
  }

  function resetView() {
    Object.assign(view, { zoom: 1, x: 0, y: 0 });
    applyView();
  }

  // --- Pointer, wheel and keys ----------------------------------------------------------
  function setTool(name) {
    tool = name;
    el.stage.dataset.mode = name;
    toolButtons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.tool === name)));
    temp = pendingMeasure = null;
    scheduleRender();
  }

  const sliceStep = () => clamp(el.stage.clientHeight / Math.min(N, 60), 4, 24); // pixels of drag per slice

  function onPointerDown(event) {
    if (!ready || (event.pointerType === "mouse" && event.button > 2)) return;
    event.preventDefault();
    el.stage.focus({ preventScroll: true });
    try { el.stage.setPointerCapture(event.pointerId); } catch (error) { /* pointer already gone */ }
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (pointers.size === 2) { // two fingers: pinch to zoom and move, whatever the tool
      const [a, b] = Array.from(pointers.values());
      temp = null;
      const anchor = toImage((a.x + b.x) / 2, (a.y + b.y) / 2); // the image point between the fingers stays there
      gesture = { kind: "pinch", zoom0: view.zoom, d0: Math.hypot(a.x - b.x, a.y - b.y) || 1, anchor };
      scheduleRender();
      return;
    }
    if (pointers.size > 2) return;
    const mouse = event.pointerType === "mouse";
    const kind = mouse && event.button === 2 ? "window" : mouse && event.button === 1 ? "pan" : tool;
    const start = toImage(event.clientX, event.clientY);
    gesture = { kind, x0: event.clientX, y0: event.clientY, x: event.clientX, y: event.clientY, rest: 0, moved: false, start, win0: win };
    if (kind === "measure" || kind === "arrow") {
      if (kind === "measure" && pendingMeasure) { // second tap of a tap-tap measurement
        Object.assign(gesture, { start: pendingMeasure, second: true });
        pendingMeasure = null;
      }
      temp = { kind: kind === "measure" ? "distance" : "arrow", points: [gesture.start, start] };
      scheduleRender();
    }
  }

  function onPointerMove(event) {
    const point = pointers.get(event.pointerId);
    if (!point || !gesture) return;
    Object.assign(point, { x: event.clientX, y: event.clientY });
    const g = gesture;
    if (g.kind === "pinch") {
      const [a, b] = Array.from(pointers.values());
      if (!b) return;
      view.zoom = clamp((g.zoom0 * Math.hypot(a.x - b.x, a.y - b.y)) / g.d0, MIN_ZOOM, MAX_ZOOM);
      placeAt(g.anchor, (a.x + b.x) / 2, (a.y + b.y) / 2);
      return;
    }
    if (g.kind === "none") return;
    const dx = event.clientX - g.x, dy = event.clientY - g.y;
    Object.assign(g, { x: event.clientX, y: event.clientY });
    if (Math.hypot(event.clientX - g.x0, event.clientY - g.y0) > 6) g.moved = true;
    if (g.kind === "scroll") {
      const step = sliceStep();
      g.rest += dy;
      const slices = Math.trunc(g.rest / step);
      if (slices) { g.rest -= slices * step; go(current + slices); }
    } else if (g.kind === "window") {
      const factor = Math.max(g.win0.width, 10) / 200; // HU per pixel, finer for narrow windows
      setWindow(customWindow(g.win0.center + (event.clientY - g.y0) * factor, g.win0.width + (event.clientX - g.x0) * factor), false);
    } else if (g.kind === "pan") {
      Object.assign(view, { x: view.x + dx, y: view.y + dy });
      applyView();
    } else if (temp) {
      temp.points = [g.start, toImage(event.clientX, event.clientY)];
      scheduleRender();
    }
  }

  function onPointerUp(event) {
    if (!pointers.delete(event.pointerId)) return;
    const g = gesture;
    if (!g) return;
    if (g.kind === "pinch" || g.kind === "none" || event.type === "pointercancel") {
      gesture = pointers.size ? { kind: "none" } : null; // the finger left after a pinch does nothing
      if (event.type === "pointercancel") { temp = null; scheduleRender(); }
      return;
    }
    gesture = null;
    const end = toImage(event.clientX, event.clientY);
    if (g.kind === "window") loadWindow();
    else if (g.kind === "measure") {
      temp = null;
      if (!g.moved && !g.second) pendingMeasure = g.start; // first tap: wait for the second
      else finishMeasurement(g.start, end);
      scheduleRender();
    } else if (g.kind === "arrow") {
      temp = null;
      scheduleRender();
      if (g.moved) saveAnnotation(current, "arrow", [g.start, end]); // drawn from the tail to the head
    } else if (g.kind === "text" && !g.moved) openText(end);
  }

  function onWheel(event) {
    if (!ready) return;
    event.preventDefault();
    const pixels = event.deltaY * (event.deltaMode === 1 ? 40 : event.deltaMode === 2 ? 800 : 1);
    if (event.ctrlKey || event.metaKey) return zoomAt(Math.exp(-pixels / 300), event.clientX, event.clientY); // also a trackpad pinch
    wheelRest += pixels;
    if (Math.abs(wheelRest) < 40) return; // one notch, one slice; trackpad deltas add up
    go(current + Math.sign(wheelRest));
    wheelRest = 0;
  }

  function onKey(event) {
    if (!ready || event.altKey || event.ctrlKey || event.metaKey) return;
    const page = Math.max(1, Math.round(N / 10));
    const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (event.key in moves) go(current + moves[event.key]);
    else if (event.key === "Home") go(0);
    else if (event.key === "End") go(N - 1);
    else if (event.key === "+" || event.key === "=") zoomAtCentre(1.25);
    else if (event.key === "-") zoomAtCentre(0.8);
    else if (event.key === "0") resetView();
    else if (event.key === "Escape") { temp = pendingMeasure = null; scheduleRender(); return; }
    else return;
    event.preventDefault();
  }

  // --- Measurement and ABC/2 ------------------------------------------------------------
  function finishMeasurement(p, q) {
    const points = [p, q].map(([x, y]) => [round1(clamp(x, 0, cols)), round1(clamp(y, 0, rows))]); // as saved
    const mm = spacing ? distanceMm(points, spacing[0], spacing[1]) : null;
    measurement = { index: current, points, mm };
    el.measure.hidden = false;
    el.measureValue.textContent = mm === null ? `${distanceText(null, points)} (${t.msgNoSpacing})` : distanceText(mm);
    if (el.measureSave) el.measureSave.hidden = false;
    if (mm === null) return;
    distances.push(mm);
    if (distances.length > 2) distances.shift(); // keep the last two
    fillAbFromDistances();
  }

  function fillAbFromDistances() {
    if (!el.abc) return;
    const [a, b] = distances.slice().sort((x, y) => y - x); // A: the longer one
    const fields = el.abc.elements;
    fields.namedItem("abc_a").value = (a / 10).toFixed(1); // mm -> cm
    if (b !== undefined) fields.namedItem("abc_b").value = (b / 10).toFixed(1);
    computeAbc();
  }

  function markRange(which) {
    abcRange[which] = current;
    const { first, last } = abcRange;
    q("abc-range").textContent = fmt(t.msgRange, { first: first === null ? "?" : first + 1, last: last === null ? "?" : last + 1 });
    if (first !== null && last !== null) el.abc.elements.namedItem("abc_slices").value = Math.abs(last - first) + 1;
    computeAbc();
  }

  function computeAbc() {
    const value = (name) => parseFloat(String(el.abc.elements.namedItem(name).value).replace(",", "."));
    const positive = (x) => Number.isFinite(x) && x > 0;
    const a = value("abc_a"), b = value("abc_b");
    const c = (value("abc_slices") * value("abc_spacing")) / 10; // slices x mm -> cm
    q("abc-c").textContent = positive(c) ? nf1.format(c) : "—";
    q("abc-volume").textContent = positive(a) && positive(b) && positive(c) ? nf1.format((a * b * c) / 2) : "—"; // cm3 = mL
  }

  // --- Annotations ----------------------------------------------------------------------
  const annotationsOf = (index) => annotations.get(instances[index].id) || [];
  const isKey = (index) => Boolean(instances[index].key) || annotationsOf(index).some((a) => a.kind === "key");

  function addAnnotationData(a) {
    const list = annotations.get(a.instance) || [];
    // The server answers a second key mark with the first one: keep each annotation once.
    annotations.set(a.instance, list.filter((other) => other.id !== a.id).concat(a));
  }

  // Everything that shows the current slice or its marks: labels, key image state, lists, image.
  function refresh() {
    updateLabels();
    updateKeyUi();
    updateAnnotationList();
    scheduleRender();
  }

  function csrfToken() {
    const input = root.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    const cookie = /(?:^|;\s*)csrftoken=([^;]+)/.exec(document.cookie);
    return cookie ? decodeURIComponent(cookie[1]) : "";
  }

  async function post(url, body) {
    try {
      const headers = { "X-CSRFToken": csrfToken(), "Content-Type": "application/json", Accept: "application/json" };
      const payload = body === undefined ? undefined : JSON.stringify(body);
      return await fetch(url, { method: "POST", credentials: "same-origin", headers, body: payload });
    } catch (error) {
      say(t.msgNetworkError, true);
      return null;
    }
  }

  async function errorOf(response) {
    try {
      const data = await response.json();
      if (data && data.error) return data.error; // already translated by the server
    } catch (error) { /* not JSON */ }
    return t.msgActionError;
  }

  async function saveAnnotation(index, kind, points, extra) {
    const instance = instances[index];
    const clampPoint = ([x, y]) => [round1(clamp(x, 0, cols)), round1(clamp(y, 0, rows))];
    const body = { kind, points: points.map(clampPoint), text: "", millimetres: null, ...extra };
    const response = await post(fillUrl(manifest.annotations_url, { id: instance.id }), body);
    if (!response) return null;
    if (!response.ok) { say(await errorOf(response), true); return null; }
    const saved = await response.json().catch(() => null);
    if (!saved) { say(t.msgActionError, true); return null; }
    if (saved.instance === undefined || saved.instance === null) saved.instance = instance.id;
    addAnnotationData(saved);
    refresh();
    say(t.msgSaved);
    return saved;
  }

  async function deleteAnnotation(a, ask) {
    if (ask && !window.confirm(t.confirmDelete)) return false;
    const response = await post(a.delete_url);
    if (!response) return false;
    if (!response.ok) { say(await errorOf(response), true); return false; }
    annotations.set(a.instance, (annotations.get(a.instance) || []).filter((other) => other !== a));
    if (a.kind === "key" && indexOf.has(a.instance)) instances[indexOf.get(a.instance)].key = false;
    refresh();
    say(t.msgDeleted);
    return true;
  }

  async function saveMeasurement() {
    const m = measurement;
    if (!m) return;
    el.measureSave.disabled = true;
    const saved = await saveAnnotation(m.index, "distance", m.points, { millimetres: m.mm });
    el.measureSave.disabled = false;
    if (!saved || measurement !== m) return;
    measurement = null; // now drawn as an annotation
    el.measureSave.hidden = true;
    scheduleRender();
  }

  function openText(point) {
    if (!el.textForm) return;
    pendingText = { index: current, point };
    el.textForm.hidden = false;
    const input = el.textForm.elements.namedItem("text");
    input.value = "";
    input.focus(); // a small form under the image, never prompt()
    scheduleRender();
  }

  function closeText() {
    pendingText = null;
    el.textForm.hidden = true;
    scheduleRender();
  }

  async function saveText(event) {
    event.preventDefault();
    const text = el.textForm.elements.namedItem("text").value.trim();
    const target = pendingText;
    if (!text || !target) return;
    const saved = await saveAnnotation(target.index, "text", [target.point], { text });
    if (saved && pendingText === target) closeText();
  }

  async function toggleKey() {
    if (keyBusy) return;
    const mine = annotationsOf(current).find((a) => a.kind === "key" && a.mine && a.delete_url);
    keyBusy = true;
    el.keyToggle.disabled = true;
    if (mine) await deleteAnnotation(mine, false);
    else if (!isKey(current)) await saveAnnotation(current, "key", []);
    keyBusy = false;
    updateKeyUi();
  }

  function updateKeyUi() {
    if (el.keyToggle) {
      const mine = annotationsOf(current).some((a) => a.kind === "key" && a.mine && a.delete_url);
      el.keyToggle.setAttribute("aria-pressed", String(isKey(current)));
      el.keyToggle.disabled = keyBusy || (isKey(current) && !mine); // someone else's key image stays
    }
    if (!el.keyList) return;
    const items = [];
    instances.forEach((instance, index) => {
      if (!isKey(index)) return;
      const button = make("button", { type: "button", className: "secondary", textContent: fmt(t.msgSliceShort, { n: index + 1 }) });
      if (index === current) button.setAttribute("aria-current", "true");
      button.addEventListener("click", () => go(index));
      const authors = annotationsOf(index).filter((a) => a.kind === "key" && a.author).map((a) => a.author);
      items.push(make("li", {}, button, authors.length ? " " + authors.join(", ") : ""));
    });
    el.keyList.replaceChildren(...(items.length ? items : [make("li", { className: "muted", textContent: t.msgNoKeys })]));
  }

  function updateAnnotationList() {
    if (!el.annotationList) return;
    const kindLabels = { arrow: t.labelArrow, text: t.labelText, distance: t.labelDistance, key: t.labelKey };
    const items = annotationsOf(current).map((a) => {
      const parts = [kindLabels[a.kind] || a.kind];
      if (a.kind === "text" && a.text) parts.push(a.text);
      if (a.kind === "distance" && a.points && a.points.length === 2) parts.push(distanceText(a.millimetres, a.points));
      if (a.author) parts.push(a.author);
      const item = make("li", {}, make("span", { textContent: parts.join(" · ") }));
      if (a.mine && a.delete_url) {
        const button = make("button", { type: "button", className: "secondary", textContent: t.labelDelete });
        button.setAttribute("aria-label", t.labelDelete + ": " + parts.join(" · "));
        button.addEventListener("click", () => deleteAnnotation(a, true));
        item.append(button);
      }
      return item;
    });
    el.annotationList.replaceChildren(...(items.length ? items : [make("li", { className: "muted", textContent: t.msgNoAnnotations })]));
  }

  // --- Full quality ---------------------------------------------------------------------
  function toggleFull() {
    const key = windowKey(win);
    if (full && full.index === current && full.key === key) { full = null; scheduleRender(); return; }
    const img = new Image();
    const request = (full = { index: current, key, img, state: "loading" });
    say(t.msgFullLoading);
    img.onload = () => { request.state = "ok"; if (full === request) { say(t.msgFullShown); scheduleRender(); } };
    img.onerror = () => { if (full === request) { full = null; say(t.msgActionError, true); scheduleRender(); } };
    img.src = fillUrl(manifest.full_url, { id: instances[current].id, center: Math.round(win.center), width: Math.round(win.width) });
    scheduleRender();
  }

  // --- Messages -------------------------------------------------------------------------
  function say(text, isError) {
    el.message.textContent = text || "";
    el.message.classList.toggle("is-error", Boolean(isError));
    clearTimeout(messageTimer);
    if (text && !isError) messageTimer = setTimeout(() => { el.message.textContent = ""; }, 5000);
  }
}
