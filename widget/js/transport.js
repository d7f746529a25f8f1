// The widget's side of the widget <-> server contract (ARCHITECTURE.md, server/api/openapi.json):
// boot for a session, batched struggle events, chat messages with the page context, polling a
// conversation, public article search, and the gzipped intent model. Whatever fails on the way
// (offline, 5xx, 429) waits in a queue and is retried with backoff; messages carry a client_id,
// so a retry never posts twice. A session that expired is renewed once, transparently.
// SPDX-License-Identifier: MIT

// Taken when the module loads, before capture.js wraps fetch: the widget's own requests are not
// the host page's and must never show up as its responses or failures.
const nativeFetch = window.fetch.bind(window);

const EVENTS_PER_BATCH = 100; // the server's limit
const EVENTS_KEPT = 500;
const FLUSH_AFTER_MS = 2000;
const BACKOFF_MIN_MS = 1000;
const BACKOFF_MAX_MS = 60000;

export class TransportError extends Error {
  constructor(status, body, retryAfter) {
    const e = body && body.error;
    super(e ? `${status} ${e.code}: ${e.message}` : `HTTP ${status || 'network error'}`);
    this.status = status;
    this.code = e ? e.code : status ? 'http' : 'network';
    this.field = e && e.field;
    this.retryAfter = retryAfter;
  }

