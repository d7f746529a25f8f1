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

/* WAL frames (one page each) not yet in the database that start a background pass: SQLite's
 * default automatic checkpoint size, so the thread's passes are as large as its were. */
#define START_FRAMES 1000
/* SQLite starts the WAL again from its beginning only once every frame is in the database, and
 * under a steady load the thread's passes never quite catch up (frames keep arriving while a
 * pass copies). So past this length the writer copies, after its commit, the few frames since
 * the thread's last pass, and the next transaction restarts the WAL. It keeps the WAL within
 * one of SQLite's 4,096-frame index blocks, where a reader finds a page with one lookup. */
#define WRAP_FRAMES 3000
/* A bound on the WAL whatever happens to the thread: past this, the writer checkpoints after
 * its commit even while a pass runs (64 MB of 4 KiB pages). */
#define BACKSTOP_FRAMES 16000

struct pw_checkpointer {
    sqlite3 *db; /* the thread's own connection */
    sqlite3 *writer;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int wanted;  /* the writer asked for a pass */
    int running; /* a pass is under way */
    int done;    /* the frames the last pass left in the database (a count from the WAL's start) */
    int stopping;
};

/* Runs on the writer's thread after each commit, with the WAL's length in frames. */
static int on_commit(void *arg, sqlite3 *db, const char *name, int frames) {
    pw_checkpointer *k = arg;
    pthread_mutex_lock(&k->lock);
    if (frames < k->done)
        k->done = 0; /* the WAL started again from its beginning */
    int idle = !k->running && !k->wanted;
    int here = frames >= BACKSTOP_FRAMES || (frames >= WRAP_FRAMES && idle);
    if (!here && idle && frames - k->done >= START_FRAMES) {
        k->wanted = 1;
        pthread_cond_signal(&k->wake);
    }
    pthread_mutex_unlock(&k->lock);
    /* PASSIVE returns at once if the thread's pass holds the checkpoint lock (backstop only). */
    if (here)
        sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    return SQLITE_OK;
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
        if (rc != SQLITE_OK && rc != SQLITE_BUSY)
            pw_log_error("store.checkpoint", "error", sqlite3_errmsg(k->db), NULL);
        pthread_mutex_lock(&k->lock);
        k->running = 0;
        if (rc == SQLITE_OK)
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
    sqlite3_wal_autocheckpoint(k->writer, 1000); /* SQLite's own hook again, and not ours */
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
