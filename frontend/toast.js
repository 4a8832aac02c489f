// A short, polite confirmation at the bottom of the screen ("Saved …").

const VISIBLE_MS = 4000;

export class Toast {
  constructor(node) {
    this.node = node;
    this.timer = 0;
  }

  show(message) {
    clearTimeout(this.timer);
    this.node.textContent = message;
    this.node.dataset.visible = "";
    this.timer = setTimeout(() => this.hide(), VISIBLE_MS);
  }

  hide() {
    delete this.node.dataset.visible;
  }
}
