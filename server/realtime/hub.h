/* The realtime hub: who is watching which conversation (customers in the widget or the portal,
 * agents in the console), and one push thread that tells them when a conversation changed.
 * A change carries no payload: the push thread asks the store what each watcher has not seen
 * since its cursor (the id of the last message it was sent), so a watcher that joins late,
 * reconnects or misses a wake-up still gets every message once, in order. The hub knows neither
 * civetweb nor JSON: the connection is an opaque pointer and the ops below do the talking.
 * SPDX-License-Identifier: MIT */
#ifndef PW_REALTIME_HUB_H
#define PW_REALTIME_HUB_H

#include <stddef.h>
#include <stdint.h>

typedef struct pw_hub pw_hub;
typedef struct pw_hub_client pw_hub_client;

/* What the hub asks of its owner. Called on the push thread only, never concurrently for one
 * connection, and never after pw_hub_leave for that connection has returned. */
typedef struct pw_hub_ops {
    /* Sends `conn` what it has not seen of the conversation: messages with id > *cursor and the
     * status when it differs from `status` (NUL-terminated, "" at first). Moves *cursor and
     * `status` to what was sent. Returns 0, or -1 when the connection is gone. */
    int (*catch_up)(void *ctx, void *conn, int64_t conversation_id, int64_t *cursor,
                    char status[16]);
    /* Sends one text frame as it is. Returns 0 or -1. */
    int (*send)(void *ctx, void *conn, const char *text, size_t len);
} pw_hub_ops;

/* Starts the push thread. Copies `ops`; borrows `ctx` for the hub's life. Returns 0, or -1 (out
 * of memory, no thread). Caller frees with pw_hub_free. */
int pw_hub_new(const pw_hub_ops *ops, void *ctx, pw_hub **out);

/* Stops the push thread (queued changes are dropped: watchers catch up when they reconnect) and
 * frees the hub. Every client must have left. NULL is a no-op. */
void pw_hub_free(pw_hub *h);

/* A connection joins, watching nothing yet. Returns NULL when out of memory or when `max`
 * clients are in already (a WebSocket holds one of civetweb's worker threads for its whole life:
 * the cap keeps threads for plain requests). */
pw_hub_client *pw_hub_join(pw_hub *h, void *conn, int max);

/* How many clients are in. */
int pw_hub_clients(pw_hub *h);

/* The connection is closing: once this returns, no op is called with its `conn`. Frees the
 * client (the push thread may still hold it briefly; it is freed when released). */
void pw_hub_leave(pw_hub *h, pw_hub_client *c);

#define PW_HUB_WATCHES 8 /* conversations one connection may watch at once */

/* Watches a conversation from message id `after` on (0: all of it) and queues a catch-up, so
 * what was written before the watch began arrives too. Watching it again moves the cursor to
 * `after`. Returns 0, or -1 when PW_HUB_WATCHES are already watched or out of memory. */
int pw_hub_watch(pw_hub *h, pw_hub_client *c, int64_t conversation_id, int64_t after);
void pw_hub_unwatch(pw_hub *h, pw_hub_client *c, int64_t conversation_id);

/* The client hears of every change to every conversation (the console's inbox): the hub sends
 * it {"type":"inbox","conversation_id":N} for each, and the console reads what it needs. */
void pw_hub_watch_inbox(pw_hub *h, pw_hub_client *c);

/* A conversation changed (new message, status, draft, assignee): call after the commit. Never
 * blocks on a connection; changes to one conversation queued meanwhile are sent once; with no
 * client connected, nothing is queued. */
void pw_hub_changed(pw_hub *h, int64_t conversation_id);

/* Sends `text` to every other client watching the conversation (typing indicators): ephemeral,
 * dropped rather than queued without bound. Copies `text`. */
void pw_hub_relay(pw_hub *h, const pw_hub_client *from, int64_t conversation_id, const char *text,
                  size_t len);

/* Whether `c` watches the conversation now. */
int pw_hub_watching(pw_hub *h, const pw_hub_client *c, int64_t conversation_id);

#endif
