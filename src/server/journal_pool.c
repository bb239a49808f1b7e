/*
 * journal_pool.c - the server's connections to the journal and its
 * lexicon (journal_pool.h says why a pool and how it is kept coherent).
 */
#include "server/journal_pool.h"

#include "server/http.h"

#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct slot {
    pthread_mutex_t lock;
    gs_db *db;
    /* the last reply cached on this connection (journal_pool.h) */
    char cache_key[512];
    uint64_t cache_version[2];
    gs_shared_bytes *cache;
    /* the journal's version on this connection when it last found the
     * lexicon's user tags current (UINT64_MAX: never) */
    uint64_t lex_version[2];
} slot;

struct gs_server_journal {
    slot *slots;
    size_t n;
    atomic_size_t next;          /* where the next borrower starts looking */
    pthread_mutex_t write_lock;  /* one writing request at a time */
    pthread_rwlock_t lex_lock;
    gs_lexicon *lex;
    uint64_t lex_tags;           /* stamp of the user tags in lex (tags_stamp) */
    pthread_mutex_t lex_check;   /* one freshness check at a time */
};

/* A stamp of the person's tags: FNV-1a over every food and tag in the
 * order the journal keeps them.  Tags are only ever added, but the stamp
 * covers their content, so a journal replaced under the server is noticed
 * as well. */
static uint64_t tags_stamp(const gs_db_tag *tags, size_t n)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++) {
        const char *parts[2] = {tags[i].food, tags[i].tag};
        for (int k = 0; k < 2; k++) {
            for (const unsigned char *c = (const unsigned char *)parts[k]; *c; c++)
                h = (h ^ *c) * 1099511628211u;
            h = (h ^ 0xffu) * 1099511628211u;  /* a separator no text holds */
        }
    }
    return h ^ n;
}

/* The shipped lexicon with the journal's tags (as read on db) replayed
 * onto it, as gs_db_apply_user_tags does, and the stamp of those tags. */
static gs_status load_lexicon(gs_db *db, gs_lexicon **out, uint64_t *stamp, gs_err *err)
{
    gs_db_tag *tags;
    size_t n;
    gs_status st = gs_db_tags(db, &tags, &n, err);
    if (st) return st;
    gs_lexicon *lex = NULL;
    st = gs_lexicon_load(NULL, &lex, err);
    for (size_t i = 0; st == GS_OK && i < n; i++)
        st = gs_lexicon_add(lex, tags[i].food, tags[i].tag, err);
    if (st == GS_OK) {
        *out = lex;
        *stamp = tags_stamp(tags, n);
    } else {
        gs_lexicon_free(lex);
    }
    free(tags);
    return st;
}

/* Put fresh (with its stamp) in place of the lexicon; the caller holds
 * no lexicon lock. */
static void swap_lexicon(gs_server_journal *j, gs_lexicon *fresh, uint64_t stamp)
{
    pthread_rwlock_wrlock(&j->lex_lock);
    gs_lexicon_free(j->lex);
    j->lex = fresh;
    j->lex_tags = stamp;
    pthread_rwlock_unlock(&j->lex_lock);
}

gs_status gs_sjournal_open(const char *path, int n, gs_server_journal **out, gs_err *err)
{
    assert(n >= 1 && out);
    *out = NULL;
    gs_server_journal *j = calloc(1, sizeof *j);
    if (!j || !(j->slots = calloc((size_t)n, sizeof *j->slots))) {
        free(j);
        return gs_fail(err, GS_ERR_NOMEM, "out of memory for the journal's connections");
    }
    pthread_rwlock_init(&j->lex_lock, NULL);
    pthread_mutex_init(&j->lex_check, NULL);
    pthread_mutex_init(&j->write_lock, NULL);
    atomic_init(&j->next, 0);
    gs_status st = GS_OK;
    for (int i = 0; i < n && st == GS_OK; i++) {
        pthread_mutex_init(&j->slots[i].lock, NULL);
        j->slots[i].lex_version[0] = j->slots[i].lex_version[1] = UINT64_MAX;
        j->n++;
        /* the first open creates or migrates; the others find it ready */
        st = gs_db_open(i == 0 ? path : gs_db_path(j->slots[0].db), &j->slots[i].db, err);
    }
    if (st == GS_OK) st = load_lexicon(j->slots[0].db, &j->lex, &j->lex_tags, err);
    if (st != GS_OK) {
        gs_sjournal_close(j);
        return st;
    }
    *out = j;
    return GS_OK;
}

