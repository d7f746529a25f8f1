/* pw_decide: each rule, the order of reasons, priorities, per-intent and per-tier settings,
 * and policy validation.
 * SPDX-License-Identifier: MIT */
#include "pw/decide.h"
#include "pw/signals.h"
#include "pw/status.h"
#include "pw_test.h"

/* A calm, confident, routine message from a starter customer. */
static pw_decision_input routine(void) {
    pw_decision_input in;
    memset(&in, 0, sizeof in);
    in.intent = 3;
    in.confidence = 0.97;
    in.sentiment = 0.5;
    in.tier = PW_TIER_STARTER;
    return in;
}

static pw_decision decide(const pw_policy *p, const pw_decision_input *in) {
    pw_decision d;
    memset(&d, 0, sizeof d);
    PW_CHECK_INT(pw_decide(p, in, &d), PW_OK);
    PW_CHECK(d.reason_count >= 1);
    return d;
}

static int has_reason(const pw_decision *d, pw_reason r) {
    for (uint32_t i = 0; i < d->reason_count; i++)
        if (d->reasons[i] == r)
            return 1;
    return 0;
}

static void confident_routine_questions_resolve(void) {
    pw_policy p = pw_policy_default();
    pw_decision_input in = routine();
    pw_decision d = decide(&p, &in);
    PW_CHECK_INT(d.lane, PW_LANE_RESOLVE);
    PW_CHECK_INT(d.reasons[0], PW_REASON_HIGH_CONFIDENCE);
    PW_CHECK_INT(d.priority, 3);
}

static void confidence_bands_by_tier(void) {
    pw_policy p = pw_policy_default();
    pw_decision_input in = routine();
    in.confidence = 0.70;
    pw_decision d = decide(&p, &in);
    PW_CHECK_INT(d.lane, PW_LANE_ASSIST);
    PW_CHECK_INT(d.reasons[0], PW_REASON_MEDIUM_CONFIDENCE);
    in.confidence = 0.30;
    d = decide(&p, &in);
    PW_CHECK_INT(d.lane, PW_LANE_ESCALATE);
    PW_CHECK_INT(d.reasons[0], PW_REASON_LOW_CONFIDENCE);
    /* 0.88 resolves for starter but only drafts for pro (0.90) and enterprise. */
    in.confidence = 0.88;
    PW_CHECK_INT(decide(&p, &in).lane, PW_LANE_RESOLVE);
    in.tier = PW_TIER_PRO;
    PW_CHECK_INT(decide(&p, &in).lane, PW_LANE_ASSIST);
    in.tier = PW_TIER_ENTERPRISE;
    in.confidence = 0.99;
    d = decide(&p, &in);
    PW_CHECK_INT(d.lane, PW_LANE_ASSIST);
    PW_CHECK(has_reason(&d, PW_REASON_ENTERPRISE_TIER));
    PW_CHECK_INT(d.priority, 1); /* assist is 2; enterprise one sooner */
}

static void risk_escalates_whatever_the_confidence(void) {
    pw_policy p = pw_policy_default();
    pw_decision_input in = routine();
    in.high_stakes = PW_STAKES_REFUND;
    pw_decision d = decide(&p, &in);
    PW_CHECK_INT(d.lane, PW_LANE_ESCALATE);
    PW_CHECK_INT(d.reasons[0], PW_REASON_HIGH_STAKES_KEYWORD);
    in = routine();
    in.frustration = 0.8;
    in.sentiment = 0.1;
    d = decide(&p, &in);
    PW_CHECK_INT(d.lane, PW_LANE_ESCALATE);
    PW_CHECK_INT(d.reasons[0], PW_REASON_HIGH_FRUSTRATION);
    PW_CHECK(has_reason(&d, PW_REASON_NEGATIVE_SENTIMENT)); /* listed after the decisive one */
    in = routine();
    in.repeat_contact = 1;
    PW_CHECK_INT(decide(&p, &in).reasons[0], PW_REASON_REPEAT_CONTACT);
    in = routine();
    in.out_of_scope = 1;
    d = decide(&p, &in);
    PW_CHECK_INT(d.lane, PW_LANE_ESCALATE);
    PW_CHECK_INT(d.reasons[0], PW_REASON_OUT_OF_SCOPE);
    PW_CHECK(!has_reason(&d, PW_REASON_LOW_CONFIDENCE));
    in = routine();
    in.urgency = 0.9;
    d = decide(&p, &in);
    PW_CHECK_INT(d.reasons[0], PW_REASON_URGENT);
    PW_CHECK_INT(d.priority, 0);
    in = routine();
    in.account_flags = PW_ACCOUNT_VIP;
    PW_CHECK_INT(decide(&p, &in).reasons[0], PW_REASON_ACCOUNT_FLAG);
}

