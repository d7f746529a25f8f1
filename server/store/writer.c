/* Group commit. Jobs queue under a mutex; the writer thread takes everything queued, runs each
 * job in a SAVEPOINT of one BEGIN IMMEDIATE transaction and commits once. The commit writes the
 * WAL but does not wait for the disk (synchronous=NORMAL): the batch goes to the sync thread,
 * which calls fdatasync on the WAL and only then wakes its callers, while the writer already
 * runs the next batch. So "acknowledged" still means "on disk", and the writer's time no longer
 * includes the disk's: with the writer waiting for each sync itself the CPUs idled during it
 * (tickets-500: 0.28 of 2 cores idle, 0.19 with the sync thread;
 * tests/bench/server-history.md). Copying the WAL into the database is mostly another thread's
 * work (checkpointer.h).
 *
 * While a sync is under way the writer keeps its transaction open: jobs that arrive meanwhile
 * run in it, and it commits once the sync thread is free again (or DEFER_MAX jobs wait in it).
 * None of them could be acknowledged sooner, since only a sync that begins after a commit makes
 * it durable; committing each batch as it came cost a commit apiece (the frames of every page
 * it touched, written to the WAL and later copied into the database) and bought nothing. Under
 * the pipeline's half load that was 2.2 messages a commit, 1,600 commits a second;
 * tests/bench/README.md has what deferring saved. Under a full load the queue alone holds
 * DEFER_MAX jobs or more, and each batch commits as soon as it ran, as before.
 *
 * When no job is queued and no sync is under way, the writer syncs its commit itself and wakes
 * its callers: nothing waits for it meanwhile, and a write then crosses two threads rather than
 * three (request thread, writer, request thread), each hand-off a wake-up that a busy CPU
 * delays. The sync thread serves the commits made while jobs queue, so that the writer runs
 * them during the sync.
 *
 * Why a sync started after a commit makes it durable: SQLite writes a transaction's frames with
 * pwrite before COMMIT returns, and a crash keeps the WAL up to its last complete, checksummed
 * commit, so once fdatasync has returned every batch committed before it began survives a power
 * cut. What SQLite still syncs itself with NORMAL: the WAL before each checkpoint copies from
 * it, the database after a checkpoint reaches the WAL's end, and the WAL's header when it starts
 * again from its beginning, so no frame is overwritten before its page is in the database.
 * SPDX-License-Identifier: MIT */
#include "writer.h"
#include "checkpointer.h"
#include "../log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#define BATCH_MAX 512 /* bounds one transaction's time, so no caller waits behind a huge batch */
/* The most jobs the open transaction holds while a sync is under way. Past this it commits
 * without waiting, so that after a slow sync the next one need not first wait for the commit of
 * everything that queued meanwhile; under a full load the queue alone holds this many. */
#define DEFER_MAX 64

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
    pthread_t thread, syncer;
    pthread_mutex_t lock;
    pthread_cond_t queued;         /* a job was queued for the writer, or the sync thread is free */
    pthread_cond_t committed;      /* a batch was handed to the sync thread */
    job *head, *tail;              /* waiting for the writer */
    job *unsynced, *unsynced_tail; /* committed (or failed), waiting for the sync thread */
    int stopping, syncer_stopping;
    char *wal_path;     /* the WAL file, which lives as long as the writer's connection is open */
    int wal_fd;         /* opened at the first sync (the file exists once a commit wrote it); -1 */
    int sync_failed;    /* sticky: after a failed fdatasync no later write is acknowledged */
    int syncing;        /* a sync is under way: the sync thread's, or the writer's own */
    int in_transaction; /* the writer's thread has a transaction open (only it reads this) */
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

/* Each job's SAVEPOINT journals the pages it changes in a sub-journal, kept in memory in 1 MiB
 * blocks (pw_db_setup). SQLite's default spilled it to a temporary file past 64 KiB, early in a
 * batch, and only an in-memory sub-journal is emptied at RELEASE: from then on every page a job
 * touched was written to that file (90% of the writer's pwrite calls). */
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

/* Runs taken jobs in the open transaction, opening one first if none is. */
static void run_batch(pw_writer *w, job *batch) {
    if (!w->in_transaction)
        w->in_transaction = exec(w->conn, begin_sql) == 0;
    for (job *j = batch; j; j = j->next)
        if (w->in_transaction)
            run_job(w->conn, j);
        else
            j->result = PW_WRITE_EIO;
}

