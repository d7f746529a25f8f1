/* The parity driver: built natively and with emcc, it reads a golden file (cmark-spec style),
 * recomputes every case's output with the core and prints the file in canonical form. ctest runs
 * both builds with --check on every file: both must reproduce it byte for byte.
 *
 * Golden file: free header lines, then cases:
 *     ### title
 *     @mode NAME                (optional; the mode stays until changed)
 *     input lines (\xNN is a byte, \\ a backslash)
 *     ---
 *     expected output (bytes < 0x20, 0x7f and \ escaped the same way)
 *     <blank line>
 * Usage: parity [--check | --update] FILE
 * SPDX-License-Identifier: MIT */
#include "parity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int read_file(const char *path, pw_buf *out) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "parity: cannot open %s\n", path);
        return -1;
    }
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        pw_buf_put(out, chunk, n);
    fclose(f);
    return 0;
}

static int write_file(const char *path, const pw_buf *b) {
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b->data, 1, b->len, f) != b->len || fclose(f) != 0) {
        fprintf(stderr, "parity: cannot write %s\n", path);
        return -1;
    }
    return 0;
}

/* Reports the first differing line, so a parity failure names the case at fault. */
static void report_difference(const char *path, const pw_buf *want, const pw_buf *got) {
    size_t i = 0, line = 1, line_start = 0;
    while (i < want->len && i < got->len && want->data[i] == got->data[i]) {
        if (want->data[i] == '\n')
            line++, line_start = i + 1;
        i++;
    }
    fprintf(stderr, "%s:%zu: output differs from the golden file\n", path, line);
    fprintf(stderr, "  golden: %.*s\n", (int)strcspn(want->data + line_start, "\n"),
            want->data + line_start);
    fprintf(stderr, "  actual: %.*s\n", (int)strcspn(got->data + line_start, "\n"),
            got->data + line_start);
}

int main(int argc, char **argv) {
    const char *mode = argc == 3 ? argv[1] : "";
    if (argc != 3 || (strcmp(mode, "--check") != 0 && strcmp(mode, "--update") != 0)) {
        fprintf(stderr, "usage: parity --check|--update FILE\n");
        return 2;
    }
    pw_buf in = {0}, out = {0};
    parity_set_golden_path(argv[2]);
    if (read_file(argv[2], &in))
        return 1;
    pw_buf_put(&in, "", 1); /* NUL-terminate for the line scanner; not part of the file */
    in.len--;
    int rc = parity_run(in.data, in.len, &out);
    if (rc == 0 && strcmp(mode, "--update") == 0)
        rc = write_file(argv[2], &out);
    else if (rc == 0 && (out.len != in.len || memcmp(out.data, in.data, in.len) != 0)) {
        report_difference(argv[2], &in, &out);
        rc = 1;
    }
    free(in.data);
    free(out.data);
    return rc == 0 ? 0 : 1;
}
