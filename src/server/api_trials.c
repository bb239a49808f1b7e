/*
 * api_trials.c - in-silico trials and the calibration report as jobs
 * (jobs.h): submit, watch, cancel, read.
 *
 * An uploaded trial is YAML text.  The trial layer reads files, and a
 * trial names its variability files relative to itself
 * ("../populations/acne.yaml", as the examples do), so the upload is
 * written to a private temporary directory laid out like data/ (trials/
 * beside a link to data/populations/), loaded, and the directory removed;
 * error sentences name the upload, not the temporary path.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gutskin/calibrate.h"
#include "gutskin/paths.h"
#include "gutskin/trial.h"
#include "server/http.h"
#include "server/jobs.h"

#define UPLOAD_NAME_DEFAULT "upload.yaml"
/* Patients a job may screen.  A job runs in chunks and each chunk sets up
 * results for the whole trial (the trial layer's shape), so the cost of
 * chunking grows with the square of the size; larger trials belong to
 * `gutskin trial` (and --mpi). */
#define JOB_PATIENTS_MAX 200000L

/* Replace every occurrence of from in s (in place, s has room len). */
static void replace_all(char *s, size_t len, const char *from, const char *to)
{
    char out[GS_ERR_MSG_MAX];
    size_t fl = strlen(from), o = 0;
    if (!fl) return;
    for (const char *p = s; *p && o + 1 < sizeof out;) {
        if (strncmp(p, from, fl) == 0) {
            o += (size_t)snprintf(out + o, sizeof out - o, "%s", to);
            if (o >= sizeof out) o = sizeof out - 1;
            p += fl;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = '\0';
    snprintf(s, len, "%s", out);
}

/* Load YAML text as a trial named label (see the file comment). */
static gs_status load_upload(const char *yaml, size_t len, const char *label, gs_trial *t,
                             gs_err *err)
{
    memset(t, 0, sizeof *t);
    const char *tmp = getenv("TMPDIR");
    char dir[512], trials[600], file[700], link[600], pops[4200];
    snprintf(dir, sizeof dir, "%s/gutskin-upload-XXXXXX", tmp && tmp[0] == '/' ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return gs_fail(err, GS_ERR_IO, "cannot make a temporary directory for the upload: %s",
                       strerror(errno));
    snprintf(trials, sizeof trials, "%s/trials", dir);
    snprintf(file, sizeof file, "%s/%s", trials, UPLOAD_NAME_DEFAULT);
    snprintf(link, sizeof link, "%s/populations", dir);
    gs_status st = gs_data_path("populations", pops, sizeof pops, err);
    int fd = -1;
    if (st == GS_OK && (mkdir(trials, 0700) != 0 || symlink(pops, link) != 0 ||
                        (fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0 ||
                        write(fd, yaml, len) != (ssize_t)len))
        st = gs_fail(err, GS_ERR_IO, "cannot write the upload to a temporary file: %s",
                     strerror(errno));
    if (fd >= 0) close(fd);
    if (st == GS_OK) {
        st = gs_trial_load(file, t, err);
        if (st != GS_OK) replace_all(err->msg, sizeof err->msg, file, label);
        else {
            free(t->path);
            if (!(t->path = strdup(label))) st = gs_fail(err, GS_ERR_NOMEM, "out of memory");
        }
    }
    unlink(file);
    unlink(link);
    rmdir(trials);
    rmdir(dir);
    return st;
}

static void describe_trial(const char *path, json_t *o)
{
    gs_trial t;
    gs_err err;
    if (gs_trial_load(path, &t, &err) == GS_OK) {
        json_object_set_new(o, "title", json_string(t.name));
        json_object_set_new(o, "patients", json_integer(t.patients));
        json_object_set_new(o, "days", json_integer(t.days));
        json_t *arms = json_array();
        for (size_t a = 0; a < t.n_arms; a++)
            json_array_append_new(arms, json_string(t.arms[a].name));
        json_object_set_new(o, "arms", arms);
    }
    gs_trial_free(&t);
}

void gs_api_trials_list(gs_request *rq, gs_reply *rp)
{
    json_t *o = json_pack("{s:o, s:o}", "examples", gs_server_examples("trials", describe_trial),
                          "jobs", gs_jobs_list(rq->ctx->jobs));
    gs_reply_json(rp, 200, o);
}

void gs_api_trial_example(gs_request *rq, gs_reply *rp)
{
    char rel[128], path[4200];
    gs_err err;
    FILE *f = NULL;
    if (gs_server_safe_name(rq->param[0], rq->param_len[0])) {
        snprintf(rel, sizeof rel, "trials/%.*s.yaml", (int)rq->param_len[0], rq->param[0]);
        if (gs_data_path(rel, path, sizeof path, &err) == GS_OK) f = fopen(path, "rb");
    }
    if (!f) {
        gs_reply_error(rp, 404, "name", "no example trial by that name; GET /api/v1/trials "
                       "lists them");
        return;
    }
    char buf[65536];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    gs_reply_json(rp, 200, json_pack("{s:s#, s:s#}", "name", rq->param[0],
                                     (int)rq->param_len[0], "yaml", buf, (int)n));
}

/* Optional whole-number field key of body within [lo, hi] into *out. */
static int whole_field(json_t *body, const char *key, long long lo, long long hi,
                       long long *out, gs_reply *rp)
{
    json_t *v = json_object_get(body, key);
    if (!v) return 1;
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
        gs_reply_error(rp, 400, key, "'%s' must be a whole number from %lld to %lld", key, lo,
                       hi);
        return 0;
    }
    *out = json_integer_value(v);
    return 1;
}

void gs_api_trial_submit(gs_request *rq, gs_reply *rp)
{
    json_t *body = gs_request_json(rq, rp);
    if (!body) return;
    static const char *const keys[] = {"example", "yaml", "name", "patients", "seed"};
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v) {
        size_t i = 0;
        while (i < 5 && strcmp(keys[i], key) != 0) i++;
        if (i == 5) {
            gs_reply_error(rp, 400, key, "unknown key '%s'; expected example (a name from GET "
                           "/api/v1/trials) or yaml (a trial file's text), and optionally "
                           "name, patients, seed", key);
            json_decref(body);
            return;
        }
    }
    json_t *example = json_object_get(body, "example"), *yaml = json_object_get(body, "yaml"),
           *name = json_object_get(body, "name");
    long long patients = 0, seed = -1;
    if (!whole_field(body, "patients", 2, JOB_PATIENTS_MAX, &patients, rp) ||
        !whole_field(body, "seed", 0, 4294967295LL, &seed, rp)) {
        json_decref(body);
        return;
    }
    if (!example == !yaml) {
        gs_reply_error(rp, 400, example ? "yaml" : "example", "give exactly one of 'example' "
                       "(a name from GET /api/v1/trials) and 'yaml' (a trial file's text)");
        json_decref(body);
        return;
    }
    if ((example && !json_is_string(example)) || (yaml && !json_is_string(yaml)) ||
        (name && !json_is_string(name))) {
        gs_reply_error(rp, 400, example && !json_is_string(example) ? "example"
                                : yaml && !json_is_string(yaml) ? "yaml" : "name",
                       "expected text");
        json_decref(body);
        return;
    }
    gs_trial t;
    gs_err err;
    gs_err_clear(&err);
    gs_status st;
    char label[128];
    if (example) {
        const char *ex = json_string_value(example);
        char rel[128], path[4200];
        if (!gs_server_safe_name(ex, strlen(ex))) {
            gs_reply_error(rp, 400, "example", "no example trial '%s'; GET /api/v1/trials lists "
                           "them", ex);
            json_decref(body);
            return;
        }
        snprintf(rel, sizeof rel, "trials/%s.yaml", ex);
        snprintf(label, sizeof label, "%s", ex);
        st = gs_data_path(rel, path, sizeof path, &err);
        if (st == GS_OK && access(path, R_OK) != 0) {
            gs_reply_error(rp, 400, "example", "no example trial '%s'; GET /api/v1/trials "
                           "lists them", ex);
            json_decref(body);
            return;
        }
        memset(&t, 0, sizeof t);
        if (st == GS_OK) st = gs_trial_load(path, &t, &err);
    } else {
        snprintf(label, sizeof label, "%s", name ? json_string_value(name) : UPLOAD_NAME_DEFAULT);
        st = load_upload(json_string_value(yaml), json_string_length(yaml), label, &t, &err);
    }
    int from_example = example != NULL;
    json_decref(body);
    if (st != GS_OK) {
        gs_reply_error(rp, st == GS_ERR_INPUT ? 400 : 500,
                       st != GS_ERR_INPUT ? NULL : from_example ? "example" : "yaml", "%s",
                       err.msg);
        gs_trial_free(&t);
        return;
    }
    if (patients) t.patients = (long)patients;
    if (seed >= 0) t.seed = (unsigned long)seed;
    long id;
    if (gs_jobs_submit_trial(rq->ctx->jobs, &t, label, &id, &err) != GS_OK) {
        gs_reply_error(rp, 503, NULL, "%s", err.msg);
        return;
    }
    json_t *job = gs_jobs_get(rq->ctx->jobs, id);
    snprintf(rp->location, sizeof rp->location, "/api/v1/trials/%ld", id);
    gs_reply_json(rp, 202, job);
}

/* The job id in the path, or -1. */
static long path_id(const gs_request *rq)
{
    long id = 0;
    for (size_t i = 0; i < rq->param_len[0]; i++) {
        char c = rq->param[0][i];
        if (c < '0' || c > '9' || id > 100000000L) return -1;
        id = id * 10 + (c - '0');
    }
    return id;
}

void gs_api_trial_get(gs_request *rq, gs_reply *rp)
{
    long id = path_id(rq);
    json_t *job = id > 0 ? gs_jobs_get(rq->ctx->jobs, id) : NULL;
    if (!job) {
        gs_reply_error(rp, 404, "id", "no trial job %.*s (jobs are kept until %d newer ones "
                       "finish, and not across restarts)", (int)rq->param_len[0], rq->param[0],
                       GS_JOBS_MAX);
        return;
    }
    gs_reply_json(rp, 200, job);
}

void gs_api_trial_cancel(gs_request *rq, gs_reply *rp)
{
    long id = path_id(rq);
    if (id <= 0 || !gs_jobs_cancel(rq->ctx->jobs, id)) {
        gs_reply_error(rp, 404, "id", "no trial job %.*s", (int)rq->param_len[0], rq->param[0]);
        return;
    }
    gs_reply_json(rp, 200, gs_jobs_get(rq->ctx->jobs, id));
}

static int is_target_file(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    return strcmp(base, "fit.yaml") != 0 && strcmp(base, "fitted.yaml") != 0;
}

/* GET /api/v1/calibration[?patients=N&seed=S]: the report of `gutskin
 * calibrate`.  It takes seconds to minutes, so the first request starts a
 * job and answers 202 with its progress; later requests with the same
 * options answer from that job (200 with the report once done). */
void gs_api_calibration(gs_request *rq, gs_reply *rp)
{
    long long patients = 0, seed = -1;
    const char *qp = gs_request_query(rq, "patients"), *qs = gs_request_query(rq, "seed");
    char *end;
    if (qp) {
        patients = strtoll(qp, &end, 10);
        if (!*qp || *end || patients < 2 || patients > JOB_PATIENTS_MAX) {
            gs_reply_error(rp, 400, "patients", "?patients= must be a whole number from 2 to %ld",
                           JOB_PATIENTS_MAX);
            return;
        }
    }
    if (qs) {
        seed = strtoll(qs, &end, 10);
        if (!*qs || *end || seed < 0 || seed > 4294967295LL) {
            gs_reply_error(rp, 400, "seed", "?seed= must be a whole number from 0 to 4294967295");
            return;
        }
    }
    char key[128];
    snprintf(key, sizeof key, "patients=%lld&seed=%lld", patients, seed);
    long id = gs_jobs_find_keyed(rq->ctx->jobs, key);
    if (id < 0) {
        char pattern[4200];
        gs_err err;
        gs_err_clear(&err);
        if (gs_data_path("calibration", pattern, sizeof pattern - 16, &err) != GS_OK) {
            gs_reply_error(rp, 500, NULL, "%s", err.msg);
            return;
        }
        strcat(pattern, "/*.yaml");
        glob_t g;
        if (glob(pattern, 0, NULL, &g) != 0) {
            gs_reply_error(rp, 500, NULL, "no calibration files match %s", pattern);
            return;
        }
        gs_cal_target *targets = calloc(g.gl_pathc, sizeof *targets);
        size_t n = 0;
        gs_status st = targets ? GS_OK : gs_fail(&err, GS_ERR_NOMEM, "out of memory");
        for (size_t i = 0; st == GS_OK && i < g.gl_pathc; i++) {
            if (!is_target_file(g.gl_pathv[i])) continue;
            gs_cal_target *t = &targets[n++];
            if ((st = gs_cal_target_load(g.gl_pathv[i], t, &err)) != GS_OK) break;
            if (patients) t->trial.patients = (long)patients;
            if (seed >= 0) t->trial.seed = (unsigned long)seed;
        }
        globfree(&g);
        if (st != GS_OK) {
            for (size_t i = 0; i < n; i++) gs_cal_target_free(&targets[i]);
            free(targets);
            gs_reply_error(rp, 500, NULL, "%s", err.msg);
            return;
        }
        if (gs_jobs_submit_calibration(rq->ctx->jobs, targets, n, key, &id, &err) != GS_OK) {
            gs_reply_error(rp, 503, NULL, "%s", err.msg);
            return;
        }
    }
    json_t *job = gs_jobs_get(rq->ctx->jobs, id);
    const char *state = job ? json_string_value(json_object_get(job, "state")) : NULL;
    gs_reply_json(rp, state && strcmp(state, "done") == 0 ? 200 : 202, job);
}
