/* Group commit. Jobs queue under a mutex; the writer thread takes everything queued, runs each
 * job in a SAVEPOINT of one BEGIN IMMEDIATE transaction, commits once (one fsync for the whole
 * batch), then wakes the callers. Under load the batch grows by itself: while one commit syncs,
 * the next batch queues up, which is what turns ~1,000 fsyncs/s into many more writes/s.
 * Copying the WAL into the database is mostly another thread's work (checkpointer.h).
 * SPDX-License-Identifier: MIT */
#include "writer.h"
#include "checkpointer.h"
#include "../log.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#define BATCH_MAX 512 /* bounds one transaction's time, so no caller waits behind a huge batch */

/* Each job has its own semaphore: the writer wakes exactly the callers whose batch committed,
 * without holding the queue's lock. (With a condition variable on that lock, each caller woke
 * only to queue for the lock the writer still held, and slept again: two wake-ups a write.) */
typedef struct job {
    pw_write_fn fn;
    void *arg;
    int result;
    sem_t done;
    struct job *next;
} job;

struct pw_writer {
    pw_conn *conn;
    pw_checkpointer *checkpointer; /* keeps the WAL short with little of this thread's time */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t queued;
    job *head, *tail;
    int stopping;
};

/* Runs one of the transaction-control statements below (static text, so the statement cache
 * prepares each once). */
static int exec(pw_conn *c, const char *sql) {
    sqlite3_stmt *st = pw_conn_stmt(c, sql);
    int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
    if (st)
        sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        pw_log_error("store.write", "error", sqlite3_errmsg(pw_conn_db(c)), "sql", sql, NULL);
    return rc == SQLITE_DONE ? 0 : -1;
}

static const char begin_sql[] = "BEGIN IMMEDIATE", commit_sql[] = "COMMIT",
                  rollback_sql[] = "ROLLBACK", savepoint_sql[] = "SAVEPOINT job",
                  rollback_to_sql[] = "ROLLBACK TO job", release_sql[] = "RELEASE job";

static void run_job(pw_conn *c, job *j) {
    if (exec(c, savepoint_sql)) {
        j->result = PW_WRITE_EIO;
        return;
    }
    j->result = j->fn(c, j->arg);
    if (j->result < 0)
        exec(c, rollback_to_sql);
    exec(c, release_sql);
    /* A job may leave statements mid-step; reset them before the COMMIT needs the lock. */
    pw_conn_release(c);
}

static void run_batch(pw_writer *w, job *batch) {
    int ok = exec(w->conn, begin_sql) == 0;
    for (job *j = batch; j; j = j->next)
        if (ok)
            run_job(w->conn, j);
    if (ok && exec(w->conn, commit_sql) != 0) {
        exec(w->conn, rollback_sql);
        ok = 0;
    }
    for (job *j = batch; j; j = j->next)
        if (!ok)
            j->result = PW_WRITE_EIO;
}

static job *take_batch(pw_writer *w) {
    job *batch = w->head, *last = w->head;
    for (int n = 1; n < BATCH_MAX && last->next; n++)
        last = last->next;
    w->head = last->next;
    if (!w->head)
        w->tail = NULL;
    last->next = NULL;
    return batch;
}

static void *writer_main(void *arg) {
    pw_writer *w = arg;
#ifdef __linux__
    prctl(PR_SET_NAME, "pw-writer"); /* what top -H, perf and gdb show for it */
#endif
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->head && !w->stopping)
            pthread_cond_wait(&w->queued, &w->lock);
        if (!w->head)
            break; /* stopping with nothing left to do */
        job *batch = take_batch(w);
        pthread_mutex_unlock(&w->lock);
        run_batch(w, batch);
        for (job *j = batch; j;) {
            job *next = j->next; /* j belongs to its caller once posted */
            sem_post(&j->done);
            j = next;
        }
        pthread_mutex_lock(&w->lock);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

pw_writer *pw_writer_start(const char *path, char *err, size_t err_cap) {
    pw_writer *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, err_cap, "out of memory");
        return NULL;
    }
    if (!(w->conn = pw_conn_open(path, 0, err, err_cap))) {
        free(w);
        return NULL;
    }
    /* Each job's SAVEPOINT journals the pages it changes in a sub-journal, kept in memory in
     * 1 MiB blocks (pw_db_setup). SQLite's default spilled it to a temporary file past 64 KiB,
     * early in a batch, and only an in-memory sub-journal is emptied at RELEASE: from then on
     * every page a job touched was written to that file (90% of the writer's pwrite calls). */
    sqlite3_exec(pw_conn_db(w->conn), "PRAGMA synchronous=FULL;", NULL, NULL, NULL);
    if (!(w->checkpointer = pw_checkpointer_start(path, pw_conn_db(w->conn), err, err_cap))) {
        pw_conn_close(w->conn);
        free(w);
        return NULL;
    }
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->queued, NULL);
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        snprintf(err, err_cap, "cannot start the writer thread");
        pw_checkpointer_stop(w->checkpointer);
        pw_conn_close(w->conn);
        free(w);
        return NULL;
    }
    return w;
}

int pw_writer_run(pw_writer *w, pw_write_fn fn, void *arg) {
    job j = {fn, arg, 0, {{0}}, NULL};
    if (sem_init(&j.done, 0, 0) != 0)
        return PW_WRITE_EIO;
    pthread_mutex_lock(&w->lock);
    if (w->tail)
        w->tail->next = &j;
    else
        w->head = &j;
    w->tail = &j;
    pthread_cond_signal(&w->queued);
    pthread_mutex_unlock(&w->lock);
    while (sem_wait(&j.done) != 0 && errno == EINTR)
        ; /* a signal handler ran: keep waiting */
    sem_destroy(&j.done);
    return j.result;
}

void pw_writer_stop(pw_writer *w) {
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stopping = 1;
    pthread_cond_signal(&w->queued);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->queued);
    pw_checkpointer_stop(w->checkpointer); /* the writer's thread is gone: its hook is idle */
    pw_conn_close(w->conn);
    free(w);
}
