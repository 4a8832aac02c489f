// "Flag at risk": pick a customer (or start from one), then the case's fields. A customer
// who has an open case already is not flagged twice: the window offers to open that case.

import { Dialog } from "../../lib/dialog.js";
import { html, useEffect, useFocusNext, useLayoutEffect, useRef, useState } from "../../lib/dom.js";
import { formatMoney } from "../../lib/format.js";
import { graphql } from "../../lib/graphql.js";
import { Link } from "../../lib/router.js";
import { SignInAgain, signInAgain } from "../shell/SignInAgain.js";
import { CaseFields, FIELD_OF, checkCase, fieldsOfCase, inputOf } from "./CaseFields.js";
import { FIND_CUSTOMERS, FLAG } from "./operations.js";
import { problem } from "./words.js";

const SEARCH_DELAY_MS = 250;

function CustomerPicker({ currency, onPick, error }) {
  const [search, setSearch] = useState("");
  const [found, setFound] = useState({ status: "idle", nodes: [] });
  const input = useRef(null);

  useLayoutEffect(() => input.current.focus(), []);

  useEffect(() => {
    const wanted = search.trim();
    if (wanted === "") {
      setFound({ status: "idle", nodes: [] });
      return undefined;
    }
    let current = true;
    const timer = setTimeout(async () => {
      setFound((before) => ({ ...before, status: "loading" }));
      try {
        const data = await graphql(FIND_CUSTOMERS, { search: wanted });
        if (current) setFound({ status: "ready", nodes: data.customers.nodes });
      } catch (failure) {
        if (current) setFound({ status: "error", nodes: [], problem: failure });
      }
    }, SEARCH_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [search]);

  return html`<div class="field">
    <div class="field-label"><label for="flag-customer-search">Customer</label><span class="field-hint" aria-hidden="true">Required</span></div>
    <input
      class="field-input"
      id="flag-customer-search"
      type="search"
      autocomplete="off"
      placeholder="Name or account number"
      value=${search}
      aria-invalid=${error ? "true" : null}
      aria-describedby=${error ? "flag-customer-error" : "flag-customer-status"}
      onInput=${(event) => setSearch(event.currentTarget.value)}
      ref=${input}
    />
    ${error && html`<p class="field-error" id="flag-customer-error">${error}</p>`}
    <p class="field-note" id="flag-customer-status" role="status">
      ${found.status === "loading" && "Searching…"}
      ${found.status === "ready" && found.nodes.length === 0 && `No active customer starts with “${search.trim()}”.`}
      ${found.status === "error" && problem(found.problem, "")}
    </p>
    ${found.nodes.length > 0 &&
    html`<ul class="picker" aria-label="Matching customers">
      ${found.nodes.map(
        (customer) => html`<li key=${customer.id}>
          <button type="button" class="picker-option" onClick=${() => onPick(customer)}>
            <span class="picker-name">${customer.name}</span>
            <span class="picker-detail">
              ${customer.accountNumber ? `#${customer.accountNumber} · ` : ""}${formatMoney(customer.rmr, currency)}
              ${customer.openCase ? " · at risk already" : ""}
            </span>
          </button>
        </li>`,
      )}
    </ul>`}
  </div>`;
}

export function FlagDialog({ me, entries, users, customer: given = null, onFlagged, onClose }) {
  const timeZone = me.company.timezone;
  const currency = me.company.currency;
  const [customer, setCustomer] = useState(given);
  const [values, setValues] = useState(() => ({ ...fieldsOfCase(null, timeZone), rmrAtRisk: given?.rmr ?? "" }));
  const [errors, setErrors] = useState({});
  const [notice, setNotice] = useState(null);
  const [existing, setExisting] = useState(null);
  const [busy, setBusy] = useState(false);
  const [retry, setRetry] = useState(null);
  const alive = useRef(true);
  const focusNext = useFocusNext(given ? "#case-reasonId" : null);

  useEffect(() => () => {
    alive.current = false;
  }, []);

  function change(name, value) {
    setValues((current) => ({ ...current, [name]: value }));
    setErrors((current) => ({ ...current, [name]: undefined }));
    setNotice(null);
  }

  function pick(chosen) {
    setCustomer(chosen);
    setExisting(null);
    setErrors({});
    setValues((current) => ({ ...current, rmrAtRisk: chosen.rmr }));
    focusNext.current = "#case-reasonId";
  }

  function unpick() {
    setCustomer(null);
    setExisting(null);
    focusNext.current = "#flag-customer-search";
  }

  async function flag() {
    const found = checkCase(values);
    if (!customer) found.customer = "Choose the customer at risk.";
    if (Object.keys(found).length > 0) {
      setErrors(found);
      focusNext.current = found.customer ? "#flag-customer-search" : `#case-${Object.keys(found)[0]}`;
      return;
    }
    setBusy(true);
    try {
      const input = { customerId: customer.id, ...inputOf(values, timeZone) };
      const result = (await graphql(FLAG, { input })).flagCustomerAtRisk;
      if (!alive.current) return;
      switch (result.__typename) {
        case "AtRiskCase":
          onFlagged(result);
          return;
        case "OpenCaseExistsError":
          setExisting(result.openCase);
          focusNext.current = "#flag-open-existing";
          return;
        case "ValidationError": {
          const field = result.field === "customerId" ? "customer" : (FIELD_OF[result.field] ?? "reasonId");
          setErrors({ [field]: result.message });
          focusNext.current = field === "customer" ? "#flag-change-customer" : `#case-${field}`;
          return;
        }
        default:
          setNotice(result.message);
      }
    } catch (failure) {
      if (!alive.current) return;
      if (failure.kind === "unauthenticated") {
        setRetry({ password: "", problem: "" });
      } else {
        setNotice(problem(failure, "The customer was not flagged."));
      }
    } finally {
      if (alive.current) setBusy(false);
    }
  }

  async function signInAndFlag() {
    setBusy(true);
    const failed = await signInAgain(retry.password);
    if (!alive.current) return;
    setBusy(false);
    if (failed) {
      setRetry({ ...retry, problem: failed });
      return;
    }
    setRetry(null);
    await flag();
  }

  function submit(event) {
    event.preventDefault();
    if (busy) return;
    if (retry) signInAndFlag();
    else flag();
  }

  return html`<${Dialog} className="editor editor-wide" labelledBy="flag-title" onClose=${onClose}>
    <form class="editor-form" novalidate onSubmit=${submit} aria-busy=${busy ? "true" : null}>
      <h2 class="editor-title" id="flag-title">Flag at risk</h2>
      ${notice && html`<p class="notice notice-problem" role="alert">${notice}</p>`}
      ${retry &&
      html`<${SignInAgain}
        password=${retry.password}
        onPassword=${(password) => setRetry({ ...retry, password })}
        problem=${retry.problem}
        what="flag the customer"
      />`}
      ${customer
        ? html`<div class="field">
            <p class="field-label" id="flag-customer-label">Customer</p>
            <div class="chosen" aria-labelledby="flag-customer-label" role="group">
              <span class="chosen-name">${customer.name}</span>
              <span class="chosen-detail">
                ${customer.accountNumber ? `#${customer.accountNumber} · ` : ""}RMR ${formatMoney(customer.rmr, currency)}
              </span>
              ${!given &&
              html`<button type="button" class="link-button" id="flag-change-customer" onClick=${unpick}>
                Change<span class="visually-hidden"> customer</span>
              </button>`}
            </div>
            ${errors.customer && html`<p class="field-error">${errors.customer}</p>`}
          </div>`
        : html`<${CustomerPicker} currency=${currency} onPick=${pick} error=${errors.customer} />`}
      ${existing &&
      html`<div class="notice notice-conflict" role="alert">
        <p>${existing.customer.name} is at risk already: a customer has one open case at a time.</p>
        <${Link} class="button button-small" id="flag-open-existing" href=${`/customers/${existing.customer.id}`}>
          Open that case
        </${Link}>
      </div>`}
      <${CaseFields} values=${values} errors=${errors} onChange=${change} entries=${entries} users=${users} />
      <div class="editor-actions">
        <button type="button" class="button" onClick=${onClose}>Cancel</button>
        <button type="submit" class="button button-primary">${retry ? "Sign in and flag" : "Flag at risk"}</button>
      </div>
    </form>
  </${Dialog}>`;
}
