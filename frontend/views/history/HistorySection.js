// The history of one entry, customer or case, newest first: {owner: "atRiskEntry" |
// "customer" | "atRiskCase", id}. It loads its own events (20 at a time; "Show more" pages
// further, after the last one shown), in the company's time zone, and says when it is
// loading, has nothing yet or could not load (with Retry). `heading` is the tag of its
// title ("h2", "h3"…), or null where something around it already says "History".

import { html, useEffect, useId, useLayoutEffect, useRef, useState } from "../../lib/dom.js";
import { graphql } from "../../lib/graphql.js";
import { Event } from "./Event.js";
import { historyOf } from "./operations.js";
import { loadProblem, namesOf, viewOf } from "./words.js";

export const HISTORY_PAGE = 20;

const GONE = {
  atRiskEntry: "This entry no longer exists.",
  customer: "This customer no longer exists.",
  atRiskCase: "This case no longer exists.",
};

export function HistorySection({ owner, id, heading = "h2" }) {
  const [state, setState] = useState({ status: "loading", events: [], more: false, problem: null });
  const [paging, setPaging] = useState({ busy: false, problem: null });
  const [focusId, setFocusId] = useState(null);
  const view = useRef(viewOf(null));
  const alive = useRef(true);
  const request = useRef(0);
  const titleId = useId();

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  async function fetchPage(after) {
    const data = await graphql(historyOf(owner), { id, first: HISTORY_PAGE + 1, after });
    view.current = viewOf(data.me, owner === "atRiskCase" ? namesOf(data) : null);
    return data.thing === null ? null : data.thing.history;
  }

  async function load() {
    const mine = ++request.current;
    setState((current) => ({ ...current, status: "loading", problem: null }));
    setPaging({ busy: false, problem: null });
    try {
      const events = await fetchPage(null);
      if (!alive.current || mine !== request.current) return;
      if (events === null) {
        setState({ status: "gone", events: [], more: false, problem: null });
        return;
      }
      setState({
        status: "ready",
        events: events.slice(0, HISTORY_PAGE),
        more: events.length > HISTORY_PAGE,
        problem: null,
      });
    } catch (error) {
      if (alive.current && mine === request.current) {
        setState({ status: "error", events: [], more: false, problem: error });
      }
    }
  }

  async function showMore() {
    if (paging.busy) return;
    const mine = request.current;
    const last = state.events[state.events.length - 1];
    setPaging({ busy: true, problem: null });
    try {
      const events = (await fetchPage(last.id)) ?? [];
      if (!alive.current || mine !== request.current) return;
      const shown = new Set(state.events.map((event) => event.id));
      const fresh = events.slice(0, HISTORY_PAGE).filter((event) => !shown.has(event.id));
      setState((current) => ({
        ...current,
        events: [...current.events, ...fresh],
        more: events.length > HISTORY_PAGE,
      }));
      setPaging({ busy: false, problem: null });
      if (fresh.length > 0) setFocusId(fresh[0].id);
    } catch (error) {
      if (alive.current && mine === request.current) setPaging({ busy: false, problem: error });
    }
  }

  useEffect(() => {
    load();
  }, [owner, id]);

  // After "Show more", the first event it added takes the focus: the next Tab reaches
  // "Show more" again, and nothing is lost when it goes away at the end.
  const list = useRef(null);
  useLayoutEffect(() => {
    if (focusId) {
      list.current?.querySelector(`[data-event-id="${CSS.escape(focusId)}"]`)?.focus();
      setFocusId(null);
    }
  }, [focusId]);

  let body;
  if (state.status === "loading") {
    body = html`<p class="history-placeholder">Loading history…</p>`;
  } else if (state.status === "error") {
    body = html`<div class="history-problem">
      <p class="history-problem-message" role="alert">${loadProblem(state.problem)}</p>
      <button type="button" class="button button-small" onClick=${load}>Retry</button>
    </div>`;
  } else if (state.status === "gone") {
    body = html`<p class="history-placeholder">${GONE[owner]}</p>`;
  } else if (state.events.length === 0) {
    body = html`<p class="history-placeholder">No changes recorded yet.</p>`;
  } else {
    body = html`<ol class="history-events" ref=${list}>
        ${state.events.map((event) => html`<${Event} key=${event.id} event=${event} view=${view.current} />`)}
      </ol>
      ${paging.problem &&
      html`<p class="history-problem-message" role="alert">
        ${loadProblem(paging.problem, "more of the history")}
      </p>`}
      ${state.more &&
      html`<button type="button" class="button button-small history-more" aria-disabled=${paging.busy ? "true" : null} onClick=${showMore}>
        Show more
      </button>`}`;
  }

  const Heading = heading;
  return html`<section
    class="history"
    aria-labelledby=${Heading ? titleId : null}
    aria-label=${Heading ? null : "History"}
    aria-busy=${state.status === "loading" || paging.busy ? "true" : null}
  >
    ${Heading && html`<${Heading} class="history-title" id=${titleId}>History</${Heading}>`}
    ${body}
  </section>`;
}
