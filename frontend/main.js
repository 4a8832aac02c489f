// The page: loads who is signed in and the entries in one request, keeps them in
// `state` and redraws the sections. Signed-out visitors get the sign-in form;
// viewers (canEdit false) the same lists without Add or the edit window.

import { signIn, signOut } from "./auth.js";
import { EntryEditor } from "./editor.js";
import { graphql } from "./graphql.js";
import { SectionsView } from "./sections.js";
import { Toast } from "./toast.js";

const session = { canEdit: false, me: null };

const LOAD_PROBLEMS = {
  network: "Could not load the entries: the server could not be reached. Check the connection and try again.",
  forbidden: "Your account may not see these entries.",
  server: "Could not load the entries: the server had a problem. Try again in a moment.",
};

const SIGN_IN_PROBLEMS = {
  network: "The server could not be reached. Check the connection and try again.",
  server: "Could not sign in: the server had a problem. Try again in a moment.",
};

const ROLE_NAMES = { ADMIN: "Admin", VIEWER: "View only" };

const state = { status: "loading", entries: [], filter: "all", problem: null };

const main = document.getElementById("main");
const problem = document.getElementById("problem");
const problemMessage = document.getElementById("problem-message");
const retry = document.getElementById("retry");
const toast = new Toast(document.getElementById("toast"));
const account = document.getElementById("account");
const signInView = document.getElementById("sign-in");
const signInForm = document.getElementById("sign-in-form");
const signInProblem = document.getElementById("sign-in-problem");
const entriesView = [
  document.getElementById("toolbar"),
  problem,
  document.getElementById("sections"),
];

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
  onSignedOut() {
    editor.dialog.close();
    showSignIn("Your session has ended. Sign in again.");
  },
});

function renderAccount() {
  const { me } = session;
  account.hidden = me === null;
  signInView.hidden = state.status !== "signed-out";
  for (const node of entriesView) {
    node.hidden = state.status === "signed-out";
  }
  if (me !== null) {
    document.getElementById("company-name").textContent = me.company.name;
    document.getElementById("account-email").textContent = me.email ?? "";
    document.getElementById("account-role").textContent = ROLE_NAMES[me.role] ?? me.role;
  }
}

function render() {
  renderAccount();
  // Until the caller is known, Add shows disabled (as while loading); then only to admins.
  sections.render({ ...state, canEdit: session.me === null || session.canEdit });
  if (state.status === "loading") {
    main.setAttribute("aria-busy", "true");
  } else {
    main.removeAttribute("aria-busy");
  }
  problem.hidden = state.status !== "error";
  problemMessage.textContent =
    state.status === "error" ? (LOAD_PROBLEMS[state.problem?.kind] ?? LOAD_PROBLEMS.server) : "";
}

function showSignIn(message = "") {
  session.me = null;
  session.canEdit = false;
  state.status = "signed-out";
  state.entries = [];
  render();
  signInProblem.textContent = message;
  signInProblem.hidden = message === "";
  document.getElementById("sign-in-email").focus();
}

async function load() {
  state.status = "loading";
  render();
  try {
    const data = await graphql("AtRiskEntries");
    session.me = data.me;
    session.canEdit = data.me.role === "ADMIN";
    state.entries = data.atRiskEntries;
    state.status = "ready";
    state.problem = null;
  } catch (error) {
    if (error.kind === "unauthenticated") {
      showSignIn();
      return;
    }
    state.status = "error";
    state.problem = error;
  }
  render();
}

signInForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const email = signInForm.elements.email.value.trim();
  const password = signInForm.elements.password.value;
  if (!email || !password) {
    showSignIn("Enter your email and password.");
    return;
  }
  if (signInForm.hasAttribute("aria-busy")) {
    return;
  }
  signInForm.setAttribute("aria-busy", "true");
  try {
    await signIn(email, password);
  } catch (error) {
    showSignIn(error.kind === "refused" ? error.message : SIGN_IN_PROBLEMS[error.kind]);
    signInForm.elements.password.select();
    return;
  } finally {
    signInForm.removeAttribute("aria-busy");
  }
  signInForm.reset();
  signInProblem.hidden = true;
  await load();
  document.getElementById("page-title").focus();
});

document.getElementById("sign-out").addEventListener("click", async () => {
  try {
    await signOut();
  } catch (error) {
    toast.show(`Could not sign out: ${SIGN_IN_PROBLEMS[error.kind] ?? error.message}`);
    return;
  }
  showSignIn();
  toast.show("Signed out.");
});

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
