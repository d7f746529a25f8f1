/* pw_signals_scan: normalise and tokenise once, run the passes (lexicon, intensity, keywords,
 * entities), turn their points into scores and compare the message with the history. All
 * scratch lives in the scanner; nothing here allocates after pw_signal_scanner_new.
 * SPDX-License-Identifier: MIT */
#include "pw/signals.h"
#include "alloc_int.h"
#include "hash_int.h"
#include "pw/status.h"
#include "signals_int.h"
#include "sort_int.h"
#include "utf8_int.h"

#include <string.h>

#define MAX_TOKENS PW_SIGNALS_MAX_TEXT_BYTES
#define NORM_CAP   (3u * PW_SIGNALS_MAX_TEXT_BYTES)

int pw_signal_scanner_new(const pw_signals_config *config, const pw_allocator *alloc,
                          pw_signal_scanner **out) {
    if (!out)
        return PW_EINVAL;
    pw_signal_scanner *s = pw__calloc(alloc, 1, sizeof *s);
    if (!s)
        return PW_ENOMEM;
    if (alloc)
        s->alloc = *alloc;
    s->norm = pw__alloc(alloc, NORM_CAP);
    s->tokens = pw__calloc(alloc, MAX_TOKENS, sizeof *s->tokens);
    s->hashes = pw__calloc(alloc, MAX_TOKENS, sizeof *s->hashes);
    s->words_a = pw__calloc(alloc, MAX_TOKENS, sizeof *s->words_a);
    s->words_b = pw__calloc(alloc, MAX_TOKENS, sizeof *s->words_b);
    s->sort_tmp = pw__calloc(alloc, MAX_TOKENS, sizeof *s->sort_tmp);
    int scratch = s->norm && s->tokens && s->hashes && s->words_a && s->words_b && s->sort_tmp;
    pw__lexicon_index_build(&s->lexicon);
    int rc = scratch ? pw__signals_configure(s, config) : PW_ENOMEM;
    if (rc != PW_OK) {
        pw_signal_scanner_free(s);
        return rc;
    }
    *out = s;
    return PW_OK;
}

void pw_signal_scanner_free(pw_signal_scanner *s) {
    if (!s)
        return;
    pw_allocator a = s->alloc;
    pw__free(&a, s->keywords, s->keyword_count * sizeof *s->keywords);
    pw__free(&a, s->words, s->word_count * sizeof *s->words);
    pw__free(&a, s->text, s->text_len);
    pw__free(&a, s->norm, NORM_CAP);
    pw__free(&a, s->tokens, MAX_TOKENS * sizeof *s->tokens);
    pw__free(&a, s->hashes, MAX_TOKENS * sizeof *s->hashes);
    pw__free(&a, s->words_a, MAX_TOKENS * sizeof *s->words_a);
    pw__free(&a, s->words_b, MAX_TOKENS * sizeof *s->words_b);
    pw__free(&a, s->sort_tmp, MAX_TOKENS * sizeof *s->sort_tmp);
    pw__free(&a, s, sizeof *s);
}

static int evidence_before(const pw_evidence *a, const pw_evidence *b) {
    if (a->start != b->start)
        return a->start < b->start;
    if (a->kind != b->kind)
        return a->kind < b->kind;
    return a->len < b->len;
}

/* Insertion into a sorted array of at most 16: the passes find cues in their own order, and
 * keeping the smallest 16 needs no scratch. */
void pw__evidence_add(pw_signals *out, size_t start, size_t len, pw_evidence_kind kind) {
    pw_evidence e = {(uint32_t)start, (uint32_t)len, kind};
    uint32_t n = out->evidence_count;
    if (n == PW_SIGNALS_MAX_EVIDENCE && !evidence_before(&e, &out->evidence[n - 1]))
        return;
    uint32_t at = n < PW_SIGNALS_MAX_EVIDENCE ? n++ : n - 1;
    while (at > 0 && evidence_before(&e, &out->evidence[at - 1])) {
        out->evidence[at] = out->evidence[at - 1];
        at--;
    }
    out->evidence[at] = e;
    out->evidence_count = n;
}

