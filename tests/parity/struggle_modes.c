/* The page, struggle and nudge parity modes. Inputs are small scripts, one statement a line, of
 * space-separated tokens; names (routes, targets, features) are hashed with pw_page_hash and
 * printed back by name, so golden files read as sentences:
 *   route:    the path itself (escapes allowed); prints the route and its hash.
 *   page:     "route=NAME plan=TIER page_id=NAME errors=N failed=N
 *              feature=NAME:enabled|disabled[:none|plan|permission|other[:TIER]]"; prints the
 *              pw_page_check verdict and the page flags.
 *   struggle: "config FIELD=VALUE..." (pw_struggle_config fields), events
 *              "KIND T [x=N] [y=N] [target=NAME] [route=NAME] [value=N|NAME] [FLAG...]",
 *              "tick T" and "score T". Consecutive events go to pw_struggle_feed in one call;
 *              prints each detection, and each score at %.6f.
 *   nudge:    "config FIELD=VALUE... [quiet=NAME...]", a "page ..." line as above,
 *              "signal KIND episode=N t=T [target=NAME] [route=NAME]" and
 *              "decide now=T [typing=T] [score=S]": the signals since the last decide go to
 *              pw_nudge_decide, with one state for the whole case; prints each outcome.
 * SPDX-License-Identifier: MIT */
#include "parity.h"
#include "pw/nudge.h"
#include "pw/page.h"
#include "pw/status.h"
#include "pw/struggle.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NAMES  64
#define MAX_TOKENS 32
#define MAX_BATCH  256

typedef struct names {
    uint32_t hash[MAX_NAMES];
    const char *text[MAX_NAMES];
    size_t count;
} names;

typedef struct script {
    char *text; /* a NUL-terminated, writable copy of the input; tokens point into it */
    names names;
} script;

static const char *const event_kinds[] = {"click",      "response",    "js_error", "request_failed",
                                          "navigation", "form_submit", "typing",   "visibility"};
static const char *const event_flags[] = {"interactive",    "disabled", "ignore",
                                          "text_selection", "stepper",  "input_target"};
static const char *const tiers[] = {"free", "starter", "pro", "enterprise"};
static const char *const reasons[] = {"none", "plan", "permission", "other"};

static int index_of(const char *const *list, size_t n, const char *s) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], s) == 0)
            return (int)i;
    return -1;
}
#define INDEX_OF(list, s) index_of(list, sizeof list / sizeof list[0], s)

/* Hashes a name and remembers it for printing. */
static uint32_t name(names *nm, const char *s) {
    uint32_t h = pw_page_hash(s, strlen(s));
    for (size_t i = 0; i < nm->count; i++)
        if (nm->hash[i] == h)
            return h;
    if (nm->count < MAX_NAMES) {
        nm->hash[nm->count] = h;
        nm->text[nm->count++] = s;
    }
    return h;
}

static void put_name(pw_buf *out, const names *nm, uint32_t h) {
    for (size_t i = 0; i < nm->count; i++)
        if (nm->hash[i] == h) {
            pw_buf_puts(out, nm->text[i]);
            return;
        }
    if (h == 0)
        pw_buf_puts(out, "-");
    else
        pw_buf_printf(out, "#%08x", (unsigned)h);
}

/* Splits a line in place on spaces. */
static size_t split(char *line, char **tokens) {
    size_t n = 0;
    for (char *p = line; *p && n < MAX_TOKENS;) {
        while (*p == ' ')
            *p++ = '\0';
        if (!*p)
            break;
        tokens[n++] = p;
        while (*p && *p != ' ')
            p++;
    }
    return n;
}

/* "key=value": splits the token and returns the value, or NULL when there is no '='. */
static char *value_of(char *token) {
    char *eq = strchr(token, '=');
    if (!eq)
        return NULL;
    *eq = '\0';
    return eq + 1;
}

static double number(const char *s) {
    if (strcmp(s, "-inf") == 0)
        return -INFINITY;
    return strtod(s, NULL);
}

static int bad(const char *what, const char *token) {
    fprintf(stderr, "parity: %s: cannot read '%s'\n", what, token);
    return -1;
}

static int tier_of(const char *s) {
    int t = INDEX_OF(tiers, s);
    return t >= 0 ? t : atoi(s);
}

