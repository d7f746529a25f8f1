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

#define PW_SIGNALS_MAX_EVIDENCE      16
#define PW_SIGNALS_MAX_ENTITIES      16
#define PW_SIGNALS_MAX_KEYWORDS      256  /* high-stakes keywords in a configuration */
#define PW_SIGNALS_MAX_KEYWORD_BYTES 128  /* one keyword or phrase, before normalisation */
#define PW_SIGNALS_MAX_PATTERNS      16   /* order/invoice id patterns */
#define PW_SIGNALS_MAX_PATTERN_BYTES 32   /* one id pattern */
#define PW_SIGNALS_MAX_HISTORY       16   /* earlier messages considered for a repeated question */
#define PW_SIGNALS_MAX_TEXT_BYTES    4096 /* of each message (and history message) read */

/* How the scores move (the word lists are in shared/src/signals_lexicon.c). Every cue found adds
 * whole points; a score is 1 - b^points, so each further cue moves it less and none reaches 1.
 *  - Negative points: 1 for mild words ("slow", "wrong", "failed", "confusing"), 2 for clear
 *    ones ("broken", "disappointed", "annoying") and for a negated positive or a negated
 *    "works" ("not happy", "isn't working", "doesn't work", "didn't help"), 3 for anger
 *    ("useless", "terrible", "ridiculous", "frustrated", "waste of time") and for profanity
 *    (2 for the mild "damn", "crap", "hell").
 *  - Positive points: 1 for politeness ("thanks", "appreciate", "good"), 2 for praise ("great",
 *    "love", "perfect", "helpful"); a negated negative counts 1 ("not bad").
 *  - A negator ("not", "no", "never", "hardly", "cannot" and any "...n't", with or without the
 *    apostrophe) reaches the next three words of its clause: ". , ; : ( ) ? !", contrast
 *    ("but", "however", "although") and subordinate starts ("how", "if", "why", "because") end
 *    a clause. After "never", "so", "such", "more", "this" and "ever" stop it, so "never been
 *    so disappointed" stays negative.
 *  - Intensity points: 1 per ALL-CAPS word of 3+ letters in the text as given (at most 3;
 *    common acronyms such as API, CSV, GDPR, ASAP and currency codes do not count), 1 for a run
 *    of two "!"/"?" and 2 for three or more (at most 4 in all), 1 per profanity (masked forms
 *    such as "f*ck" and "sh!t" included).
 *  - sentiment = 0.5 + 0.5 * (0.75^negative - 0.75^positive).
 *  - frustration = 1 - 0.75^negative * 0.85^intensity, or 1 - 0.9^intensity with no negative
 *    point: shouting alone is weaker evidence. Positive points never enter it.
 *  - urgency = 1 - 0.7^points: 3 for explicit words ("urgent", "asap", "immediately",
 *    "emergency", "critical") and blocking ("can't access", "locked out", "production down",
 *    "all users", "outage"; 2 for "is down" and "blocked"), 2 for deadlines ("deadline",
 *    "by tomorrow", "by friday", "in 2 hours", "end of day"), 1 for "today", "tonight",
 *    "tomorrow", "quickly". A negated cue ("not urgent") and "no rush" count nothing.
 *  - repeat_contact: a phrase that says so ("as i said", "third time", "already contacted",
 *    "no one replied", "still waiting", "yet another", "keep having to", "follow up"), or
 *    "still" / "again" within three words of trouble in the same clause: a negator, a negative
 *    word, a blocking cue or "error", "problem", "issue", "same" ("still not working", "crashed
 *    again", "still have the same problem"). "can i still use the old plan" is not.
 *  - repeated_question: the message shares at least 3 content words (words less a short
 *    English stop-word list) with one history message, and the Jaccard similarity of the two
 *    word sets is at least 0.6. */

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
 * and "refund" does not match "refundable"; a final '*' matches any word ending ("refund*").
 * A phrase matches the same words in sequence ("delete my data"). Every keyword found sets its
 * category bit and adds evidence, even in a question about the topic ("how do I set up refund
 * rules?"): weighing intent against stakes is the decision policy's job. Scripts written
 * without spaces (Chinese, Japanese, Thai) only match where the keyword stands apart. */
typedef struct pw_stakes_keyword {
    const char *text;
    size_t len;
    uint32_t category; /* one pw_stakes bit */
} pw_stakes_keyword;

/* An order/invoice id pattern: '#' a digit, 'A' an ASCII letter, '*' a letter or digit, any
 * other printable ASCII character itself (case-insensitive), e.g. "ORD-######",
 * "INV-####-####". A pattern needs at least one '#' (or it would match plain words) and no
 * spaces. It matches a whole id: no ASCII letter or digit may touch either end, so
 * "ORD-#####" does not match inside "ORD-1234567". Each character stands for exactly one. */
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
 * defaults; a non-NULL list with count 0 means none). Returns PW_OK, PW_EINVAL (NULL out, a
 * NULL list with a non-zero count, an empty or over-long keyword or pattern, a keyword that
 * normalises to no word, has '?' or '!' or a '*' other than its last byte, a category that is
 * not one pw_stakes bit, a pattern without '#' or with a space or non-ASCII byte, more than
 * PW_SIGNALS_MAX_KEYWORDS or PW_SIGNALS_MAX_PATTERNS entries), PW_ENOMEM (nothing left
 * allocated). Caller frees with pw_signal_scanner_free. */