/* base^n by repeated multiplication: no libm, so both homes get the same bits. Past 256 points
 * the score no longer changes at %.6f for any base used here. */
static double power(double base, uint32_t n) {
    double p = 1.0;
    for (uint32_t i = 0; i < n && i < 256; i++)
        p *= base;
    return p;
}

static void score(const pw__tally *t, pw_signals *out) {
    uint32_t caps = t->caps < 3 ? t->caps : 3, punct = t->punct < 4 ? t->punct : 4;
    uint32_t intensity = caps + punct + t->profanity;
    out->sentiment = 0.5 + 0.5 * (power(0.75, t->negative) - power(0.75, t->positive));
    if (t->negative > 0)
        out->frustration = 1.0 - power(0.75, t->negative) * power(0.85, intensity);
    else
        out->frustration = 1.0 - power(0.9, intensity);
    out->urgency = 1.0 - power(0.7, t->urgency);
    out->repeat_contact = t->repeat;
}

/* Normalises and tokenises text[0..len) into the scanner's scratch. */
static pw__view prepare(pw_signal_scanner *s, const char *text, size_t len, size_t *norm_len) {
    len = pw__utf8_cut(text, len, PW_SIGNALS_MAX_TEXT_BYTES);
    size_t n = 0, count = 0;
    /* Neither call can truncate: 3 bytes out per byte in, at most one token per character. */
    pw_text_normalize(text, len, s->norm, NORM_CAP, &n);
    pw_text_tokenize(s->norm, n, s->tokens, MAX_TOKENS, &count);
    if (count > MAX_TOKENS)
        count = MAX_TOKENS;
    for (size_t i = 0; i < count; i++)
        s->hashes[i] = pw__hash32(s->norm + s->tokens[i].start, s->tokens[i].len, PW__TOKEN_SEED);
    *norm_len = n;
    pw__view v = {s->norm, s->tokens, s->hashes, count};
    return v;
}

/* A word not in the stop-word list (signals_lexicon.c), which the index answers in one probe. */
static int is_content_word(const pw__lexicon_index *ix, const pw__view *v, size_t i) {
    if (v->tokens[i].kind != PW_TOKEN_WORD)
        return 0;
    const pw__word_slot *word = pw__word_find(ix, v, i);
    return !word || !(word->lists & PW__WORD_STOP);
}

/* The sorted, duplicate-free content-word hashes of a view; returns how many. */
static size_t word_set(const pw__lexicon_index *ix, const pw__view *v, uint64_t *set,
                       uint64_t *tmp) {
    size_t n = 0;
    for (size_t i = 0; i < v->count; i++)
        if (is_content_word(ix, v, i))
            set[n++] = v->hashes[i];
    pw__radix_sort_u64(set, tmp, n);
    size_t unique = 0;
    for (size_t i = 0; i < n; i++)
        if (unique == 0 || set[unique - 1] != set[i])
            set[unique++] = set[i];
    return unique;
}

static size_t shared_count(const uint64_t *a, size_t na, const uint64_t *b, size_t nb) {
    size_t i = 0, j = 0, shared = 0;
    while (i < na && j < nb) {
        if (a[i] == b[j])
            shared++, i++, j++;
        else if (a[i] < b[j])
            i++;
        else
            j++;
    }
    return shared;
}

/* Jaccard >= 0.6 as integers: shared / (na + nb - shared) >= 3/5. */
static int same_question(size_t na, size_t nb, size_t shared) {
    return shared >= 3 && 5 * shared >= 3 * (na + nb - shared);
}

/* The last PW_SIGNALS_MAX_HISTORY of count history messages. */
static size_t first_read(size_t count) {
    return count > PW_SIGNALS_MAX_HISTORY ? count - PW_SIGNALS_MAX_HISTORY : 0;
}

/* Runs last: it reuses the scratch that holds the message. */
static int repeats_history(pw_signal_scanner *s, size_t na, const char *const *history,
                           const size_t *history_len, size_t history_count) {
    for (size_t h = first_read(history_count); h < history_count && na >= 3; h++) {
        size_t norm_len = 0;
        pw__view v = prepare(s, history[h] ? history[h] : "", history_len[h], &norm_len);
        size_t nb = word_set(&s->lexicon, &v, s->words_b, s->sort_tmp);
        if (same_question(na, nb, shared_count(s->words_a, na, s->words_b, nb)))
            return 1;
    }
    return 0;
}

