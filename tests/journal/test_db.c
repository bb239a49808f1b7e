/* Tests of the journal store (src/journal/db.c, entry.c, response.c, schema.c). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "gutskin/journal.h"

/* Each test gets a fresh directory; state points at its path. */
static int setup_dir(void **state)
{
    char *dir = strdup("/tmp/gs_test_db_XXXXXX");
    if (!mkdtemp(dir)) return -1;
    *state = dir;
    return 0;
}

static int teardown_dir(void **state)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", (char *)*state);
    int rc = system(cmd);
    free(*state);
    return rc == 0 ? 0 : -1;
}

static void path_in(void **state, const char *name, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s", (char *)*state, name);
}

static gs_db *open_in(void **state, const char *name)
{
    char path[512];
    path_in(state, name, path, sizeof path);
    gs_db *db = NULL;
    gs_err err;
    gs_status st = gs_db_open(path, &db, &err);
    if (st) fprintf(stderr, "%s\n", err.msg);
    assert_int_equal(st, GS_OK);
    return db;
}

static gs_event event_at(gs_event_kind kind, const char *name, double value, const char *when)
{
    gs_event ev;
    gs_event_init(&ev, kind);
    snprintf(ev.name, sizeof ev.name, "%s", name);
    ev.value = value;
    gs_err err;
    assert_int_equal(gs_time_parse(when, &ev.at, &err), GS_OK);
    return ev;
}

static int mode_of(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0) return -1;
    return (int)(sb.st_mode & 0777);
}

static void test_file_modes(void **state)
{
    mode_t old = umask(0); /* the most permissive umask must not leak */
    gs_db *db = open_in(state, "j.db");
    gs_event ev = event_at(GS_EVENT_SLEEP, "hours", 7, "2026-03-01T08:00");
    gs_err err;
    assert_int_equal(gs_db_add(db, &ev, &err), GS_OK);
    char path[512];
    path_in(state, "j.db", path, sizeof path);
    assert_int_equal(mode_of(path), 0600);
    path_in(state, "j.db-wal", path, sizeof path);
    assert_int_equal(mode_of(path), 0600);
    path_in(state, "j.db-shm", path, sizeof path);
    assert_int_equal(mode_of(path), 0600);
    gs_db_close(db);
    umask(old);
}

static void test_default_path(void **state)
{
    char xdg[512], want[600], buf[600];
    path_in(state, "data/home", xdg, sizeof xdg);
    char *saved_xdg = getenv("XDG_DATA_HOME") ? strdup(getenv("XDG_DATA_HOME")) : NULL;
    setenv("XDG_DATA_HOME", xdg, 1);
    gs_err err;
    assert_int_equal(gs_db_default_path(buf, sizeof buf, &err), GS_OK);
    snprintf(want, sizeof want, "%s/gutskin/journal.db", xdg);
    assert_string_equal(buf, want);
    gs_db *db;
    assert_int_equal(gs_db_open(NULL, &db, &err), GS_OK);
    assert_string_equal(gs_db_path(db), want);
    gs_db_close(db);
    snprintf(want, sizeof want, "%s/gutskin", xdg);
    assert_int_equal(mode_of(want), 0700);
    /* a relative XDG_DATA_HOME is ignored, as the XDG spec says */
    setenv("XDG_DATA_HOME", "relative", 1);
    assert_int_equal(gs_db_default_path(buf, sizeof buf, &err), GS_OK);
    assert_non_null(strstr(buf, "/.local/share/gutskin/journal.db"));
    if (saved_xdg) {
        setenv("XDG_DATA_HOME", saved_xdg, 1);
        free(saved_xdg);
    } else {
        unsetenv("XDG_DATA_HOME");
    }
}

