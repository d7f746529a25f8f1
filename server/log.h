/* Structured logs: one JSON object per line on stderr, so that journald, Loki or `jq` read them.
 * SPDX-License-Identifier: MIT */
#ifndef PW_SERVER_LOG_H
#define PW_SERVER_LOG_H

/* Writes {"ts":"<UTC ISO-8601>","level":level,"event":event,key:value,...} followed by a newline.
 * The variadic part is pairs of const char * (key, value) ending with NULL; values are written as
 * JSON strings, escaped. One fprintf per line, so lines from worker threads never interleave. */
void pw_log(const char *level, const char *event, ...);

#define pw_log_info(...)  pw_log("info", __VA_ARGS__)
#define pw_log_error(...) pw_log("error", __VA_ARGS__)

#endif
