/* Tests of scenario files: a good file becomes the right schedule and
 * overrides; each kind of bad input gives its exact FILE:LINE:COLUMN and
 * sentence; runs sample the promised days. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "gutskin/plot.h"
#include "gutskin/scenario.h"

/* Write text to a fresh temporary .yaml file; the caller unlinks it. */
static void write_temp(const char *text, char *path, size_t len)
{
    snprintf(path, len, "/tmp/gs-scenario-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    assert_int_equal(close(fd), 0);
}

static gs_status load_text(const char *text, gs_scenario *sc, gs_err *err, char *path,
                           size_t len)
{
    write_temp(text, path, len);
    gs_status st = gs_scenario_load(path, sc, err);
    unlink(path);
    return st;
}

static void good_file_becomes_schedule_and_overrides(void **state)
{
    (void)state;
    const char *text =
        "# a comment\n"
        "name: \"diet switch, then a probiotic\"\n"
        "about: free text is allowed here\n"
        "days: 120\n"
        "every: 2\n"
        "burn_in: 30\n"
        "solver: {rtol: 1e-7, max_steps: 20000, jacobian: finite_difference}\n"
        "person:\n"
        "  usual:\n"
        "    fibre: 10\n"
        "    glycaemic_load: 220\n"
        "  params:\n"
        "    systemic.crp_gain: 55\n"
        "  initial:\n"
        "    systemic.damage: 0.5\n"
        "schedule:\n"
        "  - {intervention: fibre, start: 28, stop: 120, dose: 30}\n"
        "  - intervention: probiotic\n"
        "    start: 84\n"
        "    days: 36\n"
        "    dose: 10\n";
    gs_scenario sc;
    gs_err err;
    char path[64];
    gs_status st = load_text(text, &sc, &err, path, sizeof path);
    if (st != GS_OK) fail_msg("%s", err.msg);
    assert_string_equal(sc.name, "diet switch, then a probiotic");
    assert_int_equal(sc.days, 120);
    assert_float_equal(sc.every, 2, 0);
    assert_int_equal(sc.burn_in_auto, 0);
    assert_float_equal(sc.burn_in_days, 30, 0);
    assert_float_equal(sc.solver.rtol, 1e-7, 0);
    assert_int_equal(sc.solver.max_steps, 20000);
    assert_float_equal(sc.solver.atol, 1e-9, 0);  /* default kept */
    assert_int_equal(sc.solver.jacobian, GS_JACOBIAN_FINITE_DIFFERENCE);

    int fibre = gs_intervention_index("fibre"), gl = gs_intervention_index("glycaemic_load"),
        pro = gs_intervention_index("probiotic");
    assert_float_equal(sc.schedule.baseline[fibre], 10, 0);
    assert_float_equal(sc.schedule.baseline[gl], 220, 0);
    assert_int_equal(sc.schedule.n_spans, 2);
    assert_int_equal(sc.schedule.spans[0].intervention, fibre);
    assert_float_equal(sc.schedule.spans[0].start, 28, 0);
    assert_float_equal(sc.schedule.spans[0].stop, 120, 0);
    assert_float_equal(sc.schedule.spans[0].dose, 30, 0);
    assert_int_equal(sc.schedule.spans[1].intervention, pro);
    assert_float_equal(sc.schedule.spans[1].start, 84, 0);
    assert_float_equal(sc.schedule.spans[1].stop, 120, 0);  /* 84 + 36 days */
    assert_float_equal(sc.schedule.spans[1].dose, 10, 0);

    int gain = gs_model_find_param(sc.model, "systemic.crp_gain");
    assert_true(gain >= 0);
    assert_float_equal(gs_model_params(sc.model)[gain], 55, 0);
    int damage = gs_model_find_state(sc.model, "systemic.damage");
    assert_int_equal(sc.n_initial, 1);
    assert_int_equal(sc.initial[0].state, damage);
    assert_float_equal(sc.initial[0].value, 0.5, 0);
    gs_scenario_free(&sc);
}

static void minimal_file_takes_defaults(void **state)
{
    (void)state;
    gs_scenario sc;
    gs_err err;
    char path[64];
    gs_status st = load_text("name: just me\n", &sc, &err, path, sizeof path);
    if (st != GS_OK) fail_msg("%s", err.msg);
    assert_int_equal(sc.days, GS_SCENARIO_DAYS_DEFAULT);
    assert_float_equal(sc.every, 1, 0);
    assert_int_equal(sc.burn_in_auto, 1);
    assert_int_equal(sc.schedule.n_spans, 0);
    /* every non-skin, non-reference block is active; no skin, no reference */
    size_t n;
    const gs_block *const *reg = gs_block_registry(&n);
    for (size_t b = 0; b < n; b++) {
        int want = !(reg[b]->flags & (GS_BLOCK_SKIN | GS_BLOCK_REFERENCE));
        assert_int_equal(gs_model_has_block(sc.model, reg[b]->name), want);
    }
    gs_scenario_free(&sc);
}

static void skin_blocks_join_in_registry_order(void **state)
{
    (void)state;
    size_t n;
    const gs_block *const *reg = gs_block_registry(&n);
    const char *skin[2];
    size_t k = 0;
    for (size_t b = 0; b < n && k < 2; b++)
        if ((reg[b]->flags & GS_BLOCK_SKIN) && !(reg[b]->flags & GS_BLOCK_REFERENCE))
            skin[k++] = reg[b]->name;
    if (k == 0) skip();
    char text[256];
    /* listed in reverse: composition still follows the registry */
    if (k == 2) snprintf(text, sizeof text, "name: x\nperson:\n  skin: [%s, %s]\n", skin[1], skin[0]);
    else snprintf(text, sizeof text, "name: x\nperson:\n  skin: %s\n", skin[0]);
    gs_scenario sc;
    gs_err err;
    char path[64];
    gs_status st = load_text(text, &sc, &err, path, sizeof path);
    if (st != GS_OK) fail_msg("%s", err.msg);
    size_t nb = gs_model_n_blocks(sc.model), last = 0;
    for (size_t i = 0; i < k; i++) assert_true(gs_model_has_block(sc.model, skin[i]));
    for (size_t b = 0; b < nb; b++) {
        /* registry positions ascend */
        size_t r = 0;
        while (r < n && reg[r] != gs_model_block(sc.model, b)) r++;
        assert_true(r < n);
        if (b) assert_true(r > last);
        last = r;
    }
    gs_scenario_free(&sc);
}

typedef struct bad_case {
    const char *yaml;
    const char *expect;  /* the message after "PATH:" */
} bad_case;

static const bad_case bad_cases[] = {
    /* malformed YAML: libfyaml's own position and words */
    {"name: x\nschedule:\n  - {intervention: fibre, start: 0, stop: 5, dose: 30\n",
     "4:1: YAML syntax error: missing comma in flow mapping"},
    {"name: x\nname: y\n", "2:1: YAML syntax error: duplicate key"},
    {"", "1:1: the file is empty or not YAML; expected a scenario mapping with at least "
         "'name' (see docs/scenarios.md)"},
    /* missing required keys */
    {"days: 30\n", "1:1: the scenario is missing the required key 'name' (a title for the "
                   "output)"},
    {"name: x\nschedule:\n  - intervention: zinc\n    start: 0\n    stop: 10\n",
     "3:5: schedule entry 1 is missing the required key 'dose'"},
    {"name: x\nschedule:\n  - {intervention: zinc, start: 0, dose: 20}\n",
     "3:6: schedule entry 1 needs 'stop' (the day it ends) or 'days' (how long it lasts)"},
    /* unknown keys */
    {"name: x\nperson:\n  skn: []\n",
     "3:3: unknown key 'skn' in person (did you mean 'skin'?); expected one of skin, usual, "
     "params, initial"},
    {"name: x\nschedule:\n  - {intervention: zinc, start: 0, stop: 9, dosage: 20}\n",
     "3:45: unknown key 'dosage' in schedule entry 1 (did you mean 'dose'?); expected one "
     "of intervention, start, stop, days, dose"},
    /* unknown names, with the lower layers' suggestions */
    {"name: x\nperson:\n  params:\n    systemic.crp_gian: 50\n",
     "4:5: unknown parameter 'systemic.crp_gian' (did you mean 'systemic.crp_gain'?)"},
    {"name: x\nperson:\n  initial:\n    systemic.phagocyte: 0.1\n",
     "4:5: unknown state 'systemic.phagocyte' (did you mean 'systemic.phagocytes'?)"},
    {"name: x\nschedule:\n  - {intervention: fiber, start: 0, stop: 10, dose: 30}\n",
     "3:20: unknown intervention 'fiber' (did you mean 'fibre'?)"},
    {"name: x\nperson:\n  usual:\n    fiber: 20\n",
     "4:5: unknown intervention 'fiber' (did you mean 'fibre'?)"},
    {"name: x\nperson:\n  skin: [systemic]\n",
     "3:10: 'systemic' is not a skin block; gut and systemic blocks are always active, "
     "person.skin lists skin conditions only"},
    {"name: x\nperson:\n  skin: [skin_acne, skin_acne]\n",
     "3:21: skin block 'skin_acne' is listed twice"},
    {"name: x\nperson:\n  skin: [gut_mouse_stein2013]\n",
     "3:10: 'gut_mouse_stein2013' is a reference model kept to validate a paper, not part "
     "of a person; person.skin lists skin conditions only"},
    {"name: x\nperson:\n  params:\n    skin_acne.g_infl: 5\n",
     "4:5: parameter 'skin_acne.g_infl' belongs to the skin block skin_acne, which this "
     "person does not have (add it to person.skin)"},
    {"name: x\ndayz: 3\n",
     "2:1: unknown key 'dayz' in the scenario (did you mean 'days'?); expected one of name, "
     "about, days, every, person, burn_in, schedule, solver"},
    {"name: x\nschedule:\n  - {intervention: zinc, start: 0, stop: 9, days: 9, dose: 20}\n",
     "3:45: schedule entry 1 has both 'stop' and 'days'; give one"},
    /* ranges */
    {"name: x\nperson:\n  initial:\n    systemic.damage: 500\n",
     "4:22: state systemic.damage = 500 is out of range: allowed 0 to 100 D units"},
    {"name: x\nsolver: {jacobian: exact}\n",
     "2:20: expected 'auto' or 'finite_difference' for 'jacobian', got 'exact'"},
    {"name: x\nsolver: {rtol: 0.5}\n",
     "2:16: 'rtol' is 0.5; expected a number for 'rtol' (1e-12 to 0.01 relative)"},
    {"name: x\nschedule:\n  - intervention: zinc\n    start: 0\n    stop: 10\n    dose: 500\n",
     "6:11: dose of zinc = 500 is out of range: allowed 0 to 150 mg/day"},
    {"name: x\nperson:\n  params:\n    systemic.crp_gain: -1\n",
     "4:24: parameter systemic.crp_gain = -1 is out of range: allowed 0 to 1000 mg/L per "
     "N*-unit"},
    {"name: x\nperson:\n  usual:\n    fibre: 300\n",
     "4:12: usual value of fibre = 300 is out of range: allowed 0 to 100 g/day"},
    {"name: x\ndays: 5000\n", "2:7: 'days' is 5000; expected a whole number for 'days' "
                              "(1 to 3650 days)"},
    {"name: x\ndays: 10.5\n", "2:7: 'days' is 10.5; expected a whole number for 'days' "
                              "(1 to 3650 days)"},
    {"name: x\ndays: 10\nevery: 20\n",
     "3:8: 'every' is 20 days, longer than the 10 simulated days; expected at most 10"},
    {"name: x\nburn_in: -3\n", "2:10: 'burn_in' is -3; expected 'auto' or a number of days "
                               "for 'burn_in' (0 to 3650)"},
    /* durations */
    {"name: x\nschedule:\n  - {intervention: probiotic, start: 10, days: 0, dose: 10}\n",
     "3:48: probiotic: a duration of 0 days is not positive; expected a number of days "
     "above 0"},
    {"name: x\nschedule:\n  - {intervention: probiotic, start: 10, stop: 5, dose: 10}\n",
     "3:48: probiotic: stop day 5 must be after start day 10 (a duration must be positive)"},
    {"name: x\nschedule:\n  - {intervention: probiotic, start: -2, stop: 5, dose: 10}\n",
     "3:38: probiotic: start day -2 must be 0 or later"},
    {"name: x\nschedule:\n  - {intervention: zinc, start: 0, stop: 10, dose: 20}\n"
     "  - {intervention: zinc, start: 5, stop: 15, dose: 20}\n",
     "4:33: zinc: days 5 to 15 overlap an earlier zinc span (days 0 to 10); end one before "
     "the next starts"},
    /* wrong types */
    {"name: x\ndays: thirty\n",
     "2:7: expected a whole number for 'days' (1 to 3650 days), got 'thirty'"},
    {"name: x\ndays: \"30\"\n",
     "2:7: expected a whole number for 'days' (1 to 3650 days), got the quoted text \"30\" "
     "(write numbers without quotes)"},
    {"name: x\nschedule:\n  intervention: zinc\n",
     "3:3: expected schedule as a list of entries (- {intervention: NAME, start: DAY, stop: "
     "DAY, dose: AMOUNT}), got a mapping"},
    {"name: x\nperson: [a, b]\n",
     "2:10: expected person as a mapping with keys skin, usual, params, initial, got a list"},
    {"- name: x\n", "1:3: expected the scenario as a mapping with keys name, about, days, "
                    "every, person, burn_in, schedule, solver, got a list"},
    {"name: [a]\n", "1:8: expected a title for 'name', got a list"},
    {"name: ~\n", "1:7: expected a title for 'name', got nothing"},
    {"name: x\ndays:\n", "2:1: expected a whole number for 'days' (1 to 3650 days), got "
                         "nothing"},
    {"name: a\n---\nname: b\n", "3:1: a second YAML document starts here; a scenario file "
                                 "holds one document (remove the '---' line)"},
    {"name: &n a\nabout: *m\n", "2:9: YAML syntax error: invalid alias"},
};

static void bad_inputs_give_position_and_reason(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        gs_scenario sc;
        gs_err err;
        char path[64];
        gs_err_clear(&err);
        gs_status st = load_text(bad_cases[i].yaml, &sc, &err, path, sizeof path);
        char want[GS_ERR_MSG_MAX];
        snprintf(want, sizeof want, "%s:%s", path, bad_cases[i].expect);
        if (st != GS_ERR_INPUT || strcmp(err.msg, want) != 0)
            fail_msg("case %zu:\n  yaml: %s\n  want: %s\n  got (%d): %s", i,
                     bad_cases[i].yaml, want, (int)st, err.msg);
        gs_scenario_free(&sc);
    }
}

