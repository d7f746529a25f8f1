/* pw_strerror / pw_status_name: every code has a distinct message and name.
 * SPDX-License-Identifier: MIT */
#include "pw/status.h"
#include "pw_test.h"

static void every_code_has_a_message_and_name(void) {
    static const int codes[] = {PW_EINVAL,   PW_ENOMEM, PW_ETRUNC, PW_EFORMAT,
                                PW_EVERSION, PW_ERANGE, PW_ESTATE};
    size_t n = sizeof codes / sizeof codes[0];
    for (size_t i = 0; i < n; i++) {
        PW_CHECK(codes[i] < 0);
        PW_CHECK(strcmp(pw_strerror(codes[i]), "unknown error") != 0);
        PW_CHECK(strcmp(pw_status_name(codes[i]), "EUNKNOWN") != 0);
        for (size_t j = 0; j < i; j++) {
            PW_CHECK(codes[i] != codes[j]);
            PW_CHECK(strcmp(pw_strerror(codes[i]), pw_strerror(codes[j])) != 0);
        }
    }
}

static void names_match_the_enum(void) {
    PW_CHECK(strcmp(pw_status_name(PW_ETRUNC), "ETRUNC") == 0);
    PW_CHECK(strcmp(pw_status_name(PW_ENOMEM), "ENOMEM") == 0);
    PW_CHECK(strcmp(pw_strerror(PW_ENOMEM), "out of memory") == 0);
}

static void non_negative_values_are_ok_and_unknown_codes_are_named(void) {
    PW_CHECK(strcmp(pw_strerror(PW_OK), "ok") == 0);
    PW_CHECK(strcmp(pw_strerror(42), "ok") == 0);
    PW_CHECK(strcmp(pw_status_name(7), "OK") == 0);
    PW_CHECK(strcmp(pw_strerror(-999), "unknown error") == 0);
    PW_CHECK(strcmp(pw_status_name(-999), "EUNKNOWN") == 0);
}

int main(void) {
    PW_RUN(every_code_has_a_message_and_name);
    PW_RUN(names_match_the_enum);
    PW_RUN(non_negative_values_are_ok_and_unknown_codes_are_named);
    return pw_test_exit_code();
}
