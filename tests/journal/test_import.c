/* Tests of import and export (src/journal/import.c, export.c, csv.c). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "gutskin/journal.h"

/* Each test gets a fresh directory and a few path buffers of its own. */
typedef struct test_dir {
    char dir[64];
    char paths[4][512];
    int next;
} test_dir;

static int setup_dir(void **state)
{
    test_dir *t = calloc(1, sizeof *t);
    if (!t) return -1;
    snprintf(t->dir, sizeof t->dir, "/tmp/gs_test_import_XXXXXX");
    if (!mkdtemp(t->dir)) return -1;
    *state = t;
    return 0;
}

static int teardown_dir(void **state)
{
    test_dir *t = *state;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->dir);
    int rc = system(cmd);
    free(t);
    return rc == 0 ? 0 : -1;
}

/* The path of name in the test's directory, valid for the next 3 calls. */
static char *path_in(void **state, const char *name)
{
    test_dir *t = *state;
    char *p = t->paths[t->next++ % 4];
    size_t n = strlen(t->dir);
    memcpy(p, t->dir, n);
    snprintf(p + n, sizeof t->paths[0] - n, "/%s", name);
    return p;
}

static gs_db *open_at(const char *path)
{
    gs_db *db = NULL;
    gs_err err;
    gs_status st = gs_db_open(path, &db, &err);
    if (st) fprintf(stderr, "%s\n", err.msg);
    assert_int_equal(st, GS_OK);
    return db;
}

static void add(gs_db *db, gs_event_kind kind, const char *name, double value, const char *unit,
                const char *note, const char *when)
{
    gs_event ev;
    gs_event_init(&ev, kind);
    snprintf(ev.name, sizeof ev.name, "%s", name);
    snprintf(ev.unit, sizeof ev.unit, "%s", unit);
    snprintf(ev.note, sizeof ev.note, "%s", note);
    ev.value = value;
    gs_err err;
    assert_int_equal(gs_time_parse(when, &ev.at, &err), GS_OK);
    gs_status st = gs_db_add(db, &ev, &err);
    if (st) fprintf(stderr, "%s\n", err.msg);
    assert_int_equal(st, GS_OK);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void export_to(gs_db *db, gs_db_export_format fmt, const char *path)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    gs_err err;
    assert_int_equal(gs_db_export(db, fmt, f, &err), GS_OK);
    fclose(f);
}

/* A journal with every kind of thing in it, and text that needs quoting. */
static void fill(gs_db *db)
{
    gs_err err;
    assert_int_equal(gs_db_set_day_start(db, 300, &err), GS_OK);
    assert_int_equal(gs_db_tag_add(db, "kombucha", "fermented", &err), GS_OK);
    assert_int_equal(gs_db_tag_add(db, "nan's \"special\", stew", "high_histamine", &err), GS_OK);
    add(db, GS_EVENT_FOOD, "oat porridge with milk", 1, "bowl", "", "2026-03-01T08:00:00+01:00");
    add(db, GS_EVENT_FOOD, "toast, butter and \"jam\"", NAN, "", "line one\nline two",
        "2026-03-01T08:05:00");
    add(db, GS_EVENT_FOOD, "lentil soup", 350, "g", "", "2026-03-01T12:30:00Z");
    add(db, GS_EVENT_GUT, "bloating", 6.5, "", " leading space", "2026-03-01T14:00:00");
    add(db, GS_EVENT_STOOL, "bristol", 4, "", "", "2026-03-02T07:00:00");
    add(db, GS_EVENT_SKIN, "lesions", 12, "", "", "2026-03-02T07:10:00-05:30");
    add(db, GS_EVENT_SKIN, "itch", 0.1, "", "", "2026-03-02T07:11:00");
    add(db, GS_EVENT_BODY, "brain_fog", 4, "", "", "2026-03-02T21:00:00");
    add(db, GS_EVENT_SLEEP, "hours", 6.75, "", "", "2026-03-03T07:00:00");
    add(db, GS_EVENT_STRESS, "level", 3, "", "", "2026-03-03T07:01:00");
    add(db, GS_EVENT_START, "zinc", 30, "mg", "with food", "2026-03-01T09:00:00");
    add(db, GS_EVENT_STOP, "zinc", NAN, "", "", "2026-03-03T09:00:00");
    add(db, GS_EVENT_START, "probiotic", 10, "billion CFU", "", "2026-03-03T09:00:00");
    /* a second course of zinc logged late, starting inside the dates of the
     * first: in time order its start would meet the first course running */
    add(db, GS_EVENT_START, "zinc", 15, "mg", "", "2026-03-02T09:00:00");
    gs_time at;
    assert_int_equal(gs_time_parse("2026-03-02T10:00:00+01:00", &at, &err), GS_OK);
    assert_int_equal(gs_db_response_add(db, &at, "gut-skin-signs",
                                        "{ \"bloating\": \"weekly\",\n \"score\": 2.5, "
                                        "\"areas\": [\"face\", \"back\"] }",
                                        "{\"groups\": [\"gut\"], \"red_flag\": false}", NULL,
                                        &err),
                     GS_OK);
    /* an undo leaves a gap in the ids; the round trip must not care */
    add(db, GS_EVENT_GUT, "gas", 2, "", "", "2026-03-03T10:00:00");
    assert_int_equal(gs_db_undo(db, NULL, &err), GS_OK);
}

