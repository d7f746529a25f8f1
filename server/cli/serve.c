/* `pagewise serve`: read the configuration, open the store (migrations, writer, readers), load
 * the model and policy, put the start-up rows in place, start HTTP, wait for SIGTERM or SIGINT,
 * then shut down in reverse order so in-flight requests finish before the store closes.
 * SPDX-License-Identifier: MIT */
#include "cli.h"
#include "modelfile.h"
#include "../config/server_config.h"
#include "../engine/widget_model.h"
#include "../http/http.h"
#include "../api/api.h"
#include "../kb/kb.h"
#include "../realtime/hub.h"
#include "../log.h"
#include "../pipeline/event_buffer.h"
#include "../pipeline/recent.h"
#include "../security/agent_cache.h"
#include "../store/db.h"
#include "../store/setup.h"

#include <civetweb.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define READERS_MAX 64 /* read connections, each with its own page cache and statements */

static const char usage[] =
    "usage: pagewise serve [--config FILE] [--listen ADDR:PORT] [--data DIR] [--www DIR]\n"
    "                      [--widget DIR]\n"
    "  --config  JSON configuration (see README, \"Configuration\"); flags override it\n"
    "  --listen  address and port to bind (default 127.0.0.1:8080)\n"
    "  --data    directory for pagewise.db (default ./data, created if missing)\n"
    "  --www     static pages (default: this build's source www/)\n"
    "  --widget  built widget files (default: this build's widget output)\n"
    "environment: PAGEWISE_LISTEN, PAGEWISE_DATA, PAGEWISE_ADMIN_TOKEN (the first admin's token)\n";

static int valid_listen(const char *listen) {
    const char *colon = strrchr(listen, ':');
    if (!colon || colon == listen)
        return 0;
    char *end;
    errno = 0;
    long port = strtol(colon + 1, &end, 10);
    return errno == 0 && *end == '\0' && end != colon + 1 && port >= 1 && port <= 65535;
}

typedef struct flag {
    const char *name;
    size_t offset, cap;
} flag;

#define FLAG(name, member)                                                                         \
    { name, offsetof(pw_server_config, member), sizeof(((pw_server_config *)0)->member) }

static const flag flags[] = {FLAG("--listen", listen), FLAG("--data", data_dir),
                             FLAG("--www", www_dir), FLAG("--widget", widget_dir)};

/* Defaults, then --config, then the environment, then the other flags. */
static int configure(int argc, char **argv, pw_server_config *cfg) {
    pw_server_config_defaults(cfg);
    char err[700];
    for (int i = 0; i < argc; i += 2) {
        if (i + 1 >= argc || !*argv[i + 1]) {
            fprintf(stderr, "pagewise serve: %s needs a value\n%s", argv[i], usage);
            return -1;
        }
        if (strcmp(argv[i], "--config") == 0 &&
            pw_server_config_load(cfg, argv[i + 1], err, sizeof err)) {
            fprintf(stderr, "pagewise serve: %s\n", err);
            return -1;
        }
    }
    if (pw_server_config_env(cfg, err, sizeof err)) {
        fprintf(stderr, "pagewise serve: %s\n", err);
        return -1;
    }
    for (int i = 0; i < argc; i += 2) {
        size_t f = 0, n = sizeof flags / sizeof flags[0];
        while (f < n && strcmp(argv[i], flags[f].name) != 0)
            f++;
        if (f == n && strcmp(argv[i], "--config") != 0) {
            fprintf(stderr, "pagewise serve: unknown option '%s'\n%s", argv[i], usage);
            return -1;
        }
        if (f < n && snprintf((char *)cfg + flags[f].offset, flags[f].cap, "%s", argv[i + 1]) >=
                         (int)flags[f].cap) {
            fprintf(stderr, "pagewise serve: %s is too long\n", argv[i]);
            return -1;
        }
    }
    if (!valid_listen(cfg->listen)) {
        fprintf(stderr, "pagewise serve: listen must be ADDR:PORT with PORT 1-65535, got '%s'\n",
                cfg->listen);
        return -1;
    }
    if (pw_server_config_finish(cfg, err, sizeof err)) {
        fprintf(stderr, "pagewise serve: %s\n", err);
        return -1;
    }
    return 0;
}

static int open_store(pw_server *srv, char *err, size_t err_cap) {
    if (mkdir(srv->cfg.data_dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, err_cap, "cannot create data directory %.500s: %s", srv->cfg.data_dir,
                 strerror(errno));
        return -1;
    }
    char path[PW_PATH_CAP + 16];
    snprintf(path, sizeof path, "%s/pagewise.db", srv->cfg.data_dir);
    pw_db_setup();
    /* pw_db_open migrates; the writer and the readers then open their own connections. */
    sqlite3 *db = pw_db_open(path, err, err_cap);
    if (!db)
        return -1;
    pw_db_close(db);
    /* With hundreds of worker threads on a few cores, a worker is often preempted while it
     * holds a reader, and with 16 readers the others then queued for the pool: at 500
     * connections 64 readers cut server CPU per request by a fifth. No more readers than
     * workers could ever hold at once. */
    int readers = srv->cfg.threads < READERS_MAX ? srv->cfg.threads : READERS_MAX;
    if (!(srv->writer = pw_writer_start(path, err, err_cap)) ||
        !(srv->readers = pw_pool_open(path, readers, err, err_cap)))
        return -1;
    return 0;
}