static void test_add_and_read(void **state)
{
    gs_db *db = open_in(state, "j.db");
    gs_err err;
    gs_event a = event_at(GS_EVENT_GUT, "bloating", 6, "2026-03-02T09:00+01:00");
    gs_event b = event_at(GS_EVENT_FOOD, "oat porridge with milk", NAN, "2026-03-01T08:00");
    snprintf(b.unit, sizeof b.unit, "bowl");
    snprintf(b.note, sizeof b.note, "with honey, \"lots\"");
    gs_event c = event_at(GS_EVENT_STOOL, "bristol", 4, "2026-03-03T07:00Z");
    assert_int_equal(gs_db_add(db, &a, &err), GS_OK);
    assert_int_equal(gs_db_add(db, &b, &err), GS_OK);
    assert_int_equal(gs_db_add(db, &c, &err), GS_OK);
    assert_true(a.id > 0 && b.id > a.id && c.id > b.id);

    /* a value out of range is refused with the range, and not written */
    gs_event bad = event_at(GS_EVENT_GUT, "pain", 12, "2026-03-02T10:00");
    assert_int_equal(gs_db_add(db, &bad, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "0-10"));

    gs_event *evs;
    size_t n;
    assert_int_equal(gs_db_events(db, NULL, NULL, &evs, &n, &err), GS_OK);
    assert_int_equal(n, 3);
    assert_int_equal(evs[0].id, b.id); /* time order, not order written */
    assert_string_equal(evs[0].name, "oat porridge with milk");
    assert_true(isnan(evs[0].value));
    assert_string_equal(evs[0].unit, "bowl");
    assert_string_equal(evs[0].note, "with honey, \"lots\"");
    assert_int_equal(evs[1].at.offset_min, 60);
    assert_true(evs[1].at.has_offset);
    assert_true(!evs[0].at.has_offset);
    assert_true(evs[2].at.has_offset && evs[2].at.offset_min == 0);
    assert_true(evs[2].kind == GS_EVENT_STOOL && evs[2].value == 4);
    free(evs);

    gs_time from, to;
    assert_int_equal(gs_time_parse("2026-03-02T00:00", &from, &err), GS_OK);
    assert_int_equal(gs_time_parse("2026-03-02T23:59", &to, &err), GS_OK);
    assert_int_equal(gs_db_events(db, &from, &to, &evs, &n, &err), GS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(evs[0].id, a.id);
    free(evs);
    assert_int_equal(gs_db_events(db, NULL, &from, &evs, &n, &err), GS_OK);
    assert_int_equal(n, 1);
    free(evs);

    gs_event got;
    assert_int_equal(gs_db_get(db, c.id, &got, &err), GS_OK);
    assert_string_equal(got.name, "bristol");
    assert_int_equal(gs_db_get(db, 999, &got, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "no entry 999"));
    gs_db_close(db);
}

static void test_interventions(void **state)
{
    gs_db *db = open_in(state, "j.db");
    gs_err err;
    gs_event stop = event_at(GS_EVENT_STOP, "zinc", NAN, "2026-03-01T08:00");
    assert_int_equal(gs_db_add(db, &stop, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "nothing is running"));

    gs_event zinc = event_at(GS_EVENT_START, "zinc", 30, "2026-03-01T08:00");
    snprintf(zinc.unit, sizeof zinc.unit, "mg");
    gs_event probio = event_at(GS_EVENT_START, "probiotic", NAN, "2026-03-02T08:00");
    assert_int_equal(gs_db_add(db, &zinc, &err), GS_OK);
    assert_int_equal(gs_db_add(db, &probio, &err), GS_OK);
    gs_event again = event_at(GS_EVENT_START, "zinc", NAN, "2026-03-03T08:00");
    assert_int_equal(gs_db_add(db, &again, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "already running"));

    stop = event_at(GS_EVENT_STOP, "butyrate", NAN, "2026-03-05T08:00");
    assert_int_equal(gs_db_add(db, &stop, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "running: zinc, probiotic"));
    stop = event_at(GS_EVENT_STOP, "zinc", NAN, "2026-02-01T08:00");
    assert_int_equal(gs_db_add(db, &stop, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "before it started"));
    stop = event_at(GS_EVENT_STOP, "zinc", NAN, "2026-03-05T08:00");
    assert_int_equal(gs_db_add(db, &stop, &err), GS_OK);

    gs_db_intervention *iv;
    size_t n;
    assert_int_equal(gs_db_interventions(db, 0, &iv, &n, &err), GS_OK);
    assert_int_equal(n, 2);
    assert_string_equal(iv[0].name, "zinc");
    assert_true(iv[0].dose == 30 && strcmp(iv[0].unit, "mg") == 0);
    assert_int_equal(iv[0].stop_id, stop.id);
    assert_int_equal(iv[1].stop_id, 0);
    assert_true(isnan(iv[1].dose));
    free(iv);
    assert_int_equal(gs_db_interventions(db, 1, &iv, &n, &err), GS_OK);
    assert_int_equal(n, 1);
    assert_string_equal(iv[0].name, "probiotic");
    free(iv);

    /* a start cannot move after its stop; renaming renames the pair */
    gs_event e = zinc;
    assert_int_equal(gs_time_parse("2026-03-06T08:00", &e.at, &err), GS_OK);
    assert_int_equal(gs_db_edit(db, &e, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "after its stop"));
    e = zinc;
    snprintf(e.name, sizeof e.name, "zinc picolinate");
    assert_int_equal(gs_db_edit(db, &e, &err), GS_OK);
    gs_event got;
    assert_int_equal(gs_db_get(db, stop.id, &got, &err), GS_OK);
    assert_string_equal(got.name, "zinc picolinate");

    /* a rename may not make two courses of a name interleave: probiotic
     * (running since before fish oil) cannot become "fish oil" */
    gs_event fish = event_at(GS_EVENT_START, "fish oil", NAN, "2026-03-06T08:00");
    gs_event fish_stop = event_at(GS_EVENT_STOP, "fish oil", NAN, "2026-03-07T08:00");
    assert_int_equal(gs_db_add(db, &fish, &err), GS_OK);
    assert_int_equal(gs_db_add(db, &fish_stop, &err), GS_OK);
    e = probio;
    snprintf(e.name, sizeof e.name, "fish oil");
    assert_int_equal(gs_db_edit(db, &e, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "would overlap"));
    /* the finished zinc course may take the name: it ended before fish oil began */
    e = zinc;
    snprintf(e.name, sizeof e.name, "fish oil");
    assert_int_equal(gs_db_edit(db, &e, &err), GS_OK);
    /* rename back through the stop: its start follows */
    assert_int_equal(gs_db_get(db, stop.id, &e, &err), GS_OK);
    assert_string_equal(e.name, "fish oil");
    snprintf(e.name, sizeof e.name, "zinc picolinate");
    assert_int_equal(gs_db_edit(db, &e, &err), GS_OK);
    assert_int_equal(gs_db_get(db, zinc.id, &got, &err), GS_OK);
    assert_string_equal(got.name, "zinc picolinate");
    assert_int_equal(gs_db_undo(db, NULL, &err), GS_OK); /* fish oil's stop */
    assert_int_equal(gs_db_undo(db, NULL, &err), GS_OK); /* fish oil's start */

    /* undoing the stop makes it run again */
    gs_event removed;
    assert_int_equal(gs_db_undo(db, &removed, &err), GS_OK);
    assert_int_equal(removed.id, stop.id);
    assert_int_equal(gs_db_interventions(db, 1, &iv, &n, &err), GS_OK);
    assert_int_equal(n, 2);
    free(iv);
    gs_db_close(db);
}

static void test_edit_undo(void **state)
{
    gs_db *db = open_in(state, "j.db");
    gs_err err;
    gs_event a = event_at(GS_EVENT_SKIN, "itch", 7, "2026-03-01T20:00");
    gs_event b = event_at(GS_EVENT_SKIN, "redness", 3, "2026-03-01T20:01");
    assert_int_equal(gs_db_add(db, &a, &err), GS_OK);
    assert_int_equal(gs_db_add(db, &b, &err), GS_OK);
    gs_event e = a;
    e.value = 4;
    snprintf(e.note, sizeof e.note, "after shower");
    assert_int_equal(gs_db_edit(db, &e, &err), GS_OK);
    e.value = 11;
    assert_int_equal(gs_db_edit(db, &e, &err), GS_ERR_INPUT);
    e.value = 4;
    e.kind = GS_EVENT_GUT;
    assert_int_equal(gs_db_edit(db, &e, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "skin entry"));
    gs_event got;
    assert_int_equal(gs_db_get(db, a.id, &got, &err), GS_OK);
    assert_true(got.value == 4 && strcmp(got.note, "after shower") == 0);

    gs_event removed;
    assert_int_equal(gs_db_undo(db, &removed, &err), GS_OK);
    assert_string_equal(removed.name, "redness");
    assert_int_equal(gs_db_undo(db, &removed, &err), GS_OK);
    assert_string_equal(removed.name, "itch");
    assert_int_equal(gs_db_undo(db, &removed, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "no entries"));
    /* ids are never reused, so an edit never reaches a newer entry by an
     * id someone remembered */
    gs_event c = event_at(GS_EVENT_STRESS, "level", 2, "2026-03-02T20:00");
    assert_int_equal(gs_db_add(db, &c, &err), GS_OK);
    assert_true(c.id > b.id);
    gs_db_close(db);
}

static void test_day_start(void **state)
{
    gs_db *db = open_in(state, "j.db");
    gs_err err;
    assert_int_equal(gs_db_day_start(db), GS_DB_DAY_START_DEFAULT);
    assert_int_equal(gs_db_set_day_start(db, 1440, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "0-1439"));
    assert_int_equal(gs_db_set_day_start(db, 330, &err), GS_OK);
    gs_db_close(db);
    db = open_in(state, "j.db");
    assert_int_equal(gs_db_day_start(db), 330);
    /* a rolled-back change does not stay in the cache */
    assert_int_equal(gs_db_begin(db, &err), GS_OK);
    assert_int_equal(gs_db_set_day_start(db, 0, &err), GS_OK);
    gs_db_rollback(db);
    assert_int_equal(gs_db_day_start(db), 330);
    gs_db_close(db);
}

static void test_responses_and_tags(void **state)
{
    gs_db *db = open_in(state, "j.db");
    gs_err err;
    gs_time at;
    assert_int_equal(gs_time_parse("2026-03-01T10:00+02:00", &at, &err), GS_OK);
    int64_t id = 0;
    assert_int_equal(gs_db_response_add(db, &at, "gut-skin-signs", "{\"q1\":2}",
                                        "{\"groups\":[\"gut\"]}", &id, &err),
                     GS_OK);
    assert_true(id > 0);
    assert_int_equal(gs_db_response_add(db, &at, "x", "{not json", "{}", NULL, &err),
                     GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "valid JSON"));
    gs_db_response *r;
    size_t n;
    assert_int_equal(gs_db_responses(db, &r, &n, &err), GS_OK);
    assert_int_equal(n, 1);
    assert_string_equal(r[0].instrument, "gut-skin-signs");
    assert_string_equal(r[0].answers, "{\"q1\":2}");
    assert_true(r[0].at.has_offset && r[0].at.offset_min == 120);
    gs_db_responses_free(r, n);

    assert_int_equal(gs_db_tag_add(db, "kombucha", "fermented", &err), GS_OK);
    assert_int_equal(gs_db_tag_add(db, "grandma's stew", "high_histamine", &err), GS_OK);
    assert_int_equal(gs_db_tag_add(db, "kombucha", "fermented", &err), GS_OK);
    assert_int_equal(gs_db_tag_add(db, "kombucha", "Fermented", &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "a-z, 0-9"));
    gs_db_tag *t;
    assert_int_equal(gs_db_tags(db, &t, &n, &err), GS_OK);
    assert_int_equal(n, 2);
    assert_string_equal(t[0].food, "kombucha");
    assert_string_equal(t[1].tag, "high_histamine");
    free(t);
    gs_db_close(db);
}

