/* Signals: what a message says beyond its intent. Sentiment and frustration (negation-aware,
 * with intensity cues), urgency, repeat contact (from the wording and from the conversation
 * history), configurable high-stakes keywords, and entities (emails, order/invoice ids,
 * amounts with currency, URLs) as byte ranges. A scanner is built once from a configuration
 * and holds the scratch for one scan at a time: pw_signals_scan never allocates. Use one
 * scanner per thread.
 * SPDX-License-Identifier: MIT */
#ifndef PW_SIGNALS_H
#define PW_SIGNALS_H

#include "pw/alloc.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PW_SIGNALS_MAX_EVIDENCE 16
#define PW_SIGNALS_MAX_ENTITIES 16
#define PW_SIGNALS_MAX_KEYWORDS 256 /* high-stakes keywords in a configuration */
#define PW_SIGNALS_MAX_PATTERNS 16  /* order/invoice id patterns */
#define PW_SIGNALS_MAX_HISTORY  16  /* earlier messages considered for a repeated question */

/* High-stakes categories: a bit each in pw_signals.high_stakes. */
typedef enum pw_stakes {
    PW_STAKES_CANCEL = 1u << 0,     /* cancel, close my account, unsubscribe */
    PW_STAKES_REFUND = 1u << 1,     /* refund, money back */
    PW_STAKES_CHARGEBACK = 1u << 2, /* chargeback, dispute the charge */
    PW_STAKES_LEGAL = 1u << 3,      /* legal, lawyer, sue, court */
    PW_STAKES_PRIVACY = 1u << 4,    /* GDPR, delete my data, data protection */
    PW_STAKES_SECURITY = 1u << 5,   /* security breach, hacked, account compromised */
    PW_STAKES_OTHER = 1u << 6       /* configured keywords in no category above */
} pw_stakes;

/* Why a score moved: a byte range of the *normalised* text (pw_text_normalize of the same
 * input) and what it counted as. */
typedef enum pw_evidence_kind {
    PW_EVIDENCE_NEGATIVE = 0,  /* "broken", "useless", "not happy" (negated positive) */
    PW_EVIDENCE_POSITIVE = 1,  /* "thanks", "great" (does not cancel anger, see below) */
    PW_EVIDENCE_INTENSITY = 2, /* "!!!", "???", ALL CAPS words, profanity */
    PW_EVIDENCE_URGENCY = 3,   /* "urgent", "asap", "production down", "can't access", deadlines */
    PW_EVIDENCE_REPEAT = 4,    /* "still", "again", "third time", "as i said" */
    PW_EVIDENCE_STAKES = 5     /* a high-stakes keyword */
} pw_evidence_kind;

typedef struct pw_evidence {
    uint32_t start, len; /* in the normalised text */
    pw_evidence_kind kind;
} pw_evidence;

typedef enum pw_entity_kind {
    PW_ENTITY_EMAIL = 0,
    PW_ENTITY_ORDER_ID = 1, /* matched one of the configured id patterns */
    PW_ENTITY_AMOUNT = 2,   /* a number with a currency symbol or code: "$49.99", "49 EUR" */
    PW_ENTITY_URL = 3
} pw_entity_kind;

typedef struct pw_entity {
    uint32_t start, len; /* in the text as given (not normalised), so callers can quote it */
    pw_entity_kind kind;
} pw_entity;

typedef struct pw_signals {
    double sentiment;          /* [0, 1]: 0 very negative, 0.5 neutral, 1 very positive */
    double frustration;        /* [0, 1]: negativity plus intensity; politeness never lowers it */
    double urgency;            /* [0, 1] */
    int32_t repeat_contact;    /* 1: the wording says this is not the first contact */
    int32_t repeated_question; /* 1: this message repeats one in the history passed in */
    uint32_t high_stakes;      /* pw_stakes bits */
    uint32_t evidence_count;   /* entries used in `evidence` (the first found, in text order) */
    pw_evidence evidence[PW_SIGNALS_MAX_EVIDENCE];
    uint32_t entity_count;
    pw_entity entities[PW_SIGNALS_MAX_ENTITIES];
} pw_signals;

/* One configured high-stakes keyword or phrase (UTF-8). Both it and the message are normalised
 * (pw_text_normalize) and matched on whole words, so "Remboursement" matches "REMBOURSEMENT"
 * and "refund" does not match "refundable"; a final '*' matches any word ending ("refund*"). */
typedef struct pw_stakes_keyword {
    const char *text;
    size_t len;
    uint32_t category; /* one pw_stakes bit */
} pw_stakes_keyword;

/* An order/invoice id pattern: '#' a digit, 'A' an ASCII letter, '*' a letter or digit, any
 * other character itself (case-insensitive), e.g. "ORD-######", "INV-####-####". */
typedef struct pw_id_pattern {
    const char *pattern;
    size_t len;
} pw_id_pattern;

typedef struct pw_signals_config {
    const pw_stakes_keyword *keywords; /* NULL with count 0 = the built-in defaults */
    size_t keyword_count;
    const pw_id_pattern *id_patterns; /* NULL with count 0 = the built-in defaults */
    size_t id_pattern_count;
} pw_signals_config;

typedef struct pw_signal_scanner pw_signal_scanner;

/* Builds a scanner; copies everything it needs from `config` (which may be NULL for the
 * defaults). Returns PW_OK, PW_EINVAL (NULL out, an empty or over-long keyword or pattern, a
 * category that is not one pw_stakes bit, too many entries), PW_ENOMEM. Caller frees with
 * pw_signal_scanner_free. */
int pw_signal_scanner_new(const pw_signals_config *config, const pw_allocator *alloc,
                          pw_signal_scanner **out);

void pw_signal_scanner_free(pw_signal_scanner *s);

/* The default high-stakes keywords and id patterns, for documentation and for configuration
 * files that extend rather than replace them. Static storage; `count` receives the number. */
const pw_stakes_keyword *pw_signals_default_keywords(size_t *count);
const pw_id_pattern *pw_signals_default_id_patterns(size_t *count);

/* Scans UTF-8 `text[0..len)` (its first 4096 bytes, as the classifier) together with the
 * earlier messages of the conversation, history[i][0..history_len[i]) for i < history_count
 * (the last PW_SIGNALS_MAX_HISTORY are read; NULL with count 0 for none), and fills *out.
 * Never allocates; deterministic. Borrows every pointer for the call only. Returns PW_OK or
 * PW_EINVAL (NULL scanner or out, NULL text with len > 0, NULL history with count > 0). */
int pw_signals_scan(pw_signal_scanner *s, const char *text, size_t len, const char *const *history,
                    const size_t *history_len, size_t history_count, pw_signals *out);

#ifdef __cplusplus
}
#endif

#endif
