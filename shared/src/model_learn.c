/* Online changes to a trained model: one labelled example (an agent's resolution) and new
 * intents. Learning is plain SGD on the averaged weights training produced; it touches only
 * the example's feature rows and the bias, so it takes microseconds.
 * SPDX-License-Identifier: MIT */
#include "alloc_int.h"
#include "model_int.h"
#include "pw/status.h"

#include <string.h>

/* Gives features never seen before a spare row, with the idf of a once-seen feature. */
static void add_unknown_rows(pw_model *m, size_t n) {
    float idf = pw__idf(m->train_docs, 1);
    for (size_t i = 0; i < n && m->rows < m->rows_cap; i++)
        if (pw__model_find_row(m, m->scratch.hashes[i]) < 0)
            pw__model_add_row(m, m->scratch.hashes[i], idf);
}

/* One SGD step, then the touched rows' serving copy is requantised. */
static void sgd_step(pw_model *m, size_t n, uint32_t intent) {
    uint32_t K = m->intents;
    const double *p = m->learn_probs;
    float lr = (float)m->learning_rate;
    for (uint32_t k = 0; k < K; k++)
        m->bias[k] -= lr * (float)(p[k] - (k == intent));
    for (size_t i = 0; i < n; i++) {
        float *w = m->weights + (size_t)m->scratch.rows[i] * K;
        float step = lr * m->scratch.values[i];
        for (uint32_t k = 0; k < K; k++)
            w[k] -= step * (float)(p[k] - (k == intent));
        pw__model_quantize_rows(m, m->scratch.rows[i], 1);
    }
}

int pw_model_learn(pw_model *m, const char *text, size_t len, int32_t intent, uint32_t max_steps) {
    if (!m || (!text && len))
        return PW_EINVAL;
    if (intent < 0 || (uint32_t)intent >= m->intents)
        return PW_ERANGE;
    size_t raw = pw__features_extract(&m->scratch, &m->features, text, len);
    add_unknown_rows(m, raw);
    size_t n = pw__model_vectorize(m, &m->scratch, raw);
    int steps = 0;
    do {
        /* The gradient is that of the training loss (temperature 1) on the float weights; the
         * stopping rule uses what a caller would see: the serving copy, calibrated. */
        pw__model_scores(m, m->scratch.rows, m->scratch.values, n, m->learn_scores);
        pw__softmax(m->learn_scores, m->intents, 1.0, m->learn_probs);
        sgd_step(m, n, (uint32_t)intent);
        steps++;
        pw__model_scores_q8(m, m->scratch.rows, m->scratch.values, n, m->learn_scores);
        pw__softmax(m->learn_scores, m->intents, m->temperature, m->learn_probs);
    } while ((uint32_t)steps < max_steps &&
             (pw__argmax(m->learn_probs, m->intents) != (uint32_t)intent ||
              m->learn_probs[intent] < 0.5));
    return steps;
}

static int valid_new_label(const pw_model *m, const char *label, size_t len) {
    return label && len > 0 && len <= PW_MODEL_MAX_LABEL &&
           pw_model_find_intent(m, label, len) == PW_ERANGE;
}

int pw_model_add_intent(pw_model *m, const char *label, size_t len) {
    if (!m || !valid_new_label(m, label, len))
        return PW_EINVAL;
    if (m->intents >= PW_MODEL_MAX_INTENTS)
        return PW_ERANGE;
    /* Build the grown model beside the old one, so failure leaves `m` untouched. */
    pw_model *g;
    int rc = pw__model_alloc(&m->alloc, m->intents + 1, m->rows_cap, &g);
    if (rc != PW_OK)
        return rc == PW_EINVAL ? PW_ERANGE : rc;
    uint32_t K = m->intents;
    float min_bias = m->bias[0];
    for (uint32_t k = 0; k < K; k++) {
        g->labels[k] = m->labels[k];
        g->bias[k] = m->bias[k];
        min_bias = m->bias[k] < min_bias ? m->bias[k] : min_bias;
    }
    /* A new intent starts as the least likely class until examples teach it. */
    g->bias[K] = min_bias;
    g->labels[K].len = (uint8_t)len;
    memcpy(g->labels[K].text, label, len);
    for (uint32_t r = 0; r < m->rows_cap; r++)
        memcpy(g->weights + (size_t)r * (K + 1), m->weights + (size_t)r * K, K * sizeof(float));
    memcpy(g->keys, m->keys, m->rows_cap * sizeof *m->keys);
    memcpy(g->idf, m->idf, m->rows_cap * sizeof *m->idf);
    memcpy(g->table, m->table, ((size_t)m->table_mask + 1) * sizeof *m->table);
    pw__model_copy_scalars(g, m);
    pw__model_quantize_rows(g, 0, g->rows);
    /* Swap contents so the caller's pointer stays valid, then free the old arrays. */
    pw_model old = *m;
    *m = *g;
    *g = old;
    pw_model_free(g);
    return (int)K;
}
