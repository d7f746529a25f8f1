/* Printing eval's results: the text report and the JSON object.
 * SPDX-License-Identifier: MIT */
#include "eval_report.h"
#include "cli.h"
#include "jsonout.h"
#include "modelfile.h"

#include <math.h>
#include <stdio.h>

static const char *class_label(const pw_model *m, const pw_eval_classes *cl, int32_t cls,
                               char buf[PW_LABEL_CAP]) {
    if (cls == cl->oos_class && pw_model_oos_intent(m) < 0)
        return cl->oos_label;
    return pw_modelfile_label(m, cls, buf);
}

static void print_rate(const char *name, double v) {
    if (isnan(v))
        printf("  %-20s n/a\n", name);
    else
        printf("  %-20s %.4f\n", name, v);
}

static void print_lists(const pw_model *m, const pw_eval_classes *cl, const pw_eval_metrics *x) {
    char a[PW_LABEL_CAP], b[PW_LABEL_CAP];
    if (x->worst_count)
        printf("worst intents (F1, rows):\n");
    for (size_t i = 0; i < x->worst_count; i++)
        printf("  %-40s %.4f %6zu\n", class_label(m, cl, x->worst[i].cls, a), x->worst[i].f1,
               x->worst[i].support);
    if (x->confusion_count)
        printf("most frequent confusions (true -> predicted: rows):\n");
    for (size_t i = 0; i < x->confusion_count; i++)
        printf("  %s -> %s: %zu\n", class_label(m, cl, x->confusions[i].truth, a),
               class_label(m, cl, x->confusions[i].predicted, b), x->confusions[i].count);
}

void pw_eval_print_text(const pw_model *m, const pw_eval_classes *cl, const pw_eval_metrics *x,
                        double us_per_message, const char *model_path, const char *data_path) {
    printf("%s on %s: %zu rows (%zu out-of-scope, %zu with labels the model does not know)\n",
           model_path, data_path, x->rows, x->oos_rows, x->unknown_rows);
    print_rate("accuracy", x->accuracy);
    print_rate("macro F1", x->macro_f1);
    print_rate("in-scope accuracy", x->in_scope_accuracy);
    print_rate("oos recall", x->oos_recall);
    print_rate("oos precision", x->oos_precision);
    print_rate("ECE (15 bins)", x->ece);
    printf("  %-20s %.2f us/message (one thread)\n", "speed", us_per_message);
    print_lists(m, cl, x);
}

static int add_worst(cJSON *root, const pw_model *m, const pw_eval_classes *cl,
                     const pw_eval_metrics *x) {
    cJSON *list = cJSON_AddArrayToObject(root, "worst_intents");
    int bad = !list;
    for (size_t i = 0; i < x->worst_count && !bad; i++) {
        char buf[PW_LABEL_CAP];
        cJSON *item = pw_json_append_object(list);
        bad = !item || pw_json_string(item, "label", class_label(m, cl, x->worst[i].cls, buf)) ||
              pw_json_number(item, "f1", x->worst[i].f1) ||
              pw_json_number(item, "support", (double)x->worst[i].support);
    }
    return bad ? -1 : 0;
}

static int add_confusions(cJSON *root, const pw_model *m, const pw_eval_classes *cl,
                          const pw_eval_metrics *x) {
    cJSON *list = cJSON_AddArrayToObject(root, "confusions");
    int bad = !list;
    for (size_t i = 0; i < x->confusion_count && !bad; i++) {
        char a[PW_LABEL_CAP], b[PW_LABEL_CAP];
        const pw_confusion *c = &x->confusions[i];
        cJSON *item = pw_json_append_object(list);
        bad = !item || pw_json_string(item, "true", class_label(m, cl, c->truth, a)) ||
              pw_json_string(item, "predicted", class_label(m, cl, c->predicted, b)) ||
              pw_json_number(item, "count", (double)c->count);
    }
    return bad ? -1 : 0;
}

static int add_numbers(cJSON *root, const pw_eval_metrics *x, double us_per_message) {
    return pw_json_number(root, "rows", (double)x->rows) ||
           pw_json_number(root, "oos_rows", (double)x->oos_rows) ||
           pw_json_number(root, "unknown_label_rows", (double)x->unknown_rows) ||
           pw_json_number(root, "accuracy", x->accuracy) ||
           pw_json_number(root, "macro_f1", x->macro_f1) ||
           pw_json_number(root, "in_scope_accuracy", x->in_scope_accuracy) ||
           pw_json_number(root, "oos_recall", x->oos_recall) ||
           pw_json_number(root, "oos_precision", x->oos_precision) ||
           pw_json_number(root, "ece", x->ece) ||
           pw_json_number(root, "us_per_message", us_per_message);
}

int pw_eval_print_json(const pw_model *m, const pw_eval_classes *cl, const pw_eval_metrics *x,
                       double us_per_message) {
    cJSON *root = cJSON_CreateObject();
    int failed = add_numbers(root, x, us_per_message) || add_worst(root, m, cl, x) ||
                 add_confusions(root, m, cl, x);
    return pw_json_emit("eval", root, failed);
}
