// The map as SVG: element shapes by kind, connectors from the server's layout, figures on both.

import { connectorFigures, elementFigures, format, isDoor, label } from "./figures.js";

const NS = "http://www.w3.org/2000/svg";
const PAD_X = 14;
const NAME_CHARS = { default: 25, condition: 21, goto: 22, split: 23, fork: 23 };

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

function shape(kind, w, h) {
  const x = -w / 2;
  const y = -h / 2;
  const points = (pts) => el("polygon", { class: "shape", points: pts.map((p) => p.join(",")).join(" ") });
  switch (kind) {
    case "trigger":
    case "end":
      return el("rect", { class: "shape", x, y, width: w, height: h, rx: h / 2 });
    case "goal": {
      const c = 16;
      return points([[x + c, y], [-x - c, y], [-x, y + c], [-x, -y - c], [-x - c, -y], [x + c, -y], [x, -y - c], [x, y + c]]);
    }
    case "condition": {
      const c = 20;
      return points([[x, 0], [x + c, y], [-x - c, y], [-x, 0], [-x - c, -y], [x + c, -y]]);
    }
    case "split":
    case "fork": {
      const s = 12;
      return kind === "split"
        ? points([[x + s, y], [-x, y], [-x - s, -y], [x, -y]])
        : points([[x, y], [-x - s, y], [-x, -y], [x + s, -y]]);
    }
    case "goto":
      return points([[x, y], [-x - 20, y], [-x, 0], [-x - 20, -y], [x, -y]]);
    default:
      return el("rect", { class: "shape", x, y, width: w, height: h, rx: 10 });
  }
}

function wrapName(name, chars) {
  const NAME_CHARS = chars;
  const words = name.split(/\s+/);
  const lines = [""];
  for (const word of words) {
    const line = lines[lines.length - 1];
    if (line && (line + " " + word).length > NAME_CHARS) lines.push(word);
    else lines[lines.length - 1] = line ? `${line} ${word}` : word;
  }
  if (lines.length > 2) {
    lines.length = 2;
    lines[1] = lines[1].slice(0, NAME_CHARS - 1) + "…";
  }
  return lines.map((l) => (l.length > NAME_CHARS ? l.slice(0, NAME_CHARS - 1) + "…" : l));
}

// Draw the map once per layout; figures are painted on it by `paint`.
export function drawMap(container, layout) {
  const svg = el("svg", {
    class: "map",
    viewBox: `0 0 ${layout.width} ${layout.height}`,
    width: layout.width,
    height: layout.height,
    role: "group",
    "aria-label": `Map ${layout.name}`,
  });
  svg.append(
    el(
      "defs",
      {},
      el(
        "marker",
        // sized in user units, so arrowheads keep one size whatever the connector's width
        { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 10, markerHeight: 10, orient: "auto", markerUnits: "userSpaceOnUse" },
        el("path", { d: "M0,0 L10,5 L0,10 z", class: "arrowhead" }),
      ),
    ),
  );
  const edges = el("g", { class: "edges" });
  const labels = el("g", { class: "edge-labels" });
  const nodes = el("g", { class: "nodes" });
  svg.append(edges, nodes, labels);
  const view = { svg, layout, nodes: new Map(), edges: new Map() };

  for (const e of layout.edges) {
    const path = el("path", { class: "edge", d: e.path, "marker-end": "url(#arrow)", "data-connector": e.id });
    edges.append(path);
    const group = el("g", {
      class: "edge-label",
      transform: `translate(${e.label_x},${e.label_y})`,
      "data-connector": e.id,
    });
    const text = el("text", { class: "edge-text", "text-anchor": "middle", dy: "0.35em" });
    if (e.label) text.append(el("tspan", { class: "edge-tag" }, `${e.label}  `));
    const figs = el("tspan", { class: "edge-figs" });
    text.append(figs);
    group.append(text);
    labels.append(group);
    view.edges.set(e.id, { layout: e, path, group, figs });
  }

  for (const n of layout.nodes) {
    const group = el("g", {
      class: `node kind-${n.kind}`,
      transform: `translate(${n.x},${n.y})`,
      tabindex: 0,
      "data-element": n.id,
      "aria-label": `${kindWord(n)}: ${n.name}`,
    });
    group.append(shape(n.kind, n.w, n.h));
    if (n.kind === "end") group.append(el("rect", { class: "shape-inner", x: -n.w / 2 + 4, y: -n.h / 2 + 4, width: n.w - 8, height: n.h - 8, rx: n.h / 2 - 4 }));
    if (n.kind === "wait") group.append(el("circle", { class: "clock", cx: n.w / 2 - 18, cy: -n.h / 2 + 14, r: 6 }));
    const left = -n.w / 2 + PAD_X + (n.kind === "condition" ? 10 : 0);
    group.append(el("text", { class: "kind-word", x: left, y: -n.h / 2 + 16 }, kindWord(n).toUpperCase()));
    const name = el("text", { class: "name", x: left, y: -n.h / 2 + 33 });
    wrapName(n.name, NAME_CHARS[n.kind] || NAME_CHARS.default).forEach((line, i) => name.append(el("tspan", { x: left, dy: i ? "1.2em" : 0 }, line)));
    group.append(name, el("title", {}, `${n.name} (${n.id})`));
    const figs = el("g", { class: "figs", transform: `translate(${left},${n.h / 2 - 11})` });
    group.append(figs);
    nodes.append(group);
    view.nodes.set(n.id, { layout: n, group, figs, left });
  }
  container.replaceChildren(svg);
  return view;
}

