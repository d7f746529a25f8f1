/* The realtime hub (hub.h). Locks: `h->mu` guards the client list, every client's watches and
 * reference counts, and the job queue; `c->mu` guards one client's connection while the push
 * thread talks to it (pw_hub_leave waits on it). Nothing holds h->mu while talking to a
 * connection, so a slow connection delays only the push thread, never a request handler: the
 * push thread copies a watch under h->mu, talks, and writes the moved cursor back unless the
 * watch was replaced meanwhile (its generation tells).
 * SPDX-License-Identifier: MIT */
#include "hub.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RELAYS_MAX 1024 /* queued typing notes; beyond that they are dropped */

typedef struct watch {
    int64_t conversation_id; /* 0: a free slot */
    int64_t cursor;
    char status[16];
    uint64_t gen; /* bumped by every pw_hub_watch */
} watch;

struct pw_hub_client {
    void *conn;
    pthread_mutex_t mu; /* held while the push thread uses conn; closed is set under it */
    int closed;
    int refs;                      /* the hub's list and every job or push in flight; under h->mu */
    int inbox;                     /* under h->mu */
    watch watches[PW_HUB_WATCHES]; /* under h->mu */
    uint64_t gens;
    pw_hub_client *next;
};

typedef enum job_kind {
    JOB_CHANGED,  /* every watcher of the conversation, and the inbox watchers */
    JOB_CATCH_UP, /* one client's new watch */
    JOB_RELAY     /* a text for every watcher but the sender */
} job_kind;

typedef struct job {
    job_kind kind;
    int64_t conversation_id;
    pw_hub_client *client; /* CATCH_UP: the watcher; RELAY: the sender (NULL when gone) */
    char *text;            /* RELAY, owned by the job */
    size_t len;
} job;

struct pw_hub {
    pw_hub_ops ops;
    void *ctx;
    pthread_mutex_t mu;
    pthread_cond_t wake;
    pthread_t thread;
    int stop;
    pw_hub_client *clients;
    int client_count;
    job *jobs; /* a FIFO: jobs[head .. head + count) modulo cap */
    size_t head, count, cap;
    size_t relays;
};

/* ---- the queue (under h->mu) ---------------------------------------------------------------- */

static int push_job(pw_hub *h, job j) {
    if (h->count == h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 64;
        job *grown = malloc(cap * sizeof *grown);
        if (!grown)
            return -1;
        for (size_t i = 0; i < h->count; i++)
            grown[i] = h->jobs[(h->head + i) % h->cap];
        free(h->jobs);
        h->jobs = grown;
        h->head = 0;
        h->cap = cap;
    }
    h->jobs[(h->head + h->count++) % h->cap] = j;
    pthread_cond_signal(&h->wake);
    return 0;
}

static int changed_queued(const pw_hub *h, int64_t conversation_id) {
    for (size_t i = 0; i < h->count; i++) {
        const job *j = &h->jobs[(h->head + i) % h->cap];
        if (j->kind == JOB_CHANGED && j->conversation_id == conversation_id)
            return 1;
    }
    return 0;
}

static void release(pw_hub *h, pw_hub_client *c) {
    if (c && --c->refs == 0) {
        pthread_mutex_destroy(&c->mu);
        free(c);
    }
    (void)h;
}

static watch *find_watch(pw_hub_client *c, int64_t conversation_id) {
    for (int i = 0; i < PW_HUB_WATCHES; i++)
        if (c->watches[i].conversation_id == conversation_id)
            return &c->watches[i];
    return NULL;
}

/* ---- the push thread ------------------------------------------------------------------------ */

static void send_inbox_note(pw_hub *h, void *conn, int64_t conversation_id) {
    char note[64];
    int n = snprintf(note, sizeof note, "{\"type\":\"inbox\",\"conversation_id\":%lld}",
                     (long long)conversation_id);
    h->ops.send(h->ctx, conn, note, (size_t)n);
}

