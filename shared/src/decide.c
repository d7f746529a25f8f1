/* pw_decide: each rule may raise the lane (never lower it) and adds its reason; the reasons
 * are then ordered by how far each one raised the lane, so the first reason is the decisive
 * one. Page facts are listed for the agent but change no lane: a disabled feature is answered
 * by explaining the plan, which the answer composer does.
 * SPDX-License-Identifier: MIT */
#include "pw/decide.h"
#include "pw/signals.h"
#include "pw/status.h"

#include <string.h>

const char *pw_reason_name(int reason) {
    switch (reason) {
#define PW_REASON_NAME(name, text)                                                                 \
    case PW_REASON_##name:                                                                         \
        return #name;
        PW_REASON_MAP(PW_REASON_NAME)
#undef PW_REASON_NAME
    default:
        return "UNKNOWN";
    }
}

const char *pw_reason_text(int reason) {
    switch (reason) {
#define PW_REASON_TEXT(name, text)                                                                 \
    case PW_REASON_##name:                                                                         \
        return text;
        PW_REASON_MAP(PW_REASON_TEXT)
#undef PW_REASON_TEXT
    default:
        return "";
    }
}

const char *pw_lane_name(int lane) {
    switch (lane) {
    case PW_LANE_RESOLVE:
        return "resolve";
    case PW_LANE_ASSIST:
        return "assist";
    case PW_LANE_ESCALATE:
        return "escalate";
    default:
        return "unknown";
    }
}

/* A reason and the lane it asked for; -1 for a fact that changes no lane. */
typedef struct verdict {
    pw_reason reasons[PW_REASON_COUNT];
    int levels[PW_REASON_COUNT];
    uint32_t count;
    int lane;
} verdict;

static void raise_to(verdict *v, int lane, pw_reason reason) {
    if (v->count < PW_REASON_COUNT) {
        v->reasons[v->count] = reason;
        v->levels[v->count] = lane;
        v->count++;
    }
    if (lane > v->lane)
        v->lane = lane;
}

static const pw_policy_intent *intent_settings(const pw_policy *p, int32_t intent) {
    for (size_t i = 0; i < p->intent_count; i++)
        if (p->intents[i].intent == intent)
            return &p->intents[i];
    return NULL;
}

/* The rules about who must see this, whatever the confidence. */
static void human_rules(const pw_policy *p, const pw_policy_intent *pi, const pw_decision_input *in,
                        verdict *v) {
    if (pi && pi->human_only && !in->out_of_scope)
        raise_to(v, PW_LANE_ESCALATE, PW_REASON_HUMAN_ONLY_INTENT);
    if (in->out_of_scope)
        raise_to(v, PW_LANE_ESCALATE, PW_REASON_OUT_OF_SCOPE);
    uint32_t stakes = in->high_stakes & ~(pi && !in->out_of_scope ? pi->expected_stakes : 0u);
    if (stakes & p->stakes_escalate)
        raise_to(v, PW_LANE_ESCALATE, PW_REASON_HIGH_STAKES_KEYWORD);
    else if (stakes & p->stakes_assist)
        raise_to(v, PW_LANE_ASSIST, PW_REASON_HIGH_STAKES_KEYWORD);
    if (in->account_flags & p->account_escalate)
        raise_to(v, PW_LANE_ESCALATE, PW_REASON_ACCOUNT_FLAG);
    int repeat_lane = p->repeat_escalate ? PW_LANE_ESCALATE : PW_LANE_ASSIST;
    if (in->repeated_question)
        raise_to(v, repeat_lane, PW_REASON_REPEATED_QUESTION);
    if (in->repeat_contact)
        raise_to(v, repeat_lane, PW_REASON_REPEAT_CONTACT);
}

/* The rules about how the customer feels and how soon they need help. */
static void mood_rules(const pw_policy *p, const pw_decision_input *in, verdict *v) {
    if (in->frustration >= p->frustration_escalate)
        raise_to(v, PW_LANE_ESCALATE, PW_REASON_HIGH_FRUSTRATION);
    else if (in->frustration >= p->frustration_assist)
        raise_to(v, PW_LANE_ASSIST, PW_REASON_HIGH_FRUSTRATION);
    if (in->urgency >= p->urgency_escalate)
        raise_to(v, PW_LANE_ESCALATE, PW_REASON_URGENT);
    if (in->sentiment <= p->sentiment_assist)
        raise_to(v, PW_LANE_ASSIST, PW_REASON_NEGATIVE_SENTIMENT);
}

