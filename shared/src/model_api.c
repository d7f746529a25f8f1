/* The model's public accessors, cloning, and the two changes a live model accepts: learning
 * one example and gaining an intent.
 * SPDX-License-Identifier: MIT */
#include "alloc_int.h"
#include "model_int.h"
#include "pw/status.h"

#include <string.h>

uint32_t pw_model_intent_count(const pw_model *m) {
    return m ? m->intents : 0;
}

uint32_t pw_model_feature_count(const pw_model *m) {
    return m ? m->rows : 0;
}

uint32_t pw_model_spare_features(const pw_model *m) {
    return m ? m->rows_cap - m->rows : 0;
}

int32_t pw_model_oos_intent(const pw_model *m) {
    return m ? m->oos_intent : -1;
}

double pw_model_temperature(const pw_model *m) {
    return m ? m->temperature : 1.0;
}

double pw_model_oos_threshold(const pw_model *m) {
    return m ? m->oos_threshold : 0.0;
}

int pw_model_set_oos_threshold(pw_model *m, double threshold) {
    if (!m)
        return PW_EINVAL;
    if (!(threshold >= 0.0 && threshold < 1.0))
        return PW_ERANGE;
    m->oos_threshold = threshold;
    return PW_OK;
}

int pw_model_label(const pw_model *m, int32_t intent, char *out, size_t cap) {
    if (!m || (!out && cap))
        return PW_EINVAL;
    if (intent < 0 || (uint32_t)intent >= m->intents)
        return PW_ERANGE;
    const pw__label *l = &m->labels[intent];
    if (l->len > cap)
        return PW_ETRUNC;
    memcpy(out, l->text, l->len);
    return l->len;
}

int pw_model_find_intent(const pw_model *m, const char *label, size_t len) {
    if (!m || (!label && len))
        return PW_EINVAL;
    for (uint32_t k = 0; k < m->intents; k++)
        if (m->labels[k].len == len && memcmp(m->labels[k].text, label, len) == 0)
            return (int)k;
    return PW_ERANGE;
}

void pw__model_copy_scalars(pw_model *dst, const pw_model *src) {
    dst->features = src->features;
    dst->oos_intent = src->oos_intent;
    dst->temperature = src->temperature;
    dst->oos_threshold = src->oos_threshold;
    dst->learning_rate = src->learning_rate;
    dst->train_docs = src->train_docs;
    dst->rows = src->rows;
}

/* Copies every field but the allocations, which the caller has made with the same shape. */
static void copy_contents(pw_model *dst, const pw_model *src) {
    pw__model_copy_scalars(dst, src);
    size_t k = src->intents, cap = src->rows_cap;
    memcpy(dst->labels, src->labels, k * sizeof *src->labels);
    memcpy(dst->bias, src->bias, k * sizeof *src->bias);
    memcpy(dst->keys, src->keys, cap * sizeof *src->keys);
    memcpy(dst->idf, src->idf, cap * sizeof *src->idf);
    memcpy(dst->weights, src->weights, cap * k * sizeof *src->weights);
    memcpy(dst->qweights, src->qweights, cap * k);
    memcpy(dst->qscale, src->qscale, cap * sizeof *src->qscale);
    memcpy(dst->table, src->table, ((size_t)src->table_mask + 1) * sizeof *src->table);
}

int pw_model_clone(const pw_model *m, pw_model **out) {
    if (!m || !out)
        return PW_EINVAL;
    pw_model *c;
    int rc = pw__model_alloc(&m->alloc, m->intents, m->rows_cap, &c);
    if (rc != PW_OK)
        return rc;
    copy_contents(c, m);
    *out = c;
    return PW_OK;
}
