/* Tests of answers, scoring and the report (src/assess/answers.c, score.c,
 * report.c) on the shipped instrument, and of storing a self-check in the
 * journal and reading it back. */
#include <jansson.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "gutskin/assess.h"
#include "gutskin/journal.h"

/* Every red flag answered "no", the pain scale 2; nothing else. */
static const char *const NO_FLAGS =
    "rf_blood_stool: no\nrf_black_stool: no\nrf_weight_loss: no\nrf_fever: no\n"
    "rf_night_sweats: no\nrf_pain_worst: 2\nrf_pain_wakes: no\nrf_swallowing: no\n"
    "rf_rash: none\nrf_skin_infection: no\n";

static int setup(void **state)
{
    gs_assess_instrument *inst;
    gs_err err;
    if (gs_assess_load_id("signs", &inst, &err) != GS_OK) {
        print_error("%s\n", err.msg);
        return -1;
    }
    *state = inst;
    return 0;
}

static int teardown(void **state)
{
    gs_assess_free(*state);
    return 0;
}

static size_t item(const gs_assess_instrument *inst, const char *id)
{
    long k = gs_assess_item_find(inst, id);
    if (k < 0) fail_msg("no item %s", id);
    return (size_t)k;
}

static void set(const gs_assess_instrument *inst, gs_assess_answer *a, const char *id,
                const char *text)
{
    size_t k = item(inst, id);
    gs_err err;
    if (gs_assess_parse_answer(inst, k, text, &a[k].value, &err) != GS_OK)
        fail_msg("%s", err.msg);
    a[k].given = 1;
}

static gs_assess_answer *no_flags(const gs_assess_instrument *inst)
{
    gs_assess_answer *a = gs_assess_answers_new(inst);
    assert_non_null(a);
    const char *ids[] = {"rf_blood_stool", "rf_black_stool", "rf_weight_loss", "rf_fever",
                         "rf_night_sweats", "rf_swallowing", "rf_skin_infection"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) set(inst, a, ids[i], "no");
    set(inst, a, "rf_pain_worst", "0");
    set(inst, a, "rf_rash", "none");
    return a;
}

