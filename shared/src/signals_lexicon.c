/* The lexicon pass: one left-to-right walk over the tokens that matches the word lists below
 * (longest entry first), tracks negators and clause boundaries, and turns each hit into
 * points and evidence. English support wording only; the lists are ours, written for how
 * customers write to a help desk, and every weight is explained in signals.h.
 * SPDX-License-Identifier: MIT */
#include "hash_int.h"
#include "signals_int.h"

#include <string.h>

enum lex_class {
    LEX_NEGATIVE, /* negative points; negated: one positive point ("not bad") */
    LEX_POSITIVE, /* positive points; negated: the same as negative points ("not happy") */
    LEX_WORKS,    /* nothing alone; negated: negative points ("doesn't work") */
    LEX_PROFANE,  /* negative points and one intensity point; negation does not soften it */
    LEX_URGENT,   /* urgency points; negated: nothing ("not urgent") */
    LEX_REPEAT,   /* says this is not the first contact */
    LEX_STILL,    /* "still", "again": repeat contact only next to trouble */
    LEX_TROUBLE,  /* "error", "problem", "same": no score, but corroborates LEX_STILL */
    LEX_NEUTRAL   /* set phrases that would otherwise mislead ("no problem", "can't wait") */
};

/* Words separated by one space and written without apostrophes (tokens are compared with
 * theirs skipped, so "doesnt" matches "doesn't" and "doesnt"). "#" matches any number and
 * "%" a weekday name, but not as the first word: entries are looked up by first letter. */
typedef struct lex_entry {
    char text[30];
    uint8_t cls, weight;
} lex_entry;

