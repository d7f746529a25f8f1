/* Fuzz target: pw_signals_scan on arbitrary bytes. The first byte picks the options: bit 0 a
 * configured keyword list (with a prefix keyword and a French one) instead of the defaults,
 * bits 1-3 how many history messages, cut from the input itself, come along. The properties
 * checked are the header's promises: scores in [0, 1], counts within bounds, evidence in text
 * order and inside the normalised text, entities inside the text, the same result twice.
 * SPDX-License-Identifier: MIT */
#include "pw/signals.h"
#include "pw/status.h"
#include "pw/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int in_unit(double x) {
    return x >= 0.0 && x <= 1.0;
}

static void check(const pw_signals *g, size_t len, size_t norm_len) {
    if (!in_unit(g->sentiment) || !in_unit(g->frustration) || !in_unit(g->urgency))
        abort();
    if (g->evidence_count > PW_SIGNALS_MAX_EVIDENCE || g->entity_count > PW_SIGNALS_MAX_ENTITIES)
        abort();
    if ((g->repeat_contact != 0 && g->repeat_contact != 1) || g->high_stakes > 0x7Fu)
        abort();
    for (uint32_t i = 0; i < g->evidence_count; i++) {
        const pw_evidence *e = &g->evidence[i];
        if (e->len == 0 || e->start + (size_t)e->len > norm_len || e->kind > PW_EVIDENCE_STAKES)
            abort();
        if (i > 0 && e->start < g->evidence[i - 1].start)
            abort();
    }
    for (uint32_t i = 0; i < g->entity_count; i++) {
        const pw_entity *e = &g->entities[i];
        if (e->len == 0 || e->start + (size_t)e->len > len || e->kind > PW_ENTITY_URL)
            abort();
        if (i > 0 && e->start < g->entities[i - 1].start + (size_t)g->entities[i - 1].len)
            abort();
    }
}

static pw_signal_scanner *make_scanner(int configured) {
    static const pw_stakes_keyword keywords[] = {
        {"refund*", 7, PW_STAKES_REFUND},
        {"Remboursement", 13, PW_STAKES_REFUND},
        {"delete my data", 14, PW_STAKES_PRIVACY},
    };
    static const pw_id_pattern patterns[] = {{"A##-*###", 8}};
    pw_signals_config config = {keywords, 3, patterns, 1};
    pw_signal_scanner *s = NULL;
    if (pw_signal_scanner_new(configured ? &config : NULL, NULL, &s) != PW_OK)
        abort();
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0)
        return 0;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    /* History: the input's own halves and thirds, so repeated questions actually occur. */
    size_t count = (data[0] >> 1) & 7u;
    const char *history[7];
    size_t history_len[7];
    for (size_t h = 0; h < count; h++) {
        history[h] = text + (h % 2 ? len / 2 : 0);
        history_len[h] = h % 2 ? len - len / 2 : len / (h + 1);
    }
    pw_signal_scanner *s = make_scanner(data[0] & 1u);
    pw_signals a, b;
    if (pw_signals_scan(s, text, len, history, history_len, count, &a) != PW_OK ||
        pw_signals_scan(s, text, len, history, history_len, count, &b) != PW_OK)
        abort();
    if (memcmp(&a, &b, sizeof a) != 0) /* no state leaks from one scan into the next */
        abort();
    size_t cut = len < PW_SIGNALS_MAX_TEXT_BYTES ? len : PW_SIGNALS_MAX_TEXT_BYTES;
    size_t norm_len = 0;
    pw_text_normalize(text, cut, NULL, 0, &norm_len);
    check(&a, cut, norm_len);
    pw_signal_scanner_free(s);
    return 0;
}
