/* The model's layout, shared by training, the file reader/writer, prediction and learning.
 * SPDX-License-Identifier: MIT */
#ifndef PW_MODEL_INT_H
#define PW_MODEL_INT_H

#include "features_int.h"
#include "pw/model.h"

#include <stddef.h>
#include <stdint.h>

/* Feature rows a model may have. Below 2^31 by a wide margin: pw__model_vectorize carries a
 * group bit in the top bit of a row index. */
#define PW__MODEL_MAX_ROWS (1u << 24)

typedef struct pw__label {
    uint8_t len;
    char text[PW_MODEL_MAX_LABEL];
} pw__label;

struct pw_model {
    pw_allocator alloc; /* copied at creation; every later allocation goes through it */
    pw__feature_config features;
    uint32_t intents;   /* K */
    int32_t oos_intent; /* -1 = none */
    double temperature; /* probabilities are softmax(scores / temperature) */
    double oos_threshold;
    double learning_rate; /* step size for pw_model_learn */
    uint32_t train_docs;  /* N, for the idf of features first seen online */
    pw__label *labels;    /* [K] */
    float *bias;          /* [K] */
    /* Feature rows: rows in use, rows_cap allocated (the rest are spare for learning). */
    uint32_t rows, rows_cap;
    uint32_t *keys; /* [rows_cap] feature hash of each row */
    float *idf;     /* [rows_cap] */
    float *weights; /* [rows_cap * K], row-major: a feature's K weights are contiguous */
    /* The serving copy: each row quantised to int8 with one scale (weight ~ qscale * q).
     * Prediction reads these, a quarter of the bytes: scoring is bound by memory traffic, not
     * arithmetic. Training and learning update `weights` and requantise what they touch. */
    int8_t *qweights;      /* [rows_cap * K] */
    float *qscale;         /* [rows_cap] */
    uint32_t table_mask;   /* open addressing, power-of-two size >= 2 * rows_cap */
    uint32_t *table;       /* slot -> row + 1, 0 = empty */
    pw__extractor scratch; /* for pw_model_learn */
    float *learn_scores;   /* [K], for pw_model_learn */
    double *learn_probs;   /* [K] */
};

/* Allocates a model with the given shape, all weights zero, no rows in use, labels empty.
 * Returns PW_OK, PW_EINVAL (shape out of range), PW_ENOMEM (nothing allocated). */
int pw__model_alloc(const pw_allocator *a, uint32_t intents, uint32_t rows_cap, pw_model **out);

/* Copies the settings and counters (not the arrays) of `src` into `dst`. */
void pw__model_copy_scalars(pw_model *dst, const pw_model *src);

/* Row of feature `key`, or -1. */
int32_t pw__model_find_row(const pw_model *m, uint32_t key);

/* Appends a row for `key` with weights zero; returns its index, -1 when full or duplicate. */
int32_t pw__model_add_row(pw_model *m, uint32_t key, float idf);

/* Starts loading what serving the n feature hashes will read (their table slots, then their
 * rows' keys, idf, int8 weights and scales) so the misses overlap. Changes no result. */
void pw__model_prefetch_rows(const pw_model *m, const uint32_t *hashes, size_t n);

/* Maps the n extracted features in x to (x->rows, x->values) pairs: unknown features are
 * dropped, each known one weighs its idf, and each group is scaled to unit length. Returns the
 * number of pairs. */
size_t pw__model_vectorize(const pw_model *m, pw__extractor *x, size_t n);

/* scores[k] = bias[k] + sum_i values[i] * weights[rows[i]][k]. */
void pw__model_scores(const pw_model *m, const uint32_t *rows, const float *values, size_t n,
                      float *scores);

/* Index of the largest of scores[0..k), the first on ties. */
uint32_t pw__argmax(const double *v, uint32_t k);

/* Requantises rows [first, first + count) of the serving copy from `weights`. */
void pw__model_quantize_rows(pw_model *m, uint32_t first, uint32_t count);

/* round(w / scale) clamped to [-127, 127]; 0 when scale is 0. Shared with the export. */
int8_t pw__quantize(float w, float scale);

/* Like pw__model_scores, from the int8 serving copy. */
void pw__model_scores_q8(const pw_model *m, const uint32_t *rows, const float *values, size_t n,
                         float *scores);

/* Calibrated probabilities: softmax(scores / temperature) into probs[K]. */
void pw__softmax(const float *scores, uint32_t k, double temperature, double *probs);

/* The idf of a feature seen in `df` of `docs` training examples (smoothed, as scikit-learn). */
float pw__idf(uint32_t docs, uint32_t df);

#endif
