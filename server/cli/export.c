/* `pagewise export`: the compact model the widget downloads (top features only, 8-bit
 * weights). It prints the gzip size too, because that is what a browser actually fetches and
 * the number to watch when choosing --max-features.
 * SPDX-License-Identifier: MIT */
#include "cli.h"
#include "modelfile.h"
#include "options.h"

#include "pw/model.h"
#include "pw/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

static const char usage[] =
    "usage: pagewise export --model MODEL --out FILE [--max-features N]\n"
    "  --model MODEL       a model file from `pagewise train`\n"
    "  --out FILE          the compact model to write (replaced atomically)\n"
    "  --max-features N    keep only the N most important features (default 0 = all)\n";

typedef struct export_args {
    const char *model, *out;
    uint32_t max_features;
} export_args;

/* Returns PW_OPTS_RUN, or the exit status to stop with. */
static int parse_args(int argc, char **argv, export_args *a) {
    const pw_opt opts[] = {
        {"--model", PW_OPT_STRING, &a->model, 1},
        {"--out", PW_OPT_STRING, &a->out, 1},
        {"--max-features", PW_OPT_U32, &a->max_features, 0},
    };
    return pw_opts_parse("export", usage, opts, PW_OPTS_COUNT(opts), argc, argv);
}

/* The size of data[0..len) as a .gz file at level 9 (windowBits 31 = gzip header and trailer),
 * which is what a server sends with Content-Encoding: gzip. Only the size matters, so the
 * output goes through a small buffer and is counted. 0 when zlib fails. */
static size_t gzip_size(const unsigned char *data, size_t len) {
    z_stream z = {0};
    if (deflateInit2(&z, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return 0;
    unsigned char out[16384];
    z.next_in = (Bytef *)data, z.avail_in = (uInt)len;
    int rc;
    do {
        z.next_out = out, z.avail_out = sizeof out;
        rc = deflate(&z, Z_FINISH);
    } while (rc == Z_OK);
    size_t size = rc == Z_STREAM_END ? (size_t)z.total_out : 0;
    deflateEnd(&z);
    return size;
}

/* Loads the exported bytes back before writing them: a file the widget cannot load must never
 * replace one it can. Returns the features the compact model kept, or a PW_E* code. */
static int check_loads(const unsigned char *data, size_t len) {
    pw_model *m = NULL;
    int rc = pw_model_load(data, len, NULL, &m);
    if (rc != PW_OK)
        return rc;
    int features = (int)pw_model_feature_count(m);
    pw_model_free(m);
    return features;
}

static int export_model(const pw_model *m, const export_args *a) {
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = pw_modelfile_encode(m, 1, a->max_features, &data, &len);
    if (rc != PW_OK)
        return pw_cli_fail("export", "cannot export %s: %s", a->model, pw_strerror(rc));
    int kept = check_loads(data, len);
    char err[512];
    if (kept < 0)
        rc = pw_cli_fail("export", "the exported model does not load: %s", pw_strerror(kept));
    else if (pw_file_write_atomic(a->out, data, len, err, sizeof err))
        rc = pw_cli_fail("export", "%s", err);
    else
        printf("wrote %s: %zu bytes, %zu gzipped; %d of %u features\n", a->out, len,
               gzip_size(data, len), kept, pw_model_feature_count(m));
    free(data);
    return rc;
}

int pw_cli_export(int argc, char **argv) {
    export_args a = {0};
    int rc = parse_args(argc, argv, &a);
    if (rc != PW_OPTS_RUN)
        return rc;
    pw_model *m = NULL;
    if (pw_modelfile_load("export", a.model, &m))
        return 1;
    rc = export_model(m, &a);
    pw_model_free(m);
    return rc;
}