void gs_sjournal_close(gs_server_journal *j)
{
    if (!j) return;
    for (size_t i = 0; i < j->n; i++) {
        gs_db_close(j->slots[i].db);
        gs_shared_bytes_unref(j->slots[i].cache);
        pthread_mutex_destroy(&j->slots[i].lock);
    }
    gs_lexicon_free(j->lex);
    pthread_rwlock_destroy(&j->lex_lock);
    pthread_mutex_destroy(&j->lex_check);
    pthread_mutex_destroy(&j->write_lock);
    free(j->slots);
    free(j);
}

gs_db *gs_sjournal_acquire(gs_server_journal *j, size_t *slot_out)
{
    /* with more than one connection, the first is the writers' (see
     * gs_sjournal_acquire_writer) and readers share the others */
    size_t first = j->n > 1 ? 1 : 0, readers = j->n - first;
    size_t start = first + atomic_fetch_add(&j->next, 1) % readers;
    /* a free connection if there is one, else wait for the one we started at */
    for (size_t k = 0; k < readers; k++) {
        size_t i = first + (start - first + k) % readers;
        if (pthread_mutex_trylock(&j->slots[i].lock) == 0) {
            *slot_out = i;
            return j->slots[i].db;
        }
    }
    pthread_mutex_lock(&j->slots[start].lock);
    *slot_out = start;
    return j->slots[start].db;
}

void gs_sjournal_release(gs_server_journal *j, size_t slot_i)
{
    assert(slot_i < j->n);
    pthread_mutex_unlock(&j->slots[slot_i].lock);
}

gs_db *gs_sjournal_acquire_writer(gs_server_journal *j, size_t *slot_out)
{
    /* writes run one at a time anyway (SQLite has one writer), so they
     * all use the first connection, whose page cache stays warm for them */
    pthread_mutex_lock(&j->write_lock);
    pthread_mutex_lock(&j->slots[0].lock);
    *slot_out = 0;
    return j->slots[0].db;
}

void gs_sjournal_release_writer(gs_server_journal *j, size_t slot_i)
{
    gs_sjournal_release(j, slot_i);
    pthread_mutex_unlock(&j->write_lock);
}

/* Whether the user tags changed is asked of the borrowed connection:
 * first its PRAGMA data_version (through gs_db_version), which moves only
 * when some connection commits, so an unchanged journal costs one pragma;
 * when it moved, the tags are read and their stamp compared with the
 * lexicon's.  The checks run one at a time (lex_check) on connections
 * outside any transaction, so each reads the journal as last committed
 * and a later check never puts back an older lexicon.  A failed check
 * keeps the lexicon there is: a stale tag is better than no answer. */
const gs_lexicon *gs_sjournal_lexicon(gs_server_journal *j, size_t slot_i)
{
    assert(slot_i < j->n);
    slot *s = &j->slots[slot_i];  /* held by the caller: its fields are ours */
    uint64_t v[2];
    gs_err err;
    if (gs_db_version(s->db, v, &err) == GS_OK &&
        (v[0] != s->lex_version[0] || v[1] != s->lex_version[1])) {
        pthread_mutex_lock(&j->lex_check);
        gs_db_tag *tags;
        size_t n;
        if (gs_db_tags(s->db, &tags, &n, &err) == GS_OK) {
            uint64_t stamp = tags_stamp(tags, n);
            free(tags);
            pthread_rwlock_rdlock(&j->lex_lock);
            int stale = stamp != j->lex_tags;
            pthread_rwlock_unlock(&j->lex_lock);
            gs_lexicon *fresh;
            uint64_t fresh_stamp;
            if (!stale) {
                memcpy(s->lex_version, v, sizeof v);
            } else if (load_lexicon(s->db, &fresh, &fresh_stamp, &err) == GS_OK) {
                swap_lexicon(j, fresh, fresh_stamp);
                /* the version read before the load: a commit between
                 * the two is looked at on the next request */
                memcpy(s->lex_version, v, sizeof v);
            }
        }
        pthread_mutex_unlock(&j->lex_check);
    }
    pthread_rwlock_rdlock(&j->lex_lock);
    return j->lex;
}

