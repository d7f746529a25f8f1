/* Reading a live frame (live_frame.h).
 * SPDX-License-Identifier: MIT */
#include "live_frame.h"

#include <cjson/cJSON.h>
#include <string.h>

static int fail(pw_live_error *err, const char *code, const char *message) {
    err->code = code;
    err->message = message;
    return -1;
}

/* A whole number in [min, 2^53), or -1 when the field is something else; `dflt` when absent. */
static int64_t whole(const cJSON *f, const char *name, int64_t min, int64_t dflt) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(f, name);
    if (!v)
        return dflt;
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= (double)min) ||
        !(v->valuedouble < 9007199254740992.0) || v->valuedouble != (double)(int64_t)v->valuedouble)
        return -1;
    return (int64_t)v->valuedouble;
}

static int credential(const cJSON *f, pw_live_frame *out, pw_live_error *err) {
    const cJSON *session = cJSON_GetObjectItemCaseSensitive(f, "session");
    const cJSON *token = cJSON_GetObjectItemCaseSensitive(f, "token");
    const cJSON *which = cJSON_IsString(session) ? session : cJSON_IsString(token) ? token : NULL;
    if (!which || !which->valuestring[0])
        return fail(err, "unauthorized", "send a widget session or an agent token");
    size_t n = strlen(which->valuestring);
    if (n > PW_LIVE_CREDENTIAL_MAX)
        return fail(err, "unauthorized", "the session or token is too long");
    memcpy(out->credential, which->valuestring, n + 1);
    out->kind = which == session ? PW_LIVE_AUTH_SESSION : PW_LIVE_AUTH_TOKEN;
    return 0;
}

static int conversation(const cJSON *f, pw_live_frame *out, pw_live_error *err) {
    out->conversation_id = whole(f, "conversation_id", 1, -1);
    if (out->conversation_id < 1)
        return fail(err, "invalid", "conversation_id must be a conversation id");
    return 0;
}

static int fields(const cJSON *f, const char *type, pw_live_frame *out, pw_live_error *err) {
    static const struct {
        const char *name;
        pw_live_kind kind;
    } kinds[] = {{"watch", PW_LIVE_WATCH},
                 {"unwatch", PW_LIVE_UNWATCH},
                 {"watch_inbox", PW_LIVE_WATCH_INBOX},
                 {"typing", PW_LIVE_TYPING},
                 {"ping", PW_LIVE_PING}};
    if (strcmp(type, "auth") == 0)
        return credential(f, out, err);
    size_t i = 0;
    while (i < sizeof kinds / sizeof kinds[0] && strcmp(type, kinds[i].name) != 0)
        i++;
    if (i == sizeof kinds / sizeof kinds[0])
        return fail(err, "invalid", "unknown frame type");
    out->kind = kinds[i].kind;
    if (out->kind == PW_LIVE_WATCH_INBOX || out->kind == PW_LIVE_PING)
        return 0;
    if (conversation(f, out, err))
        return -1;
    if (out->kind == PW_LIVE_WATCH && (out->after = whole(f, "after", 0, 0)) < 0)
        return fail(err, "invalid", "after must be a message id");
    out->typing = !cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(f, "typing"));
    return 0;
}

int pw_live_frame_parse(const char *data, size_t len, pw_live_frame *out, pw_live_error *err) {
    memset(out, 0, sizeof *out);
    if (len > PW_LIVE_FRAME_MAX)
        return fail(err, "too_large", "a frame is at most 8192 bytes");
    cJSON *f = cJSON_ParseWithLength(data, len);
    int rc;
    if (!cJSON_IsObject(f))
        rc = fail(err, "bad_json", "a frame is one JSON object");
    else {
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(f, "type");
        rc = cJSON_IsString(type)
                 ? fields(f, type->valuestring, out, err)
                 : fail(err, "invalid", "a frame is a JSON object with a \"type\"");
    }
    cJSON_Delete(f);
    return rc;
}
