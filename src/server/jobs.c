/*
 * jobs.c - the job table of jobs.h: one mutex over the table, one job
 * thread, a condition variable to wake it.
 *
 * Cancelling and progress need no changes to the trial layer: a trial runs
 * in chunks of patients (gs_trial_opts.first/count), each merged into the
 * whole run's results (gs_trial_results_merge, the gathering step MPI runs
 * use), and the cancel flag is read between chunks.  Patient streams are
 * seeded per patient, so a chunked run gives the same numbers as one
 * `gutskin trial` run with the same seed.
 *
 * Memory: a job is freed only when it is finished and evicted under the
 * mutex, and the job thread touches only the job it runs, so the pointer
 * it holds stays valid without reference counts.
 */
#define _GNU_SOURCE
#include "server/jobs.h"

#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "server/http.h"

#define CHUNKS 50       /* progress steps of a trial */
#define CHUNK_MIN 8     /* patients: below that, OpenMP start-up dominates */
#define CHUNK_MAX 2000  /* patients: a cancel waits for at most one chunk,
                           a couple of seconds on two cores */

typedef enum { JOB_TRIAL, JOB_CALIBRATION } job_kind;
typedef enum { QUEUED, RUNNING, DONE, FAILED, CANCELLED } job_state;
static const char *const state_names[] = {"queued", "running", "done", "failed", "cancelled"};

typedef struct job {
    long id;
    job_kind kind;
    job_state state;          /* under the mutex */
    char name[256];
    char key[128];            /* calibration: the request's options */
    atomic_long done;
    long total;
    atomic_int cancel;
    json_t *result;           /* DONE; under the mutex once published */
    char error[GS_ERR_MSG_MAX];
    gs_trial trial;           /* JOB_TRIAL */
    gs_cal_target *targets;   /* JOB_CALIBRATION */
    size_t n_targets;
} job;

struct gs_jobs {
    pthread_mutex_t mu;
    pthread_cond_t wake;
    pthread_t thread;
    int stopping;
    int threads;
    long next_id;
    job *table[GS_JOBS_MAX];  /* by submission, oldest first; NULL-free prefix */
    size_t n;
};

static void job_free(job *j)
{
    if (!j) return;
    gs_trial_free(&j->trial);
    for (size_t i = 0; i < j->n_targets; i++) gs_cal_target_free(&j->targets[i]);
    free(j->targets);
    if (j->result) json_decref(j->result);
    free(j);
}

/* ---- running ------------------------------------------------------------ */

static gs_status run_trial(job *j, int threads, json_t **result, gs_err *err)
{
    const gs_trial *t = &j->trial;
    long n = t->patients, chunk = n / CHUNKS;
    if (chunk < CHUNK_MIN) chunk = CHUNK_MIN;
    if (chunk > CHUNK_MAX) chunk = CHUNK_MAX;
    gs_trial_results all, part;
    int have_all = 0;
    gs_status st = GS_OK;
    for (long first = 0; first < n; first += chunk) {
        if (atomic_load(&j->cancel)) break;
        long count = first + chunk > n ? n - first : chunk;
        gs_trial_opts opts = {threads, NULL, first, count};
        if ((st = gs_trial_run(t, &opts, have_all ? &part : &all, err)) != GS_OK) break;
        if (have_all) {
            st = gs_trial_results_merge(&all, &part, t->n_endpoints, err);
            gs_trial_results_free(&part);
            if (st != GS_OK) break;
        }
        have_all = 1;
        atomic_fetch_add(&j->done, count);
    }
    if (st == GS_OK && !atomic_load(&j->cancel)) {
        *result = gs_trial_summary(t, &all);
        if (!*result) st = gs_fail(err, GS_ERR_NOMEM, "out of memory for the trial's summary");
        else json_object_set_new(*result, "disclaimer", json_string(GS_DISCLAIMER));
    }
    if (have_all) gs_trial_results_free(&all);
    return st;
}

static json_t *interval_json(gs_interval v)
{
    json_t *o = json_object();
    json_object_set_new(o, "estimate", isfinite(v.estimate) ? json_real(v.estimate) : json_null());
    json_object_set_new(o, "lo", isfinite(v.lo) ? json_real(v.lo) : json_null());
    json_object_set_new(o, "hi", isfinite(v.hi) ? json_real(v.hi) : json_null());
    return o;
}

