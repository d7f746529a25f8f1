/* The signed-in agents cache (see agent_cache.h): a small direct-mapped table under one mutex.
 * A handful of tokens is in use at any time (agents' consoles, a few integrations), so 64 slots
 * and a collision that evicts are plenty; the lock is held for a copy of ~150 bytes.
 * SPDX-License-Identifier: MIT */
#include "agent_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 64 /* a power of two */

typedef struct slot {
    char hash[64];
    int64_t put_ms;
    int used;
    pw_cached_agent agent;
} slot;

struct pw_agent_cache {
    pthread_mutex_t lock;
    slot slots[SLOTS];
};

pw_agent_cache *pw_agent_cache_new(void) {
    pw_agent_cache *c = calloc(1, sizeof *c);
    if (c && pthread_mutex_init(&c->lock, NULL) != 0) {
        free(c);
        return NULL;
    }
    return c;
}

void pw_agent_cache_free(pw_agent_cache *c) {
    if (!c)
        return;
    pthread_mutex_destroy(&c->lock);
    free(c);
}

/* The hash is SHA-256 in hex: its first digits are already uniformly spread. */
static slot *slot_for(pw_agent_cache *c, const char hash[64]) {
    unsigned h = 0;
    for (int i = 0; i < 4; i++)
        h = h * 16 + (unsigned)(hash[i] <= '9' ? hash[i] - '0' : (hash[i] | 0x20) - 'a' + 10);
    return &c->slots[h & (SLOTS - 1)];
}

int pw_agent_cache_get(pw_agent_cache *c, const char token_hash[64], int64_t now_ms,
                       pw_cached_agent *out) {
    pthread_mutex_lock(&c->lock);
    slot *s = slot_for(c, token_hash);
    int hit = s->used && memcmp(s->hash, token_hash, 64) == 0 && now_ms >= s->put_ms &&
              now_ms - s->put_ms < PW_AGENT_CACHE_TTL_MS;
    if (hit)
        *out = s->agent;
    pthread_mutex_unlock(&c->lock);
    return hit;
}

void pw_agent_cache_put(pw_agent_cache *c, const char token_hash[64], int64_t now_ms,
                        const pw_cached_agent *agent) {
    pthread_mutex_lock(&c->lock);
    slot *s = slot_for(c, token_hash);
    memcpy(s->hash, token_hash, 64);
    s->put_ms = now_ms;
    s->used = 1;
    s->agent = *agent;
    pthread_mutex_unlock(&c->lock);
}

void pw_agent_cache_clear(pw_agent_cache *c) {
    pthread_mutex_lock(&c->lock);
    for (size_t i = 0; i < SLOTS; i++)
        c->slots[i].used = 0;
    pthread_mutex_unlock(&c->lock);
}
