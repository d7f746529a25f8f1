// All of the console's data: the inbox pages, the open conversation, the agents, and the agent's
// actions on a conversation. Views subscribe to topics and never fetch themselves. The server's
// live connection (/api/v1/live, through the widget's Live class) says which conversation
// changed, the moment it changes, and this module reads what the views need; while the
// connection is down a tick polls every few seconds, and a slow tick keeps running anyway as a
// safety net.
//
// Interface:
//   const live = createLive(client, { token, intervalMs, pageSize })
//   live.subscribe('inbox' | 'ticket' | 'status' | 'typing', fn) -> unsubscribe; fn(state) on
//     every change ('typing': {conversation_id, author, typing} from the customer)
//   live.typing(id) (the agent types a reply: the customer sees it)
//   live.setFilters({ lane, intent, tier, assignee }); live.loadMore()
//   live.open(id); live.close(); live.act(id, 'reply' | 'draft' | 'resolve' | 'assign', body)
//   live.start(); live.stop(); live.inbox, live.ticket (the current states)
// SPDX-License-Identifier: MIT
import { Live } from '/widget/live.js';

// The inbox can hold 10,000 open conversations, so it is never fetched whole: pages of
// `pageSize` come with "load more", and a refresh re-reads only the window the agent has loaded,
// capped at the API's largest page. Rows below the cap keep their last known state until the
// agent scrolls them into a fresh "load more".
const MAX_LIMIT = 200;
const SAFETY_POLL_MS = 30000; // while the live connection is up

