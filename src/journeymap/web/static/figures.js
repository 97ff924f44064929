// What each report draws on elements and connectors, and how every figure is written.

export const REPORTS = [
  { name: "contact-flow", title: "Contact Flow", goal: "none" },
  { name: "funnel-conversion", title: "Funnel Conversion", goal: "none" },
  { name: "lifetime-value", title: "Lifetime Value", goal: "none" },
  { name: "goal-conversion-rate", title: "Goal Conversion Rate", goal: "optional" },
  { name: "goal-conversion-point", title: "Goal Conversion Point", goal: "required" },
  { name: "goal-conversion-time", title: "Goal Conversion Time", goal: "required" },
];

export const UTM_FIELDS = ["source", "medium", "campaign", "content", "term"];

// Every figure a report may set, with its label and how it is written.
export const FIGURES = {
  were_here: { label: "were here", kind: "count", door: true },
  here_now: { label: "here now", kind: "count", door: true },
  visits: { label: "visits", kind: "count" },
  sent: { label: "sent", kind: "count", door: true },
  opened: { label: "opened", kind: "count", door: true },
  clicked: { label: "clicked", kind: "count", door: true },
  unsubscribed: { label: "unsubscribed", kind: "count", door: true },
  open_rate: { label: "open rate", kind: "rate" },
  click_rate: { label: "click rate", kind: "rate" },
  unsubscribe_rate: { label: "unsubscribe rate", kind: "rate" },
  page_visits: { label: "page visits", kind: "count" },
  unique_visitors: { label: "unique visitors", kind: "count" },
  achieved: { label: "achieved", kind: "count", door: true },
  conversion_rate: { label: "conversion rate", kind: "rate" },
  funnel_step: { label: "step", kind: "plain" },
  funnel_count: { label: "reached", kind: "count", door: true },
  funnel_rate_prev: { label: "of previous step", kind: "rate" },
  funnel_rate_start: { label: "of start", kind: "rate" },
  entered_directly: { label: "entered directly", kind: "count", door: true },
  amount_spent: { label: "spent", kind: "money", door: true },
  average_spent: { label: "average", kind: "money" },
  to_goal: { label: "to goal", kind: "count", door: true },
  to_goal_rate: { label: "to goal", kind: "rate" },
  conversion_point: { label: "converted", kind: "count", door: true },
  conversion_point_share: { label: "share", kind: "rate" },
  conversion_time_mean_s: { label: "mean", kind: "duration" },
  conversion_time_median_s: { label: "median", kind: "duration" },
  conversion_time_p90_s: { label: "90th pct", kind: "duration" },
  conversion_time_n: { label: "contacts", kind: "count", door: true },
  contacts: { label: "contacts", kind: "count", door: true },
  share: { label: "of those leaving", kind: "rate" },
};

// The figures written on an element, in order; the first two sit on the map, hover shows all.
const ON_ELEMENT = {
  "contact-flow": (e) =>
    e.sent != null
      ? ["were_here", "here_now", "sent", "open_rate", "click_rate"]
      : e.page_visits != null
        ? ["were_here", "page_visits", "unique_visitors"]
        : ["were_here", "here_now"],
  "funnel-conversion": (e) =>
    e.funnel_step != null ? ["funnel_count", "funnel_rate_prev", "funnel_rate_start"] : [],
  "lifetime-value": () => ["amount_spent", "average_spent"],
  "goal-conversion-rate": (e) => [
    ...(e.kind === "goal" ? ["achieved", "conversion_rate"] : []),
    ...(e.to_goal_rate !== undefined ? ["to_goal_rate"] : []),
  ],
  "goal-conversion-point": () => ["conversion_point", "conversion_point_share"],
  "goal-conversion-time": () => [
    "conversion_time_mean_s",
    "conversion_time_median_s",
    "conversion_time_n",
  ],
};

const ON_CONNECTOR = {
  "contact-flow": ["contacts", "share"],
  "funnel-conversion": ["contacts", "share"],
  "lifetime-value": ["contacts"],
  "goal-conversion-rate": ["contacts", "share"],
  "goal-conversion-point": ["contacts"],
  "goal-conversion-time": ["contacts"],
};

export function elementFigures(report, stats) {
  const pick = ON_ELEMENT[report];
  return pick ? pick(stats).filter((name) => name in stats) : [];
}

export function connectorFigures(report, stats) {
  return (ON_CONNECTOR[report] || []).filter((name) => name in stats);
}

const COUNT = new Intl.NumberFormat("en-US");
const MONEY = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function formatDuration(seconds) {
  if (seconds == null) return "–";
  const s = Math.abs(seconds);
  if (s < 60) return `${seconds.toFixed(0)} s`;
  if (s < 3600) return `${(seconds / 60).toFixed(1)} min`;
  if (s < 86400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}

// A figure as the page writes it: counts 1,234; rates 12.3%; money 1,234.50; durations 2.5 d.
export function format(name, value) {
  const kind = (FIGURES[name] || { kind: "plain" }).kind;
  if (value === null || value === undefined) return "–";
  if (kind === "count") return COUNT.format(value);
  if (kind === "rate") return `${(value * 100).toFixed(1)}%`;
  if (kind === "money") return MONEY.format(value);
  if (kind === "duration") return formatDuration(value);
  return String(value);
}

export function label(name) {
  return (FIGURES[name] || { label: name.replaceAll("_", " ") }).label;
}

export function isDoor(name, value) {
  return Boolean(FIGURES[name] && FIGURES[name].door) && typeof value === "number" && value > 0;
}
