/* The model object: allocation, the feature table, vectorising and scoring, accessors, clone.
 * SPDX-License-Identifier: MIT */
#include "model_int.h"
#include "alloc_int.h"
#include "mathx_int.h"
#include "pw/status.h"

#include <math.h>
#include <string.h>

static uint32_t table_size_for(uint32_t rows_cap) {
    uint32_t size = 16;
    while (size < 2u * rows_cap)
        size *= 2;
    return size;
}

static void model_free_arrays(pw_model *m) {
    const pw_allocator *a = &m->alloc;
    pw__free(a, m->labels, (size_t)m->intents * sizeof *m->labels);
    pw__free(a, m->bias, (size_t)m->intents * sizeof *m->bias);
    pw__free(a, m->keys, (size_t)m->rows_cap * sizeof *m->keys);
    pw__free(a, m->idf, (size_t)m->rows_cap * sizeof *m->idf);
    pw__free(a, m->weights, (size_t)m->rows_cap * m->intents * sizeof *m->weights);
    pw__free(a, m->qweights, (size_t)m->rows_cap * m->intents);
    pw__free(a, m->qscale, (size_t)m->rows_cap * sizeof *m->qscale);
    pw__free(a, m->table, ((size_t)m->table_mask + 1) * sizeof *m->table);
    pw__extractor_free(&m->scratch, a);
    pw__free(a, m->learn_scores, (size_t)m->intents * sizeof *m->learn_scores);
    pw__free(a, m->learn_probs, (size_t)m->intents * sizeof *m->learn_probs);
}

int pw__model_alloc(const pw_allocator *a, uint32_t intents, uint32_t rows_cap, pw_model **out) {
    if (intents < 2 || intents > PW_MODEL_MAX_INTENTS || rows_cap > PW__MODEL_MAX_ROWS)
        return PW_EINVAL;
    if ((uint64_t)rows_cap * intents * sizeof(float) > SIZE_MAX)
        return PW_ENOMEM;
    pw_model *m = pw__calloc(a, 1, sizeof *m);
    if (!m)
        return PW_ENOMEM;
    if (a)
        m->alloc = *a;
    m->intents = intents;
    m->rows_cap = rows_cap;
    m->oos_intent = -1;
    m->temperature = 1.0;
    m->table_mask = table_size_for(rows_cap) - 1;
    m->labels = pw__calloc(&m->alloc, intents, sizeof *m->labels);
    m->bias = pw__calloc(&m->alloc, intents, sizeof *m->bias);
    m->keys = pw__calloc(&m->alloc, rows_cap ? rows_cap : 1, sizeof *m->keys);
    m->idf = pw__calloc(&m->alloc, rows_cap ? rows_cap : 1, sizeof *m->idf);
    m->weights = pw__calloc(&m->alloc, (size_t)(rows_cap ? rows_cap : 1) * intents, sizeof(float));
    m->qweights = pw__calloc(&m->alloc, (size_t)(rows_cap ? rows_cap : 1) * intents, 1);
    m->qscale = pw__calloc(&m->alloc, rows_cap ? rows_cap : 1, sizeof *m->qscale);
    m->table = pw__calloc(&m->alloc, (size_t)m->table_mask + 1, sizeof *m->table);
    m->learn_scores = pw__calloc(&m->alloc, intents, sizeof *m->learn_scores);
    m->learn_probs = pw__calloc(&m->alloc, intents, sizeof *m->learn_probs);
    int scratch = pw__extractor_init(&m->scratch, &m->alloc);
    if (!m->labels || !m->bias || !m->keys || !m->idf || !m->weights || !m->qweights ||
        !m->qscale || !m->table || !m->learn_scores || !m->learn_probs || scratch) {
        pw_model_free(m);
        return PW_ENOMEM;
    }
    *out = m;
    return PW_OK;
}

void pw_model_free(pw_model *m) {
    if (!m)
        return;
    pw_allocator a = m->alloc;
    model_free_arrays(m);
    pw__free(&a, m, sizeof *m);
}

/* Fibonacci hashing spreads the feature hashes (already uniform) over the table cheaply. */
static uint32_t slot_of(const pw_model *m, uint32_t key) {
    return (key * 0x9E3779B1u) & m->table_mask;
}

int32_t pw__model_find_row(const pw_model *m, uint32_t key) {
    for (uint32_t s = slot_of(m, key);; s = (s + 1) & m->table_mask) {
        uint32_t r = m->table[s];
        if (r == 0)
            return -1;
        if (m->keys[r - 1] == key)
            return (int32_t)(r - 1);
    }
}

/* A hint, not a load: nothing where the compiler has no prefetch (WebAssembly has none). */
#if defined(__GNUC__) && !defined(__wasm__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

/* On a busy server another request's thread ran since this model's rows were last read, and a
 * classification waited on its cache misses one after another: the slot, then the row's key and
 * idf, then its weights, for every feature (4 µs hot, 30 µs with the caches cleared, on the
 * benchmark machine). Two passes of hints first let those misses overlap. */
