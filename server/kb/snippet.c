/* Snippets: the part of an article's body around the words a search matched, with each matched
 * word between <mark> and </mark>, cut to fit a result line.
 * SPDX-License-Identifier: MIT */
#include "index_int.h"
#include "kb_int.h"

#include <stdio.h>
#include <string.h>

#define SNIPPET_LIMIT 300 /* bytes of snippet, markers included */
#define WINDOW_TOKENS 24  /* parts of the body a snippet shows, as FTS5's snippet() did */
#define LEAD_TOKENS   2   /* shown before the first match, for context */
#define RAW_CAP       1024

static const char open_mark[] = "<mark>", close_mark[] = "</mark>", ellipsis[] = "\xE2\x80\xA6";

/* Copies a snippet (or the start of a body) within SNIPPET_LIMIT bytes: cut at a character
 * boundary, never inside a marker, with an open <mark> closed and the cut shown as "…". */
void pw__kb_snippet_copy(char *dst, const char *s) {
    /* Room for the pieces, keeping back a closing marker and the ellipsis for the worst case. */
    const size_t room = SNIPPET_LIMIT - (sizeof close_mark - 1) - (sizeof ellipsis - 1);
    size_t len = strlen(s), i = 0, j = 0;
    int marked = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        int is_open = 0, is_close = 0;
        size_t k;
        if (c == '<') {
            is_open = strncmp(s + i, open_mark, 6) == 0;
            is_close = !is_open && strncmp(s + i, close_mark, 7) == 0;
            k = is_open ? 6 : is_close ? 7 : 1;
        } else if (c < 0x80) {
            /* A run of ASCII text is so many one-byte pieces: copied at once, as far as fits
             * (byte by byte, this copy was 4% of a ticket's instructions). */
            k = 1;
            while (i + k < len && (unsigned char)s[i + k] < 0x80 && s[i + k] != '<')
                k++;
            if (j + k > room)
                k = room - j;
            if (k == 0)
                break;
        } else {
            k = pw__kb_utf8_seq((const unsigned char *)s + i, len - i);
            k = k ? k : 1;
        }
        if (j + k > room)
            break;
        memcpy(dst + j, s + i, k);
        marked = is_open ? 1 : is_close ? 0 : marked;
        i += k;
        j += k;
    }
    if (marked)
        j += (size_t)sprintf(dst + j, "%s", close_mark);
    if (i < len)
        j += (size_t)sprintf(dst + j, "%s", ellipsis);
    dst[j] = '\0';
}

/* The window of WINDOW_TOKENS parts with the most distinct query terms, then the most matches;
 * the earliest of equals. It starts LEAD_TOKENS before a match, or at 0 when nothing matched. */
static uint32_t best_window(const int8_t *match, uint32_t n) {
    uint32_t best = 0;
    long best_score = -1;
    for (uint32_t i = 0; i < n; i++) {
        if (match[i] < 0)
            continue;
        uint32_t s = i > LEAD_TOKENS ? i - LEAD_TOKENS : 0;
        if (n > WINDOW_TOKENS && s > n - WINDOW_TOKENS)
            s = n - WINDOW_TOKENS; /* a window near the end shows more before it */
        uint32_t terms = 0;
        long hits = 0;
        for (uint32_t k = s; k < n && k < s + WINDOW_TOKENS; k++)
            if (match[k] >= 0)
                terms |= 1u << match[k], hits++;
        long score = hits;
        for (; terms; terms &= terms - 1) /* distinct terms weigh more than repeats */
            score += 1000;
        if (score > best_score)
            best_score = score, best = s;
    }
    return best;
}

static size_t put(char *raw, size_t j, const char *s, size_t n) {
    if (j + n >= RAW_CAP)
        return j;
    memcpy(raw + j, s, n);
    return j + n;
}

void pw__kb_snippet(const char *body, const pw__kb_token *tok, uint32_t n, const int8_t *match,
                    char *out) {
    char raw[RAW_CAP];
    size_t j = 0;
    uint32_t s = best_window(match, n), e = s + WINDOW_TOKENS < n ? s + WINDOW_TOKENS : n;
    if (s > 0)
        j = put(raw, j, ellipsis, sizeof ellipsis - 1);
    for (uint32_t k = s; k < e; k++) {
        if (k > s) /* the text between two parts as it is in the body */
            j = put(raw, j, body + tok[k - 1].start + tok[k - 1].len,
                    tok[k].start - tok[k - 1].start - tok[k - 1].len);
        if (match[k] >= 0)
            j = put(raw, j, open_mark, sizeof open_mark - 1);
        j = put(raw, j, body + tok[k].start, tok[k].len);
        if (match[k] >= 0)
            j = put(raw, j, close_mark, sizeof close_mark - 1);
    }
    if (e < n)
        j = put(raw, j, ellipsis, sizeof ellipsis - 1);
    raw[j] = '\0';
    pw__kb_snippet_copy(out, raw);
}
