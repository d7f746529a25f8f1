/* Command-line options for the subcommands: one table per command says which flags exist,
 * which are required and where each value goes, so every command rejects bad input the same
 * way (exit status 2 with its usage text) and none re-implements number parsing.
 * SPDX-License-Identifier: MIT */
#ifndef PW_CLI_OPTIONS_H
#define PW_CLI_OPTIONS_H

#include "cli.h"

#include <stddef.h>

typedef enum pw_opt_kind {
    PW_OPT_STRING,    /* const char *: a non-empty string (borrowed from argv) */
    PW_OPT_U32,       /* uint32_t: decimal, 0 .. UINT32_MAX */
    PW_OPT_DOUBLE,    /* double: finite */
    PW_OPT_FLAG,      /* int: set to 1, takes no value */
    PW_OPT_POSITIONAL /* const char *: the next argument that is not an option (may be empty) */
} pw_opt_kind;

typedef struct pw_opt {
    const char *name; /* the flag ("--epochs"), or what a positional argument is ("TEXT") */
    pw_opt_kind kind;
    void *value; /* where the parsed value goes, of the kind's type; untouched when absent */
    int required;
} pw_opt;

#define PW_OPTS_COUNT(opts) (sizeof(opts) / sizeof((opts)[0]))

/* What pw_opts_parse returns when the command should run. */
#define PW_OPTS_RUN (-1)

/* Parses argv[0..argc) against opts[0..count). Values follow their flag ("--lr 0.5") or an
 * equals sign ("--lr=0.5"); "--" ends the options, so a text may start with "-". Returns
 * PW_OPTS_RUN, or the exit status to stop with: 0 after --help or -h (usage on stdout), 2 on a
 * bad command line (the problem, naming `cmd`, and the usage on stderr). */
int pw_opts_parse(const char *cmd, const char *usage, const pw_opt *opts, size_t count, int argc,
                  char **argv);

/* Prints "pagewise CMD: <message>" and the usage text to stderr; returns 2, the usage exit
 * status, so callers can `return pw_opts_usage_error(...)`. */
int pw_opts_usage_error(const char *cmd, const char *usage, const char *fmt, ...) PW_PRINTF(3, 4);

#endif
