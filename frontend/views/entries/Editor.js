// The edit window: add, edit, move or delete one entry.
//
// Nothing typed is lost: a refused save keeps the window and its text; after someone else
// changed the entry it shows the entry as it is now, says what differs, and "Use my changes"
// puts back every field typed; when the session has ended it asks for the password in
// place and then does what was asked. Delete asks first and sends the version the window
// shows, so that an entry someone else changed meanwhile is not deleted unseen. When only
// the entry's place changed meanwhile, the save or delete simply goes ahead. Below, History
// (closed until asked for) shows who changed the entry, when, and what it was before.

import { Dialog } from "../../lib/dialog.js";
import { html, useEffect, useFocusNext, useLayoutEffect, useRef, useState } from "../../lib/dom.js";
import { graphql } from "../../lib/graphql.js";
import { HistorySection } from "../history/HistorySection.js";
import { SignInAgain, signInAgain } from "../shell/SignInAgain.js";
import { DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH, usedBy } from "./categories.js";
import { ADD, DELETE, MOVE, UPDATE } from "./operations.js";
import { deleteConflict, gone, problem, sameFields, saveConflict } from "./words.js";

const RETRY = {
  save: { what: "save", action: "Sign in and save" },
  delete: { what: "delete it", action: "Sign in and delete" },
  replace: { what: "replace and delete it", action: "Sign in and delete" },
  deactivate: { what: "deactivate it", action: "Sign in and deactivate" },
  reactivate: { what: "reactivate it", action: "Sign in and reactivate" },
  up: { what: "move it", action: "Sign in and move" },
  down: { what: "move it", action: "Sign in and move" },
};

const NOTHING = {
  save: "Nothing was saved.",
  delete: "Nothing was deleted.",
  replace: "Nothing was deleted.",
  deactivate: "Nothing was changed.",
  reactivate: "Nothing was changed.",
  up: "It was not moved.",
  down: "It was not moved.",
};

function fieldsOf(entry) {
  return { name: entry?.name ?? "", active: entry?.active ?? true, description: entry?.description ?? "" };
}

/** The fields someone changed in the window, compared with the entry it opened on. */
function changedFrom(entry, values) {
  const before = fieldsOf(entry);
  const changed = Object.fromEntries(
    Object.entries(values).filter(([name, value]) => value !== before[name]),
  );
  return Object.keys(changed).length > 0 ? changed : null;
}

