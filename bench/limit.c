/*
 * bench/limit.c - "how close to the limit" (issue 3, bench/): how much of a
 * trial's time is spent evaluating the model's right-hand side and
 * Jacobian, and how much in everything else (CVODE's stepping, error
 * control, linear algebra, sampling, endpoints).
 *
 * It runs a trial file's patients one after another on one thread with
 * libgutskin's public API, exactly as src/trial/run.c does for one patient
 * (gs_population_screen: draw, burn in to steady state, screen; then
 * gs_solver_run of the patient's arm, sampled daily), and times the whole
 * loop.  CVODE's counters (gs_solver_stats) say how many right-hand-side
 * and Jacobian evaluations that took.  It then measures what one call of
 * gs_model_rhs and one of gs_model_jacobian cost, cycling over the daily
 * states of the last included patient's run (that patient's parameters,
 * the doses its arm gives on each day), many calls each, and reports
 *
 *     floor = rhs_evals x rhs_cost + jac_evals x jac_cost
 *     ratio = total time / floor       (issue 3's goal: within 3x)
 *
 * No paper is followed: this is a measurement of gutskin's own code.  The
 * model is whatever the trial file composes (bench/full-model-trial.yaml:
 * every non-reference block).
 *
 * Usage: limit TRIAL.yaml [PATIENTS]   (PATIENTS defaults to the file's)
 * Prints one JSON object on stdout.  Built by bench/limit.sh against the
 * libgutskin.a of a build directory.
 */
#define _POSIX_C_SOURCE 200809L

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gutskin/model.h"
#include "gutskin/solve.h"
#include "gutskin/status.h"
#include "gutskin/trial.h"

