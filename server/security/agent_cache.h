/* Agents recently signed in, by the SHA-256 of their token: an integration that creates
 * thousands of tickets a second with one token is checked against the store once a while
 * instead of once per request (a read transaction and two b-tree walks each time).
 *
 * Only tokens the store accepted are kept, and each for PW_AGENT_CACHE_TTL_MS at most: agents are
 * never deleted and their tokens never change through the server, so a kept entry cannot go
 * stale through it; the expiry bounds how long a token removed from the store by hand (with the
 * sqlite3 shell) keeps working. A feature that revokes tokens must call pw_agent_cache_clear.
 * Thread-safe. SPDX-License-Identifier: MIT */
#ifndef PW_SECURITY_AGENT_CACHE_H
#define PW_SECURITY_AGENT_CACHE_H

#include <stddef.h>
#include <stdint.h>

#define PW_AGENT_CACHE_TTL_MS 30000

typedef struct pw_agent_cache pw_agent_cache;

typedef struct pw_cached_agent {
    int64_t id;
    int admin;
    char name[128];
} pw_cached_agent;

/* An empty cache, or NULL when out of memory. Free with pw_agent_cache_free. */
pw_agent_cache *pw_agent_cache_new(void);
void pw_agent_cache_free(pw_agent_cache *c);

/* Copies the agent for `token_hash` (64 hex digits) into *out and returns 1 when it was put
 * less than PW_AGENT_CACHE_TTL_MS before `now_ms`, else 0. */
int pw_agent_cache_get(pw_agent_cache *c, const char token_hash[64], int64_t now_ms,
                       pw_cached_agent *out);

/* Keeps `agent` for `token_hash` from `now_ms`, replacing whatever shared its slot. */
void pw_agent_cache_put(pw_agent_cache *c, const char token_hash[64], int64_t now_ms,
                        const pw_cached_agent *agent);

/* Forgets every agent. */
void pw_agent_cache_clear(pw_agent_cache *c);

#endif
