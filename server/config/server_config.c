/* Reading the server configuration file and environment.
 * SPDX-License-Identifier: MIT */
#include "server_config.h"
#include "../security/origin.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pw_server_config_defaults(pw_server_config *cfg) {
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->listen, sizeof cfg->listen, "127.0.0.1:8080");
    snprintf(cfg->data_dir, sizeof cfg->data_dir, "data");
    snprintf(cfg->www_dir, sizeof cfg->www_dir, "%s", PW_DEFAULT_WWW_DIR);
    snprintf(cfg->widget_dir, sizeof cfg->widget_dir, "%s", PW_DEFAULT_WIDGET_DIR);
    snprintf(cfg->model_path, sizeof cfg->model_path, "%s", PW_DEMO_MODEL);
    snprintf(cfg->policy_path, sizeof cfg->policy_path, "%s", PW_DEMO_POLICY);
    snprintf(cfg->seed_path, sizeof cfg->seed_path, "%s", PW_DEMO_KB);
    /* civetweb serves one connection per thread for as long as it is kept alive: the thread
     * count bounds the concurrent keep-alive connections served without queueing. */
    cfg->threads = 128;
    cfg->limits = (pw_limits){.body_bytes = 64 * 1024,
                              .message_bytes = 8000,
                              .ip_per_minute = 6000,
                              .ip_burst = 600,
                              .session_per_minute = 120,
                              .session_burst = 30};
    /* First-response targets by priority: P0 urgent/blocking, P3 routine. */
    cfg->sla_minutes[0] = 30, cfg->sla_minutes[1] = 120, cfg->sla_minutes[2] = 480;
    cfg->sla_minutes[3] = 1440;
}

static int fail(char *err, size_t cap, const char *field, const char *problem) {
    /* An unknown key is named as written, and it can be any length: at most 80 bytes of it, so
     * the problem always fits after it. */
    size_t n = strlen(field);
    snprintf(err, cap, "%.*s%s: %s", n > 80 ? 80 : (int)n, field, n > 80 ? "..." : "", problem);
    return -1;
}

static int read_string(const cJSON *v, const char *field, char *dst, size_t cap, char *err,
                       size_t err_cap) {
    if (!cJSON_IsString(v) || !*v->valuestring)
        return fail(err, err_cap, field, "must be a non-empty string");
    if (strlen(v->valuestring) >= cap)
        return fail(err, err_cap, field, "is too long");
    snprintf(dst, cap, "%s", v->valuestring);
    return 0;
}

static int read_number(const cJSON *v, const char *field, double min, double max, double *out,
                       char *err, size_t err_cap) {
    if (!cJSON_IsNumber(v) || v->valuedouble < min || v->valuedouble > max) {
        char problem[96];
        snprintf(problem, sizeof problem, "must be a number from %g to %g", min, max);
        return fail(err, err_cap, field, problem);
    }
    *out = v->valuedouble;
    return 0;
}

static int read_limits(const cJSON *obj, pw_limits *l, char *err, size_t err_cap) {
    if (!cJSON_IsObject(obj))
        return fail(err, err_cap, "limits", "must be an object");
    const cJSON *v;
    cJSON_ArrayForEach(v, obj) {
        char field[96];
        snprintf(field, sizeof field, "limits.%s", v->string);
        double d = 0;
        int rc;
        if (strcmp(v->string, "body_bytes") == 0)
            rc = read_number(v, field, 1024, 64 << 20, &d, err, err_cap), l->body_bytes = (size_t)d;
        else if (strcmp(v->string, "message_bytes") == 0)
            rc = read_number(v, field, 1, 1 << 20, &d, err, err_cap), l->message_bytes = (size_t)d;
        else if (strcmp(v->string, "ip_per_minute") == 0)
            rc = read_number(v, field, 1, 1e9, &l->ip_per_minute, err, err_cap);
        else if (strcmp(v->string, "ip_burst") == 0)
            rc = read_number(v, field, 1, 1e9, &l->ip_burst, err, err_cap);
        else if (strcmp(v->string, "session_per_minute") == 0)
            rc = read_number(v, field, 1, 1e9, &l->session_per_minute, err, err_cap);
        else if (strcmp(v->string, "session_burst") == 0)
            rc = read_number(v, field, 1, 1e9, &l->session_burst, err, err_cap);
        else
            rc = fail(err, err_cap, field, "is not a known setting");
        if (rc)
            return -1;
    }
    return 0;
}

static int read_sla(const cJSON *arr, int out[4], char *err, size_t err_cap) {
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) != 4)
        return fail(err, err_cap, "sla_minutes", "must be 4 numbers (priority 0 to 3)");
    for (int i = 0; i < 4; i++) {
        double d = 0;
        char field[32];
        snprintf(field, sizeof field, "sla_minutes[%d]", i);
        if (read_number(cJSON_GetArrayItem(arr, i), field, 1, 525600, &d, err, err_cap))
            return -1;
        out[i] = (int)d;
    }
    return 0;
}

static char *dup_string(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    return d ? memcpy(d, s, n) : NULL;
}

