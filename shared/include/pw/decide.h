/* The decision: resolve (answer alone), assist (draft for a human to approve) or escalate
 * (hand to a human), with a priority and the ordered reasons behind it. Pure function of
 * plain structs: the classifier's prediction, the signals, the customer's tier and flags, a
 * summary of the page the user is on, and a policy a support lead configures.
 * SPDX-License-Identifier: MIT */
#ifndef PW_DECIDE_H
#define PW_DECIDE_H

#include "pw/page.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pw_lane { PW_LANE_RESOLVE = 0, PW_LANE_ASSIST = 1, PW_LANE_ESCALATE = 2 } pw_lane;

/* pw_tier (the customer's plan) and pw_page_flag (what the page shows) come from page.h. */

/* Every reason a decision can give, in the order decisions list them. Stable names: they are
 * stored with each decision and shown to agents. */
#define PW_REASON_MAP(X)                                                                           \
    X(HUMAN_ONLY_INTENT, "the intent is configured to always reach a human")                       \
    X(OUT_OF_SCOPE, "the message matches none of the known intents")                               \
    X(HIGH_STAKES_KEYWORD, "the message mentions a high-stakes topic")                             \
    X(ACCOUNT_FLAG, "the customer's account carries a flag that needs a human")                    \
    X(REPEATED_QUESTION, "the customer is asking the same question again")                         \
    X(REPEAT_CONTACT, "the customer says this is not their first contact")                         \
    X(HIGH_FRUSTRATION, "the customer is very frustrated")                                         \
    X(URGENT, "the message is urgent or blocking")                                                 \
    X(ENTERPRISE_TIER, "enterprise customers get a human sooner")                                  \
    X(LOW_CONFIDENCE, "the intent is too uncertain to act on")                                     \
    X(NEVER_AUTOMATE, "the intent may be drafted but never sent without a human")                  \
    X(NEGATIVE_SENTIMENT, "the customer is unhappy")                                               \
    X(MEDIUM_CONFIDENCE, "the intent is likely but not certain")                                   \
    X(ERROR_ON_PAGE, "the page shows an error or a failed request")                                \
    X(FEATURE_DISABLED_BY_PLAN, "the feature asked about is disabled by the customer's plan")      \
    X(STRUGGLING, "the widget saw the user struggle on this page")                                 \
    X(HIGH_CONFIDENCE, "the intent is clear and automation is allowed")

typedef enum pw_reason {
#define PW_REASON_ENUM(name, text) PW_REASON_##name,
    PW_REASON_MAP(PW_REASON_ENUM)
#undef PW_REASON_ENUM
        PW_REASON_COUNT
} pw_reason;

/* "HIGH_STAKES_KEYWORD" for PW_REASON_HIGH_STAKES_KEYWORD; "UNKNOWN" out of range. Static. */
const char *pw_reason_name(int reason);
/* A sentence for agents and reports; "" out of range. Static. */
const char *pw_reason_text(int reason);

/* Account flags the caller knows from its records (bits of pw_decision_input.account_flags). */
typedef enum pw_account_flag {
    PW_ACCOUNT_PAST_DUE = 1u << 0,   /* unpaid invoices */
    PW_ACCOUNT_CHURN_RISK = 1u << 1, /* flagged by the team or the churn model */
    PW_ACCOUNT_VIP = 1u << 2,        /* named account: a human always answers */
    PW_ACCOUNT_OPEN_INCIDENT = 1u << 3
} pw_account_flag;

/* Thresholds on the calibrated confidence, per tier: at or above `resolve` the AI may answer
 * alone; at or above `assist` it drafts for a human; below, it escalates. */
typedef struct pw_policy_thresholds {
    double resolve[PW_TIER_COUNT];
    double assist[PW_TIER_COUNT];
} pw_policy_thresholds;

/* Per-intent settings. `thresholds` overrides the policy's when `has_thresholds`. */
typedef struct pw_policy_intent {
    int32_t intent;         /* index in the model */
    uint8_t human_only;     /* always escalate */
    uint8_t never_automate; /* at most assist */
    uint8_t has_thresholds;
    uint32_t expected_stakes; /* pw_stakes bits that are this intent's topic, not a risk
                                 ("refund" in a how-to about refund settings) */
    pw_policy_thresholds thresholds;
} pw_policy_intent;

#define PW_POLICY_MAX_INTENTS 4096

typedef struct pw_policy {
    pw_policy_thresholds thresholds;
    double frustration_escalate;     /* frustration at or above: escalate */
    double frustration_assist;       /* at or above: at most assist */
    double sentiment_assist;         /* sentiment at or below: at most assist */
    double urgency_escalate;         /* urgency at or above: escalate (and priority 0) */
    uint32_t stakes_escalate;        /* pw_stakes bits that escalate */
    uint32_t stakes_assist;          /* pw_stakes bits that cap at assist */
    uint32_t account_escalate;       /* pw_account_flag bits that escalate */
    uint8_t repeat_escalate;         /* repeat contact escalates (else caps at assist) */
    uint8_t enterprise_human;        /* enterprise never gets RESOLVE, at most ASSIST */
    const pw_policy_intent *intents; /* borrowed for the decide call; sorted or not */
    size_t intent_count;
} pw_policy;

/* The conservative defaults a new installation starts from (loosen over time, never start
 * loose): resolve at >= 0.85 (free/starter), 0.90 (pro), 0.95 (enterprise); assist at >= 0.50
 * (0.60 enterprise); frustration >= 0.70 escalates, >= 0.40 assists; sentiment <= 0.25 assists;
 * urgency >= 0.70 escalates; cancel/refund/chargeback/legal/privacy/security escalate; past-due,
 * VIP and open-incident accounts escalate; repeat contact escalates; enterprise never RESOLVE. */
pw_policy pw_policy_default(void);

/* NULL when valid, else the name of the first invalid field ("thresholds",
 * "frustration_escalate", "intents.thresholds", ...): thresholds in [0, 1] with assist <=
 * resolve for every tier, scores in [0, 1], at most PW_POLICY_MAX_INTENTS intents, `intents`
 * NULL only with count 0. Configuration readers name the exact field themselves. */
const char *pw_policy_check(const pw_policy *p);

typedef struct pw_decision_input {
    int32_t intent;       /* the classifier's top in-scope intent (pw_prediction.intent) */
    double confidence;    /* its calibrated probability */
    int32_t out_of_scope; /* pw_prediction.out_of_scope */
    double sentiment, frustration, urgency; /* from pw_signals */
    int32_t repeat_contact, repeated_question;
    uint32_t high_stakes; /* pw_stakes bits */
    pw_tier tier;
    uint32_t account_flags; /* pw_account_flag bits */
    uint32_t page_flags;    /* pw_page_flag bits */
} pw_decision_input;

#define PW_DECISION_MAX_REASONS 12

typedef struct pw_decision {
    pw_lane lane;
    uint32_t priority; /* 0 (most urgent) .. 3 */
    uint32_t reason_count;
    pw_reason reasons[PW_DECISION_MAX_REASONS]; /* most decisive first; at least one */
} pw_decision;

/* Decides. Every decision carries at least one reason. Pure and deterministic; no allocation.
 * Returns PW_OK, or PW_EINVAL (NULL argument, invalid policy, tier out of range). */
int pw_decide(const pw_policy *p, const pw_decision_input *in, pw_decision *out);

/* "resolve", "assist", "escalate"; "unknown" out of range. Static. */
const char *pw_lane_name(int lane);

#ifdef __cplusplus
}
#endif

#endif
