// Where elements, connectors and their labels go: ELK's layered layout, or the map file's positions.
//
// Input: elements with their drawn size, connectors with the size of their label. Output, in map
// units: each element's box, each connector's route (a list of points, start to arrow tip) and
// its label's box. ELK (the Eclipse Layout Kernel, npm package elkjs) places connector labels as
// nodes of their own between layers, so no label sits on an element or another label, and routes
// connectors orthogonally around elements.

const MARGIN = 24;

export const LAYOUT_OPTIONS = {
  "elk.algorithm": "layered",
  "elk.direction": "DOWN",
  "elk.edgeRouting": "ORTHOGONAL",
  "elk.spacing.nodeNode": "36",
  "elk.layered.spacing.nodeNodeBetweenLayers": "34",
  "elk.spacing.edgeNode": "18",
  "elk.layered.spacing.edgeNodeBetweenLayers": "14",
  "elk.spacing.edgeEdge": "12",
  "elk.layered.spacing.edgeEdgeBetweenLayers": "10",
  "elk.spacing.edgeLabel": "4",
  "elk.spacing.componentComponent": "60",
  "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
  "elk.layered.nodePlacement.bk.fixedAlignment": "BALANCED",
  "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
  "elk.layered.crossingMinimization.semiInteractive": "false",
  "elk.layered.edgeLabels.sideSelection": "ALWAYS_DOWN",
  "elk.layered.cycleBreaking.strategy": "MODEL_ORDER",
};

export function missingLibrary() {
  if (typeof window.ELK === "function") return null;
  return window.JOURNEYMAP_MISSING || "elkjs";
}

// sizes: id -> {w, h}; labelSizes: connector id -> {w, h}. Resolves to {width, height, nodes, edges}.
export async function placeMap(layout, sizes, labelSizes) {
  if (layout.engine === "stored") return stored(layout, sizes, labelSizes);
  const graph = {
    id: "map",
    layoutOptions: LAYOUT_OPTIONS,
    children: layout.nodes.map((n) => ({ id: n.id, width: sizes.get(n.id).w, height: sizes.get(n.id).h })),
    edges: layout.edges.map((e) => ({
      id: e.id,
      sources: [e.from_],
      targets: [e.to],
      labels: [{ id: `${e.id}::label`, text: e.id, width: labelSizes.get(e.id).w, height: labelSizes.get(e.id).h, layoutOptions: { "elk.edgeLabels.placement": "CENTER" } }],
    })),
  };
  const elk = new window.ELK();
  const out = await elk.layout(graph);
  const nodes = new Map();
  for (const c of out.children) nodes.set(c.id, { x: c.x + MARGIN, y: c.y + MARGIN, w: c.width, h: c.height });
  const edges = new Map();
  for (const e of out.edges) {
    const points = [];
    for (const s of e.sections || []) {
      const seq = [s.startPoint, ...(s.bendPoints || []), s.endPoint];
      for (const p of seq) {
        const last = points[points.length - 1];
        if (!last || last[0] !== p.x + MARGIN || last[1] !== p.y + MARGIN) points.push([p.x + MARGIN, p.y + MARGIN]);
      }
    }
    const l = (e.labels || [])[0];
    const label = l ? { x: l.x + MARGIN, y: l.y + MARGIN, w: l.width, h: l.height } : midLabel(points, labelSizes.get(e.id));
    edges.set(e.id, { points, label });
  }
  return { width: out.width + 2 * MARGIN, height: out.height + 2 * MARGIN, nodes, edges };
}

// Positions from the map file (element centres); connectors run straight between box rims.
function stored(layout, sizes, labelSizes) {
  const nodes = new Map();
  for (const n of layout.nodes) {
    const { w, h } = sizes.get(n.id);
    nodes.set(n.id, { x: n.x - w / 2, y: n.y - h / 2, w, h });
  }
  const minX = Math.min(...[...nodes.values()].map((b) => b.x)) - MARGIN;
  const minY = Math.min(...[...nodes.values()].map((b) => b.y)) - MARGIN;
  for (const b of nodes.values()) {
    b.x -= minX;
    b.y -= minY;
  }
  const edges = new Map();
  for (const e of layout.edges) {
    const a = nodes.get(e.from_);
    const b = nodes.get(e.to);
    const points = [rim(a, centre(b)), rim(b, centre(a))];
    edges.set(e.id, { points, label: midLabel(points, labelSizes.get(e.id)) });
  }
  const all = [...nodes.values(), ...[...edges.values()].map((e) => e.label)];
  return {
    width: Math.max(...all.map((b) => b.x + b.w)) + MARGIN,
    height: Math.max(...all.map((b) => b.y + b.h)) + MARGIN,
    nodes,
    edges,
  };
}

export function centre(b) {
  return [b.x + b.w / 2, b.y + b.h / 2];
}

// Where the line from a box's centre towards a point leaves the box.
export function rim(b, [tx, ty]) {
  const [x, y] = centre(b);
  const dx = tx - x;
  const dy = ty - y;
  if (!dx && !dy) return [x, y];
  const scale = Math.min(dx ? b.w / 2 / Math.abs(dx) : Infinity, dy ? b.h / 2 / Math.abs(dy) : Infinity);
  return [x + dx * scale, y + dy * scale];
}

function midLabel(points, size) {
  const a = points[0];
  const b = points[points.length - 1];
  return { x: (a[0] + b[0]) / 2 - size.w / 2, y: (a[1] + b[1]) / 2 - size.h / 2, w: size.w, h: size.h };
}

// An SVG path through the route's points with rounded corners.
export function routePath(points, radius = 8) {
  if (points.length < 2) return "";
  const d = [`M${points[0][0].toFixed(1)},${points[0][1].toFixed(1)}`];
  for (let i = 1; i < points.length - 1; i += 1) {
    const [px, py] = points[i - 1];
    const [x, y] = points[i];
    const [nx, ny] = points[i + 1];
    const r = Math.min(radius, Math.hypot(x - px, y - py) / 2, Math.hypot(nx - x, ny - y) / 2);
    const inX = x - (Math.sign(x - px) * r || 0);
    const inY = y - (Math.sign(y - py) * r || 0);
    const outX = x + (Math.sign(nx - x) * r || 0);
    const outY = y + (Math.sign(ny - y) * r || 0);
    d.push(`L${inX.toFixed(1)},${inY.toFixed(1)}`, `Q${x.toFixed(1)},${y.toFixed(1)} ${outX.toFixed(1)},${outY.toFixed(1)}`);
  }
  const [ex, ey] = points[points.length - 1];
  d.push(`L${ex.toFixed(1)},${ey.toFixed(1)}`);
  return d.join(" ");
}