/* Commits the open transaction, whose jobs are `open`; if that fails, all of them fail. */
static void commit(pw_writer *w, job *open) {
    int ok = w->in_transaction && exec(w->conn, commit_sql) == 0;
    if (w->in_transaction && !ok)
        exec(w->conn, rollback_sql);
    w->in_transaction = 0;
    for (job *j = open; j; j = j->next)
        if (!ok)
            j->result = PW_WRITE_EIO;
}

/* Up to `room` queued jobs, oldest first: their count in *count, their last in *last (where the
 * list continues). */
static job *take_batch(pw_writer *w, int room, job **last, int *count) {
    job *batch = w->head, *end = w->head;
    int n = 1;
    for (; n < room && end->next; n++)
        end = end->next;
    w->head = end->next;
    if (!w->head)
        w->tail = NULL;
    end->next = NULL;
    *last = end;
    *count = n;
    return batch;
}

static int sync_wal(pw_writer *w);

/* Wakes each caller of a committed list, with its job's result (PW_WRITE_EIO for all when the
 * sync failed). */
static void acknowledge(job *list, int synced) {
    for (job *j = list; j;) {
        job *next = j->next; /* j belongs to its caller once posted */
        if (!synced)
            j->result = PW_WRITE_EIO;
        sem_post(&j->done);
        j = next;
    }
}

static void *writer_main(void *arg) {
    pw_writer *w = arg;
#ifdef __linux__
    prctl(PR_SET_NAME, "pw-writer"); /* what top -H, perf and gdb show for it */
#endif
    job *open = NULL, *open_last = NULL; /* run in the open transaction, not committed yet */
    int open_count = 0;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        int sync_free = !w->syncing && !w->unsynced;
        if (open && sync_free && !w->head) {
            /* Nothing else waits: this thread syncs its commit itself, saving the hand-off to
             * the sync thread and back. The sync thread serves commits made while jobs queue. */
            w->syncing = 1;
            pthread_mutex_unlock(&w->lock);
            commit(w, open);
            acknowledge(open, sync_wal(w) == 0);
            pthread_mutex_lock(&w->lock);
            w->syncing = 0;
            open = open_last = NULL;
            open_count = 0;
        } else if (open && (sync_free || open_count >= DEFER_MAX || w->stopping)) {
            pthread_mutex_unlock(&w->lock);
            commit(w, open);
            pthread_mutex_lock(&w->lock);
            if (w->unsynced_tail)
                w->unsynced_tail->next = open;
            else
                w->unsynced = open;
            w->unsynced_tail = open_last;
            open = open_last = NULL;
            open_count = 0;
            pthread_cond_signal(&w->committed);
        } else if (w->head && open_count < BATCH_MAX) {
            int taken;
            job *last, *batch = take_batch(w, BATCH_MAX - open_count, &last, &taken);
            pthread_mutex_unlock(&w->lock);
            run_batch(w, batch);
            pthread_mutex_lock(&w->lock);
            if (open_last)
                open_last->next = batch;
            else
                open = batch;
            open_last = last;
            open_count += taken;
        } else if (!open && w->stopping) {
            break; /* every job committed and handed over */
        } else {
            /* Nothing queued, or the open transaction waits for the sync thread to be free. */
            pthread_cond_wait(&w->queued, &w->lock);
        }
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

/* fdatasync on the WAL through a descriptor of our own: Linux syncs the file, whichever
 * descriptor wrote it. 0, or -1 after a failure, now or earlier: once fdatasync has failed the
 * kernel may have dropped the pages it could not write and report the next sync clean, so
 * nothing more is acknowledged until a restart (PostgreSQL's lesson from 2018). */
static int sync_wal(pw_writer *w) {
    if (w->sync_failed)
        return -1;
    /* SQLite deletes the WAL only when its last connection closes, and the writer's stays open
     * while this thread runs; should the path ever name another file all the same, sync that
     * one rather than a file nobody writes. Two system calls beside a sync of milliseconds. */
    struct stat named, held;
    if (w->wal_fd >= 0 && (stat(w->wal_path, &named) != 0 || fstat(w->wal_fd, &held) != 0 ||
                           named.st_ino != held.st_ino || named.st_dev != held.st_dev)) {
        close(w->wal_fd);
        w->wal_fd = -1;
    }
    if (w->wal_fd < 0)
        w->wal_fd = open(w->wal_path, O_RDONLY | O_CLOEXEC);
    if (w->wal_fd < 0 || fdatasync(w->wal_fd) != 0) {
        w->sync_failed = 1;
        pw_log_error("store.sync", "error", strerror(errno), "file", w->wal_path, NULL);
        return -1;
    }
    return 0;
}

/* Returns once the sync thread has acknowledged every batch handed to it and ended. */
static void stop_syncer(pw_writer *w) {
    pthread_mutex_lock(&w->lock);
    w->syncer_stopping = 1;
    pthread_cond_signal(&w->committed);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->syncer, NULL);
}

