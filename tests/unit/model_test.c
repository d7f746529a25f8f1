/* The classifier end to end through the public API: training, prediction, out-of-scope, the
 * model file (round trip, corruption, compact export), online learning, new intents, and
 * out-of-memory behaviour of every constructor.
 * SPDX-License-Identifier: MIT */
#include "pw/classify.h"
#include "pw/model.h"
#include "pw/status.h"
#include "pw_test.h"
#include "pw_test_alloc.h"

#include <stdlib.h>

typedef struct row {
    const char *label, *text;
} row;

static const row training[] = {
    {"reset_password", "i forgot my password"},
    {"reset_password", "how do i reset my password"},
    {"reset_password", "password reset link not arriving"},
    {"reset_password", "can't remember my login password"},
    {"reset_password", "change my password please"},
    {"reset_password", "need a new password for my account"},
    {"cancel_plan", "cancel my subscription"},
    {"cancel_plan", "how do i cancel my plan"},
    {"cancel_plan", "i want to stop my subscription"},
    {"cancel_plan", "please end my membership"},
    {"cancel_plan", "close my account and stop billing"},
    {"cancel_plan", "unsubscribe me from the paid plan"},
    {"export_data", "export my projects to csv"},
    {"export_data", "how can i download all my data"},
    {"export_data", "export button is greyed out"},
    {"export_data", "download a backup of my workspace"},
    {"export_data", "get my data out as a spreadsheet"},
    {"export_data", "export reports to excel"},
    {"oos", "what is the weather tomorrow"},
    {"oos", "tell me a joke"},
    {"oos", "who won the football match"},
    {"oos", "recipe for banana bread"},
};

static const row held_out[] = {
    {"reset_password", "reset the password on my login"},
    {"cancel_plan", "stop my plan and subscription"},
    {"export_data", "download my workspace data"},
    {"oos", "what time is the game tonight"},
};

static pw_train_options small_options(void) {
    pw_train_options o = pw_train_options_default();
    o.epochs = 30;
    o.spare_features = 64;
    return o;
}

static int add_rows(pw_trainer *t, const row *rows, size_t n, int validation) {
    for (size_t i = 0; i < n; i++) {
        int rc = pw_trainer_add(t, rows[i].text, strlen(rows[i].text), rows[i].label,
                                strlen(rows[i].label), validation);
        if (rc != PW_OK)
            return rc;
    }
    return PW_OK;
}

/* Trains the small model with `alloc`; returns the status of the first failing step. */
static int train_small(const pw_allocator *alloc, pw_model **out) {
    pw_train_options o = small_options();
    pw_trainer *t = NULL;
    int rc = pw_trainer_new(&o, alloc, &t);
    if (rc == PW_OK)
        rc = add_rows(t, training, sizeof training / sizeof training[0], 0);
    if (rc == PW_OK)
        rc = add_rows(t, held_out, sizeof held_out / sizeof held_out[0], 1);
    if (rc == PW_OK)
        rc = pw_trainer_train(t, out);
    pw_trainer_free(t);
    return rc;
}

static int label_is(const pw_model *m, int32_t intent, const char *expected) {
    char buf[PW_MODEL_MAX_LABEL];
    int n = pw_model_label(m, intent, buf, sizeof buf);
    return n == (int)strlen(expected) && memcmp(buf, expected, (size_t)n) == 0;
}

static pw_prediction classify(const pw_model *m, const char *text) {
    pw_classifier *c = NULL;
    pw_prediction p;
    memset(&p, 0, sizeof p);
    PW_CHECK_INT(pw_classifier_new(m, NULL, &c), PW_OK);
    if (c)
        PW_CHECK_INT(pw_classify(c, text, strlen(text), &p), PW_OK);
    pw_classifier_free(c);
    return p;
}

static pw_model *model;

