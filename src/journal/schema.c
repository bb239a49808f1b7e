/*
 * schema.c - the journal's schema history: one SQL step per version.
 *
 * Step v turns a journal of version v-1 into version v; gs_db_open runs
 * the steps a file is missing, each in its own transaction together with
 * PRAGMA user_version = v.  A step, once released, is never edited: a
 * change to the schema is a new step at the end (and a new
 * GS_DB_SCHEMA_VERSION), so every journal ever written can be brought
 * forward.  Tests build a journal at each earlier version from these same
 * steps and migrate it.
 */
#include "journal/db_internal.h"

const char *const gs_db_schema_steps[GS_DB_SCHEMA_VERSION + 1] = {
    [0] = NULL,

    /* v1: the entries themselves.  Times are wall-clock seconds as the
     * person saw them, plus the UTC offset in minutes when one was given
     * (NULL when not).  application_id marks the file as a gutskin
     * journal ('GSJN'). */
    [1] = "PRAGMA application_id = 1196640846;"
          "CREATE TABLE entry("
          "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
          "  at_wall INTEGER NOT NULL,"
          "  at_offset INTEGER CHECK (at_offset BETWEEN -900 AND 900),"
          "  kind TEXT NOT NULL CHECK (kind IN ('food','gut','stool','skin','body',"
          "                                     'sleep','stress','start','stop')),"
          "  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),"
          "  value REAL,"
          "  unit TEXT NOT NULL DEFAULT '' CHECK (length(unit) <= 24),"
          "  note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 500)"
          ") STRICT;"
          "CREATE INDEX entry_by_time ON entry(at_wall, id);",

    /* v2: settings (the day start) and the person's own food tags, kept
     * in the order they were added because the lexicon numbers tags in
     * order of addition. */
    [2] = "CREATE TABLE setting("
          "  key TEXT PRIMARY KEY,"
          "  value ANY NOT NULL"
          ") STRICT;"
          "CREATE TABLE food_tag("
          "  id INTEGER PRIMARY KEY,"
          "  food TEXT NOT NULL CHECK (length(food) BETWEEN 1 AND 80),"
          "  tag TEXT NOT NULL CHECK (length(tag) BETWEEN 1 AND 40"
          "                           AND tag NOT GLOB '*[^a-z0-9_]*'),"
          "  UNIQUE (food, tag)"
          ") STRICT;",

    /* v3: self-check responses: the answers and the report derived from
     * them, both JSON. */
    [3] = "CREATE TABLE response("
          "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
          "  at_wall INTEGER NOT NULL,"
          "  at_offset INTEGER CHECK (at_offset BETWEEN -900 AND 900),"
          "  instrument TEXT NOT NULL CHECK (length(instrument) BETWEEN 1 AND 100),"
          "  answers TEXT NOT NULL CHECK (json_valid(answers)),"
          "  report TEXT NOT NULL CHECK (json_valid(report))"
          ") STRICT;"
          "CREATE INDEX response_by_time ON response(at_wall, id);",

    /* v4: interventions as pairs of a start entry and its stop entry, so
     * "what is running" is a query and a stop cannot outlive its start.
     * Existing entries are paired per name in time order: the k-th stop
     * of a name closes its k-th start when it comes at or after it. */
    [4] = "CREATE TABLE intervention("
          "  start_id INTEGER PRIMARY KEY REFERENCES entry(id) ON DELETE CASCADE,"
          "  stop_id INTEGER UNIQUE REFERENCES entry(id) ON DELETE SET NULL"
          ") STRICT;"
          "WITH s AS (SELECT id, at_wall, name, row_number() OVER"
          "             (PARTITION BY name ORDER BY at_wall, id) AS k"
          "           FROM entry WHERE kind = 'start'),"
          "     t AS (SELECT id, at_wall, name, row_number() OVER"
          "             (PARTITION BY name ORDER BY at_wall, id) AS k"
          "           FROM entry WHERE kind = 'stop')"
          "INSERT INTO intervention(start_id, stop_id)"
          "  SELECT s.id, (SELECT t.id FROM t WHERE t.name = s.name AND t.k = s.k"
          "                                     AND t.at_wall >= s.at_wall)"
          "  FROM s;",
};
