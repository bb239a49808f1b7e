/*
 * population.c - virtual populations: log-normal parameter variability,
 * burn-in to a detected steady state, inclusion criteria.
 *
 * Follows the virtual-patient construction of Miyano, Irvine & Tanaka
 * 2022 (Allergy 77:582): each patient's parameter k is drawn as
 * ln k ~ N(ln k_median, sd_log^2), independently per parameter, and the
 * patient is run to the steady state of the untreated condition, which
 * is the baseline.  Here the median is the person's value of the
 * parameter (its default or the trial's override), the spread comes from
 * a variability file (data/populations/, each spread with its source),
 * and the steady state is detected (gs_solver_steady) rather than assumed
 * after a fixed time.  A draw outside the parameter's allowed range is
 * redrawn (a truncated log-normal), at most MAX_REDRAWS times.
 *
 * Random streams: patient i uses a Mersenne Twister seeded by a
 * splitmix64 hash of (seed, i) (Steele, Lea & Flood 2014), as the Miyano
 * reproduction does, so any subset of patients can be run anywhere.
 *
 * What a trial observes (gs_observe): measurement error and a placebo
 * response per score (docs/trials.md, "Measurement"), drawn as pure
 * functions of (seed, patient, score, day), so the baseline a patient is
 * screened on is the same measurement their endpoints start from.
 */
#include "gutskin/trial.h"

#include <assert.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/yaml_read.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define MAX_REDRAWS 100
#define SD_LOG_MAX 3.0   /* a factor of e^3 = 20 per SD is already extreme */
#define CV_MAX 100.0

/* ---- names of score columns ------------------------------------------ */

int gs_population_column(const gs_population *pop, const char *qualified)
{
    int s = gs_model_find_state(pop->model, qualified);
    if (s >= 0) return s;
    int o = gs_model_find_output(pop->model, qualified);
    return o >= 0 ? (int)gs_model_n_states(pop->model) + o : -1;
}

const char *gs_population_column_name(const gs_population *pop, int column, char *buf,
                                      size_t len)
{
    size_t ns = gs_model_n_states(pop->model);
    assert(column >= 0 && (size_t)column < ns + gs_model_n_outputs(pop->model));
    if ((size_t)column < ns) return gs_model_state_name(pop->model, (size_t)column, buf, len);
    return gs_model_output_name(pop->model, (size_t)column - ns, buf, len);
}

double gs_population_score(gs_model *m, int column, const double *y, double *outs)
{
    size_t ns = gs_model_n_states(m);
    assert(column >= 0);
    if ((size_t)column < ns) return y[column];
    gs_model_outputs(m, y, outs);
    return outs[(size_t)column - ns];
}

/* ---- random streams ---------------------------------------------------- */

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

unsigned long gs_patient_seed(unsigned long seed, long patient)
{
    assert(patient >= 0);
    uint64_t h = splitmix64(splitmix64((uint64_t)seed) ^ (uint64_t)patient);
    return (unsigned long)(h & 0xffffffffUL);  /* mt19937 takes 32 bits */
}

/* ---- what a trial observes ----------------------------------------------- */

/* A standard normal that is a pure function of key: two splitmix64 words
 * as uniforms, Box-Muller (Box & Muller 1958). */
