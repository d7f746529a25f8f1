/* The go-live report of `pagewise replay`: lane counts and automation rate always; with labels,
 * intent accuracy, how many must-reach-a-human tickets a human saw first, how often the AI
 * answered alone when it should not have, the lane confusion, and the most confident mistakes.
 * SPDX-License-Identifier: MIT */
#include "jsonout.h"
#include "replay.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MISTAKES_SHOWN 20

typedef struct summary {
    size_t total, lanes[3];
    size_t intent_labelled, intent_correct;
    size_t must_human, must_human_reached, must_human_escalated;
    size_t resolved, wrong_resolved;
    size_t automatable, automatable_resolved;
    size_t lane_labelled, lane_agree, confusion[3][3];
} summary;

static double rate(size_t num, size_t den) {
    return den ? (double)num / (double)den : NAN;
}

static int intent_wrong(const pw_model *m, const replay_ticket *t, const char *oos) {
    char buf[PW_MODEL_MAX_LABEL + 1];
    return t->intent && strcmp(replay_predicted_label(m, t, oos, buf), t->intent) != 0;
}

/* An autonomous answer is wrong when a human was required or the intent was wrong. */
static int wrong_autonomous(const pw_model *m, const replay_ticket *t, const char *oos) {
    return t->decision.lane == PW_LANE_RESOLVE && (t->must_human == 1 || intent_wrong(m, t, oos));
}

static void count_ticket(summary *s, const pw_model *m, const replay_ticket *t, const char *oos) {
    int lane = (int)t->decision.lane;
    s->total++, s->lanes[lane]++;
    if (t->intent)
        s->intent_labelled++, s->intent_correct += !intent_wrong(m, t, oos);
    if (t->must_human == 1) {
        s->must_human++;
        s->must_human_reached += lane != PW_LANE_RESOLVE;
        s->must_human_escalated += lane == PW_LANE_ESCALATE;
    }
    if (lane == PW_LANE_RESOLVE)
        s->resolved++, s->wrong_resolved += wrong_autonomous(m, t, oos);
    if (t->lane == PW_LANE_RESOLVE)
        s->automatable++, s->automatable_resolved += lane == PW_LANE_RESOLVE;
    if (t->lane >= 0)
        s->lane_labelled++, s->lane_agree += t->lane == lane, s->confusion[t->lane][lane]++;
}

static summary summarise(const replay_set *set, const pw_model *m, const char *oos) {
    summary s;
    memset(&s, 0, sizeof s);
    for (size_t i = 0; i < set->count; i++)
        count_ticket(&s, m, &set->tickets[i], oos);
    return s;
}

/* Mistakes (wrong intent, or answered alone when a human was required), most confident first. */
static size_t mistakes(const replay_set *set, const pw_model *m, const char *oos,
                       const replay_ticket **out) {
    size_t n = 0;
    for (size_t i = 0; i < set->count; i++) {
        const replay_ticket *t = &set->tickets[i];
        if (intent_wrong(m, t, oos) || wrong_autonomous(m, t, oos))
            out[n++] = t;
    }
    for (size_t i = 1; i < n; i++) /* insertion sort: stable, and n is small */
        for (size_t j = i;
             j > 0 && out[j]->prediction.confidence > out[j - 1]->prediction.confidence; j--) {
            const replay_ticket *tmp = out[j];
            out[j] = out[j - 1], out[j - 1] = tmp;
        }
    return n;
}

static void print_rate(const char *name, size_t num, size_t den) {
    if (den)
        printf("  %-30s %6.1f%%  (%zu of %zu)\n", name, 100.0 * (double)num / (double)den, num,
               den);
    else
        printf("  %-30s    n/a  (no labelled tickets)\n", name);
}

static void print_text(const summary *s, const replay_ticket **wrong, size_t n_wrong,
                       const pw_model *m, const char *oos) {
    static const char *const lanes[] = {"resolve", "assist", "escalate"};
    printf("replayed %zu tickets\n\nlanes\n", s->total);
    for (int l = 0; l < 3; l++)
        printf("  %-30s %6zu  (%.1f%%)\n", lanes[l], s->lanes[l],
               100.0 * rate(s->lanes[l], s->total));
    printf("\nrates\n");
    print_rate("automation rate", s->lanes[PW_LANE_RESOLVE], s->total);
    print_rate("automation of automatable", s->automatable_resolved, s->automatable);
    print_rate("intent accuracy", s->intent_correct, s->intent_labelled);
    print_rate("must-human recall", s->must_human_reached, s->must_human);
    print_rate("must-human escalated", s->must_human_escalated, s->must_human);
    print_rate("wrong autonomous answers", s->wrong_resolved, s->resolved);
    print_rate("lane agreement", s->lane_agree, s->lane_labelled);
    printf("\nlane confusion (rows: expected, columns: decided)\n  %-10s %9s %9s %9s\n", "",
           lanes[0], lanes[1], lanes[2]);
    for (int e = 0; e < 3; e++)
        printf("  %-10s %9zu %9zu %9zu\n", lanes[e], s->confusion[e][0], s->confusion[e][1],
               s->confusion[e][2]);
    printf("\nmost confident mistakes\n");
    for (size_t i = 0; i < n_wrong && i < MISTAKES_SHOWN; i++) {
        char buf[PW_MODEL_MAX_LABEL + 1];
        const replay_ticket *t = wrong[i];
        printf("  %-8s %.3f %-9s predicted %-22s true %-22s %s%s\n", t->id,
               t->prediction.confidence, lanes[t->decision.lane],
               replay_predicted_label(m, t, oos, buf), t->intent ? t->intent : "-",
               t->must_human == 1 ? "(must reach a human) " : "",
               pw_reason_name((int)t->decision.reasons[0]));
    }
    if (n_wrong == 0)
        printf("  none\n");
}

