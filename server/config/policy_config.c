/* Reading the policy file with cJSON: each section has one small reader that validates and
 * names the exact field on error.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* strdup, when built outside the server target */
#include "policy_config.h"

#include "pw/status.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const tier_names[PW_TIER_COUNT] = {"free", "starter", "pro", "enterprise"};

/* Names of the pw_stakes bits, in bit order, as the file spells them. */
static const char *const stakes_names[] = {"cancel",  "refund",   "chargeback", "legal",
                                           "privacy", "security", "other"};

static const char *const account_names[] = {"past_due", "churn_risk", "vip", "open_incident"};

const char *pw_config_tier_name(int tier) {
    return tier >= 0 && tier < PW_TIER_COUNT ? tier_names[tier] : NULL;
}

int pw_config_tier_index(const char *name) {
    for (int i = 0; name && i < PW_TIER_COUNT; i++)
        if (strcmp(name, tier_names[i]) == 0)
            return i;
    return -1;
}

const char *pw_config_stakes_name(unsigned bit) {
    return bit < sizeof stakes_names / sizeof stakes_names[0] ? stakes_names[bit] : NULL;
}

const char *pw_config_account_flag_name(unsigned bit) {
    return bit < sizeof account_names / sizeof account_names[0] ? account_names[bit] : NULL;
}

typedef struct reader {
    pw_policy_config *c;
    const pw_model *model;
    char *err;
    size_t err_cap;
} reader;

static int fail(reader *r, const char *field, const char *fmt, ...) {
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(r->err, r->err_cap, "%s: %s", field, msg);
    return -1;
}

/* Fails on any member of `obj` whose name is not in allowed[0..n). */
static int only_fields(reader *r, const cJSON *obj, const char *path, const char *const *allowed,
                       size_t n) {
    for (const cJSON *m = obj->child; m; m = m->next) {
        size_t i = 0;
        while (i < n && strcmp(m->string, allowed[i]) != 0)
            i++;
        if (i == n) {
            char field[160];
            snprintf(field, sizeof field, "%s%s%s", path, *path ? "." : "", m->string);
            return fail(r, field, "unknown field");
        }
    }
    return 0;
}

static int read_unit(reader *r, const cJSON *obj, const char *name, const char *path, double *dst) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!v)
        return 0;
    char field[160];
    snprintf(field, sizeof field, "%s%s%s", path, *path ? "." : "", name);
    if (!cJSON_IsNumber(v) || v->valuedouble < 0.0 || v->valuedouble > 1.0)
        return fail(r, field, "must be a number in [0, 1]");
    *dst = v->valuedouble;
    return 0;
}

static int read_bool(reader *r, const cJSON *obj, const char *name, const char *path,
                     uint8_t *dst) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!v)
        return 0;
    if (!cJSON_IsBool(v)) {
        char field[160];
        snprintf(field, sizeof field, "%s%s%s", path, *path ? "." : "", name);
        return fail(r, field, "must be true or false");
    }
    *dst = cJSON_IsTrue(v) ? 1 : 0;
    return 0;
}

/* {"free": x, "starter": x, "pro": x, "enterprise": x}, each optional. */
static int read_per_tier(reader *r, const cJSON *obj, const char *path, double *dst) {
    if (!cJSON_IsObject(obj))
        return fail(r, path, "must be an object keyed by tier (free, starter, pro, enterprise)");
    if (only_fields(r, obj, path, tier_names, PW_TIER_COUNT))
        return -1;
    for (int t = 0; t < PW_TIER_COUNT; t++)
        if (read_unit(r, obj, tier_names[t], path, &dst[t]))
            return -1;
    return 0;
}

static int read_thresholds(reader *r, const cJSON *obj, const char *path, pw_policy_thresholds *t) {
    static const char *const fields[] = {"resolve", "assist"};
    if (!cJSON_IsObject(obj))
        return fail(r, path, "must be an object with \"resolve\" and/or \"assist\"");
    if (only_fields(r, obj, path, fields, 2))
        return -1;
    char field[160];
    const cJSON *resolve = cJSON_GetObjectItemCaseSensitive(obj, "resolve");
    const cJSON *assist = cJSON_GetObjectItemCaseSensitive(obj, "assist");
    snprintf(field, sizeof field, "%s.resolve", path);
    if (resolve && read_per_tier(r, resolve, field, t->resolve))
        return -1;
    snprintf(field, sizeof field, "%s.assist", path);
    if (assist && read_per_tier(r, assist, field, t->assist))
        return -1;
    for (int i = 0; i < PW_TIER_COUNT; i++)
        if (t->assist[i] > t->resolve[i]) {
            snprintf(field, sizeof field, "%s.assist.%s", path, tier_names[i]);
            return fail(r, field, "must not exceed %s.resolve.%s (%.2f)", path, tier_names[i],
                        t->resolve[i]);
        }
    return 0;
}

