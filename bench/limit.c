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
 * states of the last KEEP completed patients' runs (each with its own
 * parameters and the doses its arm gives on each day, so that the calls see
 * as varied arguments as during the trial), many calls each, and reports
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

/* Completed patients whose parameters and daily states the per-call
 * timing cycles over. */
enum { KEEP = 64 };

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
    /* the last KEEP completed runs: states, parameters, arm */
    double *last = malloc(KEEP * days * ns * sizeof *last);
    double *last_params = malloc(KEEP * np * sizeof *last_params);
    long last_arms[KEEP];
    double *doses = malloc(t.n_arms * days * n_dose * sizeof *doses);
    double *dydt = malloc(ns * sizeof *dydt), *jac = malloc(ns * ns * sizeof *jac);
    if (!y || !outs || !samples || !times || !last || !last_params || !doses || !dydt || !jac) {
        fprintf(stderr, "limit: out of memory for the buffers\n");
        return 1;
    }
    for (size_t d = 0; d < days; d++) times[d] = (double)d;

    /* The trial, one thread, timed as a whole. */
    long included = 0, failed = 0;
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
        size_t slot = (size_t)(included % KEEP);
        last_arms[slot] = arm;
        memcpy(last + slot * days * ns, samples, days * ns * sizeof *last);
        memcpy(last_params + slot * np, gs_model_params_const(m), np * sizeof *last_params);
        included++;
    }
    double wall = seconds_now(CLOCK_MONOTONIC) - w0;
    double cpu = seconds_now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    gs_solve_stats st = *gs_solver_stats(s);
    if (included == 0) {
        fprintf(stderr, "limit: no patient completed its arm, nothing to measure\n");
        return 1;
    }

    /* Per-call cost over the kept patients' daily states: patient by
     * patient (its parameters set once, as in the trial), day by day, round
     * and round until `calls` calls.  Each pass includes KEEP parameter
     * copies, negligible beside KEEP x days calls. */
    size_t kept = included < KEEP ? (size_t)included : KEEP;
    for (size_t a = 0; a < t.n_arms; a++)
        for (size_t d = 0; d < days; d++)
            gs_schedule_doses_at(&t.arms[a].schedule, (double)d, doses + (a * days + d) * n_dose);
    char why[256];
    int analytic = gs_model_has_jacobian(m, why, sizeof why);
    const long rhs_calls = 2000000, jac_calls = analytic ? 200000 : 0;
    double cost[2] = {0.0, 0.0};
    for (int which = 0; which < 2; which++) {
        long target = which == 0 ? rhs_calls : jac_calls, calls = 0;
        if (target == 0) continue;
        /* CPU time, like the total: on a shared machine wall time would
         * charge other processes' time slices to the model and flatter
         * the ratio. */
        double t0 = seconds_now(CLOCK_PROCESS_CPUTIME_ID);
        while (calls < target) {
            for (size_t p = 0; p < kept && calls < target; p++) {
                memcpy(gs_model_params(m), last_params + p * np, np * sizeof *last_params);
                const double *states = last + p * days * ns;
                const double *arm_doses = doses + (size_t)last_arms[p] * days * n_dose;
                for (size_t d = 0; d < days && calls < target; d++, calls++) {
                    if (which == 0) {
                        gs_model_rhs(m, states + d * ns, arm_doses + d * n_dose, dydt);
                        sink = dydt[0];
                    } else {
                        /* CVODE zeroes the matrix before the Jacobian fills it. */
                        memset(jac, 0, ns * ns * sizeof *jac);
                        gs_model_jacobian(m, states + d * ns, arm_doses + d * n_dose, jac);
                        sink = jac[0];
                    }
                }
            }
        }
        cost[which] = (seconds_now(CLOCK_PROCESS_CPUTIME_ID) - t0) / (double)target;
    }
    double rhs_cost = cost[0], jac_cost = cost[1];
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
