// Live updates: while someone is signed in, one WebSocket to /graphql (graphql-transport-ws,
// with the vendored graphql-ws client) subscribed to companyChanges. The session cookie
// authenticates it: the page and the socket share the app's own origin.
//
//   live            a store: {status} "off" | "connecting" | "live" | "offline"
//   useLiveChanges  a page's hook: its callback gets every change of the company
//                   ({entityType, entityId, action, version, resync}); resync true means
//                   "reload what you show" (sent first, and after any gap: a dropped
//                   connection is reopened with backoff and its first message is a resync,
//                   so a page reloads its data once after a reconnect)
//
// The socket ends when the session does (the server closes it with 4401 or 4403); the
// page's next request then shows the sign-in form.

import { createClient } from "../vendor/graphql-ws-6.4.2.module.js";
import { createStore, useEffect, useRef } from "./dom.js";
import { graphql } from "./graphql.js";
import { session, signedOut } from "./session.js";

export const CHANGES = "subscription LiveChanges { companyChanges { entityType entityId action version resync } }";
const SESSION_ENDED = new Set([4401, 4403]);
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30000;
const PROBE = "query LiveProbe { me { email } }";

export const live = createStore({ status: "off" });

const listeners = new Set();
let client = null;
let stopSubscription = null;

function socketUrl() {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${window.location.host}/graphql`;
}

function wait(retries) {
  const ceiling = Math.min(FIRST_RETRY_MS * 2 ** retries, MAX_RETRY_MS);
  const ms = ceiling / 2 + Math.random() * (ceiling / 2);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function deliver(change) {
  for (const listener of [...listeners]) {
    try {
      listener(change);
    } catch (error) {
      console.error("a live-updates listener failed", error);
    }
  }
}

/** The socket was refused for its credential: if HTTP says so too, the session is over. */
async function sessionMayHaveEnded() {
  stop();
  live.set({ status: "offline" });
  try {
    await graphql(PROBE);
    start(); // HTTP still works: try the socket again
  } catch (error) {
    if (error.kind === "unauthenticated") {
      signedOut("Your session has ended. Sign in again.");
    }
  }
}

function start() {
  if (client !== null) {
    return;
  }
  live.set({ status: "connecting" });
  const current = createClient({
    url: socketUrl(),
    lazy: false,
    keepAlive: 20000,
    retryAttempts: Number.POSITIVE_INFINITY,
    retryWait: wait,
    shouldRetry: (event) => !SESSION_ENDED.has(event?.code),
    onNonLazyError: () => {},
    on: {
      connected: () => client === current && live.set({ status: "live" }),
      closed: (event) => {
        if (client !== current) {
          return;
        }
        if (SESSION_ENDED.has(event?.code)) {
          sessionMayHaveEnded();
        } else {
          live.set({ status: "offline" });
        }
      },
    },
  });
  client = current;
  stopSubscription = current.subscribe(
    { query: CHANGES, operationName: "LiveChanges" },
    {
      next: (message) => {
        const change = message?.data?.companyChanges;
        if (change) {
          deliver(change);
        }
      },
      error: () => {},
      complete: () => {},
    },
  );
}

function stop() {
  const current = client;
  client = null;
  if (stopSubscription !== null) {
    stopSubscription();
    stopSubscription = null;
  }
  if (current !== null) {
    current.dispose();
  }
  live.set({ status: "off" });
}

// The socket follows the session: open while someone is signed in.
session.subscribe((state) => (state.status === "signed-in" ? start() : stop()));

/** Call `callback` with every change while the calling view is shown. */
export function useLiveChanges(callback) {
  const latest = useRef(callback);
  latest.current = callback;
  useEffect(() => {
    const listener = (change) => latest.current(change);
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, []);
}
