/*
 * stats.h - statistics on one person's daily panel (daily.h): which
 * exposures precede a worse outcome (triggers), whether an intervention
 * changed an outcome (segmented regression with AR(1) errors), and how
 * many more days would settle it (power by simulation).  docs/statistics.md
 * gives every formula and its source.
 *
 * Every result carries its uncertainty and the number of days behind it;
 * none of it is a diagnosis or treatment advice.
 */
#ifndef GUTSKIN_STATS_H
#define GUTSKIN_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "gutskin/daily.h"
#include "gutskin/status.h"

/* ---- multiple testing -------------------------------------------------- */

/* Benjamini-Hochberg adjusted p-values (q-values) of p[0..n-1]: q_(i) =
 * min over j >= i of m p_(j) / j, capped at 1, where m counts the p that
 * are not NaN.  A NaN p (a test not run) gets a NaN q.  q may alias p. */
gs_status gs_stats_bh(const double *p, size_t n, double *q, gs_err *err);

/* ---- triggers ------------------------------------------------------------ */

typedef struct gs_trigger_opts {
    int lag_min, lag_max;       /* days between exposure and outcome: 0-3 */
    size_t permutations;        /* circular shifts drawn for each p-value */
    unsigned long seed;         /* for the shifts (GSL mt19937) */
    size_t min_exposed;         /* complete days needed with the exposure... */
    size_t min_unexposed;       /* ...and without it, before a test is run */
    double cooccur;             /* Jaccard index at which two exposures are
                                   reported as (nearly) always together */
    int threads;                /* OpenMP threads; 0: the runtime's default */
} gs_trigger_opts;

/* lags 0-3, 1000 permutations, seed 1, 10 and 10 days, Jaccard 0.9. */
void gs_trigger_opts_default(gs_trigger_opts *opts);

/* One exposure x lag x outcome test: outcome on day t regressed by OLS on
 * exposure on day t - lag and the outcome on day t - 1, over the complete
 * days (all three known). */
typedef struct gs_trigger_row {
    size_t exposure, outcome;   /* indices into the panel */
    int lag;
    size_t n_days;              /* complete days */
    size_t n_exposed, n_unexposed;
    int tested;                 /* 0: below the minimum-data gate */
    long more_days;             /* when not tested: days at the current rate
                                   until the gate opens; -1 when the exposure
                                   was never seen on a complete day */
    double effect;              /* coefficient of the exposure */
    double lo, hi;              /* its 95% interval (t, n_days - 3 df) */
    double t;                   /* its t statistic */
    double p;                   /* circular-shift permutation p-value: the
                                   share of shifts at least as extreme (|t|),
                                   or, when fewer than 10 are, a normal tail
                                   with the shifts' mean and sd of t */
    double q;                   /* Benjamini-Hochberg over the tested rows */
    int cooccurs_with;          /* an exposure it nearly always comes with,
                                   -1 when none */
} gs_trigger_row;

typedef struct gs_cooccur {
    size_t a, b;                /* exposure indices, a < b */
    double jaccard;             /* days with both / days with either */
    size_t days_both;
} gs_cooccur;

typedef struct gs_trigger_scan {
    gs_trigger_row *rows;       /* exposure-major, then outcome, then lag;
                                   exposures never seen are left out */
    size_t n_rows;
    size_t n_tested;
    gs_cooccur *pairs;          /* exposure pairs at or above opts.cooccur */
    size_t n_pairs;
    size_t n_shifts;            /* permutations actually drawn */
    size_t n_never_seen;        /* exposures with no exposed day at all */
} gs_trigger_scan;

/* Test every exposure of panel that was seen at least once, at each lag,
 * against each outcome in outcomes[0..n_outcomes-1] (panel indices).
 * p-values come from the same opts->permutations circular shifts of each
 * exposure series, drawn once before any test: shift i is 7 +
 * gsl_rng_uniform_int(rng, T - 13) from mt19937 seeded with opts->seed
 * (at least a week either way), so results do not depend on the thread
 * count.  Shift s pairs outcome day t with exposure day (t - lag + s) mod
 * T; days t < lag have no exposure day.  Needs at least 30 days.  Free
 * with gs_trigger_scan_free. */
