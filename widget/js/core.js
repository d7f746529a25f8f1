// The wasm boundary, JS side: the only file that touches wasm memory (STYLE.md §4).
// It turns JS strings into UTF-8 bytes in wasm scratch memory, calls the shims in
// widget/wasm/pw_widget.c, and turns results back into JS values.
// SPDX-License-Identifier: MIT
import createPagewiseCore from './pagewise-core.mjs';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class CoreError extends Error {
  constructor(code, name, message) {
    super(`${name}: ${message}`);
    this.code = code;
  }
}

// Field offsets of the core's result structs on wasm32 (shared/include/pw/*.h). The Core
// constructor checks each size against the build (pw_layout_size_wasm), so drift fails loudly.
const PREDICTION = {
  layout: 0, size: 120, intent: 0, confidence: 8, outOfScope: 16, oosProbability: 24,
  features: 32, topCount: 36, top: 40, topStride: 16, topProbability: 8,
};
const SIGNALS = {
  layout: 1, size: 432, sentiment: 0, frustration: 8, urgency: 16, repeatContact: 24,
  repeatedQuestion: 28, highStakes: 32, evidenceCount: 36, evidence: 40, entityCount: 232,
  entities: 236, stride: 12,
};
const DECISION_INPUT = {
  layout: 2, size: 72, intent: 0, confidence: 8, outOfScope: 16, sentiment: 24, frustration: 32,
  urgency: 40, repeatContact: 48, repeatedQuestion: 52, highStakes: 56, tier: 60,
  accountFlags: 64, pageFlags: 68,
};
const DECISION = { layout: 3, size: 60, lane: 0, priority: 4, reasonCount: 8, reasons: 12 };
const POLICY = { layout: 4, size: 120 };
const EVENT = { layout: 5, size: 40, kind: 0, flags: 4, t: 8, x: 16, y: 24, target: 32, value: 36 };
const DETECTION = {
  layout: 6, size: 32, kind: 0, episode: 4, t: 8, target: 16, route: 20, count: 24, value: 28,
};
// pw_struggle_config: the time windows (f64) then the counts (u32), in header order.
const STRUGGLE_CONFIG = {
  layout: 7, size: 120,
  fields: {
    rageRadiusPx: [0, 'f64'], rageIntervalMs: [8, 'f64'], episodeCalmMs: [16, 'f64'],
    deadWindowMs: [24, 'f64'], deadScrollMs: [32, 'f64'], errorWindowMs: [40, 'f64'],
    repeatWindowMs: [48, 'f64'], loopWindowMs: [56, 'f64'], quickBackMs: [64, 'f64'],
    abandonWindowMs: [72, 'f64'], scoreHalfLifeMs: [80, 'f64'], rageClicks: [88, 'u32'],
    repeatFailures: [92, 'u32'], loopVisits: [96, 'u32'], maxPendingClicks: [100, 'u32'],
    maxActions: [104, 'u32'], maxNavigations: [108, 'u32'], maxQueued: [112, 'u32'],
  },
};
const PAGE = {
  layout: 8, size: 536, route: 0, pageId: 4, plan: 8, errorBanners: 12, failedRequests: 16,
  featureCount: 20, features: 24, stride: 16, maxFeatures: 32,
};
const NUDGE_CONFIG = {
  layout: 9, size: 168,
  fields: {
    cooldownMs: [0, 'f64'], typingQuietMs: [8, 'f64'], deferMaxMs: [16, 'f64'],
    suggestMinScore: [24, 'f64'], maxPerSession: [32, 'u32'],
  },
  quietCount: 36, quietRoutes: 40, maxQuiet: 32,
};
const NUDGE_STATE = { layout: 10, size: 64 };
const NUDGE = {
  layout: 11, size: 40, due: 0, kind: 8, signal: 12, episode: 16, target: 20, route: 24,
  reason: 28, planRequired: 32,
};
const LAYOUTS = [PREDICTION, SIGNALS, DECISION_INPUT, DECISION, POLICY, EVENT, DETECTION,
  STRUGGLE_CONFIG, PAGE, NUDGE_CONFIG, NUDGE_STATE, NUDGE];

