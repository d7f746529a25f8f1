/* WAL checkpoints on a thread of their own. SQLite's automatic checkpoint runs inside the
 * commit that crosses the threshold, on the committing connection: here the one writer, so
 * every write queued behind it waited while a thousand pages were copied into the database and
 * synced. The checkpointer copies them meanwhile (PASSIVE: it never blocks the writer or a
 * reader), woken by the writer's WAL hook.
 * SPDX-License-Identifier: MIT */
#ifndef PW_STORE_CHECKPOINT_H
#define PW_STORE_CHECKPOINT_H

#include <sqlite3.h>
#include <stddef.h>

typedef struct pw_checkpointer pw_checkpointer;

/* Opens its own connection to `path` and starts the thread, then installs a WAL hook on
 * `writer` (the connection every write commits on, which turns SQLite's automatic checkpoint
 * off for it) that wakes the thread once the WAL holds `pages` frames. NULL with a message in
 * err on failure (the writer keeps its automatic checkpoint). */
pw_checkpointer *pw_checkpointer_start(sqlite3 *writer, const char *path, int pages, char *err,
                                       size_t err_cap);

/* Removes the hook from `writer`, runs a last checkpoint, stops the thread and closes its
 * connection. Call it after the writer's last commit. NULL is allowed. */
void pw_checkpointer_stop(pw_checkpointer *cp, sqlite3 *writer);

#endif
