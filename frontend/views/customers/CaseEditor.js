// The open case in a window: every field, and its status Open or Mitigated. Saved with the
// version it shows; after someone else's change the window shows the case as it is now,
// says what differs, and "Use my changes" puts back what was typed.

import { Dialog } from "../../lib/dialog.js";
import { html, useEffect, useFocusNext, useRef, useState } from "../../lib/dom.js";
import { graphql } from "../../lib/graphql.js";
import { SignInAgain, signInAgain } from "../shell/SignInAgain.js";
import { CaseFields, FIELD_OF, checkCase, fieldsOfCase, inputOf } from "../cases/CaseFields.js";
import { UPDATE_CASE } from "../cases/operations.js";
import { problem } from "../cases/words.js";
import { caseDifferences } from "./caseWindows.js";

export function CaseEditor({ found, me, entries, users, onSaved, onChanged, onClose }) {
  const timeZone = me.company.timezone;
  const [base, setBase] = useState(found);
  const [values, setValues] = useState(() => fieldsOfCase(found, timeZone));
  const [errors, setErrors] = useState({});
  const [notice, setNotice] = useState(null);
  const [typed, setTyped] = useState(null);
  const [busy, setBusy] = useState(false);
  const [retry, setRetry] = useState(null);
  const alive = useRef(true);
  const focusNext = useFocusNext("#case-reasonId");

  useEffect(() => () => {
    alive.current = false;
  }, []);

  function change(name, value) {
    setValues((current) => ({ ...current, [name]: value }));
    setErrors((current) => ({ ...current, [name]: undefined }));
    setNotice((current) => (current?.kind === "problem" ? null : current));
  }

  async function save() {
    const found = checkCase(values);
    if (Object.keys(found).length > 0) {
      setErrors(found);
      focusNext.current = `#case-${Object.keys(found)[0]}`;
      return;
    }
    const changes = inputOf(values, timeZone, base);
    if (Object.keys(changes).length === 0) {
      onClose();
      return;
    }
    setBusy(true);
    try {
      const input = { id: base.id, expectedVersion: base.version, ...changes };
      const result = (await graphql(UPDATE_CASE, { input })).updateAtRiskCase;
      if (!alive.current) return;
      switch (result.__typename) {
        case "AtRiskCase":
          onSaved(result);
          return;
        case "CaseConflictError": {
          const now = result.current;
          setNotice({
            kind: "conflict",
            text:
              `This case was changed by someone else meanwhile. ${caseDifferences(base, now, me)} ` +
              "The window now shows it as it is; Use my changes puts back what you had changed, then Save.",
          });
          const before = fieldsOfCase(base, timeZone);
          const mine = Object.fromEntries(Object.entries(values).filter(([name, value]) => value !== before[name]));
          setTyped(Object.keys(mine).length > 0 ? mine : null);
          setBase(now);
          setValues(fieldsOfCase(now, timeZone));
          setErrors({});
          onChanged(now);
          focusNext.current = "#case-notice";
          return;
        }
        case "ValidationError": {
          const field = FIELD_OF[result.field] ?? "reasonId";
          setErrors({ [field]: result.message });
          focusNext.current = field === "status" ? "input[name=case-status]" : `#case-${field}`;
          return;
        }
        default:
          setNotice({ kind: "problem", text: result.message });
      }
    } catch (failure) {
      if (!alive.current) return;
      if (failure.kind === "unauthenticated") setRetry({ password: "", problem: "" });
      else setNotice({ kind: "problem", text: problem(failure, "Nothing was saved.") });
    } finally {
      if (alive.current) setBusy(false);
    }
  }

  function useMyChanges() {
    setValues((current) => ({ ...current, ...typed }));
    setTyped(null);
    setNotice(null);
    focusNext.current = "#case-reasonId";
  }

  async function submit(event) {
    event.preventDefault();
    if (busy) return;
    if (retry) {
      setBusy(true);
      const failed = await signInAgain(retry.password);
      if (!alive.current) return;
      setBusy(false);
      if (failed) {
        setRetry({ ...retry, problem: failed });
        return;
      }
      setRetry(null);
    }
    await save();
  }

  return html`<${Dialog} className="editor editor-wide" labelledBy="case-editor-title" onClose=${onClose}>
    <form class="editor-form" novalidate onSubmit=${submit} aria-busy=${busy ? "true" : null}>
      <h2 class="editor-title" id="case-editor-title">Edit case</h2>
      ${notice && html`<p class=${`notice notice-${notice.kind}`} id="case-notice" tabindex="-1" role="alert">${notice.text}</p>`}
      ${typed && html`<button type="button" class="link-button" onClick=${useMyChanges}>Use my changes</button>`}
      ${retry &&
      html`<${SignInAgain}
        password=${retry.password}
        onPassword=${(password) => setRetry({ ...retry, password })}
        problem=${retry.problem}
        what="save"
      />`}
      <${CaseFields} values=${values} errors=${errors} onChange=${change} entries=${entries} users=${users} base=${base} withStatus />
      <div class="editor-actions">
        <button type="button" class="button" onClick=${onClose}>Cancel</button>
        <button type="submit" class="button button-primary">${retry ? "Sign in and save" : "Save"}</button>
      </div>
    </form>
  </${Dialog}>`;
}
