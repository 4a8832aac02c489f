// The edit window: a modal <dialog> to add, edit or delete one entry.
//
// Focus moves into the window when it opens, stays inside while it is open
// (Tab wraps around) and goes back to the row or Add button when it closes.
// Escape closes it. Delete asks first; only the second "Delete" deletes.

import { graphql } from "./graphql.js";

const PROBLEM_MESSAGES = {
  network: (nothing) => `The server could not be reached. ${nothing} Try again.`,
  unauthenticated: (nothing) => `You are signed out. ${nothing}`,
  forbidden: (nothing) => `You do not have permission to change entries. ${nothing}`,
  server: (nothing) => `Something went wrong on the server. ${nothing} Try again.`,
};

export class EntryEditor {
  constructor(dialog, { onChanged, onDeleted, onSignedOut }) {
    this.dialog = dialog;
    this.onChanged = onChanged;
    this.onDeleted = onDeleted;
    this.onSignedOut = onSignedOut;
    this.category = null;
    this.entry = null;
    this.returnFocus = null;
    this.busy = false;
    this.opened = 0;
    this.typed = "";

    const find = (selector) => dialog.querySelector(selector);
    this.form = find("form");
    this.title = find("#editor-title");
    this.label = find("#entry-name-label");
    this.input = find("#entry-name");
    this.error = find("#entry-name-error");
    this.restore = find("#entry-restore");
    this.switch = find("#entry-active");
    this.actions = find("#editor-actions");
    this.deleteButton = find("#editor-delete");
    this.confirm = find("#editor-confirm");
    this.confirmMessage = find("#confirm-message");
    this.confirmCancel = find("#confirm-cancel");

    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.save();
    });
    this.switch.addEventListener("click", () => this.setActive(!this.active));
    this.input.addEventListener("input", () => this.clearError());
    this.restore.addEventListener("click", () => this.restoreTyped());
    find("#editor-cancel").addEventListener("click", () => this.dialog.close());
    this.deleteButton.addEventListener("click", () => this.askToDelete());
    this.confirmCancel.addEventListener("click", () => this.cancelDelete());
    find("#confirm-delete").addEventListener("click", () => this.delete());
    dialog.addEventListener("keydown", (event) => this.keepFocusInside(event));
    dialog.addEventListener("close", () => this.returnFocus?.()?.focus());
  }

  /** Open the window for a new entry of `category`. */
  openAdd(category, returnFocus) {
    this.open(category, null, returnFocus);
  }

  /** Open the window on an existing entry. */
  openEdit(category, entry, returnFocus) {
    this.open(category, entry, returnFocus);
  }

  get active() {
    return this.switch.getAttribute("aria-checked") === "true";
  }

  setActive(on) {
    this.switch.setAttribute("aria-checked", String(on));
  }

  open(category, entry, returnFocus) {
    this.opened += 1;
    this.category = category;
    this.entry = entry;
    this.returnFocus = returnFocus;
    this.busy = false;
    this.form.removeAttribute("aria-busy");
    this.title.textContent = `${entry ? "Edit" : "Add"} ${category.label}`;
    this.label.textContent = category.label;
    this.input.value = entry ? entry.name : "";
    this.setActive(entry ? entry.active : true);
    this.clearError();
    this.deleteButton.hidden = !entry;
    this.showConfirm(false);
    this.dialog.showModal();
    this.input.focus();
    this.input.setSelectionRange(this.input.value.length, this.input.value.length);
  }

  close() {
    if (this.dialog.open) {
      this.dialog.close();
    }
  }

  async save() {
    if (this.busy || !this.confirm.hidden) {
      return;
    }
    const typed = this.input.value;
    if (typed.trim() === "") {
      this.showError(`${this.category.label} is required.`);
      return;
    }
    const opened = this.opened;
    const editing = this.entry;
    this.setBusy(true);
    try {
      const result = editing
        ? (
            await graphql("UpdateAtRiskEntry", {
              input: {
                id: editing.id,
                name: typed,
                active: this.active,
                expectedVersion: editing.version,
              },
            })
          ).updateAtRiskEntry
        : (
            await graphql("AddAtRiskEntry", {
              input: { category: this.category.value, name: typed, active: this.active },
            })
          ).addAtRiskEntry;
      this.settle(result, typed, opened, editing);
    } catch (error) {
      if (opened === this.opened) {
        this.showProblem(error, "Nothing was saved.");
      }
    } finally {
      if (opened === this.opened) {
        this.setBusy(false);
      }
    }
  }

  settle(result, typed, opened, editing) {
    const current = opened === this.opened && this.dialog.open;
    switch (result.__typename) {
      case "AtRiskEntry":
        this.onChanged(result, editing ? "saved" : "added");
        if (current) {
          this.entry = result;
          this.close();
        }
        return;
      case "VersionConflictError":
        this.onChanged(result.current, "refreshed");
        if (current) {
          this.entry = result.current;
          this.input.value = result.current.name;
          this.setActive(result.current.active);
          const lost = typed.trim() !== result.current.name;
          this.showError(result.message + (lost ? ` You had typed “${typed}”.` : ""));
          this.typed = typed;
          this.restore.hidden = !lost;
        }
        return;
      case "NotFoundError":
        this.onDeleted(editing);
        if (current) {
          this.showError(
            `This ${this.category.label.toLowerCase()} no longer exists: someone else deleted it.`,
          );
        }
        return;
      default:
        if (current) {
          this.showError(result.message);
        }
    }
  }

  askToDelete() {
    const what = this.category.label.toLowerCase();
    this.confirmMessage.textContent = `Delete the ${what} “${this.entry.name}”? This cannot be undone.`;
    this.clearError();
    this.showConfirm(true);
    this.confirmCancel.focus();
  }

  cancelDelete() {
    this.showConfirm(false);
    this.deleteButton.focus();
  }

  async delete() {
    if (this.busy) {
      return;
    }
    const opened = this.opened;
    const entry = this.entry;
    this.setBusy(true);
    try {
      // Deleted, or already gone (NotFoundError): either way it no longer exists.
      await graphql("DeleteAtRiskEntry", { id: entry.id });
      this.onDeleted(entry);
      if (opened === this.opened) {
        this.close();
      }
    } catch (error) {
      if (opened === this.opened) {
        this.showConfirm(false);
        this.showProblem(error, "Nothing was deleted.");
      }
    } finally {
      if (opened === this.opened) {
        this.setBusy(false);
      }
    }
  }

  showConfirm(on) {
    this.confirm.hidden = !on;
    this.actions.hidden = on;
  }

  showProblem(error, nothing) {
    const message = PROBLEM_MESSAGES[error.kind] ?? PROBLEM_MESSAGES.server;
    this.showError(message(nothing));
    if (error.kind === "unauthenticated") {
      this.onSignedOut(error);
    }
  }

  showError(message) {
    this.error.textContent = message;
    this.error.hidden = false;
    this.restore.hidden = true;
    this.input.setAttribute("aria-invalid", "true");
    this.input.focus();
  }

  clearError() {
    this.error.textContent = "";
    this.error.hidden = true;
    this.restore.hidden = true;
    this.input.removeAttribute("aria-invalid");
  }

  /** After a conflict: put back what the user had typed, to save it over the current one. */
  restoreTyped() {
    this.input.value = this.typed;
    this.clearError();
    this.input.focus();
  }

  setBusy(on) {
    this.busy = on;
    if (on) {
      this.form.setAttribute("aria-busy", "true");
    } else {
      this.form.removeAttribute("aria-busy");
    }
  }

  keepFocusInside(event) {
    if (event.key !== "Tab") {
      return;
    }
    const focusable = [...this.dialog.querySelectorAll("input, button")].filter(
      (node) => !node.disabled && node.getClientRects().length > 0,
    );
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }
}