function figureText(name, value, door, onDoor, attrs = {}) {
  const text = el("text", { class: door ? "fig door" : "fig", "data-figure": name, "data-value": JSON.stringify(value), ...attrs });
  text.append(el("tspan", { class: "fig-value" }, format(name, value)), el("tspan", { class: "fig-label" }, ` ${label(name)}`));
  if (door) {
    text.setAttribute("tabindex", "0");
    text.setAttribute("role", "button");
    text.setAttribute("aria-label", `${format(name, value)} ${label(name)}: list these contacts`);
    text.addEventListener("click", (ev) => {
      ev.stopPropagation();
      onDoor();
    });
    text.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" || ev.key === " ") {
        ev.preventDefault();
        ev.stopPropagation();
        onDoor();
      }
    });
  }
  return text;
}

// Write the report's figures on every element and connector; widths follow connector contacts.
export function paint(view, result, openDoor) {
  const byElement = new Map(result.elements.map((e) => [e.id, e]));
  const byConnector = new Map(result.connectors.map((c) => [c.id, c]));
  for (const [id, node] of view.nodes) {
    const stats = byElement.get(id) || { id };
    const names = elementFigures(result.report, stats);
    node.figs.replaceChildren();
    node.group.classList.toggle("quiet", names.length === 0);
    let x = 0;
    const room = node.layout.w - 2 * PAD_X - (node.layout.kind === "condition" ? 20 : 0);
    for (const name of names) {
      const value = stats[name];
      const door = isDoor(name, value);
      const text = figureText(name, value, door, () => openDoor({ element: id, figure: name }, `${format(name, value)} ${label(name)}`, node.layout.name), { x });
      node.figs.append(text);
      const width = text.getComputedTextLength();
      if (x > 0 && x + width > room) {
        text.remove(); // what does not fit on the element is in its hover card
        break;
      }
      x += width + 12;
    }
  }
  const counts = result.connectors.map((c) => c.contacts || 0);
  const most = Math.max(1, ...counts);
  for (const [id, edge] of view.edges) {
    const stats = byConnector.get(id) || { id, contacts: 0 };
    const contacts = stats.contacts || 0;
    edge.path.setAttribute("stroke-width", (1.5 + 9 * Math.sqrt(contacts / most)).toFixed(2));
    edge.path.classList.toggle("empty", contacts === 0);
    edge.figs.replaceChildren();
    const names = connectorFigures(result.report, stats);
    names.forEach((name, i) => {
      const value = stats[name];
      const attrs = { class: "fig", "data-figure": name, "data-value": JSON.stringify(value) };
      if (i > 0) edge.figs.append(" · ");
      edge.figs.append(el("tspan", attrs, format(name, value)));
    });
    const door = isDoor("contacts", contacts);
    edge.group.classList.toggle("door", door);
    if (door) {
      edge.group.setAttribute("tabindex", "0");
      edge.group.setAttribute("role", "button");
      edge.group.setAttribute("aria-label", `${format("contacts", contacts)} contacts moved along ${id}: list them`);
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
