// Performance Mode: the list of maps, and a map with the figures of the chosen report, kept live.

import { ApiError, getJson, urls } from "./api.js";
import { Builder } from "./builder.js";
import { REPORTS, UTM_FIELDS, elementRows, format, setCurrency } from "./figures.js";
import { missingLibrary } from "./layout.js";
import { connectorName, drawMap, paint } from "./mapview.js";
import { navigate } from "./navigation.js";
import { h, hideCard, openDrawer, renderRoi, showCard, showEdgeCard } from "./panels.js";
import { funnelPanel } from "./funnel.js";
import { cardTrend, forgetTrends, insightPanel } from "./insights.js";
import { problemText } from "./words.js";

const POLL_MS = Number(new URLSearchParams(window.location.search).get("poll") || 5000);
const main = document.getElementById("main");
const card = document.getElementById("card");
const drawer = document.getElementById("drawer");
const crumbs = document.getElementById("crumbs");

let current = null; // the open map view: its state, drawing and timer
let settings = null;
let builder = null; // the open builder (edit mode, or a map read-only)
let shownHash = "";

// --- routing ----------------------------------------------------------------------------------

function parseHash() {
  const [path, query = ""] = window.location.hash.replace(/^#/, "").split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const q = new URLSearchParams(query);
  if (parts[0] === "maps" && parts[1] && parts[2] === "edit") {
    return { view: "build", mapId: parts[1], version: Number(q.get("version")) || null };
  }
  if (parts[0] === "new" && parts[1]) return { view: "build", mapId: parts[1], isNew: true, template: q.get("template") || "" };
  if (parts[0] === "maps" && parts[1]) {
    return {
      view: "map",
      state: {
        mapId: parts[1],
        report: q.get("report") || "contact-flow",
        goal: q.get("goal") || "",
        steps: (q.get("steps") || "").split(",").filter(Boolean),
        from: q.get("from") || "",
        to: q.get("to") || "",
        tz: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC",
        utm: Object.fromEntries(UTM_FIELDS.map((f) => [f, q.get(`utm_${f}`) || ""])),
        lastTouch: q.get("last_touch") === "1",
        roiField: q.get("roi") || "source",
        attribution: q.get("attribution") || "last",
        halfLife: Number(q.get("half_life_days")) || 7,
        graceDays: q.get("grace_days") !== null && Number(q.get("grace_days")) >= 0 ? Number(q.get("grace_days")) : 1,
        stallDays: Number(q.get("stall_days")) || 14,
      },
    };
  }
  return { view: "list" };
}

function hashOf(state) {
  const q = new URLSearchParams();
  q.set("report", state.report);
  if (state.goal) q.set("goal", state.goal);
  if (state.steps.length && state.report === "funnel-conversion") q.set("steps", state.steps.join(","));
  if (state.from) q.set("from", state.from);
  if (state.to) q.set("to", state.to);
  for (const f of UTM_FIELDS) if (state.utm[f]) q.set(`utm_${f}`, state.utm[f]);
  if (state.lastTouch) q.set("last_touch", "1");
  if (state.roiField !== "source") q.set("roi", state.roiField);
  if (state.attribution !== "last") q.set("attribution", state.attribution);
  if (state.halfLife !== 7) q.set("half_life_days", String(state.halfLife));
  if (state.graceDays !== 1) q.set("grace_days", String(state.graceDays));
  if (state.stallDays !== 14) q.set("stall_days", String(state.stallDays));
  return `#/maps/${encodeURIComponent(state.mapId)}?${q.toString()}`;
}

function go(state) {
  window.location.hash = hashOf(state);
}

function stopLive() {
  if (current && current.timer) clearInterval(current.timer);
  current = null;
}

async function route() {
  if (!settings) {
    settings = await getJson(urls.pageSettings()).catch(() => ({ currency: "USD", can_write: false }));
    setCurrency(settings.currency);
  }
  if (builder && builder.dirty() && window.location.hash !== shownHash) {
    if (!window.confirm("This map has changes that are not saved. Leave without them?")) {
      history.replaceState(null, "", shownHash);
      return;
    }
  }
  shownHash = window.location.hash;
  const target = parseHash();
  builder = null;
  if (target.view === "build") {
    stopLive();
    hideCard(card);
    drawer.hidden = true;
    await showBuilder(target);
    return;
  }
  if (target.view === "map" && current && current.state.mapId === target.state.mapId) {
    current.state = target.state;
    syncControls();
    if (current.view.report !== target.state.report) await redraw(current);
    await refresh({ full: true });
    return;
  }
  stopLive();
  hideCard(card);
  drawer.hidden = true;
  if (target.view === "map") await showMap(target.state);
  else await showList();
}

// --- the list of maps -------------------------------------------------------------------------

async function showList() {
  document.title = "Maps · journeymap";
  crumbs.replaceChildren(h("span", {}, "Maps"));
  main.replaceChildren(h("p", { class: "muted pad" }, "Loading maps…"));
  let maps;
  try {
    maps = await getJson(urls.maps());
  } catch (err) {
    main.replaceChildren(h("p", { class: "error pad", role: "alert" }, err.message));
    return;
  }
  const drafts = await getJson(urls.drafts()).catch(() => []);
  const create = settings.can_write ? await newMapForm(maps, drafts) : null;
  const draftOf = new Map(drafts.map((d) => [d.map_id, d]));
  const unpublished = drafts.filter((d) => d.live === null);
  const draftList = unpublished.length ? h(
    "section",
    { class: "drafts" },
    h("h2", {}, "Drafts"),
    h("p", { class: "muted small" }, "Maps saved in the builder and never published: not live, so no contact enters them and no report counts them."),
    h(
      "ul",
      { class: "maps" },
      unpublished.map((d) =>
        h(
          "li",
          { class: "map-card draft" },
          h(
            "a",
            { href: `#/maps/${encodeURIComponent(d.map_id)}/edit`, "data-draft": d.map_id },
            h("span", { class: "map-name" }, d.name || d.map_id),
            h("span", { class: "map-meta" }, `${d.map_id} · draft saved ${new Date(d.saved_at).toLocaleString()} · ${d.problem_count ? `${d.problem_count} problem${d.problem_count === 1 ? "" : "s"}` : "no problems"}`),
          ),
        ),
      ),
    ),
  ) : null;
  if (!maps.length) {
    main.replaceChildren(
      h("section", { class: "empty-state" }, h("h1", {}, "No maps yet"), h("p", {}, settings.can_write ? "Build one below, or store a map with " : "Store a map with ", h("code", {}, "journeymap map add --template lifecycle"), " or POST one to /api/maps, then reload this page."), draftList, create),
    );
    return;
  }
  const details = await Promise.all(maps.map((m) => getJson(urls.map(m.map_id)).catch(() => null)));
  const cards = maps.map((m, i) => {
    const d = details[i] || { elements: [], connectors: [] };
    const goals = d.elements.filter((e) => e.kind === "goal").length;
    return h(
      "li",
      { class: "map-card" },
      h(
        "a",
        { href: `#/maps/${encodeURIComponent(m.map_id)}?report=contact-flow`, "data-map": m.map_id },
        h("span", { class: "map-name" }, m.name || m.map_id),
        h("span", { class: "map-meta" }, `${m.map_id} · version ${m.version} · ${d.elements.length} elements · ${goals} goals${m.archived ? " · archived" : ""}${draftOf.has(m.map_id) ? " · draft saved" : ""}`),
        d.description ? h("span", { class: "map-desc" }, d.description) : null,
      ),
    );
  });
  main.replaceChildren(h("section", { class: "list" }, h("h1", {}, "Maps"), h("ul", { class: "maps" }, cards), draftList, create));
}

// A new map: its id, and a prebuilt map or a blank canvas to start from.
async function newMapForm(maps, drafts) {
  const templates = await getJson(urls.templates()).catch(() => []);
  const id = h("input", { id: "new-map-id", required: true, pattern: "[A-Za-z0-9_.\\-]+", maxlength: 200, placeholder: "welcome-series", title: "Letters, digits, _ . and -" });
  const start = h("select", { id: "new-map-start" }, h("option", { value: "" }, "Blank map"), templates.map((t) => h("option", { value: t.template }, `Template: ${t.name || t.template}`)));
  const note = h("p", { class: "error small", role: "alert", hidden: true });
  const submit = (ev) => {
    ev.preventDefault();
    const value = id.value.trim();
    if (maps.some((m) => m.map_id === value) || drafts.some((d) => d.map_id === value)) {
      note.textContent = `A map “${value}” exists already (or its draft): open it and edit it, or pick another id.`;
      note.hidden = false;
      return;
    }
    window.location.hash = `#/new/${encodeURIComponent(value)}${start.value ? `?template=${encodeURIComponent(start.value)}` : ""}`;
  };
  return h(
    "form",
    { class: "new-map", onsubmit: submit },
    h("h2", {}, "New map"),
    h("div", { class: "row" }, h("label", { class: "field" }, h("span", {}, "Map id"), id), h("label", { class: "field" }, h("span", {}, "Start from"), start), h("button", { type: "submit", id: "new-map" }, "Build")),
    note,
  );
}

// --- the builder ---------------------------------------------------------------------------------

async function showBuilder(target) {
  document.title = `${target.mapId} · building · journeymap`;
  let live = !target.isNew;
  const trail = () => {
    const back = !live ? [] : [h("span", { class: "sep" }, "/"), h("a", { href: `#/maps/${encodeURIComponent(target.mapId)}?report=contact-flow`, id: "to-performance" }, "Performance Mode")];
    crumbs.replaceChildren(h("a", { href: "#/" }, "Maps"), h("span", { class: "sep" }, "/"), h("span", {}, target.mapId), ...back);
  };
  trail();
  main.replaceChildren(h("p", { class: "muted pad" }, "Loading the map…"));
  const mine = new Builder(main, {
    ...target,
    canWrite: settings.can_write,
    openVersion: (v) => {
      const latest = mine.live;
      window.location.hash = `#/maps/${encodeURIComponent(target.mapId)}/edit${v === latest ? "" : `?version=${v}`}`;
    },
    onDiscard: (b) => {
      // back to the live version, or to the list when the draft was all there was
      const next = b.live ? `#/maps/${encodeURIComponent(target.mapId)}/edit` : "#/";
      builder = null;
      if (window.location.hash === next) route();
      else window.location.hash = next;
    },
    onState: (b) => {
      if (target.isNew && (b.draft || b.live)) {
        // saved or published for the first time: from now on the map (or its draft) exists
        target.isNew = false;
        shownHash = `#/maps/${encodeURIComponent(target.mapId)}/edit`;
        history.replaceState(null, "", shownHash);
      }
      if (Boolean(b.live) !== live) {
        live = Boolean(b.live);
        trail();
      }
    },
  });
  builder = mine;
  try {
    await mine.open();
    mine.opts.onState(mine);
  } catch (err) {
    builder = null;
    main.replaceChildren(h("p", { class: "error pad", role: "alert" }, err.status === 404 ? `There is no map “${target.mapId}”.` : err.message));
  }
}

// --- a map in Performance Mode ------------------------------------------------------------------

function option(value, text, selected) {
  return h("option", { value, selected: value === selected }, text);
}

function toolbar(layout) {
  const goals = layout.nodes.filter((n) => n.kind === "goal");
  const field = (labelText, control, cls = "") => h("label", { class: `field ${cls}` }, h("span", {}, labelText), control);
  const report = h("select", { id: "report" }, REPORTS.map((r) => option(r.name, r.title, "")));
  const goal = h("select", { id: "goal" }, option("", "Any goal", ""), goals.map((g) => option(g.id, g.name, "")));
  const from = h("input", { id: "from", type: "date" });
  const to = h("input", { id: "to", type: "date" });
  const utm = UTM_FIELDS.map((f) => field(f, h("select", { id: `utm-${f}`, "data-utm": f }, option("", "all", ""))));
  const last = h("input", { id: "last-touch", type: "checkbox" });
  const attribution = h(
    "select",
    { id: "attribution", title: "How each achievement is credited to the elements before it" },
    option("last", "Last touch", ""),
    option("first", "First touch", ""),
    option("linear", "Linear", ""),
    option("time-decay", "Time decay", ""),
  );
  const grace = h("input", { id: "grace-days", type: "number", min: "0", step: "any", title: "A contact is stuck once it has sat this many days past the wait the map configures" });
  const stall = h("input", { id: "stall-days", type: "number", min: "0.01", step: "any", title: "A contact dropped off after a connector once it sat this many days without moving on" });
  const halfLife = h("input", { id: "half-life", type: "number", min: "0.01", step: "any", title: "Credit halves every this many days before the achievement" });
  const reset = h("button", { type: "button", id: "reset", class: "quiet-button" }, "Clear filters");
  const bar = h(
    "form",
    { class: "toolbar", onsubmit: (ev) => ev.preventDefault() },
    h("div", { class: "row" }, field("Report", report), field("Goal", goal, "goal-field"), field("Credit", attribution, "attribution-field"), field("Half-life (days)", halfLife, "half-life-field"), field("Stuck after (days)", grace, "grace-field"), field("Drop-off after (days)", stall, "stall-field"), field("First entry from", from), field("to", to)),
    h("div", { class: "row steps-row", id: "steps-row" }),
    h("div", { class: "row" }, h("span", { class: "row-title" }, "UTM"), utm, h("label", { class: "check", title: "Filter on the UTM values of each contact's latest visit instead of its first" }, last, h("span", {}, "Last touch")), reset),
  );
  const change = (fn) => () => {
    fn(current.state);
    go(current.state);
  };
  report.addEventListener("change", change((s) => (s.report = report.value)));
  goal.addEventListener("change", change((s) => (s.goal = goal.value)));
  from.addEventListener("change", change((s) => (s.from = from.value)));
  to.addEventListener("change", change((s) => (s.to = to.value)));
  last.addEventListener("change", change((s) => (s.lastTouch = last.checked)));
  attribution.addEventListener("change", change((s) => (s.attribution = attribution.value)));
  grace.addEventListener("change", change((s) => (s.graceDays = Number(grace.value) >= 0 && grace.value !== "" ? Number(grace.value) : 1)));
  stall.addEventListener("change", change((s) => (s.stallDays = Number(stall.value) > 0 ? Number(stall.value) : 14)));
  halfLife.addEventListener(
    "change",
    change((s) => (s.halfLife = Number(halfLife.value) > 0 ? Number(halfLife.value) : 7)),
  );
  for (const f of UTM_FIELDS) {
    const select = bar.querySelector(`[data-utm=${f}]`);
    select.addEventListener("change", change((s) => (s.utm[f] = select.value)));
  }
  reset.addEventListener(
    "click",
    change((s) => {
      s.from = s.to = "";
      s.lastTouch = false;
      for (const f of UTM_FIELDS) s.utm[f] = "";
    }),
  );
  return bar;
}

function reportInfo(name) {
  return REPORTS.find((r) => r.name === name) || REPORTS[0];
}

function syncControls() {
  const s = current.state;
  const q = (sel) => main.querySelector(sel);
  const info = reportInfo(s.report);
  const goals = current.layout.nodes.filter((n) => n.kind === "goal");
  if (info.goal === "required" && !s.goal && goals.length) s.goal = goals[0].id;
  q("#report").value = s.report;
  q("#goal").value = s.goal;
  q("#goal option[value='']").disabled = info.goal === "required";
  q(".goal-field").hidden = info.goal === "none";
  q("#from").value = s.from;
  q("#to").value = s.to;
  q("#last-touch").checked = s.lastTouch;
  q("#attribution").value = s.attribution;
  q("#half-life").value = String(s.halfLife);
  q(".attribution-field").hidden = s.report !== "goal-conversion-point";
  q("#grace-days").value = String(s.graceDays);
  q("#stall-days").value = String(s.stallDays);
  q(".grace-field").hidden = s.report !== "bottlenecks";
  q(".stall-field").hidden = s.report !== "bottlenecks";
  q(".half-life-field").hidden = s.report !== "goal-conversion-point" || s.attribution !== "time-decay";
  for (const f of UTM_FIELDS) q(`#utm-${f}`).value = s.utm[f];
  q("#steps-row").hidden = s.report !== "funnel-conversion";
  main.querySelectorAll(".roi-tabs button").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.field === s.roiField)));
}

