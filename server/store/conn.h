/* Connections with a statement cache, and the pool of read connections the HTTP workers share.
 * Writes never use these read connections: they go through the writer (writer.h), so readers
 * and the one writer never contend for SQLite's write lock.
 * SPDX-License-Identifier: MIT */
#ifndef PW_STORE_CONN_H
#define PW_STORE_CONN_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

typedef struct pw_conn pw_conn;

/* Opens `path` (which must already be migrated by pw_db_open) read-only when `readonly`.
 * Returns NULL with a message in err on failure. Caller frees with pw_conn_close. */
pw_conn *pw_conn_open(const char *path, int readonly, char *err, size_t err_cap);

/* Wraps an already open handle (the writer's); pw_conn_close then closes it too. */
pw_conn *pw_conn_wrap(sqlite3 *db);

sqlite3 *pw_conn_db(pw_conn *c);

/* The prepared statement for `sql`, cached by the pointer `sql` (pass string literals or other
 * static text, never a buffer that changes). The statement comes back reset with its bindings
 * cleared. NULL when preparing fails (the error is logged once per call). Borrowed: valid until
 * pw_conn_close. */
sqlite3_stmt *pw_conn_stmt(pw_conn *c, const char *sql);

/* Resets every statement still stepping, so no read transaction outlives a request (an open
 * read transaction would keep WAL checkpoints from finishing). */
void pw_conn_release(pw_conn *c);

void pw_conn_close(pw_conn *c);

/* Binding helpers: NULL text binds SQL NULL; ids <= 0 bind NULL (no row). Text is bound
 * SQLITE_STATIC: it must outlive the statement's step. */
void pw_bind_text_or_null(sqlite3_stmt *st, int i, const char *s);
void pw_bind_id_or_null(sqlite3_stmt *st, int i, int64_t id);

/* Steps an INSERT to completion and sets *id to the new row's rowid. 0, or -1 on error. */
int pw_step_insert(pw_conn *c, sqlite3_stmt *st, int64_t *id);

/* Copies column `col` as text into dst[0..cap) ("" for NULL), truncating. */
void pw_column_copy(sqlite3_stmt *st, int col, char *dst, size_t cap);

typedef struct pw_pool pw_pool;

/* `size` read connections to `path`. NULL with a message in err on failure. */
pw_pool *pw_pool_open(const char *path, int size, char *err, size_t err_cap);

/* Takes a connection, waiting while all are in use, with a read transaction begun: every read
 * until pw_pool_put sees one snapshot, so a write committed meanwhile is not seen. Give it back
 * with pw_pool_put, which ends the transaction; never hold one across pw_writer_run. */
pw_conn *pw_pool_get(pw_pool *p);
void pw_pool_put(pw_pool *p, pw_conn *c);

void pw_pool_close(pw_pool *p);

#endif
