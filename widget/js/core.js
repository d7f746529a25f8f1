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
const LAYOUTS = [PREDICTION, SIGNALS, DECISION_INPUT, DECISION, POLICY];

const TIERS = ['free', 'starter', 'pro', 'enterprise'];
const EVIDENCE_KINDS = ['negative', 'positive', 'intensity', 'urgency', 'repeat', 'stakes'];
const ENTITY_KINDS = ['email', 'order_id', 'amount', 'url'];

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

  // Reads a NUL-terminated static string the core returned (pw_strerror, pw_status_name).
  #cString(ptr) {
    const heap = this.#m.HEAPU8;
    let end = ptr;
    while (heap[end] !== 0) end++;
    return decoder.decode(heap.subarray(ptr, end));
  }

  #fail(code) {
    throw new CoreError(code, this.#cString(this.#m._pw_status_name(code)),
      this.#cString(this.#m._pw_strerror(code)));
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