static const lex_entry lexicon[] = {
    /* Anger and strong dissatisfaction: 3. */
    {"useless", LEX_NEGATIVE, 3},
    {"terrible", LEX_NEGATIVE, 3},
    {"horrible", LEX_NEGATIVE, 3},
    {"horrendous", LEX_NEGATIVE, 3},
    {"awful", LEX_NEGATIVE, 3},
    {"abysmal", LEX_NEGATIVE, 3},
    {"atrocious", LEX_NEGATIVE, 3},
    {"ridiculous", LEX_NEGATIVE, 3},
    {"unacceptable", LEX_NEGATIVE, 3},
    {"not acceptable", LEX_NEGATIVE, 3},
    {"frustrated", LEX_NEGATIVE, 3},
    {"frustrating", LEX_NEGATIVE, 3},
    {"frustration", LEX_NEGATIVE, 3},
    {"furious", LEX_NEGATIVE, 3},
    {"spamming", LEX_NEGATIVE, 3},
    {"what is wrong with you", LEX_NEGATIVE, 3},
    {"whats wrong with you", LEX_NEGATIVE, 3},
    {"angry", LEX_NEGATIVE, 3},
    {"livid", LEX_NEGATIVE, 3},
    {"infuriating", LEX_NEGATIVE, 3},
    {"outrageous", LEX_NEGATIVE, 3},
    {"pathetic", LEX_NEGATIVE, 3},
    {"worst", LEX_NEGATIVE, 3},
    {"garbage", LEX_NEGATIVE, 3},
    {"rubbish", LEX_NEGATIVE, 3},
    {"trash", LEX_NEGATIVE, 3},
    {"a joke", LEX_NEGATIVE, 3},
    {"disgusting", LEX_NEGATIVE, 3},
    {"disgraceful", LEX_NEGATIVE, 3},
    {"shameful", LEX_NEGATIVE, 3},
    {"incompetent", LEX_NEGATIVE, 3},
    {"unprofessional", LEX_NEGATIVE, 3},
    {"unusable", LEX_NEGATIVE, 3},
    {"nightmare", LEX_NEGATIVE, 3},
    {"disaster", LEX_NEGATIVE, 3},
    {"sucks", LEX_NEGATIVE, 3},
    {"hate", LEX_NEGATIVE, 3},
    {"scam", LEX_NEGATIVE, 3},
    {"waste of time", LEX_NEGATIVE, 3},
    {"waste of money", LEX_NEGATIVE, 3},
    {"waste of my time", LEX_NEGATIVE, 3},
    {"fed up", LEX_NEGATIVE, 3},
    {"sick of", LEX_NEGATIVE, 3},
    {"sick and tired", LEX_NEGATIVE, 3},
    {"had enough", LEX_NEGATIVE, 3},
    {"never again", LEX_NEGATIVE, 3},
    {"thanks for nothing", LEX_NEGATIVE, 3},
    /* Clear dissatisfaction: 2. */
    {"broken", LEX_NEGATIVE, 2},
    {"broke", LEX_NEGATIVE, 2},
    {"buggy", LEX_NEGATIVE, 2},
    {"unreliable", LEX_NEGATIVE, 2},
    {"disappointed", LEX_NEGATIVE, 2},
    {"disappointing", LEX_NEGATIVE, 2},
    {"annoyed", LEX_NEGATIVE, 2},
    {"annoying", LEX_NEGATIVE, 2},
    {"upset", LEX_NEGATIVE, 2},
    {"unhappy", LEX_NEGATIVE, 2},
    {"misleading", LEX_NEGATIVE, 2},
    {"complaint", LEX_NEGATIVE, 2},
    {"wasted", LEX_NEGATIVE, 2},
    {"overcharged", LEX_NEGATIVE, 2},
    {"charged twice", LEX_NEGATIVE, 2},
    {"double charged", LEX_NEGATIVE, 2},
    {"stopped working", LEX_NEGATIVE, 2},
    {"stops working", LEX_NEGATIVE, 2},
    {"quit working", LEX_NEGATIVE, 2},
    {"keeps crashing", LEX_NEGATIVE, 2},
    {"keeps failing", LEX_NEGATIVE, 2},
    {"dont like", LEX_NEGATIVE, 2},
    {"do not like", LEX_NEGATIVE, 2},
    /* Mild: 1. Also what a calm bug report says, so they weigh little. */
    {"bad", LEX_NEGATIVE, 1},
    {"poor", LEX_NEGATIVE, 1},
    {"slow", LEX_NEGATIVE, 1},
    {"wrong", LEX_NEGATIVE, 1},
    {"confusing", LEX_NEGATIVE, 1},
    {"confused", LEX_NEGATIVE, 1},
    {"failed", LEX_NEGATIVE, 1},
    {"fails", LEX_NEGATIVE, 1},
    {"failing", LEX_NEGATIVE, 1},
    {"failure", LEX_NEGATIVE, 1},
    {"crash", LEX_NEGATIVE, 1},
    {"crashes", LEX_NEGATIVE, 1},
    {"crashed", LEX_NEGATIVE, 1},
    {"crashing", LEX_NEGATIVE, 1},
    {"stuck", LEX_NEGATIVE, 1},
    {"glitch", LEX_NEGATIVE, 1},
    {"glitchy", LEX_NEGATIVE, 1},
    {"laggy", LEX_NEGATIVE, 1},
    {"lost", LEX_NEGATIVE, 1},
    {"missing", LEX_NEGATIVE, 1},
    {"worried", LEX_NEGATIVE, 1},
    {"concerned", LEX_NEGATIVE, 1},
    {"inconvenient", LEX_NEGATIVE, 1},
    {"inconvenience", LEX_NEGATIVE, 1},
    {"dont understand", LEX_NEGATIVE, 1},
    {"do not understand", LEX_NEGATIVE, 1},
    /* Praise: 2. Politeness: 1. */
    {"great", LEX_POSITIVE, 2},
    {"love", LEX_POSITIVE, 2},
    {"loved", LEX_POSITIVE, 2},
    {"loving", LEX_POSITIVE, 2},
    {"perfect", LEX_POSITIVE, 2},
    {"perfectly", LEX_POSITIVE, 2},
    {"helpful", LEX_POSITIVE, 2},
    {"awesome", LEX_POSITIVE, 2},
    {"excellent", LEX_POSITIVE, 2},
    {"amazing", LEX_POSITIVE, 2},
    {"fantastic", LEX_POSITIVE, 2},
    {"wonderful", LEX_POSITIVE, 2},
    {"brilliant", LEX_POSITIVE, 2},
    {"superb", LEX_POSITIVE, 2},
    {"outstanding", LEX_POSITIVE, 2},
    {"happy", LEX_POSITIVE, 2},
    {"pleased", LEX_POSITIVE, 2},
    {"satisfied", LEX_POSITIVE, 2},
    {"impressed", LEX_POSITIVE, 2},
    {"grateful", LEX_POSITIVE, 2},
    {"kudos", LEX_POSITIVE, 2},
    {"lifesaver", LEX_POSITIVE, 2},
    {"life saver", LEX_POSITIVE, 2},
    {"well done", LEX_POSITIVE, 2},
    {"works great", LEX_POSITIVE, 2},
    {"works perfectly", LEX_POSITIVE, 2},
    {"couldnt be happier", LEX_POSITIVE, 2},
    {"could not be happier", LEX_POSITIVE, 2},
    {"couldnt be better", LEX_POSITIVE, 2},
    {"cant thank you enough", LEX_POSITIVE, 2},
    {"thanks", LEX_POSITIVE, 1},
    {"thank", LEX_POSITIVE, 1},
    {"thx", LEX_POSITIVE, 1},
    {"cheers", LEX_POSITIVE, 1},
    {"appreciate", LEX_POSITIVE, 1},
    {"appreciated", LEX_POSITIVE, 1},
    {"good", LEX_POSITIVE, 1},
    {"nice", LEX_POSITIVE, 1},
    {"glad", LEX_POSITIVE, 1},
    {"solved", LEX_POSITIVE, 1},
    {"resolved", LEX_POSITIVE, 1},
    {"works now", LEX_POSITIVE, 1},
    {"working now", LEX_POSITIVE, 1},
    {"works fine", LEX_POSITIVE, 1},
    {"cant complain", LEX_POSITIVE, 1},
    {"no complaints", LEX_POSITIVE, 1},
    /* Things that should work: only a negation makes them evidence. */
    {"work", LEX_WORKS, 2},
    {"works", LEX_WORKS, 2},
    {"working", LEX_WORKS, 2},
    {"worked", LEX_WORKS, 2},
    {"function", LEX_WORKS, 2},
    {"functioning", LEX_WORKS, 2},
    {"load", LEX_WORKS, 2},
    {"loads", LEX_WORKS, 2},
    {"loading", LEX_WORKS, 2},
    {"open", LEX_WORKS, 2},
    {"opens", LEX_WORKS, 2},
    {"sync", LEX_WORKS, 2},
    {"syncing", LEX_WORKS, 2},
    {"respond", LEX_WORKS, 2},
    {"responding", LEX_WORKS, 2},
    {"help", LEX_WORKS, 2},
    {"helped", LEX_WORKS, 2},
    {"helping", LEX_WORKS, 2},
    {"fix", LEX_WORKS, 2},
    {"fixed", LEX_WORKS, 2},
    {"solve", LEX_WORKS, 2},
    {"receive", LEX_WORKS, 1},
    {"received", LEX_WORKS, 1},
    {"arrive", LEX_WORKS, 1},
    {"arrived", LEX_WORKS, 1},
    {"make sense", LEX_WORKS, 1},
    {"makes sense", LEX_WORKS, 1},
    /* Profanity: 3 (2 for the milder ones), plus an intensity point each. */
    {"fuck", LEX_PROFANE, 3},
    {"fucking", LEX_PROFANE, 3},
    {"fucked", LEX_PROFANE, 3},
    {"fck", LEX_PROFANE, 3},
    {"fcking", LEX_PROFANE, 3},
    {"fking", LEX_PROFANE, 3},
    {"fkn", LEX_PROFANE, 3},
    {"effing", LEX_PROFANE, 3},
    {"shit", LEX_PROFANE, 3},
    {"shitty", LEX_PROFANE, 3},
    {"bullshit", LEX_PROFANE, 3},
    {"wtf", LEX_PROFANE, 3},
    {"ffs", LEX_PROFANE, 3},
    {"omfg", LEX_PROFANE, 3},
    {"stfu", LEX_PROFANE, 3},
    {"goddamn", LEX_PROFANE, 3},
    {"goddamnit", LEX_PROFANE, 3},
    {"pissed", LEX_PROFANE, 3},
    {"pissed off", LEX_PROFANE, 3},
    {"asshole", LEX_PROFANE, 3},
    {"bastard", LEX_PROFANE, 3},
    {"bastards", LEX_PROFANE, 3},
    {"bitch", LEX_PROFANE, 3},
    {"screw you", LEX_PROFANE, 3},
    {"screw this", LEX_PROFANE, 2},
    {"crap", LEX_PROFANE, 2},
    {"crappy", LEX_PROFANE, 2},
    {"damn", LEX_PROFANE, 2},
    {"damned", LEX_PROFANE, 2},
    {"dammit", LEX_PROFANE, 2},
    {"damnit", LEX_PROFANE, 2},
    {"hell", LEX_PROFANE, 2},
    {"wth", LEX_PROFANE, 2},
    {"bloody", LEX_PROFANE, 2},
    /* Urgency, explicit: 3. */
    {"urgent", LEX_URGENT, 3},
    {"urgently", LEX_URGENT, 3},
    {"urgency", LEX_URGENT, 3},
    {"asap", LEX_URGENT, 3},
    {"immediately", LEX_URGENT, 3},
    {"immediate", LEX_URGENT, 3},
    {"emergency", LEX_URGENT, 3},
    {"critical", LEX_URGENT, 3},
    {"right now", LEX_URGENT, 3},
    {"right away", LEX_URGENT, 3},
    {"as soon as possible", LEX_URGENT, 3},
    {"time sensitive", LEX_URGENT, 3},
    {"top priority", LEX_URGENT, 3},
    {"high priority", LEX_URGENT, 3},
    {"highest priority", LEX_URGENT, 3},
    {"p1", LEX_URGENT, 3},
    {"sev1", LEX_URGENT, 3},
    /* Urgency, blocking: 3 ("is down" and "blocked" 2: they are sometimes about one thing). */
    {"cant access", LEX_URGENT, 3},
    {"cannot access", LEX_URGENT, 3},
    {"unable to access", LEX_URGENT, 3},
    {"cant log in", LEX_URGENT, 3},
    {"cant login", LEX_URGENT, 3},
    {"cant log into", LEX_URGENT, 3},
    {"cant sign in", LEX_URGENT, 3},
    {"cant get in", LEX_URGENT, 3},
    {"cant get into", LEX_URGENT, 3},
    {"cannot log in", LEX_URGENT, 3},
    {"cannot login", LEX_URGENT, 3},
    {"cannot log into", LEX_URGENT, 3},
    {"cannot sign in", LEX_URGENT, 3},
    {"unable to log in", LEX_URGENT, 3},
    {"unable to login", LEX_URGENT, 3},
    {"unable to sign in", LEX_URGENT, 3},
    {"no one can log in", LEX_URGENT, 3},
    {"nobody can log in", LEX_URGENT, 3},
    {"no one can access", LEX_URGENT, 3},
    {"nobody can access", LEX_URGENT, 3},
    {"locked out", LEX_URGENT, 3},
    {"lost access", LEX_URGENT, 3},
    {"no access", LEX_URGENT, 3},
    {"production down", LEX_URGENT, 3},
    {"production is down", LEX_URGENT, 3},
    {"prod down", LEX_URGENT, 3},
    {"prod is down", LEX_URGENT, 3},
    {"site down", LEX_URGENT, 3},
    {"site is down", LEX_URGENT, 3},
    {"website down", LEX_URGENT, 3},
    {"website is down", LEX_URGENT, 3},
    {"app is down", LEX_URGENT, 3},
    {"service is down", LEX_URGENT, 3},
    {"server is down", LEX_URGENT, 3},
    {"servers are down", LEX_URGENT, 3},
    {"system is down", LEX_URGENT, 3},
    {"everything is down", LEX_URGENT, 3},
    {"is down", LEX_URGENT, 2},
    {"are down", LEX_URGENT, 2},
    {"went down", LEX_URGENT, 2},
    {"all users", LEX_URGENT, 3},
    {"all my users", LEX_URGENT, 3},
    {"all our users", LEX_URGENT, 3},
    {"all of our users", LEX_URGENT, 3},
    {"all customers", LEX_URGENT, 3},
    {"all my customers", LEX_URGENT, 3},
    {"all our customers", LEX_URGENT, 3},
    {"all of our customers", LEX_URGENT, 3},
    {"whole team", LEX_URGENT, 3},
    {"entire team", LEX_URGENT, 3},
    {"whole company", LEX_URGENT, 3},
    {"entire company", LEX_URGENT, 3},
    {"outage", LEX_URGENT, 3},
    {"data loss", LEX_URGENT, 3},
    {"lost all", LEX_URGENT, 3},
    {"losing money", LEX_URGENT, 3},
    {"losing customers", LEX_URGENT, 3},
    {"losing sales", LEX_URGENT, 3},
    {"cant work", LEX_URGENT, 3},
    {"cannot work", LEX_URGENT, 3},
    {"blocking", LEX_URGENT, 3},
    {"blocker", LEX_URGENT, 3},
    {"blocked", LEX_URGENT, 2},
    /* Urgency, deadlines: 2; a bare day word: 1. */
    {"deadline", LEX_URGENT, 2},
    {"deadlines", LEX_URGENT, 2},
    {"by tomorrow", LEX_URGENT, 2},
    {"by tonight", LEX_URGENT, 2},
    {"by noon", LEX_URGENT, 2},
    {"by midnight", LEX_URGENT, 2},
    {"by eod", LEX_URGENT, 2},
    {"by end of day", LEX_URGENT, 2},
    {"by end of the day", LEX_URGENT, 2},
    {"by the end of the day", LEX_URGENT, 2},
    {"before tomorrow", LEX_URGENT, 2},
    {"before tonight", LEX_URGENT, 2},
    {"before noon", LEX_URGENT, 2},
    {"end of day", LEX_URGENT, 2},
    {"eod", LEX_URGENT, 2},
    {"by %", LEX_URGENT, 2},
    {"by next %", LEX_URGENT, 2},
    {"before %", LEX_URGENT, 2},
    {"until %", LEX_URGENT, 2},
    {"in an hour", LEX_URGENT, 2},
    {"in half an hour", LEX_URGENT, 2},
    {"within an hour", LEX_URGENT, 2},
    {"within the hour", LEX_URGENT, 2},
    {"in # hour", LEX_URGENT, 2},
    {"in # hours", LEX_URGENT, 2},
    {"in # minutes", LEX_URGENT, 2},
    {"in # mins", LEX_URGENT, 2},
    {"within # hours", LEX_URGENT, 2},
    {"within # minutes", LEX_URGENT, 2},
    {"today", LEX_URGENT, 1},
    {"tonight", LEX_URGENT, 1},
    {"tomorrow", LEX_URGENT, 1},
    {"quickly", LEX_URGENT, 1},
    /* Repeat contact. */
    {"as i said", LEX_REPEAT, 1},
    {"as i mentioned", LEX_REPEAT, 1},
    {"as i explained", LEX_REPEAT, 1},
    {"as i told you", LEX_REPEAT, 1},
    {"like i said", LEX_REPEAT, 1},
    {"as previously mentioned", LEX_REPEAT, 1},
    {"as previously stated", LEX_REPEAT, 1},
    {"already told", LEX_REPEAT, 1},
    {"already contacted", LEX_REPEAT, 1},
    {"already reported", LEX_REPEAT, 1},
    {"already explained", LEX_REPEAT, 1},
    {"already asked", LEX_REPEAT, 1},
    {"already mentioned", LEX_REPEAT, 1},
    {"already wrote", LEX_REPEAT, 1},
    {"already emailed", LEX_REPEAT, 1},
    {"already sent", LEX_REPEAT, 1},
    {"already opened", LEX_REPEAT, 1},
    {"already submitted", LEX_REPEAT, 1},
    {"second time", LEX_REPEAT, 1},
    {"third time", LEX_REPEAT, 1},
    {"fourth time", LEX_REPEAT, 1},
    {"fifth time", LEX_REPEAT, 1},
    {"2nd time", LEX_REPEAT, 1},
    {"3rd time", LEX_REPEAT, 1},
    {"4th time", LEX_REPEAT, 1},
    {"5th time", LEX_REPEAT, 1},
    {"how many times", LEX_REPEAT, 1},
    {"no one replied", LEX_REPEAT, 1},
    {"no one has replied", LEX_REPEAT, 1},
    {"no one responded", LEX_REPEAT, 1},
    {"no one has responded", LEX_REPEAT, 1},
    {"no one answered", LEX_REPEAT, 1},
    {"no one got back", LEX_REPEAT, 1},
    {"nobody replied", LEX_REPEAT, 1},
    {"nobody has replied", LEX_REPEAT, 1},
    {"nobody responded", LEX_REPEAT, 1},
    {"nobody answered", LEX_REPEAT, 1},
    {"nobody got back", LEX_REPEAT, 1},
    {"never heard back", LEX_REPEAT, 1},
    {"havent heard back", LEX_REPEAT, 1},
    {"not heard back", LEX_REPEAT, 1},
    {"never replied", LEX_REPEAT, 1},
    {"never responded", LEX_REPEAT, 1},
    {"no reply", LEX_REPEAT, 1},
    {"no response", LEX_REPEAT, 1},
    {"still waiting", LEX_REPEAT, 1},
    {"same problem as", LEX_REPEAT, 1},
    {"same issue as", LEX_REPEAT, 1},
    {"same error as", LEX_REPEAT, 1},
    {"three times", LEX_REPEAT, 1},
    {"four times", LEX_REPEAT, 1},
    {"five times", LEX_REPEAT, 1},
    {"several times", LEX_REPEAT, 1},
    {"multiple times", LEX_REPEAT, 1},
    {"yet another", LEX_REPEAT, 1},
    {"yet again", LEX_REPEAT, 1},
    {"once again", LEX_REPEAT, 1},
    {"again and again", LEX_REPEAT, 1},
    {"over and over", LEX_REPEAT, 1},
    {"keep having to", LEX_REPEAT, 1},
    {"keep asking", LEX_REPEAT, 1},
    {"kept asking", LEX_REPEAT, 1},
    {"follow up", LEX_REPEAT, 1},
    {"following up", LEX_REPEAT, 1},
    {"followed up", LEX_REPEAT, 1},
    {"previous ticket", LEX_REPEAT, 1},
    {"my last ticket", LEX_REPEAT, 1},
    {"my earlier ticket", LEX_REPEAT, 1},
    {"another ticket", LEX_REPEAT, 1},
    {"my previous email", LEX_REPEAT, 1},
    {"my last email", LEX_REPEAT, 1},
    {"my previous message", LEX_REPEAT, 1},
    {"my last message", LEX_REPEAT, 1},
    {"writing again", LEX_REPEAT, 1},
    {"asking again", LEX_REPEAT, 1},
    {"emailing again", LEX_REPEAT, 1},
    {"contacting you again", LEX_REPEAT, 1},
    {"contacting again", LEX_REPEAT, 1},
    {"reaching out again", LEX_REPEAT, 1},
    {"reopen", LEX_REPEAT, 1},
    {"reopened", LEX_REPEAT, 1},
    {"re open", LEX_REPEAT, 1},
    {"still", LEX_STILL, 1},
    {"again", LEX_STILL, 1},
    {"error", LEX_TROUBLE, 0},
    {"errors", LEX_TROUBLE, 0},
    {"problem", LEX_TROUBLE, 0},
    {"problems", LEX_TROUBLE, 0},
    {"issue", LEX_TROUBLE, 0},
    {"issues", LEX_TROUBLE, 0},
    {"bug", LEX_TROUBLE, 0},
    {"bugs", LEX_TROUBLE, 0},
    {"same", LEX_TROUBLE, 0},
    {"happening", LEX_TROUBLE, 0},
    {"happened", LEX_TROUBLE, 0},
    {"happens", LEX_TROUBLE, 0},
    {"occurring", LEX_TROUBLE, 0},
    /* Set phrases. */
    {"no problem", LEX_NEUTRAL, 0},
    {"not a problem", LEX_NEUTRAL, 0},
    {"no worries", LEX_NEUTRAL, 0},
    {"no thanks", LEX_NEUTRAL, 0},
    {"never mind", LEX_NEUTRAL, 0},
    {"no rush", LEX_NEUTRAL, 0},
    {"no hurry", LEX_NEUTRAL, 0},
    {"no pressure", LEX_NEUTRAL, 0},
    {"not urgent", LEX_NEUTRAL, 0},
    {"low priority", LEX_NEUTRAL, 0},
    {"cant wait", LEX_NEUTRAL, 0},
    {"dont need", LEX_NEUTRAL, 0},
    {"do not need", LEX_NEUTRAL, 0},
    {"no longer need", LEX_NEUTRAL, 0},
    {"sorry to bother", LEX_NEUTRAL, 0},
    {"hate to bother", LEX_NEUTRAL, 0},
};