static void intent_settings_apply(void) {
    pw_policy_intent intents[2];
    memset(intents, 0, sizeof intents);
    intents[0].intent = 3;
    intents[0].expected_stakes = PW_STAKES_REFUND; /* a how-to about refund settings */
    intents[1].intent = 5;
    intents[1].human_only = 1;
    pw_policy p = pw_policy_default();
    p.intents = intents;
    p.intent_count = 2;
    pw_decision_input in = routine();
    in.high_stakes = PW_STAKES_REFUND;
    PW_CHECK_INT(decide(&p, &in).lane, PW_LANE_RESOLVE);
    in.high_stakes = PW_STAKES_REFUND | PW_STAKES_LEGAL; /* other stakes still count */
    PW_CHECK_INT(decide(&p, &in).lane, PW_LANE_ESCALATE);
    in = routine();
    in.intent = 5;
    pw_decision d = decide(&p, &in);
    PW_CHECK_INT(d.lane, PW_LANE_ESCALATE);
    PW_CHECK_INT(d.reasons[0], PW_REASON_HUMAN_ONLY_INTENT);
    intents[0].never_automate = 1;
    in = routine();
    PW_CHECK_INT(decide(&p, &in).reasons[0], PW_REASON_NEVER_AUTOMATE);
    intents[0].never_automate = 0;
    intents[0].has_thresholds = 1;
    for (int t = 0; t < PW_TIER_COUNT; t++)
        intents[0].thresholds.resolve[t] = 0.99, intents[0].thresholds.assist[t] = 0.5;
    PW_CHECK_INT(decide(&p, &in).lane, PW_LANE_ASSIST);
}

static void page_facts_inform_without_changing_the_lane(void) {
    pw_policy p = pw_policy_default();
    pw_decision_input in = routine();
    in.page_flags = PW_PAGE_FEATURE_DISABLED_BY_PLAN | PW_PAGE_ERROR_BANNER;
    pw_decision d = decide(&p, &in);
    PW_CHECK_INT(d.lane, PW_LANE_RESOLVE);
    PW_CHECK_INT(d.reasons[0], PW_REASON_HIGH_CONFIDENCE);
    PW_CHECK(has_reason(&d, PW_REASON_FEATURE_DISABLED_BY_PLAN));
    PW_CHECK(has_reason(&d, PW_REASON_ERROR_ON_PAGE));
}

static void invalid_policies_and_inputs_are_rejected(void) {
    pw_policy p = pw_policy_default();
    PW_CHECK(pw_policy_check(&p) == NULL);
    p.thresholds.assist[1] = 0.95; /* above resolve */
    PW_CHECK(strcmp(pw_policy_check(&p), "thresholds") == 0);
    pw_decision_input in = routine();
    pw_decision d;
    PW_CHECK_INT(pw_decide(&p, &in, &d), PW_EINVAL);
    p = pw_policy_default();
    p.urgency_escalate = 1.5;
    PW_CHECK(strcmp(pw_policy_check(&p), "urgency_escalate") == 0);
    p = pw_policy_default();
    in.tier = (pw_tier)7;
    PW_CHECK_INT(pw_decide(&p, &in, &d), PW_EINVAL);
    PW_CHECK_INT(pw_decide(NULL, &in, &d), PW_EINVAL);
}

static void names_are_stable(void) {
    PW_CHECK(strcmp(pw_reason_name(PW_REASON_HIGH_STAKES_KEYWORD), "HIGH_STAKES_KEYWORD") == 0);
    PW_CHECK(strcmp(pw_reason_name(PW_REASON_COUNT), "UNKNOWN") == 0);
    PW_CHECK(strlen(pw_reason_text(PW_REASON_OUT_OF_SCOPE)) > 10);
    PW_CHECK(strcmp(pw_lane_name(PW_LANE_ASSIST), "assist") == 0);
}

int main(void) {
    PW_RUN(confident_routine_questions_resolve);
    PW_RUN(confidence_bands_by_tier);
    PW_RUN(risk_escalates_whatever_the_confidence);
    PW_RUN(intent_settings_apply);
    PW_RUN(page_facts_inform_without_changing_the_lane);
    PW_RUN(invalid_policies_and_inputs_are_rejected);
    PW_RUN(names_are_stable);
    return pw_test_exit_code();
}
