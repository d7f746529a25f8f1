/* Building the widget's gzipped model.
 * SPDX-License-Identifier: MIT */
#include "widget_model.h"
#include "../cli/modelfile.h"
#include "../security/token.h"

#include "pw/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Level 9 with windowBits 15 + 16: a gzip member, which DecompressionStream('gzip') reads. */
static int gzip(const unsigned char *data, size_t len, unsigned char **out, size_t *out_len) {
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    uLong cap = deflateBound(&zs, (uLong)len) + 32;
    unsigned char *buf = malloc(cap);
    if (!buf) {
        deflateEnd(&zs);
        return -1;
    }
    zs.next_in = (Bytef *)(uintptr_t)data;
    zs.avail_in = (uInt)len;
    zs.next_out = buf;
    zs.avail_out = (uInt)cap;
    int rc = deflate(&zs, Z_FINISH);
    *out_len = zs.total_out;
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) {
        free(buf);
        return -1;
    }
    *out = buf;
    return 0;
}

int pw_widget_model_build(const pw_model *m, pw_widget_model *out, char *err, size_t err_cap) {
    memset(out, 0, sizeof *out);
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = pw_modelfile_encode(m, 1, 0, &data, &len);
    if (rc != PW_OK) {
        snprintf(err, err_cap, "widget model export: %s", pw_strerror(rc));
        return -1;
    }
    char hash[65];
    pw_token_hash_hex((const char *)data, len, hash);
    snprintf(out->etag, sizeof out->etag, "\"%.32s\"", hash);
    rc = gzip(data, len, &out->gz, &out->gz_len);
    free(data);
    if (rc)
        snprintf(err, err_cap, "widget model export: gzip failed");
    return rc;
}

void pw_widget_model_free(pw_widget_model *wm) {
    free(wm->gz);
    memset(wm, 0, sizeof *wm);
}
