/* pw_trainer_train: from collected examples to a calibrated model.
 * SPDX-License-Identifier: MIT */
#include "alloc_int.h"
#include "rng_int.h"
#include "train_int.h"
#include "pw/status.h"

#include <string.h>

/* Raw hashed features of every example: example i owns [off[i], off[i+1]). */
typedef struct raw_features {
    size_t *off;
    uint32_t *hash;
    uint8_t *group;
    size_t nnz, hash_cap, group_cap;
} raw_features;

typedef struct run {
    pw_trainer *t;
    const pw_allocator *a;
    size_t n;                 /* examples */
    uint8_t *validation;      /* [n] 1 = calibration only */
    int32_t *intent_of_label; /* [labels] model intent, -1 for a label with no training rows */
    raw_features raw;
    pw__dataset data;
    pw_model *model;
} run;

/* Without validation examples, hold out holdout_fraction of each label's rows (seeded), but
 * never a label's last training row. */
static int mark_validation(run *r) {
    pw_trainer *t = r->t;
    int given = 0;
    for (size_t i = 0; i < r->n; i++)
        given |= r->validation[i] = t->ex[i].validation;
    if (given || t->opt.holdout_fraction <= 0.0)
        return PW_OK;
    size_t *count = pw__calloc(r->a, t->n_labels, sizeof *count);
    size_t *taken = pw__calloc(r->a, t->n_labels, sizeof *taken);
    uint32_t *order = pw__alloc(r->a, r->n * sizeof *order);
    int rc = count && taken && order ? PW_OK : PW_ENOMEM;
    if (rc == PW_OK) {
        for (size_t i = 0; i < r->n; i++)
            count[t->ex[i].label]++, order[i] = (uint32_t)i;
        pw__rng rng;
        pw__rng_seed(&rng, (uint64_t)t->opt.seed ^ 0x5EEDu);
        pw__rng_shuffle(&rng, order, r->n);
        for (size_t i = 0; i < r->n; i++) {
            uint32_t l = t->ex[order[i]].label;
            size_t quota = (size_t)(t->opt.holdout_fraction * (double)count[l]);
            if (taken[l] < quota && taken[l] + 1 < count[l])
                taken[l]++, r->validation[order[i]] = 1;
        }
    }
    pw__free(r->a, count, t->n_labels * sizeof *count);
    pw__free(r->a, taken, t->n_labels * sizeof *taken);
    pw__free(r->a, order, r->n * sizeof *order);
    return rc;
}

static int extract_all(run *r) {
    pw__extractor x;
    if (pw__extractor_init(&x, r->a) != PW_OK)
        return PW_ENOMEM;
    pw__feature_config cfg = {r->t->opt.char_min, r->t->opt.char_max, r->t->opt.word_ngrams};
    raw_features *f = &r->raw;
    int rc = PW_OK;
    f->off = pw__alloc(r->a, (r->n + 1) * sizeof *f->off);
    if (!f->off)
        rc = PW_ENOMEM;
    for (size_t i = 0; rc == PW_OK && i < r->n; i++) {
        const pw__example *e = &r->t->ex[i];
        size_t k = pw__features_extract(&x, &cfg, r->t->text + e->text_off, e->text_len);
        if (pw__grow(r->a, (void **)&f->hash, &f->hash_cap, f->nnz + k, sizeof *f->hash) ||
            pw__grow(r->a, (void **)&f->group, &f->group_cap, f->nnz + k, sizeof *f->group)) {
            rc = PW_ENOMEM;
            break;
        }
        f->off[i] = f->nnz;
        memcpy(f->hash + f->nnz, x.hashes, k * sizeof *x.hashes);
        memcpy(f->group + f->nnz, x.groups, k);
        f->nnz += k;
    }
    if (rc == PW_OK)
        f->off[r->n] = f->nnz;
    pw__extractor_free(&x, r->a);
    return rc;
}

static int is_oos_label(const pw_trainer *t, uint32_t label) {
    const pw__label *l = &t->labels[label];
    return l->len == t->oos.len && memcmp(l->text, t->oos.text, l->len) == 0;
}

/* Model intents are the labels with training rows, in order of first appearance. */
static uint32_t map_intents(run *r) {
    pw_trainer *t = r->t;
    for (size_t l = 0; l < t->n_labels; l++)
        r->intent_of_label[l] = -1;
    uint32_t k = 0;
    for (size_t i = 0; i < r->n; i++) {
        uint32_t l = t->ex[i].label;
        if (!r->validation[i] && r->intent_of_label[l] < 0)
            r->intent_of_label[l] = (int32_t)k++;
    }
    return k;
}

