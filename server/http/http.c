/* civetweb setup. Static pages come from www_dir (civetweb's document root); the built widget
 * lives in the build tree, so /widget/ is a handler that serves files from widget_dir.
 * SPDX-License-Identifier: MIT */
#include "http.h"
#include "../api/api.h"

#include <civetweb.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

/* Pages embed the widget, which instantiates wasm: that needs 'wasm-unsafe-eval' and nothing
 * looser. Inline scripts and styles are not allowed anywhere in www/. */
#define PW_SECURITY_HEADERS                                                                        \
    "X-Content-Type-Options: nosniff\r\n"                                                          \
    "Referrer-Policy: same-origin\r\n"                                                             \
    "Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "          \
    "style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'self'"

/* Request threads run at nice 5, the store's writer thread at 0. Every write waits for that one
 * thread, and under load it queued for a CPU behind hundreds of runnable request threads: at 500
 * connections it spent 560 ms of each second runnable but not running (its schedstat), while
 * the request threads it held up idled the CPUs. Raising the writer needs a privilege; lowering
 * request threads does not. On Linux a nice value is per thread, and 0 names the caller;
 * elsewhere this would lower the whole process, so it is Linux only. */
#define REQUEST_THREAD_NICE 5

static void *lower_request_thread_priority(const struct mg_context *ctx, int thread_type) {
    (void)ctx;
#ifdef __linux__
    if (thread_type == 1) /* a worker: civetweb's 0 is its master, 2 its timer */
        setpriority(PRIO_PROCESS, 0, REQUEST_THREAD_NICE);
#else
    (void)thread_type;
#endif
    return NULL;
}

static int is_safe_relative(const char *rel) {
    return rel[0] != '\0' && rel[0] != '/' && strstr(rel, "..") == NULL &&
           strchr(rel, '\\') == NULL;
}

/* The widget's files by extension. civetweb's own table would do for the plain files, but the
 * .gz twins need their original type said explicitly. */
static const char *widget_mime(const char *rel) {
    static const struct {
        const char *ext, *mime;
    } types[] = {
        {".js", "text/javascript"}, {".mjs", "text/javascript"}, {".wasm", "application/wasm"}};
    const char *dot = strrchr(rel, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].mime;
    return NULL;
}

/* Whether the client takes gzip: a coding named gzip without q=0 (RFC 9110 12.5.3). Good enough
 * for browsers, which all send "gzip, deflate, br" or similar. */
static int accepts_gzip(const struct mg_connection *conn) {
    const char *ae = mg_get_header(conn, "Accept-Encoding");
    const char *g = ae ? strstr(ae, "gzip") : NULL;
    if (!g)
        return 0;
    const char *q = strstr(g, "q=0");
    const char *comma = strchr(g, ',');
    return !(q && (!comma || q < comma) && strncmp(q, "q=0.", 4) != 0);
}

static int regular_file(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int widget_handler(struct mg_connection *conn, void *cbdata) {
    const pw_server *srv = cbdata;
    const struct mg_request_info *ri = mg_get_request_info(conn);
    const char *rel = ri->local_uri + strlen("/widget/");
    char path[PW_PATH_CAP * 2];
    if (!is_safe_relative(rel) ||
        snprintf(path, sizeof path, "%s/%s.gz", srv->cfg.widget_dir, rel) >= (int)sizeof path) {
        mg_send_http_error(conn, 404, "%s", "Not found");
        return 404;
    }
    /* Host pages on other origins load the widget, so its files carry a CORS header. The build
     * puts a .gz beside each file a host page loads: 49 kB on the wire instead of 190. */
    const char *mime = widget_mime(rel);
    if (mime && accepts_gzip(conn) && regular_file(path)) {
        mg_send_mime_file2(conn, path, mime,
                           "Access-Control-Allow-Origin: *\r\nContent-Encoding: gzip\r\n"
                           "Vary: Accept-Encoding\r\n");
        return 200;
    }
    path[strlen(path) - 3] = '\0';
    if (!regular_file(path)) {
        mg_send_http_error(conn, 404, "%s", "Not found");
        return 404;
    }
    mg_send_mime_file2(conn, path, mime,
                       "Access-Control-Allow-Origin: *\r\nVary: Accept-Encoding\r\n");
    return 200;
}

static int check_dir(const char *what, const char *dir, char *err, size_t err_cap) {
    struct stat st;
    if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    snprintf(err, err_cap, "%s directory not found: %s", what, dir);
    return -1;
}

int pw_http_start(pw_server *srv, char *err, size_t err_cap) {
    if (check_dir("www", srv->cfg.www_dir, err, err_cap) ||
        check_dir("widget", srv->cfg.widget_dir, err, err_cap))
        return -1;
    char threads[16];
    snprintf(threads, sizeof threads, "%d", srv->cfg.threads);
    const char *options[] = {
        "listening_ports", srv->cfg.listen, "document_root", srv->cfg.www_dir,
        /* Without tcp_nodelay every keep-alive response waits ~40 ms for Nagle. */
        "tcp_nodelay", "1", "num_threads", threads, "enable_keep_alive", "yes",
        "keep_alive_timeout_ms", "5000", "enable_directory_listing", "no", "extra_mime_types",
        ".wasm=application/wasm,.mjs=text/javascript", "additional_header", PW_SECURITY_HEADERS,
        "request_timeout_ms", "30000",
        /* A live connection quiet for a minute gets a ping instead of being closed; clients
         * send their own ping every 25 s, so a dead peer is noticed either way. */
        "websocket_timeout_ms", "60000", "enable_websocket_ping_pong", "yes",
        /* CORS is ours: civetweb's own would answer every preflight (any path, any method) with
         * "*" before our handlers run, and add a second Access-Control-Allow-Origin to files. */
        "access_control_allow_origin", "", NULL};
    struct mg_callbacks callbacks;
    memset(&callbacks, 0, sizeof callbacks);
    callbacks.init_thread = lower_request_thread_priority;
    srv->http = mg_start(&callbacks, srv, options);
    if (!srv->http) {
        snprintf(err, err_cap, "cannot listen on %s (port in use or address invalid)",
                 srv->cfg.listen);
        return -1;
    }
    mg_set_request_handler(srv->http, "/widget/", widget_handler, srv);
    pw_api_register(srv->http, srv);
    return 0;
}

void pw_http_stop(pw_server *srv) {
    if (srv->http)
        mg_stop(srv->http);
    srv->http = NULL;
}
