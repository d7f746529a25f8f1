/* The realtime hub (server/realtime/hub.c) with fake connections over an in-memory "store": a
 * watch catches up from its cursor, a change reaches every watcher once, relays skip their
 * sender, inbox watchers hear of everything, and — what keeps the server from crashing — no
 * call ever reaches a connection after it left, even while changes keep coming from threads.
 * SPDX-License-Identifier: MIT */
#include "realtime/hub.h"
#include "pw_test.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define CONVERSATIONS 4
#define MESSAGES_MAX  4096

/* Messages per conversation: ids 1..count[c] (the store). */
typedef struct store {
    pthread_mutex_t mu;
    int64_t count[CONVERSATIONS + 1];
} store;

typedef struct fake_conn {
    pthread_mutex_t mu;
    int left;       /* set once pw_hub_leave returned: no call may come after */
    int late_calls; /* calls that came anyway */
    int64_t got[MESSAGES_MAX];
    int got_n;
    int dups; /* an id delivered twice */
    char sent[16][96];
    int sent_n;
} fake_conn;

static store the_store = {PTHREAD_MUTEX_INITIALIZER, {0}};

static void add_messages(int64_t conversation, int n) {
    pthread_mutex_lock(&the_store.mu);
    the_store.count[conversation] += n;
    pthread_mutex_unlock(&the_store.mu);
}

static int fake_catch_up(void *ctx, void *conn, int64_t conversation_id, int64_t *cursor,
                         char status[16]) {
    (void)ctx;
    fake_conn *f = conn;
    pthread_mutex_lock(&the_store.mu);
    int64_t last = conversation_id <= CONVERSATIONS ? the_store.count[conversation_id] : 0;
    pthread_mutex_unlock(&the_store.mu);
    pthread_mutex_lock(&f->mu);
    if (f->left)
        f->late_calls++;
    for (int64_t id = *cursor + 1; id <= last; id++) {
        for (int i = 0; i < f->got_n; i++)
            f->dups += f->got[i] == id + conversation_id * 100000;
        if (f->got_n < MESSAGES_MAX)
            f->got[f->got_n++] = id + conversation_id * 100000;
    }
    pthread_mutex_unlock(&f->mu);
    *cursor = last > *cursor ? last : *cursor;
    snprintf(status, 16, "open");
    return 0;
}

static int fake_send(void *ctx, void *conn, const char *text, size_t len) {
    (void)ctx;
    fake_conn *f = conn;
    pthread_mutex_lock(&f->mu);
    if (f->left)
        f->late_calls++;
    if (f->sent_n < 16)
        snprintf(f->sent[f->sent_n++], sizeof f->sent[0], "%.*s", (int)len, text);
    pthread_mutex_unlock(&f->mu);
    return 0;
}

static const pw_hub_ops ops = {fake_catch_up, fake_send};

static void fake_init(fake_conn *f) {
    memset(f, 0, sizeof *f);
    pthread_mutex_init(&f->mu, NULL);
}

static int got(fake_conn *f) {
    pthread_mutex_lock(&f->mu);
    int n = f->got_n;
    pthread_mutex_unlock(&f->mu);
    return n;
}

