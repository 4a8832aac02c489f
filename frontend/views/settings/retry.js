// Signing in again inside a window when the session ended meanwhile: the window keeps what
// was typed, shows the password field (../shell/SignInAgain.js), and its main button signs
// in and then does what was asked.

import { html, useState } from "../../lib/dom.js";
import { SignInAgain, signInAgain } from "../shell/SignInAgain.js";

export function useSignInAgain(what) {
  const [retry, setRetry] = useState(null); // {password, problem}

  return {
    active: retry !== null,
    ask() {
      setRetry({ password: "", problem: "" });
    },
    cancel() {
      setRetry(null);
    },
    /** Sign in with the typed password; resolves true when signed in again. */
    async signIn() {
      const failed = await signInAgain(retry.password);
      if (failed) {
        setRetry((current) => ({ ...current, problem: failed }));
        return false;
      }
      setRetry(null);
      return true;
    },
    panel:
      retry &&
      html`<${SignInAgain}
        password=${retry.password}
        onPassword=${(password) => setRetry((current) => ({ ...current, password }))}
        problem=${retry.problem}
        what=${what}
      />`,
  };
}
