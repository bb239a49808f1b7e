/*
 * trial.h - in-silico clinical trials: virtual populations, arms,
 * endpoints and their statistics (docs/trials.md).
 *
 * A trial is a population plus arms plus endpoints (DESIGN.md, "a trial is
 * a population plus arms plus endpoints").  A population is a person (the
 * same keys as a scenario's person) whose parameters vary between patients
 * log-normally around their values, as in the virtual trial of Miyano,
 * Irvine & Tanaka 2022 (Allergy 77:582); a variability file
 * (files in data/populations/) says which parameters vary, by how much and on
 * what evidence.  Each patient is burned in to a detected steady state of
 * the usual diet; that state is the baseline on which the inclusion
 * criteria are checked.  Included patients are allocated to the arms in
 * turn (equal allocation) and run from their baseline for `days` days.
 *
 * Reproducibility: patient i draws from its own random stream seeded by a
 * hash of (seed, i) and results are reduced in patient order, so a result
 * does not depend on the number of threads (or, later, of MPI ranks: a
 * rank can run any subset of patients with gs_trial_run_patients and the
 * results are merged by index).
 *
 * The layers: trial_file.c reads YAML into a gs_trial; population.c draws
 * and burns in one patient; endpoints.c turns a patient's run into
 * endpoint values; run.c runs patients in parallel; stats.c holds the
 * statistics; the summary (run.c) turns patient results into a JSON
 * document.  No printing: the command does that.
 */
#ifndef GUTSKIN_TRIAL_H
#define GUTSKIN_TRIAL_H

#include <jansson.h>
#include <stddef.h>

#include "gutskin/model.h"
#include "gutskin/solve.h"
#include "gutskin/status.h"
#include "gutskin/timeline.h"  /* gs_timeline_day */

#define GS_TRIAL_DAYS_MAX 3650
#define GS_TRIAL_PATIENTS_MAX 100000000L
#define GS_TRIAL_MAX_REPORTED_FAILURES 20

/* ---- populations ------------------------------------------------------- */

/* One varying parameter: ln(value) ~ N(ln(median), sd_log^2), where the
 * median is the person's value of the parameter. */
typedef struct gs_vary {
    int param;       /* composed parameter index */
    double sd_log;   /* standard deviation of the log, > 0 */
    char *source;    /* provenance of the spread */
} gs_vary;

/* An inclusion criterion on a baseline score: lo <= value <= hi. */
typedef struct gs_criterion {
    int column;      /* state index, or n_states + output index */
    double lo, hi;   /* -INFINITY / INFINITY when absent */
} gs_criterion;

/* Burn-in: integrate the usual diet in windows of `window` days until no
 * state changes by more than `tol` (relative) across a window, for at
 * most max_days (gs_solver_steady). */
typedef struct gs_burn_in {
    double window, tol, max_days;
} gs_burn_in;

/* How a score is observed in the trial (docs/trials.md, "Measurement"):
 * an observer or assay measures it with error, and every arm shares a
 * placebo / standard-care / regression response.  Part of the trial
 * model, not of the ODE model.  On day d, with x the model's score,
 *   p      = placebo_percent + placebo_sd z_p        (per patient)
 *   m      = x (1 + p/100 (1 - exp(-d / placebo_days)))
 *   observed = m + sqrt(sd^2 + (cv m)^2) z_d           (clamped at 0 when x >= 0)
 * z_p, z_d standard normal, drawn from the patient's own stream keyed by
 * (score, day), so screening and endpoints see the same day-0 measurement
 * and the result does not depend on threads. */
typedef struct gs_measurement {
    int column;             /* score column */
    double sd;              /* absolute SD of one measurement, score units */
    double cv;              /* SD proportional to the value, fraction */
    double placebo_percent; /* mean percent change every arm shows */
    double placebo_sd;      /* between-patient SD of that, percent points */
    double placebo_days;    /* time constant of the placebo response, days */
    char *source;           /* provenance of the numbers */
} gs_measurement;

typedef struct gs_population {
    gs_model *model;        /* composed person, overrides applied: the medians */
    gs_schedule usual;      /* the usual diet as baselines, no spans */
    gs_vary *vary;
    size_t n_vary;
    gs_criterion *include;
    size_t n_include;
    gs_burn_in burn_in;
    gs_solve_opts solver;
    gs_measurement *measure;  /* scores observed with error (others exactly) */
    size_t n_measure;
} gs_population;

/* The score column of "block.name" (a state or an output), or -1. */
int gs_population_column(const gs_population *pop, const char *qualified);
/* "block.name" of a score column into buf. */
const char *gs_population_column_name(const gs_population *pop, int column, char *buf,
                                      size_t len);
/* Value of a score column at state y; outs is scratch of n_outputs. */
double gs_population_score(gs_model *m, int column, const double *y, double *outs);

/* The random stream seed of patient i of a run seeded with seed: a hash,
 * so neighbouring seeds and patients give unrelated streams. */
