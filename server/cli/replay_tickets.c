/* Reading replay tickets: one JSON object per line with "id" and "text" required and the labels
 * and context optional. Unknown tiers, lanes and UI facts are errors that name the line.
 * SPDX-License-Identifier: MIT */
#include "replay.h"
#include "jsonl.h"

#include "pw/model.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

void replay_set_free(replay_set *set) {
    for (size_t i = 0; i < set->count; i++) {
        replay_ticket *t = &set->tickets[i];
        free(t->id), free(t->text), free(t->intent);
        for (size_t h = 0; h < t->history_count; h++)
            free(t->history[h]);
        free(t->history);
    }
    free(set->tickets);
    memset(set, 0, sizeof *set);
}

static int name_index(const char *s, const char *const *names, int n) {
    for (int i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

static const char *read_labels(const cJSON *obj, replay_ticket *t) {
    static const char *const lanes[] = {"resolve", "assist", "escalate"};
    static const char *const tiers[] = {"free", "starter", "pro", "enterprise"};
    const cJSON *intent = cJSON_GetObjectItemCaseSensitive(obj, "intent");
    const cJSON *lane = cJSON_GetObjectItemCaseSensitive(obj, "lane");
    const cJSON *must = cJSON_GetObjectItemCaseSensitive(obj, "must_human");
    const cJSON *tier = cJSON_GetObjectItemCaseSensitive(obj, "tier");
    if (intent && (!cJSON_IsString(intent) || !*intent->valuestring))
        return "\"intent\" must be a non-empty string";
    if (lane && (!cJSON_IsString(lane) || (t->lane = name_index(lane->valuestring, lanes, 3)) < 0))
        return "\"lane\" must be \"resolve\", \"assist\" or \"escalate\"";
    if (must && !cJSON_IsBool(must))
        return "\"must_human\" must be true or false";
    int tier_index = tier && cJSON_IsString(tier) ? name_index(tier->valuestring, tiers, 4) : 0;
    if (tier && tier_index < 0)
        return "\"tier\" must be \"free\", \"starter\", \"pro\" or \"enterprise\"";
    t->tier = (pw_tier)tier_index;
    t->must_human = must ? cJSON_IsTrue(must) : -1;
    t->intent = intent ? strdup(intent->valuestring) : NULL;
    return intent && !t->intent ? "out of memory" : NULL;
}

/* "ui": [{"feature": "export", "disabled": true, "reason": "plan", ...}, {"error_banner": ...},
 * {"failed_request": ...}, {"struggle": ...}] -> page flags. */
static const char *read_ui(const cJSON *ui, replay_ticket *t) {
    if (!ui)
        return NULL;
    if (!cJSON_IsArray(ui))
        return "\"ui\" must be an array of UI facts";
    const cJSON *fact;
    cJSON_ArrayForEach(fact, ui) {
        if (!cJSON_IsObject(fact))
            return "every \"ui\" fact must be an object";
        const cJSON *disabled = cJSON_GetObjectItemCaseSensitive(fact, "disabled");
        const cJSON *reason = cJSON_GetObjectItemCaseSensitive(fact, "reason");
        if (cJSON_IsTrue(disabled) && cJSON_IsString(reason) &&
            strcmp(reason->valuestring, "plan") == 0)
            t->page_flags |= PW_PAGE_FEATURE_DISABLED_BY_PLAN;
        if (cJSON_GetObjectItemCaseSensitive(fact, "error_banner"))
            t->page_flags |= PW_PAGE_ERROR_BANNER;
        if (cJSON_GetObjectItemCaseSensitive(fact, "failed_request"))
            t->page_flags |= PW_PAGE_FAILED_REQUEST;
        if (cJSON_GetObjectItemCaseSensitive(fact, "struggle"))
            t->page_flags |= PW_PAGE_STRUGGLE;
    }
    return NULL;
}

static const char *read_history(const cJSON *history, replay_ticket *t) {
    if (!history)
        return NULL;
    if (!cJSON_IsArray(history))
        return "\"history\" must be an array of earlier messages";
    size_t n = (size_t)cJSON_GetArraySize(history);
    t->history = calloc(n ? n : 1, sizeof *t->history);
    if (!t->history)
        return "out of memory";
    const cJSON *m;
    cJSON_ArrayForEach(m, history) {
        const cJSON *text = cJSON_IsObject(m) ? cJSON_GetObjectItemCaseSensitive(m, "text") : m;
        if (!cJSON_IsString(text))
            return "every \"history\" entry must be a string (or an object with \"text\")";
        if (!(t->history[t->history_count++] = strdup(text->valuestring)))
            return "out of memory";
    }
    return NULL;
}

static const char *add_ticket(const cJSON *obj, size_t line, void *ctx) {
    replay_set *set = ctx;
    if (!cJSON_IsObject(obj))
        return "expected a JSON object with \"id\" and \"text\"";
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(obj, "id");
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(obj, "text");
    if (!(cJSON_IsString(id) && *id->valuestring) && !cJSON_IsNumber(id))
        return "\"id\" must be a non-empty string or a number";
    if (!cJSON_IsString(text))
        return "\"text\" must be a string";
    if (set->count == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 256;
        replay_ticket *grown = realloc(set->tickets, cap * sizeof *grown);
        if (!grown)
            return "out of memory";
        set->tickets = grown, set->cap = cap;
    }
    replay_ticket *t = &set->tickets[set->count++];
    memset(t, 0, sizeof *t);
    t->line = line;
    t->lane = -1;
    t->id = cJSON_IsString(id) ? strdup(id->valuestring) : cJSON_PrintUnformatted(id);
    t->text = strdup(text->valuestring);
    if (!t->id || !t->text)
        return "out of memory";
    const char *problem = read_labels(obj, t);
    if (!problem)
        problem = read_ui(cJSON_GetObjectItemCaseSensitive(obj, "ui"), t);
    if (!problem)
        problem = read_history(cJSON_GetObjectItemCaseSensitive(obj, "history"), t);
    return problem;
}

int replay_read(const char *path, replay_set *set, char *err, size_t err_cap) {
    return pw_jsonl_each(path, add_ticket, set, err, err_cap);
}

const char *replay_predicted_label(const pw_model *m, const replay_ticket *t, const char *oos_label,
                                   char buf[PW_MODEL_MAX_LABEL + 1]) {
    if (t->prediction.out_of_scope)
        return oos_label;
    int n = pw_model_label(m, t->prediction.intent, buf, PW_MODEL_MAX_LABEL);
    buf[n > 0 ? n : 0] = '\0';
    return buf;
}
