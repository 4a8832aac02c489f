// The sign-in form, shown instead of the page while nobody is signed in. After signing in
// the page under the same address loads, and its heading takes the focus.

import { signIn, signInProblem } from "../../lib/auth.js";
import { html, useEffect, useRef, useState, useStore } from "../../lib/dom.js";
import { requestTitleFocus } from "../../lib/router.js";
import { session, signedIn } from "../../lib/session.js";

export function SignIn() {
  const { notice } = useStore(session);
  const [problem, setProblem] = useState(notice);
  const [busy, setBusy] = useState(false);
  const email = useRef(null);
  const password = useRef(null);

  useEffect(() => {
    document.title = "Sign in · atrisk";
    email.current.focus();
  }, []);

  async function submit(event) {
    event.preventDefault();
    const address = email.current.value.trim();
    const secret = password.current.value;
    if (!address || !secret) {
      setProblem("Enter your email and password.");
      email.current.focus();
      return;
    }
    if (busy) {
      return;
    }
    setBusy(true);
    let me;
    try {
      me = await signIn(address, secret);
    } catch (error) {
      setBusy(false);
      setProblem(signInProblem(error));
      password.current.select();
      return;
    }
    requestTitleFocus();
    signedIn(me);
  }

  return html`<main class="page" id="main">
    <div class="page-body">
      <section class="sign-in" aria-labelledby="sign-in-title">
        <form class="sign-in-form" novalidate onSubmit=${submit} aria-busy=${busy ? "true" : null}>
          <h1 class="sign-in-title" id="sign-in-title" tabindex="-1">Sign in</h1>
          ${problem && html`<p class="sign-in-problem" role="alert">${problem}</p>`}
          <div class="field">
            <label class="field-label" for="sign-in-email">Email</label>
            <input class="field-input" id="sign-in-email" name="email" type="email" required autocomplete="username" ref=${email} />
          </div>
          <div class="field">
            <label class="field-label" for="sign-in-password">Password</label>
            <input class="field-input" id="sign-in-password" name="password" type="password" required autocomplete="current-password" ref=${password} />
          </div>
          <button type="submit" class="button button-primary sign-in-submit">Sign in</button>
        </form>
      </section>
    </div>
  </main>`;
}
