/* Page context: what the widget knows about the page the user is on. Route normalisation (ids in
 * the path become ":id", so every project's export page is one route), the stable 32-bit hash
 * of routes, feature names, page ids and click targets, the page context value struct the
 * widget fills (plan, features declared on screen, error banners, failed requests) and the page
 * flags the decision policy reads. Pure functions of their arguments: no allocation, no state.
 * The plan tiers and the page flag bits live here rather than in decide.h because page sits
 * below struggle, nudge and decide, and all of them read them.
 * SPDX-License-Identifier: MIT */
#ifndef PW_PAGE_H
#define PW_PAGE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The customer's plan, lowest first: a feature that needs PW_TIER_PRO is available on PRO and
 * ENTERPRISE. The decision policy keys its thresholds on it too. */
typedef enum pw_tier {
    PW_TIER_FREE = 0,
    PW_TIER_STARTER = 1,
    PW_TIER_PRO = 2,
    PW_TIER_ENTERPRISE = 3
} pw_tier;
#define PW_TIER_COUNT 4

/* What the page tells (bits of pw_decision_input.page_flags, from pw_page_flags). */
typedef enum pw_page_flag {
    PW_PAGE_FEATURE_DISABLED_BY_PLAN = 1u << 0, /* a declared feature is disabled by the plan */
    PW_PAGE_ERROR_BANNER = 1u << 1,             /* the page shows an error banner */
    PW_PAGE_FAILED_REQUEST = 1u << 2,           /* a request of the page failed */
    PW_PAGE_STRUGGLE = 1u << 3 /* the struggle detectors fired in this session: the caller sets
                                  it from pw_struggle detections; pw_page_flags never does */
} pw_page_flag;

/* Why a declared feature is disabled. */
typedef enum pw_feature_reason {
    PW_FEATURE_REASON_NONE = 0,       /* enabled, or no reason given */
    PW_FEATURE_REASON_PLAN = 1,       /* the customer's plan does not include it */
    PW_FEATURE_REASON_PERMISSION = 2, /* the user's role may not use it */
    PW_FEATURE_REASON_OTHER = 3
} pw_feature_reason;
#define PW_FEATURE_REASON_COUNT 4

#define PW_PAGE_CTX_MAX_FEATURES 32

/* A feature the page declares on screen (data-pw-feature in the host's markup). */
typedef struct pw_page_feature {
    uint32_t feature;       /* pw_page_hash of the feature's name ("export_csv") */
    uint32_t enabled;       /* 1 enabled, 0 disabled */
    uint32_t reason;        /* a pw_feature_reason; NONE when enabled */
    uint32_t plan_required; /* the pw_tier it needs; read with reason PLAN */
} pw_page_feature;

/* The page the user is on, as plain numbers (the widget fills it; no text crosses). Click
 * targets on a declared feature's control carry the feature hash as their target (see
 * pw_event in struggle.h), which is how a click is matched with a feature. */
typedef struct pw_page_ctx {
    uint32_t route;           /* pw_page_hash of the normalised route */
    uint32_t page_id;         /* pw_page_hash of the host's page id; 0 when none */
    uint32_t plan;            /* the customer's pw_tier */
    uint32_t error_banners;   /* error banners visible now */
    uint32_t failed_requests; /* failed requests since the page loaded */
    uint32_t feature_count;   /* entries used in `features` */
    pw_page_feature features[PW_PAGE_CTX_MAX_FEATURES];
} pw_page_ctx;

/* The one hash of the page layer: MurmurHash3 x86_32 with seed 0 of the bytes as given (UTF-8,
 * no normalisation), the same in both homes and fixed forever (the server stores route
 * hashes). Route hashes are the hash of the normalised route. `bytes` may be NULL when len is
 * 0. Never fails. */
uint32_t pw_page_hash(const char *bytes, size_t len);

/* Normalises the path (or URL) path[0..len) into a route, so that pages differing only by ids
 * share one route: "/projects/8812/export?x=1" -> "/projects/:id/export". The rules, in order:
 *  1. A leading "scheme://authority" (letters, digits, '+', '-', '.' then "://") is dropped up
 *     to the next '/', '?' or '#'; "//" at the start is not an authority, just two slashes.
 *  2. Everything from the first '?' or '#' is dropped (query and fragment).
 *  3. The rest is split on '/'; empty segments (duplicate, leading and trailing slashes) are
 *     dropped, so "/a//b/" is "/a/b". "." and ".." are kept as they are (browsers resolve
 *     them before location.pathname is read). Percent-escapes are not decoded.
 *  4. A segment that is an id becomes ":id". A segment is an id when it is
 *     a. all ASCII digits: "8812", "0";
 *     b. a UUID: 36 bytes, '-' at offsets 8, 13, 18 and 23, hex digits elsewhere;
 *     c. 16 or more hex digits: "5f8d0d55b54764421b7156c3" (a MongoDB ObjectId), a SHA-1;
 *     d. 8 or more ASCII letters and digits, with at least one letter and two digits, and
 *        either at least as many digits as letters or three or more letter/digit changes:
 *        "a1b2c3d4e5", "abc12345" are ids; "oauth2callback", "invoice2024", "base64url" are
 *        words;
 *     e. 20 or more of [A-Za-z0-9_-] with at least one digit and one letter, and a run of 12
 *        or more letters and digits between '-' / '_' (a base64url token such as
 *        "Xk3_9aQpLm2ZrT7wVb1yHc"); a slug such as "release-notes-2024-and-beyond" is not.
 *     Anything else stays as written: "settings", "v2", "2fa", "ord-1234", "report.pdf".
 *  5. Case is kept, and routes compare case-sensitively ("/Settings" and "/settings" are two
 *     routes: paths are case-sensitive on the web, and folding would merge what the host
 *     keeps apart).
 *  6. The route is "/" followed by the segments joined by '/'; an empty path is "/".
 * Writes at most `cap` bytes to `out` (no NUL) and sets *out_len to the route's full length,
 * which is at most 2 * len + 2. Returns PW_OK; PW_ETRUNC when it did not fit (out holds the
 * first `cap` bytes); PW_EINVAL for a NULL out_len, NULL path with len > 0, or NULL out with
 * cap > 0. Borrows both buffers for the call only. */
int pw_page_route_normalize(const char *path, size_t len, char *out, size_t cap, size_t *out_len);

/* NULL when `ctx` is valid, else the name of the first invalid field: "plan" (not a pw_tier),
 * "feature_count" (over PW_PAGE_CTX_MAX_FEATURES), "features.enabled" (not 0 or 1),
 * "features.reason" (not a pw_feature_reason, or PLAN on an enabled feature),
 * "features.plan_required" (not a pw_tier). NULL ctx is "ctx". Static strings. */
const char *pw_page_check(const pw_page_ctx *ctx);

/* The pw_page_flag bits the page shows: FEATURE_DISABLED_BY_PLAN when a declared feature is
 * disabled with reason PLAN (the host says so; the customer's plan is not compared),
 * ERROR_BANNER when error_banners > 0, FAILED_REQUEST when failed_requests > 0. Never
 * PW_PAGE_STRUGGLE. Reads the first min(feature_count, PW_PAGE_CTX_MAX_FEATURES) features;
 * 0 for a NULL ctx. Pure. */
uint32_t pw_page_flags(const pw_page_ctx *ctx);

#ifdef __cplusplus
}
#endif

#endif
