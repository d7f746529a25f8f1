/* The nudge policy through its public header: what each detection asks for, ranking, the
 * cooldown, the session cap, deferral while typing (and its limit), quiet routes, one nudge
 * per episode, bad arguments, and a struggle session driving it end to end.
 * SPDX-License-Identifier: MIT */
#include "pw/nudge.h"
#include "pw/page.h"
#include "pw/status.h"
#include "pw/struggle.h"
#include "pw_test.h"

#include <math.h>

#define ROUTE      0x5150u
#define EXPORT     0xe1u /* a feature disabled by plan (needs PRO) */
#define ADMIN      0xe2u /* a feature disabled by permission */
#define SAVE       0xe3u /* a feature declared enabled */
#define UNDECLARED 0xe4u

static pw_page_ctx page(void) {
    pw_page_ctx p;
    memset(&p, 0, sizeof p);
    p.route = ROUTE;
    p.plan = PW_TIER_STARTER;
    p.feature_count = 3;
    pw_page_feature f[] = {{EXPORT, 0, PW_FEATURE_REASON_PLAN, PW_TIER_PRO},
                           {ADMIN, 0, PW_FEATURE_REASON_PERMISSION, 0},
                           {SAVE, 1, PW_FEATURE_REASON_NONE, 0}};
    memcpy(p.features, f, sizeof f);
    return p;
}

static pw_struggle_signal sig(uint32_t kind, uint32_t episode, uint32_t target) {
    pw_struggle_signal s;
    memset(&s, 0, sizeof s);
    s.kind = kind;
    s.episode = episode;
    s.t_ms = 1000.0 * episode;
    s.target = target;
    s.route = ROUTE;
    s.count = 1;
    return s;
}

/* One decision with the defaults and no typing, on a fresh state. */
static pw_nudge decide_one(pw_struggle_signal s, double score) {
    pw_nudge_state st;
    pw_nudge_state_init(&st);
    pw_page_ctx p = page();
    pw_nudge n;
    int rc = pw_nudge_decide(NULL, &st, &p, &s, 1, 5000, -INFINITY, score, &n);
    PW_CHECK(rc == 0 || rc == 1);
    PW_CHECK_INT(rc == 1, n.kind != PW_NUDGE_NONE);
    return n;
}

static void what_each_detection_asks_for(void) {
    pw_nudge n = decide_one(sig(PW_STRUGGLE_DISABLED_CLICK, 1, EXPORT), 0);
    PW_CHECK_INT(n.kind, PW_NUDGE_EXPLAIN_DISABLED_FEATURE);
    PW_CHECK_INT(n.target, EXPORT);
    PW_CHECK_INT(n.reason, PW_FEATURE_REASON_PLAN);
    PW_CHECK_INT(n.plan_required, PW_TIER_PRO);
    PW_CHECK_INT(n.signal, PW_STRUGGLE_DISABLED_CLICK);
    PW_CHECK_INT(n.episode, 1);
    PW_CHECK_INT(n.route, ROUTE);
    PW_CHECK(n.due_ms == 5000);
    n = decide_one(sig(PW_STRUGGLE_RAGE_CLICK, 1, EXPORT), 0);
    PW_CHECK_INT(n.kind, PW_NUDGE_EXPLAIN_DISABLED_FEATURE);
    n = decide_one(sig(PW_STRUGGLE_DEAD_CLICK, 1, ADMIN), 0);
    PW_CHECK_INT(n.kind, PW_NUDGE_EXPLAIN_DISABLED_FEATURE);
    PW_CHECK_INT(n.reason, PW_FEATURE_REASON_PERMISSION);
    n = decide_one(sig(PW_STRUGGLE_RAGE_CLICK, 1, SAVE), 0);
    PW_CHECK_INT(n.kind, PW_NUDGE_HELP_FAILING_ACTION);
    PW_CHECK_INT(n.target, SAVE);
    PW_CHECK_INT(n.reason, 0);
    n = decide_one(sig(PW_STRUGGLE_DEAD_CLICK, 1, UNDECLARED), 0);
    PW_CHECK_INT(n.kind, PW_NUDGE_HELP_FAILING_ACTION);
    static const uint32_t failing[] = {PW_STRUGGLE_ERROR_CLICK, PW_STRUGGLE_REPEATED_FAILURE,
                                       PW_STRUGGLE_FORM_ABANDON};
    for (size_t i = 0; i < sizeof failing / sizeof failing[0]; i++) {
        n = decide_one(sig(failing[i], 1, EXPORT), 0); /* a failing action, even on a feature */
        PW_CHECK_INT(n.kind, PW_NUDGE_HELP_FAILING_ACTION);
        PW_CHECK_INT(n.target, EXPORT);
    }
    n = decide_one(sig(PW_STRUGGLE_PAGE_LOOP, 1, 0), 0);
    PW_CHECK_INT(n.kind, PW_NUDGE_SUGGEST_ARTICLE);
    PW_CHECK_INT(n.target, 0);
}

