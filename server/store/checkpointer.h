/* Keeps the WAL short without stopping the writer for it.
 *
 * SQLite's automatic checkpoint runs inside the COMMIT that takes the WAL past 1,000 pages: it
 * copies the WAL's pages into the database file and fsyncs that file before COMMIT returns. On
 * the bench machine that fsync alone took 9 ms at the median (17 ms at worst), about 7 times a
 * second under a widget-message load, and every caller waiting on the writer waited for it too:
 * the largest part of the pipeline's latency tail. Here a thread of its own does that copy and
 * sync on its own connection (a PASSIVE checkpoint, which never blocks the writer), and the
 * writer checkpoints only the few pages committed while that thread worked, so that the WAL can
 * start again from its beginning (SQLite restarts it only once every frame is in the database).
 * SPDX-License-Identifier: MIT */
#ifndef PW_STORE_CHECKPOINTER_H
#define PW_STORE_CHECKPOINTER_H

#include <sqlite3.h>
#include <stddef.h>

typedef struct pw_checkpointer pw_checkpointer;

/* Starts the checkpoint thread on `path` and installs its commit hook on `writer`, the one
 * connection that writes (it replaces SQLite's automatic checkpoint there). The hook runs on the
 * writer's thread. NULL with a message in err on failure, and `writer` is left as it was. */
pw_checkpointer *pw_checkpointer_start(const char *path, sqlite3 *writer, char *err,
                                       size_t err_cap);

/* Stops the thread and closes its connection. Call it before closing the writer's connection,
 * which removes the hook (closing the last connection checkpoints the whole WAL). */
void pw_checkpointer_stop(pw_checkpointer *k);

#endif
