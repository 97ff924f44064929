// Calls to the HTTP API with the session cookie; errors come back as readable messages.

import { UTM_FIELDS } from "./figures.js";

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export async function getJson(url) {
  return sendJson("GET", url);
}

// A call with a JSON body (a write carries the session cookie and the page's own Origin).
export async function sendJson(method, url, body) {
  let response;
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  try {
    response = await fetch(url, { method, credentials: "same-origin", headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, "offline", "The journeymap server cannot be reached. Is it still running?");
  }
  if (response.status === 401) {
    window.location.assign("/signin");
    throw new ApiError(401, "unauthorized", "Your session has ended; sign in again.");
  }
  let answer = null;
  try {
    answer = await response.json();
  } catch {
    answer = null;
  }
  if (!response.ok) {
    const err = (answer && answer.error) || {};
    const e = new ApiError(response.status, err.code || "http_error", err.message || `The server answered ${response.status}.`);
    e.problems = err.problems || [];
    throw e;
  }
  return answer;
}

// The cohort and report parameters as the report URL takes them.
export function reportQuery(state, { withReportOptions = true } = {}) {
  const q = new URLSearchParams();
  if (withReportOptions && state.goal) q.set("goal", state.goal);
  if (state.from) q.set("from", state.from);
  if (state.to) q.set("to", state.to);
  if (state.from || state.to) q.set("tz", state.tz);
  for (const field of UTM_FIELDS) {
    if (state.utm[field]) q.set(`utm_${field}`, state.utm[field]);
  }
  if (state.lastTouch) q.set("last_touch", "true");
  if (withReportOptions && state.report === "funnel-conversion") for (const step of state.steps || []) q.append("steps", step);
  if (withReportOptions && state.report === "goal-conversion-point" && state.attribution !== "last") {
    q.set("attribution", state.attribution);
    if (state.attribution === "time-decay") q.set("half_life_days", String(state.halfLife));
  }
  if (withReportOptions && state.report === "bottlenecks") {
    if (state.graceDays !== 1) q.set("grace_days", String(state.graceDays));
    if (state.stallDays !== 14) q.set("stall_days", String(state.stallDays));
  }
  return q;
}

const enc = encodeURIComponent;

export const urls = {
  maps: () => "/api/maps",
  map: (id, version) => `/api/maps/${enc(id)}${version ? `?version=${enc(version)}` : ""}`,
  publish: (id, isNew) => `/api/maps${isNew ? "" : `/${enc(id)}`}?discard_draft=true`,
  draft: (id) => `/api/maps/${enc(id)}/draft`,
  drafts: () => "/api/drafts",
  exportFile: (id, version, format) => `/api/maps/${enc(id)}/export?format=${enc(format)}${version ? `&version=${enc(version)}` : ""}`,
  validate: () => "/api/maps/validate",
  schema: () => "/api/map-schema",
  templates: () => "/api/map-templates",
  template: (name) => `/api/map-templates/${enc(name)}`,
  layout: (id) => `/api/maps/${enc(id)}/layout`,
  pageSettings: () => "/api/page-settings",
  utmValues: (state) => {
    const tail = reportQuery(state, { withReportOptions: false }).toString();
    return `/api/maps/${enc(state.mapId)}/utm-values${tail ? `?${tail}` : ""}`;
  },
  report: (state, format = "json") => {
    const q = reportQuery(state);
    if (format !== "json") q.set("format", format);
    const tail = q.toString();
    return `/api/maps/${enc(state.mapId)}/reports/${enc(state.report)}${tail ? `?${tail}` : ""}`;
  },
  trend: (state, target, figure, period = "week") => {
    const q = reportQuery(state);
    for (const [key, value] of Object.entries(target)) q.set(key, value);
    q.set("figure", figure);
    q.set("period", period);
    return `/api/maps/${enc(state.mapId)}/reports/${enc(state.report)}/trend?${q.toString()}`;
  },
  contacts: (state, door, format = "json") => {
    const q = reportQuery(state);
    for (const [key, value] of Object.entries(door)) q.set(key, value);
    if (format !== "json") q.set("format", format);
    return `/api/maps/${enc(state.mapId)}/contacts?${q.toString()}`;
  },
  roi: (state, field) => {
    const q = reportQuery(state, { withReportOptions: false });
    if (state.goal) q.set("goal", state.goal);
    q.set("by", field);
    return `/api/maps/${enc(state.mapId)}/reports/roi?${q.toString()}`;
  },
};
