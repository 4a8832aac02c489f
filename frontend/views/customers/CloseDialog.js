// Close a case: Saved (a Resolution, the RMR retained — the RMR at risk unless kept at a
// lower rate — and who saved it), Lost (a Resolution; the customer is cancelled) or
// Cancelled (flagged by mistake). Sent with the version shown.

import { Dialog } from "../../lib/dialog.js";
import { html, useEffect, useFocusNext, useRef, useState } from "../../lib/dom.js";
import { formatMoney, moneyInput } from "../../lib/format.js";
import { graphql } from "../../lib/graphql.js";
import { SignInAgain, signInAgain } from "../shell/SignInAgain.js";
import { choicesOf, workersOf } from "../cases/CaseFields.js";
import { CLOSE_CASE } from "../cases/operations.js";
import { personName, problem } from "../cases/words.js";
import { caseDifferences } from "./caseWindows.js";

const OUTCOMES = [
  { value: "RESOLVED", label: "Saved", hint: "The customer stays." },
  { value: "LOST", label: "Lost", hint: "The customer cancels: they are marked cancelled." },
  { value: "CANCELLED", label: "Cancelled", hint: "Flagged by mistake: counts in no rate." },
];
const FIELDS = { resolutionId: "resolution", rmrRetained: "rmrRetained", savedById: "savedBy", status: "status" };

