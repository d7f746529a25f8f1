/* The struggle session through its public header: each detector on its textbook sequence and
 * on the near misses either side of every threshold, the false-positive guards, one detection
 * per episode, the queue, the score, a scripted normal session that must stay silent, a
 * pathological burst, bad arguments and out-of-memory behaviour of the constructor.
 * SPDX-License-Identifier: MIT */
#include "pw/status.h"
#include "pw/struggle.h"
#include "pw_test.h"
#include "pw_test_alloc.h"

#include <math.h>

#define CAP         64
#define BUTTON      0x1234u
#define FORM        0xf0f0u
#define ROUTE_A     0xaaaau
#define ROUTE_B     0xbbbbu
#define INTERACTIVE PW_EVENT_INTERACTIVE

static pw_event event(uint32_t kind, double t, uint32_t value) {
    pw_event e;
    memset(&e, 0, sizeof e);
    e.kind = kind;
    e.t_ms = t;
    e.value = value;
    return e;
}

static pw_event click(double t, double x, double y, uint32_t target, uint32_t flags) {
    pw_event e = event(PW_EVENT_CLICK, t, 0);
    e.x = x;
    e.y = y;
    e.target = target;
    e.flags = flags;
    return e;
}

static pw_event form(double t, uint32_t target, uint32_t result) {
    pw_event e = event(PW_EVENT_FORM_SUBMIT, t, result);
    e.target = target;
    return e;
}

/* Runs `events` through a fresh default session, then a tick at `tick_at`; returns how many
 * detections came out (all of them, in order, in out[0..CAP)). */
static int detect(const pw_event *events, size_t n, double tick_at, pw_struggle_signal *out) {
    pw_struggle *s = NULL;
    PW_CHECK_INT(pw_struggle_new(NULL, NULL, &s), PW_OK);
    if (!s)
        return -1;
    int got = pw_struggle_feed(s, events, n, out, CAP);
    PW_CHECK(got >= 0);
    int more = pw_struggle_tick(s, tick_at, out + got, (size_t)(CAP - got));
    PW_CHECK(more >= 0);
    pw_struggle_free(s);
    return got + more;
}

static int count_kind(const pw_struggle_signal *d, int n, uint32_t kind) {
    int k = 0;
    for (int i = 0; i < n; i++)
        k += d[i].kind == kind;
    return k;
}

#define DETECT(events, tick_at, out) detect(events, sizeof events / sizeof events[0], tick_at, out)

static void rage_click_textbook(void) {
    pw_struggle_signal d[CAP];
    pw_event e[] = {event(PW_EVENT_NAVIGATION, 0, ROUTE_A), click(100, 50, 50, BUTTON, 0),
                    click(500, 60, 50, BUTTON, 0), click(900, 60, 60, BUTTON, 0)};
    PW_CHECK_INT(DETECT(e, 900, d), 1);
    PW_CHECK_INT(d[0].kind, PW_STRUGGLE_RAGE_CLICK);
    PW_CHECK_INT(d[0].target, BUTTON);
    PW_CHECK_INT(d[0].route, ROUTE_A);
    PW_CHECK_INT(d[0].count, 3);
    PW_CHECK_INT(d[0].episode, 1);
    PW_CHECK(d[0].t_ms == 900);
    /* Exactly 30 px and exactly 1000 ms between clicks are still within. */
    pw_event edge[] = {click(0, 0, 0, BUTTON, 0), click(1000, 18, 24, BUTTON, 0),
                       click(2000, 36, 48, BUTTON, 0)};
    PW_CHECK_INT(DETECT(edge, 2000, d), 1);
}

static void rage_click_near_misses(void) {
    pw_struggle_signal d[CAP];
    pw_event two[] = {click(0, 0, 0, BUTTON, 0), click(100, 0, 0, BUTTON, 0)};
    PW_CHECK_INT(DETECT(two, 100, d), 0);
    pw_event far[] = {click(0, 0, 0, BUTTON, 0), click(100, 0, 0, BUTTON, 0),
                      click(200, 31, 0, BUTTON, 0)};
    PW_CHECK_INT(DETECT(far, 200, d), 0);
    pw_event slow[] = {click(0, 0, 0, BUTTON, 0), click(100, 0, 0, BUTTON, 0),
                       click(1101, 0, 0, BUTTON, 0)};
    PW_CHECK_INT(DETECT(slow, 1101, d), 0);
}

