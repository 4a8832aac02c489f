// "Sort A–Z" asks first: it replaces the order someone may have arranged by hand.

import { Dialog } from "../../lib/dialog.js";
import { html, useLayoutEffect, useRef } from "../../lib/dom.js";

export function SortDialog({ category, count, onSort, onCancel }) {
  const cancel = useRef(null);
  useLayoutEffect(() => cancel.current.focus(), []);

  return html`<${Dialog} className="editor" labelledBy="sort-title" onClose=${onCancel}>
    <div class="editor-form">
      <h2 class="editor-title" id="sort-title">Sort ${category.title} A–Z?</h2>
      <p class="dialog-text">
        All ${count} ${category.title.toLowerCase()} are put in alphabetical order. The order
        they have now is not kept.
      </p>
      <div class="editor-actions">
        <button type="button" class="button" onClick=${onCancel} ref=${cancel}>Cancel</button>
        <button type="button" class="button button-primary" onClick=${onSort}>Sort A–Z</button>
      </div>
    </div>
  </${Dialog}>`;
}
