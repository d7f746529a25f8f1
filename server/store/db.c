/* SQLite setup and migrations. Migrations are append-only SQL in this file: a released
 * migration is never edited, a change is a new one, and user_version records how far a file got.
 * SPDX-License-Identifier: MIT */
#include "db.h"

#include <stdio.h>

static const char *const migrations[] = {
    /* 1: instance metadata (creation time, later the generated admin token's hash). */
    "CREATE TABLE meta ("
    "  key   TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL"
    ") STRICT;"
    "INSERT INTO meta(key, value) VALUES ('created_at', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));",

    /* 2: support. Times are integer milliseconds since the epoch; JSON columns hold what the
     * API takes and returns verbatim (page context, attributes, reasons). */
    "CREATE TABLE apps ("
    "  id              INTEGER PRIMARY KEY,"
    "  app_key         TEXT NOT NULL UNIQUE,"
    "  name            TEXT NOT NULL,"
    "  allowed_origins TEXT NOT NULL DEFAULT '[]',"
    "  identity_secret TEXT,"
    "  created_at      INTEGER NOT NULL"
    ") STRICT;"
    "CREATE TABLE agents ("
    "  id         INTEGER PRIMARY KEY,"
    "  name       TEXT NOT NULL,"
    "  email      TEXT NOT NULL UNIQUE,"
    "  role       TEXT NOT NULL CHECK (role IN ('admin', 'agent')),"
    "  token_hash TEXT NOT NULL UNIQUE,"
    "  created_at INTEGER NOT NULL"
    ") STRICT;"
    "CREATE TABLE customers ("
    "  id            INTEGER PRIMARY KEY,"
    "  app_id        INTEGER NOT NULL REFERENCES apps(id),"
    "  external_id   TEXT,"
    "  email         TEXT,"
    "  name          TEXT,"
    "  plan          TEXT NOT NULL DEFAULT 'free'"
    "                CHECK (plan IN ('free', 'starter', 'pro', 'enterprise')),"
    "  flags         INTEGER NOT NULL DEFAULT 0,"
    "  verified      INTEGER NOT NULL DEFAULT 0,"
    "  attributes    TEXT NOT NULL DEFAULT '{}',"
    "  created_at    INTEGER NOT NULL,"
    "  updated_at    INTEGER NOT NULL"
    ") STRICT;"
    "CREATE UNIQUE INDEX customers_external ON customers(app_id, external_id)"
    "  WHERE external_id IS NOT NULL;"
    "CREATE UNIQUE INDEX customers_email ON customers(app_id, email)"
    "  WHERE external_id IS NULL AND email IS NOT NULL;"
    "CREATE TABLE conversations ("
    "  id              INTEGER PRIMARY KEY,"
    "  app_id          INTEGER NOT NULL REFERENCES apps(id),"
    "  customer_id     INTEGER NOT NULL REFERENCES customers(id),"
    "  channel         TEXT NOT NULL CHECK (channel IN ('widget', 'portal', 'email', 'api')),"
    "  visitor         TEXT,"
    "  subject         TEXT,"
    "  status          TEXT NOT NULL CHECK (status IN ('bot', 'open', 'resolved')),"
    "  lane            TEXT NOT NULL CHECK (lane IN ('resolve', 'assist', 'escalate')),"
    "  intent          TEXT,"
    "  confidence      REAL NOT NULL DEFAULT 0,"
    "  priority        INTEGER NOT NULL DEFAULT 3,"
    "  sla_due_at      INTEGER,"
    "  assignee_id     INTEGER REFERENCES agents(id),"
    "  page            TEXT,"
    "  resolved_by     TEXT CHECK (resolved_by IN ('ai', 'agent')),"
    "  resolution_category TEXT,"
    "  resolution_article_id INTEGER,"
    "  created_at      INTEGER NOT NULL,"
    "  updated_at      INTEGER NOT NULL,"
    "  resolved_at     INTEGER"
    ") STRICT;"
    /* The inbox order: priority, then those still waiting for a first answer by SLA due time,
     * then those an agent already answered (no due time). */
    "CREATE INDEX conversations_inbox ON conversations(priority, sla_due_at IS NULL, sla_due_at, "
    "id)"
    "  WHERE status = 'open';"
    "CREATE INDEX conversations_customer ON conversations(customer_id, id);"
    "CREATE INDEX conversations_updated ON conversations(updated_at, id);"
    "CREATE TABLE messages ("
    "  id              INTEGER PRIMARY KEY,"
    "  conversation_id INTEGER NOT NULL REFERENCES conversations(id),"
    "  author          TEXT NOT NULL CHECK (author IN ('customer', 'ai', 'agent', 'system')),"
    "  agent_id        INTEGER REFERENCES agents(id),"
    "  article_id      INTEGER,"
    "  body            TEXT NOT NULL,"
    "  page            TEXT,"
    "  client_id       TEXT,"
    "  created_at      INTEGER NOT NULL"
    ") STRICT;"
    "CREATE INDEX messages_conversation ON messages(conversation_id, id);"
    "CREATE UNIQUE INDEX messages_client ON messages(client_id) WHERE client_id IS NOT NULL;"
    "CREATE TABLE decisions ("
    "  id              INTEGER PRIMARY KEY,"
    "  conversation_id INTEGER NOT NULL REFERENCES conversations(id),"
    "  message_id      INTEGER NOT NULL UNIQUE REFERENCES messages(id),"
    "  lane            TEXT NOT NULL,"
    "  intent          TEXT,"
    "  confidence      REAL NOT NULL,"
    "  out_of_scope    INTEGER NOT NULL,"
    "  priority        INTEGER NOT NULL,"
    "  reasons         TEXT NOT NULL,"
    "  signals         TEXT NOT NULL,"
    "  article_id      INTEGER,"
    "  draft           TEXT,"
    "  draft_status    TEXT CHECK (draft_status IN ('pending', 'approved', 'edited', 'discarded')),"
    "  created_at      INTEGER NOT NULL"
    ") STRICT;"
    "CREATE INDEX decisions_conversation ON decisions(conversation_id, id);"
    "CREATE TABLE events ("
    "  id              INTEGER PRIMARY KEY,"
    "  conversation_id INTEGER NOT NULL REFERENCES conversations(id),"
    "  kind            TEXT NOT NULL,"
    "  route           TEXT,"
    "  detail          TEXT,"
    "  at              INTEGER NOT NULL"
    ") STRICT;"
    "CREATE INDEX events_conversation ON events(conversation_id, at);"
    "CREATE TABLE csat ("
    "  conversation_id INTEGER PRIMARY KEY REFERENCES conversations(id),"
    "  score           INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),"
    "  comment         TEXT,"
    "  resolved_by     TEXT NOT NULL,"
    "  created_at      INTEGER NOT NULL"
    ") STRICT;"
    /* AUTOINCREMENT: a deleted article's id is never reused, since messages and decisions keep
     * pointing at the article they were answered from. */
    "CREATE TABLE articles ("
    "  id            INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  slug          TEXT NOT NULL UNIQUE,"
    "  title         TEXT NOT NULL,"
    "  body          TEXT NOT NULL,"
    "  intents       TEXT NOT NULL DEFAULT '[]',"
    "  feature       TEXT,"
    "  plan_required TEXT CHECK (plan_required IN ('free', 'starter', 'pro', 'enterprise')),"
    "  plan_note     TEXT,"
    "  internal_note TEXT,"
    "  human_only    INTEGER NOT NULL DEFAULT 0,"
    "  published     INTEGER NOT NULL DEFAULT 1,"
    "  created_at    INTEGER NOT NULL,"
    "  updated_at    INTEGER NOT NULL"
    ") STRICT;"
    "CREATE TABLE article_variants ("
    "  id         INTEGER PRIMARY KEY,"
    "  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
    "  route      TEXT,"
    "  page_id    TEXT,"
    "  steps      TEXT NOT NULL"
    ") STRICT;"
    "CREATE INDEX article_variants_article ON article_variants(article_id);"
    "CREATE TABLE article_intents ("
    "  intent     TEXT NOT NULL,"
    "  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
    "  PRIMARY KEY (intent, article_id)"
    ") STRICT, WITHOUT ROWID;"
    /* The full-text index mirrors title and body through triggers (external content). */
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='articles',"
    "  content_rowid='id', tokenize='porter unicode61 remove_diacritics 2');"
    "CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN"
    "  INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);"
    "END;"
    "CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN"
    "  INSERT INTO articles_fts(articles_fts, rowid, title, body)"
    "    VALUES ('delete', old.id, old.title, old.body);"
    "END;"
    "CREATE TRIGGER articles_au AFTER UPDATE OF title, body ON articles BEGIN"
    "  INSERT INTO articles_fts(articles_fts, rowid, title, body)"
    "    VALUES ('delete', old.id, old.title, old.body);"
    "  INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);"
    "END;",

    /* 3: retrieval moved to an index in the server's memory (kb/index.c), built at start and
     * after each article write: the full-text table and the triggers that fed it go. */
    "DROP TRIGGER articles_ai;"
    "DROP TRIGGER articles_ad;"
    "DROP TRIGGER articles_au;"
    "DROP TABLE articles_fts;",

    /* 4: a customer message knows its customer, so their recent messages (what "again" and
     * "still" refer to) are one walk down an index, however long their conversations are;
     * before, every message of their last 8 conversations was read and sorted. No REFERENCES:
     * it copies conversations.customer_id, which is checked already. */
    "ALTER TABLE messages ADD COLUMN customer_id INTEGER;"
    "UPDATE messages SET customer_id = (SELECT customer_id FROM conversations v"
    "  WHERE v.id = messages.conversation_id) WHERE author = 'customer';"
    "CREATE INDEX messages_customer ON messages(customer_id, id) WHERE author = 'customer';",

    /* 5: CHECK (x IN ('a', 'b', 'c')) made SQLite 3.40 build a temporary b-tree of the list on
     * every insert and update of the column: seven per widget message, a fifth of its
     * instructions. The same checks as x = 'a' OR x = 'b' OR x = 'c' cost a few comparisons.
     * A CHECK is not part of the file format, so SQLite documents editing the stored CREATE
     * TABLE text for it (writable_schema); the DDL after the edit moves the schema cookie on,
     * so every connection opened later parses the new text. */
    "PRAGMA writable_schema = ON;"
    "UPDATE sqlite_schema SET sql = replace(sql,"
    "  'plan IN (''free'', ''starter'', ''pro'', ''enterprise'')',"
    "  'plan = ''free'' OR plan = ''starter'' OR plan = ''pro'' OR plan = ''enterprise''')"
    " WHERE type = 'table' AND name = 'customers';"
    "UPDATE sqlite_schema SET sql = replace(replace(replace(sql,"
    "  'channel IN (''widget'', ''portal'', ''email'', ''api'')',"
    "  'channel = ''widget'' OR channel = ''portal'' OR channel = ''email'' OR channel = ''api'''),"
    "  'status IN (''bot'', ''open'', ''resolved'')',"
    "  'status = ''bot'' OR status = ''open'' OR status = ''resolved'''),"
    "  'lane IN (''resolve'', ''assist'', ''escalate'')',"
    "  'lane = ''resolve'' OR lane = ''assist'' OR lane = ''escalate''')"
    " WHERE type = 'table' AND name = 'conversations';"
    "UPDATE sqlite_schema SET sql = replace(sql,"
    "  'author IN (''customer'', ''ai'', ''agent'', ''system'')',"
    "  'author = ''customer'' OR author = ''ai'' OR author = ''agent'' OR author = ''system''')"
    " WHERE type = 'table' AND name = 'messages';"
    "UPDATE sqlite_schema SET sql = replace(sql,"
    "  'draft_status IN (''pending'', ''approved'', ''edited'', ''discarded'')',"
    "  'draft_status = ''pending'' OR draft_status = ''approved'' OR draft_status = ''edited'' OR "
    "draft_status = ''discarded''')"
    " WHERE type = 'table' AND name = 'decisions';"
    "UPDATE sqlite_schema SET sql = replace(sql,"
    "  'plan_required IN (''free'', ''starter'', ''pro'', ''enterprise'')',"
    "  'plan_required = ''free'' OR plan_required = ''starter'' OR plan_required = ''pro'' OR "
    "plan_required = ''enterprise''')"
    " WHERE type = 'table' AND name = 'articles';"
    "PRAGMA writable_schema = OFF;"
    "CREATE TABLE schema_bump(x);"
    "DROP TABLE schema_bump;",

    /* 6: a TicketSummary's preview (the latest message that is not a system notice, cut to 160
     * characters) is kept on its conversation, so a list of summaries reads one row each:
     * looking it up per row read an index and up to two messages (8% of a new ticket's CPU with
     * its customer's history, most of an inbox page). The two writes that insert messages set
     * it in the conversation UPDATE or INSERT they make anyway (store/support.c for the
     * pipeline, store/actions.c for agents); a trigger did the same for 9% more instructions a
     * widget message. tests/api/tickets.test.mjs checks every preview against the messages. */
    "ALTER TABLE conversations ADD COLUMN preview_author TEXT;"
    "ALTER TABLE conversations ADD COLUMN preview_text TEXT;"
    "UPDATE conversations SET (preview_author, preview_text) = (SELECT m.author,"
    "  substr(m.body, 1, 160) FROM messages m WHERE m.conversation_id = conversations.id"
    "  AND m.author != 'system' ORDER BY m.id DESC LIMIT 1);",

    /* 7: no query reads conversations in updated_at order (lists go by id, the inbox by its own
     * index), yet the writer kept this index on every new conversation and every message in an
     * old one, since each moves updated_at: a random-leaf b-tree write in its serial path. */
    "DROP INDEX conversations_updated;",

    /* 8: a decision is found through its message (the UNIQUE message_id, whose entries the
     * writer appends at the end), so the conversation's decisions are its messages' decisions,
     * read down messages_conversation: this index cost a random-leaf write for every follow-up
     * message, a fifth of the WAL each one wrote (tests/bench/README.md). */
    "DROP INDEX decisions_conversation;",

    /* 9: a customer's latest messages are read through their conversations (store/support.c,
     * only when the pipeline's memory misses them), not down an index of every customer message
     * by customer, written at a random leaf for each message. messages.customer_id stays and is
     * still set: a message names its customer for whoever reads the store. */
    "DROP INDEX messages_customer;",
};

