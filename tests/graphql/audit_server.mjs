// Runs graphql-http's server audit (vendored under tests/vendor/) against a GraphQL URL
// and prints every result as one JSON array. With AUDIT_AUTHORIZATION set, each request
// carries that Authorization header.
//
//   node tests/graphql/audit_server.mjs http://127.0.0.1:8000/graphql

import { auditServer } from "../vendor/graphql-http-1.23.1/lib/audits/server.mjs";

const [url] = process.argv.slice(2);
const authorization = process.env.AUDIT_AUTHORIZATION;

function fetchFn(input, init = {}) {
  if (!authorization) {
    return fetch(input, init);
  }
  const headers = new Headers(init.headers);
  headers.set("authorization", authorization);
  return fetch(input, { ...init, headers });
}

const results = await auditServer({ url, fetchFn });
process.stdout.write(JSON.stringify(results.map(({ id, name, status, reason }) => ({ id, name, status, reason }))));
