/* Model files on disk for the subcommands: read a file whole and load it as a model, serialise
 * a model (full or the widget's compact form) and replace a file atomically, and labels as C
 * strings for printing.
 * SPDX-License-Identifier: MIT */
#ifndef PW_CLI_MODELFILE_H
#define PW_CLI_MODELFILE_H

#include "pw/model.h"

#include <stddef.h>
#include <stdint.h>

/* Replaces the file at `path` with data[0..len) so that readers see the old file or the new one,
 * never a partial write: writes PATH.tmp, flushes and fsyncs it, then renames it over PATH.
 * Returns 0, or -1 with "PATH: reason" in `err` (PATH.tmp is removed). */
int pw_file_write_atomic(const char *path, const void *data, size_t len, char *err, size_t err_cap);

/* Reads and validates the model file at `path` for the subcommand `cmd`. Returns 0 with *out
 * set (caller frees with pw_model_free), or 1, the failure exit status, after printing
 * "pagewise CMD: PATH: reason": the system's reason when the file cannot be read, pw_strerror's
 * when the model does not load. */
int pw_modelfile_load(const char *cmd, const char *path, pw_model **out);

/* Serialises `m` into a buffer the caller frees with free: the full model, or when `compact` is
 * set the widget export keeping `max_features` features (0 = all). Returns PW_OK or the core's
 * error code (PW_ENOMEM when the buffer cannot be allocated). */
int pw_modelfile_encode(const pw_model *m, int compact, uint32_t max_features, unsigned char **out,
                        size_t *len);

/* Room for a label and its NUL. */
#define PW_LABEL_CAP (PW_MODEL_MAX_LABEL + 1)

/* Writes the label of `intent` into buf as a NUL-terminated string and returns buf; an intent
 * the model does not have comes back as "?" (never NULL). */
const char *pw_modelfile_label(const pw_model *m, int32_t intent, char buf[PW_LABEL_CAP]);

#endif