static void assert_same_entries(gs_db *a, gs_db *b)
{
    gs_event *ea, *eb;
    size_t na, nb;
    gs_err err;
    assert_int_equal(gs_db_events(a, NULL, NULL, &ea, &na, &err), GS_OK);
    assert_int_equal(gs_db_events(b, NULL, NULL, &eb, &nb, &err), GS_OK);
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++) {
        assert_int_equal(ea[i].kind, eb[i].kind);
        assert_true(ea[i].at.wall == eb[i].at.wall && ea[i].at.has_offset == eb[i].at.has_offset &&
                    ea[i].at.offset_min == eb[i].at.offset_min);
        assert_string_equal(ea[i].name, eb[i].name);
        assert_true((isnan(ea[i].value) && isnan(eb[i].value)) || ea[i].value == eb[i].value);
        assert_string_equal(ea[i].unit, eb[i].unit);
        assert_string_equal(ea[i].note, eb[i].note);
    }
    free(ea);
    free(eb);
    gs_db_intervention *ia, *ib;
    assert_int_equal(gs_db_interventions(a, 0, &ia, &na, &err), GS_OK);
    assert_int_equal(gs_db_interventions(b, 0, &ib, &nb, &err), GS_OK);
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++) {
        assert_string_equal(ia[i].name, ib[i].name);
        assert_int_equal(ia[i].stop_id != 0, ib[i].stop_id != 0);
    }
    free(ia);
    free(ib);
    assert_int_equal(gs_db_day_start(a), gs_db_day_start(b));
}

static void test_csv_round_trip(void **state)
{
    gs_db *db = open_at(path_in(state, "a.db"));
    fill(db);
    export_to(db, GS_DB_EXPORT_CSV, path_in(state, "a.csv"));

    gs_db *db2 = open_at(path_in(state, "b.db"));
    gs_db_import_result res;
    gs_err err;
    gs_status st = gs_db_import_csv(db2, path_in(state, "a.csv"), NULL, NULL, 20, &res, &err);
    if (st) fprintf(stderr, "%s\n", err.msg);
    assert_int_equal(st, GS_OK);
    assert_int_equal(res.entries, 14);
    assert_int_equal(res.responses, 1);
    assert_int_equal(res.tags, 2);
    assert_int_equal(res.settings, 1);
    assert_int_equal(res.bad_rows, 0);
    export_to(db2, GS_DB_EXPORT_CSV, path_in(state, "b.csv"));
    char *a = read_file(path_in(state, "a.csv")), *b = read_file(path_in(state, "b.csv"));
    assert_string_equal(a, b);
    assert_non_null(strstr(a, "\"toast, butter and \"\"jam\"\"\""));
    assert_non_null(strstr(a, "\"line one\nline two\""));
    assert_non_null(strstr(a, ",setting,day_start,300,min,\n"));
    free(a);
    free(b);
    assert_same_entries(db, db2);
    gs_db_tag *t;
    size_t n;
    assert_int_equal(gs_db_tags(db2, &t, &n, &err), GS_OK);
    assert_int_equal(n, 2);
    assert_string_equal(t[1].food, "nan's \"special\", stew");
    free(t);
    gs_db_response *r;
    assert_int_equal(gs_db_responses(db2, &r, &n, &err), GS_OK);
    assert_int_equal(n, 1);
    json_t *answers = json_loads(r[0].answers, 0, NULL);
    assert_non_null(answers);
    assert_true(json_real_value(json_object_get(answers, "score")) == 2.5);
    json_decref(answers);
    gs_db_responses_free(r, n);
    gs_db_close(db);
    gs_db_close(db2);
}

