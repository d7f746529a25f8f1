/* The struggle detectors (definitions and their sources are in struggle.h): each event kind
 * updates the few pieces of state its detectors need, and detections go to the session's
 * queue. Loops run over the fixed rings only, so a pathological stream costs at most
 * O(max capacity) per event.
 * SPDX-License-Identifier: MIT */
#include "pw/struggle.h"
#include "struggle_int.h"

#include <stdint.h>
#include <string.h>

static int has(const pw_event *e, uint32_t flags) {
    return (e->flags & flags) != 0;
}

static uint32_t bump(uint32_t n) {
    return n < UINT32_MAX ? n + 1 : n;
}

/* True when a detection on `target` at `t` belongs to the open episode; either way the episode
 * is now this one, so a steady stream of them stays one episode. */
static int continues(pw__episode *ep, uint32_t target, double t, double calm) {
    int same = ep->active && ep->target == target && t - ep->last_t < calm;
    ep->active = 1;
    ep->target = target;
    ep->last_t = t;
    return same;
}

/* --- dead clicks: a ring of clicks waiting for a response, oldest first ---------------------- */

static pw__pending_click *pending_at(pw_struggle *s, uint32_t i) {
    return &s->pending[(s->pending_head + i) % s->cfg.max_pending_clicks];
}

static pw__pending_click pop_oldest(pw_struggle *s) {
    pw__pending_click p = *pending_at(s, 0);
    s->pending_head = (s->pending_head + 1) % s->cfg.max_pending_clicks;
    s->pending_count--;
    return p;
}

static void push_pending(pw_struggle *s, double t, uint32_t target, uint32_t seq) {
    if (s->pending_count == s->cfg.max_pending_clicks)
        pop_oldest(s); /* full: the oldest goes unjudged */
    pw__pending_click p = {t, target, s->route, seq};
    *pending_at(s, s->pending_count++) = p;
}

/* Every waiting click got its response. */
static void resolve_all(pw_struggle *s) {
    s->pending_count = 0;
}

/* Clicks made within `within` ms before t got their response (a scroll). They are the newest. */
static void resolve_recent(pw_struggle *s, double t, double within) {
    while (s->pending_count > 0 && t - pending_at(s, s->pending_count - 1)->t <= within)
        s->pending_count--;
}

void pw__struggle_advance(pw_struggle *s, double t) {
    s->now = t;
    s->clock_set = 1;
    while (s->pending_count > 0 && t - pending_at(s, 0)->t > s->cfg.dead_window_ms) {
        pw__pending_click p = pop_oldest(s);
        if (!continues(&s->dead_ep, p.target, p.t, s->cfg.episode_calm_ms))
            pw__struggle_emit(s, PW_STRUGGLE_DEAD_CLICK, p.t, p.target, p.route, 1, 0);
    }
    for (uint32_t i = 0; i < s->cfg.max_actions; i++) {
        pw__action *a = &s->actions[i];
        if (a->form_error && t - a->form_error_t > s->cfg.abandon_window_ms)
            a->form_error = 0; /* the user stayed with the form: not abandoned */
    }
}

/* --- clicks ------------------------------------------------------------------------------- */

static void rage_click(pw_struggle *s, const pw_event *e, double t) {
    const pw_struggle_config *c = &s->cfg;
    if (has(e, PW_EVENT_TEXT_SELECTION | PW_EVENT_STEPPER | PW_EVENT_INPUT_TARGET)) {
        s->rage_count = 0;
        return;
    }
    if (s->rage_active && t - s->rage_t >= c->episode_calm_ms)
        s->rage_active = 0;
    double dx = e->x - s->rage_x, dy = e->y - s->rage_y;
    int near = s->rage_count > 0 && t - s->rage_t <= c->rage_interval_ms &&
               dx * dx + dy * dy <= c->rage_radius_px * c->rage_radius_px;
    s->rage_count = near ? bump(s->rage_count) : 1;
    s->rage_t = t;
    s->rage_x = e->x;
    s->rage_y = e->y;
    if (s->rage_count >= c->rage_clicks && !s->rage_active) {
        s->rage_active = 1;
        pw__struggle_emit(s, PW_STRUGGLE_RAGE_CLICK, t, e->target, s->route, s->rage_count, 0);
    }
}

