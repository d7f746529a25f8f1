/* The group-commit writer (server/store/writer.c) with its checkpoint thread
 * (server/store/checkpointer.c) on a real SQLite file: under a long run of writes the WAL stays
 * short (checkpoints keep up and it starts again from its beginning, so it neither fills the
 * disk nor slows every read), every acknowledged write is in the database after the writer
 * stops, no write is acknowledged before an fdatasync of the WAL that began after it, nor
 * ever again once one failed; a write with nothing queued behind it is synced by the writer's
 * own thread, and writes that arrive while the sync thread syncs share one commit when it ends.
 * Built under ThreadSanitizer too, for the queue, the wake-ups and the commit hook.
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
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
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
static pthread_cond_t io_changed = PTHREAD_COND_INITIALIZER; /* any of the below changed */
static long wal_writes;        /* pwrite calls on a -wal file that have returned */
static long wal_commits;       /* frames written with a database size: one per commit */
static long wal_writes_synced; /* how many of them an fdatasync begun after them has covered */
static long wal_syncs;
static int wal_syncs_fail; /* set: every fdatasync of a WAL fails with EIO, as a dying disk's */
static int hold_sync;      /* set: the sync thread's fdatasync waits until it is cleared */
static long sync_held;     /* 1 while the sync thread waits so */
static long jobs_ran;      /* count_rows jobs that have run on the writer's thread */
static long syncs_by_writer, syncs_by_sync_thread; /* WAL fdatasyncs, by the thread making them */
static int first_gate;     /* set: a blocking_rows job waits until it is cleared */
static long first_waiting; /* 1 once a blocking_rows job waits so */
static sqlite3_syscall_ptr real_pwrite64;

static int is_wal(int fd) {
    char link[64], path[1024];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    return n > 4 && memcmp(path + n - 4, "-wal", 4) == 0;
}

/* SQLite writes each WAL frame as its 24-byte header, then its page; bytes 4-7 of the header
 * are the database's size in pages after a commit, on the commit's last frame, and 0 on the
 * others. */
static int is_commit_frame_header(const void *buf, size_t n) {
    const unsigned char *b = buf;
    return n == 24 && (b[4] | b[5] | b[6] | b[7]) != 0;
}

static ssize_t counting_pwrite64(int fd, const void *buf, size_t n, off_t at) {
    ssize_t done = ((ssize_t(*)(int, const void *, size_t, off_t))real_pwrite64)(fd, buf, n, at);
    if (done > 0 && is_wal(fd)) {
        pthread_mutex_lock(&io_lock);
        wal_writes++;
        wal_commits += is_commit_frame_header(buf, n);
        pthread_cond_broadcast(&io_changed);
        pthread_mutex_unlock(&io_lock);
    }
    return done;
}

