/* Hashed features. Word features: each token (numbers, ids, emails and URLs by their kind only)
 * and, with word_ngrams 2, each adjacent pair including start and end marks. Character
 * features: the n-grams of "<word>" for each word token, counted in code points, so accented
 * and non-Latin words split on character boundaries.
 * SPDX-License-Identifier: MIT */
#include "features_int.h"
#include "alloc_int.h"
#include "hash_int.h"
#include "pw/model.h"
#include "pw/status.h"
#include "utf8_int.h"

#include <string.h>

/* Seeds separate the feature spaces, so the word "ab" and the char bigram "ab" differ. */
#define SEED_WORD   0x9E3779B1u
#define SEED_BIGRAM 0x85EBCA77u
#define SEED_CHAR   0xC2B2AE3Du

#define NORM_CAP (3u * PW_MODEL_MAX_TEXT_BYTES)

int pw__extractor_init(pw__extractor *x, const pw_allocator *a) {
    memset(x, 0, sizeof *x);
    x->norm = pw__alloc(a, NORM_CAP);
    x->tokens = pw__calloc(a, PW__MAX_TOKENS, sizeof *x->tokens);
    x->hashes = pw__calloc(a, PW__MAX_FEATURES, sizeof *x->hashes);
    x->groups = pw__calloc(a, PW__MAX_FEATURES, sizeof *x->groups);
    x->rows = pw__calloc(a, PW__MAX_FEATURES, sizeof *x->rows);
    x->values = pw__calloc(a, PW__MAX_FEATURES, sizeof *x->values);
    if (!x->norm || !x->tokens || !x->hashes || !x->groups || !x->rows || !x->values) {
        pw__extractor_free(x, a);
        return PW_ENOMEM;
    }
    return PW_OK;
}

void pw__extractor_free(pw__extractor *x, const pw_allocator *a) {
    pw__free(a, x->norm, NORM_CAP);
    pw__free(a, x->tokens, PW__MAX_TOKENS * sizeof *x->tokens);
    pw__free(a, x->hashes, PW__MAX_FEATURES * sizeof *x->hashes);
    pw__free(a, x->groups, PW__MAX_FEATURES * sizeof *x->groups);
    pw__free(a, x->rows, PW__MAX_FEATURES * sizeof *x->rows);
    pw__free(a, x->values, PW__MAX_FEATURES * sizeof *x->values);
    memset(x, 0, sizeof *x);
}

int pw__feature_config_valid(const pw__feature_config *cfg) {
    int chars_ok = cfg->char_max == 0 ||
                   (cfg->char_min >= 1 && cfg->char_min <= cfg->char_max && cfg->char_max <= 8);
    return chars_ok && cfg->word_ngrams >= 1 && cfg->word_ngrams <= 3;
}

typedef struct sink {
    pw__extractor *x;
    size_t n;
} sink;

static void add(sink *s, uint32_t hash, uint8_t group) {
    if (s->n < PW__MAX_FEATURES) {
        s->x->hashes[s->n] = hash;
        s->x->groups[s->n] = group;
        s->n++;
    }
}

/* A switch, not a table of string pointers: pointer tables are writable data under PIE. */
static const char *placeholder(pw_token_kind kind) {
    switch (kind) {
    case PW_TOKEN_NUMBER:
        return "<num>";
    case PW_TOKEN_ID:
        return "<id>";
    case PW_TOKEN_EMAIL:
        return "<email>";
    case PW_TOKEN_URL:
        return "<url>";
    default:
        return NULL;
    }
}

static uint32_t word_hash(const char *norm, const pw_token *t) {
    const char *p = placeholder(t->kind);
    if (p)
        return pw__hash32(p, strlen(p), SEED_WORD);
    return pw__hash32(norm + t->start, t->len, SEED_WORD);
}

static uint32_t pair_hash(uint32_t a, uint32_t b) {
    uint8_t bytes[8];
    for (unsigned i = 0; i < 4; i++) {
        bytes[i] = (uint8_t)(a >> (8 * i));
        bytes[4 + i] = (uint8_t)(b >> (8 * i));
    }
    return pw__hash32(bytes, sizeof bytes, SEED_BIGRAM);
}

/* Char n-grams of "<word>". Offsets of each code point let n-grams span whole characters. */
static void add_char_ngrams(sink *s, const pw__feature_config *cfg, const char *word, size_t len) {
    uint8_t buf[4 * PW__MAX_NGRAM_CP + 2];
    uint32_t off[PW__MAX_NGRAM_CP + 3];
    uint32_t cps = 0;
    buf[0] = '<';
    off[cps++] = 0;
    for (size_t i = 0; i < len; i++) {
        if (((uint8_t)word[i] & 0xC0u) != 0x80u) {
            if (cps > PW__MAX_NGRAM_CP)
                return;
            off[cps++] = (uint32_t)(i + 1);
        }
        buf[i + 1] = (uint8_t)word[i];
    }
    buf[len + 1] = '>';
    off[cps++] = (uint32_t)(len + 1);
    off[cps] = (uint32_t)(len + 2); /* end of the last character */
    for (uint32_t n = cfg->char_min; n <= cfg->char_max && n <= cps; n++)
        for (uint32_t i = 0; i + n <= cps; i++)
            add(s, pw__hash32(buf + off[i], off[i + n] - off[i], SEED_CHAR), PW__GROUP_CHAR);
}

size_t pw__features_extract(pw__extractor *x, const pw__feature_config *cfg, const char *text,
                            size_t len) {
    size_t norm_len = 0, count = 0;
    len = pw__utf8_cut(text, len, PW_MODEL_MAX_TEXT_BYTES);
    /* Cannot truncate: the bound is 3 bytes out per byte in. */
    pw_text_normalize(text, len, x->norm, NORM_CAP, &norm_len);
    pw_text_tokenize(x->norm, norm_len, x->tokens, PW__MAX_TOKENS, &count);
    if (count > PW__MAX_TOKENS)
        count = PW__MAX_TOKENS;
    sink s = {x, 0};
    uint32_t start = pw__hash32("<s>", 3, SEED_WORD), prev = start, prev2 = start;
    for (size_t i = 0; i < count; i++) {
        const pw_token *t = &x->tokens[i];
        uint32_t h = word_hash(x->norm, t);
        add(&s, h, PW__GROUP_WORD);
        if (cfg->word_ngrams >= 2)
            add(&s, pair_hash(prev, h), PW__GROUP_WORD);
        /* A trigram is the pair of (first two words' pair, third word). */
        if (cfg->word_ngrams >= 3 && i > 0)
            add(&s, pair_hash(pair_hash(prev2, prev) ^ SEED_CHAR, h), PW__GROUP_WORD);
        prev2 = prev;
        prev = h;
        if (t->kind == PW_TOKEN_WORD && cfg->char_max > 0)
            add_char_ngrams(&s, cfg, x->norm + t->start, t->len);
    }
    if (cfg->word_ngrams >= 2 && count > 0)
        add(&s, pair_hash(prev, pw__hash32("</s>", 4, SEED_WORD)), PW__GROUP_WORD);
    return s.n;
}