static void trains_and_recognises_paraphrases(void) {
    PW_CHECK_INT(train_small(NULL, &model), PW_OK);
    if (!model)
        return;
    PW_CHECK_INT(pw_model_intent_count(model), 4);
    PW_CHECK(pw_model_oos_intent(model) >= 0);
    PW_CHECK(label_is(model, pw_model_oos_intent(model), "oos"));
    pw_prediction p = classify(model, "I can't remember my PASSWORD!");
    PW_CHECK(label_is(model, p.intent, "reset_password"));
    PW_CHECK(!p.out_of_scope);
    PW_CHECK(p.confidence > 0.5 && p.confidence <= 1.0);
    p = classify(model, "cancel the subscription for me");
    PW_CHECK(label_is(model, p.intent, "cancel_plan"));
    double sum = 0;
    for (uint32_t i = 0; i < p.top_count; i++)
        sum += p.top[i].probability;
    PW_CHECK(sum > 0.99 && sum < 1.0 + 1e-9); /* four intents: top-4 is the whole distribution */
    PW_CHECK(p.top[0].probability >= p.top[1].probability);
}

static void unknown_text_is_out_of_scope_or_unsure(void) {
    pw_prediction p = classify(model, "§§ ¶ ¤");
    PW_CHECK_INT(p.features, 0); /* symbols only: nothing the model has seen */
    PW_CHECK(p.out_of_scope || p.confidence < 0.6);
    p = classify(model, "tell me the weather");
    PW_CHECK(p.out_of_scope);
    p = classify(model, "");
    PW_CHECK_INT(p.features, 0);
}

static void training_is_deterministic(void) {
    pw_model *again = NULL;
    PW_CHECK_INT(train_small(NULL, &again), PW_OK);
    size_t a_len = 0, b_len = 0;
    pw_model_save(model, NULL, 0, &a_len);
    pw_model_save(again, NULL, 0, &b_len);
    char *a = malloc(a_len), *b = malloc(b_len);
    PW_CHECK_INT(pw_model_save(model, a, a_len, &a_len), PW_OK);
    PW_CHECK_INT(pw_model_save(again, b, b_len, &b_len), PW_OK);
    PW_CHECK_MEM(a, a_len, b, b_len);
    free(a);
    free(b);
    pw_model_free(again);
}

static void train_rejects_bad_input(void) {
    pw_train_options o = small_options();
    o.learning_rate = 0;
    PW_CHECK(strcmp(pw_train_options_check(&o), "learning_rate") == 0);
    pw_trainer *t = NULL;
    PW_CHECK_INT(pw_trainer_new(&o, NULL, &t), PW_EINVAL);
    o = small_options();
    PW_CHECK(pw_train_options_check(&o) == NULL);
    PW_CHECK_INT(pw_trainer_new(&o, NULL, &t), PW_OK);
    PW_CHECK_INT(pw_trainer_add(t, "x", 1, "", 0, 0), PW_EINVAL);
    PW_CHECK_INT(pw_trainer_add(t, "x", 1, "only_one", 8, 0), PW_OK);
    pw_model *m = NULL;
    PW_CHECK_INT(pw_trainer_train(t, &m), PW_ESTATE); /* one label cannot be classified */
    PW_CHECK(m == NULL);
    pw_trainer_free(t);
}

/* Serialises `m` into a fresh buffer (caller frees). */
static unsigned char *save(const pw_model *m, size_t *len, int compact, uint32_t keep) {
    *len = 0;
    if (compact)
        pw_model_export_compact(m, keep, NULL, 0, len);
    else
        pw_model_save(m, NULL, 0, len);
    unsigned char *buf = malloc(*len);
    int rc = compact ? pw_model_export_compact(m, keep, buf, *len, len)
                     : pw_model_save(m, buf, *len, len);
    PW_CHECK_INT(rc, PW_OK);
    return buf;
}

static void file_round_trip_preserves_predictions(void) {
    size_t len;
    unsigned char *buf = save(model, &len, 0, 0);
    pw_model *loaded = NULL;
    PW_CHECK_INT(pw_model_load(buf, len, NULL, &loaded), PW_OK);
    if (loaded) {
        pw_prediction a = classify(model, "how do i export my data"),
                      b = classify(loaded, "how do i export my data");
        PW_CHECK_INT(a.intent, b.intent);
        PW_CHECK(a.confidence == b.confidence); /* bit-identical weights */
        PW_CHECK(pw_model_temperature(loaded) == pw_model_temperature(model));
    }
    pw_model_free(loaded);
    size_t small = 0;
    PW_CHECK_INT(pw_model_save(model, buf, 10, &small), PW_ETRUNC);
    PW_CHECK_INT(small, len);
    free(buf);
}

