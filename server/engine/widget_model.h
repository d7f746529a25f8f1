/* The model the widget downloads: the compact int8 export of the server's model, gzipped once
 * at start (the widget inflates it with DecompressionStream), with a content-derived ETag.
 * SPDX-License-Identifier: MIT */
#ifndef PW_ENGINE_WIDGET_MODEL_H
#define PW_ENGINE_WIDGET_MODEL_H

#include "../server.h"

/* Fills *out from `m`. Returns 0, or -1 with the reason in err. Free with
 * pw_widget_model_free. */
int pw_widget_model_build(const pw_model *m, pw_widget_model *out, char *err, size_t err_cap);

void pw_widget_model_free(pw_widget_model *wm);

#endif
