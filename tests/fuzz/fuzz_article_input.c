/* Fuzz target: the article intake (server/kb/article.c), the JSON body of POST and PUT
 * /api/v1/articles and every article of a seed file. Bytes that parse as JSON must either be
 * refused with a 400 naming the field (when they are an object) or give an article whose JSON
 * reads back identically and whose composed answers are clean UTF-8 in any buffer size.
 * SPDX-License-Identifier: MIT */
#include "../../server/api/api.h"
#include "../../server/kb/kb.h"
#include "../../server/kb/kb_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_round_trip(const pw_kb_article *a) {
    cJSON *first = pw_kb_article_to_json(a, 1);
    if (!first)
        abort();
    cJSON_DeleteItemFromObject(first, "id");
    cJSON_DeleteItemFromObject(first, "created_at");
    cJSON_DeleteItemFromObject(first, "updated_at");
    pw_kb_article b;
    pw_problem p;
    if (pw_kb_article_from_json(first, &b, &p) != 0)
        abort(); /* what we print, we accept */
    cJSON *second = pw_kb_article_to_json(&b, 1);
    cJSON_DeleteItemFromObject(second, "id");
    cJSON_DeleteItemFromObject(second, "created_at");
    cJSON_DeleteItemFromObject(second, "updated_at");
    if (!cJSON_Compare(first, second, 1))
        abort();
    cJSON_Delete(first);
    cJSON_Delete(second);
    pw_kb_article_free(&b);
}

static void check_compose(const pw_kb_article *a, size_t cap) {
    static const char *const plans[] = {"free", "starter", "pro", "enterprise", NULL};
    char out[256];
    pw_answer_kind kind;
    for (size_t v = 0; v <= a->variant_count; v++) {
        const pw_kb_variant *var = v < a->variant_count ? &a->variants[v] : NULL;
        for (int i = 0; i < 5; i++) {
            if (pw_kb_compose(a, var ? var->route : "/", var ? var->page_id : NULL, plans[i], 0,
                              out, cap, &kind) != 0)
                abort();
            size_t n = strlen(out);
            if (n >= cap || !pw__kb_utf8_valid(out, n))
                abort();
            if (kind == PW_ANSWER_STEPS && pw_kb_plan_blocks(a->plan_required, plans[i]))
                abort(); /* never steps that cannot work */
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    cJSON *obj = cJSON_ParseWithLength((const char *)data, size);
    if (!obj)
        return 0;
    pw_kb_article a;
    pw_problem p;
    memset(&p, 0, sizeof p);
    if (pw_kb_article_from_json(obj, &a, &p) != 0) {
        if (p.status != 400 && p.status != 500)
            abort();
        /* Every problem with an object names its field (an empty key's name is empty). */
        if (p.status == 400 && cJSON_IsObject(obj) && p.field[0] == '\0' &&
            !cJSON_GetObjectItemCaseSensitive(obj, ""))
            abort();
        if (a.slug || a.variants || a.intents)
            abort(); /* a refused article owns nothing */
    } else {
        check_round_trip(&a);
        check_compose(&a, 1 + (size > 0 ? data[0] : 0) % 255);
        pw_kb_article_free(&a);
    }
    cJSON_Delete(obj);
    return 0;
}
