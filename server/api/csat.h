/* CSAT: the token a customer rates a conversation with (signed, so it needs no table and works
 * from a link in an email), and POST /api/v1/csat.
 * SPDX-License-Identifier: MIT */
#ifndef PW_API_CSAT_H
#define PW_API_CSAT_H

#include "../server.h"

#include <stddef.h>
#include <stdint.h>

struct mg_connection;

/* "c1.<conversation id>.<HMAC-SHA256(session key, "csat:" id), 32 hex>". 0 or -1 (cap). */
int pw_csat_token(const pw_server *srv, int64_t conversation_id, char *out, size_t cap);

/* The conversation a token is for, or -1 when it is not one this server signed. */
int64_t pw_csat_verify(const pw_server *srv, const char *token);

int pw_api_csat(struct mg_connection *conn, void *cbdata);

#endif
