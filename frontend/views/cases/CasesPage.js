// The work queue (the landing page): cases by follow-up, overdue ones marked, narrowed by
// filters kept in the address, a page of 50 at a time with "Load more", and "Flag at risk"
// for admins and agents.

import { graphql } from "../../lib/graphql.js";
import { html, useEffect, useFocusNext, useRef, useState, useStore } from "../../lib/dom.js";
import { formatDate, formatDays, formatMoney } from "../../lib/format.js";
import { Link, location, navigate, requestTitleFocus, setQuery } from "../../lib/router.js";
import { ME, session, signedIn, signedOut } from "../../lib/session.js";
import { useLiveChanges } from "../../lib/live.js";
import { showToast } from "../../lib/toast.js";
import { Page } from "../shell/Page.js";
import { FlagDialog } from "./FlagDialog.js";
import {
  assigneeChoice,
  assigneeParams,
  filtersOf,
  narrowed,
  queryFilter,
  statusParam,
} from "./filters.js";
import { MORE_CASES, QUEUE, QUEUE_PAGE, QUEUE_PAGE_MAX } from "./operations.js";
import { ORDERS, RISKS, RISK_NAMES, STATUSES, STATUS_NAMES, loadProblem, personName, problem } from "./words.js";

const LEDE = "Customers at risk of cancelling, soonest follow-up first.";
const ENTRY_FILTERS = [
  { param: "reason", category: "REASON", label: "Reason", none: "Any reason" },
  { param: "cause", category: "CAUSE", label: "Cause", none: "Any cause" },
  { param: "resolution", category: "RESOLUTION", label: "Resolution", none: "Any resolution" },
  { param: "creditReason", category: "CREDIT_REASON", label: "Credit reason", none: "Any credit reason" },
];

/** Whether a follow-up is due already. */
export function overdue(found) {
  return Boolean(found.followUpAt) && !["RESOLVED", "LOST", "CANCELLED"].includes(found.status) &&
    new Date(found.followUpAt).getTime() < Date.now();
}

function FollowUp({ found, timeZone }) {
  if (!found.followUpAt) return html`<span class="muted">None</span>`;
  const late = overdue(found);
  return html`<span class=${late ? "follow-up is-overdue" : "follow-up"}>
    ${formatDate(found.followUpAt, timeZone)}
    ${late && html` <span class="marker marker-overdue">Overdue</span>`}
  </span>`;
}

function StatusMarker({ status }) {
  return html`<span class=${`marker marker-status marker-${status.toLowerCase()}`}>${STATUS_NAMES[status]}</span>`;
}

function RiskMarker({ level }) {
  return html`<span class=${`marker marker-risk marker-risk-${level.toLowerCase()}`}>
    ${RISK_NAMES[level]}<span class="visually-hidden"> risk</span>
  </span>`;
}