static const char negators[][9] = {
    "not",    "no",      "never",   "cannot",  "nothing",  "nobody", "none", "hardly",
    "barely", "neither", "nor",     "without", "nowhere",  "cant",   "dont", "doesnt",
    "didnt",  "isnt",    "arent",   "wasnt",   "werent",   "wont",   "aint", "havent",
    "hasnt",  "hadnt",   "wouldnt", "couldnt", "shouldnt",
};

/* Words that end a negation's clause: contrast, and the start of a subordinate clause ("I can't
 * believe how good this is", "I don't know if it's good"). */
static const char breakers[][9] = {"but",    "however", "although", "though", "except",
                                   "anyway", "how",     "what",     "why",    "when",
                                   "where",  "whether", "if",       "because"};

/* After "never", these turn the negator into emphasis: "never been so disappointed". */
static const char blockers[][5] = {"so", "such", "more", "this", "ever"};

static const char weekdays[][10] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mon",    "tue",     "tues",      "wed",      "thu",    "thurs",    "fri",
};

/* Words too common to say two questions are the same one (signals.c compares content words). */
static const char stop_words[][8] = {
    "a",    "about", "am",   "an",    "and", "any",  "are",    "as",     "at",   "be",    "been",
    "but",  "by",    "can",  "could", "did", "do",   "does",   "for",    "from", "get",   "got",
    "have", "hello", "hi",   "how",   "i",   "im",   "if",     "in",     "is",   "it",    "its",
    "just", "me",    "my",   "of",    "on",  "or",   "our",    "please", "so",   "that",  "the",
    "then", "there", "this", "to",    "us",  "was",  "we",     "what",   "when", "where", "which",
    "why",  "will",  "with", "would", "you", "your", "thanks", "thank",
};

