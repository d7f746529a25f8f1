/* JSON output helpers (see jsonout.h). cJSON escapes every label, whatever bytes it holds.
 * SPDX-License-Identifier: MIT */
#include "jsonout.h"
#include "cli.h"

#include <math.h>
#include <stdio.h>

static int add(cJSON *obj, const char *key, cJSON *item) {
    if (obj && item && cJSON_AddItemToObject(obj, key, item))
        return 0;
    cJSON_Delete(item);
    return -1;
}

int pw_json_number(cJSON *obj, const char *key, double v) {
    return add(obj, key, isnan(v) ? cJSON_CreateNull() : cJSON_CreateNumber(v));
}

int pw_json_string(cJSON *obj, const char *key, const char *s) {
    return add(obj, key, cJSON_CreateString(s));
}

int pw_json_bool(cJSON *obj, const char *key, int v) {
    return add(obj, key, cJSON_CreateBool(v));
}

cJSON *pw_json_append_object(cJSON *list) {
    cJSON *item = cJSON_CreateObject();
    if (list && item && cJSON_AddItemToArray(list, item))
        return item;
    cJSON_Delete(item);
    return NULL;
}

int pw_json_emit(const char *cmd, cJSON *root, int failed) {
    char *text = root && !failed ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    if (!text)
        return pw_cli_fail(cmd, "out of memory");
    puts(text);
    cJSON_free(text);
    return 0;
}
