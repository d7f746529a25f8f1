/* pw_classify: extract, vectorise, score, calibrate, rank, reject. All scratch lives in the
 * classifier, sized for the model at creation.
 * SPDX-License-Identifier: MIT */
#include "pw/classify.h"
#include "alloc_int.h"
#include "model_int.h"
#include "pw/status.h"

#include <string.h>

struct pw_classifier {
    pw_allocator alloc;
    const pw_model *model; /* borrowed */
    uint32_t intents;      /* the model's K at creation, to size the arrays below */
    pw__extractor x;
    float *scores; /* [K] */
    double *probs; /* [K] */
};

int pw_classifier_new(const pw_model *model, const pw_allocator *alloc, pw_classifier **out) {
    if (!model || !out)
        return PW_EINVAL;
    pw_classifier *c = pw__calloc(alloc, 1, sizeof *c);
    if (!c)
        return PW_ENOMEM;
    if (alloc)
        c->alloc = *alloc;
    c->model = model;
    c->intents = model->intents;
    c->scores = pw__calloc(alloc, c->intents, sizeof *c->scores);
    c->probs = pw__calloc(alloc, c->intents, sizeof *c->probs);
    int rc = c->scores && c->probs ? pw__extractor_init(&c->x, alloc) : PW_ENOMEM;
    if (rc != PW_OK) {
        pw_classifier_free(c);
        return rc;
    }
    *out = c;
    return PW_OK;
}

void pw_classifier_free(pw_classifier *c) {
    if (!c)
        return;
    pw_allocator a = c->alloc;
    pw__free(&a, c->scores, c->intents * sizeof *c->scores);
    pw__free(&a, c->probs, c->intents * sizeof *c->probs);
    pw__extractor_free(&c->x, &a);
    pw__free(&a, c, sizeof *c);
}

/* Top-k in one pass, keeping the best k in order by insertion: k is at most 5. A later index
 * never displaces an equal earlier one, so ties go to the lower index in both homes. */
static void rank(const double *p, uint32_t K, pw_prediction *out) {
    uint32_t n = 0;
    for (uint32_t k = 0; k < K; k++) {
        if (n == PW_CLASSIFY_TOP_K && p[k] <= out->top[n - 1].probability)
            continue;
        uint32_t at = n < PW_CLASSIFY_TOP_K ? n++ : n - 1;
        while (at > 0 && p[k] > out->top[at - 1].probability) {
            out->top[at] = out->top[at - 1];
            at--;
        }
        out->top[at].intent = (int32_t)k;
        out->top[at].probability = p[k];
    }
    out->top_count = n;
}

static void decide_scope(const pw_model *m, const double *p, pw_prediction *out) {
    int32_t oos = m->oos_intent;
    int32_t best = -1;
    for (uint32_t k = 0; k < m->intents; k++)
        if ((int32_t)k != oos && (best < 0 || p[k] > p[best]))
            best = (int32_t)k;
    out->intent = best;
    out->confidence = p[best];
    out->oos_probability = oos >= 0 ? p[oos] : 0.0;
    int oos_wins = oos >= 0 && p[oos] > p[best];
    /* With no known feature the distribution is the prior: that is not an answer. */
    out->out_of_scope = oos_wins || out->confidence < m->oos_threshold || out->features == 0;
}

int pw_classify(pw_classifier *c, const char *text, size_t len, pw_prediction *out) {
    if (!c || !out || (!text && len))
        return PW_EINVAL;
    const pw_model *m = c->model;
    size_t raw = pw__features_extract(&c->x, &m->features, text, len);
    pw__model_prefetch_rows(m, c->x.hashes, raw);
    size_t n = pw__model_vectorize(m, &c->x, raw);
    pw__model_scores_q8(m, c->x.rows, c->x.values, n, c->scores);
    pw__softmax(c->scores, m->intents, m->temperature, c->probs);
    memset(out, 0, sizeof *out);
    out->features = (uint32_t)n;
    rank(c->probs, m->intents, out);
    decide_scope(m, c->probs, out); /* reads out->features */
    return PW_OK;
}
