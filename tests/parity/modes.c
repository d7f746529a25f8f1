/* The parity modes: one per core function with golden vectors. Each later core module adds its
 * mode here and its files under tests/golden/<area>/.
 * SPDX-License-Identifier: MIT */
#include "features_int.h"
#include "hash_int.h"
#include "crc32_int.h"
#include "parity.h"
#include "pw/classify.h"
#include "pw/decide.h"
#include "pw/signals.h"
#include "pw/model.h"
#include "pw/status.h"
#include "pw/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* normalize: the normalised text, or the status name when the core refuses. */
static int mode_normalize(const uint8_t *in, size_t len, pw_buf *out) {
    size_t cap = 3 * len + 1, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return -1;
    int rc = pw_text_normalize((const char *)in, len, buf, cap, &n);
    if (rc == PW_OK)
        pw_buf_put(out, buf, n);
    else
        pw_buf_printf(out, "error %s", pw_status_name(rc));
    free(buf);
    return 0;
}

/* hash32: the hash of the input under a few fixed seeds, as hex. */
static int mode_hash32(const uint8_t *in, size_t len, pw_buf *out) {
    static const uint32_t seeds[] = {0u, 1u, 0x9747b28cu};
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++)
        pw_buf_printf(out, "%sseed %08x: %08x", i ? "\n" : "", (unsigned)seeds[i],
                      (unsigned)pw__hash32(in, len, seeds[i]));
    return 0;
}

/* tokenize: one token per line, "kind start+len text". */
static int mode_tokenize(const uint8_t *in, size_t len, pw_buf *out) {
    static const char *const kinds[] = {"word", "number", "id", "email", "url", "punct"};
    pw_token tokens[256];
    size_t n = 0;
    int rc = pw_text_tokenize((const char *)in, len, tokens, 256, &n);
    if (rc != PW_OK) {
        pw_buf_printf(out, "error %s", pw_status_name(rc));
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        pw_buf_printf(out, "%s%s %u+%u %.*s", i ? "\n" : "", kinds[tokens[i].kind],
                      (unsigned)tokens[i].start, (unsigned)tokens[i].len, (int)tokens[i].len,
                      (const char *)in + tokens[i].start);
    return 0;
}

/* features: the hashed features of the default configuration (chars 2-5, bigrams), eight a
 * line, "w" word-level or "c" character-level, in extraction order. */
static int mode_features(const uint8_t *in, size_t len, pw_buf *out) {
    pw__extractor x;
    if (pw__extractor_init(&x, NULL) != PW_OK)
        return -1;
    pw__feature_config cfg = {2, 5, 2};
    size_t n = pw__features_extract(&x, &cfg, (const char *)in, len);
    pw_buf_printf(out, "%zu features", n);
    for (size_t i = 0; i < n; i++)
        pw_buf_printf(out, "%s%c%08x", i % 8 ? " " : "\n", x.groups[i] ? 'c' : 'w',
                      (unsigned)x.hashes[i]);
    pw__extractor_free(&x, NULL);
    return 0;
}

/* Reads "key=value" pairs separated by spaces or newlines into a decision input; unknown keys
 * are an error so a typo in a golden file cannot pass silently. */
static int parse_decision_input(const char *s, pw_decision_input *in) {
    memset(in, 0, sizeof *in);
    in->sentiment = 0.5;
    char key[32], value[64];
    int used = 0;
    while (sscanf(s, " %31[^=]=%63s%n", key, value, &used) == 2) {
        s += used;
        if (strcmp(key, "intent") == 0)
            in->intent = atoi(value);
        else if (strcmp(key, "confidence") == 0)
            in->confidence = atof(value);
        else if (strcmp(key, "oos") == 0)
            in->out_of_scope = atoi(value);
        else if (strcmp(key, "sentiment") == 0)
            in->sentiment = atof(value);
        else if (strcmp(key, "frustration") == 0)
            in->frustration = atof(value);
        else if (strcmp(key, "urgency") == 0)
            in->urgency = atof(value);
        else if (strcmp(key, "repeat") == 0)
            in->repeat_contact = atoi(value);
        else if (strcmp(key, "repeated") == 0)
            in->repeated_question = atoi(value);
        else if (strcmp(key, "stakes") == 0)
            in->high_stakes = (uint32_t)strtoul(value, NULL, 0);
        else if (strcmp(key, "tier") == 0)
            in->tier = (pw_tier)atoi(value);
        else if (strcmp(key, "account") == 0)
            in->account_flags = (uint32_t)strtoul(value, NULL, 0);
        else if (strcmp(key, "page") == 0)
            in->page_flags = (uint32_t)strtoul(value, NULL, 0);
        else {
            fprintf(stderr, "parity: unknown decision key '%s'\n", key);
            return -1;
        }
    }
    return 0;
}

/* decide: the default policy's lane, priority and reasons for the given input. */
static int mode_decide(const uint8_t *in, size_t len, pw_buf *out) {
    char text[1024];
    if (len >= sizeof text)
        return -1;
    memcpy(text, in, len);
    text[len] = '\0';
    pw_decision_input input;
    if (parse_decision_input(text, &input))
        return -1;
    pw_policy policy = pw_policy_default();
    pw_decision d;
    int rc = pw_decide(&policy, &input, &d);
    if (rc != PW_OK) {
        pw_buf_printf(out, "error %s", pw_status_name(rc));
        return 0;
    }
    pw_buf_printf(out, "%s priority %u", pw_lane_name((int)d.lane), (unsigned)d.priority);
    for (uint32_t i = 0; i < d.reason_count; i++)
        pw_buf_printf(out, "\n%s", pw_reason_name((int)d.reasons[i]));
    return 0;
}

typedef struct mode_entry {
    const char *name;
    parity_mode_fn fn;
} mode_entry;

static const mode_entry modes[] = {
    {"normalize", mode_normalize},
    {"hash32", mode_hash32},
    {"tokenize", mode_tokenize},
    {"features", mode_features},
    {"classify", parity_mode_classify},
    {"model", parity_mode_model},
    {"decide", mode_decide},
    {"signals", parity_mode_signals},
    {"route", parity_mode_route},
    {"page", parity_mode_page},
    {"struggle", parity_mode_struggle},
    {"nudge", parity_mode_nudge},
};

parity_mode_fn parity_find_mode(const char *name, size_t name_len) {
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
        if (strlen(modes[i].name) == name_len && memcmp(modes[i].name, name, name_len) == 0)
            return modes[i].fn;
    return NULL;
}
