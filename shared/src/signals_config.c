/* The scanner's configuration: the default high-stakes keywords and id patterns, their
 * validation and compilation (keywords are normalised and tokenised once, here, exactly as
 * messages are), and the keyword pass over a message's tokens.
 * SPDX-License-Identifier: MIT */
#include "alloc_int.h"
#include "hash_int.h"
#include "pw/status.h"
#include "signals_int.h"

#include <string.h>

typedef struct default_keyword {
    char text[24];
    uint32_t category;
} default_keyword;

static const default_keyword default_keywords[] = {
    {"cancel*", PW_STAKES_CANCEL},
    {"cancel my subscription", PW_STAKES_CANCEL},
    {"close my account", PW_STAKES_CANCEL},
    {"delete my account", PW_STAKES_CANCEL},
    {"unsubscribe", PW_STAKES_CANCEL},
    {"refund*", PW_STAKES_REFUND},
    {"money back", PW_STAKES_REFUND},
    {"reimburse*", PW_STAKES_REFUND},
    {"chargeback*", PW_STAKES_CHARGEBACK},
    {"charge back", PW_STAKES_CHARGEBACK},
    {"dispute*", PW_STAKES_CHARGEBACK},
    {"legal", PW_STAKES_LEGAL},
    {"legal action", PW_STAKES_LEGAL},
    {"lawyer*", PW_STAKES_LEGAL},
    {"attorney*", PW_STAKES_LEGAL},
    {"sue", PW_STAKES_LEGAL},
    {"suing", PW_STAKES_LEGAL},
    {"lawsuit*", PW_STAKES_LEGAL},
    {"court", PW_STAKES_LEGAL},
    {"gdpr", PW_STAKES_PRIVACY},
    {"ccpa", PW_STAKES_PRIVACY},
    {"delete my data", PW_STAKES_PRIVACY},
    {"data protection", PW_STAKES_PRIVACY},
    {"right to be forgotten", PW_STAKES_PRIVACY},
    {"security breach", PW_STAKES_SECURITY},
    {"data breach", PW_STAKES_SECURITY},
    {"breach", PW_STAKES_SECURITY},
    {"hacked", PW_STAKES_SECURITY},
    {"compromised", PW_STAKES_SECURITY},
    {"data leak*", PW_STAKES_SECURITY},
    {"phishing", PW_STAKES_SECURITY},
    {"unauthorized access", PW_STAKES_SECURITY},
    {"unauthorised access", PW_STAKES_SECURITY},
};

/* Fixed lengths keep an id pattern from matching any number at all; these cover the common
 * shapes and a configuration replaces them with the shop's own. */
static const char default_patterns[][16] = {
    "ORD-#####",  "ORD-######",  "ORD-#######",  "ORD-########",  "INV-#####",
    "INV-######", "INV-#######", "INV-########", "INV-####-####", "INV-####-#####",
};

#define DEFAULT_KEYWORDS (sizeof default_keywords / sizeof default_keywords[0])
#define DEFAULT_PATTERNS (sizeof default_patterns / sizeof default_patterns[0])

int pw_signals_default_keywords(pw_stakes_keyword *out, size_t cap, size_t *count) {
    if (!count || (!out && cap))
        return PW_EINVAL;
    for (size_t i = 0; i < DEFAULT_KEYWORDS && i < cap; i++) {
        out[i].text = default_keywords[i].text;
        out[i].len = strlen(default_keywords[i].text);
        out[i].category = default_keywords[i].category;
    }
    *count = DEFAULT_KEYWORDS;
    return cap >= DEFAULT_KEYWORDS ? PW_OK : PW_ETRUNC;
}

int pw_signals_default_id_patterns(pw_id_pattern *out, size_t cap, size_t *count) {
    if (!count || (!out && cap))
        return PW_EINVAL;
    for (size_t i = 0; i < DEFAULT_PATTERNS && i < cap; i++) {
        out[i].pattern = default_patterns[i];
        out[i].len = strlen(default_patterns[i]);
    }
    *count = DEFAULT_PATTERNS;
    return cap >= DEFAULT_PATTERNS ? PW_OK : PW_ETRUNC;
}

/* One keyword, normalised and tokenised: a token needs at least one input byte, so
 * PW_SIGNALS_MAX_KEYWORD_BYTES tokens always fit. */
