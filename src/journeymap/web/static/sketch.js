// The map being built, drawn: each element at Performance Mode's size (Contact Flow, the report
// a map opens in), so flipping between the modes moves nothing; connectors straight between.

import { REPORTS } from "./figures.js";
import { centre, placeAround, rim } from "./layout.js";
import { drawElement, el, elementHeight } from "./mapview.js";

export const SHOWN_REPORT = "contact-flow";
const GRID = 20;
const LABEL = { w: 40, h: 20 };
const HOLDS = new Set(["goal", "wait", "end"]);
const DELIVERED = new Set(["notify", "webhook"]);

export const snap = (v) => Math.round(v / GRID) * GRID;

// An element of the map file as the layout answer describes it (GET /api/maps/{id}/layout).
export function nodeOf(e) {
  const action = e.kind === "action" && e.action ? e.action.type : "";
  const on = (e.kind === "trigger" || e.kind === "goal") && e.event ? e.event.on : "";
  const detail = action || on || (e.kind === "end" && e.exit ? "exit" : "");
  return {
    id: e.id,
    kind: e.kind,
    detail: String(detail).replace(/_/g, " "),
    name: e.name || e.id,
    named: Boolean(e.name),
    email: action === "send_email",
    deliveries: DELIVERED.has(action),
    page_visits: on === "page_visited",
    holds: HOLDS.has(e.kind),
  };
}

