// The map as SVG: element shapes sized to their figures, connectors routed by layout.js, and
// the figures of the chosen report written on both.

import { FIGURES, connectorFigures, elementRows, format, isDoor, label, rowCapacity } from "./figures.js";
import { placeMap, routePath } from "./layout.js";

const NS = "http://www.w3.org/2000/svg";
export const NODE_W = 240;
const PAD = { default: [14, 14], condition: [26, 26], split: [24, 24], fork: [24, 24], goto: [14, 30] };
const KIND_LINE = 24; // from the top of a box to below its kind word
const NAME_LINE = 16;
const NAME_LINES = 3;
const ROW = 17;
const BOTTOM = 9;
const LABEL_H = 20;
const LABEL_ROOM = "88,888 · 100.0%"; // the widest connector figures the layout makes room for

export function el(tag, attrs = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined) node.setAttribute(key, String(value));
  }
  for (const child of children) node.append(child);
  return node;
}

const KIND_WORD = {
  trigger: "Trigger",
  goal: "Goal",
  action: "Action",
  wait: "Wait",
  condition: "Condition",
  split: "A/B split",
  fork: "Fork",
  goto: "Go to",
  end: "End",
};

export function kindWord(node) {
  if (node.kind === "action" && node.detail) return node.detail;
  if (node.kind === "end" && node.detail) return "exit";
  return KIND_WORD[node.kind] || node.kind;
}

function pad(kind) {
  return PAD[kind] || PAD.default;
}

export function shape(kind, w, h) {
  const x = -w / 2;
  const y = -h / 2;
  const points = (pts) => el("polygon", { class: "shape", points: pts.map((p) => p.join(",")).join(" ") });
  switch (kind) {
    case "trigger":
    case "end":
      return el("rect", { class: "shape", x, y, width: w, height: h, rx: 22 });
    case "goal": {
      const c = 14;
      return points([[x + c, y], [-x - c, y], [-x, y + c], [-x, -y - c], [-x - c, -y], [x + c, -y], [x, -y - c], [x, y + c]]);
    }
    case "condition": {
      const c = 16;
      return points([[x, 0], [x + c, y], [-x - c, y], [-x, 0], [-x - c, -y], [x + c, -y]]);
    }
    case "split":
      return points([[x + 12, y], [-x, y], [-x - 12, -y], [x, -y]]);
    case "fork":
      return points([[x, y], [-x - 12, y], [-x, -y], [x + 12, -y]]);
    case "goto":
      return points([[x, y], [-x - 18, y], [-x, 0], [-x - 18, -y], [x, -y]]);
    default:
      return el("rect", { class: "shape", x, y, width: w, height: h, rx: 10 });
  }
}

