/* Small services every part of the server uses: clocks and app lookup.
 * SPDX-License-Identifier: MIT */
#include "server.h"

#include <string.h>
#include <time.h>

int64_t pw_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t pw_mono_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const pw_app *pw_server_app_by_key(const pw_server *srv, const char *key) {
    for (size_t i = 0; i < srv->cfg.app_count; i++)
        if (strcmp(srv->cfg.apps[i].key, key) == 0)
            return &srv->cfg.apps[i];
    return NULL;
}

const pw_app *pw_server_app_by_id(const pw_server *srv, int64_t id) {
    for (size_t i = 0; i < srv->cfg.app_count; i++)
        if (srv->cfg.apps[i].id == id)
            return &srv->cfg.apps[i];
    return NULL;
}