void pw__model_prefetch_rows(const pw_model *m, const uint32_t *hashes, size_t n) {
    for (size_t i = 0; i < n; i++)
        PREFETCH(&m->table[slot_of(m, hashes[i])]);
    size_t K = m->intents;
    for (size_t i = 0; i < n; i++) {
        uint32_t r = m->table[slot_of(m, hashes[i])];
        if (r-- == 0)
            continue;
        PREFETCH(&m->keys[r]);
        PREFETCH(&m->idf[r]);
        PREFETCH(&m->qscale[r]);
        PREFETCH(m->qweights + r * K);
        PREFETCH(m->qweights + r * K + K - 1);
    }
}

int32_t pw__model_add_row(pw_model *m, uint32_t key, float idf) {
    if (m->rows >= m->rows_cap)
        return -1;
    uint32_t s = slot_of(m, key);
    for (; m->table[s] != 0; s = (s + 1) & m->table_mask)
        if (m->keys[m->table[s] - 1] == key)
            return -1;
    uint32_t row = m->rows++;
    m->keys[row] = key;
    m->idf[row] = idf;
    m->table[s] = row + 1;
    return (int32_t)row;
}

float pw__idf(uint32_t docs, uint32_t df) {
    return (float)(pw__log((1.0 + docs) / (1.0 + df)) + 1.0);
}

size_t pw__model_vectorize(const pw_model *m, pw__extractor *x, size_t n) {
    uint32_t *rows = x->rows;
    float *values = x->values;
    double norm2[2] = {0.0, 0.0};
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t r = pw__model_find_row(m, x->hashes[i]);
        if (r < 0)
            continue;
        /* Rows are below PW__MODEL_MAX_ROWS, so the top bit carries the group until the
         * scaling pass below. */
        rows[k] = (uint32_t)r | (uint32_t)x->groups[i] << 31;
        values[k] = m->idf[r];
        norm2[x->groups[i]] += (double)values[k] * values[k];
        k++;
    }
    double scale[2] = {norm2[0] > 0 ? 1.0 / sqrt(norm2[0]) : 0.0,
                       norm2[1] > 0 ? 1.0 / sqrt(norm2[1]) : 0.0};
    for (size_t j = 0; j < k; j++) {
        uint32_t group = rows[j] >> 31;
        rows[j] &= 0x7FFFFFFFu;
        values[j] = (float)(values[j] * scale[group]);
    }
    return k;
}

void pw__model_scores(const pw_model *m, const uint32_t *rows, const float *values, size_t n,
                      float *scores) {
    uint32_t K = m->intents;
    memcpy(scores, m->bias, K * sizeof *scores);
    for (size_t i = 0; i < n; i++) {
        const float *restrict w = m->weights + (size_t)rows[i] * K;
        float *restrict s = scores;
        float v = values[i];
        for (uint32_t k = 0; k < K; k++)
            s[k] += v * w[k];
    }
}

uint32_t pw__argmax(const double *v, uint32_t k) {
    uint32_t best = 0;
    for (uint32_t i = 1; i < k; i++)
        if (v[i] > v[best])
            best = i;
    return best;
}

void pw__model_quantize_rows(pw_model *m, uint32_t first, uint32_t count) {
    uint32_t K = m->intents;
    for (uint32_t r = first; r < first + count; r++) {
        const float *w = m->weights + (size_t)r * K;
        int8_t *q = m->qweights + (size_t)r * K;
        float max = 0.0f;
        for (uint32_t k = 0; k < K; k++)
            max = fabsf(w[k]) > max ? fabsf(w[k]) : max;
        float scale = max / 127.0f;
        m->qscale[r] = scale;
        for (uint32_t k = 0; k < K; k++)
            q[k] = pw__quantize(w[k], scale);
    }
}

int8_t pw__quantize(float w, float scale) {
    float q = scale > 0 ? w / scale : 0.0f;
    q = q < -127.0f ? -127.0f : q > 127.0f ? 127.0f : q;
    return (int8_t)(q < 0 ? q - 0.5f : q + 0.5f);
}

void pw__model_scores_q8(const pw_model *m, const uint32_t *rows, const float *values, size_t n,
                         float *scores) {
    uint32_t K = m->intents;
    memcpy(scores, m->bias, K * sizeof *scores);
    for (size_t i = 0; i < n; i++) {
        const int8_t *restrict q = m->qweights + (size_t)rows[i] * K;
        float *restrict s = scores;
        float v = values[i] * m->qscale[rows[i]];
        for (uint32_t k = 0; k < K; k++)
            s[k] += v * (float)q[k];
    }
}

void pw__softmax(const float *scores, uint32_t k, double temperature, double *probs) {
    double max = scores[0];
    for (uint32_t i = 1; i < k; i++)
        if (scores[i] > max)
            max = scores[i];
    double sum = 0.0;
    for (uint32_t i = 0; i < k; i++) {
        /* e^-30 is below 1e-13: such a class cannot move a probability printed to 1e-9, so
         * skip the exp (most classes of a confident prediction land here). */
        double z = (scores[i] - max) / temperature;
        probs[i] = z < -30.0 ? 0.0 : pw__exp(z);
        sum += probs[i];
    }
    for (uint32_t i = 0; i < k; i++)
        probs[i] /= sum;
}
