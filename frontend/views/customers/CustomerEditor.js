// The customer's window: add one, or change one with the version it shows. A refused save
// keeps what was typed beside the field's error; after someone else changed the customer
// the window shows it as it is now, says what differs, and "Use my changes" puts back what
// was typed.

import { Dialog } from "../../lib/dialog.js";
import { html, useFocusNext, useLayoutEffect, useRef, useState } from "../../lib/dom.js";
import { formatMoney, moneyInput } from "../../lib/format.js";
import { graphql } from "../../lib/graphql.js";
import { SignInAgain, signInAgain } from "../shell/SignInAgain.js";
import { problem } from "../cases/words.js";
import { CREATE_CUSTOMER, UPDATE_CUSTOMER } from "./operations.js";

export const FIELDS = [
  { name: "name", label: "Name", required: true, max: 200 },
  { name: "accountNumber", label: "Account number", max: 50 },
  { name: "email", label: "Email", type: "email", max: 320 },
  { name: "phone", label: "Phone", type: "tel", max: 50 },
  { name: "rmr", label: "RMR (monthly)", required: true, inputmode: "decimal" },
];

function fieldsOf(customer) {
  return Object.fromEntries(FIELDS.map((f) => [f.name, customer?.[f.name] ?? ""]));
}

/** What differs between two versions of a customer, field by field, in words. */
function differences(before, now, currency) {
  const lines = [];
  for (const field of FIELDS) {
    const was = before[field.name] ?? "";
    const is = now[field.name] ?? "";
    if (was !== is) {
      const shown = field.name === "rmr" ? formatMoney(is, currency) : is;
      lines.push(is === "" ? `${field.label} was removed.` : `${field.label} is now “${shown}”.`);
    }
  }
  if (now.status !== before.status) lines.push(`The customer is now ${now.status === "ACTIVE" ? "active" : "cancelled"}.`);
  return lines.join(" ");
}

export function CustomerEditor({ customer, currency, onSaved, onClose }) {
  const adding = customer === null;
  const [base, setBase] = useState(customer);
  const [values, setValues] = useState(() => fieldsOf(customer));
  const [errors, setErrors] = useState({});
  const [notice, setNotice] = useState(null);
  const [typed, setTyped] = useState(null);
  const [busy, setBusy] = useState(false);
  const [retry, setRetry] = useState(null);
  const alive = useRef(true);
  const first = useRef(null);
  const focusNext = useFocusNext(null);

  useLayoutEffect(() => {
    first.current.focus();
    return () => {
      alive.current = false;
    };
  }, []);

  function change(name, value) {
    setValues((current) => ({ ...current, [name]: value }));
    setErrors((current) => ({ ...current, [name]: undefined }));
    setNotice((current) => (current?.kind === "problem" ? null : current));
  }

  function check() {
    const found = {};
    if (values.name.trim() === "") found.name = "Name is required.";
    if (values.rmr.trim() === "") found.rmr = "RMR is required (0.00 if none).";
    else if (moneyInput(values.rmr) === null) found.rmr = "Enter an amount such as 49.90.";
    return found;
  }

  function inputOf(against) {
    const input = {};
    const before = fieldsOf(against);
    for (const field of FIELDS) {
      let value = values[field.name];
      if (field.name === "rmr") value = moneyInput(value);
      else if (!field.required && value.trim() === "") value = null;
      if (adding || (value ?? "") !== before[field.name]) input[field.name] = value;
    }
    return input;
  }

  async function save() {
    const found = check();
    if (Object.keys(found).length > 0) {
      setErrors(found);
      focusNext.current = `#customer-${Object.keys(found)[0]}`;
      return;
    }
    setBusy(true);
    try {
      const result = adding
        ? (await graphql(CREATE_CUSTOMER, { input: inputOf(null) })).createCustomer
        : (await graphql(UPDATE_CUSTOMER, { input: { id: base.id, expectedVersion: base.version, ...inputOf(base) } })).updateCustomer;
      if (!alive.current) return;
      switch (result.__typename) {
        case "Customer":
          onSaved(result, adding);
          return;
        case "CustomerConflictError": {
          const now = result.current;
          setNotice({
            kind: "conflict",
            text:
              `This customer was changed by someone else meanwhile. ${differences(base, now, currency)} ` +
              "The window now shows it as it is; Use my changes puts back what you had typed, then Save.",
          });
          const before = fieldsOf(base);
          const mine = Object.fromEntries(Object.entries(values).filter(([name, value]) => value !== before[name]));
          setTyped(Object.keys(mine).length > 0 ? mine : null);
          setBase(now);
          setValues(fieldsOf(now));
          setErrors({});
          focusNext.current = "#customer-name";
          return;
        }
        case "NotFoundError":
          setNotice({ kind: "gone", text: "This customer no longer exists." });
          return;
        default: {
          const field = FIELDS.some((f) => f.name === result.field) ? result.field : "name";
          setErrors({ [field]: result.message });
          focusNext.current = `#customer-${field}`;
        }
      }
    } catch (failure) {
      if (!alive.current) return;
      if (failure.kind === "unauthenticated") setRetry({ password: "", problem: "" });
      else setNotice({ kind: "problem", text: problem(failure, "Nothing was saved.") });
    } finally {
      if (alive.current) setBusy(false);
    }
  }

  function useMyChanges() {
    setValues((current) => ({ ...current, ...typed }));
    setTyped(null);
    setNotice(null);
    focusNext.current = "#customer-name";
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
    await save();
  }

  return html`<${Dialog} className="editor" labelledBy="customer-editor-title" onClose=${onClose}>
    <form class="editor-form" novalidate onSubmit=${submit} aria-busy=${busy ? "true" : null}>
      <h2 class="editor-title" id="customer-editor-title">${adding ? "Add customer" : "Edit customer"}</h2>
      ${notice && html`<p class=${`notice notice-${notice.kind}`} id="customer-notice" role="alert">${notice.text}</p>`}
      ${typed && html`<button type="button" class="link-button" onClick=${useMyChanges}>Use my changes</button>`}
      ${retry &&
      html`<${SignInAgain}
        password=${retry.password}
        onPassword=${(password) => setRetry({ ...retry, password })}
        problem=${retry.problem}
        what="save"
      />`}
      ${FIELDS.map(
        (field, index) => html`<div class="field" key=${field.name}>
          <div class="field-label"><label for=${`customer-${field.name}`}>${field.label}</label><span class="field-hint" aria-hidden="true">${field.required ? "Required" : "Optional"}</span></div>
          <input
            class="field-input"
            id=${`customer-${field.name}`}
            type=${field.type ?? "text"}
            inputmode=${field.inputmode ?? null}
            autocomplete="off"
            maxlength=${field.max ?? null}
            required=${field.required ?? false}
            value=${values[field.name]}
            aria-invalid=${errors[field.name] ? "true" : null}
            aria-describedby=${errors[field.name] ? `customer-${field.name}-error` : null}
            onInput=${(event) => change(field.name, event.currentTarget.value)}
            ref=${index === 0 ? first : null}
          />
          ${errors[field.name] && html`<p class="field-error" id=${`customer-${field.name}-error`}>${errors[field.name]}</p>`}
        </div>`,
      )}
      <div class="editor-actions">
        <button type="button" class="button" onClick=${onClose}>Cancel</button>
        <button type="submit" class="button button-primary">${retry ? "Sign in and save" : "Save"}</button>
      </div>
    </form>
  </${Dialog}>`;
}
