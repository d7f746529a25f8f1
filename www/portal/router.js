// Hash routes, so the portal is one static page that any server can host and every view has
// an address a customer can bookmark or paste into a ticket:
//   #/                 home (topics)          #/topics/{key}     one topic
//   #/articles         every article          #/articles/{id}    one article
//   #/search?q=words   search results
// SPDX-License-Identifier: MIT

export function parseRoute(hash = location.hash) {
  const raw = hash.replace(/^#!?/, '') || '/';
  const [path, query = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p; // a malformed escape: keep the raw segment, which then matches nothing
    }
  });
  const params = new URLSearchParams(query);
  if (parts.length === 0) return { name: 'home' };
  if (parts[0] === 'search' && parts.length === 1) return { name: 'search', q: params.get('q') || '' };
  if (parts[0] === 'articles' && parts.length === 1) return { name: 'articles' };
  if (parts[0] === 'articles' && parts.length === 2 && /^[1-9]\d{0,15}$/.test(parts[1])) {
    return { name: 'article', id: Number(parts[1]) };
  }
  if (parts[0] === 'topics' && parts.length === 2) return { name: 'topic', key: parts[1] };
  return { name: 'missing' };
}

export const searchHash = (q) => `#/search?q=${encodeURIComponent(q)}`;
export const articleHash = (id) => `#/articles/${id}`;
export const topicHash = (key) => `#/topics/${encodeURIComponent(key)}`;

// Calls onRoute(route, how) now and on every change; how is 'load' or 'navigate'.
export function startRouter(onRoute) {
  window.addEventListener('hashchange', () => onRoute(parseRoute(), 'navigate'));
  onRoute(parseRoute(), 'load');
}
