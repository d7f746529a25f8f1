/* The subcommands of the `pagewise` binary. Each takes the arguments after its name and returns
 * the process exit status: 0 success, 1 failure, 2 usage error.
 * SPDX-License-Identifier: MIT */
#ifndef PW_CLI_H
#define PW_CLI_H

int pw_cli_serve(int argc, char **argv);

#endif
