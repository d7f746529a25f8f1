/* Start-up rows: apps, the session key, the first admin.
 * SPDX-License-Identifier: MIT */
#include "setup.h"
#include "../security/token.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

typedef struct apps_job {
    pw_app *apps;
    size_t count;
    int64_t now;
} apps_job;

static const char upsert_app_sql[] =
    "INSERT INTO apps(app_key, name, allowed_origins, identity_secret, created_at)"
    " VALUES (?1, ?2, '[]', ?3, ?4)"
    " ON CONFLICT(app_key) DO UPDATE SET name = excluded.name,"
    " identity_secret = excluded.identity_secret"
    " RETURNING id";

static int sync_apps(pw_conn *c, void *arg) {
    apps_job *job = arg;
    for (size_t i = 0; i < job->count; i++) {
        sqlite3_stmt *st = pw_conn_stmt(c, upsert_app_sql);
        if (!st)
            return -1;
        pw_app *a = &job->apps[i];
        sqlite3_bind_text(st, 1, a->key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, a->name, -1, SQLITE_STATIC);
        if (a->identity_secret)
            sqlite3_bind_text(st, 3, a->identity_secret, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, job->now);
        if (sqlite3_step(st) != SQLITE_ROW)
            return -1;
        a->id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    }
    return 0;
}

int pw_store_sync_apps(pw_writer *w, pw_app *apps, size_t count) {
    apps_job job = {apps, count, pw_now_ms()};
    return pw_writer_run(w, sync_apps, &job) < 0 ? -1 : 0;
}

static const char read_key_sql[] = "SELECT value FROM meta WHERE key = 'session_key'";
static const char write_key_sql[] = "INSERT INTO meta(key, value) VALUES ('session_key', ?1)";

static int hex_decode(const char *hex, unsigned char *out, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned v = 0;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1)
            return -1;
        out[i] = (unsigned char)v;
    }
    return 0;
}

static int session_key(pw_conn *c, void *arg) {
    unsigned char *key = arg;
    sqlite3_stmt *st = pw_conn_stmt(c, read_key_sql);
    if (!st)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *hex = (const char *)sqlite3_column_text(st, 0);
        return hex && strlen(hex) == 64 ? hex_decode(hex, key, 32) : -1;
    }
    if (RAND_bytes(key, 32) != 1)
        return -1;
    char hex[65];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", key[i]);
    st = pw_conn_stmt(c, write_key_sql);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, hex, 64, SQLITE_TRANSIENT);
    return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

int pw_store_session_key(pw_writer *w, unsigned char key[32]) {
    return pw_writer_run(w, session_key, key) < 0 ? -1 : 0;
}

typedef struct admin_job {
    const char *env_token;
    char *generated;
    size_t cap;
    int64_t now;
} admin_job;

static const char count_admins_sql[] = "SELECT count(*) FROM agents WHERE role = 'admin'";
static const char token_known_sql[] = "SELECT 1 FROM agents WHERE token_hash = ?1";
static const char insert_admin_sql[] =
    "INSERT INTO agents(name, email, role, token_hash, created_at)"
    " VALUES ('Admin', ?1, 'admin', ?2, ?3)";

static int insert_admin(pw_conn *c, const char *token, int64_t now) {
    char hash[65], email[64];
    pw_token_hash_hex(token, strlen(token), hash);
    sqlite3_stmt *st = pw_conn_stmt(c, token_known_sql);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, hash, 64, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        return 0;
    /* Emails are unique; an admin added from the environment gets one derived from its hash. */
    snprintf(email, sizeof email, "admin+%.12s@pagewise.invalid", hash);
    if (!(st = pw_conn_stmt(c, insert_admin_sql)))
        return -1;
    sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, hash, 64, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now);
    return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

static int ensure_admin(pw_conn *c, void *arg) {
    admin_job *job = arg;
    if (job->env_token && *job->env_token)
        return insert_admin(c, job->env_token, job->now);
    sqlite3_stmt *st = pw_conn_stmt(c, count_admins_sql);
    if (!st || sqlite3_step(st) != SQLITE_ROW)
        return -1;
    if (sqlite3_column_int64(st, 0) > 0)
        return 0;
    if (pw_token_generate("pwa_", job->generated, job->cap))
        return -1;
    return insert_admin(c, job->generated, job->now) < 0 ? -1 : 1;
}

int pw_store_ensure_admin(pw_writer *w, const char *env_token, char *generated, size_t cap) {
    admin_job job = {env_token, generated, cap, pw_now_ms()};
    int rc = pw_writer_run(w, ensure_admin, &job);
    return rc < 0 ? -1 : rc;
}
