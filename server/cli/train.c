/* `pagewise train`: labelled JSON Lines in, a model file out. Input problems are reported with
 * their file and line before any training starts, so a typo on line 9,000 costs seconds.
 * SPDX-License-Identifier: MIT */
#include "cli.h"
#include "jsonl.h"
#include "modelfile.h"
#include "options.h"

#include "pw/model.h"
#include "pw/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: pagewise train --data FILE --out MODEL [--valid FILE] [options]\n"
    "  --data FILE        training examples: JSON Lines of {\"text\": ..., \"label\": ...}\n"
    "  --valid FILE       validation examples (calibration and the out-of-scope threshold);\n"
    "                     without it a held-out share of --data is used\n"
    "  --out MODEL        model file to write (replaced atomically)\n"
    "  --oos-label L      the label that marks out-of-scope examples (default oos)\n"
    "  --epochs N         passes over the training set (1-1000)\n"
    "  --lr X             learning rate, (0, 10]\n"
    "  --char-min N       shortest character n-gram (1-8)\n"
    "  --char-max N       longest character n-gram (char-min-8; 0 disables them)\n"
    "  --word-ngrams N    longest word n-gram (1 = single words)\n"
    "  --min-count N      drop features seen in fewer examples (>= 1)\n"
    "  --holdout X        share of --data held out without --valid, [0, 0.5]\n"
    "  --reject-rate X    share of in-scope validation examples the threshold may reject,"
    " [0, 0.5]\n"
    "  --seed N           shuffling and the held-out split\n"
    "  --dropout X        share of features dropped per training step, [0, 0.9)\n"
    "  --refit N          1: after calibrating, retrain on training + validation rows (default);\n"
    "                     0: keep the model trained on the training rows only\n";

typedef struct train_args {
    const char *data, *valid, *out, *oos_label;
    pw_train_options options;
} train_args;

/* The flag for each pw_train_options field, so the core's "learning_rate is invalid" reaches
 * the user as the flag they typed. */
static const struct {
    const char *field, *flag;
} field_flags[] = {
    {"seed", "--seed"},
    {"epochs", "--epochs"},
    {"learning_rate", "--lr"},
    {"char_min", "--char-min"},
    {"char_max", "--char-max"},
    {"word_ngrams", "--word-ngrams"},
    {"min_count", "--min-count"},
    {"holdout_fraction", "--holdout"},
    {"reject_rate", "--reject-rate"},
    {"feature_dropout", "--dropout"},
    {"refit", "--refit"},
};

static const char *flag_of(const char *field) {
    for (size_t i = 0; i < sizeof field_flags / sizeof field_flags[0]; i++)
        if (strcmp(field_flags[i].field, field) == 0)
            return field_flags[i].flag;
    return "option";
}

/* Returns PW_OPTS_RUN, or the exit status to stop with. */
static int parse_args(int argc, char **argv, train_args *a) {
    pw_train_options *o = &a->options;
    const pw_opt opts[] = {
        {"--data", PW_OPT_STRING, &a->data, 1},
        {"--valid", PW_OPT_STRING, &a->valid, 0},
        {"--out", PW_OPT_STRING, &a->out, 1},
        {"--oos-label", PW_OPT_STRING, &a->oos_label, 0},
        {"--epochs", PW_OPT_U32, &o->epochs, 0},
        {"--lr", PW_OPT_DOUBLE, &o->learning_rate, 0},
        {"--char-min", PW_OPT_U32, &o->char_min, 0},
        {"--char-max", PW_OPT_U32, &o->char_max, 0},
        {"--word-ngrams", PW_OPT_U32, &o->word_ngrams, 0},
        {"--min-count", PW_OPT_U32, &o->min_count, 0},
        {"--seed", PW_OPT_U32, &o->seed, 0},
        {"--reject-rate", PW_OPT_DOUBLE, &o->reject_rate, 0},
        {"--holdout", PW_OPT_DOUBLE, &o->holdout_fraction, 0},
        {"--dropout", PW_OPT_DOUBLE, &o->feature_dropout, 0},
        {"--refit", PW_OPT_U32, &o->refit, 0},
    };
    int rc = pw_opts_parse("train", usage, opts, PW_OPTS_COUNT(opts), argc, argv);
    if (rc != PW_OPTS_RUN)
        return rc;
    if (strlen(a->oos_label) > PW_MODEL_MAX_LABEL)
        return pw_opts_usage_error("train", usage, "--oos-label is longer than %d bytes",
                                   PW_MODEL_MAX_LABEL);
    const char *bad = pw_train_options_check(o);
    if (bad)
        return pw_opts_usage_error("train", usage, "%s: %s out of range", flag_of(bad), bad);
    return PW_OPTS_RUN;
}

