// The four sections: title, count, Add button and the rows of one category each.
// The section shells are in index.html; this module fills their bodies.

import { el } from "./dom.js";

const FILTERS = {
  all: () => true,
  active: (entry) => entry.active,
  inactive: (entry) => !entry.active,
};

export class SectionsView {
  constructor(root, { onAdd, onOpen }) {
    this.sections = new Map();
    for (const node of root.querySelectorAll("section[data-category]")) {
      const category = {
        value: node.dataset.category,
        label: node.dataset.label,
        title: node.querySelector(".section-title > span").textContent,
      };
      const add = node.querySelector("[data-add]");
      add.addEventListener("click", () => onAdd(category));
      this.sections.set(category.value, {
        category,
        add,
        count: node.querySelector("[data-count]"),
        body: node.querySelector("[data-body]"),
      });
    }
    root.addEventListener("click", (event) => {
      const row = event.target.closest("button[data-id]");
      if (row) {
        onOpen(row.dataset.id);
      }
    });
  }

  category(value) {
    return this.sections.get(value).category;
  }

  render({ status, entries, filter, canEdit }) {
    const shown = entries.filter(FILTERS[filter]);
    for (const section of this.sections.values()) {
      const { category } = section;
      section.add.hidden = !canEdit;
      section.add.disabled = status !== "ready";
      if (status !== "ready") {
        section.count.replaceChildren();
        const text = status === "loading" ? "Loading…" : "Not loaded.";
        section.body.replaceChildren(el("p", { className: "placeholder" }, text));
        continue;
      }
      const rows = shown.filter((entry) => entry.category === category.value);
      section.count.replaceChildren(
        String(rows.length),
        el("span", { className: "visually-hidden" }, rows.length === 1 ? " entry" : " entries"),
      );
      section.body.replaceChildren(
        rows.length === 0
          ? el("p", { className: "placeholder" }, emptyMessage(category, filter))
          : el("ul", { className: "entries" }, ...rows.map((entry) => renderRow(entry, canEdit))),
      );
    }
  }

  /** The row of an entry, or else the section's Add button, for focus to return to. */
  focusTarget(category, entryId) {
    const section = this.sections.get(category);
    const row = entryId && section.body.querySelector(`button[data-id="${CSS.escape(entryId)}"]`);
    return row || section.add;
  }
}

function emptyMessage(category, filter) {
  const plural = category.title.toLowerCase();
  if (filter === "active") return `No active ${plural}.`;
  if (filter === "inactive") return `No inactive ${plural}.`;
  return `No ${plural} yet.`;
}

function renderRow(entry, canEdit) {
  const content = [
    el("span", { className: "entry-name" }, entry.name),
    el(
      "span",
      { className: entry.active ? "marker marker-active" : "marker marker-inactive" },
      entry.active ? "Active" : "Inactive",
    ),
  ];
  const row = canEdit
    ? el("button", { type: "button", className: "entry", dataset: { id: entry.id } }, ...content)
    : el("div", { className: "entry entry-static" }, ...content);
  if (!entry.active) {
    row.classList.add("is-inactive");
  }
  return el("li", {}, row);
}
