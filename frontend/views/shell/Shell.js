// The frame around every page: the product's name, the navigation (only the pages the
// signed-in role may use), who is signed in with Sign out, and the toast.

import { signOut } from "../../lib/auth.js";
import { html, useStore } from "../../lib/dom.js";
import { Link } from "../../lib/router.js";
import { ROLE_NAMES, allows, session, signedOut } from "../../lib/session.js";
import { Toast, showToast } from "../../lib/toast.js";

function Account({ me }) {
  async function leave() {
    try {
      await signOut();
    } catch (error) {
      showToast(`Could not sign out: ${error.kind === "network" ? "the server could not be reached." : error.message}`);
      return;
    }
    signedOut();
    showToast("Signed out.");
  }

  return html`<div class="account">
    <p class="account-company">${me.company.name}</p>
    <p class="account-user">
      <span>${me.email ?? ""}</span> <span class="account-role">${ROLE_NAMES[me.role] ?? me.role}</span>
    </p>
    <button type="button" class="button button-small" onClick=${leave}>Sign out</button>
  </div>`;
}

export function Shell({ routes, current, children }) {
  const { me } = useStore(session);
  const pages = routes.filter((route) => route.nav && allows(me, route.roles));

  return html`
    <a class="skip-link" href="#main">Skip to content</a>
    <header class="topbar">
      <div class="topbar-inner">
        <${Link} class="brand" href="/">atrisk</${Link}>
        ${pages.length > 0 &&
        html`<nav class="nav" aria-label="Main">
          <ul>
            ${pages.map(
              (route) => html`<li key=${route.path}>
                <${Link} href=${route.path} aria-current=${route === current ? "page" : null}>${route.nav}</${Link}>
              </li>`,
            )}
          </ul>
        </nav>`}
        ${me && html`<${Account} me=${me} />`}
      </div>
    </header>
    ${children}
    <${Toast} />
  `;
}