void gs_sjournal_lexicon_done(gs_server_journal *j)
{
    pthread_rwlock_unlock(&j->lex_lock);
}

/* Lock order everywhere: the write lock, a connection, the lexicon's
 * lock; so a handler that holds a connection and waits to read the
 * lexicon cannot deadlock with a writer of the lexicon. */
gs_status gs_sjournal_tag_add(gs_server_journal *j, const char *food, const char *tag,
                              gs_err *err)
{
    size_t s;
    gs_db *db = gs_sjournal_acquire_writer(j, &s);
    pthread_rwlock_wrlock(&j->lex_lock);
    /* the lexicon checks food and tag as the journal does, so trying it
     * first means a refusal writes nothing */
    gs_status st = gs_lexicon_add(j->lex, food, tag, err);
    if (st == GS_OK && (st = gs_db_tag_add(db, food, tag, err)) != GS_OK) {
        gs_lexicon *fresh;  /* put the lexicon back as the journal has it */
        uint64_t stamp;
        gs_err ignore;
        if (load_lexicon(db, &fresh, &stamp, &ignore) == GS_OK) {
            gs_lexicon_free(j->lex);
            j->lex = fresh;
            j->lex_tags = stamp;
        }
    }
    pthread_rwlock_unlock(&j->lex_lock);
    gs_sjournal_release_writer(j, s);
    return st;
}

gs_status gs_sjournal_set_day_start(gs_server_journal *j, int minutes, gs_err *err)
{
    gs_status st = GS_OK;
    pthread_mutex_lock(&j->write_lock);
    for (size_t i = 0; i < j->n && st == GS_OK; i++) {
        pthread_mutex_lock(&j->slots[i].lock);
        if (gs_db_day_start(j->slots[i].db) != minutes || i == 0)
            st = gs_db_set_day_start(j->slots[i].db, minutes, err);
        pthread_mutex_unlock(&j->slots[i].lock);
    }
    pthread_mutex_unlock(&j->write_lock);
    return st;
}

gs_status gs_sjournal_refresh(gs_server_journal *j, int day_start, gs_err *err)
{
    gs_status st = gs_sjournal_set_day_start(j, day_start, err);
    if (st != GS_OK) return st;
    size_t s;
    gs_db *db = gs_sjournal_acquire(j, &s);
    gs_lexicon *fresh;
    uint64_t stamp;
    pthread_mutex_lock(&j->lex_check);  /* not to cross a freshness check */
    if ((st = load_lexicon(db, &fresh, &stamp, err)) == GS_OK) swap_lexicon(j, fresh, stamp);
    pthread_mutex_unlock(&j->lex_check);
    gs_sjournal_release(j, s);
    return st;
}

gs_shared_bytes *gs_sjournal_cache_get(gs_server_journal *j, size_t slot_i, const char *key,
                                       uint64_t version[2])
{
    assert(slot_i < j->n);
    slot *s = &j->slots[slot_i];
    gs_err err;
    if (gs_db_version(s->db, version, &err) != GS_OK) {
        version[0] = version[1] = UINT64_MAX;  /* never matches: no caching */
        return NULL;
    }
    if (!s->cache || strcmp(s->cache_key, key) != 0 || s->cache_version[0] != version[0] ||
        s->cache_version[1] != version[1])
        return NULL;
    return gs_shared_bytes_ref(s->cache);
}

void gs_sjournal_cache_put(gs_server_journal *j, size_t slot_i, const char *key,
                           const uint64_t version[2], gs_shared_bytes *bytes)
{
    assert(slot_i < j->n);
    slot *s = &j->slots[slot_i];
    if (version[0] == UINT64_MAX || strlen(key) >= sizeof s->cache_key) return;
    gs_shared_bytes_unref(s->cache);
    s->cache = gs_shared_bytes_ref(bytes);
    snprintf(s->cache_key, sizeof s->cache_key, "%s", key);
    s->cache_version[0] = version[0];
    s->cache_version[1] = version[1];
}

const char *gs_sjournal_path(const gs_server_journal *j)
{
    return gs_db_path(j->slots[0].db);
}
