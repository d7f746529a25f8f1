/* The answer a customer reads: the plan explanation when the feature is not in their plan, else
 * the steps for the page they are on, else the article. Plain text, cut cleanly to the buffer.
 * SPDX-License-Identifier: MIT */
#include "kb.h"
#include "kb_int.h"

#include <stdio.h>
#include <string.h>

static const char *const plan_ids[] = {"free", "starter", "pro", "enterprise"};
static const char *const plan_labels[] = {"Free", "Starter", "Pro", "Enterprise"};

int pw_kb_plan_rank(const char *plan) {
    for (int i = 0; plan && i < 4; i++)
        if (strcmp(plan, plan_ids[i]) == 0)
            return i;
    return -1;
}

int pw_kb_plan_blocks(const char *plan_required, const char *plan) {
    int need = pw_kb_plan_rank(plan_required), have = pw_kb_plan_rank(plan);
    return need > 0 && have >= 0 && have < need;
}

/* A bounded writer that only ever stops at a character boundary, then marks the cut with "…". */
typedef struct text_out {
    char *buf;
    size_t cap, len;
    int cut;
} text_out;

static void put(text_out *t, const char *s, size_t n) {
    size_t room = t->cap - 1 - t->len;
    if (t->cut)
        return;
    if (n > room) {
        n = pw__kb_utf8_cut(s, n, room);
        t->cut = 1;
    }
    memcpy(t->buf + t->len, s, n);
    t->len += n;
}

static void put_str(text_out *t, const char *s) {
    put(t, s, strlen(s));
}

static void finish(text_out *t) {
    static const char ellipsis[] = "\xE2\x80\xA6";
    if (t->cut && t->cap > sizeof ellipsis) {
        size_t keep = pw__kb_utf8_cut(t->buf, t->len, t->cap - sizeof ellipsis);
        while (keep > 0 && (t->buf[keep - 1] == ' ' || t->buf[keep - 1] == '\n'))
            keep--;
        memcpy(t->buf + keep, ellipsis, sizeof ellipsis - 1);
        t->len = keep + sizeof ellipsis - 1;
    }
    t->buf[t->len] = '\0';
}

static const pw_kb_variant *find_variant(const pw_kb_article *a, const char *route,
                                         const char *page_id) {
    for (size_t i = 0; route && i < a->variant_count; i++)
        if (a->variants[i].route && strcmp(a->variants[i].route, route) == 0)
            return &a->variants[i];
    for (size_t i = 0; page_id && i < a->variant_count; i++)
        if (a->variants[i].page_id && strcmp(a->variants[i].page_id, page_id) == 0)
            return &a->variants[i];
    return NULL;
}

static void plan_text(text_out *t, const pw_kb_article *a) {
    int need = pw_kb_plan_rank(a->plan_required);
    if (a->plan_note) {
        put_str(t, a->plan_note);
    } else if (need > 0) {
        char line[160];
        snprintf(line, sizeof line,
                 "This feature is available on the %s plan%s, and your current plan doesn't "
                 "include it.",
                 plan_labels[need], need < 3 ? " and above" : "");
        put_str(t, line);
    } else {
        put_str(t, "This feature isn't included in your current plan.");
    }
}

static void steps_text(text_out *t, const pw_kb_article *a, const pw_kb_variant *v) {
    put_str(t, "Here's how to do that from this page:\n");
    for (size_t i = 0; i < v->step_count; i++) {
        char number[24];
        snprintf(number, sizeof number, "%zu. ", i + 1);
        put_str(t, number);
        put_str(t, v->steps[i]);
        put_str(t, "\n");
    }
    put_str(t, "\nFrom: ");
    put_str(t, a->title);
}

int pw_kb_compose(const pw_kb_article *a, const char *route, const char *page_id, const char *plan,
                  int disabled_by_plan, char *out, size_t cap, pw_answer_kind *kind) {
    if (!out || cap == 0)
        return -1;
    text_out t = {out, cap, 0, 0};
    const pw_kb_variant *v = NULL;
    if (disabled_by_plan || pw_kb_plan_blocks(a->plan_required, plan)) {
        *kind = PW_ANSWER_PLAN;
        plan_text(&t, a);
    } else if ((v = find_variant(a, route, page_id)) != NULL) {
        *kind = PW_ANSWER_STEPS;
        steps_text(&t, a, v);
    } else {
        *kind = PW_ANSWER_ARTICLE;
        put_str(&t, a->body);
        put_str(&t, "\n\nFrom: ");
        put_str(&t, a->title);
    }
    finish(&t);
    return 0;
}
