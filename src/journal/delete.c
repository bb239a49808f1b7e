/*
 * delete.c - removing one journal entry by id (the web app's delete; the
 * command line's `undo` removes only the entry written last), and the
 * journal's version, which tells a reader whether anything changed.
 *
 * Interventions are pairs of a start and its stop, so a delete must not
 * leave the journal with a stop that closes nothing or with two courses
 * of one name running in an order an export could not replay:
 *   - a start that has a stop is refused (delete the stop first);
 *   - a stop is refused when a later course of the same name was written,
 *     since reopening this one would make the two interleave.
 * Deleting a stop reopens its start (the intervention table's ON DELETE
 * SET NULL), as undoing a stop does.
 */
#include <stdio.h>

#include "journal/db_internal.h"

/* The start id, stop id (0: running) and name of the course that entry id
 * belongs to; *found 0 when id is no start or stop. */
static gs_status course_of(gs_db *db, int64_t id, int64_t ids[2], int *found, gs_err *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->sql, "SELECT start_id, stop_id FROM intervention"
                           " WHERE start_id = ?1 OR stop_id = ?1", -1, &st, NULL) != SQLITE_OK)
        return gs_db_sql_fail(db->sql, "reading the intervention", err);
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    ids[0] = *found ? sqlite3_column_int64(st, 0) : 0;
    ids[1] = *found ? sqlite3_column_int64(st, 1) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return gs_db_sql_fail(db->sql, "reading the intervention", err);
    return GS_OK;
}

/* The id of a course of name started after start_id (0: none). */
static gs_status later_course(gs_db *db, const char *name, int64_t start_id, int64_t *later,
                              gs_err *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->sql, "SELECT min(i.start_id) FROM intervention i"
                           " JOIN entry s ON s.id = i.start_id"
                           " WHERE s.name = ?1 AND i.start_id > ?2", -1, &st, NULL) != SQLITE_OK)
        return gs_db_sql_fail(db->sql, "reading the interventions", err);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, start_id);
    int rc = sqlite3_step(st);
    *later = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) return gs_db_sql_fail(db->sql, "reading the interventions", err);
    return GS_OK;
}

gs_status gs_db_delete(gs_db *db, int64_t id, gs_event *removed, gs_err *err)
{
    gs_event ev;
    gs_status s = gs_db_get(db, id, &ev, err);
    if (s) return s;
    int64_t ids[2];
    int found;
    if ((s = course_of(db, id, ids, &found, err))) return s;
    if (found && ev.kind == GS_EVENT_START && ids[1])
        return gs_fail(err, GS_ERR_INPUT, "entry #%lld starts '%s', which entry #%lld stops; "
                       "delete the stop first", (long long)id, ev.name, (long long)ids[1]);
    if (found && ev.kind == GS_EVENT_STOP) {
        int64_t later;
        if ((s = later_course(db, ev.name, ids[0], &later, err))) return s;
        if (later)
            return gs_fail(err, GS_ERR_INPUT, "entry #%lld stops '%s', and a later course of "
                           "'%s' starts at entry #%lld; deleting this stop would make the two "
                           "overlap", (long long)id, ev.name, ev.name, (long long)later);
    }
    sqlite3_stmt *st = db->stmt[GS_STMT_DELETE];
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE) return gs_db_sql_fail(db->sql, "removing the entry", err);
    if (removed) *removed = ev;
    return GS_OK;
}

/* ---- a version to tell whether the journal changed ------------------------- */

gs_status gs_db_version(gs_db *db, uint64_t version[2], gs_err *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->sql, "PRAGMA data_version", -1, &st, NULL) != SQLITE_OK)
        return gs_db_sql_fail(db->sql, "reading the journal's version", err);
    int rc = sqlite3_step(st);
    version[0] = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) return gs_db_sql_fail(db->sql, "reading the journal's version", err);
    /* data_version moves when another connection commits; this
     * connection's own writes are counted by total_changes */
    version[1] = (uint64_t)sqlite3_total_changes64(db->sql);
    return GS_OK;
}
