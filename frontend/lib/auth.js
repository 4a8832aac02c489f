// Signing in and out: POST /auth/login and /auth/logout with JSON (the server refuses
// anything else from a browser). Who is signed in then lives in ./session.js.

import { ApiError } from "./graphql.js";

const TIMEOUT_MS = 15000;

async function post(path, body) {
  try {
    return await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (cause) {
    throw new ApiError("network", "The server could not be reached.", { cause });
  }
}

/** Sign in; resolves to {email, role, company}, or throws an ApiError with the server's message. */
export async function signIn(email, password) {
  const response = await post("/auth/login", { email, password });
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const kind = response.status === 401 || response.status === 429 ? "refused" : "server";
    const message = body?.message ?? `The server answered with status ${response.status}.`;
    throw new ApiError(kind, message, { status: response.status });
  }
  return body;
}

/** End the session on the server; the cookie is cleared by the answer. */
export async function signOut() {
  const response = await post("/auth/logout", {});
  if (!response.ok) {
    throw new ApiError("server", `The server answered with status ${response.status}.`, {
      status: response.status,
    });
  }
}

/** What to tell someone whose sign-in failed. */
export function signInProblem(error) {
  if (error.kind === "refused") return error.message;
  if (error.kind === "network") {
    return "The server could not be reached. Check the connection and try again.";
  }
  return "Could not sign in: the server had a problem. Try again in a moment.";
}
