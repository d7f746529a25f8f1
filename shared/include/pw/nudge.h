/* The nudge policy: given the struggle detections, the page and the time, decides when the
 * widget offers help unasked and what kind: explain a disabled feature, help with an action
 * that keeps failing, or suggest an article. A pure function of its arguments and a small
 * state struct the caller owns: no allocation, no clock.
 * SPDX-License-Identifier: MIT */
#ifndef PW_NUDGE_H
#define PW_NUDGE_H

#include "pw/page.h"
#include "pw/struggle.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pw_nudge_kind {
    PW_NUDGE_NONE = 0,
    /* "This needs the Pro plan" / "ask an admin": a DISABLED_CLICK, RAGE_CLICK or DEAD_CLICK on
     * a feature the page declares disabled (any reason; the nudge carries it) */
    PW_NUDGE_EXPLAIN_DISABLED_FEATURE = 1,
    /* "Having trouble with this?": an ERROR_CLICK, REPEATED_FAILURE or FORM_ABANDON, or a
     * RAGE_CLICK or DEAD_CLICK on a control not declared disabled */
    PW_NUDGE_HELP_FAILING_ACTION = 2,
    /* "This article may help": a PAGE_LOOP, or any other new detection that asks for nothing by
     * itself (a DISABLED_CLICK on an undeclared control) while the struggle score is at or
     * above suggest_min_score */
    PW_NUDGE_SUGGEST_ARTICLE = 3
} pw_nudge_kind;
#define PW_NUDGE_KIND_COUNT 4

#define PW_NUDGE_MAX_QUIET_ROUTES 32

/* Defaults (pw_nudge_config_default) are Pagewise's own, chosen to interrupt rarely: no public
 * standard exists for proactive help. */
typedef struct pw_nudge_config {
    double cooldown_ms;       /* 60000: at least this long between two nudges */
    double typing_quiet_ms;   /* 3000: typing less than this long ago defers a nudge */
    double defer_max_ms;      /* 10000: a deferred nudge is dropped this long after it fell due */
    double suggest_min_score; /* 0.6: the score a SUGGEST_ARTICLE by score needs */
    uint32_t max_per_session; /* 3: nudges per state (one page session); 0 disables nudges */
    uint32_t quiet_route_count;
    uint32_t quiet_routes[PW_NUDGE_MAX_QUIET_ROUTES]; /* route hashes never nudged on (checkout) */
} pw_nudge_config;

/* A nudge to show. */
typedef struct pw_nudge {
    double due_ms;          /* when it fell due (a deferred nudge is shown later) */
    uint32_t kind;          /* a pw_nudge_kind */
    uint32_t signal;        /* the pw_struggle_kind of the detection behind it */
    uint32_t episode;       /* that detection's episode */
    uint32_t target;        /* EXPLAIN: the feature hash; HELP: the control or form; else 0 */
    uint32_t route;         /* the route it is for (the page's route when it fell due) */
    uint32_t reason;        /* EXPLAIN: the feature's pw_feature_reason; else 0 */
    uint32_t plan_required; /* EXPLAIN: the pw_tier the page declares it needs; else 0 */
} pw_nudge;

/* The policy's memory for one page session. The caller owns it; its fields are private. A
 * zeroed struct (or pw_nudge_state_init) is a fresh state: start one with each struggle
 * session, whose episode numbers it remembers. */
typedef struct pw_nudge_state {
    double last_nudge_ms;
    uint32_t shown;        /* nudges shown */
    uint32_t last_episode; /* the newest episode seen */
    uint32_t has_pending;  /* `pending` fell due and waits (typing) */
    pw_nudge pending;
} pw_nudge_state;

pw_nudge_config pw_nudge_config_default(void);

/* NULL when valid, else the name of the first invalid field: the times finite and >= 0,
 * suggest_min_score in [0, 1], quiet_route_count <= PW_NUDGE_MAX_QUIET_ROUTES. NULL config is
 * "config". Static strings. */
const char *pw_nudge_config_check(const pw_nudge_config *config);

/* Makes *st a fresh state. NULL is a no-op. */
void pw_nudge_state_init(pw_nudge_state *st);

/* Decides whether a nudge is due now. `signals[0..n)` are detections as pw_struggle_feed and
 * pw_struggle_tick returned them; those whose episode is not newer than every episode this
 * state has seen are ignored, so passing one twice is harmless. The steps:
 *  1. Each new detection maps to a nudge (see pw_nudge_kind; a feature is matched by the
 *     detection's target). The best one wins: EXPLAIN over HELP over SUGGEST, then the newest.
 *     If none maps and the score is >= suggest_min_score, the newest detection gives a
 *     SUGGEST_ARTICLE. A winner replaces a waiting (deferred) nudge unless that one ranks
 *     higher; it falls due now, for page->route.
 *  2. The waiting nudge is dropped, and 0 returned, when page->route is quiet, differs from
 *     the nudge's route, more than defer_max_ms passed since it fell due, max_per_session
 *     nudges were shown, or the last one was shown less than cooldown_ms ago.
 *  3. If now_ms - last_typing_ms < typing_quiet_ms it keeps waiting: 0. Call again (with no
 *     detections) when typing stops, e.g. on each struggle tick, to show it.
 *  4. Otherwise *out is the nudge, it counts as shown at now_ms, and 1 is returned.
 * So each episode gives at most one nudge, and a nudge never appears while the user types.
 * `struggle_score` is pw_struggle_score at now_ms; `last_typing_ms` is the latest TYPING event
 * (-infinity when none). `config` NULL means the defaults.
 * Returns 1 (*out filled), 0 (no nudge: *out zeroed, kind PW_NUDGE_NONE) or PW_EINVAL (NULL
 * st, page or out, NULL signals with n > 0, an invalid config or page (pw_page_check), a
 * non-finite now_ms, NaN last_typing_ms or struggle_score); *st is untouched on error.
 * Borrows every pointer for the call only; never allocates. */
int pw_nudge_decide(const pw_nudge_config *config, pw_nudge_state *st, const pw_page_ctx *page,
                    const pw_struggle_signal *signals, size_t n, double now_ms,
                    double last_typing_ms, double struggle_score, pw_nudge *out);

/* "none", "explain_disabled_feature", "help_failing_action", "suggest_article"; "unknown" out
 * of range. Static. */
const char *pw_nudge_kind_name(int kind);

#ifdef __cplusplus
}
#endif

#endif
