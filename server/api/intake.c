/* Widget intake: page context, struggle events, boot and chat messages.
 * SPDX-License-Identifier: MIT */
#include "intake.h"
#include "../store/jsonw.h"

#include "pw/decide.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const plans[] = {"free", "starter", "pro", "enterprise", NULL};

static const char *const event_kinds[] = {
    "rage_click", "dead_click",   "error_click",    "repeated_failure",
    "page_loop",  "form_abandon", "js_error",       "failed_request",
    "navigation", "nudge_shown",  "nudge_accepted", "nudge_dismissed",
    NULL};

/* Query strings and fragments can carry tokens and personal data: they are never stored. */
static void add_url(cJSON *obj, const char *key, const char *url) {
    size_t n = strcspn(url, "?#");
    char *copy = malloc(n + 1);
    if (!copy)
        return;
    memcpy(copy, url, n);
    copy[n] = '\0';
    cJSON_AddStringToObject(obj, key, copy);
    free(copy);
}

/* s in dst[0..cap), cut to fit: snprintf's "%s" without its format parsing. */
static void copy(char *dst, size_t cap, const char *s) {
    size_t at = 0;
    dst[0] = '\0';
    pw_append(dst, cap, &at, s);
}

/* "<base>.<key>" or "<base>.<key>[<index>]" in buf: a field's name for its error, built for every
 * field a page has, so without snprintf (a tenth of the instructions of a page's intake). */
static int field_name(char *buf, size_t cap, const char *base, const char *key, int index) {
    size_t at = 0;
    buf[0] = '\0';
    pw_append(buf, cap, &at, base);
    pw_append(buf, cap, &at, ".");
    pw_append(buf, cap, &at, key);
    if (index >= 0) {
        pw_append_n(buf, cap, &at, "[", 1);
        pw_append_u64(buf, cap, &at, (uint64_t)index);
        pw_append_n(buf, cap, &at, "]", 1);
    }
    return 0;
}

/* "<item>.<key>" in buf: the name of one field of an array item ("events[3].kind"). */
static const char *item_field(char *buf, size_t cap, const char *item, const char *key) {
    field_name(buf, cap, item, key, -1);
    return buf;
}

static int page_features(const cJSON *arr, const char *field, pw_page_info *out, cJSON *norm,
                         pw_problem *p) {
    char f[160];
    field_name(f, sizeof f, field, "features", -1);
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) > PW_PAGE_MAX_FEATURES)
        return pw_problem_set(p, 400, "invalid", f, "must be an array of at most %d features",
                              PW_PAGE_MAX_FEATURES);
    static const char *const known[] = {"feature", "enabled", "reason", "plan_required", NULL};
    cJSON *list = cJSON_AddArrayToObject(norm, "features");
    int i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, arr) {
        field_name(f, sizeof f, field, "features", i++);
        const char *name, *reason, *plan_required;
        int enabled = 1, plan_index;
        char sf[192];
        if (!cJSON_IsObject(item))
            return pw_problem_set(p, 400, "invalid", f, "must be an object");
        if (pw_field_known(item, f, known, p) ||
            pw_field_string(item, "feature", item_field(sf, sizeof sf, f, "feature"), 1, 47, &name,
                            p) ||
            pw_field_bool(item, "enabled", item_field(sf, sizeof sf, f, "enabled"), &enabled, p) ||
            pw_field_string(item, "reason", item_field(sf, sizeof sf, f, "reason"), 0, 64, &reason,
                            p) ||
            pw_field_enum(item, "plan_required", item_field(sf, sizeof sf, f, "plan_required"), 0,
                          plans, &plan_index, p))
            return -1;
        plan_required = plan_index >= 0 ? plans[plan_index] : NULL;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "feature", name);
        cJSON_AddBoolToObject(o, "enabled", enabled);
        if (reason)
            cJSON_AddStringToObject(o, "reason", reason);
        if (plan_required)
            cJSON_AddStringToObject(o, "plan_required", plan_required);
        cJSON_AddItemToArray(list, o);
        if (!enabled && reason && strcmp(reason, "plan") == 0) {
            copy(out->disabled_by_plan[out->disabled_count++], 48, name);
            out->flags |= PW_PAGE_FEATURE_DISABLED_BY_PLAN;
        }
    }
    return 0;
}

