// The page: loads the entries once, keeps them in `state` and redraws the sections.

import { EntryEditor } from "./editor.js";
import { graphql } from "./graphql.js";
import { SectionsView } from "./sections.js";
import { Toast } from "./toast.js";

// Until sign-in exists every visitor acts as the admin of the default company.
// Viewers will get canEdit false: the same lists without Add or the edit window.
const session = { canEdit: true };

const LOAD_PROBLEMS = {
  network: "Could not load the entries: the server could not be reached. Check the connection and try again.",
  unauthenticated: "You are signed out. Sign in to see the entries.",
  forbidden: "Your account may not see these entries.",
  server: "Could not load the entries: the server had a problem. Try again in a moment.",
};

const state = { status: "loading", entries: [], filter: "all", problem: null };

const main = document.getElementById("main");
const problem = document.getElementById("problem");
const problemMessage = document.getElementById("problem-message");
const retry = document.getElementById("retry");
const toast = new Toast(document.getElementById("toast"));

const sections = new SectionsView(document.getElementById("sections"), {
  onAdd(category) {
    if (session.canEdit) {
      editor.openAdd(category, () => sections.focusTarget(category.value, null));
    }
  },
  onOpen(id) {
    const entry = state.entries.find((candidate) => candidate.id === id);
    if (session.canEdit && entry) {
      const category = sections.category(entry.category);
      editor.openEdit(category, entry, () => sections.focusTarget(category.value, entry.id));
    }
  },
});

const editor = new EntryEditor(document.getElementById("editor"), {
  onChanged(entry, how) {
    const index = state.entries.findIndex((candidate) => candidate.id === entry.id);
    if (index === -1) {
      state.entries.push(entry);
    } else {
      state.entries[index] = entry;
    }
    render();
    if (how === "added") {
      toast.show(`Added “${entry.name}” to ${sections.category(entry.category).title}.`);
    } else if (how === "saved") {
      toast.show(`Saved “${entry.name}”.`);
    }
  },
  onDeleted(entry) {
    state.entries = state.entries.filter((candidate) => candidate.id !== entry.id);
    render();
    toast.show(`Deleted “${entry.name}”.`);
  },
  onSignedOut(error) {
    state.status = "error";
    state.problem = error;
    render();
  },
});

function render() {
  sections.render({ ...state, canEdit: session.canEdit });
  if (state.status === "loading") {
    main.setAttribute("aria-busy", "true");
  } else {
    main.removeAttribute("aria-busy");
  }
  problem.hidden = state.status !== "error";
  problemMessage.textContent =
    state.status === "error" ? (LOAD_PROBLEMS[state.problem?.kind] ?? LOAD_PROBLEMS.server) : "";
}

async function load() {
  state.status = "loading";
  render();
  try {
    const data = await graphql("AtRiskEntries");
    state.entries = data.atRiskEntries;
    state.status = "ready";
    state.problem = null;
  } catch (error) {
    state.status = "error";
    state.problem = error;
  }
  render();
}

for (const radio of document.querySelectorAll('input[name="filter"]')) {
  radio.addEventListener("change", () => {
    state.filter = radio.value;
    render();
  });
}

retry.addEventListener("click", async () => {
  await load();
  if (state.status === "ready") {
    document.getElementById("page-title").focus();
  }
});

state.filter = document.querySelector('input[name="filter"]:checked')?.value ?? "all";
load();
