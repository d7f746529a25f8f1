/* The customer's view of a conversation since a message id (conversation.h).
 * SPDX-License-Identifier: MIT */
#include "conversation.h"
#include "csat.h"
#include "../store/views.h"

#include <stdlib.h>
#include <string.h>

/* The newest id in a [Message] array, or `after` for an empty one. */
static int64_t newest_id(const cJSON *messages, int64_t after) {
    int64_t last = after;
    const cJSON *m;
    cJSON_ArrayForEach(m, messages) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(m, "id");
        if (cJSON_IsNumber(id) && (int64_t)id->valuedouble > last)
            last = (int64_t)id->valuedouble;
    }
    return last;
}

cJSON *pw_api_conversation_update(pw_server *srv, int64_t id, int64_t after, int64_t *last_id,
                                  char status[12]) {
    pw_conn *c = pw_pool_get(srv->readers);
    int found, rated = 0;
    char *messages = pw_view_messages(c, id, after, &found);
    int has_status = pw_view_status(c, id, status, &rated);
    pw_pool_put(srv->readers, c);
    cJSON *list = messages && has_status == 1 ? cJSON_Parse(messages) : NULL;
    free(messages);
    cJSON *out = list ? cJSON_CreateObject() : NULL;
    if (!out) {
        cJSON_Delete(list);
        return NULL;
    }
    *last_id = newest_id(list, after);
    cJSON_AddNumberToObject(out, "conversation_id", (double)id);
    cJSON_AddStringToObject(out, "status", status);
    cJSON_AddItemToObject(out, "messages", list);
    char token[96];
    if (!rated && strcmp(status, "open") != 0 && pw_csat_token(srv, id, token, sizeof token) == 0)
        cJSON_AddStringToObject(out, "csat_token", token);
    return out;
}
