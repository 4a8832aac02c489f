// "Add person": email, name, role, and a password the server generates (shown once, here,
// with Copy) or one the admin sets. A refused field says why next to itself; everything
// typed stays.

import { Dialog } from "../../lib/dialog.js";
import { html, useFocusNext, useLayoutEffect, useRef, useState } from "../../lib/dom.js";
import { graphql } from "../../lib/graphql.js";
import { useSignInAgain } from "./retry.js";
import { CREATE_USER } from "./operations.js";
import { ROLES, roleHint } from "./roles.js";
import { Secret } from "./Secret.js";
import { personName, problem } from "./words.js";

const FIELDS = ["email", "name", "role", "password"];
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const PASSWORD_MIN_LENGTH = 8;

export function AddPersonDialog({ page }) {
  const [fields, setFields] = useState({ email: "", name: "", role: "VIEWER", password: "" });
  const [generate, setGenerate] = useState(true);
  const [errors, setErrors] = useState({});
  const [notice, setNotice] = useState("");
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState(null); // {user, password}
  const retry = useSignInAgain("add this person");
  const alive = useRef(true);
  const email = useRef(null);
  const focusNext = useFocusNext(null);

  useLayoutEffect(() => {
    email.current.focus();
    return () => {
      alive.current = false;
    };
  }, []);

  function change(name, value) {
    setFields((current) => ({ ...current, [name]: value }));
    setErrors((current) => ({ ...current, [name]: undefined }));
    setNotice("");
  }

  function checked() {
    const found = {};
    const address = fields.email.trim();
    if (!address) found.email = "Email is required.";
    else if (!EMAIL.test(address)) found.email = "Enter an email address like name@example.com.";
    if (!generate && fields.password.length < PASSWORD_MIN_LENGTH) {
      found.password = `Password must be at least ${PASSWORD_MIN_LENGTH} characters.`;
    }
    return found;
  }

  async function save() {
    const found = checked();
    if (Object.keys(found).length > 0) {
      setErrors(found);
      focusNext.current = `#person-${FIELDS.find((name) => found[name])}`;
      return;
    }
    const input = { email: fields.email.trim(), name: fields.name.trim() || null, role: fields.role };
    if (!generate) input.password = fields.password;
    setBusy(true);
    try {
      const result = (await graphql(CREATE_USER, { input })).createUser;
      if (!alive.current) return;
      if (result.__typename === "CreatedUser") {
        page.saved(result.user, "added");
        if (result.password) {
          setCreated(result);
          focusNext.current = '[data-copy="person-new-password"]';
        } else {
          page.close({ id: null, message: `Added ${personName(result.user)}.` });
        }
        return;
      }
      const field = FIELDS.includes(result.field) ? result.field : null;
      if (field) {
        setErrors({ [field]: result.message });
        focusNext.current = `#person-${field}`;
      } else {
        setNotice(result.message);
      }
    } catch (error) {
      if (!alive.current) return;
      if (error.kind === "unauthenticated") {
        retry.ask();
      } else {
        setNotice(problem(error, "Nobody was added."));
      }
    } finally {
      if (alive.current) setBusy(false);
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

  function close() {
    page.close({ id: null });
  }

  if (created) {
    return html`<${Dialog} className="editor" labelledBy="person-title" onClose=${close}>
      <div class="editor-form">
        <h2 class="editor-title" id="person-title">Person added</h2>
        <p class="dialog-text">
          ${personName(created.user)} can sign in with this password. Give it to them in a safe way;
          they can change it under Your account.
        </p>
        <p class="secret-warning" id="person-password-warning">
          This password is shown only now: it cannot be shown again.
        </p>
        <${Secret}
          id="person-new-password"
          label="Password"
          value=${created.password}
          describedBy="person-password-warning"
        />
        <div class="editor-actions">
          <button type="button" class="button button-primary" onClick=${close}>Done</button>
        </div>
      </div>
    </${Dialog}>`;
  }

  const error = (name) =>
    errors[name] && html`<p class="field-error" id=${`person-${name}-error`}>${errors[name]}</p>`;
  const invalid = (name) => ({
    "aria-invalid": errors[name] ? "true" : null,
    "aria-describedby": errors[name] ? `person-${name}-error` : null,
  });

  return html`<${Dialog} className="editor" labelledBy="person-title" onClose=${close}>
    <form class="editor-form" novalidate onSubmit=${submit} aria-busy=${busy ? "true" : null}>
      <h2 class="editor-title" id="person-title">Add person</h2>
      ${notice && html`<p class="notice" role="alert">${notice}</p>`}
      ${retry.panel}
      <div class="field">
        <label class="field-label" for="person-email">
          <span>Email</span><span class="field-hint" aria-hidden="true">Required</span>
        </label>
        <input
          class="field-input"
          id="person-email"
          type="email"
          autocomplete="off"
          maxlength="254"
          required
          value=${fields.email}
          onInput=${(event) => change("email", event.currentTarget.value)}
          ref=${email}
          ...${invalid("email")}
        />
        ${error("email")}
      </div>
      <div class="field">
        <label class="field-label" for="person-name">
          <span>Name</span><span class="field-hint" aria-hidden="true">Optional</span>
        </label>
        <input
          class="field-input"
          id="person-name"
          type="text"
          autocomplete="off"
          maxlength="100"
          value=${fields.name}
          onInput=${(event) => change("name", event.currentTarget.value)}
          ...${invalid("name")}
        />
        ${error("name")}
      </div>
      <div class="field">
        <label class="field-label" for="person-role">Role</label>
        <select
          class="field-input"
          id="person-role"
          value=${fields.role}
          onChange=${(event) => change("role", event.currentTarget.value)}
          aria-invalid=${errors.role ? "true" : null}
          aria-describedby=${errors.role ? "person-role-error" : "person-role-hint"}
        >
          ${ROLES.map((role) => html`<option key=${role.value} value=${role.value}>${role.label}</option>`)}
        </select>
        <p class="field-note" id="person-role-hint">${roleHint(fields.role)}</p>
        ${error("role")}
      </div>
      <fieldset class="field choice-group">
        <legend class="field-label">Password</legend>
        <label class="choice-option">
          <input
            type="radio"
            name="person-password-mode"
            checked=${generate}
            onChange=${() => {
              setGenerate(true);
              setErrors((current) => ({ ...current, password: undefined }));
            }}
          />
          <span>Generate one (shown once, after adding)</span>
        </label>
        <label class="choice-option">
          <input
            type="radio"
            name="person-password-mode"
            checked=${!generate}
            onChange=${() => {
              setGenerate(false);
              focusNext.current = "#person-password";
            }}
          />
          <span>Set one now</span>
        </label>
        ${!generate &&
        html`<div class="choice-detail">
          <label class="field-label" for="person-password">Their password</label>
          <input
            class="field-input"
            id="person-password"
            type="password"
            autocomplete="new-password"
            value=${fields.password}
            onInput=${(event) => change("password", event.currentTarget.value)}
            aria-invalid=${errors.password ? "true" : null}
            aria-describedby=${errors.password ? "person-password-error" : "person-password-hint"}
          />
          <p class="field-note" id="person-password-hint">At least ${PASSWORD_MIN_LENGTH} characters.</p>
          ${error("password")}
        </div>`}
      </fieldset>
      <div class="editor-actions">
        <button type="button" class="button" onClick=${close}>Cancel</button>
        <button type="submit" class="button button-primary">
          ${retry.active ? "Sign in and add" : "Add person"}
        </button>
      </div>
    </form>
  </${Dialog}>`;
}
