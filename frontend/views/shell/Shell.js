// The frame around every page: the product's name, the navigation (only the pages the
// signed-in role may use; the Settings pages as one "Settings" link, listed on each of
// them, when the role may use more than one), who is signed in with Your account and
// Sign out, and the toast.

import { signOut } from "../../lib/auth.js";
import { html, useStore } from "../../lib/dom.js";
import { live } from "../../lib/live.js";
import { Link } from "../../lib/router.js";
import { ROLE_NAMES, allows, session, signedOut } from "../../lib/session.js";
import { Toast, showToast } from "../../lib/toast.js";
import { SettingsNav, inSettings } from "../settings/Settings.js";

function Account({ me, current }) {
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
    <${Link} class="account-link" href="/account" aria-current=${current?.path === "/account" ? "page" : null}>Your account</${Link}>
    <button type="button" class="button button-small" onClick=${leave}>Sign out</button>
  </div>`;
}

const LIVE_WORDS = {
  live: ["Live", "Changes made by others appear here as they happen."],
  connecting: ["Connecting…", "Connecting for live updates."],
  offline: ["Reconnecting…", "Live updates are interrupted; reconnecting. The page reloads its data once back."],
};

/** Whether others' changes arrive live: a dot and a word, announced politely (a live region,
 * not a second "status": the toast is the page's status). */
function LiveIndicator() {
  const { status } = useStore(live);
  const words = LIVE_WORDS[status];
  if (!words) return null;
  return html`<p class=${`live-indicator live-${status}`} aria-live="polite" title=${words[1]}>
    <span class="live-dot" aria-hidden="true"></span>${words[0]}
  </p>`;
}

/** The main navigation's links: the pages, with the Settings area as one link. */
function mainLinks(pages, settings, current) {
  if (settings.length < 2) {
    return pages.map((route) => ({ route, label: route.nav, current: route === current }));
  }
  const links = [];
  for (const route of pages) {
    if (!inSettings(route)) {
      links.push({ route, label: route.nav, current: route === current });
    } else if (route === settings[0]) {
      links.push({ route, label: "Settings", current: inSettings(current) });
    }
  }
  return links;
}

function ariaCurrent(link, current) {
  if (!link.current) return null;
  return link.route === current ? "page" : "true";
}

export function Shell({ routes, current, children }) {
  const { me } = useStore(session);
  const pages = routes.filter((route) => route.nav && allows(me, route.roles));
  const settings = pages.filter(inSettings);
  const links = mainLinks(pages, settings, current);

  return html`
    <a class="skip-link" href="#main">Skip to content</a>
    <header class="topbar">
      <div class="topbar-inner">
        <${Link} class="brand" href="/">atrisk</${Link}>
        ${links.length > 0 &&
        html`<nav class="nav" aria-label="Main">
          <ul>
            ${links.map(
              (link) => html`<li key=${link.route.path}>
                <${Link} href=${link.route.path} aria-current=${ariaCurrent(link, current)}>${link.label}</${Link}>
              </li>`,
            )}
          </ul>
        </nav>`}
        ${me && html`<${LiveIndicator} />`}
        ${me && html`<${Account} me=${me} current=${current} />`}
      </div>
    </header>
    ${settings.length > 1 && inSettings(current) && html`<${SettingsNav} pages=${settings} current=${current} />`}
    ${children}
    <${Toast} />
  `;
}
