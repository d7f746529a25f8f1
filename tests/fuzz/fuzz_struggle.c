/* Fuzz target: a struggle session fed arbitrary event streams. The first byte picks the options:
 * bits 0-2 the chunk size (1, 2, 3, 5, 8, 13, 64 events per pw_struggle_feed call), bit 3 tiny
 * rings (one pending click, one action, three navigations), bits 4-5 how many detections each
 * call may return (1, 2, 7 or 64). Every further 8 bytes are one event: kind, flags, a 16-bit
 * time step, x, y, target and value. The properties checked are the header's promises: counts
 * within [0, cap], known kinds, episodes strictly increasing, the score in [0, 1), the same
 * detections however the stream is split into calls, and no state change from a refused call.
 * SPDX-License-Identifier: MIT */
#include "pw/status.h"
#include "pw/struggle.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define EVENT_BYTES 8
#define MAX_OUT     64

typedef struct digest {
    uint64_t hash; /* FNV-1a over every detection's fields, in order */
    size_t count;
    uint32_t last_episode;
} digest;

static void mix(digest *g, const void *p, size_t n) {
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        g->hash = (g->hash ^ b[i]) * 0x100000001b3ull;
}

static void take(digest *g, const pw_struggle_signal *d, int n, size_t cap) {
    if (n < 0 || (size_t)n > cap)
        abort();
    for (int i = 0; i < n; i++) {
        if (d[i].kind >= PW_STRUGGLE_KIND_COUNT || d[i].episode <= g->last_episode)
            abort();
        g->last_episode = d[i].episode;
        mix(g, &d[i].kind, sizeof d[i].kind);
        mix(g, &d[i].episode, sizeof d[i].episode);
        mix(g, &d[i].t_ms, sizeof d[i].t_ms);
        mix(g, &d[i].target, sizeof d[i].target);
        mix(g, &d[i].route, sizeof d[i].route);
        mix(g, &d[i].count, sizeof d[i].count);
        mix(g, &d[i].value, sizeof d[i].value);
        g->count++;
    }
}

static void decode(const uint8_t *b, double *t, pw_event *e) {
    memset(e, 0, sizeof *e);
    e->kind = b[0] % PW_EVENT_KIND_COUNT;
    e->flags = b[1] & 0x3fu;
    *t += (double)(b[2] | b[3] << 8) / 4.0; /* steps of a quarter ms up to ~16 s */
    e->t_ms = *t;
    e->x = b[4] * 2.0;
    e->y = b[5] * 2.0;
    e->target = b[6] & 15u;
    e->value = e->kind == PW_EVENT_REQUEST_FAILED ? b[7] * 4u : b[7] & 7u;
}

static void check_score(const pw_struggle *s, double t) {
    double score = pw_struggle_score(s, t);
    if (!(score >= 0.0 && score < 1.0))
        abort();
}

/* Drains the queue: a tick that does not move the clock only delivers. */
static void drain(pw_struggle *s, digest *g, size_t cap) {
    pw_struggle_signal d[MAX_OUT];
    int n;
    do {
        n = pw_struggle_tick(s, -INFINITY, d, cap);
        take(g, d, n, cap);
    } while ((size_t)n == cap);
}

static digest run(const pw_struggle_config *c, const pw_event *events, size_t n, size_t chunk,
                  size_t cap) {
    digest g = {0xcbf29ce484222325ull, 0, 0};
    pw_struggle *s = NULL;
    if (pw_struggle_new(c, NULL, &s) != PW_OK)
        abort();
    pw_struggle_signal d[MAX_OUT];
    for (size_t at = 0; at < n; at += chunk) {
        size_t len = n - at < chunk ? n - at : chunk;
        take(&g, d, pw_struggle_feed(s, events + at, len, d, cap), cap);
        drain(s, &g, cap);
        check_score(s, events[at + len - 1].t_ms);
    }
    double end = n ? events[n - 1].t_ms + 1e6 : 1e6;
    take(&g, d, pw_struggle_tick(s, end, d, cap), cap);
    drain(s, &g, cap);
    check_score(s, end);
    /* A refused call changes nothing: the queue stays empty and the score the same. */
    pw_event bad = {PW_EVENT_CLICK, 0, NAN, 0, 0, 0, 0};
    double before = pw_struggle_score(s, end);
    if (pw_struggle_feed(s, &bad, 1, d, cap) != PW_EINVAL ||
        pw_struggle_tick(s, end, d, cap) != 0 || pw_struggle_score(s, end) != before)
        abort();
    pw_struggle_free(s);
    return g;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0)
        return 0;
    static const size_t chunks[] = {1, 2, 3, 5, 8, 13, 64, 64};
    static const size_t caps[] = {1, 2, 7, MAX_OUT};
    size_t chunk = chunks[data[0] & 7u], cap = caps[(data[0] >> 4) & 3u];
    pw_struggle_config c = pw_struggle_config_default();
    c.max_queued = PW_STRUGGLE_MAX_CAPACITY; /* never full here, so splits cannot drop any */
    if (data[0] & 8u) {
        c.max_pending_clicks = 1;
        c.max_actions = 1;
        c.max_navigations = c.loop_visits;
    }
    size_t n = (size - 1) / EVENT_BYTES;
    pw_event *events = malloc((n ? n : 1) * sizeof *events);
    if (!events)
        return 0;
    double t = 0;
    for (size_t i = 0; i < n; i++)
        decode(data + 1 + i * EVENT_BYTES, &t, &events[i]);
    digest split = run(&c, events, n, chunk, cap);
    /* "Whole": up to 1024 events a call. Each detection has its own deciding event and one event
     * decides at most three, so a call queues fewer than max_queued. */
    digest whole = run(&c, events, n, 1024, MAX_OUT);
    if (split.count != whole.count || split.hash != whole.hash)
        abort();
    free(events);
    return 0;
}