static int on_thread(const char *name) {
    char own[16] = "";
    prctl(PR_GET_NAME, own);
    return strcmp(own, name) == 0;
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
    int by_writer = wal && on_thread("pw-writer"), by_sync_thread = wal && on_thread("pw-sync");
    if (by_sync_thread) {
        pthread_mutex_lock(&io_lock);
        sync_held = hold_sync;
        pthread_cond_broadcast(&io_changed);
        while (hold_sync)
            pthread_cond_wait(&io_changed, &io_lock);
        sync_held = 0;
        pthread_mutex_unlock(&io_lock);
    }
    int rc = (int)syscall(SYS_fdatasync, fd);
    if (rc == 0 && wal) {
        pthread_mutex_lock(&io_lock);
        wal_syncs++;
        syncs_by_writer += by_writer;
        syncs_by_sync_thread += by_sync_thread;
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

static int count_rows(pw_conn *c, void *arg) {
    int rc = insert_rows(c, arg);
    pthread_mutex_lock(&io_lock);
    jobs_ran++;
    pthread_cond_broadcast(&io_changed);
    pthread_mutex_unlock(&io_lock);
    return rc;
}

/* Waits until *value reaches at least `want`; 0, or -1 after a minute (the writer is stuck). */
static int await_count(const long *value, long want) {
    struct timespec give_up;
    clock_gettime(CLOCK_REALTIME, &give_up);
    give_up.tv_sec += 60;
    int rc = 0;
    pthread_mutex_lock(&io_lock);
    while (*value < want && rc == 0)
        rc = pthread_cond_timedwait(&io_changed, &io_lock, &give_up);
    int reached = *value >= want;
    pthread_mutex_unlock(&io_lock);
    return reached ? 0 : -1;
}

static long locked_read(const long *value) {
    pthread_mutex_lock(&io_lock);
    long v = *value;
    pthread_mutex_unlock(&io_lock);
    return v;
}

/* count_rows, once the test lets it go on: it holds the writer's thread meanwhile. */
static int blocking_rows(pw_conn *c, void *arg) {
    pthread_mutex_lock(&io_lock);
    first_waiting = 1;
    pthread_cond_broadcast(&io_changed);
    while (first_gate)
        pthread_cond_wait(&io_changed, &io_lock);
    pthread_mutex_unlock(&io_lock);
    return count_rows(c, arg);
}

typedef struct {
    pw_writer *w;
    pw_write_fn fn;
    pthread_t thread;
    int result;
} caller;

static void *run_one(void *arg) {
    caller *c = arg;
    c->result = pw_writer_run(c->w, c->fn, NULL);
    return NULL;
}

/* Waits until `n` jobs are queued for the writer; 0, or -1 after a minute. */
static int await_queued(pw_writer *w, size_t n) {
    for (int i = 0; i < 60000 && pw_writer_queued(w) < n; i++)
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    return pw_writer_queued(w) >= n ? 0 : -1;
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

/* Starts callers of one `fn` job each, up to `n`; how many started. */
static int start_callers(pw_writer *w, pw_write_fn fn, caller *c, int n) {
    int i = 0;
    for (; i < n; i++) {
        c[i] = (caller){.w = w, .fn = fn, .result = -1};
        if (pthread_create(&c[i].thread, NULL, run_one, &c[i]) != 0)
            break;
    }
    return i;
}

/* How many of `n` started callers got their write acknowledged, once all returned. */
static int join_callers(caller *c, int n) {
    int acknowledged = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(c[i].thread, NULL);
        acknowledged += c[i].result == 0;
    }
    return acknowledged;
}

typedef struct {
    long during;      /* commits once the writes ran, the first one's sync still held; or -1 */
    long after;       /* commits once every write was acknowledged */
    int acknowledged; /* writes acknowledged */
} held_sync_run;

/* One write, which the writer runs while a second queues behind it (or, `all_at_once`, all
 * `more` others), so that it hands the first one's commit to the sync thread, whose sync the
 * test holds. The writer runs the others while it is held: after the queued ones, the rest
 * start one at a time, each once the one before it has run. Before letting the sync go, waits
 * for every write to have run and for the writer to have made `await_commits` commits. */
static held_sync_run writes_during_a_held_sync(int more, int all_at_once, long await_commits) {
    held_sync_run r = {-1, -1, 0};
    char dir[256], path[300];
    pw_writer *w = start_on_new_store(dir, sizeof dir, path, sizeof path);
    caller first, *rest = calloc((size_t)more, sizeof *rest);
    if (!w || !rest) {
        pw_writer_stop(w);
        if (w)
            pw_test_dir_remove(dir);
        free(rest);
        return r;
    }
    pthread_mutex_lock(&io_lock);
    hold_sync = first_gate = 1;
    jobs_ran = first_waiting = 0;
    long base = wal_commits;
    pthread_mutex_unlock(&io_lock);
    int started = start_callers(w, blocking_rows, &first, 1), rest_started = 0;
    int queue_first = all_at_once ? more : 1;
    if (started == 1 && await_count(&first_waiting, 1) == 0)
        rest_started = start_callers(w, count_rows, rest, queue_first);
    int ok = rest_started == queue_first && await_queued(w, (size_t)queue_first) == 0;
    pthread_mutex_lock(&io_lock);
    first_gate = 0; /* the first write commits with others queued: the sync thread syncs it */
    pthread_cond_broadcast(&io_changed);
    pthread_mutex_unlock(&io_lock);
    ok = ok && await_count(&sync_held, 1) == 0;
    while (ok && rest_started < more) {
        ok = await_count(&jobs_ran, 1 + rest_started) == 0 &&
             start_callers(w, count_rows, rest + rest_started, 1) == 1;
        rest_started += ok;
    }
    if (ok && await_count(&jobs_ran, 1 + more) == 0 &&
        await_count(&wal_commits, base + await_commits) == 0)
        r.during = locked_read(&wal_commits) - base;
    pthread_mutex_lock(&io_lock);
    hold_sync = 0;
    pthread_cond_broadcast(&io_changed);
    pthread_mutex_unlock(&io_lock);
    r.acknowledged = join_callers(&first, started) + join_callers(rest, rest_started);
    r.after = locked_read(&wal_commits) - base;
    pw_writer_stop(w);
    pw_test_dir_remove(dir);
    free(rest);
    return r;
}

/* Writes that arrive while a sync is under way could not be acknowledged before the next one
 * anyway: the writer runs them and commits them together when the sync thread is free, rather
 * than a commit each, every one writing the frames of every page it touched. */
static void writes_during_a_sync_share_one_commit(void) {
    held_sync_run r = writes_during_a_held_sync(6, 0, 1);
    PW_CHECK_INT(r.during, 1); /* the first write's commit only: six writes ran, uncommitted */
    PW_CHECK_INT(r.after, 2);  /* and then one commit for all six, each run in its own batch */
    PW_CHECK_INT(r.acknowledged, 7);
}

/* A slow disk does not make the writer hold everything that queues: past a batch's worth it
 * commits without waiting for the sync thread (which then syncs it all at once). */
static void a_slow_sync_holds_back_at_most_a_batch(void) {
    held_sync_run r = writes_during_a_held_sync(100, 1, 2);
    PW_CHECK(r.during >= 2);
    PW_CHECK_INT(r.acknowledged, 101);
}

/* A write with nothing queued behind it is synced by the writer's own thread: no hand-off to
 * the sync thread and back, each a wake-up a busy CPU delays. */
static void a_lone_write_is_synced_by_the_writer(void) {
    char dir[256], path[300];
    pw_writer *w = start_on_new_store(dir, sizeof dir, path, sizeof path);
    PW_CHECK(w != NULL);
    if (!w)
        return;
    long by_writer = locked_read(&syncs_by_writer), by_sync = locked_read(&syncs_by_sync_thread);
    for (int i = 0; i < 3; i++)
        PW_CHECK_INT(pw_writer_run(w, insert_rows, NULL), 0);
    PW_CHECK(locked_read(&syncs_by_writer) - by_writer >= 3);
    PW_CHECK_INT(locked_read(&syncs_by_sync_thread) - by_sync, 0);
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
    PW_RUN(a_lone_write_is_synced_by_the_writer);
    PW_RUN(writes_during_a_sync_share_one_commit);
    PW_RUN(a_slow_sync_holds_back_at_most_a_batch);
    return pw_test_exit_code();
}
