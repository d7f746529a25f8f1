/* Knowledge-base hits as the API's SearchResult objects (search endpoint, ticket suggestions).
 * SPDX-License-Identifier: MIT */
#include "api.h"

#include <stdio.h>

/* Numbers go in as text written here: cJSON prints a double with "%1.15g", reads it back with
 * sscanf and, when that is not the same double, prints it again with "%1.17g" (three libc
 * calls a number: most of printing a ticket's five suggestions). A relevance score needs six
 * significant digits. */
cJSON *pw_api_search_results(const pw_kb_hit *hits, int n) {
    cJSON *list = cJSON_CreateArray();
    for (int i = 0; list && i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        char id[24], score[32];
        snprintf(id, sizeof id, "%lld", (long long)hits[i].id);
        snprintf(score, sizeof score, "%.6g", hits[i].score);
        cJSON_AddRawToObject(o, "id", id);
        cJSON_AddStringToObject(o, "slug", hits[i].slug);
        cJSON_AddStringToObject(o, "title", hits[i].title);
        cJSON_AddStringToObject(o, "snippet", hits[i].snippet);
        cJSON_AddRawToObject(o, "score", score);
        cJSON_AddBoolToObject(o, "route_match", hits[i].route_match);
        cJSON_AddItemToArray(list, o);
    }
    return list;
}
