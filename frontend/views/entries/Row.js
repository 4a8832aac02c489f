// One entry of a list: its name (and description under it) with an Active or Inactive
// marker. For admins the row is a button that opens the edit window, can be dragged to
// another place in its list, and moves with Alt+Up / Alt+Down.

import { html } from "../../lib/dom.js";
import { categoryOf, usedBy } from "./categories.js";

const KEPT = { added: "Just added", changed: "Just changed" };

function Usage({ entry, id = null }) {
  const count = entry.usageCount ?? 0;
  return html`<span class=${count > 0 ? "usage" : "usage usage-none"} id=${id} aria-hidden=${id ? "true" : null}>
    ${count > 0 ? usedBy(categoryOf(entry.category), count) : "Not used"}
  </span>`;
}

function Marker({ active }) {
  return html`<span class=${active ? "marker marker-active" : "marker marker-inactive"}>
    ${active ? "Active" : "Inactive"}
  </span>`;
}

export function Row({ entry, canEdit, kept, fresh, drop, dragging, actions }) {
  const classes = ["entry-item"];
  if (fresh) classes.push("is-fresh"); // changed by someone else a moment ago
  if (drop) classes.push(`drop-${drop}`);
  if (dragging) classes.push("is-dragging");

  if (!canEdit) {
    return html`<li class=${classes.join(" ")}>
      <div class=${entry.active ? "entry entry-static" : "entry entry-static is-inactive"}>
        <span class="entry-text">
          <span class="entry-name">${entry.name}</span>
          ${entry.description && html`<span class="entry-description">${entry.description}</span>`}
        </span>
        <${Usage} entry=${entry} />
        <${Marker} active=${entry.active} />
      </div>
    </li>`;
  }

  const descriptionId = `description-${entry.id}`;
  const keptId = `kept-${entry.id}`;
  const usageId = `usage-${entry.id}`;
  const describedBy = [entry.description && descriptionId, kept && keptId, usageId, "move-hint"]
    .filter(Boolean)
    .join(" ");

  function onKeyDown(event) {
    if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
      event.preventDefault();
      actions.moveByKey(entry, event.key === "ArrowUp" ? "up" : "down");
    }
  }

  function onDragStart(event) {
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", entry.id);
    actions.dragStart(entry);
  }

  function onDragOver(event) {
    if (actions.canDropOn(entry)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      const box = event.currentTarget.getBoundingClientRect();
      actions.dragOver(entry, event.clientY < box.top + box.height / 2 ? "before" : "after");
    }
  }

  function onDrop(event) {
    event.preventDefault();
    actions.drop(entry);
  }

  return html`<li
    class=${classes.join(" ")}
    onDragOver=${onDragOver}
    onDrop=${onDrop}
  >
    <button
      type="button"
      class=${entry.active ? "entry" : "entry is-inactive"}
      data-entry-id=${entry.id}
      draggable="true"
      aria-describedby=${describedBy}
      aria-keyshortcuts="Alt+ArrowUp Alt+ArrowDown"
      onClick=${() => actions.open(entry)}
      onKeyDown=${onKeyDown}
      onDragStart=${onDragStart}
      onDragEnd=${actions.dragEnd}
    >
      <span class="entry-text">
        <span class="entry-name">${entry.name}</span>
        ${entry.description &&
        html`<span class="entry-description" id=${descriptionId} aria-hidden="true">${entry.description}</span>`}
      </span>
      ${kept && html`<span class="kept" aria-hidden="true">${KEPT[kept]}</span>`}
      <${Usage} entry=${entry} id=${usageId} />
      <${Marker} active=${entry.active} />
    </button>
    ${kept &&
    html`<span class="visually-hidden" id=${keptId} aria-hidden="true">
      ${`${KEPT[kept]}, shown until you change the filter or search.`}
    </span>`}
  </li>`;
}
