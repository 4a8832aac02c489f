// The At-Risk Entries page (Settings): the four lists, narrowed by a filter and a search
// kept in the address, with the edit window, reordering by drag and drop or Alt+Up /
// Alt+Down, and Sort A–Z.
//
// An entry you just added or changed stays listed, marked, until the filter or the search
// changes, even when they would hide it: your own action never seems to vanish.

import { html, useEffect, useLayoutEffect, useReducer, useRef, useState, useStore } from "../../lib/dom.js";
import { graphql } from "../../lib/graphql.js";
import { useLiveChanges } from "../../lib/live.js";
import { location, requestTitleFocus, setQuery } from "../../lib/router.js";
import { session, signedIn, signedOut } from "../../lib/session.js";
import { showToast } from "../../lib/toast.js";
import { Page } from "../shell/Page.js";
import { SignInAgainDialog } from "../shell/SignInAgain.js";
import { CATEGORIES, categoryOf } from "./categories.js";
import { Editor } from "./Editor.js";
import { FILTERS, emptyMessage, filterOf, folded, matches } from "./filters.js";
import { LIST, MOVE, SORT } from "./operations.js";
import { Section } from "./Section.js";
import { SortDialog } from "./SortDialog.js";
import { inCategory, initial, reducer } from "./store.js";
import { LOAD_PROBLEMS, problem } from "./words.js";

const LEDE =
  "The choices staff pick from when a customer is at risk of cancelling. " +
  "Inactive entries stay listed here but are not offered for new records.";

