// The customer's At Risk tab: the open case with every field (edited in a window), its
// contact attempts newest first and its credits (each added here), closing and reopening,
// and the past cases.

import { html, useRef, useState } from "../../lib/dom.js";
import { formatDate, formatDays, formatMoney, moneyInput } from "../../lib/format.js";
import { graphql } from "../../lib/graphql.js";
import { showToast } from "../../lib/toast.js";
import { choicesOf } from "../cases/CaseFields.js";
import { ADD_ATTEMPT, ADD_CREDIT, REOPEN_CASE } from "../cases/operations.js";
import { CHANNELS, CHANNEL_NAMES, OPEN_STATUSES, RISK_NAMES, STATUS_NAMES, personName, problem } from "../cases/words.js";
import { CaseEditor } from "./CaseEditor.js";
import { CloseDialog } from "./CloseDialog.js";

const ATTEMPT_NOTE_MAX_LENGTH = 2000;
const CREDIT_NOTE_MAX_LENGTH = 500;

function newestFirst(items) {
  return [...items].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

function Facts({ found, me }) {
  const { timezone, currency } = me.company;
  const late = found.followUpAt && OPEN_STATUSES.includes(found.status) && new Date(found.followUpAt) < new Date();
  const facts = [
    ["Status", html`<span class=${`marker marker-status marker-${found.status.toLowerCase()}`}>${STATUS_NAMES[found.status]}</span>`],
    ["Risk", RISK_NAMES[found.riskLevel]],
    ["Reason", found.reason.active ? found.reason.name : `${found.reason.name} (inactive)`],
    ["Cause", found.cause ? found.cause.name : "—"],
    ["Assigned to", found.assignedTo ? personName(found.assignedTo) : "No one"],
    [
      "Follow-up",
      found.followUpAt
        ? html`${formatDate(found.followUpAt, timezone)}${late && html` <span class="marker marker-overdue">Overdue</span>`}`
        : "None",
    ],
    ["Reported", `${formatDate(found.reportedAt, timezone)}${found.reportedBy ? ` by ${personName(found.reportedBy)}` : ""}`],
    ["RMR at risk", formatMoney(found.rmrAtRisk, currency)],
    [found.closedAt ? "Was open for" : "Open for", formatDays(found.daysOpen)],
  ];
  if (found.closedAt) {
    facts.push(["Closed", formatDate(found.closedAt, timezone)]);
    facts.push(["Resolution", found.resolution ? found.resolution.name : "—"]);
    if (found.status === "RESOLVED") {
      facts.push(["RMR retained", formatMoney(found.rmrRetained, currency)]);
      facts.push(["Saved by", found.savedBy ? personName(found.savedBy) : "—"]);
    }
  }
  return html`<dl class="facts">
    ${facts.map(([term, value]) => html`<div class="fact" key=${term}><dt>${term}</dt><dd>${value}</dd></div>`)}
    <div class="fact fact-wide"><dt>Notes</dt><dd class="notes">${found.notes || "—"}</dd></div>
  </dl>`;
}

function AttemptForm({ found, onAdded }) {
  const [channel, setChannel] = useState("PHONE");
  const [note, setNote] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function add(event) {
    event.preventDefault();
    if (busy) return;
    if (note.trim() === "") {
      setError("Write what happened.");
      document.getElementById("attempt-note")?.focus();
      return;
    }
    setBusy(true);
    try {
      const result = (await graphql(ADD_ATTEMPT, { input: { caseId: found.id, channel, note } })).addContactAttempt;
      if (result.__typename === "AtRiskCase") {
        const sent = note;
        setNote((current) => (current === sent ? "" : current)); // keep what was typed since
        setError("");
        onAdded(result, `Added a ${CHANNEL_NAMES[channel].toLowerCase()} attempt.`);
      } else {
        setError(result.message);
      }
    } catch (failure) {
      setError(problem(failure, "The attempt was not added."));
    } finally {
      setBusy(false);
    }
    document.getElementById("attempt-note")?.focus();
  }

  return html`<form class="inline-form" aria-label="Add a contact attempt" novalidate onSubmit=${add} aria-busy=${busy ? "true" : null}>
    <div class="field">
      <label class="field-label" for="attempt-channel">Channel</label>
      <select class="field-input" id="attempt-channel" value=${channel} onChange=${(event) => setChannel(event.currentTarget.value)}>
        ${CHANNELS.map((c) => html`<option key=${c.value} value=${c.value}>${c.label}</option>`)}
      </select>
    </div>
    <div class="field field-grow">
      <label class="field-label" for="attempt-note">What happened</label>
      <textarea
        class="field-input field-textarea"
        id="attempt-note"
        rows="2"
        maxlength=${ATTEMPT_NOTE_MAX_LENGTH}
        value=${note}
        aria-invalid=${error ? "true" : null}
        aria-describedby=${error ? "attempt-error" : null}
        onInput=${(event) => {
          setNote(event.currentTarget.value);
          setError("");
        }}
      ></textarea>
      ${error && html`<p class="field-error" id="attempt-error">${error}</p>`}
    </div>
    <div class="inline-actions"><button type="submit" class="button">Add attempt</button></div>
  </form>`;
}

function CreditForm({ found, entries, onAdded, currency }) {
  const reasons = choicesOf(entries, "CREDIT_REASON");
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [note, setNote] = useState("");
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);

  async function add(event) {
    event.preventDefault();
    if (busy) return;
    const found_ = {};
    const money = moneyInput(amount);
    if (money === null || Number(money) <= 0) found_.amount = "Enter an amount above zero, such as 25.00.";
    if (!reason) found_.reason = "Choose a credit reason.";
    if (Object.keys(found_).length > 0) {
      setErrors(found_);
      document.getElementById(found_.amount ? "credit-amount" : "credit-reason")?.focus();
      return;
    }
    setBusy(true);
    try {
      const input = { caseId: found.id, amount: money, creditReasonId: reason, note: note.trim() || null };
      const result = (await graphql(ADD_CREDIT, { input })).addCredit;
      if (result.__typename === "AtRiskCase") {
        const sent = { amount, note };
        setAmount((current) => (current === sent.amount ? "" : current));
        setNote((current) => (current === sent.note ? "" : current));
        setErrors({});
        onAdded(result, `Added a credit of ${formatMoney(money, currency)}.`);
      } else {
        const field = result.field === "creditReasonId" ? "reason" : result.field === "note" ? "note" : "amount";
        setErrors({ [field]: result.message });
      }
    } catch (failure) {
      setErrors({ amount: problem(failure, "The credit was not added.") });
    } finally {
      setBusy(false);
    }
  }

  const error = (name) => errors[name] && html`<p class="field-error" id=${`credit-${name}-error`}>${errors[name]}</p>`;
  return html`<form class="inline-form" aria-label="Add a credit" novalidate onSubmit=${add} aria-busy=${busy ? "true" : null}>
    <div class="field">
      <label class="field-label" for="credit-amount">Amount</label>
      <input
        class="field-input"
        id="credit-amount"
        type="text"
        inputmode="decimal"
        autocomplete="off"
        value=${amount}
        aria-invalid=${errors.amount ? "true" : null}
        aria-describedby=${errors.amount ? "credit-amount-error" : null}
        onInput=${(event) => setAmount(event.currentTarget.value)}
      />
      ${error("amount")}
    </div>
    <div class="field">
      <label class="field-label" for="credit-reason">Credit reason</label>
      <select
        class="field-input"
        id="credit-reason"
        value=${reason}
        aria-invalid=${errors.reason ? "true" : null}
        aria-describedby=${errors.reason ? "credit-reason-error" : null}
        onChange=${(event) => setReason(event.currentTarget.value)}
      >
        <option value="">Choose a credit reason</option>
        ${reasons.map((e) => html`<option key=${e.id} value=${e.id}>${e.name}</option>`)}
      </select>
      ${error("reason")}
    </div>
    <div class="field field-grow">
      <div class="field-label"><label for="credit-note">Note</label><span class="field-hint" aria-hidden="true">Optional</span></div>
      <input
        class="field-input"
        id="credit-note"
        type="text"
        maxlength=${CREDIT_NOTE_MAX_LENGTH}
        value=${note}
        aria-invalid=${errors.note ? "true" : null}
        onInput=${(event) => setNote(event.currentTarget.value)}
      />
      ${error("note")}
    </div>
    <div class="inline-actions"><button type="submit" class="button">Add credit</button></div>
  </form>`;
}