/* The report of `gutskin calibrate --format json`, target by target. */
static gs_status run_calibration(job *j, int threads, json_t **result, gs_err *err)
{
    json_t *root = json_object(), *rows = json_array();
    json_object_set_new(root, "targets", rows);
    size_t met = 0;
    for (size_t i = 0; i < j->n_targets; i++) {
        if (atomic_load(&j->cancel)) break;
        const gs_cal_target *t = &j->targets[i];
        gs_trial_opts opts = {threads, NULL, 0, 0};
        gs_cal_result r;
        gs_status st = gs_cal_run(t, &opts, &r, err);
        if (st != GS_OK) {
            json_decref(root);
            return st;
        }
        met += (size_t)r.met;
        json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:b, s:I, s:I, s:I, s:I, s:I, "
                              "s:s}",
                              "id", t->id, "outcome", t->outcome, "statistic",
                              gs_cal_statistic_name(t->statistic), "published",
                              interval_json(t->published), "model", interval_json(r.model),
                              "distance",
                              r.ok ? json_real(gs_cal_distance(r.model.estimate, t->published))
                                   : json_null(),
                              "met", r.met, "n_arm", (json_int_t)r.n_arm, "n_control",
                              (json_int_t)r.n_control, "failed", (json_int_t)r.failed,
                              "patients", (json_int_t)t->trial.patients, "seed",
                              (json_int_t)t->trial.seed, "source", t->source);
        json_array_append_new(rows, o);
        atomic_fetch_add(&j->done, 1);
    }
    json_object_set_new(root, "met", json_integer((json_int_t)met));
    json_object_set_new(root, "total", json_integer((json_int_t)j->n_targets));
    json_object_set_new(root, "disclaimer", json_string(GS_DISCLAIMER));
    *result = root;
    return GS_OK;
}

static void *job_thread(void *arg)
{
    gs_jobs *js = arg;
    pthread_mutex_lock(&js->mu);
    for (;;) {
        job *j = NULL;
        for (size_t i = 0; i < js->n && !j; i++)
            if (js->table[i]->state == QUEUED) j = js->table[i];
        if (!j) {
            if (js->stopping) break;
            pthread_cond_wait(&js->wake, &js->mu);
            continue;
        }
        j->state = RUNNING;
        pthread_mutex_unlock(&js->mu);

        gs_err err;
        gs_err_clear(&err);
        json_t *result = NULL;
        gs_status st = j->kind == JOB_TRIAL ? run_trial(j, js->threads, &result, &err)
                                            : run_calibration(j, js->threads, &result, &err);

        pthread_mutex_lock(&js->mu);
        if (st != GS_OK) {
            j->state = FAILED;
            snprintf(j->error, sizeof j->error, "%s", err.msg);
            if (result) json_decref(result);
        } else if (atomic_load(&j->cancel)) {
            j->state = CANCELLED;
            if (result) json_decref(result);
        } else {
            j->state = DONE;
            j->result = result;
        }
        /* the inputs are not needed any more; results stay */
        gs_trial_free(&j->trial);
        for (size_t i = 0; i < j->n_targets; i++) gs_cal_target_free(&j->targets[i]);
        free(j->targets);
        j->targets = NULL;
        j->n_targets = 0;
    }
    pthread_mutex_unlock(&js->mu);
    return NULL;
}

/* ---- the table ------------------------------------------------------------ */

gs_status gs_jobs_new(int threads, gs_jobs **out, gs_err *err)
{
    gs_jobs *js = calloc(1, sizeof *js);
    if (!js) return gs_fail(err, GS_ERR_NOMEM, "out of memory for the job table");
    pthread_mutex_init(&js->mu, NULL);
    pthread_cond_init(&js->wake, NULL);
    js->threads = threads;
    js->next_id = 1;
    if (pthread_create(&js->thread, NULL, job_thread, js) != 0) {
        pthread_mutex_destroy(&js->mu);
        pthread_cond_destroy(&js->wake);
        free(js);
        return gs_fail(err, GS_ERR_IO, "cannot start the job thread");
    }
    *out = js;
    return GS_OK;
}

void gs_jobs_free(gs_jobs *js)
{
    if (!js) return;
    pthread_mutex_lock(&js->mu);
    js->stopping = 1;
    for (size_t i = 0; i < js->n; i++) {
        atomic_store(&js->table[i]->cancel, 1);
        if (js->table[i]->state == QUEUED) js->table[i]->state = CANCELLED;
    }
    pthread_cond_broadcast(&js->wake);
    pthread_mutex_unlock(&js->mu);
    pthread_join(js->thread, NULL);
    for (size_t i = 0; i < js->n; i++) job_free(js->table[i]);
    pthread_mutex_destroy(&js->mu);
    pthread_cond_destroy(&js->wake);
    free(js);
}