/* feature=NAME:enabled|disabled[:REASON[:TIER]] */
static int parse_feature(script *sc, char *spec, pw_page_feature *f) {
    char *parts[4] = {spec, NULL, NULL, NULL};
    for (int i = 1; i < 4 && parts[i - 1]; i++) {
        char *colon = strchr(parts[i - 1], ':');
        if (colon)
            *colon = '\0', parts[i] = colon + 1;
    }
    if (!parts[1])
        return -1;
    f->feature = name(&sc->names, parts[0]);
    f->enabled = strcmp(parts[1], "enabled") == 0    ? 1u
                 : strcmp(parts[1], "disabled") == 0 ? 0u
                                                     : 9u;
    int reason = parts[2] ? INDEX_OF(reasons, parts[2]) : 0;
    f->reason = reason >= 0 ? (uint32_t)reason : 99u;
    f->plan_required = parts[3] ? (uint32_t)tier_of(parts[3]) : 0u;
    return 0;
}

static int parse_page(script *sc, char **tok, size_t n, pw_page_ctx *p) {
    for (size_t i = 0; i < n; i++) {
        char *v = value_of(tok[i]);
        if (!v)
            return bad("page", tok[i]);
        if (strcmp(tok[i], "route") == 0)
            p->route = name(&sc->names, v);
        else if (strcmp(tok[i], "page_id") == 0)
            p->page_id = name(&sc->names, v);
        else if (strcmp(tok[i], "plan") == 0)
            p->plan = (uint32_t)tier_of(v);
        else if (strcmp(tok[i], "errors") == 0)
            p->error_banners = (uint32_t)atoi(v);
        else if (strcmp(tok[i], "failed") == 0)
            p->failed_requests = (uint32_t)atoi(v);
        else if (strcmp(tok[i], "feature") == 0 && p->feature_count < PW_PAGE_CTX_MAX_FEATURES) {
            if (parse_feature(sc, v, &p->features[p->feature_count++]))
                return bad("page feature", v);
        } else
            return bad("page", tok[i]);
    }
    return 0;
}

static int load_script(const uint8_t *in, size_t len, script *sc) {
    memset(sc, 0, sizeof *sc);
    sc->text = malloc(len + 1);
    if (!sc->text)
        return -1;
    memcpy(sc->text, in, len);
    sc->text[len] = '\0';
    return 0;
}

/* Calls fn on every line (split into tokens) until it fails. */
static int each_line(script *sc, int (*fn)(script *, char **, size_t, void *), void *ctx) {
    for (char *line = sc->text; line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        char *tok[MAX_TOKENS];
        size_t n = split(line, tok);
        if (n > 0 && fn(sc, tok, n, ctx))
            return -1;
        line = nl ? nl + 1 : NULL;
    }
    return 0;
}

/* --- route -------------------------------------------------------------------------------- */

int parity_mode_route(const uint8_t *in, size_t len, pw_buf *out) {
    size_t n = 0;
    char *route = malloc(2 * len + 2);
    if (!route)
        return -1;
    int rc = pw_page_route_normalize((const char *)in, len, route, 2 * len + 2, &n);
    if (rc == PW_OK) {
        pw_buf_put(out, route, n);
        pw_buf_printf(out, "\nhash %08x", (unsigned)pw_page_hash(route, n));
    } else {
        pw_buf_printf(out, "error %s", pw_status_name(rc));
    }
    free(route);
    return 0;
}

/* --- page --------------------------------------------------------------------------------- */

static int page_line(script *sc, char **tok, size_t n, void *ctx) {
    return parse_page(sc, tok, n, ctx);
}

int parity_mode_page(const uint8_t *in, size_t len, pw_buf *out) {
    script sc;
    pw_page_ctx p;
    memset(&p, 0, sizeof p);
    if (load_script(in, len, &sc) || each_line(&sc, page_line, &p)) {
        free(sc.text);
        return -1;
    }
    const char *invalid = pw_page_check(&p);
    pw_buf_printf(out, "check %s%s\nflags", invalid ? "invalid " : "ok", invalid ? invalid : "");
    uint32_t flags = pw_page_flags(&p);
    static const char *const flag_names[] = {"feature_disabled_by_plan", "error_banner",
                                             "failed_request", "struggle"};
    for (size_t i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++)
        if (flags & (1u << i))
            pw_buf_printf(out, " %s", flag_names[i]);
    if (!flags)
        pw_buf_puts(out, " -");
    free(sc.text);
    return 0;
}

/* --- struggle ----------------------------------------------------------------------------- */

