// The one DOM helper. Children are appended with `append`, so strings always
// become text nodes: user text never goes through an HTML parser.

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "dataset") {
      Object.assign(node.dataset, value);
    } else if (key === "role" || key.startsWith("aria-")) {
      node.setAttribute(key, value);
    } else {
      node[key] = value;
    }
  }
  node.append(...children);
  return node;
}
