// A question before something that cannot be undone (revoke a token, sign out everywhere):
// Cancel has the focus; the action's refusal is said in the window, which stays open.

import { Dialog } from "../../lib/dialog.js";
import { html, useLayoutEffect, useRef, useState } from "../../lib/dom.js";

/** `onConfirm` resolves to null when done (the caller then closes), or to what went wrong. */
export function ConfirmDialog({ title, text, action, danger = true, onConfirm, onCancel }) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState("");
  const cancel = useRef(null);
  const alive = useRef(true);

  useLayoutEffect(() => {
    cancel.current.focus();
    return () => {
      alive.current = false;
    };
  }, []);

  async function confirm() {
    if (busy) return;
    setBusy(true);
    setFailure("");
    const problem = await onConfirm();
    if (!alive.current) return;
    setBusy(false);
    if (problem) setFailure(problem);
  }

  return html`<${Dialog} className="editor" labelledBy="confirm-title" onClose=${onCancel}>
    <div class="editor-form" aria-busy=${busy ? "true" : null}>
      <h2 class="editor-title" id="confirm-title">${title}</h2>
      <p class="dialog-text">${text}</p>
      ${failure && html`<p class="notice confirm-failure" role="alert">${failure}</p>`}
      <div class="editor-actions">
        <button type="button" class="button" onClick=${onCancel} ref=${cancel}>Cancel</button>
        <button type="button" class=${danger ? "button button-danger" : "button button-primary"} onClick=${confirm}>
          ${action}
        </button>
      </div>
    </div>
  </${Dialog}>`;
}
