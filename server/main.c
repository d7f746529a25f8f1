/* The `pagewise` binary: dispatches to a subcommand and does nothing else.
 * SPDX-License-Identifier: MIT */
#include "cli/cli.h"
#include "cli/thread_cache.h"

#include <stdio.h>
#include <string.h>

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"serve", pw_cli_serve, "run the HTTP server (API, widget, pages)"},
    {"train", pw_cli_train, "train an intent model from labelled JSON Lines"},
    {"eval", pw_cli_eval, "measure a model on labelled JSON Lines"},
    {"classify", pw_cli_classify, "show a model's top intents for one message"},
    {"export", pw_cli_export, "write the compact model the widget downloads"},
    {"replay", pw_cli_replay, "run past tickets through the decision and report"},
};

static void print_usage(FILE *to) {
    fprintf(to, "usage: pagewise <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(to, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(to, "  %-10s %s\n  %-10s %s\n", "version", "print the version", "help",
            "show this help");
}

int main(int argc, char **argv) {
    if (argc < 2) {
        print_usage(stderr);
        return 2;
    }
    const char *name = argv[1];
    if (strcmp(name, "help") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        print_usage(stdout);
        return 0;
    }
    if (strcmp(name, "version") == 0 || strcmp(name, "--version") == 0) {
        printf("pagewise %s\n", PW_VERSION);
        return 0;
    }
    if (strcmp(name, "serve") == 0)
        pw_thread_cache_enlarge(argv); /* may start this binary again, with the same argv */
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(name, commands[i].name) == 0)
            return commands[i].run(argc - 2, argv + 2);
    fprintf(stderr, "pagewise: unknown command '%s'\n", name);
    print_usage(stderr);
    return 2;
}
