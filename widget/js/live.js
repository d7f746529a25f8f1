// The live connection (/api/v1/live, a WebSocket): an agent's reply, a status change or "the
// agent is typing" reaches the panel the moment it happens; the agent console uses the same
// class (signed in with its token, watching the inbox). The server sends what the store has
// after the cursor the widget gives when it watches a conversation, and the widget gives the id
// of the last message it has: a reconnect, whenever it happens, loses nothing and repeats
// nothing (api.js also skips ids it has shown). While the connection is down the panel polls
// (api.js); this keeps trying with backoff and says so through onState.
// SPDX-License-Identifier: MIT

const PING_MS = 25000; // under the server's 60 s: proxies and the server keep the socket
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 30000;
// One 'typing' frame per this at most: the other side shows it for a few seconds after each.
const TYPING_EVERY_MS = 3000;

export class Live {
  #url;
  #auth;
  #o;
  #inbox = false;
  #ws = null;
  #ready = false;
  #watches = new Map(); // conversation id -> the last message id the widget has
  #retryMs = RETRY_MIN_MS;
  #retryTimer = 0;
  #pingTimer = 0;
  #stopped = false;
  #typingSentAt = 0;

  // apiBase: the server's origin; auth({renew}) -> the auth frame ({type: 'auth', session} or
  // {type: 'auth', token}); onUpdate(conversation frame), onTyping(frame), onInbox(conversation
  // id), onState('live' | 'down').
  constructor({ apiBase, auth, onUpdate, onTyping, onInbox = () => {}, onState }) {
    this.#url = `${apiBase.replace(/^http/, 'ws').replace(/\/+$/, '')}/api/v1/live`;
    this.#auth = auth;
    this.#o = { onUpdate, onTyping, onInbox, onState };
  }

  // Every change to every conversation, as {type: 'inbox'} frames (agents only).
  watchInbox() {
    this.#inbox = true;
    if (this.#ready) this.#send({ type: 'watch_inbox' });
    else this.#connect();
  }

  unwatch(conversationId) {
    if (this.#watches.delete(conversationId)) {
      this.#send({ type: 'unwatch', conversation_id: conversationId });
    }
  }

  get isLive() {
    return this.#ready;
  }

  watch(conversationId, after) {
    const known = this.#watches.get(conversationId) ?? 0;
    this.#watches.set(conversationId, Math.max(known, after));
    if (this.#ready) this.#sendWatch(conversationId);
    else this.#connect();
  }

  // A poll's messages move the cursor too (never the answer to a send: api.js, #apply).
  advance(conversationId, after) {
    const known = this.#watches.get(conversationId);
    if (known !== undefined && after > known) this.#watches.set(conversationId, after);
  }

  // This side is typing in the conversation (a keystroke): told to its other watchers, throttled.
  typing(conversationId) {
    const now = Date.now();
    if (!this.#ready || !this.#watches.has(conversationId)
      || now - this.#typingSentAt < TYPING_EVERY_MS) return;
    this.#typingSentAt = now;
    this.#send({ type: 'typing', conversation_id: conversationId, typing: true });
  }

  // Nothing to watch for now: the socket closes, and the next watch() opens it again.
  idle() {
    this.#watches.clear();
    this.#inbox = false;
    this.#close();
  }

  // For good (the widget shut down).
  stop() {
    this.#stopped = true;
    this.#close();
  }

  #close() {
    clearTimeout(this.#retryTimer);
    clearInterval(this.#pingTimer);
    const ws = this.#ws;
    this.#ws = null; // first: its onclose must not schedule a reconnect
    this.#ready = false;
    this.#retryMs = RETRY_MIN_MS;
    if (ws) ws.close(1000);
  }

  #send(frame) {
    if (this.#ws && this.#ws.readyState === WebSocket.OPEN) this.#ws.send(JSON.stringify(frame));
  }

  #sendWatch(id) {
    this.#send({ type: 'watch', conversation_id: id, after: this.#watches.get(id) });
  }

  async #connect(renew = false) {
    if (this.#ws || this.#stopped || typeof WebSocket !== 'function') return;
    let ws;
    try {
      ws = new WebSocket(this.#url);
    } catch {
      this.#retry(); // blocked by the host's CSP (connect-src): the panel keeps polling
      return;
    }
    this.#ws = ws;
    let authFailed = false;
    ws.onopen = async () => {
      try {
        ws.send(JSON.stringify(await this.#auth({ renew })));
      } catch {
        ws.close();
      }
    };
    ws.onmessage = (e) => {
      let f;
      try {
        f = JSON.parse(e.data);
      } catch {
        return;
      }
      if (f.type === 'ready') this.#live();
      else if (f.type === 'conversation') this.#update(f);
      else if (f.type === 'typing') this.#o.onTyping(f);
      else if (f.type === 'inbox') this.#o.onInbox(f.conversation_id);
      else if (f.type === 'error' && f.code === 'unauthorized') authFailed = true;
    };
    ws.onclose = () => {
      if (this.#ws !== ws) return;
      this.#ws = null;
      const wasLive = this.#ready;
      this.#ready = false;
      clearInterval(this.#pingTimer);
      if (wasLive) this.#o.onState('down');
      if (!this.#stopped) this.#retry(authFailed);
    };
  }

  #live() {
    this.#ready = true;
    this.#retryMs = RETRY_MIN_MS;
    if (this.#inbox) this.#send({ type: 'watch_inbox' });
    for (const id of this.#watches.keys()) this.#sendWatch(id);
    clearInterval(this.#pingTimer);
    this.#pingTimer = setInterval(() => this.#send({ type: 'ping' }), PING_MS);
    this.#o.onState('live');
  }

  #update(f) {
    for (const m of f.messages) this.advance(f.conversation_id, m.id);
    this.#o.onUpdate(f);
  }

  // A session the server refused is renewed once before the next try.
  #retry(renew = false) {
    clearTimeout(this.#retryTimer);
    const wait = this.#retryMs * (0.75 + Math.random() / 2);
    this.#retryMs = Math.min(RETRY_MAX_MS, this.#retryMs * 2);
    this.#retryTimer = setTimeout(() => this.#connect(renew), wait);
  }
}
