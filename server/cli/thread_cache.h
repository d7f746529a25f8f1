/* glibc's per-thread cache of freed memory, enlarged for the server before it starts.
 * SPDX-License-Identifier: MIT */
#ifndef PW_CLI_THREAD_CACHE_H
#define PW_CLI_THREAD_CACHE_H

/* With the GNU C library on Linux: when GLIBC_TUNABLES does not set glibc.malloc.tcache_count,
 * adds it and executes this same binary again with the same argv (same pid), since glibc reads
 * tunables only when a process starts. Returns only when nothing was to be done or the exec
 * failed (the server then runs with glibc's default). Elsewhere it does nothing. */
void pw_thread_cache_enlarge(char **argv);

#endif
