/* The HTTP front: civetweb options, static files, the widget files and the API routes.
 * SPDX-License-Identifier: MIT */
#ifndef PW_HTTP_H
#define PW_HTTP_H

#include "../server.h"

#include <stddef.h>

/* Starts listening on srv->cfg.listen and sets srv->http. Returns 0, or -1 with a message in
 * err (the port is taken, a directory is missing). */
int pw_http_start(pw_server *srv, char *err, size_t err_cap);

/* Stops accepting, waits for in-flight requests to finish, and clears srv->http. */
void pw_http_stop(pw_server *srv);

#endif
