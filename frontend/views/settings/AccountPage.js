// Your account (anyone signed in, from the header): change your password — the current one
// is asked, and every other session of yours ends — and sign out everywhere, this browser
// included.

import { html, useFocusNext, useLayoutEffect, useRef, useState, useStore } from "../../lib/dom.js";
import { graphql } from "../../lib/graphql.js";
import { requestTitleFocus } from "../../lib/router.js";
import { ROLE_NAMES, session, signedOut } from "../../lib/session.js";
import { showToast } from "../../lib/toast.js";
import { Page } from "../shell/Page.js";
import { ConfirmDialog } from "./ConfirmDialog.js";
import { SESSION_ENDED, usePageData } from "./load.js";
import { CHANGE_PASSWORD, SIGN_OUT_EVERYWHERE, WHO } from "./operations.js";
import { loadProblem, problem } from "./words.js";

const PASSWORD_MIN_LENGTH = 8;
const EMPTY = { current: "", next: "", confirm: "" };
const FIELD_OF = { currentPassword: "current", newPassword: "next", password: "next" };

function sessionsEnded(count) {
  if (count === 0) return "No other session was open.";
  return count === 1 ? "1 other session was signed out." : `${count} other sessions were signed out.`;
}

function PasswordForm() {
  const [fields, setFields] = useState(EMPTY);
  const [errors, setErrors] = useState({});
  const [notice, setNotice] = useState("");
  const [status, setStatus] = useState("");
  const [busy, setBusy] = useState(false);
  const focusNext = useFocusNext(null);

  function change(name, value) {
    setFields((current) => ({ ...current, [name]: value }));
    setErrors((current) => ({ ...current, [name]: undefined }));
    setNotice("");
    setStatus("");
  }

  function checked() {
    const found = {};
    if (!fields.current) found.current = "Enter your current password.";
    if (fields.next.length < PASSWORD_MIN_LENGTH) {
      found.next = `The new password must be at least ${PASSWORD_MIN_LENGTH} characters.`;
    } else if (fields.next === fields.current) {
      found.next = "The new password must differ from the current one.";
    }
    if (!found.next && fields.confirm !== fields.next) {
      found.confirm = "This does not match the new password.";
    }
    return found;
  }

  async function submit(event) {
    event.preventDefault();
    if (busy) return;
    const found = checked();
    const first = ["current", "next", "confirm"].find((name) => found[name]);
    if (first) {
      setErrors(found);
      focusNext.current = `#account-${first}`;
      return;
    }
    setBusy(true);
    try {
      const input = { currentPassword: fields.current, newPassword: fields.next };
      const result = (await graphql(CHANGE_PASSWORD, { input })).changePassword;
      if (result.__typename === "SignedOut") {
        setFields(EMPTY);
        setErrors({});
        setStatus(`Your password was changed. ${sessionsEnded(result.sessions)}`);
        showToast("Password changed.");
        return;
      }
      const field = FIELD_OF[result.field] ?? null;
      if (field) {
        setErrors({ [field]: result.message });
        focusNext.current = `#account-${field}`;
      } else {
        setNotice(result.message);
      }
    } catch (error) {
      if (error.kind === "unauthenticated") signedOut(SESSION_ENDED);
      else setNotice(problem(error, "Your password was not changed."));
    } finally {
      setBusy(false);
    }
  }

  const field = (name, label, autocomplete, hint = null) => {
    const describedBy = [errors[name] && `account-${name}-error`, hint && `account-${name}-hint`]
      .filter(Boolean)
      .join(" ");
    return html`<div class="field">
      <label class="field-label" for=${`account-${name}`}>${label}</label>
      <input
        class="field-input"
        id=${`account-${name}`}
        type="password"
        autocomplete=${autocomplete}
        value=${fields[name]}
        onInput=${(event) => change(name, event.currentTarget.value)}
        aria-invalid=${errors[name] ? "true" : null}
        aria-describedby=${describedBy || null}
      />
      ${hint && html`<p class="field-note" id=${`account-${name}-hint`}>${hint}</p>`}
      ${errors[name] && html`<p class="field-error" id=${`account-${name}-error`}>${errors[name]}</p>`}
    </div>`;
  };

  return html`<form class="settings-form" novalidate onSubmit=${submit} aria-busy=${busy ? "true" : null} aria-labelledby="password-title">
    <h2 class="section-title settings-form-title" id="password-title">Change password</h2>
    <p class="dialog-text settings-form-text">
      Your other sessions (other browsers and devices) are signed out; this one stays signed in.
    </p>
    ${notice && html`<p class="notice" role="alert">${notice}</p>`}
    <input type="text" hidden autocomplete="username" value=${session.get().me?.email ?? ""} readonly />
    ${field("current", "Current password", "current-password")}
    ${field("next", "New password", "new-password", `At least ${PASSWORD_MIN_LENGTH} characters.`)}
    ${field("confirm", "Confirm new password", "new-password")}
    <div class="settings-form-actions">
      <p class="editor-status" role="status">${status}</p>
      <button type="submit" class="button button-primary">Change password</button>
    </div>
  </form>`;
}

