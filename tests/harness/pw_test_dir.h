/* Temporary directories for tests that need real files (a SQLite store): made under /tmp and
 * removed with everything in them at the end. POSIX; native tests only.
 * SPDX-License-Identifier: MIT */
#ifndef PW_TEST_DIR_H
#define PW_TEST_DIR_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Makes /tmp/<prefix>-XXXXXX into dir[0..cap) and sets path to "<dir>/<file>". 0, or -1 with
 * the reason printed. */
static inline int pw_test_dir_make(const char *prefix, char *dir, size_t cap, const char *file,
                                   char *path, size_t path_cap) {
    snprintf(dir, cap, "/tmp/%s-XXXXXX", prefix);
    if (!mkdtemp(dir))
        return perror("mkdtemp"), -1;
    snprintf(path, path_cap, "%s/%s", dir, file);
    return 0;
}

static inline void pw_test_dir_remove(const char *dir) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

#endif