/* Equal ignoring apostrophes in `word`; `entry` has none. */
static int same_word(const char *word, size_t len, const char *entry, size_t entry_len) {
    size_t j = 0;
    for (size_t i = 0; i < len; i++) {
        if (word[i] == '\'')
            continue;
        if (j == entry_len || word[i] != entry[j])
            return 0;
        j++;
    }
    return j == entry_len;
}

/* Length of a NUL-padded entry of `stride` bytes. */
static size_t entry_length(const char *entry, size_t stride) {
    const char *nul = memchr(entry, '\0', stride);
    return nul ? (size_t)(nul - entry) : stride;
}

int pw__word_in_list(const char *list, size_t stride, size_t n, const char *word, size_t len) {
    for (size_t i = 0; i < n; i++) {
        const char *entry = list + i * stride;
        if (len == 0 || entry[0] != word[0]) /* tokens never start with an apostrophe */
            continue;
        if (same_word(word, len, entry, entry_length(entry, stride)))
            return 1;
    }
    return 0;
}

static int token_is(const pw__view *v, size_t k, const char *entry, size_t entry_len) {
    const pw_token *t = &v->tokens[k];
    if (entry_len == 1 && entry[0] == '#')
        return t->kind == PW_TOKEN_NUMBER;
    if (entry_len == 1 && entry[0] == '%')
        return t->kind == PW_TOKEN_WORD && PW__IN_LIST(weekdays, v->norm + t->start, t->len);
    return same_word(v->norm + t->start, t->len, entry, entry_len);
}

