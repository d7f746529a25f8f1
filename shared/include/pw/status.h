/* Status codes shared by every core function.
 * Fallible functions return PW_OK (0), a negative PW_E* code, or a non-negative count.
 * SPDX-License-Identifier: MIT */
#ifndef PW_STATUS_H
#define PW_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

/* The one table of error codes (name, value, message). Values are stable: they cross the wasm
 * boundary and appear in logs, so a new code takes the next free number and none is reused. */
#define PW_STATUS_MAP(X)                                                                           \
    X(EINVAL, -1, "invalid argument")                                                              \
    X(ENOMEM, -2, "out of memory")                                                                 \
    X(ETRUNC, -3, "output buffer too small")                                                       \
    X(EFORMAT, -4, "malformed input")                                                              \
    X(EVERSION, -5, "unsupported version")                                                         \
    X(ERANGE, -6, "value out of range")                                                            \
    X(ESTATE, -7, "call not valid in the object's current state")

typedef enum pw_status {
    PW_OK = 0,
#define PW_STATUS_ENUM(name, value, message) PW_##name = value,
    PW_STATUS_MAP(PW_STATUS_ENUM)
#undef PW_STATUS_ENUM
} pw_status;

/* Returns a static, NUL-terminated description of `status`: "ok" for PW_OK and for
 * non-negative counts, "unknown error" for a negative value not in the table. Never NULL. */
const char *pw_strerror(int status);

/* Returns the code's name without the PW_ prefix ("EINVAL"), "OK" for non-negative values and
 * "EUNKNOWN" for a negative value not in the table. Static string, never NULL. */
const char *pw_status_name(int status);

#ifdef __cplusplus
}
#endif

#endif
