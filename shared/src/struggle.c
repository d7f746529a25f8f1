/* The struggle session: lifecycle, configuration, the detection queue, the clock and the
 * decaying score. The detectors themselves are in struggle_detect.c. Nothing here allocates
 * after pw_struggle_new.
 * SPDX-License-Identifier: MIT */
#include "pw/struggle.h"
#include "alloc_int.h"
#include "mathx_int.h"
#include "pw/status.h"
#include "struggle_int.h"

#include <math.h>
#include <string.h>

pw_struggle_config pw_struggle_config_default(void) {
    pw_struggle_config c;
    memset(&c, 0, sizeof c);
    c.rage_radius_px = 30.0;
    c.rage_interval_ms = 1000.0;
    c.episode_calm_ms = 2000.0;
    c.dead_window_ms = 2500.0;
    c.dead_scroll_ms = 200.0;
    c.error_window_ms = 1000.0;
    c.repeat_window_ms = 60000.0;
    c.loop_window_ms = 15000.0;
    c.quick_back_ms = 5000.0;
    c.abandon_window_ms = 60000.0;
    c.score_half_life_ms = 120000.0;
    c.rage_clicks = 3;
    c.repeat_failures = 2;
    c.loop_visits = 3;
    c.max_pending_clicks = 32;
    c.max_actions = 16;
    c.max_navigations = 16;
    c.max_queued = 64;
    return c;
}

static int time_ok(double ms) {
    return isfinite(ms) && ms >= 0.0;
}

static int count_ok(uint32_t n, uint32_t lo, uint32_t hi) {
    return n >= lo && n <= hi;
}

/* The windows, in the order of the struct. */
static const char *check_times(const pw_struggle_config *c) {
    if (!time_ok(c->rage_radius_px) || c->rage_radius_px == 0.0)
        return "rage_radius_px";
    if (!time_ok(c->rage_interval_ms) || c->rage_interval_ms == 0.0)
        return "rage_interval_ms";
    if (!time_ok(c->episode_calm_ms))
        return "episode_calm_ms";
    if (!time_ok(c->dead_window_ms) || c->dead_window_ms == 0.0)
        return "dead_window_ms";
    if (!time_ok(c->dead_scroll_ms) || c->dead_scroll_ms > c->dead_window_ms)
        return "dead_scroll_ms";
    if (!time_ok(c->error_window_ms))
        return "error_window_ms";
    if (!time_ok(c->repeat_window_ms))
        return "repeat_window_ms";
    if (!time_ok(c->loop_window_ms))
        return "loop_window_ms";
    if (!time_ok(c->quick_back_ms))
        return "quick_back_ms";
    if (!time_ok(c->abandon_window_ms))
        return "abandon_window_ms";
    if (!time_ok(c->score_half_life_ms) || c->score_half_life_ms == 0.0)
        return "score_half_life_ms";
    return NULL;
}

const char *pw_struggle_config_check(const pw_struggle_config *c) {
    if (!c)
        return "config";
    const char *bad = check_times(c);
    if (bad)
        return bad;
    if (!count_ok(c->rage_clicks, 2, 64))
        return "rage_clicks";
    if (!count_ok(c->repeat_failures, 2, 64))
        return "repeat_failures";
    if (!count_ok(c->loop_visits, 2, 64))
        return "loop_visits";
    if (!count_ok(c->max_pending_clicks, 1, PW_STRUGGLE_MAX_CAPACITY))
        return "max_pending_clicks";
    if (!count_ok(c->max_actions, 1, PW_STRUGGLE_MAX_CAPACITY))
        return "max_actions";
    if (!count_ok(c->max_navigations, c->loop_visits, PW_STRUGGLE_MAX_CAPACITY))
        return "max_navigations";
    if (!count_ok(c->max_queued, c->max_pending_clicks + c->max_actions + 1,
                  PW_STRUGGLE_MAX_CAPACITY))
        return "max_queued";
    return NULL;
}

void pw_struggle_free(pw_struggle *s) {
    if (!s)
        return;
    pw_allocator a = s->alloc;
    pw__free(&a, s->pending, s->cfg.max_pending_clicks * sizeof *s->pending);
    pw__free(&a, s->actions, s->cfg.max_actions * sizeof *s->actions);
    pw__free(&a, s->visits, s->cfg.max_navigations * sizeof *s->visits);
    pw__free(&a, s->queue, s->cfg.max_queued * sizeof *s->queue);
    pw__free(&a, s, sizeof *s);
}

