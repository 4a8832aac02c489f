// What the page says when something did not go as planned, in words a person understands:
// no version numbers, and what changed said field by field.

export const LOAD_PROBLEMS = {
  network:
    "Could not load the entries: the server could not be reached. Check the connection and try again.",
  forbidden: "Your account may not see these entries.",
  server: "Could not load the entries: the server had a problem. Try again in a moment.",
};

const PROBLEMS = {
  network: (nothing) => `The server could not be reached. ${nothing} Try again.`,
  forbidden: (nothing) => `You do not have permission to change entries. ${nothing}`,
  server: (nothing) => `Something went wrong on the server. ${nothing} Try again.`,
};

/** A failed request, with what did not happen ("Nothing was saved."). */
export function problem(error, nothing) {
  return (PROBLEMS[error.kind] ?? PROBLEMS.server)(nothing);
}

const described = (entry) => entry.description ?? "";

/** Whether two versions of an entry look the same in the window (its place aside). */
export function sameFields(a, b) {
  return a.name === b.name && a.active === b.active && described(a) === described(b);
}

/** What is different now, field by field: `before` is what the window showed. */
export function differences(label, before, now, typed = null) {
  const lines = [];
  if (now.name !== before.name) {
    lines.push(`${label} is now “${now.name}”.`);
    if (typed && typed.name.trim() !== now.name && typed.name.trim() !== before.name) {
      lines.push(`You had typed “${typed.name}”.`);
    }
  } else if (typed && typed.name.trim() !== before.name) {
    lines.push(`You had typed “${typed.name}”.`);
  }
  if (now.active !== before.active) {
    lines.push(now.active ? "It is active again." : "It is now inactive.");
  }
  if (described(now) !== described(before)) {
    lines.push(
      now.description ? `Its description is now “${now.description}”.` : "Its description was removed.",
    );
  }
  return lines.join(" ");
}

export function saveConflict(label, before, now, typed) {
  return (
    `This ${label.toLowerCase()} was changed by someone else meanwhile. ` +
    `${differences(label, before, now, typed)} ` +
    "The window now shows it as it is; Use my changes puts back what you had changed, then Save."
  );
}

export function deleteConflict(label, before, now) {
  return (
    `Not deleted: this ${label.toLowerCase()} was changed by someone else meanwhile. ` +
    `${differences(label, before, now)} ` +
    "The window now shows it as it is; delete it again if you still want to."
  );
}

export function gone(label) {
  return `This ${label.toLowerCase()} no longer exists: someone else deleted it.`;
}