static int load_engine(pw_server *srv, char *err, size_t err_cap) {
    pw_model *m = NULL;
    if (pw_modelfile_load("serve", srv->cfg.model_path, &m))
        return snprintf(err, err_cap, "cannot load the model"), -1;
    if (pw_engine_open(&srv->engine, m, srv->cfg.policy_path, err, err_cap) ||
        pw_widget_model_build(srv->engine.model, &srv->widget_model, err, err_cap))
        return -1;
    return 0;
}

static int seed_store(pw_server *srv, char *err, size_t err_cap) {
    if (pw_store_sync_apps(srv->writer, srv->cfg.apps, srv->cfg.app_count) ||
        pw_store_session_key(srv->writer, srv->session_key))
        return snprintf(err, err_cap, "cannot write the start-up rows"), -1;
    char token[128];
    int generated = pw_store_ensure_admin(srv->writer, srv->cfg.admin_token, token, sizeof token);
    if (generated < 0)
        return snprintf(err, err_cap, "cannot create the first admin"), -1;
    if (generated)
        printf("pagewise: first start: the admin token is %s\n"
               "          (stored hashed, shown only now; set PAGEWISE_ADMIN_TOKEN to choose "
               "your own)\n",
               token);
    if (srv->cfg.seed_path[0]) {
        int n = pw_kb_seed(srv->writer, srv->cfg.seed_path, pw_now_ms(), err, err_cap);
        if (n < 0)
            return -1;
        if (n > 0)
            printf("pagewise: imported %d knowledge-base articles from %s\n", n,
                   srv->cfg.seed_path);
    }
    pw_conn *c = pw_pool_get(srv->readers);
    int rc = pw_kb_live_init(&srv->kb, c);
    pw_pool_put(srv->readers, c);
    if (rc)
        return snprintf(err, err_cap, "cannot read the knowledge base"), -1;
    return 0;
}

static int start(pw_server *srv, char *err, size_t err_cap) {
    const pw_limits *l = &srv->cfg.limits;
    if (open_store(srv, err, err_cap) || load_engine(srv, err, err_cap) ||
        seed_store(srv, err, err_cap))
        return -1;
    srv->ip_limit = pw_ratelimit_new(l->ip_per_minute, l->ip_burst, 65536);
    srv->session_limit = pw_ratelimit_new(l->session_per_minute, l->session_burst, 65536);
    srv->pending_events = pw_event_buffer_new(4096);
    srv->agents = pw_agent_cache_new();
    srv->recent = pw_recent_cache_new();
    if (!srv->ip_limit || !srv->session_limit || !srv->pending_events || !srv->agents ||
        !srv->recent || pw_api_live_open(srv))
        return snprintf(err, err_cap, "out of memory"), -1;
    return pw_http_start(srv, err, err_cap);
}

static void stop(pw_server *srv) {
    pw_http_stop(srv); /* closes every live connection: each leaves the hub */
    pw_hub_free(srv->hub);
    pw_ratelimit_free(srv->ip_limit);
    pw_ratelimit_free(srv->session_limit);
    pw_event_buffer_free(srv->pending_events);
    pw_agent_cache_free(srv->agents);
    pw_recent_cache_free(srv->recent);
    pw_widget_model_free(&srv->widget_model);
    pw_engine_close(&srv->engine);
    pw_kb_live_free(&srv->kb);
    pw_pool_close(srv->readers);
    pw_writer_stop(srv->writer); /* commits whatever is queued before closing */
    pw_server_config_free(&srv->cfg);
}

int pw_cli_serve(int argc, char **argv) {
    pw_server srv;
    memset(&srv, 0, sizeof srv);
    if (configure(argc, argv, &srv.cfg)) {
        pw_server_config_free(&srv.cfg);
        return 2;
    }
    /* Block the stop signals before any thread starts, so they inherit the mask and only this
     * thread's sigwait sees them. */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    char err[700] = "";
    mg_init_library(0);
    if (start(&srv, err, sizeof err)) {
        fprintf(stderr, "pagewise serve: %s\n", err);
        stop(&srv);
        mg_exit_library();
        return 1;
    }
    pw_log_info("server.start", "listen", srv.cfg.listen, "data", srv.cfg.data_dir, "www",
                srv.cfg.www_dir, NULL);
    printf("pagewise: serving http://%s/ (Ctrl-C to stop)\n", srv.cfg.listen);
    fflush(stdout);
    int sig = 0;
    sigwait(&stop_signals, &sig);
    pw_log_info("server.stop", "signal", sig == SIGTERM ? "SIGTERM" : "SIGINT", NULL);
    stop(&srv);
    mg_exit_library();
    return 0;
}