static int repeats_sets(pw_signal_scanner *s, size_t na, const pw_word_set *history,
                        size_t history_count) {
    for (size_t h = first_read(history_count); h < history_count && na >= 3; h++) {
        size_t nb = history[h].count < MAX_TOKENS ? history[h].count : MAX_TOKENS;
        for (size_t i = 0; i < nb; i++)
            s->words_b[i] = history[h].words[i];
        if (same_question(na, nb, shared_count(s->words_a, na, s->words_b, nb)))
            return 1;
    }
    return 0;
}

static int valid_history(const char *const *history, const size_t *history_len, size_t count) {
    if (count == 0)
        return 1;
    if (!history || !history_len)
        return 0;
    for (size_t h = 0; h < count; h++)
        if (!history[h] && history_len[h] > 0)
            return 0;
    return 1;
}

static int valid_sets(const pw_word_set *history, size_t count) {
    if (count == 0)
        return 1;
    if (!history)
        return 0;
    for (size_t h = 0; h < count; h++)
        if (!history[h].words && history[h].count > 0)
            return 0;
    return 1;
}

/* Every signal of the message but repeated_question; leaves its word set in words_a and returns
 * the set's size. */
static size_t scan_message(pw_signal_scanner *s, const char *text, size_t len, pw_signals *out) {
    memset(out, 0, sizeof *out);
    if (!text)
        text = "";
    len = pw__utf8_cut(text, len, PW_SIGNALS_MAX_TEXT_BYTES);
    size_t norm_len = 0;
    pw__view v = prepare(s, text, len, &norm_len);
    pw__tally t = {0};
    pw__lexicon_scan(&v, &s->lexicon, &t, out);
    pw__punct_scan(&v, &t, out);
    pw__masked_profanity_scan(v.norm, norm_len, &t, out);
    pw__caps_scan(text, len, &t, out);
    pw__stakes_scan(s, &v, out);
    pw__entities_scan(s, text, len, out);
    score(&t, out);
    return word_set(&s->lexicon, &v, s->words_a, s->sort_tmp);
}

int pw_signals_scan(pw_signal_scanner *s, const char *text, size_t len, const char *const *history,
                    const size_t *history_len, size_t history_count, pw_signals *out) {
    if (!s || !out || (!text && len) || !valid_history(history, history_len, history_count))
        return PW_EINVAL;
    size_t na = scan_message(s, text, len, out);
    out->repeated_question = repeats_history(s, na, history, history_len, history_count);
    return PW_OK;
}

/* Hands out a word set of n words made in `words`: the token hashes are spent once the set is
 * made, and the set takes their place. */
static pw_word_set hand_out(pw_signal_scanner *s, const uint64_t *words, size_t n) {
    for (size_t i = 0; i < n; i++)
        s->hashes[i] = (uint32_t)words[i];
    return (pw_word_set){s->hashes, n};
}

int pw_signals_scan_sets(pw_signal_scanner *s, const char *text, size_t len,
                         const pw_word_set *history, size_t history_count, pw_signals *out,
                         pw_word_set *message_set) {
    if (!s || !out || (!text && len) || !valid_sets(history, history_count))
        return PW_EINVAL;
    size_t na = scan_message(s, text, len, out);
    out->repeated_question = repeats_sets(s, na, history, history_count);
    if (message_set)
        *message_set = hand_out(s, s->words_a, na);
    return PW_OK;
}

int pw_signals_word_set(pw_signal_scanner *s, const char *text, size_t len, pw_word_set *out) {
    if (!s || !out || (!text && len))
        return PW_EINVAL;
    size_t norm_len = 0;
    pw__view v = prepare(s, text ? text : "", len, &norm_len);
    *out = hand_out(s, s->words_b, word_set(&s->lexicon, &v, s->words_b, s->sort_tmp));
    return PW_OK;
}
