/* The signed-in agents cache (server/security/agent_cache.c): a kept agent comes back until it
 * expires, only for its own token hash, and a clear forgets everyone.
 * SPDX-License-Identifier: MIT */
#include "security/agent_cache.h"
#include "pw_test.h"

#include <stdio.h>
#include <string.h>

static void hash_of(int i, char out[65]) {
    snprintf(out, 65, "%064x", (unsigned)i * 2654435761u);
}

static pw_cached_agent agent_named(int64_t id, const char *name, int admin) {
    pw_cached_agent a = {.id = id, .admin = admin};
    snprintf(a.name, sizeof a.name, "%s", name);
    return a;
}

static void a_kept_agent_comes_back_until_it_expires(void) {
    pw_agent_cache *c = pw_agent_cache_new();
    char h[65];
    hash_of(1, h);
    pw_cached_agent in = agent_named(7, "Ada", 1), out;
    PW_CHECK(!pw_agent_cache_get(c, h, 1000, &out));
    pw_agent_cache_put(c, h, 1000, &in);
    PW_CHECK(pw_agent_cache_get(c, h, 1000 + PW_AGENT_CACHE_TTL_MS - 1, &out));
    PW_CHECK_INT(out.id, 7);
    PW_CHECK_INT(out.admin, 1);
    PW_CHECK(strcmp(out.name, "Ada") == 0);
    PW_CHECK(!pw_agent_cache_get(c, h, 1000 + PW_AGENT_CACHE_TTL_MS, &out));
    PW_CHECK(!pw_agent_cache_get(c, h, 999, &out)); /* a clock that went back: ask the store */
    pw_agent_cache_free(c);
}

static void only_the_same_token_hash_matches(void) {
    pw_agent_cache *c = pw_agent_cache_new();
    char h[65], other[65];
    hash_of(2, h);
    memcpy(other, h, 65);
    other[63] = other[63] == '0' ? '1' : '0'; /* same slot, another token */
    pw_cached_agent in = agent_named(3, "Grace", 0), out;
    pw_agent_cache_put(c, h, 0, &in);
    PW_CHECK(!pw_agent_cache_get(c, other, 1, &out));
    pw_agent_cache_put(c, other, 1, &in); /* evicts h: one slot each */
    PW_CHECK(!pw_agent_cache_get(c, h, 2, &out));
    PW_CHECK(pw_agent_cache_get(c, other, 2, &out));
    pw_agent_cache_free(c);
}

static void clear_forgets_everyone(void) {
    pw_agent_cache *c = pw_agent_cache_new();
    char h[100][65];
    pw_cached_agent out;
    for (int i = 0; i < 100; i++) {
        hash_of(i, h[i]);
        pw_cached_agent a = agent_named(i + 1, "agent", 0);
        pw_agent_cache_put(c, h[i], 0, &a);
    }
    int kept = 0;
    for (int i = 0; i < 100; i++)
        kept += pw_agent_cache_get(c, h[i], 1, &out) && out.id == i + 1;
    PW_CHECK(kept > 0 && kept <= 64);
    pw_agent_cache_clear(c);
    int after = 0;
    for (int i = 0; i < 100; i++)
        after += pw_agent_cache_get(c, h[i], 1, &out);
    PW_CHECK_INT(after, 0);
    pw_agent_cache_free(c);
}

int main(void) {
    PW_RUN(a_kept_agent_comes_back_until_it_expires);
    PW_RUN(only_the_same_token_hash_matches);
    PW_RUN(clear_forgets_everyone);
    return pw_test_exit_code();
}
