/*
 * journal_pool.h - the journal as the server's handlers share it: a few
 * SQLite connections to one journal file, and the food lexicon with the
 * person's own tags replayed onto it.
 *
 * libmicrohttpd runs handlers on a pool of threads, and a gs_db is one
 * connection for one thread at a time.  So the server opens N connections
 * (default: one per HTTP thread plus one), each behind its own mutex; a
 * handler borrows one for the length of a request.  The first connection
 * is the writers': a request that writes takes the write lock and then
 * it.  Readers share the others; SQLite in WAL mode lets them read side
 * by side while the writer writes.  With N = 1 it is one mutex-protected
 * connection for everything, which bench/server/ compares against
 * (docs/web.md has the figures).
 *
 * What a connection caches (the day start) is kept equal on all of them:
 * a change goes through gs_sjournal_set_day_start, which takes every
 * connection in turn.  The lexicon is read under a shared lock and
 * changed (a tag added, an import's tags, tags another process added)
 * under an exclusive one.  Locks are always taken in the order: write
 * lock, connection, the lexicon's freshness check, lexicon.
 */
#ifndef GS_SERVER_JOURNAL_POOL_H
#define GS_SERVER_JOURNAL_POOL_H

#include <stddef.h>

#include "gutskin/journal.h"
#include "gutskin/lexicon.h"
#include "gutskin/status.h"

typedef struct gs_server_journal gs_server_journal;

/* Open n (>= 1) connections to the journal at path (NULL: the default
 * journal) and load the lexicon with the journal's own tags. */
gs_status gs_sjournal_open(const char *path, int n, gs_server_journal **out, gs_err *err);
void gs_sjournal_close(gs_server_journal *j);

/* Borrow a connection (waiting when all are busy); give it back with
 * gs_sjournal_release and the slot it came from. */
gs_db *gs_sjournal_acquire(gs_server_journal *j, size_t *slot);
void gs_sjournal_release(gs_server_journal *j, size_t slot);

/* The same for a request that writes: first the server's write lock, so
 * writers queue here (a mutex hands over in microseconds) rather than on
 * SQLite's lock, whose busy handler sleeps for milliseconds between
 * tries; then a connection.  Writes from other processes (the command
 * line) still meet on SQLite's lock. */
gs_db *gs_sjournal_acquire_writer(gs_server_journal *j, size_t *slot);
void gs_sjournal_release_writer(gs_server_journal *j, size_t slot);

/* The lexicon for reading; hold it only until gs_sjournal_lexicon_done.
 * The caller holds the connection in slot (borrowed either way) for the
 * length of this call; it may give it back before _done.  On it the call
 * checks, at most once per call and cheaply while the journal is
 * unchanged, whether the person's tags in the journal are still the ones
 * in the lexicon, and reloads the lexicon when they are not: a tag added
 * by another process (`gutskin tag add` on the same file) is seen by the
 * next request that uses the lexicon. */
const gs_lexicon *gs_sjournal_lexicon(gs_server_journal *j, size_t slot);
void gs_sjournal_lexicon_done(gs_server_journal *j);

/* Store the person's tag of a food in the journal and add it to the
 * lexicon, both or (on failure) neither. */
gs_status gs_sjournal_tag_add(gs_server_journal *j, const char *food, const char *tag,
                              gs_err *err);

/* Set the day start on every connection (it is stored once, cached on
 * each). */
gs_status gs_sjournal_set_day_start(gs_server_journal *j, int minutes, gs_err *err);

/* After an import (with no connection held): set every connection's day
 * start to day_start, the value the import left, and reload the lexicon
 * with the user tags the journal now holds. */
gs_status gs_sjournal_refresh(gs_server_journal *j, int day_start, gs_err *err);

/* A cache of one reply per connection (the last GET /entries answer), so
 * a page or a script asking again for an unchanged journal gets the bytes
 * without a query.  _get returns a new reference to the bytes stored
 * under key for the connection in slot (held by the caller) when the
 * journal's version (gs_db_version) is still the one they were made at,
 * else NULL; either way version[] receives the current version, to store
 * new bytes under with _put (which takes its own reference). */
struct gs_shared_bytes;
struct gs_shared_bytes *gs_sjournal_cache_get(gs_server_journal *j, size_t slot,
                                              const char *key, uint64_t version[2]);
void gs_sjournal_cache_put(gs_server_journal *j, size_t slot, const char *key,
                           const uint64_t version[2], struct gs_shared_bytes *bytes);

/* The journal's path. */
const char *gs_sjournal_path(const gs_server_journal *j);

#endif
