// Element building for the portal. Everything an article, a search result or a visitor supplies
// reaches the page through here as text nodes: nothing in the portal parses a string as HTML,
// so a title such as "<img onerror=...>" can only ever show as those characters.
// SPDX-License-Identifier: MIT

// h('a', { href: '#/x', class: 'c' }, 'text', childNode, ...): attributes set one by one,
// string children as text nodes, null/false children skipped (handy for optional parts).
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

// Replaces every child of the element with `children` (same rules as h()).
export function fill(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

export const byId = (id) => document.getElementById(id);
