/* Labelled examples from JSON Lines: one {"text": "...", "label": "..."} object per line, blank
 * lines skipped, other keys ignored. Shared by `train` and `eval` so that both accept and reject
 * exactly the same files, with errors that name the file and line.
 * SPDX-License-Identifier: MIT */
#ifndef PW_CLI_JSONL_H
#define PW_CLI_JSONL_H

#include <stddef.h>

typedef struct pw_example {
    char *text; /* UTF-8 as decoded by the JSON parser, NUL-terminated */
    size_t text_len;
    char *label; /* non-empty, at most PW_MODEL_MAX_LABEL bytes, NUL-terminated */
    size_t label_len;
    size_t line; /* 1-based line number in the file, for later error messages */
} pw_example;

typedef struct pw_examples {
    pw_example *rows;
    size_t count;
    size_t cap;
} pw_examples;

/* Appends every example in the file at `path` to `set` (which may already hold rows; start from
 * a zeroed struct). Returns 0, or -1 with `err` holding "PATH:LINE: problem" (or "PATH: problem"
 * when the file cannot be read); rows read before the error stay in `set`. Caller frees the set
 * with pw_examples_free. */
int pw_jsonl_read(const char *path, pw_examples *set, char *err, size_t err_cap);

void pw_examples_free(pw_examples *set);

struct cJSON;

/* Called with each non-blank line's parsed JSON value (any type) and its 1-based line number;
 * returns NULL to go on, or a problem (static or in storage that outlives the call) that stops
 * the reading and is reported as "PATH:LINE: problem". */
typedef const char *(*pw_jsonl_row_fn)(const struct cJSON *value, size_t line, void *ctx);

/* Reads the JSON Lines file at `path` (a leading byte order mark and blank lines skipped) and
 * calls `fn` for each line. Returns 0, or -1 with "PATH:LINE: problem" in `err`. */
int pw_jsonl_each(const char *path, pw_jsonl_row_fn fn, void *ctx, char *err, size_t err_cap);

#endif
