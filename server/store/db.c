/* SQLite setup and migrations. Migrations are append-only SQL in this file: a released
 * migration is never edited, a change is a new one, and user_version records how far a file got.
 * SPDX-License-Identifier: MIT */
#include "db.h"

#include <stdio.h>

static const char *const migrations[] = {
    /* 1: instance metadata (creation time, later the generated admin token's hash). */
    "CREATE TABLE meta ("
    "  key   TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL"
    ") STRICT;"
    "INSERT INTO meta(key, value) VALUES ('created_at', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));",
};

int pw_db_schema_version(void) {
    return (int)(sizeof migrations / sizeof migrations[0]);
}

int pw_db_current_version(sqlite3 *db) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return -1;
    int v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

static int exec(sqlite3 *db, const char *sql, char *err, size_t err_cap) {
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return 0;
    snprintf(err, err_cap, "%s", msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    return -1;
}

/* Each migration and its version bump commit together, so a crash mid-migration leaves the
 * file at the previous version, never half-migrated. */
static int migrate(sqlite3 *db, char *err, size_t err_cap) {
    int current = pw_db_current_version(db);
    if (current < 0 || current > pw_db_schema_version()) {
        snprintf(err, err_cap, "database schema version %d is newer than this binary (%d)", current,
                 pw_db_schema_version());
        return -1;
    }
    for (int v = current; v < pw_db_schema_version(); v++) {
        char bump[64];
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d;", v + 1);
        if (exec(db, "BEGIN IMMEDIATE;", err, err_cap) || exec(db, migrations[v], err, err_cap) ||
            exec(db, bump, err, err_cap) || exec(db, "COMMIT;", err, err_cap)) {
            sqlite3_exec(db, "ROLLBACK;", NULL, NULL, NULL);
            return -1;
        }
    }
    return 0;
}

sqlite3 *pw_db_open(const char *path, char *err, size_t err_cap) {
    sqlite3 *db = NULL;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        snprintf(err, err_cap, "cannot open %s: %s", path, db ? sqlite3_errmsg(db) : "no memory");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 5000);
    if (exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", err,
             err_cap) ||
        migrate(db, err, err_cap)) {
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

void pw_db_close(sqlite3 *db) {
    sqlite3_close(db);
}
