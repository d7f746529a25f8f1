/* The decision policy file: a JSON document a support lead edits, read into the core's plain
 * structs (pw_policy, pw_signals_config). Every field is optional and defaults to the core's
 * conservative pw_policy_default(); unknown fields are errors, so a typo never silently
 * falls back to a default. The format is documented in README.md ("Decision policy").
 * SPDX-License-Identifier: MIT */
#ifndef PW_CONFIG_POLICY_H
#define PW_CONFIG_POLICY_H

#include "pw/decide.h"
#include "pw/model.h"
#include "pw/signals.h"

#include <stddef.h>

typedef struct pw_policy_config {
    pw_policy policy; /* policy.intents points into `intents` */
    pw_policy_intent *intents;
    size_t intent_count;
    pw_stakes_keyword *keywords; /* built-in keywords (unless replaced) then the file's */
    size_t keyword_count;
    pw_id_pattern *id_patterns;
    size_t id_pattern_count;
    char **owned; /* copies of the file's strings, freed with the config */
    size_t owned_count;
} pw_policy_config;

/* Parses `json[0..len)`. Intent names are resolved against `model` (every name must be one of
 * its labels). Returns 0, or -1 with err = "FIELD: problem" (e.g. "thresholds.resolve.pro:
 * must be a number in [0, 1]", "intents.cancel_plan: no such intent in the model"). On
 * success the caller frees with pw_policy_config_free; on failure nothing is left to free. */
int pw_policy_config_parse(const char *json, size_t len, const pw_model *model,
                           pw_policy_config *out, char *err, size_t err_cap);

/* pw_policy_config_parse on the file at `path`; errors start with the path. */
int pw_policy_config_load(const char *path, const pw_model *model, pw_policy_config *out, char *err,
                          size_t err_cap);

/* The defaults (pw_policy_default and the built-in keywords), for running without a file. */
int pw_policy_config_default(pw_policy_config *out);

/* The scanner configuration the policy asks for; borrows from `c`. */
pw_signals_config pw_policy_config_signals(const pw_policy_config *c);

void pw_policy_config_free(pw_policy_config *c);

/* The names the policy file (and the API) use: tiers ("free" .. "enterprise"), pw_stakes bits
 * by bit index ("cancel", "refund", ...) and pw_account_flag bits by bit index ("past_due",
 * "churn_risk", "vip", "open_incident"). NULL (or -1) out of range. Static strings. */
const char *pw_config_tier_name(int tier);
int pw_config_tier_index(const char *name);
const char *pw_config_stakes_name(unsigned bit);
const char *pw_config_account_flag_name(unsigned bit);

#endif
