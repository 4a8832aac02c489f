// What the lists show: the filter (all, active, inactive) and the search, both kept in
// the address (?show=inactive&q=moved), so that a reload or a shared link shows the same.

export const FILTERS = [
  { value: "all", label: "All" },
  { value: "active", label: "Active" },
  { value: "inactive", label: "Inactive" },
];

export function filterOf(value) {
  return FILTERS.some((filter) => filter.value === value) ? value : "all";
}

/** Text compared as the server compares names: width and case folded, spaces collapsed. */
export function folded(text) {
  return text
    .replace(/\p{Cf}/gu, "")
    .normalize("NFKC")
    .toLowerCase()
    .normalize("NFKC")
    .split(/\s+/u)
    .filter(Boolean)
    .join(" ");
}

export function matches(entry, show, search) {
  if (show === "active" && !entry.active) return false;
  if (show === "inactive" && entry.active) return false;
  const wanted = folded(search);
  if (!wanted) return true;
  return folded(`${entry.name} ${entry.description ?? ""}`).includes(wanted);
}

export function emptyMessage(category, show, search) {
  const plural = category.title.toLowerCase();
  if (search.trim()) return `No ${plural} match “${search.trim()}”.`;
  if (show === "active") return `No active ${plural}.`;
  if (show === "inactive") return `No inactive ${plural}.`;
  return `No ${plural} yet.`;
}