export function EntriesPage() {
  const { me } = useStore(session);
  const { search } = useStore(location);
  const show = filterOf(search.get("show"));
  const query = search.get("q") ?? "";
  const [state, dispatch] = useReducer(reducer, initial);
  const [kept, setKept] = useState(() => new Map());
  const [editor, setEditor] = useState(null); // {category, entry (null: a new one)}
  const [sorting, setSorting] = useState(null); // a category
  const [signIn, setSignIn] = useState(null); // {what, action, resolve, reject}
  const [drag, setDrag] = useState(null); // {id, category, over, where}
  const [focus, setFocus] = useState(null); // a selector to focus after the next render
  const [saving, setSaving] = useState(0); // moves not yet answered: the page is busy
  const entries = useRef(state.entries);
  entries.current = state.entries;
  // Moves go to the server one after the other; `count` grows with each, so that a reload
  // that started before a move does not draw the lists without it.
  const moves = useRef({ queue: Promise.resolve(), pending: 0, count: 0 });

  const canEdit = me?.role === "ADMIN";
  // Until the caller is known, Add shows disabled (as while loading); then only to admins.
  const showAdd = me === null || canEdit;

  async function load({ quiet = false } = {}) {
    if (!quiet) dispatch({ type: "loading" });
    const movesBefore = moves.current.count;
    try {
      const data = await graphql(LIST);
      signedIn(data.me);
      if (quiet && (moves.current.count !== movesBefore || moves.current.pending > 0)) {
        return; // a move came meanwhile: the reload after it draws the lists
      }
      dispatch({ type: "loaded", entries: data.atRiskEntries });
    } catch (error) {
      if (error.kind === "unauthenticated") {
        signedOut(quiet ? "Your session has ended. Sign in again." : "");
      } else if (!quiet) {
        dispatch({ type: "failed", problem: error });
      }
    }
  }

  useEffect(() => {
    load();
  }, []);

  // Someone else's change: the lists are read again in place (one read for a burst), and
  // the rows it touched are marked for a moment. Focus and anything typed stay as they are.
  const [fresh, setFresh] = useState(() => new Set());
  const live = useRef({ timer: 0, ids: new Set() });
  useLiveChanges((change) => {
    if (!change.resync && change.entityType !== "AT_RISK_ENTRY") return;
    if (!change.resync && change.action !== "DELETE") live.current.ids.add(change.entityId);
    clearTimeout(live.current.timer);
    live.current.timer = setTimeout(async () => {
      const ids = live.current.ids;
      live.current.ids = new Set();
      await load({ quiet: true });
      if (ids.size > 0) {
        setFresh(ids);
        setTimeout(() => setFresh((current) => (current === ids ? new Set() : current)), 2500);
      }
    }, 100);
  });
  useEffect(() => () => clearTimeout(live.current.timer), []);

  // A new filter or search shows exactly what it asks for again.
  useLayoutEffect(() => setKept(new Map()), [show, query]);

  // Right after the lists are drawn again, before the next key press is handled: a row
  // that moved keeps the focus, so Alt+Down can be pressed again and again.
  useLayoutEffect(() => {
    if (focus) {
      document.querySelector(focus)?.focus();
      setFocus(null);
    }
  }, [focus]);

  /** The rows a category shows (of `list`: the entries as drawn, or as moved since). */
  function visible(category, list = state.entries) {
    return inCategory(list, category.value).filter(
      (entry) => kept.has(entry.id) || matches(entry, show, query),
    );
  }

  function keep(entry, how) {
    if (!matches(entry, show, query)) {
      setKept((current) => new Map(current).set(entry.id, current.get(entry.id) ?? how));
    }
  }

  /** Ask for the password again in a window of its own; resolves once signed in. */
  function askToSignIn(what, action) {
    return new Promise((resolve, reject) => setSignIn({ what, action, resolve, reject }));
  }

  // Moving -------------------------------------------------------------------------------

  /** Where `entry` goes one step up or down among the rows shown: {beforeId}, or null. */
  function moveTarget(entry, direction) {
    const shown = visible(categoryOf(entry.category), entries.current);
    const index = shown.findIndex((row) => row.id === entry.id);
    const all = inCategory(entries.current, entry.category).filter((row) => row.id !== entry.id);
    if (direction === "up") {
      return index > 0 ? { beforeId: shown[index - 1].id } : null;
    }
    if (index === -1 || index >= shown.length - 1) return null;
    return { beforeId: after(all, shown[index + 1]) };
  }

  /** The id of the entry right after `row` in `order`, or null when it is last. */
  function after(order, row) {
    const index = order.findIndex((candidate) => candidate.id === row.id);
    return order[index + 1]?.id ?? null;
  }

  function announceMove(entry) {
    const category = categoryOf(entry.category);
    const order = inCategory(entries.current, entry.category);
    const position = order.findIndex((row) => row.id === entry.id) + 1;
    showToast(`Moved “${entry.name}” to position ${position} of ${order.length} in ${category.title}.`);
  }

  async function sendMove(entry, beforeId) {
    try {
      const result = (await graphql(MOVE, { input: { id: entry.id, beforeId } })).moveAtRiskEntry;
      if (result.__typename === "NotFoundError") {
        showToast(`“${entry.name}” was not moved: someone else deleted it.`);
      } else if (result.__typename !== "AtRiskEntry") {
        showToast(result.message);
      }
    } catch (error) {
      if (error.kind === "unauthenticated") {
        try {
          await askToSignIn("move it", "Sign in and move");
        } catch {
          return; // cancelled: the reload puts it back where it is
        }
        await sendMove(entry, beforeId);
        return;
      }
      showToast(`“${entry.name}” was not moved. ${problem(error, "")}`.trim());
    }
  }

  /** Move now on the page, then on the server; moves are sent one after the other. */
  function move(entry, beforeId) {
    const action = { type: "moved", id: entry.id, beforeId };
    dispatch(action);
    entries.current = reducer({ ...state, entries: entries.current }, action).entries;
    announceMove(entry);
    setFocus(`[data-entry-id="${CSS.escape(entry.id)}"]`);
    const queue = moves.current;
    queue.pending += 1;
    queue.count += 1;
    setSaving((count) => count + 1);
    queue.queue = queue.queue
      .then(() => sendMove(entry, beforeId))
      .finally(() => {
        queue.pending -= 1;
        setSaving((count) => count - 1);
        if (queue.pending === 0) load({ quiet: true }); // the versions of the others moved too
      });
  }

  const actions = {
    add(category) {
      if (canEdit) setEditor({ category, entry: null });
    },
    open(entry) {
      if (canEdit) setEditor({ category: categoryOf(entry.category), entry });
    },
    sort(category) {
      setSorting(category);
    },
    moveByKey(entry, direction) {
      const target = moveTarget(entry, direction);
      if (target === null) {
        showToast(`“${entry.name}” is already ${direction === "up" ? "first" : "last"}.`);
        return;
      }
      move(entry, target.beforeId);
    },
    dragStart(entry) {
      setDrag({ id: entry.id, category: entry.category, over: null, where: null });
    },
    canDropOn(entry) {
      return drag !== null && drag.category === entry.category && drag.id !== entry.id;
    },
    dragOver(entry, where) {
      if (drag.over !== entry.id || drag.where !== where) {
        setDrag({ ...drag, over: entry.id, where });
      }
    },
    drop(entry) {
      if (drag === null || drag.category !== entry.category || drag.id === entry.id) return;
      const dragged = entries.current.find((row) => row.id === drag.id);
      const where = drag.over === entry.id ? drag.where : "before";
      setDrag(null);
      const others = inCategory(entries.current, entry.category).filter((row) => row.id !== dragged.id);
      move(dragged, where === "before" ? entry.id : after(others, entry));
    },
    dragEnd() {
      setDrag(null);
    },
  };

  // What the edit window asks of the page ------------------------------------------------

  const editorPage = {
    saved(entry, how) {
      dispatch({ type: "changed", entry });
      keep(entry, how);
      const category = categoryOf(entry.category);
      showToast(how === "added" ? `Added “${entry.name}” to ${category.title}.` : `Saved “${entry.name}”.`);
    },
    refreshed(entry) {
      dispatch({ type: "changed", entry });
    },
    deleted(entry, { byOthers }) {
      dispatch({ type: "removed", id: entry.id });
      if (!byOthers) showToast(`Deleted “${entry.name}”.`);
    },
    moved(entry) {
      dispatch({ type: "moved", id: entry.id, position: entry.position });
      moves.current.count += 1;
      load({ quiet: true });
    },
    moveTarget,
    total(category) {
      return inCategory(entries.current, category.value).length;
    },
    others(entry) {
      return inCategory(entries.current, entry.category).filter((other) => other.id !== entry.id);
    },
    reload() {
      load({ quiet: true });
    },
    async findInactive(category, name) {
      const key = folded(name);
      const find = () =>
        inCategory(entries.current, category.value).find(
          (entry) => !entry.active && folded(entry.name) === key,
        ) ?? null;
      if (find()) return find();
      await load({ quiet: true }); // someone else may have added it meanwhile
      return find();
    },
    close({ category, id }) {
      setEditor(null);
      setFocus(id ? `[data-entry-id="${CSS.escape(id)}"]` : `[data-add="${category.value}"]`);
    },
  };

  async function sort(category) {
    setSorting(null);
    setFocus(`[data-sort="${category.value}"]`);
    try {
      const sorted = (await graphql(SORT, { category: category.value })).sortAtRiskEntries;
      dispatch({ type: "sorted", category: category.value, entries: sorted });
      showToast(`Sorted ${category.title} A–Z.`);
    } catch (error) {
      if (error.kind === "unauthenticated") {
        try {
          await askToSignIn("sort the list", "Sign in and sort");
        } catch {
          return;
        }
        await sort(category);
        return;
      }
      showToast(`${category.title} were not sorted. ${problem(error, "")}`.trim());
    }
  }

  async function retry() {
    requestTitleFocus();
    await load();
  }

  const narrowed = show !== "all" || query.trim() !== "";

  return html`<${Page}
    title="At-Risk Entries"
    breadcrumb=${[{ label: "Settings", href: "/settings/at-risk-entries" }]}
    lede=${LEDE}
    busy=${state.status === "loading" || saving > 0}
  >
    <div class="toolbar">
      <div class="search">
        <label class="search-label" for="entries-search">Search</label>
        <input
          class="field-input search-input"
          id="entries-search"
          type="search"
          autocomplete="off"
          placeholder="Name or description"
          value=${query}
          onInput=${(event) => setQuery({ q: event.currentTarget.value }, { replace: true })}
        />
      </div>
      <div class="segmented" role="radiogroup" aria-labelledby="filter-label">
        <span class="segmented-label" id="filter-label">Show</span>
        ${FILTERS.map(
          (filter) => html`<label class="segment" key=${filter.value}>
            <input
              type="radio"
              name="filter"
              value=${filter.value}
              checked=${show === filter.value}
              onChange=${() => setQuery({ show: filter.value === "all" ? null : filter.value })}
            /><span>${filter.label}</span>
          </label>`,
        )}
      </div>
    </div>
    <p class="visually-hidden" id="move-hint">Alt+Up and Alt+Down move it in its list.</p>

    ${state.status === "error" &&
    html`<div class="problem">
      <p class="problem-message" role="alert">
        ${LOAD_PROBLEMS[state.problem?.kind] ?? LOAD_PROBLEMS.server}
      </p>
      <button type="button" class="button" onClick=${retry}>Retry</button>
    </div>`}

    <div class="sections">
      ${CATEGORIES.map(
        (category) => html`<${Section}
          key=${category.value}
          category=${category}
          status=${state.status}
          rows=${visible(category)}
          total=${inCategory(state.entries, category.value).length}
          narrowed=${narrowed}
          empty=${emptyMessage(category, show, query)}
          canEdit=${canEdit}
          showAdd=${showAdd}
          kept=${kept}
          fresh=${fresh}
          drag=${drag?.category === category.value ? drag : null}
          actions=${actions}
        />`,
      )}
    </div>

    ${editor &&
    html`<${Editor}
      key=${editor.entry?.id ?? `new-${editor.category.value}`}
      category=${editor.category}
      entry=${editor.entry}
      page=${editorPage}
      latest=${editor.entry ? (state.entries.find((row) => row.id === editor.entry.id) ?? null) : undefined}
    />`}
    ${sorting &&
    html`<${SortDialog}
      category=${sorting}
      count=${inCategory(state.entries, sorting.value).length}
      onSort=${() => sort(sorting)}
      onCancel=${() => {
        setFocus(`[data-sort="${sorting.value}"]`);
        setSorting(null);
      }}
    />`}
    ${signIn &&
    html`<${SignInAgainDialog}
      what=${signIn.what}
      action=${signIn.action}
      onSignedIn=${() => {
        setSignIn(null);
        signIn.resolve();
      }}
      onCancel=${() => {
        setSignIn(null);
        signIn.reject(new Error("cancelled"));
        load({ quiet: true });
      }}
    />`}
  </${Page}>`;
}
