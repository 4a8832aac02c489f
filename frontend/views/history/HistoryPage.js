// The company's history (Settings › History, admins only): every change, newest first,
// narrowed by the kind of thing, one thing, who made it and a period of days in the
// company's time zone. The filters live in the address (a reload or a shared link shows
// the same events); "Load more" pages further; "Download CSV" gets the same events as a
// file. A customer's name links to the customer, a case's to its customer, while they exist.

import { html, useEffect, useLayoutEffect, useRef, useState, useStore } from "../../lib/dom.js";
import { dayStart, nextDay } from "../../lib/format.js";
import { graphql } from "../../lib/graphql.js";
import { Link, location, navigate, requestTitleFocus, setQuery } from "../../lib/router.js";
import { session, signedIn, signedOut } from "../../lib/session.js";
import { Page } from "../shell/Page.js";
import { Event } from "./Event.js";
import { LINKS_PER_REQUEST, LOG, LOG_NAMES, WHO, linksOf } from "./operations.js";
import { ENTITIES, entityLabel, inSentence, loadProblem, namesOf, viewOf } from "./words.js";

export const LOG_PAGE = 50;
const PATH = "/settings/history";
const LEDE = "Who changed what, and when: every change to entries, customers, cases, people, API tokens and the company.";
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The filters as the address has them. */
function filtersOf(search) {
  return {
    entityType: search.get("entity_type") ?? "",
    entityId: search.get("entity_id") ?? "",
    actor: search.get("actor") ?? "",
    from: search.get("from") ?? "",
    to: search.get("to") ?? "",
  };
}

function isDay(text) {
  const match = DAY.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
}

/** What is wrong with the filters, field by field (nothing is loaded until it is right). */
function problemsOf(filters) {
  const problems = {};
  if (filters.entityType && !ENTITIES.some((entity) => entity.value === filters.entityType)) {
    problems.entityType = "Choose a kind of thing from the list.";
  }
  if (filters.from && !isDay(filters.from)) {
    problems.from = "Enter the first day as a date, like 2026-12-01.";
  }
  if (filters.to && !isDay(filters.to)) {
    problems.to = "Enter the last day as a date, like 2026-12-31.";
  }
  if (!problems.from && !problems.to && filters.from && filters.to && filters.to < filters.from) {
    problems.to = "The last day is before the first day.";
  }
  return problems;
}

/** The filter as the API takes it: days become the instants they start (`to` exclusive). */
function apiFilter(filters, timeZone) {
  return {
    entityType: filters.entityType || null,
    entityId: filters.entityId || null,
    actor: filters.actor.trim() || null,
    from: filters.from ? dayStart(filters.from, timeZone) : null,
    to: filters.to ? dayStart(nextDay(filters.to), timeZone) : null,
  };
}

/** The CSV download of the same events (the parameters of GET /settings/history.csv). */
function csvHref(filter) {
  const query = new URLSearchParams();
  const names = { entityType: "entity_type", entityId: "entity_id", actor: "actor", from: "from", to: "to" };
  for (const [key, name] of Object.entries(names)) {
    if (filter[key]) query.set(name, filter[key]);
  }
  const text = query.toString();
  return text ? `/settings/history.csv?${text}` : "/settings/history.csv";
}

function thingKey(event) {
  return `${event.entityType}:${event.entityId}`;
}

/** Where a customer or a case can be seen, for those not looked up yet: key → href or null. */
async function lookUpLinks(events, known) {
  const wanted = new Map();
  for (const event of events) {
    const linkable = event.entityType === "CUSTOMER" || event.entityType === "AT_RISK_CASE";
    if (linkable && !known.has(thingKey(event))) wanted.set(thingKey(event), event);
  }
  const things = [...wanted.values()];
  const found = new Map();
  for (let start = 0; start < things.length; start += LINKS_PER_REQUEST) {
    const chunk = things.slice(start, start + LINKS_PER_REQUEST);
    const { document, variables } = linksOf(chunk);
    const data = await graphql(document, variables);
    chunk.forEach((thing, index) => {
      const answer = data[`t${index}`];
      const customerId = thing.entityType === "CUSTOMER" ? answer?.id : answer?.customer?.id;
      found.set(thingKey(thing), customerId ? `/customers/${encodeURIComponent(customerId)}` : null);
    });
  }
  return found;
}

function Subject({ event, href, narrowed }) {
  const label = event.entityLabel || "(no name)";
  const one = `${PATH}?${new URLSearchParams({ entity_type: event.entityType, entity_id: event.entityId })}`;
  return html`<span class="history-kind">${entityLabel(event.entityType)}</span>
    ${" "}${href ? html`<${Link} class="history-label" href=${href}>${label}</${Link}>` : html`<span class="history-label">${label}</span>`}
    ${!narrowed &&
    html`${" "}<${Link} class="history-only" href=${one}>
      All its events<span class="visually-hidden">: ${entityLabel(event.entityType)} ${label}</span>
    </${Link}>`}`;
}