/* Talks to one client, unless it left meanwhile. */
static void deliver(pw_hub *h, pw_hub_client *c, const job *j) {
    pthread_mutex_lock(&h->mu);
    watch *w = find_watch(c, j->conversation_id);
    watch copy = w ? *w : (watch){0};
    int inbox = j->kind == JOB_CHANGED && c->inbox;
    pthread_mutex_unlock(&h->mu);
    if (!copy.conversation_id && !inbox)
        return; /* unwatched meanwhile */
    pthread_mutex_lock(&c->mu);
    if (!c->closed) {
        if (j->kind == JOB_RELAY)
            h->ops.send(h->ctx, c->conn, j->text, j->len);
        else if (copy.conversation_id)
            h->ops.catch_up(h->ctx, c->conn, j->conversation_id, &copy.cursor, copy.status);
        if (inbox)
            send_inbox_note(h, c->conn, j->conversation_id);
    }
    pthread_mutex_unlock(&c->mu);
    if (j->kind == JOB_RELAY || !copy.conversation_id)
        return;
    pthread_mutex_lock(&h->mu);
    w = find_watch(c, j->conversation_id);
    if (w && w->gen == copy.gen) {
        w->cursor = copy.cursor;
        memcpy(w->status, copy.status, sizeof w->status);
    }
    pthread_mutex_unlock(&h->mu);
}

/* The clients a job is for, each with a reference taken (under h->mu). */
static size_t targets(pw_hub *h, const job *j, pw_hub_client ***out, size_t *cap) {
    size_t n = 0;
    for (pw_hub_client *c = h->clients; c; c = c->next) {
        int wanted = j->kind == JOB_CATCH_UP ? c == j->client
                     : j->kind == JOB_RELAY
                         ? c != j->client && find_watch(c, j->conversation_id) != NULL
                         : c->inbox || find_watch(c, j->conversation_id) != NULL;
        if (!wanted)
            continue;
        if (n == *cap) {
            size_t grown_cap = *cap ? 2 * *cap : 16;
            pw_hub_client **grown = realloc(*out, grown_cap * sizeof *grown);
            if (!grown)
                break; /* a missed wake-up: the watcher catches up at the next change */
            *out = grown;
            *cap = grown_cap;
        }
        c->refs++;
        (*out)[n++] = c;
    }
    return n;
}

static void *run(void *arg) {
    pw_hub *h = arg;
    pw_hub_client **list = NULL;
    size_t cap = 0;
    pthread_mutex_lock(&h->mu);
    for (;;) {
        while (!h->stop && h->count == 0)
            pthread_cond_wait(&h->wake, &h->mu);
        if (h->stop)
            break;
        job j = h->jobs[h->head];
        h->head = (h->head + 1) % h->cap;
        h->count--;
        if (j.kind == JOB_RELAY)
            h->relays--;
        size_t n = targets(h, &j, &list, &cap);
        pthread_mutex_unlock(&h->mu);
        for (size_t i = 0; i < n; i++)
            deliver(h, list[i], &j);
        pthread_mutex_lock(&h->mu);
        for (size_t i = 0; i < n; i++)
            release(h, list[i]);
        if (j.kind != JOB_CHANGED)
            release(h, j.client);
        free(j.text);
    }
    pthread_mutex_unlock(&h->mu);
    free(list);
    return NULL;
}

/* ---- the API -------------------------------------------------------------------------------- */

int pw_hub_new(const pw_hub_ops *ops, void *ctx, pw_hub **out) {
    *out = NULL;
    pw_hub *h = calloc(1, sizeof *h);
    if (!h)
        return -1;
    h->ops = *ops;
    h->ctx = ctx;
    pthread_mutex_init(&h->mu, NULL);
    pthread_cond_init(&h->wake, NULL);
    if (pthread_create(&h->thread, NULL, run, h) != 0) {
        pthread_cond_destroy(&h->wake);
        pthread_mutex_destroy(&h->mu);
        free(h);
        return -1;
    }
    *out = h;
    return 0;
}

void pw_hub_free(pw_hub *h) {
    if (!h)
        return;
    pthread_mutex_lock(&h->mu);
    h->stop = 1;
    pthread_cond_signal(&h->wake);
    pthread_mutex_unlock(&h->mu);
    pthread_join(h->thread, NULL);
    for (size_t i = 0; i < h->count; i++) {
        job *j = &h->jobs[(h->head + i) % h->cap];
        if (j->kind != JOB_CHANGED)
            release(h, j->client);
        free(j->text);
    }
    free(h->jobs);
    pthread_cond_destroy(&h->wake);
    pthread_mutex_destroy(&h->mu);
    free(h);
}