static void on_click(pw_struggle *s, const pw_event *e, double t) {
    rage_click(s, e, t);
    uint32_t seq = ++s->next_seq;
    if (has(e, PW_EVENT_DISABLED)) {
        s->last_click.valid = 0; /* an error now is not this click's doing */
        if (!continues(&s->disabled_ep, e->target, t, s->cfg.episode_calm_ms))
            pw__struggle_emit(s, PW_STRUGGLE_DISABLED_CLICK, t, e->target, s->route, 1, 0);
        return;
    }
    pw__last_click last = {1, 0, e->target, s->route, seq, t};
    s->last_click = last;
    if (has(e, PW_EVENT_INTERACTIVE) && !has(e, PW_EVENT_TEXT_SELECTION | PW_EVENT_INPUT_TARGET))
        push_pending(s, t, e->target, seq);
}

/* --- failures: per-action counts and form errors ----------------------------------------- */

static pw__action *find_action(pw_struggle *s, uint32_t target) {
    for (uint32_t i = 0; i < s->cfg.max_actions; i++)
        if (s->actions[i].used && s->actions[i].target == target)
            return &s->actions[i];
    return NULL;
}

/* The action for `target`, taking a free slot or the one that failed longest ago. */
static pw__action *action_for(pw_struggle *s, uint32_t target) {
    pw__action *a = find_action(s, target);
    if (a)
        return a;
    a = &s->actions[0];
    for (uint32_t i = 0; i < s->cfg.max_actions && a->used; i++)
        if (!s->actions[i].used || s->actions[i].last_failure_t < a->last_failure_t)
            a = &s->actions[i];
    memset(a, 0, sizeof *a);
    a->used = 1;
    a->target = target;
    return a;
}

static pw__action *record_failure(pw_struggle *s, uint32_t target, double t) {
    const pw_struggle_config *c = &s->cfg;
    pw__action *a = action_for(s, target);
    if (a->failures > 0 && t - a->last_failure_t <= c->repeat_window_ms) {
        a->failures = bump(a->failures);
    } else {
        a->failures = 1;
        a->fired = 0;
    }
    a->last_failure_t = t;
    if (a->failures >= c->repeat_failures && !a->fired) {
        a->fired = 1;
        pw__struggle_emit(s, PW_STRUGGLE_REPEATED_FAILURE, t, target, s->route, a->failures, 0);
    }
    return a;
}

static void on_error(pw_struggle *s, const pw_event *e, double t) {
    pw__last_click *lc = &s->last_click;
    if (e->kind == PW_EVENT_REQUEST_FAILED)
        resolve_all(s); /* a request went out: the page did react */
    if (!lc->valid || lc->errored || t - lc->t > s->cfg.error_window_ms)
        return;
    lc->errored = 1;
    /* The click is the newest one; if it still waits for a response, it is not dead. */
    if (s->pending_count > 0 && pending_at(s, s->pending_count - 1)->seq == lc->seq)
        s->pending_count--;
    uint32_t status = e->kind == PW_EVENT_REQUEST_FAILED ? e->value : 0;
    if (!continues(&s->error_ep, lc->target, lc->t, s->cfg.episode_calm_ms))
        pw__struggle_emit(s, PW_STRUGGLE_ERROR_CLICK, lc->t, lc->target, lc->route, 1, status);
    record_failure(s, lc->target, t);
}

/* Every form error still waiting is abandoned (how: 0 navigated away, 1 hidden). */
static void abandon_forms(pw_struggle *s, double t, uint32_t how) {
    for (uint32_t i = 0; i < s->cfg.max_actions; i++) {
        pw__action *a = &s->actions[i];
        if (a->form_error) {
            a->form_error = 0;
            pw__struggle_emit(s, PW_STRUGGLE_FORM_ABANDON, t, a->target, a->form_route, 1, how);
        }
    }
}

