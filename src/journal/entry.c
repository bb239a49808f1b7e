/*
 * entry.c - writing, reading, editing and undoing journal entries, and
 * the pairing of intervention starts with their stops.
 * See include/gutskin/journal.h.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "journal/db_internal.h"

/* ---- rows <-> events ------------------------------------------------- */

static void bind_time(sqlite3_stmt *st, int col, const gs_time *t)
{
    sqlite3_bind_int64(st, col, t->wall);
    if (t->has_offset)
        sqlite3_bind_int(st, col + 1, t->offset_min);
    else
        sqlite3_bind_null(st, col + 1);
}

static gs_time column_time(sqlite3_stmt *st, int col)
{
    gs_time t;
    t.wall = sqlite3_column_int64(st, col);
    t.has_offset = sqlite3_column_type(st, col + 1) != SQLITE_NULL;
    t.offset_min = t.has_offset ? sqlite3_column_int(st, col + 1) : 0;
    return t;
}

static void bind_value(sqlite3_stmt *st, int col, double v)
{
    if (isnan(v))
        sqlite3_bind_null(st, col);
    else
        sqlite3_bind_double(st, col, v);
}

static double column_value(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? NAN : sqlite3_column_double(st, col);
}

/* Copy a text column into buf (len bytes with its terminator).  The
 * schema's CHECKs keep stored texts within the gs_event limits; a longer
 * one is cut rather than overrun.  Only the text and its terminator are
 * written: this runs for every row of a read, and clearing the rest of
 * the buffer (or formatting through snprintf) was a visible part of an
 * uncached GET /api/v1/entries. */
static void column_copy(sqlite3_stmt *st, int col, char *buf, size_t len)
{
    assert(len > 0);
    const unsigned char *text = sqlite3_column_text(st, col);
    size_t n = text ? (size_t)sqlite3_column_bytes(st, col) : 0;
    if (n >= len) n = len - 1;
    if (n) memcpy(buf, text, n);
    buf[n] = '\0';
}

/* The event of a row selected as id, at_wall, at_offset, kind, name,
 * value, unit, note.  Every field is set here, so *ev needs no clearing
 * first. */
static void row_event(sqlite3_stmt *st, gs_event *ev)
{
    gs_event_kind kind = GS_EVENT_FOOD;
    gs_event_kind_parse((const char *)sqlite3_column_text(st, 3), &kind, NULL);
    ev->kind = kind;
    ev->id = sqlite3_column_int64(st, 0);
    ev->at = column_time(st, 1);
    column_copy(st, 4, ev->name, sizeof ev->name);
    ev->value = column_value(st, 5);
    column_copy(st, 6, ev->unit, sizeof ev->unit);
    column_copy(st, 7, ev->note, sizeof ev->note);
}

/* ---- interventions ---------------------------------------------------- */

/* "a, b" of what is running, or "nothing is running". */
static void running_list(gs_db *db, char *buf, size_t len)
{
    gs_db_intervention *iv = NULL;
    size_t n = 0;
    buf[0] = '\0';
    if (gs_db_interventions(db, 1, &iv, &n, NULL) != GS_OK || n == 0) {
        snprintf(buf, len, "nothing is running");
        free(iv);
        return;
    }
    size_t used = (size_t)snprintf(buf, len, "running: ");
    for (size_t i = 0; i < n && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", iv[i].name);
    free(iv);
}

/* The start id of the running intervention called name (0: none) and
 * its start time. */
static gs_status running_start(gs_db *db, const char *name, int64_t *start_id,
                               int64_t *start_wall, gs_err *err)
{
    sqlite3_stmt *st = db->stmt[GS_STMT_RUNNING_BY_NAME];
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    *start_id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    *start_wall = rc == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return gs_db_sql_fail(db->sql, "reading the running interventions", err);
    return GS_OK;
}

static gs_status step_done(gs_db *db, sqlite3_stmt *st, const char *what, gs_err *err)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE) return gs_db_sql_fail(db->sql, what, err);
    return GS_OK;
}

