/* For test programs that link server/api/request.c without the API: its pw_problem_send
 * answers through respond.c, which links every API resource. Nothing in these programs sends,
 * so this stands in for the one function it calls.
 * SPDX-License-Identifier: MIT */
#include "../../server/api/api.h"

int pw_api_send_error(struct mg_connection *conn, int status, const char *code, const char *field,
                      const char *message) {
    (void)conn, (void)code, (void)field, (void)message;
    return status;
}