const TIERS = ['free', 'starter', 'pro', 'enterprise'];
const EVIDENCE_KINDS = ['negative', 'positive', 'intensity', 'urgency', 'repeat', 'stakes'];
const ENTITY_KINDS = ['email', 'order_id', 'amount', 'url'];
const EVENT_KINDS = ['click', 'response', 'js_error', 'request_failed', 'navigation',
  'form_submit', 'typing', 'visibility'];
const EVENT_FLAGS = ['interactive', 'disabled', 'ignore', 'textSelection', 'stepper',
  'inputTarget'];
// Names JS may give an event's value instead of its number (pw_response_kind, pw_form_result,
// visibility).
const EVENT_VALUES = { mutation: 0, navigation: 1, network: 2, scroll: 3, ok: 0, error: 1,
  hidden: 0, visible: 1 };
const STRUGGLE_KINDS = ['rage_click', 'dead_click', 'error_click', 'disabled_click',
  'repeated_failure', 'page_loop', 'form_abandon'];
const FEATURE_REASONS = ['none', 'plan', 'permission', 'other'];
const NUDGE_KINDS = ['none', 'explain_disabled_feature', 'help_failing_action',
  'suggest_article'];
const DETECTIONS_PER_CALL = 64;

// Reads a NUL-terminated static string the core returned (pw_strerror, pw_status_name).
function cString(m, ptr) {
  const heap = m.HEAPU8;
  let end = ptr;
  while (heap[end] !== 0) end++;
  return decoder.decode(heap.subarray(ptr, end));
}

function coreError(m, code) {
  return new CoreError(code, cString(m, m._pw_status_name(code)), cString(m, m._pw_strerror(code)));
}

// A loaded intent model with its classifier. Free it with free(); a FinalizationRegistry
// frees it too if it is garbage-collected first (a safety net, not the plan).
const modelRegistry = new FinalizationRegistry((release) => release());

export class IntentModel {
  #core;
  #handles;

  constructor(core, handles, labels) {
    this.#core = core;
    this.#handles = handles;
    this.labels = labels;
    modelRegistry.register(this, () => core._release(handles), this);
  }

