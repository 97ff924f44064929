// The hover card of an element, the drawer listing the contacts behind a count, the ROI table.

import { getJson, urls } from "./api.js";
import { format, formatMoney, label } from "./figures.js";
import { kindWord } from "./mapview.js";

export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

// --- hover cards ------------------------------------------------------------------------------

const HIDDEN = new Set(["id", "kind", "from", "to"]);

function figureRows(stats) {
  return Object.entries(stats || {})
    .filter(([name]) => !HIDDEN.has(name))
    .map(([name, value]) => h("tr", { "data-figure": name }, h("th", {}, label(name)), h("td", { "data-value": JSON.stringify(value ?? null) }, format(name, value))));
}

function place(card, anchor) {
  card.hidden = false;
  const box = anchor.getBoundingClientRect();
  const width = card.offsetWidth;
  const height = card.offsetHeight;
  let left = box.right + 10;
  if (left + width > window.innerWidth - 8) left = Math.max(8, box.left - width - 10);
  const top = Math.min(Math.max(8, box.top), window.innerHeight - height - 8);
  card.style.left = `${left + window.scrollX}px`;
  card.style.top = `${top + window.scrollY}px`;
}

export function showCard(card, anchor, node, stats) {
  const rows = figureRows(stats);
  card.replaceChildren(
    h("p", { class: "card-kind" }, kindWord(node)),
    h("p", { class: "card-name" }, node.name),
    h("p", { class: "card-id" }, node.named ? node.id : `${node.id} (no name in the map file)`),
    rows.length ? h("table", {}, h("tbody", {}, rows)) : h("p", { class: "muted" }, "No figures on this element in this report."),
  );
  place(card, anchor);
}

export function showEdgeCard(card, anchor, from, to, edge, stats) {
  const rows = figureRows(stats);
  card.replaceChildren(
    h("p", { class: "card-kind" }, edge.label ? `Connector · ${edge.label}` : "Connector"),
    h("p", { class: "card-name" }, `${from} → ${to}`),
    h("p", { class: "card-id" }, edge.id),
    rows.length ? h("table", {}, h("tbody", {}, rows)) : h("p", { class: "muted" }, "Nobody moved along this connector."),
  );
  card.dataset.connector = edge.id;
  place(card, anchor);
}

export function hideCard(card) {
  card.hidden = true;
  delete card.dataset.connector;
}

// --- drill-down drawer ------------------------------------------------------------------------

const PAGE = 100;

function cell(key, value) {
  if (value === null || value === undefined) return "–";
  if (Array.isArray(value)) return value.join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  if (typeof value === "string" && /^\d{4}-\d\d-\d\dT/.test(value)) return value.replace("T", " ").slice(0, 16);
  if (typeof value === "number" && !Number.isInteger(value)) return value.toFixed(2);
  return String(value);
}

export async function openDrawer(drawer, state, door, title, place) {
  const list = drawer.querySelector(".drawer-body");
  drawer.querySelector(".drawer-title").textContent = title;
  drawer.querySelector(".drawer-place").textContent = place;
  const csv = drawer.querySelector(".export");
  csv.href = urls.contacts(state, door, "csv");
  list.replaceChildren(h("p", { class: "muted" }, "Loading contacts…"));
  drawer.hidden = false;
  drawer.querySelector(".drawer-close").focus();
  try {
    const body = await getJson(`${urls.contacts(state, door)}&limit=${PAGE}`);
    const rows = body.rows;
    if (!rows.length) {
      list.replaceChildren(h("p", { class: "empty" }, "No contacts behind this figure."));
      return;
    }
    const keys = Object.keys(rows[0]).filter((k) => rows.some((r) => r[k] !== null));
    list.replaceChildren(
      h("p", { class: "definition" }, body.definition),
      h(
        "p",
        { class: "muted", "data-total": body.total },
        body.total > rows.length
          ? `The first ${format("contacts", rows.length)} of ${format("contacts", body.total)} contacts; the CSV has them all.`
          : `${format("contacts", body.total)} ${body.total === 1 ? "contact" : "contacts"}.`,
      ),
      h(
        "table",
        { class: "contacts" },
        h("thead", {}, h("tr", {}, keys.map((k) => h("th", { scope: "col" }, k.replace(/^first_utm_/, "utm ").replaceAll("_", " "))))),
        h("tbody", {}, rows.map((r) => h("tr", { "data-contact": r.contact_id }, keys.map((k) => h("td", {}, cell(k, r[k])))))),
      ),
    );
  } catch (err) {
    list.replaceChildren(h("p", { class: "error", role: "alert" }, err.message));
  }
}

// --- Marketing ROI ----------------------------------------------------------------------------

const ROI_COLUMNS = [
  ["utm_value", "value", "text"],
  ["contacts", "contacts", "count"],
  ["achievers", "achieved", "count"],
  ["revenue", "revenue", "money"],
  ["cost", "cost", "money"],
  ["roi", "ROI", "roi"],
];

const PERCENT = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0, signDisplay: "exceptZero" });

export function formatRoi(value) {
  return `${PERCENT.format(value * 100)}%`;
}

function roiCell(kind, value) {
  if (value === null || value === undefined) return "–";
  if (kind === "text") return String(value);
  if (kind === "roi") return formatRoi(value);
  if (kind === "money") return formatMoney(value, { whole: true });
  return format("contacts", value);
}

const COST_NOTES = {
  whole: "Cost: what was entered for each value over the dates chosen (prorated by day). ROI = (revenue − cost) ÷ cost. Money rounded; hover for cents.",
  cohort_share:
    "Cost under a UTM filter: each value's cost times the share of its contacts (in these dates) that are in this cohort; values with no contacts here are left out. ROI = (revenue − cost) ÷ cost. Money rounded; hover for cents.",
};

export async function renderRoi(panel, state, field) {
  const body = panel.querySelector(".roi-body");
  try {
    const result = await getJson(urls.roi(state, field));
    const rows = (result.rows || []).filter((r) => r.utm_field === field);
    const note = h("p", { class: "muted small roi-note", "data-basis": result.cost_basis }, COST_NOTES[result.cost_basis] || "");
    if (!rows.length) {
      body.replaceChildren(h("p", { class: "empty" }, `No contacts with a UTM ${field} in this cohort.`), note);
      return;
    }
    body.replaceChildren(
      h(
        "table",
        { class: "roi", "data-field": field },
        h("thead", {}, h("tr", {}, ROI_COLUMNS.map(([, title, kind]) => h("th", { scope: "col", class: kind === "text" ? "" : "num" }, title)))),
        h(
          "tbody",
          {},
          rows.map((r) =>
            h(
              "tr",
              { "data-utm-value": r.utm_value },
              ROI_COLUMNS.map(([key, , kind]) =>
                h("td", { title: kind === "money" && r[key] != null ? formatMoney(r[key]) : null, class: kind === "text" ? "utm" : `num${kind === "roi" && r[key] < 0 ? " loss" : ""}`, "data-key": key, "data-value": JSON.stringify(r[key] ?? null) }, roiCell(kind, r[key])),
              ),
            ),
          ),
        ),
      ),
      note,
    );
  } catch (err) {
    body.replaceChildren(h("p", { class: "error", role: "alert" }, err.message));
  }
}
