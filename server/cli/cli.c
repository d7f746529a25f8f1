/* What every subcommand shares: the failure message shape and the clock for timings.
 * SPDX-License-Identifier: MIT */
#include "cli.h"

#include <stdio.h>
#include <time.h>

void pw_cli_vreport(const char *cmd, const char *fmt, va_list ap) {
    fprintf(stderr, "pagewise %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

int pw_cli_fail(const char *cmd, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    pw_cli_vreport(cmd, fmt, ap);
    va_end(ap);
    return 1;
}

double pw_cli_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec * 1e-9;
}
