/* Checks shared by the intake fuzz targets, and the server function they need without linking
 * the whole server (harness/no_send.c stands in for the API's sender).
 * SPDX-License-Identifier: MIT */
#include "intake_check.h"

#include "../../server/api/api.h"
#include "pw/decide.h"

#include <stdlib.h>
#include <string.h>

const char *const fuzz_plans[] = {"free", "starter", "pro", "enterprise", NULL};

static const char *const event_kinds[] = {
    "rage_click", "dead_click",   "error_click",    "repeated_failure",
    "page_loop",  "form_abandon", "js_error",       "failed_request",
    "navigation", "nudge_shown",  "nudge_accepted", "nudge_dismissed",
    NULL};

/* The page context's owner frees it in pipeline.c, which links the store, the engine and the
 * knowledge base. This is the same body: the intake's only allocation in a page is its JSON
 * copy, so anything else it starts to allocate shows up here as a leak. */
void pw_page_info_free(pw_page_info *p) {
    if (p) {
        free(p->json);
        p->json = NULL;
    }
}

/* Strict UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), written
 * apart from request.c's so that the two are checked against each other. */
static int utf8_valid(const unsigned char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        unsigned cp, low;
        if (c >= 0xC2 && c <= 0xDF)
            len = 2, cp = c & 0x1F, low = 0x80;
        else if (c >= 0xE0 && c <= 0xEF)
            len = 3, cp = c & 0x0F, low = 0x800;
        else if (c >= 0xF0 && c <= 0xF4)
            len = 4, cp = c & 0x07, low = 0x10000;
        else
            return 0;
        if (n - i < len)
            return 0;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        if (cp < low || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += len;
    }
    return 1;
}

void fuzz_check_text(const char *s, size_t min_bytes, size_t max_bytes) {
    if (!s)
        return;
    size_t n = strlen(s);
    if (n < min_bytes || n > max_bytes || !utf8_valid((const unsigned char *)s, n))
        abort();
}

void fuzz_check_name(const char *s, const char *const *names, int may_be_null) {
    if (!s) {
        if (!may_be_null)
            abort();
        return;
    }
    for (size_t i = 0; names[i]; i++)
        if (strcmp(s, names[i]) == 0)
            return;
    abort();
}

void fuzz_check_problem(const pw_problem *p) {
    if (p->status != 400 || !p->code || !p->message[0])
        abort();
    if (strcmp(p->code, "invalid") != 0 && strcmp(p->code, "bad_json") != 0)
        abort();
    if (strcmp(p->code, "invalid") == 0 && !p->field[0])
        abort(); /* every refusal of a field names it */
    fuzz_check_text(p->field, 0, sizeof p->field - 1);
    fuzz_check_text(p->message, 1, sizeof p->message - 1);
}

cJSON *fuzz_parse_body(const uint8_t *data, size_t size) {
    pw_problem p;
    memset(&p, 0, sizeof p);
    cJSON *body = pw_parse_json_object((const char *)data, size, &p);
    if (!body)
        fuzz_check_problem(&p);
    else if (!cJSON_IsObject(body))
        abort();
    return body;
}

/* Aborts unless json is a valid UTF-8 text that parses as one JSON object; returns the tree. */
static cJSON *parse_object(const char *json) {
    if (!json || !utf8_valid((const unsigned char *)json, strlen(json)))
        abort();
    cJSON *tree = cJSON_Parse(json);
    if (!cJSON_IsObject(tree))
        abort();
    return tree;
}

static void check_array_string(const char *s, size_t size, size_t min_bytes) {
    if (!memchr(s, '\0', size))
        abort();
    fuzz_check_text(s, min_bytes, size - 1);
}

void fuzz_check_page(const pw_page_info *page) {
    static const char *const plans_or_none[] = {"", "free", "starter", "pro", "enterprise", NULL};
    check_array_string(page->route, sizeof page->route, 1);
    check_array_string(page->page_id, sizeof page->page_id, 0);
    check_array_string(page->plan, sizeof page->plan, 0);
    if (page->route[0] != '/')
        abort();
    fuzz_check_name(page->plan, plans_or_none, 0);
    if (page->disabled_count > PW_PAGE_MAX_FEATURES)
        abort();
    for (size_t i = 0; i < page->disabled_count; i++)
        check_array_string(page->disabled_by_plan[i], sizeof page->disabled_by_plan[i], 1);
    uint32_t known =
        PW_PAGE_FEATURE_DISABLED_BY_PLAN | PW_PAGE_ERROR_BANNER | PW_PAGE_FAILED_REQUEST;
    if ((page->flags & ~known) != 0 ||
        !(page->flags & PW_PAGE_FEATURE_DISABLED_BY_PLAN) != !page->disabled_count)
        abort();
    cJSON *tree = parse_object(page->json);
    pw_page_info again;
    pw_problem p;
    if (pw_intake_page(tree, "page", &again, &p) != 0)
        abort(); /* what the intake stores, it accepts */
    if (strcmp(again.json, page->json) != 0 || strcmp(again.route, page->route) != 0 ||
        strcmp(again.page_id, page->page_id) != 0 || strcmp(again.plan, page->plan) != 0 ||
        again.flags != page->flags || again.disabled_count != page->disabled_count)
        abort();
    for (size_t i = 0; i < page->disabled_count; i++)
        if (strcmp(again.disabled_by_plan[i], page->disabled_by_plan[i]) != 0)
            abort();
    pw_page_info_free(&again);
    cJSON_Delete(tree);
}

void fuzz_check_events(const pw_struggle_event *events, size_t count) {
    if (count > PW_EVENTS_MAX)
        abort();
    for (size_t i = 0; i < count; i++) {
        const pw_struggle_event *e = &events[i];
        check_array_string(e->kind, sizeof e->kind, 1);
        check_array_string(e->route, sizeof e->route, 1);
        fuzz_check_name(e->kind, event_kinds, 0);
        if (e->route[0] != '/' || e->at < 0 || e->at > 4102444800000LL)
            abort();
        cJSON_Delete(parse_object(e->detail));
    }
}
