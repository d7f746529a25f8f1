// The public API (window.Pagewise) and the widget's life: boot, update, show, hide, track, on,
// off, shutdown. Commands run in the order they were called, those queued before the widget
// loaded first; `on` and `off` take effect at once. Boot loads the wasm core, starts page
// capture and mounts the launcher; the session comes from the server in the background (retried
// while offline), the intent model only when the panel first opens.
// SPDX-License-Identifier: MIT
import { loadCore } from './core.js';
import { Capture, TIERS } from './capture.js';
import { Transport } from './transport.js';
import { Live } from './live.js';
import { Panel } from './panel.js';
import { Struggle, pageHash, normalizeRoute } from './struggle.js';

const VERSION = '0.2.0';
const EVENTS = ['ready', 'nudge', 'message', 'track'];
const POLL_MS = 3000; // only while the live connection is down
const TYPING_SHOWN_MS = 6000;
const DRAFT_DEBOUNCE_MS = 250;
const STORE_PREFIX = 'pagewise:';

const capitalize = (s) => (s ? s.charAt(0).toUpperCase() + s.slice(1) : s);
const idle = (fn) => (window.requestIdleCallback ? window.requestIdleCallback(fn, { timeout: 2000 })
  : setTimeout(fn, 50));

// The user fields the server knows, as strings; a plan it does not know is left out.
function cleanUser(user = {}) {
  const out = {};
  for (const k of ['id', 'email', 'name', 'hash']) {
    if (user[k] !== undefined && user[k] !== null && user[k] !== '') out[k] = String(user[k]);
  }
  const plan = String(user.plan || '').toLowerCase();
  if (TIERS.includes(plan)) out.plan = plan;
  return out;
}

function readStore(key) {
  try {
    return JSON.parse(sessionStorage.getItem(STORE_PREFIX + key) || 'null');
  } catch {
    return null; // storage blocked (sandboxed frame, privacy mode)
  }
}

function writeStore(key, value) {
  try {
    if (value) sessionStorage.setItem(STORE_PREFIX + key, JSON.stringify(value));
    else sessionStorage.removeItem(STORE_PREFIX + key);
  } catch {
    // no storage: the conversation just does not survive a reload
  }
}

class Widget {
  #scriptUrl;
  #appKey;
  #chain = Promise.resolve();
  #handlers = new Map(EVENTS.map((e) => [e, new Set()]));
  #core = null;
  #capture = null;
  #settings = null; // {appKey, user, basePath, page: {id, quiet}}
  #transport = null;
  #panel = null;
  #struggle = null;
  #readyInfo = null;
  #model = null;
  #modelLoading = null;
  #after = 0;
  #shown = new Set();
  #pollTimer = 0;
  #live = null;
  #status = ''; // the conversation's, as last heard: 'bot', 'open' (a human has it), 'resolved'
  #historyPending = false; // the panel shows a resumed conversation: customer messages too
  #typingTimer = 0;
  #draftTimer = 0;
  #searchSeq = 0;

  constructor({ scriptUrl, appKey }) {
    this.#scriptUrl = scriptUrl;
    this.#appKey = appKey;
  }

