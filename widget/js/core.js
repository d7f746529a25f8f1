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

export class Core {
  #m;

  constructor(module) {
    this.#m = module;
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

  // Runs fn(ptr, byteLength) with `text` as UTF-8 in scratch memory; frees it afterwards.
  // encodeInto writes at most 3 bytes per UTF-16 code unit, so that is the scratch size.
  #withUtf8(text, fn) {
    const cap = Math.max(1, text.length * 3);
    const ptr = this.#m._pw_scratch_alloc_wasm(cap);
    if (!ptr) this.#fail(-2);
    try {
      const { written } = encoder.encodeInto(text, this.#m.HEAPU8.subarray(ptr, ptr + cap));
      return fn(ptr, written);
    } finally {
      this.#m._pw_scratch_free_wasm(ptr);
    }
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
}

// Instantiates the wasm core. `options` go to the emscripten factory: tests under Node pass
// { wasmBinary } because the 3.1.6 loader cannot fetch a file path there.
export async function loadCore(options = {}) {
  return new Core(await createPagewiseCore(options));
}
