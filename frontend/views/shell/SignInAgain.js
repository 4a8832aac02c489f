// When a session ends in the middle of work: ask for the password in place, keep everything
// that was typed, and let the caller retry what it was doing once signed in again.
//
// `SignInAgain` is the panel (inside a window that already has a form, like the edit
// window); `SignInAgainDialog` is the panel in a window of its own, for actions started
// outside any window (moving a row, sorting a list).

import { signIn, signInProblem } from "../../lib/auth.js";
import { Dialog } from "../../lib/dialog.js";
import { html, useEffect, useRef, useState } from "../../lib/dom.js";
import { session, signedIn } from "../../lib/session.js";

/** Sign in again as the person who was signed in; resolves to null, or to what went wrong. */
export async function signInAgain(password) {
  const email = session.get().me?.email ?? "";
  if (!password) {
    return "Enter your password.";
  }
  try {
    signedIn(await signIn(email, password));
  } catch (error) {
    return signInProblem(error);
  }
  return null;
}

export function SignInAgain({ password, onPassword, problem, what }) {
  const input = useRef(null);
  const email = session.get().me?.email ?? "";

  useEffect(() => {
    input.current.focus();
  }, [problem]);

  return html`<div class="reauth" role="group" aria-labelledby="reauth-title">
    <p class="reauth-title" id="reauth-title">Your session has ended</p>
    <p class="reauth-text">
      Enter the password of <strong>${email}</strong> to sign in again and ${what}. Nothing you
      typed is lost.
    </p>
    <div class="field">
      <label class="field-label" for="reauth-password">Password</label>
      <input
        class="field-input"
        id="reauth-password"
        type="password"
        autocomplete="current-password"
        value=${password}
        onInput=${(event) => onPassword(event.currentTarget.value)}
        aria-invalid=${problem ? "true" : null}
        aria-describedby=${problem ? "reauth-problem" : null}
        ref=${input}
      />
      ${problem && html`<p class="field-error" id="reauth-problem">${problem}</p>`}
    </div>
  </div>`;
}

export function SignInAgainDialog({ what, action, onSignedIn, onCancel }) {
  const [password, setPassword] = useState("");
  const [problem, setProblem] = useState("");
  const [busy, setBusy] = useState(false);

  async function submit(event) {
    event.preventDefault();
    if (busy) {
      return;
    }
    setBusy(true);
    const failed = await signInAgain(password);
    setBusy(false);
    if (failed) {
      setProblem(failed);
      return;
    }
    onSignedIn();
  }

  return html`<${Dialog} className="editor" labelledBy="reauth-title" onClose=${onCancel}>
    <form class="editor-form" novalidate onSubmit=${submit} aria-busy=${busy ? "true" : null}>
      <${SignInAgain} password=${password} onPassword=${setPassword} problem=${problem} what=${what} />
      <div class="editor-actions">
        <button type="button" class="button" onClick=${onCancel}>Cancel</button>
        <button type="submit" class="button button-primary">${action}</button>
      </div>
    </form>
  </${Dialog}>`;
}