static void score_suggests_when_nothing_else_does(void) {
    pw_nudge n = decide_one(sig(PW_STRUGGLE_DISABLED_CLICK, 1, UNDECLARED), 0.59);
    PW_CHECK_INT(n.kind, PW_NUDGE_NONE);
    n = decide_one(sig(PW_STRUGGLE_DISABLED_CLICK, 1, UNDECLARED), 0.6);
    PW_CHECK_INT(n.kind, PW_NUDGE_SUGGEST_ARTICLE);
    PW_CHECK_INT(n.signal, PW_STRUGGLE_DISABLED_CLICK);
    PW_CHECK_INT(n.episode, 1);
    /* No new detection, no suggestion, however high the score. */
    pw_nudge_state st;
    pw_nudge_state_init(&st);
    pw_page_ctx p = page();
    PW_CHECK_INT(pw_nudge_decide(NULL, &st, &p, NULL, 0, 5000, -INFINITY, 0.99, &n), 0);
}

static void best_of_a_batch(void) {
    pw_struggle_signal s[] = {
        sig(PW_STRUGGLE_PAGE_LOOP, 1, 0), sig(PW_STRUGGLE_ERROR_CLICK, 2, SAVE),
        sig(PW_STRUGGLE_DISABLED_CLICK, 3, EXPORT), sig(PW_STRUGGLE_DEAD_CLICK, 4, UNDECLARED)};
    pw_nudge_state st;
    pw_nudge_state_init(&st);
    pw_page_ctx p = page();
    pw_nudge n;
    PW_CHECK_INT(pw_nudge_decide(NULL, &st, &p, s, 4, 5000, -INFINITY, 0, &n), 1);
    PW_CHECK_INT(n.kind, PW_NUDGE_EXPLAIN_DISABLED_FEATURE);
    PW_CHECK_INT(n.episode, 3);
    /* Equal ranks: the newest wins. */
    pw_struggle_signal help[] = {sig(PW_STRUGGLE_ERROR_CLICK, 1, SAVE),
                                 sig(PW_STRUGGLE_FORM_ABANDON, 2, UNDECLARED)};
    pw_nudge_state_init(&st);
    PW_CHECK_INT(pw_nudge_decide(NULL, &st, &p, help, 2, 5000, -INFINITY, 0, &n), 1);
    PW_CHECK_INT(n.episode, 2);
}

static void cooldown_and_cap(void) {
    pw_nudge_state st;
    pw_nudge_state_init(&st);
    pw_page_ctx p = page();
    pw_nudge n;
    uint32_t episode = 0;
    double now = 0;
    /* One nudge, then a detection 59999 ms later is dropped (not saved for later). */
    pw_struggle_signal s = sig(PW_STRUGGLE_ERROR_CLICK, ++episode, SAVE);
    PW_CHECK_INT(pw_nudge_decide(NULL, &st, &p, &s, 1, now, -INFINITY, 0, &n), 1);
    s = sig(PW_STRUGGLE_ERROR_CLICK, ++episode, SAVE);
    PW_CHECK_INT(pw_nudge_decide(NULL, &st, &p, &s, 1, now + 59999, -INFINITY, 0, &n), 0);
    PW_CHECK_INT(pw_nudge_decide(NULL, &st, &p, NULL, 0, now + 60000, -INFINITY, 0, &n), 0);
    /* At exactly the cooldown a new detection is shown; then the third, and the cap is hit. */
    for (int i = 0; i < 2; i++) {
        now += 60000;
        s = sig(PW_STRUGGLE_ERROR_CLICK, ++episode, SAVE);
        PW_CHECK_INT(pw_nudge_decide(NULL, &st, &p, &s, 1, now, -INFINITY, 0, &n), 1);
    }
    now += 600000;
    s = sig(PW_STRUGGLE_ERROR_CLICK, ++episode, SAVE);
    PW_CHECK_INT(pw_nudge_decide(NULL, &st, &p, &s, 1, now, -INFINITY, 0, &n), 0);
    PW_CHECK_INT(n.kind, PW_NUDGE_NONE);
    /* max_per_session 0 turns nudges off. */
    pw_nudge_config c = pw_nudge_config_default();
    c.max_per_session = 0;
    pw_nudge_state_init(&st);
    s = sig(PW_STRUGGLE_ERROR_CLICK, 1, SAVE);
    PW_CHECK_INT(pw_nudge_decide(&c, &st, &p, &s, 1, 0, -INFINITY, 0, &n), 0);
}