/* Adds every row of `set` to the trainer. Returns 0 or 1 after reporting the row. */
static int add_rows(pw_trainer *t, const pw_examples *set, const char *path, int validation) {
    for (size_t i = 0; i < set->count; i++) {
        const pw_example *r = &set->rows[i];
        int rc = pw_trainer_add(t, r->text, r->text_len, r->label, r->label_len, validation);
        if (rc == PW_ERANGE)
            return pw_cli_fail("train", "%s:%zu: more than %d different labels", path, r->line,
                               PW_MODEL_MAX_INTENTS);
        if (rc < 0)
            return pw_cli_fail("train", "%s:%zu: %s", path, r->line, pw_strerror(rc));
    }
    return 0;
}

static int read_examples(const char *path, pw_examples *set) {
    char err[512];
    if (pw_jsonl_read(path, set, err, sizeof err))
        return pw_cli_fail("train", "%s", err);
    if (set->count == 0)
        return pw_cli_fail("train", "%s: no examples", path);
    return 0;
}

/* Reads the examples into a new trainer and counts them (rows[0] training, rows[1] validation).
 * Returns 0 or 1 after reporting the problem. */
static int load_trainer(const train_args *a, pw_trainer **out, size_t rows[2]) {
    pw_examples train = {0}, valid = {0};
    int rc = read_examples(a->data, &train);
    if (rc == 0 && a->valid)
        rc = read_examples(a->valid, &valid);
    pw_trainer *t = NULL;
    if (rc == 0 && pw_trainer_new(&a->options, NULL, &t) != PW_OK)
        rc = pw_cli_fail("train", "out of memory");
    if (rc == 0 && pw_trainer_set_oos_label(t, a->oos_label, strlen(a->oos_label)) != PW_OK)
        rc = pw_cli_fail("train", "--oos-label: invalid label");
    if (rc == 0)
        rc = add_rows(t, &train, a->data, 0);
    if (rc == 0 && a->valid)
        rc = add_rows(t, &valid, a->valid, 1);
    rows[0] = train.count, rows[1] = valid.count;
    pw_examples_free(&train);
    pw_examples_free(&valid);
    if (rc && t)
        pw_trainer_free(t);
    else
        *out = t;
    return rc;
}

static int write_model(const pw_model *m, const char *path, size_t *bytes) {
    unsigned char *data = NULL;
    int rc = pw_modelfile_encode(m, 0, 0, &data, bytes);
    if (rc != PW_OK)
        return pw_cli_fail("train", "%s: cannot serialise the model: %s", path, pw_strerror(rc));
    char err[512];
    rc = pw_file_write_atomic(path, data, *bytes, err, sizeof err);
    free(data);
    return rc ? pw_cli_fail("train", "%s", err) : 0;
}

static void print_summary(const train_args *a, const pw_model *m, const size_t rows[2],
                          double seconds, size_t bytes) {
    int has_oos = pw_model_oos_intent(m) >= 0;
    printf("wrote %s\n", a->out);
    if (a->valid)
        printf("  examples          %zu training, %zu validation\n", rows[0], rows[1]);
    else
        printf("  examples          %zu (%.0f%% held out for calibration)\n", rows[0],
               a->options.holdout_fraction * 100);
    printf("  intents           %u%s\n", pw_model_intent_count(m) - (has_oos ? 1u : 0u),
           has_oos ? " + the out-of-scope class" : "");
    printf("  features          %u\n", pw_model_feature_count(m));
    printf("  training          %.3f s\n", seconds);
    printf("  temperature       %.4f\n", pw_model_temperature(m));
    printf("  oos threshold     %.4f\n", pw_model_oos_threshold(m));
    printf("  file              %zu bytes\n", bytes);
}

int pw_cli_train(int argc, char **argv) {
    train_args a = {.oos_label = "oos", .options = pw_train_options_default()};
    int rc = parse_args(argc, argv, &a);
    if (rc != PW_OPTS_RUN)
        return rc;
    pw_trainer *t = NULL;
    size_t rows[2] = {0, 0};
    if (load_trainer(&a, &t, rows))
        return 1;
    pw_model *m = NULL;
    double start = pw_cli_seconds();
    rc = pw_trainer_train(t, &m);
    double seconds = pw_cli_seconds() - start;
    pw_trainer_free(t);
    if (rc == PW_ESTATE)
        return pw_cli_fail("train", "%s: training needs at least two different labels", a.data);
    if (rc != PW_OK)
        return pw_cli_fail("train", "training failed: %s", pw_strerror(rc));
    size_t bytes = 0;
    rc = write_model(m, a.out, &bytes);
    if (rc == 0)
        print_summary(&a, m, rows, seconds, bytes);
    pw_model_free(m);
    return rc;
}
