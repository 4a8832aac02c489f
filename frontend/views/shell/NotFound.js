// An address the app has no page for (or one the role may not use).

import { html } from "../../lib/dom.js";
import { Link } from "../../lib/router.js";
import { Page } from "./Page.js";

export function NotFound() {
  return html`<${Page} title="Page not found">
    <p class="placeholder-page">
      There is no page at this address. <${Link} href="/">Go to the start page</${Link}>.
    </p>
  </${Page}>`;
}
