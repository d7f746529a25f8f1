// Search as you type: the box in the hero asks the server (debounced) and the results view
// lists the matches best first, each snippet with the server's <mark>ed words as <mark>
// elements and everything else as text. Answers that arrive out of order are dropped.
// SPDX-License-Identifier: MIT
import { h, fill, byId } from '../dom.js';
import { searchArticles } from '../api.js';
import { snippetParts } from '../highlight.js';
import { articleItem } from './parts.js';

const DEBOUNCE_MS = 200;
const LIMIT = 20;

let seq = 0;

const quoted = (q) => `\u201c${q}\u201d`;

function resultItem(r) {
  return articleItem(r, h('p', { class: 'item-text snippet' }, snippetParts(r.snippet)));
}

function noResults(q) {
  return h('li', { class: 'no-results' },
    h('p', { class: 'no-results-title' }, `No articles match ${quoted(q)}`),
    h('p', {}, 'Try fewer or different words \u2014 or ask us directly, we\u2019re happy to help.'),
    h('button', { type: 'button', class: 'btn btn-primary', 'data-chat': '' }, 'Chat with us'));
}

// The box is searched as it is typed: the server also matches the words an unfinished last word
// begins.
const find = (q) => searchArticles(q, { limit: LIMIT, partial: true });

function statusText(q, items) {
  const n = items.length;
  return n ? `${n} article${n === 1 ? '' : 's'} for ${quoted(q)}` : `No results for ${quoted(q)}`;
}

// Renders the results for q; resolves when they are on screen (or superseded).
export async function runSearch(q) {
  const mine = ++seq;
  const list = byId('results');
  const status = byId('search-status');
  list.setAttribute('aria-busy', 'true');
  try {
    const items = await find(q);
    if (mine !== seq) return;
    fill(list, items.length ? items.map(resultItem) : noResults(q));
    status.textContent = statusText(q, items);
  } catch {
    if (mine !== seq) return;
    fill(list);
    status.textContent = 'Search is not available right now. Try again in a moment.';
  } finally {
    if (mine === seq) list.removeAttribute('aria-busy');
  }
}

// Wires the box: onQuery(q) after the customer paused typing ('' when they cleared it), "/"
// anywhere focuses the box, ArrowDown moves to the first result, Escape clears.
export function initSearch({ onQuery }) {
  const input = byId('q');
  let timer = 0;
  const fire = () => {
    clearTimeout(timer);
    onQuery(input.value.trim());
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(fire, DEBOUNCE_MS);
  });
  // A link followed during the pause wins: the pending query must not pull the customer back.
  window.addEventListener('hashchange', () => clearTimeout(timer));
  byId('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    fire();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') {
      const first = byId('results').querySelector('a');
      if (first && !byId('results').closest('[hidden]')) {
        e.preventDefault();
        first.focus();
      }
    } else if (e.key === 'Escape' && input.value) {
      e.preventDefault();
      input.value = '';
      fire();
    }
  });
  document.addEventListener('keydown', (e) => {
    if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    const typing = 'input, textarea, select, [contenteditable], [data-pagewise=widget]';
    if (t.closest && t.closest(typing)) return;
    e.preventDefault();
    input.focus();
    input.select();
  });
}

// Keeps the box showing the query of the route (a shared link, Back), without touching what
// the customer is typing right now (their trailing space, say).
export function syncBox(q) {
  const input = byId('q');
  if (input.value.trim() !== q.trim()) input.value = q;
}
