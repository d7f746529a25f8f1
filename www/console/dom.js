// Builds DOM from plain values. Every string goes in as a text node or an attribute value, never
// as markup: customer messages, names, subjects and article text are untrusted, and this is the
// only way the console turns them into elements.
// SPDX-License-Identifier: MIT

// h('li', { class: 'row', dataset: { id: 7 }, onclick: fn }, 'text', childNode, [more], null)
// Attributes: `class`, `dataset`, `on<event>` (a listener), booleans (present when true), and
// strings set with setAttribute. Children: strings and numbers become text; null/false are skipped.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'value') el.value = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

// Replaces the children of `el` (replaceChildren keeps `el` and its listeners).
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// A search snippet: the API marks matched words with literal `<mark>`/`</mark>` in otherwise
// plain text. We split on exactly those two tokens and build <mark> elements, so any other
// angle bracket in an article stays visible text.
export function snippet(text) {
  const out = [];
  let marked = false;
  for (const part of String(text).split(/(<mark>|<\/mark>)/)) {
    if (part === '<mark>') marked = true;
    else if (part === '</mark>') marked = false;
    else if (part) out.push(marked ? h('mark', null, part) : part);
  }
  return out;
}

// Multi-line plain text (messages, drafts) as paragraphs, keeping single line breaks.
export function paragraphs(text) {
  return String(text).split(/\n{2,}/).map((block) => {
    const lines = block.split('\n');
    const nodes = [];
    lines.forEach((line, i) => {
      if (i > 0) nodes.push(h('br'));
      nodes.push(line);
    });
    return h('p', null, nodes);
  });
}