static int sent(fake_conn *f) {
    pthread_mutex_lock(&f->mu);
    int n = f->sent_n;
    pthread_mutex_unlock(&f->mu);
    return n;
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Waits up to 2 s for what the push thread does on its own time. */
static int wait_for(int (*count)(fake_conn *), fake_conn *f, int want) {
    for (int i = 0; i < 400 && count(f) < want; i++)
        sleep_ms(5);
    return count(f);
}

static void watch_catches_up_then_gets_changes_once(void) {
    pw_hub *h;
    PW_CHECK_INT(pw_hub_new(&ops, NULL, &h), 0);
    add_messages(1, 3);
    fake_conn a;
    fake_init(&a);
    pw_hub_client *ca = pw_hub_join(h, &a, 1000);
    PW_CHECK_INT(pw_hub_watch(h, ca, 1, 1), 0);
    PW_CHECK_INT(wait_for(got, &a, 2), 2);
    PW_CHECK_INT((int)a.got[0], 100002); /* after message 1: 2 and 3 */
    add_messages(1, 2);
    pw_hub_changed(h, 1);
    pw_hub_changed(h, 1);
    pw_hub_changed(h, 2); /* not watched: nothing */
    PW_CHECK_INT(wait_for(got, &a, 4), 4);
    sleep_ms(50);
    PW_CHECK_INT(got(&a), 4);
    PW_CHECK_INT(a.dups, 0);
    PW_CHECK(pw_hub_watching(h, ca, 1));
    PW_CHECK(!pw_hub_watching(h, ca, 2));
    pw_hub_unwatch(h, ca, 1);
    PW_CHECK(!pw_hub_watching(h, ca, 1));
    pw_hub_leave(h, ca);
    pw_hub_free(h);
}

static void relay_skips_the_sender_and_inbox_hears_all(void) {
    pw_hub *h;
    PW_CHECK_INT(pw_hub_new(&ops, NULL, &h), 0);
    fake_conn a, b, agent;
    fake_init(&a);
    fake_init(&b);
    fake_init(&agent);
    pw_hub_client *ca = pw_hub_join(h, &a, 1000), *cb = pw_hub_join(h, &b, 1000);
    pw_hub_client *cagent = pw_hub_join(h, &agent, 1000);
    PW_CHECK_INT(pw_hub_watch(h, ca, 2, 0), 0);
    PW_CHECK_INT(pw_hub_watch(h, cb, 2, 0), 0);
    pw_hub_watch_inbox(h, cagent);
    pw_hub_relay(h, ca, 2, "{\"type\":\"typing\"}", 17);
    pw_hub_relay(h, ca, 3, "{\"type\":\"typing\"}", 17); /* nobody watches 3 */
    PW_CHECK_INT(wait_for(sent, &b, 1), 1);
    PW_CHECK(strcmp(b.sent[0], "{\"type\":\"typing\"}") == 0);
    pw_hub_changed(h, 3);
    PW_CHECK_INT(wait_for(sent, &agent, 1), 1);
    PW_CHECK(strcmp(agent.sent[0], "{\"type\":\"inbox\",\"conversation_id\":3}") == 0);
    sleep_ms(50);
    PW_CHECK_INT(sent(&a), 0); /* its own typing never comes back */
    pw_hub_leave(h, ca);
    pw_hub_leave(h, cb);
    pw_hub_leave(h, cagent);
    pw_hub_free(h);
}

static void watches_are_bounded(void) {
    pw_hub *h;
    PW_CHECK_INT(pw_hub_new(&ops, NULL, &h), 0);
    fake_conn a;
    fake_init(&a);
    pw_hub_client *ca = pw_hub_join(h, &a, 1000);
    for (int i = 1; i <= PW_HUB_WATCHES; i++)
        PW_CHECK_INT(pw_hub_watch(h, ca, 1000 + i, 0), 0);
    PW_CHECK_INT(pw_hub_watch(h, ca, 2000, 0), -1);
    PW_CHECK_INT(pw_hub_watch(h, ca, 1001, 0), 0); /* again: moves the cursor, no new slot */
    pw_hub_unwatch(h, ca, 1001);
    PW_CHECK_INT(pw_hub_watch(h, ca, 2000, 0), 0);
    PW_CHECK_INT(pw_hub_watch(h, ca, 0, 0), -1);
    pw_hub_leave(h, ca);
    pw_hub_free(h);
}

static void clients_are_capped(void) {
    pw_hub *h;
    PW_CHECK_INT(pw_hub_new(&ops, NULL, &h), 0);
    fake_conn a, b, c;
    fake_init(&a);
    fake_init(&b);
    fake_init(&c);
    pw_hub_client *ca = pw_hub_join(h, &a, 2), *cb = pw_hub_join(h, &b, 2);
    PW_CHECK(ca && cb);
    PW_CHECK(pw_hub_join(h, &c, 2) == NULL);
    PW_CHECK_INT(pw_hub_clients(h), 2);
    pw_hub_leave(h, ca);
    pw_hub_client *cc = pw_hub_join(h, &c, 2);
    PW_CHECK(cc != NULL);
    pw_hub_leave(h, cb);
    pw_hub_leave(h, cc);
    PW_CHECK_INT(pw_hub_clients(h), 0);
    pw_hub_free(h);
}

/* Writers keep changing conversation 4 while connections join, watch and leave. */
typedef struct churn {
    pw_hub *h;
    int stop;
} churn;

static void *writer_thread(void *arg) {
    churn *c = arg;
    for (int i = 0; i < 300; i++) {
        add_messages(4, 1);
        pw_hub_changed(c->h, 4);
        if (i % 7 == 0)
            sleep_ms(1);
    }
    return NULL;
}

static void no_call_after_leave_under_churn(void) {
    pw_hub *h;
    PW_CHECK_INT(pw_hub_new(&ops, NULL, &h), 0);
    churn c = {h, 0};
    fake_conn steady;
    fake_init(&steady);
    pw_hub_client *cs = pw_hub_join(h, &steady, 1000);
    PW_CHECK_INT(pw_hub_watch(h, cs, 4, 0), 0);
    pthread_t writers[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&writers[i], NULL, writer_thread, &c);
    static fake_conn passing[60];
    int late = 0;
    for (int i = 0; i < 60; i++) {
        fake_init(&passing[i]);
        pw_hub_client *cp = pw_hub_join(h, &passing[i], 1000);
        pw_hub_watch(h, cp, 4, 0);
        if (i % 3 == 0)
            pw_hub_watch_inbox(h, cp);
        sleep_ms(i % 4);
        pw_hub_leave(h, cp);
        pthread_mutex_lock(&passing[i].mu);
        passing[i].left = 1;
        pthread_mutex_unlock(&passing[i].mu);
    }
    for (int i = 0; i < 3; i++)
        pthread_join(writers[i], NULL);
    pthread_mutex_lock(&the_store.mu);
    int total = (int)the_store.count[4];
    pthread_mutex_unlock(&the_store.mu);
    PW_CHECK_INT(wait_for(got, &steady, total), total);
    sleep_ms(50);
    for (int i = 0; i < 60; i++) {
        pthread_mutex_lock(&passing[i].mu);
        late += passing[i].late_calls;
        pthread_mutex_unlock(&passing[i].mu);
    }
    PW_CHECK_INT(late, 0);
    PW_CHECK_INT(steady.dups, 0);
    for (int i = 1; i < steady.got_n; i++)
        PW_CHECK(steady.got[i] == steady.got[i - 1] + 1); /* in order, no gap */
    pw_hub_leave(h, cs);
    pw_hub_free(h);
}

int main(void) {
    PW_RUN(watch_catches_up_then_gets_changes_once);
    PW_RUN(relay_skips_the_sender_and_inbox_hears_all);
    PW_RUN(watches_are_bounded);
    PW_RUN(clients_are_capped);
    PW_RUN(no_call_after_leave_under_churn);
    return pw_test_exit_code();
}
