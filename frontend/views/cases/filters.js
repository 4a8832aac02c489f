// The work queue's filters, kept in the address so that a reload, Back and Forward and a
// link from the reports page show the same cases:
//
//   status=OPEN,MITIGATED (the default; "all" for every status)   risk=HIGH,MEDIUM
//   mine=1 | unassigned=1 | assignedTo=<userId>
//   reason= cause= resolution= creditReason=<entryId>   from= to=<YYYY-MM-DD>
//   order=follow-up | newest | rmr | risk

import { OPEN_STATUSES, ORDERS, RISKS, STATUSES } from "./words.js";

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ENTRY_PARAMS = { reason: "reason", cause: "cause", resolution: "resolution", creditReason: "creditReason" };
export const FILTER_PARAMS = [
  "status",
  "mine",
  "unassigned",
  "assignedTo",
  "risk",
  "reason",
  "cause",
  "resolution",
  "creditReason",
  `from`,
  "to",
  "order",
];

function listOf(raw, allowed) {
  const known = new Set(allowed.map((item) => item.value));
  return (raw ?? "")
    .split(",")
    .map((value) => value.trim().toUpperCase())
    .filter((value) => known.has(value));
}

/** What the address asks for, read leniently: unknown values are left out. */
export function filtersOf(search) {
  const rawStatus = search.get("status");
  let statuses = OPEN_STATUSES;
  if (rawStatus === "all") statuses = [];
  else if (rawStatus !== null) statuses = listOf(rawStatus, STATUSES);
  const order = ORDERS.find((o) => o.param === search.get("order")) ?? ORDERS[0];
  const day = (name) => (DAY.test(search.get(name) ?? "") ? search.get(name) : "");
  const filters = {
    statuses,
    mine: search.get("mine") === "1",
    unassigned: search.get("unassigned") === "1",
    assignedTo: search.get("assignedTo") ?? "",
    risks: listOf(search.get("risk"), RISKS),
    from: day(`from`),
    to: day("to"),
    order,
  };
  for (const name of Object.keys(ENTRY_PARAMS)) filters[name] = search.get(name) ?? "";
  return filters;
}

/** The AtRiskCaseFilter of `filters` (`userId`: who "mine" is). */
export function queryFilter(filters, userId) {
  const filter = {};
  if (filters.statuses.length > 0) filter.status = filters.statuses;
  if (filters.mine) filter.assignedTo = userId ?? "";
  else if (filters.unassigned) filter.unassigned = true;
  else if (filters.assignedTo) filter.assignedTo = filters.assignedTo;
  if (filters.risks.length > 0) filter.riskLevel = filters.risks;
  for (const name of Object.keys(ENTRY_PARAMS)) {
    if (filters[name]) filter[name] = filters[name];
  }
  if (filters.from) filter.from = filters.from;
  if (filters.to) filter.to = filters.to;
  return filter;
}

/** Whether anything narrows the queue beyond the default (open cases, everyone's). */
export function narrowed(search) {
  return FILTER_PARAMS.some((name) => name !== "order" && search.has(name));
}

/** The "Assigned to" choice the address says: "", "mine", "unassigned" or a user id. */
export function assigneeChoice(filters) {
  if (filters.mine) return "mine";
  if (filters.unassigned) return "unassigned";
  return filters.assignedTo;
}

/** The address parameters for an "Assigned to" choice. */
export function assigneeParams(choice) {
  return {
    mine: choice === "mine" ? "1" : null,
    unassigned: choice === "unassigned" ? "1" : null,
    assignedTo: choice && choice !== "mine" && choice !== "unassigned" ? choice : null,
  };
}

/** The address value for a set of statuses ("" for the default). */
export function statusParam(statuses) {
  const chosen = STATUSES.map((s) => s.value).filter((value) => statuses.includes(value));
  if (chosen.length === 0) return "all";
  if (chosen.join(",") === OPEN_STATUSES.join(",")) return null;
  return chosen.join(",");
}