static void test_apply_user_tags(void **state)
{
    gs_db *db = open_in(state, "j.db");
    gs_err err;
    gs_lexicon *lex;
    assert_int_equal(gs_lexicon_load(NULL, &lex, &err), GS_OK);
    size_t tags_before = gs_lexicon_tag_count(lex);
    gs_lexicon_hit hit;
    assert_int_equal(gs_lexicon_match(lex, "zzyzx stew", &hit, 1), 0);
    assert_int_equal(gs_db_tag_add(db, "zzyzx stew", "high_histamine", &err), GS_OK);
    assert_int_equal(gs_db_tag_add(db, "zzyzx stew", "my_new_tag", &err), GS_OK);
    assert_int_equal(gs_db_apply_user_tags(db, lex, &err), GS_OK);
    assert_int_equal(gs_lexicon_tag_count(lex), tags_before + 1);
    unsigned char *present = calloc(gs_lexicon_tag_count(lex), 1);
    assert_int_equal(gs_lexicon_tags_of(lex, "a bowl of zzyzx stew", present), 1);
    int mine = gs_lexicon_tag_index(lex, "my_new_tag");
    int histamine = gs_lexicon_tag_index(lex, "high_histamine");
    assert_true(mine >= 0 && histamine >= 0);
    assert_true(present[mine] && present[histamine]);
    free(present);
    gs_lexicon_free(lex);
    gs_db_close(db);
}

