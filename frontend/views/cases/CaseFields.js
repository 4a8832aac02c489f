// The fields of a case, shared by "Flag at risk" and the case's edit window: Reason, Cause,
// Risk, Assigned to, Follow-up, RMR at risk and Notes, each with its error beside it.
//
// `values` holds what is typed ({reasonId, causeId, riskLevel, assignedToId, followUp (a
// day), rmrAtRisk (text), notes}); `fieldsOfCase` makes them from a case, `inputOf` turns
// them into the mutation's input (only what changed, when a case is given).

import { html } from "../../lib/dom.js";
import { localDay, moneyInput, zonedMoment } from "../../lib/format.js";
import { RISKS, personName } from "./words.js";

export const NOTES_MAX_LENGTH = 5000;

// The server's field names -> the window's.
export const FIELD_OF = {
  reasonId: "reasonId",
  causeId: "causeId",
  riskLevel: "riskLevel",
  assignedToId: "assignedToId",
  followUpAt: "followUp",
  rmrAtRisk: "rmrAtRisk",
  notes: "notes",
  status: "status",
};

export function fieldsOfCase(found, timeZone) {
  return {
    reasonId: found?.reason?.id ?? "",
    causeId: found?.cause?.id ?? "",
    riskLevel: found?.riskLevel ?? "MEDIUM",
    assignedToId: found?.assignedTo?.id ?? "",
    followUp: found?.followUpAt ? localDay(found.followUpAt, timeZone) : "",
    rmrAtRisk: found?.rmrAtRisk ?? "",
    notes: found?.notes ?? "",
    status: found?.status ?? "OPEN",
  };
}

/** Problems the window finds before asking the server: {field: message}. */
export function checkCase(values) {
  const errors = {};
  if (!values.reasonId) errors.reasonId = "Choose a reason.";
  if (values.rmrAtRisk.trim() !== "" && moneyInput(values.rmrAtRisk) === null) {
    errors.rmrAtRisk = "Enter an amount such as 49.90.";
  }
  if (values.notes.length > NOTES_MAX_LENGTH) {
    errors.notes = `Notes are at most ${NOTES_MAX_LENGTH} characters.`;
  }
  return errors;
}

/** The input for flagging (no `base`) or for updating `base` (only the changed fields). */
export function inputOf(values, timeZone, base = null) {
  const input = {
    reasonId: values.reasonId,
    causeId: values.causeId || null,
    riskLevel: values.riskLevel,
    assignedToId: values.assignedToId || null,
    notes: values.notes.trim() === "" ? null : values.notes,
  };
  if (values.rmrAtRisk.trim() !== "") input.rmrAtRisk = moneyInput(values.rmrAtRisk);
  if (base === null) {
    if (values.followUp) input.followUpAt = zonedMoment(values.followUp, timeZone);
    return input;
  }
  const before = fieldsOfCase(base, timeZone);
  const changed = {};
  for (const name of ["reasonId", "causeId", "riskLevel", "assignedToId", "notes", "status"]) {
    const value = name === "status" ? values.status : input[name];
    if ((value ?? "") !== (name === "notes" ? (base.notes ?? "") : before[name])) {
      changed[name] = value;
    }
  }
  if (values.followUp !== before.followUp) {
    changed.followUpAt = values.followUp ? zonedMoment(values.followUp, timeZone) : null;
  }
  if (input.rmrAtRisk !== undefined && input.rmrAtRisk !== base.rmrAtRisk) {
    changed.rmrAtRisk = input.rmrAtRisk;
  }
  return changed;
}

/** The choices of a category: active ones, plus `keep` (the one a case holds) if inactive. */
export function choicesOf(entries, category, keep = "") {
  return entries.filter((e) => e.category === category && (e.active || e.id === keep));
}

/** People a case can be assigned to: active admins and agents (and whoever has it now). */
export function workersOf(users, keep = "") {
  return users.filter((u) => (u.active && u.role !== "VIEWER") || u.id === keep);
}

function Error({ id, text }) {
  return text ? html`<p class="field-error" id=${id}>${text}</p>` : null;
}

function Select({ id, label, value, required, errors, onChange, children }) {
  const error = errors[id.replace("case-", "")];
  return html`<div class="field">
    <div class="field-label"><label for=${id}>${label}</label><span class="field-hint" aria-hidden="true">${required ? "Required" : "Optional"}</span></div>
    <select
      class="field-input"
      id=${id}
      required=${required}
      value=${value}
      aria-invalid=${error ? "true" : null}
      aria-describedby=${error ? `${id}-error` : null}
      onChange=${(event) => onChange(event.currentTarget.value)}
    >
      ${children}
    </select>
    <${Error} id=${`${id}-error`} text=${error} />
  </div>`;
}

