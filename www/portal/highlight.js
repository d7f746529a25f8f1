// Search snippets arrive as text in which the server wrapped each matched word in <mark> and
// </mark> (openapi: "render as text with highlights, never as HTML"). These two tags are the
// only markup we recognise; every other character, "<" and ">" included, stays text.
// SPDX-License-Identifier: MIT
import { h } from './dom.js';

const OPEN = '<mark>';
const CLOSE = '</mark>';

// The snippet as a list of nodes: text nodes, and <mark> elements around the matched words.
// An unbalanced tag (a cut in the middle of a snippet) marks up to the end, never beyond it.
export function snippetParts(snippet) {
  const text = String(snippet ?? '');
  const parts = [];
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf(OPEN, at);
    if (open < 0) break;
    if (open > at) parts.push(document.createTextNode(text.slice(at, open)));
    const start = open + OPEN.length;
    const close = text.indexOf(CLOSE, start);
    const end = close < 0 ? text.length : close;
    if (end > start) parts.push(h('mark', {}, text.slice(start, end)));
    at = close < 0 ? text.length : close + CLOSE.length;
  }
  if (at < text.length) parts.push(document.createTextNode(text.slice(at)));
  return parts;
}
