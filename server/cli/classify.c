/* `pagewise classify`: one message through a model, showing the top intents with their
 * calibrated probabilities and whether the model would call it out of scope. For trying a
 * model by hand and for scripts (--json).
 * SPDX-License-Identifier: MIT */
#include "cli.h"
#include "jsonout.h"
#include "modelfile.h"
#include "options.h"

#include "pw/classify.h"
#include "pw/model.h"
#include "pw/status.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: pagewise classify --model MODEL [--top K] [--json] [--] TEXT\n"
    "  --model MODEL   a model file from `pagewise train` or `pagewise export`\n"
    "  --top K         intents to show, 1-" PW_XSTR(
        PW_CLASSIFY_TOP_K) " (default 3)\n"
                           "  --json          print one JSON object\n";

typedef struct classify_args {
    const char *model, *text;
    uint32_t top;
    int json;
} classify_args;

/* Returns PW_OPTS_RUN, or the exit status to stop with. */
static int parse_args(int argc, char **argv, classify_args *a) {
    const pw_opt opts[] = {
        {"--model", PW_OPT_STRING, &a->model, 1},
        {"--top", PW_OPT_U32, &a->top, 0},
        {"--json", PW_OPT_FLAG, &a->json, 0},
        {"TEXT", PW_OPT_POSITIONAL, &a->text, 1},
    };
    int rc = pw_opts_parse("classify", usage, opts, PW_OPTS_COUNT(opts), argc, argv);
    if (rc == PW_OPTS_RUN && (a->top < 1 || a->top > PW_CLASSIFY_TOP_K))
        return pw_opts_usage_error("classify", usage, "--top must be 1-%d", PW_CLASSIFY_TOP_K);
    return rc;
}

static uint32_t shown(const pw_prediction *p, uint32_t top) {
    return p->top_count < top ? p->top_count : top;
}

static void print_text(const pw_model *m, const pw_prediction *p, uint32_t top) {
    char label[PW_LABEL_CAP];
    for (uint32_t i = 0; i < shown(p, top); i++)
        printf("%-40s %.4f\n", pw_modelfile_label(m, p->top[i].intent, label),
               p->top[i].probability);
    const char *best = pw_modelfile_label(m, p->intent, label);
    if (!p->out_of_scope)
        printf("intent %s (confidence %.4f)\n", best, p->confidence);
    else if (p->top_count && p->top[0].intent == pw_model_oos_intent(m))
        printf("out of scope: the out-of-scope class is most likely (%.4f)\n", p->oos_probability);
    else
        printf("out of scope: the best intent, %s, is below the threshold (%.4f < %.4f)\n", best,
               p->confidence, pw_model_oos_threshold(m));
    if (p->features == 0)
        printf("note: nothing in this text is known to the model\n");
}

static int print_json(const pw_model *m, const pw_prediction *p, uint32_t top) {
    char label[PW_LABEL_CAP];
    cJSON *root = cJSON_CreateObject();
    int failed = pw_json_string(root, "intent", pw_modelfile_label(m, p->intent, label)) ||
                 pw_json_number(root, "confidence", p->confidence) ||
                 pw_json_bool(root, "out_of_scope", p->out_of_scope) ||
                 pw_json_number(root, "oos_probability", p->oos_probability) ||
                 pw_json_number(root, "features", p->features);
    cJSON *list = cJSON_AddArrayToObject(root, "top");
    failed = failed || !list;
    for (uint32_t i = 0; i < shown(p, top) && !failed; i++) {
        cJSON *item = pw_json_append_object(list);
        failed = !item ||
                 pw_json_string(item, "label", pw_modelfile_label(m, p->top[i].intent, label)) ||
                 pw_json_number(item, "probability", p->top[i].probability);
    }
    return pw_json_emit("classify", root, failed);
}

int pw_cli_classify(int argc, char **argv) {
    classify_args a = {.top = 3};
    int rc = parse_args(argc, argv, &a);
    if (rc != PW_OPTS_RUN)
        return rc;
    pw_model *m = NULL;
    if (pw_modelfile_load("classify", a.model, &m))
        return 1;
    pw_classifier *c = NULL;
    pw_prediction p;
    rc = pw_classifier_new(m, NULL, &c);
    if (rc == PW_OK)
        rc = pw_classify(c, a.text, strlen(a.text), &p);
    if (rc != PW_OK)
        rc = pw_cli_fail("classify", "%s", pw_strerror(rc));
    else if (a.json)
        rc = print_json(m, &p, a.top);
    else
        print_text(m, &p, a.top);
    if (c)
        pw_classifier_free(c);
    pw_model_free(m);
    return rc;
}
