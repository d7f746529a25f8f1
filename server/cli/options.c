/* The subcommands' option parser: flags from a per-command table, values checked here so that
 * a typo ("--epochs 1O") is a usage error instead of a silently different model.
 * SPDX-License-Identifier: MIT */
#include "options.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pw_opts_usage_error(const char *cmd, const char *usage, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    pw_cli_vreport(cmd, fmt, ap);
    va_end(ap);
    fputs(usage, stderr);
    return 2;
}

/* strtoul alone accepts "-1" (as ULONG_MAX), leading spaces and trailing junk; a count on a
 * command line is plain digits. */
static int parse_u32(const char *s, uint32_t *out) {
    if (*s < '0' || *s > '9')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > UINT32_MAX)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

/* strtod accepts "nan" and "inf", which would pass range checks written as `x > max`. */
static int parse_double(const char *s, double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

static int store_value(const pw_opt *opt, const char *value) {
    switch (opt->kind) {
    case PW_OPT_STRING:
        if (!*value)
            return -1;
        *(const char **)opt->value = value;
        return 0;
    case PW_OPT_POSITIONAL:
        *(const char **)opt->value = value;
        return 0;
    case PW_OPT_U32:
        return parse_u32(value, opt->value);
    case PW_OPT_DOUBLE:
        return parse_double(value, opt->value);
    case PW_OPT_FLAG:
        break;
    }
    return -1;
}

static const pw_opt *find_flag(const pw_opt *opts, size_t count, const char *arg, size_t len) {
    for (size_t i = 0; i < count; i++)
        if (opts[i].kind != PW_OPT_POSITIONAL && strlen(opts[i].name) == len &&
            memcmp(opts[i].name, arg, len) == 0)
            return &opts[i];
    return NULL;
}

static const char *kind_noun(pw_opt_kind kind) {
    return kind == PW_OPT_U32      ? "a whole number >= 0"
           : kind == PW_OPT_DOUBLE ? "a number"
                                   : "a non-empty value";
}

/* The parse in progress: which options were given, so required ones can be checked after. */
typedef struct parse {
    const char *cmd, *usage;
    const pw_opt *opts;
    size_t count;
    unsigned char seen[32];
} parse;

/* Handles the option at argv[*i], consuming its value. Returns 0, or 2 once the problem and the
 * usage text are printed. */
static int take_flag(parse *p, int argc, char **argv, int *i) {
    const char *arg = argv[*i], *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    const pw_opt *opt = find_flag(p->opts, p->count, arg, len);
    if (!opt)
        return pw_opts_usage_error(p->cmd, p->usage, "unknown option '%.*s'", (int)len, arg);
    p->seen[opt - p->opts] = 1;
    if (opt->kind == PW_OPT_FLAG) {
        if (eq)
            return pw_opts_usage_error(p->cmd, p->usage, "%s takes no value", opt->name);
        *(int *)opt->value = 1;
        return 0;
    }
    const char *value = eq ? eq + 1 : (*i + 1 < argc ? argv[++*i] : NULL);
    if (!value)
        return pw_opts_usage_error(p->cmd, p->usage, "%s needs a value", opt->name);
    if (store_value(opt, value))
        return pw_opts_usage_error(p->cmd, p->usage, "%s must be %s, got '%s'", opt->name,
                                   kind_noun(opt->kind), value);
    return 0;
}

/* Gives `arg` to the first positional entry not yet filled. */
static int take_positional(parse *p, const char *arg) {
    for (size_t i = 0; i < p->count; i++)
        if (p->opts[i].kind == PW_OPT_POSITIONAL && !p->seen[i]) {
            p->seen[i] = 1;
            return store_value(&p->opts[i], arg);
        }
    return pw_opts_usage_error(p->cmd, p->usage, "unexpected argument '%s'", arg);
}

static int check_required(const parse *p) {
    for (size_t i = 0; i < p->count; i++)
        if (p->opts[i].required && !p->seen[i])
            return pw_opts_usage_error(p->cmd, p->usage, "%s is required", p->opts[i].name);
    return 0;
}

int pw_opts_parse(const char *cmd, const char *usage, const pw_opt *opts, size_t count, int argc,
                  char **argv) {
    parse p = {.cmd = cmd, .usage = usage, .opts = opts, .count = count, .seen = {0}};
    assert(count <= sizeof p.seen);
    int rc = 0, options_done = 0;
    for (int i = 0; i < argc && rc == 0; i++) {
        const char *arg = argv[i];
        if (options_done || arg[0] != '-' || arg[1] == '\0') {
            rc = take_positional(&p, arg);
        } else if (strcmp(arg, "--") == 0) {
            options_done = 1;
        } else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        } else {
            rc = take_flag(&p, argc, argv, &i);
        }
    }
    if (rc == 0)
        rc = check_required(&p);
    return rc ? rc : PW_OPTS_RUN;
}