/* The rules about how sure the classifier is and what automation the intent allows. */
static void confidence_rules(const pw_policy *p, const pw_policy_intent *pi,
                             const pw_decision_input *in, verdict *v) {
    if (in->out_of_scope)
        return;
    const pw_policy_thresholds *t = pi && pi->has_thresholds ? &pi->thresholds : &p->thresholds;
    if (in->confidence < t->assist[in->tier])
        raise_to(v, PW_LANE_ESCALATE, PW_REASON_LOW_CONFIDENCE);
    else if (in->confidence < t->resolve[in->tier])
        raise_to(v, PW_LANE_ASSIST, PW_REASON_MEDIUM_CONFIDENCE);
    if (pi && pi->never_automate)
        raise_to(v, PW_LANE_ASSIST, PW_REASON_NEVER_AUTOMATE);
    if (p->enterprise_human && in->tier == PW_TIER_ENTERPRISE)
        raise_to(v, PW_LANE_ASSIST, PW_REASON_ENTERPRISE_TIER);
}

static void page_facts(const pw_decision_input *in, verdict *v) {
    if (in->page_flags & PW_PAGE_FEATURE_DISABLED_BY_PLAN)
        raise_to(v, -1, PW_REASON_FEATURE_DISABLED_BY_PLAN);
    if (in->page_flags & (PW_PAGE_ERROR_BANNER | PW_PAGE_FAILED_REQUEST))
        raise_to(v, -1, PW_REASON_ERROR_ON_PAGE);
    if (in->page_flags & PW_PAGE_STRUGGLE)
        raise_to(v, -1, PW_REASON_STRUGGLING);
}

static uint32_t priority_of(const pw_decision_input *in, int lane, const pw_policy *p) {
    uint32_t priority = lane == PW_LANE_ESCALATE ? 1u : lane == PW_LANE_ASSIST ? 2u : 3u;
    int critical = in->urgency >= p->urgency_escalate || (in->high_stakes & PW_STAKES_SECURITY) ||
                   (in->account_flags & PW_ACCOUNT_OPEN_INCIDENT);
    if (critical)
        priority = 0;
    if (in->tier == PW_TIER_ENTERPRISE && priority > 0)
        priority--;
    return priority;
}

/* Reasons that decided the lane first, then the ones that asked for less, then page facts;
 * within a level, rule order (a stable insertion sort over at most PW_REASON_COUNT items). */
static void order_reasons(const verdict *v, pw_decision *out) {
    uint32_t order[PW_REASON_COUNT];
    for (uint32_t i = 0; i < v->count; i++) {
        uint32_t j = i;
        while (j > 0 && v->levels[order[j - 1]] < v->levels[i]) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    out->reason_count = v->count < PW_DECISION_MAX_REASONS ? v->count : PW_DECISION_MAX_REASONS;
    for (uint32_t i = 0; i < out->reason_count; i++)
        out->reasons[i] = v->reasons[order[i]];
}

int pw_decide(const pw_policy *p, const pw_decision_input *in, pw_decision *out) {
    if (!p || !in || !out || pw_policy_check(p) || (int)in->tier < 0 ||
        (int)in->tier >= PW_TIER_COUNT)
        return PW_EINVAL;
    verdict v;
    memset(&v, 0, sizeof v);
    v.lane = PW_LANE_RESOLVE;
    const pw_policy_intent *pi = intent_settings(p, in->intent);
    human_rules(p, pi, in, &v);
    mood_rules(p, in, &v);
    confidence_rules(p, pi, in, &v);
    if (v.lane == PW_LANE_RESOLVE)
        raise_to(&v, PW_LANE_RESOLVE, PW_REASON_HIGH_CONFIDENCE);
    page_facts(in, &v);
    memset(out, 0, sizeof *out);
    out->lane = (pw_lane)v.lane;
    out->priority = priority_of(in, v.lane, p);
    order_reasons(&v, out);
    return PW_OK;
}