static void test_json_and_fhir(void **state)
{
    gs_db *db = open_at(path_in(state, "a.db"));
    fill(db);
    export_to(db, GS_DB_EXPORT_JSON, path_in(state, "a.json"));
    export_to(db, GS_DB_EXPORT_FHIR, path_in(state, "a.fhir.json"));
    gs_db_close(db);

    json_error_t jerr;
    json_t *doc = json_load_file(path_in(state, "a.json"), 0, &jerr);
    assert_non_null(doc);
    assert_string_equal(json_string_value(json_object_get(doc, "day_start")), "05:00");
    json_t *entries = json_object_get(doc, "entries");
    assert_int_equal(json_array_size(entries), 14);
    /* 01:00-05:00 belongs to the day before with a 05:00 day start */
    json_t *first = json_array_get(entries, 0);
    assert_string_equal(json_string_value(json_object_get(first, "day")), "2026-03-01");
    json_t *ivs = json_object_get(doc, "interventions");
    assert_int_equal(json_array_size(ivs), 3); /* zinc, zinc, probiotic by start */
    assert_true(json_is_null(json_object_get(json_array_get(ivs, 1), "stop")));
    assert_true(json_is_string(json_object_get(json_array_get(ivs, 0), "stop")));
    assert_non_null(strstr(json_string_value(json_object_get(doc, "disclaimer")),
                           "not a diagnosis"));
    json_decref(doc);

    doc = json_load_file(path_in(state, "a.fhir.json"), 0, &jerr);
    assert_non_null(doc);
    assert_string_equal(json_string_value(json_object_get(doc, "resourceType")), "Bundle");
    json_t *list = json_object_get(doc, "entry");
    size_t observations = 0, responses = 0, i;
    json_t *e;
    int saw_sleep = 0, saw_period = 0;
    json_array_foreach(list, i, e) {
        json_t *res = json_object_get(e, "resource");
        const char *type = json_string_value(json_object_get(res, "resourceType"));
        if (strcmp(type, "Observation") == 0) {
            observations++;
            const char *when = json_string_value(json_object_get(res, "effectiveDateTime"));
            if (when) /* FHIR: a time carries an offset */
                assert_true(strlen(when) == 25 && (when[19] == '+' || when[19] == '-'));
            json_t *coding = json_array_get(
                json_object_get(json_object_get(res, "code"), "coding"), 0);
            if (strcmp(json_string_value(json_object_get(coding, "code")), "93832-4") == 0) {
                saw_sleep = 1;
                assert_string_equal(json_string_value(json_object_get(coding, "system")),
                                    "http://loinc.org");
            }
            if (json_object_get(res, "effectivePeriod")) saw_period++;
        } else {
            assert_string_equal(type, "QuestionnaireResponse");
            responses++;
            json_t *items = json_object_get(res, "item");
            assert_int_equal(json_array_size(items), 3);
            json_t *areas = json_array_get(items, 2);
            assert_string_equal(json_string_value(json_object_get(areas, "linkId")), "areas");
            assert_int_equal(json_array_size(json_object_get(areas, "answer")), 2);
        }
    }
    /* 10 observations and foods, 3 interventions as periods, 1 response */
    assert_int_equal(observations, 13);
    assert_int_equal(saw_period, 3);
    assert_int_equal(responses, 1);
    assert_true(saw_sleep);
    json_decref(doc);
}

typedef struct problems {
    char text[20][GS_ERR_MSG_MAX + 600];
    size_t n;
} problems;

static void collect(void *ctx, const char *message)
{
    problems *p = ctx;
    if (p->n < 20) snprintf(p->text[p->n++], sizeof p->text[0], "%s", message);
}

static int has_problem(const problems *p, const char *needle)
{
    for (size_t i = 0; i < p->n; i++)
        if (strstr(p->text[i], needle)) return 1;
    return 0;
}

