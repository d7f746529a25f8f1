/* `pagewise replay [--model M] [--policy P] tickets.jsonl`: runs past tickets through the
 * classifier, the signals and the decision policy exactly as the server would, and reports
 * what going live would have done. Model and policy default to the demo's.
 * SPDX-License-Identifier: MIT */
#include "cli.h"
#include "modelfile.h"
#include "options.h"
#include "replay.h"
#include "../engine/engine.h"

#include "pw/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: pagewise replay [--model MODEL] [--policy POLICY] [--oos-label L] [--json] TICKETS\n"
    "  TICKETS          JSON Lines: {\"id\", \"text\", \"intent\"?, \"lane\"?, \"must_human\"?,\n"
    "                   \"tier\"?, \"page\"?, \"ui\"?, \"history\"?} per line\n"
    "  --model MODEL    intent model (default: the demo's, " PW_DEMO_MODEL ")\n"
    "  --policy POLICY  decision policy JSON (default: the demo's, " PW_DEMO_POLICY ")\n"
    "  --oos-label L    the intent label of out-of-scope tickets (default oos)\n"
    "  --json           one JSON object: {\"summary\": {...}, \"tickets\": [...]}\n";

/* Replay runs each ticket through the server's own analysis (engine/), so what it reports is
 * what the server would have decided. */
static int decide_ticket(pw_engine *e, pw_analyzer *a, replay_ticket *t) {
    size_t lens[PW_SIGNALS_MAX_HISTORY];
    size_t first =
        t->history_count > PW_SIGNALS_MAX_HISTORY ? t->history_count - PW_SIGNALS_MAX_HISTORY : 0;
    for (size_t h = first; h < t->history_count; h++)
        lens[h - first] = strlen(t->history[h]);
    pw_analysis an;
    int rc = pw_analyze(a, t->text, strlen(t->text), (const char *const *)(t->history + first),
                        lens, t->history_count - first, &an);
    if (rc == PW_OK)
        rc = pw_analysis_decide(&e->policy.policy, &an, t->tier, t->account_flags, t->page_flags);
    t->prediction = an.prediction;
    t->signals = an.signals;
    t->decision = an.decision;
    return rc;
}

static int run_tickets(pw_engine *e, replay_set *set, const char *tickets_path) {
    pw_analyzer *a = pw_engine_acquire(e);
    if (!a)
        return pw_cli_fail("replay", "out of memory");
    int status = 0;
    for (size_t i = 0; status == 0 && i < set->count; i++)
        if (decide_ticket(e, a, &set->tickets[i]) != PW_OK)
            status = pw_cli_fail("replay", "%s:%zu: could not decide", tickets_path,
                                 set->tickets[i].line);
    pw_engine_release(e, a);
    return status;
}

int pw_cli_replay(int argc, char **argv) {
    const char *model_path = PW_DEMO_MODEL, *policy_path = PW_DEMO_POLICY, *oos = "oos";
    const char *tickets_path = NULL;
    int json = 0;
    const pw_opt opts[] = {
        {"--model", PW_OPT_STRING, &model_path, 0},
        {"--policy", PW_OPT_STRING, &policy_path, 0},
        {"--oos-label", PW_OPT_STRING, &oos, 0},
        {"--json", PW_OPT_FLAG, &json, 0},
        {"TICKETS", PW_OPT_POSITIONAL, &tickets_path, 1},
    };
    int parsed = pw_opts_parse("replay", usage, opts, PW_OPTS_COUNT(opts), argc, argv);
    if (parsed != PW_OPTS_RUN)
        return parsed;
    pw_model *m = NULL;
    if (pw_modelfile_load("replay", model_path, &m))
        return 1;
    pw_engine e;
    char err[600];
    if (pw_engine_open(&e, m, policy_path, err, sizeof err))
        return pw_cli_fail("replay", "%s", err);
    replay_set set;
    memset(&set, 0, sizeof set);
    int status = 0;
    if (replay_read(tickets_path, &set, err, sizeof err))
        status = pw_cli_fail("replay", "%s", err);
    if (status == 0)
        status = run_tickets(&e, &set, tickets_path);
    if (status == 0)
        replay_report(&set, e.model, oos, json);
    replay_set_free(&set);
    pw_engine_close(&e);
    return status;
}
