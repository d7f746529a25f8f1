/* Fuzz target: the live endpoint's frame reader (server/api/live_frame.c) on arbitrary bytes.
 * It must either refuse with one of its documented codes or give a frame whose fields keep
 * their promises (ids in range, a NUL-terminated credential for auth).
 * SPDX-License-Identifier: MIT */
#include "../../server/api/live_frame.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int known_code(const char *code) {
    static const char *const codes[] = {"too_large", "bad_json", "invalid", "unauthorized"};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (strcmp(code, codes[i]) == 0)
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pw_live_frame f;
    pw_live_error err = {NULL, NULL};
    if (pw_live_frame_parse((const char *)data, size, &f, &err) != 0) {
        if (!err.code || !known_code(err.code) || !err.message || !err.message[0])
            abort();
        return 0;
    }
    if (f.kind == PW_LIVE_WATCH && f.after < 0)
        abort();
    switch (f.kind) {
    case PW_LIVE_AUTH_SESSION:
    case PW_LIVE_AUTH_TOKEN:
        if (!memchr(f.credential, '\0', sizeof f.credential) || !f.credential[0])
            abort();
        break;
    case PW_LIVE_WATCH:
    case PW_LIVE_UNWATCH:
    case PW_LIVE_TYPING:
        if (f.conversation_id < 1 || f.conversation_id >= (int64_t)1 << 53)
            abort();
        break;
    case PW_LIVE_WATCH_INBOX:
    case PW_LIVE_PING:
        break;
    default:
        abort();
    }
    return 0;
}
