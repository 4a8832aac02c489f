// A short, polite confirmation at the bottom of the screen ("Saved …"), also what screen
// readers hear (role=status). While a dialog is open it stays out of sight: the dialog
// says what happens inside it, and nothing covers the dialog.

import { createStore, html, useStore } from "./dom.js";
import { dialogs } from "./dialog.js";

const VISIBLE_MS = 4000;

const toast = createStore({ message: "", visible: false });
let timer = 0;

export function showToast(message) {
  clearTimeout(timer);
  toast.set({ message, visible: true });
  timer = setTimeout(() => toast.set({ visible: false }), VISIBLE_MS);
}

export function Toast() {
  const { message, visible } = useStore(toast);
  const { open } = useStore(dialogs);
  const shown = visible && open === 0;
  return html`<div class="toast" role="status" aria-live="polite" data-visible=${shown ? "" : null}>
    ${message}
  </div>`;
}
