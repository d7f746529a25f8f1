/* The intent model: a linear softmax classifier over hashed word and character n-grams, with
 * its labels, temperature (calibration) and out-of-scope operating point. This header covers
 * training, the model file (save, load, widget export) and online learning; prediction is in
 * classify.h.
 *
 * Thread safety: a model is immutable to everything but pw_model_learn and
 * pw_model_add_intent. Share a model read-only between classifiers; to learn, clone it, teach
 * the clone, and swap it in (the server's discipline).
 * SPDX-License-Identifier: MIT */
#ifndef PW_MODEL_H
#define PW_MODEL_H

#include "pw/alloc.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pw_model pw_model;
typedef struct pw_trainer pw_trainer;

/* Upper bounds that keep every buffer sized at creation. A label is at most
 * PW_MODEL_MAX_LABEL bytes of UTF-8 (no NUL); longer messages are classified on their first
 * PW_MODEL_MAX_TEXT_BYTES bytes. */
#define PW_MODEL_MAX_INTENTS    4096
#define PW_MODEL_MAX_LABEL      64
#define PW_MODEL_MAX_TEXT_BYTES 4096

/* Training settings. Start from pw_train_options_default(); every field is validated. */
typedef struct pw_train_options {
    uint32_t seed;           /* shuffling and the held-out split; same seed, same model */
    uint32_t epochs;         /* passes over the training set (1..1000) */
    double learning_rate;    /* AdaGrad base rate (0, 10] */
    uint32_t char_min;       /* character n-gram sizes, within words with boundary marks: */
    uint32_t char_max;       /*   1 <= char_min <= char_max <= 8; char_max 0 disables them */
    uint32_t word_ngrams;    /* 1 = words only, 2 = and bigrams, 3 = and trigrams */
    uint32_t min_count;      /* features seen in fewer training examples are dropped (>= 1) */
    double holdout_fraction; /* without validation examples, this share of the training set
                                (per label, seeded) calibrates instead: [0, 0.5] */
    double reject_rate;      /* out-of-scope operating point: the confidence threshold rejects
                                at most this share of in-scope validation examples [0, 0.5] */
    uint32_t spare_features; /* room for features first seen by pw_model_learn */
    double feature_dropout;  /* share of an example's features dropped at random in each
                                training step, a regulariser for small data sets [0, 0.9) */
    uint32_t refit;          /* 1: after calibrating on the validation rows, train again on
                                training + validation rows and keep the calibration */
} pw_train_options;

/* The defaults the benchmarks chose on validation data. */
pw_train_options pw_train_options_default(void);

/* Creates an empty trainer. `options` is copied; `alloc` is copied (NULL = C library).
 * Returns PW_OK, PW_EINVAL (NULL out or options out of range, with the bad field unnamed:
 * call pw_train_options_check for the name), or PW_ENOMEM. Caller frees with pw_trainer_free. */
int pw_trainer_new(const pw_train_options *options, const pw_allocator *alloc, pw_trainer **out);

/* Returns NULL when every field is valid, otherwise the name of the first invalid field. */
const char *pw_train_options_check(const pw_train_options *options);

/* Adds one labelled example (copies both). `validation` 0 = training, 1 = validation (used only
 * to fit the temperature and the out-of-scope threshold). A label equal to `oos_label` (set
 * with pw_trainer_set_oos_label, default "oos") is the explicit out-of-scope class. Returns
 * PW_OK, PW_EINVAL (empty or over-long label, NULL pointers), PW_ERANGE (more than
 * PW_MODEL_MAX_INTENTS labels) or PW_ENOMEM. */
int pw_trainer_add(pw_trainer *t, const char *text, size_t text_len, const char *label,
                   size_t label_len, int validation);

/* Sets the label that means out-of-scope (copied). Call before pw_trainer_add. */
int pw_trainer_set_oos_label(pw_trainer *t, const char *label, size_t label_len);

/* Trains and hands back a new model (caller frees with pw_model_free). Deterministic for the
 * same examples, order and options. Returns PW_OK, PW_ESTATE (fewer than two labels in the
 * training set), or PW_ENOMEM. The trainer can be freed afterwards. */
int pw_trainer_train(pw_trainer *t, pw_model **out);

