// Real paths with the History API: `location` is the current path and query, `navigate`
// moves to another (pushState, or replaceState), `Link` is an <a> that navigates without
// reloading, and Back and Forward (popstate) update `location` the same way.
//
// After a move the page's heading takes the focus (requestTitleFocus / takeTitleFocus), so
// that keyboard and screen-reader users land on the new page, as after a full load.

import { createStore, html } from "./dom.js";

function read() {
  return {
    path: window.location.pathname,
    search: new URLSearchParams(window.location.search),
  };
}

export const location = createStore(read());

let titleFocus = false;

/** Ask the next page that is ready to move the focus to its heading. */
export function requestTitleFocus() {
  titleFocus = true;
}

/** Whether a focus request is pending; answering true consumes it. */
export function takeTitleFocus() {
  const pending = titleFocus;
  titleFocus = false;
  return pending;
}

window.addEventListener("popstate", () => {
  const before = location.get().path;
  location.set(read());
  if (location.get().path !== before) {
    requestTitleFocus();
  }
});

const aliases = new Map();

/** A path that shows another path's page ("/" the first page): moving to it moves there. */
export function alias(from, to) {
  aliases.set(from, to);
}

function resolved(url) {
  const target = new URL(url, window.location.origin);
  const to = aliases.get(target.pathname);
  return to ? `${to}${target.search}` : `${target.pathname}${target.search}`;
}

export function navigate(url, { replace = false } = {}) {
  window.history[replace ? "replaceState" : "pushState"](null, "", resolved(url));
  location.set(read());
}

/** Change some query parameters of the current path (null or "" removes one). */
export function setQuery(changes, { replace = false } = {}) {
  const { path, search } = location.get();
  const next = new URLSearchParams(search);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null || value === "") {
      next.delete(name);
    } else {
      next.set(name, value);
    }
  }
  const query = next.toString();
  navigate(query ? `${path}?${query}` : path, { replace });
}

function follow(event) {
  const plain = event.button === 0 && !(event.metaKey || event.ctrlKey || event.shiftKey || event.altKey);
  if (event.defaultPrevented || !plain) {
    return; // a new tab or window: the browser's own way
  }
  event.preventDefault();
  const url = resolved(event.currentTarget.getAttribute("href"));
  if (url !== `${window.location.pathname}${window.location.search}`) {
    navigate(url);
  }
  requestTitleFocus();
  location.set({}); // the same path again still moves the focus to the heading
}

/**
 * The parameters of `path` if it matches `pattern` ("/customers/:id" matches "/customers/42"
 * with {id: "42"}), else null. A parameter is one id-like segment, as the server answers.
 */
export function matchPath(pattern, path) {
  const want = pattern.split("/");
  const got = path.split("/");
  if (want.length !== got.length) {
    return null;
  }
  const params = {};
  for (let i = 0; i < want.length; i += 1) {
    if (want[i].startsWith(":")) {
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(got[i])) {
        return null;
      }
      params[want[i].slice(1)] = got[i];
    } else if (want[i] !== got[i]) {
      return null;
    }
  }
  return params;
}

/** A link inside the app: same-origin paths only. */
export function Link({ href, children, ...props }) {
  return html`<a href=${href} onClick=${follow} ...${props}>${children}</a>`;
}
