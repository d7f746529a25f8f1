/* The SQLite store: opening, pragmas and versioned schema migrations.
 * SPDX-License-Identifier: MIT */
#ifndef PW_STORE_DB_H
#define PW_STORE_DB_H

#include <sqlite3.h>
#include <stddef.h>

/* Process-wide SQLite settings for a server with many threads; call once, before any database
 * is opened. Turns off SQLite's memory statistics: they take a global mutex on every
 * allocation, which every request thread would queue on. */
void pw_db_setup(void);

/* Opens (creating if needed) `path`, sets WAL mode, synchronous=FULL (every commit synced; the
 * writer's own connection syncs from a thread of its own instead, writer.c), foreign keys and a
 * busy timeout, then applies every migration newer than the file's PRAGMA user_version in one
 * transaction each. On failure returns NULL and writes a message to err[0..err_cap). Caller
 * closes with pw_db_close. */
sqlite3 *pw_db_open(const char *path, char *err, size_t err_cap);

/* The schema version this binary migrates to. */
int pw_db_schema_version(void);

/* Reads PRAGMA user_version of an open database; -1 on error. */
int pw_db_current_version(sqlite3 *db);

void pw_db_close(sqlite3 *db);

#endif