// Draw the map into `svg`: `at` holds element centres; problems by element and connector id.
export function drawSketch(svg, doc, { problems, selected, readOnly }) {
  const byElement = new Map();
  const byConnector = new Map();
  for (const p of problems) {
    if (p.element_id) byElement.set(p.element_id, [...(byElement.get(p.element_id) || []), p]);
    if (p.connector_id) byConnector.set(p.connector_id, [...(byConnector.get(p.connector_id) || []), p]);
  }
  const at = doc.layout;
  const edges = el("g", { class: "edges" });
  const nodes = el("g", { class: "nodes" });
  const defs = el("defs", {}, el("marker", { id: "b-arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 10, markerHeight: 10, orient: "auto", markerUnits: "userSpaceOnUse" }, el("path", { d: "M0,0 L10,5 L0,10 z", class: "arrowhead" })));
  svg.replaceChildren(defs, edges, nodes);
  const boxes = new Map();
  for (const e of doc.elements) {
    if (!at[e.id]) continue;
    const found = byElement.get(e.id) || [];
    const sel = selected && selected.type === "element" && selected.id === e.id;
    const item = drawElement(nodes, nodeOf(e), SHOWN_REPORT);
    const { w, h } = item;
    const g = item.group;
    g.classList.add("b-node");
    if (sel) g.classList.add("selected");
    if (found.length) g.classList.add("has-problem");
    g.setAttribute("data-problems", found.map((x) => x.code).join(" "));
    g.setAttribute("transform", `translate(${at[e.id].x},${at[e.id].y})`);
    if (e.name) item.figs.append(el("text", { class: "b-id", x: item.inner / 2, y: 12, "text-anchor": "middle" }, e.id));
    if (!readOnly) g.append(el("circle", { class: "port", cx: 0, cy: h / 2, r: 7, "data-port": e.id }, el("title", {}, "Connect from here: click, then click the next element")));
    if (found.length) {
      g.append(el("g", { class: "badge" }, el("circle", { cx: w / 2 - 6, cy: -h / 2 + 6, r: 10 }), el("text", { x: w / 2 - 6, y: -h / 2 + 10, "text-anchor": "middle" }, String(found.length))));
      g.querySelector("title").textContent = found.map((x) => `${x.code}: ${x.message}`).join("\n");
    }
    boxes.set(e.id, { x: at[e.id].x - w / 2, y: at[e.id].y - h / 2, w, h });
  }
  for (const c of doc.connectors) {
    const a = boxes.get(c.from);
    const b = boxes.get(c.to);
    if (!a || !b) continue;
    const p = rim(a, centre(b));
    const q = rim(b, centre(a));
    const line = `M${p[0]},${p[1]} L${q[0]},${q[1]}`;
    const found = byConnector.get(c.id) || [];
    const sel = selected && selected.type === "connector" && selected.id === c.id;
    const g = el("g", { class: `b-edge${sel ? " selected" : ""}${found.length ? " has-problem" : ""}`, "data-connector": c.id, "data-problems": found.map((x) => x.code).join(" ") });
    g.append(el("path", { class: "edge-hit", d: line }), el("path", { class: "edge", d: line, "marker-end": "url(#b-arrow)" }));
    const text = c.label ? c.label.toUpperCase() : c.weight !== undefined && c.weight !== null ? `${c.weight}%` : "";
    const mx = (p[0] + q[0]) / 2;
    const my = (p[1] + q[1]) / 2;
    if (text || found.length) {
      const tag = `${text}${found.length ? `${text ? " " : ""}!` : ""}`;
      g.append(el("rect", { class: "edge-box", x: mx - 22, y: my - 10, width: 44, height: 20, rx: 6 }), el("text", { class: "edge-text", x: mx, y: my + 4, "text-anchor": "middle" }, tag));
    }
    if (found.length) g.append(el("title", {}, found.map((x) => `${x.code}: ${x.message}`).join("\n")));
    edges.append(g);
  }
  const right = Math.max(1400, ...[...boxes.values()].map((b) => b.x + b.w + 200));
  const bottom = Math.max(900, ...[...boxes.values()].map((b) => b.y + b.h + 200));
  svg.setAttribute("width", right);
  svg.setAttribute("height", bottom);
  svg.setAttribute("viewBox", `0 0 ${right} ${bottom}`);
  return boxes;
}

// Each element's size in `svg`: drawn as Performance Mode draws it, as tall as its tallest report
// (so placed elements leave room for the figures of every report).
function roomOf(svg, doc) {
  const probe = el("g", { visibility: "hidden" });
  svg.append(probe);
  const sizes = new Map();
  for (const e of doc.elements) {
    const item = drawElement(probe, nodeOf(e), SHOWN_REPORT);
    sizes.set(e.id, { w: item.w, h: Math.max(...REPORTS.map((r) => elementHeight(item, r.name))) });
  }
  probe.remove();
  return sizes;
}

// Centres for the elements the map file does not place, around those it does (layout.js).
export async function placeMissing(svg, doc) {
  const missing = doc.elements.filter((e) => !doc.layout[e.id]);
  if (!missing.length) return;
  if (typeof window.ELK !== "function") {
    // no layout library (the page says how to install it): rows of four, below what is placed
    const top = Math.max(0, ...Object.values(doc.layout).map((p) => p.y));
    missing.forEach((e, i) => (doc.layout[e.id] = { x: 200 + (i % 4) * 280, y: top + 260 + Math.floor(i / 4) * 260 }));
    return;
  }
  const known = new Set(doc.elements.map((e) => e.id));
  const connectors = doc.connectors.filter((c) => known.has(c.from) && known.has(c.to));
  const layout = {
    nodes: doc.elements.map((e) => ({ id: e.id, ...(doc.layout[e.id] || {}) })),
    edges: connectors.map((c) => ({ id: c.id, from_: c.from, to: c.to })),
  };
  const placed = await placeAround(layout, roomOf(svg, doc), new Map(connectors.map((c) => [c.id, LABEL])));
  for (const n of placed.nodes) {
    if (!doc.layout[n.id]) doc.layout[n.id] = { x: snap(n.x), y: snap(n.y) };
  }
}

// Map units under the pointer.
function point(svg, ev) {
  const m = svg.getScreenCTM().inverse();
  return [m.a * ev.clientX + m.c * ev.clientY + m.e, m.b * ev.clientX + m.d * ev.clientY + m.f];
}

// The builder's canvas by pointer: place the kind picked in the palette, select, drag, connect.
export function wireSketch(b) {
  const svg = b.svg;
  svg.addEventListener("pointerdown", (ev) => {
    if (ev.button !== 0) return;
    const port = ev.target.closest("[data-port]");
    const node = ev.target.closest("[data-element]");
    const edge = ev.target.closest("[data-connector]");
    if (port && !b.readOnly) {
      b.connecting = port.dataset.port;
      b.placing = null;
      b.canvas.dataset.mode = "connecting";
      b.hint("Click the element this connector goes to (Esc cancels).");
      ev.preventDefault();
      return;
    }
    if (node) {
      const id = node.dataset.element;
      if (b.connecting) {
        const from = b.connecting;
        b.stopModes();
        b.addConnector(from, id);
        return;
      }
      if (!b.selected || b.selected.id !== id || b.selected.type !== "element") b.select({ type: "element", id });
      if (b.readOnly) return;
      const [x, y] = point(svg, ev);
      const at = b.doc.layout[id];
      b.drag = { id, dx: at.x - x, dy: at.y - y, before: JSON.stringify(b.doc), moved: false };
      svg.setPointerCapture(ev.pointerId);
      return;
    }
    if (edge) {
      b.stopModes();
      b.select({ type: "connector", id: edge.dataset.connector });
      return;
    }
    if (b.placing && !b.readOnly) {
      const kind = b.placing;
      const [x, y] = point(svg, ev);
      b.stopModes();
      b.addElement(kind, x, y);
      return;
    }
    b.stopModes();
    b.select(null);
  });
  svg.addEventListener("pointermove", (ev) => {
    if (!b.drag) return;
    const [x, y] = point(svg, ev);
    const box = b.boxes.get(b.drag.id);
    const at = { x: snap(Math.max(box.w / 2, x + b.drag.dx)), y: snap(Math.max(box.h / 2, y + b.drag.dy)) };
    const old = b.doc.layout[b.drag.id];
    if (old.x === at.x && old.y === at.y) return;
    b.doc.layout[b.drag.id] = at;
    b.drag.moved = true;
    b.drawCanvas();
  });
  const drop = () => {
    if (!b.drag) return;
    const { moved, before } = b.drag;
    b.drag = null;
    if (!moved) return;
    b.past.push(before);
    b.future = [];
    b.drawBar();
    b.opts.onState && b.opts.onState(b);
  };
  svg.addEventListener("pointerup", drop);
  svg.addEventListener("pointercancel", drop);
}
