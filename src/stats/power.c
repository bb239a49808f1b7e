/*
 * power.c - how many more days would settle whether an intervention
 * changed an outcome: simulate journals like this person's (AR(1) noise
 * with their day-to-day standard deviation and correlation), plant a level
 * change of the given size at the start, fit the same segmented regression
 * as `analyze effect` (with phi known, as given) and count how often its
 * level change is significant at alpha.
 *
 * Common random numbers: simulated journal r is drawn from its own
 * generator seeded from (seed, r), day by day, so a longer journal extends
 * a shorter one and power rises smoothly with length; the search for the
 * fewest days is then a doubling followed by bisection.
 */
#include "gutskin/stats.h"

#include <assert.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

void gs_power_opts_default(gs_power_opts *opts)
{
    opts->change = 1;
    opts->sd = 1;
    opts->phi = 0;
    opts->before = 28;
    opts->so_far = 0;
    opts->alpha = 0.05;
    opts->target = 0.8;
    opts->reps = 400;
    opts->seed = 1;
    opts->max_days = 3650;
}

static gs_status check(const gs_power_opts *o, gs_err *err)
{
    if (!(o->sd > 0) || !isfinite(o->sd))
        return gs_fail(err, GS_ERR_INPUT, "sd %g must be above 0", o->sd);
    if (!(o->phi > -1 && o->phi < 1))
        return gs_fail(err, GS_ERR_INPUT, "phi %g must lie strictly between -1 and 1", o->phi);
    if (!(o->change != 0) || !isfinite(o->change))
        return gs_fail(err, GS_ERR_INPUT, "the change to detect must not be 0");
    if (o->before < 3)
        return gs_fail(err, GS_ERR_INPUT,
                       "%zu days before the start are too few: at least 3 are needed", o->before);
    if (!(o->alpha > 0 && o->alpha < 1) || !(o->target > 0 && o->target < 1))
        return gs_fail(err, GS_ERR_INPUT, "alpha and target power must lie between 0 and 1");
    if (o->reps < 10 || o->reps > 100000)
        return gs_fail(err, GS_ERR_INPUT, "%zu simulations; 10 to 100000 allowed", o->reps);
    return GS_OK;
}

gs_status gs_stats_power_at(const gs_power_opts *o, size_t after_days, double *power,
                            gs_err *err)
{
    gs_status st = check(o, err);
    if (st) return st;
    if (after_days < 3) {
        *power = 0;  /* the regression needs 3 days after the start */
        return GS_OK;
    }
    size_t n = o->before + after_days;
    int64_t *t = malloc(n * sizeof *t);
    double *X = malloc(n * GS_SEG_COEF * sizeof *X), *y = malloc(n * sizeof *y);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!t || !X || !y || !rng) {
        free(t);
        free(X);
        free(y);
        if (rng) gsl_rng_free(rng);
        return gs_fail(err, GS_ERR_NOMEM, "out of memory for a simulated journal of %zu days", n);
    }
    for (size_t i = 0; i < n; i++) {
        int post = i >= o->before;
        t[i] = (int64_t)i;
        X[i * GS_SEG_COEF + GS_SEG_INTERCEPT] = 1;
        X[i * GS_SEG_COEF + GS_SEG_TIME] = (double)i;
        X[i * GS_SEG_COEF + GS_SEG_LEVEL] = post;
        X[i * GS_SEG_COEF + GS_SEG_SLOPE] = post ? (double)(i - o->before) : 0;
    }
    double tq = gsl_cdf_tdist_Pinv(1 - o->alpha / 2, (double)(n - GS_SEG_COEF));
    double innov = o->sd * sqrt(1 - o->phi * o->phi);
    size_t hits = 0;
    for (size_t r = 0; r < o->reps && !st; r++) {
        gsl_rng_set(rng, o->seed * 1000003UL + r + 1);
        double u = gsl_ran_gaussian(rng, o->sd);
        for (size_t i = 0; i < n; i++) {
            if (i > 0) u = o->phi * u + gsl_ran_gaussian(rng, innov);
            y[i] = u + (i >= o->before ? o->change : 0);
        }
        gs_gls_fit fit;
        st = gs_stats_gls_ar1_at(t, X, y, n, GS_SEG_COEF, o->phi, &fit, err);
        if (!st && fabs(fit.coef[GS_SEG_LEVEL]) > tq * fit.se[GS_SEG_LEVEL]) hits++;
    }
    free(t);
    free(X);
    free(y);
    gsl_rng_free(rng);
    if (st) return st;
    *power = (double)hits / (double)o->reps;
    return GS_OK;
}

gs_status gs_stats_power_days(const gs_power_opts *o, long *more, double *power, gs_err *err)
{
    gs_status st = check(o, err);
    if (st) return st;
    double pw;
    if ((st = gs_stats_power_at(o, o->so_far, &pw, err))) return st;
    if (pw >= o->target) {
        *more = 0;
        *power = pw;
        return GS_OK;
    }
    /* double until enough, then bisect between the last two lengths */
    size_t lo = 0, hi = 7;
    for (;;) {
        if ((st = gs_stats_power_at(o, o->so_far + hi, &pw, err))) return st;
        if (pw >= o->target) break;
        if (hi >= o->max_days) {
            *more = -1;
            *power = pw;
            return GS_OK;
        }
        lo = hi;
        hi = 2 * hi > o->max_days ? o->max_days : 2 * hi;
    }
    double pw_hi = pw;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if ((st = gs_stats_power_at(o, o->so_far + mid, &pw, err))) return st;
        if (pw >= o->target) {
            hi = mid;
            pw_hi = pw;
        } else {
            lo = mid;
        }
    }
    *more = (long)hi;
    *power = pw_hi;
    return GS_OK;
}
