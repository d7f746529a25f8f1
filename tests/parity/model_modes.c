/* Parity modes that need a trained model: both homes train the same small model from
 * tests/golden/classify/train.tsv, so these vectors check training and prediction together.
 * The model is trained once per driver run and kept for the run (a test tool's global).
 * SPDX-License-Identifier: MIT */
#include "crc32_int.h"
#include "parity.h"
#include "pw/classify.h"
#include "pw/model.h"
#include "pw/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pw_model *model;
static pw_classifier *classifier;
static char train_path[4096];

void parity_set_golden_path(const char *golden) {
    const char *slash = strrchr(golden, '/');
    int dir = slash ? (int)(slash - golden) : 1;
    snprintf(train_path, sizeof train_path, "%.*s/train.tsv", dir, slash ? golden : ".");
}

/* Lines of "train|valid <TAB> label <TAB> text". */
static int add_line(pw_trainer *t, char *line) {
    char *tab1 = strchr(line, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
    if (!tab2)
        return -1;
    *tab1 = *tab2 = '\0';
    char *text = tab2 + 1;
    text[strcspn(text, "\n")] = '\0';
    return pw_trainer_add(t, text, strlen(text), tab1 + 1, strlen(tab1 + 1),
                          strcmp(line, "valid") == 0);
}

static int ensure_model(void) {
    if (model)
        return 0;
    FILE *f = fopen(train_path, "r");
    if (!f) {
        fprintf(stderr, "parity: cannot open %s\n", train_path);
        return -1;
    }
    pw_train_options o = pw_train_options_default();
    o.epochs = 20;
    pw_trainer *t = NULL;
    int rc = pw_trainer_new(&o, NULL, &t);
    char line[1024];
    while (rc == PW_OK && fgets(line, sizeof line, f))
        rc = add_line(t, line);
    fclose(f);
    if (rc == PW_OK)
        rc = pw_trainer_train(t, &model);
    pw_trainer_free(t);
    if (rc == PW_OK)
        rc = pw_classifier_new(model, NULL, &classifier);
    if (rc != PW_OK)
        fprintf(stderr, "parity: training the golden model failed (%d)\n", rc);
    return rc == PW_OK ? 0 : -1;
}

static void put_label(pw_buf *out, int32_t intent) {
    char label[PW_MODEL_MAX_LABEL];
    int n = pw_model_label(model, intent, label, sizeof label);
    pw_buf_put(out, label, n > 0 ? (size_t)n : 0);
}

/* classify: the decision and the top three, probabilities at fixed precision. */
int parity_mode_classify(const uint8_t *in, size_t len, pw_buf *out) {
    if (ensure_model())
        return -1;
    pw_prediction p;
    if (pw_classify(classifier, (const char *)in, len, &p) != PW_OK)
        return -1;
    pw_buf_puts(out, "intent ");
    put_label(out, p.intent);
    pw_buf_printf(out, " confidence %.9f out_of_scope %d oos_p %.9f features %u", p.confidence,
                  p.out_of_scope, p.oos_probability, (unsigned)p.features);
    for (uint32_t i = 0; i < p.top_count && i < 3; i++) {
        pw_buf_printf(out, "\n%u. ", (unsigned)i + 1);
        put_label(out, p.top[i].intent);
        pw_buf_printf(out, " %.9f", p.top[i].probability);
    }
    return 0;
}

/* model: facts of the trained model and the CRC-32 of its file, which pins training itself
 * (every weight, bit for bit) across the homes. The input is ignored. */
int parity_mode_model(const uint8_t *in, size_t len, pw_buf *out) {
    (void)in, (void)len;
    if (ensure_model())
        return -1;
    size_t n = 0;
    pw_model_save(model, NULL, 0, &n);
    unsigned char *buf = malloc(n);
    if (!buf || pw_model_save(model, buf, n, &n) != PW_OK) {
        free(buf);
        return -1;
    }
    pw_buf_printf(out, "intents %u features %u temperature %.9f threshold %.9f\nbytes %zu crc %08x",
                  (unsigned)pw_model_intent_count(model), (unsigned)pw_model_feature_count(model),
                  pw_model_temperature(model), pw_model_oos_threshold(model), n,
                  (unsigned)pw__crc32(buf, n));
    free(buf);
    return 0;
}
