/* Struggle detection: the widget turns DOM events into plain numeric records (pw_event) and a
 * session turns the stream into detections: rage clicks, dead clicks, error clicks, clicks on
 * disabled controls, repeated failures of one action, page loops and forms abandoned after an
 * error, plus a struggle score that decays with time. A session holds fixed buffers sized at
 * creation: feeding it never allocates. Time is the caller's, in milliseconds (as
 * performance.now() gives it); the session never reads a clock. One session per page session
 * and thread.
 * SPDX-License-Identifier: MIT */
#ifndef PW_STRUGGLE_H
#define PW_STRUGGLE_H

#include "pw/alloc.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pw_event_kind {
    PW_EVENT_CLICK = 0,          /* a click (or tap) at x, y on `target` */
    PW_EVENT_RESPONSE = 1,       /* the page reacted: value is a pw_response_kind */
    PW_EVENT_JS_ERROR = 2,       /* an uncaught error or unhandled rejection */
    PW_EVENT_REQUEST_FAILED = 3, /* value: the HTTP status, 0 for a network error */
    PW_EVENT_NAVIGATION = 4,     /* value: the new route's hash (pw_page_hash of the route) */
    PW_EVENT_FORM_SUBMIT = 5,    /* target: the form; value: a pw_form_result */
    PW_EVENT_TYPING = 6,         /* keystrokes in a field (throttled; no text ever crosses) */
    PW_EVENT_VISIBILITY = 7      /* value: 0 hidden, 1 visible */
} pw_event_kind;
#define PW_EVENT_KIND_COUNT 8
/* Values outside an enum are read leniently, never refused: a RESPONSE of unknown kind is a
 * response (not a scroll), a FORM_SUBMIT that is neither OK nor ERROR only answers a click, a
 * VISIBILITY other than 0 is visible. */

typedef enum pw_response_kind {
    PW_RESPONSE_MUTATION = 0,   /* the DOM changed */
    PW_RESPONSE_NAVIGATION = 1, /* a navigation that keeps the route (hash change, same route) */
    PW_RESPONSE_NETWORK = 2,    /* a request started */
    PW_RESPONSE_SCROLL = 3      /* the page scrolled */
} pw_response_kind;

typedef enum pw_form_result { PW_FORM_OK = 0, PW_FORM_ERROR = 1 } pw_form_result;

/* Bits of pw_event.flags, set by the widget from the event's target. */
typedef enum pw_event_flag {
    PW_EVENT_INTERACTIVE = 1u << 0,    /* a link, button, input, [role=button], [onclick]... */
    PW_EVENT_DISABLED = 1u << 1,       /* :disabled or aria-disabled="true" */
    PW_EVENT_IGNORE = 1u << 2,         /* inside [data-pw-ignore]: every detector skips it */
    PW_EVENT_TEXT_SELECTION = 1u << 3, /* the click selected text (a double or triple click) */
    PW_EVENT_STEPPER = 1u << 4,        /* a stepper or pagination control: clicked in series */
    PW_EVENT_INPUT_TARGET = 1u << 5    /* a text field: clicks there place the caret */
} pw_event_flag;

/* One event as the widget captured it. `target` is pw_page_hash of the element's feature name
 * when the element (or an ancestor) declares one (data-pw-feature, see page.h), else of a
 * stable selector for it; 0 when there is none. Fields a kind does not use are ignored. */
typedef struct pw_event {
    uint32_t kind;   /* a pw_event_kind */
    uint32_t flags;  /* pw_event_flag bits */
    double t_ms;     /* when it happened, in ms on the caller's monotonic clock */
    double x, y;     /* CLICK: viewport position in CSS pixels */
    uint32_t target; /* CLICK, FORM_SUBMIT: the element's hash */
    uint32_t value;  /* per kind, see pw_event_kind */
} pw_event;

/* What a session detects. Names (pw_struggle_kind_name) match the server's event kinds. */
typedef enum pw_struggle_kind {
    PW_STRUGGLE_RAGE_CLICK = 0,       /* "rage_click" */
    PW_STRUGGLE_DEAD_CLICK = 1,       /* "dead_click" */
    PW_STRUGGLE_ERROR_CLICK = 2,      /* "error_click" */
    PW_STRUGGLE_DISABLED_CLICK = 3,   /* "disabled_click" */
    PW_STRUGGLE_REPEATED_FAILURE = 4, /* "repeated_failure" */
    PW_STRUGGLE_PAGE_LOOP = 5,        /* "page_loop" */
    PW_STRUGGLE_FORM_ABANDON = 6      /* "form_abandon" */
} pw_struggle_kind;
#define PW_STRUGGLE_KIND_COUNT 7