/* The bit of `v`'s name in names[0..n) (bit order), or 0 when it is not a known name. */
static uint32_t name_bit(const cJSON *v, const char *const *names, size_t n) {
    for (size_t i = 0; cJSON_IsString(v) && i < n; i++)
        if (strcmp(v->valuestring, names[i]) == 0)
            return 1u << i;
    return 0;
}

static int unknown_name(reader *r, const char *path, const cJSON *v, const char *const *names,
                        size_t n) {
    char known[256] = "";
    for (size_t i = 0; i < n; i++)
        snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", i ? ", " : "",
                 names[i]);
    return fail(r, path, "unknown name %s (known: %s)",
                cJSON_IsString(v) ? v->valuestring : "(not a string)", known);
}

/* ["refund", "legal", ...] -> bits. */
static int read_bits(reader *r, const cJSON *arr, const char *path, const char *const *names,
                     size_t n, uint32_t *dst) {
    if (!cJSON_IsArray(arr))
        return fail(r, path, "must be an array of names");
    uint32_t bits = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, arr) {
        uint32_t bit = name_bit(v, names, n);
        if (!bit)
            return unknown_name(r, path, v, names, n);
        bits |= bit;
    }
    *dst = bits;
    return 0;
}

static char *own(reader *r, const char *s) {
    char **grown = realloc(r->c->owned, (r->c->owned_count + 1) * sizeof *grown);
    char *copy = strdup(s);
    if (!grown || !copy) {
        free(copy);
        if (grown)
            r->c->owned = grown;
        return NULL;
    }
    r->c->owned = grown;
    grown[r->c->owned_count++] = copy;
    return copy;
}

/* Starts the keyword and pattern lists with the built-in ones (unless replaced). */
static int seed_signal_lists(pw_policy_config *c, int keep_keywords) {
    size_t nk = 0, np = 0;
    pw_signals_default_keywords(NULL, 0, &nk);
    pw_signals_default_id_patterns(NULL, 0, &np);
    c->keywords = calloc(nk + PW_SIGNALS_MAX_KEYWORDS, sizeof *c->keywords);
    c->id_patterns = calloc(np + PW_SIGNALS_MAX_PATTERNS, sizeof *c->id_patterns);
    if (!c->keywords || !c->id_patterns)
        return -1;
    if (keep_keywords && pw_signals_default_keywords(c->keywords, nk, &c->keyword_count) != PW_OK)
        return -1;
    return pw_signals_default_id_patterns(c->id_patterns, np, &c->id_pattern_count) == PW_OK ? 0
                                                                                             : -1;
}

/* [{"text": "remboursement", "category": "refund"}, ...] */
static int read_keywords(reader *r, const cJSON *arr) {
    static const char *const fields[] = {"text", "category"};
    if (!cJSON_IsArray(arr))
        return fail(r, "keywords", "must be an array of {\"text\", \"category\"} objects");
    const cJSON *v;
    int i = 0;
    cJSON_ArrayForEach(v, arr) {
        char path[64];
        snprintf(path, sizeof path, "keywords[%d]", i++);
        const cJSON *text = cJSON_GetObjectItemCaseSensitive(v, "text");
        const cJSON *cat = cJSON_GetObjectItemCaseSensitive(v, "category");
        if (!cJSON_IsObject(v) || only_fields(r, v, path, fields, 2))
            return cJSON_IsObject(v) ? -1 : fail(r, path, "must be an object");
        if (!cJSON_IsString(text) || !*text->valuestring)
            return fail(r, path, "\"text\" must be a non-empty string");
        uint32_t bits = cat ? name_bit(cat, stakes_names, 7) : PW_STAKES_OTHER;
        if (!bits)
            return unknown_name(r, path, cat, stakes_names, 7);
        if (r->c->keyword_count >= PW_SIGNALS_MAX_KEYWORDS)
            return fail(r, path, "more than %d keywords", PW_SIGNALS_MAX_KEYWORDS);
        char *copy = own(r, text->valuestring);
        if (!copy)
            return fail(r, path, "out of memory");
        r->c->keywords[r->c->keyword_count++] = (pw_stakes_keyword){copy, strlen(copy), bits};
    }
    return 0;
}

