/* Reading requests: the JSON body under the size limit, query parameters, ids in paths, and the
 * one way every intake reports a problem. Intake parsers are pure functions from bytes to a
 * validated struct (no connection, no store), so each can be fuzzed on its own.
 * SPDX-License-Identifier: MIT */
#ifndef PW_API_REQUEST_H
#define PW_API_REQUEST_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

struct mg_connection;

/* What is wrong with a request: HTTP status, error code, the field at fault ("" for none). */
typedef struct pw_problem {
    int status;
    const char *code; /* static: "bad_json", "invalid", "too_large", ... */
    char field[128];
    char message[256];
} pw_problem;

/* Sets *p (status 400, code "invalid" unless `code` says otherwise) and returns -1, so intake
 * code can write `return pw_problem_set(p, 400, "invalid", "customer.email", "must be ...")`. */
int pw_problem_set(pw_problem *p, int status, const char *code, const char *field, const char *fmt,
                   ...);

/* Sends the problem as the API's error JSON. Returns p->status. */
int pw_problem_send(struct mg_connection *conn, const pw_problem *p);

/* Reads the request body (at most `limit` bytes, else 413 too_large; a body that is not JSON
 * is 400 bad_json; when `want_object`, anything but an object is 400 bad_json) and parses it.
 * Returns the tree (caller frees with cJSON_Delete), or NULL with *p set. */
cJSON *pw_request_json(struct mg_connection *conn, size_t limit, int want_object, pw_problem *p);

/* Parses bytes as a JSON object with the same errors as pw_request_json (for intake fuzzing). */
cJSON *pw_parse_json_object(const char *data, size_t len, pw_problem *p);

/* Query parameter `name` into buf (URL-decoded). Returns its length, 0 when absent or empty,
 * -1 when it does not fit. */
int pw_request_query(struct mg_connection *conn, const char *name, char *buf, size_t cap);

/* The list paging parameters: limit (1..200, default 50) and cursor (an id, opaque to
 * clients; 0 when absent). Returns 0, or -1 with *p set (field "limit" or "cursor"). */
int pw_request_page(struct mg_connection *conn, int *limit, int64_t *cursor, pw_problem *p);

/* Splits the local URI after `prefix` ("/api/v1/tickets/") into a positive id and the rest
 * ("" or "/reply"). Returns the id, or -1 when the segment is not a positive integer. */
int64_t pw_request_path_id(struct mg_connection *conn, const char *prefix, const char **rest);

/* 1 when s[0..len) is valid UTF-8 (no overlong forms, surrogates or code points past U+10FFFF),
 * else 0. For strings the field readers do not see: array items, kept JSON. */
int pw_utf8_valid(const char *s, size_t len);

/* Field readers for intake: each returns 0 when the field is valid or absent-and-optional,
 * -1 with *p naming `field` otherwise. Strings are borrowed from the tree (NULL when absent)
 * and must be valid UTF-8 without NUL, at most max_bytes long, non-empty when required. */
int pw_field_string(const cJSON *obj, const char *key, const char *field, int required,
                    size_t max_bytes, const char **out, pw_problem *p);
int pw_field_int(const cJSON *obj, const char *key, const char *field, int required, int64_t min,
                 int64_t max, int64_t *out, pw_problem *p);
int pw_field_bool(const cJSON *obj, const char *key, const char *field, int *out, pw_problem *p);
/* One of the NULL-terminated `names`; *out = its index, or -1 when absent and optional. */
int pw_field_enum(const cJSON *obj, const char *key, const char *field, int required,
                  const char *const *names, int *out, pw_problem *p);
/* Rejects keys not in the NULL-terminated `known` list, naming the first unknown one. */
int pw_field_known(const cJSON *obj, const char *prefix, const char *const *known, pw_problem *p);

#endif
