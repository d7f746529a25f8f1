/* The nudge policy (rules in nudge.h): map new detections to a candidate, keep the best one
 * waiting while the user types, and gate it on quiet routes, the session cap and the cooldown.
 * SPDX-License-Identifier: MIT */
#include "pw/nudge.h"
#include "pw/status.h"

#include <math.h>
#include <string.h>

pw_nudge_config pw_nudge_config_default(void) {
    pw_nudge_config c;
    memset(&c, 0, sizeof c);
    c.cooldown_ms = 60000.0;
    c.typing_quiet_ms = 3000.0;
    c.defer_max_ms = 10000.0;
    c.suggest_min_score = 0.6;
    c.max_per_session = 3;
    return c;
}

static int time_ok(double ms) {
    return isfinite(ms) && ms >= 0.0;
}

const char *pw_nudge_config_check(const pw_nudge_config *c) {
    if (!c)
        return "config";
    if (!time_ok(c->cooldown_ms))
        return "cooldown_ms";
    if (!time_ok(c->typing_quiet_ms))
        return "typing_quiet_ms";
    if (!time_ok(c->defer_max_ms))
        return "defer_max_ms";
    if (!(c->suggest_min_score >= 0.0 && c->suggest_min_score <= 1.0))
        return "suggest_min_score";
    if (c->quiet_route_count > PW_NUDGE_MAX_QUIET_ROUTES)
        return "quiet_route_count";
    return NULL;
}

void pw_nudge_state_init(pw_nudge_state *st) {
    if (st)
        memset(st, 0, sizeof *st);
}

const char *pw_nudge_kind_name(int kind) {
    switch (kind) {
    case PW_NUDGE_NONE:
        return "none";
    case PW_NUDGE_EXPLAIN_DISABLED_FEATURE:
        return "explain_disabled_feature";
    case PW_NUDGE_HELP_FAILING_ACTION:
        return "help_failing_action";
    case PW_NUDGE_SUGGEST_ARTICLE:
        return "suggest_article";
    default:
        return "unknown";
    }
}

static const pw_page_feature *disabled_feature(const pw_page_ctx *page, uint32_t target) {
    for (uint32_t i = 0; i < page->feature_count; i++)
        if (page->features[i].feature == target && !page->features[i].enabled)
            return &page->features[i];
    return NULL;
}

/* The nudge a detection asks for by itself; kind NONE when it asks for none. */
static pw_nudge nudge_for(const pw_struggle_signal *d, const pw_page_ctx *page) {
    pw_nudge n;
    memset(&n, 0, sizeof n);
    n.signal = d->kind;
    n.episode = d->episode;
    n.route = page->route;
    int click = d->kind == PW_STRUGGLE_DISABLED_CLICK || d->kind == PW_STRUGGLE_RAGE_CLICK ||
                d->kind == PW_STRUGGLE_DEAD_CLICK;
    const pw_page_feature *f = click ? disabled_feature(page, d->target) : NULL;
    if (f) {
        n.kind = PW_NUDGE_EXPLAIN_DISABLED_FEATURE;
        n.target = f->feature;
        n.reason = f->reason;
        n.plan_required = f->plan_required;
    } else if (d->kind == PW_STRUGGLE_PAGE_LOOP) {
        n.kind = PW_NUDGE_SUGGEST_ARTICLE;
    } else if (d->kind != PW_STRUGGLE_DISABLED_CLICK && d->kind < PW_STRUGGLE_KIND_COUNT) {
        n.kind = PW_NUDGE_HELP_FAILING_ACTION;
        n.target = d->target;
    }
    return n;
}

/* EXPLAIN ranks over HELP over SUGGEST: the most specific help first. */
static int rank(uint32_t kind) {
    return kind == PW_NUDGE_EXPLAIN_DISABLED_FEATURE ? 3
           : kind == PW_NUDGE_HELP_FAILING_ACTION    ? 2
           : kind == PW_NUDGE_SUGGEST_ARTICLE        ? 1
                                                     : 0;
}

/* Step 1: the best nudge the new detections ask for (kind NONE if none). */
static pw_nudge candidate(const pw_nudge_config *c, pw_nudge_state *st, const pw_page_ctx *page,
                          const pw_struggle_signal *signals, size_t n, double score) {
    pw_nudge best;
    memset(&best, 0, sizeof best);
    const pw_struggle_signal *newest = NULL;
    uint32_t seen = st->last_episode;
    for (size_t i = 0; i < n; i++) {
        if (signals[i].episode <= seen)
            continue;
        if (signals[i].episode > st->last_episode)
            st->last_episode = signals[i].episode;
        pw_nudge cand = nudge_for(&signals[i], page);
        if (rank(cand.kind) > 0 && rank(cand.kind) >= rank(best.kind))
            best = cand;
        if (!newest || signals[i].episode > newest->episode)
            newest = &signals[i];
    }
    if (best.kind == PW_NUDGE_NONE && newest && score >= c->suggest_min_score) {
        best.kind = PW_NUDGE_SUGGEST_ARTICLE;
        best.signal = newest->kind;
        best.episode = newest->episode;
        best.route = page->route;
    }
    return best;
}

static int quiet(const pw_nudge_config *c, uint32_t route) {
    for (uint32_t i = 0; i < c->quiet_route_count; i++)
        if (c->quiet_routes[i] == route)
            return 1;
    return 0;
}

/* Step 2: reasons to drop the waiting nudge. */
static int must_drop(const pw_nudge_config *c, const pw_nudge_state *st, const pw_page_ctx *page,
                     double now) {
    return quiet(c, page->route) || st->pending.route != page->route ||
           now - st->pending.due_ms > c->defer_max_ms || st->shown >= c->max_per_session ||
           (st->shown > 0 && now - st->last_nudge_ms < c->cooldown_ms);
}

int pw_nudge_decide(const pw_nudge_config *config, pw_nudge_state *st, const pw_page_ctx *page,
                    const pw_struggle_signal *signals, size_t n, double now_ms,
                    double last_typing_ms, double struggle_score, pw_nudge *out) {
    pw_nudge_config c = config ? *config : pw_nudge_config_default();
    if (!st || !page || !out || (!signals && n) || pw_nudge_config_check(&c) ||
        pw_page_check(page) || !isfinite(now_ms) || isnan(last_typing_ms) || isnan(struggle_score))
        return PW_EINVAL;
    memset(out, 0, sizeof *out);
    pw_nudge cand = candidate(&c, st, page, signals, n, struggle_score);
    if (cand.kind != PW_NUDGE_NONE &&
        (!st->has_pending || rank(cand.kind) >= rank(st->pending.kind))) {
        cand.due_ms = now_ms;
        st->pending = cand;
        st->has_pending = 1;
    }
    if (!st->has_pending)
        return 0;
    if (must_drop(&c, st, page, now_ms)) {
        st->has_pending = 0;
        return 0;
    }
    if (now_ms - last_typing_ms < c.typing_quiet_ms)
        return 0;
    *out = st->pending;
    st->has_pending = 0;
    st->shown++;
    st->last_nudge_ms = now_ms;
    return 1;
}
