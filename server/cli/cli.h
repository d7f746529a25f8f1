/* The subcommands of the `pagewise` binary. Each takes the arguments after its name and returns
 * the process exit status: 0 success, 1 failure, 2 usage error.
 * SPDX-License-Identifier: MIT */
#ifndef PW_CLI_H
#define PW_CLI_H

#include <stdarg.h>

int pw_cli_serve(int argc, char **argv);
int pw_cli_train(int argc, char **argv);
int pw_cli_eval(int argc, char **argv);
int pw_cli_classify(int argc, char **argv);
int pw_cli_export(int argc, char **argv);
int pw_cli_replay(int argc, char **argv);

/* --- what the subcommands share (cli.c) ---------------------------------------------------- */

/* A macro's value as a string literal, for usage texts and messages built at compile time. */
#define PW_STR(x)  #x
#define PW_XSTR(x) PW_STR(x)

/* Lets the compiler check format strings against arguments (-Wformat=2 insists). */
#if defined(__GNUC__)
#define PW_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define PW_PRINTF(fmt, args)
#endif

/* Prints "pagewise CMD: <message>" to stderr; returns 1, the failure exit status, so callers
 * can `return pw_cli_fail(...)`. */
int pw_cli_fail(const char *cmd, const char *fmt, ...) PW_PRINTF(2, 3);

/* pw_cli_fail for callers that hold a va_list; prints the same line and returns nothing. */
void pw_cli_vreport(const char *cmd, const char *fmt, va_list ap) PW_PRINTF(2, 0);

/* Seconds on the monotonic clock, for durations (wall-clock jumps do not distort them). */
double pw_cli_seconds(void);

#endif
