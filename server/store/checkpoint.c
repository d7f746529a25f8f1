/* The checkpointer (checkpoint.h).
 * SPDX-License-Identifier: MIT */
#include "checkpoint.h"
#include "conn.h"
#include "../log.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct pw_checkpointer {
    pw_conn *conn;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int wanted, stopping, pages;
};

static void checkpoint(pw_checkpointer *cp) {
    int rc = sqlite3_wal_checkpoint_v2(pw_conn_db(cp->conn), "main", SQLITE_CHECKPOINT_PASSIVE,
                                       NULL, NULL);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY)
        pw_log_error("store.checkpoint", "error", sqlite3_errmsg(pw_conn_db(cp->conn)), NULL);
}

static void *run(void *arg) {
    pw_checkpointer *cp = arg;
    pthread_mutex_lock(&cp->lock);
    while (!cp->stopping) {
        if (!cp->wanted) {
            pthread_cond_wait(&cp->wake, &cp->lock);
            continue;
        }
        cp->wanted = 0;
        pthread_mutex_unlock(&cp->lock);
        checkpoint(cp);
        pthread_mutex_lock(&cp->lock);
    }
    pthread_mutex_unlock(&cp->lock);
    checkpoint(cp); /* the last commits, so the next start reads a short WAL */
    return NULL;
}

/* Runs on the writer's thread after each commit: only a flag and a signal. */
static int on_commit(void *arg, sqlite3 *db, const char *name, int frames) {
    pw_checkpointer *cp = arg;
    (void)db, (void)name;
    if (frames >= cp->pages) {
        pthread_mutex_lock(&cp->lock);
        cp->wanted = 1;
        pthread_cond_signal(&cp->wake);
        pthread_mutex_unlock(&cp->lock);
    }
    return SQLITE_OK;
}

pw_checkpointer *pw_checkpointer_start(sqlite3 *writer, const char *path, int pages, char *err,
                                       size_t err_cap) {
    pw_checkpointer *cp = calloc(1, sizeof *cp);
    if (!cp) {
        snprintf(err, err_cap, "out of memory");
        return NULL;
    }
    cp->pages = pages;
    if (!(cp->conn = pw_conn_open(path, 0, err, err_cap))) {
        free(cp);
        return NULL;
    }
    pthread_mutex_init(&cp->lock, NULL);
    pthread_cond_init(&cp->wake, NULL);
    if (pthread_create(&cp->thread, NULL, run, cp) != 0) {
        snprintf(err, err_cap, "cannot start the checkpoint thread");
        pw_conn_close(cp->conn);
        free(cp);
        return NULL;
    }
    sqlite3_wal_hook(writer, on_commit, cp);
    return cp;
}

void pw_checkpointer_stop(pw_checkpointer *cp, sqlite3 *writer) {
    if (!cp)
        return;
    sqlite3_wal_hook(writer, NULL, NULL);
    pthread_mutex_lock(&cp->lock);
    cp->stopping = 1;
    pthread_cond_signal(&cp->wake);
    pthread_mutex_unlock(&cp->lock);
    pthread_join(cp->thread, NULL);
    pthread_mutex_destroy(&cp->lock);
    pthread_cond_destroy(&cp->wake);
    pw_conn_close(cp->conn);
    free(cp);
}
