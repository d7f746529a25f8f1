/* The server's requests and its writer allocate and free many small blocks: cJSON's nodes and
 * strings, and SQLite's cursors and values (Debian builds SQLite without its lookaside memory,
 * so every one is a malloc). glibc keeps only 7 freed blocks of each size per thread; the rest
 * go to shared bins that every larger allocation first sweeps (malloc_consolidate), and then
 * come back through glibc's slow path: about a tenth of the CPU time under tickets-500. With
 * room for 256 blocks of each size a thread reuses its own, and the server did 5-7% more
 * durable tickets a second in three alternated pairs of runs (2,000 and 65,535 did no better;
 * tests/bench/server-history.md). The cost is memory a thread keeps after a peak instead of
 * returning it: at most 256 blocks of each size up to 1 KiB, and only what it freed itself.
 * SPDX-License-Identifier: MIT */
#include "thread_cache.h"

#include <stdlib.h> /* defines __GLIBC__ when that is the C library */

#if defined(__linux__) && defined(__GLIBC__)
#include "../log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define TUNABLE "glibc.malloc.tcache_count"
#define SETTING TUNABLE "=256"

void pw_thread_cache_enlarge(char **argv) {
    const char *given = getenv("GLIBC_TUNABLES");
    if (given && strstr(given, TUNABLE))
        return; /* set already: by us before the exec, or by whoever runs the server */
    char value[1024];
    int n = given && *given ? snprintf(value, sizeof value, "%s:%s", given, SETTING)
                            : snprintf(value, sizeof value, "%s", SETTING);
    if (n < 0 || (size_t)n >= sizeof value || setenv("GLIBC_TUNABLES", value, 1) != 0)
        return;
    execv("/proc/self/exe", argv);
    /* Still here: no /proc, say. Run as we are, with the environment as it was. */
    pw_log("warn", "serve.thread_cache", "error", strerror(errno), NULL);
    if (given)
        setenv("GLIBC_TUNABLES", given, 1);
    else
        unsetenv("GLIBC_TUNABLES");
}
#else
void pw_thread_cache_enlarge(char **argv) {
    (void)argv;
}
#endif
