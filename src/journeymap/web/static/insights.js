// Beside the map: the split tests' branches and verdicts, and the time-to-goal curves of the
// elements the reader picks (Kaplan-Meier, several overlaid).

import { getJson, urls } from "./api.js";
import { format, formatRate, label } from "./figures.js";
import { h } from "./panels.js";

const SVG = "http://www.w3.org/2000/svg";
const COLORS = ["#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f"];
const picked = new Map(); // map id -> element ids whose curves are drawn

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  node.append(...children);
  return node;
}

function names(layout) {
  return new Map(layout.nodes.map((n) => [n.id, n.name]));
}

// --- split tests ------------------------------------------------------------------------------

function splitSection(result, split, called, openDoor) {
  const branches = result.connectors.filter((c) => c.from === split.id && c.branch_contacts != null);
  const door = (c, figure) =>
    c[figure] > 0
      ? h("button", { type: "button", class: "link-button", "data-door": figure, onclick: () => openDoor({ connector: c.id, figure }, `${format(figure, c[figure])} ${figure === "branch_contacts" ? "sent" : "converted"}`, called.get(c.to) || c.to) }, format(figure, c[figure]))
      : format(figure, c[figure]);
  const p = (v) => (v == null ? "–" : v < 0.001 ? "< 0.001" : v.toFixed(3));
  return h(
    "div",
    { class: "split-test", "data-split": split.id },
    h("h3", {}, called.get(split.id) || split.id),
    h("p", { class: `verdict verdict-${split.split_verdict}`, "data-verdict": split.split_verdict }, split.split_verdict_text),
    h(
      "table",
      { class: "branches" },
      h("thead", {}, h("tr", {}, ["branch", "sent", "converted", "rate (95%)", "lift", "p", "chance best"].map((t) => h("th", { scope: "col" }, t)))),
      h(
        "tbody",
        {},
        branches.map((c) =>
          h(
            "tr",
            { "data-connector": c.id, class: c.id === split.split_winner ? "winner" : c.id === split.split_control ? "control" : "" },
            h("td", {}, `${called.get(c.to) || c.to}${c.id === split.split_control ? " (control)" : ""}`),
            h("td", { class: "num" }, door(c, "branch_contacts")),
            h("td", { class: "num" }, door(c, "branch_achievers")),
            h("td", { class: "num" }, c.branch_rate == null ? "–" : `${formatRate(c.branch_rate)} (${formatRate(c.branch_rate_low)}–${formatRate(c.branch_rate_high)})`),
            h("td", { class: "num" }, c.branch_lift == null ? "–" : `${c.branch_lift >= 0 ? "+" : ""}${(c.branch_lift * 100).toFixed(1)} pts`),
            h("td", { class: "num" }, p(c.branch_p_value)),
            h("td", { class: "num" }, c.branch_prob_best == null ? "–" : formatRate(c.branch_prob_best)),
          ),
        ),
      ),
    ),
  );
}

function renderSplits(panel, layout, result, openDoor) {
  const called = names(layout);
  const splits = result.elements.filter((e) => e.split_contacts != null);
  panel.replaceChildren(
    h("h2", {}, "Split tests"),
    h("p", { class: "muted small" }, "Each branch against the control: contacts sent, those who then achieved the goal, the rate with its 95% interval, the lift, the p-value of a two-sided test, and the chance it is the best branch."),
    ...splits.map((s) => splitSection(result, s, called, openDoor)),
  );
}

// --- time to goal -----------------------------------------------------------------------------

const W = 300;
const H = 170;
const PAD = { left: 34, right: 8, top: 8, bottom: 26 };

function days(seconds) {
  return seconds / 86400;
}

function chart(curves, ids, called) {
  const longest = Math.max(1, ...ids.flatMap((id) => (curves[id] || []).map(([t]) => days(t))));
  const x = (t) => PAD.left + (days(t) / longest) * (W - PAD.left - PAD.right);
  const y = (share) => PAD.top + (1 - share) * (H - PAD.top - PAD.bottom);
  const grid = [0, 0.25, 0.5, 0.75, 1].map((v) =>
    svg("g", {}, svg("line", { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), class: "grid" }), svg("text", { x: PAD.left - 4, y: y(v) + 3, "text-anchor": "end", class: "axis" }, `${v * 100}%`)),
  );
  const ticks = [0, 0.5, 1].map((f) => svg("text", { x: PAD.left + f * (W - PAD.left - PAD.right), y: H - 8, "text-anchor": "middle", class: "axis" }, `${(f * longest).toFixed(longest < 10 ? 1 : 0)} d`));
  const lines = ids.map((id, i) => {
    const pts = curves[id] || [];
    let d = "";
    pts.forEach(([t, share], j) => {
      d += j === 0 ? `M${x(t)},${y(share)}` : `H${x(t)}V${y(share)}`;
    });
    return svg("path", { d, class: "km", stroke: COLORS[i % COLORS.length], "data-element": id }, svg("title", {}, called.get(id) || id));
  });
  return svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "km-chart", role: "img", "aria-label": "Share converted by days since first arrival" }, ...grid, ...ticks, ...lines);
}