export function HistoryPage() {
  const { me } = useStore(session);
  const { search } = useStore(location);
  const query = search.toString();
  const filters = filtersOf(search);
  const problems = problemsOf(filters);
  const valid = Object.keys(problems).length === 0;
  const timeZone = me?.company?.timezone ?? "UTC";

  const [state, setState] = useState({ status: "loading", events: [], next: null, problem: null });
  const [paging, setPaging] = useState({ busy: false, problem: null });
  const [actor, setActor] = useState(filters.actor);
  const [links, setLinks] = useState(() => new Map());
  const [names, setNames] = useState(null);
  const [focusId, setFocusId] = useState(null);
  const request = useRef(0);
  const list = useRef(null);
  const alive = useRef(true);

  useEffect(() => () => {
    alive.current = false;
  }, []);

  async function whoAmI() {
    const who = (await graphql(WHO)).me;
    signedIn(who);
    return who;
  }

  async function linksFor(events) {
    try {
      const found = await lookUpLinks(events, links);
      if (alive.current && found.size > 0) {
        setLinks((current) => new Map([...current, ...found]));
      }
    } catch {
      // Without links the names still read; the next page tries again.
    }
  }

  async function fetchPage(after, zone) {
    const data = await graphql(LOG, { filter: apiFilter(filters, zone), first: LOG_PAGE, after });
    signedIn(data.me);
    return data.auditEvents;
  }

  async function load() {
    const mine = ++request.current;
    setPaging({ busy: false, problem: null });
    if (!valid) {
      setState({ status: "invalid", events: [], next: null, problem: null });
      return;
    }
    setState((current) => ({ ...current, status: "loading", problem: null }));
    try {
      const known = session.get().me ?? (await whoAmI());
      if (known.role !== "ADMIN") return; // the app shows that there is no such page
      const page = await fetchPage(null, known.company.timezone);
      if (!alive.current || mine !== request.current) return;
      setState({
        status: "ready",
        events: page.nodes,
        next: page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null,
        problem: null,
      });
      linksFor(page.nodes);
    } catch (error) {
      if (!alive.current || mine !== request.current) return;
      if (error.kind === "unauthenticated") {
        signedOut();
        return;
      }
      if (error.kind === "forbidden") {
        try {
          await whoAmI(); // no longer an admin: the app shows that there is no such page
        } catch {
          // the problem below says it
        }
      }
      setState({ status: "error", events: [], next: null, problem: error });
    }
  }

  async function loadMore() {
    if (paging.busy || !state.next) return;
    const mine = request.current;
    setPaging({ busy: true, problem: null });
    try {
      const page = await fetchPage(state.next, timeZone);
      if (!alive.current || mine !== request.current) return;
      const shown = new Set(state.events.map((event) => event.id));
      const fresh = page.nodes.filter((event) => !shown.has(event.id));
      setState((current) => ({
        ...current,
        events: [...current.events, ...fresh],
        next: page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null,
      }));
      setPaging({ busy: false, problem: null });
      if (fresh.length > 0) setFocusId(fresh[0].id);
      linksFor(fresh);
    } catch (error) {
      if (!alive.current || mine !== request.current) return;
      if (error.kind === "unauthenticated") {
        signedOut("Your session has ended. Sign in again.");
        return;
      }
      setPaging({ busy: false, problem: error });
    }
  }

  useEffect(() => {
    load();
  }, [query]);

  // The names of people and entries: suggestions for "Changed by", and readable values.
  useEffect(() => {
    graphql(LOG_NAMES)
      .then((data) => alive.current && setNames(namesOf(data)))
      .catch(() => {}); // only suggestions and names: the ids still show
  }, []);

  // The address changed (Back, a link): the field shows what it now filters by.
  useEffect(() => setActor(filters.actor), [filters.actor]);

  useLayoutEffect(() => {
    if (focusId) {
      list.current?.querySelector(`[data-event-id="${CSS.escape(focusId)}"]`)?.focus();
      setFocusId(null);
    }
  }, [focusId]);

  function change(values) {
    setQuery(values);
  }

  function submit(event) {
    event.preventDefault();
    if (actor.trim() !== filters.actor) change({ actor: actor.trim() });
  }

  function clear() {
    setActor("");
    navigate(PATH);
  }

  async function retry() {
    requestTitleFocus();
    await load();
  }

  const narrowed = filters.entityId !== "";
  const filtered = Object.values(filters).some((value) => value !== "");
  const oneThing = narrowed ? state.events.find((event) => event.entityId === filters.entityId) : null;
  const describe = (field) => (problems[field] ? `history-${field}-error` : null);

  const view = viewOf(me, names);
  let body;
  if (state.status === "invalid") {
    body = html`<p class="history-placeholder">Correct the filters above to see the history.</p>`;
  } else if (state.status === "error") {
    body = html`<div class="problem">
      <p class="problem-message" role="alert">${loadProblem(state.problem)}</p>
      <button type="button" class="button" onClick=${retry}>Retry</button>
    </div>`;
  } else if (state.status === "loading" && state.events.length === 0) {
    body = html`<p class="history-placeholder">Loading history…</p>`;
  } else if (state.events.length === 0) {
    body = html`<p class="history-placeholder">
      ${filtered ? "No changes match these filters." : "No changes have been recorded yet."}
    </p>`;
  } else {
    body = html`<ol class="history-events history-log" ref=${list}>
        ${state.events.map(
          (event) => html`<${Event}
            key=${event.id}
            event=${event}
            view=${view}
            subject=${html`<${Subject} event=${event} href=${links.get(thingKey(event)) ?? null} narrowed=${narrowed} />`}
          />`,
        )}
      </ol>
      <p class="history-count" role="status">
        ${state.events.length} ${state.events.length === 1 ? "change" : "changes"} shown${state.next ? "; there are more." : "."}
      </p>
      ${paging.problem && html`<p class="history-problem-message" role="alert">${loadProblem(paging.problem, "more changes")}</p>`}
      ${state.next &&
      html`<button type="button" class="button history-more" aria-disabled=${paging.busy ? "true" : null} onClick=${loadMore}>Load more</button>`}`;
  }

  return html`<${Page}
    title="History"
    breadcrumb=${[{ label: "Settings", href: "/settings/at-risk-entries" }]}
    lede=${LEDE}
    busy=${state.status === "loading" || paging.busy}
  >
    <form class="history-filters" role="search" aria-label="Filter the history" novalidate onSubmit=${submit}>
      <div class="history-filter">
        <label class="field-label" for="history-type">Kind</label>
        <select
          class="field-input"
          id="history-type"
          value=${filters.entityType}
          aria-invalid=${problems.entityType ? "true" : null}
          aria-describedby=${describe("entityType")}
          onChange=${(event) => change({ entity_type: event.currentTarget.value, entity_id: null })}
        >
          <option value="">Everything</option>
          ${ENTITIES.map((entity) => html`<option key=${entity.value} value=${entity.value}>${entity.plural}</option>`)}
        </select>
        ${problems.entityType && html`<p class="field-error" id="history-entityType-error">${problems.entityType}</p>`}
      </div>
      <div class="history-filter">
        <label class="field-label" for="history-actor">Changed by</label>
        <input
          class="field-input"
          id="history-actor"
          type="text"
          list="history-actors"
          autocomplete="off"
          placeholder="Email or token name"
          value=${actor}
          onInput=${(event) => setActor(event.currentTarget.value)}
          onChange=${(event) => change({ actor: event.currentTarget.value.trim() })}
        />
        <datalist id="history-actors">
          ${[...(names?.people.values() ?? [])].map((email) => html`<option key=${email} value=${email}></option>`)}
        </datalist>
      </div>
      <div class="history-filter">
        <label class="field-label" for="history-from">From</label>
        <input
          class="field-input"
          id="history-from"
          type="date"
          value=${isDay(filters.from) ? filters.from : ""}
          aria-invalid=${problems.from ? "true" : null}
          aria-describedby=${describe("from")}
          onChange=${(event) => change({ from: event.currentTarget.value })}
        />
        ${problems.from && html`<p class="field-error" id="history-from-error">${problems.from}</p>`}
      </div>
      <div class="history-filter">
        <label class="field-label" for="history-to">To</label>
        <input
          class="field-input"
          id="history-to"
          type="date"
          value=${isDay(filters.to) ? filters.to : ""}
          aria-invalid=${problems.to ? "true" : null}
          aria-describedby=${describe("to")}
          onChange=${(event) => change({ to: event.currentTarget.value })}
        />
        ${problems.to && html`<p class="field-error" id="history-to-error">${problems.to}</p>`}
      </div>
      <div class="history-filter-actions">
        <button type="submit" class="button">Apply</button>
        ${filtered && html`<button type="button" class="button button-quiet" onClick=${clear}>Clear filters</button>`}
        ${valid && html`<a class="button" href=${csvHref(apiFilter(filters, timeZone))} download>Download CSV</a>`}
      </div>
    </form>
    <p class="history-zone">Days are in the company's time zone, ${timeZone}.</p>

    ${narrowed &&
    html`<p class="history-narrowed">
      <span>
        Only the changes of one ${filters.entityType ? inSentence(entityLabel(filters.entityType)) : "thing"}${oneThing ? html`: “${oneThing.entityLabel}”` : ""}.
      </span>
      ${" "}<button type="button" class="link-button" onClick=${() => change({ entity_id: null })}>Show every one</button>
    </p>`}

    ${body}
  </${Page}>`;
}
