// The view library, one import for every view: Preact with its hooks, and htm's tagged
// templates bound to it — html`<p class="name">${entry.name}</p>`. Interpolated values are
// always text (or attribute values), never parsed as HTML.

import htm from "../vendor/htm-3.1.1.module.js";
import { useEffect, useRef, useState } from "../vendor/preact-hooks-10.29.8.module.js";
import { Fragment, h, render } from "../vendor/preact-10.29.8.module.js";

export {
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
} from "../vendor/preact-hooks-10.29.8.module.js";

export const html = htm.bind(h);
export { Fragment, render };

/** A small shared state: `get`, `set` (merging) and `subscribe`; views read it with useStore. */
export function createStore(initial) {
  let state = initial;
  const listeners = new Set();
  return {
    get: () => state,
    set(changes) {
      state = { ...state, ...changes };
      for (const listener of [...listeners]) {
        listener(state);
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The store's state, re-rendering the view whenever it changes. */
export function useStore(store) {
  const [state, setState] = useState(store.get());
  useEffect(() => {
    const unsubscribe = store.subscribe(setState);
    setState(store.get());
    return unsubscribe;
  }, [store]);
  return state;
}

/** Where the focus goes after a render: set `.current` to a selector ("#case-reasonId") and
 * the focus moves there once an element matches. The element may come with a later render
 * than the next effect (an effect of an earlier render can run first): the wish waits for
 * it, and is forgotten once granted. */
export function useFocusNext(initial = null) {
  const focusNext = useRef(initial);
  useEffect(() => {
    const target = focusNext.current && document.querySelector(focusNext.current);
    if (target) {
      target.focus();
      focusNext.current = null;
    }
  });
  return focusNext;
}