static int read_id_patterns(reader *r, const cJSON *arr) {
    if (!cJSON_IsArray(arr))
        return fail(r, "id_patterns", "must be an array of strings such as \"ORD-######\"");
    const cJSON *v;
    cJSON_ArrayForEach(v, arr) {
        if (!cJSON_IsString(v) || !*v->valuestring)
            return fail(r, "id_patterns", "every pattern must be a non-empty string");
        if (r->c->id_pattern_count >= PW_SIGNALS_MAX_PATTERNS)
            return fail(r, "id_patterns", "more than %d patterns", PW_SIGNALS_MAX_PATTERNS);
        char *copy = own(r, v->valuestring);
        if (!copy)
            return fail(r, "id_patterns", "out of memory");
        r->c->id_patterns[r->c->id_pattern_count++] = (pw_id_pattern){copy, strlen(copy)};
    }
    return 0;
}

/* "intents": {"cancel_subscription": {"human_only": true, ...}, ...} */
static int read_intent(reader *r, const cJSON *obj, pw_policy_intent *pi) {
    static const char *const fields[] = {"human_only", "never_automate", "expected_stakes",
                                         "thresholds"};
    char path[128];
    snprintf(path, sizeof path, "intents.%s", obj->string);
    int k = pw_model_find_intent(r->model, obj->string, strlen(obj->string));
    if (k < 0)
        return fail(r, path, "no such intent in the model");
    if (!cJSON_IsObject(obj))
        return fail(r, path, "must be an object");
    if (only_fields(r, obj, path, fields, 4) ||
        read_bool(r, obj, "human_only", path, &pi->human_only) ||
        read_bool(r, obj, "never_automate", path, &pi->never_automate))
        return -1;
    pi->intent = k;
    const cJSON *stakes = cJSON_GetObjectItemCaseSensitive(obj, "expected_stakes");
    char field[160];
    snprintf(field, sizeof field, "%s.expected_stakes", path);
    if (stakes && read_bits(r, stakes, field, stakes_names, 7, &pi->expected_stakes))
        return -1;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(obj, "thresholds");
    if (t) {
        pi->has_thresholds = 1;
        pi->thresholds = r->c->policy.thresholds; /* unspecified tiers inherit the policy's */
        snprintf(field, sizeof field, "%s.thresholds", path);
        return read_thresholds(r, t, field, &pi->thresholds);
    }
    return 0;
}

static int read_intents(reader *r, const cJSON *obj) {
    if (!cJSON_IsObject(obj))
        return fail(r, "intents", "must be an object keyed by intent name");
    size_t n = (size_t)cJSON_GetArraySize(obj);
    r->c->intents = calloc(n ? n : 1, sizeof *r->c->intents);
    if (!r->c->intents)
        return fail(r, "intents", "out of memory");
    for (const cJSON *m = obj->child; m; m = m->next)
        if (read_intent(r, m, &r->c->intents[r->c->intent_count++]))
            return -1;
    return 0;
}

static int read_mood(reader *r, const cJSON *root) {
    static const char *const frustration_fields[] = {"escalate", "assist"};
    pw_policy *p = &r->c->policy;
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(root, "frustration");
    if (f && (!cJSON_IsObject(f) || only_fields(r, f, "frustration", frustration_fields, 2) ||
              read_unit(r, f, "escalate", "frustration", &p->frustration_escalate) ||
              read_unit(r, f, "assist", "frustration", &p->frustration_assist)))
        return cJSON_IsObject(f) ? -1 : fail(r, "frustration", "must be an object");
    if (p->frustration_assist > p->frustration_escalate)
        return fail(r, "frustration.assist", "must not exceed frustration.escalate");
    return read_unit(r, root, "sentiment_assist", "", &p->sentiment_assist) ||
                   read_unit(r, root, "urgency_escalate", "", &p->urgency_escalate)
               ? -1
               : 0;
}

static int read_stakes_and_flags(reader *r, const cJSON *root) {
    static const char *const stakes_fields[] = {"escalate", "assist"};
    pw_policy *p = &r->c->policy;
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(root, "high_stakes");
    if (s) {
        if (!cJSON_IsObject(s) || only_fields(r, s, "high_stakes", stakes_fields, 2))
            return cJSON_IsObject(s) ? -1 : fail(r, "high_stakes", "must be an object");
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(s, "escalate");
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(s, "assist");
        if ((e && read_bits(r, e, "high_stakes.escalate", stakes_names, 7, &p->stakes_escalate)) ||
            (a && read_bits(r, a, "high_stakes.assist", stakes_names, 7, &p->stakes_assist)))
            return -1;
    }
    const cJSON *acc = cJSON_GetObjectItemCaseSensitive(root, "account_flags_escalate");
    if (acc && read_bits(r, acc, "account_flags_escalate", account_names, 4, &p->account_escalate))
        return -1;
    const cJSON *rep = cJSON_GetObjectItemCaseSensitive(root, "repeat_contact");
    if (rep) {
        if (!cJSON_IsString(rep) ||
            (strcmp(rep->valuestring, "escalate") != 0 && strcmp(rep->valuestring, "assist") != 0))
            return fail(r, "repeat_contact", "must be \"escalate\" or \"assist\"");
        p->repeat_escalate = strcmp(rep->valuestring, "escalate") == 0;
    }
    return read_bool(r, root, "enterprise_human", "", &p->enterprise_human);
}

