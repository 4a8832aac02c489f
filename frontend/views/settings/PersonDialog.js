// One person's window: their name and role; Reset password (the new one shown once, with
// Copy; not for yourself: Your account changes your own); Deactivate or Reactivate (not
// yourself), each asked first. The server's refusal (the last active
// admin cannot be demoted or deactivated) is said next to the control that asked.

import { Dialog } from "../../lib/dialog.js";
import { html, useFocusNext, useLayoutEffect, useRef, useState } from "../../lib/dom.js";
import { graphql } from "../../lib/graphql.js";
import { Link } from "../../lib/router.js";
import { RESET_PASSWORD, UPDATE_USER } from "./operations.js";
import { useSignInAgain } from "./retry.js";
import { ROLES, roleHint } from "./roles.js";
import { Secret } from "./Secret.js";
import { personName, problem } from "./words.js";

const NOTHING = {
  save: "Nothing was saved.",
  active: "Nothing was changed.",
  reset: "The password was not reset.",
};

const RETRY = {
  save: { what: "save", action: "Sign in and save" },
  active: { what: "change their access", action: "Sign in and continue" },
  reset: { what: "reset the password", action: "Sign in and reset" },
};

export function PersonDialog({ person, me, page }) {
  const own = person.id === me.userId;
  const [base, setBase] = useState(person);
  const [fields, setFields] = useState({ name: person.name ?? "", role: person.role });
  const [errors, setErrors] = useState({}); // by field: name, role, active, reset
  const [notice, setNotice] = useState("");
  const [view, setView] = useState("edit"); // edit | active | reset | password
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [pending, setPending] = useState(null); // the action to retry after signing in
  const retry = useSignInAgain(RETRY[pending ?? "save"].what);
  const alive = useRef(true);
  const nameInput = useRef(null);
  const focusNext = useFocusNext(null);

  useLayoutEffect(() => {
    nameInput.current.focus();
    return () => {
      alive.current = false;
    };
  }, []);

  function change(name, value) {
    setFields((current) => ({ ...current, [name]: value }));
    setErrors((current) => ({ ...current, [name]: undefined }));
    setNotice("");
  }

  function close() {
    page.close({ id: base.id });
  }

  function failed(error, action) {
    if (!alive.current) return;
    if (error.kind === "unauthenticated") {
      setPending(action);
      retry.ask();
      return;
    }
    setNotice(problem(error, NOTHING[action]));
  }

  function refused(result, field, focus) {
    if (result.__typename === "ValidationError") {
      const known = ["name", "role"].includes(result.field) ? result.field : field;
      setErrors({ [known]: result.message });
      focusNext.current = known === "name" ? "#person-name" : known === "role" ? "#person-role" : focus;
    } else {
      setNotice(result.message);
    }
  }

  // Name and role ------------------------------------------------------------------------

  async function save() {
    const input = { id: base.id };
    const name = fields.name.trim();
    if (name !== (base.name ?? "")) input.name = name || null;
    if (fields.role !== base.role) input.role = fields.role;
    if (Object.keys(input).length === 1) {
      close();
      return;
    }
    setBusy(true);
    try {
      const result = (await graphql(UPDATE_USER, { input })).updateUser;
      if (!alive.current) return;
      if (result.__typename === "User") {
        page.saved(result, "changed");
        page.close({ id: result.id, message: `Saved ${personName(result)}.` });
        return;
      }
      refused(result, "role", "#person-role");
    } catch (error) {
      failed(error, "save");
    } finally {
      if (alive.current) setBusy(false);
    }
  }

  // Deactivate and reactivate -------------------------------------------------------------

  function ask(next) {
    setErrors({});
    setNotice("");
    setView(next);
    focusNext.current = "#person-confirm-cancel";
  }

  function back(focus) {
    setView("edit");
    setErrors({});
    focusNext.current = focus;
  }

  async function setActive() {
    const active = !base.active;
    setBusy(true);
    try {
      const result = (await graphql(UPDATE_USER, { input: { id: base.id, active } })).updateUser;
      if (!alive.current) return;
      if (result.__typename === "User") {
        page.saved(result, "changed");
        const what = active ? "Reactivated" : "Deactivated";
        page.close({ id: result.id, message: `${what} ${personName(result)}.` });
        return;
      }
      if (result.__typename === "ValidationError") {
        setErrors({ active: result.message });
        focusNext.current = "#person-confirm";
      } else {
        setNotice(result.message);
      }
    } catch (error) {
      failed(error, "active");
    } finally {
      if (alive.current) setBusy(false);
    }
  }

  // Reset the password --------------------------------------------------------------------

  async function reset() {
    setBusy(true);
    try {
      const result = (await graphql(RESET_PASSWORD, { id: base.id })).resetUserPassword;
      if (!alive.current) return;
      if (result.__typename === "CreatedUser") {
        setBase(result.user);
        page.saved(result.user, "changed");
        setPassword(result.password ?? "");
        setView("password");
        focusNext.current = '[data-copy="person-reset-password"]';
        return;
      }
      if (result.__typename === "ValidationError") {
        setErrors({ reset: result.message });
        focusNext.current = "#person-confirm";
      } else {
        setNotice(result.message);
      }
    } catch (error) {
      failed(error, "reset");
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
      if (!alive.current) return;
      setBusy(false);
      if (!signedIn) return;
      const action = pending;
      setPending(null);
      await { save, active: setActive, reset }[action ?? "save"]();
      return;
    }
    if (view === "edit") await save();
  }

  // The window ----------------------------------------------------------------------------

  const title = base.name || base.email;

  if (view === "password") {
    return html`<${Dialog} className="editor" labelledBy="person-title" onClose=${close}>
      <div class="editor-form">
        <h2 class="editor-title" id="person-title">New password for ${title}</h2>
        <p class="dialog-text">
          ${personName(base)} now signs in with this password; the old one no longer works.
        </p>
        <p class="secret-warning" id="person-password-warning">
          This password is shown only now: it cannot be shown again.
        </p>
        <${Secret}
          id="person-reset-password"
          label="New password"
          value=${password}
          describedBy="person-password-warning"
        />
        <div class="editor-actions">
          <button type="button" class="button button-primary" onClick=${close}>Done</button>
        </div>
      </div>
    </${Dialog}>`;
  }

  let actions;
  if (retry.active) {
    actions = html`<div class="editor-actions">
      <button type="button" class="button" onClick=${close}>Cancel</button>
      <button type="submit" class="button button-primary">${RETRY[pending ?? "save"].action}</button>
    </div>`;
  } else if (view === "active" || view === "reset") {
    const deactivating = view === "active" && base.active;
    const question =
      view === "reset"
        ? `Reset the password of ${personName(base)}? Their current password stops working, they are signed out everywhere, and a new password is shown once, here.`
        : deactivating
          ? `Deactivate ${personName(base)}? They are signed out everywhere at once and cannot sign in until reactivated.`
          : `Reactivate ${personName(base)}? They can sign in again with their password.`;
    const label = view === "reset" ? "Reset password" : deactivating ? "Deactivate" : "Reactivate";
    const error = view === "reset" ? errors.reset : errors.active;
    const returnTo = view === "reset" ? "#person-reset" : "#person-active";
    actions = html`<div class="confirm">
      <p class="confirm-message">${question}</p>
      ${error && html`<p class="field-error" id="person-confirm-error" role="alert">${error}</p>`}
      <div class="editor-actions">
        <button type="button" class="button" id="person-confirm-cancel" onClick=${() => back(returnTo)}>Cancel</button>
        <button
          type="button"
          class=${deactivating ? "button button-danger" : "button button-primary"}
          id="person-confirm"
          aria-describedby=${error ? "person-confirm-error" : null}
          onClick=${() => !busy && (view === "reset" ? reset() : setActive())}
        >
          ${label}
        </button>
      </div>
    </div>`;
  } else {
    actions = html`<div class="person-access" role="group" aria-label="Access">
        ${own
          ? html`<p class="field-note">
              This is you: change your own password under
              ${" "}<${Link} href="/account">Your account</${Link}>. You cannot deactivate yourself.
            </p>`
          : html`<button type="button" class="button button-small" id="person-reset" onClick=${() => ask("reset")}>
                Reset password
              </button>
              <button
              type="button"
              class=${base.active ? "button button-small button-danger-quiet" : "button button-small"}
              id="person-active"
              onClick=${() => ask("active")}
            >
              ${base.active ? "Deactivate" : "Reactivate"}
            </button>`}
      </div>
      <div class="editor-actions">
        <button type="button" class="button" onClick=${close}>Cancel</button>
        <button type="submit" class="button button-primary">Save</button>
      </div>`;
  }

  const settled = view === "edit" && !retry.active;

  return html`<${Dialog} className="editor" labelledBy="person-title" onClose=${close}>
    <form class="editor-form" novalidate onSubmit=${submit} aria-busy=${busy ? "true" : null}>
      <h2 class="editor-title" id="person-title">${title}</h2>
      <p class="dialog-text person-summary">
        ${base.email}${own ? " (you)" : ""} · ${base.active ? "Active" : "Inactive"}
      </p>
      ${notice && html`<p class="notice" role="alert">${notice}</p>`}
      ${retry.panel}
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
          readonly=${!settled}
          onInput=${(event) => change("name", event.currentTarget.value)}
          aria-invalid=${errors.name ? "true" : null}
          aria-describedby=${errors.name ? "person-name-error" : null}
          ref=${nameInput}
        />
        ${errors.name && html`<p class="field-error" id="person-name-error">${errors.name}</p>`}
      </div>
      <div class="field">
        <label class="field-label" for="person-role">Role</label>
        <select
          class="field-input"
          id="person-role"
          value=${fields.role}
          disabled=${!settled}
          onChange=${(event) => change("role", event.currentTarget.value)}
          aria-invalid=${errors.role ? "true" : null}
          aria-describedby=${errors.role ? "person-role-error person-role-hint" : "person-role-hint"}
        >
          ${ROLES.map((role) => html`<option key=${role.value} value=${role.value}>${role.label}</option>`)}
        </select>
        <p class="field-note" id="person-role-hint">
          ${roleHint(fields.role)}${own && base.role === "ADMIN" && fields.role !== "ADMIN"
            ? " You lose these settings as soon as you save."
            : ""}
        </p>
        ${errors.role && html`<p class="field-error" id="person-role-error">${errors.role}</p>`}
      </div>
      ${actions}
    </form>
  </${Dialog}>`;
}
