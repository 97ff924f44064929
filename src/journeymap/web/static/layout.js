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
// `engine`: "auto" (ELK places everything), "stored" (every element where the map file puts
// it), "partial" (the elements the map file places stay exactly there; ELK's layout places the
// others around them).
export async function placeMap(layout, sizes, labelSizes) {
  if (layout.engine === "stored") return stored(layout, sizes, labelSizes);
  if (layout.engine === "partial") return stored(await placeAround(layout, sizes, labelSizes), sizes, labelSizes);
  return auto(layout, sizes, labelSizes);
}

async function auto(layout, sizes, labelSizes) {
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

// Centres for every element: the ones the layout places (x, y) stay there exactly. ELK cannot
// keep some nodes where they are while it places the rest (its layered algorithm treats given
// positions as hints at most), so: lay the whole map out, move each element the file does not
// place by the offset between ELK's position and the file's for its nearest placed neighbour,
// and from there to the nearest spot where it keeps clear of every element placed so far.
export async function placeAround(layout, sizes, labelSizes) {
  const fixed = new Map(layout.nodes.filter((n) => n.x !== null && n.x !== undefined).map((n) => [n.id, [n.x, n.y]]));
  const free = await auto({ ...layout, engine: "auto" }, sizes, labelSizes);
  const at = new Map(fixed);
  const occupied = [...fixed].map(([id, c]) => boxAt(c, sizes.get(id)));
  const open = layout.nodes.filter((n) => !fixed.has(n.id)).map((n) => n.id);
  open.sort((a, b) => free.nodes.get(a).y - free.nodes.get(b).y || free.nodes.get(a).x - free.nodes.get(b).x);
  const away = fixed.size ? farOffset(fixed, sizes) : [0, 0];
  for (const id of open) {
    const anchor = nearestPlaced(id, layout.edges, fixed);
    const [ox, oy] = anchor ? minus(fixed.get(anchor), centre(free.nodes.get(anchor))) : away;
    const [cx, cy] = centre(free.nodes.get(id));
    const spot = freeSpot([cx + ox, cy + oy], sizes.get(id), occupied);
    at.set(id, spot);
    occupied.push(boxAt(spot, sizes.get(id)));
  }
  return { ...layout, nodes: layout.nodes.map((n) => ({ ...n, x: at.get(n.id)[0], y: at.get(n.id)[1] })) };
}

const GAP = 36; // as far apart as ELK keeps two elements
const STEP = 20; // the builder's grid

function boxAt([x, y], { w, h }) {
  return { x: x - w / 2, y: y - h / 2, w, h };
}

function minus([ax, ay], [bx, by]) {
  return [ax - bx, ay - by];
}

// The placed element nearest to `id` along connectors (either way), first in map order on a tie.
function nearestPlaced(id, edges, fixed) {
  const next = new Map();
  for (const e of edges) {
    next.set(e.from_, [...(next.get(e.from_) || []), e.to]);
    next.set(e.to, [...(next.get(e.to) || []), e.from_]);
  }
  const seen = new Set([id]);
  let ring = [id];
  while (ring.length) {
    const found = ring.flatMap((n) => next.get(n) || []).filter((n) => !seen.has(n));
    const hit = [...fixed.keys()].find((n) => found.includes(n));
    if (hit) return hit;
    for (const n of found) seen.add(n);
    ring = [...new Set(found)];
  }
  return null;
}

// For elements joined to no placed one: ELK's drawing of them, right of everything placed.
function farOffset(fixed, sizes) {
  const boxes = [...fixed].map(([id, c]) => boxAt(c, sizes.get(id)));
  const right = Math.max(...boxes.map((b) => b.x + b.w));
  const top = Math.min(...boxes.map((b) => b.y));
  return [right + GAP - MARGIN, top - MARGIN];
}

// The point nearest `want` (on the grid around it) where a box of `size` keeps GAP from every
// occupied box and stays right of and below the margin.
function freeSpot(want, size, occupied) {
  const fits = ([x, y]) => {
    const b = boxAt([x, y], size);
    if (b.x < MARGIN || b.y < MARGIN) return false;
    return occupied.every((o) => b.x >= o.x + o.w + GAP || o.x >= b.x + b.w + GAP || b.y >= o.y + o.h + GAP || o.y >= b.y + b.h + GAP);
  };
  const start = [Math.max(want[0], MARGIN + size.w / 2), Math.max(want[1], MARGIN + size.h / 2)];
  for (let r = 0; r < 100; r += 1) {
    const ring = [];
    for (let i = -r; i <= r; i += 1) {
      for (let j = -r; j <= r; j += 1) {
        if (Math.max(Math.abs(i), Math.abs(j)) === r) ring.push([i, j]);
      }
    }
    // nearest first; on a tie below before above, right before left
    ring.sort((a, b) => Math.hypot(...a) - Math.hypot(...b) || b[1] - a[1] || b[0] - a[0]);
    for (const [i, j] of ring) {
      const spot = [start[0] + i * STEP, start[1] + j * STEP];
      if (fits(spot)) return spot;
    }
  }
  const bottom = Math.max(...occupied.map((o) => o.y + o.h));
  return [start[0], bottom + GAP + size.h / 2];
}

// Positions from the map file (element centres); connectors run straight between box rims. The
// map keeps the file's coordinates (as the builder draws them), moved only to bring an element
// that reaches past the top or left edge back into the drawing.
function stored(layout, sizes, labelSizes) {
  const nodes = new Map();
  for (const n of layout.nodes) {
    const { w, h } = sizes.get(n.id);
    nodes.set(n.id, { x: n.x - w / 2, y: n.y - h / 2, w, h });
  }
  const minX = Math.min(0, Math.min(...[...nodes.values()].map((b) => b.x)) - MARGIN);
  const minY = Math.min(0, Math.min(...[...nodes.values()].map((b) => b.y)) - MARGIN);
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