typedef struct compiled {
    char norm[3 * PW_SIGNALS_MAX_KEYWORD_BYTES];
    pw_token tokens[PW_SIGNALS_MAX_KEYWORD_BYTES];
    size_t norm_len, count;
    uint32_t prefix;
} compiled;

static int one_category(uint32_t c) {
    return c != 0 && (c & (c - 1)) == 0 && c <= PW_STAKES_OTHER;
}

static int compile_keyword(const pw_stakes_keyword *k, compiled *c) {
    if (!k->text || k->len == 0 || k->len > PW_SIGNALS_MAX_KEYWORD_BYTES ||
        !one_category(k->category))
        return PW_EINVAL;
    size_t len = k->len;
    c->prefix = k->text[len - 1] == '*';
    len -= c->prefix;
    if (memchr(k->text, '*', len))
        return PW_EINVAL;
    pw_text_normalize(k->text, len, c->norm, sizeof c->norm, &c->norm_len);
    pw_text_tokenize(c->norm, c->norm_len, c->tokens, PW_SIGNALS_MAX_KEYWORD_BYTES, &c->count);
    if (c->count == 0)
        return PW_EINVAL;
    for (size_t i = 0; i < c->count; i++)
        if (c->tokens[i].kind == PW_TOKEN_PUNCT)
            return PW_EINVAL;
    return PW_OK;
}

/* Validates every keyword and counts the words and bytes the compiled form needs. */
static int measure_keywords(const pw_stakes_keyword *kws, size_t n, size_t *words, size_t *bytes) {
    compiled c;
    *words = *bytes = 0;
    for (size_t i = 0; i < n; i++) {
        int rc = compile_keyword(&kws[i], &c);
        if (rc != PW_OK)
            return rc;
        *words += c.count;
        for (size_t t = 0; t < c.count; t++)
            *bytes += c.tokens[t].len;
    }
    return PW_OK;
}

static void store_keyword(pw_signal_scanner *s, const compiled *c, uint32_t category) {
    pw__keyword *kw = &s->keywords[s->keyword_count++];
    kw->first_word = s->word_count;
    kw->words = (uint32_t)c->count;
    kw->category = category;
    kw->prefix = c->prefix;
    for (size_t t = 0; t < c->count; t++) {
        const char *w = c->norm + c->tokens[t].start;
        pw__kw_word *word = &s->words[s->word_count++];
        word->hash = pw__hash32(w, c->tokens[t].len, PW__TOKEN_SEED);
        word->offset = s->text_len;
        word->len = c->tokens[t].len;
        memcpy(s->text + s->text_len, w, word->len);
        s->text_len += word->len;
    }
}

static uint8_t first_byte(const pw_signal_scanner *s, uint32_t k) {
    return (uint8_t)s->text[s->words[s->keywords[k].first_word].offset];
}

/* A counting sort of the keywords by the first byte of their first word (keyword_start). */
static void index_keywords(pw_signal_scanner *s) {
    uint16_t *start = s->keyword_start;
    memset(s->keyword_start, 0, sizeof s->keyword_start);
    for (uint32_t k = 0; k < s->keyword_count; k++)
        start[first_byte(s, k) + 1]++;
    for (size_t b = 1; b < 257; b++)
        start[b] = (uint16_t)(start[b] + start[b - 1]);
    uint16_t next[256];
    memcpy(next, start, sizeof next);
    for (uint32_t k = 0; k < s->keyword_count; k++)
        s->keyword_order[next[first_byte(s, k)]++] = (uint16_t)k;
}

static int compile_keywords(pw_signal_scanner *s, const pw_stakes_keyword *kws, size_t n) {
    size_t words = 0, bytes = 0;
    int rc = n > PW_SIGNALS_MAX_KEYWORDS ? PW_EINVAL : measure_keywords(kws, n, &words, &bytes);
    if (rc != PW_OK || n == 0)
        return rc;
    s->keywords = pw__calloc(&s->alloc, n, sizeof *s->keywords);
    s->words = pw__calloc(&s->alloc, words, sizeof *s->words);
    s->text = pw__alloc(&s->alloc, bytes);
    if (!s->keywords || !s->words || !s->text) {
        /* Sizes for pw_signal_scanner_free, which releases what was allocated. */
        s->keyword_count = (uint32_t)n, s->word_count = (uint32_t)words;
        s->text_len = (uint32_t)bytes;
        return PW_ENOMEM;
    }
    compiled c;
    for (size_t i = 0; i < n; i++) {
        compile_keyword(&kws[i], &c); /* validated above */
        store_keyword(s, &c, kws[i].category);
    }
    index_keywords(s);
    return PW_OK;
}

