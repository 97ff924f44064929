// The panel beside the canvas: the settings form of the selection (or of the map) and the
// problems the server found, the selection's first.

import { kindWord } from "./mapview.js";
import { h } from "./panels.js";
import { resolve, settingsForm } from "./schemaform.js";

export const MAP_SKIP = ["id", "version", "elements", "connectors", "layout"];

// The settings form of what is selected, or of the map when nothing is.
export function drawPanel(b) {
  const box = b.panel.querySelector(".builder-form");
  const s = b.selected;
  const item = s && (s.type === "element" ? b.doc.elements : b.doc.connectors).find((x) => x.id === s.id);
  let form;
  if (!item) {
    form = h(
      "div",
      {},
      h("h2", {}, "Map"),
      h("p", { class: "muted small" }, `Id ${b.doc.id}. `, b.readOnly ? "" : "Pick an element kind on the left, then click the canvas to place it; drag an element to move it; click the dot under an element, then another element, to connect them."),
      settingsForm(b.defs, b.schema, b.doc, (next, done) => b.edited(() => setMapSettings(b, next), done), { skip: MAP_SKIP }),
    );
  } else {
    const schema = s.type === "element" ? b.kinds[item.kind] : resolve(b.defs, { $ref: "#/$defs/Connector" });
    const title = s.type === "element" ? kindWord({ kind: item.kind }) : "Connector";
    const list = s.type === "element" ? "elements" : "connectors";
    const onChange = (next, done) => {
      const old = s.id;
      b.edited(() => {
        const i = b.doc[list].findIndex((x) => x.id === s.id);
        if (s.type === "element" && done && next.id && next.id !== old) b.renameElement(old, next.id);
        const keepId = !done && next.id !== old ? { id: old } : {};
        b.doc[list][i] = { ...next, ...keepId };
        if (done) s.id = b.doc[list][i].id;
      }, done);
    };
    form = h(
      "div",
      { "data-form": s.type, "data-id": item.id },
      h("h2", {}, title),
      settingsForm(b.defs, schema, item, onChange, { skip: s.type === "element" ? ["kind"] : ["from", "to"], rebuild: () => b.drawPanel() }),
      b.readOnly ? null : h("button", { type: "button", class: "quiet-button danger", id: "delete-selected", onclick: () => b.removeSelected() }, s.type === "element" ? "Delete element" : "Delete connector"),
    );
  }
  const wrapped = h("fieldset", { class: "plain", disabled: b.readOnly }, form);
  box.replaceChildren(wrapped);
  b.drawProblems();
}

// The map's own settings from its form (elements, connectors and layout are not the form's).
function setMapSettings(b, next) {
  for (const key of Object.keys(b.schema.properties)) {
    if (MAP_SKIP.includes(key)) continue;
    if (key in next) b.doc[key] = next[key];
    else delete b.doc[key];
  }
}

// Every problem, the selection's first, each with a way to select what it names.
export function drawProblems(b) {
  const box = b.panel.querySelector(".problems");
  const s = b.selected;
  const mine = (p) => s && ((s.type === "element" && p.element_id === s.id) || (s.type === "connector" && p.connector_id === s.id));
  const row = (p) =>
    h(
      "li",
      { class: mine(p) ? "mine" : "", "data-code": p.code, "data-element": p.element_id || null, "data-connector": p.connector_id || null },
      h("code", {}, p.code),
      " ",
      h("span", {}, p.message),
      p.element_id || p.connector_id ? h("button", { type: "button", class: "link", onclick: () => b.select(p.element_id ? { type: "element", id: p.element_id } : { type: "connector", id: p.connector_id }) }, "show") : null,
    );
  const sorted = [...b.problems.filter(mine), ...b.problems.filter((p) => !mine(p))];
  box.replaceChildren(
    h("h2", {}, "Problems"),
    sorted.length ? h("ul", { class: "problem-list" }, sorted.map(row)) : h("p", { class: "muted small" }, b.checking ? "Checking…" : "None: the map follows every rule."),
  );
}