static void missing_file_is_named(void **state)
{
    (void)state;
    gs_scenario sc;
    gs_err err;
    assert_int_equal(gs_scenario_load("/nonexistent/x.yaml", &sc, &err), GS_ERR_INPUT);
    assert_string_equal(err.msg, "/nonexistent/x.yaml: cannot open the scenario file: No "
                                 "such file or directory");
    gs_scenario_free(&sc);
}

static void sample_counts(void **state)
{
    (void)state;
    assert_int_equal(gs_scenario_n_samples(168, 1), 169);
    assert_int_equal(gs_scenario_n_samples(168, 7), 25);
    assert_int_equal(gs_scenario_n_samples(10, 3), 5);  /* 0 3 6 9 10 */
    assert_int_equal(gs_scenario_n_samples(84, 1.0 / 24.0), 84 * 24 + 1);
    assert_int_equal(gs_scenario_n_samples(1, 1), 2);
}

static void run_samples_every_state_and_output(void **state)
{
    (void)state;
    gs_scenario sc;
    gs_err err;
    char path[64];
    gs_status st = load_text("name: run\ndays: 10\nevery: 3\nburn_in: 0\n"
                             "person:\n  initial:\n    systemic.pathogen: 0.5\n",
                             &sc, &err, path, sizeof path);
    if (st != GS_OK) fail_msg("%s", err.msg);
    gs_scenario_result res;
    st = gs_scenario_run(&sc, &res, &err);
    if (st != GS_OK) fail_msg("%s", err.msg);
    assert_int_equal(res.n_rows, 5);
    assert_int_equal(res.n_cols, gs_model_n_states(sc.model) + gs_model_n_outputs(sc.model));
    const double want_days[] = {0, 3, 6, 9, 10};
    for (size_t r = 0; r < 5; r++) assert_float_equal(res.days[r], want_days[r], 0);
    int p = gs_model_find_state(sc.model, "systemic.pathogen");
    assert_true(p >= 0);
    /* the initial override holds at day 0 and the pathogen is then cleared */
    assert_float_equal(res.values[p], 0.5, 0);
    assert_true(res.values[4 * res.n_cols + p] < 0.5);
    char name[128];
    const char *unit;
    int crp = gs_model_find_output(sc.model, "systemic.crp");
    assert_true(crp >= 0);
    size_t col = gs_model_n_states(sc.model) + (size_t)crp;
    assert_string_equal(gs_scenario_column_name(&sc, col, name, sizeof name, &unit),
                        "systemic.crp");
    assert_string_equal(unit, "mg/L");
    assert_float_equal(res.burn_in_days, 0, 0);
    assert_true(res.stats.steps > 0);
    gs_scenario_result_free(&res);
    gs_scenario_free(&sc);
}

