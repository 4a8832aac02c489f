// Loading a Settings page's data with who is signed in, the same way on every page: a
// signed-out answer shows the sign-in form, and an account that may not use the page (its
// role learnt from `me`) sees "Page not found" from the app.

import { useEffect, useState } from "../../lib/dom.js";
import { graphql } from "../../lib/graphql.js";
import { signedIn, signedOut } from "../../lib/session.js";
import { WHO } from "./operations.js";

export const SESSION_ENDED = "Your session has ended. Sign in again.";

/**
 * `[state, load, update]`: state is {status: "loading" | "ready" | "error", data, problem};
 * `load({quiet})` asks again (quietly: the page stays as it is meanwhile); `update(change)`
 * changes the data in place (change: data => data).
 */
export function usePageData(document, pick) {
  const [state, setState] = useState({ status: "loading", data: null, problem: null });

  async function load({ quiet = false } = {}) {
    if (!quiet) setState((current) => ({ ...current, status: "loading", problem: null }));
    try {
      const data = await graphql(document);
      signedIn(data.me);
      setState({ status: "ready", data: pick(data), problem: null });
    } catch (error) {
      if (error.kind === "unauthenticated") {
        signedOut(quiet ? SESSION_ENDED : "");
        return;
      }
      if (error.kind === "forbidden" && (await learnWhoIsIn())) {
        return; // the app now knows the role, and shows that there is no such page
      }
      if (!quiet) setState({ status: "error", data: null, problem: error });
    }
  }

  function update(change) {
    setState((current) => ({ ...current, data: change(current.data) }));
  }

  useEffect(() => {
    load();
  }, []);

  return [state, load, update];
}

async function learnWhoIsIn() {
  try {
    signedIn((await graphql(WHO)).me);
    return true;
  } catch (error) {
    if (error.kind === "unauthenticated") {
      signedOut();
      return true;
    }
    return false;
  }
}

/** What to do when an action finds the session ended outside any window: sign in again. */
export function sessionEnded() {
  signedOut(SESSION_ENDED);
}