static int copy_pattern(const pw_id_pattern *p, pw__id_pattern *out) {
    if (!p->pattern || p->len == 0 || p->len > PW_SIGNALS_MAX_PATTERN_BYTES)
        return PW_EINVAL;
    int digit = 0;
    for (size_t k = 0; k < p->len; k++) {
        uint8_t c = (uint8_t)p->pattern[k];
        if (c <= ' ' || c >= 0x7F)
            return PW_EINVAL;
        digit |= c == '#';
    }
    if (!digit)
        return PW_EINVAL;
    memcpy(out->text, p->pattern, p->len);
    out->len = (uint32_t)p->len;
    return PW_OK;
}

static int copy_patterns(pw_signal_scanner *s, const pw_id_pattern *patterns, size_t n) {
    if (n > PW_SIGNALS_MAX_PATTERNS)
        return PW_EINVAL;
    for (size_t i = 0; i < n; i++) {
        int rc = copy_pattern(&patterns[i], &s->patterns[i]);
        if (rc != PW_OK)
            return rc;
    }
    s->pattern_count = (uint32_t)n;
    pw__id_index_build(s);
    return PW_OK;
}

int pw__signals_configure(pw_signal_scanner *s, const pw_signals_config *config) {
    pw_stakes_keyword kws[DEFAULT_KEYWORDS];
    pw_id_pattern patterns[DEFAULT_PATTERNS];
    size_t nk = 0, np = 0;
    pw_signals_default_keywords(kws, DEFAULT_KEYWORDS, &nk);
    pw_signals_default_id_patterns(patterns, DEFAULT_PATTERNS, &np);
    const pw_stakes_keyword *k = kws;
    const pw_id_pattern *p = patterns;
    if (config && (config->keywords || config->keyword_count))
        k = config->keywords, nk = config->keyword_count;
    if (config && (config->id_patterns || config->id_pattern_count))
        p = config->id_patterns, np = config->id_pattern_count;
    if ((!k && nk) || (!p && np))
        return PW_EINVAL;
    int rc = copy_patterns(s, p, np);
    return rc == PW_OK ? compile_keywords(s, k, nk) : rc;
}

static int word_matches(const pw_signal_scanner *s, const pw__kw_word *w, int prefix,
                        const pw__view *v, size_t k) {
    const pw_token *t = &v->tokens[k];
    const char *tok = v->norm + t->start;
    if (t->kind == PW_TOKEN_PUNCT)
        return 0;
    if (prefix)
        return t->len >= w->len && memcmp(tok, s->text + w->offset, w->len) == 0;
    return v->hashes[k] == w->hash && t->len == w->len &&
           memcmp(tok, s->text + w->offset, w->len) == 0;
}

/* Tokens the keyword covers from token i, or 0. */
static size_t keyword_match(const pw_signal_scanner *s, const pw__keyword *kw, const pw__view *v,
                            size_t i) {
    if (kw->words > v->count - i)
        return 0;
    for (uint32_t j = 0; j < kw->words; j++) {
        int prefix = kw->prefix && j + 1 == kw->words;
        if (!word_matches(s, &s->words[kw->first_word + j], prefix, v, i + j))
            return 0;
    }
    return kw->words;
}

/* Every keyword sets its category; evidence goes to the longest match at each token, unless
 * an earlier match already covers it ("cancel" inside "cancel my subscription"). Only the
 * keywords whose first word starts with the token's first byte can match there. */
void pw__stakes_scan(const pw_signal_scanner *s, const pw__view *v, pw_signals *out) {
    size_t covered = 0;
    for (size_t i = 0; i < v->count; i++) {
        size_t best = 0;
        uint8_t b = (uint8_t)v->norm[v->tokens[i].start];
        for (size_t o = s->keyword_start[b]; o < s->keyword_start[b + 1]; o++) {
            const pw__keyword *kw = &s->keywords[s->keyword_order[o]];
            size_t n = keyword_match(s, kw, v, i);
            if (n)
                out->high_stakes |= kw->category;
            best = n > best ? n : best;
        }
        if (!best)
            continue;
        size_t start = v->tokens[i].start;
        size_t end = v->tokens[i + best - 1].start + v->tokens[i + best - 1].len;
        if (end > covered) {
            pw__evidence_add(out, start, end - start, PW_EVIDENCE_STAKES);
            covered = end;
        }
    }
}