static void test_bad_rows_all_or_nothing(void **state)
{
    char *csv = path_in(state, "bad.csv");
    write_file(csv, "timestamp,kind,name,value,unit,note\n"
                    ",setting,day_start,120,min,\n"
                    ",tag,kombucha,,,fermented\n"
                    "2026-03-01T08:00,food,porridge,,,\n"               /* 4 good */
                    "2026-03-01T09:00,gut,pain,12,,\n"                  /* 5 value */
                    "2026-03-01T09:00,gut,bloat,3,,\n"                  /* 6 name */
                    "2026-02-30T09:00,gut,gas,3,,\n"                    /* 7 timestamp */
                    "2026-03-01T09:00,mood,gas,3,,\n"                   /* 8 kind */
                    "2026-03-01T09:00,stool,bristol,4.5,,\n"            /* 9 whole */
                    "2026-03-01T09:00,sleep,hours,seven,,\n"            /* 10 number */
                    "2026-03-01T09:00,stop,zinc,,,\n"                   /* 11 not running */
                    "2026-03-01T09:00,gut,gas,3\n"                      /* 12 fields */
                    "2026-03-01T09:00,gut,gas,3,,\"unclosed \"oops\n"   /* 13 quote */
                    "2026-03-01T10:00,gut,gas,3,,\n"                    /* 14 good */
                    ",setting,day_start,1440,min,\n"                    /* 15 setting */
                    ",tag,kombucha,,,Fermented!\n");                    /* 16 tag */
    gs_db *db = open_at(path_in(state, "j.db"));
    problems p = {.n = 0};
    gs_db_import_result res;
    gs_err err;
    assert_int_equal(gs_db_import_csv(db, csv, collect, &p, 20, &res, &err), GS_ERR_INPUT);
    assert_int_equal(res.bad_rows, 11);
    assert_non_null(strstr(err.msg, "11 bad rows; nothing was imported"));
    assert_int_equal(p.n, 11);
    assert_true(has_problem(&p, "bad.csv:5: value: gut pain value 12 is outside 0-10"));
    assert_true(has_problem(&p, "bad.csv:6: name: gut name 'bloat' is not one of"));
    assert_true(has_problem(&p, "bad.csv:7: timestamp:"));
    assert_true(has_problem(&p, "bad.csv:8: kind: kind 'mood' is not one of"));
    assert_true(has_problem(&p, "bad.csv:9: value:"));
    assert_true(has_problem(&p, "bad.csv:10: value: 'seven' is not a number"));
    assert_true(has_problem(&p, "bad.csv:11: name: cannot stop 'zinc'"));
    assert_true(has_problem(&p, "bad.csv:12: expected 6 fields"));
    assert_true(has_problem(&p, "bad.csv:13:"));
    assert_true(has_problem(&p, "bad.csv:15: value: day_start '1440'"));
    assert_true(has_problem(&p, "bad.csv:16: note: tag 'Fermented!'"));
    /* nothing was written: no entry, no tag, the day start as it was */
    gs_event *evs;
    size_t n;
    assert_int_equal(gs_db_events(db, NULL, NULL, &evs, &n, &err), GS_OK);
    assert_int_equal(n, 0);
    gs_db_tag *t;
    assert_int_equal(gs_db_tags(db, &t, &n, &err), GS_OK);
    assert_int_equal(n, 0);
    free(t);
    assert_int_equal(gs_db_day_start(db), GS_DB_DAY_START_DEFAULT);

    /* only the first max_problems are reported, all are counted */
    p.n = 0;
    assert_int_equal(gs_db_import_csv(db, csv, collect, &p, 3, &res, &err), GS_ERR_INPUT);
    assert_int_equal(p.n, 3);
    assert_int_equal(res.bad_rows, 11);
    assert_non_null(strstr(err.msg, "first ones are listed"));
    gs_db_close(db);
}

static void test_header_and_forms(void **state)
{
    gs_db *db = open_at(path_in(state, "j.db"));
    gs_db_import_result res;
    gs_err err;
    char *csv = path_in(state, "h.csv");
    write_file(csv, "time,kind,name,value,unit,note\n");
    assert_int_equal(gs_db_import_csv(db, csv, NULL, NULL, 20, &res, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "h.csv:1: the first line must be the header"));
    assert_int_equal(gs_db_import_csv(db, path_in(state, "missing.csv"), NULL, NULL, 20, &res,
                                      &err),
                     GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "missing.csv"));
    /* CRLF, a BOM, a blank line, dates alone and offsets of both forms */
    write_file(csv, "\xEF\xBB\xBFtimestamp,kind,name,value,unit,note\r\n"
                    "2026-03-01,sleep,hours,7,,\r\n"
                    "\r\n"
                    "2026-03-01T21:30+0130,skin,overall,5,,\"a, b\"\r\n"
                    "2026-03-01T22:30:00-08:00,start,fish oil,2,g,\r\n");
    assert_int_equal(gs_db_import_csv(db, csv, NULL, NULL, 20, &res, &err), GS_OK);
    assert_int_equal(res.entries, 3);
    gs_event *evs;
    size_t n;
    assert_int_equal(gs_db_events(db, NULL, NULL, &evs, &n, &err), GS_OK);
    assert_int_equal(n, 3);
    assert_int_equal(evs[0].at.wall % 86400, 12 * 3600);
    assert_int_equal(evs[1].at.offset_min, 90);
    assert_string_equal(evs[1].note, "a, b");
    assert_int_equal(evs[2].at.offset_min, -480);
    assert_string_equal(evs[2].unit, "g");
    free(evs);
    gs_db_close(db);
}

