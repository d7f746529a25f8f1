// Every article, a page at a time, following the list endpoint's cursor ("Show more"). What
// was loaded stays when the customer opens an article and comes back.
// SPDX-License-Identifier: MIT
import { append, byId } from '../dom.js';
import { listArticles } from '../api.js';
import { articleItem } from './parts.js';

export const PAGE_SIZE = 12;

const state = { started: false, cursor: null, shown: 0, busy: false };

function setCount(done) {
  const n = state.shown;
  byId('all-count').textContent = done
    ? `All ${n} article${n === 1 ? '' : 's'}, oldest first.`
    : `Showing the first ${n} articles, oldest first.`;
}

async function loadPage({ focusNew }) {
  if (state.busy) return;
  state.busy = true;
  const more = byId('all-more');
  const list = byId('all-articles');
  more.disabled = true;
  more.textContent = 'Loading\u2026';
  try {
    const page = await listArticles({ limit: PAGE_SIZE, cursor: state.cursor });
    const items = page.items.map((a) => articleItem(a, undefined, 'h2'));
    append(list, items);
    state.shown += items.length;
    state.cursor = page.next_cursor;
    setCount(!state.cursor);
    more.hidden = !state.cursor;
    // Keyboard users continue at the first new article, not back at the button's old spot.
    if (focusNew && items.length) items[0].querySelector('a').focus();
  } catch {
    byId('all-count').textContent = 'The articles could not be loaded. Try again in a moment.';
    more.hidden = false; // the button retries the page that failed
  } finally {
    state.busy = false;
    more.disabled = false;
    more.textContent = 'Show more articles';
  }
}

export function showAll() {
  if (state.started) return;
  state.started = true;
  byId('all-more').addEventListener('click', () => loadPage({ focusNew: true }));
  loadPage({ focusNew: false });
}

