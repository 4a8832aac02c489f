// One customer: their details (edited in a window with the version shown), and two tabs:
// At Risk (the open case, attempts, credits, closing, reopening, past cases) and History.

import { html, useEffect, useRef, useState, useStore } from "../../lib/dom.js";
import { formatDate, formatMoney } from "../../lib/format.js";
import { graphql } from "../../lib/graphql.js";
import { requestTitleFocus } from "../../lib/router.js";
import { session, signedIn, signedOut } from "../../lib/session.js";
import { useLiveChanges } from "../../lib/live.js";
import { showToast } from "../../lib/toast.js";
import { Page } from "../shell/Page.js";
import { FlagDialog } from "../cases/FlagDialog.js";
import { loadProblem } from "../cases/words.js";
import { AtRiskTab } from "./AtRiskTab.js";
import { CustomerEditor } from "./CustomerEditor.js";
import { CUSTOMER_PAGE } from "./operations.js";
import { HistorySection } from "../history/HistorySection.js";

const TABS = [
  { id: "at-risk", label: "At Risk" },
  { id: "history", label: "History" },
];

function Details({ customer, me }) {
  const { currency, timezone } = me.company;
  const facts = [
    ["Account number", customer.accountNumber ?? "—"],
    ["Status", customer.status === "ACTIVE" ? "Active" : "Cancelled"],
    ["RMR", formatMoney(customer.rmr, currency)],
    ["Email", customer.email ?? "—"],
    ["Phone", customer.phone ?? "—"],
    ["Customer since", formatDate(customer.createdAt, timezone)],
  ];
  return html`<dl class="facts facts-customer">
    ${facts.map(([term, value]) => html`<div class="fact" key=${term}><dt>${term}</dt><dd>${value}</dd></div>`)}
  </dl>`;
}

// The History tab: the customer's own changes (its cases keep theirs in the case window).
function HistorySpot({ customer }) {
  return html`<${HistorySection} owner="customer" id=${customer.id} heading=${null} />`;
}

function Tabs({ current, onChoose }) {
  function onKeyDown(event) {
    const index = TABS.findIndex((tab) => tab.id === current);
    let next = null;
    if (event.key === "ArrowRight") next = TABS[(index + 1) % TABS.length];
    if (event.key === "ArrowLeft") next = TABS[(index - 1 + TABS.length) % TABS.length];
    if (event.key === "Home") next = TABS[0];
    if (event.key === "End") next = TABS[TABS.length - 1];
    if (next) {
      event.preventDefault();
      onChoose(next.id);
      document.getElementById(`tab-${next.id}`)?.focus();
    }
  }
  return html`<div class="tabs" role="tablist" aria-label="Customer" onKeyDown=${onKeyDown}>
    ${TABS.map(
      (tab) => html`<button
        type="button"
        role="tab"
        key=${tab.id}
        id=${`tab-${tab.id}`}
        class="tab"
        aria-selected=${String(tab.id === current)}
        aria-controls=${`panel-${tab.id}`}
        tabindex=${tab.id === current ? "0" : "-1"}
        onClick=${() => onChoose(tab.id)}
      >
        ${tab.label}
      </button>`,
    )}
  </div>`;
}

