/* The index requests read (index.h, pw_kb_live): reference-counted, replaced whole after an
 * article write. The count is guarded by a mutex held for a few instructions per request.
 * SPDX-License-Identifier: MIT */
#include "index_int.h"
#include "../log.h"

int pw_kb_live_init(pw_kb_live *live, pw_conn *c) {
    if (pw_kb_index_build(c, &live->current))
        return -1;
    live->current->refs = 1; /* the live slot's own reference */
    pthread_mutex_init(&live->lock, NULL);
    pthread_mutex_init(&live->reload, NULL);
    return 0;
}

const pw_kb_index *pw_kb_live_acquire(pw_kb_live *live) {
    pthread_mutex_lock(&live->lock);
    pw_kb_index *ix = live->current;
    ix->refs++;
    pthread_mutex_unlock(&live->lock);
    return ix;
}

void pw_kb_live_release(pw_kb_live *live, const pw_kb_index *held) {
    if (!held)
        return;
    pw_kb_index *ix = (pw_kb_index *)held; /* the count is the only mutable part */
    pthread_mutex_lock(&live->lock);
    int last = --ix->refs == 0;
    pthread_mutex_unlock(&live->lock);
    if (last)
        pw_kb_index_free(ix);
}

int pw_kb_live_reload(pw_kb_live *live, pw_pool *readers) {
    pw_kb_index *fresh = NULL;
    /* Reloads in turn: each reads after the write that asked for it committed, so whichever
     * runs last has seen every write, and it is the one left current. */
    pthread_mutex_lock(&live->reload);
    pw_conn *c = pw_pool_get(readers);
    int rc = pw_kb_index_build(c, &fresh);
    pw_pool_put(readers, c);
    if (rc == 0) {
        fresh->refs = 1;
        pthread_mutex_lock(&live->lock);
        pw_kb_index *old = live->current;
        live->current = fresh;
        pthread_mutex_unlock(&live->lock);
        pw_kb_live_release(live, old);
    } else {
        pw_log_error("kb.reload", "error", "the knowledge base could not be read again", NULL);
    }
    pthread_mutex_unlock(&live->reload);
    return rc;
}

void pw_kb_live_free(pw_kb_live *live) {
    if (!live->current)
        return;
    pw_kb_live_release(live, live->current);
    live->current = NULL;
    pthread_mutex_destroy(&live->lock);
    pthread_mutex_destroy(&live->reload);
}
