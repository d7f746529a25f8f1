/* pw_model_load: every length, count, checksum and value is validated before the model is
 * built, so a truncated, corrupted or hostile file is an error, never a crash.
 * SPDX-License-Identifier: MIT */
#include "crc32_int.h"
#include "model_io_int.h"
#include "pw/status.h"

#include <math.h>
#include <string.h>

#define MAX_SECTIONS 32u

typedef struct span {
    const uint8_t *p;
    size_t len;
} span;

typedef struct sections {
    span meta, labels, keys, idf, bias, weights;
    int quantised;
} sections;

static uint32_t get_u32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static float get_f32(const uint8_t *p) {
    uint32_t v = get_u32(p);
    float f;
    memcpy(&f, &v, sizeof f);
    return f;
}

static double get_f64(const uint8_t *p) {
    uint64_t v = (uint64_t)get_u32(p) | (uint64_t)get_u32(p + 4) << 32;
    double d;
    memcpy(&d, &v, sizeof d);
    return d;
}

static span *slot_for(sections *s, uint32_t tag) {
    switch (tag) {
    case PW__TAG_META:
        return &s->meta;
    case PW__TAG_LABELS:
        return &s->labels;
    case PW__TAG_KEYS:
        return &s->keys;
    case PW__TAG_IDF:
        return &s->idf;
    case PW__TAG_BIAS:
        return &s->bias;
    case PW__TAG_WEIGHTS_F32:
    case PW__TAG_WEIGHTS_Q8:
        s->quantised = tag == PW__TAG_WEIGHTS_Q8;
        return &s->weights;
    default:
        return NULL;
    }
}

/* Fuzz builds skip the checksum so that mutations reach the validation behind it; every other
 * build checks it. */
static int crc_matches(const uint8_t *p, size_t n, uint32_t crc) {
#ifdef PW_FUZZING_SKIP_CRC
    (void)p, (void)n, (void)crc;
    return 1;
#else
    return pw__crc32(p, n) == crc;
#endif
}

static int read_sections(const uint8_t *d, size_t len, sections *s) {
    if (len < 12 || memcmp(d, "PWM", 4) != 0)
        return PW_EFORMAT;
    if (get_u32(d + 4) != PW__MODEL_VERSION)
        return PW_EVERSION;
    uint32_t count = get_u32(d + 8);
    if (count > MAX_SECTIONS)
        return PW_EFORMAT;
    size_t at = 12;
    for (uint32_t i = 0; i < count; i++) {
        if (len - at < 12)
            return PW_EFORMAT;
        uint32_t tag = get_u32(d + at), n = get_u32(d + at + 4), crc = get_u32(d + at + 8);
        at += 12;
        if (n > len - at || !crc_matches(d + at, n, crc))
            return PW_EFORMAT;
        span *slot = slot_for(s, tag);
        if (slot && slot->p)
            return PW_EFORMAT; /* a section twice (including both weight kinds) */
        if (slot)
            slot->p = d + at, slot->len = n;
        at += n;
    }
    if (at != len || !s->meta.p || !s->labels.p || !s->keys.p || !s->idf.p || !s->bias.p ||
        !s->weights.p)
        return PW_EFORMAT;
    return PW_OK;
}

typedef struct meta {
    uint32_t intents, rows, spare;
    pw__feature_config features;
    int32_t oos_intent;
    uint32_t train_docs;
    double temperature, threshold, learning_rate;
} meta;

static int read_meta(const span *sp, meta *m) {
    if (sp->len != 56)
        return PW_EFORMAT;
    const uint8_t *p = sp->p;
    m->intents = get_u32(p), m->rows = get_u32(p + 4), m->spare = get_u32(p + 8);
    m->features = (pw__feature_config){get_u32(p + 12), get_u32(p + 16), get_u32(p + 20)};
    m->oos_intent = (int32_t)get_u32(p + 24);
    m->train_docs = get_u32(p + 28);
    m->temperature = get_f64(p + 32), m->threshold = get_f64(p + 40);
    m->learning_rate = get_f64(p + 48);
    int ok = m->intents >= 2 && m->intents <= PW_MODEL_MAX_INTENTS &&
             m->rows <= PW__MODEL_MAX_ROWS && m->spare <= PW__MODEL_MAX_ROWS - m->rows &&
             pw__feature_config_valid(&m->features) && m->oos_intent >= -1 &&
             m->oos_intent < (int32_t)m->intents && m->temperature >= 1e-3 &&
             m->temperature <= 1e3 && m->threshold >= 0.0 && m->threshold < 1.0 &&
             m->learning_rate > 0.0 && m->learning_rate <= 10.0;
    return ok ? PW_OK : PW_EFORMAT;
}

