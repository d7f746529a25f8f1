// All of the console's data: the inbox pages, the open conversation, the agents, and the agent's
// actions on a conversation. Views subscribe to topics and never fetch themselves, so when the
// server gets a WebSocket this module is the only one to change: today a tick polls every few
// seconds; later a pushed "conversation changed" would call the same refresh functions.
//
// Interface:
//   const live = createLive(client, { intervalMs, pageSize })
//   live.subscribe('inbox' | 'ticket' | 'status', fn) -> unsubscribe; fn(state) on every change
//   live.setFilters({ lane, intent, tier, assignee }); live.loadMore()
//   live.open(id); live.close(); live.act(id, 'reply' | 'draft' | 'resolve' | 'assign', body)
//   live.wantPreviews(rows) (rows on screen); live.inbox.previews: id -> { author, text }
//   live.start(); live.stop(); live.inbox, live.ticket (the current states)
// SPDX-License-Identifier: MIT

// The inbox can hold 10,000 open conversations, so it is never fetched whole: pages of
// `pageSize` come with "load more", and a refresh re-reads only the window the agent has loaded,
// capped at the API's largest page. Rows below the cap keep their last known state until the
// agent scrolls them into a fresh "load more".
const MAX_LIMIT = 200;

export function createLive(client, { intervalMs = 5000, pageSize = 50 } = {}) {
  const listeners = { inbox: new Set(), ticket: new Set(), status: new Set() };
  const inbox = {
    items: [], nextCursor: null, filters: {}, loading: true, loadingMore: false, previews: new Map(),
  };
  const ticket = { id: null, data: null, error: null, loading: false };
  const status = { error: null, signedOut: false, syncedAt: 0 };
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

  function open(id) {
    if (ticket.id === id && (ticket.data || ticket.loading)) return Promise.resolve();
    Object.assign(ticket, { id, data: null, error: null, loading: true });
    ticketJson = '';
    emit('ticket', ticket);
    return refreshTicket();
  }

  function close() {
    Object.assign(ticket, { id: null, data: null, error: null, loading: false });
    ticketJson = '';
    emit('ticket', ticket);
  }

  // An inbox row (TicketSummary) has no message text, yet the agent triages by what the customer
  // wrote. So the rows on screen ask for their conversation, a few at a time, and keep its latest
  // message; a row asks again only when its updated_at moves. The cost is bounded by what the
  // agent sees, not by the size of the inbox.
  const wanted = new Map(); // id -> the updated_at to fetch for
  const inflight = new Set();
  let previewsDirty = false;

  function latest(t) {
    const m = [...t.messages].reverse().find((x) => x.author !== 'system');
    return m ? { author: m.author, text: m.body } : { author: 'system', text: '' };
  }

  function pumpPreviews() {
    while (inflight.size < 3 && wanted.size) {
      const [id, updatedAt] = wanted.entries().next().value;
      wanted.delete(id);
      inflight.add(id);
      client.get(`/tickets/${id}`)
        .then((t) => {
          inbox.previews.set(id, { updatedAt, ...latest(t) });
          previewsDirty = true;
        })
        .catch((err) => { if (err.status === 401) failed(err); })
        .finally(() => {
          inflight.delete(id);
          // One redraw per burst of previews, not one per row.
          if (previewsDirty && !wanted.size && !inflight.size) {
            previewsDirty = false;
            emit('inbox', inbox);
          }
          if (!status.signedOut) pumpPreviews();
        });
    }
  }

  function wantPreviews(rows) {
    for (const { id, updated_at: updatedAt } of rows) {
      const known = inbox.previews.get(id);
      if ((!known || known.updatedAt !== updatedAt) && !inflight.has(id)) wanted.set(id, updatedAt);
    }
    pumpPreviews();
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
    if (running) timer = setTimeout(tick, intervalMs);
  }

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
  }

  function stop() {
    running = false;
    document.removeEventListener('visibilitychange', onVisible);
    if (timer !== null) clearTimeout(timer);
    timer = null;
  }

  function subscribe(topic, fn) {
    listeners[topic].add(fn);
    return () => listeners[topic].delete(fn);
  }

  return {
    subscribe, setFilters, loadMore, open, close, act, start, stop, wantPreviews,
    refresh: () => Promise.all([refreshInbox(), refreshTicket()]),
    get inbox() { return inbox; },
    get ticket() { return ticket; },
  };
}
