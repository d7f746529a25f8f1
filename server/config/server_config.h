/* The server's configuration: built-in defaults that run the demo, then the JSON file given
 * with --config, then environment overrides (PAGEWISE_LISTEN, PAGEWISE_DATA,
 * PAGEWISE_ADMIN_TOKEN), then command-line flags. Unknown keys are errors that name the key.
 * The format is documented in README.md ("Configuration").
 * SPDX-License-Identifier: MIT */
#ifndef PW_CONFIG_SERVER_H
#define PW_CONFIG_SERVER_H

#include "../server.h"

#include <stddef.h>

/* Fills cfg with the defaults (the demo's model, policy and knowledge base; 127.0.0.1:8080;
 * ./data). */
void pw_server_config_defaults(pw_server_config *cfg);

/* Applies the JSON document json[0..len). Returns 0, or -1 with "FIELD: problem" in err. */
int pw_server_config_parse(pw_server_config *cfg, const char *json, size_t len, char *err,
                           size_t err_cap);

/* pw_server_config_parse on a file; errors start with the path. */
int pw_server_config_load(pw_server_config *cfg, const char *path, char *err, size_t err_cap);

/* Applies the environment overrides. Returns 0, or -1 with the variable named in err. */
int pw_server_config_env(pw_server_config *cfg, char *err, size_t err_cap);

/* After every source is applied: when no app is configured, adds the demo app (key
 * "pk_demo_acme") allowing the listen address's own origins. Returns 0 or -1 (no memory). */
int pw_server_config_finish(pw_server_config *cfg, char *err, size_t err_cap);

void pw_server_config_free(pw_server_config *cfg);

#endif
