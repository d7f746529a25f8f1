// The HTTP client for /api/v1 with the agent's token: JSON in and out, and the API's error
// shape turned into an ApiError the views can word for a person. It knows nothing of polling
// or views; live.js decides what to fetch and when.
// SPDX-License-Identifier: MIT

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message || code || `HTTP ${status}`);
    this.status = status; // 0 when the server could not be reached
    this.code = code;
    this.field = field;
  }
}

// createClient(token) -> { get(path, query), post(path, body) }
export function createClient(token) {
  async function request(method, path, { query, body } = {}) {
    const url = new URL(`/api/v1${path}`, location.origin);
    for (const [k, v] of Object.entries(query || {})) {
      if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
    }
    const headers = { Authorization: `Bearer ${token}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res;
    try {
      res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (err) {
      throw new ApiError(0, 'unreachable', 'The server cannot be reached.');
    }
    const data = await res.json().catch(() => null);
    if (!res.ok) {
      const e = (data && data.error) || {};
      throw new ApiError(res.status, e.code, e.message, e.field);
    }
    return data;
  }
  return {
    get: (path, query) => request('GET', path, { query }),
    post: (path, body) => request('POST', path, { body }),
  };
}

// A sentence for a person from any error the client throws.
export function describeError(err) {
  if (!(err instanceof ApiError)) return 'Something went wrong. Try again.';
  if (err.status === 0) return 'The server cannot be reached. Check your connection.';
  if (err.status === 401) return 'Your session is no longer valid. Sign in again.';
  if (err.status === 429) return 'Too many requests. Wait a moment and try again.';
  if (err.status === 409) return err.message ? `Not possible: ${err.message}.` : 'Not possible now.';
  if (err.status >= 500) return 'The server could not do that. Try again in a moment.';
  return err.message ? `${err.message.charAt(0).toUpperCase()}${err.message.slice(1)}.` : 'Request failed.';
}
