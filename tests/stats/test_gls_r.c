/*
 * The segmented regression with AR(1) errors (src/stats/gls.c) against R:
 * each case writes a series to a temporary file, runs Rscript on
 * tests/stats/gls_ar1.R (nlme::gls, REML, corAR1), and compares the four
 * coefficients, their standard errors, phi and sigma to 1e-4 relative.
 * Needs Rscript and r-cran-nlme (scripts/install-deps.sh); without them
 * the test fails rather than passes quietly.
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "gutskin/stats.h"

typedef struct r_case {
    unsigned long seed;
    size_t days;
    double phi, sd, level, slope;
    int64_t start;
    int washin;
    double gap_share;  /* share of days left out (gaps) */
} r_case;

static int close_rel(double a, double b, double tol)
{
    return fabs(a - b) <= tol * fmax(fabs(b), 1e-3);
}

static void run_case(const r_case *c)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, c->seed);
    int64_t *day = malloc(c->days * sizeof *day);
    double *y = malloc(c->days * sizeof *y);
    size_t n = 0;
    double u = gsl_ran_gaussian(r, c->sd);
    for (size_t d = 0; d < c->days; d++) {
        if (d > 0) u = c->phi * u + gsl_ran_gaussian(r, c->sd * sqrt(1 - c->phi * c->phi));
        if (d > 0 && gsl_rng_uniform(r) < c->gap_share) continue;
        int64_t eff = c->start + c->washin;
        double post = (int64_t)d >= eff;
        day[n] = (int64_t)d + 100;  /* days need not start at 0 */
        y[n] = 5 + 0.01 * (double)d + c->level * post +
               c->slope * post * (double)((int64_t)d - eff) + u;
        n++;
    }
    gsl_rng_free(r);

    char dir[] = "/tmp/gs-gls-r-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char data[256], out[256], cmd[1024];
    snprintf(data, sizeof data, "%s/data.csv", dir);
    snprintf(out, sizeof out, "%s/r.csv", dir);
    FILE *f = fopen(data, "w");
    assert_non_null(f);
    fprintf(f, "day,y\n");
    for (size_t i = 0; i < n; i++) fprintf(f, "%lld,%.17g\n", (long long)day[i], y[i]);
    fclose(f);
    snprintf(cmd, sizeof cmd, "Rscript tests/stats/gls_ar1.R %s %lld %d %s", data,
             (long long)(c->start + 100), c->washin, out);
    int rc = system(cmd);
    if (rc != 0) fail_msg("'%s' failed (%d): are r-base-core and r-cran-nlme installed?", cmd, rc);

    double want[10];
    f = fopen(out, "r");
    assert_non_null(f);
    char line[256];
    assert_non_null(fgets(line, sizeof line, f));  /* header */
    for (int i = 0; i < 10; i++) {
        assert_non_null(fgets(line, sizeof line, f));
        char *comma = strchr(line, ',');
        assert_non_null(comma);
        want[i] = strtod(comma + 1, NULL);
    }
    fclose(f);
    unlink(data);
    unlink(out);
    rmdir(dir);

    gs_segmented seg;
    gs_err err;
    assert_int_equal(gs_stats_segmented(day, y, n, c->start + 100, c->washin, &seg, &err), GS_OK);
    print_message("seed %lu: phi %.8f (R %.8f), level %.6f (R %.6f) se %.6f (R %.6f)\n",
                  c->seed, seg.fit.phi, want[8], seg.fit.coef[2], want[2], seg.fit.se[2],
                  want[6]);
    for (int j = 0; j < 4; j++) {
        if (!close_rel(seg.fit.coef[j], want[j], 1e-4))
            fail_msg("seed %lu coef %d: %.10g, R %.10g", c->seed, j, seg.fit.coef[j], want[j]);
        if (!close_rel(seg.fit.se[j], want[4 + j], 1e-4))
            fail_msg("seed %lu se %d: %.10g, R %.10g", c->seed, j, seg.fit.se[j], want[4 + j]);
    }
    if (!close_rel(seg.fit.phi, want[8], 1e-4))
        fail_msg("seed %lu phi: %.10g, R %.10g", c->seed, seg.fit.phi, want[8]);
    if (!close_rel(seg.fit.sigma, want[9], 1e-4))
        fail_msg("seed %lu sigma: %.10g, R %.10g", c->seed, seg.fit.sigma, want[9]);
    free(day);
    free(y);
}

/* every day logged: gls(..., correlation = corAR1()) exactly */
static void test_matches_nlme_daily(void **state)
{
    (void)state;
    r_case c[] = {
        {1, 120, 0.6, 1.5, -1.8, 0.0, 60, 0, 0},
        {2, 90, 0.3, 1.0, 1.0, -0.02, 30, 0, 0},
        {3, 200, 0.85, 2.0, -2.5, 0.01, 120, 0, 0},
        {4, 60, -0.3, 1.0, 0.5, 0.0, 25, 0, 0},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) run_case(&c[i]);
}

/* missed days (corAR1(form = ~ day)) and a wash-in */
static void test_matches_nlme_gaps_washin(void **state)
{
    (void)state;
    r_case c[] = {
        {5, 150, 0.5, 1.2, -1.0, 0.0, 70, 7, 0.15},
        {6, 100, 0.7, 1.0, 2.0, 0.03, 40, 0, 0.25},
        {7, 180, 0.2, 0.8, -0.7, 0.0, 100, 14, 0.05},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) run_case(&c[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches_nlme_daily),
        cmocka_unit_test(test_matches_nlme_gaps_washin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