export function CustomerPage({ params }) {
  const { me } = useStore(session);
  const [state, setState] = useState({ status: "loading", customer: null, users: [], entries: [] });
  const [tab, setTab] = useState("at-risk");
  const [dialog, setDialog] = useState(null); // "edit" | "flag"
  const requests = useRef(0);
  const canWork = me !== null && me.role !== "VIEWER";

  async function load({ quiet = false } = {}) {
    const request = ++requests.current;
    if (!quiet) setState((before) => ({ ...before, status: "loading" }));
    try {
      const data = await graphql(CUSTOMER_PAGE, { id: params.id });
      if (request !== requests.current) return;
      signedIn(data.me);
      setState({ status: data.customer ? "ready" : "missing", customer: data.customer, users: data.users, entries: data.atRiskEntries });
    } catch (error) {
      if (request !== requests.current) return;
      if (error.kind === "unauthenticated") signedOut(quiet ? "Your session has ended. Sign in again." : "");
      else if (!quiet) setState((before) => ({ ...before, status: "error", problem: error }));
    }
  }

  useEffect(() => {
    load();
  }, [params.id]);

  // Someone else's change to this customer, one of their cases, a new case (perhaps theirs),
  // a list or a person: the page is read again in place (one read for a burst of changes).
  // An open window keeps what is typed in it; saving it still checks the version.
  const liveTimer = useRef(0);
  const reload = useRef(null);
  reload.current = () => load({ quiet: true });
  useLiveChanges((change) => {
    const known = state.customer?.cases.some((c) => c.id === change.entityId) ?? false;
    const concerns =
      change.resync ||
      (change.entityType === "CUSTOMER" && change.entityId === params.id) ||
      (change.entityType === "AT_RISK_CASE" && (known || change.action === "CREATE")) ||
      ["AT_RISK_ENTRY", "USER", "COMPANY"].includes(change.entityType);
    if (!concerns) return;
    clearTimeout(liveTimer.current);
    liveTimer.current = setTimeout(() => reload.current(), 250);
  });
  useEffect(() => () => clearTimeout(liveTimer.current), []);

  /** A case as the server returned it: shown at once; `reload` also refreshes the customer. */
  function caseChanged(found, { reload = false } = {}) {
    setState((before) => {
      const cases = before.customer.cases.some((c) => c.id === found.id)
        ? before.customer.cases.map((c) => (c.id === found.id ? found : c))
        : [found, ...before.customer.cases];
      return { ...before, customer: { ...before.customer, cases } };
    });
    if (reload) load({ quiet: true });
  }

  function closeDialog(focusId) {
    setDialog(null);
    document.getElementById(focusId)?.focus();
  }

  async function retry() {
    requestTitleFocus();
    await load();
  }

  const customer = state.customer;
  const breadcrumb = [{ label: "Customers", href: "/customers" }];
  let title = "Customer";
  if (state.status === "ready") title = customer.name;
  if (state.status === "missing") title = "Customer not found";

  let body;
  if (state.status === "error") {
    body = html`<div class="problem">
      <p class="problem-message" role="alert">${loadProblem(state.problem, "this customer")}</p>
      <button type="button" class="button" onClick=${retry}>Retry</button>
    </div>`;
  } else if (state.status === "loading" && !customer) {
    body = html`<p class="placeholder">Loading…</p>`;
  } else if (state.status === "missing") {
    body = html`<p class="placeholder">Your company has no customer with this address. It may have been typed wrong.</p>`;
  } else {
    body = html`<section class="customer-card" aria-labelledby="details-title">
        <header class="case-card-header">
          <h2 class="section-title" id="details-title">Details</h2>
          ${canWork &&
          html`<div class="section-actions">
            <button type="button" class="button button-small" id="edit-customer" onClick=${() => setDialog("edit")}>Edit customer</button>
          </div>`}
        </header>
        <${Details} customer=${customer} me=${me} />
      </section>
      <${Tabs} current=${tab} onChoose=${setTab} />
      <div class="tab-panel" role="tabpanel" id="panel-at-risk" aria-labelledby="tab-at-risk" hidden=${tab !== "at-risk"}>
        <${AtRiskTab}
          customer=${customer}
          me=${me}
          entries=${state.entries}
          users=${state.users}
          canWork=${canWork}
          onCase=${caseChanged}
          onFlag=${() => setDialog("flag")}
        />
      </div>
      <div class="tab-panel" role="tabpanel" id="panel-history" aria-labelledby="tab-history" hidden=${tab !== "history"}>
        <${HistorySpot} customer=${customer} />
      </div>`;
  }

  return html`<${Page} title=${title} breadcrumb=${breadcrumb} busy=${state.status === "loading"}>
    ${body}
    ${dialog === "edit" &&
    html`<${CustomerEditor}
      customer=${customer}
      currency=${me.company.currency}
      onSaved=${(saved) => {
        setState((before) => ({ ...before, customer: { ...before.customer, ...saved } }));
        closeDialog("edit-customer");
        showToast(`Saved “${saved.name}”.`);
      }}
      onClose=${() => closeDialog("edit-customer")}
    />`}
    ${dialog === "flag" &&
    html`<${FlagDialog}
      me=${me}
      entries=${state.entries}
      users=${state.users}
      customer=${customer}
      onFlagged=${(found) => {
        setDialog(null);
        caseChanged(found, { reload: true });
        showToast(`Flagged “${customer.name}” at risk.`);
        setTimeout(() => document.getElementById("edit-case")?.focus(), 0);
      }}
      onClose=${() => closeDialog("flag-customer")}
    />`}
  </${Page}>`;
}
