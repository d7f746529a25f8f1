/* The signal scanner's layout and the passes pw_signals_scan runs: the lexicon pass over tokens
 * (sentiment, urgency, repeat contact), intensity cues, configured keywords, entities and the
 * history comparison. Each pass adds points to a tally and evidence to the result.
 * SPDX-License-Identifier: MIT */
#ifndef PW_SIGNALS_INT_H
#define PW_SIGNALS_INT_H

#include "pw/signals.h"
#include "pw/text.h"

#include <stddef.h>
#include <stdint.h>

/* One word of a compiled keyword: its normalised bytes live in the scanner's keyword text. */
typedef struct pw__kw_word {
    uint32_t hash; /* pw__hash32 of the bytes, PW__TOKEN_SEED */
    uint32_t offset, len;
} pw__kw_word;

typedef struct pw__keyword {
    uint32_t first_word, words; /* a range of the scanner's keyword words */
    uint32_t category;          /* one pw_stakes bit */
    uint32_t prefix;            /* 1: the last word matches any word it begins */
} pw__keyword;

typedef struct pw__id_pattern {
    char text[PW_SIGNALS_MAX_PATTERN_BYTES];
    uint32_t len;
} pw__id_pattern;

/* The lexicon's first words and the word lists the passes test every token against (stop
 * words, negators, clause breakers, blockers), in one hash table built once per scanner: a
 * token is then one probe, not a walk over every list. A slot holds a word without
 * apostrophes; tokens are looked up with theirs skipped, so "can't" finds "cant". */
#define PW__LEXICON_CAP 512
#define PW__WORD_SLOTS  1024 /* a power of two, more than the words indexed */
#define PW__WORD_MAX    32   /* bytes of the longest word indexed */

enum pw__word_list {
    PW__WORD_STOP = 1u << 0,    /* too common to tell two questions apart */
    PW__WORD_NEGATOR = 1u << 1, /* "not", "never", "cant" */
    PW__WORD_BREAKER = 1u << 2, /* ends a negation's clause: "but", "because" */
    PW__WORD_BLOCKER = 1u << 3  /* after "never", makes it emphasis: "so", "ever" */
};

typedef struct pw__word_slot {
    const char *text; /* NULL: an empty slot; else static storage */
    uint32_t hash, len;
    uint16_t lists;        /* pw__word_list bits */
    uint16_t first, count; /* the lexicon entries it starts: order[first .. first + count) */
} pw__word_slot;

typedef struct pw__lexicon_index {
    pw__word_slot slots[PW__WORD_SLOTS];
    uint16_t order[PW__LEXICON_CAP]; /* entry numbers grouped by first word, in listing order */
} pw__lexicon_index;

/* Seed of the token hashes keywords and repeated questions compare. Any fixed value: these
 * hashes never leave a scan. */
#define PW__TOKEN_SEED 0x5167a1u

struct pw_signal_scanner {
    pw_allocator alloc;
    uint32_t keyword_count, word_count, text_len;
    pw__keyword *keywords; /* [keyword_count] */
    pw__kw_word *words;    /* [word_count] */
    char *text;            /* [text_len]: the normalised keyword words, back to back */
    /* Keyword numbers grouped by the first byte of their first word, which every match of
     * theirs starts with: byte b's are keyword_order[keyword_start[b] .. keyword_start[b + 1]). */
    uint16_t keyword_start[257];
    uint16_t keyword_order[PW_SIGNALS_MAX_KEYWORDS];
    uint32_t pattern_count;
    pw__id_pattern patterns[PW_SIGNALS_MAX_PATTERNS];
    uint8_t id_first[256]; /* 1 for the bytes some pattern's first character matches */
    pw__lexicon_index lexicon;
    /* Scratch for one scan, sized for PW_SIGNALS_MAX_TEXT_BYTES of input: a token needs at
     * least one input character, so that many tokens is the bound. */
    char *norm;        /* [3 * PW_SIGNALS_MAX_TEXT_BYTES] */
    pw_token *tokens;  /* [PW_SIGNALS_MAX_TEXT_BYTES] */
    uint32_t *hashes;  /* [PW_SIGNALS_MAX_TEXT_BYTES]: hash of each token */
    uint64_t *words_a; /* [PW_SIGNALS_MAX_TEXT_BYTES]: content-word set of the message */
    uint64_t *words_b; /* [PW_SIGNALS_MAX_TEXT_BYTES]: ... of one history message */
    uint64_t *sort_tmp;
};