unsigned long gs_patient_seed(unsigned long seed, long patient);

/* The observed value of score `column` on `day` (0 = baseline) of patient
 * `patient` of a run seeded with `seed`, whose model value is `truth`
 * (gs_measurement).  Returns truth unchanged when pop has no measurement
 * entry for the column.  Pure: the same arguments give the same value. */
double gs_observe(const gs_population *pop, unsigned long seed, long patient, int column,
                  int day, double truth);

typedef enum gs_screen {
    GS_SCREEN_INCLUDED,
    GS_SCREEN_EXCLUDED,
    GS_SCREEN_FAILED
} gs_screen;

/* Draw patient `patient` into m (a clone of pop->model that this thread
 * owns; its parameters are reset to the population's medians first), burn
 * it in with solver s (bound to m) and check the inclusion criteria.
 * y receives the baseline state (n_states).  Returns the verdict; for
 * GS_SCREEN_EXCLUDED *criterion is the first unmet criterion's index, for
 * GS_SCREEN_FAILED err says why.  outs is scratch of n_outputs. */
gs_screen gs_population_screen(const gs_population *pop, unsigned long seed, long patient,
                               gs_model *m, gs_solver *s, double *y, double *outs,
                               size_t *criterion, gs_err *err);

/* Read a variability file into pop->vary (appending), checking every name
 * against pop->model.  Errors are FILE:LINE:COLUMN sentences. */
gs_status gs_population_load_variability(gs_population *pop, const char *path,
                                         gs_err *err);

void gs_population_free(gs_population *pop);

/* ---- trials ------------------------------------------------------------ */

typedef enum gs_endpoint_kind {
    GS_EP_VALUE,            /* score at `day` */
    GS_EP_CHANGE,           /* score at `day` minus baseline */
    GS_EP_PERCENT_CHANGE,   /* 100 (score at day - baseline) / baseline */
    GS_EP_RESPONDER,        /* percent change at `day` reaches the threshold */
    GS_EP_TIME_TO_RESPONSE  /* first day the percent change reaches it */
} gs_endpoint_kind;

const char *gs_endpoint_kind_name(gs_endpoint_kind k);

typedef struct gs_endpoint {
    char *name;
    int column;               /* score column */
    gs_endpoint_kind kind;
    int day;                  /* VALUE .. RESPONDER: the day assessed */
    double threshold_percent; /* RESPONDER, TIME_TO_RESPONSE: < 0 a fall by that
                                 much, > 0 a rise by that much */
} gs_endpoint;

typedef struct gs_arm {
    char *name;
    int control;
    gs_schedule schedule;     /* the usual diet plus the arm's spans */
} gs_arm;

typedef struct gs_trial {
    char *path, *name;
    gs_population pop;
    long patients;            /* virtual patients screened */
    int days;
    unsigned long seed;
    gs_arm *arms;
    size_t n_arms, control;   /* control: index of the control arm */
    gs_endpoint *endpoints;
    size_t n_endpoints;
    int timeline_column;      /* skin score of the timeline */
    int timeline_higher_better;
    /* The visit days on which time_to_response is assessed (the `visits`
     * key): strictly increasing, each in 1..days.  NULL (n_visits 0) when
     * the file has no `visits`: every day is a visit.  visits_every is N
     * of the {every: N} form (0 for a list or none), kept for the summary. */
    int *visits;
    size_t n_visits;
    int visits_every;
} gs_trial;

/* Read and validate the trial at path (docs/trials.md) into *t, which the
 * caller frees with gs_trial_free, also after a failure.  Input errors are
 * GS_ERR_INPUT "FILE:LINE:COLUMN: what was expected". */
gs_status gs_trial_load(const char *path, gs_trial *t, gs_err *err);
/* As gs_trial_load, but the top-level key extra_key (when not NULL) is
 * allowed and left to the caller (a calibration file's `target`). */
gs_status gs_trial_load_with(const char *path, const char *extra_key, gs_trial *t,
                             gs_err *err);
void gs_trial_free(gs_trial *t);

/* ---- one patient's result ---------------------------------------------- */

typedef enum gs_fate {
    GS_FATE_COMPLETED,   /* included, allocated, run */
    GS_FATE_EXCLUDED,    /* did not meet an inclusion criterion */
    GS_FATE_FAILED,      /* burn-in, or the arm's run, failed */
    GS_FATE_NOT_RUN      /* outside the range this process ran (another MPI
                            rank's share, to be gathered before the summary) */
} gs_fate;

/* Fixed-size numbers per patient (so ranks can send them as doubles) plus
 * the failure sentence. */
