/* Fuzz target: the widget's JSON intake (server/api/intake.c) as the widget endpoints run it.
 * The first byte picks the intake: 0 POST /widget/boot, 1 POST /widget/messages, 2 POST
 * /widget/events, 3 a bare PageContext; the rest is the body, parsed with pw_parse_json_object.
 * A refused body must be a 400 naming its field; an accepted one must hold valid UTF-8 within
 * its limits, and everything the intake allocates is freed the way widget.c frees it, so ASan
 * reports leaks as well as overflows (intake_check.c has the checks).
 * SPDX-License-Identifier: MIT */
#include "intake_check.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TEXT 8000 /* the default limits.message_bytes */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int boot(const cJSON *body, pw_problem *p) {
    pw_boot_in in;
    if (pw_intake_boot(body, &in, p))
        return -1;
    fuzz_check_text(in.app_key, 1, 63);
    fuzz_check_text(in.user_id, 0, 128);
    fuzz_check_text(in.email, 0, 256);
    fuzz_check_text(in.name, 0, 128);
    fuzz_check_text(in.hash, 0, 128);
    fuzz_check_name(in.plan, fuzz_plans, 1);
    if ((in.email && !strchr(in.email, '@')) || (in.hash && !in.user_id))
        abort();
    return 0;
}

static int message(const cJSON *body, pw_problem *p) {
    pw_message_body m;
    if (pw_intake_message(body, MAX_TEXT, &m, p))
        return -1; /* widget.c frees nothing after a refusal: the intake must have */
    fuzz_check_text(m.text, 1, MAX_TEXT);
    fuzz_check_text(m.client_id, 0, 64);
    if (m.conversation_id < 0 || m.conversation_id > INT64_MAX / 2)
        abort();
    if (m.has_page)
        fuzz_check_page(&m.page);
    else if (m.page.json)
        abort();
    fuzz_check_events(m.events, m.event_count);
    pw_message_body_free(&m);
    return 0;
}

/* The body of POST /widget/events, read as widget.c reads it. */
static int events(const cJSON *body, pw_problem *p) {
    static const char *const known[] = {"events", "conversation_id", NULL};
    int64_t conversation_id = 0;
    pw_struggle_event evs[PW_EVENTS_MAX];
    size_t n = 0;
    if (pw_field_known(body, NULL, known, p) ||
        pw_field_int(body, "conversation_id", "conversation_id", 0, 1, INT64_MAX / 2,
                     &conversation_id, p) ||
        pw_intake_events(cJSON_GetObjectItemCaseSensitive(body, "events"), "events", evs,
                         PW_EVENTS_MAX, &n, p))
        return -1;
    if (conversation_id < 0 || conversation_id > INT64_MAX / 2)
        abort();
    fuzz_check_events(evs, n);
    pw_intake_events_free(evs, n);
    return 0;
}

static int page(const cJSON *body, pw_problem *p) {
    pw_page_info info;
    if (pw_intake_page(body, "page", &info, p)) {
        if (info.json)
            abort(); /* a refused page keeps nothing allocated */
        return -1;
    }
    fuzz_check_page(&info);
    pw_page_info_free(&info);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0)
        return 0;
    cJSON *body = fuzz_parse_body(data + 1, size - 1);
    if (!body)
        return 0;
    pw_problem p;
    memset(&p, 0, sizeof p);
    int rc;
    switch (data[0] % 4) {
    case 0:
        rc = boot(body, &p);
        break;
    case 1:
        rc = message(body, &p);
        break;
    case 2:
        rc = events(body, &p);
        break;
    default:
        rc = page(body, &p);
        break;
    }
    if (rc)
        fuzz_check_problem(&p);
    cJSON_Delete(body);
    return 0;
}
