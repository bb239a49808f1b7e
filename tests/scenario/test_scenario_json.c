/*
 * test_scenario_json.c - the JSON reader of scenarios against the YAML
 * one: every example scenario, converted to JSON and read back, composes
 * the same model and schedule and runs to the same numbers; and errors
 * name the offending field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glob.h>
#include <string.h>

#include "gutskin/scenario_json.h"

static void same_as_yaml(void **state)
{
    (void)state;
    glob_t g;
    assert_int_equal(glob("data/scenarios/*.yaml", 0, NULL, &g), 0);
    assert_true(g.gl_pathc >= 5);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        gs_scenario a, b;
        gs_err err;
        json_t *doc;
        char field[128];
        assert_int_equal(gs_scenario_load(g.gl_pathv[i], &a, &err), GS_OK);
        assert_int_equal(gs_scenario_yaml_to_json(g.gl_pathv[i], &doc, &err), GS_OK);
        gs_status st = gs_scenario_from_json(doc, "json", &b, field, sizeof field, &err);
        if (st != GS_OK) fail_msg("%s as JSON: %s", g.gl_pathv[i], err.msg);
        json_decref(doc);
        assert_string_equal(a.name, b.name);
        assert_int_equal(a.days, b.days);
        assert_true(a.every == b.every);
        assert_int_equal(a.burn_in_auto, b.burn_in_auto);
        assert_int_equal(gs_model_n_states(a.model), gs_model_n_states(b.model));
        assert_int_equal(gs_model_n_params(a.model), gs_model_n_params(b.model));
        assert_memory_equal(gs_model_params(a.model), gs_model_params(b.model),
                            gs_model_n_params(a.model) * sizeof(double));
        assert_int_equal(a.schedule.n_spans, b.schedule.n_spans);
        assert_int_equal(a.n_initial, b.n_initial);
        gs_scenario_result ra, rb;
        assert_int_equal(gs_scenario_run(&a, &ra, &err), GS_OK);
        assert_int_equal(gs_scenario_run(&b, &rb, &err), GS_OK);
        assert_int_equal(ra.n_rows, rb.n_rows);
        assert_memory_equal(ra.values, rb.values, ra.n_rows * ra.n_cols * sizeof(double));
        gs_scenario_result_free(&ra);
        gs_scenario_result_free(&rb);
        gs_scenario_free(&a);
        gs_scenario_free(&b);
    }
    globfree(&g);
}

/* Read text as JSON; expect an input error on field whose sentence
 * starts with the field and contains words. */
static void expect_error(const char *text, const char *field, const char *words)
{
    json_error_t je;
    json_t *doc = json_loads(text, 0, &je);
    assert_non_null(doc);
    gs_scenario sc;
    gs_err err;
    char got[128];
    assert_int_equal(gs_scenario_from_json(doc, "request", &sc, got, sizeof got, &err),
                     GS_ERR_INPUT);
    json_decref(doc);
    gs_scenario_free(&sc);
    if (strcmp(got, field) != 0) fail_msg("%s: field '%s', expected '%s' (%s)", text, got, field, err.msg);
    assert_int_equal(strncmp(err.msg, field, strlen(field)), 0);
    if (words && !strstr(err.msg, words)) fail_msg("%s: '%s' lacks '%s'", text, err.msg, words);
}

static void errors_name_the_field(void **state)
{
    (void)state;
    expect_error("{\"days\": 84}", "name", "missing");
    expect_error("{\"name\": \"x\", \"days\": 0}", "days", "1 to 3650");
    expect_error("{\"name\": \"x\", \"days\": 8.5}", "days", "whole");
    expect_error("{\"name\": \"x\", \"every\": 100, \"days\": 10}", "every", "longer");
    expect_error("{\"name\": \"x\", \"dayz\": 3}", "dayz", "did you mean 'days'");
    expect_error("{\"name\": \"x\", \"person\": {\"skin\": \"barrier\"}}", "person.skin",
                 "not a skin condition");
    expect_error("{\"name\": \"x\", \"person\": {\"skin\": [\"skin_acne\", \"skin_acne\"]}}",
                 "person.skin[1]", "twice");
    expect_error("{\"name\": \"x\", \"person\": {\"initial\": {\"skin_acne.sebum\": 1}}}",
                 "person.initial.skin_acne.sebum", "add it to person.skin");
    expect_error("{\"name\": \"x\", \"person\": {\"params\": {\"barrier.damage_bas\": 1}}}",
                 "person.params.barrier.damage_bas", "damage_base");
    expect_error("{\"name\": \"x\", \"schedule\": {}}", "schedule", "list");
    expect_error("{\"name\": \"x\", \"schedule\": [{\"intervention\": \"fibre\", \"start\": 0, "
                 "\"stop\": 9, \"days\": 9, \"dose\": 20}]}", "schedule[0].days", "both");
    expect_error("{\"name\": \"x\", \"schedule\": [{\"intervention\": \"fibre\", \"start\": 0, "
                 "\"days\": -2, \"dose\": 20}]}", "schedule[0].days", "not positive");
    expect_error("{\"name\": \"x\", \"schedule\": [{\"intervention\": \"fibre\", \"start\": -1, "
                 "\"stop\": 9, \"dose\": 20}]}", "schedule[0].start", NULL);
    expect_error("{\"name\": \"x\", \"solver\": {\"rtol\": 1}}", "solver.rtol", NULL);
    expect_error("{\"name\": \"x\", \"solver\": {\"jacobian\": \"exact\"}}", "solver.jacobian",
                 "finite_difference");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_as_yaml),
        cmocka_unit_test(errors_name_the_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