static void rage_click_once_per_episode(void) {
    pw_struggle_signal d[CAP];
    pw_event e[24];
    for (int i = 0; i < 12; i++) /* one long burst: 12 clicks, 300 ms apart */
        e[i] = click(300.0 * i, 10, 10, BUTTON, 0);
    for (int i = 12; i < 24; i++) /* calm of exactly 2000 ms, then another burst */
        e[i] = click(300.0 * 11 + 2000 + 300.0 * (i - 12), 10, 10, BUTTON, 0);
    int n = DETECT(e, 10000, d);
    PW_CHECK_INT(n, 2);
    PW_CHECK_INT(d[0].count, 3);
    PW_CHECK_INT(d[1].episode, 2);
    /* 1999 ms of calm is not enough: still the same episode. */
    for (int i = 12; i < 24; i++)
        e[i] = click(300.0 * 11 + 1999 + 300.0 * (i - 12), 10, 10, BUTTON, 0);
    PW_CHECK_INT(DETECT(e, 10000, d), 1);
}

static void rage_click_guards(void) {
    pw_struggle_signal d[CAP];
    uint32_t guards[] = {PW_EVENT_TEXT_SELECTION, PW_EVENT_STEPPER, PW_EVENT_INPUT_TARGET,
                         PW_EVENT_IGNORE};
    for (size_t g = 0; g < sizeof guards / sizeof guards[0]; g++) {
        pw_event e[6];
        for (int i = 0; i < 6; i++)
            e[i] = click(150.0 * i, 5, 5, BUTTON, guards[g]);
        PW_CHECK_INT(DETECT(e, 10000, d), 0);
    }
    /* A triple click on text: the first click is plain, the next two select. */
    pw_event triple[] = {click(0, 5, 5, 0, 0), click(120, 5, 5, 0, PW_EVENT_TEXT_SELECTION),
                         click(240, 5, 5, 0, PW_EVENT_TEXT_SELECTION)};
    PW_CHECK_INT(DETECT(triple, 10000, d), 0);
    /* A selecting click breaks a burst: 2 + selection + 2 is not a rage click. */
    pw_event broken[] = {click(0, 5, 5, 0, 0), click(100, 5, 5, 0, 0),
                         click(200, 5, 5, 0, PW_EVENT_TEXT_SELECTION), click(300, 5, 5, 0, 0),
                         click(400, 5, 5, 0, 0)};
    PW_CHECK_INT(DETECT(broken, 10000, d), 0);
}

static void dead_click(void) {
    pw_struggle_signal d[CAP];
    pw_event e[] = {event(PW_EVENT_NAVIGATION, 0, ROUTE_A), click(1000, 5, 5, BUTTON, INTERACTIVE)};
    PW_CHECK_INT(DETECT(e, 3500, d), 0); /* the window is still open at exactly 2500 ms */
    PW_CHECK_INT(DETECT(e, 3501, d), 1);
    PW_CHECK_INT(d[0].kind, PW_STRUGGLE_DEAD_CLICK);
    PW_CHECK_INT(d[0].target, BUTTON);
    PW_CHECK_INT(d[0].route, ROUTE_A);
    PW_CHECK(d[0].t_ms == 1000);
    /* The next event past the window gives the verdict too, before its own effect. */
    pw_event late[] = {click(0, 5, 5, BUTTON, INTERACTIVE),
                       event(PW_EVENT_RESPONSE, 2501, PW_RESPONSE_MUTATION)};
    PW_CHECK_INT(DETECT(late, 2501, d), 1);
    /* Not interactive: a click on plain text expects nothing. */
    pw_event plain[] = {click(0, 5, 5, BUTTON, 0)};
    PW_CHECK_INT(DETECT(plain, 9000, d), 0);
}

static void dead_click_responses(void) {
    pw_struggle_signal d[CAP];
    static const uint32_t kinds[] = {PW_RESPONSE_MUTATION, PW_RESPONSE_NAVIGATION,
                                     PW_RESPONSE_NETWORK};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        pw_event e[] = {click(0, 5, 5, BUTTON, INTERACTIVE),
                        event(PW_EVENT_RESPONSE, 2499, kinds[k])};
        PW_CHECK_INT(DETECT(e, 9000, d), 0);
    }
    pw_event at_edge[] = {click(0, 5, 5, BUTTON, INTERACTIVE),
                          event(PW_EVENT_RESPONSE, 2500, PW_RESPONSE_MUTATION)};
    PW_CHECK_INT(DETECT(at_edge, 9000, d), 0);
    pw_event scroll[] = {click(0, 5, 5, BUTTON, INTERACTIVE),
                         event(PW_EVENT_RESPONSE, 199, PW_RESPONSE_SCROLL)};
    PW_CHECK_INT(DETECT(scroll, 9000, d), 0);
    pw_event late_scroll[] = {click(0, 5, 5, BUTTON, INTERACTIVE),
                              event(PW_EVENT_RESPONSE, 201, PW_RESPONSE_SCROLL)};
    PW_CHECK_INT(DETECT(late_scroll, 9000, d), 1);
    pw_event others[][2] = {
        {click(0, 5, 5, BUTTON, INTERACTIVE), event(PW_EVENT_NAVIGATION, 2000, ROUTE_B)},
        {click(0, 5, 5, BUTTON, INTERACTIVE), event(PW_EVENT_VISIBILITY, 300, 0)},
        {click(0, 5, 5, BUTTON, INTERACTIVE), form(900, FORM, PW_FORM_OK)},
        {click(0, 5, 5, BUTTON, INTERACTIVE), event(PW_EVENT_REQUEST_FAILED, 2400, 503)},
    };
    for (size_t k = 0; k < sizeof others / sizeof others[0]; k++) {
        int n = detect(others[k], 2, 9000, d);
        PW_CHECK_INT(count_kind(d, n, PW_STRUGGLE_DEAD_CLICK), 0);
    }
    /* Visible again or typing is no response. */
    pw_event not_responses[] = {click(0, 5, 5, BUTTON, INTERACTIVE),
                                event(PW_EVENT_VISIBILITY, 300, 1), event(PW_EVENT_TYPING, 400, 0)};
    PW_CHECK_INT(DETECT(not_responses, 9000, d), 1);
}