// The UTM choices follow the dates and the other UTM fields, and refresh with the figures.
async function fillUtm() {
  const s = current.state;
  let values;
  try {
    values = await getJson(urls.utmValues(s));
  } catch {
    return; // the filter keeps its choices; the report call shows any real problem
  }
  for (const f of UTM_FIELDS) {
    const select = main.querySelector(`#utm-${f}`);
    if (!select) return;
    const found = values[f] || [];
    const chosen = s.utm[f];
    const known = found.some((v) => v.value === chosen);
    const signature = JSON.stringify([chosen, found]);
    if (select.dataset.signature === signature) continue;
    select.dataset.signature = signature;
    select.replaceChildren(
      option("", "all", chosen),
      ...found.map((v) => option(v.value, `${v.value} (${format("contacts", v.contacts)})`, chosen)),
      ...(chosen && !known ? [option(chosen, `${chosen} (0)`, chosen)] : []),
    );
    select.disabled = found.length === 0 && !chosen;
  }
  main.querySelector(".toolbar").dataset.utm = s.lastTouch ? "last" : "first";
}

function mapControls() {
  const b = (id, text, title) => h("button", { type: "button", id, class: "map-button", title, "aria-label": title }, text);
  const controls = {
    out: b("zoom-out", "−", "Zoom out (−)"),
    zoom: h("span", { class: "zoom-level", id: "zoom-level", "aria-live": "polite" }, "100%"),
    in: b("zoom-in", "+", "Zoom in (+)"),
    actual: b("zoom-actual", "100%", "Actual size (1)"),
    fit: b("zoom-fit", "Fit", "Fit the whole map (0)"),
  };
  const bar = h("div", { class: "map-controls", role: "toolbar", "aria-label": "Zoom" }, controls.out, controls.zoom, controls.in, controls.actual, controls.fit);
  return { bar, controls };
}