static double keyed_normal(uint64_t key)
{
    uint64_t a = splitmix64(key), b = splitmix64(a ^ 0x5bd1e9955bd1e995ULL);
    double u1 = ((double)(a >> 11) + 0.5) * 0x1.0p-53;  /* (0, 1) */
    double u2 = (double)(b >> 11) * 0x1.0p-53;          /* [0, 1) */
    return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

/* The key of (patient stream, score, day); day -1 is the placebo draw.
 * The constant separates these keys from the parameter stream's seed. */
static uint64_t observation_key(unsigned long seed, long patient, int column, int day)
{
    uint64_t stream = splitmix64(splitmix64((uint64_t)seed) ^ (uint64_t)patient);
    uint64_t k = splitmix64(stream ^ 0x6d6561737572656dULL);
    k = splitmix64(k ^ (uint64_t)(uint32_t)column);
    return splitmix64(k ^ (uint64_t)(int64_t)(day + 2));
}

double gs_observe(const gs_population *pop, unsigned long seed, long patient, int column,
                  int day, double truth)
{
    assert(pop && day >= 0);
    const gs_measurement *ms = NULL;
    for (size_t i = 0; i < pop->n_measure; i++)
        if (pop->measure[i].column == column) ms = &pop->measure[i];
    if (!ms || !isfinite(truth)) return truth;
    double placebo = ms->placebo_percent;
    if (ms->placebo_sd > 0)
        placebo += ms->placebo_sd * keyed_normal(observation_key(seed, patient, column, -1));
    double m = truth;
    if (placebo != 0 && day > 0)
        m = truth * (1.0 + placebo / 100.0 * (1.0 - exp(-(double)day / ms->placebo_days)));
    double sd = sqrt(ms->sd * ms->sd + ms->cv * m * ms->cv * m);
    double observed = m;
    if (sd > 0) observed += sd * keyed_normal(observation_key(seed, patient, column, day));
    if (truth >= 0 && observed < 0) observed = 0;  /* a count or a concentration */
    return observed;
}

/* ---- one patient -------------------------------------------------------- */

/* Draw every varying parameter into params; 0, or -1 with err set. */
static int draw_parameters(const gs_population *pop, gsl_rng *rng, double *params,
                           gs_err *err)
{
    const double *median = gs_model_params_const(pop->model);
    for (size_t v = 0; v < pop->n_vary; v++) {
        const gs_vary *vary = &pop->vary[v];
        const gs_quantity *q = gs_model_param_info(pop->model, (size_t)vary->param);
        double k = NAN;
        for (int attempt = 0; attempt < MAX_REDRAWS; attempt++) {
            double z = gsl_ran_gaussian(rng, 1.0);
            k = median[vary->param] * exp(vary->sd_log * z);
            if (k >= q->lo && k <= q->hi) break;
            k = NAN;
        }
        if (isnan(k)) {
            char name[128];
            gs_model_param_name(pop->model, (size_t)vary->param, name, sizeof name);
            gs_fail(err, GS_ERR_SOLVER, "%d draws of %s (median %g, sd_log %g) all fell "
                    "outside its range %g to %g", MAX_REDRAWS, name, median[vary->param],
                    vary->sd_log, q->lo, q->hi);
            return -1;
        }
        params[vary->param] = k;
    }
    return 0;
}

gs_screen gs_population_screen(const gs_population *pop, unsigned long seed, long patient,
                               gs_model *m, gs_solver *s, double *y, double *outs,
                               size_t *criterion, gs_err *err)
{
    size_t np = gs_model_n_params(m), ns = gs_model_n_states(m);
    assert(np == gs_model_n_params(pop->model));
    double *params = gs_model_params(m);
    memcpy(params, gs_model_params_const(pop->model), np * sizeof *params);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng) {
        gs_fail(err, GS_ERR_NOMEM, "out of memory for a random stream");
        return GS_SCREEN_FAILED;
    }
    gsl_rng_set(rng, gs_patient_seed(seed, patient));
    int drawn = draw_parameters(pop, rng, params, err);
    gsl_rng_free(rng);
    if (drawn != 0) return GS_SCREEN_FAILED;

    memcpy(y, gs_model_initial(m), ns * sizeof *y);
    if (gs_solver_steady(s, &pop->usual, y, pop->burn_in.window, pop->burn_in.tol,
                         pop->burn_in.max_days, NULL, err) != GS_OK) {
        char msg[GS_ERR_MSG_MAX];
        snprintf(msg, sizeof msg, "%s", err->msg);
        gs_fail(err, GS_ERR_SOLVER, "burn-in: %s", msg);
        return GS_SCREEN_FAILED;
    }
    for (size_t c = 0; c < pop->n_include; c++) {
        double v = gs_population_score(m, pop->include[c].column, y, outs);
        /* screened on the measured baseline, as a real trial is: this is
         * where regression to the mean comes from */
        v = gs_observe(pop, seed, patient, pop->include[c].column, 0, v);
        if (!isfinite(v)) {
            char name[128];
            gs_population_column_name(pop, pop->include[c].column, name, sizeof name);
            gs_fail(err, GS_ERR_SOLVER, "baseline: %s is not a finite number", name);
            return GS_SCREEN_FAILED;
        }
        if (v < pop->include[c].lo || v > pop->include[c].hi) {
            *criterion = c;
            return GS_SCREEN_EXCLUDED;
        }
    }
    return GS_SCREEN_INCLUDED;
}

void gs_population_free(gs_population *pop)
{
    if (!pop) return;
    gs_model_free(pop->model);
    gs_schedule_free(&pop->usual);
    for (size_t v = 0; v < pop->n_vary; v++) free(pop->vary[v].source);
    free(pop->vary);
    for (size_t i = 0; i < pop->n_measure; i++) free(pop->measure[i].source);
    free(pop->measure);
    free(pop->include);
    memset(pop, 0, sizeof *pop);
}

/* ---- variability files ------------------------------------------------ */

