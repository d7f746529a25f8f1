/* The trainer: collects labelled examples, then trains in five steps: hold out a calibration
 * split if none was given, extract features, build the vocabulary with document frequencies,
 * vectorise, optimise (train_sgd.c) and calibrate (calibrate.c).
 * SPDX-License-Identifier: MIT */
#include "alloc_int.h"
#include "rng_int.h"
#include "train_int.h"
#include "pw/status.h"

#include <string.h>

pw_train_options pw_train_options_default(void) {
    pw_train_options o;
    o.seed = 1;
    o.epochs = 10;
    o.learning_rate = 0.5;
    o.char_min = 3;
    o.char_max = 5;
    o.word_ngrams = 2;
    o.min_count = 1;
    o.holdout_fraction = 0.1;
    o.reject_rate = 0.05;
    o.spare_features = 4096;
    o.feature_dropout = 0.4;
    o.refit = 1;
    return o;
}

const char *pw_train_options_check(const pw_train_options *o) {
    if (!o)
        return "options";
    if (o->epochs < 1 || o->epochs > 1000)
        return "epochs";
    if (!(o->learning_rate > 0.0 && o->learning_rate <= 10.0))
        return "learning_rate";
    pw__feature_config f = {o->char_min, o->char_max, o->word_ngrams};
    if (!pw__feature_config_valid(&f))
        return o->word_ngrams >= 1 && o->word_ngrams <= 3 ? "char_min/char_max" : "word_ngrams";
    if (o->min_count < 1)
        return "min_count";
    if (!(o->holdout_fraction >= 0.0 && o->holdout_fraction <= 0.5))
        return "holdout_fraction";
    if (!(o->reject_rate >= 0.0 && o->reject_rate <= 0.5))
        return "reject_rate";
    if (o->spare_features > (1u << 20))
        return "spare_features";
    if (!(o->feature_dropout >= 0.0 && o->feature_dropout < 0.9))
        return "feature_dropout";
    if (o->refit > 1)
        return "refit";
    return NULL;
}

int pw_trainer_new(const pw_train_options *options, const pw_allocator *alloc, pw_trainer **out) {
    if (!out || pw_train_options_check(options))
        return PW_EINVAL;
    pw_trainer *t = pw__calloc(alloc, 1, sizeof *t);
    if (!t)
        return PW_ENOMEM;
    if (alloc)
        t->alloc = *alloc;
    t->opt = *options;
    t->oos.len = 3;
    memcpy(t->oos.text, "oos", 3);
    *out = t;
    return PW_OK;
}

void pw_trainer_free(pw_trainer *t) {
    if (!t)
        return;
    pw_allocator a = t->alloc;
    pw__free(&a, t->labels, t->labels_cap * sizeof *t->labels);
    pw__free(&a, t->text, t->text_cap);
    pw__free(&a, t->ex, t->ex_cap * sizeof *t->ex);
    pw__free(&a, t, sizeof *t);
}

int pw_trainer_set_oos_label(pw_trainer *t, const char *label, size_t len) {
    if (!t || !label || len == 0 || len > PW_MODEL_MAX_LABEL)
        return PW_EINVAL;
    t->oos.len = (uint8_t)len;
    memcpy(t->oos.text, label, len);
    return PW_OK;
}

/* Index of `label`, adding it when new; negative status on failure. */
static int label_index(pw_trainer *t, const char *label, size_t len) {
    for (size_t i = 0; i < t->n_labels; i++)
        if (t->labels[i].len == len && memcmp(t->labels[i].text, label, len) == 0)
            return (int)i;
    if (t->n_labels >= PW_MODEL_MAX_INTENTS)
        return PW_ERANGE;
    if (pw__grow(&t->alloc, (void **)&t->labels, &t->labels_cap, t->n_labels + 1,
                 sizeof *t->labels))
        return PW_ENOMEM;
    pw__label *l = &t->labels[t->n_labels];
    l->len = (uint8_t)len;
    memcpy(l->text, label, len);
    return (int)t->n_labels++;
}

int pw_trainer_add(pw_trainer *t, const char *text, size_t text_len, const char *label,
                   size_t label_len, int validation) {
    if (!t || (!text && text_len) || !label || label_len == 0 || label_len > PW_MODEL_MAX_LABEL ||
        text_len > UINT32_MAX)
        return PW_EINVAL;
    if (pw__grow(&t->alloc, (void **)&t->ex, &t->ex_cap, t->n_ex + 1, sizeof *t->ex) ||
        pw__grow(&t->alloc, (void **)&t->text, &t->text_cap, t->text_len + text_len + 1, 1))
        return PW_ENOMEM;
    int idx = label_index(t, label, label_len);
    if (idx < 0)
        return idx;
    if (text_len)
        memcpy(t->text + t->text_len, text, text_len);
    pw__example *e = &t->ex[t->n_ex++];
    e->text_off = t->text_len;
    e->text_len = (uint32_t)text_len;
    e->label = (uint32_t)idx;
    e->validation = validation != 0;
    t->text_len += text_len;
    return PW_OK;
}