function renderCurves(panel, layout, result) {
  const called = names(layout);
  const curves = result.curves || {};
  const followed = result.elements.filter((e) => (e.time_to_goal_n || 0) > 0 && e.id !== result.goal);
  let ids = picked.get(result.map_id);
  if (!ids) {
    ids = followed.slice(0, 3).map((e) => e.id);
    picked.set(result.map_id, ids);
  }
  ids = ids.filter((id) => followed.some((e) => e.id === id));
  const toggles = followed.map((e) => {
    const on = ids.includes(e.id);
    const i = ids.indexOf(e.id);
    const box = h("input", { type: "checkbox", checked: on, "data-element": e.id });
    box.addEventListener("change", () => {
      const now = picked.get(result.map_id).filter((x) => x !== e.id);
      if (box.checked) now.push(e.id);
      picked.set(result.map_id, now);
      renderCurves(panel, layout, result);
    });
    return h("label", { class: "km-pick" }, box, h("span", { class: "swatch", style: on ? `background:${COLORS[i % COLORS.length]}` : "" }), `${called.get(e.id) || e.id} (median ${format("time_to_goal_median_s", e.time_to_goal_median_s)})`);
  });
  panel.replaceChildren(
    h("h2", {}, "Time to goal"),
    h("p", { class: "muted small" }, "Share of each element's contacts estimated to have achieved the goal by each day after their first arrival there, counting those still on the way (Kaplan-Meier). Pick the elements to compare."),
    chart(curves, ids, called),
    h("div", { class: "km-picks" }, toggles),
  );
}

const RENDER = { "split-test": renderSplits, "time-to-goal": renderCurves };

export function insightPanel(panel, layout, result, openDoor) {
  const render = RENDER[result.report];
  panel.hidden = !render;
  if (render) render(panel, layout, result, openDoor);
}

// --- a figure's trend on an element's card --------------------------------------------------------

const trends = new Map(); // trend URL -> its rows (fetched once per set of parameters)

export function forgetTrends() {
  trends.clear();
}

function bars(rows) {
  const values = rows.map((r) => (typeof r.value === "number" ? r.value : null));
  const top = Math.max(0, ...values.filter((v) => v !== null));
  const w = 200;
  const gap = 2;
  const bw = Math.max(1, (w - gap * (rows.length - 1)) / Math.max(rows.length, 1));
  const rects = rows.map((r, i) => {
    const v = values[i];
    const bh = v === null || top === 0 ? 0 : Math.max(1, (v / top) * 44);
    return svg("rect", { x: i * (bw + gap), y: 46 - bh, width: bw, height: bh, "data-period": r.period, "data-value": JSON.stringify(r.value) }, svg("title", {}, `${r.period}: ${format(r.figure, r.value)} (${format("contacts", r.cohort_size)} contacts)`));
  });
  return svg("svg", { viewBox: `0 0 ${w} 48`, preserveAspectRatio: "none", role: "img" }, ...rects);
}

// Below the card's figures: the element's main figure by week of first entry, as small bars.
export async function cardTrend(card, state, elementId, figure) {
  const url = urls.trend(state, { element: elementId }, figure);
  const box = h("div", { class: "trend", "data-figure": figure, "data-url": url }, h("p", { class: "trend-title" }, `${label(figure)} by week of first entry`));
  card.append(box);
  try {
    if (!trends.has(url)) trends.set(url, getJson(url));
    const body = await trends.get(url);
    if (!box.isConnected) return;
    const rows = body.rows.map((r) => ({ ...r, figure }));
    if (!rows.length) {
      box.append(h("p", { class: "muted small" }, "No contacts yet."));
      return;
    }
    box.append(bars(rows), h("p", { class: "trend-title" }, `${rows[0].period} – ${rows[rows.length - 1].period}`));
    box.dataset.periods = String(rows.length);
  } catch (err) {
    trends.delete(url);
    if (box.isConnected) box.append(h("p", { class: "muted small" }, err.message));
  }
}
