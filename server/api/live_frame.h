/* The frames a client sends to /api/v1/live, read into a plain struct: pure (no I/O, no server
 * state), so the whole untrusted intake of the live endpoint is fuzzed on its own
 * (tests/fuzz/fuzz_live_frame.c). live.c decides what a frame may do.
 * SPDX-License-Identifier: MIT */
#ifndef PW_API_LIVE_FRAME_H
#define PW_API_LIVE_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define PW_LIVE_FRAME_MAX      8192 /* bytes; anything longer is not one of ours */
#define PW_LIVE_CREDENTIAL_MAX 1024

typedef enum pw_live_kind {
    PW_LIVE_AUTH_SESSION, /* {"type":"auth","session":S} */
    PW_LIVE_AUTH_TOKEN,   /* {"type":"auth","token":T} */
    PW_LIVE_WATCH,        /* {"type":"watch","conversation_id":N,"after":M?} */
    PW_LIVE_UNWATCH,      /* {"type":"unwatch","conversation_id":N} */
    PW_LIVE_WATCH_INBOX,  /* {"type":"watch_inbox"} */
    PW_LIVE_TYPING,       /* {"type":"typing","conversation_id":N,"typing":bool?} */
    PW_LIVE_PING          /* {"type":"ping"} */
} pw_live_kind;

typedef struct pw_live_frame {
    pw_live_kind kind;
    int64_t conversation_id;                     /* WATCH, UNWATCH, TYPING: >= 1 */
    int64_t after;                               /* WATCH: >= 0, 0 when absent */
    int typing;                                  /* TYPING: 1 unless "typing" is false */
    char credential[PW_LIVE_CREDENTIAL_MAX + 1]; /* AUTH_*: NUL-terminated */
} pw_live_frame;

/* An error the client is told: a code of the REST API's error table and a sentence. */
typedef struct pw_live_error {
    const char *code, *message; /* static strings */
} pw_live_error;

/* Reads data[0..len). Returns 0 with *out filled, or -1 with *err set: too_large (over
 * PW_LIVE_FRAME_MAX), bad_json (not one JSON object), invalid (no or unknown "type", a field of
 * the wrong kind), unauthorized (auth without a session or token, or one too long). */
int pw_live_frame_parse(const char *data, size_t len, pw_live_frame *out, pw_live_error *err);

#endif