typedef struct struggle_run {
    pw_struggle_config config;
    pw_struggle *s;
    pw_event batch[MAX_BATCH];
    size_t batch_len;
    pw_buf *out;
    int lines; /* output lines so far */
} struggle_run;

static void newline(struggle_run *r) {
    if (r->lines++)
        pw_buf_puts(r->out, "\n");
}

static void put_detection(struggle_run *r, const names *nm, const pw_struggle_signal *d) {
    newline(r);
    pw_buf_printf(r->out, "%s t=%.15g target=", pw_struggle_kind_name((int)d->kind), d->t_ms);
    put_name(r->out, nm, d->target);
    pw_buf_puts(r->out, " route=");
    put_name(r->out, nm, d->route);
    pw_buf_printf(r->out, " count=%u value=", (unsigned)d->count);
    if (d->kind == PW_STRUGGLE_PAGE_LOOP)
        put_name(r->out, nm, d->value);
    else
        pw_buf_printf(r->out, "%u", (unsigned)d->value);
    pw_buf_printf(r->out, " episode=%u", (unsigned)d->episode);
}

static int put_detections(struggle_run *r, const names *nm, const pw_struggle_signal *d, int n) {
    if (n < 0) {
        newline(r);
        pw_buf_printf(r->out, "error %s", pw_status_name(n));
        return 0;
    }
    for (int i = 0; i < n; i++)
        put_detection(r, nm, &d[i]);
    return 0;
}

/* The session starts at the first statement that is not configuration. */
static int ensure_session(struggle_run *r) {
    if (r->s)
        return 0;
    int rc = pw_struggle_new(&r->config, NULL, &r->s);
    if (rc != PW_OK)
        fprintf(stderr, "parity: struggle: %s (%s)\n", pw_status_name(rc),
                pw_struggle_config_check(&r->config));
    return rc == PW_OK ? 0 : -1;
}

static int flush_batch(struggle_run *r, const names *nm) {
    pw_struggle_signal d[MAX_BATCH];
    if (!r->batch_len || ensure_session(r))
        return r->batch_len ? -1 : 0;
    int n = pw_struggle_feed(r->s, r->batch, r->batch_len, d, MAX_BATCH);
    r->batch_len = 0;
    return put_detections(r, nm, d, n);
}

static int set_config_field(pw_struggle_config *c, const char *key, const char *v) {
    struct {
        const char *name;
        double *d;
        uint32_t *u;
    } fields[] = {
        {"rage_radius_px", &c->rage_radius_px, NULL},
        {"rage_interval_ms", &c->rage_interval_ms, NULL},
        {"episode_calm_ms", &c->episode_calm_ms, NULL},
        {"dead_window_ms", &c->dead_window_ms, NULL},
        {"dead_scroll_ms", &c->dead_scroll_ms, NULL},
        {"error_window_ms", &c->error_window_ms, NULL},
        {"repeat_window_ms", &c->repeat_window_ms, NULL},
        {"loop_window_ms", &c->loop_window_ms, NULL},
        {"quick_back_ms", &c->quick_back_ms, NULL},
        {"abandon_window_ms", &c->abandon_window_ms, NULL},
        {"score_half_life_ms", &c->score_half_life_ms, NULL},
        {"rage_clicks", NULL, &c->rage_clicks},
        {"repeat_failures", NULL, &c->repeat_failures},
        {"loop_visits", NULL, &c->loop_visits},
        {"max_pending_clicks", NULL, &c->max_pending_clicks},
        {"max_actions", NULL, &c->max_actions},
        {"max_navigations", NULL, &c->max_navigations},
        {"max_queued", NULL, &c->max_queued},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (strcmp(fields[i].name, key) != 0)
            continue;
        if (fields[i].d)
            *fields[i].d = number(v);
        else
            *fields[i].u = (uint32_t)strtoul(v, NULL, 10);
        return 0;
    }
    return -1;
}

static uint32_t value_named(const char *v) {
    static const char *const value_names[] = {"mutation", "navigation", "network", "scroll"};
    int i = INDEX_OF(value_names, v);
    if (i >= 0)
        return (uint32_t)i;
    if (strcmp(v, "ok") == 0 || strcmp(v, "hidden") == 0)
        return 0;
    if (strcmp(v, "error") == 0 || strcmp(v, "visible") == 0)
        return 1;
    return (uint32_t)strtoul(v, NULL, 10);
}