pw_hub_client *pw_hub_join(pw_hub *h, void *conn, int max) {
    pw_hub_client *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->conn = conn;
    c->refs = 1;
    pthread_mutex_init(&c->mu, NULL);
    pthread_mutex_lock(&h->mu);
    int full = h->client_count >= max;
    if (!full) {
        c->next = h->clients;
        h->clients = c;
        h->client_count++;
    }
    pthread_mutex_unlock(&h->mu);
    if (full) {
        pthread_mutex_destroy(&c->mu);
        free(c);
        return NULL;
    }
    return c;
}

int pw_hub_clients(pw_hub *h) {
    pthread_mutex_lock(&h->mu);
    int n = h->client_count;
    pthread_mutex_unlock(&h->mu);
    return n;
}

void pw_hub_leave(pw_hub *h, pw_hub_client *c) {
    if (!c)
        return;
    pthread_mutex_lock(&h->mu);
    for (pw_hub_client **p = &h->clients; *p; p = &(*p)->next)
        if (*p == c) {
            *p = c->next;
            h->client_count--;
            break;
        }
    pthread_mutex_unlock(&h->mu);
    /* Waits for a delivery in progress; after this the push thread skips the client. */
    pthread_mutex_lock(&c->mu);
    c->closed = 1;
    pthread_mutex_unlock(&c->mu);
    pthread_mutex_lock(&h->mu);
    release(h, c);
    pthread_mutex_unlock(&h->mu);
}

int pw_hub_watch(pw_hub *h, pw_hub_client *c, int64_t conversation_id, int64_t after) {
    if (conversation_id <= 0)
        return -1;
    int rc = -1;
    pthread_mutex_lock(&h->mu);
    watch *w = find_watch(c, conversation_id);
    if (!w)
        w = find_watch(c, 0);
    if (w && push_job(h, (job){JOB_CATCH_UP, conversation_id, c, NULL, 0}) == 0) {
        *w = (watch){conversation_id, after, "", ++c->gens};
        c->refs++;
        rc = 0;
    }
    pthread_mutex_unlock(&h->mu);
    return rc;
}

void pw_hub_unwatch(pw_hub *h, pw_hub_client *c, int64_t conversation_id) {
    pthread_mutex_lock(&h->mu);
    watch *w = conversation_id > 0 ? find_watch(c, conversation_id) : NULL;
    if (w)
        memset(w, 0, sizeof *w);
    pthread_mutex_unlock(&h->mu);
}

void pw_hub_watch_inbox(pw_hub *h, pw_hub_client *c) {
    pthread_mutex_lock(&h->mu);
    c->inbox = 1;
    pthread_mutex_unlock(&h->mu);
}

int pw_hub_watching(pw_hub *h, const pw_hub_client *c, int64_t conversation_id) {
    pthread_mutex_lock(&h->mu);
    int yes = conversation_id && find_watch((pw_hub_client *)c, conversation_id) != NULL;
    pthread_mutex_unlock(&h->mu);
    return yes;
}

void pw_hub_changed(pw_hub *h, int64_t conversation_id) {
    if (!h)
        return;
    pthread_mutex_lock(&h->mu);
    /* With no client connected there is no one to tell, and one who connects later catches up
     * when it watches: no job, and no wake-up of the hub's thread for every message (about 2%
     * of the CPU under the ticket benchmark, where no console is open). */
    if (h->client_count > 0 && !changed_queued(h, conversation_id))
        push_job(h, (job){JOB_CHANGED, conversation_id, NULL, NULL, 0});
    pthread_mutex_unlock(&h->mu);
}

void pw_hub_relay(pw_hub *h, const pw_hub_client *from, int64_t conversation_id, const char *text,
                  size_t len) {
    char *copy = malloc(len + 1);
    if (!copy)
        return;
    memcpy(copy, text, len);
    copy[len] = '\0';
    pthread_mutex_lock(&h->mu);
    pw_hub_client *sender = (pw_hub_client *)from;
    if (h->relays < RELAYS_MAX &&
        push_job(h, (job){JOB_RELAY, conversation_id, sender, copy, len}) == 0) {
        h->relays++;
        sender->refs++;
        copy = NULL;
    }
    pthread_mutex_unlock(&h->mu);
    free(copy);
}
