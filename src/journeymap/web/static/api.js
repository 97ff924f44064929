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
  let response;
  try {
    response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
  } catch {
    throw new ApiError(0, "offline", "The journeymap server cannot be reached. Is it still running?");
  }
  if (response.status === 401) {
    window.location.assign("/signin");
    throw new ApiError(401, "unauthorized", "Your session has ended; sign in again.");
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const err = (body && body.error) || {};
    const e = new ApiError(response.status, err.code || "http_error", err.message || `The server answered ${response.status}.`);
    e.problems = err.problems || [];
    throw e;
  }
  return body;
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
  return q;
}

const enc = encodeURIComponent;

export const urls = {
  maps: () => "/api/maps",
  map: (id) => `/api/maps/${enc(id)}`,
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
