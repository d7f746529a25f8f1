/* Evaluation metrics. Per-class tallies instead of a confusion matrix: with 4,096 intents a
 * dense matrix would be 16M cells, while the tallies and a sorted copy of the errors stay
 * linear in the rows.
 * SPDX-License-Identifier: MIT */
#include "metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct tally {
    size_t tp, fp, fn;
} tally;

static double ratio(size_t num, size_t den) {
    return den ? (double)num / (double)den : NAN;
}

static void rates(const pw_eval_row *rows, size_t n, int32_t oos, pw_eval_metrics *m) {
    size_t correct = 0, in_scope = 0, in_scope_correct = 0, rejected = 0, oos_hit = 0;
    for (size_t i = 0; i < n; i++) {
        const pw_eval_row *r = &rows[i];
        int right = r->truth == r->predicted;
        correct += (size_t)right;
        rejected += r->predicted == oos;
        m->unknown_rows += r->truth == PW_EVAL_UNKNOWN;
        if (r->truth == oos) {
            m->oos_rows++;
            oos_hit += (size_t)right;
        } else {
            in_scope++;
            in_scope_correct += (size_t)right;
        }
    }
    m->rows = n;
    m->accuracy = ratio(correct, n);
    m->in_scope_accuracy = ratio(in_scope_correct, in_scope);
    m->oos_recall = ratio(oos_hit, m->oos_rows);
    m->oos_precision = ratio(oos_hit, rejected);
}

/* Calibration: within each confidence bin, how far the mean confidence of the top in-scope
 * intent is from how often it was right, weighted by the bin's share of rows. */
static double calibration_error(const pw_eval_row *rows, size_t n, int32_t oos) {
    size_t count[PW_EVAL_ECE_BINS] = {0}, total = 0;
    double conf[PW_EVAL_ECE_BINS] = {0}, hits[PW_EVAL_ECE_BINS] = {0};
    for (size_t i = 0; i < n; i++) {
        const pw_eval_row *r = &rows[i];
        if (r->truth == oos || r->truth == PW_EVAL_UNKNOWN)
            continue;
        int bin = (int)(r->confidence * PW_EVAL_ECE_BINS);
        bin = bin < 0 ? 0 : bin >= PW_EVAL_ECE_BINS ? PW_EVAL_ECE_BINS - 1 : bin;
        count[bin]++, total++;
        conf[bin] += r->confidence;
        hits[bin] += r->top == r->truth;
    }
    if (!total)
        return NAN;
    double ece = 0;
    for (int b = 0; b < PW_EVAL_ECE_BINS; b++)
        ece += (hits[b] > conf[b] ? hits[b] - conf[b] : conf[b] - hits[b]) / (double)total;
    return ece;
}

/* Lowest F1 first; among equals, the class with more rows matters more. */
static int by_f1(const void *pa, const void *pb) {
    const pw_class_score *a = pa, *b = pb;
    if (a->f1 != b->f1)
        return a->f1 < b->f1 ? -1 : 1;
    if (a->support != b->support)
        return a->support > b->support ? -1 : 1;
    return (a->cls > b->cls) - (a->cls < b->cls);
}

static void tally_classes(const pw_eval_row *rows, size_t n, tally *t) {
    for (size_t i = 0; i < n; i++) {
        const pw_eval_row *r = &rows[i];
        if (r->truth == r->predicted) {
            t[r->truth].tp++;
            continue;
        }
        t[r->predicted].fp++;
        if (r->truth != PW_EVAL_UNKNOWN)
            t[r->truth].fn++;
    }
}

/* Macro F1 and the worst classes, over the classes that have rows. */
static int class_scores(const pw_eval_row *rows, size_t n, int32_t classes, pw_eval_metrics *m) {
    size_t count = classes > 0 ? (size_t)classes : 1;
    tally *t = calloc(count, sizeof *t);
    pw_class_score *s = calloc(count, sizeof *s);
    if (!t || !s) {
        free(t);
        free(s);
        return -1;
    }
    tally_classes(rows, n, t);
    size_t present = 0;
    double sum = 0;
    for (int32_t c = 0; c < classes; c++) {
        size_t support = t[c].tp + t[c].fn;
        if (!support)
            continue;
        double f1 = 2.0 * (double)t[c].tp / (double)(2 * t[c].tp + t[c].fp + t[c].fn);
        s[present++] = (pw_class_score){.cls = c, .support = support, .f1 = f1};
        sum += f1;
    }
    m->macro_f1 = present ? sum / (double)present : NAN;
    qsort(s, present, sizeof *s, by_f1);
    m->worst_count = present < PW_EVAL_TOP ? present : PW_EVAL_TOP;
    memcpy(m->worst, s, m->worst_count * sizeof *s);
    free(t);
    free(s);
    return 0;
}

static int by_pair(const void *pa, const void *pb) {
    const pw_confusion *a = pa, *b = pb;
    if (a->truth != b->truth)
        return a->truth < b->truth ? -1 : 1;
    return (a->predicted > b->predicted) - (a->predicted < b->predicted);
}

/* Commonest first; ties in class order so the report is stable. */
static int by_count(const void *pa, const void *pb) {
    const pw_confusion *a = pa, *b = pb;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return by_pair(pa, pb);
}

/* The commonest (truth, predicted) error pairs: sort the errors, merge equal pairs, sort the
 * merged pairs by count. */
static int confusions(const pw_eval_row *rows, size_t n, pw_eval_metrics *m) {
    pw_confusion *e = malloc((n ? n : 1) * sizeof *e);
    if (!e)
        return -1;
    size_t errors = 0;
    for (size_t i = 0; i < n; i++)
        if (rows[i].truth != PW_EVAL_UNKNOWN && rows[i].truth != rows[i].predicted)
            e[errors++] = (pw_confusion){rows[i].truth, rows[i].predicted, 1};
    qsort(e, errors, sizeof *e, by_pair);
    size_t pairs = 0;
    for (size_t i = 0; i < errors; i++) {
        if (pairs && by_pair(&e[pairs - 1], &e[i]) == 0)
            e[pairs - 1].count++;
        else
            e[pairs++] = e[i];
    }
    qsort(e, pairs, sizeof *e, by_count);
    m->confusion_count = pairs < PW_EVAL_TOP ? pairs : PW_EVAL_TOP;
    memcpy(m->confusions, e, m->confusion_count * sizeof *e);
    free(e);
    return 0;
}

int pw_eval_compute(const pw_eval_row *rows, size_t n, int32_t classes, int32_t oos_class,
                    pw_eval_metrics *out) {
    memset(out, 0, sizeof *out);
    rates(rows, n, oos_class, out);
    out->ece = calibration_error(rows, n, oos_class);
    if (class_scores(rows, n, classes, out) || confusions(rows, n, out))
        return -1;
    return 0;
}
