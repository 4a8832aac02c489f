// The customers: search by the start of a name or an account number and a status filter,
// both kept in the address (?q=jan&status=ACTIVE), 50 at a time with "Load more"; for
// admins and agents "Add customer" and "Import"; for everyone the CSV download.

import { html, useEffect, useFocusNext, useRef, useState, useStore } from "../../lib/dom.js";
import { formatMoney } from "../../lib/format.js";
import { graphql } from "../../lib/graphql.js";
import { Link, location, navigate, requestTitleFocus, setQuery } from "../../lib/router.js";
import { session, signedIn, signedOut } from "../../lib/session.js";
import { showToast } from "../../lib/toast.js";
import { Page } from "../shell/Page.js";
import { RISK_NAMES, STATUS_NAMES, loadProblem, problem } from "../cases/words.js";
import { CustomerEditor } from "./CustomerEditor.js";
import { ImportDialog } from "./ImportDialog.js";
import { CUSTOMERS, MORE_CUSTOMERS } from "./operations.js";

const SEARCH_DELAY_MS = 300;
const STATUS_FILTERS = [
  { value: "", label: "All" },
  { value: "ACTIVE", label: "Active" },
  { value: "CANCELLED", label: "Cancelled" },
];

function statusOf(search) {
  const value = search.get("status") ?? "";
  return STATUS_FILTERS.some((f) => f.value === value) ? value : "";
}