  // Worth trying again: no answer at all, rate limited, or the server's own failure.
  get retryable() {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

// A message's idempotency key: the time in ms (12 hex digits) and 80 random bits. The server
// keeps these keys in an index, and keys that grow with time land beside the last ones written,
// where a random key costs the store a page of its own for every message (server/api/widget.c).
function messageId() {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return Date.now().toString(16).padStart(12, '0')
    + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}


export class Transport {
  #api;
  #appKey;
  #user = null;
  #boot = null;
  #ready = null;
  #events = [];
  #flushTimer = 0;
  #backoff = 0;
  #stopped = false;
  #wakers = new Set();
  #onOnline = () => {
    // Back online: whatever waits for its retry goes now.
    for (const wake of this.#wakers) wake();
    this.#wakers.clear();
    this.flush();
  };
  #onHide = () => { if (document.visibilityState === 'hidden') this.flush({ keepalive: true }); };

  // apiBase: the server's origin (the widget's files are served by the same server).
  constructor({ apiBase, appKey }) {
    this.#api = apiBase.replace(/\/+$/, '');
    this.#appKey = appKey;
    window.addEventListener('online', this.#onOnline);
    document.addEventListener('visibilitychange', this.#onHide);
  }

  get session() {
    return this.#boot;
  }

  // The session token, once boot answered; `renew` asks for a new one first (the live
  // connection was refused with this one).
  async sessionToken({ renew = false } = {}) {
    const boot = renew ? await this.#renew(this.#boot) : this.#boot || await this.#ready;
    return boot.session;
  }

  // Drops the queue and listeners; requests already sent may still finish.
  stop() {
    this.#stopped = true;
    clearTimeout(this.#flushTimer);
    window.removeEventListener('online', this.#onOnline);
    document.removeEventListener('visibilitychange', this.#onHide);
    this.#events = [];
  }

  // POST /widget/boot -> {session, expires_at, visitor, verified, model: {url, etag}}, retried
  // while the server cannot be reached. `resume` is an earlier answer (same tab) reused while it
  // is valid, so the visitor keeps their conversation across page loads.
  boot(user, resume) {
    this.#user = user;
    this.#ready = this.#obtain(resume);
    return this.#ready;
  }

  async #obtain(resume) {
    if (resume && resume.session && resume.expires_at > Date.now() + 60000) {
      this.#boot = resume;
      return resume;
    }
    this.#boot = null;
    const body = { app_key: this.#appKey };
    if (this.#user) body.user = this.#user;
    for (;;) {
      try {
        this.#boot = await this.#call('POST', '/api/v1/widget/boot', body, { auth: false });
        this.#backoff = 0;
        return this.#boot;
      } catch (err) {
        if (!(err instanceof TransportError) || !err.retryable || this.#stopped) throw err;
        await this.#sleep(this.#delay(err));
      }
    }
  }

  // The session expired or the server's key changed: boot again, once for everyone waiting.
  #renew(stale) {
    if (this.#boot === stale) this.#ready = this.#obtain(null);
    return this.#ready;
  }

  async #call(method, path, body, { auth = true, keepalive = false, renewed = false } = {}) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const session = auth ? this.#boot || await this.#ready : null;
    if (auth) {
      if (!session) throw new TransportError(401, null, 0);
      headers.Authorization = `Bearer ${session.session}`;
    }
    let res;
    try {
      res = await nativeFetch(this.#api + path, {
        method, headers, keepalive, credentials: 'omit',
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new TransportError(0, null, 0);
    }
    if (res.status === 401 && auth && !renewed && !keepalive) {
      await res.arrayBuffer().catch(() => {});
      await this.#renew(session);
      return this.#call(method, path, body, { auth, renewed: true });
    }
    const json = await res.json().catch(() => null);
    if (!res.ok) {
      throw new TransportError(res.status, json, Number(res.headers.get('Retry-After')) || 0);
    }
    return json;
  }

  // Waits ms, or less when the browser comes back online.
  #sleep(ms) {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#wakers.add(wake);
    });
  }

  #delay(err) {
    this.#backoff = Math.min(BACKOFF_MAX_MS, this.#backoff ? this.#backoff * 2 : BACKOFF_MIN_MS);
    return Math.max(this.#backoff, (err.retryAfter || 0) * 1000);
  }

  // ---- struggle events ----------------------------------------------------------------------

  // Queues server events ({kind, at, route, page_id?, target?, detail?}); they go in batches,
  // a couple of seconds later or when the page is hidden.
  queueEvents(events) {
    if (this.#stopped || !events.length) return;
    this.#events.push(...events);
    const over = this.#events.length - EVENTS_KEPT;
    if (over > 0) this.#events.splice(0, over); // the oldest go first
    if (!this.#flushTimer) this.#flushTimer = setTimeout(() => this.flush(), FLUSH_AFTER_MS);
  }

  // Sends what is queued. On a retryable failure the batch goes back to the front and a retry is
  // scheduled with backoff; a batch the server refuses (400) is dropped, or it would block the
  // queue forever.
  async flush({ keepalive = false } = {}) {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = 0;
    if (this.#stopped || !this.#boot || !this.#events.length || this.#flushing) return;
    this.#flushing = true;
    const batch = this.#events.splice(0, EVENTS_PER_BATCH);
    const body = { events: batch };
    if (this.conversationId) body.conversation_id = this.conversationId;
    try {
      await this.#call('POST', '/api/v1/widget/events', body, { keepalive });
      this.#backoff = 0;
      if (this.#events.length) this.#flushTimer = setTimeout(() => this.flush(), 0);
    } catch (err) {
      if (err instanceof TransportError && err.retryable) {
        this.#events.unshift(...batch);
        this.#flushTimer = setTimeout(() => this.flush(), this.#delay(err));
      } else {
        console.warn('[pagewise] events dropped:', err.message);
      }
    } finally {
      this.#flushing = false;
    }
  }

  #flushing = false;
  conversationId = 0;

  // Takes the events not sent yet, to go with a message instead (as its `struggle`): the server
  // then decides with them, and stores each event once.
  takeEvents() {
    const taken = this.#events.splice(0, EVENTS_PER_BATCH);
    if (!this.#events.length) {
      clearTimeout(this.#flushTimer);
      this.#flushTimer = 0;
    }
    return taken;
  }

  // ---- messages -----------------------------------------------------------------------------

  // POST /widget/messages, retried until it is answered (onWait(err, ms) hears about each wait);
  // the same client_id on every try makes the server answer a retry with the first answer.
  async sendMessage({ text, page, struggle, channel }, onWait = () => {}) {
    const body = { text, client_id: messageId(), page };
    if (struggle && struggle.length) body.struggle = struggle;
    if (channel === 'portal') body.channel = channel;
    for (;;) {
      if (this.conversationId) body.conversation_id = this.conversationId;
      try {
        const answer = await this.#call('POST', '/api/v1/widget/messages', body);
        this.#backoff = 0;
        this.conversationId = answer.conversation_id;
        return answer;
      } catch (err) {
        if (!(err instanceof TransportError) || !err.retryable || this.#stopped) throw err;
        const wait = this.#delay(err);
        onWait(err, wait);
        await this.#sleep(wait);
      }
    }
  }

  // POST /csat {token, score}: the customer rates a conversation a person resolved.
  csat(token, score) {
    return this.#call('POST', '/api/v1/csat', { token, score }, { auth: false });
  }

  // GET /widget/conversations/{id}?after= -> {conversation_id, status, messages, csat_token?}
  conversation(id, after = 0) {
    return this.#call('GET', `/api/v1/widget/conversations/${id}?after=${after}`);
  }

  // ---- public reads -------------------------------------------------------------------------

  // GET /articles/search: the best article for the words, the intent and this page, or null.
  async topArticle({ q, intent, route, page_id: pageId, plan }) {
    // The draft is being typed: its last word may be unfinished.
    const params = new URLSearchParams({ q: q.slice(0, 400), limit: '1', partial: '1' });
    if (intent) params.set('intent', intent);
    if (route) params.set('route', route);
    if (pageId) params.set('page_id', pageId);
    if (plan) params.set('plan', plan);
    const list = await this.#call('GET', `/api/v1/articles/search?${params}`, undefined,
      { auth: false });
    return list.items[0] || null;
  }

  // The widget's intent model: gzip bytes (no Content-Encoding), inflated here. The browser's
  // cache revalidates it with the ETag.
  async model() {
    const url = (this.#boot && this.#boot.model && this.#boot.model.url)
      || `/api/v1/widget/model?app_key=${encodeURIComponent(this.#appKey)}`;
    let res;
    try {
      res = await nativeFetch(new URL(url, `${this.#api}/`).href, { credentials: 'omit' });
    } catch {
      throw new TransportError(0, null, 0);
    }
    if (!res.ok) throw new TransportError(res.status, await res.json().catch(() => null), 0);
    const inflated = res.body.pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(inflated).arrayBuffer());
  }
}
