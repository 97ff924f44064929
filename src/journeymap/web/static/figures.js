// What each report draws on elements and connectors, and how every figure is written.

export const REPORTS = [
  { name: "contact-flow", title: "Contact Flow", goal: "none" },
  { name: "funnel-conversion", title: "Funnel Conversion", goal: "none" },
  { name: "lifetime-value", title: "Lifetime Value", goal: "none" },
  { name: "goal-conversion-rate", title: "Goal Conversion Rate", goal: "optional" },
  { name: "goal-conversion-point", title: "Goal Conversion Point", goal: "required" },
  { name: "goal-conversion-time", title: "Goal Conversion Time", goal: "required" },
  { name: "split-test", title: "Split Test", goal: "required" },
  { name: "time-to-goal", title: "Time to Goal", goal: "required" },
  { name: "bottlenecks", title: "Bottlenecks", goal: "none" },
];

export const UTM_FIELDS = ["source", "medium", "campaign", "content", "term"];

// Every figure a report may set: its words on the map, how it is written, whether it lists contacts.
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
  queued: { label: "queued", kind: "count", door: true },
  delivered: { label: "delivered", kind: "count", door: true },
  pending: { label: "pending", kind: "count", door: true },
  failed: { label: "failed", kind: "count", door: true },
  last_error: { label: "last error", kind: "plain" },
  page_visits: { label: "page visits", kind: "count" },
  unique_visitors: { label: "unique visitors", kind: "count" },
  achieved: { label: "achieved", kind: "count", door: true },
  conversion_rate: { label: "conversion rate", kind: "rate" },
  funnel_step: { label: "step", kind: "plain" },
  funnel_count: { label: "reached this step", kind: "count", door: true },
  funnel_rate_prev: { label: "of the step before", kind: "rate" },
  funnel_rate_start: { label: "of step 1", kind: "rate" },
  entered_directly: { label: "entered directly", kind: "count", door: true },
  amount_spent: { label: "spent", kind: "money", door: true },
  average_spent: { label: "average per contact", kind: "money" },
  to_goal: { label: "reached the goal", kind: "count", door: true },
  to_goal_rate: { label: "went on to the goal", kind: "rate" },
  conversion_point: { label: "converted here", kind: "count", door: true },
  conversion_point_share: { label: "of achievers", kind: "rate" },
  conversion_credit: { label: "credit", kind: "credit" },
  entered_at_goal: { label: "entered at the goal", kind: "count", door: true },
  entered_at_goal_share: { label: "of achievers", kind: "rate" },
  conversion_time_mean_s: { label: "mean", kind: "duration" },
  conversion_time_median_s: { label: "median", kind: "duration" },
  conversion_time_p90_s: { label: "90% within", kind: "duration" },
  conversion_time_n: { label: "contacts timed", kind: "count", door: true },
  split_contacts: { label: "contacts tested", kind: "count", door: true },
  split_crossed: { label: "sent down several branches", kind: "count", door: true },
  split_verdict: { label: "", kind: "verdict" },
  split_verdict_text: { label: "verdict", kind: "plain" },
  split_control: { label: "control", kind: "plain" },
  split_winner: { label: "winner", kind: "plain" },
  branch_contacts: { label: "sent", kind: "count", door: true },
  branch_achievers: { label: "converted", kind: "count", door: true },
  branch_rate: { label: "converted", kind: "rate" },
  branch_rate_low: { label: "95% interval from", kind: "rate" },
  branch_rate_high: { label: "95% interval to", kind: "rate" },
  branch_lift: { label: "lift (points)", kind: "rate" },
  branch_lift_rel: { label: "relative lift", kind: "rate" },
  branch_p_value: { label: "p-value", kind: "plain" },
  branch_test: { label: "test", kind: "plain" },
  branch_prob_best: { label: "chance best", kind: "rate" },
  time_to_goal_n: { label: "followed", kind: "count", door: true },
  time_to_goal_converted: { label: "converted", kind: "count", door: true },
  time_to_goal_censored: { label: "still on the way", kind: "count", door: true },
  time_to_goal_median_s: { label: "median to goal", kind: "duration" },
  time_to_goal_median_low_s: { label: "median from (95%)", kind: "duration" },
  time_to_goal_median_high_s: { label: "median to (95%)", kind: "duration" },
  converted_by_1d: { label: "within 1 day", kind: "rate" },
  converted_by_7d: { label: "within 7 days", kind: "rate" },
  converted_by_30d: { label: "within 30 days", kind: "rate" },
  converted_by_90d: { label: "within 90 days", kind: "rate" },
  dwell_n: { label: "stays timed", kind: "count", door: true },
  dwell_median_s: { label: "median stay", kind: "duration" },
  dwell_p90_s: { label: "90% left within", kind: "duration" },
  dwell_configured_s: { label: "configured", kind: "duration" },
  dwell_over_s: { label: "median over configured", kind: "duration" },
  stuck: { label: "stuck", kind: "count", door: true },
  bottleneck_rank: { label: "worst rank", kind: "plain" },
  drop_off: { label: "dropped off", kind: "count", door: true },
  drop_off_rate: { label: "dropped off", kind: "rate" },
  drop_off_rank: { label: "worst drop-off rank", kind: "plain" },
  contacts: { label: "contacts", kind: "count", door: true },
  share: { label: "of those leaving", kind: "rate" },
};

