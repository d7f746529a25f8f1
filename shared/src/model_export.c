/* The compact export for the widget: the most important feature rows only, each row's weights
 * quantised to signed bytes with one float scale. Importance is the largest contribution a
 * feature can make, idf * max_k |w_k|; rows that never matter much are the ones pruned.
 * SPDX-License-Identifier: MIT */
#include "alloc_int.h"
#include "model_io_int.h"
#include "sort_int.h"
#include "pw/status.h"

#include <string.h>

/* Chooses the `keep` most important rows and writes their indices ascending into `rows`.
 * Ties break towards the higher row index, deterministically. */
static int choose_rows(const pw_model *m, uint32_t keep, uint32_t *rows) {
    size_t n = m->rows ? m->rows : 1;
    uint64_t *keys = pw__alloc(&m->alloc, n * sizeof *keys);
    uint64_t *tmp = pw__alloc(&m->alloc, n * sizeof *tmp);
    int rc = keys && tmp ? PW_OK : PW_ENOMEM;
    if (rc == PW_OK) {
        for (uint32_t r = 0; r < m->rows; r++) {
            float importance = m->idf[r] * m->qscale[r]; /* qscale is max |w| / 127 */
            uint32_t bits; /* non-negative floats order like their bit patterns */
            memcpy(&bits, &importance, sizeof bits);
            keys[r] = (uint64_t)bits << 32 | r;
        }
        pw__radix_sort_u64(keys, tmp, m->rows);
        for (uint32_t i = 0; i < keep; i++)
            tmp[i] = (uint32_t)keys[m->rows - 1 - i];
        pw__radix_sort_u64(tmp, keys, keep);
        for (uint32_t i = 0; i < keep; i++)
            rows[i] = (uint32_t)tmp[i];
    }
    pw__free(&m->alloc, keys, n * sizeof *keys);
    pw__free(&m->alloc, tmp, n * sizeof *tmp);
    return rc;
}

/* The serving copy is already quantised the way the file stores it. */
static void write_quantised(pw__writer *w, const pw_model *m, const uint32_t *rows, uint32_t n) {
    size_t s = pw__section_begin(w, PW__TAG_WEIGHTS_Q8);
    for (uint32_t i = 0; i < n; i++)
        pw__put_f32(w, m->qscale[rows[i]]);
    for (uint32_t i = 0; i < n; i++)
        pw__put_bytes(w, m->qweights + (size_t)rows[i] * m->intents, m->intents);
    pw__section_end(w, s);
}

int pw_model_export_compact(const pw_model *m, uint32_t max_features, void *out, size_t cap,
                            size_t *out_len) {
    if (!m || !out_len || (!out && cap))
        return PW_EINVAL;
    uint32_t keep = max_features && max_features < m->rows ? max_features : m->rows;
    uint32_t *rows = pw__alloc(&m->alloc, (keep ? keep : 1) * sizeof *rows);
    if (!rows)
        return PW_ENOMEM;
    int rc = choose_rows(m, keep, rows);
    if (rc == PW_OK) {
        pw__writer w = {out, cap, 0};
        pw__write_header(&w, 6);
        pw__write_common(&w, m, rows, keep);
        write_quantised(&w, m, rows, keep);
        *out_len = w.len;
        rc = w.len <= cap ? PW_OK : PW_ETRUNC;
    }
    pw__free(&m->alloc, rows, (keep ? keep : 1) * sizeof *rows);
    return rc;
}