int pw_signal_scanner_new(const pw_signals_config *config, const pw_allocator *alloc,
                          pw_signal_scanner **out);

void pw_signal_scanner_free(pw_signal_scanner *s);

/* The default high-stakes keywords and id patterns, for documentation and for configuration
 * files that extend rather than replace them. Writes at most `cap` entries into `out` (their
 * strings are static storage, never freed) and sets *count to the number of defaults. The
 * defaults are written out rather than returned as a table because a static table of
 * pointers would be writable relocated data, which the core does not define. Returns PW_OK;
 * PW_ETRUNC when `cap` is smaller than *count (the first `cap` are written); PW_EINVAL when
 * `count` is NULL, or `out` is NULL with cap > 0.
 * Keywords: cancel*, cancel my subscription, close my account, delete my account, unsubscribe
 * (CANCEL); refund*, money back, reimburse* (REFUND); chargeback*, charge back, dispute*
 * (CHARGEBACK); legal, legal action, lawyer*, attorney*, sue, suing, lawsuit*, court
 * (LEGAL); gdpr, ccpa, delete my data, data protection, right to be forgotten (PRIVACY);
 * security breach, data breach, breach, hacked, compromised, data leak*, phishing,
 * unauthorized access, unauthorised access (SECURITY).
 * Id patterns: ORD- and INV- followed by 5 to 8 digits, INV-####-#### and INV-####-#####
 * (year and number). A bare "#48213" is not an id by default: too many numbers look alike. */
int pw_signals_default_keywords(pw_stakes_keyword *out, size_t cap, size_t *count);
int pw_signals_default_id_patterns(pw_id_pattern *out, size_t cap, size_t *count);

/* Scans UTF-8 `text[0..len)` (its first PW_SIGNALS_MAX_TEXT_BYTES, as the classifier) together
 * with the earlier messages of the conversation, history[i][0..history_len[i]) for
 * i < history_count (the last PW_SIGNALS_MAX_HISTORY are read, each cut the same way; NULL
 * with count 0 for none), and fills *out. Sentiment, frustration and urgency read English
 * wording; keywords, entities and repeated questions work in any language.
 * Evidence holds the first PW_SIGNALS_MAX_EVIDENCE cues in text order (ties: by kind, then
 * length); the scores count every cue. Entities are found left to right in the text as given
 * (URLs, then emails, ids and amounts at the same position) up to PW_SIGNALS_MAX_ENTITIES.
 * Amounts: a number with optional "," / "." separators and a currency symbol ($ € £ ¥) or an
 * upper-case ISO 4217 code (USD, EUR, GBP, ...) right before or after it, with at most one
 * space between.
 * Never allocates; deterministic. Borrows every pointer for the call only. Returns PW_OK or
 * PW_EINVAL (NULL scanner or out, NULL text with len > 0, NULL history or history_len with
 * count > 0, a NULL history message with a non-zero length); *out is untouched on error. */
int pw_signals_scan(pw_signal_scanner *s, const char *text, size_t len, const char *const *history,
                    const size_t *history_len, size_t history_count, pw_signals *out);

/* A message's content words as the repeated-question test compares them: the sorted 32-bit
 * hashes of its words less the stop words, each once. */
typedef struct pw_word_set {
    const uint32_t *words;
    size_t count;
} pw_word_set;

/* The word set of text[0..len) (its first PW_SIGNALS_MAX_TEXT_BYTES, as pw_signals_scan reads a
 * history message), in the scanner's scratch until its next call. A caller that passes the same
 * history with message after message (a server keeps each customer's latest) keeps copies of
 * these sets and calls pw_signals_scan_sets instead of having every message scan them again.
 * Never allocates. Returns PW_OK or PW_EINVAL (NULL scanner or out, NULL text with len > 0). */
int pw_signals_word_set(pw_signal_scanner *s, const char *text, size_t len, pw_word_set *out);

/* pw_signals_scan with each history message given by its word set: the same signals. When
 * `message_set` is not NULL it receives the message's own word set (what pw_signals_word_set
 * gives for it), in the scanner's scratch until its next call: the set a caller keeps for the
 * message's turn in the history, without a second pass over its text. PW_EINVAL also for NULL
 * history with count > 0, or a set with words NULL and count > 0. */
int pw_signals_scan_sets(pw_signal_scanner *s, const char *text, size_t len,
                         const pw_word_set *history, size_t history_count, pw_signals *out,
                         pw_word_set *message_set);

#ifdef __cplusplus
}
#endif

#endif