async function showMap(state) {
  main.replaceChildren(h("p", { class: "muted pad" }, "Loading the map…"));
  let layout;
  try {
    layout = await getJson(urls.layout(state.mapId));
  } catch (err) {
    crumbs.replaceChildren(h("a", { href: "#/" }, "Maps"));
    main.replaceChildren(h("p", { class: "error pad", role: "alert" }, err.status === 404 ? `There is no map “${state.mapId}”.` : err.message));
    return;
  }
  document.title = `${layout.name} · journeymap`;
  crumbs.replaceChildren(h("a", { href: "#/" }, "Maps"), h("span", { class: "sep" }, "/"), h("span", {}, layout.name));
  const missing = layout.engine !== "stored" ? missingLibrary() : null;
  if (missing) {
    main.replaceChildren(
      h("p", { class: "error pad", role: "alert", id: "missing-library" }, `The map cannot be laid out: its layout library (${missing}) is not installed on the server. Run `, h("code", {}, "make demo"), " (or ", h("code", {}, "npm ci --prefix src/journeymap/web"), ") in the journeymap checkout, then reload."),
    );
    return;
  }
  const { bar: zoomBar, controls } = mapControls();
  const canvas = h("div", { class: "canvas", id: "canvas", tabindex: 0, "aria-label": "Map: drag or use the arrow keys to move, + and − to zoom, 0 to fit" }, zoomBar);
  const drawing = h("div", { class: "drawing" });
  canvas.prepend(drawing);
  const status = h("div", { class: "status", id: "status", role: "status", "aria-live": "polite" });
  const alert = h("div", { class: "alert", id: "alert", role: "alert", hidden: true });
  const side = h(
    "aside",
    { class: "side" },
    h("section", { class: "funnel-panel", id: "funnel-panel", hidden: true }),
    h("section", { class: "insight-panel", id: "insight-panel", hidden: true }),
    h(
      "section",
      { class: "roi-panel", "aria-labelledby": "roi-title" },
      h("h2", { id: "roi-title" }, "Marketing ROI"),
      h("p", { class: "muted small" }, "Contacts brought by each UTM value (first touch), what they achieved and spent, against the cost entered for it."),
      h(
        "div",
        { class: "roi-tabs", role: "group", "aria-label": "ROI by UTM field" },
        ["source", "medium", "campaign"].map((f) =>
          h("button", { type: "button", "data-field": f, onclick: () => {
            current.state.roiField = f;
            go(current.state);
          } }, f),
        ),
      ),
      h("div", { class: "roi-body" }),
    ),
  );
  const links = h("div", { class: "downloads" }, h("a", { id: "json-link", href: "#" }, "JSON"), h("a", { id: "csv-link", href: "#", download: "" }, "CSV"));
  const editLink = h("a", { class: "button", id: "edit-map", href: `#/maps/${encodeURIComponent(state.mapId)}/edit` }, settings.can_write ? "Edit map" : "View map");
  const head = h("div", { class: "view-head" }, h("h1", {}, layout.name), h("span", { class: "muted", id: "live-version" }, `version ${layout.version}`), status, links, editLink);
  main.replaceChildren(h("section", { class: "mapview" }, head, toolbar(layout), alert, h("div", { class: "work" }, canvas, side)));
  current = { state, layout, view: null, drawing, result: null, timer: null, signature: "" };
  current.nav = navigate(canvas, controls);
  syncControls();
  await redraw(current);
  await Promise.all([fillUtm(), refresh({ full: true })]);
  current.timer = setInterval(() => {
    if (!document.hidden) refresh({ full: false });
  }, POLL_MS);
}