// The rows of figures an element shows in a report; a row is [main figure, optional rate].
// Rows depend on what the element is (node) and on the report, never on values, so every
// element keeps one size whatever the numbers are.
const ROWS = {
  "contact-flow": (node) => [
    ["were_here"],
    ...(node.holds ? [["here_now"]] : []),
    ...(node.email ? [["sent"], ["opened", "open_rate"], ["clicked", "click_rate"], ["unsubscribed", "unsubscribe_rate"], ["queued"], ["failed"]] : []),
    ...(node.deliveries ? [["delivered"], ["pending"], ["failed"]] : []),
    ...(node.page_visits ? [["page_visits"], ["unique_visitors"]] : []),
  ],
  "funnel-conversion": (node, step) =>
    step === 1 ? [["funnel_count"], ["funnel_rate_start"]] : step ? [["funnel_count"], ["funnel_rate_prev"], ["funnel_rate_start"], ["entered_directly"]] : [],
  "lifetime-value": () => [["amount_spent"], ["average_spent"]],
  "goal-conversion-rate": (node, step, goal) => [
    ...(node.kind === "goal" ? [["achieved", "conversion_rate"]] : []),
    ...(goal && node.id !== goal ? [["to_goal", "to_goal_rate"]] : []),
  ],
  "goal-conversion-point": (node, step, goal) => [
    ["conversion_point", "conversion_point_share"],
    ["conversion_credit"],
    ...(node.id === goal ? [["entered_at_goal", "entered_at_goal_share"]] : []),
  ],
  "goal-conversion-time": () => [
    ["conversion_time_mean_s"],
    ["conversion_time_median_s"],
    ["conversion_time_p90_s"],
    ["conversion_time_n"],
  ],
  bottlenecks: () => [["dwell_median_s"], ["dwell_configured_s"], ["stuck"], ["dwell_n"]],
  "split-test": (node) => (node.kind === "split" ? [["split_contacts"], ["split_verdict"]] : []),
  "time-to-goal": () => [["time_to_goal_median_s"], ["converted_by_30d"], ["time_to_goal_n"]],
};

export function elementRows(report, node, { step = false, goal = "" } = {}) {
  const pick = ROWS[report];
  return pick ? pick(node, step, goal) : [];
}

// The most rows an element shows in a report, with any goal or funnel steps chosen: its size
// on the map, so figures that change (live, or with another goal) never move the map.
export function rowCapacity(node, report) {
  const step = node.kind === "trigger" || node.kind === "goal" ? 2 : null;
  const rows = (goal) => elementRows(report, node, { step, goal }).length;
  return Math.max(rows("any"), rows(node.id));
}

const ON_CONNECTOR = {
  "contact-flow": ["contacts", "share"],
  "funnel-conversion": ["contacts", "share"],
  "lifetime-value": ["contacts"],
  "goal-conversion-rate": ["contacts", "share"],
  "goal-conversion-point": ["contacts"],
  "goal-conversion-time": ["contacts"],
  bottlenecks: ["contacts", "drop_off", "drop_off_rate"],
  "split-test": ["contacts", "branch_rate"],
  "time-to-goal": ["contacts"],
};

export function connectorFigures(report) {
  return ON_CONNECTOR[report] || ["contacts"];
}

const COUNT = new Intl.NumberFormat("en-US");
const CREDIT = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

// A split test's verdict in a few words (the panel beside the map gives the sentence).
export const VERDICTS = { too_small: "too early to call", winner: "winner found", control_wins: "control wins", no_difference: "no winner yet" };

// An exact credit ("7/2", or "3") as a number to one decimal; the JSON keeps it exact.
export function creditValue(text) {
  const [p, q = "1"] = String(text).split("/");
  return Number(p) / Number(q);
}
const moneyFormats = (code) => ({
  cents: new Intl.NumberFormat("en-US", { style: "currency", currency: code, minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  whole: new Intl.NumberFormat("en-US", { style: "currency", currency: code, maximumFractionDigits: 0 }),
  compact: new Intl.NumberFormat("en-US", { style: "currency", currency: code, notation: "compact", maximumFractionDigits: 1 }),
});
let money = moneyFormats("USD");

// Money is written in the currency the server's `currency` setting names.
export function setCurrency(code) {
  money = moneyFormats(code);
}

// $1,234.50; with `whole` (where a table needs the room) $1,235, and $156.9K from 10,000 on.
export function formatMoney(value, { whole = false } = {}) {
  if (!whole) return money.cents.format(value);
  return (Math.abs(value) >= 10000 ? money.compact : money.whole).format(value);
}

export function formatDuration(seconds) {
  if (seconds == null) return "–";
  const s = Math.abs(seconds);
  if (s < 60) return `${seconds.toFixed(0)} s`;
  if (s < 3600) return `${(seconds / 60).toFixed(1)} min`;
  if (s < 86400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}

export function formatRate(value) {
  return `${(value * 100).toFixed(1)}%`;
}

// A figure as the page writes it: counts 1,234; rates 12.3%; money $1,234.50; durations 2.5 d.
export function format(name, value) {
  const kind = (FIGURES[name] || { kind: "plain" }).kind;
  if (value === null || value === undefined) return "–";
  if (kind === "count") return COUNT.format(value);
  if (kind === "rate") return formatRate(value);
  if (kind === "money") return formatMoney(value);
  if (kind === "duration") return formatDuration(value);
  if (kind === "credit") return CREDIT.format(creditValue(value));
  if (kind === "verdict") return VERDICTS[value] || String(value);
  return String(value);
}

export function label(name) {
  return (FIGURES[name] || { label: name.replaceAll("_", " ") }).label;
}

export function isDoor(name, value) {
  return Boolean(FIGURES[name] && FIGURES[name].door) && typeof value === "number" && value > 0;
}