/* A copy of an origin the server makes up, in canonical form (as is, should the listen address
 * not make one: it then matches nothing). */
static char *dup_origin(const char *origin) {
    char canonical[PW_ORIGIN_MAX + 1];
    return dup_string(pw_origin_canonical(origin, canonical) == 0 ? canonical : origin);
}

static void origins_free(pw_app *a) {
    for (size_t i = 0; i < a->origin_count; i++)
        free(a->origins[i]);
    free(a->origins);
    a->origins = NULL, a->origin_count = 0;
}

static void app_free(pw_app *a) {
    origins_free(a);
    free(a->identity_secret);
    memset(a, 0, sizeof *a);
}

static int read_origins(const cJSON *arr, const char *field, pw_app *a, char *err, size_t err_cap) {
    if (!cJSON_IsArray(arr))
        return fail(err, err_cap, field,
                    "must be an array of origins like \"https://app.example.com\"");
    /* A key given twice replaces the earlier list (the last one wins, as for every key of the
     * file): the new array is sized for the new list only. */
    origins_free(a);
    size_t n = (size_t)cJSON_GetArraySize(arr);
    if (!(a->origins = calloc(n ? n : 1, sizeof *a->origins)))
        return fail(err, err_cap, field, "out of memory");
    const cJSON *o;
    cJSON_ArrayForEach(o, arr) {
        if (!cJSON_IsString(o) || !*o->valuestring || strlen(o->valuestring) > 255)
            return fail(err, err_cap, field, "every origin must be a non-empty string");
        /* Kept in canonical form, so that a request's origin matches without parsing them; one
         * that is not an origin would match nothing, and every widget request from the site
         * would be refused, so it is refused here with the reason instead. */
        char canonical[PW_ORIGIN_MAX + 1], entry[128];
        const char *keep = o->valuestring;
        if (strcmp(keep, "*") != 0) {
            if (pw_origin_canonical(keep, canonical) != 0) {
                snprintf(entry, sizeof entry, "%s[%zu]", field, a->origin_count);
                return fail(err, err_cap, entry,
                            "is not an origin: write scheme://host or scheme://host:port, as "
                            "the browser sends it, with nothing after it (not even a \"/\")");
            }
            keep = canonical;
        }
        if (!(a->origins[a->origin_count++] = dup_string(keep)))
            return fail(err, err_cap, field, "out of memory");
    }
    return 0;
}

static int read_app(const cJSON *obj, size_t index, pw_app *a, char *err, size_t err_cap) {
    char field[96];
    snprintf(field, sizeof field, "apps[%zu]", index);
    if (!cJSON_IsObject(obj))
        return fail(err, err_cap, field, "must be an object");
    const cJSON *v;
    cJSON_ArrayForEach(v, obj) {
        snprintf(field, sizeof field, "apps[%zu].%s", index, v->string);
        int rc;
        if (strcmp(v->string, "key") == 0)
            rc = read_string(v, field, a->key, sizeof a->key, err, err_cap);
        else if (strcmp(v->string, "name") == 0)
            rc = read_string(v, field, a->name, sizeof a->name, err, err_cap);
        else if (strcmp(v->string, "allowed_origins") == 0)
            rc = read_origins(v, field, a, err, err_cap);
        else if (strcmp(v->string, "identity_secret") == 0) {
            char secret[256];
            rc = read_string(v, field, secret, sizeof secret, err, err_cap);
            if (!rc)
                free(a->identity_secret); /* given twice: the last one wins */
            if (!rc && !(a->identity_secret = dup_string(secret)))
                rc = fail(err, err_cap, field, "out of memory");
        } else
            rc = fail(err, err_cap, field, "is not a known setting");
        if (rc)
            return -1;
    }
    snprintf(field, sizeof field, "apps[%zu]", index);
    if (!a->key[0] || !a->name[0])
        return fail(err, err_cap, field, "needs \"key\" and \"name\"");
    return 0;
}

static int read_apps(const cJSON *arr, pw_server_config *cfg, char *err, size_t err_cap) {
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) < 1)
        return fail(err, err_cap, "apps", "must be a non-empty array");
    size_t n = (size_t)cJSON_GetArraySize(arr);
    pw_app *apps = calloc(n, sizeof *apps);
    if (!apps)
        return fail(err, err_cap, "apps", "out of memory");
    for (size_t i = 0; i < cfg->app_count; i++)
        app_free(&cfg->apps[i]);
    free(cfg->apps);
    cfg->apps = apps, cfg->app_count = n;
    for (size_t i = 0; i < n; i++) {
        if (read_app(cJSON_GetArrayItem(arr, (int)i), i, &apps[i], err, err_cap))
            return -1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(apps[j].key, apps[i].key) == 0)
                return fail(err, err_cap, "apps", "two apps have the same key");
    }
    return 0;
}

typedef struct path_key {
    const char *key;
    size_t offset, cap;
} path_key;

#define PATH_KEY(name, member)                                                                     \
    { name, offsetof(pw_server_config, member), sizeof(((pw_server_config *)0)->member) }