static void typing_defers_then_shows_or_drops(void) {
    pw_nudge_state st;
    pw_nudge_state_init(&st);
    pw_page_ctx p = page();
    pw_nudge n;
    pw_struggle_signal s = sig(PW_STRUGGLE_ERROR_CLICK, 1, SAVE);
    PW_CHECK_INT(pw_nudge_decide(NULL, &st, &p, &s, 1, 10000, 7001, 0, &n), 0); /* typed 2999 ago */
    PW_CHECK_INT(pw_nudge_decide(NULL, &st, &p, NULL, 0, 12000, 9500, 0, &n), 0);
    PW_CHECK_INT(pw_nudge_decide(NULL, &st, &p, NULL, 0, 12500, 9500, 0, &n), 1); /* 3000: quiet */
    PW_CHECK_INT(n.kind, PW_NUDGE_HELP_FAILING_ACTION);
    PW_CHECK(n.due_ms == 10000);
    PW_CHECK_INT(pw_nudge_decide(NULL, &st, &p, NULL, 0, 12600, 9500, 0, &n), 0); /* shown once */
    /* Still typing 10 s after it fell due: it may show at exactly 10 s, not later. */
    pw_nudge_state_init(&st);
    PW_CHECK_INT(pw_nudge_decide(NULL, &st, &p, &s, 1, 10000, 9999, 0, &n), 0);
    PW_CHECK_INT(pw_nudge_decide(NULL, &st, &p, NULL, 0, 20000, 16000, 0, &n), 1);
    pw_nudge_state_init(&st);
    PW_CHECK_INT(pw_nudge_decide(NULL, &st, &p, &s, 1, 10000, 9999, 0, &n), 0);
    PW_CHECK_INT(pw_nudge_decide(NULL, &st, &p, NULL, 0, 20001, 16000, 0, &n), 0);
    PW_CHECK_INT(pw_nudge_decide(NULL, &st, &p, NULL, 0, 30000, 16000, 0, &n), 0);
}

static void a_better_detection_replaces_a_waiting_one(void) {
    pw_nudge_state st;
    pw_nudge_state_init(&st);
    pw_page_ctx p = page();
    pw_nudge n;
    pw_struggle_signal loop = sig(PW_STRUGGLE_PAGE_LOOP, 1, 0);
    pw_struggle_signal disabled = sig(PW_STRUGGLE_DISABLED_CLICK, 2, EXPORT);
    pw_struggle_signal error = sig(PW_STRUGGLE_ERROR_CLICK, 3, SAVE);
    PW_CHECK_INT(pw_nudge_decide(NULL, &st, &p, &loop, 1, 1000, 900, 0, &n), 0);
    PW_CHECK_INT(pw_nudge_decide(NULL, &st, &p, &disabled, 1, 2000, 1900, 0, &n), 0);
    PW_CHECK_INT(pw_nudge_decide(NULL, &st, &p, &error, 1, 3000, 2900, 0, &n), 0); /* ranks lower */
    PW_CHECK_INT(pw_nudge_decide(NULL, &st, &p, NULL, 0, 6000, 2900, 0, &n), 1);
    PW_CHECK_INT(n.kind, PW_NUDGE_EXPLAIN_DISABLED_FEATURE);
    PW_CHECK(n.due_ms == 2000);
}

