// Edit mode: build a map on a canvas, check it with the server on every change, publish it.
//
// The map being built is the map file's own JSON (elements, connectors, layout); forms come from
// the model's JSON schema, problems from POST /api/maps/validate, publishing is the map API's
// POST (a new map) or PUT (its next version).

import { getJson, sendJson, urls } from "./api.js";
import { el, kindWord } from "./mapview.js";
import { h } from "./panels.js";
import { defaults, variants } from "./schemaform.js";
import { drawPanel, drawProblems } from "./settingspanel.js";
import { drawSketch, placeMissing, snap, wireSketch } from "./sketch.js";

const CHECK_MS = 250;

let schemaPromise = null;

function loadSchema() {
  schemaPromise = schemaPromise || getJson(urls.schema());
  return schemaPromise;
}

const copy = (v) => JSON.parse(JSON.stringify(v));

// A time as the bar writes it: the hour and minute today, else the day too.
function shortTime(iso) {
  const at = new Date(iso);
  const hm = at.toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
  return at.toDateString() === new Date().toDateString() ? hm : `${at.toLocaleDateString()} ${hm}`;
}

function freeId(taken, base) {
  let i = 1;
  while (taken.has(`${base}-${i}`)) i += 1;
  return `${base}-${i}`;
}

export class Builder {
  // opts: {mapId, version (older version, read-only), isNew, template, canWrite, openVersion,
  // onState, onDiscard}
  constructor(root, opts) {
    this.root = root;
    this.opts = opts;
    this.readOnly = !opts.canWrite || Boolean(opts.version);
    this.selected = null; // {type: "element"|"connector", id}
    this.placing = null;
    this.connecting = null;
    this.problems = [];
    this.past = [];
    this.future = [];
    this.checkSeq = 0;
    this.checking = true; // until the server has judged the map as opened
  }

  async open() {
    const [schema, summary, draft] = await Promise.all([loadSchema(), this.fetchSummary(), this.fetchDraft()]);
    this.schema = schema;
    this.defs = schema.$defs;
    this.kinds = variants(this.defs, schema.properties.elements.items);
    this.live = summary ? summary.version : null;
    if (!summary && draft) this.opts.isNew = true; // a draft of a map never published
    this.draft = this.opts.version || (this.readOnly && summary) ? null : draft; // a reader sees what is live
    const doc = this.draft ? { ...this.draft.body, id: this.opts.mapId } : await this.fetchDoc();
    this.doc = { name: "", description: "", elements: [], connectors: [], layout: {}, ...doc };
    delete this.doc.version;
    this.doc.layout = { ...this.doc.layout };
    this.render();
    await placeMissing(this.svg, this.doc);
    this.saved = this.opts.isNew && !this.draft ? null : JSON.stringify(this.doc);
    this.opened = true;
    this.drawCanvas();
    this.drawBar();
    this.check();
  }

  async fetchDoc() {
    const { mapId, version, isNew, template } = this.opts;
    if (!isNew) return getJson(urls.map(mapId, version));
    const base = template ? await getJson(urls.template(template)) : { elements: [], connectors: [] };
    return { ...base, id: mapId };
  }

  async fetchSummary() {
    const maps = await getJson(urls.maps());
    return maps.find((m) => m.map_id === this.opts.mapId) || null;
  }

  async fetchDraft() {
    try {
      return await getJson(urls.draft(this.opts.mapId));
    } catch (err) {
      if (err.status === 404) return null;
      throw err;
    }
  }

  dirty() {
    return this.opened && !this.readOnly && JSON.stringify(this.doc) !== this.saved;
  }

  // --- changes and history ------------------------------------------------------------------

  // Record the map as it is before a change, so undo can bring it back.
  remember() {
    this.past.push(JSON.stringify(this.doc));
    if (this.past.length > 200) this.past.shift();
    this.future = [];
  }

  change(fn, { redrawPanel = true } = {}) {
    this.remember();
    fn(this.doc);
    this.changed(redrawPanel);
  }

