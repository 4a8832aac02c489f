// The roles an admin can give, in words, and how the Settings pages list and order things.

import { ROLE_NAMES } from "../../lib/session.js";

export const ROLES = [
  { value: "ADMIN", label: ROLE_NAMES.ADMIN, hint: "Everything, including these settings." },
  { value: "AGENT", label: ROLE_NAMES.AGENT, hint: "Works cases and customers; no settings." },
  { value: "VIEWER", label: ROLE_NAMES.VIEWER, hint: "Sees everything, changes nothing." },
];

/** The roles an API token may have (it never administers), the least first. */
export const TOKEN_ROLES = [
  { value: "VIEWER", label: ROLE_NAMES.VIEWER, hint: "Reads everything, changes nothing." },
  { value: "AGENT", label: ROLE_NAMES.AGENT, hint: "Also works cases and customers, as an agent does." },
];

export function roleName(role) {
  return ROLE_NAMES[role] ?? role;
}

export function roleHint(role, roles = ROLES) {
  return roles.find((candidate) => candidate.value === role)?.hint ?? "";
}

/** The people, active first, then by email. */
export function byEmail(users) {
  return [...users].sort(
    (a, b) => Number(b.active) - Number(a.active) || a.email.localeCompare(b.email),
  );
}
