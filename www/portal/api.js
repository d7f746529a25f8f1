// The public article endpoints the portal reads (no token: published articles only, without
// internal notes). Errors become ApiError with the server's code, so views can tell "not found"
// from "the server is down" and say the right thing.
// SPDX-License-Identifier: MIT

const BASE = '/api/v1/articles';
const PAGE_LIMIT = 200; // the list endpoint's maximum: the demo's 51 articles are one request

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || `request failed (${status})`);
    this.status = status;
    this.code = code || 'internal';
  }
}

async function getJson(url) {
  const res = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const err = body && body.error ? body.error : {};
    throw new ApiError(res.status, err.code, err.message);
  }
  return body;
}

// One page of the article list, in id order: {items, next_cursor}.
export function listArticles({ limit = 20, cursor = null } = {}) {
  const params = new URLSearchParams({ limit: String(limit) });
  if (cursor) params.set('cursor', cursor);
  return getJson(`${BASE}?${params}`);
}

// Every published article, following the cursor to the end.
export async function allArticles() {
  const out = [];
  let cursor = null;
  do {
    const page = await listArticles({ limit: PAGE_LIMIT, cursor });
    out.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return out;
}

const Q_BYTES = 500; // the search endpoint's limit on q

// q cut to the endpoint's byte limit at a character boundary: a long paste (or a long link)
// searches its start instead of failing with 400.
function clampBytes(text, max) {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= max) return text;
  return new TextDecoder().decode(bytes.slice(0, max)).replace(/\uFFFD+$/, '');
}

// Best first: [{id, slug, title, snippet, plan_required, ...}]. `partial`: q is being typed,
// so its last word may be unfinished ("expo" finds the export guides).
export async function searchArticles(q, { limit = 10, partial = false } = {}) {
  const params = new URLSearchParams({ q: clampBytes(q, Q_BYTES), limit: String(limit) });
  if (partial) params.set('partial', '1');
  const body = await getJson(`${BASE}/search?${params}`);
  return body.items;
}

export function getArticle(id) {
  return getJson(`${BASE}/${encodeURIComponent(id)}`);
}