/* Make room for one more job: forget the oldest finished one.  Under mu. */
static int make_room(gs_jobs *js)
{
    if (js->n < GS_JOBS_MAX) return 1;
    for (size_t i = 0; i < js->n; i++) {
        job_state s = js->table[i]->state;
        if (s == QUEUED || s == RUNNING) continue;
        job_free(js->table[i]);
        memmove(&js->table[i], &js->table[i + 1], (js->n - i - 1) * sizeof js->table[0]);
        js->n--;
        return 1;
    }
    return 0;
}

static gs_status submit(gs_jobs *js, job *j, long *id, gs_err *err)
{
    pthread_mutex_lock(&js->mu);
    if (js->stopping || !make_room(js)) {
        pthread_mutex_unlock(&js->mu);
        job_free(j);
        return gs_fail(err, GS_ERR_IO, "%d jobs are waiting or running; cancel one or wait",
                       GS_JOBS_MAX);
    }
    j->id = js->next_id++;
    j->state = QUEUED;
    js->table[js->n++] = j;
    *id = j->id;
    pthread_cond_signal(&js->wake);
    pthread_mutex_unlock(&js->mu);
    return GS_OK;
}

gs_status gs_jobs_submit_trial(gs_jobs *js, gs_trial *t, const char *label, long *id,
                               gs_err *err)
{
    job *j = calloc(1, sizeof *j);
    if (!j) return gs_fail(err, GS_ERR_NOMEM, "out of memory for a job");
    j->kind = JOB_TRIAL;
    j->trial = *t;
    memset(t, 0, sizeof *t);
    j->total = j->trial.patients;
    snprintf(j->name, sizeof j->name, "%s", label);
    return submit(js, j, id, err);
}

gs_status gs_jobs_submit_calibration(gs_jobs *js, gs_cal_target *targets, size_t n,
                                     const char *key, long *id, gs_err *err)
{
    job *j = calloc(1, sizeof *j);
    if (!j) {
        for (size_t i = 0; i < n; i++) gs_cal_target_free(&targets[i]);
        free(targets);
        return gs_fail(err, GS_ERR_NOMEM, "out of memory for a job");
    }
    j->kind = JOB_CALIBRATION;
    j->targets = targets;
    j->n_targets = n;
    j->total = (long)n;
    snprintf(j->name, sizeof j->name, "calibration report");
    snprintf(j->key, sizeof j->key, "%s", key);
    return submit(js, j, id, err);
}

long gs_jobs_find_keyed(gs_jobs *js, const char *key)
{
    long id = -1;
    pthread_mutex_lock(&js->mu);
    for (size_t i = js->n; i-- > 0 && id < 0;) {
        job *j = js->table[i];
        if (j->kind == JOB_CALIBRATION && strcmp(j->key, key) == 0 &&
            (j->state == QUEUED || j->state == RUNNING || j->state == DONE))
            id = j->id;
    }
    pthread_mutex_unlock(&js->mu);
    return id;
}

static json_t *job_json(const job *j, int with_result)
{
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:s}", "id", (json_int_t)j->id,
                          "kind", j->kind == JOB_TRIAL ? "trial" : "calibration", "name",
                          j->name, "state", state_names[j->state], "done",
                          (json_int_t)atomic_load(&j->done), "total", (json_int_t)j->total,
                          "unit", j->kind == JOB_TRIAL ? "patients" : "targets");
    if (!o) return NULL;
    if (j->state == FAILED) json_object_set_new(o, "error", json_string(j->error));
    if (with_result && j->state == DONE && j->result)
        json_object_set_new(o, "result", json_deep_copy(j->result));
    return o;
}

json_t *gs_jobs_get(gs_jobs *js, long id)
{
    json_t *o = NULL;
    pthread_mutex_lock(&js->mu);
    for (size_t i = 0; i < js->n; i++)
        if (js->table[i]->id == id) o = job_json(js->table[i], 1);
    pthread_mutex_unlock(&js->mu);
    return o;
}

json_t *gs_jobs_list(gs_jobs *js)
{
    json_t *arr = json_array();
    pthread_mutex_lock(&js->mu);
    for (size_t i = js->n; arr && i-- > 0;)
        json_array_append_new(arr, job_json(js->table[i], 0));
    pthread_mutex_unlock(&js->mu);
    return arr;
}

int gs_jobs_cancel(gs_jobs *js, long id)
{
    int found = 0;
    pthread_mutex_lock(&js->mu);
    for (size_t i = 0; i < js->n; i++) {
        job *j = js->table[i];
        if (j->id != id) continue;
        found = 1;
        if (j->state == QUEUED) j->state = CANCELLED;
        if (j->state == RUNNING) atomic_store(&j->cancel, 1);
    }
    pthread_mutex_unlock(&js->mu);
    return found;
}