static void dead_click_guards(void) {
    pw_struggle_signal d[CAP];
    uint32_t guards[] = {PW_EVENT_TEXT_SELECTION, PW_EVENT_INPUT_TARGET, PW_EVENT_IGNORE};
    for (size_t g = 0; g < sizeof guards / sizeof guards[0]; g++) {
        pw_event e[] = {click(0, 5, 5, BUTTON, INTERACTIVE | guards[g])};
        PW_CHECK_INT(DETECT(e, 9000, d), 0);
    }
    /* A disabled control is not dead: it is a disabled click. */
    pw_event disabled[] = {click(0, 5, 5, BUTTON, INTERACTIVE | PW_EVENT_DISABLED)};
    PW_CHECK_INT(DETECT(disabled, 9000, d), 1);
    PW_CHECK_INT(d[0].kind, PW_STRUGGLE_DISABLED_CLICK);
    PW_CHECK_INT(d[0].target, BUTTON);
    /* Hammering one dead button is one dead click (and one rage click). */
    pw_event burst[] = {click(0, 5, 5, BUTTON, INTERACTIVE), click(300, 5, 5, BUTTON, INTERACTIVE),
                        click(600, 5, 5, BUTTON, INTERACTIVE),
                        click(900, 5, 5, BUTTON, INTERACTIVE)};
    int n = DETECT(burst, 9000, d);
    PW_CHECK_INT(n, 2);
    PW_CHECK_INT(count_kind(d, n, PW_STRUGGLE_RAGE_CLICK), 1);
    PW_CHECK_INT(count_kind(d, n, PW_STRUGGLE_DEAD_CLICK), 1);
}

static void error_click(void) {
    pw_struggle_signal d[CAP];
    pw_event e[] = {click(0, 5, 5, BUTTON, INTERACTIVE), event(PW_EVENT_JS_ERROR, 1000, 0),
                    event(PW_EVENT_JS_ERROR, 1001, 0)};
    PW_CHECK_INT(DETECT(e, 9000, d), 1); /* one per click, and the click is not also dead */
    PW_CHECK_INT(d[0].kind, PW_STRUGGLE_ERROR_CLICK);
    PW_CHECK_INT(d[0].target, BUTTON);
    PW_CHECK_INT(d[0].value, 0);
    PW_CHECK(d[0].t_ms == 0);
    pw_event failed[] = {click(0, 5, 5, BUTTON, 0), event(PW_EVENT_REQUEST_FAILED, 300, 500)};
    PW_CHECK_INT(DETECT(failed, 9000, d), 1);
    PW_CHECK_INT(d[0].value, 500);
    pw_event too_late[] = {click(0, 5, 5, BUTTON, 0), event(PW_EVENT_JS_ERROR, 1001, 0)};
    PW_CHECK_INT(DETECT(too_late, 9000, d), 0);
    pw_event no_click[] = {event(PW_EVENT_JS_ERROR, 10, 0)};
    PW_CHECK_INT(DETECT(no_click, 9000, d), 0);
    /* An error after a disabled click is not blamed on the click before it. */
    pw_event after_disabled[] = {click(0, 5, 5, BUTTON, 0),
                                 click(100, 90, 90, 7, PW_EVENT_DISABLED),
                                 event(PW_EVENT_JS_ERROR, 200, 0)};
    int n = DETECT(after_disabled, 9000, d);
    PW_CHECK_INT(count_kind(d, n, PW_STRUGGLE_ERROR_CLICK), 0);
}

