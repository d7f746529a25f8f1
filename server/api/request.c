/* Request reading and field validation shared by every resource.
 * SPDX-License-Identifier: MIT */
#include "request.h"
#include "api.h"

#include <civetweb.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The length (1..4) of the valid UTF-8 sequence at u[0..avail), or 0 when the bytes there are
 * not one (a stray continuation byte, an overlong form, a surrogate, past U+10FFFF, cut short). */
static size_t utf8_seq(const unsigned char *u, size_t avail) {
    unsigned c = u[0];
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || n > avail || (n == 2 && c < 0xC2) || (n == 4 && c > 0xF4))
        return 0;
    for (size_t k = 1; k < n; k++)
        if ((u[k] & 0xC0) != 0x80)
            return 0;
    if (n == 3 && ((c == 0xE0 && u[1] < 0xA0) || (c == 0xED && u[1] > 0x9F)))
        return 0;
    if (n == 4 && ((c == 0xF0 && u[1] < 0x90) || (c == 0xF4 && u[1] > 0x8F)))
        return 0;
    return n;
}

/* The field goes back to the client in the error JSON, and it can hold the client's own bytes
 * (an unknown key): a byte that starts no valid UTF-8 sequence is written as '?', and a
 * sequence that does not fit is left out, so the error is valid UTF-8 whatever was sent. */
static void copy_field(char *dst, size_t cap, const char *field) {
    size_t len = strlen(field), o = 0;
    for (size_t i = 0, n; i < len; i += n ? n : 1) {
        n = utf8_seq((const unsigned char *)field + i, len - i);
        if (o + (n ? n : 1) >= cap)
            break;
        if (n)
            memcpy(dst + o, field + i, n);
        else
            dst[o] = '?';
        o += n ? n : 1;
    }
    dst[o] = '\0';
}

int pw_problem_set(pw_problem *p, int status, const char *code, const char *field, const char *fmt,
                   ...) {
    p->status = status;
    p->code = code;
    copy_field(p->field, sizeof p->field, field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->message, sizeof p->message, fmt, ap);
    va_end(ap);
    return -1;
}

int pw_problem_send(struct mg_connection *conn, const pw_problem *p) {
    return pw_api_send_error(conn, p->status, p->code, p->field[0] ? p->field : NULL, p->message);
}

cJSON *pw_parse_json_object(const char *data, size_t len, pw_problem *p) {
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(data, len, &end, 0);
    if (!root) {
        pw_problem_set(p, 400, "bad_json", NULL, "the body is not valid JSON (at byte %zu)",
                       end ? (size_t)(end - data) : (size_t)0);
        return NULL;
    }
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        pw_problem_set(p, 400, "bad_json", NULL, "the body must be a JSON object");
        return NULL;
    }
    return root;
}

cJSON *pw_request_json(struct mg_connection *conn, size_t limit, int want_object, pw_problem *p) {
    const struct mg_request_info *ri = mg_get_request_info(conn);
    if (ri->content_length > (long long)limit) {
        pw_problem_set(p, 413, "too_large", NULL, "the body is larger than %zu bytes", limit);
        return NULL;
    }
    /* A declared length sizes the buffer; chunked bodies have none: read up to the limit plus
     * one byte to tell. */
    if (ri->content_length >= 0)
        limit = (size_t)ri->content_length;
    char *buf = malloc(limit + 1);
    if (!buf) {
        pw_problem_set(p, 500, "internal", NULL, "out of memory");
        return NULL;
    }
    size_t len = 0;
    int n;
    while (len <= limit && (n = mg_read(conn, buf + len, limit + 1 - len)) > 0)
        len += (size_t)n;
    cJSON *root = NULL;
    if (len > limit)
        pw_problem_set(p, 413, "too_large", NULL, "the body is larger than %zu bytes", limit);
    else if (len == 0)
        pw_problem_set(p, 400, "bad_json", NULL, "the request needs a JSON body");
    else if (want_object)
        root = pw_parse_json_object(buf, len, p);
    else if (!(root = cJSON_ParseWithLength(buf, len)))
        pw_problem_set(p, 400, "bad_json", NULL, "the body is not valid JSON");
    free(buf);
    return root;
}

int pw_request_query(struct mg_connection *conn, const char *name, char *buf, size_t cap) {
    const char *qs = mg_get_request_info(conn)->query_string;
    if (!qs)
        return 0;
    int n = mg_get_var(qs, strlen(qs), name, buf, cap);
    if (n == -2)
        return -1;
    return n < 0 ? 0 : n;
}

static int parse_i64(const char *s, int64_t *out) {
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || end == s)
        return -1;
    *out = v;
    return 0;
}

