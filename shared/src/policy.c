/* The default policy and its validation. The defaults are deliberately conservative: a new
 * installation drafts and escalates more than it needs to, and the support lead loosens the
 * thresholds as the replay report shows what is safe.
 * SPDX-License-Identifier: MIT */
#include "pw/decide.h"
#include "pw/signals.h"

static pw_policy_thresholds default_thresholds(void) {
    pw_policy_thresholds t = {{0.85, 0.85, 0.90, 0.95}, {0.50, 0.50, 0.50, 0.60}};
    return t;
}

pw_policy pw_policy_default(void) {
    pw_policy p;
    p.thresholds = default_thresholds();
    p.frustration_escalate = 0.70;
    p.frustration_assist = 0.40;
    p.sentiment_assist = 0.25;
    p.urgency_escalate = 0.70;
    p.stakes_escalate = PW_STAKES_CANCEL | PW_STAKES_REFUND | PW_STAKES_CHARGEBACK |
                        PW_STAKES_LEGAL | PW_STAKES_PRIVACY | PW_STAKES_SECURITY;
    p.stakes_assist = PW_STAKES_OTHER;
    p.account_escalate = PW_ACCOUNT_PAST_DUE | PW_ACCOUNT_VIP | PW_ACCOUNT_OPEN_INCIDENT;
    p.repeat_escalate = 1;
    p.enterprise_human = 1;
    p.intents = NULL;
    p.intent_count = 0;
    return p;
}

static int unit(double x) {
    return x >= 0.0 && x <= 1.0;
}

static int thresholds_valid(const pw_policy_thresholds *t) {
    for (int tier = 0; tier < PW_TIER_COUNT; tier++)
        if (!unit(t->resolve[tier]) || !unit(t->assist[tier]) || t->assist[tier] > t->resolve[tier])
            return 0;
    return 1;
}

const char *pw_policy_check(const pw_policy *p) {
    if (!p)
        return "policy";
    if (!thresholds_valid(&p->thresholds))
        return "thresholds";
    if (!unit(p->frustration_escalate))
        return "frustration_escalate";
    if (!unit(p->frustration_assist))
        return "frustration_assist";
    if (!unit(p->sentiment_assist))
        return "sentiment_assist";
    if (!unit(p->urgency_escalate))
        return "urgency_escalate";
    if ((!p->intents && p->intent_count) || p->intent_count > PW_POLICY_MAX_INTENTS)
        return "intents";
    for (size_t i = 0; i < p->intent_count; i++)
        if (p->intents[i].has_thresholds && !thresholds_valid(&p->intents[i].thresholds))
            return "intents.thresholds";
    return NULL;
}
