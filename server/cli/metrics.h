/* Classifier evaluation metrics from predictions already made: accuracy, macro F1, in-scope
 * accuracy, out-of-scope recall and precision, calibration error, the worst intents and the
 * commonest confusions. Pure arithmetic, no I/O and no model, so `eval` can time the classify
 * loop alone and the numbers can be checked by hand.
 * SPDX-License-Identifier: MIT */
#ifndef PW_CLI_METRICS_H
#define PW_CLI_METRICS_H

#include <stddef.h>
#include <stdint.h>

/* Rows are in class ids: 0 .. classes-1, one of which is the out-of-scope class. */
#define PW_EVAL_UNKNOWN  (-1) /* a row whose label the model does not know */
#define PW_EVAL_TOP      10   /* worst intents and confusions reported */
#define PW_EVAL_ECE_BINS 15

typedef struct pw_eval_row {
    int32_t truth;     /* the row's class, or PW_EVAL_UNKNOWN */
    int32_t predicted; /* the prediction's class: the out-of-scope class when rejected */
    int32_t top;       /* the most likely in-scope intent, rejected or not */
    double confidence; /* its calibrated probability */
} pw_eval_row;

typedef struct pw_class_score {
    int32_t cls;
    size_t support; /* rows of this class */
    double f1;
} pw_class_score;

typedef struct pw_confusion {
    int32_t truth, predicted;
    size_t count;
} pw_confusion;

/* Every rate is a fraction in [0, 1], or NAN when undefined (nothing to divide by). */
typedef struct pw_eval_metrics {
    size_t rows, oos_rows, unknown_rows;
    double accuracy;          /* predicted == truth over all rows (unknown rows are wrong) */
    double macro_f1;          /* mean F1 over the known classes present in the data */
    double in_scope_accuracy; /* accuracy over rows that are not out-of-scope; rejections wrong */
    double oos_recall;        /* out-of-scope rows that were rejected */
    double oos_precision;     /* rejections that were out-of-scope rows */
    double ece;               /* expected calibration error of `top`, known in-scope rows */
    size_t worst_count;
    pw_class_score worst[PW_EVAL_TOP]; /* lowest F1 first */
    size_t confusion_count;
    pw_confusion confusions[PW_EVAL_TOP]; /* commonest first; truth != predicted */
} pw_eval_metrics;

/* Computes the metrics of rows[0..n). Unknown rows count as errors and as false positives of
 * whatever they were predicted as, but are not a class of their own (the model cannot predict
 * them), so they appear in neither macro F1's classes nor the worst intents nor the confusions.
 * Returns 0, or -1 when out of memory. */
int pw_eval_compute(const pw_eval_row *rows, size_t n, int32_t classes, int32_t oos_class,
                    pw_eval_metrics *out);

#endif
