/* The REST API under /api/v1: route registration and the JSON response helpers every resource
 * uses. cJSON appears only here and in cli/ (JSON Lines in, --json out).
 * SPDX-License-Identifier: MIT */
#ifndef PW_API_H
#define PW_API_H

#include "../server.h"

#include <cjson/cJSON.h>

struct mg_context;
struct mg_connection;

/* Registers every /api/v1 handler with `srv` as cbdata. */
void pw_api_register(struct mg_context *http, pw_server *srv);

/* Sends `body` with `status` as application/json and frees it. Returns `status`. */
int pw_api_send_json(struct mg_connection *conn, int status, cJSON *body);

/* Sends {"error":{"code":code,"message":message,"field":field}} ("field" omitted when NULL).
 * Every 4xx and 5xx of the API goes through here so clients see one error shape. */
int pw_api_send_error(struct mg_connection *conn, int status, const char *code, const char *field,
                      const char *message);

/* GET /api/v1/health */
int pw_api_health(struct mg_connection *conn, void *cbdata);

#endif
