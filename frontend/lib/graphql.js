// The one way the app talks to the server: POST /graphql with one named operation.
//
// Every failure becomes an ApiError with a `kind` the views can act on:
//   "network"          the server could not be reached or timed out
//   "unauthenticated"  errors[].extensions.code UNAUTHENTICATED (or HTTP 401)
//   "forbidden"        errors[].extensions.code FORBIDDEN (or HTTP 403)
//   "server"           any other error answer
// Expected problems (a duplicate name, a stale version) are not errors: they arrive as
// data, as members of the result unions.

const ENDPOINT = "/graphql";
const TIMEOUT_MS = 15000;
const OPERATION_NAME = /\b(?:query|mutation)\s+([_A-Za-z][_0-9A-Za-z]*)/;

export class ApiError extends Error {
  constructor(kind, message, { status = 0, errors = [], cause } = {}) {
    super(message, { cause });
    this.name = "ApiError";
    this.kind = kind;
    this.status = status;
    this.errors = errors;
  }
}

/** Run `document` (one named query or mutation) with `variables`; resolves to its data. */
export async function graphql(document, variables = {}) {
  const operationName = OPERATION_NAME.exec(document)?.[1];
  if (!operationName) {
    throw new Error("a GraphQL document needs one named operation");
  }
  let response;
  try {
    response = await fetch(ENDPOINT, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({ query: document, operationName, variables }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (cause) {
    throw new ApiError("network", "The server could not be reached.", { cause });
  }

  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const errors = Array.isArray(body?.errors) ? body.errors : [];
  const codes = new Set(errors.map((error) => error?.extensions?.code));
  const details = { status: response.status, errors };

  if (codes.has("UNAUTHENTICATED") || response.status === 401) {
    throw new ApiError("unauthenticated", "You are not signed in.", details);
  }
  if (codes.has("FORBIDDEN") || response.status === 403) {
    throw new ApiError("forbidden", "You do not have permission to do that.", details);
  }
  if (!response.ok || errors.length > 0 || !body?.data) {
    const message = errors[0]?.message ?? `The server answered with status ${response.status}.`;
    throw new ApiError("server", message, details);
  }
  return body.data;
}