/* How many tokens from `i` the entry covers, or 0 when it does not match there. */
static size_t match_entry(const pw__view *v, size_t i, const char *text) {
    size_t k = i;
    for (const char *w = text; *w;) {
        size_t n = 0;
        while (w[n] && w[n] != ' ')
            n++;
        if (k == v->count || !token_is(v, k, w, n))
            return 0;
        k++;
        w += w[n] ? n + 1 : n;
    }
    return k - i;
}

#define COUNT(table) (sizeof(table) / sizeof(table)[0])
#define LEXICON_SIZE COUNT(lexicon)
#define INDEXED_WORDS                                                                              \
    (LEXICON_SIZE + COUNT(stop_words) + COUNT(negators) + COUNT(breakers) + COUNT(blockers))
_Static_assert(LEXICON_SIZE <= PW__LEXICON_CAP, "grow PW__LEXICON_CAP");
/* Entries, not distinct words: the ~375 distinct words keep the table about a third full. */
_Static_assert(INDEXED_WORDS < PW__WORD_SLOTS, "grow PW__WORD_SLOTS");
_Static_assert(sizeof lexicon[0].text <= PW__WORD_MAX && sizeof stop_words[0] <= PW__WORD_MAX &&
                   sizeof negators[0] <= PW__WORD_MAX && sizeof breakers[0] <= PW__WORD_MAX &&
                   sizeof blockers[0] <= PW__WORD_MAX,
               "grow PW__WORD_MAX");