export function CustomersPage() {
  const { me } = useStore(session);
  const { search } = useStore(location);
  const q = search.get("q") ?? "";
  const status = statusOf(search);
  const [typed, setTyped] = useState(q);
  const [state, setState] = useState({ status: "loading", nodes: [], total: 0, pageInfo: null });
  const [more, setMore] = useState({ busy: false, problem: null });
  const [dialog, setDialog] = useState(null); // "adding" | "importing"
  const requests = useRef(0);
  const focusNext = useFocusNext(null); // after "Load more": the first row it brought

  const canWork = me !== null && me.role !== "VIEWER";
  const currency = me?.company.currency ?? "USD";

  // The address changed by Back or Forward: the box shows it.
  useEffect(() => setTyped(q), [q]);

  useEffect(() => {
    if (typed === q) return undefined;
    const timer = setTimeout(() => setQuery({ q: typed.trim() === "" ? null : typed }, { replace: true }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed]);

  function variables() {
    return { search: q.trim() || null, status: status || null };
  }

  async function load({ quiet = false } = {}) {
    const request = ++requests.current;
    if (!quiet) setState((before) => ({ ...before, status: "loading" }));
    setMore({ busy: false, problem: null });
    try {
      const data = await graphql(CUSTOMERS, variables());
      if (request !== requests.current) return;
      signedIn(data.me);
      setState({ status: "ready", nodes: data.customers.nodes, total: data.customers.totalCount, pageInfo: data.customers.pageInfo });
    } catch (error) {
      if (request !== requests.current) return;
      if (error.kind === "unauthenticated") signedOut(quiet ? "Your session has ended. Sign in again." : "");
      else setState((before) => ({ ...before, status: "error", problem: error }));
    }
  }

  useEffect(() => {
    load();
  }, [q, status]);

  async function loadMore() {
    const request = requests.current;
    setMore({ busy: true, problem: null });
    try {
      const data = await graphql(MORE_CUSTOMERS, { ...variables(), after: state.pageInfo.endCursor });
      if (request !== requests.current) return;
      const page = data.customers;
      setState((before) => {
        const seen = new Set(before.nodes.map((n) => n.id));
        return { ...before, nodes: [...before.nodes, ...page.nodes.filter((n) => !seen.has(n.id))], total: page.totalCount, pageInfo: page.pageInfo };
      });
      setMore({ busy: false, problem: null });
      if (page.nodes[0]) focusNext.current = `[data-customer-id="${CSS.escape(page.nodes[0].id)}"] a`;
    } catch (error) {
      if (request !== requests.current) return;
      if (error.kind === "unauthenticated") signedOut("Your session has ended. Sign in again.");
      setMore({ busy: false, problem: problem(error, "No more customers were loaded.") });
    }
  }

  function closeDialog(focusId) {
    setDialog(null);
    document.getElementById(focusId)?.focus();
  }

  function added(customer) {
    setDialog(null);
    showToast(`Added “${customer.name}”.`);
    navigate(`/customers/${customer.id}`);
    requestTitleFocus();
  }

  function imported(report) {
    closeDialog("import-customers");
    showToast(`Imported ${report.rows.toLocaleString()} rows: ${report.created} added, ${report.updated} updated.`);
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
      <p class="problem-message" role="alert">${loadProblem(state.problem, "the customers")}</p>
      <button type="button" class="button" onClick=${retry}>Retry</button>
    </div>`;
  } else if (state.status === "loading" && state.nodes.length === 0) {
    body = html`<p class="placeholder">Loading…</p>`;
  } else if (state.nodes.length === 0) {
    let empty = "No customers yet. Add one, or import a CSV file.";
    if (q.trim()) empty = `No customer’s name or account number starts with “${q.trim()}”.`;
    else if (status) empty = `No ${status === "ACTIVE" ? "active" : "cancelled"} customers.`;
    body = html`<p class="placeholder">${empty}</p>`;
  } else {
    body = html`<table class="customers">
        <caption class="visually-hidden">Customers</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Account</th>
            <th scope="col">Status</th>
            <th scope="col">At risk</th>
            <th scope="col" class="number">RMR</th>
          </tr>
        </thead>
        <tbody>
          ${state.nodes.map(
            (customer) => html`<tr key=${customer.id} data-customer-id=${customer.id}>
              <th scope="row" data-label="Name"><${Link} href=${`/customers/${customer.id}`}>${customer.name}</${Link}></th>
              <td data-label="Account">${customer.accountNumber ?? html`<span class="muted">—</span>`}</td>
              <td data-label="Status">
                <span class=${customer.status === "ACTIVE" ? "marker marker-active" : "marker marker-inactive"}>
                  ${customer.status === "ACTIVE" ? "Active" : "Cancelled"}
                </span>
              </td>
              <td data-label="At risk">
                ${customer.openCase
                  ? html`<span class="marker marker-risk marker-risk-${customer.openCase.riskLevel.toLowerCase()}">
                      ${STATUS_NAMES[customer.openCase.status]}, ${RISK_NAMES[customer.openCase.riskLevel].toLowerCase()} risk
                    </span>`
                  : html`<span class="muted">No</span>`}
              </td>
              <td data-label="RMR" class="number">${formatMoney(customer.rmr, currency)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${state.pageInfo?.hasNextPage &&
      html`<div class="load-more">
        <button type="button" class="button" onClick=${loadMore} disabled=${more.busy}>${more.busy ? "Loading…" : "Load more"}</button>
        ${more.problem && html`<p class="field-error" role="alert">${more.problem}</p>`}
      </div>`}`;
  }

  return html`<${Page} title="Customers" lede="Every subscriber of the company, with their monthly recurring revenue." busy=${state.status === "loading"}>
    <div class="toolbar">
      <div class="search">
        <label class="search-label" for="customers-search">Search</label>
        <input
          class="field-input search-input"
          id="customers-search"
          type="search"
          autocomplete="off"
          placeholder="Start of a name or account number"
          value=${typed}
          onInput=${(event) => setTyped(event.currentTarget.value)}
        />
      </div>
      <div class="segmented" role="radiogroup" aria-labelledby="customer-status-label">
        <span class="segmented-label" id="customer-status-label">Status</span>
        ${STATUS_FILTERS.map(
          (filter) => html`<label class="segment" key=${filter.value}>
            <input
              type="radio"
              name="customer-status"
              value=${filter.value}
              checked=${status === filter.value}
              onChange=${() => setQuery({ status: filter.value || null })}
            /><span>${filter.label}</span>
          </label>`,
        )}
      </div>
    </div>
    <div class="page-actions">
      <p class="count" role="status">
        ${ready && `${state.nodes.length < state.total ? `${state.nodes.length} of ` : ""}${state.total.toLocaleString()} ${state.total === 1 ? "customer" : "customers"}`}
      </p>
      <a class="button button-quiet" href="/customers.csv" download>Download CSV</a>
      ${(me === null || canWork) &&
      html`<button type="button" class="button" id="import-customers" disabled=${me === null} onClick=${() => setDialog("importing")}>Import</button>
        <button type="button" class="button button-primary" id="add-customer" disabled=${me === null} onClick=${() => setDialog("adding")}>Add customer</button>`}
    </div>
    <div class="customers-body">${body}</div>
    ${dialog === "adding" &&
    html`<${CustomerEditor} customer=${null} currency=${currency} onSaved=${added} onClose=${() => closeDialog("add-customer")} />`}
    ${dialog === "importing" && html`<${ImportDialog} onImported=${imported} onClose=${() => closeDialog("import-customers")} />`}
  </${Page}>`;
}
