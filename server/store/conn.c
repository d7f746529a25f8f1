/* Statement cache and read pool. The cache is a small open-addressed table keyed by the SQL
 * text's address: queries are string literals, so the address is a perfect, cheap key, and
 * preparing once per connection instead of once per request is most of SQLite's per-query cost.
 * SPDX-License-Identifier: MIT */
#include "conn.h"
#include "../log.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define STMT_SLOTS 128 /* power of two, comfortably more than the queries the server has */

typedef struct stmt_slot {
    const char *sql;
    sqlite3_stmt *st;
} stmt_slot;

struct pw_conn {
    sqlite3 *db;
    stmt_slot slots[STMT_SLOTS];
};

pw_conn *pw_conn_wrap(sqlite3 *db) {
    pw_conn *c = calloc(1, sizeof *c);
    if (c)
        c->db = db;
    return c;
}

pw_conn *pw_conn_open(const char *path, int readonly, char *err, size_t err_cap) {
    sqlite3 *db = NULL;
    int flags = (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        snprintf(err, err_cap, "cannot open %s: %s", path, db ? sqlite3_errmsg(db) : "no memory");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 5000);
    /* Memory-mapped reads skip a copy per page read, but in WAL mode a reader unmaps its whole
     * mapping at its first read after another connection commits: under a write load every
     * request paid an munmap and the page faults that refilled the mapping. Readers read with
     * pread; the writer sees only its own commits and keeps its mapping. */
    sqlite3_exec(db,
                 readonly ? "PRAGMA foreign_keys=ON; PRAGMA mmap_size=0;"
                          : "PRAGMA foreign_keys=ON; PRAGMA mmap_size=268435456;",
                 NULL, NULL, NULL);
    pw_conn *c = pw_conn_wrap(db);
    if (!c) {
        snprintf(err, err_cap, "out of memory");
        sqlite3_close(db);
    }
    return c;
}

sqlite3 *pw_conn_db(pw_conn *c) {
    return c->db;
}

static size_t slot_of(const char *sql) {
    uintptr_t h = (uintptr_t)sql;
    h ^= h >> 17;
    h *= (uintptr_t)0x9E3779B97F4A7C15u;
    return (size_t)(h >> 7) & (STMT_SLOTS - 1);
}

sqlite3_stmt *pw_conn_stmt(pw_conn *c, const char *sql) {
    size_t i = slot_of(sql);
    for (size_t probe = 0; probe < STMT_SLOTS; probe++, i = (i + 1) & (STMT_SLOTS - 1)) {
        stmt_slot *s = &c->slots[i];
        if (s->sql == sql) {
            sqlite3_reset(s->st);
            sqlite3_clear_bindings(s->st);
            return s->st;
        }
        if (!s->sql) {
            if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st, NULL) !=
                SQLITE_OK) {
                pw_log_error("store.prepare", "error", sqlite3_errmsg(c->db), "sql", sql, NULL);
                return NULL;
            }
            s->sql = sql;
            return s->st;
        }
    }
    pw_log_error("store.prepare", "error", "statement cache full", "sql", sql, NULL);
    return NULL;
}

void pw_conn_release(pw_conn *c) {
    for (size_t i = 0; i < STMT_SLOTS; i++)
        if (c->slots[i].st && sqlite3_stmt_busy(c->slots[i].st))
            sqlite3_reset(c->slots[i].st);
}

void pw_conn_close(pw_conn *c) {
    if (!c)
        return;
    for (size_t i = 0; i < STMT_SLOTS; i++)
        sqlite3_finalize(c->slots[i].st);
    sqlite3_close(c->db);
    free(c);
}

void pw_bind_text_or_null(sqlite3_stmt *st, int i, const char *s) {
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

void pw_bind_id_or_null(sqlite3_stmt *st, int i, int64_t id) {
    if (id > 0)
        sqlite3_bind_int64(st, i, id);
    else
        sqlite3_bind_null(st, i);
}

/* Instead of RETURNING id, which makes SQLite collect the row in an ephemeral table and step
 * once more: about 2 us an insert. The connection's last rowid is the same number, and a
 * connection is only ever used by one thread at a time. */
int pw_step_insert(pw_conn *c, sqlite3_stmt *st, int64_t *id) {
    int rc = sqlite3_step(st);
    *id = rc == SQLITE_DONE ? sqlite3_last_insert_rowid(c->db) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

void pw_column_copy(sqlite3_stmt *st, int col, char *dst, size_t cap) {
    const unsigned char *s = sqlite3_column_text(st, col);
    snprintf(dst, cap, "%s", s ? (const char *)s : "");
}

struct pw_pool {
    pthread_mutex_t lock;
    pthread_cond_t freed;
    int size, available;
    pw_conn **free_list;
};

pw_pool *pw_pool_open(const char *path, int size, char *err, size_t err_cap) {
    pw_pool *p = calloc(1, sizeof *p);
    if (!p || !(p->free_list = calloc((size_t)size, sizeof *p->free_list))) {
        free(p);
        snprintf(err, err_cap, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->freed, NULL);
    p->size = size;
    for (; p->available < size; p->available++) {
        p->free_list[p->available] = pw_conn_open(path, 1, err, err_cap);
        if (!p->free_list[p->available]) {
            pw_pool_close(p);
            return NULL;
        }
    }
    return p;
}

/* One read transaction per loan instead of one per statement: a request's reads see one
 * snapshot, and SQLite checks the WAL once. Each read transaction that starts after the writer
 * committed drops the connection's whole page cache, and under load the writer commits
 * between most statements. */
static const char begin_sql[] = "BEGIN", end_sql[] = "COMMIT";

static void step_once(pw_conn *c, const char *sql) {
    sqlite3_stmt *st = pw_conn_stmt(c, sql);
    if (st && sqlite3_step(st) != SQLITE_DONE)
        pw_log_error("store.read", "error", sqlite3_errmsg(c->db), "sql", sql, NULL);
    sqlite3_reset(st);
}

pw_conn *pw_pool_get(pw_pool *p) {
    pthread_mutex_lock(&p->lock);
    while (p->available == 0)
        pthread_cond_wait(&p->freed, &p->lock);
    pw_conn *c = p->free_list[--p->available];
    pthread_mutex_unlock(&p->lock);
    step_once(c, begin_sql);
    return c;
}

void pw_pool_put(pw_pool *p, pw_conn *c) {
    pw_conn_release(c);
    step_once(c, end_sql);
    pthread_mutex_lock(&p->lock);
    p->free_list[p->available++] = c;
    pthread_cond_signal(&p->freed);
    pthread_mutex_unlock(&p->lock);
}

void pw_pool_close(pw_pool *p) {
    if (!p)
        return;
    for (int i = 0; i < p->available; i++)
        pw_conn_close(p->free_list[i]);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->freed);
    free(p->free_list);
    free(p);
}