static void test_transaction(void **state)
{
    gs_db *db = open_in(state, "j.db");
    gs_err err;
    assert_int_equal(gs_db_begin(db, &err), GS_OK);
    for (int i = 0; i < 50; i++) {
        gs_event ev = event_at(GS_EVENT_GUT, "gas", i % 11, "2026-03-01T08:00");
        assert_int_equal(gs_db_add(db, &ev, &err), GS_OK);
    }
    gs_event start = event_at(GS_EVENT_START, "fibre", NAN, "2026-03-01T08:00");
    assert_int_equal(gs_db_add(db, &start, &err), GS_OK);
    gs_db_rollback(db);
    gs_event *evs;
    size_t n;
    assert_int_equal(gs_db_events(db, NULL, NULL, &evs, &n, &err), GS_OK);
    assert_int_equal(n, 0);
    gs_db_intervention *iv;
    assert_int_equal(gs_db_interventions(db, 0, &iv, &n, &err), GS_OK);
    assert_int_equal(n, 0);
    assert_int_equal(gs_db_begin(db, &err), GS_OK);
    gs_event ev = event_at(GS_EVENT_GUT, "gas", 2, "2026-03-01T08:00");
    assert_int_equal(gs_db_add(db, &ev, &err), GS_OK);
    assert_int_equal(gs_db_commit(db, &err), GS_OK);
    assert_int_equal(gs_db_events(db, NULL, NULL, &evs, &n, &err), GS_OK);
    assert_int_equal(n, 1);
    free(evs);
    gs_db_close(db);
}