function Attempts({ found, me }) {
  if (found.attempts.length === 0) return html`<p class="placeholder">No contact attempts yet.</p>`;
  return html`<ol class="timeline" aria-label="Contact attempts, newest first">
    ${newestFirst(found.attempts).map(
      (attempt) => html`<li key=${attempt.id} class="timeline-item">
        <p class="timeline-head">
          <strong>${CHANNEL_NAMES[attempt.channel]}</strong>
          <span class="muted"> · ${formatDate(attempt.at, me.company.timezone, { time: true })}${attempt.by ? ` · ${personName(attempt.by)}` : ""}</span>
        </p>
        <p class="timeline-text">${attempt.note}</p>
      </li>`,
    )}
  </ol>`;
}

function Credits({ found, me }) {
  const { currency, timezone } = me.company;
  if (found.credits.length === 0) return html`<p class="placeholder">No credits yet.</p>`;
  return html`<ol class="timeline" aria-label="Credits, newest first">
    ${newestFirst(found.credits).map(
      (credit) => html`<li key=${credit.id} class="timeline-item">
        <p class="timeline-head">
          <strong>${formatMoney(credit.amount, currency)}</strong> · ${credit.creditReason.name}
          <span class="muted"> · ${formatDate(credit.at, timezone)}${credit.by ? ` · ${personName(credit.by)}` : ""}</span>
        </p>
        ${credit.note && html`<p class="timeline-text">${credit.note}</p>`}
      </li>`,
    )}
  </ol>`;
}