  // { intent, label, confidence, outOfScope, oosProbability, features, top: [{ label, probability }] }
  classify(text) {
    if (!this.#handles.model) throw new Error('model was freed');
    const r = this.#core._classify(this.#handles, String(text));
    r.label = this.labels[r.intent];
    for (const t of r.top) t.label = this.labels[t.intent];
    return r;
  }

  free() {
    modelRegistry.unregister(this);
    this.#core._release(this.#handles);
  }
}

// Writes `values` ({ camelCaseField: number }) over a config struct JS filled with the defaults.
function writeFields(m, ptr, layout, values, what) {
  for (const [key, value] of Object.entries(values)) {
    const field = layout.fields[key];
    if (!field) throw new Error(`unknown ${what} option ${key}`);
    if (field[1] === 'f64') m.HEAPF64[(ptr + field[0]) >> 3] = value;
    else m.HEAPU32[(ptr + field[0]) >> 2] = value;
  }
}

function named(list, value, what) {
  if (typeof value === 'number') return value;
  const i = list.indexOf(value);
  if (i < 0) throw new Error(`unknown ${what} ${value}`);
  return i;
}

// { kind, t, x, y, target, flags, value } -> pw_event. kind is a name or pw_event_kind; target a
// number or a string (hashed); flags a number or a list of names; value a number or a name
// (EVENT_VALUES); a navigation may give `route` (hashed) instead of value.
function writeEvent(m, p, e, hash) {
  m.HEAPU8.fill(0, p, p + EVENT.size);
  let flags = 0;
  if (typeof e.flags === 'number') flags = e.flags;
  else for (const f of e.flags ?? []) flags |= 1 << named(EVENT_FLAGS, f, 'event flag');
  let value = e.route !== undefined ? hash(e.route) : (e.value ?? 0);
  if (typeof value === 'string') {
    if (!(value in EVENT_VALUES)) throw new Error(`unknown event value ${value}`);
    value = EVENT_VALUES[value];
  }
  m.HEAPU32[(p + EVENT.kind) >> 2] = named(EVENT_KINDS, e.kind, 'event kind');
  m.HEAPU32[(p + EVENT.flags) >> 2] = flags;
  m.HEAPF64[(p + EVENT.t) >> 3] = e.t;
  m.HEAPF64[(p + EVENT.x) >> 3] = e.x ?? 0;
  m.HEAPF64[(p + EVENT.y) >> 3] = e.y ?? 0;
  m.HEAPU32[(p + EVENT.target) >> 2] = hash(e.target ?? 0);
  m.HEAPU32[(p + EVENT.value) >> 2] = value;
}

function readDetection(m, p) {
  const u32 = (off) => m.HEAPU32[(p + off) >> 2];
  return {
    kind: STRUGGLE_KINDS[u32(DETECTION.kind)], episode: u32(DETECTION.episode),
    t: m.HEAPF64[(p + DETECTION.t) >> 3], target: u32(DETECTION.target),
    route: u32(DETECTION.route), count: u32(DETECTION.count), value: u32(DETECTION.value),
  };
}

function writeDetection(m, p, d) {
  m.HEAPU8.fill(0, p, p + DETECTION.size);
  m.HEAPU32[(p + DETECTION.kind) >> 2] = named(STRUGGLE_KINDS, d.kind, 'detection kind');
  m.HEAPU32[(p + DETECTION.episode) >> 2] = d.episode;
  m.HEAPF64[(p + DETECTION.t) >> 3] = d.t ?? 0;
  for (const key of ['target', 'route', 'count', 'value']) {
    m.HEAPU32[(p + DETECTION[key]) >> 2] = d[key] ?? 0;
  }
}

// { route, pageId, plan, errorBanners, failedRequests, features: [{ feature, enabled, reason,
// planRequired }] } -> pw_page_ctx. Routes, page ids and features are hashes or strings
// (hashed; a route string should already be normalised).
function writePage(m, p, page, hash) {
  m.HEAPU8.fill(0, p, p + PAGE.size);
  const features = page.features ?? [];
  if (features.length > PAGE.maxFeatures) throw new Error(`more than ${PAGE.maxFeatures} features`);
  const u32 = (off, v) => { m.HEAPU32[(p + off) >> 2] = v; };
  u32(PAGE.route, hash(page.route ?? 0));
  u32(PAGE.pageId, hash(page.pageId ?? 0));
  u32(PAGE.plan, named(TIERS, page.plan ?? 'free', 'plan'));
  u32(PAGE.errorBanners, page.errorBanners ?? 0);
  u32(PAGE.failedRequests, page.failedRequests ?? 0);
  u32(PAGE.featureCount, features.length);
  features.forEach((f, i) => {
    const at = PAGE.features + i * PAGE.stride;
    u32(at, hash(f.feature));
    u32(at + 4, f.enabled ? 1 : 0);
    u32(at + 8, named(FEATURE_REASONS, f.reason ?? 'none', 'feature reason'));
    u32(at + 12, named(TIERS, f.planRequired ?? 'free', 'plan'));
  });
}

function readNudge(m, p) {
  const u32 = (off) => m.HEAPU32[(p + off) >> 2];
  return {
    kind: NUDGE_KINDS[u32(NUDGE.kind)], signal: STRUGGLE_KINDS[u32(NUDGE.signal)],
    episode: u32(NUDGE.episode), target: u32(NUDGE.target), route: u32(NUDGE.route),
    reason: FEATURE_REASONS[u32(NUDGE.reason)], planRequired: TIERS[u32(NUDGE.planRequired)],
    due: m.HEAPF64[(p + NUDGE.due) >> 3],
  };
}

// Grows h[key], a scratch block of h[`${key}Cap`] records of `size` bytes, to hold `count`.
function growScratch(m, h, key, count, size) {
  if (count <= h[`${key}Cap`]) return;
  const ptr = m._pw_scratch_alloc_wasm(count * size);
  if (!ptr) throw coreError(m, -2);
  if (h[key]) m._pw_scratch_free_wasm(h[key]);
  h[key] = ptr;
  h[`${key}Cap`] = count;
}

const sessionRegistry = new FinalizationRegistry((release) => release());

// A struggle session (pw_struggle): feed it events as they happen, tick it from a timer (dead
// clicks are only known when their window closes), read the score. Free it with free().
export class StruggleSession {
  #m;
  #hash;
  #h; // { session, out, events, eventsCap }

