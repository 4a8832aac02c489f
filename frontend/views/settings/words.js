// What the Settings pages say when something did not go as planned.

const LOADS = {
  forbidden: (what) => `Your account may not see ${what}.`,
  network: (what) =>
    `Could not load ${what}: the server could not be reached. Check the connection and try again.`,
  server: (what) => `Could not load ${what}: the server had a problem. Try again in a moment.`,
};

/** Why `what` ("the people") did not load. */
export function loadProblem(error, what) {
  return (LOADS[error?.kind] ?? LOADS.server)(what);
}

const PROBLEMS = {
  network: (nothing) => `The server could not be reached. ${nothing} Try again.`,
  forbidden: (nothing) => `Your account may not do that. ${nothing}`,
  server: (nothing) => `Something went wrong on the server. ${nothing} Try again.`,
};

/** A failed request, with what did not happen ("Nothing was saved."). */
export function problem(error, nothing) {
  return (PROBLEMS[error.kind] ?? PROBLEMS.server)(nothing);
}

/** "alice@example.com" or "Alice Smith (alice@example.com)". */
export function personName(user) {
  return user.name ? `${user.name} (${user.email})` : user.email;
}
