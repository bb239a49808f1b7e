/*
 * calibrate.h - calibration of the model against published trials
 * (docs/calibration.md; the targets are the team's reference/calibration.md).
 *
 * A calibration file (data/calibration/ID.yaml) is a trial file
 * (docs/trials.md) plus a `target` mapping: which arm and endpoint carry
 * the published effect, which statistic (mean difference, standardised
 * mean difference, difference of proportions), its sign convention, and
 * the published estimate with its 95% CI and source.  A target is met when
 * the model's point estimate lies inside the published CI.
 *
 * Fitting (`gutskin calibrate --fit`) moves only parameters listed in a
 * fit file (data/calibration/fit.yaml, each with bounds and the targets
 * that inform it) to minimise the sum over targets of the squared
 * standardised distance ((model - published) / published SE)^2, with
 * GSL's Nelder-Mead simplex on the logarithms of the parameters and
 * common random numbers (every evaluation uses the same seeds).
 */
#ifndef GUTSKIN_CALIBRATE_H
#define GUTSKIN_CALIBRATE_H

#include <stddef.h>
#include <stdio.h>

#include "gutskin/status.h"
#include "gutskin/trial.h"

typedef enum gs_cal_statistic {
    GS_CAL_MEAN_DIFFERENCE,       /* Welch mean difference, arm - control */
    GS_CAL_SMD,                   /* Hedges' g, arm - control */
    GS_CAL_PROPORTION_DIFFERENCE  /* responders, arm - control, Newcombe CI */
} gs_cal_statistic;

const char *gs_cal_statistic_name(gs_cal_statistic s);

typedef struct gs_cal_target {
    char *id, *outcome, *source;
    gs_trial trial;
    size_t arm, endpoint;
    gs_cal_statistic statistic;
    double sign;              /* published = sign * (model's arm - control), +-1 */
    gs_interval published;    /* estimate, lo, hi (95%) */
} gs_cal_target;

typedef struct gs_cal_result {
    int ok;                   /* 0: the statistic could not be computed */
    gs_interval model;        /* in the published convention (sign applied) */
    size_t n_arm, n_control;  /* completed patients */
    long failed;              /* patients who failed (counted, not dropped) */
    int met;
} gs_cal_result;

/* Load a calibration file into *t (free with gs_cal_target_free, also
 * after a failure).  Errors are GS_ERR_INPUT "FILE:LINE:COLUMN: ...". */
gs_status gs_cal_target_load(const char *path, gs_cal_target *t, gs_err *err);
void gs_cal_target_free(gs_cal_target *t);

/* Is the model's estimate inside the published interval (inclusive)?
 * A non-finite estimate is never met. */
int gs_cal_met(double estimate, gs_interval published);

/* The standardised distance (estimate - published) / SE with
 * SE = (hi - lo) / (2 * 1.959964). */
double gs_cal_distance(double estimate, gs_interval published);

/* Run the target's trial with opts and compute its statistic. */
gs_status gs_cal_run(const gs_cal_target *t, const gs_trial_opts *opts, gs_cal_result *r,
                     gs_err *err);

/* ---- fitting ------------------------------------------------------------ */

typedef struct gs_fit_param {
    char *name;               /* "block.param" */
    double lo, hi;            /* bounds of the search */
    char **targets;           /* ids of the targets that inform it */
    size_t n_targets;
    double old_value, value;  /* before and after the fit */
    double start;             /* where the search starts; NAN: at old_value */
    /* optional: a second parameter held at intercept + slope * value, so
     * that a documented state (a healthy steady state) stays where it is */
    char *tie, *tie_why;
    double tie_intercept, tie_slope, tie_old, tie_value;
} gs_fit_param;

typedef struct gs_fit_spec {
    gs_fit_param *params;
    size_t n_params;
    int iterations;           /* Nelder-Mead iterations at most */
    double step;              /* first simplex step on the logarithm */
    int polish;               /* coordinate sweeps after the simplex */
    /* Seeds run besides each target's own (`seeds:` in the fit file): the
     * objective compares the mean of the model's estimates over all of
     * them with the published effect, so the fit aims at the model's
     * expected effect rather than at one draw of virtual patients. */
    unsigned long *extra_seeds;
    size_t n_extra_seeds;
} gs_fit_spec;

/* Read a fit file (data/calibration/fit.yaml).  FILE:LINE:COLUMN errors. */
gs_status gs_fit_spec_load(const char *path, gs_fit_spec *f, gs_err *err);
void gs_fit_spec_free(gs_fit_spec *f);

/* Set parameter `name` to value in every target's population (the
 * medians of its patients).  A target whose person lacks the block is
 * left alone.  Fails when no target has the parameter or the value is out
 * of the parameter's range. */
gs_status gs_cal_set_param(gs_cal_target *targets, size_t n, const char *name, double value,
                           gs_err *err);

/* Fit: minimise the sum of squared standardised distances over the
 * targets (each target's estimate averaged over its own seed and f's
 * extra seeds) by moving f's parameters (old_value / value filled in; the
 * targets are left at the fitted values).  *before / *after receive the
 * objective.  progress_log (may be NULL) receives one line per iteration. */
gs_status gs_cal_fit(gs_cal_target *targets, size_t n, gs_fit_spec *f,
                     const gs_trial_opts *opts, double *before, double *after, FILE *progress_log,
                     gs_err *err);

/* Read the values of a fitted set (data/calibration/fitted.yaml):
 * names[i] / values[i], n entries, freed with gs_fitted_free. */
gs_status gs_fitted_load(const char *path, char ***names, double **values, size_t *n,
                         gs_err *err);
void gs_fitted_free(char **names, double *values, size_t n);

#endif
