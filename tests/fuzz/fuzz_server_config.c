/* Fuzz target: the server configuration file reader (server/config/server_config.c) on arbitrary
 * bytes, applied over the defaults as `pagewise serve --config` applies it. It must either fail
 * with "FIELD: problem" or give a configuration within the documented ranges; either way
 * pw_server_config_free must release everything it allocated (ASan reports leaks).
 * SPDX-License-Identifier: MIT */
#include "../../server/config/server_config.h"
#include "../../server/security/origin.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_string(const char *s, size_t size, int may_be_empty) {
    size_t n = strnlen(s, size);
    if (n == size || (n == 0 && !may_be_empty))
        abort();
}

static void check_app(const pw_app *a) {
    check_string(a->key, sizeof a->key, 0);
    check_string(a->name, sizeof a->name, 0);
    if (a->origin_count && !a->origins)
        abort();
    for (size_t i = 0; i < a->origin_count; i++) {
        if (!a->origins[i] || !a->origins[i][0] || strlen(a->origins[i]) > 255)
            abort();
        /* Kept as "*" or in canonical form, so requests match without parsing them. */
        char canonical[PW_ORIGIN_MAX + 1];
        if (strcmp(a->origins[i], "*") != 0 &&
            (pw_origin_canonical(a->origins[i], canonical) != 0 ||
             strcmp(canonical, a->origins[i]) != 0))
            abort();
    }
    if (a->identity_secret && (!a->identity_secret[0] || strlen(a->identity_secret) > 255))
        abort();
}

static void check(const pw_server_config *c) {
    check_string(c->listen, sizeof c->listen, 0);
    check_string(c->data_dir, sizeof c->data_dir, 0);
    check_string(c->www_dir, sizeof c->www_dir, 0);
    check_string(c->widget_dir, sizeof c->widget_dir, 0);
    check_string(c->model_path, sizeof c->model_path, 0);
    check_string(c->policy_path, sizeof c->policy_path, 0);
    check_string(c->seed_path, sizeof c->seed_path, 1); /* "": no seed */
    const pw_limits *l = &c->limits;
    if (c->threads < 4 || c->threads > 4096 || l->body_bytes < 1024 ||
        l->body_bytes > (64u << 20) || l->message_bytes < 1 || l->message_bytes > (1u << 20))
        abort();
    const double rates[] = {l->ip_per_minute, l->ip_burst, l->session_per_minute, l->session_burst};
    for (size_t i = 0; i < 4; i++)
        if (!(rates[i] >= 1 && rates[i] <= 1e9))
            abort();
    for (size_t i = 0; i < 4; i++)
        if (c->sla_minutes[i] < 1 || c->sla_minutes[i] > 525600)
            abort();
    if (!c->apps != !c->app_count)
        abort();
    for (size_t i = 0; i < c->app_count; i++) {
        check_app(&c->apps[i]);
        for (size_t j = 0; j < i; j++)
            if (strcmp(c->apps[i].key, c->apps[j].key) == 0)
                abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char err[512] = "";
    pw_server_config cfg;
    pw_server_config_defaults(&cfg);
    if (pw_server_config_parse(&cfg, (const char *)data, size, err, sizeof err) != 0) {
        if (!strstr(err, ": "))
            abort(); /* every error names a field */
    } else {
        check(&cfg);
        if (pw_server_config_finish(&cfg, err, sizeof err) != 0)
            abort();
        check(&cfg);
    }
    pw_server_config_free(&cfg); /* after a refusal too: a half-read app list is still owned */
    return 0;
}