#define SLOT_MASK (PW__WORD_SLOTS - 1u)

/* The slot holding `word` (apostrophes skipped), or the empty slot where its probe ends: linear
 * probing in a table that always keeps empty slots, so the walk ends, and mostly empty ones, so
 * it is short. */
static size_t probe(const pw__lexicon_index *ix, uint32_t hash, const char *word, size_t len) {
    for (size_t i = hash & SLOT_MASK;; i = (i + 1) & SLOT_MASK) {
        const pw__word_slot *s = &ix->slots[i];
        if (!s->text || (s->hash == hash && same_word(word, len, s->text, s->len)))
            return i;
    }
}

/* The slot of `word` (static storage, no apostrophes), claimed if it is new. */
static pw__word_slot *slot_of(pw__lexicon_index *ix, const char *word, size_t len) {
    uint32_t hash = pw__hash32(word, len, PW__TOKEN_SEED);
    pw__word_slot *s = &ix->slots[probe(ix, hash, word, len)];
    if (!s->text) {
        s->text = word;
        s->hash = hash;
        s->len = (uint32_t)len;
    }
    return s;
}

static void add_list(pw__lexicon_index *ix, const char *list, size_t stride, size_t n,
                     uint16_t bit) {
    for (size_t i = 0; i < n; i++) {
        pw__word_slot *s = slot_of(ix, list + i * stride, entry_length(list + i * stride, stride));
        s->lists |= bit;
    }
}
#define ADD_LIST(ix, table, bit) add_list(ix, &(table)[0][0], sizeof(table)[0], COUNT(table), bit)

