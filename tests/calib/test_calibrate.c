/*
 * test_calibrate.c - the calibration layer (src/calib/calibrate.c,
 * docs/calibration.md): every calibration file loads; bad files are
 * reported at FILE:LINE:COLUMN; the `met` rule and the standardised
 * distance on hand-made numbers; a small calibration run gives the same
 * numbers on 1 and 2 threads; the block tables' defaults equal the fitted
 * set in data/calibration/fitted.yaml, so the two cannot drift apart.
 */
#include <glob.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "gutskin/calibrate.h"

static const char *const IDS[] = {"acne-low-gl", "acne-zinc", "ad-probiotic",
                                  "barrier-probiotic-lps", "barrier-probiotic-zonulin",
                                  "rosacea-sibo"};

static void every_target_loads(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof IDS / sizeof IDS[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "data/calibration/%s.yaml", IDS[i]);
        gs_cal_target t;
        gs_err err;
        gs_err_clear(&err);
        gs_status st = gs_cal_target_load(path, &t, &err);
        if (st != GS_OK) fail_msg("%s", err.msg);
        assert_string_equal(t.id, IDS[i]);
        assert_true(t.published.lo < t.published.estimate);
        assert_true(t.published.estimate < t.published.hi);
        assert_true(t.arm != t.trial.control);
        assert_non_null(t.source);
        assert_true(t.trial.pop.n_measure >= 1);  /* every target has a measurement model */
        gs_cal_target_free(&t);
    }
}

/* Write text to a calibration file next to the real ones (so relative
 * variability paths would resolve) and return its path. */
