/* `pagewise eval`'s two outputs: the report a person reads and the one JSON object a script or
 * benchmark reads. Both show the same numbers.
 * SPDX-License-Identifier: MIT */
#ifndef PW_CLI_EVAL_REPORT_H
#define PW_CLI_EVAL_REPORT_H

#include "metrics.h"

#include "pw/model.h"

#include <stdint.h>

/* How class ids map to labels: the model's intents, plus the out-of-scope class, which is the
 * model's own when it has one and otherwise the extra id `count - 1` named `oos_label`. */
typedef struct pw_eval_classes {
    int32_t count;
    int32_t oos_class;
    const char *oos_label;
} pw_eval_classes;

/* Prints the human-readable report to stdout. */
void pw_eval_print_text(const pw_model *m, const pw_eval_classes *cl, const pw_eval_metrics *x,
                        double us_per_message, const char *model_path, const char *data_path);

/* Prints exactly one JSON object and a newline to stdout: the rates (null when undefined),
 * row counts, us_per_message, worst_intents [{label, f1, support}] and confusions
 * [{true, predicted, count}]. Returns 0, or 1 after reporting that memory ran out. */
int pw_eval_print_json(const pw_model *m, const pw_eval_classes *cl, const pw_eval_metrics *x,
                       double us_per_message);

#endif