static void on_form(pw_struggle *s, const pw_event *e, double t) {
    resolve_all(s);
    if (e->value == PW_FORM_ERROR) {
        pw__action *a = record_failure(s, e->target, t);
        a->form_error = 1;
        a->form_route = s->route;
        a->form_error_t = t;
    } else if (e->value == PW_FORM_OK) {
        pw__action *a = find_action(s, e->target);
        if (a)
            a->failures = 0, a->fired = 0, a->form_error = 0;
    }
}

/* --- navigation: page loops and quick backs --------------------------------------------- */

static const pw__visit *visit_at(const pw_struggle *s, uint32_t i) {
    return &s->visits[(s->visit_head + i) % s->cfg.max_navigations];
}

static void push_visit(pw_struggle *s, uint32_t route, double t) {
    uint32_t cap = s->cfg.max_navigations;
    if (s->visit_count == cap) {
        s->visit_head = (s->visit_head + 1) % cap;
        s->visit_count--;
    }
    pw__visit v = {t, route};
    s->visits[(s->visit_head + s->visit_count++) % cap] = v;
}

/* A quick back: A -> B -> A, where B was left within quick_back_ms. Sets *bounced to B. */
static int quick_back(const pw_struggle *s, uint32_t route, double t, uint32_t *bounced) {
    uint32_t n = s->visit_count;
    if (s->cfg.quick_back_ms <= 0.0 || n < 2)
        return 0;
    const pw__visit *b = visit_at(s, n - 1), *a = visit_at(s, n - 2);
    if (a->route != route || b->route == route || t - b->t > s->cfg.quick_back_ms)
        return 0;
    *bounced = b->route;
    return 1;
}

static void page_loop(pw_struggle *s, uint32_t route, double t) {
    const pw_struggle_config *c = &s->cfg;
    if (s->loop_active && t - s->last_nav_t > c->loop_window_ms)
        s->loop_active = 0;
    s->last_nav_t = t;
    uint32_t bounced = 0;
    int quick = quick_back(s, route, t, &bounced);
    push_visit(s, route, t);
    uint32_t visits = 0;
    for (uint32_t i = 0; i < s->visit_count; i++) {
        const pw__visit *v = visit_at(s, i);
        if (v->route == route && t - v->t <= c->loop_window_ms)
            visits++;
    }
    if (!s->loop_active && (visits >= c->loop_visits || quick)) {
        s->loop_active = 1;
        pw__struggle_emit(s, PW_STRUGGLE_PAGE_LOOP, t, 0, route, visits, bounced);
    }
}

static void on_navigation(pw_struggle *s, const pw_event *e, double t) {
    resolve_all(s);
    uint32_t route = e->value;
    if (route != s->route) {
        abandon_forms(s, t, 0);
        pw__struggle_score_reset(s);
    }
    page_loop(s, route, t);
    s->route = route;
}

void pw__struggle_event(pw_struggle *s, const pw_event *e, double t) {
    if (has(e, PW_EVENT_IGNORE))
        return;
    switch (e->kind) {
    case PW_EVENT_CLICK:
        on_click(s, e, t);
        break;
    case PW_EVENT_RESPONSE:
        if (e->value == PW_RESPONSE_SCROLL)
            resolve_recent(s, t, s->cfg.dead_scroll_ms);
        else
            resolve_all(s);
        break;
    case PW_EVENT_JS_ERROR:
    case PW_EVENT_REQUEST_FAILED:
        on_error(s, e, t);
        break;
    case PW_EVENT_NAVIGATION:
        on_navigation(s, e, t);
        break;
    case PW_EVENT_FORM_SUBMIT:
        on_form(s, e, t);
        break;
    case PW_EVENT_VISIBILITY:
        if (e->value == 0) { /* hidden: a link that opened a tab reacted; forms are left */
            resolve_all(s);
            abandon_forms(s, t, 1);
        }
        break;
    default: /* TYPING: only the nudge policy reads it, through its caller */
        break;
    }
}