  changed(redrawPanel = true) {
    this.drawCanvas();
    if (redrawPanel) this.drawPanel();
    this.drawBar();
    this.check();
    this.opts.onState && this.opts.onState(this);
  }

  undo() {
    this.travel(this.past, this.future);
  }

  redo() {
    this.travel(this.future, this.past);
  }

  // Bring back the last map of `from`, keeping the present one on `to`.
  travel(from, to) {
    if (!from.length) return;
    to.push(JSON.stringify(this.doc));
    this.doc = JSON.parse(from.pop());
    this.editing = false;
    this.keepSelection();
    this.changed();
  }

  keepSelection() {
    const s = this.selected;
    if (!s) return;
    const list = s.type === "element" ? this.doc.elements : this.doc.connectors;
    if (!list.some((x) => x.id === s.id)) this.selected = null;
  }

  addElement(kind, x, y) {
    const taken = new Set(this.doc.elements.map((e) => e.id));
    const id = freeId(taken, kind);
    this.change((d) => {
      d.elements.push({ ...defaults(this.defs, this.kinds[kind]), id, kind });
      d.layout[id] = { x: snap(x), y: snap(y) };
    });
    this.select({ type: "element", id });
  }

  addConnector(from, to) {
    if (from === to) return;
    const source = this.doc.elements.find((e) => e.id === from);
    const out = this.doc.connectors.filter((c) => c.from === from);
    const taken = new Set(this.doc.connectors.map((c) => c.id));
    let id = `${from}-${to}`;
    if (taken.has(id)) id = freeId(taken, id);
    const c = { id, from, to };
    if (source && source.kind === "condition") c.label = out.some((o) => o.label === "yes") ? "no" : "yes";
    if (source && source.kind === "split") c.weight = Math.max(0, 100 - out.reduce((sum, o) => sum + (o.weight || 0), 0));
    this.change((d) => d.connectors.push(c));
    this.select({ type: "connector", id });
  }

  removeSelected() {
    const s = this.selected;
    if (!s || this.readOnly) return;
    this.change((d) => {
      if (s.type === "element") {
        d.elements = d.elements.filter((e) => e.id !== s.id);
        d.connectors = d.connectors.filter((c) => c.from !== s.id && c.to !== s.id);
        delete d.layout[s.id];
      } else d.connectors = d.connectors.filter((c) => c.id !== s.id);
    });
    this.select(null);
  }

  // An element's id changed in its form: connectors and its position follow it.
  renameElement(old, id) {
    const d = this.doc;
    for (const c of d.connectors) {
      if (c.from === old) c.from = id;
      if (c.to === old) c.to = id;
    }
    if (d.layout[old]) {
      d.layout[id] = d.layout[old];
      delete d.layout[old];
    }
  }

  select(sel) {
    this.selected = sel;
    this.drawCanvas();
    this.drawPanel();
  }

  // --- validation ---------------------------------------------------------------------------

  check() {
    clearTimeout(this.checkTimer);
    const seq = ++this.checkSeq;
    this.checking = true;
    this.drawBar();
    this.checkTimer = setTimeout(async () => {
      let result;
      try {
        result = await sendJson("POST", urls.validate(), this.body());
      } catch (err) {
        result = { valid: false, problems: [{ code: err.code, message: err.message }] };
      }
      if (seq !== this.checkSeq) return;
      this.checking = false;
      this.problems = result.problems;
      this.drawCanvas();
      this.drawProblems();
      this.drawBar();
    }, CHECK_MS);
  }

  body() {
    const d = copy(this.doc);
    const ids = new Set(d.elements.map((e) => e.id));
    d.layout = Object.fromEntries(Object.entries(d.layout).filter(([id]) => ids.has(id)));
    return d;
  }

  // Problems do not stop a draft: it is kept as it is, never run, until it is published.
  async saveDraft() {
    if (this.readOnly || !this.dirty()) return;
    const sent = JSON.stringify(this.doc);
    let draft;
    try {
      draft = await sendJson("PUT", urls.draft(this.doc.id), this.body());
    } catch (err) {
      this.hint(`Not saved: ${err.message}`);
      return;
    }
    this.draft = draft;
    this.saved = sent;
    this.message = "Draft saved.";
    this.drawBar();
    this.opts.onState && this.opts.onState(this);
  }