/* Write text to a new temporary file with the given suffix. */
static void temp_file(char *path, const char *suffix, const char *text)
{
    sprintf(path, "/tmp/gs_answers_XXXXXX%s", suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
}

static void test_parse_answer(void **state)
{
    const gs_assess_instrument *inst = *state;
    double v;
    gs_err err;
    size_t yn = item(inst, "acne_now"), ch = item(inst, "acne_duration");
    size_t sc = item(inst, "acne_severity"), nu = item(inst, "acne_spots");
    const struct { size_t k; const char *text; double want; } good[] = {
        {yn, "yes", 1}, {yn, " Y \n", 1}, {yn, "true", 1}, {yn, "NO", 0}, {yn, "false", 0},
        {ch, "under_3_months", 0}, {ch, "over_1_year", 2}, {ch, "2", 1}, {sc, "0", 0},
        {sc, "10", 10}, {sc, "7\n", 7}, {nu, "0", 0}, {nu, "500", 500}, {nu, "12", 12}};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        if (gs_assess_parse_answer(inst, good[i].k, good[i].text, &v, &err) != GS_OK)
            fail_msg("'%s': %s", good[i].text, err.msg);
        assert_true(v == good[i].want);
    }
    const struct { size_t k; const char *text; const char *says; } bad[] = {
        {yn, "maybe", "item 'acne_now': 'maybe' is not an allowed answer; expected yes or no"},
        {yn, "", "expected yes or no"},
        {ch, "0", "expected one of under_3_months, 3_to_12_months, over_1_year (or its "
                  "number, 1-3)"},
        {ch, "4", "(or its number, 1-3)"},
        {ch, "forever", "item 'acne_duration': 'forever'"},
        {sc, "11", "item 'acne_severity': '11' is not an allowed answer; expected a whole "
                   "number from 0 to 10"},
        {sc, "-1", "from 0 to 10"},
        {sc, "6.5", "whole number"},
        {sc, "nan", "from 0 to 10"},
        {nu, "501", "expected a whole number from 0 to 500 spots"},
        {nu, "3.5", "whole number"},
        {nu, "lots", "item 'acne_spots'"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gs_err_clear(&err);
        assert_int_equal(gs_assess_parse_answer(inst, bad[i].k, bad[i].text, &v, &err),
                         GS_ERR_INPUT);
        if (!strstr(err.msg, bad[i].says)) fail_msg("'%s': %s", bad[i].text, err.msg);
    }
}

static void test_conditions(void **state)
{
    const gs_assess_instrument *inst = *state;
    gs_assess_answer *a = gs_assess_answers_new(inst);
    size_t sev = item(inst, "acne_severity"), wakes = item(inst, "rf_pain_wakes");
    assert_false(gs_assess_is_asked(inst, sev, a));     /* acne_now unanswered */
    set(inst, a, "acne_now", "no");
    assert_false(gs_assess_is_asked(inst, sev, a));
    set(inst, a, "acne_now", "yes");
    assert_true(gs_assess_is_asked(inst, sev, a));
    set(inst, a, "rf_pain_worst", "0");
    assert_false(gs_assess_is_asked(inst, wakes, a));   /* at_least 1 */
    set(inst, a, "rf_pain_worst", "1");
    assert_true(gs_assess_is_asked(inst, wakes, a));
    assert_true(gs_assess_is_asked(inst, item(inst, "acne_now"), a));  /* no condition */
    free(a);
}

static void test_red_flag_rules(void **state)
{
    const gs_assess_instrument *inst = *state;
    gs_assess_answer *a = no_flags(inst);
    size_t pain = item(inst, "rf_pain_worst"), rash = item(inst, "rf_rash");
    size_t blood = item(inst, "rf_blood_stool");
    for (size_t k = 0; k < inst->n_items; k++) assert_false(gs_assess_is_flagged(inst, k, a));
    set(inst, a, "rf_pain_worst", "7");
    assert_false(gs_assess_is_flagged(inst, pain, a));
    set(inst, a, "rf_pain_worst", "8");
    assert_true(gs_assess_is_flagged(inst, pain, a));
    set(inst, a, "rf_rash", "blistering");
    assert_true(gs_assess_is_flagged(inst, rash, a));
    set(inst, a, "rf_rash", "spreading");
    assert_true(gs_assess_is_flagged(inst, rash, a));
    set(inst, a, "rf_blood_stool", "yes");
    assert_true(gs_assess_is_flagged(inst, blood, a));
    /* a sign item is never a red flag */
    set(inst, a, "acne_now", "yes");
    assert_false(gs_assess_is_flagged(inst, item(inst, "acne_now"), a));
    free(a);
}

static void test_score_groups(void **state)
{
    const gs_assess_instrument *inst = *state;
    gs_assess_answer *a = no_flags(inst);
    set(inst, a, "acne_now", "yes");
    set(inst, a, "acne_severity", "8");
    set(inst, a, "acne_duration", "over_1_year");
    set(inst, a, "bloating_now", "yes");
    set(inst, a, "bloating_severity", "4");
    set(inst, a, "fatigue_now", "yes");   /* present, severity not given */
    set(inst, a, "gas_now", "no");
    gs_assess_result r;
    gs_err err;
    assert_int_equal(gs_assess_score(inst, a, &r, &err), GS_OK);
    assert_int_equal(r.n_flags, 0);
    for (size_t g = 0; g < inst->n_groups; g++) {
        const char *id = inst->groups[g].id;
        const gs_assess_group_result *gr = &r.groups[g];
        if (strcmp(id, "acne") == 0) {
            assert_true(gr->present && gr->severity == 8 && gr->duration == 2);
            assert_string_equal(gs_assess_strength(gr->severity), "marked");
        } else if (strcmp(id, "bloating") == 0) {
            assert_true(gr->present && gr->severity == 4 && gr->duration == -1);
            assert_string_equal(gs_assess_strength(gr->severity), "moderate");
        } else if (strcmp(id, "fatigue") == 0) {
            assert_true(gr->present && isnan(gr->severity));
        } else if (strcmp(id, "gas") == 0) {
            assert_true(gr->answered && !gr->present);
        } else if (strcmp(id, "red_flags") == 0) {
            assert_true(gr->answered && !gr->present);
        } else {
            assert_false(gr->present);
        }
    }
    assert_string_equal(gs_assess_strength(0), "mild");
    assert_string_equal(gs_assess_strength(3), "mild");
    assert_string_equal(gs_assess_strength(4), "moderate");
    assert_string_equal(gs_assess_strength(6), "moderate");
    assert_string_equal(gs_assess_strength(7), "marked");
    assert_null(gs_assess_strength(NAN));
    gs_assess_result_free(&r);
    free(a);
}

static void test_report_without_flags(void **state)
{
    const gs_assess_instrument *inst = *state;
    gs_assess_answer *a = no_flags(inst);
    set(inst, a, "eczema_now", "yes");
    set(inst, a, "eczema_severity", "5");
    set(inst, a, "diarrhoea_now", "yes");
    gs_assess_result r;
    gs_err err;
    assert_int_equal(gs_assess_score(inst, a, &r, &err), GS_OK);
    char *text = gs_assess_report_json(inst, a, &r);
    json_error_t jerr;
    json_t *rep = json_loads(text, 0, &jerr);
    assert_non_null(rep);
    assert_string_equal(json_string_value(json_object_get(rep, "disclaimer")),
                        "This self-check is not a diagnosis and not treatment advice.");
    assert_int_equal(json_array_size(json_object_get(rep, "red_flags")), 0);
    assert_null(json_object_get(rep, "action"));
    size_t i, n_present = 0;
    json_t *g;
    json_array_foreach(json_object_get(rep, "groups"), i, g) {
        if (!json_is_true(json_object_get(g, "present"))) continue;
        n_present++;
        const char *id = json_string_value(json_object_get(g, "id"));
        assert_true(strcmp(id, "eczema") == 0 || strcmp(id, "diarrhoea") == 0);
    }
    assert_int_equal(n_present, 2);
    json_t *s = json_object_get(rep, "suggestion");
    assert_non_null(s);
    assert_int_equal(json_integer_value(json_object_get(s, "weeks")), GS_ASSESS_TRACK_WEEKS);
    assert_non_null(strstr(json_string_value(json_object_get(s, "why")), "statistics"));
    /* what to log: the present groups' entries (eczema: skin itch, skin overall;
     * diarrhoea: stool bristol, gut urgency), each once, then food */
    const char *want[] = {"skin itch", "skin overall", "stool bristol", "gut urgency", "food"};
    json_t *log = json_object_get(s, "log");
    for (size_t w = 0; w < sizeof want / sizeof want[0]; w++)
        assert_string_equal(json_string_value(json_array_get(log, w)), want[w]);
    assert_non_null(strstr(text, "\\\"Leaky gut\\\" is not an accepted diagnosis"));
    json_decref(rep);
    free(text);
    gs_assess_result_free(&r);
    free(a);
}

static void test_red_flag_stops_report(void **state)
{
    const gs_assess_instrument *inst = *state;
    gs_assess_answer *a = no_flags(inst);
    set(inst, a, "rf_night_sweats", "yes");
    set(inst, a, "acne_now", "yes");
    set(inst, a, "acne_severity", "9");
    gs_assess_result r;
    gs_err err;
    assert_int_equal(gs_assess_score(inst, a, &r, &err), GS_OK);
    assert_int_equal(r.n_flags, 1);
    char *text = gs_assess_report_json(inst, a, &r);
    json_t *rep = json_loads(text, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(rep, "action")), "see a clinician now");
    json_t *f = json_array_get(json_object_get(rep, "red_flags"), 0);
    assert_string_equal(json_string_value(json_object_get(f, "sign")), "night sweats");
    assert_non_null(json_object_get(rep, "disclaimer"));
    /* nothing about the gut-skin story */
    assert_null(json_object_get(rep, "groups"));
    assert_null(json_object_get(rep, "suggestion"));
    assert_null(json_object_get(rep, "meaning"));
    json_decref(rep);
    free(text);

    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    gs_assess_report_text(out, inst, a, &r);
    fclose(out);
    assert_non_null(strstr(buf, "see a clinician now"));
    assert_non_null(strstr(buf, "night sweats"));
    assert_non_null(strstr(buf, "not a diagnosis and not treatment advice"));
    assert_null(strstr(buf, "track"));
    assert_null(strstr(buf, "Inflammatory acne"));
    assert_null(strstr(buf, "gutskin log"));
    free(buf);
    gs_assess_result_free(&r);
    free(a);
}

