/*
 * db_internal.h - what the journal's own files (db.c, schema.c, import.c,
 * export.c) share: the connection and its prepared statements.  Not part
 * of the public API.
 */
#ifndef GS_JOURNAL_DB_INTERNAL_H
#define GS_JOURNAL_DB_INTERNAL_H

#include <limits.h>
#include <sqlite3.h>

#include "gutskin/journal.h"

/* The prepared statements: one per operation, prepared once at open. */
enum gs_db_stmt {
    GS_STMT_INSERT_ENTRY,
    GS_STMT_EVENTS,
    GS_STMT_GET,
    GS_STMT_UPDATE,
    GS_STMT_DELETE,
    GS_STMT_LAST,
    GS_STMT_RUNNING_BY_NAME,
    GS_STMT_INTERVENTIONS,
    GS_STMT_INSERT_INTERVENTION,
    GS_STMT_SET_STOP,
    GS_STMT_PAIR_OF,
    GS_STMT_RENAME,
    GS_STMT_INTERLEAVED,
    GS_STMT_INSERT_RESPONSE,
    GS_STMT_RESPONSES,
    GS_STMT_INSERT_TAG,
    GS_STMT_TAGS,
    GS_STMT_SET_SETTING,
    GS_STMT_COUNT
};

struct gs_db {
    sqlite3 *sql;
    char path[PATH_MAX];
    int day_start;
    int in_transaction;           /* gs_db_begin was called */
    sqlite3_stmt *stmt[GS_STMT_COUNT];
};

/* The schema steps (schema.c): step v turns version v-1 into version v. */
extern const char *const gs_db_schema_steps[GS_DB_SCHEMA_VERSION + 1];

/* Run sql (no results) on db; on failure write "what: SQLite's message". */
gs_status gs_db_exec(sqlite3 *sql, const char *sql_text, const char *what, gs_err *err);

/* A failure of SQLite on db->sql while doing what, as a gs_err. */
gs_status gs_db_sql_fail(sqlite3 *sql, const char *what, gs_err *err);

#endif
