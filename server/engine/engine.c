/* Engine lifetime, the analyzer pool, and the analysis of one message.
 * SPDX-License-Identifier: MIT */
#include "engine.h"

#include "pw/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pw_engine_open(pw_engine *e, pw_model *model, const char *policy_path, char *err,
                   size_t err_cap) {
    memset(e, 0, sizeof *e);
    e->model = model;
    int rc = policy_path ? pw_policy_config_load(policy_path, model, &e->policy, err, err_cap)
                         : pw_policy_config_default(&e->policy);
    if (rc) {
        if (!policy_path)
            snprintf(err, err_cap, "out of memory");
        pw_model_free(model);
        e->model = NULL;
        return -1;
    }
    pthread_mutex_init(&e->lock, NULL);
    return 0;
}

static void analyzer_free(pw_analyzer *a) {
    if (!a)
        return;
    pw_classifier_free(a->classifier);
    pw_signal_scanner_free(a->scanner);
    free(a);
}

static pw_analyzer *analyzer_new(const pw_engine *e) {
    pw_analyzer *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    pw_signals_config sc = pw_policy_config_signals(&e->policy);
    if (pw_classifier_new(e->model, NULL, &a->classifier) != PW_OK ||
        pw_signal_scanner_new(&sc, NULL, &a->scanner) != PW_OK) {
        analyzer_free(a);
        return NULL;
    }
    return a;
}

pw_analyzer *pw_engine_acquire(pw_engine *e) {
    pthread_mutex_lock(&e->lock);
    pw_analyzer *a = e->idle;
    if (a)
        e->idle = a->next;
    pthread_mutex_unlock(&e->lock);
    /* The pool grows to the number of threads that analyse at once, then stays there. */
    return a ? a : analyzer_new(e);
}

void pw_engine_release(pw_engine *e, pw_analyzer *a) {
    if (!a)
        return;
    pthread_mutex_lock(&e->lock);
    a->next = e->idle;
    e->idle = a;
    pthread_mutex_unlock(&e->lock);
}

void pw_engine_close(pw_engine *e) {
    if (!e->model)
        return;
    while (e->idle) {
        pw_analyzer *next = e->idle->next;
        analyzer_free(e->idle);
        e->idle = next;
    }
    pthread_mutex_destroy(&e->lock);
    pw_policy_config_free(&e->policy);
    pw_model_free(e->model);
    e->model = NULL;
}

int pw_analyze(pw_analyzer *a, const char *text, size_t len, const char *const *history,
               const size_t *history_lens, size_t history_count, pw_analysis *out) {
    memset(out, 0, sizeof *out);
    int rc = pw_classify(a->classifier, text, len, &out->prediction);
    size_t first =
        history_count > PW_SIGNALS_MAX_HISTORY ? history_count - PW_SIGNALS_MAX_HISTORY : 0;
    if (rc == PW_OK)
        rc = pw_signals_scan(a->scanner, text, len, history ? history + first : NULL,
                             history_lens ? history_lens + first : NULL, history_count - first,
                             &out->signals);
    return rc;
}

/* A malloc'd copy of a set the scanner handed out (NULL for none). 0, or -1 when out of memory. */
static int copy_set(pw_word_set set, uint32_t **words, size_t *count) {
    *words = NULL;
    *count = 0;
    if (set.count == 0)
        return 0;
    if (!(*words = malloc(set.count * sizeof **words)))
        return -1;
    memcpy(*words, set.words, set.count * sizeof **words);
    *count = set.count;
    return 0;
}

int pw_analyze_sets(pw_analyzer *a, const char *text, size_t len, const pw_word_set *history,
                    size_t history_count, pw_analysis *out, uint32_t **words, size_t *word_count) {
    memset(out, 0, sizeof *out);
    pw_word_set own = {NULL, 0};
    int rc = pw_classify(a->classifier, text, len, &out->prediction);
    if (rc == PW_OK)
        rc = pw_signals_scan_sets(a->scanner, text, len, history, history_count, &out->signals,
                                  words ? &own : NULL);
    if (rc == PW_OK && words && copy_set(own, words, word_count) != 0)
        rc = PW_ENOMEM;
    return rc;
}

int pw_analyzer_word_set(pw_analyzer *a, const char *text, size_t len, uint32_t **words,
                         size_t *count) {
    pw_word_set set;
    *words = NULL;
    *count = 0;
    if (pw_signals_word_set(a->scanner, text, len, &set) != PW_OK)
        return -1;
    return copy_set(set, words, count);
}

int pw_analysis_decide(const pw_policy *policy, pw_analysis *a, pw_tier tier,
                       uint32_t account_flags, uint32_t page_flags) {
    pw_decision_input in = {a->prediction.intent,
                            a->prediction.confidence,
                            a->prediction.out_of_scope,
                            a->signals.sentiment,
                            a->signals.frustration,
                            a->signals.urgency,
                            a->signals.repeat_contact,
                            a->signals.repeated_question,
                            a->signals.high_stakes,
                            tier,
                            account_flags,
                            page_flags};
    return pw_decide(policy, &in, &a->decision);
}
