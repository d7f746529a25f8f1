/* Benchmark: the core's cost per widget event, natively. A deterministic, seeded session of
 * mixed DOM events (clicks that get a response, rage bursts, dead clicks, clicks that end in an
 * error, navigations, typing, forms, scrolls, tab switches) goes through pw_struggle_feed one
 * event per call, as the widget's core.js feeds it, with a pw_struggle_tick every second of
 * session time, as its ticker does. Prints one JSON line: the best of --repeats passes.
 * `--dump FILE` also writes the same calls as JSON Lines for struggle_speed.mjs, which times
 * them in the widget's wasm through core.js. Reports numbers, never asserts.
 *   struggle_speed [--events N] [--repeats R] [--dump FILE]
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L
#include "pw/struggle.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One call of the session: an event, or a tick (kind == TICK) at t_ms. */
#define TICK UINT32_MAX

typedef struct stream {
    pw_event *calls;
    size_t len, cap;
    size_t events; /* calls that are events, not ticks */
    uint64_t rng;
    double now;
} stream;

/* xorshift64*: our own, so the stream is the same on every machine and libc. */
static uint32_t next_u32(stream *s) {
    s->rng ^= s->rng >> 12;
    s->rng ^= s->rng << 25;
    s->rng ^= s->rng >> 27;
    return (uint32_t)((s->rng * 2685821657736338717ull) >> 32);
}

static uint32_t below(stream *s, uint32_t n) {
    return next_u32(s) % n;
}

static void push(stream *s, uint32_t kind, uint32_t flags, double x, double y, uint32_t target,
                 uint32_t value) {
    if (s->len == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 4096;
        s->calls = realloc(s->calls, s->cap * sizeof *s->calls);
        if (!s->calls) {
            fprintf(stderr, "struggle_speed: out of memory\n");
            exit(1);
        }
    }
    s->calls[s->len++] = (pw_event){.kind = kind,
                                    .flags = flags,
                                    .t_ms = s->now,
                                    .x = x,
                                    .y = y,
                                    .target = target,
                                    .value = value};
}

/* Moves the clock by `ms`, ticking at every whole second passed (the widget's ticker). */
static void wait_ms(stream *s, double ms) {
    double until = s->now + ms;
    for (double t = (double)((int64_t)(s->now / 1000) + 1) * 1000; t <= until; t += 1000) {
        s->now = t;
        push(s, TICK, 0, 0, 0, 0, 0);
    }
    s->now = until;
}

static void click(stream *s, uint32_t target, uint32_t flags, double x, double y) {
    push(s, PW_EVENT_CLICK, flags, x, y, target, 0);
}

/* One user action, drawn with rough real-life frequencies. */
static void action(stream *s) {
    uint32_t target = 1000 + below(s, 40);
    double x = below(s, 1200), y = below(s, 800);
    uint32_t roll = below(s, 100);
    if (roll < 45) { /* a click the page answers */
        click(s, target, PW_EVENT_INTERACTIVE, x, y);
        wait_ms(s, 20 + below(s, 300));
        push(s, PW_EVENT_RESPONSE, 0, 0, 0, 0, below(s, 3));
    } else if (roll < 48) { /* a rage burst on one spot */
        for (uint32_t i = 0, n = 3 + below(s, 4); i < n; i++) {
            click(s, target, PW_EVENT_INTERACTIVE, x + below(s, 10), y + below(s, 10));
            wait_ms(s, 80 + below(s, 150));
        }
    } else if (roll < 53) { /* a dead click */
        click(s, target, PW_EVENT_INTERACTIVE, x, y);
    } else if (roll < 56) { /* a click that ends in an error */
        click(s, target, PW_EVENT_INTERACTIVE, x, y);
        wait_ms(s, 50 + below(s, 500));
        if (below(s, 2))
            push(s, PW_EVENT_JS_ERROR, 0, 0, 0, 0, 0);
        else
            push(s, PW_EVENT_REQUEST_FAILED, 0, 0, 0, 0, below(s, 2) ? 500 : 422);
    } else if (roll < 58) { /* a click on plain text, a disabled or an ignored control */
        static const uint32_t flags[] = {0, PW_EVENT_TEXT_SELECTION,
                                         PW_EVENT_INTERACTIVE | PW_EVENT_DISABLED, PW_EVENT_IGNORE};
        click(s, target, flags[below(s, 4)], x, y);
    } else if (roll < 68) { /* a navigation among 8 routes */
        push(s, PW_EVENT_NAVIGATION, 0, 0, 0, 0, 7000 + below(s, 8));
    } else if (roll < 85) { /* typing in a field: throttled records */
        click(s, target, PW_EVENT_INTERACTIVE | PW_EVENT_INPUT_TARGET, x, y);
        for (uint32_t i = 0, n = 2 + below(s, 6); i < n; i++) {
            wait_ms(s, 150 + below(s, 200));
            push(s, PW_EVENT_TYPING, 0, 0, 0, 0, 0);
        }
    } else if (roll < 89) { /* a form submitted */
        push(s, PW_EVENT_FORM_SUBMIT, 0, 0, 0, 2000 + below(s, 4), below(s, 4) == 0);
    } else if (roll < 99) { /* scrolling */
        push(s, PW_EVENT_RESPONSE, 0, 0, 0, 0, PW_RESPONSE_SCROLL);
    } else { /* another tab and back */
        push(s, PW_EVENT_VISIBILITY, 0, 0, 0, 0, 0);
        wait_ms(s, 1000 + below(s, 20000));
        push(s, PW_EVENT_VISIBILITY, 0, 0, 0, 0, 1);
    }
    wait_ms(s, 100 + below(s, 3000));
}