// Draw the map for the current report: elements are sized to that report's figures.
async function redraw(mine) {
  const keep = Boolean(mine.view);
  mine.view = await drawMap(mine.drawing, mine.layout, mine.state.report);
  mine.signature = "";
  mine.nav.attach(mine.view, { keep });
  wireCards();
}

function wireCards() {
  for (const [, node] of current.view.nodes) {
    const show = () => {
      if (!current.result) return;
      showCard(card, node.group, node.layout, node.stats);
      const s = current.result;
      const rows = elementRows(s.report, node.layout, { step: node.stats.funnel_step ?? null, goal: s.goal || "" });
      const main = rows.map((r) => r[0]).find((name) => typeof node.stats[name] === "number");
      if (main) cardTrend(card, { ...current.state, goal: s.goal || "" }, node.layout.id, main);
    };
    node.group.addEventListener("mouseenter", show);
    node.group.addEventListener("focus", show);
    node.group.addEventListener("mouseleave", () => hideCard(card));
    node.group.addEventListener("blur", () => hideCard(card));
  }
  for (const [, edge] of current.view.edges) {
    const names = () => connectorName(current.view, edge.layout).split(" → ");
    const show = (anchor) => () => {
      if (!current.result) return;
      const [from, to] = names();
      showEdgeCard(card, anchor, from, to, edge.layout, edge.stats);
    };
    for (const target of [edge.hit, edge.path, edge.group]) {
      target.addEventListener("mouseenter", show(edge.group));
      target.addEventListener("mouseleave", () => hideCard(card));
    }
    edge.group.addEventListener("focus", show(edge.group));
    edge.group.addEventListener("blur", () => hideCard(card));
  }
}

