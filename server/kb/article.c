/* Articles as JSON: the strict intake shared by the API and the seed import, and the Article
 * object the API answers. Intake copies what it keeps, so the cJSON tree can go right after.
 * SPDX-License-Identifier: MIT */
#include "kb.h"
#include "kb_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const article_keys[] = {
    "slug",          "title",     "body",          "variants",   "intents",   "feature",
    "plan_required", "plan_note", "internal_note", "human_only", "published", NULL};
static const char *const variant_keys[] = {"route", "page_id", "steps", NULL};
static const char *const plans[] = {"free", "starter", "pro", "enterprise", NULL};

static void free_strings(char **s, size_t n) {
    for (size_t i = 0; i < n; i++)
        free(s[i]);
    free(s);
}

void pw_kb_article_free(pw_kb_article *a) {
    if (!a)
        return;
    free(a->slug);
    free(a->title);
    free(a->body);
    free(a->feature);
    free(a->plan_required);
    free(a->plan_note);
    free(a->internal_note);
    free_strings(a->intents, a->intent_count);
    for (size_t i = 0; i < a->variant_count; i++) {
        free(a->variants[i].route);
        free(a->variants[i].page_id);
        free_strings(a->variants[i].steps, a->variants[i].step_count);
    }
    free(a->variants);
    memset(a, 0, sizeof *a);
}

static int out_of_memory(pw_problem *p) {
    return pw_problem_set(p, 500, "internal", NULL, "out of memory");
}

/* Copies s (NULL stays NULL) into *dst. */
static int copy(const char *s, char **dst, pw_problem *p) {
    if (!s)
        return 0;
    size_t n = strlen(s) + 1;
    if (!(*dst = malloc(n)))
        return out_of_memory(p);
    memcpy(*dst, s, n);
    return 0;
}

static int blank(const char *s) {
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return 0;
    return 1;
}

/* Text that names something (routes, features): no spaces or control characters. */
static int has_space_or_control(const char *s) {
    for (const unsigned char *u = (const unsigned char *)s; *u; u++)
        if (*u <= 0x20 || *u == 0x7f)
            return 1;
    return 0;
}

static int valid_slug(const char *s) {
    size_t n = strlen(s);
    if (n == 0 || n > PW_KB_SLUG_MAX || s[0] == '-' || s[n - 1] == '-')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && s[i + 1] != '-');
        if (!ok)
            return 0;
    }
    return 1;
}

static int valid_intent(const char *s) {
    size_t n = strlen(s);
    if (n == 0 || n > PW_KB_INTENT_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return 0;
    return 1;
}

/* An optional text field: absent, null and "" all leave *dst NULL. */
static int optional_text(const cJSON *obj, const char *key, size_t max, char **dst, pw_problem *p) {
    const char *s;
    if (pw_field_string(obj, key, key, 0, max, &s, p))
        return -1;
    return s && *s ? copy(s, dst, p) : 0;
}

static int required_text(const cJSON *obj, const char *key, size_t max, char **dst, pw_problem *p) {
    const char *s;
    if (pw_field_string(obj, key, key, 1, max, &s, p))
        return -1;
    if (blank(s))
        return pw_problem_set(p, 400, "invalid", key, "must not be blank");
    return copy(s, dst, p);
}

static int read_text(const cJSON *obj, pw_kb_article *a, pw_problem *p) {
    const char *slug;
    if (pw_field_string(obj, "slug", "slug", 1, PW_KB_SLUG_MAX, &slug, p))
        return -1;
    if (!valid_slug(slug))
        return pw_problem_set(p, 400, "invalid", "slug",
                              "must be lowercase letters and digits in words joined by single "
                              "hyphens (at most %d bytes)",
                              PW_KB_SLUG_MAX);
    if (copy(slug, &a->slug, p) || required_text(obj, "title", PW_KB_TITLE_MAX, &a->title, p) ||
        required_text(obj, "body", PW_KB_BODY_MAX, &a->body, p) ||
        optional_text(obj, "feature", PW_KB_FEATURE_MAX, &a->feature, p) ||
        optional_text(obj, "plan_note", PW_KB_NOTE_MAX, &a->plan_note, p) ||
        optional_text(obj, "internal_note", PW_KB_INTERNAL_MAX, &a->internal_note, p))
        return -1;
    if (a->feature && has_space_or_control(a->feature))
        return pw_problem_set(p, 400, "invalid", "feature", "must not contain spaces");
    int plan;
    if (pw_field_enum(obj, "plan_required", "plan_required", 0, plans, &plan, p))
        return -1;
    return plan >= 0 ? copy(plans[plan], &a->plan_required, p) : 0;
}

/* A string item of an array: non-empty, UTF-8, at most max bytes. */
static int item_text(const cJSON *item, const char *field, size_t max, const char **out,
                     pw_problem *p) {
    if (!cJSON_IsString(item))
        return pw_problem_set(p, 400, "invalid", field, "must be a string");
    size_t n = strlen(item->valuestring);
    if (n == 0 || blank(item->valuestring))
        return pw_problem_set(p, 400, "invalid", field, "must not be empty");
    if (n > max)
        return pw_problem_set(p, 400, "invalid", field, "must be at most %zu bytes", max);
    if (!pw__kb_utf8_valid(item->valuestring, n))
        return pw_problem_set(p, 400, "invalid", field, "must be valid UTF-8");
    *out = item->valuestring;
    return 0;
}

/* The array at obj[key]: NULL when absent or null (and not required); -1 when not an array or
 * longer than max. */
static int get_array(const cJSON *obj, const char *key, const char *field, int required, int max,
                     const cJSON **out, pw_problem *p) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = NULL;
    if (!v || cJSON_IsNull(v))
        return required ? pw_problem_set(p, 400, "invalid", field, "is required") : 0;
    if (!cJSON_IsArray(v))
        return pw_problem_set(p, 400, "invalid", field, "must be an array");
    if (cJSON_GetArraySize(v) > max)
        return pw_problem_set(p, 400, "invalid", field, "must have at most %d items", max);
    *out = v;
    return 0;
}

