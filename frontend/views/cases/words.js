// The words the case pages use for statuses, risk levels and channels, and what they say
// when something did not go as planned.

export const STATUSES = [
  { value: "OPEN", label: "Open" },
  { value: "MITIGATED", label: "Mitigated" },
  { value: "RESOLVED", label: "Saved" },
  { value: "LOST", label: "Lost" },
  { value: "CANCELLED", label: "Cancelled" },
];
export const STATUS_NAMES = Object.fromEntries(STATUSES.map((s) => [s.value, s.label]));
export const OPEN_STATUSES = ["OPEN", "MITIGATED"];

export const RISKS = [
  { value: "HIGH", label: "High" },
  { value: "MEDIUM", label: "Medium" },
  { value: "LOW", label: "Low" },
];
export const RISK_NAMES = Object.fromEntries(RISKS.map((r) => [r.value, r.label]));

export const CHANNELS = [
  { value: "PHONE", label: "Phone" },
  { value: "EMAIL", label: "Email" },
  { value: "SMS", label: "Text message" },
  { value: "VISIT", label: "Visit" },
  { value: "LETTER", label: "Letter" },
  { value: "OTHER", label: "Other" },
];
export const CHANNEL_NAMES = Object.fromEntries(CHANNELS.map((c) => [c.value, c.label]));

export const ORDERS = [
  { value: "FOLLOW_UP", param: "follow-up", label: "Follow-up, soonest first" },
  { value: "REPORTED_NEWEST", param: "newest", label: "Reported, newest first" },
  { value: "RMR_HIGHEST", param: "rmr", label: "RMR at risk, highest first" },
  { value: "RISK_HIGHEST", param: "risk", label: "Risk, highest first" },
];

/** Who a person is on the page: their name, else their email. */
export function personName(user) {
  if (!user) return "—";
  return user.name || user.email;
}

const PROBLEMS = {
  network: (nothing) => `The server could not be reached. ${nothing} Try again.`,
  forbidden: (nothing) => `Your account may not do that. ${nothing}`,
  server: (nothing) => `Something went wrong on the server. ${nothing} Try again.`,
};

/** A failed request, with what did not happen ("Nothing was saved."). */
export function problem(error, nothing) {
  return (PROBLEMS[error.kind] ?? PROBLEMS.server)(nothing).trim();
}

/** Why a page could not load `what` ("the work queue"). */
export function loadProblem(error, what) {
  if (error.kind === "network") {
    return `Could not load ${what}: the server could not be reached. Check the connection and try again.`;
  }
  if (error.kind === "forbidden") return `Your account may not see ${what}.`;
  return `Could not load ${what}: the server had a problem. Try again in a moment.`;
}
