/* `pagewise replay`: past tickets through classifier, signals and policy, for a go-live report.
 * The pieces: replay_tickets.c reads and runs the tickets, replay_report.c summarises them.
 * SPDX-License-Identifier: MIT */
#ifndef PW_CLI_REPLAY_H
#define PW_CLI_REPLAY_H

#include "pw/classify.h"
#include "pw/decide.h"
#include "pw/signals.h"

#include <stddef.h>

typedef struct replay_ticket {
    char *id, *text;
    char *intent;   /* the true intent label, or NULL when the ticket has none */
    int lane;       /* the expected pw_lane, or -1 */
    int must_human; /* 1, 0, or -1 when not labelled */
    pw_tier tier;
    uint32_t page_flags, account_flags;
    char **history;
    size_t history_count, line;
    /* what Pagewise decided */
    pw_prediction prediction;
    pw_signals signals;
    pw_decision decision;
} replay_ticket;

typedef struct replay_set {
    replay_ticket *tickets;
    size_t count, cap;
} replay_set;

/* Reads the tickets file; returns 0 or -1 with "PATH:LINE: problem" in err. */
int replay_read(const char *path, replay_set *set, char *err, size_t err_cap);

void replay_set_free(replay_set *set);

/* The label a ticket's prediction stands for: the intent's label, or `oos_label` when the
 * classifier said out of scope. */
const char *replay_predicted_label(const pw_model *m, const replay_ticket *t, const char *oos_label,
                                   char buf[PW_MODEL_MAX_LABEL + 1]);

/* Prints the human report, or with `json` the machine-readable one, to stdout. */
void replay_report(const replay_set *set, const pw_model *m, const char *oos_label, int json);

#endif
