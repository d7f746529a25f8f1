/* What a customer sees of a conversation since a message id: the polling answer of
 * GET /api/v1/widget/conversations/{id} and the frame the live endpoint pushes are the same.
 * SPDX-License-Identifier: MIT */
#ifndef PW_API_CONVERSATION_H
#define PW_API_CONVERSATION_H

#include "../server.h"

#include <cjson/cJSON.h>
#include <stdint.h>

/* {conversation_id, status, messages: [Message with id > after], csat_token?} (the token while a
 * conversation that is not open has no rating yet). Copies the status into `status` and sets
 * *last_id to the newest message id in it (`after` when there is none). NULL when the store
 * failed or is out of memory. */
cJSON *pw_api_conversation_update(pw_server *srv, int64_t id, int64_t after, int64_t *last_id,
                                  char status[12]);

#endif
