/* The store's schema (server/store/db.c) on a real SQLite file: every migration applies, the
 * CHECK constraints on enumerated columns still reject what they must, and the writes the
 * pipeline makes build no temporary b-tree (migration 5 rewrote the checks for that).
 * SPDX-License-Identifier: MIT */
#include "store/db.h"
#include "pw_test.h"
#include "pw_test_dir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static sqlite3 *db;

static int run(const char *sql) {
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* How many temporary b-trees (OpenEphemeral) the program of `sql` opens. */
static int ephemeral_tables(const char *sql) {
    char explain[2048];
    snprintf(explain, sizeof explain, "EXPLAIN %s", sql);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, explain, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "    cannot prepare: %s\n", sqlite3_errmsg(db));
        return -1;
    }
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW)
        n += strcmp((const char *)sqlite3_column_text(st, 1), "OpenEphemeral") == 0;
    sqlite3_finalize(st);
    return n;
}

static void migrates_to_the_latest_version(void) {
    PW_CHECK_INT(pw_db_current_version(db), pw_db_schema_version());
    sqlite3_stmt *st;
    PW_CHECK_INT(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    PW_CHECK_INT(sqlite3_step(st), SQLITE_ROW);
    PW_CHECK(strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0);
    sqlite3_finalize(st);
}

static void writes_build_no_temporary_btree(void) {
    static const char *const writes[] = {
        "INSERT INTO customers(app_id, plan, created_at, updated_at) VALUES (1, ?1, 0, 0)",
        "INSERT INTO conversations(app_id, customer_id, channel, status, lane, created_at,"
        " updated_at) VALUES (1, 1, ?1, ?2, ?3, 0, 0)",
        "UPDATE conversations SET status = ?2, lane = ?3 WHERE id = ?1",
        "INSERT INTO messages(conversation_id, author, body, created_at) VALUES (1, ?1, 'x', 0)",
        "INSERT INTO decisions(conversation_id, message_id, lane, confidence, out_of_scope,"
        " priority, reasons, signals, draft_status, created_at)"
        " VALUES (1, 1, 'assist', 0.5, 0, 2, '[]', '{}', ?1, 0)",
        "UPDATE articles SET plan_required = ?1 WHERE id = 1",
        NULL};
    for (int i = 0; writes[i]; i++) {
        int n = ephemeral_tables(writes[i]);
        if (n != 0)
            fprintf(stderr, "    %d temporary b-trees in: %s\n", n, writes[i]);
        PW_CHECK_INT(n, 0);
    }
}

/* Each enumerated column takes its values and nothing else. */
static void checks_still_reject_unknown_values(void) {
    PW_CHECK_INT(run("INSERT INTO apps(app_key, name, created_at) VALUES ('k', 'K', 0)"),
                 SQLITE_OK);
    PW_CHECK_INT(run("INSERT INTO customers(app_id, plan, created_at, updated_at)"
                     " VALUES (1, 'gold', 0, 0)"),
                 SQLITE_CONSTRAINT);
    PW_CHECK_INT(run("INSERT INTO customers(app_id, plan, created_at, updated_at)"
                     " VALUES (1, 'enterprise', 0, 0)"),
                 SQLITE_OK);
    static const char conv[] = "INSERT INTO conversations(app_id, customer_id, channel, status,"
                               " lane, created_at, updated_at) VALUES (1, 1, %s, 0, 0)";
    static const char *const values[] = {"'fax', 'bot', 'resolve'", "'api', 'lost', 'resolve'",
                                         "'api', 'bot', 'maybe'", "'api', 'bot', 'resolve'"};
    for (int i = 0; i < 4; i++) {
        char sql[512];
        snprintf(sql, sizeof sql, conv, values[i]);
        PW_CHECK_INT(run(sql), i < 3 ? SQLITE_CONSTRAINT : SQLITE_OK);
    }
    PW_CHECK_INT(run("INSERT INTO messages(conversation_id, author, body, created_at)"
                     " VALUES (1, 'robot', 'x', 0)"),
                 SQLITE_CONSTRAINT);
    PW_CHECK_INT(run("INSERT INTO messages(conversation_id, author, body, created_at)"
                     " VALUES (1, 'system', 'x', 0)"),
                 SQLITE_OK);
    static const char decision[] =
        "INSERT INTO decisions(conversation_id, message_id, lane, confidence, out_of_scope,"
        " priority, reasons, signals, draft_status, created_at)"
        " VALUES (1, 1, 'assist', 0.5, 0, 2, '[]', '{}', %s, 0)";
    char sql[512];
    snprintf(sql, sizeof sql, decision, "'lost'");
    PW_CHECK_INT(run(sql), SQLITE_CONSTRAINT);
    snprintf(sql, sizeof sql, decision, "NULL");
    PW_CHECK_INT(run(sql), SQLITE_OK);
    PW_CHECK_INT(run("INSERT INTO articles(slug, title, body, plan_required, created_at,"
                     " updated_at) VALUES ('a', 'A', 'B', 'platinum', 0, 0)"),
                 SQLITE_CONSTRAINT);
}

int main(void) {
    char dir[64], path[128], err[256];
    if (pw_test_dir_make("pw_schema_test", dir, sizeof dir, "pagewise.db", path, sizeof path))
        return 1;
    pw_db_setup();
    db = pw_db_open(path, err, sizeof err);
    if (!db) {
        fprintf(stderr, "cannot open the store: %s\n", err);
        return 1;
    }
    PW_RUN(migrates_to_the_latest_version);
    PW_RUN(writes_build_no_temporary_btree);
    PW_RUN(checks_still_reject_unknown_values);
    pw_db_close(db);
    pw_test_dir_remove(dir);
    return pw_test_exit_code();
}
