/* Training internals: the collected examples, the vectorised dataset, the optimiser and the
 * calibration step. pw_trainer_train in train.c runs them in that order.
 * SPDX-License-Identifier: MIT */
#ifndef PW_TRAIN_INT_H
#define PW_TRAIN_INT_H

#include "model_int.h"
#include "sort_int.h"

#include <stddef.h>
#include <stdint.h>

/* One collected example; its text is t->text[text_off .. text_off + text_len). */
typedef struct pw__example {
    size_t text_off;
    uint32_t text_len;
    uint32_t label; /* index into the trainer's labels */
    uint8_t validation;
} pw__example;

struct pw_trainer {
    pw_allocator alloc;
    pw_train_options opt;
    pw__label oos;
    pw__label *labels;
    size_t n_labels, labels_cap;
    char *text;
    size_t text_len, text_cap;
    pw__example *ex;
    size_t n_ex, ex_cap;
};

/* Example i's features are rows[off[i] .. off[i+1]) with their values. */
typedef struct pw__dataset {
    size_t n;
    size_t *off;    /* [n + 1] */
    uint32_t *rows; /* [off[n]] */
    float *values;  /* [off[n]] */
} pw__dataset;

/* Averaged AdaGrad on the softmax loss over the examples `order[0..n)` (indices into `d`,
 * labels in `labels`), for opt->epochs epochs, reshuffled each epoch with opt->seed.
 * Writes the averaged weights and biases into `m`. Returns PW_OK or PW_ENOMEM. */
int pw__train_sgd(pw_model *m, const pw__dataset *d, const uint32_t *order, size_t n,
                  const uint32_t *labels, const pw_train_options *opt);

/* One validation example for calibration: its index in the dataset and its intent in the model,
 * or -1 for an out-of-scope row of a model without an out-of-scope class. */
typedef struct pw__valid_example {
    uint32_t index;
    int32_t intent;
    uint8_t in_scope;
} pw__valid_example;

/* Fits m->temperature (minimum validation negative log-likelihood) and m->oos_threshold (the
 * highest threshold rejecting at most `reject_rate` of the in-scope validation rows; 0 when
 * neither the model nor the validation set has out-of-scope examples). Returns PW_OK or
 * PW_ENOMEM. */
int pw__calibrate(pw_model *m, const pw__dataset *d, const pw__valid_example *v, size_t n,
                  double reject_rate);

#endif
