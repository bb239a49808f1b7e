/*
 * run.c - run a loaded scenario: burn-in, schedule, samples.
 *
 * The person starts at the steady state of their usual diet (burn_in:
 * auto, gs_solver_steady) or after a fixed number of days on it; the
 * `initial:` overrides are then applied at day 0, and the schedule runs
 * from day 0 to `days`.  Every state and output is sampled at 0, every,
 * 2 every, ... and at `days`.  Times are days after the burn-in; the
 * schedule's days are the same days.
 *
 * No paper: this is the driver.  The burn-in tolerance below is a
 * numerical choice, not a model parameter.
 */
#include "gutskin/scenario.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Steady state: no state moves by more than 3e-6 (relative) over a 30-day
 * window, searched for up to 100 years.  The slowest modelled process,
 * dermal collagen (half-life about 15 years), is then within about 0.1% of
 * its steady state; fast states are flat far below plotting resolution. */
#define BURN_IN_WINDOW 30.0
#define BURN_IN_TOL 3e-6

void gs_scenario_result_free(gs_scenario_result *res)
{
    if (!res) return;
    free(res->days);
    free(res->values);
    memset(res, 0, sizeof *res);
}

const char *gs_scenario_column_name(const gs_scenario *sc, size_t j, char *buf,
                                    size_t len, const char **unit)
{
    size_t ns = gs_model_n_states(sc->model);
    assert(j < ns + gs_model_n_outputs(sc->model));
    if (j < ns) {
        if (unit) *unit = gs_model_state_info(sc->model, j)->unit;
        return gs_model_state_name(sc->model, j, buf, len);
    }
    if (unit) *unit = gs_model_output_info(sc->model, j - ns)->unit;
    return gs_model_output_name(sc->model, j - ns, buf, len);
}

/* Burn y in under the usual diet: to steady state, or for a fixed time. */
static gs_status burn_in(const gs_scenario *sc, gs_solver *solver, double *y,
                         double *used, gs_err *err)
{
    *used = 0;
    if (sc->burn_in_auto)
        return gs_solver_steady(solver, &sc->schedule, y, BURN_IN_WINDOW, BURN_IN_TOL,
                                GS_SCENARIO_BURN_IN_AUTO_MAX, used, err);
    if (sc->burn_in_days <= 0) return GS_OK;
    /* A schedule with the person's usual values and no spans. */
    gs_schedule usual;
    gs_status st = gs_schedule_copy(&usual, &sc->schedule, err);
    if (st != GS_OK) return st;
    usual.n_spans = 0;
    double t = sc->burn_in_days;
    st = gs_solver_run(solver, &usual, 0.0, y, &t, 1, y, err);
    gs_schedule_free(&usual);
    if (st == GS_OK) *used = sc->burn_in_days;
    else if (st == GS_ERR_SOLVER) {
        char msg[GS_ERR_MSG_MAX];
        snprintf(msg, sizeof msg, "%s", err->msg);
        gs_fail(err, st, "during the %g-day burn-in: %s", sc->burn_in_days, msg);
    }
    return st;
}

gs_status gs_scenario_run(const gs_scenario *sc, gs_scenario_result *res, gs_err *err)
{
    assert(sc && sc->model && res);
    memset(res, 0, sizeof *res);
    if (sc->days < 1 || sc->days > GS_SCENARIO_DAYS_MAX)
        return gs_fail(err, GS_ERR_INPUT, "days = %d is out of range: allowed 1 to %d",
                       sc->days, GS_SCENARIO_DAYS_MAX);
    if (!(sc->every >= GS_SCENARIO_EVERY_MIN) || sc->every > sc->days)
        return gs_fail(err, GS_ERR_INPUT,
                       "every = %g days is out of range: allowed %g to %d (the number of days)",
                       sc->every, GS_SCENARIO_EVERY_MIN, sc->days);

    gs_model *m = sc->model;
    size_t ns = gs_model_n_states(m), no = gs_model_n_outputs(m);
    size_t n_rows = gs_scenario_n_samples(sc->days, sc->every);
    size_t n_cols = ns + no;
    double *days = malloc(n_rows * sizeof *days);
    double *states = malloc(n_rows * ns * sizeof *states);
    double *values = malloc(n_rows * n_cols * sizeof *values);
    double *y = malloc((ns + 1) * sizeof *y);
    gs_solver *solver = NULL;
    gs_status st = GS_OK;
    if (!days || !states || !values || !y) {
        st = gs_fail(err, GS_ERR_NOMEM, "out of memory for %zu samples of %zu columns",
                     n_rows, n_cols);
        goto fail;
    }
    for (size_t k = 0; k < n_rows; k++) {
        double t = (double)k * sc->every;
        days[k] = t < sc->days ? t : sc->days;
    }
    days[n_rows - 1] = sc->days;

    if ((st = gs_solver_new(m, &sc->solver, &solver, err)) != GS_OK) goto fail;
    memcpy(y, gs_model_initial(m), ns * sizeof *y);
    if ((st = burn_in(sc, solver, y, &res->burn_in_days, err)) != GS_OK) goto fail;
    for (size_t i = 0; i < sc->n_initial; i++) {
        assert(sc->initial[i].state >= 0 && (size_t)sc->initial[i].state < ns);
        y[sc->initial[i].state] = sc->initial[i].value;
    }
    if ((st = gs_solver_run(solver, &sc->schedule, 0.0, y, days, n_rows, states, err)) !=
        GS_OK)
        goto fail;
    for (size_t k = 0; k < n_rows; k++) {
        double *row = values + k * n_cols;
        memcpy(row, states + k * ns, ns * sizeof *row);
        gs_model_outputs(m, states + k * ns, row + ns);
        for (size_t j = ns; j < n_cols; j++) {
            if (!isfinite(row[j])) {
                char name[128];
                gs_scenario_column_name(sc, j, name, sizeof name, NULL);
                st = gs_fail(err, GS_ERR_SOLVER,
                             "output %s is not a finite number at day %g", name, days[k]);
                goto fail;
            }
        }
    }
    res->stats = *gs_solver_stats(solver);
    res->n_rows = n_rows;
    res->n_cols = n_cols;
    res->days = days;
    res->values = values;
    gs_solver_free(solver);
    free(states);
    free(y);
    return GS_OK;

fail:
    gs_solver_free(solver);
    free(days);
    free(states);
    free(values);
    free(y);
    memset(res, 0, sizeof *res);
    return st;
}
