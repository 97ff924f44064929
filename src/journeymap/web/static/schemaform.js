// Settings forms made from the map model's JSON schema (GET /api/map-schema): every setting the
// model has gets a control, named by its path ("action.message.subject"), and nothing else.

import { h } from "./panels.js";

const PLACEHOLDER = {
  duration: "P2D, PT1H30M",
  "date-time": "2026-03-01T09:00:00Z",
  time: "09:00",
};

export function resolve(defs, node) {
  let n = node || {};
  while (n.$ref) n = defs[n.$ref.split("/").pop()];
  return n;
}

// The schema without its `null` option, and whether the setting may be left out.
function unwrap(defs, prop) {
  const p = resolve(defs, prop);
  if (!p.anyOf) return { schema: p, optional: false };
  const options = p.anyOf.map((o) => resolve(defs, o)).filter((o) => o.type !== "null");
  const optional = options.length < p.anyOf.length;
  const schema = options.length === 1 ? { ...options[0], description: p.description } : { anyOf: options, description: p.description };
  return { schema, optional };
}

// The members of a discriminated union in the model's order: discriminator value -> member schema.
export function variants(defs, schema) {
  const key = schema.discriminator.propertyName;
  return Object.fromEntries(
    schema.oneOf.map((ref) => {
      const member = resolve(defs, ref);
      return [member.properties[key].const, member];
    }),
  );
}

// The least value the schema accepts in shape: required settings only, enums at their first value.
export function defaults(defs, node) {
  const s = resolve(defs, node);
  if (s.oneOf && s.discriminator) {
    const [tag, member] = Object.entries(variants(defs, s))[0];
    return { ...defaults(defs, member), [s.discriminator.propertyName]: tag };
  }
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (s.type === "object") {
    const out = {};
    for (const [key, prop] of Object.entries(s.properties || {})) {
      const p = resolve(defs, prop);
      if (p.const !== undefined) out[key] = p.const;
      else if ((s.required || []).includes(key)) out[key] = defaults(defs, p);
    }
    return out;
  }
  if (s.type === "integer" || s.type === "number") return 0;
  if (s.type === "boolean") return false;
  return "";
}

// The setting's own title (a nested object's schema is titled by its class, not the setting).
function title(key, prop) {
  const text = (prop.title || key).replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// A text value as the model reads it: the text itself (the model reads numbers written as text).
function scalarControl(path, s, value, optional, onValue) {
  const attrs = { name: path, id: `f-${path}`, "aria-describedby": s.description ? `d-${path}` : null };
  if (s.enum) {
    const shown = value ?? s.default; // a setting left out reads as its default
    const select = h(
      "select",
      attrs,
      optional || shown === undefined ? h("option", { value: "" }, optional ? "(none)" : "") : null,
      s.enum.map((v) => h("option", { value: v, selected: v === shown }, String(v))),
    );
    if (shown === undefined || shown === null) select.value = "";
    select.addEventListener("change", () => onValue(select.value === "" ? undefined : select.value, true));
    return select;
  }
  if (s.type === "boolean") {
    const box = h("input", { ...attrs, type: "checkbox", checked: Boolean(value) });
    box.addEventListener("change", () => onValue(box.checked, true));
    return box;
  }
  const numeric = s.type === "integer" || s.type === "number";
  const multiline = s.format === "multiline";
  const input = h(multiline ? "textarea" : "input", {
    ...attrs,
    type: multiline ? null : numeric ? "number" : "text",
    step: s.type === "integer" ? "1" : null,
    rows: multiline ? 4 : null,
    placeholder: PLACEHOLDER[s.format] || (s.default !== undefined && s.default !== null ? String(s.default) : null),
  });
  input.value = value === undefined || value === null ? "" : String(value);
  const read = () => {
    const text = input.value;
    if (text === "" && (optional || s.default !== undefined)) return undefined;
    if (numeric && text !== "" && Number.isFinite(Number(text))) return Number(text);
    return text;
  };
  input.addEventListener("input", () => onValue(read(), false));
  input.addEventListener("change", () => onValue(read(), true));
  return input;
}

// A control (or fieldset) for one setting. `onValue(value, done)`: undefined leaves it out;
// `done` is true when the edit is finished (a choice made, a field left), for undo.
function control(defs, key, path, prop, value, onValue, rebuild, required) {
  const { schema: s, optional } = unwrap(defs, prop);
  if (s.const !== undefined) return null;
  const head = title(key, prop);
  const note = s.description ? h("small", { class: "hint", id: `d-${path}` }, s.description) : null;
  if (s.oneOf && s.discriminator) {
    const tagKey = s.discriminator.propertyName;
    const members = variants(defs, s);
    const current = (value && value[tagKey]) || Object.keys(members)[0];
    const picker = h("select", { name: `${path}.${tagKey}`, id: `f-${path}.${tagKey}` }, Object.keys(members).map((t) => h("option", { value: t, selected: t === current }, t.replace(/_/g, " "))));
    picker.addEventListener("change", () => {
      onValue({ ...defaults(defs, members[picker.value]), [tagKey]: picker.value }, true);
      rebuild();
    });
    return h(
      "fieldset",
      { class: "setting-group", "data-setting": path },
      h("legend", {}, head),
      h("label", { class: "setting" }, h("span", {}, tagKey), picker),
      objectControls(defs, members[current], path, value || {}, onValue, rebuild),
    );
  }
  if (s.type === "object") {
    return h("fieldset", { class: "setting-group", "data-setting": path }, h("legend", {}, head), note, objectControls(defs, s, path, value || {}, onValue, rebuild));
  }
  const scalar = s.anyOf ? { type: "string", description: s.description } : s;
  return h("label", { class: "setting", "data-setting": path }, h("span", {}, head, required ? h("abbr", { title: "required" }, " *") : ""), scalarControl(path, scalar, value, optional, onValue), note);
}

function objectControls(defs, schema, path, value, onValue, rebuild, skip = []) {
  const s = resolve(defs, schema);
  const out = [];
  for (const [key, prop] of Object.entries(s.properties || {})) {
    if (skip.includes(key)) continue;
    const sub = path ? `${path}.${key}` : key;
    const set = (v, done) => {
      const next = { ...value };
      if (v === undefined) delete next[key];
      else next[key] = v;
      value = next;
      onValue(next, done);
    };
    const c = control(defs, key, sub, prop, value[key], set, rebuild, (s.required || []).includes(key));
    if (c) out.push(c);
  }
  return out;
}

// The form for an object of `schema` (an element, a connector, the map): `onChange(next, done)`.
export function settingsForm(defs, schema, value, onChange, { skip = [], rebuild = () => {} } = {}) {
  return h("div", { class: "settings" }, objectControls(defs, schema, "", value, onChange, rebuild, skip));
}
