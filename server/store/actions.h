/* What agents do to a conversation, each one query or a few inside the caller's writer job.
 * Every function returns 0 on success, a positive PW_ACT_* when the request does not apply,
 * or -1 on a store error.
 * SPDX-License-Identifier: MIT */
#ifndef PW_STORE_ACTIONS_H
#define PW_STORE_ACTIONS_H

#include "conn.h"

#include <stdint.h>

enum {
    PW_ACT_NO_CONVERSATION = 1,
    PW_ACT_NO_DRAFT = 2, /* no pending AI draft */
    PW_ACT_ALREADY_RESOLVED = 3,
    PW_ACT_NO_AGENT = 4,
    PW_ACT_DUPLICATE = 5 /* an agent with that email exists */
};

/* An agent's message: the conversation is the human's from now on (status open, assigned to
 * the agent when unassigned; the first-response SLA is met). Sets *message_id. */
int pw_store_agent_reply(pw_conn *c, int64_t conversation_id, int64_t agent_id, const char *body,
                         int64_t now, int64_t *message_id);

/* Acts on the latest pending draft: approve sends it as the agent's reply, edit sends `body`
 * instead, discard drops it. Sets *decision_id, and *message_id (0 for discard). */
int pw_store_draft_act(pw_conn *c, int64_t conversation_id, int64_t agent_id, int action,
                       const char *body, int64_t now, int64_t *decision_id, int64_t *message_id);

int pw_store_resolve(pw_conn *c, int64_t conversation_id, const char *category, int64_t article_id,
                     int64_t now);

/* agent_id 0 unassigns. */
int pw_store_assign(pw_conn *c, int64_t conversation_id, int64_t agent_id, int64_t now);

/* A new agent with the SHA-256 of their token. Sets *id. */
int pw_store_agent_insert(pw_conn *c, const char *name, const char *email, int admin,
                          const char *token_hash, int64_t now, int64_t *id);

#endif
