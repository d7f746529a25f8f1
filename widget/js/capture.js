// Page capture: turns what happens on the host page into plain records for the struggle
// detectors (kind, time, x, y, a target hash, flag bits, a number), and keeps the page context
// (route, declared features, error banners, failed requests) for messages and nudges.
// It never reads an input's value or text: elements are known by a hash of a selector (or of the
// feature name the host declared), and typing is counted, never read. Handlers do O(1) work; the
// records reach the detectors in idle time. History, fetch and XHR are wrapped, never replaced:
// after stop() a wrapper someone else wrapped again stays in place but passes straight through.
// SPDX-License-Identifier: MIT

// pw_event_flag bits (shared/include/pw/struggle.h).
export const FLAG = {
  INTERACTIVE: 1, DISABLED: 2, IGNORE: 4, TEXT_SELECTION: 8, STEPPER: 16, INPUT_TARGET: 32,
};
// pw_response_kind values.
export const RESPONSE = { MUTATION: 0, NAVIGATION: 1, NETWORK: 2, SCROLL: 3 };
export const TIERS = ['free', 'starter', 'pro', 'enterprise'];

const INTERACTIVE = 'a[href],button,input,select,textarea,summary,label,[role=button],[role=link],'
  + '[role=tab],[role=menuitem],[role=checkbox],[role=radio],[role=switch],[role=option],'
  + '[contenteditable=""],[contenteditable=true],[onclick],[tabindex]:not([tabindex="-1"])';
const TEXT_FIELD = 'input:not([type=button]):not([type=submit]):not([type=reset])'
  + ':not([type=checkbox]):not([type=radio]):not([type=image]):not([type=file]),textarea,select,'
  + '[contenteditable=""],[contenteditable=true]';
const STEPPER = '[role=spinbutton],input[type=number],input[type=range],[data-pw-stepper],'
  + '.pagination,.pager,.stepper,[aria-label*=pagination i],[aria-roledescription*=stepper i]';
const STEP_LABEL =
  /^(next|previous|prev|back|forward|increase|decrease|increment|decrement|more|less|page \d+)\b/i;

const RESPONSE_WAIT_MS = 3000; // longer than the core's dead-click window (2500 ms)
const FORM_VERDICT_MS = 3000;
const TYPING_EVERY_MS = 500;
const FAILED_KEPT = 10;

// The origin and path of a URL: queries and fragments carry tokens and personal data.
export function bareUrl(url) {
  try {
    const u = new URL(url, location.href);
    return u.origin + u.pathname;
  } catch {
    return '';
  }
}

function visible(el) {
  return el.checkVisibility ? el.checkVisibility() : el.getClientRects().length > 0;
}

// A selector that stays the same across page loads: ids and classes that look generated (three
// or more digits) are left out, siblings of one tag are told apart by position.
function selectorOf(el) {
  const parts = [];
  for (let n = el, depth = 0; n && n.nodeType === 1 && depth < 5; n = n.parentElement, depth++) {
    let part = n.localName;
    if (n.id && !/\d{3}/.test(n.id)) {
      parts.unshift(`${part}#${n.id}`);
      break;
    }
    const classes = [...n.classList].filter((c) => !/\d{3}/.test(c)).slice(0, 2);
    if (classes.length) part += `.${classes.join('.')}`;
    let index = 1;
    for (let s = n.previousElementSibling; s; s = s.previousElementSibling) {
      if (s.localName === n.localName) index++;
    }
    if (index > 1) part += `:nth-of-type(${index})`;
    parts.unshift(part);
  }
  return parts.join('>');
}