static const char *write_bad(const char *text)
{
    static char path[128];
    snprintf(path, sizeof path, "data/calibration/.test-bad-%ld.yml", (long)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    return path;
}

static const char *BASE = "name: bad\n"
                          "population:\n"
                          "  person: {usual: {fibre: 15}}\n"
                          "patients: 4\n"
                          "days: 7\n"
                          "arms:\n"
                          "  - {name: placebo, control: true}\n"
                          "  - name: probiotic\n"
                          "    schedule: [{intervention: probiotic, start: 0, stop: 7, dose: 10}]\n"
                          "endpoints:\n"
                          "  - {name: z, score: barrier.zonulin, day: 7, kind: change}\n";

static void expect_error(const char *target, const char *where, const char *what)
{
    char text[2048];
    snprintf(text, sizeof text, "%s%s", BASE, target);
    const char *path = write_bad(text);
    gs_cal_target t;
    gs_err err;
    gs_err_clear(&err);
    gs_status st = gs_cal_target_load(path, &t, &err);
    gs_cal_target_free(&t);
    remove(path);
    assert_int_equal(st, GS_ERR_INPUT);
    char expect[256];
    snprintf(expect, sizeof expect, "%s:%s", path, where);
    if (!strstr(err.msg, expect) || !strstr(err.msg, what))
        fail_msg("expected '%s' and '%s' in: %s", expect, what, err.msg);
}

static void bad_files_name_line_and_column(void **state)
{
    (void)state;
    expect_error("", "1:1", "missing 'target'");
    expect_error("target:\n  id: x\n  outcome: o\n  arm: nope\n  endpoint: z\n"
                 "  statistic: smd\n  sign: 1\n  published: {estimate: 1, lo: 0, hi: 2}\n"
                 "  source: s\n",
                 "15:8", "'nope' is not a non-control arm");
    expect_error("target:\n  id: x\n  outcome: o\n  arm: probiotic\n  endpoint: z\n"
                 "  statistic: proportion_difference\n  sign: 1\n"
                 "  published: {estimate: 1, lo: 0, hi: 2}\n  source: s\n",
                 "17:14", "does not fit endpoint 'z'");
    expect_error("target:\n  id: x\n  outcome: o\n  arm: probiotic\n  endpoint: z\n"
                 "  statistic: smd\n  sign: 2\n  published: {estimate: 1, lo: 0, hi: 2}\n"
                 "  source: s\n",
                 "18:9", "expected 1 or -1");
    expect_error("target:\n  id: x\n  outcome: o\n  arm: probiotic\n  endpoint: z\n"
                 "  statistic: smd\n  sign: 1\n  published: {estimate: 3, lo: 0, hi: 2}\n"
                 "  source: s\n",
                 "19:15", "estimate between them");
    expect_error("tagret: {}\n", "12:1", "unknown key 'tagret'");
}

static void met_and_distance_by_hand(void **state)
{
    (void)state;
    gs_interval kim = {-4.51, -6.78, -2.24};
    assert_true(gs_cal_met(-4.51, kim));
    assert_true(gs_cal_met(-6.78, kim));   /* bounds are inside */
    assert_true(gs_cal_met(-2.24, kim));
    assert_false(gs_cal_met(-2.23, kim));
    assert_false(gs_cal_met(-0.09, kim));
    assert_false(gs_cal_met(-7.0, kim));
    assert_false(gs_cal_met(NAN, kim));
    /* SE = (hi - lo) / 3.919928 = 1.158184; (-2.24 + 4.51) / SE = 1.959964 */
    assert_float_equal(gs_cal_distance(-2.24, kim), 1.959964, 1e-5);
    assert_float_equal(gs_cal_distance(-4.51, kim), 0.0, 1e-12);
    gs_interval zinc = {0.73, 0.34, 1.12};
    assert_float_equal(gs_cal_distance(0.34, zinc), -1.959964, 1e-5);
}

/* The measurement model (gs_observe): identity without an entry; a pure
 * function of its arguments; error of the stated size; the placebo
 * response by its formula. */
static void measurement_model(void **state)
{
    (void)state;
    gs_measurement ms = {3, 0.0, 0.2, 0.0, 0.0, 14.0, NULL};
    gs_population pop;
    memset(&pop, 0, sizeof pop);
    assert_float_equal(gs_observe(&pop, 1, 0, 3, 5, 10.0), 10.0, 0);  /* no entry */
    pop.measure = &ms;
    pop.n_measure = 1;
    assert_float_equal(gs_observe(&pop, 1, 0, 4, 5, 10.0), 10.0, 0);  /* another score */
    double a = gs_observe(&pop, 7, 11, 3, 0, 10.0), b = gs_observe(&pop, 7, 11, 3, 0, 10.0);
    assert_memory_equal(&a, &b, sizeof a);
    assert_true(a != 10.0);
    assert_true(gs_observe(&pop, 7, 11, 3, 1, 10.0) != a);   /* a new visit, a new error */
    assert_true(gs_observe(&pop, 7, 12, 3, 0, 10.0) != a);   /* another patient */
    /* error SD 0.2 * 10 = 2 around 10: mean and SD of 20000 patients */
    double sum = 0, sum2 = 0;
    long n = 20000;
    for (long i = 0; i < n; i++) {
        double v = gs_observe(&pop, 3, i, 3, 0, 10.0);
        sum += v;
        sum2 += v * v;
    }
    double mean = sum / n, sd = sqrt((sum2 - n * mean * mean) / (n - 1));
    assert_float_equal(mean, 10.0, 0.05);   /* 3.5 standard errors */
    assert_float_equal(sd, 2.0, 0.05);
    /* placebo -20% with time constant 14 days, no error and no spread */
    gs_measurement pl = {3, 0.0, 0.0, -20.0, 0.0, 14.0, NULL};
    pop.measure = &pl;
    assert_float_equal(gs_observe(&pop, 3, 0, 3, 0, 10.0), 10.0, 1e-12);
    assert_float_equal(gs_observe(&pop, 3, 0, 3, 14, 10.0), 10.0 * (1 - 0.2 * (1 - exp(-1.0))),
                       1e-12);
    assert_float_equal(gs_observe(&pop, 3, 0, 3, 3650, 10.0), 8.0, 1e-9);
    /* a count is never observed below 0 */
    gs_measurement big = {3, 50.0, 0.0, 0.0, 0.0, 14.0, NULL};
    pop.measure = &big;
    for (long i = 0; i < 200; i++) assert_true(gs_observe(&pop, 3, i, 3, 1, 1.0) >= 0);
}

static void same_numbers_on_one_and_two_threads(void **state)
{
    (void)state;
    const char *sanitized = getenv("GS_SANITIZED");
    long patients = sanitized && strcmp(sanitized, "1") == 0 ? 12 : 40;
    const char *files[] = {"data/calibration/acne-zinc.yaml",
                           "data/calibration/rosacea-sibo.yaml"};
    for (size_t f = 0; f < 2; f++) {
        gs_cal_target t;
        gs_err err;
        gs_err_clear(&err);
        if (gs_cal_target_load(files[f], &t, &err) != GS_OK) fail_msg("%s", err.msg);
        t.trial.patients = patients;
        gs_cal_result r1, r2;
        gs_trial_opts one = {1, NULL, 0, 0}, two = {2, NULL, 0, 0};
        assert_int_equal(gs_cal_run(&t, &one, &r1, &err), GS_OK);
        assert_int_equal(gs_cal_run(&t, &two, &r2, &err), GS_OK);
        assert_true(r1.ok);
        assert_memory_equal(&r1.model, &r2.model, sizeof r1.model);
        assert_int_equal(r1.n_arm, r2.n_arm);
        assert_int_equal(r1.met, r2.met);
        gs_cal_target_free(&t);
    }
}

/* A short fit lowers (never raises) the objective, keeps the parameter in
 * its bounds and moves its tie with it; a bad fit file names its line. */
static void fit_moves_within_bounds(void **state)
{
    (void)state;
    gs_cal_target t;
    gs_err err;
    gs_err_clear(&err);
    if (gs_cal_target_load("data/calibration/rosacea-sibo.yaml", &t, &err) != GS_OK)
        fail_msg("%s", err.msg);
    const char *sanitized = getenv("GS_SANITIZED");
    t.trial.patients = sanitized && strcmp(sanitized, "1") == 0 ? 12 : 40;
    char *ids[] = {"rosacea-sibo"};
    gs_fit_param p;
    memset(&p, 0, sizeof p);
    p.name = "skin_rosacea.sibo_weight";
    p.lo = 0.3;
    p.hi = 0.9;      /* the default 0.9538 starts outside: the search clamps it */
    p.targets = ids;
    p.n_targets = 1;
    p.start = NAN;
    p.tie = "skin_rosacea.skin_base";
    p.tie_intercept = 1;
    p.tie_slope = -1;
    p.tie_why = "the drive stays 1";
    gs_fit_spec spec = {&p, 1, 3, 0.2, 1, NULL, 0};
    gs_trial_opts opts = {2, NULL, 0, 0};
    double before = NAN, after = NAN;
    if (gs_cal_fit(&t, 1, &spec, &opts, &before, &after, NULL, &err) != GS_OK)
        fail_msg("%s", err.msg);
    assert_true(isfinite(before) && isfinite(after));
    assert_true(p.value >= 0.3 && p.value <= 0.9);
    assert_float_equal(p.tie_value, 1 - p.value, 1e-6);
    const double *v = gs_model_params_const(t.trial.pop.model);
    assert_float_equal(v[gs_model_find_param(t.trial.pop.model, "skin_rosacea.skin_base")],
                       1 - p.value, 1e-12);
    gs_cal_target_free(&t);

    const char *path = write_bad("fit:\n  - {param: skin_acne.g_zinc, lo: 2, hi: 1, "
                                 "targets: [acne-zinc]}\n");
    gs_fit_spec f;
    gs_status st = gs_fit_spec_load(path, &f, &err);
    gs_fit_spec_free(&f);
    remove(path);
    assert_int_equal(st, GS_ERR_INPUT);
    if (!strstr(err.msg, ":2:") || !strstr(err.msg, "needs lo < hi"))
        fail_msg("unexpected: %s", err.msg);
}

/* With extra seeds the objective compares the mean of the estimates at the
 * target's own seed and the extra ones with the published effect: the
 * objective at the defaults equals the squared distance of that mean,
 * computed here by hand, and the target's own seed is left as it was.
 * A fit file's seeds must be whole numbers (FILE:LINE). */
static void fit_averages_over_seeds(void **state)
{
    (void)state;
    gs_cal_target t;
    gs_err err;
    gs_err_clear(&err);
    if (gs_cal_target_load("data/calibration/acne-zinc.yaml", &t, &err) != GS_OK)
        fail_msg("%s", err.msg);
    const char *sanitized = getenv("GS_SANITIZED");
    t.trial.patients = sanitized && strcmp(sanitized, "1") == 0 ? 16 : 60;
    unsigned long own = t.trial.seed, extra[] = {11, 12};
    gs_trial_opts opts = {2, NULL, 0, 0};
    double sum = 0, single = NAN;
    for (int k = 0; k < 3; k++) {
        t.trial.seed = k == 0 ? own : extra[k - 1];
        gs_cal_result r;
        if (gs_cal_run(&t, &opts, &r, &err) != GS_OK) fail_msg("%s", err.msg);
        assert_true(r.ok);
        sum += r.model.estimate;
        if (k == 0) single = r.model.estimate;
    }
    t.trial.seed = own;
    double d = gs_cal_distance(sum / 3, t.published);
    double d1 = gs_cal_distance(single, t.published);
    assert_true(fabs(d - d1) > 1e-6);  /* the seeds do change the estimate */

    char *ids[] = {"acne-zinc"};
    gs_fit_param p;
    memset(&p, 0, sizeof p);
    p.name = "skin_acne.g_zinc";
    p.lo = 0.05;
    p.hi = 20;
    p.targets = ids;
    p.n_targets = 1;
    p.start = NAN;
    gs_fit_spec spec = {&p, 1, 1, 0.1, 0, extra, 2};
    double before = NAN, after = NAN;
    if (gs_cal_fit(&t, 1, &spec, &opts, &before, &after, NULL, &err) != GS_OK)
        fail_msg("%s", err.msg);
    assert_float_equal(before, d * d, 1e-9 * (1 + d * d));
    assert_int_equal(t.trial.seed, own);
    gs_cal_target_free(&t);

    const char *path = write_bad("seeds: [1, 2.5]\nfit:\n  - {param: skin_acne.g_zinc, lo: 1, "
                                 "hi: 2, targets: [acne-zinc]}\n");
    gs_fit_spec f;
    gs_status st = gs_fit_spec_load(path, &f, &err);
    gs_fit_spec_free(&f);
    remove(path);
    assert_int_equal(st, GS_ERR_INPUT);
    if (!strstr(err.msg, ":1:") || !strstr(err.msg, "seeds"))
        fail_msg("unexpected: %s", err.msg);
    path = write_bad("seeds: [3, 4]\nfit:\n  - {param: skin_acne.g_zinc, lo: 1, "
                     "hi: 2, targets: [acne-zinc]}\n");
    assert_int_equal(gs_fit_spec_load(path, &f, &err), GS_OK);
    assert_int_equal(f.n_extra_seeds, 2);
    assert_int_equal(f.extra_seeds[1], 4);
    gs_fit_spec_free(&f);
    remove(path);
}

static void block_defaults_equal_the_fitted_set(void **state)
{
    (void)state;
    char **names;
    double *values;
    size_t n;
    gs_err err;
    gs_err_clear(&err);
    if (gs_fitted_load("data/calibration/fitted.yaml", &names, &values, &n, &err) != GS_OK)
        fail_msg("%s", err.msg);
    assert_true(n >= 1);
    /* the calibration persons hold every fitted parameter at its default */
    gs_cal_target t[6];
    for (size_t i = 0; i < 6; i++) {
        char path[256];
        snprintf(path, sizeof path, "data/calibration/%s.yaml", IDS[i]);
        if (gs_cal_target_load(path, &t[i], &err) != GS_OK) fail_msg("%s", err.msg);
    }
    for (size_t k = 0; k < n; k++) {
        int found = 0;
        for (size_t i = 0; i < 6; i++) {
            int p = gs_model_find_param(t[i].trial.pop.model, names[k]);
            if (p < 0) continue;
            found = 1;
            const gs_quantity *q = gs_model_param_info(t[i].trial.pop.model, (size_t)p);
            if (fabs(q->value - values[k]) > 1e-12 * fabs(values[k]))
                fail_msg("%s: the block table says %.10g, fitted.yaml %.10g", names[k],
                         q->value, values[k]);
            if (q->grade != GS_FITTED) fail_msg("%s is fitted but not graded fitted", names[k]);
        }
        if (!found) fail_msg("no calibration person has %s", names[k]);
    }
    for (size_t i = 0; i < 6; i++) gs_cal_target_free(&t[i]);
    gs_fitted_free(names, values, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_target_loads),
        cmocka_unit_test(bad_files_name_line_and_column),
        cmocka_unit_test(met_and_distance_by_hand),
        cmocka_unit_test(measurement_model),
        cmocka_unit_test(same_numbers_on_one_and_two_threads),
        cmocka_unit_test(fit_moves_within_bounds),
        cmocka_unit_test(fit_averages_over_seeds),
        cmocka_unit_test(block_defaults_equal_the_fitted_set),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
