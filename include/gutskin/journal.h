/*
 * journal.h - the private journal: one SQLite file holding what a person
 * logged (gs_event entries), which interventions ran when, their
 * self-check responses, their own food tags and their settings.
 *
 * The file lives at $XDG_DATA_HOME/gutskin/journal.db (else
 * ~/.local/share/gutskin/journal.db) unless a path is given; it is created
 * with mode 0600 in a directory created 0700.  It runs in WAL mode with
 * synchronous=NORMAL, foreign keys on, STRICT tables and a busy timeout,
 * and carries its schema version in PRAGMA user_version; opening an older
 * journal migrates it forward one step per version, and a journal written
 * by a newer gutskin is refused.
 *
 * Every entry is checked with gs_event_check before it is written, so the
 * rules of what a journal may hold live in one place (event.c).  A gs_db
 * is one connection: use it from one thread at a time.
 */
#ifndef GUTSKIN_JOURNAL_H
#define GUTSKIN_JOURNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gutskin/event.h"
#include "gutskin/lexicon.h"
#include "gutskin/status.h"

typedef struct gs_db gs_db;

/* The schema version this gutskin writes (PRAGMA user_version). */
#define GS_DB_SCHEMA_VERSION 4

/* The default day start: 04:00, in minutes after midnight. */
#define GS_DB_DAY_START_DEFAULT 240

/* Write the default journal path into buf: $XDG_DATA_HOME/gutskin/journal.db
 * when XDG_DATA_HOME is set to an absolute path, else
 * $HOME/.local/share/gutskin/journal.db.  Fails with GS_ERR_IO when
 * neither variable is usable or the path does not fit in len. */
gs_status gs_db_default_path(char *buf, size_t len, gs_err *err);

/* Open the journal at path (NULL: the default path, whose directories are
 * created with mode 0700).  A missing file is created with mode 0600 and
 * the current schema; an older schema is migrated forward, each version
 * in its own transaction.  Fails with GS_ERR_INPUT when the file is not a
 * gutskin journal or comes from a newer gutskin, GS_ERR_IO otherwise. */
gs_status gs_db_open(const char *path, gs_db **out, gs_err *err);

/* Close db (NULL is allowed).  Entries written are already durable. */
void gs_db_close(gs_db *db);

/* The path db was opened at. */
const char *gs_db_path(const gs_db *db);

/* Check ev with gs_event_check and insert it; on success ev->id is the
 * new entry's id.  A start of an intervention that is already running,
 * and a stop of one that is not (or that started later than the stop),
 * fail with GS_ERR_INPUT naming what is running.  ev->id is ignored on
 * input. */
gs_status gs_db_add(gs_db *db, gs_event *ev, gs_err *err);

/* The entries whose wall-clock time lies in [from, to] (either NULL:
 * unbounded), in time order (ties in the order written).  *out is one
 * malloc()ed array the caller free()s; *n may be 0 (then *out is NULL). */
gs_status gs_db_events(gs_db *db, const gs_time *from, const gs_time *to, gs_event **out,
                       size_t *n, gs_err *err);

/* The entry with id; GS_ERR_INPUT when there is none. */
gs_status gs_db_get(gs_db *db, int64_t id, gs_event *ev, gs_err *err);

/* Replace the entry ev->id by ev (same kind; checked like gs_db_add).
 * Renaming a start or a stop renames its pair too; moving a start after
 * its stop, a stop before its start, or renaming a course to the name of
 * another course it interleaves with (in the order written), fails with
 * GS_ERR_INPUT. */
gs_status gs_db_edit(gs_db *db, const gs_event *ev, gs_err *err);

/* Remove the entry written last and copy it into *removed (may be NULL).
 * GS_ERR_INPUT when the journal has no entries. */
gs_status gs_db_undo(gs_db *db, gs_event *removed, gs_err *err);

/* Remove the entry with id and copy it into *removed (may be
 * NULL).  GS_ERR_INPUT when there is no such entry, when it is a start
 * that has a stop (delete the stop first), or when it is a stop and a
 * later course of the same name was written (reopening this one would
 * overlap it).  Deleting a stop makes its intervention run again. */
gs_status gs_db_delete(gs_db *db, int64_t id, gs_event *removed, gs_err *err);

/* The journal's version as seen by db: two numbers that both stay
 * the same exactly while nothing was written to the journal, by this
 * connection or any other (PRAGMA data_version and this connection's
 * total changes).  The web server keys cached replies on it. */
gs_status gs_db_version(gs_db *db, uint64_t version[2], gs_err *err);

/* The day start in minutes after midnight (0-1439), default 240 (04:00). */
int gs_db_day_start(const gs_db *db);

/* Store the day start (0-1439 minutes); GS_ERR_INPUT outside that. */
gs_status gs_db_set_day_start(gs_db *db, int minutes, gs_err *err);

/* One intervention: a start entry and, once stopped, its stop entry. */
typedef struct gs_db_intervention {
    int64_t start_id, stop_id;      /* stop_id 0 while it is running */
    char name[GS_EVENT_NAME_MAX + 1];
    double dose;                    /* NAN when no dose was given */
    char unit[GS_EVENT_UNIT_MAX + 1];
    gs_time start, stop;            /* stop meaningful only when stop_id */
} gs_db_intervention;

