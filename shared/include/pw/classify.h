/* Prediction: the calibrated intent distribution of one message, with out-of-scope rejection.
 * A classifier holds the scratch for one prediction at a time, sized at creation, so
 * pw_classify never allocates.
 * SPDX-License-Identifier: MIT */
#ifndef PW_CLASSIFY_H
#define PW_CLASSIFY_H

#include "pw/alloc.h"
#include "pw/model.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PW_CLASSIFY_TOP_K 5

typedef struct pw_intent_score {
    int32_t intent;     /* index into the model's labels */
    double probability; /* calibrated, in [0, 1] */
} pw_intent_score;

typedef struct pw_prediction {
    int32_t intent;         /* the most likely in-scope intent (never the out-of-scope class) */
    double confidence;      /* its calibrated probability */
    int32_t out_of_scope;   /* 1 when the model says "none of these": the out-of-scope class won,
                               or `confidence` is below the model's threshold */
    double oos_probability; /* probability of the explicit out-of-scope class (0 without one) */
    uint32_t features;      /* known features found in the text (0: nothing the model knows) */
    uint32_t top_count;     /* entries used in `top` */
    pw_intent_score top[PW_CLASSIFY_TOP_K]; /* best first, out-of-scope class included */
} pw_prediction;

typedef struct pw_classifier pw_classifier;

/* Creates a classifier for `model`, which it borrows: the model must outlive the classifier and
 * must not change (learn, add intents) while the classifier uses it. Returns PW_OK,
 * PW_EINVAL, PW_ENOMEM. Caller frees with pw_classifier_free. */
int pw_classifier_new(const pw_model *model, const pw_allocator *alloc, pw_classifier **out);

/* Classifies UTF-8 `text[0..len)` (only its first PW_MODEL_MAX_TEXT_BYTES are read). Never
 * allocates; deterministic, and identical in both homes. Returns PW_OK or PW_EINVAL. One call at
 * a time per classifier; use one classifier per thread. */
int pw_classify(pw_classifier *c, const char *text, size_t len, pw_prediction *out);

void pw_classifier_free(pw_classifier *c);

#ifdef __cplusplus
}
#endif

#endif