  command(cmd, args) {
    if (cmd === 'on') return this.#on(args[0], args[1]);
    if (cmd === 'off') return this.#handlers.get(args[0])?.delete(args[1]);
    const run = {
      boot: () => this.#boot(args[0]),
      update: () => this.#update(args[0]),
      show: () => this.#show(),
      hide: () => this.#panel && this.#panel.close(),
      track: () => this.#track(args[0], args[1]),
      shutdown: () => this.#shutdown(),
    }[cmd];
    if (!run) {
      console.warn(`[pagewise] unknown command: ${cmd}`);
      return undefined;
    }
    this.#chain = this.#chain.then(run).catch((err) => {
      if (cmd === 'boot') document.documentElement.setAttribute('data-pagewise', 'failed');
      console.warn(`[pagewise] ${cmd} failed:`, err && err.message ? err.message : err);
    });
    return undefined;
  }

  // ---- events for the host ----------------------------------------------------------------

  #on(event, fn) {
    const set = this.#handlers.get(event);
    if (!set || typeof fn !== 'function') {
      console.warn(`[pagewise] on: unknown event ${event} (events: ${EVENTS.join(', ')})`);
      return () => {};
    }
    set.add(fn);
    if (event === 'ready' && this.#readyInfo) queueMicrotask(() => this.#call(fn, this.#readyInfo));
    return () => set.delete(fn);
  }

  #emit(event, payload) {
    for (const fn of this.#handlers.get(event)) this.#call(fn, payload);
  }

  // A host handler that throws must not stop the widget (or the other handlers).
  #call(fn, payload) {
    try {
      fn(payload);
    } catch (err) {
      console.warn('[pagewise] an event handler threw:', err);
    }
  }

  // ---- boot and shutdown ------------------------------------------------------------------

  async #boot(settings = {}) {
    if (this.#settings) await this.#shutdown();
    const appKey = String(settings.appId || this.#appKey || '');
    if (!appKey) throw new Error('boot needs an appId (or data-app-key on the script tag)');
    const basePath = String(settings.basePath || '').replace(/\/+$/, '');
    const user = cleanUser(settings.user);
    const store = readStore(appKey);
    const resume = store && store.userId === (user.id || '') ? store : null;
    const transport = new Transport({ apiBase: new URL('/', this.#scriptUrl).origin, appKey });
    if (resume && resume.conversationId) transport.conversationId = resume.conversationId;
    // The session is asked for while the core loads: two waits at once, not one after the other.
    const session = transport.boot(Object.keys(user).length ? user : null, resume && resume.boot);
    session.catch(() => {}); // answered below; a core that fails to load must not leave it unheard
    try {
      if (!this.#core) this.#core = await loadCore();
    } catch (err) {
      transport.stop();
      throw err;
    }
    const core = this.#core;
    this.#settings = {
      appKey, user, basePath, page: {}, showLauncher: settings.hideLauncher !== true,
      channel: settings.channel === 'portal' ? 'portal' : 'widget',
    };
    this.#transport = transport;
    this.#after = 0; // a resumed conversation's history is read again when the panel opens
    this.#live = new Live({
      apiBase: new URL('/', this.#scriptUrl).origin,
      auth: async (o) => ({ type: 'auth', session: await transport.sessionToken(o) }),
      onUpdate: (c) => this.#apply(c),
      onTyping: (f) => this.#showTyping(f),
      onState: (state) => (state === 'live' ? this.#stopPolling() : this.#schedulePoll()),
    });
    this.#panel = new Panel({
      title: settings.title || 'Help',
      showLauncher: this.#settings.showLauncher,
      onSend: (text) => this.#send(text),
      onDraft: (text) => this.#draft(text),
      onOpen: () => this.#opened(),
      onClose: () => this.#closed(),
      onNudgeAccept: (n) => this.#nudgeAccepted(n),
      onNudgeDismiss: (n) => this.#nudgeDismissed(n),
    });
    this.#panel.mount();
    if (!this.#capture) {
      // One capture for the page's life: it wraps history, fetch and XHR once.
      this.#capture = new Capture({
        hash: (text) => pageHash(core, text),
        normalizeRoute: (path) => normalizeRoute(core, path),
        isOwn: (node) => !!this.#panel && this.#panel.owns(node),
        onRecords: (records) => this.#struggle && this.#struggle.feed(records),
        onReport: (e) => this.#report(e),
        onRoute: () => this.#routeChanged(),
      });
    }
    this.#capture.basePath = basePath;
    this.#struggle = new Struggle(core, {
      capture: this.#capture,
      context: () => this.#nudgeContext(),
      onDetections: (list) => this.#detected(list),
      onNudge: (nudge) => this.#showNudge(nudge),
    });
    this.#capture.start();
    session.then((answer) => {
      if (transport !== this.#transport) return; // shut down meanwhile
      this.#save();
      transport.flush();
      this.#readyInfo = { visitor: answer.visitor, verified: answer.verified, version: VERSION };
      document.documentElement.setAttribute('data-pagewise', 'ready');
      this.#emit('ready', this.#readyInfo);
    }, (err) => {
      if (transport !== this.#transport) return;
      document.documentElement.setAttribute('data-pagewise', 'failed');
      console.warn('[pagewise] the server refused the widget:', err.message);
      this.#shutdown();
    });
  }

  #save() {
    const t = this.#transport;
    if (!t || !t.session) return;
    writeStore(this.#settings.appKey, {
      userId: this.#settings.user.id || '', boot: t.session, conversationId: t.conversationId,
    });
  }

  async #shutdown() {
    if (!this.#settings) return;
    this.#stopPolling();
    this.#live.stop();
    this.#live = null;
    this.#status = '';
    clearTimeout(this.#draftTimer);
    clearTimeout(this.#typingTimer);
    this.#searchSeq++;
    this.#capture.stop();
    this.#struggle.free();
    this.#struggle = null;
    this.#transport.flush({ keepalive: true });
    this.#transport.stop();
    this.#transport = null;
    this.#panel.unmount();
    this.#panel = null;
    writeStore(this.#settings.appKey, null); // a shutdown is a sign-out: forget the conversation
    if (this.#model) this.#model.free();
    this.#model = null;
    this.#modelLoading = null;
    this.#settings = null;
    this.#readyInfo = null;
    this.#after = 0;
    this.#shown.clear();
    if (document.documentElement.getAttribute('data-pagewise') === 'ready') {
      document.documentElement.removeAttribute('data-pagewise');
    }
  }

  // ---- update, show, track ----------------------------------------------------------------

  async #update(changes = {}) {
    if (!this.#settings) throw new Error('update before boot');
    const s = this.#settings;
    if (changes.user) {
      const user = cleanUser({ ...s.user, ...changes.user });
      // Another person signed in: their session, not the old one's.
      if ((user.id || '') !== (s.user.id || '')) {
        await this.#boot({
          appId: s.appKey, user, basePath: s.basePath, hideLauncher: !s.showLauncher,
          channel: s.channel,
        });
        return;
      }
      s.user = user;
    }
    if (changes.page) {
      const p = changes.page;
      if (p.id !== undefined) s.page.id = p.id ? String(p.id).slice(0, 64) : undefined;
      if (p.quiet !== undefined) s.page.quiet = !!p.quiet;
    }
  }

  async #show() {
    if (!this.#panel) throw new Error('show before boot');
    this.#panel.open();
  }

  // Host events go to `track` handlers only: the contract's event log has a fixed set of kinds
  // (struggle, navigation, errors, nudges) and no place for the host's own.
  #track(name, data) {
    if (!name) return;
    this.#emit('track', { name: String(name).slice(0, 64), data, at: Date.now() });
  }

  // ---- page context -------------------------------------------------------------------------

  // The PageContext of the contract: what capture sees plus the plan and the host's page id.
  #pageContext() {
    const page = this.#capture.page();
    const s = this.#settings;
    if (s.page.id) page.page_id = s.page.id;
    page.plan = s.user.plan || 'free';
    page.failed_requests = page.failed_requests.filter((r) => r.url);
    const quiet = !!(page.quiet || s.page.quiet);
    delete page.quiet;
    Object.defineProperty(page, 'quiet', { value: quiet }); // known to the nudge, never sent
    return page;
  }

  #nudgeContext() {
    return {
      page: this.#pageContext(),
      panelOpen: this.#panel ? this.#panel.isOpen : false,
      typingAt: this.#capture.lastTypingAt,
    };
  }

  #routeChanged() {
    // A nudge is about the page it appeared on.
    if (this.#panel && this.#panel.nudgeShown) this.#panel.hideNudge();
  }

  // A server event for something capture saw (navigation, js_error, failed_request) or the
  // detectors found; `at` is wall-clock ms, `t` (optional) the performance.now() it happened.
  #serverEvent(kind, { t, route, target, detail } = {}) {
    const at = Math.round(t === undefined ? Date.now() : performance.timeOrigin + t);
    const page = this.#capture.route;
    const e = { kind, at, route: route || (page ? page.route : '/') };
    const pageId = this.#settings.page.id || this.#capture.pageId();
    if (pageId) e.page_id = pageId;
    if (target) e.target = target;
    if (detail) e.detail = detail;
    return e;
  }

  #report({ kind, detail, target }) {
    if (this.#transport) this.#transport.queueEvents([this.#serverEvent(kind, { target, detail })]);
  }

  #detected(list) {
    if (!this.#transport || !list.length) return;
    this.#transport.queueEvents(list.map((d) => this.#serverEvent(d.kind, d)));
  }

  // ---- nudges -----------------------------------------------------------------------------

  // What the bubble says for a nudge from the core: {kind, feature?, detection}.
  #nudgeView(n) {
    const page = n.page || this.#pageContext();
    const plan = this.#settings.user.plan || 'free';
    if (n.kind === 'EXPLAIN_DISABLED_FEATURE') {
      const f = page.features.find((x) => x.feature === n.feature)
        || page.features.find((x) => !x.enabled);
      const name = f ? f.feature : n.feature || '';
      const words = name.replace(/_/g, ' ');
      const label = (f && page.labels && page.labels.get(name)) || capitalize(words);
      const needs = (f && f.plan_required) || n.planRequired || '';
      const required = capitalize(needs);
      const text = required
        ? `${label} is part of the ${required} plan. You are on ${capitalize(plan)}, `
          + 'so it is switched off here.'
        : `${label} is not available here right now.`;
      return {
        text, action: required ? `What does ${required} add?` : 'Why is that?',
        context: text, draft: `Why can't I use ${label}?`,
        query: `${words} ${required}`.trim(), feature: name, planRequired: needs,
      };
    }
    if (n.kind === 'HELP_FAILING_ACTION') {
      const failed = page.failed_requests[page.failed_requests.length - 1];
      const banner = page.errors[0];
      const what = banner ? `The page says: \u201c${banner}\u201d` : failed && failed.status
        ? `The request behind it failed (HTTP ${failed.status}).` : 'It ran into an error.';
      return {
        text: `That didn't work. ${what} Want help with it?`, action: 'Get help',
        context: `You tried an action on this page that failed. ${what}`,
        draft: 'I tried to do this and it failed. What should I do?', query: banner || page.title,
      };
    }
    return {
      text: 'Stuck on this page? We can point you to the right help.', action: 'Show me',
      context: 'Help for the page you are on.', draft: '',
      query: page.page_id || page.title || page.route,
    };
  }

  #showNudge(n) {
    if (!this.#panel || this.#panel.isOpen) return false;
    const view = this.#nudgeView(n);
    const nudge = { ...view, kind: n.kind, detection: n.detection };
    if (!this.#panel.showNudge(nudge)) return false;
    const because = n.detection ? n.detection.kind : null;
    this.#report({ kind: 'nudge_shown', detail: { nudge: n.kind, because } });
    this.#emit('nudge', { kind: n.kind, text: view.text, feature: view.feature || null,
      plan_required: view.planRequired || null, because });
    return true;
  }

  #nudgeAccepted(nudge) {
    this.#report({ kind: 'nudge_accepted', detail: { nudge: nudge.kind } });
    this.#panel.open({ context: nudge.context, draft: nudge.draft });
    if (nudge.query) this.#lookup(nudge.query, null, 'Help for this');
  }

  #nudgeDismissed(nudge) {
    // The core's cooldown counts from the moment the nudge was shown: nothing to tell it.
    this.#report({ kind: 'nudge_dismissed', detail: { nudge: nudge.kind } });
  }

  // ---- the panel: model, drafts, messages, polling -----------------------------------------

  #opened() {
    this.#loadModel();
    const t = this.#transport;
    if (t && t.conversationId && this.#after === 0) {
      this.#historyPending = true;
      this.#poll();
    } else this.#schedulePoll();
    this.#watchLive();
  }

  // Live while the panel is open, and while a person has the conversation (their reply must
  // arrive even with the panel closed); otherwise no socket is held open for a visitor.
  #watchLive() {
    const id = this.#transport && this.#transport.conversationId;
    if (!id || !this.#live) return;
    const open = this.#panel && this.#panel.isOpen;
    if (open || this.#status === 'open') this.#live.watch(id, this.#after);
  }

  #closed() {
    this.#stopPolling();
    if (this.#status !== 'open' && this.#live) this.#live.idle();
  }

  // What a poll or the live connection brought: every message after the cursor, and the
  // status. Only such a list moves the cursor: the answer to a send names the customer's message
  // and the AI's reply, but not an agent's reply posted just before them, which a cursor moved
  // past them would skip for good (the poll and a later watch ask for what follows the cursor).
  // Messages are shown once each (by id) and in order, whichever way they came first.
  #apply(c) {
    for (const m of c.messages) {
      this.#advance(m.id);
      // A customer's message is in the log since it was sent, unless this is the history.
      if (this.#historyPending || m.author !== 'customer') this.#showMessage(m, c.conversation_id);
    }
    this.#historyPending = false;
    const was = this.#status;
    this.#status = c.status;
    if (c.csat_token && this.#panel) {
      const token = c.csat_token;
      this.#panel.askRating((score) => this.#transport.csat(token, score));
    }
    if (c.status === 'open' && was !== 'open') this.#watchLive();
    if (c.status !== 'open' && this.#panel && !this.#panel.isOpen && this.#live) this.#live.idle();
  }

  #advance(messageId) {
    this.#after = Math.max(this.#after, messageId);
    const id = this.#transport && this.#transport.conversationId;
    if (id && this.#live) this.#live.advance(id, this.#after);
  }

  // "Ann is typing…" under the conversation while an agent types (the server relays it).
  #showTyping(f) {
    if (!this.#panel || f.author !== 'agent') return;
    clearTimeout(this.#typingTimer);
    this.#panel.setStatus(f.typing ? `${f.name || 'Support'} is typing\u2026` : '');
    if (!f.typing) return;
    this.#typingTimer = setTimeout(() => this.#panel && this.#panel.setStatus(''), TYPING_SHOWN_MS);
  }

  // The customer types: the agent's console hears of it (Live throttles).
  #typing() {
    const id = this.#transport && this.#transport.conversationId;
    if (id && this.#live) this.#live.typing(id);
  }

  // The model is large next to the rest of the widget, so it waits for the first open, and for
  // idle time after it.
  #loadModel() {
    if (this.#model || this.#modelLoading || !this.#transport) return;
    const transport = this.#transport;
    const loading = transport.model().then((bytes) => new Promise((resolve, reject) => idle(() => {
      try {
        resolve(this.#core.loadModel(bytes));
      } catch (err) {
        reject(err);
      }
    }))).then((model) => {
      if (loading !== this.#modelLoading) {
        model.free(); // shut down meanwhile
        return;
      }
      this.#model = model;
      this.#modelLoading = null;
      const draft = this.#lastDraft;
      if (draft) this.#preview(draft);
    }, (err) => {
      if (loading === this.#modelLoading) this.#modelLoading = null;
      console.warn('[pagewise] the intent model did not load:', err.message);
    });
    this.#modelLoading = loading;
  }

  #lastDraft = '';

  #draft(text) {
    this.#lastDraft = text;
    if (text.trim()) this.#typing();
    clearTimeout(this.#draftTimer);
    if (!text.trim()) {
      this.#searchSeq++;
      this.#panel.showHelp(null);
      return;
    }
    this.#draftTimer = setTimeout(() => this.#preview(text), DRAFT_DEBOUNCE_MS);
  }

  // Classifies the draft in wasm and shows the best article for that intent on this page.
  #preview(text) {
    const words = text.trim();
    if (!this.#model || words.length < 6) return;
    const guess = this.#model.classify(words);
    if (guess.outOfScope || guess.confidence < 0.3) {
      this.#panel.showHelp(null);
      return;
    }
    this.#lookup(words, guess.label, 'Likely answer');
  }

  // Stale answers are ignored rather than aborted: an aborted fetch is a failed request in the
  // host's devtools and in its monitoring.
  #lookup(q, intent, label) {
    const seq = ++this.#searchSeq;
    const page = this.#pageContext();
    const plan = page.plan;
    const panel = this.#panel;
    this.#transport.topArticle({ q, intent, route: page.route, page_id: page.page_id, plan })
      .then((a) => {
        if (seq !== this.#searchSeq || panel !== this.#panel) return;
        panel.showHelp(a && {
          label, title: a.title, snippet: a.snippet,
          planNote: a.plan_blocked && a.plan_required
            ? `Needs the ${capitalize(a.plan_required)} plan (you are on ${capitalize(plan)}).`
            : '',
        });
      }, () => {
        if (seq === this.#searchSeq && panel === this.#panel) panel.showHelp(null);
      });
  }

  async #send(text) {
    const panel = this.#panel;
    const transport = this.#transport;
    panel.addMessage({ author: 'customer', body: text });
    this.#emit('message', { author: 'customer', body: text });
    panel.setBusy(true);
    panel.setStatus('Sending\u2026');
    try {
      const answer = await transport.sendMessage({
        text, page: this.#pageContext(), struggle: transport.takeEvents(),
        channel: this.#settings.channel,
      }, (err, wait) => panel.setStatus(navigator.onLine === false
        ? 'You are offline: the message goes out when you are back.'
        : `Not sent yet; trying again in ${Math.ceil(wait / 1000)} s.`));
      if (transport !== this.#transport) return;
      this.#shown.add(answer.message_id); // the cursor stays: see #apply
      this.#status = answer.status;
      this.#save();
      panel.setStatus('');
      if (answer.reply) this.#showMessage(answer.reply, answer.conversation_id);
      else {
        panel.addMessage({ author: 'system',
          body: 'Thanks. Someone from the team will answer here.' });
      }
      this.#watchLive();
      this.#schedulePoll();
    } catch (err) {
      if (transport === this.#transport) panel.setStatus(`Not sent: ${err.message}`);
    } finally {
      if (transport === this.#transport) panel.setBusy(false);
    }
  }

  #showMessage(m, conversationId) {
    if (this.#shown.has(m.id)) return;
    this.#shown.add(m.id);
    if (m.author === 'agent') this.#showTyping({ author: 'agent', typing: false }); // they sent it
    this.#panel.addMessage(m);
    this.#emit('message', { id: m.id, author: m.author, body: m.body, article: m.article || null,
      conversation_id: conversationId });
  }

  // While the panel is open and the live connection is down: new messages of the conversation
  // (an agent's reply, a draft approved) every few seconds.
  #schedulePoll() {
    clearTimeout(this.#pollTimer);
    const t = this.#transport;
    if (!this.#panel || !this.#panel.isOpen || !t || !t.conversationId) return;
    if (this.#live && this.#live.isLive) return;
    this.#pollTimer = setTimeout(() => this.#poll(), POLL_MS);
  }

  async #poll() {
    const transport = this.#transport;
    const id = transport && transport.conversationId;
    if (!id) return;
    try {
      const c = await transport.conversation(id, this.#after);
      if (transport !== this.#transport) return;
      this.#apply(c);
    } catch (err) {
      if (err.status === 404 && transport === this.#transport) {
        transport.conversationId = 0; // not this visitor's any more (a new session)
        this.#save();
      }
    }
    this.#schedulePoll();
  }

  #stopPolling() {
    clearTimeout(this.#pollTimer);
    this.#pollTimer = 0;
  }
}

// Called by pagewise.js with the commands queued so far.
export function install({ queue, scriptUrl, appKey, autoBoot }) {
  const widget = new Widget({ scriptUrl, appKey });
  function Pagewise(cmd, ...args) {
    return widget.command(cmd, args);
  }
  Pagewise.version = VERSION;
  Pagewise.loader = true;
  const booted = queue.some((c) => c[0] === 'boot');
  window.Pagewise = Pagewise;
  for (const c of queue.splice(0)) Pagewise(...c);
  if (autoBoot && !booted) Pagewise('boot', {});
}