typedef struct gs_patient_result {
    gs_fate fate;
    int arm;              /* allocated arm, -1 when not allocated */
    int included;         /* 1 once the patient met the inclusion criteria */
    int criterion;        /* EXCLUDED: the first unmet criterion */
    double *baseline;     /* n_endpoints baseline scores (endpoint order) */
    double *value;        /* n_endpoints: the endpoint's value; RESPONDER 0/1;
                             TIME_TO_RESPONSE the day, or NAN if never */
    double t50, t90;      /* timeline: days to 50% / 90% of the final
                             improvement; NAN when the score did not improve */
    char *failure;        /* FAILED: why (NULL only when out of memory) */
} gs_patient_result;

/* The results of one run: one per screened patient, in patient order. */
typedef struct gs_trial_results {
    long patients;
    gs_patient_result *patient;
    double *store;        /* the doubles the patient arrays point into */
} gs_trial_results;

typedef struct gs_progress gs_progress;

/* Options of a run. threads <= 0: OpenMP's default.  progress may be NULL.
 * first / count: run only patients [first, first + count) (count 0: to the
 * last), so that ranks of a distributed run can share the patients; the
 * others stay GS_FATE_NOT_RUN until gathered. */
typedef struct gs_trial_opts {
    int threads;
    gs_progress *progress;
    long first, count;
} gs_trial_opts;

/* Screen patients [0, t->patients) (or the opts' range), allocate the included ones to the arms
 * in turn, run each in its arm and compute its endpoints.  Deterministic
 * for any thread count.  Returns an error only when the run itself could
 * not proceed (out of memory, a thread's solver); a patient's failure is
 * recorded in its result.  Free *res with gs_trial_results_free. */
gs_status gs_trial_run(const gs_trial *t, const gs_trial_opts *opts,
                       gs_trial_results *res, gs_err *err);
void gs_trial_results_free(gs_trial_results *res);

/* Take over the patients of src that were run (fate other than NOT_RUN)
 * into dst, which has the same trial's shape (the gathering step of a
 * distributed run).  A patient run in both is an internal error. */
gs_status gs_trial_results_merge(gs_trial_results *dst, gs_trial_results *src,
                                 size_t n_endpoints, gs_err *err);

/* Compute one patient's endpoints from its daily samples of the endpoint
 * scores: series[e * (days + 1) + d] is endpoint e's score at day d, and
 * timeline[d] the timeline score.  A time_to_response endpoint is the
 * first visit day (t->visits, or every day 1..days when there are none)
 * on which the patient is a responder.  Fails (GS_ERR_SOLVER) when a percent
 * change has a zero baseline. */
gs_status gs_trial_endpoints(const gs_trial *t, const double *series,
                             const double *timeline, gs_patient_result *r, gs_err *err);

/* Replace a patient's daily endpoint scores (series as for
 * gs_trial_endpoints) by what the trial observes (gs_observe with the
 * trial's seed): measurement error and the placebo response.  The
 * timeline keeps the model's score. */
void gs_trial_observe(const gs_trial *t, long patient, double *series);

/* The summary: screening, per-arm statistics, comparisons with control and
 * the timeline, as JSON (docs/trials.md).  Patients not run are counted as
 * screening.not_run (present only when there are any), never silently
 * dropped.  NULL when out of memory. */
json_t *gs_trial_summary(const gs_trial *t, const gs_trial_results *res);

/* ---- statistics (stats.c) ---------------------------------------------- */

typedef struct gs_interval {
    double estimate, lo, hi;
} gs_interval;

/* Mean and sample SD (n - 1) of x[0..n); sd is NAN when n < 2. */
void gs_stats_mean_sd(const double *x, size_t n, double *mean, double *sd);

/* Difference of means a - b with a 95% Welch (unequal variances) interval;
 * *df receives the Welch-Satterthwaite degrees of freedom.  NAN bounds
 * when either group has fewer than 2. */
gs_interval gs_stats_welch(double mean_a, double sd_a, size_t n_a, double mean_b,
                           double sd_b, size_t n_b, double *df);

/* Hedges' g of a versus b (pooled SD, small-sample correction) with a 95%
 * normal interval from its large-sample variance. */
gs_interval gs_stats_hedges_g(double mean_a, double sd_a, size_t n_a, double mean_b,
                              double sd_b, size_t n_b);

/* Wilson score 95% interval of a proportion x / n (n >= 1). */
gs_interval gs_stats_wilson(size_t x, size_t n);

/* Difference of proportions x_a / n_a - x_b / n_b with Newcombe's hybrid
 * score 95% interval (method 10, from the two Wilson intervals). */
gs_interval gs_stats_newcombe(size_t x_a, size_t n_a, size_t x_b, size_t n_b);

/* Median time to response from the proportion-responded curve: times[i]
 * is patient i's first day of response or NAN if never, n patients,
 * followed to day `days`.  estimate is the first day the proportion
 * reaches 1/2, NAN when it never does ("not reached"); lo / hi are the
 * first days the upper / lower Wilson bound of the proportion reaches 1/2
 * (NAN when never). */
gs_interval gs_stats_median_time(const double *times, size_t n, int days);

#endif
