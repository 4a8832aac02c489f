// One list (Reasons, Causes, …): its title with the count ("3 of 40" under a filter),
// Sort A–Z and Add for admins, and its rows, or why there are none.

import { html } from "../../lib/dom.js";
import { Row } from "./Row.js";

const PLUS = html`<svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
  <path d="M8 3v10M3 8h10" />
</svg>`;

function Count({ shown, total, narrowed }) {
  const noun = total === 1 ? " entry" : " entries";
  return html`<span class="count">
    ${narrowed ? `${shown} of ${total}` : String(total)}<span class="visually-hidden">${noun}</span>
  </span>`;
}

export function Section({ category, status, rows, total, narrowed, empty, canEdit, showAdd, kept, fresh, drag, actions }) {
  const ready = status === "ready";
  let body;
  if (!ready) {
    body = html`<p class="placeholder">${status === "loading" ? "Loading…" : "Not loaded."}</p>`;
  } else if (rows.length === 0) {
    body = html`<p class="placeholder">${empty}</p>`;
  } else {
    body = html`<ul class="entries">
      ${rows.map(
        (entry) => html`<${Row}
          key=${entry.id}
          entry=${entry}
          canEdit=${canEdit}
          kept=${kept.get(entry.id)}
          fresh=${fresh?.has(entry.id) ?? false}
          drop=${drag?.over === entry.id ? drag.where : null}
          dragging=${drag?.id === entry.id}
          actions=${actions}
        />`,
      )}
    </ul>`;
  }

  return html`<section class="section" data-category=${category.value} aria-labelledby=${`title-${category.value}`}>
    <header class="section-header">
      <h2 class="section-title">
        <span id=${`title-${category.value}`}>${category.title}</span>
        ${" "}${ready && html`<${Count} shown=${rows.length} total=${total} narrowed=${narrowed} />`}
      </h2>
      <div class="section-actions">
        ${canEdit &&
        ready &&
        total > 1 &&
        html`<button type="button" class="button button-small button-quiet" data-sort=${category.value} onClick=${() => actions.sort(category)}>
          Sort A–Z<span class="visually-hidden"> ${category.title}</span>
        </button>`}
        ${showAdd &&
        html`<button type="button" class="button button-small" data-add=${category.value} disabled=${!ready} onClick=${() => actions.add(category)}>
          ${PLUS}Add<span class="visually-hidden"> ${category.label}</span>
        </button>`}
      </div>
    </header>
    <div class="section-body">${body}</div>
  </section>`;
}
