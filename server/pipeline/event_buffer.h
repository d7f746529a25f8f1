/* Struggle events of visitors who have not written yet. No row is stored for an anonymous
 * visitor until their first message, so their events wait here, in memory, bounded: a fixed
 * number of visitors with the latest events each; the least recently seen visitor is dropped
 * first. With the first message the pipeline takes them and stores them with the conversation.
 * SPDX-License-Identifier: MIT */
#ifndef PW_PIPELINE_EVENT_BUFFER_H
#define PW_PIPELINE_EVENT_BUFFER_H

#include "pipeline.h"

#include <stddef.h>

#define PW_EVENT_BUFFER_PER_VISITOR 16

typedef struct pw_event_buffer pw_event_buffer;

/* Room for `visitors` visitors. NULL when out of memory. Thread-safe. */
pw_event_buffer *pw_event_buffer_new(size_t visitors);

/* Copies events[0..n) for `visitor` (keeping the latest PW_EVENT_BUFFER_PER_VISITOR; a detail
 * over 1 KB is dropped, the event kept). */
void pw_event_buffer_add(pw_event_buffer *b, const char *visitor, const pw_struggle_event *events,
                         size_t n, int64_t now_ms);

/* Moves the visitor's events, oldest first, into out[0..cap) and forgets them. Each detail is
 * then the caller's (free with pw_intake_events_free or free()). Returns the count. */
size_t pw_event_buffer_take(pw_event_buffer *b, const char *visitor, pw_struggle_event *out,
                            size_t cap);

void pw_event_buffer_free(pw_event_buffer *b);

#endif
