/* pw_strerror and pw_status_name: the two views of the PW_STATUS_MAP table.
 * SPDX-License-Identifier: MIT */
#include "pw/status.h"

const char *pw_strerror(int status) {
    if (status >= 0)
        return "ok";
    switch (status) {
#define PW_STATUS_MESSAGE(name, value, message)                                                    \
    case value:                                                                                    \
        return message;
        PW_STATUS_MAP(PW_STATUS_MESSAGE)
#undef PW_STATUS_MESSAGE
    default:
        return "unknown error";
    }
}

const char *pw_status_name(int status) {
    if (status >= 0)
        return "OK";
    switch (status) {
#define PW_STATUS_NAME(name, value, message)                                                       \
    case value:                                                                                    \
        return #name;
        PW_STATUS_MAP(PW_STATUS_NAME)
#undef PW_STATUS_NAME
    default:
        return "EUNKNOWN";
    }
}
