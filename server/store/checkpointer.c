/* The checkpoint thread and the writer's commit hook that drives it (checkpointer.h).
 * SPDX-License-Identifier: MIT */
#include "checkpointer.h"
#include "../log.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

/* WAL frames (one page each) not yet in the database that start a pass of the thread: small
 * passes, so that what is left for the writer stays small too. */
#define PASS_FRAMES 256
/* The WAL's length at which the writer finishes a round, after its commit, when the thread has
 * left at most FINISH_FRAMES to copy: SQLite's own automatic checkpoint size, so the WAL, and
 * what a reader looks up in it, stays as short as it was. */
#define WRAP_FRAMES   1000
#define FINISH_FRAMES PASS_FRAMES
/* From this length on the writer's final step is near, and a pass the writer overtook syncs
 * what it copied too, so that the step's own sync, with every caller waiting, flushes only its
 * own few frames' pages and not the whole round's. */
#define NEAR_WRAP_FRAMES (WRAP_FRAMES - 2 * PASS_FRAMES)
/* A bound on the WAL whatever the thread does: past this the writer checkpoints regardless. */
#define BACKSTOP_FRAMES 8000
/* The database file grows by this much at a time (SQLite writes the new blocks, so they are not
 * sparse), so that most checkpoints copy into room already there rather than extend the file,
 * which made each sync commit the file system's journal too. Small, because the writer's step
 * sometimes is the one that grows it: with 8 MiB that step took 30-40 ms when it did. */
#define CHUNK_BYTES (256 << 10)

struct pw_checkpointer {
    sqlite3 *db; /* the thread's own connection */
    sqlite3 *writer;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int wanted;  /* the writer asked for a pass */
    int running; /* a pass is under way */
    int done;    /* frames known to be in the database, counted from the WAL's start */
    int stopping;
};

static void grow_in_chunks(sqlite3 *db) {
    int chunk = CHUNK_BYTES;
    sqlite3_file_control(db, "main", SQLITE_FCNTL_CHUNK_SIZE, &chunk);
}

/* Runs on the writer's thread after each commit, with the WAL's length in frames. */
static int on_commit(void *arg, sqlite3 *db, const char *name, int frames) {
    pw_checkpointer *k = arg;
    pthread_mutex_lock(&k->lock);
    if (frames < k->done)
        k->done = 0; /* the WAL started again from its beginning */
    int pending = frames - k->done, idle = !k->running && !k->wanted;
    int here =
        frames >= BACKSTOP_FRAMES || (frames >= WRAP_FRAMES && idle && pending <= FINISH_FRAMES);
    if (!here && idle && (pending >= PASS_FRAMES || frames >= WRAP_FRAMES)) {
        k->wanted = 1;
        pthread_cond_signal(&k->wake);
    }
    pthread_mutex_unlock(&k->lock);
    if (!here)
        return SQLITE_OK;
    /* PASSIVE returns at once if the thread's pass holds the checkpoint lock (backstop only). */
    int log = 0, done = 0;
    if (sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, &log, &done) == SQLITE_OK) {
        pthread_mutex_lock(&k->lock);
        k->done = done;
        pthread_mutex_unlock(&k->lock);
    }
    return SQLITE_OK;
}

/* SQLite syncs the database file only after a checkpoint that reaches the WAL's end, so the
 * pages of a partial pass would wait in the OS's cache for the writer's final step to flush
 * them all. Synced here, through SQLite's own file handle. A pass the writer overtook (the
 * WAL's end moved while it copied) is not synced by SQLite either (`done == log` here, `log`
 * being the end when the pass began): early in a round its pages wait (syncing every pass
 * slowed the WAL's syncs more than it gained), and from NEAR_WRAP_FRAMES on they are synced
 * here. Under the pipeline's half load that took the writer's final sync from a median of
 * 8.2 ms to 3.4 ms (tests/bench/server-history.md). */
static int sync_database(sqlite3 *db) {
    sqlite3_file *f = NULL;
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK || !f ||
        !f->pMethods)
        return SQLITE_ERROR;
    return f->pMethods->xSync(f, SQLITE_SYNC_NORMAL);
}

static void *checkpointer_main(void *arg) {
    pw_checkpointer *k = arg;
#ifdef __linux__
    prctl(PR_SET_NAME, "pw-checkpoint"); /* what top -H, perf and gdb show for it */
#endif
    pthread_mutex_lock(&k->lock);
    for (;;) {
        while (!k->wanted && !k->stopping)
            pthread_cond_wait(&k->wake, &k->lock);
        if (k->stopping)
            break;
        k->wanted = 0;
        k->running = 1;
        pthread_mutex_unlock(&k->lock);
        /* PASSIVE copies the frames no reader still needs and never waits for the writer. */
        int log = 0, done = 0;
        int rc = sqlite3_wal_checkpoint_v2(k->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
        if (rc == SQLITE_OK && (done < log || log >= NEAR_WRAP_FRAMES))
            rc = sync_database(k->db);
        if (rc != SQLITE_OK && rc != SQLITE_BUSY)
            pw_log_error("store.checkpoint", "error", sqlite3_errmsg(k->db), NULL);
        pthread_mutex_lock(&k->lock);
        k->running = 0;
        if (rc == SQLITE_OK && done > k->done)
            k->done = done;
    }
    pthread_mutex_unlock(&k->lock);
    return NULL;
}

pw_checkpointer *pw_checkpointer_start(const char *path, sqlite3 *writer, char *err,
                                       size_t err_cap) {
    pw_checkpointer *k = calloc(1, sizeof *k);
    if (!k) {
        snprintf(err, err_cap, "out of memory");
        return NULL;
    }
    if (sqlite3_open_v2(path, &k->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        snprintf(err, err_cap, "cannot open %s for checkpoints: %s", path,
                 k->db ? sqlite3_errmsg(k->db) : "no memory");
        sqlite3_close(k->db);
        free(k);
        return NULL;
    }
    /* A checkpoint must sync the database file before the WAL may be overwritten: with
     * synchronous=OFF it would not, and a power cut could lose committed pages. */
    sqlite3_exec(k->db, "PRAGMA synchronous=FULL;", NULL, NULL, NULL);
    grow_in_chunks(k->db);
    grow_in_chunks(writer);
    k->writer = writer;
    pthread_mutex_init(&k->lock, NULL);
    pthread_cond_init(&k->wake, NULL);
    if (pthread_create(&k->thread, NULL, checkpointer_main, k) != 0) {
        snprintf(err, err_cap, "cannot start the checkpoint thread");
        pthread_mutex_destroy(&k->lock);
        pthread_cond_destroy(&k->wake);
        sqlite3_close(k->db);
        free(k);
        return NULL;
    }
    sqlite3_wal_hook(writer, on_commit, k); /* replaces the automatic checkpoint */
    return k;
}

void pw_checkpointer_stop(pw_checkpointer *k) {
    if (!k)
        return;
    sqlite3_wal_autocheckpoint(k->writer, WRAP_FRAMES); /* SQLite's own hook again */
    pthread_mutex_lock(&k->lock);
    k->stopping = 1;
    pthread_cond_signal(&k->wake);
    pthread_mutex_unlock(&k->lock);
    pthread_join(k->thread, NULL);
    pthread_mutex_destroy(&k->lock);
    pthread_cond_destroy(&k->wake);
    sqlite3_close(k->db);
    free(k);
}
