/* The shared core, ready for many threads: one loaded model and one policy (immutable, shared
 * read-only), and a pool of analyzers — a classifier and a signal scanner each, the mutable
 * scratch the core's hot paths need — that request threads borrow. `pagewise replay` and the
 * server's pipeline analyse messages through the same two calls, so they decide alike.
 * SPDX-License-Identifier: MIT */
#ifndef PW_ENGINE_H
#define PW_ENGINE_H

#include "../config/policy_config.h"
#include "pw/classify.h"
#include "pw/decide.h"
#include "pw/signals.h"

#include <pthread.h>
#include <stddef.h>

typedef struct pw_analyzer {
    pw_classifier *classifier;
    pw_signal_scanner *scanner;
    struct pw_analyzer *next; /* free list */
} pw_analyzer;

typedef struct pw_engine {
    pw_model *model;         /* owned; never modified while the engine is open */
    pw_policy_config policy; /* owned */
    pthread_mutex_t lock;    /* guards `idle` */
    pw_analyzer *idle;
} pw_engine;

/* Builds an engine that takes ownership of `model` (freed by pw_engine_close, also on failure)
 * and reads the policy file at `policy_path` (NULL: the built-in defaults). Returns 0, or -1
 * with the reason in err. */
int pw_engine_open(pw_engine *e, pw_model *model, const char *policy_path, char *err,
                   size_t err_cap);

/* Borrows an analyzer (creating one when none is idle); NULL when out of memory. Give it back
 * with pw_engine_release. Thread-safe. */
pw_analyzer *pw_engine_acquire(pw_engine *e);
void pw_engine_release(pw_engine *e, pw_analyzer *a);

void pw_engine_close(pw_engine *e);

/* One message and what the core made of it. */
typedef struct pw_analysis {
    pw_prediction prediction;
    pw_signals signals;
    pw_decision decision;
} pw_analysis;

/* Classifies text[0..len) and scans its signals against the earlier messages history[i]
 * (history_lens[i] bytes; only the last PW_SIGNALS_MAX_HISTORY are read). Returns the core's
 * status. */
int pw_analyze(pw_analyzer *a, const char *text, size_t len, const char *const *history,
               const size_t *history_lens, size_t history_count, pw_analysis *out);

/* pw_analyze with each earlier message given by its word set (pw_analyzer_word_set), as a
 * caller that keeps its customers' latest messages has them. When `words` is not NULL the
 * message's own set is copied there too, as pw_analyzer_word_set would make it (for its turn in
 * that history). Returns the core's status, or PW_ENOMEM when the copy cannot be made. */
int pw_analyze_sets(pw_analyzer *a, const char *text, size_t len, const pw_word_set *history,
                    size_t history_count, pw_analysis *out, uint32_t **words, size_t *word_count);

/* The word set of text[0..len) as pw_analyze_sets compares history by: *count words in
 * malloc'd *words (free() them; NULL for none). Returns 0, or -1 when out of memory. */
int pw_analyzer_word_set(pw_analyzer *a, const char *text, size_t len, uint32_t **words,
                         size_t *count);

/* Decides on an analysed message for a customer of `tier` with account flags and page flags
 * (pw_account_flag, pw_page_flag bits). Returns the core's status. */
int pw_analysis_decide(const pw_policy *policy, pw_analysis *a, pw_tier tier,
                       uint32_t account_flags, uint32_t page_flags);

#endif
