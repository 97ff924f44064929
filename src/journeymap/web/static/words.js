// Error messages in the page's own words: they name the controls a reader sees, never fields.

const CONTROLS = {
  date_from: "First entry from",
  from: "First entry from",
  date_to: "to",
  to: "to",
  goal: "Goal",
  steps: "Funnel steps",
  utm: "UTM",
  tz: "Time zone",
  by: "ROI by",
};

const BY_CODE = {
  from_after_to: () => "“First entry from” is after “to”: pick a start day on or before the end day.",
  goal_required: () => "Pick a goal: this report is about one goal.",
  unknown_goal: () => "The goal in the address is not on this map: pick one from Goal.",
  not_a_goal: () => "The goal in the address is not a goal of this map: pick one from Goal.",
  bad_funnel_step: () => "Funnel steps: pick 2 to 10 different triggers or goals.",
  unknown_timezone: (err) => `Your browser's time zone is not known to the server (${err.problems[0]?.message || ""}).`,
  unknown_utm_field: () => "That UTM field is not one of source, medium, campaign, content or term.",
  unknown_map: () => "This map is no longer stored.",
};

// A readable sentence for an API error on the report the page asked for.
export function problemText(err) {
  const words = BY_CODE[err.code];
  if (words) return words(err);
  const problem = (err.problems || [])[0];
  if (problem && problem.field) {
    const control = CONTROLS[problem.field] || CONTROLS[String(problem.field).split(".").pop()];
    if (control) return `${control}: this value is not accepted (${plain(problem.message)}).`;
  }
  return plain(err.message);
}

function plain(text) {
  return String(text || "").replaceAll("`", "").replace(/\b(date_from|date_to)\b/g, (f) => CONTROLS[f]);
}
