// The Settings area: the pages whose path starts with /settings/. The header shows the area
// as one "Settings" link when the role may use more than one of them, and SettingsNav lists
// them on each of its pages.

import { html } from "../../lib/dom.js";
import { Link } from "../../lib/router.js";

export const AREA = "/settings/";

/** The breadcrumb's first part on every Settings page. */
export const SETTINGS = [{ label: "Settings", href: "/settings/at-risk-entries" }];

export function inSettings(route) {
  return route !== null && route.path.startsWith(AREA);
}

export function SettingsNav({ pages, current }) {
  return html`<nav class="settings-nav" aria-label="Settings">
    <ul>
      ${pages.map(
        (route) => html`<li key=${route.path}>
          <${Link} href=${route.path} aria-current=${route === current ? "page" : null}>${route.nav}</${Link}>
        </li>`,
      )}
    </ul>
  </nav>`;
}
