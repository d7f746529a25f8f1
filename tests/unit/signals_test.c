/* The signal scanner through its public header: sentiment and negation, intensity, urgency,
 * repeat contact, repeated questions, high-stakes keywords (default and configured, in other
 * languages), entities with exact byte ranges, bad configurations and arguments, limits, and
 * out-of-memory behaviour of the constructor. Each tricky case we chose is a test here.
 * SPDX-License-Identifier: MIT */
#include "pw/signals.h"
#include "pw/status.h"
#include "pw/text.h"
#include "pw_test.h"
#include "pw_test_alloc.h"

#include <stdlib.h>

static pw_signal_scanner *defaults; /* built in main with the default configuration */

static pw_signals scan_with(pw_signal_scanner *s, const char *text) {
    pw_signals g;
    memset(&g, 0, sizeof g);
    PW_CHECK_INT(pw_signals_scan(s, text, strlen(text), NULL, NULL, 0, &g), PW_OK);
    return g;
}

static pw_signals scan(const char *text) {
    return scan_with(defaults, text);
}

/* Does `g` hold evidence of `kind` covering exactly `expected` in the normalised `text`? */
static int has_evidence(const pw_signals *g, const char *text, pw_evidence_kind kind,
                        const char *expected) {
    char norm[2048];
    size_t n = 0;
    if (pw_text_normalize(text, strlen(text), norm, sizeof norm, &n) != PW_OK)
        return 0;
    for (uint32_t i = 0; i < g->evidence_count; i++) {
        const pw_evidence *e = &g->evidence[i];
        if (e->kind == kind && e->len == strlen(expected) &&
            memcmp(norm + e->start, expected, e->len) == 0)
            return 1;
    }
    return 0;
}

static uint32_t count_kind(const pw_signals *g, pw_evidence_kind kind) {
    uint32_t n = 0;
    for (uint32_t i = 0; i < g->evidence_count; i++)
        n += g->evidence[i].kind == kind;
    return n;
}

static int is_neutral(const pw_signals *g) {
    return g->sentiment == 0.5 && g->frustration == 0.0 && g->urgency == 0.0 &&
           !g->repeat_contact && !g->repeated_question && !g->high_stakes && g->evidence_count == 0;
}

static void neutral_text_is_neutral(void) {
    static const char *const texts[] = {
        "How do I export my invoices to CSV?",
        "Hi, I'd like to change the billing email on my account.",
        "Where can I find the API docs for webhooks?",
        "",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        pw_signals g = scan(texts[i]);
        PW_CHECK(is_neutral(&g));
        PW_CHECK_INT(g.entity_count, 0);
    }
}