  constructor(m, hash, handles) {
    this.#m = m;
    this.#hash = hash;
    this.#h = handles;
    sessionRegistry.register(this, () => StruggleSession.#release(m, handles), this);
  }

  static #release(m, h) {
    if (!h.session) return;
    m._pw_struggle_free(h.session);
    m._pw_scratch_free_wasm(h.out);
    if (h.events) m._pw_scratch_free_wasm(h.events);
    h.session = 0;
  }

  #live() {
    if (!this.#h.session) throw new Error('struggle session was freed');
    return this.#h;
  }

  // Detections found so far, then whatever the session still queues (a tick that does not
  // move the clock only delivers).
  #collect(count) {
    const m = this.#m;
    const h = this.#h;
    const out = [];
    for (;;) {
      if (count < 0) throw coreError(m, count);
      for (let i = 0; i < count; i++) out.push(readDetection(m, h.out + i * DETECTION.size));
      if (count < DETECTIONS_PER_CALL) return out;
      count = m._pw_struggle_tick(h.session, -Infinity, h.out, DETECTIONS_PER_CALL);
    }
  }

  // events: [{ kind, t, x, y, target, flags, value | route }] in time order -> detections
  // [{ kind, episode, t, target, route, count, value }].
  feed(events) {
    const m = this.#m;
    const h = this.#live();
    growScratch(m, h, 'events', events.length, EVENT.size);
    events.forEach((e, i) => writeEvent(m, h.events + i * EVENT.size, e, this.#hash));
    // One event per call, draining after each: one event never overflows the session's queue
    // (struggle.h), so no detection is lost. An invalid event throws EINVAL; the events before
    // it have been processed.
    const out = [];
    for (let i = 0; i < events.length; i++) {
      out.push(...this.#collect(m._pw_struggle_feed(h.session, h.events + i * EVENT.size, 1,
        h.out, DETECTIONS_PER_CALL)));
    }
    return out;
  }

  tick(now) {
    const h = this.#live();
    return this.#collect(this.#m._pw_struggle_tick(h.session, now, h.out, DETECTIONS_PER_CALL));
  }

  score(now) {
    return this.#m._pw_struggle_score(this.#live().session, now);
  }

  reset() {
    this.#m._pw_struggle_reset(this.#live().session);
  }

  free() {
    sessionRegistry.unregister(this);
    StruggleSession.#release(this.#m, this.#h);
  }
}

// The nudge policy's configuration and state for one page session (pw_nudge_state), kept in wasm
// memory; core.nudge({ state, ... }) decides with it. Free it with free().
export class NudgeState {
  #m;
  #hash;
  #h; // { block, signals, signalsCap }

  constructor(m, hash, handles) {
    this.#m = m;
    this.#hash = hash;
    this.#h = handles;
    sessionRegistry.register(this, () => NudgeState.#release(m, handles), this);
  }

  static #release(m, h) {
    if (!h.block) return;
    m._pw_scratch_free_wasm(h.block);
    if (h.signals) m._pw_scratch_free_wasm(h.signals);
    h.block = 0;
  }

  // The block holds the config, the state, the page and the nudge, in that order.
  static blockSize() {
    return NUDGE_CONFIG.size + NUDGE_STATE.size + PAGE.size + NUDGE.size;
  }

  #live() {
    if (!this.#h.block) throw new Error('nudge state was freed');
    return this.#h;
  }