  async discardDraft() {
    if (this.readOnly || !this.draft) return;
    if (!window.confirm("Discard this draft? The map goes back to its live version.")) return;
    try {
      await sendJson("DELETE", urls.draft(this.doc.id));
    } catch (err) {
      if (err.status !== 404) {
        this.hint(`Not discarded: ${err.message}`);
        return;
      }
    }
    this.draft = null;
    this.saved = JSON.stringify(this.doc); // nothing to ask about on the way out
    this.opts.onDiscard && this.opts.onDiscard(this);
  }

  publishable() {
    return !this.readOnly && !this.checking && !this.problems.length && (this.dirty() || Boolean(this.draft) || this.live === null);
  }

  async publish() {
    if (!this.publishable()) return;
    this.hint("Publishing…");
    const sent = JSON.stringify(this.doc);
    let summary;
    try {
      summary = await sendJson(this.opts.isNew ? "POST" : "PUT", urls.publish(this.doc.id, this.opts.isNew), this.body());
    } catch (err) {
      if (err.problems && err.problems.length) this.problems = err.problems;
      this.hint(`Not published: ${err.message}`);
      this.drawProblems();
      return;
    }
    this.opts.isNew = false;
    this.live = summary.version;
    this.draft = null;
    this.saved = sent;
    this.message = `Published version ${summary.version}.`;
    this.drawBar();
    this.opts.onState && this.opts.onState(this);
  }

  // --- drawing --------------------------------------------------------------------------------

  render() {
    const palette = h(
      "div",
      { class: "palette", role: "toolbar", "aria-label": "Add an element" },
      h("p", { class: "palette-title" }, "Add"),
      Object.keys(this.kinds).map((kind) =>
        h("button", { type: "button", class: "palette-item", "data-kind": kind, title: `Add a ${kind}: then click the canvas where it goes`, onclick: () => this.startPlacing(kind) }, kindWord({ kind })),
      ),
    );
    this.svg = el("svg", { class: "builder-map", tabindex: 0, "aria-label": "Map being built" });
    this.canvas = h("div", { class: "builder-canvas" }, this.svg);
    this.panel = h("aside", { class: "builder-panel" }, h("div", { class: "builder-form" }), h("section", { class: "problems", "aria-live": "polite" }));
    const bar = h("div", { class: "builder-bar" });
    this.root.replaceChildren(h("section", { class: "builder" + (this.readOnly ? " read-only" : "") }, bar, h("div", { class: "builder-work" }, this.readOnly ? null : palette, this.canvas, this.panel)));
    this.bar = bar;
    wireSketch(this);
    this.drawBar();
    this.drawCanvas();
    this.drawPanel();
  }

  startPlacing(kind) {
    this.placing = kind;
    this.connecting = null;
    this.canvas.dataset.mode = "placing";
    this.hint(`Click the canvas where the new ${kind} goes (Esc cancels).`);
  }

  hint(text) {
    this.message = text;
    const status = this.root.querySelector("#builder-status");
    if (status) status.textContent = text;
  }

  // Where the map shown stands: an older version, a draft, the live version, or new.
  standing() {
    const live = this.live;
    if (this.opts.version) return `Version ${this.opts.version} (read-only; version ${live} is live)`;
    if (this.draft) {
      const at = shortTime(this.draft.saved_at);
      return live ? `Draft saved ${at}, not live · version ${live} is live` : `Draft saved ${at}, never published`;
    }
    return live ? `Version ${live} is live` : "New map, not published yet";
  }

