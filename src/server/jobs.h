/*
 * jobs.h - long runs of the server (in-silico trials, the calibration
 * report) as jobs: submitted, run one at a time on a job thread, watched
 * through their progress, cancelled, and read when done.
 *
 * A large trial runs for minutes, longer than an HTTP request should
 * wait, so POST returns a job id at once and the page polls it.  Jobs run
 * one after another (each already uses every core through OpenMP); the
 * table keeps the last GS_JOBS_MAX jobs and forgets the oldest finished.
 */
#ifndef GS_SERVER_JOBS_H
#define GS_SERVER_JOBS_H

#include <jansson.h>

#include "gutskin/calibrate.h"
#include "gutskin/status.h"
#include "gutskin/trial.h"

#define GS_JOBS_MAX 64

typedef struct gs_jobs gs_jobs;

/* Start the job thread; trials use `threads` OpenMP threads (<= 0: the
 * default).  Free with gs_jobs_free. */
gs_status gs_jobs_new(int threads, gs_jobs **out, gs_err *err);

/* Cancel what runs, drop what waits, join the thread, free everything. */
void gs_jobs_free(gs_jobs *jobs);

/* Queue a loaded trial, which the job table now owns (*t is zeroed), as
 * `label` (the example's name or the upload's).  *id receives the job's
 * id.  Fails (GS_ERR_IO) when GS_JOBS_MAX jobs are unfinished. */
gs_status gs_jobs_submit_trial(gs_jobs *jobs, gs_trial *t, const char *label, long *id,
                               gs_err *err);

/* Queue a calibration report over n loaded targets (owned from now on),
 * remembered under key (the request's options) for gs_jobs_find_keyed. */
gs_status gs_jobs_submit_calibration(gs_jobs *jobs, gs_cal_target *targets, size_t n,
                                     const char *key, long *id, gs_err *err);

/* The newest calibration job submitted under key that is queued, running
 * or done, or -1. */
long gs_jobs_find_keyed(gs_jobs *jobs, const char *key);

/* A snapshot of job id as JSON: id, kind, name, state (queued, running,
 * done, failed, cancelled), done, total, unit, and result (done) or error
 * (failed).  NULL when there is no such job. */
json_t *gs_jobs_get(gs_jobs *jobs, long id);

/* Every job, newest first, without results. */
json_t *gs_jobs_list(gs_jobs *jobs);

/* Ask job id to stop: a queued job is cancelled at once, a running one at
 * its next chunk of patients.  Returns 0 when there is no such job, 1
 * otherwise (a finished job stays as it was). */
int gs_jobs_cancel(gs_jobs *jobs, long id);

#endif
