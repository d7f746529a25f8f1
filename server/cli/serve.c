/* `pagewise serve`: parse options, open the store, start HTTP, wait for SIGTERM or SIGINT,
 * then shut down in reverse order so in-flight requests finish before the database closes.
 * SPDX-License-Identifier: MIT */
#include "cli.h"
#include "../http/http.h"
#include "../log.h"
#include "../store/db.h"

#include <civetweb.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[] =
    "usage: pagewise serve [--listen ADDR:PORT] [--data DIR] [--www DIR] [--widget DIR]\n"
    "  --listen  address and port to bind (default 127.0.0.1:8080)\n"
    "  --data    directory for pagewise.db (default ./data, created if missing)\n"
    "  --www     static pages (default: this build's source www/)\n"
    "  --widget  built widget files (default: this build's widget output)\n";

static int copy_option(char *dst, size_t cap, const char *name, const char *value) {
    if (!value || !*value) {
        fprintf(stderr, "pagewise serve: %s needs a value\n%s", name, usage);
        return -1;
    }
    if (snprintf(dst, cap, "%s", value) >= (int)cap) {
        fprintf(stderr, "pagewise serve: %s is too long (at most %zu bytes)\n", name, cap - 1);
        return -1;
    }
    return 0;
}

static int valid_listen(const char *listen) {
    const char *colon = strrchr(listen, ':');
    if (!colon || colon == listen)
        return 0;
    char *end;
    errno = 0;
    long port = strtol(colon + 1, &end, 10);
    return errno == 0 && *end == '\0' && end != colon + 1 && port >= 1 && port <= 65535;
}

static int parse_args(int argc, char **argv, pw_server_config *cfg) {
    snprintf(cfg->listen, sizeof cfg->listen, "127.0.0.1:8080");
    snprintf(cfg->data_dir, sizeof cfg->data_dir, "data");
    snprintf(cfg->www_dir, sizeof cfg->www_dir, "%s", PW_DEFAULT_WWW_DIR);
    snprintf(cfg->widget_dir, sizeof cfg->widget_dir, "%s", PW_DEFAULT_WIDGET_DIR);
    /* Every option takes a value, so options come in pairs. */
    for (int i = 0; i < argc; i += 2) {
        const char *arg = argv[i], *value = i + 1 < argc ? argv[i + 1] : NULL;
        int rc;
        if (strcmp(arg, "--listen") == 0)
            rc = copy_option(cfg->listen, sizeof cfg->listen, arg, value);
        else if (strcmp(arg, "--data") == 0)
            rc = copy_option(cfg->data_dir, sizeof cfg->data_dir, arg, value);
        else if (strcmp(arg, "--www") == 0)
            rc = copy_option(cfg->www_dir, sizeof cfg->www_dir, arg, value);
        else if (strcmp(arg, "--widget") == 0)
            rc = copy_option(cfg->widget_dir, sizeof cfg->widget_dir, arg, value);
        else {
            fprintf(stderr, "pagewise serve: unknown option '%s'\n%s", arg, usage);
            return -1;
        }
        if (rc)
            return -1;
    }
    if (!valid_listen(cfg->listen)) {
        fprintf(stderr, "pagewise serve: --listen must be ADDR:PORT with PORT 1-65535, got '%s'\n",
                cfg->listen);
        return -1;
    }
    return 0;
}

static int open_store(pw_server *srv) {
    if (mkdir(srv->cfg.data_dir, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "pagewise serve: cannot create data directory %s: %s\n", srv->cfg.data_dir,
                strerror(errno));
        return -1;
    }
    char path[PW_PATH_CAP + 16], err[512];
    snprintf(path, sizeof path, "%s/pagewise.db", srv->cfg.data_dir);
    srv->db = pw_db_open(path, err, sizeof err);
    if (!srv->db) {
        fprintf(stderr, "pagewise serve: %s\n", err);
        return -1;
    }
    return 0;
}

int pw_cli_serve(int argc, char **argv) {
    pw_server srv;
    memset(&srv, 0, sizeof srv);
    if (parse_args(argc, argv, &srv.cfg))
        return 2;
    /* Block the stop signals before civetweb starts its threads, so they inherit the mask and
     * only this thread's sigwait sees them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    if (open_store(&srv))
        return 1;
    mg_init_library(0);
    char err[512];
    if (pw_http_start(&srv, err, sizeof err)) {
        fprintf(stderr, "pagewise serve: %s\n", err);
        pw_db_close(srv.db);
        return 1;
    }
    pw_log_info("server.start", "listen", srv.cfg.listen, "data", srv.cfg.data_dir, "www",
                srv.cfg.www_dir, NULL);
    printf("pagewise: serving http://%s/ (Ctrl-C to stop)\n", srv.cfg.listen);
    fflush(stdout);
    int sig = 0;
    sigwait(&stop, &sig);
    pw_log_info("server.stop", "signal", sig == SIGTERM ? "SIGTERM" : "SIGINT", NULL);
    pw_http_stop(&srv);
    pw_db_close(srv.db);
    mg_exit_library();
    return 0;
}