static void set_model_facts(run *r, uint32_t train_docs) {
    pw_trainer *t = r->t;
    pw_model *m = r->model;
    m->features = (pw__feature_config){t->opt.char_min, t->opt.char_max, t->opt.word_ngrams};
    m->learning_rate = t->opt.learning_rate;
    m->train_docs = train_docs;
    for (size_t l = 0; l < t->n_labels; l++) {
        int32_t k = r->intent_of_label[l];
        if (k < 0)
            continue;
        m->labels[k] = t->labels[l];
        if (is_oos_label(t, (uint32_t)l))
            m->oos_intent = k;
    }
}

/* Document frequencies by sorting (feature, example) pairs of the training rows: runs of equal
 * features count distinct examples. Rows are created in feature-hash order, deterministically. */
static int build_vocabulary(run *r, uint32_t intents) {
    size_t pairs = 0;
    for (size_t i = 0; i < r->n; i++)
        pairs += r->validation[i] ? 0 : r->raw.off[i + 1] - r->raw.off[i];
    uint64_t *keys = pw__alloc(r->a, (pairs ? pairs : 1) * sizeof *keys);
    uint64_t *tmp = pw__alloc(r->a, (pairs ? pairs : 1) * sizeof *tmp);
    int rc = keys && tmp ? PW_OK : PW_ENOMEM;
    uint32_t docs = 0, vocab = 0;
    if (rc == PW_OK) {
        size_t k = 0;
        for (size_t i = 0; i < r->n; i++) {
            if (r->validation[i])
                continue;
            docs++;
            for (size_t j = r->raw.off[i]; j < r->raw.off[i + 1]; j++)
                keys[k++] = (uint64_t)r->raw.hash[j] << 32 | (uint32_t)i;
        }
        pw__radix_sort_u64(keys, tmp, pairs);
        /* Pass 1 counts the vocabulary so the model is allocated once; pass 2 fills it. */
        for (int pass = 0; rc == PW_OK && pass < 2; pass++) {
            if (pass == 1)
                rc = pw__model_alloc(r->a, intents, vocab + r->t->opt.spare_features, &r->model);
            for (size_t s = 0; rc == PW_OK && s < pairs;) {
                size_t e = s;
                uint32_t df = 0;
                for (; e < pairs && keys[e] >> 32 == keys[s] >> 32; e++)
                    df += e == s || (uint32_t)keys[e] != (uint32_t)keys[e - 1];
                if (df >= r->t->opt.min_count) {
                    if (pass == 0)
                        vocab++;
                    else
                        pw__model_add_row(r->model, (uint32_t)(keys[s] >> 32), pw__idf(docs, df));
                }
                s = e;
            }
        }
    }
    if (rc == PW_OK)
        set_model_facts(r, docs);
    pw__free(r->a, keys, (pairs ? pairs : 1) * sizeof *keys);
    pw__free(r->a, tmp, (pairs ? pairs : 1) * sizeof *tmp);
    return rc;
}

static int vectorize_all(run *r) {
    pw__dataset *d = &r->data;
    size_t cap = r->raw.nnz ? r->raw.nnz : 1;
    d->n = r->n;
    d->off = pw__alloc(r->a, (r->n + 1) * sizeof *d->off);
    d->rows = pw__alloc(r->a, cap * sizeof *d->rows);
    d->values = pw__alloc(r->a, cap * sizeof *d->values);
    if (!d->off || !d->rows || !d->values)
        return PW_ENOMEM;
    size_t nnz = 0;
    for (size_t i = 0; i < r->n; i++) {
        size_t lo = r->raw.off[i];
        /* A view over the big arrays: vectorize reads hashes/groups, writes rows/values. */
        pw__extractor view = {0};
        view.hashes = r->raw.hash + lo;
        view.groups = r->raw.group + lo;
        view.rows = d->rows + nnz;
        view.values = d->values + nnz;
        d->off[i] = nnz;
        nnz += pw__model_vectorize(r->model, &view, r->raw.off[i + 1] - lo);
    }
    d->off[r->n] = nnz;
    return PW_OK;
}

static int optimise(run *r) {
    uint32_t *order = pw__alloc(r->a, (r->n ? r->n : 1) * sizeof *order);
    uint32_t *labels = pw__alloc(r->a, (r->n ? r->n : 1) * sizeof *labels);
    int rc = order && labels ? PW_OK : PW_ENOMEM;
    size_t n_train = 0;
    for (size_t i = 0; rc == PW_OK && i < r->n; i++) {
        labels[i] = (uint32_t)(r->validation[i] ? 0 : r->intent_of_label[r->t->ex[i].label]);
        if (!r->validation[i])
            order[n_train++] = (uint32_t)i;
    }
    if (rc == PW_OK)
        rc = pw__train_sgd(r->model, &r->data, order, n_train, labels, &r->t->opt);
    pw__free(r->a, order, (r->n ? r->n : 1) * sizeof *order);
    pw__free(r->a, labels, (r->n ? r->n : 1) * sizeof *labels);
    return rc;
}