static void negation_turns_praise_and_works_negative(void) {
    static const char *const cases[][2] = {
        {"I'm not happy with this", "not happy"},
        {"I am not very happy", "not very happy"},
        {"The export isn't working", "isn't working"},
        {"the export isnt working", "isnt working"},
        {"It doesn't work on Safari", "doesn't work"},
        {"Sync not working since Monday", "not working"},
        {"the widget stopped working", "stopped working"},
        {"Your article didn't help", "didn't help"},
        {"The page won't load", "won't load"},
        {"The invoice email never arrived", "never arrived"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pw_signals g = scan(cases[i][0]);
        PW_CHECK(has_evidence(&g, cases[i][0], PW_EVIDENCE_NEGATIVE, cases[i][1]));
        PW_CHECK(g.sentiment < 0.5 && g.frustration > 0.0);
        PW_CHECK_INT(count_kind(&g, PW_EVIDENCE_POSITIVE), 0);
    }
}

static void negation_damps_a_complaint(void) {
    pw_signals g = scan("Not bad at all");
    PW_CHECK(has_evidence(&g, "Not bad at all", PW_EVIDENCE_POSITIVE, "not bad"));
    PW_CHECK_INT(count_kind(&g, PW_EVIDENCE_NEGATIVE), 0);
    PW_CHECK(g.sentiment > 0.5 && g.frustration == 0.0);
    g = scan("the app is not broken, I just need a hint");
    PW_CHECK(g.frustration == 0.0);
}

/* "never been so X" is emphasis, not negation; "not so great" is still negation. */
static void never_so_stays_negative(void) {
    const char *text = "I have never been so disappointed";
    pw_signals g = scan(text);
    PW_CHECK(has_evidence(&g, text, PW_EVIDENCE_NEGATIVE, "disappointed"));
    PW_CHECK(g.sentiment < 0.5);
    g = scan("The new editor is not so great");
    PW_CHECK(
        has_evidence(&g, "The new editor is not so great", PW_EVIDENCE_NEGATIVE, "not so great"));
}

static void negation_stops_at_the_clause(void) {
    const char *text = "Not sure why, but your support was great";
    pw_signals g = scan(text);
    PW_CHECK(has_evidence(&g, text, PW_EVIDENCE_POSITIVE, "great"));
    PW_CHECK_INT(count_kind(&g, PW_EVIDENCE_NEGATIVE), 0);
    g = scan("No. Great job on the release");
    PW_CHECK(g.sentiment > 0.5);
    /* Too far away: three words between. */
    g = scan("I do not know if the team is happy");
    PW_CHECK(g.sentiment > 0.5);
}

static void set_phrases_are_not_negations(void) {
    PW_CHECK(scan("I can't thank you enough").sentiment > 0.5);
    PW_CHECK(scan("Couldn't be happier with the new plan").sentiment > 0.5);
    pw_signals g = scan("No problem, no worries");
    PW_CHECK(is_neutral(&g));
    PW_CHECK(scan("I can't wait to try the new dashboard").frustration == 0.0);
    PW_CHECK(scan("Thanks for nothing").sentiment < 0.5);
}

static void anger_without_sarcasm(void) {
    const char *text = "This is the worst support I have ever had. Completely useless.";
    pw_signals g = scan(text);
    PW_CHECK(g.frustration > 0.8);
    PW_CHECK(g.sentiment < 0.15);
    PW_CHECK(has_evidence(&g, text, PW_EVIDENCE_NEGATIVE, "worst"));
    PW_CHECK(has_evidence(&g, text, PW_EVIDENCE_NEGATIVE, "useless"));
}

static void politeness_does_not_mask_anger(void) {
    pw_signals rude = scan("this is useless and broken!!!");
    pw_signals polite = scan("Thank you so much, great team, but this is useless and broken!!!");
    PW_CHECK(polite.frustration == rude.frustration);
    PW_CHECK(polite.frustration > 0.8);
    PW_CHECK(polite.sentiment > rude.sentiment && polite.sentiment < 0.5);
}

static void caps_are_read_in_the_original_text(void) {
    const char *text = "THIS IS BROKEN again";
    pw_signals shouted = scan(text), calm = scan("this is broken again");
    PW_CHECK(shouted.frustration > calm.frustration);
    PW_CHECK(has_evidence(&shouted, text, PW_EVIDENCE_INTENSITY, "this"));
    PW_CHECK(has_evidence(&shouted, text, PW_EVIDENCE_INTENSITY, "broken"));
    PW_CHECK_INT(count_kind(&shouted, PW_EVIDENCE_INTENSITY), 2); /* "IS" is two letters */
    /* Acronyms, ids, currency codes and URLs are not shouting. */
    pw_signals g = scan("Export to CSV via the API for ORD-48213, 49 EUR, HTTPS://EXAMPLE.COM");
    PW_CHECK_INT(count_kind(&g, PW_EVIDENCE_INTENSITY), 0);
    /* Capitals beyond ASCII, and offsets that move when normalisation shortens or lengthens. */
    g = scan("Der ÄRGER mit der Datei");
    PW_CHECK(has_evidence(&g, "Der ÄRGER mit der Datei", PW_EVIDENCE_INTENSITY, "arger"));
    g = scan("STRAẞE\xE2\x80\x8B and ÇA VA MAL");
    PW_CHECK(has_evidence(&g, "STRAẞE\xE2\x80\x8B and ÇA VA MAL", PW_EVIDENCE_INTENSITY, "mal"));
}

static void repeated_punctuation_counts_runs(void) {
    pw_signals g = scan("Why??");
    PW_CHECK(has_evidence(&g, "Why??", PW_EVIDENCE_INTENSITY, "??"));
    PW_CHECK(g.frustration > 0.0);
    PW_CHECK(scan("Why? How?").frustration == 0.0);
    PW_CHECK(scan("Hello!").frustration == 0.0);
    g = scan("what?! !!");
    PW_CHECK(has_evidence(&g, "what?! !!", PW_EVIDENCE_INTENSITY, "?! !!"));
    PW_CHECK(scan("Why!!!").frustration > scan("Why!!").frustration);
}

static void profanity_plain_and_masked(void) {
    static const char *const cases[][2] = {
        {"wtf is going on", "wtf"},         {"damn it", "damn"},
        {"this f*ck up", "f*ck"},           {"what a sh!t show", "sh!t"},
        {"f**king useless", "f**king"},     {"#$%@ this app", "#$%@"},
        {"what the hell happened", "hell"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pw_signals g = scan(cases[i][0]);
        PW_CHECK(has_evidence(&g, cases[i][0], PW_EVIDENCE_INTENSITY, cases[i][1]));
        PW_CHECK(g.frustration > 0.5 && g.sentiment < 0.5);
    }
    /* Look-alikes: words that contain a swear word, and stars that are not masking one. */
    static const char *const clean[] = {"hello shell class", "*** note ***", "price: $$$",
                                        "Scunthorpe assessment"};
    for (size_t i = 0; i < sizeof clean / sizeof clean[0]; i++)
        PW_CHECK(scan(clean[i]).frustration == 0.0);
}

/* Each cue added to a message may only raise frustration. */
static void frustration_is_monotone(void) {
    static const char *const steps[] = {
        "the export",
        "the export is slow",
        "the export is slow and broken",
        "the export is slow and broken!!",
        "the export is slow and BROKEN!!",
        "the export is slow and BROKEN!! wtf",
        "the export is slow and BROKEN!! wtf, useless",
        "thanks, the export is slow and BROKEN!! wtf, useless",
    };
    double last = -1.0;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        double f = scan(steps[i]).frustration;
        PW_CHECK(f >= last && f < 1.0);
        last = f;
    }
}

static void urgency_words_blocking_and_deadlines(void) {
    static const char *const cases[][2] = {
        {"URGENT: please call me", "urgent"},
        {"Need this fixed asap", "asap"},
        {"I can't log in to my account", "can't log in"},
        {"We cannot access the dashboard", "cannot access"},
        {"I'm locked out", "locked out"},
        {"production is down", "production is down"},
        {"Our site is down", "site is down"},
        {"This affects all users", "all users"},
        {"Is there an outage?", "outage"},
        {"We need it by tomorrow", "by tomorrow"},
        {"I need the invoice before Friday", "before friday"},
        {"The demo starts in 2 hours", "in 2 hours"},
        {"Our deadline is close", "deadline"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pw_signals g = scan(cases[i][0]);
        PW_CHECK(has_evidence(&g, cases[i][0], PW_EVIDENCE_URGENCY, cases[i][1]));
        PW_CHECK(g.urgency > 0.4);
    }
    PW_CHECK(scan("Not urgent, whenever you can").urgency == 0.0);
    PW_CHECK(scan("no rush on this one").urgency == 0.0);
    PW_CHECK(scan("urgent asap, production is down").urgency > scan("urgent").urgency);
    /* A weak cue we accept: "today" in a plain report still counts a little. */
    double today = scan("I signed up today").urgency;
    PW_CHECK(today > 0.0 && today < 0.4);
}

static void repeat_contact_wording(void) {
    static const char *const cases[][2] = {
        {"This is the third time I write", "third time"},
        {"3rd time asking", "3rd time"},
        {"As I said, the export fails", "as i said"},
        {"I already told you my order number", "already told"},
        {"Still waiting for an answer", "still waiting"},
        {"yet another outage", "yet another"},
        {"No one replied to my ticket", "no one replied"},
        {"Why do I keep having to explain this", "keep having to"},
        {"The sync is still not working", "still"},
        {"The app crashed again", "again"},
        {"I still have the same problem", "still"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pw_signals g = scan(cases[i][0]);
        PW_CHECK_INT(g.repeat_contact, 1);
        PW_CHECK(has_evidence(&g, cases[i][0], PW_EVIDENCE_REPEAT, cases[i][1]));
    }
}

/* "still" and "again" alone are everyday words; only trouble nearby makes them repeat contact. */
static void still_in_a_plain_question_is_not_repeat(void) {
    static const char *const texts[] = {
        "Can I still use the old dashboard after the upgrade?",
        "Is the legacy API still supported?", "Please show me again how to add a user",
        "It was broken last week. Can I still export?", /* the trouble is in another sentence */
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        PW_CHECK_INT(scan(texts[i]).repeat_contact, 0);
    /* A false positive we accept: a negator next to "still" reads as trouble. */
    PW_CHECK_INT(scan("I still can't believe how good this is").repeat_contact, 1);
}

/* Scans text against the history both ways, as texts and as the word sets a server keeps
 * (pw_signals_word_set, pw_signals_scan_sets): every signal must come out the same. */
static int repeated(const char *text, const char *const *history, size_t count) {
    size_t lens[20] = {0};
    uint32_t words[20][64];
    pw_word_set sets[20];
    for (size_t i = 0; i < count; i++) {
        lens[i] = strlen(history[i]);
        pw_word_set w = {NULL, 0};
        PW_CHECK_INT(pw_signals_word_set(defaults, history[i], lens[i], &w), PW_OK);
        PW_CHECK(w.count <= 64);
        memcpy(words[i], w.words, (w.count <= 64 ? w.count : 64) * sizeof(uint32_t));
        sets[i] = (pw_word_set){words[i], w.count <= 64 ? w.count : 64};
    }
    pw_signals g, from_sets;
    PW_CHECK_INT(pw_signals_scan(defaults, text, strlen(text), history, lens, count, &g), PW_OK);
    pw_word_set own = {NULL, 0};
    PW_CHECK_INT(pw_signals_scan_sets(defaults, text, strlen(text), count ? sets : NULL, count,
                                      &from_sets, &own),
                 PW_OK);
    PW_CHECK(memcmp(&g, &from_sets, sizeof g) == 0);
    /* The message's own set, handed out by the scan, is the one pw_signals_word_set makes. */
    uint32_t kept[64];
    size_t kept_count = own.count <= 64 ? own.count : 64;
    memcpy(kept, own.words, kept_count * sizeof *kept);
    pw_word_set made = {NULL, 0};
    PW_CHECK_INT(pw_signals_word_set(defaults, text, strlen(text), &made), PW_OK);
    PW_CHECK_MEM(kept, kept_count * sizeof *kept, made.words, made.count * sizeof *made.words);
    return g.repeated_question;
}

static void repeated_question_against_history(void) {
    const char *history[] = {"Hello!", "How can I export my project reports to Excel?",
                             "Thanks for the quick answer."};
    PW_CHECK_INT(repeated("how can I export the project reports to excel??", history, 3), 1);
    PW_CHECK_INT(repeated("EXPORT my PROJECT REPORTS to EXCEL please", history, 3), 1);
    PW_CHECK_INT(repeated("How can I delete a project?", history, 3), 0);
    PW_CHECK_INT(repeated("how can I export the project reports to excel", NULL, 0), 0);
    /* Two shared content words are not enough, however similar. */
    const char *short_history[] = {"reset password"};
    PW_CHECK_INT(repeated("Reset password?", short_history, 1), 0);
    /* Only the last PW_SIGNALS_MAX_HISTORY messages are read. */
    const char *long_history[PW_SIGNALS_MAX_HISTORY + 1];
    for (size_t i = 0; i <= PW_SIGNALS_MAX_HISTORY; i++)
        long_history[i] = "ok";
    long_history[0] = history[1];
    PW_CHECK_INT(repeated(history[1], long_history, PW_SIGNALS_MAX_HISTORY + 1), 0);
    long_history[1] = history[1];
    PW_CHECK_INT(repeated(history[1], long_history, PW_SIGNALS_MAX_HISTORY + 1), 1);
}

/* Issue 4's tricky case: the signal reports the keyword; the policy weighs it. */
static void refund_in_a_howto_question_is_reported(void) {
    const char *text = "How do I configure refund settings for my customers?";
    pw_signals g = scan(text);
    PW_CHECK_INT(g.high_stakes, PW_STAKES_REFUND);
    PW_CHECK_INT(g.evidence_count, 1);
    PW_CHECK_INT(g.evidence[0].kind, PW_EVIDENCE_STAKES);
    PW_CHECK_INT(g.evidence[0].start, 19);
    PW_CHECK_INT(g.evidence[0].len, 6);
    PW_CHECK(g.frustration == 0.0 && g.sentiment == 0.5);
}

static void default_keywords_match_whole_words(void) {
    static const struct {
        const char *text, *evidence;
        uint32_t stakes;
    } cases[] = {
        {"I want to cancel my subscription", "cancel my subscription", PW_STAKES_CANCEL},
        {"Cancellation request", "cancellation", PW_STAKES_CANCEL},
        {"Is the annual plan refundable?", "refundable", PW_STAKES_REFUND},
        {"I want my money back", "money back", PW_STAKES_REFUND},
        {"I will file a chargeback", "chargeback", PW_STAKES_CHARGEBACK},
        {"My lawyer will hear about this", "lawyer", PW_STAKES_LEGAL},
        {"GDPR: please delete my data", "delete my data", PW_STAKES_PRIVACY},
        {"My account was hacked", "hacked", PW_STAKES_SECURITY},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pw_signals g = scan(cases[i].text);
        PW_CHECK(g.high_stakes & cases[i].stakes);
        PW_CHECK(has_evidence(&g, cases[i].text, PW_EVIDENCE_STAKES, cases[i].evidence));
    }
    /* Whole words: "sue" is not inside "issue", "court" not inside "courtesy". */
    PW_CHECK_INT(scan("There is an issue, thanks for the courtesy call").high_stakes, 0);
    /* A URL is one token: a keyword inside it is not the customer's word. */
    PW_CHECK_INT(scan("see https://example.com/refund-policy").high_stakes, 0);
}

static void configured_keywords_in_any_script(void) {
    const pw_stakes_keyword keywords[] = {
        {"Remboursement", 13, PW_STAKES_REFUND}, {"Kündigung", 10, PW_STAKES_CANCEL},
        {"возврат", 14, PW_STAKES_REFUND},       {"Rückerstattung*", 16, PW_STAKES_REFUND},
        {"Datenschutz", 11, PW_STAKES_OTHER},
    };
    pw_signals_config config = {keywords, 5, NULL, 0};
    pw_signal_scanner *s = NULL;
    PW_CHECK_INT(pw_signal_scanner_new(&config, NULL, &s), PW_OK);
    if (!s)
        return;
    PW_CHECK_INT(scan_with(s, "je veux un REMBOURSEMENT").high_stakes, PW_STAKES_REFUND);
    PW_CHECK_INT(scan_with(s, "Bitte bestätigen Sie die KUENDIGUNG").high_stakes, 0);
    PW_CHECK_INT(scan_with(s, "Bitte bestätigen Sie die KÜNDIGUNG").high_stakes, PW_STAKES_CANCEL);
    PW_CHECK_INT(scan_with(s, "bitte kundigung bestatigen").high_stakes, PW_STAKES_CANCEL);
    PW_CHECK_INT(scan_with(s, "Хочу ВОЗВРАТ денег").high_stakes, PW_STAKES_REFUND);
    PW_CHECK_INT(scan_with(s, "Zwei Rückerstattungen fehlen").high_stakes, PW_STAKES_REFUND);
    PW_CHECK_INT(scan_with(s, "Datenschutzerklärung").high_stakes, 0); /* no '*': whole word */
    /* A configured list replaces the defaults. */
    PW_CHECK_INT(scan_with(s, "I want a refund").high_stakes, 0);
    const char *text = "Où est mon remboursement ?";
    pw_signals g = scan_with(s, text);
    PW_CHECK(has_evidence(&g, text, PW_EVIDENCE_STAKES, "remboursement"));
    pw_signal_scanner_free(s);
}

typedef struct expected_entity {
    const char *text;
    pw_entity_kind kind;
} expected_entity;

/* Each expected entity must appear, in order, at the byte offset strstr finds. */
static void check_entities(pw_signal_scanner *s, const char *text, const expected_entity *want,
                           size_t n) {
    pw_signals g = scan_with(s, text);
    PW_CHECK_INT(g.entity_count, n);
    for (size_t i = 0; i < n && i < g.entity_count; i++) {
        const char *at = strstr(text, want[i].text);
        PW_CHECK(at != NULL);
        PW_CHECK_INT(g.entities[i].kind, want[i].kind);
        PW_CHECK_INT(g.entities[i].start, at ? at - text : -1);
        PW_CHECK_INT(g.entities[i].len, strlen(want[i].text));
    }
}

static void entities_have_exact_byte_ranges(void) {
    const expected_entity a[] = {
        {"ORD-48213", PW_ENTITY_ORDER_ID}, {"INV-2024-0042", PW_ENTITY_ORDER_ID},
        {"$1,299.00", PW_ENTITY_AMOUNT},   {"49,90 €", PW_ENTITY_AMOUNT},
        {"EUR 12", PW_ENTITY_AMOUNT},      {"£20", PW_ENTITY_AMOUNT},
        {"5000¥", PW_ENTITY_AMOUNT},       {"19.99USD", PW_ENTITY_AMOUNT},
    };
    check_entities(defaults,
                   "Order ORD-48213 (invoice INV-2024-0042) was $1,299.00, 49,90 € and EUR 12; "
                   "also £20, 5000¥ and 19.99USD.",
                   a, 8);
    const expected_entity b[] = {
        {"jane.doe+billing@example.co.uk", PW_ENTITY_EMAIL},
        {"https://example.com/orders?id=48213", PW_ENTITY_URL},
        {"www.acme.io/help", PW_ENTITY_URL},
    };
    check_entities(defaults,
                   "Mail jane.doe+billing@example.co.uk, see https://example.com/orders?id=48213. "
                   "(or www.acme.io/help)",
                   b, 3);
    /* Offsets count bytes of the text as given, after multibyte characters. */
    const expected_entity c[] = {{"ORD-77777", PW_ENTITY_ORDER_ID}, {"me@x.org", PW_ENTITY_EMAIL}};
    check_entities(defaults, "Größe – ünd 😀 ORD-77777 → me@x.org.", c, 2);
    /* Not entities: a bare number, a version, a too-long id, a code that is a word, no TLD. */
    check_entities(defaults, "call 555 1234, v2.5, ORD-123456789, try 5, usd 5, a@b", NULL, 0);
}

static void configured_id_patterns(void) {
    const pw_id_pattern patterns[] = {{"AB-####", 7}, {"#A##-*###", 9}};
    pw_signals_config config = {NULL, 0, patterns, 2};
    pw_signal_scanner *s = NULL;
    PW_CHECK_INT(pw_signal_scanner_new(&config, NULL, &s), PW_OK);
    if (!s)
        return;
    const expected_entity want[] = {{"ab-1234", PW_ENTITY_ORDER_ID},
                                    {"1x23-Q456", PW_ENTITY_ORDER_ID}};
    check_entities(s, "Tickets ab-1234, AB-12345, 1x23-Q456 and ORD-48213", want, 2);
    pw_signal_scanner_free(s);
}

static void limits_keep_the_first_in_text_order(void) {
    char text[1024] = "";
    for (int i = 0; i < 20; i++)
        strcat(text, "broken a@b.io ");
    pw_signals g = scan(text);
    PW_CHECK_INT(g.evidence_count, PW_SIGNALS_MAX_EVIDENCE);
    PW_CHECK_INT(g.entity_count, PW_SIGNALS_MAX_ENTITIES);
    for (uint32_t i = 0; i < g.evidence_count; i++) {
        PW_CHECK_INT(g.evidence[i].start, 14 * i);
        PW_CHECK_INT(g.entities[i].start, 14 * i + 7);
    }
    /* Scores count every cue, not only those that fit. */
    PW_CHECK(g.frustration > scan("broken broken broken broken").frustration);
}

/* Passes find cues in their own order; the result is still in text order. */
static void evidence_merges_passes_in_text_order(void) {
    const char *text = "REFUND now!! this is BROKEN, urgent";
    pw_signals g = scan(text);
    for (uint32_t i = 1; i < g.evidence_count; i++)
        PW_CHECK(g.evidence[i].start >= g.evidence[i - 1].start);
    PW_CHECK(has_evidence(&g, text, PW_EVIDENCE_STAKES, "refund"));
    PW_CHECK(has_evidence(&g, text, PW_EVIDENCE_INTENSITY, "refund"));
    PW_CHECK(has_evidence(&g, text, PW_EVIDENCE_INTENSITY, "!!"));
    PW_CHECK(has_evidence(&g, text, PW_EVIDENCE_URGENCY, "urgent"));
    PW_CHECK_INT(g.evidence[0].kind, PW_EVIDENCE_INTENSITY); /* same start: kind order */
    PW_CHECK_INT(g.evidence[1].kind, PW_EVIDENCE_STAKES);
}

static int make(const pw_stakes_keyword *k, size_t nk, const pw_id_pattern *p, size_t np) {
    pw_signals_config config = {k, nk, p, np};
    pw_signal_scanner *s = NULL;
    int rc = pw_signal_scanner_new(&config, NULL, &s);
    pw_signal_scanner_free(s);
    return rc;
}

static void bad_configuration_is_rejected(void) {
    char long_text[PW_SIGNALS_MAX_KEYWORD_BYTES + 2];
    memset(long_text, 'a', sizeof long_text);
    const pw_stakes_keyword bad[] = {
        {"", 0, PW_STAKES_REFUND},
        {NULL, 4, PW_STAKES_REFUND},
        {long_text, sizeof long_text, PW_STAKES_REFUND},
        {"refund", 6, 0},
        {"refund", 6, PW_STAKES_REFUND | PW_STAKES_LEGAL},
        {"refund", 6, 1u << 7},
        {"*", 1, PW_STAKES_REFUND},
        {"re*und", 6, PW_STAKES_REFUND},
        {"!!!", 3, PW_STAKES_REFUND},
        {"refund?", 7, PW_STAKES_REFUND},
        {"  ", 2, PW_STAKES_REFUND},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        PW_CHECK_INT(make(&bad[i], 1, NULL, 0), PW_EINVAL);
    const pw_stakes_keyword ok = {"refund*", 7, PW_STAKES_REFUND};
    PW_CHECK_INT(make(&ok, 1, NULL, 0), PW_OK);
    PW_CHECK_INT(make(NULL, 1, NULL, 0), PW_EINVAL);
    PW_CHECK_INT(make(&ok, PW_SIGNALS_MAX_KEYWORDS + 1, NULL, 0), PW_EINVAL);
    const pw_id_pattern bad_patterns[] = {
        {"", 0},
        {NULL, 3},
        {"ORD-AAAA", 8},
        {"ORD ####", 8},
        {"ORD-####-####-####-####-####-####", 33},
        {"ÖRD-####", 9},
    };
    for (size_t i = 0; i < sizeof bad_patterns / sizeof bad_patterns[0]; i++)
        PW_CHECK_INT(make(NULL, 0, &bad_patterns[i], 1), PW_EINVAL);
    PW_CHECK_INT(make(NULL, 0, bad_patterns, PW_SIGNALS_MAX_PATTERNS + 1), PW_EINVAL);
    PW_CHECK_INT(make(NULL, 0, NULL, 2), PW_EINVAL);
    PW_CHECK_INT(pw_signal_scanner_new(NULL, NULL, NULL), PW_EINVAL);
}

static void empty_lists_mean_none(void) {
    const pw_stakes_keyword none[1] = {{"x", 1, PW_STAKES_OTHER}};
    const pw_id_pattern no_patterns[1] = {{"#", 1}};
    pw_signals_config config = {none, 0, no_patterns, 0};
    pw_signal_scanner *s = NULL;
    PW_CHECK_INT(pw_signal_scanner_new(&config, NULL, &s), PW_OK);
    if (!s)
        return;
    pw_signals g = scan_with(s, "refund ORD-48213 please");
    PW_CHECK_INT(g.high_stakes, 0);
    PW_CHECK_INT(g.entity_count, 0);
    pw_signal_scanner_free(s);
}

static void bad_scan_arguments_are_rejected(void) {
    pw_signals g;
    const char *history[] = {NULL, "hi"};
    size_t lens[] = {3, 2};
    PW_CHECK_INT(pw_signals_scan(NULL, "x", 1, NULL, NULL, 0, &g), PW_EINVAL);
    PW_CHECK_INT(pw_signals_scan(defaults, "x", 1, NULL, NULL, 0, NULL), PW_EINVAL);
    PW_CHECK_INT(pw_signals_scan(defaults, NULL, 1, NULL, NULL, 0, &g), PW_EINVAL);
    PW_CHECK_INT(pw_signals_scan(defaults, "x", 1, NULL, lens, 2, &g), PW_EINVAL);
    PW_CHECK_INT(pw_signals_scan(defaults, "x", 1, history + 1, NULL, 1, &g), PW_EINVAL);
    PW_CHECK_INT(pw_signals_scan(defaults, "x", 1, history, lens, 2, &g), PW_EINVAL);
    lens[0] = 0; /* a NULL message of length 0 is an empty one */
    PW_CHECK_INT(pw_signals_scan(defaults, "x", 1, history, lens, 2, &g), PW_OK);
    PW_CHECK_INT(pw_signals_scan(defaults, NULL, 0, NULL, NULL, 0, &g), PW_OK);
    PW_CHECK(is_neutral(&g));
    pw_word_set w, sets[] = {{NULL, 0}, {NULL, 1}};
    PW_CHECK_INT(pw_signals_word_set(NULL, "x", 1, &w), PW_EINVAL);
    PW_CHECK_INT(pw_signals_word_set(defaults, "x", 1, NULL), PW_EINVAL);
    PW_CHECK_INT(pw_signals_word_set(defaults, NULL, 1, &w), PW_EINVAL);
    PW_CHECK_INT(pw_signals_word_set(defaults, NULL, 0, &w), PW_OK);
    PW_CHECK_INT(w.count, 0);
    PW_CHECK_INT(pw_signals_scan_sets(NULL, "x", 1, NULL, 0, &g, NULL), PW_EINVAL);
    PW_CHECK_INT(pw_signals_scan_sets(defaults, "x", 1, NULL, 1, &g, NULL), PW_EINVAL);
    PW_CHECK_INT(pw_signals_scan_sets(defaults, "x", 1, sets, 2, &g, NULL), PW_EINVAL);
    PW_CHECK_INT(pw_signals_scan_sets(defaults, "x", 1, sets, 1, &g, NULL), PW_OK); /* no words */
}

static void default_lists_are_published(void) {
    size_t count = 0;
    pw_stakes_keyword k[64];
    PW_CHECK_INT(pw_signals_default_keywords(NULL, 0, &count), PW_ETRUNC);
    PW_CHECK(count > 20 && count <= 64);
    PW_CHECK_INT(pw_signals_default_keywords(k, 2, &count), PW_ETRUNC);
    PW_CHECK_INT(pw_signals_default_keywords(k, 64, &count), PW_OK);
    PW_CHECK_STRN(k[0].text, k[0].len, "cancel*");
    PW_CHECK_INT(pw_signals_default_keywords(k, 64, NULL), PW_EINVAL);
    PW_CHECK_INT(pw_signals_default_keywords(NULL, 1, &count), PW_EINVAL);
    pw_id_pattern p[PW_SIGNALS_MAX_PATTERNS];
    size_t np = 0;
    PW_CHECK_INT(pw_signals_default_id_patterns(p, PW_SIGNALS_MAX_PATTERNS, &np), PW_OK);
    PW_CHECK(np > 0 && np <= PW_SIGNALS_MAX_PATTERNS);
    PW_CHECK_INT(pw_signals_default_id_patterns(NULL, 0, NULL), PW_EINVAL);
    /* Extending the defaults (what a configuration file does) gives a valid scanner. */
    k[count] = (pw_stakes_keyword){"Rückerstattung", 15, PW_STAKES_REFUND};
    pw_signals_config config = {k, count + 1, p, np};
    pw_signal_scanner *s = NULL;
    PW_CHECK_INT(pw_signal_scanner_new(&config, NULL, &s), PW_OK);
    if (s) {
        PW_CHECK_INT(scan_with(s, "refund und Rückerstattung").high_stakes, PW_STAKES_REFUND);
        PW_CHECK_INT(scan_with(s, "ORD-48213").entity_count, 1);
    }
    pw_signal_scanner_free(s);
}

/* Only the first PW_SIGNALS_MAX_TEXT_BYTES are read, and the worst inputs stay fast. */
static void long_and_pathological_input(void) {
    size_t len = 1u << 20;
    char *text = malloc(len);
    PW_CHECK(text != NULL);
    if (!text)
        return;
    memset(text, ' ', len);
    memcpy(text + len - 6, "broken", 6);
    pw_signals g;
    PW_CHECK_INT(pw_signals_scan(defaults, text, len, NULL, NULL, 0, &g), PW_OK);
    PW_CHECK(is_neutral(&g));
    static const char *const units[] = {"!", "ABC ", "a@b.io ", "still ", "not ", "$1 "};
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        size_t n = strlen(units[u]);
        for (size_t i = 0; i + n <= len; i += n)
            memcpy(text + i, units[u], n);
        const char *history[PW_SIGNALS_MAX_HISTORY];
        size_t lens[PW_SIGNALS_MAX_HISTORY];
        for (size_t h = 0; h < PW_SIGNALS_MAX_HISTORY; h++)
            history[h] = text, lens[h] = len;
        PW_CHECK_INT(
            pw_signals_scan(defaults, text, len, history, lens, PW_SIGNALS_MAX_HISTORY, &g), PW_OK);
        PW_CHECK(g.frustration >= 0.0 && g.frustration < 1.0);
    }
    free(text);
}

static void scanner_out_of_memory(void) {
    const pw_stakes_keyword keywords[] = {{"refund*", 7, PW_STAKES_REFUND},
                                          {"delete my data", 14, PW_STAKES_PRIVACY}};
    const pw_signals_config configured = {keywords, 2, NULL, 0};
    const pw_signals_config *configs[] = {NULL, &configured};
    for (size_t c = 0; c < 2; c++) {
        int rc = PW_ENOMEM;
        for (long budget = 0; rc == PW_ENOMEM && budget < 100; budget++) {
            pw_test_budget b = {budget, 0, 0};
            pw_allocator a = pw_test_budget_allocator(&b);
            pw_signal_scanner *s = NULL;
            rc = pw_signal_scanner_new(configs[c], &a, &s);
            if (rc == PW_OK) {
                PW_CHECK_INT(scan_with(s, "refund now").high_stakes, PW_STAKES_REFUND);
                pw_signal_scanner_free(s);
            } else {
                PW_CHECK_INT(rc, PW_ENOMEM);
                PW_CHECK(s == NULL);
            }
            PW_CHECK_INT(b.live_blocks, 0);
            PW_CHECK_INT(b.live_bytes, 0);
        }
        PW_CHECK_INT(rc, PW_OK);
    }
}

int main(void) {
    if (pw_signal_scanner_new(NULL, NULL, &defaults) != PW_OK) {
        fprintf(stderr, "cannot build the default scanner\n");
        return 1;
    }
    PW_RUN(neutral_text_is_neutral);
    PW_RUN(negation_turns_praise_and_works_negative);
    PW_RUN(negation_damps_a_complaint);
    PW_RUN(never_so_stays_negative);
    PW_RUN(negation_stops_at_the_clause);
    PW_RUN(set_phrases_are_not_negations);
    PW_RUN(anger_without_sarcasm);
    PW_RUN(politeness_does_not_mask_anger);
    PW_RUN(caps_are_read_in_the_original_text);
    PW_RUN(repeated_punctuation_counts_runs);
    PW_RUN(profanity_plain_and_masked);
    PW_RUN(frustration_is_monotone);
    PW_RUN(urgency_words_blocking_and_deadlines);
    PW_RUN(repeat_contact_wording);
    PW_RUN(still_in_a_plain_question_is_not_repeat);
    PW_RUN(repeated_question_against_history);
    PW_RUN(refund_in_a_howto_question_is_reported);
    PW_RUN(default_keywords_match_whole_words);
    PW_RUN(configured_keywords_in_any_script);
    PW_RUN(entities_have_exact_byte_ranges);
    PW_RUN(configured_id_patterns);
    PW_RUN(limits_keep_the_first_in_text_order);
    PW_RUN(evidence_merges_passes_in_text_order);
    PW_RUN(bad_configuration_is_rejected);
    PW_RUN(empty_lists_mean_none);
    PW_RUN(bad_scan_arguments_are_rejected);
    PW_RUN(default_lists_are_published);
    PW_RUN(long_and_pathological_input);
    PW_RUN(scanner_out_of_memory);
    pw_signal_scanner_free(defaults);
    return pw_test_exit_code();
}
