// The page's data: the entries of all four lists, in display order, and whether they are
// loading, ready or failed to load. Views change it only through these actions.

export const initial = { status: "loading", entries: [], problem: null };

function inOrder(entries) {
  const rank = { REASON: 0, CAUSE: 1, RESOLUTION: 2, CREDIT_REASON: 3 };
  return [...entries].sort(
    (a, b) => rank[a.category] - rank[b.category] || a.position - b.position,
  );
}

/** The entries of one category, in order. */
export function inCategory(entries, category) {
  return entries.filter((entry) => entry.category === category);
}

/** `order` renumbered 1..n, as the server renumbers after a move. */
function renumbered(order) {
  return order.map((entry, index) => ({ ...entry, position: index + 1 }));
}

export function reducer(state, action) {
  switch (action.type) {
    case "loading":
      return { ...state, status: "loading", problem: null };
    case "loaded":
      return { status: "ready", entries: inOrder(action.entries), problem: null };
    case "failed":
      return { ...state, status: "error", entries: [], problem: action.problem };
    case "changed": {
      const others = state.entries.filter((entry) => entry.id !== action.entry.id);
      return { ...state, entries: inOrder([...others, action.entry]) };
    }
    case "removed":
      return { ...state, entries: state.entries.filter((entry) => entry.id !== action.id) };
    case "moved": {
      // Put the entry before `beforeId` (null: last), or at `position`, as the server does.
      const moved = state.entries.find((entry) => entry.id === action.id);
      if (!moved) return state;
      const order = inCategory(state.entries, moved.category).filter((e) => e.id !== moved.id);
      let index = action.beforeId ? order.findIndex((e) => e.id === action.beforeId) : order.length;
      if (action.position !== undefined) index = action.position - 1;
      order.splice(index === -1 ? order.length : index, 0, moved);
      return {
        ...state,
        entries: inOrder([
          ...state.entries.filter((e) => e.category !== moved.category),
          ...renumbered(order),
        ]),
      };
    }
    case "sorted":
      return {
        ...state,
        entries: inOrder([
          ...state.entries.filter((e) => e.category !== action.category),
          ...action.entries,
        ]),
      };
    default:
      throw new Error(`unknown action ${action.type}`);
  }
}