/* A normalised text and its tokens. */
typedef struct pw__view {
    const char *norm;
    const pw_token *tokens;
    const uint32_t *hashes;
    size_t count;
} pw__view;

/* Points found so far; the scores are computed from these (see signals.h). */
typedef struct pw__tally {
    uint32_t negative, positive, urgency;
    uint32_t caps, punct, profanity; /* the parts of intensity */
    int32_t repeat;
} pw__tally;

/* Adds one cue to out->evidence, keeping the first PW_SIGNALS_MAX_EVIDENCE by (start, kind,
 * len), whatever order the passes find them in. */
void pw__evidence_add(pw_signals *out, size_t start, size_t len, pw_evidence_kind kind);

/* Sentiment, urgency and repeat-contact wording (signals_lexicon.c). */
void pw__lexicon_index_build(pw__lexicon_index *ix);
/* The slot of token k's word, or NULL when neither the lexicon nor a list holds it. */
const pw__word_slot *pw__word_find(const pw__lexicon_index *ix, const pw__view *v, size_t k);
void pw__lexicon_scan(const pw__view *v, const pw__lexicon_index *ix, pw__tally *t,
                      pw_signals *out);

/* Repeated "!"/"?" and masked profanity in the normalised text, ALL-CAPS words in the text as
 * given (signals_intensity.c). */
void pw__punct_scan(const pw__view *v, pw__tally *t, pw_signals *out);
void pw__masked_profanity_scan(const char *norm, size_t norm_len, pw__tally *t, pw_signals *out);
void pw__caps_scan(const char *text, size_t len, pw__tally *t, pw_signals *out);

/* The configured keywords over the tokens (signals_config.c). */
void pw__stakes_scan(const pw_signal_scanner *s, const pw__view *v, pw_signals *out);

/* Emails, URLs, ids and amounts in the text as given (signals_entities.c). The index of the
 * patterns' first bytes is built once the patterns are copied, so that most positions need no
 * pattern tried at all. */
void pw__id_index_build(pw_signal_scanner *s);
void pw__entities_scan(const pw_signal_scanner *s, const char *text, size_t len, pw_signals *out);

/* Compiles the configuration into `s` (keywords and patterns; the defaults for NULL lists).
 * Returns PW_OK, PW_EINVAL or PW_ENOMEM; on error `s` may hold partial allocations that
 * pw_signal_scanner_free releases. */
int pw__signals_configure(pw_signal_scanner *s, const pw_signals_config *config);

/* True when `word` (len bytes) equals one of the `n` NUL-padded entries of `stride` bytes at
 * `list`. Apostrophes in `word` are skipped, so "can't" equals the entry "cant". A walk over
 * the list: for the short lists few words reach (weekdays, acronyms, currency codes); the
 * ones every token meets are in the lexicon index. */
int pw__word_in_list(const char *list, size_t stride, size_t n, const char *word, size_t len);
#define PW__IN_LIST(table, word, len)                                                              \
    pw__word_in_list(&(table)[0][0], sizeof(table)[0], sizeof(table) / sizeof(table)[0], word, len)

/* True for ISO 4217 codes the entity pass knows (upper-case, 3 letters). The caps pass skips
 * them too: "49 EUR" is not shouting. */
int pw__is_currency_code(const char *s, size_t len);

#endif
