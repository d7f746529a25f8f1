/* What `serve` puts in the store at start: the configured apps (rows get their ids), the key
 * that signs widget sessions, and the first admin token.
 * SPDX-License-Identifier: MIT */
#ifndef PW_STORE_SETUP_H
#define PW_STORE_SETUP_H

#include "../server.h"

/* Inserts or updates one row per configured app (by key) and sets each app's id. 0 or -1. */
int pw_store_sync_apps(pw_writer *w, pw_app *apps, size_t count);

/* Reads the session-signing key from meta, creating a random one on first start. 0 or -1. */
int pw_store_session_key(pw_writer *w, unsigned char key[32]);

/* Makes sure an admin can sign in. With `env_token` (PAGEWISE_ADMIN_TOKEN) that token is an
 * admin's (added if its hash is not stored yet). Without it and with no admin in the store, a
 * token is generated into generated[0..cap) and 1 is returned: the caller prints it once, as it
 * is stored only hashed. Returns 0 when nothing was generated, -1 on failure. */
int pw_store_ensure_admin(pw_writer *w, const char *env_token, char *generated, size_t cap);

#endif