/* ---- migrations ------------------------------------------------------ */

static void exec_sql(const char *path, const char *sql_text)
{
    sqlite3 *sql;
    assert_int_equal(sqlite3_open(path, &sql), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(sql, sql_text, NULL, NULL, &msg);
    if (rc != SQLITE_OK) fprintf(stderr, "%s\n", msg);
    sqlite3_free(msg);
    sqlite3_close(sql);
    assert_int_equal(rc, SQLITE_OK);
}

static int user_version(const char *path)
{
    sqlite3 *sql;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(path, &sql), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(sql, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(sql);
    return v;
}

/* What a journal of each version could hold, written with that version's
 * schema: entries from v1 (two courses of zinc, one open), settings and
 * tags from v2, a response from v3. */
static const char *const data_at_version[] = {
    [1] = "INSERT INTO entry(at_wall, at_offset, kind, name, value, unit, note) VALUES"
          " (1772352000, 60, 'start', 'zinc', 30, 'mg', ''),"
          " (1772438400, NULL, 'gut', 'bloating', 6, '', 'after lunch'),"
          " (1772524800, NULL, 'stop', 'zinc', NULL, '', ''),"
          " (1772611200, NULL, 'start', 'zinc', 15, 'mg', '');",
    [2] = "INSERT INTO setting VALUES ('day_start', 300);"
          "INSERT INTO food_tag(food, tag) VALUES ('kombucha', 'fermented');",
    [3] = "INSERT INTO response(at_wall, at_offset, instrument, answers, report)"
          " VALUES (1772352000, NULL, 'signs', '{}', '{\"red_flag\":false}');",
};

static void test_migrations(void **state)
{
    for (int version = 1; version <= GS_DB_SCHEMA_VERSION; version++) {
        char name[32], path[512];
        snprintf(name, sizeof name, "v%d.db", version);
        path_in(state, name, path, sizeof path);
        gs_err err;
        assert_int_equal(gs_db_create_version(path, version, &err), GS_OK);
        assert_int_equal(user_version(path), version);
        for (int v = 1; v <= version && v <= 3; v++) exec_sql(path, data_at_version[v]);
        if (version == GS_DB_SCHEMA_VERSION) /* v4 pairs on write; pair the v1 data */
            exec_sql(path, "INSERT INTO intervention VALUES (1, 3), (4, NULL);");

        gs_db *db = open_in(state, name);
        assert_int_equal(user_version(path), GS_DB_SCHEMA_VERSION);
        gs_event *evs;
        size_t n;
        assert_int_equal(gs_db_events(db, NULL, NULL, &evs, &n, &err), GS_OK);
        assert_int_equal(n, 4);
        assert_string_equal(evs[1].note, "after lunch");
        assert_true(evs[0].at.has_offset && evs[0].at.offset_min == 60);
        free(evs);
        /* v4's step paired the first zinc start with its stop and left the
         * second one running */
        gs_db_intervention *iv;
        assert_int_equal(gs_db_interventions(db, 0, &iv, &n, &err), GS_OK);
        assert_int_equal(n, 2);
        assert_int_equal(iv[0].stop_id, 3);
        assert_int_equal(iv[1].stop_id, 0);
        assert_true(iv[1].dose == 15);
        free(iv);
        gs_event stop = event_at(GS_EVENT_STOP, "zinc", NAN, "2026-03-10T08:00");
        assert_int_equal(gs_db_add(db, &stop, &err), GS_OK);
        assert_int_equal(gs_db_day_start(db), version >= 2 ? 300 : GS_DB_DAY_START_DEFAULT);
        gs_db_tag *t;
        assert_int_equal(gs_db_tags(db, &t, &n, &err), GS_OK);
        assert_int_equal(n, version >= 2 ? 1 : 0);
        free(t);
        gs_db_response *r;
        assert_int_equal(gs_db_responses(db, &r, &n, &err), GS_OK);
        assert_int_equal(n, version >= 3 ? 1 : 0);
        gs_db_responses_free(r, n);
        gs_db_close(db);
    }
}

static void test_refuses_foreign_files(void **state)
{
    char path[512];
    gs_err err;
    gs_db *db;
    /* a journal from a newer gutskin is left alone */
    path_in(state, "new.db", path, sizeof path);
    assert_int_equal(gs_db_create_version(path, GS_DB_SCHEMA_VERSION, &err), GS_OK);
    exec_sql(path, "PRAGMA user_version = 99");
    assert_int_equal(gs_db_open(path, &db, &err), GS_ERR_INPUT);
    assert_null(db);
    assert_non_null(strstr(err.msg, "schema version 99"));
    assert_non_null(strstr(err.msg, "newer gutskin"));
    assert_int_equal(user_version(path), 99);
    /* someone else's SQLite file */
    path_in(state, "other.db", path, sizeof path);
    exec_sql(path, "CREATE TABLE notes(x)");
    assert_int_equal(gs_db_open(path, &db, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "not a gutskin journal"));
    /* not SQLite at all */
    path_in(state, "text.db", path, sizeof path);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("timestamp,kind,name,value,unit,note\nthis is not a database at all, just text\n", f);
    fclose(f);
    assert_int_equal(gs_db_open(path, &db, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "not an SQLite file"));
    /* a missing directory is a runtime failure naming the path */
    path_in(state, "no/such/dir/j.db", path, sizeof path);
    assert_int_equal(gs_db_open(path, &db, &err), GS_ERR_IO);
    assert_non_null(strstr(err.msg, "no/such/dir/j.db"));
    assert_int_equal(gs_db_create_version(path, 0, &err), GS_ERR_INPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_file_modes, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_default_path, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_add_and_read, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_interventions, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_edit_undo, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_day_start, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_responses_and_tags, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_apply_user_tags, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_transaction, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_migrations, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_refuses_foreign_files, setup_dir, teardown_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