static void quiet_routes_and_route_changes(void) {
    pw_nudge_config c = pw_nudge_config_default();
    c.quiet_route_count = 2;
    c.quiet_routes[0] = 0x1u;
    c.quiet_routes[1] = ROUTE;
    pw_nudge_state st;
    pw_nudge_state_init(&st);
    pw_page_ctx p = page();
    pw_nudge n;
    pw_struggle_signal s = sig(PW_STRUGGLE_DISABLED_CLICK, 1, EXPORT);
    PW_CHECK_INT(pw_nudge_decide(&c, &st, &p, &s, 1, 1000, -INFINITY, 0, &n), 0);
    c.quiet_route_count = 1;
    PW_CHECK_INT(pw_nudge_decide(&c, &st, &p, &s, 1, 1000, -INFINITY, 0, &n), 0); /* seen */
    /* A nudge waiting for typing to stop is dropped when the user leaves the page. */
    s = sig(PW_STRUGGLE_DISABLED_CLICK, 2, EXPORT);
    PW_CHECK_INT(pw_nudge_decide(&c, &st, &p, &s, 1, 2000, 1999, 0, &n), 0);
    p.route = 0x77u;
    PW_CHECK_INT(pw_nudge_decide(&c, &st, &p, NULL, 0, 9000, 1999, 0, &n), 0);
    p.route = ROUTE;
    PW_CHECK_INT(pw_nudge_decide(&c, &st, &p, NULL, 0, 9100, 1999, 0, &n), 0);
}

static void one_nudge_per_episode(void) {
    pw_nudge_config c = pw_nudge_config_default();
    c.cooldown_ms = 0;
    pw_nudge_state st;
    pw_nudge_state_init(&st);
    pw_page_ctx p = page();
    pw_nudge n;
    pw_struggle_signal s[] = {sig(PW_STRUGGLE_ERROR_CLICK, 1, SAVE),
                              sig(PW_STRUGGLE_RAGE_CLICK, 2, SAVE)};
    PW_CHECK_INT(pw_nudge_decide(&c, &st, &p, s, 2, 1000, -INFINITY, 0, &n), 1);
    PW_CHECK_INT(n.episode, 2);
    /* The same detections again (a caller re-sending its recent list) give nothing. */
    PW_CHECK_INT(pw_nudge_decide(&c, &st, &p, s, 2, 2000, -INFINITY, 0.9, &n), 0);
    PW_CHECK_INT(pw_nudge_decide(&c, &st, &p, s, 1, 3000, -INFINITY, 0.9, &n), 0);
}

static void bad_arguments(void) {
    pw_nudge_state st;
    pw_nudge_state_init(&st);
    pw_page_ctx p = page();
    pw_nudge n;
    pw_struggle_signal s = sig(PW_STRUGGLE_ERROR_CLICK, 1, SAVE);
    PW_CHECK_INT(pw_nudge_decide(NULL, NULL, &p, &s, 1, 0, 0, 0, &n), PW_EINVAL);
    PW_CHECK_INT(pw_nudge_decide(NULL, &st, NULL, &s, 1, 0, 0, 0, &n), PW_EINVAL);
    PW_CHECK_INT(pw_nudge_decide(NULL, &st, &p, NULL, 1, 0, 0, 0, &n), PW_EINVAL);
    PW_CHECK_INT(pw_nudge_decide(NULL, &st, &p, &s, 1, 0, 0, 0, NULL), PW_EINVAL);
    PW_CHECK_INT(pw_nudge_decide(NULL, &st, &p, &s, 1, NAN, 0, 0, &n), PW_EINVAL);
    PW_CHECK_INT(pw_nudge_decide(NULL, &st, &p, &s, 1, INFINITY, 0, 0, &n), PW_EINVAL);
    PW_CHECK_INT(pw_nudge_decide(NULL, &st, &p, &s, 1, 0, NAN, 0, &n), PW_EINVAL);
    PW_CHECK_INT(pw_nudge_decide(NULL, &st, &p, &s, 1, 0, 0, NAN, &n), PW_EINVAL);
    p.plan = 17;
    PW_CHECK_INT(pw_nudge_decide(NULL, &st, &p, &s, 1, 0, 0, 0, &n), PW_EINVAL);
    p = page();
    pw_nudge_config c = pw_nudge_config_default();
    c.suggest_min_score = 1.5;
    PW_CHECK_INT(pw_nudge_decide(&c, &st, &p, &s, 1, 0, 0, 0, &n), PW_EINVAL);
    PW_CHECK_INT(st.last_episode, 0); /* untouched */
    PW_CHECK(strcmp(pw_nudge_config_check(&c), "suggest_min_score") == 0);
    c = pw_nudge_config_default();
    PW_CHECK(pw_nudge_config_check(&c) == NULL);
    PW_CHECK(strcmp(pw_nudge_config_check(NULL), "config") == 0);
    c.cooldown_ms = -1;
    PW_CHECK(strcmp(pw_nudge_config_check(&c), "cooldown_ms") == 0);
    c = pw_nudge_config_default();
    c.quiet_route_count = PW_NUDGE_MAX_QUIET_ROUTES + 1;
    PW_CHECK(strcmp(pw_nudge_config_check(&c), "quiet_route_count") == 0);
    pw_nudge_state_init(NULL);
}

