/* Greetings, thanks and goodbyes. "hello" or "thanks, that worked!" is not a support question:
 * sent through the policy it would be out of scope and escalated, and a person would be paged
 * for a courtesy. A message made only of courtesy words gets a short reply instead.
 * SPDX-License-Identifier: MIT */
#ifndef PW_PIPELINE_SMALL_TALK_H
#define PW_PIPELINE_SMALL_TALK_H

#include <stddef.h>

typedef enum pw_small_talk {
    PW_SMALL_TALK_NONE = 0,
    PW_SMALL_TALK_GREETING, /* "hi", "hello there", "bonjour" */
    PW_SMALL_TALK_THANKS,   /* "thanks!", "great, that worked", "merci" */
    PW_SMALL_TALK_GOODBYE   /* "bye", "that's all" */
} pw_small_talk;

/* Classifies text[0..len): a kind when every word is a courtesy word (at most 8 words, at least
 * one of them a greeting, thanks or goodbye), else PW_SMALL_TALK_NONE. Thanks wins over a
 * greeting ("hi, thanks"). Pure; thread-safe. */
pw_small_talk pw_small_talk_of(const char *text, size_t len);

/* The reply for a kind (static text). */
const char *pw_small_talk_reply(pw_small_talk kind);

#endif
