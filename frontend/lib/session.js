// Who is signed in, shared by the shell and the pages. A page's load query asks `me`
// (the ME fields) and reports it here; an UNAUTHENTICATED answer reports `signedOut`.
//
//   status  "unknown" (nothing asked yet) | "signed-in" | "signed-out"
//   me      {email, role, userId, company: {id, name, currency, timezone}} while signed in
//   notice  why the sign-in form is shown ("Your session has ended…"), or ""

import { createStore } from "./dom.js";

export const ME = "me { email role userId company { id name currency timezone } }";
export const ROLE_NAMES = { ADMIN: "Admin", AGENT: "Agent", VIEWER: "View only" };

export const session = createStore({ status: "unknown", me: null, notice: "" });

export function signedIn(me) {
  session.set({ status: "signed-in", me, notice: "" });
}

export function signedOut(notice = "") {
  session.set({ status: "signed-out", me: null, notice });
}

/** Whether the signed-in person may use something open to `roles`. */
export function allows(me, roles) {
  return me !== null && roles.includes(me.role);
}