static int page_errors(const cJSON *page, const char *field, pw_page_info *out, cJSON *norm,
                       pw_problem *p) {
    char f[160];
    const cJSON *errors = cJSON_GetObjectItemCaseSensitive(page, "errors");
    if (errors) {
        field_name(f, sizeof f, field, "errors", -1);
        if (!cJSON_IsArray(errors) || cJSON_GetArraySize(errors) > 20)
            return pw_problem_set(p, 400, "invalid", f, "must be an array of at most 20 strings");
        cJSON *list = cJSON_AddArrayToObject(norm, "errors");
        const cJSON *e;
        cJSON_ArrayForEach(e, errors) {
            size_t len = cJSON_IsString(e) ? strlen(e->valuestring) : 0;
            if (!cJSON_IsString(e) || len > 300 || !pw_utf8_valid(e->valuestring, len))
                return pw_problem_set(p, 400, "invalid", f,
                                      "every error must be a string of valid UTF-8 of at most "
                                      "300 bytes");
            cJSON_AddItemToArray(list, cJSON_CreateString(e->valuestring));
            out->flags |= PW_PAGE_ERROR_BANNER;
        }
    }
    const cJSON *failed = cJSON_GetObjectItemCaseSensitive(page, "failed_requests");
    if (!failed)
        return 0;
    field_name(f, sizeof f, field, "failed_requests", -1);
    if (!cJSON_IsArray(failed) || cJSON_GetArraySize(failed) > 20)
        return pw_problem_set(p, 400, "invalid", f, "must be an array of at most 20 requests");
    cJSON *list = cJSON_AddArrayToObject(norm, "failed_requests");
    static const char *const known[] = {"url", "status", "method", NULL};
    int i = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, failed) {
        field_name(f, sizeof f, field, "failed_requests", i++);
        const char *url, *method;
        int64_t status = 0;
        char sf[192];
        if (!cJSON_IsObject(r))
            return pw_problem_set(p, 400, "invalid", f, "must be an object");
        if (pw_field_known(r, f, known, p) ||
            pw_field_string(r, "url", item_field(sf, sizeof sf, f, "url"), 1, 2048, &url, p) ||
            pw_field_int(r, "status", item_field(sf, sizeof sf, f, "status"), 0, 0, 599, &status,
                         p) ||
            pw_field_string(r, "method", item_field(sf, sizeof sf, f, "method"), 0, 16, &method, p))
            return -1;
        /* Only the part before the query is kept, and the kept copy must be a valid input too. */
        if (strcspn(url, "?#") == 0)
            return pw_problem_set(p, 400, "invalid", item_field(sf, sizeof sf, f, "url"),
                                  "must have a path before any query or fragment");
        cJSON *o = cJSON_CreateObject();
        add_url(o, "url", url);
        cJSON_AddNumberToObject(o, "status", (double)status);
        if (method)
            cJSON_AddStringToObject(o, "method", method);
        cJSON_AddItemToArray(list, o);
        out->flags |= PW_PAGE_FAILED_REQUEST;
    }
    return 0;
}

int pw_intake_page(const cJSON *page, const char *field, pw_page_info *out, pw_problem *p) {
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(page))
        return pw_problem_set(p, 400, "invalid", field, "must be an object");
    static const char *const known[] = {"url",      "route",  "page_id",         "title", "plan",
                                        "features", "errors", "failed_requests", NULL};
    const char *url, *route, *page_id, *title;
    int plan;
    char f[160];
    if (pw_field_known(page, field, known, p))
        return -1;
    if ((field_name(f, sizeof f, field, "url", -1),
         pw_field_string(page, "url", f, 0, 2048, &url, p)) ||
        (field_name(f, sizeof f, field, "route", -1),
         pw_field_string(page, "route", f, 1, sizeof out->route - 1, &route, p)) ||
        (field_name(f, sizeof f, field, "page_id", -1),
         pw_field_string(page, "page_id", f, 0, sizeof out->page_id - 1, &page_id, p)) ||
        (field_name(f, sizeof f, field, "title", -1),
         pw_field_string(page, "title", f, 0, 300, &title, p)) ||
        (field_name(f, sizeof f, field, "plan", -1),
         pw_field_enum(page, "plan", f, 0, plans, &plan, p)))
        return -1;
    if (route[0] != '/')
        return field_name(f, sizeof f, field, "route", -1),
               pw_problem_set(p, 400, "invalid", f, "must be a path starting with '/'");
    copy(out->route, sizeof out->route, route);
    copy(out->page_id, sizeof out->page_id, page_id ? page_id : "");
    copy(out->plan, sizeof out->plan, plan >= 0 ? plans[plan] : "");
    cJSON *norm = cJSON_CreateObject();
    if (url)
        add_url(norm, "url", url);
    cJSON_AddStringToObject(norm, "route", route);
    if (page_id)
        cJSON_AddStringToObject(norm, "page_id", page_id);
    if (title)
        cJSON_AddStringToObject(norm, "title", title);
    if (plan >= 0)
        cJSON_AddStringToObject(norm, "plan", plans[plan]);
    const cJSON *features = cJSON_GetObjectItemCaseSensitive(page, "features");
    int rc = (features && page_features(features, field, out, norm, p)) ||
                     page_errors(page, field, out, norm, p)
                 ? -1
                 : 0;
    if (rc == 0 && !(out->json = cJSON_PrintUnformatted(norm)))
        rc = pw_problem_set(p, 500, "internal", NULL, "out of memory");
    cJSON_Delete(norm);
    return rc;
}