static int read_intents(const cJSON *obj, pw_kb_article *a, pw_problem *p) {
    const cJSON *arr, *item;
    if (get_array(obj, "intents", "intents", 0, PW_KB_MAX_INTENTS, &arr, p))
        return -1;
    int n = arr ? cJSON_GetArraySize(arr) : 0;
    if (n == 0)
        return 0;
    if (!(a->intents = calloc((size_t)n, sizeof *a->intents)))
        return out_of_memory(p);
    cJSON_ArrayForEach(item, arr) {
        char field[32];
        const char *s;
        snprintf(field, sizeof field, "intents[%zu]", a->intent_count);
        if (item_text(item, field, PW_KB_INTENT_MAX, &s, p))
            return -1;
        if (!valid_intent(s))
            return pw_problem_set(p, 400, "invalid", field,
                                  "must be lowercase letters, digits and underscores");
        for (size_t i = 0; i < a->intent_count; i++)
            if (strcmp(a->intents[i], s) == 0)
                return pw_problem_set(p, 400, "invalid", field, "repeats intents[%zu]", i);
        if (copy(s, &a->intents[a->intent_count], p))
            return -1;
        a->intent_count++;
    }
    return 0;
}

static int read_steps(const cJSON *obj, const char *prefix, pw_kb_variant *v, pw_problem *p) {
    char field[128];
    const cJSON *arr, *item;
    snprintf(field, sizeof field, "%s.steps", prefix);
    if (get_array(obj, "steps", field, 1, PW_KB_MAX_STEPS, &arr, p))
        return -1;
    int n = cJSON_GetArraySize(arr);
    if (n == 0)
        return pw_problem_set(p, 400, "invalid", field, "must have at least one step");
    if (!(v->steps = calloc((size_t)n, sizeof *v->steps)))
        return out_of_memory(p);
    cJSON_ArrayForEach(item, arr) {
        const char *s;
        snprintf(field, sizeof field, "%s.steps[%zu]", prefix, v->step_count);
        if (item_text(item, field, PW_KB_STEP_MAX, &s, p) || copy(s, &v->steps[v->step_count], p))
            return -1;
        v->step_count++;
    }
    return 0;
}

static int read_variant(const cJSON *obj, const char *prefix, pw_kb_variant *v, pw_problem *p) {
    char field[128];
    const char *route, *page_id;
    if (!cJSON_IsObject(obj))
        return pw_problem_set(p, 400, "invalid", prefix, "must be an object");
    if (pw_field_known(obj, prefix, variant_keys, p))
        return -1;
    snprintf(field, sizeof field, "%s.route", prefix);
    if (pw_field_string(obj, "route", field, 0, PW_KB_ROUTE_MAX, &route, p))
        return -1;
    if (route && (route[0] != '/' || has_space_or_control(route)))
        return pw_problem_set(p, 400, "invalid", field, "must start with / and have no spaces");
    snprintf(field, sizeof field, "%s.page_id", prefix);
    if (pw_field_string(obj, "page_id", field, 0, PW_KB_PAGE_ID_MAX, &page_id, p))
        return -1;
    if (page_id && (!*page_id || has_space_or_control(page_id)))
        return pw_problem_set(p, 400, "invalid", field, "must be non-empty, without spaces");
    if (!route && !page_id)
        return pw_problem_set(p, 400, "invalid", prefix, "needs a route or a page_id");
    if (copy(route, &v->route, p) || copy(page_id, &v->page_id, p))
        return -1;
    return read_steps(obj, prefix, v, p);
}