static void build(stream *s, size_t events) {
    memset(s, 0, sizeof *s);
    s->rng = 0x9E3779B97F4A7C15ull;
    s->now = 1000;
    while (s->events < events) {
        size_t before = s->len;
        action(s);
        for (size_t i = before; i < s->len; i++)
            s->events += s->calls[i].kind != TICK;
    }
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One pass over the stream in a fresh session; returns the detections, so the work is used. */
static long run(const stream *s, pw_struggle *session) {
    pw_struggle_signal out[16];
    long detections = 0;
    pw_struggle_reset(session);
    for (size_t i = 0; i < s->len; i++) {
        const pw_event *e = &s->calls[i];
        int n = e->kind == TICK ? pw_struggle_tick(session, e->t_ms, out, 16)
                                : pw_struggle_feed(session, e, 1, out, 16);
        if (n < 0) {
            fprintf(stderr, "struggle_speed: call %zu failed (%d)\n", i, n);
            exit(1);
        }
        detections += n;
    }
    return detections;
}

static int dump(const stream *s, const char *path) {
    static const char *kinds[] = {"click",      "response",    "js_error", "request_failed",
                                  "navigation", "form_submit", "typing",   "visibility"};
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    for (size_t i = 0; i < s->len; i++) {
        const pw_event *e = &s->calls[i];
        if (e->kind == TICK)
            fprintf(f, "{\"tick\":%.17g}\n", e->t_ms);
        else
            fprintf(f,
                    "{\"kind\":\"%s\",\"t\":%.17g,\"x\":%.17g,\"y\":%.17g,\"target\":%u,"
                    "\"flags\":%u,\"value\":%u}\n",
                    kinds[e->kind], e->t_ms, e->x, e->y, e->target, e->flags, e->value);
    }
    return fclose(f);
}

int main(int argc, char **argv) {
    size_t events = 200000;
    int repeats = 5;
    const char *dump_path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--events") == 0 && i + 1 < argc)
            events = (size_t)strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--repeats") == 0 && i + 1 < argc)
            repeats = atoi(argv[++i]);
        else if (strcmp(argv[i], "--dump") == 0 && i + 1 < argc)
            dump_path = argv[++i];
        else {
            fprintf(stderr, "usage: struggle_speed [--events N] [--repeats R] [--dump FILE]\n");
            return 2;
        }
    }
    if (events == 0 || repeats < 1) {
        fprintf(stderr, "struggle_speed: --events and --repeats must be at least 1\n");
        return 2;
    }
    stream s;
    build(&s, events);
    if (dump_path && dump(&s, dump_path) != 0) {
        fprintf(stderr, "struggle_speed: cannot write %s\n", dump_path);
        return 1;
    }
    pw_struggle *session;
    if (pw_struggle_new(NULL, NULL, &session) != 0) {
        fprintf(stderr, "struggle_speed: cannot create a session\n");
        return 1;
    }
    long detections = run(&s, session); /* warm-up */
    double best = 1e300;
    for (int r = 0; r < repeats; r++) {
        double start = now_s();
        if (run(&s, session) != detections)
            fprintf(stderr, "struggle_speed: passes disagree\n");
        double took = now_s() - start;
        best = took < best ? took : best;
    }
    printf("{\"home\":\"native\",\"events\":%zu,\"calls\":%zu,\"detections\":%ld,"
           "\"ns_per_event\":%.1f}\n",
           s.events, s.len, detections, best / (double)s.events * 1e9);
    pw_struggle_free(session);
    free(s.calls);
    return 0;
}