export function AccountPage() {
  const { me } = useStore(session);
  const [state, load] = usePageData(WHO, (data) => data.me);
  const [confirming, setConfirming] = useState(false);
  const everywhere = useRef(null);
  const wasConfirming = useRef(false);

  useLayoutEffect(() => {
    if (wasConfirming.current && !confirming) everywhere.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  async function signOutEverywhere() {
    let sessions;
    try {
      sessions = (await graphql(SIGN_OUT_EVERYWHERE)).signOutEverywhere.sessions;
    } catch (error) {
      if (error.kind === "unauthenticated") {
        signedOut(SESSION_ENDED);
        return null;
      }
      return problem(error, "Nobody was signed out.");
    }
    const ended = sessions === 1 ? "1 session ended" : `${sessions} sessions ended`;
    signedOut(`You signed out everywhere (${ended}, this one included). Sign in again to continue.`);
    return null;
  }

  async function retry() {
    requestTitleFocus();
    await load();
  }

  const lede = me ? `Signed in as ${me.email} (${ROLE_NAMES[me.role] ?? me.role}) at ${me.company.name}.` : null;

  return html`<${Page} title="Your account" lede=${lede} busy=${state.status === "loading"}>
    ${state.status === "loading" && html`<p class="placeholder">Loading…</p>`}
    ${state.status === "error" &&
    html`<div class="problem">
      <p class="problem-message" role="alert">${loadProblem(state.problem, "your account")}</p>
      <button type="button" class="button" onClick=${retry}>Retry</button>
    </div>`}
    ${state.status === "ready" &&
    html`<div class="account-panels">
      <section class="settings-panel settings-panel-form"><${PasswordForm} /></section>
      <section class="settings-panel settings-panel-form" aria-labelledby="everywhere-title">
        <div class="settings-form">
          <h2 class="section-title settings-form-title" id="everywhere-title">Sign out everywhere</h2>
          <p class="dialog-text settings-form-text">
            Ends every session of yours: other browsers, other devices, and this one. Use it if a
            device was lost or someone else may have signed in as you.
          </p>
          <div class="settings-form-actions">
            <button type="button" class="button button-danger-quiet" ref=${everywhere} onClick=${() => setConfirming(true)}>
              Sign out everywhere
            </button>
          </div>
        </div>
      </section>
    </div>`}
    ${confirming &&
    html`<${ConfirmDialog}
      title="Sign out everywhere?"
      text="Every session of yours ends, this one included: you will need to sign in again here and on every other device."
      action="Sign out everywhere"
      onConfirm=${signOutEverywhere}
      onCancel=${() => setConfirming(false)}
    />`}
  </${Page}>`;
}