static int json_summary(cJSON *root, const summary *s) {
    cJSON *sum = cJSON_AddObjectToObject(root, "summary");
    cJSON *lanes = sum ? cJSON_AddObjectToObject(sum, "lanes") : NULL;
    if (!lanes)
        return -1;
    int failed = pw_json_number(sum, "tickets", (double)s->total);
    failed |= pw_json_number(lanes, "resolve", (double)s->lanes[0]);
    failed |= pw_json_number(lanes, "assist", (double)s->lanes[1]);
    failed |= pw_json_number(lanes, "escalate", (double)s->lanes[2]);
    failed |= pw_json_number(sum, "automation_rate", rate(s->lanes[PW_LANE_RESOLVE], s->total));
    failed |= pw_json_number(sum, "automatable_automation_rate",
                             rate(s->automatable_resolved, s->automatable));
    failed |= pw_json_number(sum, "intent_accuracy", rate(s->intent_correct, s->intent_labelled));
    failed |= pw_json_number(sum, "must_human_recall", rate(s->must_human_reached, s->must_human));
    failed |= pw_json_number(sum, "must_human_escalation_recall",
                             rate(s->must_human_escalated, s->must_human));
    failed |= pw_json_number(sum, "wrong_autonomous_rate", rate(s->wrong_resolved, s->resolved));
    failed |= pw_json_number(sum, "lane_agreement", rate(s->lane_agree, s->lane_labelled));
    cJSON *conf = cJSON_AddArrayToObject(sum, "lane_confusion");
    for (int e = 0; conf && e < 3; e++) {
        const double row[3] = {(double)s->confusion[e][0], (double)s->confusion[e][1],
                               (double)s->confusion[e][2]};
        cJSON *r = cJSON_CreateDoubleArray(row, 3);
        failed |= !r || !cJSON_AddItemToArray(conf, r);
    }
    return failed | !conf;
}

static int json_ticket(cJSON *list, const replay_ticket *t, const pw_model *m, const char *oos) {
    char buf[PW_MODEL_MAX_LABEL + 1];
    cJSON *o = pw_json_append_object(list);
    if (!o)
        return -1;
    int failed = pw_json_string(o, "id", t->id);
    failed |= pw_json_string(o, "lane", pw_lane_name((int)t->decision.lane));
    failed |= pw_json_number(o, "priority", t->decision.priority);
    failed |= pw_json_string(o, "intent", replay_predicted_label(m, t, oos, buf));
    failed |= pw_json_number(o, "confidence", t->prediction.confidence);
    failed |= pw_json_number(o, "frustration", t->signals.frustration);
    failed |= pw_json_number(o, "urgency", t->signals.urgency);
    cJSON *reasons = cJSON_AddArrayToObject(o, "reasons");
    for (uint32_t i = 0; reasons && i < t->decision.reason_count; i++) {
        cJSON *r = cJSON_CreateString(pw_reason_name((int)t->decision.reasons[i]));
        failed |= !r || !cJSON_AddItemToArray(reasons, r);
    }
    return failed | !reasons;
}

void replay_report(const replay_set *set, const pw_model *m, const char *oos, int json) {
    summary s = summarise(set, m, oos);
    const replay_ticket **wrong = calloc(set->count ? set->count : 1, sizeof *wrong);
    size_t n_wrong = wrong ? mistakes(set, m, oos, wrong) : 0;
    if (!json) {
        print_text(&s, wrong, n_wrong, m, oos);
        free(wrong);
        return;
    }
    cJSON *root = cJSON_CreateObject();
    int failed = !root || !wrong || json_summary(root, &s);
    cJSON *list = root ? cJSON_AddArrayToObject(root, "tickets") : NULL;
    for (size_t i = 0; list && !failed && i < set->count; i++)
        failed |= json_ticket(list, &set->tickets[i], m, oos);
    cJSON *top = root ? cJSON_AddArrayToObject(root, "most_confident_mistakes") : NULL;
    for (size_t i = 0; top && !failed && i < n_wrong && i < MISTAKES_SHOWN; i++) {
        cJSON *id = cJSON_CreateString(wrong[i]->id);
        failed |= !id || !cJSON_AddItemToArray(top, id);
    }
    pw_json_emit("replay", root, failed || !list || !top);
    free(wrong);
}
