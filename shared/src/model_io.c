/* The model file: writing (full and compact) and validated loading. Every multi-byte value is
 * little-endian and assembled byte by byte, so the file is the same from either home.
 *
 *   header   "PWM\0", u32 version (1), u32 section count
 *   section  u32 tag, u32 payload bytes, u32 CRC-32 of the payload, payload
 *   META     u32 intents, rows, spare rows, char_min, char_max, word_ngrams; i32 oos intent;
 *            u32 training docs; f64 temperature, oos threshold, learning rate
 *   LABL     per intent: u8 length, bytes          KEYS  per row: u32 feature hash
 *   IDF      per row: f32                          BIAS  per intent: f32
 *   WF32     per row, per intent: f32     or  WQ8  per row: f32 scale; then per row, per
 *                                                  intent: i8 (weight = scale * value)
 * Unknown tags are skipped, so a later minor addition stays readable by this version.
 * SPDX-License-Identifier: MIT */
#include "crc32_int.h"
#include "model_io_int.h"
#include "pw/status.h"

#include <string.h>

void pw__put_bytes(pw__writer *w, const void *p, size_t n) {
    if (w->len + n <= w->cap && n)
        memcpy(w->out + w->len, p, n);
    w->len += n;
}

void pw__put_u32(pw__writer *w, uint32_t v) {
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    pw__put_bytes(w, b, 4);
}

void pw__put_f32(pw__writer *w, float f) {
    uint32_t v;
    memcpy(&v, &f, 4);
    pw__put_u32(w, v);
}

void pw__put_f64(pw__writer *w, double d) {
    uint64_t v;
    memcpy(&v, &d, 8);
    pw__put_u32(w, (uint32_t)v);
    pw__put_u32(w, (uint32_t)(v >> 32));
}

size_t pw__section_begin(pw__writer *w, uint32_t tag) {
    pw__put_u32(w, tag);
    pw__put_u32(w, 0);
    pw__put_u32(w, 0);
    return w->len;
}

/* Patches the length and checksum once the payload is known (only when it all fit). */
void pw__section_end(pw__writer *w, size_t payload_start) {
    if (w->len > w->cap)
        return;
    size_t n = w->len - payload_start;
    pw__writer patch = {w->out + payload_start - 8, 8, 0};
    pw__put_u32(&patch, (uint32_t)n);
    pw__put_u32(&patch, pw__crc32(w->out + payload_start, n));
}

void pw__write_header(pw__writer *w, uint32_t sections) {
    pw__put_bytes(w, "PWM", 4);
    pw__put_u32(w, PW__MODEL_VERSION);
    pw__put_u32(w, sections);
}

/* Everything but the weights: shared by the full and the compact writer. `rows` lists the
 * rows to write (NULL = all, in order). */
void pw__write_common(pw__writer *w, const pw_model *m, const uint32_t *rows, uint32_t n_rows) {
    size_t s = pw__section_begin(w, PW__TAG_META);
    pw__put_u32(w, m->intents);
    pw__put_u32(w, n_rows);
    pw__put_u32(w, m->rows_cap - m->rows);
    pw__put_u32(w, m->features.char_min);
    pw__put_u32(w, m->features.char_max);
    pw__put_u32(w, m->features.word_ngrams);
    pw__put_u32(w, (uint32_t)m->oos_intent);
    pw__put_u32(w, m->train_docs);
    pw__put_f64(w, m->temperature);
    pw__put_f64(w, m->oos_threshold);
    pw__put_f64(w, m->learning_rate);
    pw__section_end(w, s);
    s = pw__section_begin(w, PW__TAG_LABELS);
    for (uint32_t k = 0; k < m->intents; k++) {
        pw__put_bytes(w, &m->labels[k].len, 1);
        pw__put_bytes(w, m->labels[k].text, m->labels[k].len);
    }
    pw__section_end(w, s);
    s = pw__section_begin(w, PW__TAG_KEYS);
    for (uint32_t i = 0; i < n_rows; i++)
        pw__put_u32(w, m->keys[rows ? rows[i] : i]);
    pw__section_end(w, s);
    s = pw__section_begin(w, PW__TAG_IDF);
    for (uint32_t i = 0; i < n_rows; i++)
        pw__put_f32(w, m->idf[rows ? rows[i] : i]);
    pw__section_end(w, s);
    s = pw__section_begin(w, PW__TAG_BIAS);
    for (uint32_t k = 0; k < m->intents; k++)
        pw__put_f32(w, m->bias[k]);
    pw__section_end(w, s);
}

int pw_model_save(const pw_model *m, void *out, size_t cap, size_t *out_len) {
    if (!m || !out_len || (!out && cap))
        return PW_EINVAL;
    pw__writer w = {out, cap, 0};
    pw__write_header(&w, 6);
    pw__write_common(&w, m, NULL, m->rows);
    size_t s = pw__section_begin(&w, PW__TAG_WEIGHTS_F32);
    size_t weights = (size_t)m->rows * m->intents;
    for (size_t i = 0; i < weights; i++)
        pw__put_f32(&w, m->weights[i]);
    pw__section_end(&w, s);
    *out_len = w.len;
    return w.len <= cap ? PW_OK : PW_ETRUNC;
}