void pw_trainer_free(pw_trainer *t);

/* --- the model file -------------------------------------------------------------------------
 * Little-endian: "PWM\0" magic, u32 format version, u32 section count, then sections of
 * (u32 tag, u32 byte length, u32 CRC-32 of the payload, payload). See ARCHITECTURE.md. */

/* Loads a model from `data[0..len)` (copied; the buffer may be freed afterwards). Every length,
 * count and checksum is validated before use. Returns PW_OK; PW_EFORMAT (bad magic, truncated,
 * checksum mismatch, inconsistent sections); PW_EVERSION (a format this build cannot read);
 * PW_EINVAL (NULL arguments); PW_ENOMEM. Caller frees with pw_model_free. */
int pw_model_load(const void *data, size_t len, const pw_allocator *alloc, pw_model **out);

/* Serialises the model into `out[0..cap)`; *out_len receives the needed size. Returns PW_OK,
 * PW_ETRUNC when cap is too small (call with cap 0 to size), PW_EINVAL. */
int pw_model_save(const pw_model *m, void *out, size_t cap, size_t *out_len);

/* Serialises a compact copy for the widget: only the `max_features` most important features
 * (0 = all), weights quantised to 8 bits per value with one scale per feature. Loads with
 * pw_model_load like a full model. Same returns as pw_model_save. */
int pw_model_export_compact(const pw_model *m, uint32_t max_features, void *out, size_t cap,
                            size_t *out_len);

/* Deep copy (for learn-on-a-clone); same allocator. Returns PW_OK, PW_EINVAL, PW_ENOMEM. */
int pw_model_clone(const pw_model *m, pw_model **out);

void pw_model_free(pw_model *m);

/* --- facts about a model -------------------------------------------------------------------- */

uint32_t pw_model_intent_count(const pw_model *m);
/* Features with weights (rows), and the rows still free for pw_model_learn. */
uint32_t pw_model_feature_count(const pw_model *m);
uint32_t pw_model_spare_features(const pw_model *m);

/* Copies the label of `intent` into out[0..cap) (no NUL) and returns its length, or
 * PW_ERANGE for an unknown intent, PW_ETRUNC when it does not fit, PW_EINVAL. */
int pw_model_label(const pw_model *m, int32_t intent, char *out, size_t cap);

/* The intent index of `label`, PW_ERANGE when absent. */
int pw_model_find_intent(const pw_model *m, const char *label, size_t len);

/* The explicit out-of-scope intent, or -1 when the model has none. */
int32_t pw_model_oos_intent(const pw_model *m);

/* The calibration temperature (1 when fewer than 30 labelled validation rows were available;
 * otherwise fitted within [0.1, 10]) and the out-of-scope confidence threshold (0 = never
 * reject). */
double pw_model_temperature(const pw_model *m);
double pw_model_oos_threshold(const pw_model *m);

/* Overrides the out-of-scope threshold, in [0, 1). Returns PW_OK or PW_ERANGE. */
int pw_model_set_oos_threshold(pw_model *m, double threshold);

/* --- online learning ------------------------------------------------------------------------ */

/* Teaches the model one labelled example, such as an agent's resolution: gradient steps on
 * this example alone (at most `max_steps`, stopping once `intent` is the top prediction with
 * confidence >= 0.5), using the model's own feature extraction. Features never seen before
 * take spare rows; when none are left they are skipped and the rest still learns.
 * No allocation. Returns the number of steps taken (>= 1), PW_ERANGE (unknown intent),
 * PW_EINVAL. Not thread-safe: the caller owns `m` exclusively (learn on a clone). */
int pw_model_learn(pw_model *m, const char *text, size_t len, int32_t intent, uint32_t max_steps);

/* Adds a new intent with no weights (learn examples to give it some). Allocates: the weight
 * matrix grows by one column. Returns the new intent's index, PW_EINVAL (empty, over-long or
 * duplicate label), PW_ERANGE (PW_MODEL_MAX_INTENTS reached), PW_ENOMEM (the model is
 * unchanged). */
int pw_model_add_intent(pw_model *m, const char *label, size_t len);

#ifdef __cplusplus
}
#endif

#endif
