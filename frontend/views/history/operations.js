// The GraphQL documents of history: one thing's events, the company's log, and the names
// that make its ids readable.

import { ME } from "../../lib/session.js";

export const EVENT = "id at actor action entityType entityId entityLabel changes { field from to }";

/** Who ids in a change stand for: the company's entries and people. */
const NAMES = "atRiskEntries { id name } users { id email }";

export const OWNERS = ["atRiskEntry", "customer", "atRiskCase"];

/** The history of one entry, customer or case: `first` events after the event `after`. */
export function historyOf(owner) {
  if (!OWNERS.includes(owner)) {
    throw new Error(`no history for ${owner}`);
  }
  const name = owner[0].toUpperCase() + owner.slice(1);
  return `
  query HistoryOf${name}($id: ID!, $first: Int!, $after: ID) {
    ${ME}
    ${owner === "atRiskCase" ? NAMES : ""}
    thing: ${owner}(id: $id) { id history(first: $first, after: $after) { ${EVENT} } }
  }`;
}

export const LOG = `
  query HistoryLog($filter: AuditFilter, $first: Int!, $after: String) {
    ${ME}
    auditEvents(filter: $filter, first: $first, after: $after) {
      nodes { ${EVENT} }
      pageInfo { hasNextPage endCursor }
    }
  }`;

export const LOG_NAMES = `
  query HistoryNames {
    ${NAMES}
  }`;

export const WHO = `
  query HistoryWho {
    ${ME}
  }`;

/** At most this many things are looked up in one request (the server caps aliases). */
export const LINKS_PER_REQUEST = 15;

/** Whether each customer and case still exists (and a case's customer): `things` are
 * {entityType, entityId}; the answer's `t0`, `t1`… follow their order. */
export function linksOf(things) {
  const variables = {};
  const fields = things.map((thing, index) => {
    variables[`t${index}`] = thing.entityId;
    return thing.entityType === "CUSTOMER"
      ? `t${index}: customer(id: $t${index}) { id }`
      : `t${index}: atRiskCase(id: $t${index}) { id customer { id } }`;
  });
  const parameters = things.map((_, index) => `$t${index}: ID!`).join(", ");
  return {
    document: `query HistoryLinks(${parameters}) { ${fields.join(" ")} }`,
    variables,
  };
}