// Break a name into lines that fit `room` units, at most NAME_LINES; the last ends in … if cut.
function wrapName(textEl, name, room) {
  const probe = el("tspan", {});
  textEl.append(probe);
  const width = (s) => {
    probe.textContent = s;
    return probe.getComputedTextLength();
  };
  const lines = [];
  let line = "";
  for (const word of name.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (width(next) <= room || !line) line = next;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  let cut = lines.length > NAME_LINES;
  const kept = lines.slice(0, NAME_LINES);
  kept.forEach((text, i) => {
    let t = text;
    if (width(t) > room) cut = true;
    while (t.length > 1 && (width(t) > room || (cut && i === kept.length - 1 && width(`${t}…`) > room))) t = t.slice(0, -1);
    kept[i] = cut && i === kept.length - 1 ? `${t.trimEnd()}…` : t;
  });
  probe.remove();
  return kept.length ? kept : [""];
}

function buildNode(n) {
  const [left, right] = pad(n.kind);
  const w = NODE_W;
  const group = el("g", { class: `node kind-${n.kind}`, tabindex: 0, "data-element": n.id, "aria-label": `${kindWord(n)}: ${n.name}` });
  const body = el("g", {});
  group.append(body);
  body.append(el("text", { class: "kind-word", x: 0, y: 15 }, kindWord(n).toUpperCase()));
  const name = el("text", { class: n.named ? "name" : "name unnamed", x: 0, y: KIND_LINE + 12 });
  body.append(name);
  return { n, group, body, name, left, right, w };
}

// Where an element's figure rows start, and its height, for a name of `lines` lines.
function rowsAndHeight(lines, capacity) {
  const rowsTop = KIND_LINE + lines * NAME_LINE + (capacity ? 8 : 0);
  return { rowsTop, h: rowsTop + capacity * ROW + BOTTOM };
}

// Measure and finish a node once it is in the document: wrapped name, figure rows, shape.
function finishNode(item, report) {
  const { n, group, body, name, left, right, w } = item;
  const lines = wrapName(name, n.name, w - left - right);
  name.replaceChildren(...lines.map((line, i) => el("tspan", { x: 0, dy: i ? NAME_LINE : 0 }, line)));
  const capacity = rowCapacity(n, report);
  const { rowsTop, h } = rowsAndHeight(lines.length, capacity);
  body.setAttribute("transform", `translate(${-w / 2 + left},${-h / 2})`);
  const figs = el("g", { class: "figs", transform: `translate(0,${rowsTop})` });
  const rule = el("line", { class: "rule", x1: 0, x2: w - left - right, y1: rowsTop - 5, y2: rowsTop - 5 });
  const chip = el("g", { class: "chip", transform: `translate(${w - left - right},15)` });
  body.append(...(capacity ? [rule] : []), figs, chip);
  group.prepend(shape(n.kind, w, h));
  if (n.kind === "end") group.insertBefore(el("rect", { class: "shape-inner", x: -w / 2 + 4, y: -h / 2 + 4, width: w - 8, height: h - 8, rx: 18 }), body);
  group.append(el("title", {}, `${n.name} (${n.id})`));
  Object.assign(item, { h, figs, chip, inner: w - left - right, rowsTop, lines: lines.length });
}

// One element drawn into `parent` as the report draws it, its figure rows left empty; the item
// holds its group, size and figure places.
export function drawElement(parent, n, report) {
  const item = buildNode(n);
  parent.append(item.group);
  finishNode(item, report);
  return item;
}

// How tall the element is in the report's drawing: its name's lines and its figure rows.
export function elementHeight(item, report) {
  return rowsAndHeight(item.lines, rowCapacity(item.n, report)).h;
}

function buildEdge(e) {
  const hit = el("path", { class: "edge-hit", "data-connector": e.id });
  const path = el("path", { class: "edge", "data-connector": e.id });
  const head = el("path", { class: "arrowhead", "data-connector": e.id });
  const group = el("g", { class: "edge-label", "data-connector": e.id });
  const box = el("rect", { class: "edge-box", rx: 6, height: LABEL_H });
  const text = el("text", { class: "edge-text", "text-anchor": "middle", y: 14 });
  const tag = e.label ? el("tspan", { class: "edge-tag" }, `${e.label.toUpperCase()}  `) : null;
  const figs = el("tspan", { class: "edge-figs" }, LABEL_ROOM);
  if (tag) text.append(tag);
  text.append(figs);
  group.append(box, text);
  return { e, hit, path, head, group, box, text, tag, figs };
}

// Draw the map: build every element and connector, measure them, lay them out, place them.
export async function drawMap(container, layout, report) {
  const svg = el("svg", { class: "map", role: "group", "aria-label": `Map ${layout.name}` });
  svg.append(
    el(
      "defs",
      {},
      el(
        "marker",
        // sized in user units, so arrowheads keep one size whatever the connector's width
        { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 11, markerHeight: 11, orient: "auto", markerUnits: "userSpaceOnUse" },
        el("path", { d: "M0,0 L10,5 L0,10 z", class: "arrowhead" }),
      ),
    ),
  );
  const content = el("g", { class: "content", id: "map-content" });
  const edgesG = el("g", { class: "edges" });
  const nodesG = el("g", { class: "nodes" });
  const labelsG = el("g", { class: "edge-labels" });
  content.append(edgesG, nodesG, labelsG);
  const viewport = el("g", { class: "viewport" }, content);
  svg.append(viewport);
  container.replaceChildren(svg);

  const view = { svg, viewport, content, layout, report, nodes: new Map(), edges: new Map(), width: 0, height: 0 };
  const sizes = new Map();
  for (const n of layout.nodes) {
    const item = drawElement(nodesG, n, report);
    sizes.set(n.id, { w: item.w, h: item.h });
    view.nodes.set(n.id, { layout: n, ...item });
  }
  const labelSizes = new Map();
  for (const e of layout.edges) {
    const item = buildEdge(e);
    edgesG.append(item.hit, item.path, item.head);
    labelsG.append(item.group);
    const w = Math.ceil(item.text.getComputedTextLength()) + 14;
    labelSizes.set(e.id, { w, h: LABEL_H });
    view.edges.set(e.id, { layout: e, ...item, w });
  }

  const placed = await placeMap(layout, sizes, labelSizes);
  view.width = placed.width;
  view.height = placed.height;
  for (const [id, node] of view.nodes) {
    const b = placed.nodes.get(id);
    node.box = b;
    node.group.setAttribute("transform", `translate(${b.x + b.w / 2},${b.y + b.h / 2})`);
  }
  for (const [id, edge] of view.edges) {
    const p = placed.edges.get(id);
    edge.points = p.points;
    edge.labelBox = p.label;
    edge.hit.setAttribute("d", routePath(p.points));
    shapeEdge(edge, 1.5);
    edge.group.setAttribute("transform", `translate(${p.label.x + p.label.w / 2},${p.label.y})`);
    edge.box.setAttribute("x", -p.label.w / 2);
    edge.box.setAttribute("width", p.label.w);
    edge.figs.textContent = "";
  }
  return view;
}

// The connector's line, stopping where its arrowhead starts, and an arrowhead wider than the line.
function shapeEdge(edge, width) {
  const pts = edge.points.map((p) => [...p]);
  const n = pts.length;
  if (n < 2) return;
  const [ex, ey] = pts[n - 1];
  const [px, py] = pts[n - 2];
  const len = Math.hypot(ex - px, ey - py) || 1;
  const ux = (ex - px) / len;
  const uy = (ey - py) / len;
  const long = Math.min(len, 7 + width * 0.9);
  const half = Math.max(5, width / 2 + 3.5);
  pts[n - 1] = [ex - ux * (long - 1), ey - uy * (long - 1)];
  edge.path.setAttribute("d", routePath(pts));
  edge.path.setAttribute("stroke-width", width.toFixed(2));
  const bx = ex - ux * long;
  const by = ey - uy * long;
  edge.head.setAttribute("d", `M${ex.toFixed(1)},${ey.toFixed(1)} L${(bx - uy * half).toFixed(1)},${(by + ux * half).toFixed(1)} L${(bx + uy * half).toFixed(1)},${(by - ux * half).toFixed(1)} z`);
}

function figureText(name, value, cls, onDoor, place) {
  const door = onDoor && isDoor(name, value);
  const text = el("text", { class: `fig ${cls}${door ? " door" : ""}`, "data-figure": name, "data-value": JSON.stringify(value ?? null) });
  const bare = cls === "second" && (FIGURES[name] || {}).kind === "rate"; // a rate beside its count
  text.append(el("tspan", { class: "fig-value" }, format(name, value)));
  if (!bare) text.append(el("tspan", { class: "fig-label" }, ` ${label(name)}`));
  if (door) {
    text.setAttribute("tabindex", "0");
    text.setAttribute("role", "button");
    text.setAttribute("aria-label", `${format(name, value)} ${label(name)} on ${place}: list these contacts`);
    const open = (ev) => {
      ev.stopPropagation();
      onDoor(name, value);
    };
    text.addEventListener("click", open);
    text.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" || ev.key === " ") {
        ev.preventDefault();
        open(ev);
      }
    });
  }
  return text;
}

