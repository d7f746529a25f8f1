/* The one writer: every write to the store runs on this thread, inside a transaction shared
 * with whatever other writes arrived meanwhile (group commit). Callers block until their write
 * is durable, so "acknowledged" always means "committed with synchronous=FULL", and no client
 * ever sees SQLITE_BUSY ("database is locked"): there is only one writing connection.
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
 * the batch's changes were kept. */
#define PW_WRITE_EIO (-1000)

/* Starts the writer thread on `path` (already migrated). NULL with a message in err on failure.
 * Stop with pw_writer_stop. */
pw_writer *pw_writer_start(const char *path, char *err, size_t err_cap);

/* Queues fn(arg) and waits until its batch has committed. Returns fn's value, or PW_WRITE_EIO.
 * Thread-safe; fn must not call pw_writer_run itself. */
int pw_writer_run(pw_writer *w, pw_write_fn fn, void *arg);

/* Finishes every queued job, commits, stops the thread and closes the connection. */
void pw_writer_stop(pw_writer *w);

#endif
