// The report's period and grouping, read from and written to the address:
//
//   ?period=this-month | last-month | this-quarter | last-12-months | custom
//   &from=YYYY-MM-DD&to=YYYY-MM-DD   (custom only)
//   &group=REASON | CAUSE | RESOLUTION | CREDIT_REASON | RISK_LEVEL | ASSIGNEE | MONTH
//
// The named periods are calendar days in the company's time zone, ending today there.
// Days are plain "YYYY-MM-DD" strings; the arithmetic runs on UTC dates, so that no
// browser time zone shifts a day.

import { localDay } from "../../lib/format.js";

export const PERIODS = [
  { value: "this-month", label: "This month" },
  { value: "last-month", label: "Last month" },
  { value: "this-quarter", label: "This quarter" },
  { value: "last-12-months", label: "Last 12 months" },
  { value: "custom", label: "Custom" },
];
export const DEFAULT_PERIOD = "this-month";

export const GROUPINGS = [
  { value: "REASON", label: "Reason", plural: "reason" },
  { value: "CAUSE", label: "Cause", plural: "cause" },
  { value: "RESOLUTION", label: "Resolution", plural: "resolution" },
  { value: "CREDIT_REASON", label: "Credit reason", plural: "credit reason" },
  { value: "RISK_LEVEL", label: "Risk level", plural: "risk level" },
  { value: "ASSIGNEE", label: "Assignee", plural: "assignee" },
  { value: "MONTH", label: "Month", plural: "month" },
];
export const DEFAULT_GROUPING = "REASON";

// The server's limit: a report covers at most ten years (3,660 days).
const MAX_DAYS = 3660;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A "YYYY-MM-DD" as a UTC Date, or null when it is not a real calendar day. */
function parse(day) {
  const match = DAY.exec(day ?? "");
  if (!match) return null;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return iso(date) === day ? date : null;
}

function iso(date) {
  return date.toISOString().slice(0, 10);
}

function ymd(year, monthIndex, day) {
  return iso(new Date(Date.UTC(year, monthIndex, day)));
}

/** The number of days from `from` to `to` (0 for the same day). */
function daysBetween(from, to) {
  return Math.round((parse(to) - parse(from)) / 86400000);
}

/** [from, to] of a named period, for `today` (a "YYYY-MM-DD" in the company's zone). */
export function namedPeriod(name, today) {
  const date = parse(today);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  switch (name) {
    case "last-month":
      return [ymd(year, month - 1, 1), ymd(year, month, 0)];
    case "this-quarter":
      return [ymd(year, month - (month % 3), 1), today];
    case "last-12-months":
      return [ymd(year, month - 11, 1), today];
    default:
      return [ymd(year, month, 1), today];
  }
}

/** Today in the company's time zone. */
export function today(timeZone) {
  try {
    return localDay(new Date().toISOString(), timeZone);
  } catch {
    return localDay(new Date().toISOString(), "UTC");
  }
}

/**
 * What the address asks for: {period, grouping, from, to, errors}. `errors` ({from, to}) is
 * set when a custom period is not one the report can show; then from and to are as typed.
 */
export function fromAddress(search, todayThere) {
  const period = PERIODS.some((p) => p.value === search.get("period")) ? search.get("period") : DEFAULT_PERIOD;
  const grouping = GROUPINGS.some((g) => g.value === search.get("group")) ? search.get("group") : DEFAULT_GROUPING;
  if (period !== "custom") {
    const [from, to] = namedPeriod(period, todayThere);
    return { period, grouping, from, to, errors: null };
  }
  const from = search.get("from") ?? "";
  const to = search.get("to") ?? "";
  return { period, grouping, from, to, errors: checkCustom(from, to) };
}

/** Why a custom period cannot be shown ({from, to} messages), or null when it can. */
export function checkCustom(from, to) {
  const errors = {};
  if (!from) errors.from = "Enter the first day of the period.";
  else if (!parse(from)) errors.from = "Enter a real date, such as 2026-01-31.";
  if (!to) errors.to = "Enter the last day of the period.";
  else if (!parse(to)) errors.to = "Enter a real date, such as 2026-01-31.";
  if (!errors.from && !errors.to) {
    const days = daysBetween(from, to);
    if (days < 0) errors.to = "The period ends before it starts: choose a last day on or after the first.";
    else if (days >= MAX_DAYS) errors.to = "A report covers at most ten years: choose a shorter period.";
  }
  return Object.keys(errors).length > 0 ? errors : null;
}

/** The months ("YYYY-MM") from the month of `from` through the month of `to`. */
export function monthsOf(from, to) {
  const start = parse(from);
  const end = parse(to);
  const months = [];
  let year = start.getUTCFullYear();
  let month = start.getUTCMonth();
  while (year < end.getUTCFullYear() || (year === end.getUTCFullYear() && month <= end.getUTCMonth())) {
    months.push(`${year}-${String(month + 1).padStart(2, "0")}`);
    month += 1;
    if (month === 12) {
      month = 0;
      year += 1;
    }
  }
  return months;
}

/** The days of month "YYYY-MM" that fall in [from, to]: [first, last]. */
export function monthWithin(key, from, to) {
  const [year, month] = key.split("-").map(Number);
  const first = ymd(year, month - 1, 1);
  const last = ymd(year, month, 0);
  return [first < from ? from : first, last > to ? to : last];
}

const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });
const monthFormat = new Intl.DateTimeFormat(undefined, { month: "short", year: "numeric", timeZone: "UTC" });

/** "2026-12-01" → "Dec 1, 2026" (a calendar day: no time zone moves it). */
export function formatDay(day) {
  const date = parse(day);
  return date ? dayFormat.format(date) : day;
}

/** "2026-12" → "Dec 2026". */
export function formatMonth(key) {
  return monthFormat.format(parse(`${key}-01`));
}
