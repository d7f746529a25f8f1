/* `pagewise eval`: classify every row of a labelled file with a trained model and report how
 * well it did (metrics.c has the definitions). Only the classify loop is timed, so the speed
 * figure is the classifier's and not the JSON parser's.
 * SPDX-License-Identifier: MIT */
#include "cli.h"
#include "eval_report.h"
#include "jsonl.h"
#include "metrics.h"
#include "modelfile.h"
#include "options.h"

#include "pw/classify.h"
#include "pw/model.h"
#include "pw/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: pagewise eval --model MODEL --data FILE [--oos-label L] [--json]\n"
    "  --model MODEL   a model file from `pagewise train`\n"
    "  --data FILE     labelled examples: JSON Lines of {\"text\": ..., \"label\": ...}\n"
    "  --oos-label L   the label of out-of-scope rows (default oos)\n"
    "  --json          print one JSON object instead of the report\n";

typedef struct eval_args {
    const char *model, *data, *oos_label;
    int json;
} eval_args;

/* Returns PW_OPTS_RUN, or the exit status to stop with. */
static int parse_args(int argc, char **argv, eval_args *a) {
    const pw_opt opts[] = {
        {"--model", PW_OPT_STRING, &a->model, 1},
        {"--data", PW_OPT_STRING, &a->data, 1},
        {"--oos-label", PW_OPT_STRING, &a->oos_label, 0},
        {"--json", PW_OPT_FLAG, &a->json, 0},
    };
    return pw_opts_parse("eval", usage, opts, PW_OPTS_COUNT(opts), argc, argv);
}

/* A row labelled with the out-of-scope label, or with the model's own out-of-scope class, is
 * out-of-scope; a label the model does not know cannot be predicted and counts as an error. */
static int32_t truth_of(const pw_model *m, const pw_example *r, const pw_eval_classes *cl) {
    if (strcmp(r->label, cl->oos_label) == 0)
        return cl->oos_class;
    int intent = pw_model_find_intent(m, r->label, r->label_len);
    return intent >= 0 ? intent : PW_EVAL_UNKNOWN;
}

static void warn_unknown(const pw_examples *set, const pw_eval_row *rows, const char *path) {
    size_t unknown = 0, first = 0;
    for (size_t i = 0; i < set->count; i++)
        if (rows[i].truth == PW_EVAL_UNKNOWN && unknown++ == 0)
            first = i;
    if (unknown)
        fprintf(stderr,
                "pagewise eval: warning: %zu rows have labels the model does not know "
                "(first \"%s\" at %s:%zu); they count as errors\n",
                unknown, set->rows[first].label, path, set->rows[first].line);
}

/* Classifies every row into `rows`, timing the loop alone. Returns 0, or 1 after reporting. */
static int classify_all(const pw_model *m, const pw_examples *set, const char *path,
                        int32_t oos_class, pw_eval_row *rows, double *seconds) {
    pw_classifier *c = NULL;
    if (pw_classifier_new(m, NULL, &c) != PW_OK)
        return pw_cli_fail("eval", "out of memory");
    int rc = PW_OK;
    size_t i = 0;
    double start = pw_cli_seconds();
    for (; i < set->count; i++) {
        pw_prediction p;
        rc = pw_classify(c, set->rows[i].text, set->rows[i].text_len, &p);
        if (rc != PW_OK)
            break;
        rows[i].predicted = p.out_of_scope ? oos_class : p.intent;
        rows[i].top = p.intent;
        rows[i].confidence = p.confidence;
    }
    *seconds = pw_cli_seconds() - start;
    pw_classifier_free(c);
    if (rc != PW_OK)
        return pw_cli_fail("eval", "%s:%zu: %s", path, set->rows[i].line, pw_strerror(rc));
    return 0;
}

static int evaluate(const pw_model *m, const pw_examples *set, const eval_args *a) {
    int32_t intents = (int32_t)pw_model_intent_count(m), model_oos = pw_model_oos_intent(m);
    /* Without an explicit out-of-scope class, rejections get a class id of their own. */
    pw_eval_classes cl = {.count = model_oos >= 0 ? intents : intents + 1,
                          .oos_class = model_oos >= 0 ? model_oos : intents,
                          .oos_label = a->oos_label};
    pw_eval_row *rows = calloc(set->count, sizeof *rows);
    if (!rows)
        return pw_cli_fail("eval", "out of memory");
    for (size_t i = 0; i < set->count; i++)
        rows[i].truth = truth_of(m, &set->rows[i], &cl);
    warn_unknown(set, rows, a->data);
    double seconds = 0;
    pw_eval_metrics metrics;
    int rc = classify_all(m, set, a->data, cl.oos_class, rows, &seconds);
    if (rc == 0 && pw_eval_compute(rows, set->count, cl.count, cl.oos_class, &metrics))
        rc = pw_cli_fail("eval", "out of memory");
    free(rows);
    if (rc)
        return rc;
    double us = seconds * 1e6 / (double)set->count;
    if (a->json)
        return pw_eval_print_json(m, &cl, &metrics, us);
    pw_eval_print_text(m, &cl, &metrics, us, a->model, a->data);
    return 0;
}

int pw_cli_eval(int argc, char **argv) {
    eval_args a = {.oos_label = "oos"};
    int rc = parse_args(argc, argv, &a);
    if (rc != PW_OPTS_RUN)
        return rc;
    pw_model *m = NULL;
    if (pw_modelfile_load("eval", a.model, &m))
        return 1;
    char err[512];
    pw_examples set = {0};
    if (pw_jsonl_read(a.data, &set, err, sizeof err))
        rc = pw_cli_fail("eval", "%s", err);
    else if (set.count == 0)
        rc = pw_cli_fail("eval", "%s: no rows", a.data);
    else
        rc = evaluate(m, &set, &a);
    pw_examples_free(&set);
    pw_model_free(m);
    return rc;
}