export function CaseFields({ values, errors, onChange, entries, users, base = null, withStatus = false }) {
  const reasons = choicesOf(entries, "REASON", base?.reason?.id);
  const causes = choicesOf(entries, "CAUSE", base?.cause?.id);
  const workers = workersOf(users, base?.assignedTo?.id);
  const inactive = (entry) => (entry.active ? entry.name : `${entry.name} (inactive)`);
  const describe = (name) => (errors[name] ? `case-${name}-error` : null);

  return html`<div class="case-fields">
    ${withStatus &&
    html`<fieldset class="field field-choices">
      <legend class="field-label">Status</legend>
      <div class="choices">
        ${[
          { value: "OPEN", label: "Open" },
          { value: "MITIGATED", label: "Mitigated (risk reduced, still watched)" },
        ].map(
          (choice) => html`<label class="choice" key=${choice.value}>
            <input
              type="radio"
              name="case-status"
              value=${choice.value}
              checked=${values.status === choice.value}
              onChange=${() => onChange("status", choice.value)}
            /><span>${choice.label}</span>
          </label>`,
        )}
      </div>
    </fieldset>`}
    <${Select} id="case-reasonId" label="Reason" required value=${values.reasonId} errors=${errors} onChange=${(v) => onChange("reasonId", v)}>
      <option value="">Choose a reason</option>
      ${reasons.map((e) => html`<option key=${e.id} value=${e.id}>${inactive(e)}</option>`)}
    </${Select}>
    <${Select} id="case-causeId" label="Cause" value=${values.causeId} errors=${errors} onChange=${(v) => onChange("causeId", v)}>
      <option value="">No cause</option>
      ${causes.map((e) => html`<option key=${e.id} value=${e.id}>${inactive(e)}</option>`)}
    </${Select}>
    <${Select} id="case-riskLevel" label="Risk" required value=${values.riskLevel} errors=${errors} onChange=${(v) => onChange("riskLevel", v)}>
      ${RISKS.map((r) => html`<option key=${r.value} value=${r.value}>${r.label}</option>`)}
    </${Select}>
    <${Select} id="case-assignedToId" label="Assigned to" value=${values.assignedToId} errors=${errors} onChange=${(v) => onChange("assignedToId", v)}>
      <option value="">No one</option>
      ${workers.map((u) => html`<option key=${u.id} value=${u.id}>${personName(u)}</option>`)}
    </${Select}>
    <div class="field-row">
      <div class="field">
        <div class="field-label"><label for="case-followUp">Follow-up</label><span class="field-hint" aria-hidden="true">Optional</span></div>
        <input
          class="field-input"
          id="case-followUp"
          type="date"
          value=${values.followUp}
          aria-invalid=${errors.followUp ? "true" : null}
          aria-describedby=${describe("followUp")}
          onInput=${(event) => onChange("followUp", event.currentTarget.value)}
        />
        <${Error} id="case-followUp-error" text=${errors.followUp} />
      </div>
      <div class="field">
        <div class="field-label"><label for="case-rmrAtRisk">RMR at risk</label><span class="field-hint" aria-hidden="true">Monthly</span></div>
        <input
          class="field-input"
          id="case-rmrAtRisk"
          type="text"
          inputmode="decimal"
          autocomplete="off"
          value=${values.rmrAtRisk}
          aria-invalid=${errors.rmrAtRisk ? "true" : null}
          aria-describedby=${describe("rmrAtRisk")}
          onInput=${(event) => onChange("rmrAtRisk", event.currentTarget.value)}
        />
        <${Error} id="case-rmrAtRisk-error" text=${errors.rmrAtRisk} />
      </div>
    </div>
    <div class="field">
      <div class="field-label"><label for="case-notes">Notes</label><span class="field-hint" aria-hidden="true">Optional</span></div>
      <textarea
        class="field-input field-textarea"
        id="case-notes"
        rows="3"
        maxlength=${NOTES_MAX_LENGTH}
        value=${values.notes}
        aria-invalid=${errors.notes ? "true" : null}
        aria-describedby=${describe("notes")}
        onInput=${(event) => onChange("notes", event.currentTarget.value)}
      ></textarea>
      <p class="counter">${values.notes.length} / ${NOTES_MAX_LENGTH}</p>
      <${Error} id="case-notes-error" text=${errors.notes} />
    </div>
  </div>`;
}
