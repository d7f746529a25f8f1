/* The JSON Lines reader for labelled examples: one of the two places cJSON is used (the other
 * is api/), because a hand-written parser of untrusted files is where bugs hide.
 * SPDX-License-Identifier: MIT */
#include "jsonl.h"
#include "cli.h"

#include "pw/model.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

void pw_examples_free(pw_examples *set) {
    for (size_t i = 0; i < set->count; i++) {
        free(set->rows[i].text);
        free(set->rows[i].label);
    }
    free(set->rows);
    memset(set, 0, sizeof *set);
}

static char *copy_string(const char *s, size_t len) {
    char *copy = malloc(len + 1);
    if (copy)
        memcpy(copy, s, len + 1);
    return copy;
}

static int append(pw_examples *set, const char *text, const char *label, size_t line) {
    if (set->count == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 256;
        pw_example *rows = realloc(set->rows, cap * sizeof *rows);
        if (!rows)
            return -1;
        set->rows = rows, set->cap = cap;
    }
    pw_example *row = &set->rows[set->count];
    row->text_len = strlen(text), row->label_len = strlen(label), row->line = line;
    row->text = copy_string(text, row->text_len);
    row->label = copy_string(label, row->label_len);
    if (!row->text || !row->label) {
        free(row->text);
        free(row->label);
        return -1;
    }
    set->count++;
    return 0;
}

/* Checks the parsed object's fields; returns NULL when it is a valid example, otherwise the
 * problem. */
static const char *check_object(const cJSON *obj, const char **text, const char **label) {
    if (!cJSON_IsObject(obj))
        return "expected a JSON object with \"text\" and \"label\"";
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(obj, "text");
    const cJSON *l = cJSON_GetObjectItemCaseSensitive(obj, "label");
    if (!cJSON_IsString(t))
        return "\"text\" must be a string";
    if (!cJSON_IsString(l) || !l->valuestring[0])
        return "\"label\" must be a non-empty string";
    if (strlen(l->valuestring) > PW_MODEL_MAX_LABEL)
        return "\"label\" is over " PW_XSTR(PW_MODEL_MAX_LABEL) " bytes";
    *text = t->valuestring, *label = l->valuestring;
    return NULL;
}

static int blank(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return 0;
    return 1;
}

/* Parses one non-blank line (NUL-terminated at len) and hands it to `fn`. Returns 0 or -1
 * with the problem in `err`. */
static int parse_line(const char *line, size_t len, size_t lineno, const char *path,
                      pw_jsonl_row_fn fn, void *ctx, char *err, size_t err_cap) {
    /* cJSON stops at a NUL, so a line with one inside would be judged on its first part only. */
    if (memchr(line, '\0', len)) {
        snprintf(err, err_cap, "%s:%zu: the line contains a NUL byte", path, lineno);
        return -1;
    }
    const char *end = NULL;
    cJSON *obj = cJSON_ParseWithOpts(line, &end, 1);
    if (!obj) {
        snprintf(err, err_cap, "%s:%zu: not valid JSON (column %zu)", path, lineno,
                 end ? (size_t)(end - line) + 1 : 1);
        return -1;
    }
    const char *problem = fn(obj, lineno, ctx);
    if (problem)
        snprintf(err, err_cap, "%s:%zu: %s", path, lineno, problem);
    cJSON_Delete(obj);
    return problem ? -1 : 0;
}

static int read_lines(FILE *f, const char *path, pw_jsonl_row_fn fn, void *ctx, char *err,
                      size_t err_cap) {
    char *line = NULL;
    size_t line_cap = 0, lineno = 0;
    ssize_t n;
    int rc = 0;
    while (rc == 0 && (n = getline(&line, &line_cap, f)) >= 0) {
        /* Editors on Windows start UTF-8 files with a byte order mark, which is not JSON. */
        size_t skip = ++lineno == 1 && n >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        if (!blank(line + skip, (size_t)n - skip))
            rc = parse_line(line + skip, (size_t)n - skip, lineno, path, fn, ctx, err, err_cap);
    }
    if (rc == 0 && ferror(f)) {
        snprintf(err, err_cap, "%s: read failed after line %zu: %s", path, lineno, strerror(errno));
        rc = -1;
    }
    free(line);
    return rc;
}

int pw_jsonl_each(const char *path, pw_jsonl_row_fn fn, void *ctx, char *err, size_t err_cap) {
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, err_cap, "%s: %s", path, strerror(errno));
        return -1;
    }
    int rc = read_lines(f, path, fn, ctx, err, err_cap);
    fclose(f);
    return rc;
}

static const char *add_example(const cJSON *obj, size_t line, void *ctx) {
    const char *text = NULL, *label = NULL, *problem = check_object(obj, &text, &label);
    if (problem)
        return problem;
    return append(ctx, text, label, line) ? "out of memory" : NULL;
}

int pw_jsonl_read(const char *path, pw_examples *set, char *err, size_t err_cap) {
    return pw_jsonl_each(path, add_example, set, err, err_cap);
}
