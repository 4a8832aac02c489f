// People (Settings, admins): everyone who may sign in to the company, with role, status and
// last sign-in (in the company's time zone); Add person, and each person's window.

import { html, useLayoutEffect, useState, useStore } from "../../lib/dom.js";
import { formatDate } from "../../lib/format.js";
import { requestTitleFocus } from "../../lib/router.js";
import { session, signedIn } from "../../lib/session.js";
import { showToast } from "../../lib/toast.js";
import { Page } from "../shell/Page.js";
import { AddPersonDialog } from "./AddPersonDialog.js";
import { usePageData } from "./load.js";
import { USERS } from "./operations.js";
import { PersonDialog } from "./PersonDialog.js";
import { byEmail, roleName } from "./roles.js";
import { SETTINGS } from "./Settings.js";
import { loadProblem } from "./words.js";

const LEDE =
  "Everyone who can sign in to this company, and what their role lets them do. " +
  "A deactivated person is signed out at once and cannot sign in until reactivated.";

const PLUS = html`<svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
  <path d="M8 3v10M3 8h10" />
</svg>`;

function PersonRow({ user, me, onOpen }) {
  const own = user.id === me?.userId;
  const timezone = me?.company.timezone ?? "UTC";
  return html`<tr class=${user.active ? "" : "is-inactive"}>
    <th scope="row" class="person">
      <span class="person-name">${user.name || user.email}</span>
      ${own && html`<span class="marker marker-you">You</span>`}
      ${user.name && html`<span class="person-email">${user.email}</span>`}
    </th>
    <td data-label="Role">${roleName(user.role)}</td>
    <td data-label="Status">
      <span class=${user.active ? "marker marker-active" : "marker marker-inactive"}>
        ${user.active ? "Active" : "Inactive"}
      </span>
    </td>
    <td data-label="Last sign-in">
      ${user.lastSignInAt ? formatDate(user.lastSignInAt, timezone, { time: true }) : "Never"}
    </td>
    <td class="cell-action">
      <button type="button" class="button button-small" data-person-id=${user.id} onClick=${() => onOpen(user)}>
        Edit<span class="visually-hidden"> ${user.email}</span>
      </button>
    </td>
  </tr>`;
}

export function UsersPage() {
  const { me } = useStore(session);
  const [state, load, update] = usePageData(USERS, (data) => byEmail(data.users));
  const [dialog, setDialog] = useState(null); // {person: null (a new one) | user}
  const [focus, setFocus] = useState(null);

  useLayoutEffect(() => {
    if (focus) {
      document.querySelector(focus)?.focus();
      setFocus(null);
    }
  }, [focus]);

  const people = {
    saved(user) {
      update((users) => byEmail([...(users ?? []).filter((u) => u.id !== user.id), user]));
      if (user.id === me?.userId && user.role !== me.role) {
        signedIn({ ...me, role: user.role }); // no longer an admin: this page is gone
      }
    },
    close({ id, message }) {
      setDialog(null);
      setFocus(id ? `[data-person-id="${CSS.escape(id)}"]` : "#person-add");
      if (message) showToast(message);
    },
  };

  async function retry() {
    requestTitleFocus();
    await load();
  }

  const ready = state.status === "ready";
  const users = state.data ?? [];
  let body;
  if (state.status === "loading") {
    body = html`<p class="placeholder">Loading…</p>`;
  } else if (state.status === "error") {
    body = html`<div class="problem">
      <p class="problem-message" role="alert">${loadProblem(state.problem, "the people")}</p>
      <button type="button" class="button" onClick=${retry}>Retry</button>
    </div>`;
  } else {
    body = html`<table class="settings-table people-table">
      <caption class="visually-hidden">People</caption>
      <thead>
        <tr>
          <th scope="col">Person</th>
          <th scope="col">Role</th>
          <th scope="col">Status</th>
          <th scope="col">Last sign-in</th>
          <th scope="col"><span class="visually-hidden">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        ${users.map(
          (user) => html`<${PersonRow}
            key=${user.id}
            user=${user}
            me=${me}
            onOpen=${(person) => setDialog({ person })}
          />`,
        )}
      </tbody>
    </table>`;
  }

  const active = users.filter((user) => user.active).length;

  return html`<${Page}
    title="People"
    breadcrumb=${SETTINGS}
    lede=${LEDE}
    busy=${state.status === "loading"}
  >
    <section class="settings-panel" aria-labelledby="people-title">
      <header class="section-header">
        <h2 class="section-title">
          <span id="people-title">People</span>
          ${ready &&
          html`<span class="count">
            ${active === users.length ? String(users.length) : `${active} active of ${users.length}`}
            <span class="visually-hidden">${users.length === 1 ? " person" : " people"}</span>
          </span>`}
        </h2>
        <button
          type="button"
          class="button button-small"
          id="person-add"
          disabled=${!ready}
          onClick=${() => setDialog({ person: null })}
        >
          ${PLUS}Add person
        </button>
      </header>
      ${body}
    </section>
    ${dialog &&
    (dialog.person
      ? html`<${PersonDialog} key=${dialog.person.id} person=${dialog.person} me=${me} page=${people} />`
      : html`<${AddPersonDialog} page=${people} />`)}
  </${Page}>`;
}