static gs_status insert_entry(gs_db *db, gs_event *ev, gs_err *err)
{
    sqlite3_stmt *st = db->stmt[GS_STMT_INSERT_ENTRY];
    bind_time(st, 1, &ev->at);
    sqlite3_bind_text(st, 3, gs_event_kind_name(ev->kind), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, ev->name, -1, SQLITE_STATIC);
    bind_value(st, 5, ev->value);
    sqlite3_bind_text(st, 6, ev->unit, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, ev->note, -1, SQLITE_STATIC);
    gs_status s = step_done(db, st, "writing the entry", err);
    if (s == GS_OK) ev->id = sqlite3_last_insert_rowid(db->sql);
    return s;
}

/* A start or a stop: the entry and its place in the intervention table,
 * both or neither (a savepoint nests inside an open transaction). */
static gs_status add_intervention_event(gs_db *db, gs_event *ev, gs_err *err)
{
    int64_t start_id, start_wall;
    gs_status st = running_start(db, ev->name, &start_id, &start_wall, err);
    if (st) return st;
    char running[512];
    if (ev->kind == GS_EVENT_START && start_id)
        return gs_fail(err, GS_ERR_INPUT, "'%s' is already running (entry %lld); stop it first",
                       ev->name, (long long)start_id);
    if (ev->kind == GS_EVENT_STOP && !start_id) {
        running_list(db, running, sizeof running);
        return gs_fail(err, GS_ERR_INPUT, "cannot stop '%s': it is not running (%s)", ev->name,
                       running);
    }
    if (ev->kind == GS_EVENT_STOP && ev->at.wall < start_wall) {
        gs_time t = {start_wall, 0, 0};
        char when[GS_TIME_TEXT_MAX];
        gs_time_format(&t, when);
        return gs_fail(err, GS_ERR_INPUT, "cannot stop '%s' before it started (%s)", ev->name,
                       when);
    }
    if ((st = gs_db_exec(db->sql, "SAVEPOINT gs_add", "writing the entry", err))) return st;
    st = insert_entry(db, ev, err);
    if (st == GS_OK && ev->kind == GS_EVENT_START) {
        sqlite3_stmt *q = db->stmt[GS_STMT_INSERT_INTERVENTION];
        sqlite3_bind_int64(q, 1, ev->id);
        st = step_done(db, q, "writing the intervention", err);
    } else if (st == GS_OK) {
        sqlite3_stmt *q = db->stmt[GS_STMT_SET_STOP];
        sqlite3_bind_int64(q, 1, start_id);
        sqlite3_bind_int64(q, 2, ev->id);
        st = step_done(db, q, "writing the intervention", err);
    }
    if (st) {
        sqlite3_exec(db->sql, "ROLLBACK TO gs_add; RELEASE gs_add", NULL, NULL, NULL);
        ev->id = 0;
        return st;
    }
    return gs_db_exec(db->sql, "RELEASE gs_add", "writing the entry", err);
}

gs_status gs_db_add(gs_db *db, gs_event *ev, gs_err *err)
{
    gs_status st = gs_event_check(ev, err);
    if (st) return st;
    if (ev->kind == GS_EVENT_START || ev->kind == GS_EVENT_STOP)
        return add_intervention_event(db, ev, err);
    return insert_entry(db, ev, err);
}

