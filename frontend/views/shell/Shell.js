// The frame around every page: the product's name, the navigation (only the pages the
// signed-in role may use), who is signed in with Sign out, and the toast.

import { signOut } from "../../lib/auth.js";
import { html, useStore } from "../../lib/dom.js";
import { live } from "../../lib/live.js";
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

const LIVE_WORDS = {
  live: ["Live", "Changes made by others appear here as they happen."],
  connecting: ["Connecting…", "Connecting for live updates."],
  offline: ["Reconnecting…", "Live updates are interrupted; reconnecting. The page reloads its data once back."],
};

/** Whether others' changes arrive live: a dot and a word, announced politely. */
function LiveIndicator() {
  const { status } = useStore(live);
  const words = LIVE_WORDS[status];
  if (!words) return null;
  return html`<p class=${`live-indicator live-${status}`} role="status" title=${words[1]}>
    <span class="live-dot" aria-hidden="true"></span>${words[0]}
  </p>`;
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
        ${me && html`<${LiveIndicator} />`}
        ${me && html`<${Account} me=${me} />`}
      </div>
    </header>
    ${children}
    <${Toast} />
  `;
}
