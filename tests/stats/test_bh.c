/* Benjamini-Hochberg q-values (src/stats/bh.c) against values worked by hand. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "gutskin/stats.h"

/* p = 0.01 0.04 0.03 0.005 0.5, m = 5.  Sorted: 0.005 0.01 0.03 0.04 0.5;
 * m p / rank: 0.025 0.025 0.05 0.05 0.5; running minimum from the top
 * leaves them as they are. */
static void test_bh_by_hand(void **state)
{
    (void)state;
    double p[] = {0.01, 0.04, 0.03, 0.005, 0.5}, q[5];
    gs_err err;
    assert_int_equal(gs_stats_bh(p, 5, q, &err), GS_OK);
    double want[] = {0.025, 0.05, 0.05, 0.025, 0.5};
    for (int i = 0; i < 5; i++) assert_true(fabs(q[i] - want[i]) < 1e-15);
}

/* The running minimum matters: p = 0.02 0.021 0.9 (m = 3): m p / rank =
 * 0.06, 0.0315, 0.9, so the smallest p inherits 0.0315 from the second.
 * A NaN (a test not run) is skipped and does not count towards m. */
static void test_bh_monotone_and_nan(void **state)
{
    (void)state;
    double p[] = {0.021, NAN, 0.9, 0.02}, q[4];
    gs_err err;
    assert_int_equal(gs_stats_bh(p, 4, q, &err), GS_OK);
    assert_true(fabs(q[3] - 0.0315) < 1e-15);
    assert_true(fabs(q[0] - 0.0315) < 1e-15);
    assert_true(fabs(q[2] - 0.9) < 1e-15);
    assert_true(isnan(q[1]));
}

/* Capped at 1, ties keep their value, and q may alias p. */
static void test_bh_cap_ties_alias(void **state)
{
    (void)state;
    double p[] = {0.8, 0.8, 0.8, 0.9};
    gs_err err;
    assert_int_equal(gs_stats_bh(p, 4, p, &err), GS_OK);
    /* 0.8 * 4 / 3 = 1.0667 > 1, 0.9 * 4 / 4 = 0.9: all three inherit 0.9 */
    for (int i = 0; i < 3; i++) assert_true(fabs(p[i] - 0.9) < 1e-15);
    assert_true(fabs(p[3] - 0.9) < 1e-15);
    double bad[] = {1.5};
    assert_int_not_equal(gs_stats_bh(bad, 1, bad, &err), GS_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bh_by_hand),
        cmocka_unit_test(test_bh_monotone_and_nan),
        cmocka_unit_test(test_bh_cap_ties_alias),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