gs_status gs_stats_triggers(const gs_daily *panel, const size_t *outcomes, size_t n_outcomes,
                            const gs_trigger_opts *opts, gs_trigger_scan **out, gs_err *err);
void gs_trigger_scan_free(gs_trigger_scan *scan);

/* ---- generalised least squares with AR(1) errors --------------------------- */

#define GS_GLS_MAX_COEF 8

typedef struct gs_gls_fit {
    size_t n, p;                     /* observations, coefficients */
    double coef[GS_GLS_MAX_COEF];
    double se[GS_GLS_MAX_COEF];
    double lo[GS_GLS_MAX_COEF], hi[GS_GLS_MAX_COEF];  /* 95%, t with n - p df */
    double phi;                      /* AR(1) correlation per day */
    double sigma;                    /* residual standard deviation */
    double loglik;                   /* restricted log-likelihood at the optimum */
} gs_gls_fit;

/* y[i] = X[i,] beta + e[i] with corr(e_i, e_j) = phi^|t_i - t_j| for
 * integer days t (strictly increasing; gaps allowed), fitted by REML as
 * nlme::gls(..., correlation = corAR1(form = ~ t), method = "REML") does:
 * phi maximises the restricted likelihood (Brent's method on a bracket
 * found on a grid over -0.99..0.99), beta and its covariance are GLS
 * given phi, sigma^2 = RSS / (n - p).  X is n x p row-major. */
gs_status gs_stats_gls_ar1(const int64_t *t, const double *X, const double *y, size_t n,
                           size_t p, gs_gls_fit *fit, gs_err *err);

/* The same model at a given phi (no estimation); fit->loglik is the
 * restricted log-likelihood at that phi.  Used by the power simulation. */
gs_status gs_stats_gls_ar1_at(const int64_t *t, const double *X, const double *y, size_t n,
                              size_t p, double phi, gs_gls_fit *fit, gs_err *err);

/* ---- segmented regression (interrupted time series) ---------------------- */

enum { GS_SEG_INTERCEPT, GS_SEG_TIME, GS_SEG_LEVEL, GS_SEG_SLOPE, GS_SEG_COEF };

typedef struct gs_segmented {
    gs_gls_fit fit;          /* coef[GS_SEG_*] */
    int64_t effective_day;   /* start + washin: where level and slope change */
    size_t n_before, n_after;
} gs_segmented;

/* Segmented regression of y on day (days ascending, y finite):
 *   y = b0 + b1 time + b2 level + b3 slope + AR(1) error
 * with time = day - day[0], level = 1 from start + washin on, slope = days
 * since start + washin (0 before).  Days in [start, start + washin) are
 * left out (the intervention is taken to be still building up).  Needs at
 * least 3 days before and 3 after, and 8 in all. */
gs_status gs_stats_segmented(const int64_t *day, const double *y, size_t n, int64_t start,
                             int washin, gs_segmented *seg, gs_err *err);

/* ---- power ------------------------------------------------------------------- */

typedef struct gs_power_opts {
    double change;        /* level change to detect, in outcome units */
    double sd;            /* the outcome's day-to-day standard deviation */
    double phi;           /* its AR(1) correlation from one day to the next */
    size_t before;        /* days logged before the intervention starts */
    size_t so_far;        /* days logged since it started */
    double alpha;         /* two-sided test level (0.05) */
    double target;        /* power wanted (0.8) */
    size_t reps;          /* simulated journals per candidate length (400) */
    unsigned long seed;
    size_t max_days;      /* give up beyond this many more days (3650) */
} gs_power_opts;

void gs_power_opts_default(gs_power_opts *opts);

/* Power of the segmented regression's level test (phi known, as given)
 * after after_days days since the start. */
gs_status gs_stats_power_at(const gs_power_opts *opts, size_t after_days, double *power,
                            gs_err *err);

/* The fewest more days (beyond so_far) at which the level test reaches
 * opts->target power, found by simulation with common random numbers;
 * *more = -1 when even max_days more are not enough.  *power is the power
 * at the answer. */
gs_status gs_stats_power_days(const gs_power_opts *opts, long *more, double *power,
                              gs_err *err);

#endif
