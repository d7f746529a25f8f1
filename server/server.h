/* The one server state object: built in `serve`, handed to every handler as civetweb cbdata.
 * SPDX-License-Identifier: MIT */
#ifndef PW_SERVER_H
#define PW_SERVER_H

#include <sqlite3.h>

struct mg_context;

#define PW_PATH_CAP 1024

typedef struct pw_server_config {
    char listen[64];              /* "127.0.0.1:8080" */
    char data_dir[PW_PATH_CAP];   /* holds pagewise.db */
    char www_dir[PW_PATH_CAP];    /* static pages: demo app, console */
    char widget_dir[PW_PATH_CAP]; /* the built widget: pagewise.js, core.js, .wasm */
} pw_server_config;

typedef struct pw_server {
    pw_server_config cfg;
    sqlite3 *db;
    struct mg_context *http;
} pw_server;

#endif
