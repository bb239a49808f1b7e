/*
 * miyano2022.c - reproduce the virtual clinical trial of Miyano, Irvine &
 * Tanaka 2022 (Allergy 77:582-594) with the skin_ad block.
 *
 * Protocol (data/reference/miyano2022, shared reference README):
 *   1. Each virtual patient draws ln k_n ~ N(mu_n, |sigma_n|) for the 51
 *      sampled parameters (k4 = d8 follows d8).  Rate constants are per
 *      week in the files and divided by 7 here, exactly as the block's
 *      defaults are (docs/model/skin.md lists which constants are rates).
 *   2. Burn-in: 1000 weeks (7000 days) from the paper's initial state with
 *      no treatment (standard care off, so k3 has no effect); the end
 *      state is the baseline.
 *   3. Ten arms of 24 weeks from the baseline, each with standard care on
 *      (emollient = 1, the sampled k3) and a 99% block of the arm's target
 *      (recombinant IFN-gamma adds 210 to IFN-gamma instead).
 *   4. A patient whose EASI reaches 72 at any daily sample (days 0..168)
 *      of any arm is excluded.  EASI-75 at week w is the share of included
 *      patients whose improvement 100 (EASI_0 - EASI(7w)) / EASI_0 exceeds
 *      75%.
 *
 * Reproducibility: patient i draws from its own Mersenne Twister seeded by
 * a hash of (seed, i), and results are reduced in patient order after the
 * parallel loop, so the output is byte-identical for any thread count.
 * A patient whose integration fails is counted and reported with the
 * solver's message, never dropped silently.
 */
#include "gutskin/reproduce.h"

#include <assert.h>
#include <errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gutskin/model.h"
#include "gutskin/paths.h"
#include "gutskin/solve.h"

#define N_SAMPLED 51
#define N_WEEKS 25           /* weeks 0..24 */
#define TRIAL_DAYS 168       /* 24 weeks */
#define N_DAYS (TRIAL_DAYS + 1)
#define BURN_IN_DAYS 7000.0  /* 1000 weeks */
#define EXCLUSION_EASI 72.0
#define RESPONSE_PERCENT 75.0
#define MAX_REPORTED_FAILURES 20

/* Parameter names in the order of mu.csv / sigma.csv, and whether the
 * constant is a rate (per week in the files, divided by 7 for days). */
static const struct {
    const char *name;
    int per_week;
} sampled[N_SAMPLED] = {
    {"k1", 1},  {"k2", 1},  {"k3", 1},  {"b1", 0},  {"b2", 0},  {"b3", 0},  {"b4", 0},
    {"b5", 0},  {"d1", 1},  {"d2", 1},  {"d3", 0},  {"b6", 0},  {"d4", 0},  {"d5", 0},
    {"d6", 0},  {"d7", 0},  {"b7", 0},  {"b8", 0},  {"d8", 1},  {"k5", 1},  {"k9", 0},
    {"d9", 1},  {"b9", 0},  {"k6", 1},  {"k10", 0}, {"k7", 1},  {"k8", 1},  {"k11", 1},
    {"k12", 1}, {"d10", 1}, {"k13", 1}, {"k14", 1}, {"d11", 1}, {"k15", 1}, {"k16", 1},
    {"d12", 1}, {"k17", 1}, {"k18", 1}, {"d13", 1}, {"k19", 1}, {"k20", 1}, {"d14", 1},
    {"k21", 1}, {"k22", 1}, {"d15", 1}, {"k23", 1}, {"k24", 1}, {"d16", 1}, {"k25", 1},
    {"k26", 1}, {"d17", 1},
};

/* The ten arms: name in the output, intervention dosed, dose. */
static const struct {
    const char *name;
    const char *drug;  /* NULL: standard care only */
    double dose;
} arms[] = {
    {"placebo", NULL, 0},
    {"dupilumab", "dupilumab", 0.99},
    {"nemolizumab", "nemolizumab", 0.99},
    {"tezepelumab", "tezepelumab", 0.99},
    {"gbr830", "gbr830", 0.99},
    {"fezakinumab", "fezakinumab", 0.99},
    {"secukinumab", "secukinumab", 0.99},
    {"rifng", "rifng", 210},
    {"tralokinumab", "tralokinumab", 0.99},
    {"lebrikizumab", "lebrikizumab", 0.99},
};
#define N_ARMS (sizeof arms / sizeof arms[0])

enum patient_fate { INCLUDED, EXCLUDED, FAILED };

typedef struct patient_result {
    enum patient_fate fate;
    double easi0, sb0, ip0;                       /* baseline */
    unsigned char responder[N_ARMS][N_WEEKS];     /* improvement > 75% */
    char *failure;                                /* FAILED: the reason */
} patient_result;