gs_status gs_db_events(gs_db *db, const gs_time *from, const gs_time *to, gs_event **out,
                       size_t *n, gs_err *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = db->stmt[GS_STMT_EVENTS];
    sqlite3_bind_int64(st, 1, from ? from->wall : INT64_MIN);
    sqlite3_bind_int64(st, 2, to ? to->wall : INT64_MAX);
    gs_event *evs = NULL;
    size_t count = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (count == cap) {
            cap = cap ? cap * 2 : 64;
            gs_event *grown = realloc(evs, cap * sizeof *evs);
            if (!grown) {
                free(evs);
                sqlite3_reset(st);
                return gs_fail(err, GS_ERR_NOMEM, "out of memory reading %zu entries", count);
            }
            evs = grown;
        }
        row_event(st, &evs[count++]);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        free(evs);
        return gs_db_sql_fail(db->sql, "reading the entries", err);
    }
    *out = evs;
    *n = count;
    return GS_OK;
}

gs_status gs_db_get(gs_db *db, int64_t id, gs_event *ev, gs_err *err)
{
    sqlite3_stmt *st = db->stmt[GS_STMT_GET];
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) row_event(st, ev);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return gs_fail(err, GS_ERR_INPUT, "there is no entry %lld in the journal", (long long)id);
    if (rc != SQLITE_ROW) return gs_db_sql_fail(db->sql, "reading the entry", err);
    return GS_OK;
}

/* The intervention pair an entry belongs to: start and stop ids (stop 0
 * while running) and their times. */
static gs_status pair_of(gs_db *db, int64_t id, int64_t ids[2], int64_t walls[2], gs_err *err)
{
    sqlite3_stmt *st = db->stmt[GS_STMT_PAIR_OF];
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    ids[0] = ids[1] = 0;
    if (rc == SQLITE_ROW) {
        ids[0] = sqlite3_column_int64(st, 0);
        ids[1] = sqlite3_column_int64(st, 1); /* NULL reads as 0 */
        walls[0] = sqlite3_column_int64(st, 2);
        walls[1] = sqlite3_column_int64(st, 3);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return gs_db_sql_fail(db->sql, "reading the intervention", err);
    return GS_OK;
}

/* May the course ids (start, stop or 0) be called name?  Only if it
 * interleaves with no other course of that name in the order written:
 * each must stop before the other starts.  That keeps "one course of a
 * name runs at a time" true for every prefix of the writes, which is what
 * lets an export replay them (export.c). */
static gs_status check_rename(gs_db *db, const char *name, const int64_t ids[2], gs_err *err)
{
    sqlite3_stmt *st = db->stmt[GS_STMT_INTERLEAVED];
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, ids[0]);
    if (ids[1])
        sqlite3_bind_int64(st, 3, ids[1]);
    else
        sqlite3_bind_null(st, 3);
    int rc = sqlite3_step(st);
    int64_t other = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return gs_db_sql_fail(db->sql, "reading the interventions", err);
    if (other)
        return gs_fail(err, GS_ERR_INPUT,
                       "cannot rename to '%s': its course (from entry %lld) would overlap the "
                       "'%s' course that starts at entry %lld",
                       name, (long long)ids[0], name, (long long)other);
    return GS_OK;
}

