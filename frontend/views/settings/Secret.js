// A secret shown once (a new password, an API token, a command that carries it): read-only
// text to select, a Copy button, and what Copy did, said to screen readers too.

import { html, useRef, useState } from "../../lib/dom.js";

async function copyText(text, field) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard access (an insecure origin, a refused permission): copy the selection.
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch {
      return false;
    }
  }
}

export function Secret({ id, label, value, multiline = false, describedBy = null }) {
  const field = useRef(null);
  const [status, setStatus] = useState("");

  async function copy() {
    const copied = await copyText(value, field.current);
    setStatus(copied ? "Copied." : "Could not copy: select the text and copy it with Ctrl+C.");
  }

  const common = {
    class: multiline ? "field-input secret-value secret-multiline" : "field-input secret-value",
    id,
    readonly: true,
    spellcheck: false,
    autocomplete: "off",
    value,
    "aria-describedby": describedBy,
    onFocus: (event) => event.currentTarget.select(),
    ref: field,
  };

  return html`<div class="field secret">
    <label class="field-label" for=${id}>${label}</label>
    <div class="secret-row">
      ${multiline
        ? html`<textarea rows="4" ...${common}></textarea>`
        : html`<input type="text" ...${common} />`}
      <button type="button" class="button" data-copy=${id} onClick=${copy}>
        Copy<span class="visually-hidden"> ${label}</span>
      </button>
    </div>
    <p class="secret-status" role="status">${status}</p>
  </div>`;
}