static void disabled_click_episodes(void) {
    pw_struggle_signal d[CAP];
    pw_event e[] = {
        click(0, 5, 5, BUTTON, PW_EVENT_DISABLED), click(1500, 500, 5, BUTTON, PW_EVENT_DISABLED),
        click(1600, 900, 5, 7, PW_EVENT_DISABLED), click(5000, 5, 5, BUTTON, PW_EVENT_DISABLED)};
    int n = DETECT(e, 9000, d);
    PW_CHECK_INT(n, 3); /* the second is the first one's episode; another target, then calm */
    PW_CHECK_INT(d[1].target, 7);
    PW_CHECK(d[2].t_ms == 5000);
}

static void repeated_failure(void) {
    pw_struggle_signal d[CAP];
    pw_event forms[] = {form(0, FORM, PW_FORM_ERROR), form(60000, FORM, PW_FORM_ERROR),
                        form(61000, FORM, PW_FORM_ERROR)};
    int n = DETECT(forms, 61000, d);
    PW_CHECK_INT(n, 1);
    PW_CHECK_INT(d[0].kind, PW_STRUGGLE_REPEATED_FAILURE);
    PW_CHECK_INT(d[0].target, FORM);
    PW_CHECK_INT(d[0].count, 2);
    pw_event slow[] = {form(0, FORM, PW_FORM_ERROR), form(60001, FORM, PW_FORM_ERROR)};
    PW_CHECK_INT(DETECT(slow, 61000, d), 0);
    pw_event fixed[] = {form(0, FORM, PW_FORM_ERROR), form(1000, FORM, PW_FORM_OK),
                        form(2000, FORM, PW_FORM_ERROR)};
    PW_CHECK_INT(DETECT(fixed, 3000, d), 0);
    pw_event two_forms[] = {form(0, FORM, PW_FORM_ERROR), form(1000, FORM + 1, PW_FORM_ERROR)};
    PW_CHECK_INT(DETECT(two_forms, 3000, d), 0);
    /* Two error clicks on one button, 5 s apart: two error clicks and a repeated failure. */
    pw_event clicks[] = {click(0, 5, 5, BUTTON, 0), event(PW_EVENT_REQUEST_FAILED, 200, 500),
                         click(5000, 5, 5, BUTTON, 0), event(PW_EVENT_REQUEST_FAILED, 5200, 500)};
    n = DETECT(clicks, 9000, d);
    PW_CHECK_INT(n, 3);
    PW_CHECK_INT(d[2].kind, PW_STRUGGLE_REPEATED_FAILURE);
    PW_CHECK_INT(d[2].target, BUTTON);
}

static void page_loop(void) {
    pw_struggle_signal d[CAP];
    pw_event loop[] = {event(PW_EVENT_NAVIGATION, 0, ROUTE_A),
                       event(PW_EVENT_NAVIGATION, 7000, ROUTE_A),
                       event(PW_EVENT_NAVIGATION, 15000, ROUTE_A)};
    PW_CHECK_INT(DETECT(loop, 15000, d), 1);
    PW_CHECK_INT(d[0].kind, PW_STRUGGLE_PAGE_LOOP);
    PW_CHECK_INT(d[0].route, ROUTE_A);
    PW_CHECK_INT(d[0].count, 3);
    PW_CHECK_INT(d[0].value, 0);
    pw_event spread[] = {event(PW_EVENT_NAVIGATION, 0, ROUTE_A),
                         event(PW_EVENT_NAVIGATION, 7000, ROUTE_A),
                         event(PW_EVENT_NAVIGATION, 15001, ROUTE_A)};
    PW_CHECK_INT(DETECT(spread, 15001, d), 0);
    pw_event back[] = {event(PW_EVENT_NAVIGATION, 0, ROUTE_A),
                       event(PW_EVENT_NAVIGATION, 1000, ROUTE_B),
                       event(PW_EVENT_NAVIGATION, 6000, ROUTE_A)};
    PW_CHECK_INT(DETECT(back, 6000, d), 1);
    PW_CHECK_INT(d[0].value, ROUTE_B);
    PW_CHECK_INT(d[0].count, 2);
    pw_event slow_back[] = {event(PW_EVENT_NAVIGATION, 0, ROUTE_A),
                            event(PW_EVENT_NAVIGATION, 1000, ROUTE_B),
                            event(PW_EVENT_NAVIGATION, 6001, ROUTE_A)};
    PW_CHECK_INT(DETECT(slow_back, 6001, d), 0);
    /* Ping-pong between two pages is one episode while it goes on. */
    pw_event pingpong[8];
    for (int i = 0; i < 8; i++)
        pingpong[i] = event(PW_EVENT_NAVIGATION, 1000.0 * i, i % 2 ? ROUTE_B : ROUTE_A);
    PW_CHECK_INT(DETECT(pingpong, 9000, d), 1);
}

