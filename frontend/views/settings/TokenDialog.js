// "Create token": a name and a role (View only or Agent); then the token, shown once with
// Copy, and a ready curl command that uses it.

import { Dialog } from "../../lib/dialog.js";
import { html, useFocusNext, useLayoutEffect, useRef, useState } from "../../lib/dom.js";
import { graphql } from "../../lib/graphql.js";
import { CREATE_TOKEN } from "./operations.js";
import { useSignInAgain } from "./retry.js";
import { TOKEN_ROLES, roleHint } from "./roles.js";
import { Secret } from "./Secret.js";
import { problem } from "./words.js";

const NAME_MAX_LENGTH = 100;

/** A command that asks the API for the entries' names with `token`. */
export function curlLine(token, origin = window.location.origin) {
  const query = JSON.stringify({ query: "{ atRiskEntries { name } }" });
  return (
    `curl -H 'Authorization: Bearer ${token}' -H 'Content-Type: application/json' ` +
    `-d '${query}' ${origin}/graphql`
  );
}

export function TokenDialog({ page }) {
  const [name, setName] = useState("");
  const [role, setRole] = useState("VIEWER");
  const [errors, setErrors] = useState({});
  const [notice, setNotice] = useState("");
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState(null); // {apiToken, token}
  const retry = useSignInAgain("create the token");
  const alive = useRef(true);
  const nameInput = useRef(null);
  const focusNext = useFocusNext(null);

  useLayoutEffect(() => {
    nameInput.current.focus();
    return () => {
      alive.current = false;
    };
  }, []);

  async function save() {
    const label = name.trim();
    if (!label) {
      setErrors({ name: "Name is required: say who or what uses the token." });
      focusNext.current = "#token-name";
      return;
    }
    setBusy(true);
    try {
      const result = (await graphql(CREATE_TOKEN, { input: { name: label, role } })).createApiToken;
      if (!alive.current) return;
      if (result.__typename === "CreatedApiToken") {
        page.saved(result.apiToken);
        setCreated(result);
        focusNext.current = '[data-copy="token-secret"]';
        return;
      }
      const field = result.field === "role" ? "role" : "name";
      setErrors({ [field]: result.message });
      focusNext.current = `#token-${field}`;
    } catch (error) {
      if (!alive.current) return;
      if (error.kind === "unauthenticated") retry.ask();
      else setNotice(problem(error, "No token was created."));
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
    return html`<${Dialog} className="editor editor-wide" labelledBy="token-title" onClose=${close}>
      <div class="editor-form">
        <h2 class="editor-title" id="token-title">Token created</h2>
        <p class="dialog-text">
          “${created.apiToken.name}” can now call the API with this token in an
          Authorization: Bearer header.
        </p>
        <p class="secret-warning" id="token-warning">
          This token is shown only now: it cannot be shown again. Copy it and keep it somewhere safe.
        </p>
        <${Secret} id="token-secret" label="Token" value=${created.token} describedBy="token-warning" />
        <${Secret} id="token-curl" label="Try it with curl" value=${curlLine(created.token)} multiline=${true} />
        <div class="editor-actions">
          <button type="button" class="button button-primary" onClick=${close}>Done</button>
        </div>
      </div>
    </${Dialog}>`;
  }

  return html`<${Dialog} className="editor" labelledBy="token-title" onClose=${close}>
    <form class="editor-form" novalidate onSubmit=${submit} aria-busy=${busy ? "true" : null}>
      <h2 class="editor-title" id="token-title">Create token</h2>
      ${notice && html`<p class="notice" role="alert">${notice}</p>`}
      ${retry.panel}
      <div class="field">
        <label class="field-label" for="token-name">
          <span>Name</span><span class="field-hint" aria-hidden="true">Required</span>
        </label>
        <input
          class="field-input"
          id="token-name"
          type="text"
          autocomplete="off"
          maxlength=${NAME_MAX_LENGTH}
          placeholder="Mobile app, nightly export…"
          value=${name}
          onInput=${(event) => {
            setName(event.currentTarget.value);
            setErrors({});
            setNotice("");
          }}
          aria-invalid=${errors.name ? "true" : null}
          aria-describedby=${errors.name ? "token-name-error" : null}
          ref=${nameInput}
        />
        ${errors.name && html`<p class="field-error" id="token-name-error">${errors.name}</p>`}
      </div>
      <div class="field">
        <label class="field-label" for="token-role">Role</label>
        <select
          class="field-input"
          id="token-role"
          value=${role}
          onChange=${(event) => {
            setRole(event.currentTarget.value);
            setErrors({});
          }}
          aria-invalid=${errors.role ? "true" : null}
          aria-describedby=${errors.role ? "token-role-error token-role-hint" : "token-role-hint"}
        >
          ${TOKEN_ROLES.map((option) => html`<option key=${option.value} value=${option.value}>${option.label}</option>`)}
        </select>
        <p class="field-note" id="token-role-hint">${roleHint(role, TOKEN_ROLES)}</p>
        ${errors.role && html`<p class="field-error" id="token-role-error">${errors.role}</p>`}
      </div>
      <div class="editor-actions">
        <button type="button" class="button" onClick=${close}>Cancel</button>
        <button type="submit" class="button button-primary">
          ${retry.active ? "Sign in and create" : "Create token"}
        </button>
      </div>
    </form>
  </${Dialog}>`;
}