static void *syncer_main(void *arg) {
    pw_writer *w = arg;
#ifdef __linux__
    prctl(PR_SET_NAME, "pw-sync");
#endif
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->unsynced && !w->syncer_stopping)
            pthread_cond_wait(&w->committed, &w->lock);
        if (!w->unsynced)
            break; /* stopping, and every batch the writer committed is acknowledged */
        job *list = w->unsynced;
        w->unsynced = w->unsynced_tail = NULL;
        w->syncing = 1;
        pthread_mutex_unlock(&w->lock);
        /* Every batch in the list committed before this call: one sync makes them all durable. */
        int synced = sync_wal(w) == 0;
        pthread_mutex_lock(&w->lock);
        w->syncing = 0;
        if (!w->unsynced)
            pthread_cond_signal(&w->queued); /* the writer may hold jobs for this moment */
        pthread_mutex_unlock(&w->lock);
        acknowledge(list, synced);
        pthread_mutex_lock(&w->lock);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

/* Frees what the writer holds once none of its threads runs (all of it NULL, -1 or just
 * initialised when pw_writer_start gave up early). The connection closes last: closing may
 * delete the WAL, and its hook is the checkpointer's. */
static void discard(pw_writer *w) {
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->queued);
    pthread_cond_destroy(&w->committed);
    if (w->wal_fd >= 0)
        close(w->wal_fd);
    free(w->wal_path);
    pw_checkpointer_stop(w->checkpointer);
    pw_conn_close(w->conn);
    free(w);
}

pw_writer *pw_writer_start(const char *path, char *err, size_t err_cap) {
    pw_writer *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, err_cap, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->queued, NULL);
    pthread_cond_init(&w->committed, NULL);
    w->wal_fd = -1;
    if (!(w->conn = pw_conn_open(path, 0, err, err_cap))) {
        discard(w);
        return NULL;
    }
    sqlite3 *db = pw_conn_db(w->conn);
    /* The sync thread syncs. The writer's page cache is never emptied by another connection's
     * commit (it is the only writer), so it can keep what the jobs touch: the leaves of the
     * indexes each message lands in at random. With SQLite's 2 MB default they were read again
     * from the WAL: 0.4 pread a pwrite under pipeline-follow, 16% of the writer's time; with
     * 64 MB, 0.05 (strace -c on the writer, tests/bench/README.md). */
    sqlite3_exec(db, "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;", NULL, NULL, NULL);
    const char *wal = sqlite3_filename_wal(sqlite3_db_filename(db, "main"));
    if (!(w->wal_path = wal ? strdup(wal) : NULL)) {
        snprintf(err, err_cap, "out of memory");
        discard(w);
        return NULL;
    }
    if (!(w->checkpointer = pw_checkpointer_start(path, db, err, err_cap))) {
        discard(w);
        return NULL;
    }
    int started = pthread_create(&w->syncer, NULL, syncer_main, w) == 0;
    if (started && pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        stop_syncer(w);
        started = 0;
    }
    if (!started) {
        snprintf(err, err_cap, "cannot start the writer's threads");
        discard(w);
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

size_t pw_writer_queued(pw_writer *w) {
    size_t n = 0;
    pthread_mutex_lock(&w->lock);
    for (const job *j = w->head; j; j = j->next)
        n++;
    pthread_mutex_unlock(&w->lock);
    return n;
}

void pw_writer_stop(pw_writer *w) {
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stopping = 1;
    pthread_cond_signal(&w->queued);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL); /* every queued job committed and handed over */
    stop_syncer(w);                /* and synced: the threads are gone, the hook is idle */
    discard(w);
}