/* Validation rows whose label the model does not know (and that are not out-of-scope) cannot
 * be scored for calibration and are skipped. */
static int calibrate(run *r) {
    size_t n_valid = 0;
    for (size_t i = 0; i < r->n; i++)
        n_valid += r->validation[i];
    pw__valid_example *v = pw__alloc(r->a, (n_valid ? n_valid : 1) * sizeof *v);
    if (!v)
        return PW_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < r->n; i++) {
        uint32_t l = r->t->ex[i].label;
        int oos = is_oos_label(r->t, l);
        if (!r->validation[i] || (r->intent_of_label[l] < 0 && !oos))
            continue;
        v[k].index = (uint32_t)i;
        v[k].intent = r->intent_of_label[l];
        v[k].in_scope = !oos;
        k++;
    }
    int rc = pw__calibrate(r->model, &r->data, v, k, r->t->opt.reject_rate);
    pw__free(r->a, v, (n_valid ? n_valid : 1) * sizeof *v);
    return rc;
}

static void run_free(run *r) {
    size_t n1 = r->n + 1, nnz = r->raw.nnz ? r->raw.nnz : 1;
    pw__free(r->a, r->validation, r->n ? r->n : 1);
    pw__free(r->a, r->intent_of_label, (r->t->n_labels ? r->t->n_labels : 1) * sizeof(int32_t));
    pw__free(r->a, r->raw.off, n1 * sizeof *r->raw.off);
    pw__free(r->a, r->raw.hash, r->raw.hash_cap * sizeof *r->raw.hash);
    pw__free(r->a, r->raw.group, r->raw.group_cap);
    pw__free(r->a, r->data.off, n1 * sizeof *r->data.off);
    pw__free(r->a, r->data.rows, nnz * sizeof *r->data.rows);
    pw__free(r->a, r->data.values, nnz * sizeof *r->data.values);
}

/* One training run. With `use_validation` 0 every example trains and nothing calibrates. */
static int train_once(pw_trainer *t, int use_validation, pw_model **out) {
    run r;
    memset(&r, 0, sizeof r);
    r.t = t, r.a = &t->alloc, r.n = t->n_ex;
    r.validation = pw__calloc(r.a, r.n ? r.n : 1, 1);
    r.intent_of_label = pw__alloc(r.a, (t->n_labels ? t->n_labels : 1) * sizeof(int32_t));
    int rc = r.validation && r.intent_of_label ? PW_OK : PW_ENOMEM;
    if (rc == PW_OK && use_validation)
        rc = mark_validation(&r);
    uint32_t intents = rc == PW_OK ? map_intents(&r) : 0;
    if (rc == PW_OK && intents < 2)
        rc = PW_ESTATE;
    if (rc == PW_OK)
        rc = extract_all(&r);
    if (rc == PW_OK)
        rc = build_vocabulary(&r, intents);
    if (rc == PW_OK)
        rc = vectorize_all(&r);
    if (rc == PW_OK)
        rc = optimise(&r);
    if (rc == PW_OK)
        pw__model_quantize_rows(r.model, 0, r.model->rows);
    if (rc == PW_OK && use_validation)
        rc = calibrate(&r);
    run_free(&r);
    if (rc != PW_OK) {
        pw_model_free(r.model);
        return rc;
    }
    *out = r.model;
    return PW_OK;
}

static int has_validation(const pw_trainer *t) {
    if (t->opt.holdout_fraction > 0.0)
        return 1;
    for (size_t i = 0; i < t->n_ex; i++)
        if (t->ex[i].validation)
            return 1;
    return 0;
}

int pw_trainer_train(pw_trainer *t, pw_model **out) {
    if (!t || !out)
        return PW_EINVAL;
    pw_model *calibrated;
    int rc = train_once(t, 1, &calibrated);
    if (rc != PW_OK || !t->opt.refit || !has_validation(t)) {
        if (rc == PW_OK)
            *out = calibrated;
        return rc;
    }
    /* The refit sees every row; the calibration measured on held-out rows carries over (the
     * same options on 10% more data give a model of the same sharpness). */
    pw_model *full = NULL;
    rc = train_once(t, 0, &full);
    if (rc == PW_OK && full->intents == calibrated->intents) {
        full->temperature = calibrated->temperature;
        full->oos_threshold = calibrated->oos_threshold;
        pw_model *swap = calibrated;
        calibrated = full;
        full = swap;
    }
    /* Labels seen only in validation rows would add intents the calibration never saw: then
     * the calibrated model stands. Out of memory in the refit fails the whole call. */
    pw_model_free(full);
    if (rc != PW_OK) {
        pw_model_free(calibrated);
        return rc;
    }
    *out = calibrated;
    return PW_OK;
}
