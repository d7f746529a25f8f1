/* `pagewise replay [--model M] [--policy P] tickets.jsonl`: runs past tickets through the
 * classifier, the signals and the decision policy exactly as the server would, and reports
 * what going live would have done. Model and policy default to the demo's.
 * SPDX-License-Identifier: MIT */
#include "cli.h"
#include "modelfile.h"
#include "options.h"
#include "replay.h"
#include "../config/policy_config.h"

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

typedef struct engine {
    pw_classifier *classifier;
    pw_signal_scanner *scanner;
    pw_policy_config policy;
} engine;

static int decide_ticket(engine *e, replay_ticket *t) {
    int rc = pw_classify(e->classifier, t->text, strlen(t->text), &t->prediction);
    size_t lens[PW_SIGNALS_MAX_HISTORY];
    size_t first =
        t->history_count > PW_SIGNALS_MAX_HISTORY ? t->history_count - PW_SIGNALS_MAX_HISTORY : 0;
    for (size_t h = first; h < t->history_count; h++)
        lens[h - first] = strlen(t->history[h]);
    if (rc == PW_OK)
        rc = pw_signals_scan(e->scanner, t->text, strlen(t->text),
                             (const char *const *)(t->history + first), lens,
                             t->history_count - first, &t->signals);
    pw_decision_input in = {t->prediction.intent,       t->prediction.confidence,
                            t->prediction.out_of_scope, t->signals.sentiment,
                            t->signals.frustration,     t->signals.urgency,
                            t->signals.repeat_contact,  t->signals.repeated_question,
                            t->signals.high_stakes,     t->tier,
                            t->account_flags,           t->page_flags};
    if (rc == PW_OK)
        rc = pw_decide(&e->policy.policy, &in, &t->decision);
    return rc;
}

static int build_engine(engine *e, const pw_model *m, const char *policy_path) {
    char err[600];
    if (pw_policy_config_load(policy_path, m, &e->policy, err, sizeof err))
        return pw_cli_fail("replay", "%s", err);
    pw_signals_config sc = pw_policy_config_signals(&e->policy);
    int rc = pw_signal_scanner_new(&sc, NULL, &e->scanner);
    if (rc == PW_OK)
        rc = pw_classifier_new(m, NULL, &e->classifier);
    if (rc != PW_OK)
        return pw_cli_fail("replay", "%s: %s", policy_path, pw_strerror(rc));
    return 0;
}

static void free_engine(engine *e) {
    pw_classifier_free(e->classifier);
    pw_signal_scanner_free(e->scanner);
    pw_policy_config_free(&e->policy);
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
    engine e;
    memset(&e, 0, sizeof e);
    replay_set set;
    memset(&set, 0, sizeof set);
    char err[600];
    int status = build_engine(&e, m, policy_path);
    if (status == 0 && replay_read(tickets_path, &set, err, sizeof err))
        status = pw_cli_fail("replay", "%s", err);
    for (size_t i = 0; status == 0 && i < set.count; i++)
        if (decide_ticket(&e, &set.tickets[i]) != PW_OK)
            status = pw_cli_fail("replay", "%s:%zu: could not decide", tickets_path,
                                 set.tickets[i].line);
    if (status == 0)
        replay_report(&set, m, oos, json);
    replay_set_free(&set);
    free_engine(&e);
    pw_model_free(m);
    return status;
}