/* Read an answers file; expect success, or GS_ERR_INPUT with a message
 * starting "PATH:where" and containing says. */
static void expect_file(const gs_assess_instrument *inst, const char *text, const char *where,
                        const char *says)
{
    char path[64];
    temp_file(path, ".yaml", text);
    gs_assess_answer *a = gs_assess_answers_new(inst);
    gs_err err;
    gs_err_clear(&err);
    gs_status st = gs_assess_answers_read(inst, path, a, &err);
    if (!where) {
        if (st != GS_OK) fail_msg("%s", err.msg);
    } else {
        char prefix[128];
        snprintf(prefix, sizeof prefix, "%s:%s", path, where);
        if (st != GS_ERR_INPUT || strncmp(err.msg, prefix, strlen(prefix)) != 0 ||
            !strstr(err.msg, says))
            fail_msg("expected '%s...%s', got: %s", prefix, says, err.msg);
    }
    unlink(path);
    free(a);
}

static void test_answers_files(void **state)
{
    const gs_assess_instrument *inst = *state;
    char text[4096];
    expect_file(inst, NO_FLAGS, NULL, NULL);
    snprintf(text, sizeof text, "%sacne_now: yes\nacne_severity: 12\n", NO_FLAGS);
    expect_file(inst, text, "12:16: ", "item 'acne_severity': '12' is not an allowed answer; "
                                        "expected a whole number from 0 to 10");
    snprintf(text, sizeof text, "%sacne_nwo: yes\n", NO_FLAGS);
    expect_file(inst, text, "11:1: ", "'acne_nwo' is not an item of instrument 'signs' (did "
                                      "you mean 'acne_now'?)");
    snprintf(text, sizeof text, "%sacne_now: no\nacne_severity: 3\n", NO_FLAGS);
    expect_file(inst, text, "12: ", "item 'acne_severity' is asked only when acne_now is yes");
    expect_file(inst, "rf_blood_stool: no\nrf_black_stool: no\nrf_weight_loss: no\n"
                      "rf_fever: no\nrf_night_sweats: no\nrf_pain_worst: 0\n"
                      "rf_pain_wakes: yes\n", "7: ", "item 'rf_pain_wakes' is asked only when rf_pain_worst is "
                                   "at least 1");
    /* a red-flag question left out */
    expect_file(inst, "rf_blood_stool: no\n", " ", "the red-flag item 'rf_black_stool' has no "
                                                   "answer");
    snprintf(text, sizeof text, "%srf_rash: [none]\n", NO_FLAGS);
    expect_file(inst, text, "", "YAML syntax error: duplicate key");  /* answered twice */
    expect_file(inst, "rf_blood_stool: [no]\n", "1:18: ", "expected an answer (a single value), "
                                                         "got a list");
    expect_file(inst, "- yes\n- no\n", "1:3: ", "expected the answers as a mapping");
    expect_file(inst, "rf_blood_stool: [no\n", "", "YAML syntax error");
    /* an explicit null leaves an optional item unanswered */
    snprintf(text, sizeof text, "%sacne_now: ~\n", NO_FLAGS);
    expect_file(inst, text, NULL, NULL);
}