// Figures an element shows beyond its own stats (the goal's entered-at-goal bucket).
function statsFor(result, id) {
  const stats = { ...(result.elements.find((e) => e.id === id) || { id }) };
  if (result.report === "goal-conversion-point" && id === result.goal) {
    stats.entered_at_goal = result.entered_at_goal;
    stats.entered_at_goal_share = result.entered_at_goal_share;
  }
  return stats;
}

// Write the report's figures on every element and connector; widths follow connector contacts.
export function paint(view, result, openDoor) {
  for (const [id, node] of view.nodes) {
    const stats = statsFor(result, id);
    node.stats = stats;
    const rows = elementRows(result.report, node.layout, { step: stats.funnel_step ?? null, goal: result.goal || "" }).filter(
      (row) => row[0] in stats,
    );
    node.figs.replaceChildren();
    node.chip.replaceChildren();
    node.group.classList.toggle("quiet", rows.length === 0);
    const door = (name, value) => openDoor({ element: id, figure: name }, `${format(name, value)} ${label(name)}`, node.layout.name);
    const texts = rows.map((row, i) => {
      const main = figureText(row[0], stats[row[0]], "main", door, node.layout.name);
      main.setAttribute("y", i * ROW + 12);
      node.figs.append(main);
      let second = null;
      if (row[1] && row[1] in stats) {
        second = figureText(row[1], stats[row[1]], "second", door, node.layout.name);
        second.setAttribute("y", i * ROW + 12);
        second.setAttribute("text-anchor", "end");
        second.setAttribute("x", node.inner);
        node.figs.append(second);
      }
      return { main, second };
    });
    // values in one right-aligned column, their words after it
    const valueW = Math.max(0, ...texts.map(({ main }) => main.querySelector(".fig-value").getComputedTextLength()));
    for (const { main } of texts) {
      const vw = main.querySelector(".fig-value").getComputedTextLength();
      main.setAttribute("x", valueW - vw);
    }
    const worst = result.report === "bottlenecks" ? stats.bottleneck_rank : null;
    node.group.classList.toggle("bottleneck", worst != null);
    if (worst != null) {
      const chip = el("text", { class: "fig step worst", "text-anchor": "end", "data-figure": "bottleneck_rank", "data-value": String(worst) });
      chip.append(el("tspan", { class: "fig-label" }, "WORST "), el("tspan", { class: "fig-value" }, `#${worst}`));
      node.chip.append(chip);
    }
    if (stats.funnel_step != null && result.report === "funnel-conversion") {
      const chip = el("text", { class: "fig step", "text-anchor": "end", "data-figure": "funnel_step", "data-value": String(stats.funnel_step) });
      chip.append(el("tspan", { class: "fig-label" }, "STEP "), el("tspan", { class: "fig-value" }, String(stats.funnel_step)));
      node.chip.append(chip);
    }
  }
  const byConnector = new Map(result.connectors.map((c) => [c.id, c]));
  const most = Math.max(1, ...result.connectors.map((c) => c.contacts || 0));
  for (const [id, edge] of view.edges) {
    const stats = byConnector.get(id) || { id, contacts: 0 };
    edge.stats = stats;
    const contacts = stats.contacts || 0;
    shapeEdge(edge, 1.5 + 9 * Math.sqrt(contacts / most));
    edge.path.classList.toggle("empty", contacts === 0);
    edge.path.classList.toggle("bottleneck", result.report === "bottlenecks" && stats.drop_off_rank != null);
    edge.group.classList.toggle("bottleneck", result.report === "bottlenecks" && stats.drop_off_rank != null);
    edge.figs.replaceChildren();
    connectorFigures(result.report)
      .filter((name) => name in stats)
      .forEach((name, i) => {
        if (i > 0) edge.figs.append(" · ");
        edge.figs.append(el("tspan", { class: "fig", "data-figure": name, "data-value": JSON.stringify(stats[name] ?? null) }, format(name, stats[name])));
      });
    const door = isDoor("contacts", contacts);
    edge.group.classList.toggle("door", door);
    if (door) {
      edge.group.setAttribute("tabindex", "0");
      edge.group.setAttribute("role", "button");
      edge.group.setAttribute("aria-label", `${format("contacts", contacts)} contacts moved along ${connectorName(view, edge.layout)}: list them`);
      edge.group.onclick = () => openDoor({ connector: id, figure: "contacts" }, `${format("contacts", contacts)} contacts`, connectorName(view, edge.layout));
      edge.group.onkeydown = (ev) => {
        if (ev.key === "Enter" || ev.key === " ") {
          ev.preventDefault();
          edge.group.onclick();
        }
      };
    } else {
      edge.group.removeAttribute("tabindex");
      edge.group.removeAttribute("role");
      edge.group.onclick = null;
      edge.group.onkeydown = null;
    }
  }
}