export function AtRiskTab({ customer, me, entries, users, canWork, onCase, onFlag }) {
  const [windowOpen, setWindowOpen] = useState(null); // "edit" | "close"
  const [reopening, setReopening] = useState(null);
  const [reopenProblem, setReopenProblem] = useState("");
  const returnFocus = useRef(null);
  const open = customer.cases.find((c) => OPEN_STATUSES.includes(c.status)) ?? null;
  const past = customer.cases
    .filter((c) => !OPEN_STATUSES.includes(c.status))
    .sort((a, b) => (a.reportedAt < b.reportedAt ? 1 : -1));

  function show(name, from) {
    returnFocus.current = from;
    setWindowOpen(name);
  }

  function hide() {
    setWindowOpen(null);
    document.getElementById(returnFocus.current)?.focus();
  }

  function added(found, message) {
    onCase(found);
    showToast(message);
  }

  async function reopen(found) {
    setReopening(found.id);
    setReopenProblem("");
    try {
      const result = (await graphql(REOPEN_CASE, { input: { id: found.id, expectedVersion: found.version } })).reopenAtRiskCase;
      if (result.__typename === "AtRiskCase") {
        onCase(result, { reload: true });
        showToast("Reopened the case.");
        setTimeout(() => document.getElementById("edit-case")?.focus(), 0);
      } else if (result.__typename === "CaseConflictError") {
        onCase(result.current);
        setReopenProblem("Not reopened: someone else changed this case meanwhile. It shows as it is now; reopen it again if you still want to.");
      } else {
        setReopenProblem(result.message);
      }
    } catch (failure) {
      setReopenProblem(problem(failure, "The case was not reopened."));
    } finally {
      setReopening(null);
    }
  }

  return html`<div class="at-risk">
    ${open
      ? html`<section class="case-card" aria-labelledby="open-case-title">
          <header class="case-card-header">
            <h2 class="section-title" id="open-case-title">Open case</h2>
            ${canWork &&
            html`<div class="section-actions">
              <button type="button" class="button button-small" id="edit-case" onClick=${() => show("edit", "edit-case")}>Edit case</button>
              <button type="button" class="button button-small" id="close-case" onClick=${() => show("close", "close-case")}>Close case</button>
            </div>`}
          </header>
          <${Facts} found=${open} me=${me} />
          <div class="case-parts">
            <section class="case-part" aria-labelledby="attempts-title">
              <h3 class="case-part-title" id="attempts-title">Contact attempts <span class="count">${open.attempts.length}</span></h3>
              ${canWork && html`<${AttemptForm} found=${open} onAdded=${added} />`}
              <${Attempts} found=${open} me=${me} />
            </section>
            <section class="case-part" aria-labelledby="credits-title">
              <h3 class="case-part-title" id="credits-title">Credits <span class="count">${open.credits.length}</span></h3>
              ${canWork && html`<${CreditForm} found=${open} entries=${entries} onAdded=${added} currency=${me.company.currency} />`}
              <${Credits} found=${open} me=${me} />
            </section>
          </div>
        </section>`
      : html`<section class="case-card case-card-empty" aria-labelledby="open-case-title">
          <h2 class="section-title" id="open-case-title">No open case</h2>
          <p class="placeholder">
            ${customer.status === "CANCELLED" ? "This customer has cancelled." : "This customer is not at risk."}
          </p>
          ${canWork && customer.status === "ACTIVE" &&
          html`<button type="button" class="button button-primary" id="flag-customer" onClick=${onFlag}>Flag at risk</button>`}
        </section>`}

    <section class="past-cases" aria-labelledby="past-cases-title">
      <h2 class="section-title" id="past-cases-title" tabindex="-1">Past cases <span class="count">${past.length}</span></h2>
      ${reopenProblem && html`<p class="notice notice-problem" role="alert">${reopenProblem}</p>`}
      ${past.length === 0
        ? html`<p class="placeholder">No closed cases.</p>`
        : html`<ul class="past-list">
            ${past.map(
              (found) => html`<li key=${found.id} class="past-item" aria-labelledby=${`past-${found.id}`}>
                <h3 class="past-title" id=${`past-${found.id}`}>
                  ${STATUS_NAMES[found.status]}: ${found.reason.name}
                  <span class="muted"> · ${formatDate(found.reportedAt, me.company.timezone)} to ${formatDate(found.closedAt, me.company.timezone)}</span>
                </h3>
                <${Facts} found=${found} me=${me} />
                ${canWork && !open && (customer.status === "ACTIVE" || found.status === "LOST") &&
                html`<button type="button" class="button button-small" disabled=${reopening === found.id} onClick=${() => reopen(found)}>
                  Reopen<span class="visually-hidden"> the case of ${formatDate(found.reportedAt, me.company.timezone)}</span>
                </button>`}
              </li>`,
            )}
          </ul>`}
    </section>

    ${windowOpen === "edit" && open &&
    html`<${CaseEditor}
      found=${open}
      me=${me}
      entries=${entries}
      users=${users}
      onSaved=${(found) => {
        onCase(found);
        hide();
        showToast("Saved the case.");
      }}
      onChanged=${(found) => onCase(found)}
      onClose=${hide}
    />`}
    ${windowOpen === "close" && open &&
    html`<${CloseDialog}
      found=${open}
      me=${me}
      entries=${entries}
      users=${users}
      onClosed=${(found) => {
        setWindowOpen(null);
        onCase(found, { reload: true });
        showToast(`Closed the case as ${STATUS_NAMES[found.status].toLowerCase()}.`);
        setTimeout(() => document.getElementById("past-cases-title")?.focus(), 0);
      }}
      onChanged=${(found) => onCase(found)}
      onClose=${hide}
    />`}
  </div>`;
}
