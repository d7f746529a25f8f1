/* Feature extraction: text -> hashed word, bigram and character n-gram features. The hashes
 * and their seeds are part of the model format: changing them invalidates every model file.
 * SPDX-License-Identifier: MIT */
#ifndef PW_FEATURES_INT_H
#define PW_FEATURES_INT_H

#include "pw/alloc.h"
#include "pw/text.h"

#include <stddef.h>
#include <stdint.h>

/* Which n-grams a model uses; stored in the model file. */
typedef struct pw__feature_config {
    uint32_t char_min, char_max; /* char n-gram sizes; char_max 0 = none */
    uint32_t word_ngrams;        /* 1 words, 2 + bigrams, 3 + trigrams */
} pw__feature_config;

/* Feature groups are normalised separately (like a union of two TF-IDF vectorisers), so long
 * words cannot drown the word-level evidence. */
enum { PW__GROUP_WORD = 0, PW__GROUP_CHAR = 1 };

#define PW__MAX_TOKENS   2048u
#define PW__MAX_FEATURES 32768u /* extraction stops here, deterministically */
#define PW__MAX_NGRAM_CP 32u    /* longer "words" (hashes, junk) get no char n-grams */

/* Scratch for one extraction at a time, sized once. */
typedef struct pw__extractor {
    char *norm;       /* normalised text, 3 * PW_MODEL_MAX_TEXT_BYTES */
    pw_token *tokens; /* PW__MAX_TOKENS */
    uint32_t *hashes; /* PW__MAX_FEATURES */
    uint8_t *groups;  /* PW__MAX_FEATURES */
    uint32_t *rows;   /* PW__MAX_FEATURES: the model rows of the known features */
    float *values;    /* PW__MAX_FEATURES: their scaled tf-idf values */
} pw__extractor;

/* Allocates the scratch. Returns PW_OK or PW_ENOMEM (nothing left allocated). */
int pw__extractor_init(pw__extractor *x, const pw_allocator *a);
void pw__extractor_free(pw__extractor *x, const pw_allocator *a);

/* Extracts the features of text[0..len) (first PW_MODEL_MAX_TEXT_BYTES only, cut at a character
 * boundary) into x->hashes / x->groups and returns how many. Never allocates. */
size_t pw__features_extract(pw__extractor *x, const pw__feature_config *cfg, const char *text,
                            size_t len);

/* Valid configuration? (1 <= char_min <= char_max <= 8 or char_max == 0; word_ngrams 1..3) */
int pw__feature_config_valid(const pw__feature_config *cfg);

#endif
