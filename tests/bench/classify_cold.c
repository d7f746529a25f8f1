/* Benchmark: one classification with warm caches, beside the same classification after another
 * thread's work has pushed the model out of them, as on a busy server (hundreds of request
 * threads between two messages of one). Each message of a labelled file is classified twice in
 * a row (the second run is the warm one), and before each cold run a sweep writes a buffer of
 * --evict-kib KiB (default 32 MiB: more than the last-level cache, so the model comes from
 * memory; 1024 clears the per-core caches only). Prints one JSON line: microseconds per message,
 * the medians of --repeats passes. Reports numbers, never asserts.
 *   classify_cold MODEL DATA.jsonl [--evict-kib K] [--repeats R]
 * SPDX-License-Identifier: MIT */
#include "cli/jsonl.h"
#include "pw/classify.h"
#include "pw/model.h"
#include "pw/status.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static unsigned char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *buf = NULL;
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    if (size > 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)size)) &&
        fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = size > 0 ? (size_t)size : 0;
    return buf;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The caches' contents replaced: every line of the buffer written. */
static void evict(unsigned char *buf, size_t len) {
    for (size_t i = 0; i < len; i += 64)
        buf[i]++;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: classify_cold MODEL DATA.jsonl [--evict-kib K] [--repeats R]\n");
        return 2;
    }
    size_t evict_len = (size_t)32 << 20;
    int repeats = 5;
    for (int i = 3; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--evict-kib") == 0)
            evict_len = (size_t)strtoul(argv[i + 1], NULL, 10) << 10;
        else if (strcmp(argv[i], "--repeats") == 0)
            repeats = atoi(argv[i + 1]);
    }
    if (repeats < 1 || repeats > 99 || evict_len == 0) {
        fprintf(stderr, "classify_cold: --repeats must be 1-99 and --evict-kib above 0\n");
        return 2;
    }
    size_t model_len = 0;
    unsigned char *bytes = read_file(argv[1], &model_len);
    pw_model *m = NULL;
    pw_classifier *c = NULL;
    char err[512];
    pw_examples set = {0};
    unsigned char *sweep = calloc(evict_len, 1);
    if (!bytes || pw_model_load(bytes, model_len, NULL, &m) != PW_OK ||
        pw_classifier_new(m, NULL, &c) != PW_OK || !sweep) {
        fprintf(stderr, "classify_cold: cannot load the model %s\n", argv[1]);
        return 1;
    }
    if (pw_jsonl_read(argv[2], &set, err, sizeof err) != 0 || set.count == 0) {
        fprintf(stderr, "classify_cold: %s\n", set.count ? err : "no messages");
        return 1;
    }
    double warm[99], cold[99];
    for (int r = 0; r < repeats; r++) {
        double warm_s = 0, cold_s = 0;
        for (size_t i = 0; i < set.count; i++) {
            pw_prediction p;
            evict(sweep, evict_len);
            double t0 = seconds();
            pw_classify(c, set.rows[i].text, set.rows[i].text_len, &p);
            double t1 = seconds();
            pw_classify(c, set.rows[i].text, set.rows[i].text_len, &p);
            warm_s += seconds() - t1;
            cold_s += t1 - t0;
        }
        warm[r] = warm_s * 1e6 / (double)set.count;
        cold[r] = cold_s * 1e6 / (double)set.count;
    }
    qsort(warm, (size_t)repeats, sizeof *warm, by_value);
    qsort(cold, (size_t)repeats, sizeof *cold, by_value);
    printf(
        "{\"messages\":%zu,\"evict_kib\":%zu,\"repeats\":%d,\"warm_us\":%.2f,\"cold_us\":%.2f}\n",
        set.count, evict_len >> 10, repeats, warm[repeats / 2], cold[repeats / 2]);
    pw_examples_free(&set);
    pw_classifier_free(c);
    pw_model_free(m);
    free(sweep);
    free(bytes);
    return 0;
}