int pw_db_schema_version(void) {
    return (int)(sizeof migrations / sizeof migrations[0]);
}

int pw_db_current_version(sqlite3 *db) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return -1;
    int v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

static int exec(sqlite3 *db, const char *sql, char *err, size_t err_cap) {
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return 0;
    snprintf(err, err_cap, "%s", msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    return -1;
}

/* Migration `v` (to version v + 1) and its version bump commit together, so a crash
 * mid-migration leaves the file at the previous version, never half-migrated. */
static int migrate_step(sqlite3 *db, int v, char *err, size_t err_cap) {
    char bump[64];
    snprintf(bump, sizeof bump, "PRAGMA user_version = %d;", v + 1);
    if (exec(db, "BEGIN IMMEDIATE;", err, err_cap) || exec(db, migrations[v], err, err_cap) ||
        exec(db, bump, err, err_cap) || exec(db, "COMMIT;", err, err_cap)) {
        sqlite3_exec(db, "ROLLBACK;", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

#define PAGE_BYTES      4096 /* SQLite's default page size, which the store keeps */
#define PAGES_PER_CACHE 128  /* page-cache lines each connection allocates in one block */

void pw_db_setup(void) {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    /* A writer job's sub-journal (writer.c) stays in memory up to 1 MiB, taken in one block.
     * temp_store=MEMORY kept it in memory too, but in 1 KiB blocks: about 50 mallocs and frees
     * for each ticket, 5% of its instructions. */
    sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 1 << 20);
    /* In WAL mode a reader empties its page cache whenever another connection has committed
     * since its last transaction, so under load every request reads its pages again. Taken from
     * a block each connection allocates once, those pages stop being a malloc and a free each
     * (by default only the first 20 are; a request reads about 30). 128 lines of the 65
     * connections are about 35 MB. */
    int header = 0;
    if (sqlite3_config(SQLITE_CONFIG_PCACHE_HDRSZ, &header) == SQLITE_OK)
        sqlite3_config(SQLITE_CONFIG_PAGECACHE, NULL, PAGE_BYTES + header, PAGES_PER_CACHE);
}

static sqlite3 *open_configured(const char *path, char *err, size_t err_cap) {
    sqlite3 *db = NULL;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        snprintf(err, err_cap, "cannot open %s: %s", path, db ? sqlite3_errmsg(db) : "no memory");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 5000);
    if (exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", err,
             err_cap)) {
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

sqlite3 *pw_db_open(const char *path, char *err, size_t err_cap) {
    sqlite3 *db = open_configured(path, err, err_cap);
    int current = db ? pw_db_current_version(db) : -1;
    if (db && (current < 0 || current > pw_db_schema_version())) {
        snprintf(err, err_cap, "database schema version %d is newer than this binary (%d)", current,
                 pw_db_schema_version());
        sqlite3_close(db);
        return NULL;
    }
    /* A migration may edit stored table definitions (5 did), which the connection that ran it
     * keeps parsed as they were; a later ALTER TABLE on that connection would then edit the new
     * text at the old offsets. So each migration, and the caller, get a fresh connection. */
    for (int v = current; db && v < pw_db_schema_version(); v++) {
        int failed = migrate_step(db, v, err, err_cap);
        sqlite3_close(db);
        db = failed ? NULL : open_configured(path, err, err_cap);
    }
    return db;
}

void pw_db_close(sqlite3 *db) {
    sqlite3_close(db);
}