/* One detection: one per episode (below). */
typedef struct pw_struggle_signal {
    uint32_t kind;    /* a pw_struggle_kind */
    uint32_t episode; /* 1, 2, ... in detection order; never reused by a session */
    double t_ms;      /* the deciding event: the click for click kinds, else the event */
    uint32_t target;  /* the clicked element or the form; 0 for PAGE_LOOP */
    uint32_t route;   /* the route hash the user was on (for FORM_ABANDON: the form's route) */
    uint32_t count;   /* RAGE: clicks in the burst; REPEATED_FAILURE: failures; PAGE_LOOP:
                         visits to the route in the window; 1 otherwise */
    uint32_t value;   /* ERROR_CLICK: the HTTP status of a failed request, 0 for a JS error;
                         PAGE_LOOP: the route bounced off for a quick back, else 0;
                         FORM_ABANDON: 0 navigated away, 1 page hidden; 0 otherwise */
} pw_struggle_signal;

/* The detectors and their defaults (pw_struggle_config_default). Times are ms; a time "within"
 * a window is inclusive (a response 2500 ms after a click is in time, 2501 ms is not).
 *
 *  - Rage click: rage_clicks (3) clicks, each within rage_radius_px (30, Euclidean) and
 *    rage_interval_ms (1000) of the previous one. PostHog's posthog-js RageClick uses exactly
 *    these (30 px, 1 s, 3 clicks); Datadog RUM counts "more than three times in a one-second
 *    sliding window". Clicks flagged TEXT_SELECTION (double/triple click on text), STEPPER or
 *    INPUT_TARGET never count and break the burst. Clicks on disabled controls count: hammering
 *    a disabled button is the rage we most want to explain.
 *  - Dead click: a click on an INTERACTIVE target, not DISABLED, TEXT_SELECTION or INPUT_TARGET,
 *    with no response within dead_window_ms (2500): no RESPONSE (mutation, navigation,
 *    network), NAVIGATION, FORM_SUBMIT or REQUEST_FAILED; a scroll counts only within
 *    dead_scroll_ms (200) of the click; the page becoming hidden counts (a link that opened a
 *    tab). posthog-js dead-clicks autocapture: a mutation within 2500 ms or a scroll within
 *    200 ms (later versions 100 ms) means not dead; Microsoft Clarity: "no feedback from the
 *    page in a reasonable amount of time ... no navigation away". A click waits at most
 *    dead_window_ms for its verdict, given by the first event or tick past the window. The
 *    session holds max_pending_clicks (32) clicks awaiting a verdict; beyond that the oldest
 *    is dropped unreported. A click that becomes an error click is not also dead.
 *  - Error click: a JS_ERROR or REQUEST_FAILED within error_window_ms (1000) after the latest
 *    click (not DISABLED). Datadog RUM: "a user clicks on an element right before a JavaScript
 *    error occurs"; Datadog mobile allows 100 ms after the action ends. One per click.
 *  - Disabled click: any click on a DISABLED target, reported at once with its target, so the
 *    nudge can explain the disabled feature.
 *  - Repeated failure: the same action fails repeat_failures (2) times, each within
 *    repeat_window_ms (60000) of the previous failure. An action is a target: a click that
 *    became an error click fails its target, a FORM_SUBMIT with PW_FORM_ERROR fails its form;
 *    a FORM_SUBMIT with PW_FORM_OK clears its form's count. Pagewise's own rule: no public
 *    definition exists. max_actions (16) actions are tracked; a new one replaces the one that
 *    failed longest ago.
 *  - Page loop: a NAVIGATION to a route visited loop_visits (3) times (this visit included)
 *    within loop_window_ms (15000); or a quick back, A -> B -> A with B left within
 *    quick_back_ms (5000) of arriving (Microsoft Clarity's "quick back": the user "goes to a new
 *    page then returns to the previous page in a period of time shorter than a defined
 *    threshold"; 0 disables it). A reload is a navigation to the same route and counts as a
 *    visit. The last max_navigations (16) navigations are remembered.
 *  - Form abandonment: a FORM_SUBMIT with PW_FORM_ERROR, then within abandon_window_ms (60000)
 *    a NAVIGATION to another route or VISIBILITY hidden, with no PW_FORM_OK for that form in
 *    between. Pagewise's own rule.
 *
 * Episodes: each detection is one episode. A rage episode lasts while rage-eligible clicks
 * keep coming less than episode_calm_ms (2000) apart: the burst does not fire again until
 * 2 s of calm. Dead, error and disabled clicks on the same target less than episode_calm_ms
 * after the previous one of their kind on that target extend its episode instead of firing
 * (a burst of clicks on one broken button is one dead click). A repeated-failure episode lasts
 * until its action has not failed for repeat_window_ms; a page-loop episode while navigations
 * keep coming within loop_window_ms of each other; a form abandonment clears its form.
 *
 * Events carrying PW_EVENT_IGNORE only move the clock. Events must come in time order; an
 * event older than the latest one seen is taken as happening at that latest time (observers
 * can report a little late).
 *
 * The struggle score is about the route the user is on: every detection adds its weight
 * (rage click, repeated failure, form abandonment 1; error click, page loop 0.75; dead click
 * 0.5; disabled click 0.25) to a load that halves every score_half_life_ms (120000), and the
 * score is load / (1 + load), in [0, 1). A navigation to another route starts it again at 0.
 * Two rage clicks within a minute score about 0.6. */