  // For core.nudge.
  _decide(page, signals, now, lastTyping, score) {
    const m = this.#m;
    const h = this.#live();
    growScratch(m, h, 'signals', signals.length, DETECTION.size);
    signals.forEach((d, i) => writeDetection(m, h.signals + i * DETECTION.size, d));
    const config = h.block;
    const state = config + NUDGE_CONFIG.size;
    const pagePtr = state + NUDGE_STATE.size;
    const out = pagePtr + PAGE.size;
    writePage(m, pagePtr, page, this.#hash);
    const rc = m._pw_nudge_decide(config, state, pagePtr, h.signals, signals.length, now,
      lastTyping, score, out);
    if (rc < 0) throw coreError(m, rc);
    return rc === 1 ? readNudge(m, out) : null;
  }

  // Forgets what was shown and seen (a new page session).
  reset() {
    this.#m._pw_nudge_state_init(this.#live().block + NUDGE_CONFIG.size);
  }

  free() {
    sessionRegistry.unregister(this);
    NudgeState.#release(this.#m, this.#h);
  }
}

export class Core {
  #m;

  constructor(module) {
    this.#m = module;
    for (const l of LAYOUTS) {
      if (module._pw_layout_size_wasm(l.layout) !== l.size) {
        throw new Error(`core struct ${l.layout} changed size: update the offsets in core.js`);
      }
    }
  }

  #scratch = null; // one block for the signal, decision and policy structs, made on first use

  #structs() {
    if (!this.#scratch) {
      const m = this.#m;
      const size = SIGNALS.size + DECISION_INPUT.size + DECISION.size + POLICY.size;
      const base = m._pw_scratch_alloc_wasm(size);
      if (!base) this.#fail(-2);
      this.#scratch = {
        signals: base, input: base + SIGNALS.size,
        decision: base + SIGNALS.size + DECISION_INPUT.size,
        policy: base + SIGNALS.size + DECISION_INPUT.size + DECISION.size,
      };
      m._pw_policy_default_wasm(this.#scratch.policy);
      this.#scanner = m._pw_signal_scanner_new_wasm();
      if (this.#scanner < 0) this.#fail(this.#scanner);
    }
    return this.#scratch;
  }

  #scanner = 0;

