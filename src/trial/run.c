/*
 * run.c - run a trial's patients in parallel, deterministically.
 *
 * Patient i (0-based, in screening order) is allocated to arm
 * i mod n_arms before screening, which is equal allocation in permuted
 * blocks of n_arms with a fixed order: allocation cannot depend on a
 * patient's prognosis because every patient's parameters are independent
 * draws.  Each patient is then drawn, burned in and screened
 * (population.c); an included patient runs its arm's schedule from its
 * baseline for `days` days, sampled daily, and its endpoints are computed
 * (endpoints.c).  Excluded patients leave their arm, so arm sizes can
 * differ by the chance of exclusion.
 *
 * OpenMP across patients as in the Miyano reproduction: each thread owns
 * one model clone, one solver (so one SUNDIALS context) and its buffers;
 * patient i's random stream depends only on (seed, i) and every result
 * goes to slot i, so the results, and the summary reduced from them in
 * patient order, do not depend on the number of threads.
 */
#include "gutskin/trial.h"

#include <assert.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gutskin/progress.h"

/* Everything one thread owns. */
typedef struct worker {
    gs_model *model;
    gs_solver *solver;
    double *y;         /* n_states: the baseline */
    double *samples;   /* (days + 1) * n_states */
    double *outs;      /* n_outputs */
    double *series;    /* n_endpoints * (days + 1) */
    double *timeline;  /* days + 1 */
    double *times;     /* days + 1 */
} worker;

static void worker_free(worker *w)
{
    gs_solver_free(w->solver);
    gs_model_free(w->model);
    free(w->y);
    free(w->samples);
    free(w->outs);
    free(w->series);
    free(w->timeline);
    free(w->times);
    memset(w, 0, sizeof *w);
}

static gs_status worker_init(worker *w, const gs_trial *t, gs_err *err)
{
    memset(w, 0, sizeof *w);
    size_t days = (size_t)t->days + 1;
    if (!(w->model = gs_model_clone(t->pop.model)))
        return gs_fail(err, GS_ERR_NOMEM, "out of memory for a thread's model");
    size_t ns = gs_model_n_states(w->model), no = gs_model_n_outputs(w->model);
    w->y = malloc(ns * sizeof *w->y);
    w->samples = malloc(days * ns * sizeof *w->samples);
    w->outs = malloc((no + 1) * sizeof *w->outs);
    w->series = malloc(t->n_endpoints * days * sizeof *w->series);
    w->timeline = malloc(days * sizeof *w->timeline);
    w->times = malloc(days * sizeof *w->times);
    if (!w->y || !w->samples || !w->outs || !w->series || !w->timeline || !w->times)
        return gs_fail(err, GS_ERR_NOMEM, "out of memory for a thread's buffers");
    for (size_t d = 0; d < days; d++) w->times[d] = (double)d;
    return gs_solver_new(w->model, &t->pop.solver, &w->solver, err);
}

static void record_failure(gs_patient_result *r, long patient, const char *stage,
                           const gs_err *e)
{
    char msg[GS_ERR_MSG_MAX + 256];
    snprintf(msg, sizeof msg, "patient %ld, %.100s: %s", patient, stage, e->msg);
    r->fate = GS_FATE_FAILED;
    r->failure = strdup(msg);  /* NULL on OOM: the summary says "reason unavailable" */
}

/* Screen patient i and, when included, run its arm. */
static void run_patient(const gs_trial *t, worker *w, long i, gs_patient_result *r)
{
    gs_err e;
    gs_err_clear(&e);
    r->arm = (int)(i % (long)t->n_arms);
    size_t criterion = 0;
    gs_screen verdict = gs_population_screen(&t->pop, t->seed, i, w->model, w->solver, w->y,
                                             w->outs, &criterion, &e);
    if (verdict == GS_SCREEN_FAILED) {
        record_failure(r, i, "screening", &e);
        return;
    }
    if (verdict == GS_SCREEN_EXCLUDED) {
        r->fate = GS_FATE_EXCLUDED;
        r->criterion = (int)criterion;
        return;
    }
    r->included = 1;
    const gs_arm *arm = &t->arms[r->arm];
    char stage[160];
    snprintf(stage, sizeof stage, "arm %s", arm->name);
    size_t days = (size_t)t->days + 1, ns = gs_model_n_states(w->model);
    if (gs_solver_run(w->solver, &arm->schedule, 0.0, w->y, w->times, days, w->samples, &e) !=
        GS_OK) {
        record_failure(r, i, stage, &e);
        return;
    }
    for (size_t d = 0; d < days; d++) {
        const double *y = w->samples + d * ns;
        gs_model_outputs(w->model, y, w->outs);
        for (size_t k = 0; k <= t->n_endpoints; k++) {
            int col = k < t->n_endpoints ? t->endpoints[k].column : t->timeline_column;
            double v = (size_t)col < ns ? y[col] : w->outs[(size_t)col - ns];
            if (!isfinite(v)) {
                char name[128];
                gs_fail(&e, GS_ERR_SOLVER, "%s is not a finite number on day %zu",
                        gs_population_column_name(&t->pop, col, name, sizeof name), d);
                record_failure(r, i, stage, &e);
                return;
            }
            if (k < t->n_endpoints) w->series[k * days + d] = v;
            else w->timeline[d] = v;
        }
    }
    gs_trial_observe(t, i, w->series);  /* measurement error, placebo response */
    if (gs_trial_endpoints(t, w->series, w->timeline, r, &e) != GS_OK) {
        record_failure(r, i, stage, &e);
        return;
    }
    r->fate = GS_FATE_COMPLETED;
}

