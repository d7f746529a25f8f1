/* Knowledge-base hits as the API's SearchResult objects (search endpoint, ticket suggestions),
 * written as JSON text (store/jsonw.h) so a Ticket's suggestions join the view's text with no
 * tree built and printed in between.
 * SPDX-License-Identifier: MIT */
#include "api.h"
#include "../store/jsonw.h"

#include <stdio.h>
#include <string.h>

static void string_member(pw_jsonw *w, const char *key, const char *s) {
    pw_jsonw_key(w, key);
    pw_jsonw_string(w, s, strlen(s));
}

static void bool_member(pw_jsonw *w, const char *key, int v) {
    pw_jsonw_key(w, key);
    pw_jsonw_bool(w, v);
}

/* The search endpoint's extras: how the hit relates to the intent and to the asker's plan. */
static void extras(pw_jsonw *w, const pw_kb_hit *h, const char *plan) {
    bool_member(w, "intent_match", h->intent_match);
    pw_jsonw_key(w, "plan_required");
    if (h->plan_required[0])
        pw_jsonw_string(w, h->plan_required, strlen(h->plan_required));
    else
        pw_jsonw_null(w);
    bool_member(w, "plan_blocked", pw_kb_plan_blocks(h->plan_required, plan));
}

/* A relevance score needs six significant digits, not the 17 a double round-trips with. */
void pw_api_write_search_results(pw_jsonw *w, const pw_kb_hit *hits, int n, int with_extras,
                                 const char *plan) {
    pw_jsonw_open(w, '[');
    for (int i = 0; i < n; i++) {
        const pw_kb_hit *h = &hits[i];
        char score[32];
        int len = snprintf(score, sizeof score, "%.6g", h->score);
        pw_jsonw_open(w, '{');
        pw_jsonw_key(w, "id");
        pw_jsonw_int(w, h->id);
        string_member(w, "slug", h->slug);
        string_member(w, "title", h->title);
        string_member(w, "snippet", h->snippet);
        pw_jsonw_key(w, "score");
        pw_jsonw_raw(w, score, (size_t)len);
        bool_member(w, "route_match", h->route_match);
        if (with_extras)
            extras(w, h, plan);
        pw_jsonw_close(w, '}');
    }
    pw_jsonw_close(w, ']');
}
