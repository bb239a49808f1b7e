/* gs_timeline_day (src/util/timeline.c) on hand-made series: falling and
 * rising scores, daily and irregular sampling, a score that got worse, a
 * drift below the 1% floor, an overshoot, and too few samples. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "gutskin/timeline.h"

static void near(double got, double want)
{
    if (fabs(got - want) > 1e-12) fail_msg("got %.15g, want %.15g", got, want);
}

/* Lesions 20 -> 10 over four daily samples: F = 10, half (5) between day
 * 1 (2) and day 2 (6): 1 + 3/4; 90% (9) between day 2 (6) and day 3 (10):
 * 2 + 3/4. */
static void test_falling_daily(void **state)
{
    (void)state;
    const double lesions[4] = {20, 18, 14, 10};
    near(gs_timeline_day(NULL, lesions, 4, 0, 0.5), 1.75);
    near(gs_timeline_day(NULL, lesions, 4, 0, 0.9), 2.75);
    near(gs_timeline_day(NULL, lesions, 4, 0, 1.0), 3.0);
    /* the same series read as 'higher is better' got worse */
    assert_true(isnan(gs_timeline_day(NULL, lesions, 4, 1, 0.5)));
}

/* Collagen rising 80 -> 90, sampled on days 0, 30, 90, 180: half (5)
 * between day 30 (+2) and day 90 (+6): 30 + 60 * 3/4 = 75; 90% (9)
 * between day 90 (+6) and day 180 (+10): 90 + 90 * 3/4 = 157.5. */
static void test_rising_irregular_days(void **state)
{
    (void)state;
    const double days[4] = {0, 30, 90, 180}, collagen[4] = {80, 82, 86, 90};
    near(gs_timeline_day(days, collagen, 4, 1, 0.5), 75);
    near(gs_timeline_day(days, collagen, 4, 1, 0.9), 157.5);
    assert_true(isnan(gs_timeline_day(days, collagen, 4, 0, 0.5)));
}

/* No improvement: flat, a drift under 1% of baseline, a rise in a score
 * where lower is better, and fewer than two samples. */
static void test_no_improvement(void **state)
{
    (void)state;
    const double flat[3] = {5, 5, 5};
    const double drift[3] = {100, 99.6, 99.2};  /* 0.8% better: below the floor */
    const double just[3] = {100, 99.5, 98.9};   /* 1.1% better: counts */
    const double worse[3] = {5, 6, 7};
    assert_true(isnan(gs_timeline_day(NULL, flat, 3, 0, 0.5)));
    assert_true(isnan(gs_timeline_day(NULL, drift, 3, 0, 0.5)));
    assert_false(isnan(gs_timeline_day(NULL, just, 3, 0, 0.5)));
    assert_true(isnan(gs_timeline_day(NULL, worse, 3, 0, 0.9)));
    assert_true(isnan(gs_timeline_day(NULL, worse, 1, 0, 0.5)));
    assert_true(isnan(gs_timeline_day(NULL, worse, 0, 0, 0.5)));
}

/* An overshoot: the score improves past its final value and comes back;
 * the first crossing counts.  F = 4 (10 -> 6); half (2) between day 0
 * and day 1 (improvement 8): 0.25. */
static void test_overshoot_first_crossing(void **state)
{
    (void)state;
    const double score[4] = {10, 2, 4, 6};
    near(gs_timeline_day(NULL, score, 4, 0, 0.5), 0.25);
    near(gs_timeline_day(NULL, score, 4, 0, 0.9), 0.45);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_falling_daily),
        cmocka_unit_test(test_rising_irregular_days),
        cmocka_unit_test(test_no_improvement),
        cmocka_unit_test(test_overshoot_first_crossing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
