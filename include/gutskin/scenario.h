/*
 * scenario.h - a scenario file: one person, a schedule of interventions,
 * and how long to simulate them (docs/scenarios.md).
 *
 * A scenario is YAML (libfyaml).  Loading it composes the model (every gut
 * and systemic block plus the person's skin blocks, in registry order),
 * applies the person's parameter overrides and usual diet, and builds the
 * schedule, so every name and range is checked while the position of the
 * offending node is still known.  Every error is one sentence that starts
 * with FILE:LINE:COLUMN (1-based) and says what was expected.
 *
 * Running a scenario (run.c) burns the model in to a steady state under
 * the usual diet, then integrates the schedule from day 0 to `days` and
 * samples every state and output every `every` days.  The figure
 * (figure.c) draws gut, systemic and skin panels under the intervention
 * bars.  No I/O besides reading the file and writing the PNG.
 */
#ifndef GUTSKIN_SCENARIO_H
#define GUTSKIN_SCENARIO_H

#include <stddef.h>

#include "gutskin/model.h"
#include "gutskin/solve.h"
#include "gutskin/status.h"

#define GS_SCENARIO_DAYS_DEFAULT 84
#define GS_SCENARIO_DAYS_MAX 3650
#define GS_SCENARIO_EVERY_MIN (1.0 / 24.0)  /* hourly sampling at the finest */
#define GS_SCENARIO_BURN_IN_MAX 3650.0      /* days, a fixed burn_in */
#define GS_SCENARIO_BURN_IN_AUTO_MAX 36525.0 /* days (100 years), burn_in: auto */

/* A state value set at day 0, after the burn-in. */
typedef struct gs_scenario_initial {
    int state;      /* composed state index */
    double value;
} gs_scenario_initial;

typedef struct gs_scenario {
    char *path;           /* the file it was read from */
    char *name;           /* `name:` */
    int days;             /* simulated days after burn-in */
    double every;         /* sampling interval, days */
    int burn_in_auto;     /* 1: run to steady state; 0: burn_in_days */
    double burn_in_days;  /* fixed burn-in length when !burn_in_auto */
    gs_model *model;      /* composed, parameter overrides applied */
    gs_schedule schedule; /* usual diet as baselines, spans from `schedule:` */
    gs_scenario_initial *initial;  /* `person.initial:` overrides */
    size_t n_initial;
    gs_solve_opts solver; /* `solver:` (defaults otherwise) */
} gs_scenario;

/* Read and validate the scenario at path into *sc (which the caller
 * frees with gs_scenario_free, also after a failure).  Input errors
 * return GS_ERR_INPUT with "PATH:LINE:COLUMN: what was expected"; an
 * unreadable file returns GS_ERR_IO naming it. */
gs_status gs_scenario_load(const char *path, gs_scenario *sc, gs_err *err);

/* Release everything a scenario owns; safe on a zeroed or failed one. */
void gs_scenario_free(gs_scenario *sc);

/* The result of a run: one row per sample time, columns are the model's
 * states then its outputs (gs_scenario_column_name). */
typedef struct gs_scenario_result {
    size_t n_rows, n_cols;
    double *days;          /* n_rows sample days, 0 .. days */
    double *values;        /* n_rows * n_cols, row-major */
    double burn_in_days;   /* burn-in actually used */
    gs_solve_stats stats;  /* solver totals, burn-in included */
} gs_scenario_result;

/* Run the scenario: burn-in, then the schedule from day 0 to sc->days,
 * sampled at 0, every, 2*every, ... and at sc->days itself.  On failure
 * (GS_ERR_SOLVER naming block, state and day) *res holds nothing and
 * needs no freeing; on success free it with gs_scenario_result_free. */
gs_status gs_scenario_run(const gs_scenario *sc, gs_scenario_result *res,
                          gs_err *err);
void gs_scenario_result_free(gs_scenario_result *res);

/* Number of rows a run of days sampled every `every` days produces. */
size_t gs_scenario_n_samples(int days, double every);

/* "block.name" of result column j (states first, then outputs) into buf;
 * *unit, when not NULL, receives the quantity's unit. */
const char *gs_scenario_column_name(const gs_scenario *sc, size_t j, char *buf,
                                    size_t len, const char **unit);

/* Draw the run as a PNG at path: intervention bars above three panels
 * (gut, systemic, skin) that share the day axis.  Series are chosen by
 * name from what the model has; panels mixing units show each series
 * relative to its day-0 value and say so. */
gs_status gs_scenario_plot(const gs_scenario *sc, const gs_scenario_result *res,
                           const char *path, gs_err *err);

#endif
