// The company (Settings, admins): its name, the currency amounts are shown in, and the time
// zone that decides which day — and so which month — a case belongs to in reports. After
// saving, every page shows amounts and dates the new way (the session's me changes).

import { html, useFocusNext, useMemo, useState, useStore } from "../../lib/dom.js";
import { graphql } from "../../lib/graphql.js";
import { requestTitleFocus } from "../../lib/router.js";
import { session, signedIn } from "../../lib/session.js";
import { showToast } from "../../lib/toast.js";
import { Page } from "../shell/Page.js";
import { usePageData } from "./load.js";
import { UPDATE_COMPANY, WHO } from "./operations.js";
import { useSignInAgain } from "./retry.js";
import { SETTINGS } from "./Settings.js";
import { loadProblem, problem } from "./words.js";

const LEDE = "How the company is named, and how its amounts and dates are shown.";
const FIELDS = ["name", "currency", "timezone"];
const NAME_MAX_LENGTH = 200;

function supported(kind, fallback) {
  try {
    return Intl.supportedValuesOf(kind);
  } catch {
    return fallback;
  }
}

/** Every choice, with `current` among them even when this browser does not know it. */
function choices(kind, current) {
  const values = supported(kind, ["UTC"]);
  return values.includes(current) || !current ? values : [current, ...values].sort();
}

function currencyLabel(names, code) {
  try {
    const name = names.of(code);
    return name && name !== code ? `${code} — ${name}` : code;
  } catch {
    return code;
  }
}

function fieldsOf(company) {
  return { name: company.name, currency: company.currency, timezone: company.timezone };
}

function CompanyForm({ company }) {
  const [base, setBase] = useState(company);
  const [fields, setFields] = useState(() => fieldsOf(company));
  const [errors, setErrors] = useState({});
  const [notice, setNotice] = useState("");
  const [status, setStatus] = useState("");
  const [busy, setBusy] = useState(false);
  const retry = useSignInAgain("save");
  const focusNext = useFocusNext(null);

  const names = useMemo(() => new Intl.DisplayNames(undefined, { type: "currency" }), []);
  const currencies = useMemo(() => choices("currency", fields.currency), [base.currency]);
  const zones = useMemo(() => choices("timeZone", fields.timezone), [base.timezone]);

  function change(name, value) {
    setFields((current) => ({ ...current, [name]: value }));
    setErrors((current) => ({ ...current, [name]: undefined }));
    setNotice("");
    setStatus("");
  }

  async function save() {
    if (!fields.name.trim()) {
      setErrors({ name: "The company's name is required." });
      focusNext.current = "#company-name";
      return;
    }
    const input = {};
    if (fields.name.trim() !== base.name) input.name = fields.name.trim();
    for (const name of ["currency", "timezone"]) {
      if (fields[name] !== base[name]) input[name] = fields[name];
    }
    if (Object.keys(input).length === 0) {
      setStatus("Nothing to save: nothing was changed.");
      return;
    }
    setBusy(true);
    try {
      const result = (await graphql(UPDATE_COMPANY, { input })).updateCompany;
      if (result.__typename === "Company") {
        const me = session.get().me;
        signedIn({ ...me, company: { ...me.company, ...result } });
        setBase(result);
        setFields(fieldsOf(result));
        setStatus("Saved.");
        showToast("Saved the company's settings.");
        return;
      }
      const field = FIELDS.includes(result.field) ? result.field : null;
      if (field) {
        setErrors({ [field]: result.message });
        focusNext.current = `#company-${field}`;
      } else {
        setNotice(result.message);
      }
    } catch (error) {
      if (error.kind === "unauthenticated") retry.ask();
      else setNotice(problem(error, "Nothing was saved."));
    } finally {
      setBusy(false);
    }
  }

  async function submit(event) {
    event.preventDefault();
    if (busy) return;
    if (retry.active) {
      setBusy(true);
      const signedIn = await retry.signIn();
      setBusy(false);
      if (!signedIn) return;
    }
    await save();
  }

  const error = (name) =>
    errors[name] && html`<p class="field-error" id=${`company-${name}-error`}>${errors[name]}</p>`;
  const describedBy = (name, ...more) =>
    [errors[name] && `company-${name}-error`, ...more].filter(Boolean).join(" ") || null;

  return html`<form class="settings-form" novalidate onSubmit=${submit} aria-busy=${busy ? "true" : null} aria-labelledby="company-title">
    <h2 class="section-title settings-form-title" id="company-title">Company details</h2>
    ${notice && html`<p class="notice" role="alert">${notice}</p>`}
    ${retry.panel}
    <div class="field">
      <label class="field-label" for="company-name">Name</label>
      <input
        class="field-input"
        id="company-name"
        type="text"
        autocomplete="organization"
        maxlength=${NAME_MAX_LENGTH}
        value=${fields.name}
        onInput=${(event) => change("name", event.currentTarget.value)}
        aria-invalid=${errors.name ? "true" : null}
        aria-describedby=${describedBy("name")}
      />
      ${error("name")}
    </div>
    <div class="field">
      <label class="field-label" for="company-currency">Currency</label>
      <select
        class="field-input"
        id="company-currency"
        value=${fields.currency}
        onChange=${(event) => change("currency", event.currentTarget.value)}
        aria-invalid=${errors.currency ? "true" : null}
        aria-describedby=${describedBy("currency", "company-currency-hint")}
      >
        ${currencies.map((code) => html`<option key=${code} value=${code}>${currencyLabel(names, code)}</option>`)}
      </select>
      <p class="field-note" id="company-currency-hint">
        Amounts (RMR, credits) are shown in it; they are not converted.
      </p>
      ${error("currency")}
    </div>
    <div class="field">
      <label class="field-label" for="company-timezone">Time zone</label>
      <select
        class="field-input"
        id="company-timezone"
        value=${fields.timezone}
        onChange=${(event) => change("timezone", event.currentTarget.value)}
        aria-invalid=${errors.timezone ? "true" : null}
        aria-describedby=${describedBy("timezone", "company-timezone-hint")}
      >
        ${zones.map((zone) => html`<option key=${zone} value=${zone}>${zone.replaceAll("_", " ")}</option>`)}
      </select>
      <p class="field-note" id="company-timezone-hint">
        The time zone decides which day, and so which month, a case belongs to in reports: a
        case reported at 11 pm on 31 January in New York counts in January with
        America/New_York, and in February with UTC. Dates and times on every page are shown in
        it too.
      </p>
      ${error("timezone")}
    </div>
    <div class="settings-form-actions">
      <p class="editor-status" role="status">${status}</p>
      <button type="submit" class="button button-primary">
        ${retry.active ? "Sign in and save" : "Save"}
      </button>
    </div>
  </form>`;
}

export function CompanyPage() {
  const [state, load] = usePageData(WHO, (data) => data.me.company);

  async function retry() {
    requestTitleFocus();
    await load();
  }

  return html`<${Page}
    title="Company"
    breadcrumb=${SETTINGS}
    lede=${LEDE}
    busy=${state.status === "loading"}
  >
    <section class="settings-panel settings-panel-form">
      ${state.status === "loading" && html`<p class="placeholder">Loading…</p>`}
      ${state.status === "error" &&
      html`<div class="problem">
        <p class="problem-message" role="alert">${loadProblem(state.problem, "the company")}</p>
        <button type="button" class="button" onClick=${retry}>Retry</button>
      </div>`}
      ${state.status === "ready" && html`<${CompanyForm} key=${state.data.id} company=${state.data} />`}
    </section>
  </${Page}>`;
}