static void form_abandonment(void) {
    pw_struggle_signal d[CAP];
    pw_event away[] = {event(PW_EVENT_NAVIGATION, 0, ROUTE_A), form(1000, FORM, PW_FORM_ERROR),
                       event(PW_EVENT_NAVIGATION, 61000, ROUTE_B)};
    PW_CHECK_INT(DETECT(away, 70000, d), 1);
    PW_CHECK_INT(d[0].kind, PW_STRUGGLE_FORM_ABANDON);
    PW_CHECK_INT(d[0].target, FORM);
    PW_CHECK_INT(d[0].route, ROUTE_A);
    PW_CHECK_INT(d[0].value, 0);
    pw_event hidden[] = {form(0, FORM, PW_FORM_ERROR), event(PW_EVENT_VISIBILITY, 500, 0)};
    PW_CHECK_INT(DETECT(hidden, 1000, d), 1);
    PW_CHECK_INT(d[0].value, 1);
    pw_event fixed[] = {form(0, FORM, PW_FORM_ERROR), form(5000, FORM, PW_FORM_OK),
                        event(PW_EVENT_NAVIGATION, 6000, ROUTE_B)};
    PW_CHECK_INT(DETECT(fixed, 7000, d), 0);
    pw_event stayed[] = {form(0, FORM, PW_FORM_ERROR), event(PW_EVENT_NAVIGATION, 60001, ROUTE_B)};
    PW_CHECK_INT(DETECT(stayed, 70000, d), 0);
    pw_event reload[] = {event(PW_EVENT_NAVIGATION, 0, ROUTE_A), form(1000, FORM, PW_FORM_ERROR),
                         event(PW_EVENT_NAVIGATION, 2000, ROUTE_A)};
    PW_CHECK_INT(DETECT(reload, 3000, d), 0);
}

/* The same events split into calls of every size give the same detections. */
static void chunking_does_not_matter(void) {
    pw_event e[] = {
        event(PW_EVENT_NAVIGATION, 0, ROUTE_A),    click(100, 5, 5, BUTTON, INTERACTIVE),
        click(300, 5, 5, BUTTON, INTERACTIVE),     click(500, 5, 5, BUTTON, INTERACTIVE),
        event(PW_EVENT_JS_ERROR, 700, 0),          form(4000, FORM, PW_FORM_ERROR),
        form(9000, FORM, PW_FORM_ERROR),           event(PW_EVENT_NAVIGATION, 9500, ROUTE_B),
        event(PW_EVENT_NAVIGATION, 10000, ROUTE_A)};
    size_t n = sizeof e / sizeof e[0];
    pw_struggle_signal whole[CAP], parts[CAP];
    int expected = detect(e, n, 20000, whole);
    PW_CHECK_INT(expected, 6);
    for (size_t chunk = 1; chunk <= n; chunk++) {
        pw_struggle *s = NULL;
        PW_CHECK_INT(pw_struggle_new(NULL, NULL, &s), PW_OK);
        int got = 0;
        for (size_t at = 0; at < n; at += chunk) {
            size_t len = n - at < chunk ? n - at : chunk;
            got += pw_struggle_feed(s, e + at, len, parts + got, (size_t)(CAP - got));
        }
        got += pw_struggle_tick(s, 20000, parts + got, (size_t)(CAP - got));
        PW_CHECK_INT(got, expected);
        PW_CHECK(memcmp(parts, whole, sizeof whole[0] * (size_t)expected) == 0);
        pw_struggle_free(s);
    }
}