static int parse_event(script *sc, char **tok, size_t n, pw_event *e) {
    memset(e, 0, sizeof *e);
    int kind = INDEX_OF(event_kinds, tok[0]);
    if (kind < 0 || n < 2)
        return bad("event", tok[0]);
    e->kind = (uint32_t)kind;
    e->t_ms = number(tok[1]);
    for (size_t i = 2; i < n; i++) {
        int flag = INDEX_OF(event_flags, tok[i]);
        char *v = flag < 0 ? value_of(tok[i]) : NULL;
        if (flag >= 0)
            e->flags |= 1u << flag;
        else if (!v)
            return bad("event", tok[i]);
        else if (strcmp(tok[i], "x") == 0)
            e->x = number(v);
        else if (strcmp(tok[i], "y") == 0)
            e->y = number(v);
        else if (strcmp(tok[i], "target") == 0)
            e->target = name(&sc->names, v);
        else if (strcmp(tok[i], "route") == 0)
            e->value = name(&sc->names, v);
        else if (strcmp(tok[i], "value") == 0)
            e->value = value_named(v);
        else
            return bad("event", tok[i]);
    }
    return 0;
}

static int struggle_line(script *sc, char **tok, size_t n, void *ctx) {
    struggle_run *r = ctx;
    if (strcmp(tok[0], "config") == 0) {
        for (size_t i = 1; i < n; i++) {
            char *v = value_of(tok[i]);
            if (!v || set_config_field(&r->config, tok[i], v))
                return bad("config", tok[i]);
        }
        return 0;
    }
    if (strcmp(tok[0], "tick") != 0 && strcmp(tok[0], "score") != 0) {
        if (r->batch_len == MAX_BATCH && flush_batch(r, &sc->names))
            return -1;
        return parse_event(sc, tok, n, &r->batch[r->batch_len++]);
    }
    if (n != 2 || flush_batch(r, &sc->names) || ensure_session(r))
        return bad(tok[0], n > 1 ? tok[1] : "");
    double t = number(tok[1]);
    if (tok[0][0] == 's') {
        newline(r);
        pw_buf_printf(r->out, "score t=%.15g %.6f", t, pw_struggle_score(r->s, t));
        return 0;
    }
    pw_struggle_signal d[MAX_BATCH];
    return put_detections(r, &sc->names, d, pw_struggle_tick(r->s, t, d, MAX_BATCH));
}

int parity_mode_struggle(const uint8_t *in, size_t len, pw_buf *out) {
    script sc;
    struggle_run r;
    memset(&r, 0, sizeof r);
    r.config = pw_struggle_config_default();
    r.out = out;
    int rc = load_script(in, len, &sc);
    if (rc == 0)
        rc = each_line(&sc, struggle_line, &r);
    if (rc == 0)
        rc = flush_batch(&r, &sc.names);
    if (rc == 0 && r.lines == 0)
        pw_buf_puts(out, "(no detections)");
    pw_struggle_free(r.s);
    free(sc.text);
    return rc;
}

/* --- nudge -------------------------------------------------------------------------------- */

typedef struct nudge_run {
    pw_nudge_config config;
    pw_nudge_state state;
    pw_page_ctx page;
    pw_struggle_signal batch[MAX_BATCH];
    size_t batch_len;
    pw_buf *out;
    int lines;
} nudge_run;

static int nudge_config(script *sc, char **tok, size_t n, nudge_run *r) {
    pw_nudge_config *c = &r->config;
    for (size_t i = 1; i < n; i++) {
        char *v = value_of(tok[i]);
        if (!v)
            return bad("config", tok[i]);
        if (strcmp(tok[i], "cooldown_ms") == 0)
            c->cooldown_ms = number(v);
        else if (strcmp(tok[i], "typing_quiet_ms") == 0)
            c->typing_quiet_ms = number(v);
        else if (strcmp(tok[i], "defer_max_ms") == 0)
            c->defer_max_ms = number(v);
        else if (strcmp(tok[i], "suggest_min_score") == 0)
            c->suggest_min_score = number(v);
        else if (strcmp(tok[i], "max_per_session") == 0)
            c->max_per_session = (uint32_t)strtoul(v, NULL, 10);
        else if (strcmp(tok[i], "quiet") == 0 && c->quiet_route_count < PW_NUDGE_MAX_QUIET_ROUTES)
            c->quiet_routes[c->quiet_route_count++] = name(&sc->names, v);
        else
            return bad("config", tok[i]);
    }
    return 0;
}

