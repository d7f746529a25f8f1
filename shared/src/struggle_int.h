/* The struggle session's layout, shared by the lifecycle and queue (struggle.c) and the
 * detectors (struggle_detect.c). Every array is sized at creation from the configuration.
 * SPDX-License-Identifier: MIT */
#ifndef PW_STRUGGLE_INT_H
#define PW_STRUGGLE_INT_H

#include "pw/struggle.h"

#include <stdint.h>

/* A click waiting for a response (dead-click candidates), oldest first in a ring. */
typedef struct pw__pending_click {
    double t;
    uint32_t target, route;
    uint32_t seq; /* the click's number, to find it again for an error click */
} pw__pending_click;

/* An action (a target or a form) that failed, for repeated failures and form abandonment. */
typedef struct pw__action {
    uint32_t used, target;
    uint32_t failures; /* in the current run, each within repeat_window_ms of the last */
    uint32_t fired;    /* this run already gave a REPEATED_FAILURE */
    double last_failure_t;
    uint32_t form_error; /* a form error waits for a success, a departure or the window */
    uint32_t form_route; /* the route the form error happened on */
    double form_error_t;
} pw__action;

typedef struct pw__visit {
    double t;
    uint32_t route;
} pw__visit;

/* One episode of a kind: a detection on `target` extends it (instead of firing again) while
 * the next one comes less than episode_calm_ms after `last_t`. */
typedef struct pw__episode {
    uint32_t active, target;
    double last_t;
} pw__episode;

/* The latest click, which an error within error_window_ms is blamed on. */
typedef struct pw__last_click {
    uint32_t valid, errored, target, route, seq;
    double t;
} pw__last_click;

struct pw_struggle {
    pw_allocator alloc;
    pw_struggle_config cfg;
    uint32_t clock_set; /* 0 until the first event or tick */
    double now;         /* the latest time seen */
    uint32_t route;     /* the route of the latest NAVIGATION, 0 before one */
    uint32_t next_episode, next_seq;

    /* rage clicks: the current burst and the open episode */
    uint32_t rage_count, rage_active;
    double rage_t, rage_x, rage_y;

    pw__last_click last_click;
    pw__episode dead_ep, error_ep, disabled_ep;

    pw__pending_click *pending; /* ring of cfg.max_pending_clicks */
    uint32_t pending_head, pending_count;
    pw__action *actions; /* cfg.max_actions */
    pw__visit *visits;   /* ring of cfg.max_navigations */
    uint32_t visit_head, visit_count;
    uint32_t loop_active;
    double last_nav_t;

    pw_struggle_signal *queue; /* ring of cfg.max_queued */
    uint32_t queue_head, queue_count;

    double load, load_t; /* the score's load as of load_t */
};

/* Runs one event (already validated) through every detector, at time `t` (the event's time,
 * never before the clock). Detections go to the queue. */
void pw__struggle_event(pw_struggle *s, const pw_event *e, double t);

/* Closes the windows that ended by `t` (dead clicks, form errors) and moves the clock. */
void pw__struggle_advance(pw_struggle *s, double t);

/* Queues a detection with the next episode number and adds its weight to the score. */
void pw__struggle_emit(pw_struggle *s, uint32_t kind, double t, uint32_t target, uint32_t route,
                       uint32_t count, uint32_t value);

/* Starts the score again at 0 (a new route). */
void pw__struggle_score_reset(pw_struggle *s);

#endif
