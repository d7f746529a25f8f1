/* Knowledge-base hits as the API's SearchResult objects (search endpoint, ticket suggestions).
 * SPDX-License-Identifier: MIT */
#include "api.h"

cJSON *pw_api_search_results(const pw_kb_hit *hits, int n) {
    cJSON *list = cJSON_CreateArray();
    for (int i = 0; list && i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)hits[i].id);
        cJSON_AddStringToObject(o, "slug", hits[i].slug);
        cJSON_AddStringToObject(o, "title", hits[i].title);
        cJSON_AddStringToObject(o, "snippet", hits[i].snippet);
        cJSON_AddNumberToObject(o, "score", hits[i].score);
        cJSON_AddBoolToObject(o, "route_match", hits[i].route_match);
        cJSON_AddItemToArray(list, o);
    }
    return list;
}
