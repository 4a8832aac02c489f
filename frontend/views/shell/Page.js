// The frame of every page inside the shell: <main> with the breadcrumb (each part a link),
// the page's heading and its lede. The heading takes the focus after a navigation or a
// sign-in, once the page is ready (not busy).

import { html, useEffect, useRef, useStore } from "../../lib/dom.js";
import { Link, location, takeTitleFocus } from "../../lib/router.js";

export function Page({ title, breadcrumb = [], lede = null, busy = false, children }) {
  const heading = useRef(null);
  const here = useStore(location);

  useEffect(() => {
    document.title = `${title} · atrisk`;
  }, [title]);

  useEffect(() => {
    if (!busy && takeTitleFocus()) {
      heading.current?.focus();
    }
  }, [busy, here]);

  return html`<main class="page" id="main" aria-busy=${busy ? "true" : null}>
    <div class="page-header">
      <div class="page-header-inner">
        <nav class="breadcrumb" aria-label="Breadcrumb">
          <ol>
            ${breadcrumb.map(
              (part) => html`<li key=${part.label}><${Link} href=${part.href}>${part.label}</${Link}></li>`,
            )}
            <li><${Link} href=${here.path} aria-current="page">${title}</${Link}></li>
          </ol>
        </nav>
        <h1 tabindex="-1" ref=${heading}>${title}</h1>
        ${lede && html`<p class="lede">${lede}</p>`}
      </div>
    </div>
    <div class="page-body">${children}</div>
  </main>`;
}