/* Two variants for one page would make the answer depend on their order. */
static int check_unique_page(const pw_kb_article *a, size_t k, const char *prefix, pw_problem *p) {
    const pw_kb_variant *v = &a->variants[k];
    for (size_t i = 0; i < k; i++) {
        const pw_kb_variant *u = &a->variants[i];
        int route = v->route && u->route && strcmp(v->route, u->route) == 0;
        int page = v->page_id && u->page_id && strcmp(v->page_id, u->page_id) == 0;
        if (route || page) {
            char field[128];
            snprintf(field, sizeof field, "%s.%s", prefix, route ? "route" : "page_id");
            return pw_problem_set(p, 400, "invalid", field, "repeats the %s of variants[%zu]",
                                  route ? "route" : "page_id", i);
        }
    }
    return 0;
}

static int read_variants(const cJSON *obj, pw_kb_article *a, pw_problem *p) {
    const cJSON *arr, *item;
    if (get_array(obj, "variants", "variants", 0, PW_KB_MAX_VARIANTS, &arr, p))
        return -1;
    int n = arr ? cJSON_GetArraySize(arr) : 0;
    if (n == 0)
        return 0;
    if (!(a->variants = calloc((size_t)n, sizeof *a->variants)))
        return out_of_memory(p);
    cJSON_ArrayForEach(item, arr) {
        char prefix[32];
        size_t k = a->variant_count++; /* counted first, so a half-read variant is freed too */
        snprintf(prefix, sizeof prefix, "variants[%zu]", k);
        if (read_variant(item, prefix, &a->variants[k], p) || check_unique_page(a, k, prefix, p))
            return -1;
    }
    return 0;
}

int pw_kb_article_from_json(const cJSON *obj, pw_kb_article *out, pw_problem *p) {
    memset(out, 0, sizeof *out);
    out->published = 1;
    if (!cJSON_IsObject(obj))
        return pw_problem_set(p, 400, "invalid", NULL, "an article must be a JSON object");
    if (pw_field_known(obj, NULL, article_keys, p) || read_text(obj, out, p) ||
        pw_field_bool(obj, "human_only", "human_only", &out->human_only, p) ||
        pw_field_bool(obj, "published", "published", &out->published, p) ||
        read_intents(obj, out, p) || read_variants(obj, out, p)) {
        pw_kb_article_free(out);
        return -1;
    }
    return 0;
}

/* Adds key: s, or key: null when s is NULL. */
static int add_nullable(cJSON *o, const char *key, const char *s) {
    return (s ? cJSON_AddStringToObject(o, key, s) : cJSON_AddNullToObject(o, key)) != NULL;
}

/* Adds key: [s[0], ...]. (cJSON_CreateStringArray refuses a NULL array even for zero items.) */
static int add_strings(cJSON *o, const char *key, char *const *s, size_t n) {
    cJSON *arr = n ? cJSON_CreateStringArray((const char *const *)s, (int)n) : cJSON_CreateArray();
    if (arr && cJSON_AddItemToObject(o, key, arr))
        return 1;
    cJSON_Delete(arr);
    return 0;
}

static int add_variant(cJSON *arr, const pw_kb_variant *v) {
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(arr, o)) {
        cJSON_Delete(o);
        return 0;
    }
    return (!v->route || cJSON_AddStringToObject(o, "route", v->route)) &&
           (!v->page_id || cJSON_AddStringToObject(o, "page_id", v->page_id)) &&
           add_strings(o, "steps", v->steps, v->step_count);
}

static int add_variants(cJSON *o, const pw_kb_article *a) {
    cJSON *arr = cJSON_AddArrayToObject(o, "variants");
    int ok = arr != NULL;
    for (size_t i = 0; ok && i < a->variant_count; i++)
        ok = add_variant(arr, &a->variants[i]);
    return ok;
}

cJSON *pw_kb_article_to_json(const pw_kb_article *a, int for_agent) {
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    int ok = cJSON_AddNumberToObject(o, "id", (double)a->id) &&
             cJSON_AddStringToObject(o, "slug", a->slug) &&
             cJSON_AddStringToObject(o, "title", a->title) &&
             cJSON_AddStringToObject(o, "body", a->body) && add_variants(o, a) &&
             add_strings(o, "intents", a->intents, a->intent_count) &&
             add_nullable(o, "feature", a->feature) &&
             add_nullable(o, "plan_required", a->plan_required) &&
             add_nullable(o, "plan_note", a->plan_note) &&
             (!for_agent || add_nullable(o, "internal_note", a->internal_note)) &&
             cJSON_AddBoolToObject(o, "human_only", a->human_only) &&
             cJSON_AddBoolToObject(o, "published", a->published) &&
             cJSON_AddNumberToObject(o, "created_at", (double)a->created_at) &&
             cJSON_AddNumberToObject(o, "updated_at", (double)a->updated_at);
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}
