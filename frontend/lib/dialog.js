// A modal window: a real <dialog> opened with showModal (the rest of the page is inert),
// labelled by its title, focus kept inside (Tab and Shift+Tab wrap around), Escape asks to
// close. It is open while it is rendered: the view that renders it closes it by no longer
// rendering it, and then puts the focus where it belongs.

import { createStore, html, useLayoutEffect, useRef } from "./dom.js";

/** How many dialogs are open (the toast hides meanwhile). */
export const dialogs = createStore({ open: 0 });

const FOCUSABLE = "input, button, textarea, select, a[href]";

function keepFocusInside(event) {
  if (event.key !== "Tab") {
    return;
  }
  const dialog = event.currentTarget;
  const focusable = [...dialog.querySelectorAll(FOCUSABLE)].filter(
    (node) => !node.disabled && node.getClientRects().length > 0,
  );
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  const active = document.activeElement;
  if (!focusable.includes(active)) {
    // Something focused that Tab does not reach (a list item after "Show more"): wrap
    // around from there too, when no control lies beyond it.
    const follows = (node) => active.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING;
    const beyond = event.shiftKey ? focusable.filter((node) => !follows(node)) : focusable.filter(follows);
    if (beyond.length === 0) {
      event.preventDefault();
      (event.shiftKey ? last : first).focus();
    }
    return;
  }
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}

export function Dialog({ labelledBy, onClose, className, children }) {
  const ref = useRef(null);
  const close = useRef(onClose);
  const unmounted = useRef(false);
  close.current = onClose;

  useLayoutEffect(() => {
    const node = ref.current;
    node.showModal();
    dialogs.set({ open: dialogs.get().open + 1 });
    return () => {
      unmounted.current = true;
      if (node.open) {
        node.close();
      }
      dialogs.set({ open: dialogs.get().open - 1 });
    };
  }, []);

  function askToClose() {
    if (!unmounted.current) {
      close.current();
    }
  }

  function onCancel(event) {
    event.preventDefault(); // Escape: the view decides (and closes by no longer rendering)
    askToClose();
  }

  return html`<dialog
    ref=${ref}
    class=${className}
    aria-labelledby=${labelledBy}
    onCancel=${onCancel}
    onClose=${askToClose}
    onKeyDown=${keepFocusInside}
  >
    ${children}
  </dialog>`;
}