  drawBar() {
    if (!this.bar) return;
    const n = this.problems.length;
    const checkText = this.checking ? "Checking…" : n ? `${n} problem${n === 1 ? "" : "s"}` : "No problems";
    const button = (id, text, on, disabled, title, cls = "quiet-button") => h("button", { type: "button", id, class: cls, onclick: on, disabled, title }, text);
    const versions = this.live ? h(
      "label",
      { class: "field inline" },
      h("span", {}, "Open version"),
      h(
        "select",
        { id: "open-version", onchange: (ev) => this.opts.openVersion(Number(ev.target.value)) },
        Array.from({ length: this.live }, (_, i) => this.live - i).map((v) => h("option", { value: v, selected: v === (this.opts.version || this.live) }, v === this.live ? `${v} (live)` : String(v))),
      ),
    ) : null;
    const shown = this.opts.version || this.live;
    const downloads = shown ? h(
      "span",
      { class: "downloads", title: `Version ${shown} as a map file: journeymap map add takes it back` },
      h("span", { class: "muted" }, "Download"),
      ["yaml", "json"].map((f) => h("a", { id: `download-${f}`, href: urls.exportFile(this.doc.id, this.opts.version, f), download: "" }, f.toUpperCase())),
    ) : null;
    const editable = !this.readOnly;
    const parts = [
      h("h1", {}, this.doc.name || this.doc.id),
      h("span", { class: `muted${this.draft ? " draft-state" : ""}`, id: "builder-version" }, this.standing()),
      h("span", { class: `check-state${n ? " bad" : ""}`, id: "check-state", "data-problems": n }, checkText),
      h("span", { class: "muted grow", id: "builder-status", role: "status" }, this.message || ""),
      versions,
      downloads,
      editable ? button("undo", "Undo", () => this.undo(), !this.past.length, "Undo (Ctrl+Z)") : null,
      editable ? button("redo", "Redo", () => this.redo(), !this.future.length, "Redo (Ctrl+Shift+Z)") : null,
      editable && this.draft ? button("discard-draft", "Discard draft", () => this.discardDraft(), false, "Forget the draft and go back to the live version") : null,
      editable ? button("save-draft", "Save draft", () => this.saveDraft(), !this.dirty(), "Keep these changes, problems and all, without publishing them (Ctrl+S)") : null,
      editable ? button("publish", "Publish", () => this.publish(), !this.publishable(), n ? "Fix the problems to publish" : "Store this map as its next version", "") : null,
    ];
    this.bar.replaceChildren(...parts.filter(Boolean)); // replaceChildren would write null as "null"
  }

  drawPanel() {
    drawPanel(this);
  }

  drawProblems() {
    drawProblems(this);
  }

  // A form changed a setting: keep the map, check it; undo takes back a whole finished edit.
  edited(apply, done) {
    if (!this.editing) {
      this.remember();
      this.editing = true;
    }
    apply();
    if (done) this.editing = false;
    this.drawCanvas();
    this.drawBar();
    this.check();
    this.opts.onState && this.opts.onState(this);
  }

  drawCanvas() {
    this.boxes = drawSketch(this.svg, this.doc, { problems: this.problems, selected: this.selected, readOnly: this.readOnly });
  }

  stopModes() {
    this.placing = null;
    this.connecting = null;
    delete this.canvas.dataset.mode;
    this.hint("");
  }

  // Keys while the builder is open: Esc (cancel, then unselect), Ctrl+S (save the draft), Delete,
  // Ctrl+Z, Ctrl+Shift+Z (Ctrl+Y).
  key(ev) {
    const typing = ev.target.closest && ev.target.closest("input, textarea, select");
    if (ev.key === "Escape") {
      if (this.placing || this.connecting || typing) this.stopModes();
      else if (this.selected) this.select(null); // back to the map's own settings
    }
    if ((ev.ctrlKey || ev.metaKey) && ev.key.toLowerCase() === "s") {
      ev.preventDefault(); // not the browser's "save page"
      if (!this.readOnly) this.saveDraft();
      return;
    }
    if (typing || this.readOnly) return;
    if (ev.key === "Delete" || ev.key === "Backspace") {
      ev.preventDefault();
      this.removeSelected();
    } else if ((ev.ctrlKey || ev.metaKey) && ev.key.toLowerCase() === "z") {
      ev.preventDefault();
      if (ev.shiftKey) this.redo();
      else this.undo();
    } else if ((ev.ctrlKey || ev.metaKey) && ev.key.toLowerCase() === "y") {
      ev.preventDefault();
      this.redo();
    }
  }
}
