/* The group-commit writer (server/store/writer.c) with its checkpoint thread
 * (server/store/checkpointer.c) on a real SQLite file: under a long run of writes the WAL stays
 * short (checkpoints keep up and it starts again from its beginning, so it neither fills the
 * disk nor slows every read), every acknowledged write is in the database after the writer
 * stops, and no write is acknowledged before an fdatasync of the WAL that began after it, nor
 * ever again once one failed. Built under ThreadSanitizer too, for the queue, the wake-ups and
 * the commit hook.
 * SPDX-License-Identifier: MIT */
#define _DEFAULT_SOURCE /* syscall(), to reach the kernel's fdatasync past this file's own */
#include "store/writer.h"
#include "pw_test.h"
#include "pw_test_dir.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define JOBS         3000
#define ROWS_PER_JOB 8
#define ROW_BYTES    3000
#define FRAME_BYTES  (4096 + 24) /* a WAL frame: one page and its header */
/* The WAL restarts near 1,000 frames; only the backstop would stop it at 8,000, and nothing
 * before 18,000. A slow machine (or ThreadSanitizer) may let it run past 1,000 while the
 * checkpoint thread is busy, hence the room. */
#define WAL_MAX_FRAME 4000

/* What reached the WAL and what of it is known to be on disk, seen from below SQLite and the
 * writer: SQLite's writes through its VFS's replaceable pwrite64, every fdatasync in the process
 * (SQLite's and the writer's) through this definition, which the dynamic linker prefers to the
 * C library's. */
static pthread_mutex_t io_lock = PTHREAD_MUTEX_INITIALIZER;
static long wal_writes;        /* pwrite calls on a -wal file that have returned */
static long wal_writes_synced; /* how many of them an fdatasync begun after them has covered */
static long wal_syncs;
static int wal_syncs_fail; /* set: every fdatasync of a WAL fails with EIO, as a dying disk's */
static sqlite3_syscall_ptr real_pwrite64;

static int is_wal(int fd) {
    char link[64], path[1024];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    return n > 4 && memcmp(path + n - 4, "-wal", 4) == 0;
}

static ssize_t counting_pwrite64(int fd, const void *buf, size_t n, off_t at) {
    ssize_t done = ((ssize_t(*)(int, const void *, size_t, off_t))real_pwrite64)(fd, buf, n, at);
    if (done > 0 && is_wal(fd)) {
        pthread_mutex_lock(&io_lock);
        wal_writes++;
        pthread_mutex_unlock(&io_lock);
    }
    return done;
}

int fdatasync(int fd) {
    int wal = is_wal(fd);
    pthread_mutex_lock(&io_lock);
    long before = wal_writes; /* what this sync is sure to cover */
    int fail = wal && wal_syncs_fail;
    pthread_mutex_unlock(&io_lock);
    if (fail) {
        errno = EIO;
        return -1;
    }
    int rc = (int)syscall(SYS_fdatasync, fd);
    if (rc == 0 && wal) {
        pthread_mutex_lock(&io_lock);
        wal_syncs++;
        if (before > wal_writes_synced)
            wal_writes_synced = before;
        pthread_mutex_unlock(&io_lock);
    }
    return rc;
}

static int count_wal_writes(void) {
    sqlite3_vfs *vfs = sqlite3_vfs_find(NULL);
    real_pwrite64 = vfs->xGetSystemCall(vfs, "pwrite64");
    return real_pwrite64 && vfs->xSetSystemCall(vfs, "pwrite64",
                                                (sqlite3_syscall_ptr)counting_pwrite64) == SQLITE_OK
               ? 0
               : -1;
}

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