/* Everything the patients share, read-only during the parallel loop. */
typedef struct trial {
    unsigned long seed;
    double mu[N_SAMPLED], sigma[N_SAMPLED];
    int param_index[N_SAMPLED];  /* composed index of each sampled param */
    int sb, ip, easi;            /* composed state / output indices */
    gs_schedule burn_in;
    gs_schedule arm[N_ARMS];
    double times[N_DAYS];
} trial;

/* Read n numbers, one a line, from data/<relative>. */
static gs_status read_column(const char *relative, double *v, size_t n, gs_err *err)
{
    char path[4096];
    gs_status st = gs_data_path(relative, path, sizeof path, err);
    if (st != GS_OK) return st;
    FILE *f = fopen(path, "r");
    if (!f)
        return gs_fail(err, GS_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    char line[256];
    size_t k = 0, lineno = 0;
    st = GS_OK;
    while (st == GS_OK && fgets(line, sizeof line, f)) {
        lineno++;
        char *p = line;
        while (*p == ' ' || *p == '\t') p++;
        if (*p == '\n' || *p == '\r' || *p == '\0') continue;
        char *end;
        errno = 0;
        double x = strtod(p, &end);
        while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n') end++;
        if (end == p || *end != '\0' || errno != 0 || !isfinite(x))
            st = gs_fail(err, GS_ERR_IO, "%s:%zu: expected one number per line", path, lineno);
        else if (k == n)
            st = gs_fail(err, GS_ERR_IO, "%s:%zu: more than %zu values", path, lineno, n);
        else
            v[k++] = x;
    }
    if (st == GS_OK && ferror(f))
        st = gs_fail(err, GS_ERR_IO, "error reading %s", path);
    fclose(f);
    if (st == GS_OK && k != n)
        st = gs_fail(err, GS_ERR_IO, "%s: expected %zu values, found %zu", path, n, k);
    return st;
}

static void trial_free(trial *t)
{
    gs_schedule_free(&t->burn_in);
    for (size_t a = 0; a < N_ARMS; a++) gs_schedule_free(&t->arm[a]);
}

static gs_status trial_init(trial *t, const gs_model *m, gs_err *err)
{
    memset(t, 0, sizeof *t);
    gs_status st = read_column("reference/miyano2022/mu.csv", t->mu, N_SAMPLED, err);
    if (st == GS_OK)
        st = read_column("reference/miyano2022/sigma.csv", t->sigma, N_SAMPLED, err);
    if (st != GS_OK) return st;
    for (size_t n = 0; n < N_SAMPLED; n++) {
        char q[64];
        snprintf(q, sizeof q, "skin_ad.%s", sampled[n].name);
        t->param_index[n] = gs_model_find_param(m, q);
        if (t->param_index[n] < 0)
            return gs_fail(err, GS_ERR_INTERNAL, "miyano2022: block skin_ad has no parameter %s",
                           sampled[n].name);
    }
    t->sb = gs_model_find_state(m, "skin_ad.barrier_integrity");
    t->ip = gs_model_find_state(m, "skin_ad.infiltrated_pathogens");
    t->easi = gs_model_find_output(m, "skin_ad.easi");
    if (t->sb < 0 || t->ip < 0 || t->easi < 0)
        return gs_fail(err, GS_ERR_INTERNAL,
                       "miyano2022: block skin_ad lacks barrier_integrity, "
                       "infiltrated_pathogens or easi");
    for (size_t d = 0; d < N_DAYS; d++) t->times[d] = (double)d;
    if ((st = gs_schedule_init(&t->burn_in, err)) != GS_OK) return st;
    if ((st = gs_schedule_set_baseline(&t->burn_in, "emollient", 0.0, err)) != GS_OK)
        return st;
    for (size_t a = 0; a < N_ARMS; a++) {
        if ((st = gs_schedule_init(&t->arm[a], err)) != GS_OK) return st;
        st = gs_schedule_add(&t->arm[a], "emollient", 0, TRIAL_DAYS, 1.0, err);
        if (st == GS_OK && arms[a].drug)
            st = gs_schedule_add(&t->arm[a], arms[a].drug, 0, TRIAL_DAYS, arms[a].dose, err);
        if (st != GS_OK) return st;
    }
    return GS_OK;
}

/* splitmix64 finaliser: a good 64-bit mix for seeding one stream per patient. */
static uint64_t mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static unsigned long patient_seed(unsigned long seed, int patient)
{
    uint64_t h = mix64(mix64((uint64_t)seed) ^ (uint64_t)(unsigned)patient);
    return (unsigned long)(h & 0xffffffffUL);  /* mt19937 uses 32 bits */
}

static void record_failure(patient_result *r, int patient, const char *where, const gs_err *e)
{
    char msg[GS_ERR_MSG_MAX + 128];
    snprintf(msg, sizeof msg, "patient %d, %s: %s", patient, where, e->msg);
    r->fate = FAILED;
    r->failure = strdup(msg);  /* NULL on OOM: reported as "reason unavailable" */
}

/* Draw one virtual patient, burn in, run every arm.  base holds n_states
 * doubles, buf N_DAYS * n_states, outs one output vector. */
static void simulate_patient(const trial *t, gs_model *m, gs_solver *s, gsl_rng *rng,
                             int patient, double *base, double *buf, double *outs,
                             patient_result *r)
{
    size_t ns = gs_model_n_states(m);
    double *params = gs_model_params(m);
    gs_err e;
    gs_err_clear(&e);
    memset(r, 0, sizeof *r);
    gsl_rng_set(rng, patient_seed(t->seed, patient));
    r->fate = INCLUDED;

    for (size_t n = 0; n < N_SAMPLED; n++) {
        double z = gsl_ran_gaussian(rng, 1.0);
        double k = exp(t->mu[n] + fabs(t->sigma[n]) * z);
        params[t->param_index[n]] = sampled[n].per_week ? k / 7.0 : k;
    }

    assert(t->sb >= 0 && (size_t)t->sb < ns && t->ip >= 0 && (size_t)t->ip < ns);
    double burn_time = BURN_IN_DAYS;
    if (gs_solver_run(s, &t->burn_in, 0.0, gs_model_initial(m), &burn_time, 1, base, &e) !=
        GS_OK) {
        record_failure(r, patient, "burn-in", &e);
        return;
    }
    gs_model_outputs(m, base, outs);
    r->easi0 = outs[t->easi];
    r->sb0 = base[t->sb];
    r->ip0 = base[t->ip];
    if (!(r->easi0 > 0)) {
        gs_fail(&e, GS_ERR_SOLVER, "baseline EASI is %g, so improvement is undefined",
                r->easi0);
        record_failure(r, patient, "baseline", &e);
        return;
    }
    for (size_t a = 0; a < N_ARMS; a++) {
        if (gs_solver_run(s, &t->arm[a], 0.0, base, t->times, N_DAYS, buf, &e) != GS_OK) {
            char where[64];
            snprintf(where, sizeof where, "arm %s", arms[a].name);
            record_failure(r, patient, where, &e);
            return;
        }
        for (size_t d = 0; d < N_DAYS; d++) {
            gs_model_outputs(m, buf + d * ns, outs);
            double easi = outs[t->easi];
            if (easi >= EXCLUSION_EASI) r->fate = EXCLUDED;
            if (d % 7 == 0) {
                double improvement = 100.0 * (r->easi0 - easi) / r->easi0;
                r->responder[a][d / 7] = improvement > RESPONSE_PERCENT;
            }
        }
        if (r->fate == EXCLUDED) return;  /* no need to run the other arms */
    }
}

/* Per-thread work: a model clone, a solver, a random stream, buffers. */
static gs_status run_patients(const trial *t, const gs_model *proto, int patients,
                              int threads, patient_result *results, gs_err *err)
{
    int setup_failed = 0;
    gs_err setup_err;
    gs_err_clear(&setup_err);
    if (threads <= 0) threads = omp_get_max_threads();
    const gsl_rng_type *rng_type = gsl_rng_mt19937;

#pragma omp parallel num_threads(threads) default(none) \
    shared(t, proto, patients, results, setup_failed, setup_err, rng_type)
    {
        gs_err e;
        gs_err_clear(&e);
        gs_model *m = gs_model_clone(proto);
        gs_solver *s = NULL;
        gsl_rng *rng = gsl_rng_alloc(rng_type);
        size_t ns = m ? gs_model_n_states(m) : 0;
        double *buf = m ? malloc(N_DAYS * ns * sizeof *buf) : NULL;
        double *base = m ? malloc(ns * sizeof *base) : NULL;
        double *outs = m ? malloc((gs_model_n_outputs(m) + 1) * sizeof *outs) : NULL;
        gs_status st = (m && rng && buf && base && outs)
                           ? gs_solver_new(m, NULL, &s, &e)
                           : gs_fail(&e, GS_ERR_NOMEM, "out of memory setting up a thread");
        if (st != GS_OK) {
#pragma omp critical(miyano_setup)
            {
                if (!setup_failed) setup_err = e;
                setup_failed = 1;
            }
        }
        /* Every thread must reach the worksharing loop; a thread that
         * failed its setup skips the work of its iterations, and the
         * whole run is then reported as failed. */
#pragma omp for schedule(dynamic, 4)
        for (int i = 0; i < patients; i++) {
            if (st != GS_OK) continue;
            simulate_patient(t, m, s, rng, i, base, buf, outs, &results[i]);
        }
        free(outs);
        free(base);
        free(buf);
        if (rng) gsl_rng_free(rng);
        gs_solver_free(s);
        gs_model_free(m);
    }
    if (setup_failed) {
        if (err) *err = setup_err;
        return setup_err.status;
    }
    return GS_OK;
}

static json_t *number_or_null(double v, int defined)
{
    return defined ? json_real(v) : json_null();
}

/* Reduce the patients in index order (so sums do not depend on threads). */
static json_t *summarise(const trial *t, int patients, const patient_result *results)
{
    long included = 0, excluded = 0, failed = 0;
    long responders[N_ARMS][N_WEEKS];
    memset(responders, 0, sizeof responders);
    double sum_easi = 0, sum_sb = 0, sum_ip = 0;
    json_t *failures = json_array();
    for (int i = 0; i < patients; i++) {
        const patient_result *r = &results[i];
        if (r->fate == FAILED) {
            failed++;
            if (json_array_size(failures) < MAX_REPORTED_FAILURES)
                json_array_append_new(failures,
                                      json_string(r->failure ? r->failure
                                                             : "reason unavailable (out of memory)"));
            continue;
        }
        if (r->fate == EXCLUDED) {
            excluded++;
            continue;
        }
        included++;
        sum_easi += r->easi0;
        sum_sb += r->sb0;
        sum_ip += r->ip0;
        for (size_t a = 0; a < N_ARMS; a++)
            for (size_t w = 0; w < N_WEEKS; w++) responders[a][w] += r->responder[a][w];
    }
    json_t *weeks = json_array();
    for (int w = 0; w < N_WEEKS; w++) json_array_append_new(weeks, json_integer(w));
    json_t *easi75 = json_object();
    for (size_t a = 0; a < N_ARMS; a++) {
        json_t *series = json_array();
        for (size_t w = 0; w < N_WEEKS; w++)
            json_array_append_new(series, number_or_null(100.0 * (double)responders[a][w] /
                                                             (double)(included ? included : 1),
                                                         included > 0));
        json_object_set_new(easi75, arms[a].name, series);
    }
    double k = (double)(included ? included : 1);
    json_t *baseline = json_object();
    json_object_set_new(baseline, "EASI", number_or_null(sum_easi / k, included > 0));
    json_object_set_new(baseline, "SB", number_or_null(sum_sb / k, included > 0));
    json_object_set_new(baseline, "IP", number_or_null(sum_ip / k, included > 0));
    json_t *out = json_object();
    json_object_set_new(out, "model", json_string("miyano2022"));
    json_object_set_new(out, "patients", json_integer(patients));
    json_object_set_new(out, "seed", json_integer((json_int_t)t->seed));
    json_object_set_new(out, "included", json_integer(included));
    json_object_set_new(out, "weeks", weeks);
    json_object_set_new(out, "easi75", easi75);
    json_object_set_new(out, "baseline_mean", baseline);
    json_object_set_new(out, "excluded", json_integer(excluded));
    json_object_set_new(out, "failed", json_integer(failed));
    json_object_set_new(out, "failures", failures);
    return out;
}

gs_status gs_reproduce_miyano2022(int patients, unsigned long seed, int threads,
                                  json_t **out, gs_err *err)
{
    *out = NULL;
    if (patients < 1)
        return gs_fail(err, GS_ERR_INPUT, "miyano2022: the number of patients must be at least 1, "
                                          "not %d", patients);
    const char *names[] = {"skin_ad"};
    gs_model *m = NULL;
    gs_status st = gs_model_compose(names, 1, &m, err);
    if (st != GS_OK) return st;
    trial *t = malloc(sizeof *t);
    patient_result *results = calloc((size_t)patients, sizeof *results);
    if (!t || !results) {
        free(t);
        free(results);
        gs_model_free(m);
        return gs_fail(err, GS_ERR_NOMEM, "miyano2022: out of memory for %d patients", patients);
    }
    st = trial_init(t, m, err);
    t->seed = seed;
    if (st == GS_OK) st = run_patients(t, m, patients, threads, results, err);
    if (st == GS_OK) {
        *out = summarise(t, patients, results);
        if (!*out) st = gs_fail(err, GS_ERR_NOMEM, "miyano2022: out of memory writing the result");
    }
    for (int i = 0; i < patients; i++) free(results[i].failure);
    free(results);
    trial_free(t);
    free(t);
    gs_model_free(m);
    return st;
}
