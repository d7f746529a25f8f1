/* What the intake fuzz targets (fuzz_widget_intake.c, fuzz_agent_intake.c) check, written once:
 * the body is parsed as the server parses it, a refusal must be a 400 that names its field, and
 * whatever an intake accepts must hold only valid UTF-8 within the limits intake.h states. A
 * failed check aborts, so libFuzzer and the replay runner both report it with the input.
 * SPDX-License-Identifier: MIT */
#ifndef PW_FUZZ_INTAKE_CHECK_H
#define PW_FUZZ_INTAKE_CHECK_H

#include "../../server/api/intake.h"

#include <stddef.h>
#include <stdint.h>

/* pw_parse_json_object on data[0..size); NULL (after checking the problem) when refused. */
cJSON *fuzz_parse_body(const uint8_t *data, size_t size);

/* Aborts unless a refused body got a 400 "invalid" or "bad_json" with a message, and a field
 * that is valid UTF-8 (and named, for "invalid"). */
void fuzz_check_problem(const pw_problem *p);

/* Aborts unless s is NULL or valid UTF-8 of min_bytes..max_bytes bytes. */
void fuzz_check_text(const char *s, size_t min_bytes, size_t max_bytes);

/* Aborts unless s is one of the NULL-terminated names, or NULL when that is allowed. */
void fuzz_check_name(const char *s, const char *const *names, int may_be_null);

/* Aborts unless an accepted page context is complete, its JSON copy is a valid UTF-8 object, and
 * that copy, given to pw_intake_page again, is accepted unchanged (normalising is idempotent). */
void fuzz_check_page(const pw_page_info *page);

/* Aborts unless every accepted event has a known kind, a route, a time in range and a JSON
 * object of valid UTF-8 as its detail. */
void fuzz_check_events(const pw_struggle_event *events, size_t count);

extern const char *const fuzz_plans[];

#endif
