/*
 * stats.c - the statistics of a trial summary (docs/trials.md gives every
 * formula).
 *
 *   mean difference: Welch 1947 (Biometrika 34:28), Satterthwaite 1946
 *     degrees of freedom, t quantile from GSL;
 *   standardised mean difference: Hedges' g with the small-sample factor
 *     J = 1 - 3 / (4 (n_a + n_b) - 9) and var(g) = J^2 ((n_a + n_b) /
 *     (n_a n_b) + d^2 / (2 (n_a + n_b))) (Hedges & Olkin 1985; Borenstein
 *     et al. 2009, Introduction to Meta-Analysis, eqs 4.18-4.24);
 *   proportions: Wilson 1927 score interval (JASA 22:209);
 *   difference of proportions: Newcombe 1998 hybrid score interval,
 *     method 10 (Stat Med 17:873);
 *   median time to response: the first day the proportion responded
 *     reaches one half, with bounds from its pointwise Wilson band (the
 *     Brookmeyer-Crowley idea of inverting a band, applied to a curve
 *     with no censoring before the end of follow-up).
 * All intervals are two-sided 95%.
 */
#include "gutskin/trial.h"

#include <assert.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

#define TWO_SIDED 0.975

static double z_975(void)
{
    return gsl_cdf_ugaussian_Pinv(TWO_SIDED);
}

void gs_stats_mean_sd(const double *x, size_t n, double *mean, double *sd)
{
    assert(mean && sd);
    *mean = NAN;
    *sd = NAN;
    if (n == 0) return;
    /* two passes: the mean, then squared deviations from it */
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += x[i];
    double m = sum / (double)n;
    *mean = m;
    if (n < 2) return;
    double ss = 0;
    for (size_t i = 0; i < n; i++) ss += (x[i] - m) * (x[i] - m);
    *sd = sqrt(ss / (double)(n - 1));
}

gs_interval gs_stats_welch(double mean_a, double sd_a, size_t n_a, double mean_b,
                           double sd_b, size_t n_b, double *df)
{
    gs_interval r = {mean_a - mean_b, NAN, NAN};
    if (df) *df = NAN;
    if (n_a < 2 || n_b < 2) return r;
    double va = sd_a * sd_a / (double)n_a, vb = sd_b * sd_b / (double)n_b;
    double se = sqrt(va + vb);
    if (!(se > 0)) {  /* both groups constant: no spread, a point */
        r.lo = r.hi = r.estimate;
        return r;
    }
    double nu = (va + vb) * (va + vb) /
                (va * va / (double)(n_a - 1) + vb * vb / (double)(n_b - 1));
    double t = gsl_cdf_tdist_Pinv(TWO_SIDED, nu);
    r.lo = r.estimate - t * se;
    r.hi = r.estimate + t * se;
    if (df) *df = nu;
    return r;
}

gs_interval gs_stats_hedges_g(double mean_a, double sd_a, size_t n_a, double mean_b,
                              double sd_b, size_t n_b)
{
    gs_interval r = {NAN, NAN, NAN};
    if (n_a < 2 || n_b < 2) return r;
    double na = (double)n_a, nb = (double)n_b;
    double pooled = sqrt(((na - 1) * sd_a * sd_a + (nb - 1) * sd_b * sd_b) / (na + nb - 2));
    if (!(pooled > 0)) return r;  /* undefined without spread */
    double d = (mean_a - mean_b) / pooled;
    double j = 1.0 - 3.0 / (4.0 * (na + nb) - 9.0);
    double var_d = (na + nb) / (na * nb) + d * d / (2.0 * (na + nb));
    double g = j * d, se = j * sqrt(var_d), z = z_975();
    r.estimate = g;
    r.lo = g - z * se;
    r.hi = g + z * se;
    return r;
}

gs_interval gs_stats_wilson(size_t x, size_t n)
{
    assert(x <= n);
    gs_interval r = {NAN, NAN, NAN};
    if (n == 0) return r;
    double z = z_975(), z2 = z * z, nn = (double)n, p = (double)x / nn;
    double denom = 1.0 + z2 / nn;
    double centre = (p + z2 / (2.0 * nn)) / denom;
    double half = z / denom * sqrt(p * (1.0 - p) / nn + z2 / (4.0 * nn * nn));
    r.estimate = p;
    r.lo = fmax(0.0, centre - half);
    r.hi = fmin(1.0, centre + half);
    /* exact at the edges (rounding could leave 1e-17 off) */
    if (x == 0) r.lo = 0.0;
    if (x == n) r.hi = 1.0;
    return r;
}

gs_interval gs_stats_newcombe(size_t x_a, size_t n_a, size_t x_b, size_t n_b)
{
    gs_interval r = {NAN, NAN, NAN};
    if (n_a == 0 || n_b == 0) return r;
    gs_interval a = gs_stats_wilson(x_a, n_a), b = gs_stats_wilson(x_b, n_b);
    double d = a.estimate - b.estimate;
    r.estimate = d;
    r.lo = d - sqrt((a.estimate - a.lo) * (a.estimate - a.lo) +
                    (b.hi - b.estimate) * (b.hi - b.estimate));
    r.hi = d + sqrt((a.hi - a.estimate) * (a.hi - a.estimate) +
                    (b.estimate - b.lo) * (b.estimate - b.lo));
    return r;
}

gs_interval gs_stats_median_time(const double *times, size_t n, int days)
{
    gs_interval r = {NAN, NAN, NAN};
    if (n == 0 || days < 0) return r;
    /* responded[d]: patients whose first response is on day d */
    size_t *responded = calloc((size_t)days + 1, sizeof *responded);
    if (!responded) return r;  /* reported as not available */
    for (size_t i = 0; i < n; i++) {
        if (isnan(times[i])) continue;
        double d = ceil(times[i]);
        assert(d >= 0 && d <= days);
        responded[(size_t)d]++;
    }
    size_t cumulative = 0;
    for (int d = 0; d <= days; d++) {
        cumulative += responded[d];
        gs_interval w = gs_stats_wilson(cumulative, n);
        if (isnan(r.estimate) && 2 * cumulative >= n) r.estimate = d;
        if (isnan(r.lo) && w.hi >= 0.5) r.lo = d;
        if (isnan(r.hi) && w.lo >= 0.5) r.hi = d;
    }
    free(responded);
    return r;
}