static size_t first_word_length(const char *text) {
    size_t n = 0;
    while (text[n] && text[n] != ' ')
        n++;
    return n;
}

/* A counting sort of the entries by the slot of their first word, stable, so ties still go to
 * the entry listed first. No entry starts with "#" or "%": the index finds entries by the
 * token's own word. */
static void index_entries(pw__lexicon_index *ix) {
    uint16_t slot[LEXICON_SIZE];
    for (size_t e = 0; e < LEXICON_SIZE; e++) {
        pw__word_slot *s = slot_of(ix, lexicon[e].text, first_word_length(lexicon[e].text));
        s->count++;
        slot[e] = (uint16_t)(s - ix->slots);
    }
    uint16_t next = 0;
    for (size_t i = 0; i < PW__WORD_SLOTS; i++) {
        ix->slots[i].first = next;
        next = (uint16_t)(next + ix->slots[i].count);
        ix->slots[i].count = 0;
    }
    for (size_t e = 0; e < LEXICON_SIZE; e++) {
        pw__word_slot *s = &ix->slots[slot[e]];
        ix->order[s->first + s->count] = (uint16_t)e;
        s->count++;
    }
}

void pw__lexicon_index_build(pw__lexicon_index *ix) {
    memset(ix, 0, sizeof *ix);
    index_entries(ix);
    ADD_LIST(ix, stop_words, PW__WORD_STOP);
    ADD_LIST(ix, negators, PW__WORD_NEGATOR);
    ADD_LIST(ix, breakers, PW__WORD_BREAKER);
    ADD_LIST(ix, blockers, PW__WORD_BLOCKER);
}

/* The hash of word[0..len) less its apostrophes, as the index stores it; 0 when that is longer
 * than any word indexed. */
static int bare_hash(const char *word, size_t len, uint32_t *hash) {
    char bare[PW__WORD_MAX];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (word[i] == '\'')
            continue;
        if (n == sizeof bare)
            return 0;
        bare[n++] = word[i];
    }
    *hash = pw__hash32(bare, n, PW__TOKEN_SEED);
    return 1;
}

const pw__word_slot *pw__word_find(const pw__lexicon_index *ix, const pw__view *v, size_t k) {
    const pw_token *t = &v->tokens[k];
    const char *word = v->norm + t->start;
    uint32_t hash = v->hashes[k]; /* the same hash as the index's when there is no apostrophe */
    if (memchr(word, '\'', t->len) && !bare_hash(word, t->len, &hash))
        return NULL;
    const pw__word_slot *s = &ix->slots[probe(ix, hash, word, t->len)];
    return s->text ? s : NULL;
}

/* The longest entry matching at token i, whose word is `word` (the first listed on a tie);
 * *len receives its token count, 0 for none. */
static const lex_entry *longest_match(const pw__view *v, const pw__lexicon_index *ix,
                                      const pw__word_slot *word, size_t i, size_t *len) {
    const lex_entry *best = NULL;
    *len = 0;
    for (size_t k = 0; word && k < word->count; k++) {
        const lex_entry *e = &lexicon[ix->order[word->first + k]];
        size_t n = match_entry(v, i, e->text);
        if (n > *len)
            best = e, *len = n;
    }
    return best;
}

/* Where the walk is. Token positions are stored + 1 so that 0 means "none". */
typedef struct walk {
    const pw__view *v;
    pw__tally *t;
    pw_signals *out;
    size_t clause;  /* first token of the current clause */
    size_t negator; /* last negator not swallowed by an entry */
    int never;      /* that negator is "never" */
    size_t blocker; /* last blocker word */
    size_t trouble; /* last token of the last trouble cue */
    size_t pending; /* a "still"/"again" waiting for trouble nearby */
} walk;

static int is_negator(const char *w, size_t len, uint16_t lists) {
    int nt = len >= 3 && w[len - 3] == 'n' && w[len - 2] == '\'' && w[len - 1] == 't';
    return nt || (lists & PW__WORD_NEGATOR);
}

/* A negator reaches a cue starting at token i when it is within the three tokens before it, in
 * the same clause, and (for "never") no blocker stands between. */
static int negated(const walk *w, size_t i) {
    if (w->negator == 0 || w->negator - 1 < w->clause || i - (w->negator - 1) > 3)
        return 0;
    return !(w->never && w->blocker > w->negator);
}

