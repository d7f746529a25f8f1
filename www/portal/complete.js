// Completes the word being typed. The server's search matches whole words only (FTS5 without
// prefix queries), so "expo" finds nothing while "export" finds the export guides; without
// help, search-as-you-type would flash "no results" on nearly every keystroke. The vocabulary
// is the knowledge base's own words, so a completion always names something we have.
// SPDX-License-Identifier: MIT

const MIN_PREFIX = 2;
let vocabulary = null; // [word, count], most frequent first

function build(articles) {
  const counts = new Map();
  for (const a of articles) {
    const words = `${a.title} ${a.body}`.toLowerCase().match(/\p{L}[\p{L}\p{N}]{2,}/gu) || [];
    for (const w of words) counts.set(w, (counts.get(w) || 0) + 1);
  }
  return [...counts].sort((x, y) => y[1] - x[1] || x[0].length - y[0].length);
}

// The query with its last word completed to the commonest knowledge-base word that starts with
// it, or null when the last word is complete already or nothing starts with it.
export function completeQuery(query, articles) {
  const m = query.match(/^(.*?)(\p{L}[\p{L}\p{N}]*)$/u);
  if (!m || m[2].length < MIN_PREFIX) return null;
  if (!vocabulary) vocabulary = build(articles);
  const prefix = m[2].toLowerCase();
  if (vocabulary.some(([w]) => w === prefix)) return null;
  const hit = vocabulary.find(([w]) => w.startsWith(prefix));
  return hit ? m[1] + hit[0] : null;
}
