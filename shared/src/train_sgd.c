/* The optimiser: AdaGrad (Duchi, Hazan and Singer 2011) on the multinomial logistic loss,
 * with Polyak-Ruppert averaging of the iterates. Averaging is kept exact and sparse with the
 * identity  avg_T = w_T + (1/T) * sum_t (t-1) * step_t : each update adds (t-1)*step to an
 * accumulator U for the weights it touches, and the average is formed once at the end.
 * SPDX-License-Identifier: MIT */
#include "alloc_int.h"
#include "rng_int.h"
#include "train_int.h"
#include "pw/status.h"

#include <math.h>
#include <string.h>

/* AdaGrad's starting accumulator (TensorFlow's default): a feature's first, possibly tiny,
 * gradient then moves it by a small step instead of a full learning-rate step. */
#define ADAGRAD_INIT 0.1f

typedef struct sgd {
    float *g2, *acc; /* per weight: squared-gradient sum, averaging accumulator */
    float *bias_g2, *bias_acc;
    float *scores, *grad; /* [K] */
    double *probs;        /* [K] */
    float lr, tm1;        /* learning rate; t - 1 for the current update */
    /* Feature dropout (Wager, Wang and Liang 2013): each step sees a random subset of the
     * example's features, scaled up to keep the expected input. */
    uint32_t keep_below; /* keep a feature when a random u32 is below this */
    float keep_scale;    /* 1 / (1 - dropout) */
    uint32_t *drop_rows; /* [max features of an example] */
    float *drop_values;
    size_t drop_cap;
    pw__rng rng;
} sgd;

static size_t max_example_features(const pw__dataset *d) {
    size_t max = 1;
    for (size_t i = 0; i < d->n; i++)
        max = d->off[i + 1] - d->off[i] > max ? d->off[i + 1] - d->off[i] : max;
    return max;
}

static int sgd_init(sgd *s, const pw_model *m, const pw__dataset *d, const pw_train_options *opt) {
    const pw_allocator *a = &m->alloc;
    size_t K = m->intents, weights = (size_t)m->rows_cap * K;
    memset(s, 0, sizeof *s);
    s->drop_cap = max_example_features(d);
    s->drop_rows = pw__alloc(a, s->drop_cap * sizeof *s->drop_rows);
    s->drop_values = pw__alloc(a, s->drop_cap * sizeof *s->drop_values);
    s->keep_below = (uint32_t)((1.0 - opt->feature_dropout) * 4294967295.0);
    s->keep_scale = (float)(1.0 / (1.0 - opt->feature_dropout));
    pw__rng_seed(&s->rng, (uint64_t)opt->seed * 0x9E3779B97F4A7C15ull + 1);
    s->g2 = pw__alloc(a, weights * sizeof(float));
    s->acc = pw__calloc(a, weights, sizeof(float));
    s->bias_g2 = pw__alloc(a, K * sizeof(float));
    s->bias_acc = pw__calloc(a, K, sizeof(float));
    s->scores = pw__calloc(a, K, sizeof(float));
    s->grad = pw__calloc(a, K, sizeof(float));
    s->probs = pw__calloc(a, K, sizeof(double));
    if (!s->g2 || !s->acc || !s->bias_g2 || !s->bias_acc || !s->scores || !s->grad || !s->probs ||
        !s->drop_rows || !s->drop_values)
        return PW_ENOMEM;
    for (size_t i = 0; i < weights; i++)
        s->g2[i] = ADAGRAD_INIT;
    for (size_t k = 0; k < K; k++)
        s->bias_g2[k] = ADAGRAD_INIT;
    s->lr = (float)opt->learning_rate;
    return PW_OK;
}

static void sgd_free(sgd *s, const pw_model *m) {
    const pw_allocator *a = &m->alloc;
    size_t K = m->intents, weights = (size_t)m->rows_cap * K;
    pw__free(a, s->g2, weights * sizeof(float));
    pw__free(a, s->acc, weights * sizeof(float));
    pw__free(a, s->bias_g2, K * sizeof(float));
    pw__free(a, s->bias_acc, K * sizeof(float));
    pw__free(a, s->scores, K * sizeof(float));
    pw__free(a, s->grad, K * sizeof(float));
    pw__free(a, s->probs, K * sizeof(double));
    pw__free(a, s->drop_rows, s->drop_cap * sizeof *s->drop_rows);
    pw__free(a, s->drop_values, s->drop_cap * sizeof *s->drop_values);
}