function openDoor(door, title, place) {
  hideCard(card);
  openDrawer(drawer, current.state, door, title, place);
}

function clearFigures(view) {
  for (const [, node] of view.nodes) {
    node.figs.replaceChildren();
    node.chip.replaceChildren();
    node.stats = null;
  }
  for (const [, edge] of view.edges) {
    edge.figs.replaceChildren();
    edge.stats = null;
  }
}

// Fetch the report (and the ROI table) and paint it; `full` after the parameters changed.
async function refresh({ full }) {
  const mine = current;
  const s = { ...mine.state, utm: { ...mine.state.utm } };
  if (reportInfo(s.report).goal === "none") s.goal = "";
  const alert = main.querySelector("#alert");
  const status = main.querySelector("#status");
  main.querySelector("#json-link").href = urls.report(s);
  main.querySelector("#csv-link").href = urls.report(s, "csv");
  if (full) {
    forgetTrends();
    status.textContent = "Computing…";
    renderRoi(main.querySelector(".side"), s, s.roiField);
  }
  fillUtm();
  let result;
  try {
    result = await getJson(urls.report(s));
  } catch (err) {
    if (current !== mine) return;
    if (err.code !== "offline") {
      clearFigures(mine.view); // figures of other parameters would read as these
      mine.result = null;
      main.querySelector("#canvas").dataset.url = "";
    }
    alert.textContent = err instanceof ApiError ? problemText(err, mine.layout) : String(err);
    alert.hidden = false;
    status.textContent = err.code === "offline" ? "Not live: the server cannot be reached." : "";
    return;
  }
  if (current !== mine || hashOf(mine.state) !== hashOf({ ...s, goal: mine.state.goal })) return; // stale
  alert.hidden = true;
  mine.result = result;
  paint(mine.view, result, openDoor);
  for (const [id, node] of mine.view.nodes) node.group.classList.toggle("selected", id === s.goal);
  if (s.goal && s.goal !== mine.shownGoal) mine.nav.reveal(s.goal);
  mine.shownGoal = s.goal;
  funnelPanel(main.querySelector("#funnel-panel"), main.querySelector("#steps-row"), mine.layout, result, (steps) => {
    mine.state.steps = steps;
    go(mine.state);
  }, openDoor);
  insightPanel(main.querySelector("#insight-panel"), mine.layout, result, openDoor);
  main.querySelector("#canvas").dataset.url = urls.report(s); // what is drawn, for tests and tools
  const at = new Date(result.computed_at);
  const cohort = result.cohort_size;
  status.replaceChildren(
    h("span", { class: "cohort", "data-value": cohort }, cohort === 0 ? "No contacts match these filters" : `${format("contacts", cohort)} contacts in the cohort`),
    h("span", { class: "sep" }, "·"),
    h("span", { class: "live-dot", "aria-hidden": "true" }),
    h("span", { class: "computed", "data-computed-at": result.computed_at, title: result.computed_at }, `updated ${at.toLocaleTimeString()}`),
  );
  const signature = JSON.stringify(result.elements) + JSON.stringify(result.connectors);
  if (!full && signature !== mine.signature) renderRoi(main.querySelector(".side"), s, s.roiField);
  mine.signature = signature;
}

// --- page-wide keys and the drawer --------------------------------------------------------------

drawer.querySelector(".drawer-close").addEventListener("click", () => (drawer.hidden = true));
document.addEventListener("keydown", (ev) => {
  if (builder) builder.key(ev);
  if (ev.key === "Escape") {
    hideCard(card);
    drawer.hidden = true;
  }
});
window.addEventListener("hashchange", route);
window.addEventListener("beforeunload", (ev) => {
  if (builder && builder.dirty()) {
    ev.preventDefault();
    ev.returnValue = ""; // what older browsers need to ask
  }
});
window.journeymap = { view: () => current && current.view, builder: () => builder }; // for tests and tools
route();
