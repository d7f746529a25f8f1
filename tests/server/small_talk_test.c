/* Courtesy messages: what counts as a greeting, thanks or goodbye, and — the part that matters —
 * that a real question wrapped in a courtesy is never mistaken for one.
 * SPDX-License-Identifier: MIT */
#include "pipeline/small_talk.h"
#include "pw_test.h"

#include <string.h>

static int kind_of(const char *text) {
    return (int)pw_small_talk_of(text, strlen(text));
}

static void greetings(void) {
    PW_CHECK_INT(kind_of("hello"), PW_SMALL_TALK_GREETING);
    PW_CHECK_INT(kind_of("Hi there!"), PW_SMALL_TALK_GREETING);
    PW_CHECK_INT(kind_of("HEY"), PW_SMALL_TALK_GREETING);
    PW_CHECK_INT(kind_of("Good morning team"), PW_SMALL_TALK_GREETING);
    PW_CHECK_INT(kind_of("Bonjour"), PW_SMALL_TALK_GREETING);
    PW_CHECK_INT(kind_of("¡Hola!"), PW_SMALL_TALK_GREETING);
}

static void thanks_and_goodbyes(void) {
    PW_CHECK_INT(kind_of("thanks, that worked!"), PW_SMALL_TALK_THANKS);
    PW_CHECK_INT(kind_of("Thank you so much"), PW_SMALL_TALK_THANKS);
    PW_CHECK_INT(kind_of("great, thx"), PW_SMALL_TALK_THANKS);
    PW_CHECK_INT(kind_of("hi, thanks for the help"), PW_SMALL_TALK_THANKS);
    PW_CHECK_INT(kind_of("Merci beaucoup"), PW_SMALL_TALK_THANKS);
    PW_CHECK_INT(kind_of("Vielen Dank"), PW_SMALL_TALK_THANKS);
    PW_CHECK_INT(kind_of("ok bye"), PW_SMALL_TALK_GOODBYE);
    PW_CHECK_INT(kind_of("That\u2019s all, goodbye"), PW_SMALL_TALK_GOODBYE);
}

/* Anything with a word of content goes through the pipeline like any message. */
static void questions_are_not_small_talk(void) {
    PW_CHECK_INT(kind_of("hi, I can't export my report"), PW_SMALL_TALK_NONE);
    PW_CHECK_INT(kind_of("thanks but it still doesn't work"), PW_SMALL_TALK_NONE);
    PW_CHECK_INT(kind_of("hello? I was charged twice"), PW_SMALL_TALK_NONE);
    PW_CHECK_INT(kind_of("thanks for nothing, cancel my account"), PW_SMALL_TALK_NONE);
    PW_CHECK_INT(kind_of("ok"), PW_SMALL_TALK_NONE);
    PW_CHECK_INT(kind_of(""), PW_SMALL_TALK_NONE);
    PW_CHECK_INT(kind_of("hi hi hi hi hi hi hi hi hi"), PW_SMALL_TALK_NONE); /* over 8 words */
}

static void replies_exist(void) {
    PW_CHECK(strlen(pw_small_talk_reply(PW_SMALL_TALK_GREETING)) > 0);
    PW_CHECK(strlen(pw_small_talk_reply(PW_SMALL_TALK_THANKS)) > 0);
    PW_CHECK(strlen(pw_small_talk_reply(PW_SMALL_TALK_GOODBYE)) > 0);
    PW_CHECK_INT((int)strlen(pw_small_talk_reply(PW_SMALL_TALK_NONE)), 0);
}

int main(void) {
    PW_RUN(greetings);
    PW_RUN(thanks_and_goodbyes);
    PW_RUN(questions_are_not_small_talk);
    PW_RUN(replies_exist);
    return pw_test_exit_code();
}
