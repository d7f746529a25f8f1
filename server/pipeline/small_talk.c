/* Courtesy detection over the core's normalised tokens, so case, accents and curly apostrophes
 * need no handling here.
 * SPDX-License-Identifier: MIT */
#include "small_talk.h"

#include "pw/text.h"

#include <string.h>

#define MAX_WORDS 8

/* Words that carry the courtesy, and filler that may surround it. English plus the greetings
 * and thanks of the languages the demo data has (German, French, Spanish). */
static const char *const greetings[] = {
    "hi",      "hello", "hey",  "hiya",   "morning", "evening", "afternoon", "hallo",
    "bonjour", "salut", "hola", "buenos", "dias",    "tag",     "guten",     NULL};
static const char *const thanks[] = {"thanks", "thank", "thx",     "ty",          "cheers", "merci",
                                     "danke",  "dank",  "gracias", "appreciated", NULL};
static const char *const goodbyes[] = {"bye", "goodbye", "ciao", "adios", "tschuss", NULL};
static const char *const filler[] = {
    "you",   "so",      "much",    "very", "a",      "lot",      "ok",     "okay",   "great",
    "good",  "perfect", "awesome", "that", "worked", "works",    "it",     "that's", "all",
    "there", "team",    "again",   "now",  "got",    "fixed",    "solved", "nice",   "cool",
    "for",   "the",     "help",    "your", "many",   "beaucoup", "vielen", "muchas", "de",
    "nada",  "super",   "bien",    "sehr", "!",      "?",        NULL};

static int in_list(const char *w, size_t n, const char *const *list) {
    for (int i = 0; list[i]; i++)
        if (strlen(list[i]) == n && memcmp(list[i], w, n) == 0)
            return 1;
    return 0;
}

pw_small_talk pw_small_talk_of(const char *text, size_t len) {
    char norm[512];
    size_t norm_len;
    if (len == 0 || len > 160 || pw_text_normalize(text, len, norm, sizeof norm, &norm_len) != 0)
        return PW_SMALL_TALK_NONE;
    pw_token tokens[MAX_WORDS + 1];
    size_t count;
    if (pw_text_tokenize(norm, norm_len, tokens, MAX_WORDS + 1, &count) != 0 || count == 0 ||
        count > MAX_WORDS)
        return PW_SMALL_TALK_NONE;
    int greeting = 0, thank = 0, bye = 0;
    for (size_t i = 0; i < count; i++) {
        const char *w = norm + tokens[i].start;
        size_t n = tokens[i].len;
        if (in_list(w, n, greetings))
            greeting = 1;
        else if (in_list(w, n, thanks))
            thank = 1;
        else if (in_list(w, n, goodbyes))
            bye = 1;
        else if (!in_list(w, n, filler))
            return PW_SMALL_TALK_NONE; /* a word with content: a real message */
    }
    return thank      ? PW_SMALL_TALK_THANKS
           : bye      ? PW_SMALL_TALK_GOODBYE
           : greeting ? PW_SMALL_TALK_GREETING
                      : PW_SMALL_TALK_NONE;
}

const char *pw_small_talk_reply(pw_small_talk kind) {
    switch (kind) {
    case PW_SMALL_TALK_GREETING:
        return "Hi! What can I help you with? Tell me what you are trying to do, and I'll "
               "take it from the page you're on.";
    case PW_SMALL_TALK_THANKS:
        return "Glad that helped! If anything else comes up, just write here.";
    case PW_SMALL_TALK_GOODBYE:
        return "Thanks for stopping by. If anything else comes up, just write here.";
    default:
        return "";
    }
}
