/* Building the --json outputs of the subcommands with cJSON, with out-of-memory checked once
 * per value so that a report is either complete or not printed at all.
 * SPDX-License-Identifier: MIT */
#ifndef PW_CLI_JSONOUT_H
#define PW_CLI_JSONOUT_H

#include <cjson/cJSON.h>

/* Each adder returns 0, or -1 when memory ran out; results can be OR-ed together. */
int pw_json_number(cJSON *obj, const char *key, double v); /* NAN becomes null */
int pw_json_string(cJSON *obj, const char *key, const char *s);
int pw_json_bool(cJSON *obj, const char *key, int v);

/* Appends an empty object to the array `list` and returns it (owned by the list), or NULL. */
cJSON *pw_json_append_object(cJSON *list);

/* Prints `root` as one line on stdout unless `failed`, then frees it. Returns the exit status:
 * 0, or 1 after "pagewise CMD: out of memory". */
int pw_json_emit(const char *cmd, cJSON *root, int failed);

#endif
