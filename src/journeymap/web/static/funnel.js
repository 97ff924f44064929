// The funnel beside the map: its steps as bars (count, rate to the step before and to step 1,
// drop-off), and the picker that chooses the steps.

import { format, formatRate } from "./figures.js";
import { h } from "./panels.js";

const MAX_STEPS = 10;

function stepPicker(row, nodes, steps, choose) {
  const candidates = nodes.filter((n) => n.kind === "trigger" || n.kind === "goal");
  const select = (value, i) => {
    const s = h(
      "select",
      { "data-step": i, "aria-label": `Step ${i + 1}` },
      candidates.map((n) => h("option", { value: n.id, selected: n.id === value }, n.name)),
    );
    s.addEventListener("change", () => choose(steps.map((x, j) => (j === i ? s.value : x))));
    return s;
  };
  const items = steps.map((id, i) =>
    h(
      "span",
      { class: "step-pick" },
      h("span", { class: "step-no" }, `${i + 1}`),
      select(id, i),
      steps.length > 2 ? h("button", { type: "button", class: "quiet-button step-remove", "aria-label": `Remove step ${i + 1}`, onclick: () => choose(steps.filter((_, j) => j !== i)) }, "×") : null,
    ),
  );
  const unused = candidates.filter((n) => !steps.includes(n.id));
  const add =
    unused.length && steps.length < MAX_STEPS
      ? h("button", { type: "button", class: "quiet-button", id: "step-add", onclick: () => choose([...steps, unused[0].id]) }, "+ Add step")
      : null;
  const reset = h("button", { type: "button", class: "quiet-button", id: "step-reset", onclick: () => choose([]) }, "Default steps");
  row.replaceChildren(h("span", { class: "row-title" }, "Steps"), ...items, add, reset);
}

export function funnelPanel(panel, row, layout, result, choose, openDoor) {
  if (result.report !== "funnel-conversion") {
    panel.hidden = true;
    return;
  }
  const steps = (result.options && result.options.steps) || [];
  stepPicker(row, layout.nodes, steps, choose);
  const byId = new Map(result.elements.map((e) => [e.id, e]));
  const names = new Map(layout.nodes.map((n) => [n.id, n.name]));
  const funnel = result.funnel || [];
  const first = funnel.length ? funnel[0].count : 0;
  // a door per element of the step: a step of several triggers lists each one's contacts
  const door = (id, k) => {
    const count = (byId.get(id) || {}).funnel_count || 0;
    const name = names.get(id) || id;
    return count
      ? h("button", { type: "button", class: "link-button", "data-figure": "funnel_count", "data-element": id, "data-value": String(count), "aria-label": `${format("contacts", count)} reached step ${k} at ${name}: list them`, onclick: () => openDoor({ element: id, figure: "funnel_count" }, `${format("contacts", count)} reached step ${k}`, name) }, format("contacts", count))
      : h("strong", { "data-figure": "funnel_count", "data-element": id, "data-value": "0" }, "0");
  };
  const bars = funnel.map((s, i) => {
    const prev = i ? funnel[i - 1].count : s.count;
    const width = first ? Math.max(0.5, (100 * s.count) / first) : 0;
    const fill = h("span", {});
    fill.style.width = `${width.toFixed(1)}%`; // CSSOM, which the page's CSP allows
    const label = s.elements.map((id) => names.get(id) || id).join(" or ");
    const counts =
      s.elements.length === 1
        ? [door(s.elements[0], s.step)]
        : [h("strong", { class: "step-count", "data-value": String(s.count) }, format("contacts", s.count)), " (", ...s.elements.flatMap((id, j) => [j ? ", " : "", `${names.get(id) || id} `, door(id, s.step)]), ")"];
    return h(
      "li",
      { class: "funnel-step", "data-step": s.elements.join(",") },
      h("div", { class: "funnel-head" }, h("span", { class: "step-no" }, `${s.step}`), h("span", { class: "funnel-name" }, label)),
      h("div", { class: "funnel-bar", role: "img", "aria-label": `${format("contacts", s.count)} contacts, ${s.rate_start == null ? "–" : formatRate(s.rate_start)} of step 1` }, fill),
      h(
        "div",
        { class: "funnel-figs" },
        ...counts,
        ` reached · ${s.rate_start == null ? "–" : formatRate(s.rate_start)} of step 1`,
        i ? ` · ${s.rate_prev == null ? "–" : formatRate(s.rate_prev)} of step ${i}` : "",
      ),
      i ? h("div", { class: "funnel-drop muted small" }, `${format("contacts", Math.max(0, prev - s.count))} dropped off after step ${i}`, s.entered_directly ? ` · ${format("contacts", s.entered_directly)} entered directly` : "") : null,
    );
  });
  const last = funnel.length ? funnel[funnel.length - 1] : {};
  panel.replaceChildren(
    h("h2", {}, "Funnel"),
    h(
      "p",
      { class: "funnel-total", "data-value": JSON.stringify(last.rate_start ?? null) },
      h("strong", {}, last.rate_start == null ? "–" : formatRate(last.rate_start)),
      ` of the ${format("contacts", first)} who took step 1 went through all ${funnel.length} steps`,
    ),
    h("p", { class: "muted small" }, "Contacts who took each step after the one before, in order; triggers listed one after another are one step (entering through any of them). “Entered directly”: took a step before ever taking the step before it."),
    h("ol", { class: "funnel" }, bars),
  );
  panel.hidden = false;
}
