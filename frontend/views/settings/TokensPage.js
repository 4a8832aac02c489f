// API tokens (Settings, admins): the company's tokens for apps and scripts, with who made
// each, when, and when it was last used; Create token (the secret shown once) and Revoke
// (asked first). A revoked token stays listed, marked revoked.

import { html, useLayoutEffect, useState, useStore } from "../../lib/dom.js";
import { formatDate } from "../../lib/format.js";
import { graphql } from "../../lib/graphql.js";
import { requestTitleFocus } from "../../lib/router.js";
import { session } from "../../lib/session.js";
import { showToast } from "../../lib/toast.js";
import { Page } from "../shell/Page.js";
import { ConfirmDialog } from "./ConfirmDialog.js";
import { sessionEnded, usePageData } from "./load.js";
import { REVOKE_TOKEN, TOKENS } from "./operations.js";
import { roleName } from "./roles.js";
import { SETTINGS } from "./Settings.js";
import { TokenDialog } from "./TokenDialog.js";
import { loadProblem, problem } from "./words.js";

const LEDE =
  "Tokens let apps and scripts read (or, as Agent, work cases) through the API without a " +
  "person's password. A token is shown once, when it is created; revoke one that is lost " +
  "or no longer used, and it is refused from its next request.";

const PLUS = html`<svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
  <path d="M8 3v10M3 8h10" />
</svg>`;

/** Active tokens first, then the newest first. */
function inOrder(tokens) {
  return [...tokens].sort(
    (a, b) =>
      Number(a.revokedAt !== null) - Number(b.revokedAt !== null) ||
      b.createdAt.localeCompare(a.createdAt),
  );
}

function TokenRow({ token, timezone, onRevoke }) {
  const when = (iso) => formatDate(iso, timezone, { time: true });
  const revoked = token.revokedAt !== null;
  return html`<tr class=${revoked ? "is-inactive" : ""}>
    <th scope="row" class="token-name">${token.name}</th>
    <td data-label="Role">${roleName(token.role)}</td>
    <td data-label="Created by">${token.createdBy ?? "—"}</td>
    <td data-label="Created">${when(token.createdAt)}</td>
    <td data-label="Last used">${token.lastUsedAt ? when(token.lastUsedAt) : "Never"}</td>
    <td data-label="Status">
      ${revoked
        ? html`<span class="marker marker-inactive">Revoked ${when(token.revokedAt)}</span>`
        : html`<span class="marker marker-active">Active</span>`}
    </td>
    <td class="cell-action">
      ${!revoked &&
      html`<button type="button" class="button button-small button-danger-quiet" data-token-id=${token.id} onClick=${() => onRevoke(token)}>
        Revoke<span class="visually-hidden"> ${token.name}</span>
      </button>`}
    </td>
  </tr>`;
}

export function TokensPage() {
  const { me } = useStore(session);
  const [state, load, update] = usePageData(TOKENS, (data) => inOrder(data.apiTokens));
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState(null); // a token
  const [focus, setFocus] = useState(null);

  useLayoutEffect(() => {
    if (focus) {
      document.querySelector(focus)?.focus();
      setFocus(null);
    }
  }, [focus]);

  function saved(token) {
    update((tokens) => inOrder([...(tokens ?? []).filter((t) => t.id !== token.id), token]));
  }

  const dialog = {
    saved,
    close() {
      setCreating(false);
      setFocus("#token-create");
    },
  };

  async function revoke(token) {
    try {
      const result = (await graphql(REVOKE_TOKEN, { id: token.id })).revokeApiToken;
      if (result.__typename === "ApiToken") {
        saved(result);
        showToast(`Revoked “${result.name}”.`);
      } else {
        showToast(`“${token.name}” no longer exists.`);
        load({ quiet: true });
      }
    } catch (error) {
      if (error.kind === "unauthenticated") {
        sessionEnded();
        return null;
      }
      return problem(error, "The token was not revoked.");
    }
    setRevoking(null);
    setFocus("#token-create");
    return null;
  }

  async function retry() {
    requestTitleFocus();
    await load();
  }

  const tokens = state.data ?? [];
  const timezone = me?.company.timezone ?? "UTC";
  let body;
  if (state.status === "loading") {
    body = html`<p class="placeholder">Loading…</p>`;
  } else if (state.status === "error") {
    body = html`<div class="problem">
      <p class="problem-message" role="alert">${loadProblem(state.problem, "the API tokens")}</p>
      <button type="button" class="button" onClick=${retry}>Retry</button>
    </div>`;
  } else if (tokens.length === 0) {
    body = html`<p class="placeholder">No tokens yet. Create one for each app or script that uses the API.</p>`;
  } else {
    body = html`<table class="settings-table tokens-table">
      <caption class="visually-hidden">API tokens</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Role</th>
          <th scope="col">Created by</th>
          <th scope="col">Created</th>
          <th scope="col">Last used</th>
          <th scope="col">Status</th>
          <th scope="col"><span class="visually-hidden">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        ${tokens.map(
          (token) => html`<${TokenRow} key=${token.id} token=${token} timezone=${timezone} onRevoke=${setRevoking} />`,
        )}
      </tbody>
    </table>`;
  }

  const active = tokens.filter((token) => token.revokedAt === null).length;

  return html`<${Page}
    title="API tokens"
    breadcrumb=${SETTINGS}
    lede=${LEDE}
    busy=${state.status === "loading"}
  >
    <section class="settings-panel" aria-labelledby="tokens-title">
      <header class="section-header">
        <h2 class="section-title">
          <span id="tokens-title">Tokens</span>
          ${state.status === "ready" &&
          html`<span class="count">
            ${active === tokens.length ? String(tokens.length) : `${active} active of ${tokens.length}`}
            <span class="visually-hidden">${tokens.length === 1 ? " token" : " tokens"}</span>
          </span>`}
        </h2>
        <button
          type="button"
          class="button button-small"
          id="token-create"
          disabled=${state.status !== "ready"}
          onClick=${() => setCreating(true)}
        >
          ${PLUS}Create token
        </button>
      </header>
      ${body}
    </section>
    ${creating && html`<${TokenDialog} page=${dialog} />`}
    ${revoking &&
    html`<${ConfirmDialog}
      title=${`Revoke “${revoking.name}”?`}
      text="Apps and scripts that use this token are refused from their next request. This cannot be undone; the token stays listed, marked revoked."
      action="Revoke token"
      onConfirm=${() => revoke(revoking)}
      onCancel=${() => {
        setFocus(`[data-token-id="${CSS.escape(revoking.id)}"]`);
        setRevoking(null);
      }}
    />`}
  </${Page}>`;
}
