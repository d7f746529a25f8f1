/* The wasm boundary, C side: shims named <core fn>_wasm that only marshal between JS numbers
 * and the core's signatures. Domain logic never lives here (STYLE.md §4).
 * SPDX-License-Identifier: MIT */
#include "pw/pw.h"
#include "pw/signals.h"

#include <emscripten.h>
#include <stdint.h>
#include <stdlib.h>

/* Same arguments as pw_text_normalize, but the output length comes back as the return value
 * (JS cannot easily read a size_t out-parameter): >= 0 is the full normalised length (which
 * exceeds `cap` when the output did not fit), < 0 a PW_E* code. */
EMSCRIPTEN_KEEPALIVE int pw_text_normalize_wasm(const char *text, int len, char *out, int cap);
int pw_text_normalize_wasm(const char *text, int len, char *out, int cap) {
    if (len < 0 || cap < 0)
        return PW_EINVAL;
    size_t out_len = 0;
    int rc = pw_text_normalize(text, (size_t)len, out, (size_t)cap, &out_len);
    if (rc != PW_OK && rc != PW_ETRUNC)
        return rc;
    return (int)out_len;
}

/* JS needs scratch memory to pass text in; it never calls the C library's allocator directly. */
EMSCRIPTEN_KEEPALIVE void *pw_scratch_alloc_wasm(int size);
void *pw_scratch_alloc_wasm(int size) {
    return size > 0 ? malloc((size_t)size) : NULL;
}

EMSCRIPTEN_KEEPALIVE void pw_scratch_free_wasm(void *ptr);
void pw_scratch_free_wasm(void *ptr) {
    free(ptr);
}

/* Loads a model from bytes JS copied into scratch memory. Returns the model handle (a wasm
 * pointer, > 0) or a PW_E* code (< 0). JS frees the handle with pw_model_free. */
EMSCRIPTEN_KEEPALIVE int pw_model_load_wasm(const void *data, int len);
int pw_model_load_wasm(const void *data, int len) {
    if (len < 0)
        return PW_EINVAL;
    pw_model *m = NULL;
    int rc = pw_model_load(data, (size_t)len, NULL, &m);
    return rc == PW_OK ? (int)(intptr_t)m : rc;
}

/* Creates a classifier for a model handle. Returns the handle (> 0) or a PW_E* code. */
EMSCRIPTEN_KEEPALIVE int pw_classifier_new_wasm(const pw_model *model);
int pw_classifier_new_wasm(const pw_model *model) {
    pw_classifier *c = NULL;
    int rc = pw_classifier_new(model, NULL, &c);
    return rc == PW_OK ? (int)(intptr_t)c : rc;
}

/* The sizes of the structs core.js reads and writes at fixed offsets, so it can check at start
 * that its offsets match this build: 0 pw_prediction, 1 pw_signals, 2 pw_decision_input,
 * 3 pw_decision, 4 pw_policy, 5 pw_event, 6 pw_struggle_signal, 7 pw_struggle_config,
 * 8 pw_page_ctx, 9 pw_nudge_config, 10 pw_nudge_state, 11 pw_nudge; -1 for anything else. */
EMSCRIPTEN_KEEPALIVE int pw_layout_size_wasm(int which);
int pw_layout_size_wasm(int which) {
    switch (which) {
    case 0:
        return (int)sizeof(pw_prediction);
    case 1:
        return (int)sizeof(pw_signals);
    case 2:
        return (int)sizeof(pw_decision_input);
    case 3:
        return (int)sizeof(pw_decision);
    case 4:
        return (int)sizeof(pw_policy);
    case 5:
        return (int)sizeof(pw_event);
    case 6:
        return (int)sizeof(pw_struggle_signal);
    case 7:
        return (int)sizeof(pw_struggle_config);
    case 8:
        return (int)sizeof(pw_page_ctx);
    case 9:
        return (int)sizeof(pw_nudge_config);
    case 10:
        return (int)sizeof(pw_nudge_state);
    case 11:
        return (int)sizeof(pw_nudge);
    default:
        return -1;
    }
}

/* A scanner with the built-in keywords and id patterns (the server's policy file may add
 * more; the server's decision is the one recorded). Returns the handle (> 0) or a PW_E* code. */
EMSCRIPTEN_KEEPALIVE int pw_signal_scanner_new_wasm(void);
int pw_signal_scanner_new_wasm(void) {
    pw_signal_scanner *s = NULL;
    int rc = pw_signal_scanner_new(NULL, NULL, &s);
    return rc == PW_OK ? (int)(intptr_t)s : rc;
}

/* pw_policy_default returns a struct by value, which wasm passes through a hidden pointer JS
 * cannot name: this writes it into caller memory instead. Returns PW_OK or PW_EINVAL. */
EMSCRIPTEN_KEEPALIVE int pw_policy_default_wasm(pw_policy *out);
int pw_policy_default_wasm(pw_policy *out) {
    if (!out)
        return PW_EINVAL;
    *out = pw_policy_default();
    return PW_OK;
}

/* Same arguments as pw_page_route_normalize, with the route's full length as the return value
 * (it exceeds `cap` when the route did not fit), or a PW_E* code (< 0). */
EMSCRIPTEN_KEEPALIVE int pw_page_route_normalize_wasm(const char *path, int len, char *out,
                                                      int cap);
int pw_page_route_normalize_wasm(const char *path, int len, char *out, int cap) {
    if (len < 0 || cap < 0)
        return PW_EINVAL;
    size_t out_len = 0;
    int rc = pw_page_route_normalize(path, (size_t)len, out, (size_t)cap, &out_len);
    if (rc != PW_OK && rc != PW_ETRUNC)
        return rc;
    return (int)out_len;
}

/* Writes the struct pw_struggle_config_default returns into caller memory (see
 * pw_policy_default_wasm). Returns PW_OK or PW_EINVAL. */
EMSCRIPTEN_KEEPALIVE int pw_struggle_config_default_wasm(pw_struggle_config *out);
int pw_struggle_config_default_wasm(pw_struggle_config *out) {
    if (!out)
        return PW_EINVAL;
    *out = pw_struggle_config_default();
    return PW_OK;
}

/* Creates a struggle session (config 0 for the defaults). Returns the handle (> 0) or a PW_E*
 * code; JS frees the handle with pw_struggle_free. */
EMSCRIPTEN_KEEPALIVE int pw_struggle_new_wasm(const pw_struggle_config *config);
int pw_struggle_new_wasm(const pw_struggle_config *config) {
    pw_struggle *s = NULL;
    int rc = pw_struggle_new(config, NULL, &s);
    return rc == PW_OK ? (int)(intptr_t)s : rc;
}

/* Writes the struct pw_nudge_config_default returns into caller memory. */
EMSCRIPTEN_KEEPALIVE int pw_nudge_config_default_wasm(pw_nudge_config *out);
int pw_nudge_config_default_wasm(pw_nudge_config *out) {
    if (!out)
        return PW_EINVAL;
    *out = pw_nudge_config_default();
    return PW_OK;
}