// The words a feature is shown with: the host's aria-label, a button's or link's own text
// (never a field's), or the feature name made readable.
function featureLabel(el, name) {
  const aria = el.getAttribute('aria-label');
  if (aria) return aria.trim().slice(0, 60);
  if (el.localName === 'button' || el.localName === 'a') {
    const text = el.textContent.replace(/\s+/g, ' ').trim();
    if (text) return text.slice(0, 60);
  }
  const words = name.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function elementOf(node) {
  if (!node) return null;
  return node.nodeType === 1 ? node : node.parentElement;
}

export class Capture {
  #o;
  #active = false;
  #off = [];
  #records = [];
  #idle = 0;
  #awaiting = null; // the latest click still waiting for the page to react
  #form = null; // a submitted form waiting for its verdict
  #route = null;
  #routes = new Map(); // route hash -> route
  #failed = [];
  #lastTyping = -Infinity;
  basePath = ''; // the host app's mount point ("/demo"), not part of its routes

  // options: hash(text) -> u32; normalizeRoute(path) -> {route, hash}; isOwn(node);
  // onRecords(records); onReport({kind, detail, target?}) for the server's event log;
  // onRoute(route) after a route change.
  constructor(options) {
    this.#o = options;
  }

  get route() {
    return this.#route;
  }

  // The route string of a route hash seen in this page session ('' when unknown).
  routeOf(hash) {
    return this.#routes.get(hash) || '';
  }

  get lastTypingAt() {
    return this.#lastTyping;
  }

  start() {
    if (this.#active) return;
    this.#active = true;
    const on = (target, type, fn, capture = true) => {
      target.addEventListener(type, fn, { capture, passive: true });
      this.#off.push(() => target.removeEventListener(type, fn, { capture }));
    };
    on(window, 'pointerdown', (e) => this.#pointerDown(e));
    on(window, 'click', (e) => this.#clickEvent(e));
    on(window, 'scroll', () => this.#scrolled());
    on(window, 'input', (e) => this.#changed(e));
    on(window, 'change', (e) => this.#changed(e));
    on(window, 'keydown', (e) => this.#keydown(e));
    on(window, 'submit', (e) => this.#submitted(e));
    on(window, 'invalid', (e) => this.#invalid(e));
    on(window, 'popstate', () => this.#locationChanged());
    on(window, 'hashchange', () => this.#locationChanged());
    on(window, 'error', (e) => this.#errorEvent(e), false);
    on(window, 'unhandledrejection', (e) => this.#rejection(e));
    on(document, 'visibilitychange', () => this.#push('visibility',
      { value: document.visibilityState === 'hidden' ? 0 : 1 }));
    if (!this.#wrapped) {
      this.#wrapped = true;
      this.#wrapHistory();
      this.#wrapFetch();
      this.#wrapXhr();
    }
    this.#route = null;
    this.#locationChanged();
  }

  stop() {
    this.#active = false;
    for (const off of this.#off.splice(0)) off();
    this.#stopAwaiting();
    this.#form = null;
    if (this.#idle) cancelIdle(this.#idle);
    this.#idle = 0;
    this.#records = [];
  }

  // Hands every pending record to onRecords now (the struggle ticker calls this first, so the
  // detectors see events before time moves past them).
  flush() {
    if (this.#idle) cancelIdle(this.#idle);
    this.#idle = 0;
    if (!this.#records.length) return;
    const records = this.#records;
    this.#records = [];
    this.#o.onRecords(records);
  }

  #push(kind, { t = performance.now(), x = 0, y = 0, target = 0, flags = 0, value = 0 } = {}) {
    if (!this.#active) return;
    this.#records.push({ kind, t, x, y, target, flags, value });
    if (!this.#idle) this.#idle = onIdle(() => { this.#idle = 0; this.flush(); });
  }

  #own(node) {
    return this.#o.isOwn(node);
  }

  // ---- clicks ------------------------------------------------------------------------------

  // Disabled controls get no click event, only pointer events: that is where they are seen.
  #pointerDown(e) {
    const el = elementOf(e.target);
    if (el && !this.#own(el) && el.closest(':disabled')) this.#click(e, el, true);
  }

  #clickEvent(e) {
    const el = elementOf(e.target);
    if (el && !this.#own(el) && !el.closest(':disabled')) this.#click(e, el, false);
  }

  #click(e, el, nativeDisabled) {
    const control = el.closest(INTERACTIVE);
    const node = control || el;
    let flags = 0;
    if (control) flags |= FLAG.INTERACTIVE;
    if (nativeDisabled || el.closest('[aria-disabled=true]')) flags |= FLAG.DISABLED;
    if (el.closest('[data-pw-ignore]')) flags |= FLAG.IGNORE;
    if (el.closest(TEXT_FIELD)) flags |= FLAG.INPUT_TARGET;
    if (el.closest(STEPPER) || (control && STEP_LABEL.test(control.getAttribute('aria-label') || '')
      || (control && /^(next|prev)$/.test(control.getAttribute('rel') || '')))) {
      flags |= FLAG.STEPPER;
    }
    // A double or triple click that selected words is reading, not rage.
    const selection = document.getSelection();
    if (!control && selection && !selection.isCollapsed) flags |= FLAG.TEXT_SELECTION;
    let x = e.clientX;
    let y = e.clientY;
    if (e.type === 'click' && e.detail === 0) { // keyboard: Enter or Space on a control
      const r = node.getBoundingClientRect();
      x = r.left + r.width / 2;
      y = r.top + r.height / 2;
    }
    const target = this.targetOf(node);
    const t = performance.now();
    this.#push('click', { t, x, y, target: target.hash, flags });
    this.#awaitResponse();
  }

  // { hash, label, feature? }: a declared feature is known by its name's hash (so the core can
  // match the click with the page's features), anything else by its selector's hash.
  targetOf(el) {
    const declared = el.closest('[data-pw-feature]');
    let target;
    if (declared) {
      const name = declared.getAttribute('data-pw-feature').trim().slice(0, 47);
      target = { hash: this.#o.hash(name), label: `feature:${name}`, feature: name };
    } else {
      const hash = this.#o.hash(selectorOf(el));
      target = { hash, label: `el:${hash.toString(16).padStart(8, '0')}` };
    }
    if (this.#labels.size > 500) this.#labels.clear();
    this.#labels.set(target.hash, target.label);
    return target;
  }

  #labels = new Map();

  // The server's name for a target hash seen in this page session ('' when unknown).
  labelOf(hash) {
    return this.#labels.get(hash) || '';
  }

  // ---- did the page react? -------------------------------------------------------------------

  #awaitResponse() {
    this.#stopAwaiting();
    const observer = new MutationObserver((list) => {
      if (list.some((m) => !this.#own(m.target) && m.attributeName !== 'data-pagewise')) {
        this.#responded(RESPONSE.MUTATION);
      }
    });
    observer.observe(document.documentElement,
      { subtree: true, childList: true, attributes: true, characterData: true });
    const timer = setTimeout(() => this.#stopAwaiting(), RESPONSE_WAIT_MS);
    this.#awaiting = { observer, timer, scrolled: false };
  }

  #stopAwaiting() {
    const a = this.#awaiting;
    if (!a) return;
    a.observer.disconnect();
    clearTimeout(a.timer);
    this.#awaiting = null;
  }

  #responded(kind) {
    if (!this.#awaiting) return;
    this.#push('response', { value: kind });
    this.#stopAwaiting();
  }

  // Scrolls only count just after a click (the core looks 200 ms back), so one is enough.
  #scrolled() {
    const a = this.#awaiting;
    if (!a || a.scrolled) return;
    a.scrolled = true;
    this.#push('response', { value: RESPONSE.SCROLL });
  }

  #changed(e) {
    if (!this.#own(elementOf(e.target))) this.#responded(RESPONSE.MUTATION);
  }

  // Typing is counted (at most every 500 ms), never read: no key, no value.
  #keydown(e) {
    const el = elementOf(e.target);
    if (!el || this.#own(el) || !el.closest(TEXT_FIELD)) return;
    const t = performance.now();
    if (t - this.#lastTyping < TYPING_EVERY_MS) return;
    this.#lastTyping = t;
    this.#push('typing', { t, flags: el.closest('[data-pw-ignore]') ? FLAG.IGNORE : 0 });
  }

  // ---- forms -------------------------------------------------------------------------------

  // A submitted form fails when, before FORM_VERDICT_MS, a request fails, a script throws or an
  // alert or invalid field appears; it succeeds on a navigation or a successful request, or
  // when nothing went wrong by then.
  #submitted(e) {
    const form = elementOf(e.target);
    if (!form || this.#own(form)) return;
    this.#settleForm(null);
    const observer = new MutationObserver((list) => {
      if (list.some((m) => !this.#own(m.target) && alerting(m))) this.#settleForm(1);
    });
    observer.observe(document.documentElement, { subtree: true, childList: true,
      attributes: true, attributeFilter: ['role', 'aria-invalid', 'hidden', 'class'] });
    const timer = setTimeout(() => this.#settleForm(0), FORM_VERDICT_MS);
    this.#form = { target: this.targetOf(form), observer, timer };
  }

  #invalid(e) {
    const field = elementOf(e.target);
    const form = field && field.form;
    if (!form || this.#own(form)) return;
    const target = this.targetOf(form);
    const t = performance.now();
    const last = this.#lastInvalid;
    if (last && last.hash === target.hash && t - last.t < 500) {
      return; // one verdict for the several fields one submit finds invalid
    }
    this.#lastInvalid = { hash: target.hash, t };
    this.#push('form_submit', { t, target: target.hash, value: 1 });
  }

  #lastInvalid = null;

  #settleForm(result) {
    const f = this.#form;
    if (!f) return;
    this.#form = null;
    f.observer.disconnect();
    clearTimeout(f.timer);
    if (result !== null) this.#push('form_submit', { target: f.target.hash, value: result });
  }

  // ---- routes --------------------------------------------------------------------------------

  // The app's path: hash routers ("#/reports") count as paths, and the host's basePath (an app
  // served under /demo) is not part of its routes.
  #path() {
    let path = location.pathname;
    const h = location.hash;
    if (h.startsWith('#/') || h.startsWith('#!/')) {
      path = path.replace(/\/+$/, '') + h.slice(h.indexOf('/'));
    }
    const base = this.basePath;
    if (base && (path === base || path.startsWith(`${base}/`))) {
      path = path.slice(base.length) || '/';
    }
    return path;
  }

  #locationChanged() {
    if (!this.#active) return;
    const r = this.#o.normalizeRoute(this.#path());
    if (this.#route && r.route === this.#route.route) {
      this.#responded(RESPONSE.NAVIGATION);
      return;
    }
    this.#stopAwaiting();
    this.#route = r;
    if (this.#routes.size > 200) this.#routes.clear();
    this.#routes.set(r.hash, r.route);
    this.#failed = [];
    this.#push('navigation', { value: r.hash });
    // After the task that changed the URL: a router renders the new view right after pushState.
    queueMicrotask(() => {
      if (!this.#active || this.#route !== r) return;
      this.#o.onReport({ kind: 'navigation', detail: {} });
      this.#o.onRoute(r);
    });
  }

  #wrapped = false;

  #wrapHistory() {
    const self = this;
    for (const name of ['pushState', 'replaceState']) {
      const original = history[name];
      history[name] = function pagewiseHistory(...args) {
        const result = original.apply(this, args);
        self.#locationChanged();
        return result;
      };
    }
  }

  // ---- requests and errors ---------------------------------------------------------------

  #requestStarted() {
    this.#responded(RESPONSE.NETWORK);
  }

  #requestEnded(method, url, status) {
    if (!this.#active) return;
    if (status > 0 && status < 400) {
      if (this.#form) this.#settleForm(0);
      return;
    }
    const entry = {
      url: bareUrl(url), status, method: String(method || 'GET').toUpperCase().slice(0, 16),
    };
    this.#failed.push(entry);
    if (this.#failed.length > FAILED_KEPT) this.#failed.shift();
    this.#push('request_failed', { value: status });
    this.#o.onReport({ kind: 'failed_request', detail: entry });
    if (this.#form) this.#settleForm(1);
  }

  #wrapFetch() {
    const self = this;
    const original = window.fetch;
    if (typeof original !== 'function') return;
    window.fetch = function pagewiseFetch(input, init) {
      const pending = original.apply(this, arguments);
      if (!self.#active) return pending;
      let method = init && init.method;
      let url = input;
      if (typeof Request !== 'undefined' && input instanceof Request) {
        method = method || input.method;
        url = input.url;
      }
      self.#requestStarted();
      pending.then((res) => self.#requestEnded(method, String(url), res.status), (err) => {
        if (!err || err.name !== 'AbortError') self.#requestEnded(method, String(url), 0);
      });
      return pending;
    };
  }

  #wrapXhr() {
    if (typeof XMLHttpRequest === 'undefined') return;
    const self = this;
    const proto = XMLHttpRequest.prototype;
    const open = proto.open;
    const send = proto.send;
    const meta = new WeakMap();
    proto.open = function pagewiseOpen(method, url) {
      meta.set(this, { method, url: String(url) });
      return open.apply(this, arguments);
    };
    proto.send = function pagewiseSend() {
      const m = meta.get(this);
      if (self.#active && m) {
        self.#requestStarted();
        const xhr = this;
        const ended = (status) => () => self.#requestEnded(m.method, m.url, status());
        xhr.addEventListener('load', ended(() => xhr.status), { once: true });
        xhr.addEventListener('error', ended(() => 0), { once: true });
        xhr.addEventListener('timeout', ended(() => 0), { once: true });
      }
      return send.apply(this, arguments);
    };
  }

  // The server learns an error's kind and where it happened, plus a short message; an error's
  // message can quote data, so it is cut short and never taken from non-Error values.
  #errorEvent(e) {
    if (!(e instanceof ErrorEvent)) return; // a resource that failed to load, not a script
    const where = e.filename ? `${bareUrl(e.filename).split('/').pop()}:${e.lineno}` : '';
    this.#jsError(e.error && e.error.name ? e.error.name : 'Error', e.message, where);
  }

  #rejection(e) {
    const r = e.reason;
    if (r instanceof Error) this.#jsError(r.name, r.message, '');
    else this.#jsError('UnhandledRejection', '', '');
  }

  #jsError(name, message, where) {
    if (!this.#active) return;
    this.#push('js_error');
    const detail = {
      name: String(name).slice(0, 40), message: String(message || '').slice(0, 160),
    };
    if (where) detail.source = where.slice(0, 80);
    this.#o.onReport({ kind: 'js_error', detail });
    if (this.#form) this.#settleForm(1);
  }

  // ---- page context ------------------------------------------------------------------------

  // The host's id for the page: data-pw-page on a visible element (apps that keep every view in
  // the document mark each one), '' when none.
  pageId() {
    for (const el of document.querySelectorAll('[data-pw-page]')) {
      if (!this.#own(el) && visible(el)) return el.getAttribute('data-pw-page').trim().slice(0, 64);
    }
    return '';
  }

  // The page as the server's PageContext wants it (no input values, ever): features the page
  // declares on screen, visible error banners, this route's failed requests. plan and page_id
  // are added by the caller. A feature is disabled when its element is (disabled,
  // aria-disabled) or when the host gives a data-pw-disabled-reason.
  page() {
    const features = [];
    const labels = new Map();
    for (const el of document.querySelectorAll('[data-pw-feature]')) {
      if (features.length >= 20) break;
      const name = (el.getAttribute('data-pw-feature') || '').trim().slice(0, 47);
      if (!name || labels.has(name) || this.#own(el) || !visible(el)) continue;
      const reason = (el.getAttribute('data-pw-disabled-reason') || '').trim().slice(0, 64);
      const enabled = !reason && !el.matches(':disabled')
        && el.getAttribute('aria-disabled') !== 'true';
      const f = { feature: name, enabled };
      if (!enabled && reason) f.reason = reason;
      const plan = (el.getAttribute('data-pw-plan-required') || '').trim().toLowerCase();
      if (!enabled && TIERS.includes(plan)) f.plan_required = plan;
      features.push(f);
      labels.set(name, featureLabel(el, name));
    }
    const errors = [];
    for (const el of document.querySelectorAll('[role=alert]')) {
      if (errors.length >= 5) break;
      if (this.#own(el) || el.closest('[data-pw-ignore]') || !visible(el)) continue;
      const text = el.textContent.replace(/\s+/g, ' ').trim().slice(0, 300);
      if (text) errors.push(text);
    }
    const page = {
      url: bareUrl(location.href),
      route: this.#route ? this.#route.route : '/',
      title: document.title.slice(0, 300),
      features,
      errors,
      failed_requests: this.#failed.slice(),
    };
    const pageId = this.pageId();
    if (pageId) page.page_id = pageId;
    if ([...document.querySelectorAll('[data-pw-quiet]')].some(visible)) page.quiet = true;
    Object.defineProperty(page, 'labels', { value: labels }); // for the bubble, never sent
    return page;
  }
}

function alerting(m) {
  const el = elementOf(m.target);
  if (m.type === 'attributes') {
    return !!el && (el.getAttribute('aria-invalid') === 'true' || (el.matches('[role=alert]')
      && !el.hidden && el.textContent.trim() !== ''));
  }
  for (const n of m.addedNodes) {
    if (n.nodeType === 1 && (n.matches('[role=alert],[aria-invalid=true]')
      || n.querySelector('[role=alert],[aria-invalid=true]'))) return true;
    if (n.nodeType === 3 && el && el.closest('[role=alert]')) return true;
  }
  return false;
}

function onIdle(fn) {
  return window.requestIdleCallback ? window.requestIdleCallback(fn, { timeout: 300 })
    : setTimeout(fn, 50);
}

function cancelIdle(id) {
  if (window.cancelIdleCallback) window.cancelIdleCallback(id);
  else clearTimeout(id);
}
