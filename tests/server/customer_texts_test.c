/* A customer's latest messages as the pipeline reads them when its memory misses the customer
 * (pw_store_customer_texts, server/store/support.c), on a real SQLite file: found through the
 * customer's conversations, newest across all of them, only the customer's own, oldest first.
 * Rows are written as the server's writer writes them: every message moves its conversation's
 * updated_at to its own time.
 * SPDX-License-Identifier: MIT */
#include "store/conn.h"
#include "store/db.h"
#include "store/support.h"
#include "pw_test.h"
#include "pw_test_dir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pw_conn *conn;
static int64_t clock_ms = 1000;

static void run(const char *sql) {
    char *err = NULL;
    if (sqlite3_exec(pw_conn_db(conn), sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "    %s: %s\n", sql, err);
        sqlite3_free(err);
        PW_CHECK(0);
    }
}

static int64_t new_customer(void) {
    run("INSERT INTO customers(app_id, plan, created_at, updated_at) VALUES (1, 'free', 0, 0)");
    return sqlite3_last_insert_rowid(pw_conn_db(conn));
}

static int64_t new_conversation(int64_t customer) {
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO conversations(app_id, customer_id, channel, status, lane, created_at,"
             " updated_at) VALUES (1, %lld, 'widget', 'bot', 'resolve', %lld, %lld)",
             (long long)customer, (long long)clock_ms, (long long)clock_ms);
    run(sql);
    return sqlite3_last_insert_rowid(pw_conn_db(conn));
}

/* A message `body` by `author` in the conversation, one tick after the last. */
static int64_t say(int64_t conversation, const char *author, const char *body) {
    char sql[512];
    clock_ms++;
    snprintf(sql, sizeof sql,
             "INSERT INTO messages(conversation_id, author, body, created_at) VALUES (%lld, '%s',"
             " '%s', %lld); UPDATE conversations SET updated_at = %lld WHERE id = %lld",
             (long long)conversation, author, body, (long long)clock_ms, (long long)clock_ms,
             (long long)conversation);
    run(sql);
    int64_t id = 0;
    sqlite3_stmt *st;
    sqlite3_prepare_v2(pw_conn_db(conn), "SELECT max(id) FROM messages", -1, &st, NULL);
    if (sqlite3_step(st) == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return id;
}

/* The texts found, joined with '|', oldest first; frees them. */
static void found(int64_t customer, int cap, char *out, size_t out_cap, int *count) {
    pw_customer_texts t;
    int n = pw_store_customer_texts(conn, customer, &t, cap);
    *count = n;
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (i)
            strncat(out, "|", out_cap - strlen(out) - 1);
        strncat(out, t.texts[i], out_cap - strlen(out) - 1);
        PW_CHECK(t.lens[i] == strlen(t.texts[i]));
        if (i)
            PW_CHECK(t.ids[i - 1] < t.ids[i] && t.at[i - 1] <= t.at[i]);
        free(t.texts[i]);
    }
}

static void an_older_conversation_with_the_newest_message_counts(void) {
    int64_t ann = new_customer();
    int64_t first = new_conversation(ann);
    say(first, "customer", "a1");
    say(first, "ai", "answer");
    int64_t second = new_conversation(ann);
    say(second, "customer", "b1");
    say(second, "customer", "b2");
    say(second, "agent", "reply");
    say(first, "customer", "a2"); /* the first conversation again, latest of all */
    char texts[256];
    int n;
    found(ann, 3, texts, sizeof texts, &n);
    PW_CHECK_INT(n, 3);
    PW_CHECK_STRN(texts, strlen(texts), "b1|b2|a2");
    found(ann, 16, texts, sizeof texts, &n);
    PW_CHECK_INT(n, 4);
    PW_CHECK_STRN(texts, strlen(texts), "a1|b1|b2|a2");
}

static void many_conversations_give_the_latest_only(void) {
    int64_t bob = new_customer(), other = new_customer();
    int64_t elsewhere = new_conversation(other);
    char expected[512] = "";
    for (int i = 0; i < 40; i++) {
        int64_t c = new_conversation(bob);
        char body[16];
        snprintf(body, sizeof body, "m%02d", i);
        say(c, "customer", body);
        say(c, "system", "notice");
        say(elsewhere, "customer", "someone else");
        if (i >= 40 - PW_CUSTOMER_TEXTS_MAX) {
            if (expected[0])
                strcat(expected, "|");
            strcat(expected, body);
        }
    }
    char texts[512];
    int n;
    found(bob, PW_CUSTOMER_TEXTS_MAX, texts, sizeof texts, &n);
    PW_CHECK_INT(n, PW_CUSTOMER_TEXTS_MAX);
    PW_CHECK_STRN(texts, strlen(texts), expected);
}

static void a_customer_without_messages_has_none(void) {
    int64_t quiet = new_customer();
    new_conversation(quiet);
    char texts[64];
    int n;
    found(quiet, 8, texts, sizeof texts, &n);
    PW_CHECK_INT(n, 0);
    found(quiet + 1000, 8, texts, sizeof texts, &n);
    PW_CHECK_INT(n, 0);
}

static void a_cap_outside_the_arrays_is_clamped(void) {
    int64_t eve = new_customer();
    int64_t c = new_conversation(eve);
    for (int i = 0; i < PW_CUSTOMER_TEXTS_MAX + 4; i++)
        say(c, "customer", "again");
    char texts[512];
    int n;
    found(eve, 0, texts, sizeof texts, &n);
    PW_CHECK_INT(n, 0);
    found(eve, PW_CUSTOMER_TEXTS_MAX + 4, texts, sizeof texts, &n);
    PW_CHECK_INT(n, PW_CUSTOMER_TEXTS_MAX);
}

int main(void) {
    char dir[64], path[128], err[256];
    if (pw_test_dir_make("pw_customer_texts_test", dir, sizeof dir, "pagewise.db", path,
                         sizeof path))
        return 1;
    pw_db_setup();
    sqlite3 *db = pw_db_open(path, err, sizeof err);
    if (!db) {
        fprintf(stderr, "cannot open the store: %s\n", err);
        return 1;
    }
    pw_db_close(db);
    if (!(conn = pw_conn_open(path, 0, err, sizeof err))) {
        fprintf(stderr, "cannot open the store: %s\n", err);
        return 1;
    }
    run("INSERT INTO apps(app_key, name, created_at) VALUES ('k', 'K', 0)");
    PW_RUN(an_older_conversation_with_the_newest_message_counts);
    PW_RUN(many_conversations_give_the_latest_only);
    PW_RUN(a_customer_without_messages_has_none);
    PW_RUN(a_cap_outside_the_arrays_is_clamped);
    pw_conn_close(conn);
    pw_test_dir_remove(dir);
    return pw_test_exit_code();
}