/* Section sizes must match the shape exactly; 64-bit arithmetic so wasm32 cannot overflow. */
static int check_sizes(const sections *s, const meta *m) {
    uint64_t rows = m->rows, k = m->intents;
    uint64_t weights = s->quantised ? rows * 4 + rows * k : rows * k * 4;
    int ok = s->keys.len == rows * 4 && s->idf.len == rows * 4 && s->bias.len == k * 4 &&
             s->weights.len == weights;
    return ok ? PW_OK : PW_EFORMAT;
}

static int read_labels(const span *sp, pw_model *m) {
    size_t at = 0;
    for (uint32_t k = 0; k < m->intents; k++) {
        if (at >= sp->len)
            return PW_EFORMAT;
        uint8_t n = sp->p[at++];
        if (n == 0 || n > PW_MODEL_MAX_LABEL || n > sp->len - at)
            return PW_EFORMAT;
        if (pw_model_find_intent(m, (const char *)sp->p + at, n) >= 0)
            return PW_EFORMAT; /* duplicate label */
        m->labels[k].len = n;
        memcpy(m->labels[k].text, sp->p + at, n);
        at += n;
    }
    return at == sp->len ? PW_OK : PW_EFORMAT;
}

static int read_rows(const sections *s, pw_model *m, uint32_t rows) {
    uint32_t K = m->intents;
    for (uint32_t k = 0; k < K; k++) {
        m->bias[k] = get_f32(s->bias.p + 4 * k);
        if (!isfinite(m->bias[k]))
            return PW_EFORMAT;
    }
    for (uint32_t r = 0; r < rows; r++) {
        float idf = get_f32(s->idf.p + 4 * (size_t)r);
        if (!isfinite(idf) || idf < 0 ||
            pw__model_add_row(m, get_u32(s->keys.p + 4 * (size_t)r), idf) < 0)
            return PW_EFORMAT; /* bad idf or duplicate key */
    }
    const uint8_t *q = s->weights.p + 4 * (size_t)rows; /* quantised values follow the scales */
    for (uint32_t r = 0; r < rows; r++) {
        float scale = s->quantised ? get_f32(s->weights.p + 4 * (size_t)r) : 0.0f;
        if (!isfinite(scale) || scale < 0)
            return PW_EFORMAT;
        float *w = m->weights + (size_t)r * K;
        for (uint32_t k = 0; k < K; k++) {
            size_t i = (size_t)r * K + k;
            w[k] = s->quantised ? scale * (float)(int8_t)q[i] : get_f32(s->weights.p + 4 * i);
            if (!isfinite(w[k]))
                return PW_EFORMAT;
        }
    }
    return PW_OK;
}

int pw_model_load(const void *data, size_t len, const pw_allocator *alloc, pw_model **out) {
    if (!data || !out)
        return PW_EINVAL;
    sections s;
    meta mt;
    memset(&s, 0, sizeof s);
    int rc = read_sections(data, len, &s);
    if (rc == PW_OK)
        rc = read_meta(&s.meta, &mt);
    if (rc == PW_OK)
        rc = check_sizes(&s, &mt);
    if (rc != PW_OK)
        return rc;
    pw_model *m;
    rc = pw__model_alloc(alloc, mt.intents, mt.rows + mt.spare, &m);
    if (rc != PW_OK)
        return rc == PW_EINVAL ? PW_EFORMAT : rc;
    m->features = mt.features;
    m->oos_intent = mt.oos_intent;
    m->train_docs = mt.train_docs;
    m->temperature = mt.temperature;
    m->oos_threshold = mt.threshold;
    m->learning_rate = mt.learning_rate;
    rc = read_labels(&s.labels, m);
    if (rc == PW_OK)
        rc = read_rows(&s, m, mt.rows);
    if (rc == PW_OK)
        pw__model_quantize_rows(m, 0, m->rows);
    if (rc != PW_OK) {
        pw_model_free(m);
        return rc;
    }
    *out = m;
    return PW_OK;
}
