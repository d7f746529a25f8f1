/* The one server state object: built in `serve`, handed to every handler as civetweb cbdata.
 * Everything in it is either immutable after start (configuration, model, apps) or
 * thread-safe by construction (writer queue, read pool, analyzer pool, rate limiters).
 * SPDX-License-Identifier: MIT */
#ifndef PW_SERVER_H
#define PW_SERVER_H

#include "engine/engine.h"
#include "kb/index.h"
#include "security/ratelimit.h"
#include "store/conn.h"
#include "store/writer.h"

#include <stddef.h>
#include <stdint.h>

struct mg_context;
struct pw_agent_cache;
struct pw_event_buffer;
struct pw_hub;

#define PW_PATH_CAP 1024

/* A product that embeds the widget (config "apps"; the demo app when there is no config). */
typedef struct pw_app {
    int64_t id; /* row in the apps table, set at start */
    char key[64];
    char name[128];
    char **origins; /* allowed Origin values; "*" allows any */
    size_t origin_count;
    char *identity_secret; /* NULL: identity verification off */
} pw_app;

typedef struct pw_limits {
    size_t body_bytes;    /* any request body (413 above) */
    size_t message_bytes; /* one message's text */
    double ip_per_minute, ip_burst;
    double session_per_minute, session_burst;
} pw_limits;

typedef struct pw_server_config {
    char listen[64];              /* "127.0.0.1:8080" */
    char data_dir[PW_PATH_CAP];   /* holds pagewise.db */
    char www_dir[PW_PATH_CAP];    /* static pages: demo app, console */
    char widget_dir[PW_PATH_CAP]; /* the built widget: pagewise.js, core.js, .wasm */
    char model_path[PW_PATH_CAP];
    char policy_path[PW_PATH_CAP];
    char seed_path[PW_PATH_CAP]; /* knowledge base imported into an empty store ("" = none) */
    int threads;
    pw_limits limits;
    int sla_minutes[4]; /* first-response target by priority 0..3 */
    pw_app *apps;
    size_t app_count;
    char admin_token[128]; /* PAGEWISE_ADMIN_TOKEN, "" when unset */
} pw_server_config;

/* The widget's copy of the model: the compact export, gzipped once at start. */
typedef struct pw_widget_model {
    unsigned char *gz;
    size_t gz_len;
    char etag[40];
} pw_widget_model;

typedef struct pw_server {
    pw_server_config cfg;
    pw_writer *writer; /* every write */
    pw_pool *readers;  /* every read */
    pw_kb_live kb;     /* the published knowledge base in memory, for retrieval */
    pw_engine engine;
    pw_widget_model widget_model;
    pw_ratelimit *ip_limit, *session_limit;
    struct pw_agent_cache *agents;          /* agents recently signed in, by token hash */
    struct pw_recent_cache *recent;         /* returning customers' recent contact */
    struct pw_event_buffer *pending_events; /* anonymous visitors' events before a message */
    struct pw_hub *hub;                     /* who watches which conversation live (api/live.c) */
    unsigned char session_key[32]; /* signs widget sessions and CSAT tokens; kept in meta */
    struct mg_context *http;
} pw_server;

/* Milliseconds since the Unix epoch (CLOCK_REALTIME): what the store records. */
int64_t pw_now_ms(void);
/* Monotonic milliseconds, for rate limits. */
int64_t pw_mono_ms(void);

/* The app with this public key, or NULL. */
const pw_app *pw_server_app_by_key(const pw_server *srv, const char *key);
const pw_app *pw_server_app_by_id(const pw_server *srv, int64_t id);

#endif
