/* Trial statistics against values computed independently with SciPy 1.10
 * (scipy.stats.t / norm quantiles, binomtest(...).proportion_ci(method=
 * "wilson")) and, for Newcombe's interval, against the worked examples
 * of Newcombe 1998 (Stat Med 17:873, Table II, method 10):
 *   56/70 - 48/80: 0.0524 to 0.3339;  9/10 - 3/10: 0.1705 to 0.8090;
 *   5/56 - 0/29: -0.0381 to 0.1926.
 * The SciPy script is in docs/trials.md ("How the statistics are tested"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <cmocka.h>

#include "gutskin/trial.h"

static const double group_a[] = {12.1, 9.8, 14.3, 11.0, 10.5, 13.7, 8.9};
static const double group_b[] = {7.2, 9.1, 6.5, 8.8, 10.2, 5.9};
#define NA (sizeof group_a / sizeof group_a[0])
#define NB (sizeof group_b / sizeof group_b[0])

static void close_to(double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("got %.12g, expected %.12g (tolerance %g)", got, want, tol);
}

static void test_mean_sd(void **state)
{
    (void)state;
    double m, s;
    gs_stats_mean_sd(group_a, NA, &m, &s);
    close_to(m, 11.4714285714, 1e-9);
    close_to(s, 1.9972600279, 1e-9);
    gs_stats_mean_sd(group_b, NB, &m, &s);
    close_to(m, 7.95, 1e-12);
    close_to(s, 1.67182534973, 1e-9);
    gs_stats_mean_sd(group_a, 1, &m, &s);
    close_to(m, 12.1, 0);
    assert_true(isnan(s));  /* no SD from one value */
}

static void test_welch(void **state)
{
    (void)state;
    double ma, sa, mb, sb, df;
    gs_stats_mean_sd(group_a, NA, &ma, &sa);
    gs_stats_mean_sd(group_b, NB, &mb, &sb);
    gs_interval d = gs_stats_welch(ma, sa, NA, mb, sb, NB, &df);
    close_to(d.estimate, 3.52142857143, 1e-9);
    close_to(d.lo, 1.28147822962, 1e-8);
    close_to(d.hi, 5.76137891324, 1e-8);
    close_to(df, 10.9989914879, 1e-8);
    /* swapping the groups mirrors the interval */
    gs_interval r = gs_stats_welch(mb, sb, NB, ma, sa, NA, NULL);
    close_to(r.lo, -d.hi, 1e-12);
    close_to(r.hi, -d.lo, 1e-12);
    /* one patient in a group: no interval */
    gs_interval one = gs_stats_welch(ma, sa, NA, 7.0, NAN, 1, &df);
    assert_true(isnan(one.lo) && isnan(one.hi) && isnan(df));
}

static void test_hedges_g(void **state)
{
    (void)state;
    double ma, sa, mb, sb;
    gs_stats_mean_sd(group_a, NA, &ma, &sa);
    gs_stats_mean_sd(group_b, NB, &mb, &sb);
    gs_interval g = gs_stats_hedges_g(ma, sa, NA, mb, sb, NB);
    close_to(g.estimate, 1.76454996827, 1e-9);
    close_to(g.lo, 0.544330633076, 1e-8);
    close_to(g.hi, 2.98476930345, 1e-8);
    /* no spread: undefined, not infinite */
    gs_interval flat = gs_stats_hedges_g(1, 0, 5, 0, 0, 5);
    assert_true(isnan(flat.estimate));
}

static void test_wilson(void **state)
{
    (void)state;
    gs_interval w = gs_stats_wilson(56, 70);
    close_to(w.estimate, 0.8, 1e-15);
    close_to(w.lo, 0.691833555037, 1e-10);
    close_to(w.hi, 0.876952607516, 1e-10);
    w = gs_stats_wilson(7, 25);
    close_to(w.lo, 0.14283853851, 1e-10);
    close_to(w.hi, 0.475766051904, 1e-10);
    w = gs_stats_wilson(0, 20);
    close_to(w.lo, 0, 0);
    close_to(w.hi, 0.161125158053, 1e-10);
    w = gs_stats_wilson(20, 20);
    close_to(w.lo, 0.838874841947, 1e-10);
    close_to(w.hi, 1, 0);
    assert_true(isnan(gs_stats_wilson(0, 0).estimate));
}

static void test_newcombe(void **state)
{
    (void)state;
    gs_interval d = gs_stats_newcombe(56, 70, 48, 80);
    close_to(d.estimate, 0.2, 1e-15);
    close_to(d.lo, 0.0524, 5e-5);  /* Newcombe 1998, Table II */
    close_to(d.hi, 0.3339, 5e-5);
    close_to(d.lo, 0.0524314724024, 1e-10);
    close_to(d.hi, 0.333872654037, 1e-10);
    d = gs_stats_newcombe(9, 10, 3, 10);
    close_to(d.lo, 0.1705, 5e-5);
    close_to(d.hi, 0.8090, 5e-5);
    d = gs_stats_newcombe(5, 56, 0, 29);
    close_to(d.lo, -0.0381, 5e-5);
    close_to(d.hi, 0.1926, 5e-5);
    d = gs_stats_newcombe(6, 7, 2, 7);
    close_to(d.lo, 0.0582279274823, 1e-10);
    close_to(d.hi, 0.806249637524, 1e-10);
}

static void test_median_time(void **state)
{
    (void)state;
    /* first days of response of 10 patients, 3 never respond, to day 10:
     * responded by day d: 2:1 3:2 4:3 5:4 6:5 7:6 9:7.  Wilson bounds of
     * 5/10 at day 6; the upper bound first reaches 1/2 at day 3 (2/10:
     * 0.5098); the lower bound never does (7/10: 0.3968). */
    const double times[] = {3, 5, NAN, 7, 2, NAN, 9, 4, NAN, 6};
    gs_interval m = gs_stats_median_time(times, 10, 10);
    close_to(m.estimate, 6, 0);
    close_to(m.lo, 3, 0);
    assert_true(isnan(m.hi));
    /* four of ten respond: the median is not reached */
    const double few[] = {1, 2, 3, 4, NAN, NAN, NAN, NAN, NAN, NAN};
    m = gs_stats_median_time(few, 10, 10);
    assert_true(isnan(m.estimate));
    close_to(m.lo, 2, 0);  /* 2/10 by day 2: Wilson upper 0.5098 */
    /* everyone on day 1 */
    const double all[] = {1, 1, 1, 1};
    m = gs_stats_median_time(all, 4, 5);
    close_to(m.estimate, 1, 0);
    close_to(m.hi, 1, 0);  /* 4/4: lower bound 0.51 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mean_sd),   cmocka_unit_test(test_welch),
        cmocka_unit_test(test_hedges_g),  cmocka_unit_test(test_wilson),
        cmocka_unit_test(test_newcombe),  cmocka_unit_test(test_median_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
