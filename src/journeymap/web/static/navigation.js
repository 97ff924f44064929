// Moving around a drawn map: zoom, pan, fit to the screen, 100 %, and an overview of large maps.

const NS = "http://www.w3.org/2000/svg";
const MIN_SCALE = 0.05;
const MAX_SCALE = 3;
const OVERVIEW_W = 180;

function svgEl(tag, attrs = {}) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

// Wire navigation onto `canvas` (a positioned element the map's SVG fills); `attach` a drawn
// view to it, again whenever the map is drawn anew.
export function navigate(canvas, controls) {
  const state = { k: 1, x: 0, y: 0 };
  const size = () => ({ w: canvas.clientWidth, h: canvas.clientHeight });
  let view = null;

  const overview = svgEl("svg", { class: "overview", "aria-hidden": "true" });
  overview.setAttribute("preserveAspectRatio", "xMidYMid meet");
  const frame = svgEl("rect", { class: "overview-frame" });
  overview.append(svgEl("use", { href: "#map-content" }), frame);
  canvas.append(overview);

  function attach(next, { keep = false } = {}) {
    view = next;
    const oh = Math.min(220, Math.max(60, (OVERVIEW_W * view.height) / view.width));
    overview.setAttribute("viewBox", `0 0 ${view.width} ${view.height}`);
    overview.style.width = `${OVERVIEW_W}px`;
    overview.style.height = `${oh}px`;
    if (keep) {
      clamp();
      apply();
    } else actual();
  }

  function apply() {
    if (!view) return;
    view.viewport.setAttribute("transform", `translate(${state.x.toFixed(1)},${state.y.toFixed(1)}) scale(${state.k.toFixed(4)})`);
    const { w, h } = size();
    frame.setAttribute("x", -state.x / state.k);
    frame.setAttribute("y", -state.y / state.k);
    frame.setAttribute("width", w / state.k);
    frame.setAttribute("height", h / state.k);
    const whole = view.width * state.k <= w + 1 && view.height * state.k <= h + 1;
    overview.classList.toggle("off", whole);
    controls.zoom.textContent = `${Math.round(state.k * 100)}%`;
    canvas.dataset.scale = state.k.toFixed(4);
  }

  function clamp() {
    if (!view) return;
    const { w, h } = size();
    const cw = view.width * state.k;
    const ch = view.height * state.k;
    state.x = cw <= w ? (w - cw) / 2 : Math.min(0, Math.max(w - cw, state.x));
    state.y = ch <= h ? 0 : Math.min(0, Math.max(h - ch, state.y));
  }

  function zoomAt(k, cx, cy) {
    const next = Math.min(MAX_SCALE, Math.max(MIN_SCALE, k));
    state.x = cx - ((cx - state.x) * next) / state.k;
    state.y = cy - ((cy - state.y) * next) / state.k;
    state.k = next;
    clamp();
    apply();
  }

  function fit() {
    const { w, h } = size();
    state.k = Math.min(1, Math.max(MIN_SCALE, Math.min(w / view.width, h / view.height)));
    state.x = (w - view.width * state.k) / 2;
    state.y = 0;
    clamp();
    apply();
  }

  // Put map point (mx, my) at the given share of the canvas height, keeping the zoom.
  function show(mx, my, at = 1 / 3) {
    const { w, h } = size();
    state.x = w / 2 - mx * state.k;
    state.y = h * at - my * state.k;
    clamp();
    apply();
  }

  function actual() {
    const { w } = size();
    const tops = [...view.nodes.values()].filter((n) => n.layout.kind === "trigger").map((n) => n.box);
    const first = tops[0] || [...view.nodes.values()][0]?.box;
    state.k = 1;
    state.x = first ? w / 2 - (first.x + first.w / 2) : 0;
    state.y = 0;
    clamp();
    apply();
  }

  canvas.addEventListener(
    "wheel",
    (ev) => {
      ev.preventDefault();
      if (!view) return;
      const r = canvas.getBoundingClientRect();
      if (ev.ctrlKey || ev.metaKey) zoomAt(state.k * Math.exp(-ev.deltaY / 300), ev.clientX - r.left, ev.clientY - r.top);
      else {
        state.x -= ev.shiftKey ? ev.deltaY : ev.deltaX;
        state.y -= ev.shiftKey ? 0 : ev.deltaY;
        clamp();
        apply();
      }
    },
    { passive: false },
  );

  let drag = null;
  canvas.addEventListener("pointerdown", (ev) => {
    if (ev.button !== 0 || ev.target.closest(".door, .overview, .map-controls, .node")) return;
    drag = { x: ev.clientX, y: ev.clientY, sx: state.x, sy: state.y };
    canvas.setPointerCapture(ev.pointerId);
    canvas.classList.add("panning");
  });
  canvas.addEventListener("pointermove", (ev) => {
    if (!drag) return;
    state.x = drag.sx + ev.clientX - drag.x;
    state.y = drag.sy + ev.clientY - drag.y;
    clamp();
    apply();
  });
  const stop = () => {
    drag = null;
    canvas.classList.remove("panning");
  };
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointercancel", stop);

  const moveTo = (ev) => {
    const r = overview.getBoundingClientRect();
    const scale = Math.min(r.width / view.width, r.height / view.height);
    const offX = (r.width - view.width * scale) / 2;
    const offY = (r.height - view.height * scale) / 2;
    show((ev.clientX - r.left - offX) / scale, (ev.clientY - r.top - offY) / scale, 1 / 2);
  };
  let steering = false;
  overview.addEventListener("pointerdown", (ev) => {
    steering = true;
    overview.setPointerCapture(ev.pointerId);
    moveTo(ev);
  });
  overview.addEventListener("pointermove", (ev) => steering && moveTo(ev));
  overview.addEventListener("pointerup", () => (steering = false));

  canvas.addEventListener("keydown", (ev) => {
    if (ev.target.closest("input, select")) return;
    const { w, h } = size();
    const step = { ArrowLeft: [60, 0], ArrowRight: [-60, 0], ArrowUp: [0, 60], ArrowDown: [0, -60] }[ev.key];
    if (ev.key === "+" || ev.key === "=") zoomAt(state.k * 1.25, w / 2, h / 2);
    else if (ev.key === "-") zoomAt(state.k / 1.25, w / 2, h / 2);
    else if (ev.key === "0") fit();
    else if (ev.key === "1") actual();
    else if (step && ev.target === canvas) {
      state.x += step[0];
      state.y += step[1];
      clamp();
      apply();
    } else return;
    ev.preventDefault();
  });

  controls.in.onclick = () => zoomAt(state.k * 1.25, size().w / 2, size().h / 2);
  controls.out.onclick = () => zoomAt(state.k / 1.25, size().w / 2, size().h / 2);
  controls.fit.onclick = fit;
  controls.actual.onclick = actual;
  new ResizeObserver(() => {
    clamp();
    apply();
  }).observe(canvas);

  // Bring an element into sight (a chosen goal), keeping the zoom.
  function reveal(id) {
    const n = view && view.nodes.get(id);
    if (n) revealBox(n.box);
  }

  // Bring a box of the map (an element, a connector's label) into sight, keeping the zoom.
  function revealBox(b) {
    const { w, h } = size();
    const sx = b.x * state.k + state.x;
    const sy = b.y * state.k + state.y;
    if (sx >= 0 && sy >= 0 && sx + b.w * state.k <= w && sy + b.h * state.k <= h) return;
    show(b.x + b.w / 2, b.y + b.h / 2);
  }

  // Keyboard focus on something outside the visible part of the map brings it into sight.
  canvas.addEventListener("focusin", (ev) => {
    if (!view) return;
    const node = ev.target.closest("g.node");
    const label = ev.target.closest("g.edge-label");
    if (node) reveal(node.dataset.element);
    else if (label && view.edges.get(label.dataset.connector)) revealBox(view.edges.get(label.dataset.connector).labelBox);
  });

  return { attach, fit, actual, reveal, state };
}