export function CloseDialog({ found, me, entries, users, onClosed, onChanged, onClose }) {
  const { currency } = me.company;
  const [base, setBase] = useState(found);
  const [values, setValues] = useState({
    status: "RESOLVED",
    resolution: "",
    rmrRetained: found.rmrAtRisk,
    savedBy: me.role !== "VIEWER" ? (me.userId ?? "") : "",
  });
  const [errors, setErrors] = useState({});
  const [notice, setNotice] = useState(null);
  const [busy, setBusy] = useState(false);
  const [retry, setRetry] = useState(null);
  const alive = useRef(true);
  const focusNext = useFocusNext("input[name=close-status]:checked");

  useEffect(() => () => {
    alive.current = false;
  }, []);

  function change(name, value) {
    setValues((current) => ({ ...current, [name]: value }));
    setErrors((current) => ({ ...current, [name]: undefined }));
  }

  const resolutions = choicesOf(entries, "RESOLUTION");
  const workers = workersOf(users);
  const needsResolution = values.status !== "CANCELLED";

  async function close() {
    const found = {};
    if (needsResolution && !values.resolution) found.resolution = "Choose a resolution.";
    if (values.status === "RESOLVED" && moneyInput(values.rmrRetained) === null) {
      found.rmrRetained = "Enter an amount such as 49.90.";
    }
    if (Object.keys(found).length > 0) {
      setErrors(found);
      focusNext.current = `#close-${Object.keys(found)[0]}`;
      return;
    }
    const input = { id: base.id, status: values.status, expectedVersion: base.version };
    if (needsResolution) input.resolutionId = values.resolution;
    if (values.status === "RESOLVED") {
      input.rmrRetained = moneyInput(values.rmrRetained);
      if (values.savedBy) input.savedById = values.savedBy;
    }
    setBusy(true);
    try {
      const result = (await graphql(CLOSE_CASE, { input })).closeAtRiskCase;
      if (!alive.current) return;
      switch (result.__typename) {
        case "AtRiskCase":
          onClosed(result);
          return;
        case "CaseConflictError":
          setNotice({
            kind: "conflict",
            text:
              `Not closed: this case was changed by someone else meanwhile. ${caseDifferences(base, result.current, me)} ` +
              "Your choices are kept; close it again if you still want to.",
          });
          setBase(result.current);
          onChanged(result.current);
          focusNext.current = "#close-notice";
          return;
        case "ValidationError": {
          const field = FIELDS[result.field] ?? "resolution";
          setErrors({ [field]: result.message });
          focusNext.current = `#close-${field}`;
          return;
        }
        default:
          setNotice({ kind: "problem", text: result.message });
      }
    } catch (failure) {
      if (!alive.current) return;
      if (failure.kind === "unauthenticated") setRetry({ password: "", problem: "" });
      else setNotice({ kind: "problem", text: problem(failure, "The case was not closed.") });
    } finally {
      if (alive.current) setBusy(false);
    }
  }

  async function submit(event) {
    event.preventDefault();
    if (busy) return;
    if (retry) {
      setBusy(true);
      const failed = await signInAgain(retry.password);
      if (!alive.current) return;
      setBusy(false);
      if (failed) {
        setRetry({ ...retry, problem: failed });
        return;
      }
      setRetry(null);
    }
    await close();
  }

  const error = (name) => errors[name] && html`<p class="field-error" id=${`close-${name}-error`}>${errors[name]}</p>`;
  const describedBy = (name) => (errors[name] ? `close-${name}-error` : null);

  return html`<${Dialog} className="editor" labelledBy="close-title" onClose=${onClose}>
    <form class="editor-form" novalidate onSubmit=${submit} aria-busy=${busy ? "true" : null}>
      <h2 class="editor-title" id="close-title">Close case</h2>
      ${notice && html`<p class=${`notice notice-${notice.kind}`} id="close-notice" tabindex="-1" role="alert">${notice.text}</p>`}
      ${retry &&
      html`<${SignInAgain}
        password=${retry.password}
        onPassword=${(password) => setRetry({ ...retry, password })}
        problem=${retry.problem}
        what="close the case"
      />`}
      <fieldset class="field field-choices">
        <legend class="field-label">Outcome</legend>
        <div class="choices choices-stacked">
          ${OUTCOMES.map(
            (outcome) => html`<label class="choice" key=${outcome.value}>
              <input
                type="radio"
                name="close-status"
                value=${outcome.value}
                checked=${values.status === outcome.value}
                onChange=${() => change("status", outcome.value)}
              /><span><strong>${outcome.label}</strong> <span class="choice-hint">${outcome.hint}</span></span>
            </label>`,
          )}
        </div>
      </fieldset>
      ${needsResolution &&
      html`<div class="field">
        <div class="field-label"><label for="close-resolution">Resolution</label><span class="field-hint" aria-hidden="true">Required</span></div>
        <select
          class="field-input"
          id="close-resolution"
          value=${values.resolution}
          aria-invalid=${errors.resolution ? "true" : null}
          aria-describedby=${describedBy("resolution")}
          onChange=${(event) => change("resolution", event.currentTarget.value)}
        >
          <option value="">Choose a resolution</option>
          ${resolutions.map((e) => html`<option key=${e.id} value=${e.id}>${e.name}</option>`)}
        </select>
        ${error("resolution")}
      </div>`}
      ${values.status === "RESOLVED" &&
      html`<div class="field-row">
        <div class="field">
          <div class="field-label"><label for="close-rmrRetained">RMR retained</label><span class="field-hint" aria-hidden="true">of ${formatMoney(base.rmrAtRisk, currency)}</span></div>
          <input
            class="field-input"
            id="close-rmrRetained"
            type="text"
            inputmode="decimal"
            autocomplete="off"
            value=${values.rmrRetained}
            aria-invalid=${errors.rmrRetained ? "true" : null}
            aria-describedby=${describedBy("rmrRetained")}
            onInput=${(event) => change("rmrRetained", event.currentTarget.value)}
          />
          ${error("rmrRetained")}
        </div>
        <div class="field">
          <label class="field-label" for="close-savedBy">Saved by</label>
          <select
            class="field-input"
            id="close-savedBy"
            value=${values.savedBy}
            aria-invalid=${errors.savedBy ? "true" : null}
            aria-describedby=${describedBy("savedBy")}
            onChange=${(event) => change("savedBy", event.currentTarget.value)}
          >
            <option value="">No one in particular</option>
            ${workers.map((u) => html`<option key=${u.id} value=${u.id}>${personName(u)}</option>`)}
          </select>
          ${error("savedBy")}
        </div>
      </div>`}
      <div class="editor-actions">
        <button type="button" class="button" onClick=${onClose}>Cancel</button>
        <button type="submit" class="button button-primary">${retry ? "Sign in and close" : "Close case"}</button>
      </div>
    </form>
  </${Dialog}>`;
}