/* A WAL-mode store with one table in a new directory, and the writer on it; NULL on failure. */
static pw_writer *start_on_new_store(char *dir, size_t dir_cap, char *path, size_t path_cap) {
    if (pw_test_dir_make("pw-writer", dir, dir_cap, "store.db", path, path_cap) != 0)
        return NULL;
    sqlite3 *db;
    int rc = sqlite3_open(path, &db);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db,
                          "PRAGMA journal_mode=WAL;"
                          "CREATE TABLE t(id INTEGER PRIMARY KEY, body BLOB NOT NULL);",
                          NULL, NULL, NULL);
    sqlite3_close(db);
    char err[200] = "";
    pw_writer *w = rc == SQLITE_OK ? pw_writer_start(path, err, sizeof err) : NULL;
    if (!w) {
        fprintf(stderr, "    %s\n", rc == SQLITE_OK ? err : "cannot create the store");
        pw_test_dir_remove(dir);
    }
    return w;
}

static void the_wal_stays_short_and_every_write_is_kept(void) {
    char dir[256], path[300], wal[310];
    pw_writer *w = start_on_new_store(dir, sizeof dir, path, sizeof path);
    PW_CHECK(w != NULL);
    if (!w)
        return;
    snprintf(wal, sizeof wal, "%s-wal", path);
    int acknowledged = 0, unsynced_acks = 0;
    long long wal_max = 0;
    for (int i = 0; i < JOBS; i++) {
        if (pw_writer_run(w, insert_rows, NULL) == 0)
            acknowledged++;
        /* One job at a time, so every WAL write so far belongs to a job already acknowledged. */
        pthread_mutex_lock(&io_lock);
        unsynced_acks += wal_writes_synced < wal_writes;
        pthread_mutex_unlock(&io_lock);
        long long size = file_size(wal);
        wal_max = size > wal_max ? size : wal_max;
    }
    pw_writer_stop(w);
    PW_CHECK_INT(acknowledged, JOBS);
    fprintf(stderr, "    WAL writes %ld, WAL syncs %ld\n", wal_writes, wal_syncs);
    PW_CHECK(wal_writes >= JOBS); /* the counting saw SQLite's writes */
    PW_CHECK_INT(unsynced_acks, 0);
    /* About 18,000 pages were written: without checkpoints the WAL would hold them all. */
    fprintf(stderr, "    longest WAL: %lld frames\n", wal_max / FRAME_BYTES);
    PW_CHECK(wal_max > 0);
    PW_CHECK(wal_max / FRAME_BYTES <= WAL_MAX_FRAME);

    sqlite3 *db;
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

/* After a failed fdatasync the kernel may have dropped the pages it could not write and call
 * the next sync clean: the write whose sync failed and every write after it are errors. */
static void no_write_is_acknowledged_after_a_failed_sync(void) {
    char dir[256], path[300];
    pw_writer *w = start_on_new_store(dir, sizeof dir, path, sizeof path);
    PW_CHECK(w != NULL);
    if (!w)
        return;
    PW_CHECK_INT(pw_writer_run(w, insert_rows, NULL), 0);
    pthread_mutex_lock(&io_lock);
    wal_syncs_fail = 1;
    pthread_mutex_unlock(&io_lock);
    PW_CHECK_INT(pw_writer_run(w, insert_rows, NULL), PW_WRITE_EIO);
    pthread_mutex_lock(&io_lock);
    wal_syncs_fail = 0; /* the disk "recovers": the writer must not believe it */
    pthread_mutex_unlock(&io_lock);
    PW_CHECK_INT(pw_writer_run(w, insert_rows, NULL), PW_WRITE_EIO);
    PW_CHECK_INT(pw_writer_run(w, insert_rows, NULL), PW_WRITE_EIO);
    pw_writer_stop(w);
    pw_test_dir_remove(dir);
}

int main(void) {
    if (count_wal_writes() != 0) {
        fprintf(stderr, "cannot replace the VFS's pwrite64\n");
        return 1;
    }
    PW_RUN(the_wal_stays_short_and_every_write_is_kept);
    PW_RUN(no_write_is_acknowledged_after_a_failed_sync);
    return pw_test_exit_code();
}
