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

// Field offsets of pw_prediction (shared/include/pw/classify.h) on wasm32. The constructor
// checks the size against the build (pw_layout_prediction_size_wasm), so drift fails loudly.
const PREDICTION = {
  size: 120, intent: 0, confidence: 8, outOfScope: 16, oosProbability: 24, features: 32,
  topCount: 36, top: 40, topStride: 16, topProbability: 8,
};

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
    if (module._pw_layout_prediction_size_wasm() !== PREDICTION.size) {
      throw new Error('pw_prediction layout changed: update PREDICTION in core.js');
    }
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