typedef struct pw_struggle_config {
    double rage_radius_px;       /* 30 */
    double rage_interval_ms;     /* 1000 */
    double episode_calm_ms;      /* 2000 */
    double dead_window_ms;       /* 2500 */
    double dead_scroll_ms;       /* 200 */
    double error_window_ms;      /* 1000 */
    double repeat_window_ms;     /* 60000 */
    double loop_window_ms;       /* 15000 */
    double quick_back_ms;        /* 5000; 0 disables quick backs */
    double abandon_window_ms;    /* 60000 */
    double score_half_life_ms;   /* 120000 */
    uint32_t rage_clicks;        /* 3 */
    uint32_t repeat_failures;    /* 2 */
    uint32_t loop_visits;        /* 3 */
    uint32_t max_pending_clicks; /* 32 */
    uint32_t max_actions;        /* 16 */
    uint32_t max_navigations;    /* 16 */
    uint32_t max_queued;         /* 64: detections waiting for a caller with room; at least
                                    max_pending_clicks + max_actions + 1, the most one event can
                                    give (every waiting click found dead, every waiting form
                                    abandoned, a page loop) */
} pw_struggle_config;

#define PW_STRUGGLE_MAX_CAPACITY 4096 /* for each max_* above */

/* The defaults above. */
pw_struggle_config pw_struggle_config_default(void);

/* NULL when valid, else the name of the first invalid field: every time finite and >= 0
 * (rage_radius_px, score_half_life_ms, rage_interval_ms and dead_window_ms > 0, dead_scroll_ms
 * <= dead_window_ms), rage_clicks, repeat_failures and loop_visits from 2 to 64, each max_*
 * from 1 to PW_STRUGGLE_MAX_CAPACITY, max_navigations >= loop_visits, max_queued >=
 * max_pending_clicks + max_actions + 1. NULL config is "config". Static strings. */
const char *pw_struggle_config_check(const pw_struggle_config *config);

typedef struct pw_struggle pw_struggle;

/* Creates a session; copies `config` (NULL for the defaults). Returns PW_OK, PW_EINVAL (NULL
 * out or an invalid config, see pw_struggle_config_check) or PW_ENOMEM (nothing left
 * allocated). Caller frees with pw_struggle_free. */
int pw_struggle_new(const pw_struggle_config *config, const pw_allocator *alloc, pw_struggle **out);

/* Frees the session and everything it holds. NULL is a no-op. */
void pw_struggle_free(pw_struggle *s);

/* Forgets every event, open episode, queued detection and the score, as a new session would;
 * episode numbers keep counting up, so a nudge state never mistakes a new episode for an old
 * one. NULL is a no-op. */
void pw_struggle_reset(pw_struggle *s);

/* Feeds events[0..n) in order. Detections go to a queue (max_queued; when it is full the
 * newest are dropped) from which up to `cap` of the oldest are written to `out`; the rest wait
 * for the next feed or tick. One event never fills an empty queue, so a caller that feeds one
 * event at a time and drains the queue after each never loses a detection. Returns how many were
 * written (0..cap), or PW_EINVAL (NULL session, NULL events with n > 0, NULL out with cap > 0, an
 * event with an unknown kind or a non-finite t_ms, x or y): then no event is processed. Never
 * allocates; deterministic: the same events give the same detections however they are split into
 * calls. Borrows `events` and `out` for the call only. */
int pw_struggle_feed(pw_struggle *s, const pw_event *events, size_t n, pw_struggle_signal *out,
                     size_t cap);

/* Moves the session's clock to now_ms without an event, closing the windows that ended by
 * then (dead clicks are only known when their window closes: call this from a timer, e.g.
 * every second), and writes queued detections like pw_struggle_feed. A now_ms not after the
 * clock (or -infinity) only delivers queued detections: call it until it returns less than
 * `cap` to drain the queue. Returns the count written, or PW_EINVAL (NULL session, NaN now_ms,
 * NULL out with cap > 0). */
int pw_struggle_tick(pw_struggle *s, double now_ms, pw_struggle_signal *out, size_t cap);

/* The struggle score at now_ms (see above), in [0, 1); a now_ms before the last detection
 * counts as that time. 0 for NULL. Pure: does not move the clock. */
double pw_struggle_score(const pw_struggle *s, double now_ms);

/* "rage_click", "dead_click", "error_click", "disabled_click", "repeated_failure",
 * "page_loop", "form_abandon"; "unknown" out of range. Static. */
const char *pw_struggle_kind_name(int kind);

#ifdef __cplusplus
}
#endif

#endif
