/* Fuzz target: knowledge-base retrieval (server/kb/search.c over an index built by
 * server/kb/index.c) on arbitrary message text. The first byte picks the mode (bit 0: the user
 * is still typing; bit 1: with an intent; bit 2: with a route); the rest is the text. Every
 * answer must keep the header's promises: at most `cap` hits, best first, each an article of
 * the index, with a snippet of valid UTF-8 within 300 bytes whose marks pair up; and ranking
 * without details must order the same articles the same way.
 * SPDX-License-Identifier: MIT */
#include "../../server/kb/index.h"
#include "../../server/kb/kb_int.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CAP 6

/* A few articles with what retrieval must cope with: stems, apostrophes, accents, a script
 * without case, a long word, words in title and body, intents and per-page variants. */
static const char kb_json[] =
    "[{\"slug\":\"export-reports\",\"title\":\"Exporting reports to PDF\","
    "\"body\":\"Open Reports and choose Export. Exports are included from the Starter plan; "
    "the customer's files arrive by email.\",\"intents\":[\"export_data\"],"
    "\"plan_required\":\"starter\",\"variants\":[{\"route\":\"/reports\",\"steps\":[\"Open "
    "Reports\",\"Click Export\"]}]},"
    "{\"slug\":\"refunds\",\"title\":\"Refunds and double charges\",\"body\":\"If you were "
    "charged twice we refund the duplicate. Don\xe2\x80\x99t pay again; r\xc3\xa9sum\xc3\xa9 "
    "Caf\xc3\xa9 \xe6\x94\xaf\xe6\x89\x95\xe3\x81\x84 "
    "supercalifragilisticexpialidocioussupercalifragilisticexpialidociousxyz.\","
    "\"intents\":[\"refund\",\"billing\"]},"
    "{\"slug\":\"invite\",\"title\":\"Invite teammates\",\"body\":\"Invitations expire after "
    "7 days. Invite, invite, invite: every invitee gets an email.\",\"intents\":[\"invite\"],"
    "\"variants\":[{\"page_id\":\"team\",\"steps\":[\"Open Team\"]}]}]";

static pw_kb_index *index_once(void) {
    static pw_kb_index *ix; /* built on the first input, kept for the run */
    if (ix)
        return ix;
    cJSON *arr = cJSON_Parse(kb_json);
    int n = cJSON_GetArraySize(arr), i = 0;
    pw_kb_article *articles = calloc((size_t)n, sizeof *articles);
    const cJSON *item;
    cJSON_ArrayForEach(item, arr) {
        pw_problem p;
        if (pw_kb_article_from_json(item, &articles[i], &p) != 0)
            abort();
        articles[i].id = 10 * (i + 1);
        articles[i].published = 1;
        i++;
    }
    cJSON_Delete(arr);
    if (pw_kb_index_new(articles, (size_t)n, &ix) != 0)
        abort();
    free(articles);
    return ix;
}

static void check_snippet(const char *s) {
    const char *nul = memchr(s, '\0', 512);
    size_t len = nul ? (size_t)(nul - s) : 512;
    if (len > 300 || !pw__kb_utf8_valid(s, len))
        abort();
    int open = 0;
    for (const char *p = s; (p = strchr(p, '<')) != NULL; p++) {
        if (strncmp(p, "<mark>", 6) == 0 && !open)
            open = 1;
        else if (strncmp(p, "</mark>", 7) == 0 && open)
            open = 0;
        else if (strncmp(p, "<mark>", 6) == 0 || strncmp(p, "</mark>", 7) == 0)
            abort(); /* nested or unpaired */
    }
    if (open)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0)
        return 0;
    const pw_kb_index *ix = index_once();
    int mode = data[0];
    const char *text = (const char *)data + 1, *intent = mode & 2 ? "export_data" : NULL;
    const char *route = mode & 4 ? "/reports" : NULL;
    pw_kb_hit hits[CAP], ranked[CAP];
    int n = (mode & 1 ? pw_kb_search_typing : pw_kb_search)(ix, text, size - 1, intent, route, NULL,
                                                            hits, CAP);
    int m = pw_kb_rank(ix, text, size - 1, intent, route, NULL, ranked, CAP);
    if (n < 0 || n > CAP || (!(mode & 1) && m != n))
        abort();
    for (int i = 0; i < n; i++) {
        if (!pw_kb_index_article(ix, hits[i].id) || hits[i].score < 0 ||
            (i > 0 && hits[i].score > hits[i - 1].score))
            abort();
        if (!(mode & 1) && (ranked[i].id != hits[i].id || ranked[i].score != hits[i].score))
            abort();
        check_snippet(hits[i].snippet);
    }
    return 0;
}