  // Signals of `text` given the conversation's earlier messages (pw_signals_scan, with the
  // built-in keywords). Evidence ranges are in the normalised text, entity ranges in UTF-8
  // bytes of `text`.
  signals(text, history = []) {
    const m = this.#m;
    const s = this.#structs();
    // History goes in one block: the texts, then the pointer and length arrays.
    const encoded = history.map((h) => encoder.encode(String(h)));
    const bytes = encoded.reduce((n, e) => n + e.length, 0) + 8 * encoded.length;
    const block = m._pw_scratch_alloc_wasm(Math.max(1, bytes));
    if (!block) this.#fail(-2);
    try {
      let at = block + 8 * encoded.length;
      encoded.forEach((e, i) => {
        m.HEAPU8.set(e, at);
        m.HEAP32[(block >> 2) + i] = at;
        m.HEAP32[(block >> 2) + encoded.length + i] = e.length;
        at += e.length;
      });
      const rc = this.#withUtf8(String(text), (ptr, len) => m._pw_signals_scan(this.#scanner, ptr,
        len, block, block + 4 * encoded.length, encoded.length, s.signals));
      if (rc < 0) this.#fail(rc);
    } finally {
      m._pw_scratch_free_wasm(block);
    }
    return this.#readSignals(s.signals);
  }

  #readSignals(p) {
    const m = this.#m;
    const f64 = (off) => m.HEAPF64[(p + off) >> 3];
    const u32 = (off) => m.HEAPU32[(p + off) >> 2];
    const ranges = (count, at, kinds) => Array.from({ length: u32(count) }, (_, i) => ({
      start: u32(at + i * SIGNALS.stride), length: u32(at + i * SIGNALS.stride + 4),
      kind: kinds[u32(at + i * SIGNALS.stride + 8)],
    }));
    return {
      sentiment: f64(SIGNALS.sentiment), frustration: f64(SIGNALS.frustration),
      urgency: f64(SIGNALS.urgency), repeatContact: u32(SIGNALS.repeatContact) !== 0,
      repeatedQuestion: u32(SIGNALS.repeatedQuestion) !== 0, highStakes: u32(SIGNALS.highStakes),
      evidence: ranges(SIGNALS.evidenceCount, SIGNALS.evidence, EVIDENCE_KINDS),
      entities: ranges(SIGNALS.entityCount, SIGNALS.entities, ENTITY_KINDS),
    };
  }

  // The default policy's decision (pw_decide) for a classification, its signals and the
  // customer: { lane, priority, reasons }. The server's decision, with its policy file, is
  // the one recorded; this one lets the widget act at once.
  decide({ intent, confidence, outOfScope = false, signals, tier = 'free', accountFlags = 0,
    pageFlags = 0 }) {
    const m = this.#m;
    const s = this.#structs();
    const p = s.input;
    const tierIndex = TIERS.indexOf(tier);
    if (tierIndex < 0) throw new Error(`unknown tier ${tier}`);
    m.HEAPU8.fill(0, p, p + DECISION_INPUT.size);
    m.HEAP32[(p + DECISION_INPUT.intent) >> 2] = intent;
    m.HEAPF64[(p + DECISION_INPUT.confidence) >> 3] = confidence;
    m.HEAP32[(p + DECISION_INPUT.outOfScope) >> 2] = outOfScope ? 1 : 0;
    m.HEAPF64[(p + DECISION_INPUT.sentiment) >> 3] = signals.sentiment;
    m.HEAPF64[(p + DECISION_INPUT.frustration) >> 3] = signals.frustration;
    m.HEAPF64[(p + DECISION_INPUT.urgency) >> 3] = signals.urgency;
    m.HEAP32[(p + DECISION_INPUT.repeatContact) >> 2] = signals.repeatContact ? 1 : 0;
    m.HEAP32[(p + DECISION_INPUT.repeatedQuestion) >> 2] = signals.repeatedQuestion ? 1 : 0;
    m.HEAPU32[(p + DECISION_INPUT.highStakes) >> 2] = signals.highStakes;
    m.HEAP32[(p + DECISION_INPUT.tier) >> 2] = tierIndex;
    m.HEAPU32[(p + DECISION_INPUT.accountFlags) >> 2] = accountFlags;
    m.HEAPU32[(p + DECISION_INPUT.pageFlags) >> 2] = pageFlags;
    const rc = m._pw_decide(s.policy, p, s.decision);
    if (rc < 0) this.#fail(rc);
    const d = s.decision;
    const count = m.HEAPU32[(d + DECISION.reasonCount) >> 2];
    const reasons = [];
    for (let i = 0; i < count; i++) {
      reasons.push(this.#cString(m._pw_reason_name(m.HEAP32[(d + DECISION.reasons) / 4 + i])));
    }
    return {
      lane: this.#cString(m._pw_lane_name(m.HEAP32[(d + DECISION.lane) >> 2])),
      priority: m.HEAPU32[(d + DECISION.priority) >> 2], reasons,
    };
  }

  #cString(ptr) {
    return cString(this.#m, ptr);
  }

  #fail(code) {
    throw coreError(this.#m, code);
  }

  // One scratch buffer for text, grown on demand and kept: allocating per call cost more than
  // the classification itself.
  #textPtr = 0;
  #textCap = 0;

  // Runs fn(ptr, byteLength) with `text` as UTF-8 in scratch memory. encodeInto writes at most
  // 3 bytes per UTF-16 code unit, so that is the size needed.
  #withUtf8(text, fn) {
    const need = Math.max(1, text.length * 3);
    if (need > this.#textCap) {
      if (this.#textPtr) this.#m._pw_scratch_free_wasm(this.#textPtr);
      const cap = Math.max(need, 1024);
      this.#textPtr = this.#m._pw_scratch_alloc_wasm(cap);
      this.#textCap = this.#textPtr ? cap : 0;
      if (!this.#textPtr) this.#fail(-2);
    }
    const view = this.#m.HEAPU8.subarray(this.#textPtr, this.#textPtr + need);
    const { written } = encoder.encodeInto(text, view);
    return fn(this.#textPtr, written);
  }

  // The core's normalised form of `text` (see pw_text_normalize in shared/include/pw/text.h).
  normalize(text) {
    return this.#withUtf8(String(text), (inPtr, inLen) => {
      // The core guarantees output <= 3 * input bytes, so one call always fits.
      const cap = Math.max(1, inLen * 3);
      const outPtr = this.#m._pw_scratch_alloc_wasm(cap);
      if (!outPtr) this.#fail(-2);
      try {
        const n = this.#m._pw_text_normalize_wasm(inPtr, inLen, outPtr, cap);
        if (n < 0) this.#fail(n);
        return decoder.decode(this.#m.HEAPU8.subarray(outPtr, outPtr + n));
      } finally {
        this.#m._pw_scratch_free_wasm(outPtr);
      }
    });
  }

  statusName(code) {
    return this.#cString(this.#m._pw_status_name(code));
  }

  // pw_page_hash of a string's UTF-8 bytes (numbers pass through as u32): route, feature, page
  // id and target hashes, the same as the server computes.
  pageHash(value) {
    if (typeof value === 'number') return value >>> 0;
    return this.#withUtf8(String(value), (ptr, len) => this.#m._pw_page_hash(ptr, len) >>> 0);
  }

  // { route: '/projects/:id/export', hash } for a path or URL (pw_page_route_normalize).
  normalizeRoute(path) {
    const m = this.#m;
    return this.#withUtf8(String(path), (inPtr, inLen) => {
      const cap = 2 * inLen + 2; // the header's bound: one call always fits
      const outPtr = m._pw_scratch_alloc_wasm(cap);
      if (!outPtr) this.#fail(-2);
      try {
        const n = m._pw_page_route_normalize_wasm(inPtr, inLen, outPtr, cap);
        if (n < 0) this.#fail(n);
        const route = decoder.decode(m.HEAPU8.subarray(outPtr, outPtr + n));
        return { route, hash: m._pw_page_hash(outPtr, n) >>> 0 };
      } finally {
        m._pw_scratch_free_wasm(outPtr);
      }
    });
  }

  // pw_page_flag bits of a page (as nudge() takes it), for decide({ pageFlags }).
  pageFlags(page) {
    const m = this.#m;
    const ptr = m._pw_scratch_alloc_wasm(PAGE.size);
    if (!ptr) this.#fail(-2);
    try {
      writePage(m, ptr, page, (v) => this.pageHash(v));
      const invalid = m._pw_page_check(ptr);
      if (invalid) throw new Error(`invalid page: ${this.#cString(invalid)}`);
      return m._pw_page_flags(ptr);
    } finally {
      m._pw_scratch_free_wasm(ptr);
    }
  }

  // A struggle session; `config` overrides defaults by camelCase name ({ rageClicks: 4 }).
  struggle(config = {}) {
    const m = this.#m;
    const cfg = m._pw_scratch_alloc_wasm(STRUGGLE_CONFIG.size);
    const out = m._pw_scratch_alloc_wasm(DETECTIONS_PER_CALL * DETECTION.size);
    let session = -2;
    try {
      if (cfg && out) {
        m._pw_struggle_config_default_wasm(cfg);
        writeFields(m, cfg, STRUGGLE_CONFIG, config, 'struggle');
        const invalid = m._pw_struggle_config_check(cfg);
        if (invalid) throw new Error(`invalid struggle option: ${this.#cString(invalid)}`);
        session = m._pw_struggle_new_wasm(cfg);
      }
    } finally {
      if (cfg) m._pw_scratch_free_wasm(cfg);
      if (session < 0 && out) m._pw_scratch_free_wasm(out);
    }
    if (session < 0) this.#fail(session);
    return new StruggleSession(m, (v) => this.pageHash(v), { session, out, events: 0, eventsCap: 0 });
  }

  // A nudge state with its configuration: defaults overridden by camelCase name
  // ({ cooldownMs, typingQuietMs, deferMaxMs, suggestMinScore, maxPerSession, quietRoutes }).
  nudgeState(config = {}) {
    const m = this.#m;
    const { quietRoutes = [], ...fields } = config;
    if (quietRoutes.length > NUDGE_CONFIG.maxQuiet) throw new Error('too many quiet routes');
    const block = m._pw_scratch_alloc_wasm(NudgeState.blockSize());
    if (!block) this.#fail(-2);
    try {
      m._pw_nudge_config_default_wasm(block);
      writeFields(m, block, NUDGE_CONFIG, fields, 'nudge');
      m.HEAPU32[(block + NUDGE_CONFIG.quietCount) >> 2] = quietRoutes.length;
      quietRoutes.forEach((r, i) => {
        m.HEAPU32[(block + NUDGE_CONFIG.quietRoutes + 4 * i) >> 2] = this.pageHash(r);
      });
      const invalid = m._pw_nudge_config_check(block);
      if (invalid) throw new Error(`invalid nudge option: ${this.#cString(invalid)}`);
      m._pw_nudge_state_init(block + NUDGE_CONFIG.size);
    } catch (err) {
      m._pw_scratch_free_wasm(block);
      throw err;
    }
    return new NudgeState(m, (v) => this.pageHash(v), { block, signals: 0, signalsCap: 0 });
  }

  // pw_nudge_decide: the nudge due now, { kind, signal, episode, target, route, reason,
  // planRequired, due } (enum names, hashes as numbers), or null. `signals` are the detections
  // a StruggleSession returned since the last call; `page` as pageFlags takes it; `lastTyping`
  // the latest typing time (-Infinity when none); `score` the session's score now.
  nudge({ state, page, signals = [], now, lastTyping = -Infinity, score = 0 }) {
    if (!(state instanceof NudgeState)) throw new Error('nudge needs a state from nudgeState()');
    return state._decide(page, signals, now, lastTyping, score);
  }

  // Loads a model file (Uint8Array, as `pagewise export` writes it) and returns an IntentModel.
  loadModel(bytes) {
    const m = this.#m;
    const ptr = m._pw_scratch_alloc_wasm(Math.max(1, bytes.length));
    if (!ptr) this.#fail(-2);
    let model;
    try {
      m.HEAPU8.set(bytes, ptr);
      model = m._pw_model_load_wasm(ptr, bytes.length);
    } finally {
      m._pw_scratch_free_wasm(ptr);
    }
    if (model < 0) this.#fail(model);
    const classifier = m._pw_classifier_new_wasm(model);
    const prediction = m._pw_scratch_alloc_wasm(PREDICTION.size);
    if (classifier < 0 || !prediction) {
      if (classifier > 0) m._pw_classifier_free(classifier);
      m._pw_model_free(model);
      this.#fail(classifier < 0 ? classifier : -2);
    }
    return new IntentModel(this, { model, classifier, prediction }, this.#labels(model));
  }

  #labels(model) {
    const m = this.#m;
    const count = m._pw_model_intent_count(model);
    const buf = m._pw_scratch_alloc_wasm(64);
    const labels = [];
    for (let k = 0; k < count; k++) {
      const n = m._pw_model_label(model, k, buf, 64);
      labels.push(decoder.decode(m.HEAPU8.subarray(buf, buf + n)));
    }
    m._pw_scratch_free_wasm(buf);
    return labels;
  }

  _classify(handles, text) {
    const m = this.#m;
    const rc = this.#withUtf8(text, (ptr, len) => m._pw_classify(handles.classifier, ptr, len,
      handles.prediction));
    if (rc < 0) this.#fail(rc);
    const p = handles.prediction;
    const i32 = (off) => m.HEAP32[(p + off) >> 2];
    const f64 = (off) => m.HEAPF64[(p + off) >> 3];
    const top = [];
    for (let t = 0; t < i32(PREDICTION.topCount); t++) {
      const at = PREDICTION.top + t * PREDICTION.topStride;
      top.push({ intent: i32(at), probability: f64(at + PREDICTION.topProbability) });
    }
    return {
      intent: i32(PREDICTION.intent), confidence: f64(PREDICTION.confidence),
      outOfScope: i32(PREDICTION.outOfScope) !== 0, oosProbability: f64(PREDICTION.oosProbability),
      features: i32(PREDICTION.features), top,
    };
  }

  _release(handles) {
    if (!handles.model) return;
    this.#m._pw_classifier_free(handles.classifier);
    this.#m._pw_model_free(handles.model);
    this.#m._pw_scratch_free_wasm(handles.prediction);
    handles.model = 0;
  }
}

// Instantiates the wasm core. `options` go to the emscripten factory: tests under Node pass
// { wasmBinary } because the 3.1.6 loader cannot fetch a file path there.
export async function loadCore(options = {}) {
  return new Core(await createPagewiseCore(options));
}
