// How the Reports page writes its figures, and where a group's cases are listed.

import { formatMoney } from "../../lib/format.js";
import { monthWithin } from "./period.js";

const percent = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 1 });
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const count = new Intl.NumberFormat(undefined);

export { formatMoney };

/** 0.5 → "50%"; null (nothing saved or lost) → "—". */
export function formatRate(rate) {
  return rate === null || rate === undefined ? "—" : percent.format(rate);
}

/** 12.25 → "12.3"; null → "—". */
export function formatAverage(days) {
  return days === null || days === undefined ? "—" : decimal.format(days);
}

export function formatCount(value) {
  return count.format(value);
}

/** "1 case", "3 cases". */
export function cases(value) {
  return `${formatCount(value)} ${value === 1 ? "case" : "cases"}`;
}

/** Whether nothing happened in the period: no case opened or closed and no credit. */
export function isEmpty(totals) {
  return (
    totals.opened === 0 &&
    totals.saved === 0 &&
    totals.lost === 0 &&
    totals.withdrawn === 0 &&
    Number(totals.credited) === 0
  );
}

// The /cases filter parameter of each grouping (a month narrows the days instead).
const FILTERS = {
  REASON: "reason",
  CAUSE: "cause",
  RESOLUTION: "resolution",
  CREDIT_REASON: "creditReason",
  RISK_LEVEL: "risk",
  ASSIGNEE: "assignedTo",
};
const EVERY_STATUS = "OPEN,MITIGATED,RESOLVED,LOST,CANCELLED";

// The report's key of the cases without a cause, resolution, credit or assignee.
const NONE = "none";

/**
 * The work queue narrowed to the cases behind one group of the report: cases reported or
 * closed in the period's days, of every status. Null for a group the queue cannot narrow
 * to (no cause, no resolution, no credit).
 */
export function casesHref(grouping, key, from, to) {
  const query = new URLSearchParams();
  let days = [from, to];
  if (grouping === "MONTH") {
    days = monthWithin(key, from, to);
  } else if (key === NONE && grouping === "ASSIGNEE") {
    query.set("unassigned", "1");
  } else if (key === NONE) {
    return null;
  } else {
    query.set(FILTERS[grouping], key);
  }
  query.set("from", days[0]);
  query.set("to", days[1]);
  query.set("status", EVERY_STATUS);
  return `/cases?${query.toString().replaceAll("%2C", ",")}`;
}

/** The same report as a CSV file. */
export function csvHref(grouping, from, to) {
  const query = new URLSearchParams({ from, to, group_by: grouping });
  return `/reports/retention.csv?${query}`;
}
