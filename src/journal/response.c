/*
 * response.c - stored self-checks and the person's own food tags.
 * See include/gutskin/journal.h.
 */
#include <stdlib.h>
#include <string.h>

#include "journal/db_internal.h"

gs_status gs_db_response_add(gs_db *db, const gs_time *at, const char *instrument_id,
                             const char *answers_json, const char *report_json,
                             int64_t *id, gs_err *err)
{
    size_t len = strlen(instrument_id);
    if (len < 1 || len > 100)
        return gs_fail(err, GS_ERR_INPUT, "instrument id must be 1 to 100 characters, not %zu",
                       len);
    sqlite3_stmt *st = db->stmt[GS_STMT_INSERT_RESPONSE];
    sqlite3_bind_int64(st, 1, at->wall);
    if (at->has_offset)
        sqlite3_bind_int(st, 2, at->offset_min);
    else
        sqlite3_bind_null(st, 2);
    sqlite3_bind_text(st, 3, instrument_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, answers_json, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, report_json, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc == SQLITE_CONSTRAINT_CHECK)
        return gs_fail(err, GS_ERR_INPUT, "self-check %s: answers and report must each be "
                       "valid JSON", instrument_id);
    if (rc != SQLITE_DONE) return gs_db_sql_fail(db->sql, "storing the self-check", err);
    if (id) *id = sqlite3_last_insert_rowid(db->sql);
    return GS_OK;
}

static char *column_dup(sqlite3_stmt *st, int col)
{
    const unsigned char *text = sqlite3_column_text(st, col);
    return strdup(text ? (const char *)text : "");
}

void gs_db_responses_free(gs_db_response *r, size_t n)
{
    if (!r) return;
    for (size_t i = 0; i < n; i++) {
        free(r[i].instrument);
        free(r[i].answers);
        free(r[i].report);
    }
    free(r);
}

gs_status gs_db_responses(gs_db *db, gs_db_response **out, size_t *n, gs_err *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = db->stmt[GS_STMT_RESPONSES];
    gs_db_response *r = NULL;
    size_t count = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (count == cap) {
            cap = cap ? cap * 2 : 8;
            gs_db_response *grown = realloc(r, cap * sizeof *r);
            if (!grown) break;
            r = grown;
        }
        gs_db_response *x = &r[count++];
        x->id = sqlite3_column_int64(st, 0);
        x->at.wall = sqlite3_column_int64(st, 1);
        x->at.has_offset = sqlite3_column_type(st, 2) != SQLITE_NULL;
        x->at.offset_min = sqlite3_column_int(st, 2);
        x->instrument = column_dup(st, 3);
        x->answers = column_dup(st, 4);
        x->report = column_dup(st, 5);
        if (!x->instrument || !x->answers || !x->report) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        gs_db_responses_free(r, count);
        return rc == SQLITE_ROW || rc == SQLITE_NOMEM
                   ? gs_fail(err, GS_ERR_NOMEM, "out of memory reading self-checks")
                   : gs_db_sql_fail(db->sql, "reading the self-checks", err);
    }
    *out = r;
    *n = count;
    return GS_OK;
}

gs_status gs_db_tag_add(gs_db *db, const char *food, const char *tag, gs_err *err)
{
    size_t fl = strlen(food), tl = strlen(tag);
    if (fl < 1 || fl > 80)
        return gs_fail(err, GS_ERR_INPUT, "food '%s' must be 1 to 80 characters", food);
    if (tl < 1 || tl > 40 || strspn(tag, "abcdefghijklmnopqrstuvwxyz0123456789_") != tl)
        return gs_fail(err, GS_ERR_INPUT,
                       "tag '%s' must be 1 to 40 characters of a-z, 0-9 and '_'", tag);
    sqlite3_stmt *st = db->stmt[GS_STMT_INSERT_TAG];
    sqlite3_bind_text(st, 1, food, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, tag, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE) return gs_db_sql_fail(db->sql, "storing the tag", err);
    return GS_OK;
}

gs_status gs_db_tags(gs_db *db, gs_db_tag **out, size_t *n, gs_err *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = db->stmt[GS_STMT_TAGS];
    gs_db_tag *t = NULL;
    size_t count = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (count == cap) {
            cap = cap ? cap * 2 : 16;
            gs_db_tag *grown = realloc(t, cap * sizeof *t);
            if (!grown) break;
            t = grown;
        }
        snprintf(t[count].food, sizeof t[count].food, "%s", sqlite3_column_text(st, 0));
        snprintf(t[count].tag, sizeof t[count].tag, "%s", sqlite3_column_text(st, 1));
        count++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        free(t);
        return rc == SQLITE_ROW ? gs_fail(err, GS_ERR_NOMEM, "out of memory reading tags")
                                : gs_db_sql_fail(db->sql, "reading the tags", err);
    }
    *out = t;
    *n = count;
    return GS_OK;
}
