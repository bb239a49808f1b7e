/*
 * The AR(1) regression and the power simulation without R: phi = 0 is
 * ordinary least squares; a planted level change is recovered over many
 * simulated journals; the power rises with days and the days found reach
 * the target; bad input is refused with the allowed range.
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gutskin/stats.h"

/* y = 2 + 3 x exactly on four points plus a known residual pattern:
 * OLS by hand gives slope 3 and intercept 2 when residuals are orthogonal
 * to 1 and x. */
static void test_phi_zero_is_ols(void **state)
{
    (void)state;
    int64_t t[] = {1, 2, 3, 4, 5, 6};
    double X[] = {1, 0, 1, 1, 1, 2, 1, 3, 1, 4, 1, 5};
    /* residuals (1,-1,-1,1, 1,-1)... chosen orthogonal to 1 and x:
       sum = 0, sum x r = 0 - 1 - 2 + 3 + 4 - 5 = -1: use (1,-2,1,1,-2,1):
       sum 0, sum x r = 0 - 2 + 2 + 3 - 8 + 5 = 0 */
    double e[] = {1, -2, 1, 1, -2, 1}, y[6];
    for (int i = 0; i < 6; i++) y[i] = 2 + 3 * X[2 * i + 1] + e[i];
    gs_gls_fit f;
    gs_err err;
    assert_int_equal(gs_stats_gls_ar1_at(t, X, y, 6, 2, 0.0, &f, &err), GS_OK);
    assert_true(fabs(f.coef[0] - 2) < 1e-12 && fabs(f.coef[1] - 3) < 1e-12);
    /* sigma^2 = 12 / 4 = 3; var(slope) = 3 / sum (x - 2.5)^2 = 3 / 17.5 */
    assert_true(fabs(f.sigma - sqrt(3.0)) < 1e-12);
    assert_true(fabs(f.se[1] - sqrt(3.0 / 17.5)) < 1e-12);
    assert_int_equal(gs_stats_gls_ar1_at(t, X, y, 6, 2, 1.0, &f, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "between -1 and 1"));
}

/* 100 simulated journals with a level change of -1.5: the mean estimate
 * is close, the intervals cover in about 95%, phi is found near 0.6. */
static void test_segmented_recovers_planted_change(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 42);
    int reps = 100, covered = 0;
    double sum = 0, sum_phi = 0;
    int64_t day[150];
    double y[150];
    for (int k = 0; k < reps; k++) {
        double u = gsl_ran_gaussian(r, 1.0);
        for (int d = 0; d < 150; d++) {
            if (d) u = 0.6 * u + gsl_ran_gaussian(r, 0.8);
            day[d] = d;
            y[d] = 5 + (d >= 75 ? -1.5 : 0) + u;
        }
        gs_segmented s;
        gs_err err;
        assert_int_equal(gs_stats_segmented(day, y, 150, 75, 0, &s, &err), GS_OK);
        sum += s.fit.coef[GS_SEG_LEVEL];
        sum_phi += s.fit.phi;
        if (s.fit.lo[GS_SEG_LEVEL] <= -1.5 && -1.5 <= s.fit.hi[GS_SEG_LEVEL]) covered++;
        assert_int_equal(s.n_before, 75);
        assert_int_equal(s.n_after, 75);
    }
    gsl_rng_free(r);
    assert_true(fabs(sum / reps + 1.5) < 0.2);
    assert_true(fabs(sum_phi / reps - 0.6) < 0.08);
    assert_true(covered >= 85);
}

static void test_segmented_refuses_too_few_days(void **state)
{
    (void)state;
    int64_t day[10];
    double y[10];
    for (int i = 0; i < 10; i++) {
        day[i] = i;
        y[i] = i % 3;
    }
    gs_segmented s;
    gs_err err;
    assert_int_equal(gs_stats_segmented(day, y, 10, 8, 0, &s, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "at least 3 before, 3 after"));
    assert_int_equal(gs_stats_segmented(day, y, 10, 4, -1, &s, &err), GS_ERR_INPUT);
}

static void test_power_rises_and_reaches_target(void **state)
{
    (void)state;
    gs_power_opts o;
    gs_power_opts_default(&o);
    o.change = 1.0;
    o.sd = 1.0;
    o.phi = 0.3;
    o.before = 90;
    o.reps = 200;
    double p10, p40, p160;
    gs_err err;
    assert_int_equal(gs_stats_power_at(&o, 10, &p10, &err), GS_OK);
    assert_int_equal(gs_stats_power_at(&o, 40, &p40, &err), GS_OK);
    assert_int_equal(gs_stats_power_at(&o, 160, &p160, &err), GS_OK);
    assert_true(p10 < p40 && p40 < p160);
    long more;
    double pw;
    assert_int_equal(gs_stats_power_days(&o, &more, &pw, &err), GS_OK);
    assert_true(more > 0);
    assert_true(pw >= 0.8);
    double below;
    assert_int_equal(gs_stats_power_at(&o, (size_t)more / 2, &below, &err), GS_OK);
    assert_true(below < 0.8);
    /* with 30 days of baseline and phi 0.5, the trend before the start is
       too uncertain: no number of days after it reaches 80% */
    gs_power_opts s = o;
    s.before = 30;
    s.phi = 0.5;
    assert_int_equal(gs_stats_power_days(&s, &more, &pw, &err), GS_OK);
    assert_int_equal(more, -1);
    assert_true(pw < 0.8);
    assert_int_equal(gs_stats_power_days(&o, &more, &pw, &err), GS_OK);
    /* with no change at all the level test rejects at about alpha */
    o.change = 1e-9;
    double size;
    o.reps = 1000;
    assert_int_equal(gs_stats_power_at(&o, 60, &size, &err), GS_OK);
    assert_true(size < 0.08);
    /* a bigger change needs fewer days */
    o.change = 2.0;
    o.reps = 200;
    long fewer;
    assert_int_equal(gs_stats_power_days(&o, &fewer, &pw, &err), GS_OK);
    assert_true(fewer < more);
    o.sd = 0;
    assert_int_equal(gs_stats_power_days(&o, &fewer, &pw, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "sd"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phi_zero_is_ols),
        cmocka_unit_test(test_segmented_recovers_planted_change),
        cmocka_unit_test(test_segmented_refuses_too_few_days),
        cmocka_unit_test(test_power_rises_and_reaches_target),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
