/* The group-commit writer (server/store/writer.c) with its checkpoint thread
 * (server/store/checkpointer.c) on a real SQLite file: under a long run of writes the WAL stays
 * short (checkpoints keep up and it starts again from its beginning, so it neither fills the
 * disk nor slows every read), and every acknowledged write is in the database after the writer
 * stops. Built under ThreadSanitizer too, for the queue, the wake-ups and the commit hook.
 * SPDX-License-Identifier: MIT */
#include "store/writer.h"
#include "pw_test.h"
#include "pw_test_dir.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define JOBS         3000
#define ROWS_PER_JOB 8
#define ROW_BYTES    3000
#define FRAME_BYTES  (4096 + 24) /* a WAL frame: one page and its header */
/* The WAL restarts near 1,000 frames; only the backstop would stop it at 8,000, and nothing
 * before 18,000. A slow machine (or ThreadSanitizer) may let it run past 1,000 while the
 * checkpoint thread is busy, hence the room. */
#define WAL_MAX_FRAME 4000

static int insert_rows(pw_conn *c, void *arg) {
    (void)arg;
    sqlite3_stmt *st = pw_conn_stmt(c, "INSERT INTO t(body) VALUES (randomblob(?1))");
    if (!st)
        return -1;
    for (int i = 0; i < ROWS_PER_JOB; i++) {
        sqlite3_bind_int(st, 1, ROW_BYTES);
        if (sqlite3_step(st) != SQLITE_DONE)
            return -1;
        sqlite3_reset(st);
    }
    return 0;
}

static long long file_size(const char *path) {
    struct stat s;
    return stat(path, &s) == 0 ? (long long)s.st_size : 0;
}

static void the_wal_stays_short_and_every_write_is_kept(void) {
    char dir[256], path[300], wal[310];
    if (pw_test_dir_make("pw-writer", dir, sizeof dir, "store.db", path, sizeof path) != 0) {
        PW_CHECK(0);
        return;
    }
    snprintf(wal, sizeof wal, "%s-wal", path);
    sqlite3 *db;
    PW_CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
    PW_CHECK_INT(sqlite3_exec(db,
                              "PRAGMA journal_mode=WAL;"
                              "CREATE TABLE t(id INTEGER PRIMARY KEY, body BLOB NOT NULL);",
                              NULL, NULL, NULL),
                 SQLITE_OK);
    sqlite3_close(db);

    char err[200] = "";
    pw_writer *w = pw_writer_start(path, err, sizeof err);
    PW_CHECK(w != NULL);
    if (!w) {
        fprintf(stderr, "    %s\n", err);
        pw_test_dir_remove(dir);
        return;
    }
    int acknowledged = 0;
    long long wal_max = 0;
    for (int i = 0; i < JOBS; i++) {
        if (pw_writer_run(w, insert_rows, NULL) == 0)
            acknowledged++;
        long long size = file_size(wal);
        wal_max = size > wal_max ? size : wal_max;
    }
    pw_writer_stop(w);
    PW_CHECK_INT(acknowledged, JOBS);
    /* About 18,000 pages were written: without checkpoints the WAL would hold them all. */
    fprintf(stderr, "    longest WAL: %lld frames\n", wal_max / FRAME_BYTES);
    PW_CHECK(wal_max > 0);
    PW_CHECK(wal_max / FRAME_BYTES <= WAL_MAX_FRAME);

    PW_CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    PW_CHECK_INT(sqlite3_prepare_v2(db, "SELECT count(*), min(length(body)) FROM t", -1, &st, NULL),
                 SQLITE_OK);
    PW_CHECK_INT(sqlite3_step(st), SQLITE_ROW);
    PW_CHECK_INT(sqlite3_column_int(st, 0), JOBS * ROWS_PER_JOB);
    PW_CHECK_INT(sqlite3_column_int(st, 1), ROW_BYTES);
    sqlite3_finalize(st);
    PW_CHECK_INT(sqlite3_exec(db, "PRAGMA integrity_check", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    pw_test_dir_remove(dir);
}

int main(void) {
    PW_RUN(the_wal_stays_short_and_every_write_is_kept);
    return pw_test_exit_code();
}
