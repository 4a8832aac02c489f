// Import customers from a CSV file: first a dry run that says what would change (or the
// line and reason of the first bad row), then the import itself, one transaction.

import { Dialog } from "../../lib/dialog.js";
import { html, useLayoutEffect, useRef, useState } from "../../lib/dom.js";

const MAX_BYTES = 10 * 1024 * 1024;
const COLUMNS = "account_number,name,email,phone,rmr,status";

async function send(file, dryRun) {
  const form = new FormData();
  form.append("file", file);
  let response;
  try {
    response = await fetch(`/customers/import${dryRun ? "?dry_run=1" : ""}`, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      body: form,
      signal: AbortSignal.timeout(120000),
    });
  } catch {
    return { ok: false, message: "The server could not be reached. Nothing was imported. Try again." };
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (response.ok && body) return { ok: true, report: body };
  if (response.status === 401) return { ok: false, message: "Your session has ended: sign in again, then import." };
  if (response.status === 413) return { ok: false, message: "The file is larger than 10 MB: split it and import each part." };
  return {
    ok: false,
    message: body?.message ?? `The server answered with status ${response.status}. Nothing was imported.`,
    line: body?.line ?? null,
  };
}

function plural(count, one, many) {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

function Summary({ report }) {
  const verb = report.dryRun ? "would be" : "were";
  return html`<ul class="import-summary">
    <li>${plural(report.created, "customer", "customers")} ${verb} added</li>
    <li>${plural(report.updated, "customer", "customers")} ${verb} updated</li>
    <li>${plural(report.unchanged, "customer", "customers")} ${report.dryRun ? "would stay" : "stayed"} as they are</li>
  </ul>`;
}

export function ImportDialog({ onImported, onClose }) {
  const [file, setFile] = useState(null);
  const [state, setState] = useState({ step: "choose" }); // choose | checking | checked | importing | failed
  const input = useRef(null);

  useLayoutEffect(() => input.current.focus(), []);

  function choose(event) {
    const chosen = event.currentTarget.files[0] ?? null;
    setFile(chosen);
    setState({ step: "choose" });
  }

  async function check(event) {
    event.preventDefault();
    if (!file) {
      setState({ step: "failed", message: "Choose a CSV file first." });
      input.current.focus();
      return;
    }
    if (file.size > MAX_BYTES) {
      setState({ step: "failed", message: "The file is larger than 10 MB: split it and import each part." });
      return;
    }
    setState({ step: "checking" });
    const answer = await send(file, true);
    setState(answer.ok ? { step: "checked", report: answer.report } : { step: "failed", ...answer });
    document.getElementById(answer.ok ? "import-go" : "import-file")?.focus();
  }

  async function go() {
    setState({ step: "importing", report: state.report });
    const answer = await send(file, false);
    if (answer.ok) {
      onImported(answer.report);
      return;
    }
    setState({ step: "failed", ...answer });
    document.getElementById("import-file")?.focus();
  }

  const busy = state.step === "checking" || state.step === "importing";
  return html`<${Dialog} className="editor" labelledBy="import-title" onClose=${onClose}>
    <form class="editor-form" novalidate onSubmit=${check} aria-busy=${busy ? "true" : null}>
      <h2 class="editor-title" id="import-title">Import customers</h2>
      <p class="editor-text">
        A CSV file with the header <code>${COLUMNS}</code>. Rows are matched by account number:
        new ones are added, known ones updated. A bad row stops the whole file, and nothing is
        imported until every row is right.
      </p>
      <div class="field">
        <label class="field-label" for="import-file">CSV file</label>
        <input
          class="field-input"
          id="import-file"
          type="file"
          accept=".csv,text/csv"
          aria-describedby=${state.step === "failed" ? "import-problem" : null}
          onChange=${choose}
          ref=${input}
        />
      </div>
      <div role="status" class="import-status">
        ${state.step === "checking" && html`<p>Checking the file…</p>`}
        ${state.step === "importing" && html`<p>Importing…</p>`}
        ${state.step === "checked" &&
        html`<div class="notice notice-info">
          <p>The file is ready: ${plural(state.report.rows, "row", "rows")}. If you import it:</p>
          <${Summary} report=${state.report} />
        </div>`}
      </div>
      ${state.step === "failed" &&
      html`<div class="notice notice-problem" id="import-problem" role="alert">
        ${state.line && html`<p class="import-line">Line ${state.line}</p>`}
        <p>${state.message}</p>
      </div>`}
      <div class="editor-actions">
        <button type="button" class="button" onClick=${onClose}>Cancel</button>
        ${state.step === "checked" || state.step === "importing"
          ? html`<button type="button" class="button button-primary" id="import-go" disabled=${busy} onClick=${go}>
              Import ${plural(state.report.rows, "row", "rows")}
            </button>`
          : html`<button type="submit" class="button button-primary" disabled=${busy}>Check file</button>`}
      </div>
    </form>
  </${Dialog}>`;
}