static const path_key path_keys[] = {
    PATH_KEY("listen", listen),     PATH_KEY("data", data_dir),    PATH_KEY("www", www_dir),
    PATH_KEY("widget", widget_dir), PATH_KEY("model", model_path), PATH_KEY("policy", policy_path),
    PATH_KEY("seed_kb", seed_path),
};

static int read_key(const cJSON *v, pw_server_config *cfg, char *err, size_t err_cap) {
    /* The one path that may be empty: "seed_kb": "" imports no knowledge base. */
    if (strcmp(v->string, "seed_kb") == 0 && cJSON_IsString(v) && !*v->valuestring)
        return cfg->seed_path[0] = '\0', 0;
    for (size_t i = 0; i < sizeof path_keys / sizeof path_keys[0]; i++)
        if (strcmp(v->string, path_keys[i].key) == 0)
            return read_string(v, v->string, (char *)cfg + path_keys[i].offset, path_keys[i].cap,
                               err, err_cap);
    if (strcmp(v->string, "threads") == 0) {
        double d = 0;
        int rc = read_number(v, "threads", 4, 4096, &d, err, err_cap);
        cfg->threads = (int)d;
        return rc;
    }
    if (strcmp(v->string, "limits") == 0)
        return read_limits(v, &cfg->limits, err, err_cap);
    if (strcmp(v->string, "sla_minutes") == 0)
        return read_sla(v, cfg->sla_minutes, err, err_cap);
    if (strcmp(v->string, "apps") == 0)
        return read_apps(v, cfg, err, err_cap);
    return fail(err, err_cap, v->string, "is not a known setting");
}

int pw_server_config_parse(pw_server_config *cfg, const char *json, size_t len, char *err,
                           size_t err_cap) {
    cJSON *root = cJSON_ParseWithLength(json, len);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return fail(err, err_cap, "config", "is not a JSON object");
    }
    int rc = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, root) {
        if ((rc = read_key(v, cfg, err, err_cap)))
            break;
    }
    cJSON_Delete(root);
    return rc;
}

int pw_server_config_load(pw_server_config *cfg, const char *path, char *err, size_t err_cap) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_cap, "%s: %s", path, strerror(errno));
        return -1;
    }
    char *buf = malloc(1 << 20);
    size_t len = buf ? fread(buf, 1, 1 << 20, f) : 0;
    int too_big = buf && len == (1 << 20);
    fclose(f);
    char inner[512];
    int rc = -1;
    if (!buf || too_big)
        snprintf(inner, sizeof inner, "%s", buf ? "is larger than 1 MB" : "out of memory");
    else
        rc = pw_server_config_parse(cfg, buf, len, inner, sizeof inner);
    free(buf);
    if (rc)
        snprintf(err, err_cap, "%s: %s", path, inner);
    return rc;
}

int pw_server_config_env(pw_server_config *cfg, char *err, size_t err_cap) {
    static const struct {
        const char *name;
        size_t offset, cap;
    } vars[] = {
        {"PAGEWISE_LISTEN", offsetof(pw_server_config, listen), sizeof cfg->listen},
        {"PAGEWISE_DATA", offsetof(pw_server_config, data_dir), sizeof cfg->data_dir},
        {"PAGEWISE_ADMIN_TOKEN", offsetof(pw_server_config, admin_token), sizeof cfg->admin_token},
    };
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *value = getenv(vars[i].name);
        if (!value || !*value)
            continue;
        if (strlen(value) >= vars[i].cap)
            return fail(err, err_cap, vars[i].name, "is too long");
        snprintf((char *)cfg + vars[i].offset, vars[i].cap, "%s", value);
    }
    if (cfg->admin_token[0] && strlen(cfg->admin_token) < 16)
        return fail(err, err_cap, "PAGEWISE_ADMIN_TOKEN", "must be at least 16 characters");
    return 0;
}

int pw_server_config_finish(pw_server_config *cfg, char *err, size_t err_cap) {
    if (cfg->app_count)
        return 0;
    pw_app *app = calloc(1, sizeof *app);
    if (!app || !(app->origins = calloc(2, sizeof *app->origins))) {
        free(app);
        return fail(err, err_cap, "apps", "out of memory");
    }
    cfg->apps = app, cfg->app_count = 1;
    snprintf(app->key, sizeof app->key, "pk_demo_acme");
    snprintf(app->name, sizeof app->name, "Acme Projects (demo)");
    /* The demo pages are served by this server, so its own origins are the allowed ones. */
    const char *port = strrchr(cfg->listen, ':');
    char origin[128];
    snprintf(origin, sizeof origin, "http://%s", cfg->listen);
    app->origins[app->origin_count++] = dup_origin(origin);
    snprintf(origin, sizeof origin, "http://localhost%s", port ? port : "");
    app->origins[app->origin_count++] = dup_origin(origin);
    if (!app->origins[0] || !app->origins[1])
        return fail(err, err_cap, "apps", "out of memory");
    return 0;
}

void pw_server_config_free(pw_server_config *cfg) {
    for (size_t i = 0; i < cfg->app_count; i++)
        app_free(&cfg->apps[i]);
    free(cfg->apps);
    cfg->apps = NULL, cfg->app_count = 0;
}
