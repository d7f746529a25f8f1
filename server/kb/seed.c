/* Importing a knowledge-base file into an empty store (the demo KB at first start). The whole
 * file is validated with the API's own intake before anything is written, and the articles go
 * in as one writer job: a bad file changes nothing and says which article and field is wrong.
 * SPDX-License-Identifier: MIT */
#include "kb.h"
#include "../store/articles.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEED_FILE_MAX     (16u << 20)
#define SEED_ARTICLES_MAX 10000

/* Reads the whole file. NULL with the reason in err. Caller frees. */
static char *read_file(const char *path, size_t *len, char *err, size_t err_cap) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_cap, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    char *data = size >= 0 && size <= (long)SEED_FILE_MAX ? malloc((size_t)size + 1) : NULL;
    size_t n = data && fseek(f, 0, SEEK_SET) == 0 ? fread(data, 1, (size_t)size, f) : 0;
    fclose(f);
    if (!data || n != (size_t)size) {
        snprintf(err, err_cap, "%s: %s", path,
                 size < 0                     ? "cannot read"
                 : size > (long)SEED_FILE_MAX ? "larger than 16 MiB"
                 : !data                      ? "out of memory"
                                              : "read error");
        free(data);
        return NULL;
    }
    *len = n;
    return data;
}

/* The "articles" array of {"version":1,"articles":[...]}, or NULL with the reason in err. */
static const cJSON *articles_of(const cJSON *root, const char *path, char *err, size_t err_cap) {
    static const char *const keys[] = {"version", "articles", NULL};
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "version");
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "articles");
    pw_problem p;
    if (!cJSON_IsObject(root))
        snprintf(err, err_cap, "%s: must be a JSON object", path);
    else if (pw_field_known(root, NULL, keys, &p))
        snprintf(err, err_cap, "%s: %s: %s", path, p.field, p.message);
    else if (!cJSON_IsNumber(v) || v->valuedouble != 1)
        snprintf(err, err_cap, "%s: version: must be 1", path);
    else if (!cJSON_IsArray(arr))
        snprintf(err, err_cap, "%s: articles: must be an array", path);
    else if (cJSON_GetArraySize(arr) > SEED_ARTICLES_MAX)
        snprintf(err, err_cap, "%s: articles: more than %d", path, SEED_ARTICLES_MAX);
    else
        return arr;
    return NULL;
}

typedef struct seed_job {
    pw_kb_article *articles;
    size_t count, failed;
    int64_t now;
} seed_job;

static int seed_all(pw_conn *c, void *arg) {
    seed_job *job = arg;
    int64_t existing = pw_store_article_count(c);
    if (existing != 0)
        return existing > 0 ? 0 : -1;
    for (size_t i = 0; i < job->count; i++) {
        int64_t rc = pw_store_article_insert(c, &job->articles[i], job->now);
        if (rc < 0) {
            job->failed = i;
            return (int)rc;
        }
    }
    return (int)job->count;
}

/* Validates every article into job->articles. 0, or -1 with the reason in err. */
static int parse_all(const cJSON *arr, seed_job *job, const char *path, char *err, size_t err_cap) {
    const cJSON *item;
    job->articles = calloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof *job->articles);
    if (!job->articles) {
        snprintf(err, err_cap, "%s: out of memory", path);
        return -1;
    }
    cJSON_ArrayForEach(item, arr) {
        pw_problem p;
        if (pw_kb_article_from_json(item, &job->articles[job->count], &p)) {
            snprintf(err, err_cap, "%s: articles[%zu]%s%s: %s", path, job->count,
                     p.field[0] ? "." : "", p.field, p.message);
            return -1;
        }
        job->count++;
    }
    return 0;
}

static void write_failure(int rc, const seed_job *job, const char *path, char *err,
                          size_t err_cap) {
    if (rc == PW_ARTICLE_ECONFLICT)
        snprintf(err, err_cap, "%s: articles[%zu].slug: \"%s\" is used by an earlier article", path,
                 job->failed, job->articles[job->failed].slug);
    else if (rc == PW_WRITE_EIO)
        snprintf(err, err_cap, "%s: the store could not commit the import", path);
    else
        snprintf(err, err_cap, "%s: the store refused the import", path);
}

int pw_kb_seed(pw_writer *w, const char *path, int64_t now_ms, char *err, size_t err_cap) {
    size_t len = 0;
    char *data = read_file(path, &len, err, err_cap);
    if (!data)
        return -1;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(data, len, &end, 0);
    seed_job job = {NULL, 0, 0, now_ms};
    const cJSON *arr = NULL;
    int rc = -1;
    if (!root)
        snprintf(err, err_cap, "%s: not valid JSON (at byte %zu)", path,
                 end ? (size_t)(end - data) : (size_t)0);
    else if ((arr = articles_of(root, path, err, err_cap)) != NULL &&
             parse_all(arr, &job, path, err, err_cap) == 0) {
        rc = pw_writer_run(w, seed_all, &job);
        if (rc < 0)
            write_failure(rc, &job, path, err, err_cap);
    }
    for (size_t i = 0; i < job.count; i++)
        pw_kb_article_free(&job.articles[i]);
    free(job.articles);
    cJSON_Delete(root);
    free(data);
    return rc < 0 ? -1 : rc;
}