static void solver_failure_names_block_state_day(void **state)
{
    (void)state;
    gs_scenario sc;
    gs_err err;
    char path[64];
    gs_status st = load_text("name: stiff\ndays: 10\nburn_in: 0\nsolver: {max_steps: 1}\n"
                             "person:\n  initial:\n    systemic.pathogen: 5\n",
                             &sc, &err, path, sizeof path);
    if (st != GS_OK) fail_msg("%s", err.msg);
    gs_scenario_result res;
    assert_int_equal(gs_scenario_run(&sc, &res, &err), GS_ERR_SOLVER);
    assert_non_null(strstr(err.msg, "the solver failed at day"));
    assert_non_null(strstr(err.msg, "in block "));
    assert_null(res.values);
    gs_scenario_free(&sc);
}

static void plot_writes_png_and_names_failures(void **state)
{
    (void)state;
    gs_scenario sc;
    gs_err err;
    char path[64];
    gs_status st = load_text("name: plot\ndays: 6\nburn_in: 0\nschedule:\n"
                             "  - {intervention: fibre, start: 2, days: 2, dose: 30}\n",
                             &sc, &err, path, sizeof path);
    if (st != GS_OK) fail_msg("%s", err.msg);
    gs_scenario_result res;
    st = gs_scenario_run(&sc, &res, &err);
    if (st != GS_OK) fail_msg("%s", err.msg);
    char png[64];
    write_temp("", png, sizeof png);
    st = gs_scenario_plot(&sc, &res, png, &err);
    if (st != GS_OK) fail_msg("%s", err.msg);
    FILE *f = fopen(png, "rb");
    assert_non_null(f);
    unsigned char sig[8];
    assert_int_equal(fread(sig, 1, 8, f), 8);
    fclose(f);
    assert_memory_equal(sig, "\x89PNG\r\n\x1a\n", 8);
    unlink(png);
    /* an unwritable path is an I/O error naming it */
    assert_int_equal(gs_scenario_plot(&sc, &res, "/nonexistent/dir/p.png", &err), GS_ERR_IO);
    assert_non_null(strstr(err.msg, "/nonexistent/dir/p.png"));
    /* an empty figure is refused */
    gs_plot empty = {0};
    assert_int_equal(gs_plot_write_png(&empty, png, &err), GS_ERR_INPUT);
    gs_scenario_result_free(&res);
    gs_scenario_free(&sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_file_becomes_schedule_and_overrides),
        cmocka_unit_test(minimal_file_takes_defaults),
        cmocka_unit_test(skin_blocks_join_in_registry_order),
        cmocka_unit_test(bad_inputs_give_position_and_reason),
        cmocka_unit_test(missing_file_is_named),
        cmocka_unit_test(sample_counts),
        cmocka_unit_test(run_samples_every_state_and_output),
        cmocka_unit_test(solver_failure_names_block_state_day),
        cmocka_unit_test(plot_writes_png_and_names_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
