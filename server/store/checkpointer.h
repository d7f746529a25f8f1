/* Keeps the WAL short while the writer waits for it as little as possible.
 *
 * SQLite's automatic checkpoint runs inside the COMMIT that takes the WAL past 1,000 pages: it
 * copies the WAL's pages into the database file and syncs that file before COMMIT returns. At
 * half the widget-message throughput that was 14 times a second, 5-6 ms at the median and up to
 * 26 ms, and every caller whose write was queued waited with it: the largest part of the
 * pipeline's latency tail (tests/bench/server-history.md).
 *
 * Here a thread of its own copies and syncs in small passes, on its own connection (PASSIVE
 * checkpoints never block the writer). SQLite starts the WAL again from its beginning only
 * once every frame is in the database and synced, with no commit in between, so that last step
 * stays with the writer, after one of its commits: it copies only the frames since the thread's
 * last pass, 256 at most (3 ms at the median, 7-13 ms at worst, in the same runs).
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

/* Stops the thread and closes its connection, and gives `writer` SQLite's automatic checkpoint
 * back. Call it once the writer's thread has stopped, before closing its connection. */
void pw_checkpointer_stop(pw_checkpointer *k);

#endif