/* Line numbers stay right after a quoted field spanning lines; doubled
 * quotes, empty fields and a last line without a newline are read. */
static void test_csv_lines(void **state)
{
    gs_db *db = open_at(path_in(state, "j.db"));
    char *csv = path_in(state, "l.csv");
    write_file(csv, "timestamp,kind,name,value,unit,note\n"
                    "2026-03-01T08:00,gut,gas,1,,\"three\nline\nnote\"\n" /* lines 2-4 */
                    "2026-03-01T09:00,gut,gas,11,,\n"                     /* line 5 */
                    "2026-03-01T10:00,food,\"say \"\"hi\"\"\",,,");  /* line 6, no LF */
    problems p = {.n = 0};
    gs_db_import_result res;
    gs_err err;
    assert_int_equal(gs_db_import_csv(db, csv, collect, &p, 20, &res, &err), GS_ERR_INPUT);
    assert_int_equal(p.n, 1);
    assert_true(has_problem(&p, "l.csv:5: value: gut gas value 11"));
    write_file(csv, "timestamp,kind,name,value,unit,note\n"
                    "2026-03-01T08:00,gut,gas,1,,\"three\nline\nnote\"\n"
                    "2026-03-01T10:00,food,\"say \"\"hi\"\"\",,,");
    assert_int_equal(gs_db_import_csv(db, csv, collect, &p, 20, &res, &err), GS_OK);
    gs_event *evs;
    size_t n;
    assert_int_equal(gs_db_events(db, NULL, NULL, &evs, &n, &err), GS_OK);
    assert_int_equal(n, 2);
    assert_string_equal(evs[0].note, "three\nline\nnote");
    assert_string_equal(evs[1].name, "say \"hi\"");
    assert_string_equal(evs[1].note, "");
    free(evs);
    gs_db_close(db);
}

/* The same import from text in memory (the HTTP API's body): the same
 * checks and line numbers, under the given name, and nothing written on
 * a bad row. */
static void test_import_from_text(void **state)
{
    gs_db *db = open_at(path_in(state, "j.db"));
    const char bad[] = "timestamp,kind,name,value,unit,note\n"
                       "2026-03-01T08:00,gut,gas,1,,\n"
                       "2026-03-01T09:00,stool,bristol,9,,\n";
    problems p = {.n = 0};
    gs_db_import_result res;
    gs_err err;
    assert_int_equal(gs_db_import_csv_text(db, bad, sizeof bad - 1, "request", collect, &p, 20,
                                           &res, &err),
                     GS_ERR_INPUT);
    assert_int_equal(p.n, 1);
    assert_true(has_problem(&p, "request:3: value: stool bristol value 9"));
    gs_event *evs;
    size_t n;
    assert_int_equal(gs_db_events(db, NULL, NULL, &evs, &n, &err), GS_OK);
    assert_int_equal(n, 0);  /* all or nothing */
    free(evs);
    const char good[] = "timestamp,kind,name,value,unit,note\n"
                        "2026-03-01T08:00,gut,gas,1,,\n"
                        "2026-03-01T09:00,stool,bristol,4,,\n";
    assert_int_equal(gs_db_import_csv_text(db, good, sizeof good - 1, "request", NULL, NULL, 20,
                                           &res, &err),
                     GS_OK);
    assert_int_equal(res.entries, 2);
    /* text with a NUL byte is refused as not text */
    const char nul[] = "timestamp,kind,name,value,unit,note\n\0x";
    assert_int_equal(gs_db_import_csv_text(db, nul, sizeof nul - 1, "request", NULL, NULL, 20,
                                           &res, &err),
                     GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "request is not a text file"));
    gs_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_csv_round_trip, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_json_and_fhir, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_bad_rows_all_or_nothing, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_header_and_forms, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_csv_lines, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_import_from_text, setup_dir, teardown_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