static size_t token_end(const pw__view *v, size_t k) {
    return v->tokens[k].start + v->tokens[k].len;
}

static void add_evidence(walk *w, size_t first, size_t last, pw_evidence_kind kind) {
    size_t start = w->v->tokens[first].start;
    pw__evidence_add(w->out, start, token_end(w->v, last) - start, kind);
}

static void count_repeat(walk *w, size_t first, size_t last) {
    w->t->repeat = 1;
    add_evidence(w, first, last, PW_EVIDENCE_REPEAT);
}

/* Trouble at tokens [first, last] confirms a pending "still"/"again" three tokens before. */
static void mark_trouble(walk *w, size_t first, size_t last) {
    size_t p = w->pending;
    if (p && p - 1 >= w->clause && first >= p - 1 && first - (p - 1) <= 3)
        count_repeat(w, w->pending - 1, w->pending - 1);
    w->pending = 0;
    w->trouble = last + 1;
}

static void on_still(walk *w, size_t i) {
    if (w->trouble && w->trouble - 1 >= w->clause && i - (w->trouble - 1) <= 3)
        count_repeat(w, i, i);
    else
        w->pending = i + 1;
}

/* A sentiment cue at tokens [i, last]; a negated one's evidence starts at its negator. */
static void on_sentiment(walk *w, const lex_entry *e, size_t i, size_t last) {
    int neg = negated(w, i);
    size_t from = neg ? w->negator - 1 : i;
    uint32_t negative = 0;
    if (e->cls == LEX_NEGATIVE && neg) { /* "not bad": damped to mild praise */
        w->t->positive += 1;
        add_evidence(w, from, last, PW_EVIDENCE_POSITIVE);
    } else if (e->cls == LEX_NEGATIVE || neg) { /* "broken", "not happy", "doesn't work" */
        negative = e->weight;
    } else if (e->cls == LEX_POSITIVE) {
        w->t->positive += e->weight;
        add_evidence(w, i, last, PW_EVIDENCE_POSITIVE);
    }
    if (negative) {
        w->t->negative += negative;
        add_evidence(w, from, last, PW_EVIDENCE_NEGATIVE);
        mark_trouble(w, from, last);
    }
}

static void on_entry(walk *w, const lex_entry *e, size_t i, size_t last) {
    switch (e->cls) {
    case LEX_NEGATIVE:
    case LEX_POSITIVE:
    case LEX_WORKS:
        on_sentiment(w, e, i, last);
        break;
    case LEX_PROFANE:
        w->t->negative += e->weight;
        w->t->profanity += 1;
        add_evidence(w, i, last, PW_EVIDENCE_INTENSITY);
        mark_trouble(w, i, last);
        break;
    case LEX_URGENT:
        if (negated(w, i))
            break;
        w->t->urgency += e->weight;
        add_evidence(w, i, last, PW_EVIDENCE_URGENCY);
        if (e->weight == 3) /* "still locked out" */
            mark_trouble(w, i, last);
        break;
    case LEX_REPEAT:
        count_repeat(w, i, last);
        break;
    case LEX_STILL:
        on_still(w, i);
        break;
    case LEX_TROUBLE:
        mark_trouble(w, i, last);
        break;
    default:
        break;
    }
}

/* Sentence punctuation between two tokens ends a clause; "!" and "?" are tokens of their own. */
static int clause_gap(const pw__view *v, size_t i) {
    for (size_t b = token_end(v, i - 1); b < v->tokens[i].start; b++)
        if (strchr(".,;:()", v->norm[b]))
            return 1;
    return 0;
}

/* Handles a token no entry starts at; `word` is its index slot (NULL when in no list). */
static void on_plain_word(walk *w, const pw__word_slot *word, size_t i) {
    const pw_token *t = &w->v->tokens[i];
    const char *text = w->v->norm + t->start;
    uint16_t lists = word ? word->lists : 0;
    if (is_negator(text, t->len, lists)) {
        w->negator = i + 1;
        w->never = t->len == 5 && memcmp(text, "never", 5) == 0;
        mark_trouble(w, i, i); /* "still can't", "still not" */
    } else if (lists & PW__WORD_BREAKER) {
        w->clause = i + 1;
    } else if (lists & PW__WORD_BLOCKER) {
        w->blocker = i + 1;
    }
}

void pw__lexicon_scan(const pw__view *v, const pw__lexicon_index *ix, pw__tally *t,
                      pw_signals *out) {
    walk w = {v, t, out, 0, 0, 0, 0, 0, 0};
    for (size_t i = 0; i < v->count;) {
        if (i > 0 && clause_gap(v, i))
            w.clause = i;
        if (v->tokens[i].kind == PW_TOKEN_PUNCT) {
            w.clause = ++i;
            continue;
        }
        size_t n = 0;
        const pw__word_slot *word = pw__word_find(ix, v, i);
        const lex_entry *e = longest_match(v, ix, word, i, &n);
        if (e) {
            on_entry(&w, e, i, i + n - 1);
            i += n;
        } else {
            on_plain_word(&w, word, i);
            i++;
        }
    }
}