export function createLive(client, { token, intervalMs = 5000, pageSize = 50 } = {}) {
  const listeners = { inbox: new Set(), ticket: new Set(), status: new Set(), typing: new Set() };
  const inbox = {
    items: [], nextCursor: null, filters: {}, loading: true, loadingMore: false,
  };
  const ticket = { id: null, data: null, error: null, loading: false, similar: [] };
  const status = { error: null, signedOut: false, syncedAt: 0, pushed: false };
  let generation = 0; // bumped by setFilters: answers for older filters are dropped
  let chain = Promise.resolve(); // inbox reads run one at a time, in order
  let timer = null;
  let running = false;
  let ticketJson = '';

  const emit = (topic, state) => listeners[topic].forEach((fn) => fn(state));

  function serial(job) {
    chain = chain.then(job, job);
    return chain;
  }

  // A 401 means the token was revoked or expired: every view must stop, not retry.
  function failed(err) {
    if (err && err.status === 401) {
      status.signedOut = true;
      stop();
    }
    status.error = err;
    emit('status', status);
  }

  function synced() {
    if (status.error || !status.syncedAt) {
      status.error = null;
      status.syncedAt = Date.now();
      emit('status', status);
    }
    status.syncedAt = Date.now();
  }

  const query = (extra) => ({ ...inbox.filters, ...extra });

  function refreshInbox() {
    return serial(async () => {
      const gen = generation;
      const limit = Math.min(MAX_LIMIT, Math.max(pageSize, inbox.items.length));
      try {
        const page = await client.get('/inbox', query({ limit }));
        if (gen !== generation) return;
        const head = page.items;
        const seen = new Set(head.map((t) => t.id));
        const tail = inbox.items.slice(limit).filter((t) => !seen.has(t.id));
        if (inbox.items.length <= limit) inbox.nextCursor = page.next_cursor;
        inbox.items = head.concat(tail);
        inbox.loading = false;
        synced();
        emit('inbox', inbox);
      } catch (err) {
        failed(err);
      }
    });
  }

  function loadMore() {
    if (!inbox.nextCursor || inbox.loadingMore) return Promise.resolve();
    inbox.loadingMore = true;
    emit('inbox', inbox);
    return serial(async () => {
      const gen = generation;
      try {
        const page = await client.get('/inbox', query({ limit: pageSize, cursor: inbox.nextCursor }));
        if (gen !== generation) return;
        const seen = new Set(inbox.items.map((t) => t.id));
        inbox.items = inbox.items.concat(page.items.filter((t) => !seen.has(t.id)));
        inbox.nextCursor = page.next_cursor;
      } catch (err) {
        failed(err);
      } finally {
        inbox.loadingMore = false;
        emit('inbox', inbox);
      }
    });
  }

  function setFilters(filters) {
    generation++;
    inbox.filters = Object.fromEntries(Object.entries(filters).filter(([, v]) => v));
    inbox.items = [];
    inbox.nextCursor = null;
    inbox.loading = true;
    emit('inbox', inbox);
    return refreshInbox();
  }

  async function refreshTicket() {
    const id = ticket.id;
    if (id === null) return;
    try {
      const data = await client.get(`/tickets/${id}`);
      if (ticket.id !== id) return;
      // Unchanged answers are not re-emitted, so a poll never disturbs what the agent reads.
      const json = JSON.stringify(data);
      const changed = json !== ticketJson || ticket.error || ticket.loading;
      Object.assign(ticket, { data, error: null, loading: false });
      ticketJson = json;
      synced();
      if (changed) emit('ticket', ticket);
    } catch (err) {
      if (ticket.id !== id) return;
      if (err.status === 404) {
        Object.assign(ticket, { data: null, error: err, loading: false });
        emit('ticket', ticket);
      } else failed(err);
    }
  }

  // Conversations of the same intent that a person resolved: how the team answered this before.
  // Read once per opened conversation (the ticket's intent is known only after its first read).
  async function loadSimilar(id, intent) {
    if (!intent) return;
    try {
      const page = await client.get('/tickets', { intent, status: 'resolved', limit: 6 });
      if (ticket.id !== id) return;
      ticket.similar = page.items.filter((s) => s.id !== id).slice(0, 5);
      if (ticket.similar.length) emit('ticket', ticket);
    } catch (err) {
      if (err.status === 401) failed(err); // anything else: the panel just has no such list
    }
  }

  function open(id) {
    if (ticket.id === id && (ticket.data || ticket.loading)) return Promise.resolve();
    if (ticket.id !== null) socket.unwatch(ticket.id);
    // Watched for the customer's typing only: changes come through the inbox notes, and the
    // transcript through the ticket, so the watch starts past every message.
    socket.watch(id, Number.MAX_SAFE_INTEGER);
    Object.assign(ticket, { id, data: null, error: null, loading: true, similar: [] });
    ticketJson = '';
    emit('ticket', ticket);
    return refreshTicket().then(() => {
      if (ticket.id === id && ticket.data) loadSimilar(id, ticket.data.intent);
    });
  }

  function close() {
    if (ticket.id !== null) socket.unwatch(ticket.id);
    Object.assign(ticket, { id: null, data: null, error: null, loading: false, similar: [] });
    ticketJson = '';
    emit('ticket', ticket);
  }

  const ACTIONS = new Set(['reply', 'draft', 'resolve', 'assign']);

  // Sends one action and refreshes what it changed. Rejects with the ApiError, which the view
  // shows next to the control that caused it.
  async function act(id, kind, body) {
    if (!ACTIONS.has(kind)) throw new Error(`unknown action ${kind}`);
    const result = await client.post(`/tickets/${id}/${kind}`, body);
    await Promise.all([ticket.id === id ? refreshTicket() : null, refreshInbox()]);
    return result;
  }

  async function tick() {
    timer = null;
    if (!running) return;
    // A hidden tab does not poll; it catches up when the agent comes back.
    if (document.visibilityState !== 'hidden') {
      await Promise.all([refreshInbox(), refreshTicket()]);
    }
    if (running) timer = setTimeout(tick, status.pushed ? SAFETY_POLL_MS : intervalMs);
  }

  // A burst of changes (a busy inbox) is one refresh, not one per note.
  let pushTimer = null;
  let ticketChanged = false;
  function changed(id) {
    if (id === ticket.id) ticketChanged = true;
    if (pushTimer !== null || !running) return;
    pushTimer = setTimeout(() => {
      pushTimer = null;
      const refreshOpen = ticketChanged;
      ticketChanged = false;
      refreshInbox();
      if (refreshOpen) refreshTicket();
    }, 150);
  }

  const socket = new Live({
    apiBase: location.origin,
    auth: async () => ({ type: 'auth', token }),
    onUpdate: () => {}, // the open conversation is watched for typing; notes bring changes
    onInbox: changed,
    onTyping: (f) => emit('typing', f),
    onState(state) {
      status.pushed = state === 'live';
      emit('status', status);
      // Down: poll at the quick pace again at once. Up: catch up on what the gap hid.
      if (running) {
        if (timer !== null) clearTimeout(timer);
        tick();
      }
    },
  });

  const typing = (id) => socket.typing(id); // throttled by Live

  function onVisible() {
    if (document.visibilityState === 'visible' && running && timer !== null) {
      clearTimeout(timer);
      tick();
    }
  }

  function start() {
    if (running) return;
    running = true;
    document.addEventListener('visibilitychange', onVisible);
    timer = setTimeout(tick, intervalMs);
    socket.watchInbox();
  }

  function stop() {
    running = false;
    socket.stop();
    document.removeEventListener('visibilitychange', onVisible);
    if (timer !== null) clearTimeout(timer);
    timer = null;
  }

  function subscribe(topic, fn) {
    listeners[topic].add(fn);
    return () => listeners[topic].delete(fn);
  }

  return {
    subscribe, setFilters, loadMore, open, close, act, start, stop, typing,
    refresh: () => Promise.all([refreshInbox(), refreshTicket()]),
    get inbox() { return inbox; },
    get ticket() { return ticket; },
  };
}