/* Every intervention in order of start, or (running_only) only those
 * still running.  *out is malloc()ed; the caller free()s it. */
gs_status gs_db_interventions(gs_db *db, int running_only, gs_db_intervention **out,
                              size_t *n, gs_err *err);

/* Store one self-check: when it was taken, the instrument's id (1-100
 * characters) and two JSON texts, its answers and the report derived from
 * them (each must be valid JSON; GS_ERR_INPUT otherwise).  *id (may be
 * NULL) gets the response's id. */
gs_status gs_db_response_add(gs_db *db, const gs_time *at, const char *instrument_id,
                             const char *answers_json, const char *report_json,
                             int64_t *id, gs_err *err);

/* One stored self-check; the strings are malloc()ed together with the
 * array element's own block (free with gs_db_responses_free). */
typedef struct gs_db_response {
    int64_t id;
    gs_time at;
    char *instrument, *answers, *report;
} gs_db_response;

/* Every stored response in time order. */
gs_status gs_db_responses(gs_db *db, gs_db_response **out, size_t *n, gs_err *err);
void gs_db_responses_free(gs_db_response *r, size_t n);

/* Store the person's own tag of a food (food 1-80 characters, tag 1-40 of
 * a-z, 0-9 and '_'; GS_ERR_INPUT otherwise).  Adding a pair twice keeps
 * one. */
gs_status gs_db_tag_add(gs_db *db, const char *food, const char *tag, gs_err *err);

/* One stored user tag. */
typedef struct gs_db_tag {
    char food[81];
    char tag[41];
} gs_db_tag;

/* The stored user tags in the order they were added (malloc()ed). */
gs_status gs_db_tags(gs_db *db, gs_db_tag **out, size_t *n, gs_err *err);

/* Replay the stored `tag add`s onto lex with gs_lexicon_add, in the order
 * they were made, so the statistics see the person's own tags. */
gs_status gs_db_apply_user_tags(gs_db *db, gs_lexicon *lex, gs_err *err);

/* Group writes into one transaction (the HTTP API and bulk loaders use
 * this to write thousands of entries per second).  gs_db_rollback undoes
 * everything since gs_db_begin. */
gs_status gs_db_begin(gs_db *db, gs_err *err);
gs_status gs_db_commit(gs_db *db, gs_err *err);
void gs_db_rollback(gs_db *db);

/* ---- import and export (import.c, export.c) --------------------------
 *
 * The interchange format is the long CSV of event.h,
 * timestamp,kind,name,value,unit,note, with three more kinds that carry
 * what is not an entry, so an export holds the whole journal:
 *   ,setting,day_start,MINUTES,min,          the day start
 *   ,tag,FOOD,,,TAG                          a `tag add`
 *   TIME,response,INSTRUMENT,,,{"answers":..,"report":..}   a self-check
 */

/* What an import wrote. */
typedef struct gs_db_import_result {
    size_t entries, responses, tags, settings; /* rows written */
    size_t bad_rows;                           /* rows refused (then nothing is written) */
} gs_db_import_result;

/* Called once per refused row with "FILE:LINE: field: what is wrong". */
typedef void (*gs_db_problem_fn)(void *ctx, const char *message);

/* Import the CSV at path into db, all or nothing: every row is checked
 * (kind, time, name, value range, unit and note lengths, interventions
 * started before they stop) inside one transaction; the first
 * max_problems refused rows go to problem (may be NULL), and when any row
 * is refused the transaction is rolled back and GS_ERR_INPUT says how
 * many.  A process killed mid-import leaves the journal as it was.
 * For tests: with GS_TEST_IMPORT_PAUSE_AFTER=N in the environment the
 * import stops inside its transaction after N rows, says so on stderr and
 * waits for a signal. */
gs_status gs_db_import_csv(gs_db *db, const char *path, gs_db_problem_fn problem, void *ctx,
                           size_t max_problems, gs_db_import_result *res, gs_err *err);

/* The same for a CSV held in memory (len bytes of text; the HTTP API's
 * request body), named name ("the request") in messages, so a person's
 * data never passes through a temporary file. */
gs_status gs_db_import_csv_text(gs_db *db, const char *text, size_t len, const char *name,
                                gs_db_problem_fn problem, void *ctx, size_t max_problems,
                                gs_db_import_result *res, gs_err *err);

typedef enum gs_db_export_format {
    GS_DB_EXPORT_CSV,   /* the interchange CSV: lossless (import gives it back) */
    GS_DB_EXPORT_JSON,  /* one object: settings, tags, entries, interventions, responses */
    GS_DB_EXPORT_FHIR   /* a FHIR R4 Bundle of Observations and QuestionnaireResponses */
} gs_db_export_format;

/* Write the whole journal to out in format.  Fails with GS_ERR_IO when
 * out cannot be written. */
gs_status gs_db_export(gs_db *db, gs_db_export_format format, FILE *out, gs_err *err);

/* For tests and tools: create a journal file at path holding the schema
 * of an earlier version (1..GS_DB_SCHEMA_VERSION), built by running the
 * migration steps up to it.  Fails if path exists. */
gs_status gs_db_create_version(const char *path, int version, gs_err *err);

#endif