int pw_request_page(struct mg_connection *conn, int *limit, int64_t *cursor, pw_problem *p) {
    char buf[32];
    int64_t v;
    *limit = 50;
    *cursor = 0;
    int n = pw_request_query(conn, "limit", buf, sizeof buf);
    if (n != 0 && (n < 0 || parse_i64(buf, &v) || v < 1 || v > 200))
        return pw_problem_set(p, 400, "invalid", "limit", "must be an integer from 1 to 200");
    if (n > 0)
        *limit = (int)v;
    n = pw_request_query(conn, "cursor", buf, sizeof buf);
    if (n != 0 && (n < 0 || parse_i64(buf, &v) || v < 0))
        return pw_problem_set(p, 400, "invalid", "cursor", "is not a cursor this API returned");
    if (n > 0)
        *cursor = v;
    return 0;
}

int64_t pw_request_path_id(struct mg_connection *conn, const char *prefix, const char **rest) {
    const char *uri = mg_get_request_info(conn)->local_uri;
    size_t plen = strlen(prefix);
    if (strncmp(uri, prefix, plen) != 0)
        return -1;
    const char *s = uri + plen;
    int64_t id = 0;
    int digits = 0;
    for (; *s >= '0' && *s <= '9' && digits < 18; s++, digits++)
        id = id * 10 + (*s - '0');
    if (digits == 0 || id <= 0 || (*s && *s != '/'))
        return -1;
    *rest = s;
    return id;
}

/* cJSON accepts any bytes inside strings; the store and the core want valid UTF-8. */
int pw_utf8_valid(const char *s, size_t len) {
    for (size_t i = 0, n; i < len; i += n)
        if (!(n = utf8_seq((const unsigned char *)s + i, len - i)))
            return 0;
    return 1;
}

int pw_field_string(const cJSON *obj, const char *key, const char *field, int required,
                    size_t max_bytes, const char **out, pw_problem *p) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = NULL;
    if (!v || cJSON_IsNull(v))
        return required ? pw_problem_set(p, 400, "invalid", field, "is required") : 0;
    if (!cJSON_IsString(v))
        return pw_problem_set(p, 400, "invalid", field, "must be a string");
    size_t len = strlen(v->valuestring);
    if (required && len == 0)
        return pw_problem_set(p, 400, "invalid", field, "must not be empty");
    if (len > max_bytes)
        return pw_problem_set(p, 400, "invalid", field, "must be at most %zu bytes", max_bytes);
    if (!pw_utf8_valid(v->valuestring, len))
        return pw_problem_set(p, 400, "invalid", field, "must be valid UTF-8");
    *out = v->valuestring;
    return 0;
}

int pw_field_int(const cJSON *obj, const char *key, const char *field, int required, int64_t min,
                 int64_t max, int64_t *out, pw_problem *p) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v || cJSON_IsNull(v))
        return required ? pw_problem_set(p, 400, "invalid", field, "is required") : 0;
    /* Within int64_t before converting: a double outside it (1e400 parses as inf) is undefined
     * behaviour to convert. The bounds are then compared as integers: (double)max may round up
     * (INT64_MAX / 2 becomes 2^62), which would let max + 1 through. */
    double d = cJSON_IsNumber(v) ? v->valuedouble : 0.5;
    if (!cJSON_IsNumber(v) || !(d >= -0x1p63 && d < 0x1p63) || d != (double)(int64_t)d ||
        (int64_t)d < min || (int64_t)d > max)
        return pw_problem_set(p, 400, "invalid", field, "must be an integer from %lld to %lld",
                              (long long)min, (long long)max);
    *out = (int64_t)d;
    return 0;
}

int pw_field_bool(const cJSON *obj, const char *key, const char *field, int *out, pw_problem *p) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsBool(v))
        return pw_problem_set(p, 400, "invalid", field, "must be true or false");
    *out = cJSON_IsTrue(v);
    return 0;
}

int pw_field_enum(const cJSON *obj, const char *key, const char *field, int required,
                  const char *const *names, int *out, pw_problem *p) {
    const char *s;
    *out = -1;
    if (pw_field_string(obj, key, field, required, 64, &s, p))
        return -1;
    if (!s)
        return 0;
    for (int i = 0; names[i]; i++)
        if (strcmp(s, names[i]) == 0)
            return *out = i, 0;
    char list[256] = "";
    for (int i = 0; names[i]; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", names[i]);
    return pw_problem_set(p, 400, "invalid", field, "must be one of: %s", list);
}

int pw_field_known(const cJSON *obj, const char *prefix, const char *const *known, pw_problem *p) {
    const cJSON *item;
    cJSON_ArrayForEach(item, obj) {
        int ok = 0;
        for (int i = 0; known[i] && !ok; i++)
            ok = item->string && strcmp(item->string, known[i]) == 0;
        if (!ok) {
            /* An empty key is named "" so the error still names a field. */
            const char *key = !item->string ? "?" : item->string[0] ? item->string : "\"\"";
            char field[128];
            snprintf(field, sizeof field, "%s%s%s", prefix ? prefix : "", prefix ? "." : "", key);
            return pw_problem_set(p, 400, "invalid", field, "is not a known field");
        }
    }
    return 0;
}