static double seconds_now(clockid_t clock)
{
    struct timespec ts;
    int rc = clock_gettime(clock, &ts);
    assert(rc == 0);
    (void)rc;
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Keeps the compiler from dropping the timed calls. */
static volatile double sink;

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: limit TRIAL.yaml [PATIENTS]\n");
        return 2;
    }
    gs_err err;
    gs_err_clear(&err);
    gs_trial t;
    if (gs_trial_load(argv[1], &t, &err) != GS_OK) {
        fprintf(stderr, "limit: %s\n", err.msg);
        gs_trial_free(&t);
        return 1;
    }
    long patients = t.patients;
    if (argc == 3) {
        char *end = NULL;
        patients = strtol(argv[2], &end, 10);
        if (!end || *end || patients < 1) {
            fprintf(stderr, "limit: PATIENTS must be a positive whole number, not '%s'\n",
                    argv[2]);
            gs_trial_free(&t);
            return 2;
        }
    }

    gs_model *m = gs_model_clone(t.pop.model);
    gs_solver *s = NULL;
    if (!m) {
        fprintf(stderr, "limit: out of memory cloning the trial's model\n");
        gs_trial_free(&t);
        return 1;
    }
    if (gs_solver_new(m, &t.pop.solver, &s, &err) != GS_OK) {
        fprintf(stderr, "limit: %s\n", err.msg);
        gs_model_free(m);
        gs_trial_free(&t);
        return 1;
    }
    size_t ns = gs_model_n_states(m), no = gs_model_n_outputs(m), np = gs_model_n_params(m);
    size_t days = (size_t)t.days + 1, n_dose = 0;
    (void)gs_intervention_registry(&n_dose);
    double *y = malloc(ns * sizeof *y), *outs = malloc((no + 1) * sizeof *outs);
    double *samples = malloc(days * ns * sizeof *samples);
    double *times = malloc(days * sizeof *times);
    double *last = malloc(days * ns * sizeof *last);       /* last included run */
    double *last_params = malloc(np * sizeof *last_params);
    double *doses = malloc(days * n_dose * sizeof *doses);
    double *dydt = malloc(ns * sizeof *dydt), *jac = malloc(ns * ns * sizeof *jac);
    if (!y || !outs || !samples || !times || !last || !last_params || !doses || !dydt || !jac) {
        fprintf(stderr, "limit: out of memory for the buffers\n");
        return 1;
    }
    for (size_t d = 0; d < days; d++) times[d] = (double)d;

    /* The trial, one thread, timed as a whole. */
    long included = 0, failed = 0, last_arm = -1;
    double w0 = seconds_now(CLOCK_MONOTONIC), c0 = seconds_now(CLOCK_PROCESS_CPUTIME_ID);
    for (long i = 0; i < patients; i++) {
        size_t criterion = 0;
        gs_err e;
        gs_err_clear(&e);
        gs_screen v = gs_population_screen(&t.pop, t.seed, i, m, s, y, outs, &criterion, &e);
        if (v == GS_SCREEN_FAILED) { failed++; continue; }
        if (v == GS_SCREEN_EXCLUDED) continue;
        long arm = i % (long)t.n_arms;
        if (gs_solver_run(s, &t.arms[arm].schedule, 0.0, y, times, days, samples, &e) != GS_OK) {
            failed++;
            continue;
        }
        /* What run.c does with the samples: every output on every day. */
        for (size_t d = 0; d < days; d++) {
            gs_model_outputs(m, samples + d * ns, outs);
            sink = outs[0];
        }
        included++;
        last_arm = arm;
        memcpy(last, samples, days * ns * sizeof *last);
        memcpy(last_params, gs_model_params_const(m), np * sizeof *last_params);
    }
    double wall = seconds_now(CLOCK_MONOTONIC) - w0;
    double cpu = seconds_now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    gs_solve_stats st = *gs_solver_stats(s);
    if (last_arm < 0) {
        fprintf(stderr, "limit: no patient completed its arm, nothing to measure\n");
        return 1;
    }

    /* Per-call cost at the last completed patient's daily states. */
    memcpy(gs_model_params(m), last_params, np * sizeof *last_params);
    for (size_t d = 0; d < days; d++)
        gs_schedule_doses_at(&t.arms[last_arm].schedule, (double)d, doses + d * n_dose);
    char why[256];
    int analytic = gs_model_has_jacobian(m, why, sizeof why);
    const long rhs_calls = 2000000, jac_calls = analytic ? 200000 : 0;
    double r0 = seconds_now(CLOCK_MONOTONIC);
    for (long k = 0; k < rhs_calls; k++) {
        size_t d = (size_t)k % days;
        gs_model_rhs(m, last + d * ns, doses + d * n_dose, dydt);
        sink = dydt[0];
    }
    double rhs_cost = (seconds_now(CLOCK_MONOTONIC) - r0) / (double)rhs_calls;
    double jac_cost = 0.0;
    if (jac_calls > 0) {
        double j0 = seconds_now(CLOCK_MONOTONIC);
        for (long k = 0; k < jac_calls; k++) {
            size_t d = (size_t)k % days;
            /* CVODE hands the Jacobian a matrix to fill; solve.c zeroes it first. */
            memset(jac, 0, ns * ns * sizeof *jac);
            gs_model_jacobian(m, last + d * ns, doses + d * n_dose, jac);
            sink = jac[0];
        }
        jac_cost = (seconds_now(CLOCK_MONOTONIC) - j0) / (double)jac_calls;
    }
    double floor_s = (double)st.rhs_evals * rhs_cost + (double)st.jac_evals * jac_cost;

    printf("{\"trial\": \"%s\", \"patients\": %ld, \"included\": %ld, \"failed\": %ld, "
           "\"states\": %zu, \"analytic_jacobian\": %s, "
           "\"wall_s\": %.4f, \"cpu_s\": %.4f, \"steps\": %ld, \"rhs_evals\": %ld, "
           "\"jac_evals\": %ld, \"lin_setups\": %ld, \"restarts\": %ld, "
           "\"rhs_ns_per_call\": %.1f, \"jac_ns_per_call\": %.1f, "
           "\"rhs_s\": %.4f, \"jac_s\": %.4f, \"floor_s\": %.4f, \"ratio_cpu\": %.2f}\n",
           argv[1], patients, included, failed, ns, analytic ? "true" : "false", wall, cpu,
           st.steps, st.rhs_evals, st.jac_evals, st.lin_setups, st.restarts, 1e9 * rhs_cost,
           1e9 * jac_cost, (double)st.rhs_evals * rhs_cost, (double)st.jac_evals * jac_cost,
           floor_s, cpu / floor_s);
    if (!analytic) fprintf(stderr, "limit: %s\n", why);

    free(y); free(outs); free(samples); free(times); free(last); free(last_params);
    free(doses); free(dydt); free(jac);
    gs_solver_free(s);
    gs_model_free(m);
    gs_trial_free(&t);
    return 0;
}