static void corrupt_files_are_rejected(void) {
    size_t len;
    unsigned char *buf = save(model, &len, 0, 0);
    pw_model *m = NULL;
    /* Every truncation is an error, never a crash. */
    int truncations_ok = 1;
    for (size_t cut = 0; cut < len; cut += 1 + cut / 8)
        truncations_ok &= pw_model_load(buf, cut, NULL, &m) == PW_EFORMAT;
    PW_CHECK(truncations_ok);
    /* One flipped bit anywhere is caught by a checksum or a header check. */
    int flips_ok = 1;
    for (size_t at = 0; at < len; at += 1 + at / 16) {
        buf[at] ^= 0x10;
        int rc = pw_model_load(buf, len, NULL, &m);
        flips_ok &= rc == PW_EFORMAT || rc == PW_EVERSION;
        buf[at] ^= 0x10;
    }
    PW_CHECK(flips_ok);
    buf[4] = 9; /* version 9 */
    PW_CHECK_INT(pw_model_load(buf, len, NULL, &m), PW_EVERSION);
    PW_CHECK_INT(pw_model_load(NULL, 0, NULL, &m), PW_EINVAL);
    free(buf);
}

static void compact_export_is_smaller_and_agrees(void) {
    size_t full_len, compact_len, pruned_len;
    unsigned char *full = save(model, &full_len, 0, 0);
    unsigned char *compact = save(model, &compact_len, 1, 0);
    unsigned char *pruned = save(model, &pruned_len, 1, 20);
    PW_CHECK(compact_len < full_len);
    PW_CHECK(pruned_len < compact_len);
    pw_model *c = NULL, *p = NULL;
    PW_CHECK_INT(pw_model_load(compact, compact_len, NULL, &c), PW_OK);
    PW_CHECK_INT(pw_model_load(pruned, pruned_len, NULL, &p), PW_OK);
    if (c && p) {
        PW_CHECK_INT(pw_model_feature_count(p), 20);
        const char *probes[] = {"reset my password", "cancel my plan", "export to csv"};
        for (size_t i = 0; i < 3; i++)
            PW_CHECK_INT(classify(c, probes[i]).intent, classify(model, probes[i]).intent);
    }
    pw_model_free(c);
    pw_model_free(p);
    free(full);
    free(compact);
    free(pruned);
}

static void learning_one_example_changes_the_answer(void) {
    pw_model *clone = NULL;
    PW_CHECK_INT(pw_model_clone(model, &clone), PW_OK);
    if (!clone)
        return;
    const char *text = "my invoice shows the wrong vat number";
    /* Teach it an intent it does not predict now. */
    int32_t before = classify(clone, text).intent;
    int32_t cancel = pw_model_find_intent(clone, "cancel_plan", 11);
    if (before == cancel)
        cancel = pw_model_find_intent(clone, "export_data", 11);
    uint32_t spare = pw_model_spare_features(clone);
    int steps = pw_model_learn(clone, text, strlen(text), cancel, 20);
    PW_CHECK(steps >= 1 && steps <= 20);
    PW_CHECK_INT(classify(clone, text).intent, cancel);
    PW_CHECK(pw_model_spare_features(clone) < spare); /* "vat" and friends took spare rows */
    /* The original is untouched: learning happens on the clone. */
    PW_CHECK_INT(classify(model, text).intent, before);
    PW_CHECK_INT(pw_model_learn(clone, text, strlen(text), 99, 1), PW_ERANGE);
    pw_model_free(clone);
}