/* One AdaGrad step on K contiguous weights: w -= lr * g / sqrt(G), with g = x * grad[k]. */
static void update_row(sgd *s, float *restrict w, float *restrict g2, float *restrict acc, float x,
                       uint32_t K) {
    const float *restrict grad = s->grad;
    float lr = s->lr, tm1 = s->tm1;
    for (uint32_t k = 0; k < K; k++) {
        float g = x * grad[k];
        g2[k] += g * g;
        float step = lr * g / sqrtf(g2[k]);
        w[k] -= step;
        acc[k] += tm1 * step;
    }
}

/* The example as this step sees it: all features, or a dropout sample of them. */
static size_t sample_features(sgd *s, const pw__dataset *d, uint32_t ex, const uint32_t **rows,
                              const float **values) {
    size_t lo = d->off[ex], n = d->off[ex + 1] - lo;
    *rows = d->rows + lo, *values = d->values + lo;
    if (s->keep_scale == 1.0f)
        return n;
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if ((uint32_t)(pw__rng_next(&s->rng) >> 32) >= s->keep_below)
            continue;
        s->drop_rows[kept] = d->rows[lo + i];
        s->drop_values[kept++] = d->values[lo + i] * s->keep_scale;
    }
    *rows = s->drop_rows, *values = s->drop_values;
    return kept;
}

static void train_one(sgd *s, pw_model *m, const pw__dataset *d, uint32_t ex, uint32_t label) {
    uint32_t K = m->intents;
    const uint32_t *rows;
    const float *values;
    size_t n = sample_features(s, d, ex, &rows, &values);
    pw__model_scores(m, rows, values, n, s->scores);
    pw__softmax(s->scores, K, 1.0, s->probs);
    for (uint32_t k = 0; k < K; k++)
        s->grad[k] = (float)(s->probs[k] - (k == label));
    update_row(s, m->bias, s->bias_g2, s->bias_acc, 1.0f, K);
    for (size_t i = 0; i < n; i++) {
        size_t at = (size_t)rows[i] * K;
        update_row(s, m->weights + at, s->g2 + at, s->acc + at, values[i], K);
    }
}

/* avg = w + acc / T for every weight and bias. */
static void finish_average(sgd *s, pw_model *m, double steps) {
    size_t weights = (size_t)m->rows * m->intents;
    float inv = (float)(1.0 / steps);
    for (size_t i = 0; i < weights; i++)
        m->weights[i] += s->acc[i] * inv;
    for (uint32_t k = 0; k < m->intents; k++)
        m->bias[k] += s->bias_acc[k] * inv;
}

int pw__train_sgd(pw_model *m, const pw__dataset *d, const uint32_t *order, size_t n,
                  const uint32_t *labels, const pw_train_options *opt) {
    sgd s;
    uint32_t *shuffled = pw__alloc(&m->alloc, (n ? n : 1) * sizeof *shuffled);
    int rc = sgd_init(&s, m, d, opt);
    if (rc == PW_OK && shuffled) {
        memcpy(shuffled, order, n * sizeof *order);
        pw__rng rng;
        pw__rng_seed(&rng, opt->seed);
        double t = 0;
        for (uint32_t e = 0; e < opt->epochs; e++) {
            pw__rng_shuffle(&rng, shuffled, n);
            for (size_t i = 0; i < n; i++) {
                s.tm1 = (float)t++;
                train_one(&s, m, d, shuffled[i], labels[shuffled[i]]);
            }
        }
        finish_average(&s, m, t > 0 ? t : 1);
    }
    if (!shuffled)
        rc = PW_ENOMEM;
    sgd_free(&s, m);
    pw__free(&m->alloc, shuffled, (n ? n : 1) * sizeof *shuffled);
    return rc;
}