function CaseRow({ found, me }) {
  const { timezone, currency } = me.company;
  return html`<tr data-case-id=${found.id}>
    <th scope="row" data-label="Customer">
      <${Link} href=${`/customers/${found.customer.id}`} class="case-customer">${found.customer.name}</${Link}>
      ${found.customer.accountNumber && html`<span class="case-account">#${found.customer.accountNumber}</span>`}
    </th>
    <td data-label="Follow-up"><${FollowUp} found=${found} timeZone=${timezone} /></td>
    <td data-label="Status"><${StatusMarker} status=${found.status} /></td>
    <td data-label="Risk"><${RiskMarker} level=${found.riskLevel} /></td>
    <td data-label="Reason">${found.reason.name}</td>
    <td data-label="Assigned to">${found.assignedTo ? personName(found.assignedTo) : html`<span class="muted">No one</span>`}</td>
    <td data-label="Open for" class="number">${formatDays(found.daysOpen)}</td>
    <td data-label="RMR at risk" class="number">${formatMoney(found.rmrAtRisk, currency)}</td>
  </tr>`;
}

function Filters({ filters, search, me, users, entries }) {
  const userChoices = users.filter((u) => u.role !== "VIEWER" || u.id === filters.assignedTo);
  const risk = filters.risks.join(",");
  const set = (changes) => setQuery(changes);

  function toggleStatus(value, on) {
    const next = on ? [...filters.statuses, value] : filters.statuses.filter((s) => s !== value);
    set({ status: statusParam(next) });
  }

  return html`<form class="queue-filters" id="queue-filters" aria-label="Filters" onSubmit=${(event) => event.preventDefault()}>
    <fieldset class="filter filter-statuses">
      <legend class="filter-label">Status</legend>
      <div class="choices">
        ${STATUSES.map(
          (status) => html`<label class="choice" key=${status.value}>
            <input
              type="checkbox"
              name="status"
              value=${status.value}
              checked=${filters.statuses.includes(status.value)}
              onChange=${(event) => toggleStatus(status.value, event.currentTarget.checked)}
            /><span>${status.label}</span>
          </label>`,
        )}
      </div>
      ${filters.statuses.length === 0 && html`<p class="field-note">Every status is shown.</p>`}
    </fieldset>
    <div class="filter">
      <label class="filter-label" for="filter-assignee">Assigned to</label>
      <select
        class="field-input"
        id="filter-assignee"
        value=${assigneeChoice(filters)}
        onChange=${(event) => set(assigneeParams(event.currentTarget.value))}
      >
        <option value="">Anyone</option>
        ${me.role !== "VIEWER" && html`<option value="mine">Me</option>`}
        <option value="unassigned">No one</option>
        ${userChoices.map((u) => html`<option key=${u.id} value=${u.id}>${personName(u)}</option>`)}
      </select>
    </div>
    <div class="filter">
      <label class="filter-label" for="filter-risk">Risk</label>
      <select class="field-input" id="filter-risk" value=${risk} onChange=${(event) => set({ risk: event.currentTarget.value })}>
        <option value="">Any risk</option>
        ${RISKS.map((r) => html`<option key=${r.value} value=${r.value}>${r.label}</option>`)}
        ${filters.risks.length > 1 && html`<option value=${risk}>${filters.risks.map((r) => RISK_NAMES[r]).join(", ")}</option>`}
      </select>
    </div>
    ${ENTRY_FILTERS.map((f) => {
      const choices = entries.filter((e) => e.category === f.category);
      const value = filters[f.param];
      return html`<div class="filter" key=${f.param}>
        <label class="filter-label" for=${`filter-${f.param}`}>${f.label}</label>
        <select class="field-input" id=${`filter-${f.param}`} value=${value} onChange=${(event) => set({ [f.param]: event.currentTarget.value })}>
          <option value="">${f.none}</option>
          ${choices.map((e) => html`<option key=${e.id} value=${e.id}>${e.active ? e.name : `${e.name} (inactive)`}</option>`)}
          ${value && !choices.some((e) => e.id === value) && html`<option value=${value}>Unknown ${f.label.toLowerCase()}</option>`}
        </select>
      </div>`;
    })}
    <div class="filter">
      <label class="filter-label" for="filter-since">Reported or closed from</label>
      <input class="field-input" id="filter-since" type="date" value=${filters.from} onChange=${(event) => set({ from: event.currentTarget.value })} />
    </div>
    <div class="filter">
      <label class="filter-label" for="filter-until">through</label>
      <input class="field-input" id="filter-until" type="date" value=${filters.to} onChange=${(event) => set({ to: event.currentTarget.value })} />
    </div>
    <div class="filter">
      <label class="filter-label" for="filter-order">Order</label>
      <select
        class="field-input"
        id="filter-order"
        value=${filters.order.param}
        onChange=${(event) => set({ order: event.currentTarget.value === ORDERS[0].param ? null : event.currentTarget.value })}
      >
        ${ORDERS.map((o) => html`<option key=${o.param} value=${o.param}>${o.label}</option>`)}
      </select>
    </div>
    ${narrowed(search) &&
    html`<div class="filter filter-clear">
      <button type="button" class="button button-small button-quiet" onClick=${() => navigate(filters.order.param === ORDERS[0].param ? "/cases" : `/cases?order=${filters.order.param}`)}>
        Clear filters
      </button>
    </div>`}
  </form>`;
}

export function CasesPage() {
  const { me } = useStore(session);
  const { search } = useStore(location);
  const query = search.toString();
  const filters = filtersOf(search);
  const [state, setState] = useState({ status: "loading", nodes: [], total: 0, pageInfo: null, users: [], entries: [] });
  const [more, setMore] = useState({ busy: false, problem: null });
  const [flagging, setFlagging] = useState(false);
  // On a wide screen the filters show; on a phone they fold away unless some are set.
  const [showFilters, setShowFilters] = useState(
    () => narrowed(search) || window.matchMedia("(min-width: 52rem)").matches,
  );
  const requests = useRef(0);
  const focusNext = useFocusNext(null); // after "Load more": the first row it brought

  const canWork = me !== null && me.role !== "VIEWER";

  async function variables(current) {
    let userId = session.get().me?.userId;
    if (current.mine && !userId) {
      const data = await graphql(`query Me { ${ME} }`);
      signedIn(data.me);
      userId = data.me.userId;
    }
    return { filter: queryFilter(current, userId), orderBy: current.order.value };
  }

  async function load({ quiet = false, first = QUEUE_PAGE } = {}) {
    const request = ++requests.current;
    if (!quiet) setState((before) => ({ ...before, status: "loading" }));
    setMore({ busy: false, problem: null });
    try {
      const data = await graphql(QUEUE, { ...(await variables(filters)), first });
      if (request !== requests.current) return;
      signedIn(data.me);
      const queue = data.atRiskCases;
      setState({
        status: "ready",
        nodes: queue.nodes,
        total: queue.totalCount,
        pageInfo: queue.pageInfo,
        users: data.users,
        entries: data.atRiskEntries,
      });
    } catch (error) {
      if (request !== requests.current) return;
      if (error.kind === "unauthenticated") {
        signedOut(quiet ? "Your session has ended. Sign in again." : "");
      } else {
        setState((before) => ({ ...before, status: "error", problem: error }));
      }
    }
  }

  useEffect(() => {
    load();
  }, [query]);

  // Someone else's change to a case, a customer, a list or a person: the queue is read again
  // in place, as many rows as are shown (one read for a burst of changes). Changes to tokens
  // never show here.
  const liveTimer = useRef(0);
  const reload = useRef(null);
  reload.current = () => {
    const first = Math.min(Math.max(state.nodes.length, QUEUE_PAGE), QUEUE_PAGE_MAX);
    load({ quiet: true, first });
  };
  useLiveChanges((change) => {
    if (change.entityType === "API_TOKEN") return;
    clearTimeout(liveTimer.current);
    liveTimer.current = setTimeout(() => reload.current(), 250);
  });
  useEffect(() => () => clearTimeout(liveTimer.current), []);

  async function loadMore() {
    const request = requests.current;
    setMore({ busy: true, problem: null });
    try {
      const data = await graphql(MORE_CASES, { ...(await variables(filters)), after: state.pageInfo.endCursor });
      if (request !== requests.current) return;
      const queue = data.atRiskCases;
      setState((before) => {
        const seen = new Set(before.nodes.map((n) => n.id));
        return {
          ...before,
          nodes: [...before.nodes, ...queue.nodes.filter((n) => !seen.has(n.id))],
          total: queue.totalCount,
          pageInfo: queue.pageInfo,
        };
      });
      setMore({ busy: false, problem: null });
      const first = queue.nodes[0];
      if (first) focusNext.current = `[data-case-id="${CSS.escape(first.id)}"] a`;
    } catch (error) {
      if (request !== requests.current) return;
      if (error.kind === "unauthenticated") signedOut("Your session has ended. Sign in again.");
      setMore({ busy: false, problem: problem(error, "No more cases were loaded.") });
    }
  }

  function closeFlag() {
    setFlagging(false);
    document.getElementById("flag-at-risk")?.focus();
  }

  function flagged(found) {
    closeFlag();
    showToast(`Flagged “${found.customer.name}” at risk.`);
    load({ quiet: true });
  }

  async function retry() {
    requestTitleFocus();
    await load();
  }

  const ready = state.status === "ready";
  let body;
  if (state.status === "error") {
    body = html`<div class="problem">
      <p class="problem-message" role="alert">${loadProblem(state.problem, "the work queue")}</p>
      <button type="button" class="button" onClick=${retry}>Retry</button>
    </div>`;
  } else if (state.status === "loading" && state.nodes.length === 0) {
    body = html`<p class="placeholder">Loading…</p>`;
  } else if (state.nodes.length === 0) {
    body = html`<p class="placeholder">
      ${narrowed(search) ? "No cases match these filters." : "No customer is at risk right now."}
    </p>`;
  } else {
    body = html`<table class="queue">
        <caption class="visually-hidden">At-risk cases</caption>
        <thead>
          <tr>
            <th scope="col">Customer</th>
            <th scope="col">Follow-up</th>
            <th scope="col">Status</th>
            <th scope="col">Risk</th>
            <th scope="col">Reason</th>
            <th scope="col">Assigned to</th>
            <th scope="col" class="number">Open for</th>
            <th scope="col" class="number">RMR at risk</th>
          </tr>
        </thead>
        <tbody>
          ${state.nodes.map((found) => html`<${CaseRow} key=${found.id} found=${found} me=${me} />`)}
        </tbody>
      </table>
      ${state.pageInfo?.hasNextPage &&
      html`<div class="load-more">
        <button type="button" class="button" onClick=${loadMore} disabled=${more.busy}>
          ${more.busy ? "Loading…" : "Load more"}
        </button>
        ${more.problem && html`<p class="field-error" role="alert">${more.problem}</p>`}
      </div>`}`;
  }

  return html`<${Page} title="Cases" lede=${LEDE} busy=${state.status === "loading"}>
    <div class="page-actions">
      <p class="count" role="status">
        ${ready && `${state.nodes.length < state.total ? `${state.nodes.length} of ` : ""}${state.total} ${state.total === 1 ? "case" : "cases"}`}
      </p>
      ${(me === null || canWork) &&
      html`<button type="button" class="button button-primary" id="flag-at-risk" disabled=${!ready} onClick=${() => setFlagging(true)}>
        Flag at risk
      </button>`}
    </div>
    ${me &&
    html`<details class="filters-box" open=${showFilters} onToggle=${(event) => setShowFilters(event.currentTarget.open)}>
      <summary class="filters-summary">
        Filters${narrowed(search) ? html` <span class="count">on</span>` : ""}
      </summary>
      <${Filters} filters=${filters} search=${search} me=${me} users=${state.users} entries=${state.entries} />
    </details>`}
    <div class="queue-body">${body}</div>
    ${flagging &&
    html`<${FlagDialog}
      me=${me}
      entries=${state.entries}
      users=${state.users}
      onFlagged=${flagged}
      onClose=${closeFlag}
    />`}
  </${Page}>`;
}