export function connectorName(view, edge) {
  const from = view.nodes.get(edge.from_);
  const to = view.nodes.get(edge.to);
  return `${from ? from.layout.name : edge.from_} → ${to ? to.layout.name : edge.to}`;
}

// Boxes and routes in map units, for tests and tools: elements, connector routes and labels,
// and the box of every text drawn inside each element.
export function geometry(view) {
  const box = (b) => [b.x, b.y, b.w, b.h];
  const inMap = (node) => {
    const m = node.getCTM();
    const c = view.content.getCTM().inverse().multiply(m);
    const b = node.getBBox();
    const pts = [[b.x, b.y], [b.x + b.width, b.y + b.height]].map(([x, y]) => [c.a * x + c.c * y + c.e, c.b * x + c.d * y + c.f]);
    return [pts[0][0], pts[0][1], pts[1][0] - pts[0][0], pts[1][1] - pts[0][1]];
  };
  return {
    width: view.width,
    height: view.height,
    nodes: Object.fromEntries([...view.nodes].map(([id, n]) => [id, box(n.box)])),
    texts: Object.fromEntries([...view.nodes].map(([id, n]) => [id, [...n.group.querySelectorAll("text")].filter((t) => t.textContent).map(inMap)])),
    edges: Object.fromEntries([...view.edges].map(([id, e]) => [id, e.points])),
    labels: Object.fromEntries([...view.edges].map(([id, e]) => [id, box(e.labelBox)])),
    labelTexts: Object.fromEntries([...view.edges].map(([id, e]) => [id, inMap(e.text)])),
  };
}