int pw_struggle_new(const pw_struggle_config *config, const pw_allocator *alloc,
                    pw_struggle **out) {
    pw_struggle_config c = config ? *config : pw_struggle_config_default();
    if (!out || pw_struggle_config_check(&c))
        return PW_EINVAL;
    pw_struggle *s = pw__calloc(alloc, 1, sizeof *s);
    if (!s)
        return PW_ENOMEM;
    if (alloc)
        s->alloc = *alloc;
    s->cfg = c;
    s->pending = pw__calloc(alloc, c.max_pending_clicks, sizeof *s->pending);
    s->actions = pw__calloc(alloc, c.max_actions, sizeof *s->actions);
    s->visits = pw__calloc(alloc, c.max_navigations, sizeof *s->visits);
    s->queue = pw__calloc(alloc, c.max_queued, sizeof *s->queue);
    if (!s->pending || !s->actions || !s->visits || !s->queue) {
        pw_struggle_free(s);
        return PW_ENOMEM;
    }
    *out = s;
    return PW_OK;
}

void pw_struggle_reset(pw_struggle *s) {
    if (!s)
        return;
    pw_struggle keep = *s;
    memset(s, 0, sizeof *s);
    s->alloc = keep.alloc;
    s->cfg = keep.cfg;
    s->next_episode = keep.next_episode;
    s->pending = keep.pending;
    s->actions = keep.actions;
    s->visits = keep.visits;
    s->queue = keep.queue;
    /* Only the actions are read by content rather than through a count. */
    memset(s->actions, 0, s->cfg.max_actions * sizeof *s->actions);
}

/* Each kind's weight in the score's load (struggle.h). */
static const double kind_weight[PW_STRUGGLE_KIND_COUNT] = {1.0, 0.5, 0.75, 0.25, 1.0, 0.75, 1.0};

#define LN2 0.69314718055994530942

/* The load decayed from load_t to t (t >= load_t). */
static double load_at(const pw_struggle *s, double t) {
    double dt = t - s->load_t;
    if (!(dt > 0.0))
        return s->load;
    return s->load * pw__exp(-dt * (LN2 / s->cfg.score_half_life_ms));
}

double pw_struggle_score(const pw_struggle *s, double now_ms) {
    if (!s)
        return 0.0;
    double load = load_at(s, now_ms);
    return load / (1.0 + load);
}

void pw__struggle_score_reset(pw_struggle *s) {
    s->load = 0.0;
    s->load_t = s->now;
}

void pw__struggle_emit(pw_struggle *s, uint32_t kind, double t, uint32_t target, uint32_t route,
                       uint32_t count, uint32_t value) {
    pw_struggle_signal d = {kind, ++s->next_episode, t, target, route, count, value};
    if (s->queue_count < s->cfg.max_queued) {
        s->queue[(s->queue_head + s->queue_count) % s->cfg.max_queued] = d;
        s->queue_count++;
    }
    s->load = load_at(s, s->now) + kind_weight[kind];
    s->load_t = s->now;
}

/* Writes up to cap queued detections, oldest first. */
static int drain(pw_struggle *s, pw_struggle_signal *out, size_t cap) {
    uint32_t n = 0;
    while (n < cap && s->queue_count > 0) {
        out[n++] = s->queue[s->queue_head];
        s->queue_head = (s->queue_head + 1) % s->cfg.max_queued;
        s->queue_count--;
    }
    return (int)n;
}

static int event_ok(const pw_event *e) {
    return e->kind < PW_EVENT_KIND_COUNT && isfinite(e->t_ms) && isfinite(e->x) && isfinite(e->y);
}

int pw_struggle_feed(pw_struggle *s, const pw_event *events, size_t n, pw_struggle_signal *out,
                     size_t cap) {
    if (!s || (!events && n) || (!out && cap))
        return PW_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!event_ok(&events[i]))
            return PW_EINVAL;
    for (size_t i = 0; i < n; i++) {
        double t = s->clock_set && events[i].t_ms < s->now ? s->now : events[i].t_ms;
        pw__struggle_advance(s, t);
        pw__struggle_event(s, &events[i], t);
    }
    return drain(s, out, cap);
}

int pw_struggle_tick(pw_struggle *s, double now_ms, pw_struggle_signal *out, size_t cap) {
    if (!s || isnan(now_ms) || (!out && cap))
        return PW_EINVAL;
    if (isfinite(now_ms) && (!s->clock_set || now_ms > s->now))
        pw__struggle_advance(s, now_ms);
    return drain(s, out, cap);
}

const char *pw_struggle_kind_name(int kind) {
    switch (kind) {
    case PW_STRUGGLE_RAGE_CLICK:
        return "rage_click";
    case PW_STRUGGLE_DEAD_CLICK:
        return "dead_click";
    case PW_STRUGGLE_ERROR_CLICK:
        return "error_click";
    case PW_STRUGGLE_DISABLED_CLICK:
        return "disabled_click";
    case PW_STRUGGLE_REPEATED_FAILURE:
        return "repeated_failure";
    case PW_STRUGGLE_PAGE_LOOP:
        return "page_loop";
    case PW_STRUGGLE_FORM_ABANDON:
        return "form_abandon";
    default:
        return "unknown";
    }
}