void pw_intake_events_free(pw_struggle_event *events, size_t count) {
    for (size_t i = 0; i < count; i++) {
        cJSON_free(events[i].detail);
        events[i].detail = NULL;
    }
}

static int one_event(const cJSON *e, const char *f, pw_struggle_event *out, pw_problem *p) {
    static const char *const known[] = {"kind", "at", "route", "page_id", "target", "detail", NULL};
    const char *route, *page_id, *target;
    int kind;
    int64_t at;
    char sf[128];
    if (!cJSON_IsObject(e))
        return pw_problem_set(p, 400, "invalid", f, "must be an object");
    if (pw_field_known(e, f, known, p) ||
        pw_field_enum(e, "kind", item_field(sf, sizeof sf, f, "kind"), 1, event_kinds, &kind, p) ||
        pw_field_int(e, "at", item_field(sf, sizeof sf, f, "at"), 1, 0, 4102444800000LL, &at, p) ||
        pw_field_string(e, "route", item_field(sf, sizeof sf, f, "route"), 1, sizeof out->route - 1,
                        &route, p) ||
        pw_field_string(e, "page_id", item_field(sf, sizeof sf, f, "page_id"), 0, 64, &page_id,
                        p) ||
        pw_field_string(e, "target", item_field(sf, sizeof sf, f, "target"), 0, 200, &target, p))
        return -1;
    if (route[0] != '/')
        return pw_problem_set(p, 400, "invalid", item_field(sf, sizeof sf, f, "route"),
                              "must be a path starting with '/'");
    const cJSON *detail = cJSON_GetObjectItemCaseSensitive(e, "detail");
    if (detail && !cJSON_IsNull(detail) && !cJSON_IsObject(detail))
        return pw_problem_set(p, 400, "invalid", item_field(sf, sizeof sf, f, "detail"),
                              "must be an object");
    if (cJSON_IsNull(detail))
        detail = NULL;
    copy(out->kind, sizeof out->kind, event_kinds[kind]);
    copy(out->route, sizeof out->route, route);
    out->at = at;
    /* Detail is kept as sent (bounded by the body limit); target and page id join it. */
    cJSON *d = detail ? cJSON_Duplicate(detail, 1) : cJSON_CreateObject();
    if (d && target)
        cJSON_AddStringToObject(d, "target", target);
    if (d && page_id)
        cJSON_AddStringToObject(d, "page_id", page_id);
    out->detail = d ? cJSON_PrintUnformatted(d) : NULL;
    cJSON_Delete(d);
    if (!out->detail)
        return pw_problem_set(p, 500, "internal", NULL, "out of memory");
    /* cJSON prints bytes of 0x80 and above as they came: the printed detail is valid UTF-8
     * exactly when every key and string in it is. */
    if (!pw_utf8_valid(out->detail, strlen(out->detail))) {
        cJSON_free(out->detail);
        out->detail = NULL;
        return pw_problem_set(p, 400, "invalid", item_field(sf, sizeof sf, f, "detail"),
                              "must be valid UTF-8");
    }
    return 0;
}

