/* The parity driver's pieces: a growable byte buffer, the golden-file runner and the modes.
 * SPDX-License-Identifier: MIT */
#ifndef PW_PARITY_H
#define PW_PARITY_H

#include <stddef.h>
#include <stdint.h>

typedef struct pw_buf {
    char *data;
    size_t len, cap;
} pw_buf;

/* Appends bytes; aborts the driver on out of memory (a test tool, not the core). */
void pw_buf_put(pw_buf *b, const void *data, size_t len);
void pw_buf_puts(pw_buf *b, const char *s);
/* printf-style append of at most 511 bytes. Modes print numbers with fixed formats (such as
 * "%.6f") so that both homes produce the same text. */
void pw_buf_printf(pw_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends bytes with < 0x20, 0x7f and backslash escaped as \xNN / \\ (the golden encoding). */
void pw_buf_put_escaped(pw_buf *b, const void *data, size_t len);

/* One mode: computes the canonical output for one decoded input. Returns 0, or -1 with a
 * message on stderr when the input is not valid for the mode. */
typedef int (*parity_mode_fn)(const uint8_t *input, size_t len, pw_buf *out);

/* Finds a mode by name; NULL when unknown. */
parity_mode_fn parity_find_mode(const char *name, size_t name_len);

/* Modes backed by the golden model (model_modes.c). The model trains from train.tsv beside the
 * golden file named with parity_set_golden_path. */
void parity_set_golden_path(const char *golden);
int parity_mode_classify(const uint8_t *input, size_t len, pw_buf *out);
int parity_mode_model(const uint8_t *input, size_t len, pw_buf *out);

/* The signal scanner (signals_modes.c): scores, flags, evidence and entities. */
int parity_mode_signals(const uint8_t *input, size_t len, pw_buf *out);

/* The page layer, struggle sessions and the nudge policy (struggle_modes.c): scripts described
 * at the top of that file. */
int parity_mode_route(const uint8_t *input, size_t len, pw_buf *out);
int parity_mode_page(const uint8_t *input, size_t len, pw_buf *out);
int parity_mode_struggle(const uint8_t *input, size_t len, pw_buf *out);
int parity_mode_nudge(const uint8_t *input, size_t len, pw_buf *out);

/* Parses `golden[0..len)` (NUL-terminated at len) and writes its canonical form to `out`.
 * Returns 0, or -1 on a malformed file (message on stderr). */
int parity_run(const char *golden, size_t len, pw_buf *out);

#endif