static int parse_signal(script *sc, char **tok, size_t n, pw_struggle_signal *d) {
    memset(d, 0, sizeof *d);
    d->kind = PW_STRUGGLE_KIND_COUNT;
    d->count = 1;
    for (size_t i = 1; i < n; i++) {
        char *v = value_of(tok[i]);
        if (!v)
            return bad("signal", tok[i]);
        if (strcmp(tok[i], "kind") == 0) {
            for (uint32_t k = 0; k < PW_STRUGGLE_KIND_COUNT; k++)
                if (strcmp(pw_struggle_kind_name((int)k), v) == 0)
                    d->kind = k;
        } else if (strcmp(tok[i], "episode") == 0) {
            d->episode = (uint32_t)strtoul(v, NULL, 10);
        } else if (strcmp(tok[i], "t") == 0) {
            d->t_ms = number(v);
        } else if (strcmp(tok[i], "target") == 0) {
            d->target = name(&sc->names, v);
        } else if (strcmp(tok[i], "route") == 0) {
            d->route = name(&sc->names, v);
        } else {
            return bad("signal", tok[i]);
        }
    }
    return d->kind == PW_STRUGGLE_KIND_COUNT ? bad("signal", "kind") : 0;
}

static void put_nudge(nudge_run *r, const names *nm, const pw_nudge *n) {
    pw_buf_printf(r->out, "%s signal=%s episode=%u target=", pw_nudge_kind_name((int)n->kind),
                  pw_struggle_kind_name((int)n->signal), (unsigned)n->episode);
    put_name(r->out, nm, n->target);
    pw_buf_puts(r->out, " route=");
    put_name(r->out, nm, n->route);
    if (n->kind == PW_NUDGE_EXPLAIN_DISABLED_FEATURE)
        pw_buf_printf(r->out, " reason=%s plan=%s", reasons[n->reason % 4],
                      tiers[n->plan_required % 4]);
    pw_buf_printf(r->out, " due=%.15g", n->due_ms);
}

static int nudge_decide(script *sc, char **tok, size_t n, nudge_run *r) {
    double now = NAN, typing = -INFINITY, score = 0;
    for (size_t i = 1; i < n; i++) {
        char *v = value_of(tok[i]);
        if (v && strcmp(tok[i], "now") == 0)
            now = number(v);
        else if (v && strcmp(tok[i], "typing") == 0)
            typing = number(v);
        else if (v && strcmp(tok[i], "score") == 0)
            score = number(v);
        else
            return bad("decide", tok[i]);
    }
    pw_nudge nudge;
    int rc = pw_nudge_decide(&r->config, &r->state, &r->page, r->batch, r->batch_len, now, typing,
                             score, &nudge);
    r->batch_len = 0;
    pw_buf_printf(r->out, "%sdecide now=%.15g -> ", r->lines++ ? "\n" : "", now);
    if (rc < 0)
        pw_buf_printf(r->out, "error %s", pw_status_name(rc));
    else if (rc == 0)
        pw_buf_puts(r->out, "none");
    else
        put_nudge(r, &sc->names, &nudge);
    return 0;
}

static int nudge_line(script *sc, char **tok, size_t n, void *ctx) {
    nudge_run *r = ctx;
    if (strcmp(tok[0], "config") == 0)
        return nudge_config(sc, tok, n, r);
    if (strcmp(tok[0], "page") == 0) {
        memset(&r->page, 0, sizeof r->page);
        return parse_page(sc, tok + 1, n - 1, &r->page);
    }
    if (strcmp(tok[0], "signal") == 0 && r->batch_len < MAX_BATCH)
        return parse_signal(sc, tok, n, &r->batch[r->batch_len++]);
    if (strcmp(tok[0], "decide") == 0)
        return nudge_decide(sc, tok, n, r);
    return bad("nudge", tok[0]);
}

int parity_mode_nudge(const uint8_t *in, size_t len, pw_buf *out) {
    script sc;
    nudge_run r;
    memset(&r, 0, sizeof r);
    r.config = pw_nudge_config_default();
    pw_nudge_state_init(&r.state);
    r.out = out;
    int rc = load_script(in, len, &sc);
    if (rc == 0)
        rc = each_line(&sc, nudge_line, &r);
    if (rc == 0 && r.lines == 0)
        pw_buf_puts(out, "(no decisions)");
    free(sc.text);
    return rc;
}