int pw_intake_events(const cJSON *arr, const char *field, pw_struggle_event *out, size_t cap,
                     size_t *count, pw_problem *p) {
    *count = 0;
    if (!cJSON_IsArray(arr) || (size_t)cJSON_GetArraySize(arr) > cap)
        return pw_problem_set(p, 400, "invalid", field, "must be an array of at most %zu events",
                              cap);
    const cJSON *e;
    cJSON_ArrayForEach(e, arr) {
        char f[96];
        snprintf(f, sizeof f, "%s[%zu]", field, *count);
        memset(&out[*count], 0, sizeof out[*count]);
        if (one_event(e, f, &out[*count], p)) {
            pw_intake_events_free(out, *count);
            *count = 0;
            return -1;
        }
        (*count)++;
    }
    return 0;
}

int pw_intake_boot(const cJSON *body, pw_boot_in *out, pw_problem *p) {
    memset(out, 0, sizeof *out);
    static const char *const known[] = {"app_key", "user", "page", NULL};
    static const char *const user_known[] = {"id", "email", "name", "plan", "hash", NULL};
    if (pw_field_known(body, NULL, known, p) ||
        pw_field_string(body, "app_key", "app_key", 1, 63, &out->app_key, p))
        return -1;
    const cJSON *user = cJSON_GetObjectItemCaseSensitive(body, "user");
    if (!user || cJSON_IsNull(user))
        return 0;
    int plan;
    if (!cJSON_IsObject(user))
        return pw_problem_set(p, 400, "invalid", "user", "must be an object");
    if (pw_field_known(user, "user", user_known, p) ||
        pw_field_string(user, "id", "user.id", 0, 128, &out->user_id, p) ||
        pw_field_string(user, "email", "user.email", 0, 256, &out->email, p) ||
        pw_field_string(user, "name", "user.name", 0, 128, &out->name, p) ||
        pw_field_enum(user, "plan", "user.plan", 0, plans, &plan, p) ||
        pw_field_string(user, "hash", "user.hash", 0, 128, &out->hash, p))
        return -1;
    out->plan = plan >= 0 ? plans[plan] : NULL;
    if (out->email && !strchr(out->email, '@'))
        return pw_problem_set(p, 400, "invalid", "user.email", "must be an email address");
    if (out->hash && !out->user_id)
        return pw_problem_set(p, 400, "invalid", "user.hash", "needs user.id");
    return 0;
}

/* Everything but the events: pw_intake_events clears each event it fills and event_count says
 * how many there are, and clearing all PW_EVENTS_MAX of them was 30 KB of memset a message. */
static void clear_message_body(pw_message_body *m) {
    memset(m, 0, offsetof(pw_message_body, events));
    m->event_count = 0;
}

int pw_intake_message(const cJSON *body, size_t max_text, pw_message_body *out, pw_problem *p) {
    clear_message_body(out);
    static const char *const known[] = {
        "text", "client_id", "conversation_id", "page", "struggle", "channel", NULL};
    /* The widget in a host app, or the same widget on the help portal. */
    static const char *const channels[] = {"widget", "portal", NULL};
    int channel;
    if (pw_field_known(body, NULL, known, p) ||
        pw_field_string(body, "text", "text", 1, max_text, &out->text, p) ||
        pw_field_string(body, "client_id", "client_id", 0, 64, &out->client_id, p) ||
        pw_field_int(body, "conversation_id", "conversation_id", 0, 1, INT64_MAX / 2,
                     &out->conversation_id, p) ||
        pw_field_enum(body, "channel", "channel", 0, channels, &channel, p))
        return -1;
    out->channel = channel >= 0 ? channels[channel] : "widget";
    const cJSON *page = cJSON_GetObjectItemCaseSensitive(body, "page");
    if (page && !cJSON_IsNull(page)) {
        if (pw_intake_page(page, "page", &out->page, p))
            return pw_message_body_free(out), -1;
        out->has_page = 1;
    }
    const cJSON *struggle = cJSON_GetObjectItemCaseSensitive(body, "struggle");
    if (struggle &&
        pw_intake_events(struggle, "struggle", out->events, PW_EVENTS_MAX, &out->event_count, p))
        return pw_message_body_free(out), -1;
    return 0;
}

void pw_message_body_free(pw_message_body *m) {
    pw_page_info_free(&m->page);
    pw_intake_events_free(m->events, m->event_count);
    m->event_count = 0;
}