static void test_answers_json_round_trip(void **state)
{
    const gs_assess_instrument *inst = *state;
    gs_assess_answer *a = no_flags(inst);
    set(inst, a, "rf_pain_worst", "3");
    set(inst, a, "rf_pain_wakes", "no");
    set(inst, a, "acne_now", "yes");
    set(inst, a, "acne_severity", "6");
    set(inst, a, "acne_duration", "3_to_12_months");
    set(inst, a, "acne_spots", "40");
    set(inst, a, "food_now", "yes");
    set(inst, a, "food_which", "gluten");
    char *json = gs_assess_answers_json(inst, a);
    assert_non_null(strstr(json, "\"acne_now\": true"));
    assert_non_null(strstr(json, "\"food_which\": \"gluten\""));
    char path[64];
    temp_file(path, ".json", json);
    gs_assess_answer *b = gs_assess_answers_new(inst);
    gs_err err;
    if (gs_assess_answers_read(inst, path, b, &err) != GS_OK) fail_msg("%s", err.msg);
    for (size_t k = 0; k < inst->n_items; k++) {
        assert_int_equal(a[k].given, b[k].given);
        if (a[k].given) assert_true(a[k].value == b[k].value);
    }
    unlink(path);
    free(json);
    free(a);
    free(b);
}

/* Stored answers and report come back from the journal as written, and the
 * stored answers, read as an answers file, give the same report. */