void gs_trial_results_free(gs_trial_results *res)
{
    if (!res) return;
    if (res->patient)
        for (long i = 0; i < res->patients; i++) free(res->patient[i].failure);
    free(res->patient);
    free(res->store);
    memset(res, 0, sizeof *res);
}

gs_status gs_trial_results_merge(gs_trial_results *dst, gs_trial_results *src,
                                 size_t n_endpoints, gs_err *err)
{
    if (dst->patients != src->patients)
        return gs_fail(err, GS_ERR_INTERNAL, "cannot merge the results of %ld patients into "
                       "results of %ld", src->patients, dst->patients);
    for (long i = 0; i < src->patients; i++) {
        gs_patient_result *from = &src->patient[i], *to = &dst->patient[i];
        if (from->fate == GS_FATE_NOT_RUN) continue;
        if (to->fate != GS_FATE_NOT_RUN)
            return gs_fail(err, GS_ERR_INTERNAL, "patient %ld was run twice", i);
        double *baseline = to->baseline, *value = to->value;
        memcpy(baseline, from->baseline, n_endpoints * sizeof *baseline);
        memcpy(value, from->value, n_endpoints * sizeof *value);
        *to = *from;
        to->baseline = baseline;
        to->value = value;
        from->failure = NULL;  /* moved */
        from->fate = GS_FATE_NOT_RUN;
    }
    return GS_OK;
}

gs_status gs_trial_run(const gs_trial *t, const gs_trial_opts *opts, gs_trial_results *res,
                       gs_err *err)
{
    assert(t && t->pop.model && t->n_arms >= 2 && t->n_endpoints >= 1 && res);
    memset(res, 0, sizeof *res);
    long n = t->patients;
    size_t per = 2 * t->n_endpoints;
    res->patient = calloc((size_t)n, sizeof *res->patient);
    res->store = malloc((size_t)n * per * sizeof *res->store);
    if (!res->patient || !res->store) {
        gs_trial_results_free(res);
        return gs_fail(err, GS_ERR_NOMEM, "out of memory for the results of %ld patients", n);
    }
    res->patients = n;
    for (long i = 0; i < n; i++) {
        gs_patient_result *r = &res->patient[i];
        r->baseline = res->store + (size_t)i * per;
        r->value = r->baseline + t->n_endpoints;
        for (size_t k = 0; k < per; k++) r->baseline[k] = NAN;
        r->t50 = r->t90 = NAN;
        r->fate = GS_FATE_NOT_RUN;
        r->arm = -1;
        r->criterion = -1;
    }
    long first = opts ? opts->first : 0, count = opts ? opts->count : 0;
    if (first < 0 || first > n || count < 0 || count > n - first) {
        gs_trial_results_free(res);
        return gs_fail(err, GS_ERR_INPUT, "the patient range %ld + %ld is outside the trial's "
                       "%ld patients", first, count, n);
    }
    long last = count ? first + count : n;
    int threads = opts && opts->threads > 0 ? opts->threads : omp_get_max_threads();
    gs_progress *progress = opts ? opts->progress : NULL;
    int setup_failed = 0;
    gs_err setup_err;
    gs_err_clear(&setup_err);

#pragma omp parallel num_threads(threads) default(none) \
    shared(t, first, last, res, progress, setup_failed, setup_err)
    {
        worker w;
        gs_err e;
        gs_err_clear(&e);
        gs_status st = worker_init(&w, t, &e);
        if (st != GS_OK) {
#pragma omp critical(gs_trial_setup)
            {
                if (!setup_failed) setup_err = e;
                setup_failed = 1;
            }
        }
        /* every thread reaches the loop; one that failed its setup skips its
         * share and the whole run reports the failure */
#pragma omp for schedule(dynamic, 4)
        for (long i = first; i < last; i++) {
            if (st != GS_OK) continue;
            run_patient(t, &w, i, &res->patient[i]);
            gs_progress_add(progress, 1);
        }
        worker_free(&w);
    }
    if (setup_failed) {
        gs_trial_results_free(res);
        if (err) *err = setup_err;
        return setup_err.status;
    }
    return GS_OK;
}
