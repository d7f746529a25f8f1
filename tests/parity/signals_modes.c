/* The signals parity mode. Input lines: "> text" is an earlier message of the conversation,
 * "+kw CATEGORY text" a configured keyword and "+id PATTERN" a configured id pattern (either
 * kind replaces that kind's defaults); every other line is the message (lines joined by
 * newlines). Output: scores at %.6f, flags, stakes bits, then the evidence (normalised text)
 * and the entities (text as given), one per line.
 * SPDX-License-Identifier: MIT */
#include "parity.h"
#include "pw/signals.h"
#include "pw/status.h"
#include "pw/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct parsed {
    pw_buf message;
    const char *history[PW_SIGNALS_MAX_HISTORY];
    size_t history_len[PW_SIGNALS_MAX_HISTORY], history_count;
    pw_stakes_keyword keywords[16];
    pw_id_pattern patterns[PW_SIGNALS_MAX_PATTERNS];
    size_t keyword_count, pattern_count;
} parsed;

static const char *const stakes_names[] = {"cancel",  "refund",   "chargeback", "legal",
                                           "privacy", "security", "other"};

static uint32_t category_of(const char *name, size_t len) {
    for (size_t i = 0; i < sizeof stakes_names / sizeof stakes_names[0]; i++)
        if (strlen(stakes_names[i]) == len && memcmp(stakes_names[i], name, len) == 0)
            return 1u << i;
    return 0;
}

static int starts(const char *line, size_t len, const char *prefix) {
    size_t n = strlen(prefix);
    return len >= n && memcmp(line, prefix, n) == 0;
}

/* "+kw CATEGORY text": the text stays in the decoded input, which outlives the scan. */
static int parse_keyword(parsed *p, const char *line, size_t len) {
    const char *name = line + 4, *end = line + len;
    const char *space = memchr(name, ' ', (size_t)(end - name));
    if (!space || p->keyword_count == 16)
        return -1;
    pw_stakes_keyword *k = &p->keywords[p->keyword_count++];
    k->category = category_of(name, (size_t)(space - name));
    k->text = space + 1;
    k->len = (size_t)(end - space - 1);
    return 0;
}

static int parse_line(parsed *p, const char *line, size_t len, int *first) {
    if (starts(line, len, "> ") && p->history_count < PW_SIGNALS_MAX_HISTORY) {
        p->history[p->history_count] = line + 2;
        p->history_len[p->history_count++] = len - 2;
    } else if (starts(line, len, "+kw ")) {
        return parse_keyword(p, line, len);
    } else if (starts(line, len, "+id ") && p->pattern_count < PW_SIGNALS_MAX_PATTERNS) {
        p->patterns[p->pattern_count].pattern = line + 4;
        p->patterns[p->pattern_count++].len = len - 4;
    } else {
        if (!*first)
            pw_buf_put(&p->message, "\n", 1);
        pw_buf_put(&p->message, line, len);
        *first = 0;
    }
    return 0;
}

static int parse(const uint8_t *in, size_t len, parsed *p) {
    const char *s = (const char *)in, *end = s + len;
    int first = 1;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
        if (parse_line(p, s, n, &first))
            return -1;
        s += n + (nl ? 1 : 0);
    }
    return 0;
}

static void put_scores(const pw_signals *g, pw_buf *out) {
    pw_buf_printf(out, "sentiment %.6f frustration %.6f urgency %.6f\n", g->sentiment,
                  g->frustration, g->urgency);
    pw_buf_printf(out, "repeat_contact %d repeated_question %d stakes", (int)g->repeat_contact,
                  (int)g->repeated_question);
    if (!g->high_stakes)
        pw_buf_puts(out, " -");
    for (size_t i = 0; i < sizeof stakes_names / sizeof stakes_names[0]; i++)
        if (g->high_stakes & (1u << i))
            pw_buf_printf(out, " %s", stakes_names[i]);
}

static void put_details(const pw_signals *g, const char *text, size_t len, pw_buf *out) {
    static const char *const evidence_kinds[] = {"negative", "positive", "intensity",
                                                 "urgency",  "repeat",   "stakes"};
    static const char *const entity_kinds[] = {"email", "order_id", "amount", "url"};
    size_t cap = 3 * len + 1, n = 0;
    char *norm = malloc(cap);
    if (norm)
        pw_text_normalize(text, len, norm, cap, &n);
    for (uint32_t i = 0; i < g->evidence_count && norm; i++) {
        const pw_evidence *e = &g->evidence[i];
        pw_buf_printf(out, "\nevidence %s %u+%u ", evidence_kinds[e->kind], (unsigned)e->start,
                      (unsigned)e->len);
        pw_buf_put(out, norm + e->start, e->len);
    }
    for (uint32_t i = 0; i < g->entity_count; i++) {
        const pw_entity *e = &g->entities[i];
        pw_buf_printf(out, "\nentity %s %u+%u ", entity_kinds[e->kind], (unsigned)e->start,
                      (unsigned)e->len);
        pw_buf_put(out, text + e->start, e->len);
    }
    free(norm);
}

int parity_mode_signals(const uint8_t *in, size_t len, pw_buf *out) {
    parsed p;
    memset(&p, 0, sizeof p);
    if (parse(in, len, &p)) {
        fprintf(stderr, "parity: signals: bad +kw line\n");
        free(p.message.data);
        return -1;
    }
    pw_signals_config config = {p.keyword_count ? p.keywords : NULL, p.keyword_count,
                                p.pattern_count ? p.patterns : NULL, p.pattern_count};
    pw_signal_scanner *s = NULL;
    int rc = pw_signal_scanner_new(&config, NULL, &s);
    const char *text = p.message.data ? p.message.data : "";
    pw_signals g;
    if (rc == PW_OK)
        rc = pw_signals_scan(s, text, p.message.len, p.history, p.history_len, p.history_count, &g);
    if (rc == PW_OK) {
        put_scores(&g, out);
        put_details(&g, text, p.message.len, out);
    } else {
        pw_buf_printf(out, "error %s", pw_status_name(rc));
    }
    pw_signal_scanner_free(s);
    free(p.message.data);
    return 0;
}
