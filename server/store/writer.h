/* The one writer: every write to the store runs on this thread, inside a transaction shared
 * with whatever other writes arrived meanwhile (group commit). Callers block until their write
 * is durable, so "acknowledged" always means "committed and synced to disk" (by a sync thread
 * beside the writer, writer.c), and no client ever sees SQLITE_BUSY ("database is locked"):
 * there is only one writing connection.
 * SPDX-License-Identifier: MIT */
#ifndef PW_STORE_WRITER_H
#define PW_STORE_WRITER_H

#include "conn.h"

#include <stddef.h>

typedef struct pw_writer pw_writer;

/* A unit of work: runs on the writer thread with the writer's connection, inside its own
 * SAVEPOINT. Returns >= 0 on success; a negative value rolls back this job's changes only (the
 * other jobs of the batch still commit) and is handed back to its caller. */
typedef int (*pw_write_fn)(pw_conn *c, void *arg);

/* The value pw_writer_run returns when the batch's COMMIT failed (disk full, I/O error): none of
 * the batch's changes were kept; or when the sync after it failed: its changes may or may not
 * survive a crash, and from then on every write fails so until a restart. */
#define PW_WRITE_EIO (-1000)

/* Starts the writer thread on `path` (already migrated). NULL with a message in err on failure.
 * Stop with pw_writer_stop. */
pw_writer *pw_writer_start(const char *path, char *err, size_t err_cap);

/* Queues fn(arg) and waits until its batch has committed and is on disk. Returns fn's value, or
 * PW_WRITE_EIO.
 * Thread-safe; fn must not call pw_writer_run itself. */
int pw_writer_run(pw_writer *w, pw_write_fn fn, void *arg);

/* How many jobs are queued and not yet taken by the writer's thread: a snapshot, counted from
 * the queue itself (for tests and diagnostics; not for a hot path). */
size_t pw_writer_queued(pw_writer *w);

/* Finishes every queued job, commits and syncs, stops the threads and closes the connection. */
void pw_writer_stop(pw_writer *w);

#endif
