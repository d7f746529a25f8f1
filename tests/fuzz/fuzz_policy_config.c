/* Fuzz target: the policy file reader (server/config/policy_config.c) on arbitrary bytes. It
 * must either fail with a message naming a field or yield a policy the core accepts.
 * SPDX-License-Identifier: MIT */
#include "../../server/config/policy_config.h"

#include "pw/status.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char err[512] = "";
    pw_policy_config c;
    /* No model: every intent name is unknown, so intent sections exercise the error path. */
    if (pw_policy_config_parse((const char *)data, size, NULL, &c, err, sizeof err) != 0) {
        if (!strchr(err, ':'))
            abort(); /* every error names a field */
        return 0;
    }
    if (pw_policy_check(&c.policy) != NULL)
        abort();
    pw_signals_config sc = pw_policy_config_signals(&c);
    pw_signal_scanner *s = NULL;
    int rc = pw_signal_scanner_new(&sc, NULL, &s);
    if (rc != PW_OK && rc != PW_EINVAL && rc != PW_ENOMEM)
        abort();
    pw_signal_scanner_free(s);
    pw_policy_config_free(&c);
    return 0;
}
