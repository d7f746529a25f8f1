/* Calibration on held-out data: temperature scaling (Guo et al. 2017) fitted by minimising the
 * negative log-likelihood, then the out-of-scope threshold at a chosen in-scope rejection rate.
 * SPDX-License-Identifier: MIT */
#include "alloc_int.h"
#include "mathx_int.h"
#include "train_int.h"
#include "pw/status.h"

#include <string.h>

#define T_MIN 0.1
#define T_MAX 10.0
/* Below this many labelled validation rows a fitted temperature mostly fits noise (a handful
 * of correct rows drives it to T_MIN and every answer to 100%): keep T = 1 instead. */
#define MIN_CALIBRATION_ROWS 30

/* Mean NLL of the labelled validation rows at temperature T; scores are [n][K]. */
static double nll(const float *scores, const pw__valid_example *v, size_t n, uint32_t K, double T) {
    double total = 0.0;
    size_t counted = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i].intent < 0)
            continue;
        const float *s = scores + i * K;
        double max = s[0], sum = 0.0;
        for (uint32_t k = 1; k < K; k++)
            max = s[k] > max ? s[k] : max;
        for (uint32_t k = 0; k < K; k++)
            sum += pw__exp((s[k] - max) / T);
        total += pw__log(sum) - (s[v[i].intent] - max) / T;
        counted++;
    }
    return counted ? total / (double)counted : 0.0;
}

/* Golden-section search on log T: the NLL is unimodal in T for a fixed score matrix. */
static double fit_temperature(const float *scores, const pw__valid_example *v, size_t n,
                              uint32_t K) {
    const double phi = 0.6180339887498949;
    double lo = pw__log(T_MIN), hi = pw__log(T_MAX);
    double a = hi - phi * (hi - lo), b = lo + phi * (hi - lo);
    double fa = nll(scores, v, n, K, pw__exp(a)), fb = nll(scores, v, n, K, pw__exp(b));
    for (int it = 0; it < 60; it++) {
        if (fa < fb) {
            hi = b, b = a, fb = fa;
            a = hi - phi * (hi - lo);
            fa = nll(scores, v, n, K, pw__exp(a));
        } else {
            lo = a, a = b, fa = fb;
            b = lo + phi * (hi - lo);
            fb = nll(scores, v, n, K, pw__exp(b));
        }
    }
    return pw__exp((lo + hi) / 2);
}

/* Sorts non-negative doubles ascending: their IEEE bit patterns order like their values, so
 * the radix sort the trainer already has does it in linear time. */
static void sort_doubles(double *x, uint64_t *keys, uint64_t *tmp, size_t n) {
    for (size_t i = 0; i < n; i++) {
        uint64_t bits;
        memcpy(&bits, &x[i], sizeof bits);
        keys[i] = bits;
    }
    pw__radix_sort_u64(keys, tmp, n);
    for (size_t i = 0; i < n; i++)
        memcpy(&x[i], &keys[i], sizeof x[i]);
}

typedef struct threshold_work {
    double *conf, *probs;
    uint64_t *keys, *tmp;
} threshold_work;

/* The largest threshold that rejects at most reject_rate of the in-scope rows, counting rows
 * the out-of-scope class already wins as rejected. */
static double pick_threshold(const pw_model *m, const float *scores, const pw__valid_example *v,
                             size_t n, double reject_rate, threshold_work *w) {
    uint32_t K = m->intents;
    size_t in_scope = 0, oos_wins = 0, m_conf = 0;
    for (size_t i = 0; i < n; i++) {
        if (!v[i].in_scope)
            continue;
        in_scope++;
        pw__softmax(scores + i * K, K, m->temperature, w->probs);
        double best = -1.0;
        for (uint32_t k = 0; k < K; k++)
            if ((int32_t)k != m->oos_intent && w->probs[k] > best)
                best = w->probs[k];
        if (m->oos_intent >= 0 && w->probs[m->oos_intent] > best)
            oos_wins++;
        else
            w->conf[m_conf++] = best;
    }
    size_t allowed = (size_t)(reject_rate * (double)in_scope);
    if (oos_wins >= allowed || m_conf == 0)
        return 0.0;
    sort_doubles(w->conf, w->keys, w->tmp, m_conf);
    size_t budget = allowed - oos_wins;
    double t = budget < m_conf ? w->conf[budget] : w->conf[m_conf - 1];
    return t < 0.99 ? t : 0.99;
}

static int has_out_of_scope(const pw_model *m, const pw__valid_example *v, size_t n) {
    if (m->oos_intent >= 0)
        return 1;
    for (size_t i = 0; i < n; i++)
        if (!v[i].in_scope)
            return 1;
    return 0;
}

int pw__calibrate(pw_model *m, const pw__dataset *d, const pw__valid_example *v, size_t n,
                  double reject_rate) {
    m->temperature = 1.0;
    m->oos_threshold = 0.0;
    if (n == 0)
        return PW_OK;
    const pw_allocator *a = &m->alloc;
    uint32_t K = m->intents;
    float *scores = pw__calloc(a, n * K, sizeof *scores);
    threshold_work w = {pw__calloc(a, n, sizeof(double)), pw__calloc(a, K, sizeof(double)),
                        pw__calloc(a, n, sizeof(uint64_t)), pw__calloc(a, n, sizeof(uint64_t))};
    int rc = scores && w.conf && w.probs && w.keys && w.tmp ? PW_OK : PW_ENOMEM;
    if (rc == PW_OK) {
        for (size_t i = 0; i < n; i++) {
            size_t lo = d->off[v[i].index];
            pw__model_scores(m, d->rows + lo, d->values + lo, d->off[v[i].index + 1] - lo,
                             scores + i * K);
        }
        size_t labelled = 0;
        for (size_t i = 0; i < n; i++)
            labelled += v[i].intent >= 0;
        if (labelled >= MIN_CALIBRATION_ROWS)
            m->temperature = fit_temperature(scores, v, n, K);
        if (has_out_of_scope(m, v, n))
            m->oos_threshold = pick_threshold(m, scores, v, n, reject_rate, &w);
    }
    pw__free(a, scores, n * K * sizeof *scores);
    pw__free(a, w.conf, n * sizeof(double));
    pw__free(a, w.probs, K * sizeof(double));
    pw__free(a, w.keys, n * sizeof(uint64_t));
    pw__free(a, w.tmp, n * sizeof(uint64_t));
    return rc;
}
