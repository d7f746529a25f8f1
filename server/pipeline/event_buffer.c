/* A small open-addressed table of visitors, each with a ring of events, under one mutex: events
 * arrive in batches a few times a minute per visitor, far below where a lock would matter.
 * SPDX-License-Identifier: MIT */
#include "event_buffer.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define PROBE      8
#define DETAIL_MAX 1024

typedef struct slot {
    char visitor[40];
    int64_t touched;
    size_t head, count; /* ring: the oldest event is at head */
    pw_struggle_event ring[PW_EVENT_BUFFER_PER_VISITOR];
} slot;

struct pw_event_buffer {
    pthread_mutex_t lock;
    size_t size;
    slot *slots;
};

pw_event_buffer *pw_event_buffer_new(size_t visitors) {
    pw_event_buffer *b = calloc(1, sizeof *b);
    if (!b || !(b->slots = calloc(visitors ? visitors : 1, sizeof *b->slots))) {
        free(b);
        return NULL;
    }
    b->size = visitors ? visitors : 1;
    pthread_mutex_init(&b->lock, NULL);
    return b;
}

static void slot_clear(slot *s) {
    for (size_t i = 0; i < PW_EVENT_BUFFER_PER_VISITOR; i++)
        free(s->ring[i].detail);
    memset(s, 0, sizeof *s);
}

static size_t hash(const char *s) {
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* The visitor's slot; with `create`, a free one or the least recently touched in the probe
 * window (whose events are dropped). NULL when absent and not creating. */
static slot *find(pw_event_buffer *b, const char *visitor, int create) {
    size_t start = hash(visitor) % b->size;
    slot *victim = NULL;
    for (size_t i = 0; i < PROBE && i < b->size; i++) {
        slot *s = &b->slots[(start + i) % b->size];
        if (strcmp(s->visitor, visitor) == 0)
            return s;
        if (!victim || s->touched < victim->touched)
            victim = s;
    }
    if (!create)
        return NULL;
    slot_clear(victim);
    strncpy(victim->visitor, visitor, sizeof victim->visitor - 1);
    return victim;
}

void pw_event_buffer_add(pw_event_buffer *b, const char *visitor, const pw_struggle_event *events,
                         size_t n, int64_t now_ms) {
    if (!visitor || !*visitor || n == 0)
        return;
    pthread_mutex_lock(&b->lock);
    slot *s = find(b, visitor, 1);
    s->touched = now_ms;
    for (size_t i = 0; i < n; i++) {
        size_t at = (s->head + s->count) % PW_EVENT_BUFFER_PER_VISITOR;
        if (s->count == PW_EVENT_BUFFER_PER_VISITOR)
            s->head = (s->head + 1) % PW_EVENT_BUFFER_PER_VISITOR; /* overwrite the oldest */
        else
            s->count++;
        free(s->ring[at].detail);
        s->ring[at] = events[i];
        s->ring[at].detail = NULL;
        const char *d = events[i].detail;
        if (d && strlen(d) <= DETAIL_MAX && (s->ring[at].detail = malloc(strlen(d) + 1)))
            strcpy(s->ring[at].detail, d);
    }
    pthread_mutex_unlock(&b->lock);
}

size_t pw_event_buffer_take(pw_event_buffer *b, const char *visitor, pw_struggle_event *out,
                            size_t cap) {
    if (!visitor || !*visitor)
        return 0;
    pthread_mutex_lock(&b->lock);
    slot *s = find(b, visitor, 0);
    size_t n = 0;
    for (; s && n < s->count && n < cap; n++) {
        pw_struggle_event *e = &s->ring[(s->head + n) % PW_EVENT_BUFFER_PER_VISITOR];
        out[n] = *e;
        e->detail = NULL; /* moved to the caller */
    }
    if (s)
        slot_clear(s);
    pthread_mutex_unlock(&b->lock);
    return n;
}

void pw_event_buffer_free(pw_event_buffer *b) {
    if (!b)
        return;
    for (size_t i = 0; i < b->size; i++)
        slot_clear(&b->slots[i]);
    pthread_mutex_destroy(&b->lock);
    free(b->slots);
    free(b);
}