static void a_new_intent_can_be_taught_without_retraining(void) {
    pw_model *clone = NULL;
    PW_CHECK_INT(pw_model_clone(model, &clone), PW_OK);
    if (!clone)
        return;
    int k = pw_model_add_intent(clone, "billing_vat", 11);
    PW_CHECK_INT(k, 4);
    PW_CHECK_INT(pw_model_add_intent(clone, "billing_vat", 11), PW_EINVAL);
    PW_CHECK(label_is(clone, k, "billing_vat"));
    const char *teach[] = {"wrong vat on my invoice", "vat number missing from invoice",
                           "invoice needs our vat id"};
    for (int round = 0; round < 3; round++)
        for (size_t i = 0; i < 3; i++)
            pw_model_learn(clone, teach[i], strlen(teach[i]), k, 10);
    PW_CHECK_INT(classify(clone, "please fix the vat on this invoice").intent, k);
    PW_CHECK(
        label_is(clone, classify(clone, "how do i reset my password").intent, "reset_password"));
    pw_model_free(clone);
}

/* Runs `step` with budgets 0, 1, 2, ... until it succeeds: every failure must be PW_ENOMEM
 * and leave nothing allocated. Returns the number of budgets tried. */
typedef int (*oom_step)(const pw_allocator *a, void **made);
typedef void (*oom_release)(void *made);

static int oom_loop(oom_step step, oom_release release) {
    for (long budget = 0; budget < 100000; budget++) {
        pw_test_budget b = {budget, 0, 0};
        pw_allocator a = pw_test_budget_allocator(&b);
        void *made = NULL;
        int rc = step(&a, &made);
        if (rc == PW_OK) {
            release(made);
            PW_CHECK_INT(b.live_blocks, 0);
            return (int)budget + 1;
        }
        PW_CHECK_INT(rc, PW_ENOMEM);
        PW_CHECK_INT(b.live_blocks, 0);
        if (rc != PW_ENOMEM || b.live_blocks != 0)
            return -1;
    }
    return -1;
}

static void release_model(void *m) {
    pw_model_free(m);
}

static void release_classifier(void *c) {
    pw_classifier_free(c);
}

static int step_train(const pw_allocator *a, void **made) {
    return train_small(a, (pw_model **)made);
}

static int step_load(const pw_allocator *a, void **made) {
    size_t len = 0;
    pw_model_save(model, NULL, 0, &len);
    unsigned char *buf = malloc(len);
    pw_model_save(model, buf, len, &len);
    int rc = pw_model_load(buf, len, a, (pw_model **)made);
    free(buf);
    return rc;
}

static int step_classifier(const pw_allocator *a, void **made) {
    return pw_classifier_new(model, a, (pw_classifier **)made);
}

/* Clone and add an intent, both through the budget (the clone carries the allocator). */
static int step_clone_and_grow(const pw_allocator *a, void **made) {
    pw_model *loaded = NULL;
    int rc = step_load(a, (void **)&loaded);
    if (rc != PW_OK)
        return rc;
    pw_model *clone = NULL;
    rc = pw_model_clone(loaded, &clone);
    pw_model_free(loaded);
    if (rc != PW_OK)
        return rc;
    rc = pw_model_add_intent(clone, "new_intent", 10);
    if (rc < 0) {
        PW_CHECK_INT(pw_model_intent_count(clone), 4); /* unchanged on failure */
        pw_model_free(clone);
        return rc;
    }
    *made = clone;
    return PW_OK;
}

static void every_constructor_survives_out_of_memory(void) {
    PW_CHECK(oom_loop(step_train, release_model) > 5);
    PW_CHECK(oom_loop(step_load, release_model) > 3);
    PW_CHECK(oom_loop(step_classifier, release_classifier) > 1);
    PW_CHECK(oom_loop(step_clone_and_grow, release_model) > 5);
}

int main(void) {
    PW_RUN(trains_and_recognises_paraphrases);
    if (!model)
        return pw_test_exit_code();
    PW_RUN(unknown_text_is_out_of_scope_or_unsure);
    PW_RUN(training_is_deterministic);
    PW_RUN(train_rejects_bad_input);
    PW_RUN(file_round_trip_preserves_predictions);
    PW_RUN(corrupt_files_are_rejected);
    PW_RUN(compact_export_is_smaller_and_agrees);
    PW_RUN(learning_one_example_changes_the_answer);
    PW_RUN(a_new_intent_can_be_taught_without_retraining);
    PW_RUN(every_constructor_survives_out_of_memory);
    pw_model_free(model);
    return pw_test_exit_code();
}
