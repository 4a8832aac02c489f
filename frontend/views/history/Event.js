// One event of history: when, who, what was done, and each field that changed, as
// "Field: before → after" (a creation shows only the new values, a deletion the last ones).
// Every value is text (htm), whatever it contains.

import { html } from "../../lib/dom.js";
import { formatDate } from "../../lib/format.js";
import { ACTIONS, fieldLabel, valueText } from "./words.js";

function Change({ action, change, view }) {
  const before = valueText(change.field, change.from, view);
  const after = valueText(change.field, change.to, view);
  let value;
  if (action === "CREATE" && change.from === null) {
    value = html`<span class="history-to">${after}</span>`;
  } else if (action === "DELETE" && change.to === null) {
    value = html`<span class="history-from">${before}</span>`;
  } else {
    value = html`<span class="history-from">${before}</span> → <span class="history-to">${after}</span>`;
  }
  return html`<li class="history-change">
    <span class="history-field">${fieldLabel(change.field)}</span>: ${value}
  </li>`;
}

/** `view` says how values are written (words.js viewOf); `subject` (optional) what the event
 * is about: the log shows it, a thing's own history does not need to. */
export function Event({ event, view, subject = null }) {
  return html`<li class="history-event" data-event-id=${event.id} tabindex="-1">
    <p class="history-head">
      <time class="history-time" datetime=${event.at}>${formatDate(event.at, view.timeZone, { time: true })}</time>
      <span class="history-actor">${event.actor}</span>
      <span class=${`history-action history-action-${event.action.toLowerCase()}`}>${ACTIONS[event.action] ?? event.action}</span>
    </p>
    ${subject && html`<p class="history-subject">${subject}</p>`}
    ${event.changes.length > 0 &&
    html`<ul class="history-changes">
      ${event.changes.map(
        (change, index) => html`<${Change} key=${index} action=${event.action} change=${change} view=${view} />`,
      )}
    </ul>`}
  </li>`;
}