export function Editor({ category, entry, page, latest }) {
  const adding = entry === null;
  const label = category.label;
  const [base, setBase] = useState(entry);
  const [fields, setFields] = useState(() => fieldsOf(entry));
  const [errors, setErrors] = useState({});
  const [notice, setNotice] = useState(null);
  const [typed, setTyped] = useState(null);
  const [duplicate, setDuplicate] = useState(null);
  const [confirming, setConfirming] = useState(false);
  const [inUse, setInUse] = useState(null); // {count, replaceWith, error} when Delete found it in use
  const [busy, setBusy] = useState(false);
  const [retry, setRetry] = useState(null); // {action, password, problem} after the session ended
  const [isGone, setGone] = useState(false);
  const [status, setStatus] = useState("");
  const [historyOpen, setHistoryOpen] = useState(false);
  const alive = useRef(true);
  const nameInput = useRef(null);
  const focusNext = useFocusNext(null); // a selector to focus after the next render

  useLayoutEffect(() => {
    const input = nameInput.current;
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
    return () => {
      alive.current = false;
    };
  }, []);

  // Opened, the history scrolls into view below the form (the window scrolls, not the page).
  useEffect(() => {
    if (historyOpen) document.getElementById("editor-history")?.scrollIntoView({ block: "start" });
  }, [historyOpen]);

  function focusAfter(selector) {
    focusNext.current = selector;
  }

  function change(name, value) {
    setFields((current) => ({ ...current, [name]: value }));
    setErrors((current) => ({ ...current, [name]: undefined }));
    if (name === "name") {
      setDuplicate(null);
    }
    setNotice((current) => (current?.kind === "problem" ? null : current));
  }

  function close() {
    page.close({ category, id: isGone || adding ? null : base.id });
  }

  function fail(error, action) {
    if (!alive.current) return;
    if (error.kind === "unauthenticated") {
      setRetry({ action, password: "", problem: "" });
      return;
    }
    setNotice({ kind: "problem", text: problem(error, NOTHING[action]) });
    focusAfter("#entry-name");
  }

  function becomeGone() {
    page.deleted(base, { byOthers: true });
    setGone(true);
    setConfirming(false);
    setTyped(null);
    setNotice({ kind: "gone", text: gone(label) });
    focusAfter("#editor-close");
  }

  function showCurrent(current) {
    page.refreshed(current);
    setBase(current);
    setFields(fieldsOf(current));
    setErrors({});
  }

  // Someone else changed or deleted the entry while the window is open: the page's live
  // data (`latest`; null once it is gone) is newer than what the window shows.
  const changedElsewhere =
    !adding &&
    !isGone &&
    latest !== undefined &&
    (latest === null || (latest.version > base.version && !sameFields(latest, base)));

  function loadLatest() {
    const mine = fieldsOf(base);
    const edited = Object.keys(fields).some((name) => fields[name] !== mine[name]);
    setTyped(edited ? { ...fields } : null);
    showCurrent(latest);
    focusAfter("#entry-name");
  }

  // Save -------------------------------------------------------------------------------

  async function send(values, against) {
    const description = values.description;
    if (adding) {
      const input = { category: category.value, name: values.name, active: values.active, description };
      return (await graphql(ADD, { input })).addAtRiskEntry;
    }
    const input = {
      id: against.id,
      name: values.name,
      active: values.active,
      description,
      expectedVersion: against.version,
    };
    return (await graphql(UPDATE, { input })).updateAtRiskEntry;
  }

  async function save() {
    const values = fields;
    if (values.name.trim() === "") {
      setErrors({ name: `${label} is required.` });
      focusAfter("#entry-name");
      return;
    }
    setBusy(true);
    try {
      let result = await send(values, base);
      if (result.__typename === "VersionConflictError" && sameFields(result.current, base)) {
        result = await send(values, result.current); // only its place in the list changed
      }
      if (alive.current) await settle(result, values);
    } catch (error) {
      fail(error, "save");
    } finally {
      if (alive.current) setBusy(false);
    }
  }

  async function settle(result, values) {
    switch (result.__typename) {
      case "AtRiskEntry":
        page.saved(result, adding ? "added" : "changed");
        page.close({ category, id: adding ? null : result.id });
        return;
      case "VersionConflictError":
        setNotice({ kind: "conflict", text: saveConflict(label, base, result.current, values) });
        showCurrent(result.current);
        setTyped(changedFrom(base, values));
        focusAfter("#entry-name");
        return;
      case "NotFoundError":
        becomeGone();
        return;
      default: {
        const field = result.field === "description" ? "description" : "name";
        setErrors({ [field]: result.message });
        focusAfter(field === "description" ? "#entry-description" : "#entry-name");
        if (adding && field === "name" && / but is inactive\.$/.test(result.message)) {
          setDuplicate(await page.findInactive(category, values.name));
        }
      }
    }
  }

  function useMyChanges() {
    setFields((current) => ({ ...current, ...typed }));
    setTyped(null);
    setNotice(null);
    setErrors({});
    focusAfter("#entry-name");
  }

  async function reactivate() {
    const existing = duplicate;
    setBusy(true);
    try {
      const input = { id: existing.id, active: true, expectedVersion: existing.version };
      const result = (await graphql(UPDATE, { input })).updateAtRiskEntry;
      if (!alive.current) return;
      if (result.__typename === "AtRiskEntry") {
        page.saved(result, "changed");
        page.close({ category, id: result.id });
        return;
      }
      setDuplicate(null);
      setErrors({ name: result.message });
      page.reload();
    } catch (error) {
      fail(error, "reactivate");
    } finally {
      if (alive.current) setBusy(false);
    }
  }

  // Move -------------------------------------------------------------------------------

  async function move(direction) {
    const target = page.moveTarget(base, direction);
    if (target === null) {
      setStatus(direction === "up" ? "It is already first." : "It is already last.");
      return;
    }
    setBusy(true);
    try {
      const input = { id: base.id, beforeId: target.beforeId };
      const result = (await graphql(MOVE, { input })).moveAtRiskEntry;
      if (!alive.current) return;
      if (result.__typename === "NotFoundError") {
        becomeGone();
      } else if (result.__typename === "AtRiskEntry") {
        // Take the new version only if nothing else changed, or a later save would
        // overwrite someone else's change unseen.
        setBase((current) => ({
          ...current,
          position: result.position,
          version: sameFields(result, current) ? result.version : current.version,
        }));
        page.moved(result);
        setStatus(`Moved to position ${result.position} of ${page.total(category)}.`);
      } else {
        setStatus(result.message);
      }
    } catch (error) {
      fail(error, direction);
    } finally {
      if (alive.current) setBusy(false);
    }
  }

  // Delete -----------------------------------------------------------------------------

  function askToDelete() {
    setErrors({});
    setNotice(null);
    setConfirming(true);
    focusAfter("#confirm-cancel");
  }

  function cancelDelete() {
    setConfirming(false);
    focusAfter("#editor-delete");
  }

  async function remove(replaceWith = null) {
    setBusy(true);
    try {
      const sent = { id: base.id, expectedVersion: base.version, replaceWith };
      let result = (await graphql(DELETE, sent)).deleteAtRiskEntry;
      if (result.__typename === "VersionConflictError" && sameFields(result.current, base)) {
        const again = { ...sent, expectedVersion: result.current.version };
        result = (await graphql(DELETE, again)).deleteAtRiskEntry; // only its place changed
      }
      if (!alive.current) return;
      switch (result.__typename) {
        case "DeletedAtRiskEntry":
          page.deleted(base, { byOthers: false });
          if (replaceWith) page.reload(); // the replacement's usage grew
          page.close({ category, id: null });
          return;
        case "EntryInUseError":
          setConfirming(false);
          setInUse({ count: result.usageCount, replaceWith: inUse?.replaceWith ?? "", error: "" });
          focusAfter("#replace-with");
          return;
        case "NotFoundError":
          if (replaceWith && result.id === replaceWith) {
            setInUse({ ...inUse, replaceWith: "", error: "That entry no longer exists: choose another." });
            page.reload();
            focusAfter("#replace-with");
            return;
          }
          becomeGone();
          return;
        case "VersionConflictError":
          setConfirming(false);
          setInUse(null);
          setNotice({ kind: "conflict", text: deleteConflict(label, base, result.current) });
          setTyped(changedFrom(base, fields));
          showCurrent(result.current);
          focusAfter("#editor-delete");
          return;
        default:
          becomeGone();
      }
    } catch (error) {
      setConfirming(false);
      fail(error, "delete");
    } finally {
      if (alive.current) setBusy(false);
    }
  }

  function replaceAndDelete() {
    if (busy) return;
    if (!inUse.replaceWith) {
      setInUse({ ...inUse, error: `Choose the ${label.toLowerCase()} that takes its place.` });
      focusAfter("#replace-with");
      return;
    }
    remove(inUse.replaceWith);
  }

  async function deactivate() {
    if (busy) return;
    const values = { ...fields, active: false };
    setBusy(true);
    try {
      const input = { id: base.id, name: base.name, active: false, description: base.description ?? "", expectedVersion: base.version };
      const result = (await graphql(UPDATE, { input })).updateAtRiskEntry;
      if (!alive.current) return;
      setInUse(null);
      await settle(result, values);
    } catch (error) {
      fail(error, "deactivate");
    } finally {
      if (alive.current) setBusy(false);
    }
  }

  function backFromInUse() {
    setInUse(null);
    focusAfter("#editor-delete");
  }

  // Signing in again -------------------------------------------------------------------

  async function signInAndRetry() {
    setBusy(true);
    const failed = await signInAgain(retry.password);
    if (!alive.current) return;
    setBusy(false);
    if (failed) {
      setRetry({ ...retry, problem: failed });
      return;
    }
    const { action } = retry;
    setRetry(null);
    const run = {
      save,
      delete: () => remove(),
      replace: () => remove(inUse.replaceWith),
      deactivate,
      reactivate,
      up: () => move("up"),
      down: () => move("down"),
    };
    await run[action]();
  }

  function submit(event) {
    event.preventDefault();
    if (busy || isGone || confirming || (inUse && !retry)) return;
    if (retry) {
      signInAndRetry();
    } else {
      save();
    }
  }

  // The window -------------------------------------------------------------------------

  const describedBy = [errors.name && "entry-name-error", notice && "editor-notice"]
    .filter(Boolean)
    .join(" ");
  const settled = !isGone && !retry && !confirming && !inUse;

  let actions;
  if (isGone) {
    actions = html`<div class="editor-actions">
      <button type="button" class="button button-primary" id="editor-close" onClick=${close}>Close</button>
    </div>`;
  } else if (retry) {
    actions = html`<div class="editor-actions">
      <button type="button" class="button" id="editor-cancel" onClick=${close}>Cancel</button>
      <button type="submit" class="button button-primary" id="editor-retry">${RETRY[retry.action].action}</button>
    </div>`;
  } else if (inUse) {
    const others = page.others(base);
    const [one, many] = category.uses;
    actions = html`<div class="confirm" role="group" aria-labelledby="in-use-message">
      <p class="confirm-message" id="in-use-message">
        “${base.name}” is not deleted: ${usedBy(category, inUse.count).toLowerCase()}. Replace it
        with another ${label.toLowerCase()} on every ${one} and delete it, or deactivate it instead
        (the ${many} keep it; it is no longer offered).
      </p>
      ${others.length > 0
        ? html`<div class="field">
            <label class="field-label" for="replace-with">Replace with…</label>
            <select
              class="field-input"
              id="replace-with"
              value=${inUse.replaceWith}
              aria-invalid=${inUse.error ? "true" : null}
              aria-describedby=${inUse.error ? "replace-with-error" : null}
              onChange=${(event) => setInUse({ ...inUse, replaceWith: event.currentTarget.value, error: "" })}
            >
              <option value="">Choose a ${label.toLowerCase()}</option>
              ${others.map((other) => html`<option key=${other.id} value=${other.id}>${other.active ? other.name : `${other.name} (inactive)`}</option>`)}
            </select>
            ${inUse.error && html`<p class="field-error" id="replace-with-error">${inUse.error}</p>`}
          </div>`
        : html`<p class="field-note">There is no other ${label.toLowerCase()} to replace it with.</p>`}
      <div class="editor-actions">
        <button type="button" class="button" id="in-use-cancel" onClick=${backFromInUse}>Cancel</button>
        ${base.active &&
        html`<button type="button" class="button" id="deactivate-instead" onClick=${deactivate}>Deactivate instead</button>`}
        ${others.length > 0 &&
        html`<button type="button" class="button button-danger" id="replace-delete" onClick=${replaceAndDelete}>Replace and delete</button>`}
      </div>
    </div>`;
  } else if (confirming) {
    actions = html`<div class="confirm">
      <p class="confirm-message">
        Delete the ${label.toLowerCase()} “${base.name}”? This cannot be undone.
      </p>
      <div class="editor-actions">
        <button type="button" class="button" id="confirm-cancel" onClick=${cancelDelete}>Cancel</button>
        <button type="button" class="button button-danger" id="confirm-delete" onClick=${() => !busy && remove()}>Delete</button>
      </div>
    </div>`;
  } else {
    actions = html`<div class="editor-actions">
      ${!adding &&
      html`<button type="button" class="button button-danger-quiet" id="editor-delete" onClick=${askToDelete}>Delete</button>`}
      <button type="button" class="button" id="editor-cancel" onClick=${close}>Cancel</button>
      <button type="submit" class="button button-primary" id="editor-save">Save</button>
    </div>`;
  }

  return html`<${Dialog} className="editor" labelledBy="editor-title" onClose=${close}>
    <form class="editor-form" novalidate onSubmit=${submit} aria-busy=${busy ? "true" : null}>
      <h2 class="editor-title" id="editor-title">${adding ? "Add" : "Edit"} ${label}</h2>
      ${notice && html`<p class=${`notice notice-${notice.kind}`} id="editor-notice" role="alert">${notice.text}</p>`}
      ${changedElsewhere &&
      html`<div class="notice notice-live" id="editor-live" role="status">
        <p>
          ${latest === null
            ? `Someone else deleted this ${label.toLowerCase()} while you had it open.`
            : `Someone else changed this ${label.toLowerCase()} while you had it open.`}
        </p>
        ${latest !== null &&
        html`<button type="button" class="link-button" onClick=${loadLatest}>Load the new values</button>`}
      </div>`}
      ${retry &&
      html`<${SignInAgain}
        password=${retry.password}
        onPassword=${(password) => setRetry({ ...retry, password })}
        problem=${retry.problem}
        what=${RETRY[retry.action].what}
      />`}

      <div class="field">
        <label class="field-label" for="entry-name">
          <span>${label}</span><span class="field-hint" aria-hidden="true">Required</span>
        </label>
        <input
          class="field-input"
          id="entry-name"
          name="name"
          type="text"
          required
          autocomplete="off"
          maxlength=${NAME_MAX_LENGTH}
          value=${fields.name}
          readonly=${isGone}
          aria-invalid=${errors.name ? "true" : null}
          aria-describedby=${describedBy || null}
          onInput=${(event) => change("name", event.currentTarget.value)}
          ref=${nameInput}
        />
        <p class="counter">${fields.name.length} / ${NAME_MAX_LENGTH}</p>
        ${errors.name && html`<p class="field-error" id="entry-name-error">${errors.name}</p>`}
        ${typed && !isGone && html`<button type="button" class="link-button" onClick=${useMyChanges}>Use my changes</button>`}
        ${duplicate && html`<button type="button" class="link-button" onClick=${reactivate}>Reactivate it</button>`}
      </div>

      <div class="field field-switch">
        <label class="field-label" for="entry-active">Active</label>
        <button
          type="button"
          class="switch"
          id="entry-active"
          role="switch"
          aria-checked=${String(fields.active)}
          disabled=${isGone}
          onClick=${() => change("active", !fields.active)}
        >
          <span class="switch-thumb"></span>
        </button>
      </div>

      <div class="field">
        <label class="field-label" for="entry-description">
          <span>Description</span><span class="field-hint" aria-hidden="true">Optional</span>
        </label>
        <textarea
          class="field-input field-textarea"
          id="entry-description"
          name="description"
          rows="3"
          maxlength=${DESCRIPTION_MAX_LENGTH}
          value=${fields.description}
          readonly=${isGone}
          aria-invalid=${errors.description ? "true" : null}
          aria-describedby=${errors.description ? "entry-description-error" : null}
          onInput=${(event) => change("description", event.currentTarget.value)}
        ></textarea>
        <p class="counter">${fields.description.length} / ${DESCRIPTION_MAX_LENGTH}</p>
        ${errors.description && html`<p class="field-error" id="entry-description-error">${errors.description}</p>`}
      </div>

      ${!adding &&
      settled &&
      html`<div class="editor-order" role="group" aria-label="Place in the list">
        <button type="button" class="button button-small" onClick=${() => !busy && move("up")}>Move up</button>
        <button type="button" class="button button-small" onClick=${() => !busy && move("down")}>Move down</button>
        <p class="editor-status" role="status">${status}</p>
      </div>`}

      ${actions}
    </form>
    ${!adding &&
    !isGone &&
    html`<div class="editor-history">
      <button
        type="button"
        class="disclosure"
        id="editor-history"
        aria-expanded=${String(historyOpen)}
        aria-controls="editor-history-panel"
        onClick=${() => setHistoryOpen(!historyOpen)}
      >
        History
      </button>
      <div id="editor-history-panel" hidden=${!historyOpen}>
        ${historyOpen && html`<${HistorySection} owner="atRiskEntry" id=${base.id} heading=${null} />`}
      </div>
    </div>`}
  </${Dialog}>`;
}