gs_status gs_db_edit(gs_db *db, const gs_event *ev, gs_err *err)
{
    gs_event old;
    gs_status st = gs_db_get(db, ev->id, &old, err);
    if (st) return st;
    if (old.kind != ev->kind)
        return gs_fail(err, GS_ERR_INPUT, "entry %lld is a %s entry and stays one", (long long)ev->id,
                       gs_event_kind_name(old.kind));
    if ((st = gs_event_check(ev, err))) return st;
    int64_t ids[2] = {0, 0}, walls[2] = {0, 0};
    int pair = ev->kind == GS_EVENT_START || ev->kind == GS_EVENT_STOP;
    if (pair) {
        if ((st = pair_of(db, ev->id, ids, walls, err))) return st;
        if (ev->kind == GS_EVENT_START && ids[1] && ev->at.wall > walls[1])
            return gs_fail(err, GS_ERR_INPUT, "entry %lld: a start cannot move after its stop "
                           "(entry %lld)", (long long)ev->id, (long long)ids[1]);
        if (ev->kind == GS_EVENT_STOP && ids[0] && ev->at.wall < walls[0])
            return gs_fail(err, GS_ERR_INPUT, "entry %lld: a stop cannot move before its start "
                           "(entry %lld)", (long long)ev->id, (long long)ids[0]);
        if (ids[0] && strcmp(ev->name, old.name) != 0 &&
            (st = check_rename(db, ev->name, ids, err)))
            return st;
    }
    if ((st = gs_db_exec(db->sql, "SAVEPOINT gs_edit", "editing the entry", err))) return st;
    sqlite3_stmt *q = db->stmt[GS_STMT_UPDATE];
    sqlite3_bind_int64(q, 1, ev->id);
    bind_time(q, 2, &ev->at);
    sqlite3_bind_text(q, 4, ev->name, -1, SQLITE_STATIC);
    bind_value(q, 5, ev->value);
    sqlite3_bind_text(q, 6, ev->unit, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 7, ev->note, -1, SQLITE_STATIC);
    st = step_done(db, q, "editing the entry", err);
    int64_t partner = ev->kind == GS_EVENT_START ? ids[1] : ids[0];
    if (st == GS_OK && pair && partner && strcmp(ev->name, old.name) != 0) {
        q = db->stmt[GS_STMT_RENAME];
        sqlite3_bind_int64(q, 1, partner);
        sqlite3_bind_text(q, 2, ev->name, -1, SQLITE_STATIC);
        st = step_done(db, q, "renaming the intervention", err);
    }
    if (st) {
        sqlite3_exec(db->sql, "ROLLBACK TO gs_edit; RELEASE gs_edit", NULL, NULL, NULL);
        return st;
    }
    return gs_db_exec(db->sql, "RELEASE gs_edit", "editing the entry", err);
}

gs_status gs_db_undo(gs_db *db, gs_event *removed, gs_err *err)
{
    sqlite3_stmt *st = db->stmt[GS_STMT_LAST];
    int rc = sqlite3_step(st);
    int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW) return gs_db_sql_fail(db->sql, "finding the last entry", err);
    if (id == 0) return gs_fail(err, GS_ERR_INPUT, "the journal has no entries to undo");
    gs_event ev;
    gs_status s = gs_db_get(db, id, &ev, err);
    if (s) return s;
    /* the last entry is never a start with a stop: a stop is written after
     * its start, so deleting it cannot orphan one (ON DELETE SET NULL
     * reopens an undone stop's start) */
    st = db->stmt[GS_STMT_DELETE];
    sqlite3_bind_int64(st, 1, id);
    if ((s = step_done(db, st, "removing the entry", err))) return s;
    if (removed) *removed = ev;
    return GS_OK;
}

gs_status gs_db_interventions(gs_db *db, int running_only, gs_db_intervention **out,
                              size_t *n, gs_err *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = db->stmt[GS_STMT_INTERVENTIONS];
    sqlite3_bind_int(st, 1, running_only);
    gs_db_intervention *iv = NULL;
    size_t count = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (count == cap) {
            cap = cap ? cap * 2 : 16;
            gs_db_intervention *grown = realloc(iv, cap * sizeof *iv);
            if (!grown) {
                free(iv);
                sqlite3_reset(st);
                return gs_fail(err, GS_ERR_NOMEM, "out of memory reading interventions");
            }
            iv = grown;
        }
        gs_db_intervention *x = &iv[count++];
        memset(x, 0, sizeof *x);
        x->start_id = sqlite3_column_int64(st, 0);
        column_copy(st, 1, x->name, sizeof x->name);
        x->dose = column_value(st, 2);
        column_copy(st, 3, x->unit, sizeof x->unit);
        x->start = column_time(st, 4);
        x->stop_id = sqlite3_column_int64(st, 6);
        if (x->stop_id) x->stop = column_time(st, 7);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        free(iv);
        return gs_db_sql_fail(db->sql, "reading the interventions", err);
    }
    *out = iv;
    *n = count;
    return GS_OK;
}
