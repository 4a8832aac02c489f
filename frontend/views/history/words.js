// How history reads: actions, kinds of things and fields in words, values as a person
// writes them (yes/no, dates in the company's time zone, names instead of ids).

import { formatDate, formatMoney } from "../../lib/format.js";

export const ACTIONS = { CREATE: "Created", UPDATE: "Changed", DELETE: "Deleted" };

export const ENTITIES = [
  { value: "AT_RISK_ENTRY", label: "At-risk entry", plural: "At-risk entries" },
  { value: "CUSTOMER", label: "Customer", plural: "Customers" },
  { value: "AT_RISK_CASE", label: "Case", plural: "Cases" },
  { value: "USER", label: "Person", plural: "People" },
  { value: "API_TOKEN", label: "API token", plural: "API tokens" },
  { value: "COMPANY", label: "Company", plural: "Company" },
];

export function entityLabel(value) {
  return ENTITIES.find((entity) => entity.value === value)?.label ?? value;
}

/** "Customer" → "customer", inside a sentence ("API token" stays). */
export function inSentence(label) {
  return /^[A-Z]{2}/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
}

const FIELDS = {
  accountNumber: "Account number",
  active: "Active",
  assignedToId: "Assigned to",
  attempt: "Contact attempt",
  causeId: "Cause",
  closedAt: "Closed",
  credit: "Credit",
  currency: "Currency",
  description: "Description",
  email: "Email",
  followUpAt: "Follow-up",
  history: "History",
  name: "Name",
  notes: "Notes",
  phone: "Phone",
  position: "Position",
  reasonId: "Reason",
  reportedAt: "Reported",
  resolutionId: "Resolution",
  revokedAt: "Revoked",
  riskLevel: "Risk level",
  rmr: "RMR",
  rmrAtRisk: "RMR at risk",
  rmrRetained: "RMR retained",
  role: "Role",
  savedById: "Saved by",
  status: "Status",
  timezone: "Time zone",
};

/** "rmrAtRisk" → "RMR at risk"; a field without a name of its own: "someField" → "Some field". */
export function fieldLabel(field) {
  if (FIELDS[field]) return FIELDS[field];
  const words = field.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const ENTRY_FIELDS = new Set(["reasonId", "causeId", "resolutionId"]);
const PERSON_FIELDS = new Set(["assignedToId", "savedById"]);
const MONEY_FIELDS = new Set(["rmr", "rmrAtRisk", "rmrRetained"]);
const WORD_FIELDS = new Set(["status", "riskLevel", "role", "channel"]);

/** A value as text: "—" for none, Yes/No, money in the company's currency, a time in its
 * zone, words for a status ("AT_RISK" → "At risk"), an entry's or a person's name for their
 * id. `view` is {timeZone, currency, names: {entries: Map, people: Map} or null}. */
export function valueText(field, value, view) {
  if (value === null || value === undefined || value === "") return "—";
  if (value === "true") return "Yes";
  if (value === "false") return "No";
  const names = view.names;
  if (ENTRY_FIELDS.has(field) && names?.entries.has(value)) return names.entries.get(value);
  if (PERSON_FIELDS.has(field) && names?.people.has(value)) return names.people.get(value);
  if (MONEY_FIELDS.has(field) && /^-?\d+(\.\d+)?$/.test(value)) return formatMoney(value, view.currency);
  if (WORD_FIELDS.has(field) && /^[A-Z_]+$/.test(value)) {
    const words = value.replaceAll("_", " ").toLowerCase();
    return words.charAt(0).toUpperCase() + words.slice(1);
  }
  if (MOMENT.test(value) && !Number.isNaN(Date.parse(value))) {
    return formatDate(value, view.timeZone, { time: true });
  }
  return value;
}

/** How values are written for the signed-in company (`me`), with `names` for ids. */
export function viewOf(me, names = null) {
  return { timeZone: me?.company?.timezone ?? "UTC", currency: me?.company?.currency ?? "USD", names };
}

/** The lookup `valueText` reads, from the answer's atRiskEntries and users (or nothing). */
export function namesOf(data) {
  return {
    entries: new Map((data?.atRiskEntries ?? []).map((entry) => [entry.id, entry.name])),
    people: new Map((data?.users ?? []).map((user) => [user.id, user.email])),
  };
}

const PROBLEMS = {
  network: "the server could not be reached. Check the connection and try again.",
  unauthenticated: "your session has ended. Sign in again, then try again.",
  forbidden: "your account may not see it.",
  server: "the server had a problem. Try again in a moment.",
};

/** "Could not load the history: the server could not be reached. …" */
export function loadProblem(error, what = "the history") {
  return `Could not load ${what}: ${PROBLEMS[error?.kind] ?? PROBLEMS.server}`;
}
