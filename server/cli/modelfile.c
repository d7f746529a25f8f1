/* Model files on disk. The core loads and saves from memory only (STYLE: no I/O in shared/), so
 * every path a model takes to or from disk goes through here.
 * SPDX-License-Identifier: MIT */
#include "modelfile.h"
#include "cli.h"

#include "pw/status.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Far above any real model (megabytes): a mistaken path to a huge file fails here instead of
 * eating memory before the loader could reject it. */
#define MAX_FILE_BYTES ((size_t)1 << 30)

static int read_all(FILE *f, unsigned char **data, size_t *len) {
    size_t cap = 1 << 16, used = 0;
    unsigned char *buf = malloc(cap);
    while (buf) {
        used += fread(buf + used, 1, cap - used, f);
        if (used < cap || ferror(f))
            break;
        unsigned char *grown = cap < MAX_FILE_BYTES ? realloc(buf, cap * 2) : NULL;
        if (!grown) {
            errno = cap < MAX_FILE_BYTES ? ENOMEM : EFBIG;
            free(buf);
            return -1;
        }
        buf = grown, cap *= 2;
    }
    if (!buf || ferror(f)) {
        free(buf);
        return -1;
    }
    *data = buf, *len = used;
    return 0;
}

/* Reads the whole file at `path` into *data (caller frees). Returns 0, or -1 with "PATH: reason"
 * in `err`. */
static int read_file(const char *path, unsigned char **data, size_t *len, char *err,
                     size_t err_cap) {
    FILE *f = fopen(path, "rb");
    int rc = f ? read_all(f, data, len) : -1;
    if (rc)
        snprintf(err, err_cap, "%s: %s", path, strerror(errno));
    if (f)
        fclose(f);
    return rc;
}

/* rename() is atomic, but it is durable only once the directory entry reaches the disk.
 * Best effort: some filesystems refuse fsync on a directory, and the new file is already in
 * place, so a failure here only weakens crash safety. */
static void sync_parent(const char *path) {
    const char *slash = strrchr(path, '/');
    char dir[4096];
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (snprintf(dir, sizeof dir, "%.*s", (int)(slash - path + 1), path) >= (int)sizeof dir)
        return;
    int fd = open(dir, O_RDONLY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

static int write_synced(const char *path, const void *data, size_t len) {
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int ok = fwrite(data, 1, len, f) == len && fflush(f) == 0 && fsync(fileno(f)) == 0;
    int saved = errno;
    if (fclose(f) != 0 && ok)
        return -1;
    errno = saved;
    return ok ? 0 : -1;
}

int pw_file_write_atomic(const char *path, const void *data, size_t len, char *err,
                         size_t err_cap) {
    size_t path_len = strlen(path);
    char *tmp = malloc(path_len + sizeof ".tmp");
    if (!tmp) {
        snprintf(err, err_cap, "%s: out of memory", path);
        return -1;
    }
    memcpy(tmp, path, path_len);
    memcpy(tmp + path_len, ".tmp", sizeof ".tmp");
    int rc = write_synced(tmp, data, len);
    if (rc == 0)
        rc = rename(tmp, path);
    if (rc) {
        snprintf(err, err_cap, "%s: %s", path, strerror(errno));
        remove(tmp);
    } else {
        sync_parent(path);
    }
    free(tmp);
    return rc;
}

int pw_modelfile_load(const char *cmd, const char *path, pw_model **out) {
    unsigned char *data = NULL;
    size_t len = 0;
    char err[512];
    if (read_file(path, &data, &len, err, sizeof err))
        return pw_cli_fail(cmd, "%s", err);
    int rc = pw_model_load(data, len, NULL, out);
    free(data);
    return rc < 0 ? pw_cli_fail(cmd, "%s: %s", path, pw_strerror(rc)) : 0;
}

static int encode_into(const pw_model *m, int compact, uint32_t max_features, void *out, size_t cap,
                       size_t *len) {
    return compact ? pw_model_export_compact(m, max_features, out, cap, len)
                   : pw_model_save(m, out, cap, len);
}

int pw_modelfile_encode(const pw_model *m, int compact, uint32_t max_features, unsigned char **out,
                        size_t *len) {
    /* Ask for the size with a zero capacity, then serialise into an exact buffer. */
    size_t need = 0;
    int rc = encode_into(m, compact, max_features, NULL, 0, &need);
    if (rc != PW_OK && rc != PW_ETRUNC)
        return rc;
    unsigned char *buf = malloc(need ? need : 1);
    if (!buf)
        return PW_ENOMEM;
    rc = encode_into(m, compact, max_features, buf, need, len);
    if (rc != PW_OK) {
        free(buf);
        return rc;
    }
    *out = buf;
    return PW_OK;
}

const char *pw_modelfile_label(const pw_model *m, int32_t intent, char buf[PW_LABEL_CAP]) {
    int n = pw_model_label(m, intent, buf, PW_LABEL_CAP - 1);
    if (n < 0)
        n = snprintf(buf, PW_LABEL_CAP, "?");
    buf[n] = '\0';
    return buf;
}
