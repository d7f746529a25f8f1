/* The knowledge-base index of what the store holds (index.h, pw_kb_index_build): every
 * published article, read through one connection, handed to pw_kb_index_new.
 * SPDX-License-Identifier: MIT */
#include "index_int.h"
#include "../store/articles.h"

#include <stdlib.h>
#include <string.h>

#define PAGE 256 /* article ids read per query */

/* Reads every published article into *out (grown as needed); sets *count. 0 or -1. */
static int load_published(pw_conn *c, pw_kb_article **out, size_t *count) {
    int64_t ids[PAGE], after = 0;
    size_t cap = 0;
    for (int n; (n = pw_store_article_list(c, after, 1, ids, PAGE)) != 0; after = ids[n - 1]) {
        if (n < 0)
            return -1;
        if (pw__kb_grow((void **)out, &cap, *count + (size_t)n, sizeof **out))
            return -1;
        for (int i = 0; i < n; i++) {
            pw_kb_article *a = &(*out)[*count];
            memset(a, 0, sizeof *a);
            if (pw_store_article_get(c, ids[i], a) != 0) {
                pw_kb_article_free(a); /* gone meanwhile: not within one read transaction */
                continue;
            }
            (*count)++;
        }
    }
    return 0;
}

int pw_kb_index_build(pw_conn *c, pw_kb_index **out) {
    pw_kb_article *articles = NULL;
    size_t count = 0;
    *out = NULL;
    int rc = load_published(c, &articles, &count);
    if (rc == 0)
        rc = pw_kb_index_new(articles, count, out);
    else
        for (size_t i = 0; i < count; i++)
            pw_kb_article_free(&articles[i]);
    free(articles);
    return rc;
}