static int read_root(reader *r, const cJSON *root) {
    static const char *const fields[] = {"version",
                                         "thresholds",
                                         "frustration",
                                         "sentiment_assist",
                                         "urgency_escalate",
                                         "high_stakes",
                                         "account_flags_escalate",
                                         "repeat_contact",
                                         "enterprise_human",
                                         "keywords",
                                         "replace_default_keywords",
                                         "id_patterns",
                                         "intents",
                                         "description"};
    if (!cJSON_IsObject(root))
        return fail(r, "(top level)", "must be a JSON object");
    if (only_fields(r, root, "", fields, sizeof fields / sizeof fields[0]))
        return -1;
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(root, "version");
    if (version && (!cJSON_IsNumber(version) || version->valueint != 1))
        return fail(r, "version", "this build reads version 1");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(root, "thresholds");
    if ((t && read_thresholds(r, t, "thresholds", &r->c->policy.thresholds)) ||
        read_mood(r, root) || read_stakes_and_flags(r, root))
        return -1;
    uint8_t replace = 0;
    if (read_bool(r, root, "replace_default_keywords", "", &replace) ||
        seed_signal_lists(r->c, !replace))
        return -1;
    const cJSON *kw = cJSON_GetObjectItemCaseSensitive(root, "keywords");
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(root, "id_patterns");
    const cJSON *intents = cJSON_GetObjectItemCaseSensitive(root, "intents");
    if ((kw && read_keywords(r, kw)) || (ids && read_id_patterns(r, ids)) ||
        (intents && read_intents(r, intents)))
        return -1;
    r->c->policy.intents = r->c->intents;
    r->c->policy.intent_count = r->c->intent_count;
    return 0;
}

int pw_policy_config_parse(const char *json, size_t len, const pw_model *model,
                           pw_policy_config *out, char *err, size_t err_cap) {
    memset(out, 0, sizeof *out);
    out->policy = pw_policy_default();
    reader r = {out, model, err, err_cap};
    cJSON *root = cJSON_ParseWithLength(json, len);
    int rc;
    if (!root) {
        /* cJSON points at where parsing stopped: report it as a line number. */
        const char *at = cJSON_GetErrorPtr();
        size_t line = 1;
        for (const char *p = json; at && p < at && p < json + len; p++)
            line += *p == '\n';
        rc = fail(&r, "(syntax)", "invalid JSON near line %zu", line);
    } else {
        rc = read_root(&r, root);
    }
    cJSON_Delete(root);
    const char *bad = rc == 0 ? pw_policy_check(&out->policy) : NULL;
    if (bad)
        rc = fail(&r, bad, "invalid value");
    if (rc != 0)
        pw_policy_config_free(out);
    return rc;
}

int pw_policy_config_load(const char *path, const pw_model *model, pw_policy_config *out, char *err,
                          size_t err_cap) {
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n = -1;
    if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)n + 1)) != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n)
        n = -1;
    if (f)
        fclose(f);
    if (!f || n < 0 || !buf) {
        free(buf);
        snprintf(err, err_cap, "%s: cannot read the file", path);
        return -1;
    }
    char inner[512];
    int rc = pw_policy_config_parse(buf, (size_t)n, model, out, inner, sizeof inner);
    free(buf);
    if (rc)
        snprintf(err, err_cap, "%s: %s", path, inner);
    return rc;
}

int pw_policy_config_default(pw_policy_config *out) {
    memset(out, 0, sizeof *out);
    out->policy = pw_policy_default();
    return seed_signal_lists(out, 1);
}

pw_signals_config pw_policy_config_signals(const pw_policy_config *c) {
    pw_signals_config s = {c->keywords, c->keyword_count, c->id_patterns, c->id_pattern_count};
    return s;
}

void pw_policy_config_free(pw_policy_config *c) {
    for (size_t i = 0; i < c->owned_count; i++)
        free(c->owned[i]);
    free(c->owned);
    free(c->intents);
    free(c->keywords);
    free(c->id_patterns);
    memset(c, 0, sizeof *c);
}