/* A tiny deterministic generator for the scripted session (not the core's: tests own theirs). */
static uint32_t next_rand(uint32_t *state) {
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

/* A few hundred events of someone working normally: pages visited in turn, buttons that
 * answer, a paginated list clicked through quickly, text selected, typing and scrolling. */
static size_t normal_session(pw_event *e, size_t cap) {
    uint32_t seed = 7;
    size_t n = 0;
    double t = 0;
    for (uint32_t page = 0; page < 12 && n + 40 < cap; page++) {
        e[n++] = event(PW_EVENT_NAVIGATION, t, 0x100u + page);
        for (int step = 0; step < 6; step++) {
            t += 1500 + next_rand(&seed) % 3000;
            double x = next_rand(&seed) % 1200, y = next_rand(&seed) % 800;
            e[n++] = click(t, x, y, 0x200u + (uint32_t)step, INTERACTIVE);
            e[n++] =
                event(PW_EVENT_RESPONSE, t + 40 + next_rand(&seed) % 900, PW_RESPONSE_MUTATION);
            e[n++] = event(PW_EVENT_TYPING, t + 1000, 0);
            e[n++] = event(PW_EVENT_RESPONSE, t + 1200, PW_RESPONSE_SCROLL);
        }
        t += 2000;
        for (int p = 0; p < 4; p++) { /* next page, next page, ... */
            t += 250;
            e[n++] = click(t, 600, 700, 0x300u, INTERACTIVE | PW_EVENT_STEPPER);
            e[n++] = event(PW_EVENT_RESPONSE, t + 60, PW_RESPONSE_NETWORK);
        }
        t += 2000; /* a double click selecting a word, then a plain click on text */
        e[n++] = click(t, 300, 300, 0, 0);
        e[n++] = click(t + 150, 300, 300, 0, PW_EVENT_TEXT_SELECTION);
        e[n++] = click(t + 2000, 100, 100, 0, 0);
        t += 15000 + next_rand(&seed) % 5000;
    }
    return n;
}

static void normal_session_is_silent(void) {
    pw_event e[600];
    size_t n = normal_session(e, sizeof e / sizeof e[0]);
    PW_CHECK(n >= 300);
    pw_struggle_signal d[CAP];
    pw_struggle *s = NULL;
    PW_CHECK_INT(pw_struggle_new(NULL, NULL, &s), PW_OK);
    int got = 0;
    for (size_t at = 0; at < n; at += 25) { /* in batches, with ticks between */
        size_t len = n - at < 25 ? n - at : 25;
        got += pw_struggle_feed(s, e + at, len, d, CAP);
        got += pw_struggle_tick(s, e[at + len - 1].t_ms, d, CAP);
    }
    got += pw_struggle_tick(s, e[n - 1].t_ms + 100000, d, CAP);
    PW_CHECK_INT(got, 0);
    PW_CHECK(pw_struggle_score(s, e[n - 1].t_ms) == 0.0);
    pw_struggle_free(s);
}

/* 10k events within 1 ms: must finish (no time limit here: ctest's TIMEOUT is the guard). */
static void pathological_burst(void) {
    enum { N = 10000 };
    static pw_event e[N];
    for (int i = 0; i < N; i++) {
        uint32_t kind = (uint32_t)i % PW_EVENT_KIND_COUNT;
        e[i] = event(kind, 1000.0 + (double)i / N, (uint32_t)i % 7);
        e[i].flags = (uint32_t)(i * 7) % 64;
        e[i].target = (uint32_t)i % 50;
    }
    pw_struggle *s = NULL;
    PW_CHECK_INT(pw_struggle_new(NULL, NULL, &s), PW_OK);
    pw_struggle_signal d[CAP];
    int total = 0, got;
    PW_CHECK((got = pw_struggle_feed(s, e, N, d, CAP)) >= 0);
    total += got;
    while ((got = pw_struggle_tick(s, 1e9, d, CAP)) > 0)
        total += got;
    PW_CHECK(total > 0);
    double score = pw_struggle_score(s, 1001);
    PW_CHECK(score >= 0.0 && score < 1.0);
    pw_struggle_free(s);
}

static void queue_holds_what_does_not_fit(void) {
    pw_struggle_config c = pw_struggle_config_default();
    c.max_pending_clicks = 1;
    c.max_actions = 1;
    c.max_queued = 3; /* the least allowed: what one event can give */
    pw_struggle *s = NULL;
    PW_CHECK_INT(pw_struggle_new(&c, NULL, &s), PW_OK);
    pw_event e[4];
    for (int i = 0; i < 4; i++)
        e[i] = click(10.0 * i, 100.0 * i, 0, (uint32_t)i + 1, PW_EVENT_DISABLED);
    pw_struggle_signal d[4];
    PW_CHECK_INT(pw_struggle_feed(s, e, 4, d, 0), 0);
    PW_CHECK_INT(pw_struggle_tick(s, -INFINITY, d, 1), 1); /* only delivers */
    PW_CHECK_INT(d[0].target, 1);
    PW_CHECK_INT(pw_struggle_tick(s, 0, d, 4), 2);
    PW_CHECK_INT(d[1].target, 3); /* the fourth was dropped: the queue held three */
    PW_CHECK_INT(pw_struggle_tick(s, 0, d, 4), 0);
    /* One event at a time, drained after each: nothing is lost. */
    pw_struggle_reset(s);
    int got = 0;
    for (int i = 0; i < 4; i++)
        got += pw_struggle_feed(s, &e[i], 1, d, 4);
    PW_CHECK_INT(got, 4);
    pw_struggle_free(s);
}

static void score_decays_and_follows_the_route(void) {
    pw_struggle *s = NULL;
    PW_CHECK_INT(pw_struggle_new(NULL, NULL, &s), PW_OK);
    PW_CHECK(pw_struggle_score(s, 0) == 0.0);
    pw_event e[] = {event(PW_EVENT_NAVIGATION, 0, ROUTE_A), click(1000, 5, 5, 1, 0),
                    click(1100, 5, 5, 1, 0), click(1200, 5, 5, 1, 0)};
    pw_struggle_signal d[CAP];
    PW_CHECK_INT(pw_struggle_feed(s, e, 4, d, CAP), 1);
    PW_CHECK(fabs(pw_struggle_score(s, 1200) - 0.5) < 1e-12);
    PW_CHECK(fabs(pw_struggle_score(s, 500) - 0.5) < 1e-12);          /* earlier counts as then */
    PW_CHECK(fabs(pw_struggle_score(s, 121200) - 0.5 / 1.5) < 1e-12); /* one half-life */
    pw_event more[] = {click(5000, 5, 5, 1, 0), click(5100, 5, 5, 1, 0), click(5200, 5, 5, 1, 0)};
    PW_CHECK_INT(pw_struggle_feed(s, more, 3, d, CAP), 1);
    PW_CHECK(pw_struggle_score(s, 5200) > 0.6);
    pw_event away = event(PW_EVENT_NAVIGATION, 6000, ROUTE_B);
    PW_CHECK_INT(pw_struggle_feed(s, &away, 1, d, CAP), 0);
    PW_CHECK(pw_struggle_score(s, 6000) == 0.0);
    PW_CHECK(pw_struggle_score(NULL, 0) == 0.0);
    pw_struggle_free(s);
}

static void reset_keeps_counting_episodes(void) {
    pw_struggle *s = NULL;
    PW_CHECK_INT(pw_struggle_new(NULL, NULL, &s), PW_OK);
    pw_event e[] = {click(0, 0, 0, 1, PW_EVENT_DISABLED), click(50, 0, 0, 2, INTERACTIVE)};
    pw_struggle_signal d[CAP];
    PW_CHECK_INT(pw_struggle_feed(s, e, 2, d, CAP), 1);
    pw_struggle_reset(s);
    PW_CHECK_INT(pw_struggle_tick(s, 10000, d, CAP), 0); /* the pending click was forgotten */
    PW_CHECK_INT(pw_struggle_feed(s, e, 1, d, CAP), 1);
    PW_CHECK_INT(d[0].episode, 2);
    pw_struggle_reset(NULL);
    pw_struggle_free(s);
}

static void out_of_order_events_take_the_latest_time(void) {
    pw_struggle_signal d[CAP];
    /* The response is reported "before" the click; it counts as at the click, so in time. */
    pw_event e[] = {click(1000, 5, 5, 1, INTERACTIVE),
                    event(PW_EVENT_RESPONSE, 900, PW_RESPONSE_MUTATION)};
    PW_CHECK_INT(DETECT(e, 9000, d), 0);
}

static void bad_arguments(void) {
    pw_struggle *s = NULL;
    PW_CHECK_INT(pw_struggle_new(NULL, NULL, NULL), PW_EINVAL);
    PW_CHECK_INT(pw_struggle_new(NULL, NULL, &s), PW_OK);
    pw_struggle_signal d[CAP];
    pw_event e[] = {click(0, 0, 0, 1, PW_EVENT_DISABLED), event(PW_EVENT_KIND_COUNT, 10, 0)};
    PW_CHECK_INT(pw_struggle_feed(s, e, 2, d, CAP), PW_EINVAL);
    PW_CHECK_INT(pw_struggle_feed(s, e, 1, d, CAP), 1); /* nothing of the failed call ran */
    PW_CHECK_INT(d[0].episode, 1);
    e[1] = click(NAN, 0, 0, 1, 0);
    PW_CHECK_INT(pw_struggle_feed(s, e + 1, 1, d, CAP), PW_EINVAL);
    e[1] = click(5, INFINITY, 0, 1, 0);
    PW_CHECK_INT(pw_struggle_feed(s, e + 1, 1, d, CAP), PW_EINVAL);
    PW_CHECK_INT(pw_struggle_feed(NULL, e, 1, d, CAP), PW_EINVAL);
    PW_CHECK_INT(pw_struggle_feed(s, NULL, 1, d, CAP), PW_EINVAL);
    PW_CHECK_INT(pw_struggle_feed(s, e, 1, NULL, 1), PW_EINVAL);
    PW_CHECK_INT(pw_struggle_feed(s, NULL, 0, NULL, 0), 0);
    PW_CHECK_INT(pw_struggle_tick(s, NAN, d, CAP), PW_EINVAL);
    PW_CHECK_INT(pw_struggle_tick(NULL, 0, d, CAP), PW_EINVAL);
    PW_CHECK_INT(pw_struggle_tick(s, 0, NULL, 1), PW_EINVAL);
    pw_struggle_free(s);
    pw_struggle_free(NULL);
}

static void config_check_names_the_field(void) {
    pw_struggle_config c = pw_struggle_config_default();
    PW_CHECK(pw_struggle_config_check(&c) == NULL);
    PW_CHECK(strcmp(pw_struggle_config_check(NULL), "config") == 0);
    c.rage_radius_px = 0;
    PW_CHECK(strcmp(pw_struggle_config_check(&c), "rage_radius_px") == 0);
    c = pw_struggle_config_default();
    c.dead_scroll_ms = 3000;
    PW_CHECK(strcmp(pw_struggle_config_check(&c), "dead_scroll_ms") == 0);
    c = pw_struggle_config_default();
    c.abandon_window_ms = NAN;
    PW_CHECK(strcmp(pw_struggle_config_check(&c), "abandon_window_ms") == 0);
    c = pw_struggle_config_default();
    c.rage_clicks = 1;
    PW_CHECK(strcmp(pw_struggle_config_check(&c), "rage_clicks") == 0);
    c = pw_struggle_config_default();
    c.max_navigations = 2;
    PW_CHECK(strcmp(pw_struggle_config_check(&c), "max_navigations") == 0);
    c = pw_struggle_config_default();
    c.max_queued = c.max_pending_clicks + c.max_actions; /* one less than one event may give */
    PW_CHECK(strcmp(pw_struggle_config_check(&c), "max_queued") == 0);
    c.max_queued = PW_STRUGGLE_MAX_CAPACITY + 1;
    PW_CHECK(strcmp(pw_struggle_config_check(&c), "max_queued") == 0);
    pw_struggle *s = NULL;
    PW_CHECK_INT(pw_struggle_new(&c, NULL, &s), PW_EINVAL);
    PW_CHECK(s == NULL);
}

static void kind_names(void) {
    PW_CHECK(strcmp(pw_struggle_kind_name(PW_STRUGGLE_RAGE_CLICK), "rage_click") == 0);
    PW_CHECK(strcmp(pw_struggle_kind_name(PW_STRUGGLE_FORM_ABANDON), "form_abandon") == 0);
    PW_CHECK(strcmp(pw_struggle_kind_name(PW_STRUGGLE_DISABLED_CLICK), "disabled_click") == 0);
    PW_CHECK(strcmp(pw_struggle_kind_name(PW_STRUGGLE_KIND_COUNT), "unknown") == 0);
    PW_CHECK(strcmp(pw_struggle_kind_name(-1), "unknown") == 0);
}

static void constructor_out_of_memory(void) {
    int succeeded = 0;
    for (long budget = 0; budget < 16 && !succeeded; budget++) {
        pw_test_budget b = {budget, 0, 0};
        pw_allocator a = pw_test_budget_allocator(&b);
        pw_struggle *s = NULL;
        int rc = pw_struggle_new(NULL, &a, &s);
        if (rc == PW_OK) {
            succeeded = 1;
            pw_struggle_signal d[CAP];
            pw_event e = click(0, 0, 0, 1, PW_EVENT_DISABLED);
            PW_CHECK_INT(pw_struggle_feed(s, &e, 1, d, CAP), 1); /* feeding allocates nothing */
            PW_CHECK_INT(b.budget, 0);
            pw_struggle_free(s);
        } else {
            PW_CHECK_INT(rc, PW_ENOMEM);
            PW_CHECK(s == NULL);
        }
        PW_CHECK_INT(b.live_blocks, 0);
        PW_CHECK_INT(b.live_bytes, 0);
    }
    PW_CHECK(succeeded);
}

int main(void) {
    PW_RUN(rage_click_textbook);
    PW_RUN(rage_click_near_misses);
    PW_RUN(rage_click_once_per_episode);
    PW_RUN(rage_click_guards);
    PW_RUN(dead_click);
    PW_RUN(dead_click_responses);
    PW_RUN(dead_click_guards);
    PW_RUN(error_click);
    PW_RUN(disabled_click_episodes);
    PW_RUN(repeated_failure);
    PW_RUN(page_loop);
    PW_RUN(form_abandonment);
    PW_RUN(chunking_does_not_matter);
    PW_RUN(normal_session_is_silent);
    PW_RUN(pathological_burst);
    PW_RUN(queue_holds_what_does_not_fit);
    PW_RUN(score_decays_and_follows_the_route);
    PW_RUN(reset_keeps_counting_episodes);
    PW_RUN(out_of_order_events_take_the_latest_time);
    PW_RUN(bad_arguments);
    PW_RUN(config_check_names_the_field);
    PW_RUN(kind_names);
    PW_RUN(constructor_out_of_memory);
    return pw_test_exit_code();
}