static gs_status read_vary_entry(const gs_yaml *y, gs_population *pop, struct fy_node *node,
                                 gs_ypos at, size_t index)
{
    char where[64];
    snprintf(where, sizeof where, "variability entry %zu", index + 1);
    gs_yfield f[] = {{"param", NULL, at}, {"cv", NULL, at}, {"sd_log", NULL, at},
                     {"source", NULL, at}, {"about", NULL, at}};
    gs_status st = gs_yaml_fields(y, node, at, where, f, GS_COUNT(f));
    if (st != GS_OK) return st;
    gs_ypos entry = gs_yaml_pos(node, at);
    gs_yfield *param = gs_yaml_field(f, 5, "param"), *cv = gs_yaml_field(f, 5, "cv"),
              *sd = gs_yaml_field(f, 5, "sd_log"), *source = gs_yaml_field(f, 5, "source");
    if (!param->value)
        return gs_yaml_fail(y, entry, "%s is missing 'param' (block.param)", where);
    if (!source->value)
        return gs_yaml_fail(y, entry, "%s is missing 'source': say where the spread comes "
                            "from, or that it is an assumption", where);
    if (!cv->value == !sd->value)
        return gs_yaml_fail(y, entry, "%s needs exactly one of 'cv' (coefficient of "
                            "variation) and 'sd_log' (SD of the natural log)", where);
    const char *name;
    if ((st = gs_yaml_text(y, param->value, param->key_pos, "a parameter name block.param",
                           &name)) != GS_OK)
        return st;
    gs_ypos name_pos = gs_yaml_pos(param->value, param->key_pos);
    int idx = gs_model_find_param(pop->model, name);
    if (idx < 0) {
        gs_model_set_param(pop->model, name, 0, y->err);  /* its message, with a suggestion */
        return gs_yaml_prefix(y, name_pos);
    }
    for (size_t v = 0; v < pop->n_vary; v++)
        if (pop->vary[v].param == idx)
            return gs_yaml_fail(y, name_pos, "parameter %s varies twice (once in an earlier "
                                "entry or file)", name);
    const gs_quantity *q = gs_model_param_info(pop->model, (size_t)idx);
    double median = gs_model_params_const(pop->model)[idx];
    if (median == 0)
        return gs_yaml_fail(y, name_pos, "parameter %s is 0, so a log-normal spread around it "
                            "is 0 too; set a non-zero value in person.params", name);
    if (q->lo == q->hi)
        return gs_yaml_fail(y, name_pos, "parameter %s is fixed (its range is %g to %g) and "
                            "cannot vary", name, q->lo, q->hi);
    double spread;
    if (cv->value) {
        if ((st = gs_yaml_ranged(y, cv->value, cv->key_pos, "cv", 1e-6, CV_MAX, 0,
                                 "as a fraction, 0.3 = 30%", &spread)) != GS_OK)
            return st;
        spread = sqrt(log1p(spread * spread));
    } else if ((st = gs_yaml_ranged(y, sd->value, sd->key_pos, "sd_log", 1e-6, SD_LOG_MAX, 0,
                                    "on the natural log scale", &spread)) != GS_OK) {
        return st;
    }
    char *text = NULL;
    if ((st = gs_yaml_strdup(y, source->value, source->key_pos, "a citation or 'assumption: "
                             "why' for 'source'", &text)) != GS_OK)
        return st;
    gs_vary *grown = realloc(pop->vary, (pop->n_vary + 1) * sizeof *grown);
    if (!grown) {
        free(text);
        return gs_fail(y->err, GS_ERR_NOMEM, "out of memory reading %s", y->path);
    }
    pop->vary = grown;
    pop->vary[pop->n_vary++] = (gs_vary){idx, spread, text};
    return GS_OK;
}

gs_status gs_population_load_variability(gs_population *pop, const char *path, gs_err *err)
{
    assert(pop && pop->model);
    gs_yaml y;
    struct fy_node *root = NULL;
    gs_status st = gs_yaml_open(&y, path, "variability file", &root, err);
    gs_ypos top = {0, 0};
    if (st == GS_OK && !root)
        st = gs_yaml_fail(&y, top, "the file is empty; expected a variability file with "
                          "'name' and 'vary' (see docs/trials.md)");
    gs_yfield f[] = {{"name", NULL, top}, {"about", NULL, top}, {"vary", NULL, top}};
    if (st == GS_OK) st = gs_yaml_fields(&y, root, top, "the variability file", f, 3);
    if (st == GS_OK && !f[2].value)
        st = gs_yaml_fail(&y, gs_yaml_pos(root, top), "the variability file is missing 'vary' "
                          "(a list of {param, cv or sd_log, source})");
    if (st == GS_OK && fy_node_get_type(f[2].value) != FYNT_SEQUENCE)
        st = gs_yaml_fail(&y, gs_yaml_pos(f[2].value, f[2].key_pos),
                          "expected 'vary' as a list of {param, cv or sd_log, source}, got %s",
                          gs_yaml_type_word(f[2].value));
    if (st == GS_OK) {
        void *it = NULL;
        struct fy_node *item;
        size_t i = 0;
        while (st == GS_OK && (item = fy_node_sequence_iterate(f[2].value, &it)) != NULL)
            st = read_vary_entry(&y, pop, item, f[2].key_pos, i++);
    }
    gs_yaml_close(&y);
    return st;
}
