/* Page context: route normalisation (the id rules are in page.h), the page hash and the page
 * flags. Everything works on bytes with ASCII classes of our own: no locale, no allocation.
 * SPDX-License-Identifier: MIT */
#include "pw/page.h"
#include "hash_int.h"
#include "pw/status.h"

#include <string.h>

#define ID_TEXT "/:id"

static int is_digit(unsigned char c) {
    return c >= '0' && c <= '9';
}

static int is_letter(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_hex(unsigned char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

uint32_t pw_page_hash(const char *bytes, size_t len) {
    return pw__hash32(bytes ? bytes : "", bytes ? len : 0, 0);
}

/* Counts of a segment's byte classes, gathered in one pass. */
typedef struct shape {
    size_t digits, letters, hex;
    size_t other;       /* neither a letter, a digit, '-' nor '_' */
    size_t changes;     /* letter/digit alternations, ignoring separators */
    size_t longest_run; /* letters and digits between '-' / '_' */
} shape;

static shape shape_of(const unsigned char *s, size_t n) {
    shape sh = {0};
    size_t run = 0;
    int last = 0; /* 1 letter, 2 digit */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        int kind = is_digit(c) ? 2 : is_letter(c) ? 1 : 0;
        if (is_hex(c))
            sh.hex++;
        if (kind == 0) {
            run = 0;
            if (c != '-' && c != '_')
                sh.other++;
            continue;
        }
        if (kind == 2)
            sh.digits++;
        else
            sh.letters++;
        if (last && last != kind)
            sh.changes++;
        last = kind;
        if (++run > sh.longest_run)
            sh.longest_run = run;
    }
    return sh;
}

static int is_uuid(const unsigned char *s, size_t n) {
    if (n != 36)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !is_hex(s[i]))
            return 0;
    }
    return 1;
}

/* Rules 4a-e of pw_page_route_normalize. */
static int is_id(const unsigned char *s, size_t n) {
    shape sh = shape_of(s, n);
    size_t alnum = sh.digits + sh.letters;
    if (sh.digits == n || is_uuid(s, n) || (n >= 16 && sh.hex == n))
        return 1;
    if (n >= 8 && alnum == n && sh.letters >= 1 && sh.digits >= 2 &&
        (sh.digits >= sh.letters || sh.changes >= 3))
        return 1;
    return n >= 20 && sh.other == 0 && sh.digits >= 1 && sh.letters >= 1 && sh.longest_run >= 12;
}

/* Length of a leading "scheme://authority" (rule 1), or 0. */
static size_t authority_len(const unsigned char *p, size_t len) {
    size_t i = 0;
    while (i < len &&
           (is_letter(p[i]) || is_digit(p[i]) || p[i] == '+' || p[i] == '-' || p[i] == '.'))
        i++;
    if (i == 0 || !is_letter(p[0]) || len - i < 3 || memcmp(p + i, "://", 3) != 0)
        return 0;
    i += 3;
    while (i < len && p[i] != '/' && p[i] != '?' && p[i] != '#')
        i++;
    return i;
}

/* Appends bytes at *at, writing only what fits in cap; *at counts the full length. */
static void emit(char *out, size_t cap, size_t *at, const void *bytes, size_t n) {
    if (*at < cap)
        memcpy(out + *at, bytes, n < cap - *at ? n : cap - *at);
    *at += n;
}

int pw_page_route_normalize(const char *path, size_t len, char *out, size_t cap, size_t *out_len) {
    if (!out_len || (!path && len) || (!out && cap))
        return PW_EINVAL;
    const unsigned char *p = (const unsigned char *)(path ? path : "");
    size_t start = authority_len(p, len), end = start, at = 0;
    while (end < len && p[end] != '?' && p[end] != '#')
        end++;
    for (size_t i = start; i < end;) {
        size_t j = i;
        while (j < end && p[j] != '/')
            j++;
        if (j > i && is_id(p + i, j - i)) {
            emit(out, cap, &at, ID_TEXT, strlen(ID_TEXT));
        } else if (j > i) {
            emit(out, cap, &at, "/", 1);
            emit(out, cap, &at, p + i, j - i);
        }
        i = j + 1;
    }
    if (at == 0)
        emit(out, cap, &at, "/", 1);
    *out_len = at;
    return at <= cap ? PW_OK : PW_ETRUNC;
}

const char *pw_page_check(const pw_page_ctx *ctx) {
    if (!ctx)
        return "ctx";
    if (ctx->plan >= PW_TIER_COUNT)
        return "plan";
    if (ctx->feature_count > PW_PAGE_CTX_MAX_FEATURES)
        return "feature_count";
    for (uint32_t i = 0; i < ctx->feature_count; i++) {
        const pw_page_feature *f = &ctx->features[i];
        if (f->enabled > 1)
            return "features.enabled";
        if (f->reason >= PW_FEATURE_REASON_COUNT ||
            (f->enabled && f->reason == PW_FEATURE_REASON_PLAN))
            return "features.reason";
        if (f->plan_required >= PW_TIER_COUNT)
            return "features.plan_required";
    }
    return NULL;
}

uint32_t pw_page_flags(const pw_page_ctx *ctx) {
    if (!ctx)
        return 0;
    uint32_t flags = 0;
    uint32_t n = ctx->feature_count < PW_PAGE_CTX_MAX_FEATURES ? ctx->feature_count
                                                               : PW_PAGE_CTX_MAX_FEATURES;
    for (uint32_t i = 0; i < n; i++)
        if (!ctx->features[i].enabled && ctx->features[i].reason == PW_FEATURE_REASON_PLAN)
            flags |= PW_PAGE_FEATURE_DISABLED_BY_PLAN;
    if (ctx->error_banners > 0)
        flags |= PW_PAGE_ERROR_BANNER;
    if (ctx->failed_requests > 0)
        flags |= PW_PAGE_FAILED_REQUEST;
    return flags;
}