static void test_storage_round_trip(void **state)
{
    const gs_assess_instrument *inst = *state;
    char dir[] = "/tmp/gs_check_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char db_path[128];
    snprintf(db_path, sizeof db_path, "%s/journal.db", dir);
    gs_assess_answer *a = no_flags(inst);
    set(inst, a, "psoriasis_now", "yes");
    set(inst, a, "psoriasis_severity", "6");
    gs_assess_result r;
    gs_err err;
    assert_int_equal(gs_assess_score(inst, a, &r, &err), GS_OK);
    char *answers = gs_assess_answers_json(inst, a), *report = gs_assess_report_json(inst, a, &r);
    gs_db *db;
    if (gs_db_open(db_path, &db, &err) != GS_OK) fail_msg("%s", err.msg);
    gs_time at;
    assert_int_equal(gs_time_parse("2026-03-01T09:30:00+01:00", &at, &err), GS_OK);
    int64_t id = 0;
    if (gs_db_response_add(db, &at, inst->id, answers, report, &id, &err) != GS_OK)
        fail_msg("%s", err.msg);
    assert_true(id > 0);
    gs_db_close(db);

    assert_int_equal(gs_db_open(db_path, &db, &err), GS_OK);
    gs_db_response *rs;
    size_t n;
    assert_int_equal(gs_db_responses(db, &rs, &n, &err), GS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rs[0].id, id);
    assert_string_equal(rs[0].instrument, "signs");
    assert_true(rs[0].at.wall == at.wall && rs[0].at.offset_min == 60);
    /* the journal may store JSON in its own layout: compare as JSON */
    json_t *ja = json_loads(answers, 0, NULL), *jb = json_loads(rs[0].answers, 0, NULL);
    json_t *ra = json_loads(report, 0, NULL), *rb = json_loads(rs[0].report, 0, NULL);
    assert_true(json_equal(ja, jb) && json_equal(ra, rb));
    json_decref(ja), json_decref(jb), json_decref(ra), json_decref(rb);

    gs_assess_answer *b = gs_assess_answers_new(inst);
    if (gs_assess_answers_from_json(inst, rs[0].answers, b, &err) != GS_OK)
        fail_msg("%s", err.msg);
    gs_assess_result r2;
    assert_int_equal(gs_assess_score(inst, b, &r2, &err), GS_OK);
    char *report2 = gs_assess_report_json(inst, b, &r2);
    assert_string_equal(report, report2);
    gs_db_responses_free(rs, n);
    gs_db_close(db);
    free(report2);
    gs_assess_result_free(&r2);
    free(b);
    free(answers);
    free(report);
    gs_assess_result_free(&r);
    free(a);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_answers_from_json(void **state)
{
    const gs_assess_instrument *inst = *state;
    gs_assess_answer *a = gs_assess_answers_new(inst);
    gs_err err;
    const char *ok = "{\"rf_blood_stool\": false, \"rf_black_stool\": false, "
                     "\"rf_weight_loss\": false, \"rf_fever\": false, \"rf_night_sweats\": "
                     "false, \"rf_pain_worst\": 0, \"rf_swallowing\": false, \"rf_rash\": "
                     "\"spreading\", \"rf_skin_infection\": false, \"bowel_per_week\": 7.0}";
    if (gs_assess_answers_from_json(inst, ok, a, &err) != GS_OK) fail_msg("%s", err.msg);
    assert_true(a[item(inst, "rf_rash")].given && a[item(inst, "rf_rash")].value == 1);
    assert_true(a[item(inst, "bowel_per_week")].value == 7);
    const struct { const char *json; const char *says; } bad[] = {
        {"[1]", "expected the answers as a JSON object"},
        {"{\"acne_now\": tru}", "not valid JSON"},
        {"{\"acne_now\": true, \"acne_now\": false}", "not valid JSON"},
        {"{\"acne_nwo\": true}", "'acne_nwo' is not an item of instrument 'signs'"},
        {"{\"acne_now\": [true]}", "item 'acne_now': expected a single answer, got a JSON array"},
        {"{\"rf_pain_worst\": 10.5}", "item 'rf_pain_worst': '10.5' is not an allowed answer"},
        {"{\"bowel_per_week\": \"0x10\"}", "item 'bowel_per_week': '0x10'"},
        {"{\"rf_blood_stool\": false}", "the red-flag item 'rf_black_stool' has no answer"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gs_err_clear(&err);
        assert_int_equal(gs_assess_answers_from_json(inst, bad[i].json, a, &err), GS_ERR_INPUT);
        if (!strstr(err.msg, bad[i].says)) fail_msg("%s: %s", bad[i].json, err.msg);
    }
    free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_answer),
        cmocka_unit_test(test_conditions),
        cmocka_unit_test(test_red_flag_rules),
        cmocka_unit_test(test_score_groups),
        cmocka_unit_test(test_report_without_flags),
        cmocka_unit_test(test_red_flag_stops_report),
        cmocka_unit_test(test_answers_files),
        cmocka_unit_test(test_answers_json_round_trip),
        cmocka_unit_test(test_answers_from_json),
        cmocka_unit_test(test_storage_round_trip),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