static void kind_names(void) {
    PW_CHECK(strcmp(pw_nudge_kind_name(PW_NUDGE_NONE), "none") == 0);
    PW_CHECK(strcmp(pw_nudge_kind_name(PW_NUDGE_EXPLAIN_DISABLED_FEATURE),
                    "explain_disabled_feature") == 0);
    PW_CHECK(strcmp(pw_nudge_kind_name(PW_NUDGE_HELP_FAILING_ACTION), "help_failing_action") == 0);
    PW_CHECK(strcmp(pw_nudge_kind_name(PW_NUDGE_SUGGEST_ARTICLE), "suggest_article") == 0);
    PW_CHECK(strcmp(pw_nudge_kind_name(9), "unknown") == 0);
}

/* The widget's loop: events into a struggle session, its detections and score into the policy. */
static void end_to_end_with_a_session(void) {
    pw_struggle *s = NULL;
    PW_CHECK_INT(pw_struggle_new(NULL, NULL, &s), PW_OK);
    pw_nudge_state st;
    pw_nudge_state_init(&st);
    pw_page_ctx p = page();
    pw_event e[4];
    memset(e, 0, sizeof e);
    e[0].kind = PW_EVENT_NAVIGATION, e[0].t_ms = 0, e[0].value = ROUTE;
    for (int i = 1; i < 4; i++) /* three clicks on the plan-locked export button */
        e[i].kind = PW_EVENT_CLICK, e[i].t_ms = 1000 + 200.0 * i, e[i].target = EXPORT,
        e[i].flags = PW_EVENT_INTERACTIVE | PW_EVENT_DISABLED;
    pw_struggle_signal d[16];
    int got = pw_struggle_feed(s, e, 4, d, 16);
    PW_CHECK_INT(got, 2); /* a disabled click, then a rage click */
    pw_nudge n;
    double now = 1600;
    PW_CHECK_INT(pw_nudge_decide(NULL, &st, &p, d, (size_t)got, now, -INFINITY,
                                 pw_struggle_score(s, now), &n),
                 1);
    PW_CHECK_INT(n.kind, PW_NUDGE_EXPLAIN_DISABLED_FEATURE);
    PW_CHECK_INT(n.signal, PW_STRUGGLE_RAGE_CLICK);
    PW_CHECK_INT(n.plan_required, PW_TIER_PRO);
    pw_struggle_free(s);
}

int main(void) {
    PW_RUN(what_each_detection_asks_for);
    PW_RUN(score_suggests_when_nothing_else_does);
    PW_RUN(best_of_a_batch);
    PW_RUN(cooldown_and_cap);
    PW_RUN(typing_defers_then_shows_or_drops);
    PW_RUN(a_better_detection_replaces_a_waiting_one);
    PW_RUN(quiet_routes_and_route_changes);
    PW_RUN(one_nudge_per_episode);
    PW_RUN(bad_arguments);
    PW_RUN(kind_names);
    PW_RUN(end_to_end_with_a_session);
    return pw_test_exit_code();
}
