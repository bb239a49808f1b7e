/*
 * stein2013.c - reproduce Stein RR et al., PLoS Comput Biol 2013;9:e1003388:
 * the 11-genus generalised Lotka-Volterra model of the mouse gut with
 * clindamycin, run against the measured series it was inferred from.
 *
 * The model is the reference block gut_mouse_stein2013 with the published
 * parameters.  The measured series (data/reference/stein2013/stein_ic.csv,
 * one column per sample) covers nine mice: population 1 without
 * antibiotic, population 2 with one clindamycin dose on day 0, population
 * 3 with the dose and C. difficile appearing afterwards.  For each mouse:
 *
 *  - the first sample is the initial state;
 *  - u(t) = 1 from each sample whose clindamycin signal is 1 until the next
 *    sample (day 0 to day 2 here), 0 otherwise.  Stein inferred the
 *    parameters from the discretised model, in which the signal of sample
 *    k multiplies the whole interval to sample k+1, so this is the window
 *    the susceptibilities were fitted with.  The alternative reading, a
 *    one-day pulse on [0, 1) (used by Jones & Carlson 2018 with these
 *    parameters), is run as a sensitivity and its overall error reported;
 *  - a genus absent (0) at the first sample and present later cannot
 *    appear in a gLV model, so it is introduced at its first positive
 *    sample with the measured density (C. difficile in population 3,
 *    gavaged after the antibiotic);
 *  - each constant piece of u and each introduction is its own initial
 *    value problem, so no step is smoothed over.
 *
 * Error per genus: over every sample after the first of every mouse,
 * d = log10(simulated + f) - log10(measured + f) with f = 1e-6 (1e5 copies
 * per cm^3, about the smallest positive density in the data), summarised as
 * the root mean square (rmse_log10) and mean (bias_log10).  For scale, the
 * same statistic is given for the persistence forecast that predicts the
 * first sample for ever (rmse_log10_persistence).
 */
#include "gutskin/reproduce.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gutskin/model.h"
#include "gutskin/paths.h"
#include "gutskin/solve.h"

#define N_GENERA 11
#define BLOCK "gut_mouse_stein2013"
#define DATA_FILE "reference/stein2013/stein_ic.csv"
#define FLOOR 1e-6        /* added before log10: see the header comment */
#define MAX_SEGMENTS 64

/* Row names of the published series, in the block's state order. */
static const char *const published_names[N_GENERA] = {
    "Barnesiella", "undefined_genus_of_Lachnospiraceae", "unclassified_Lachnospiraceae",
    "Other", "Blautia", "undefined_genus_of_unclassified_Mollicutes", "Akkermansia",
    "Coprobacillus", "Clostridium_difficile", "Enterococcus",
    "undefined_genus_of_Enterobacteriaceae",
};

/* The measured table: one column per sample. */
typedef struct samples {
    size_t n;
    double *population, *replicate, *id, *time, *signal;
    double *density[N_GENERA];
} samples;

typedef enum exposure_rule { TO_NEXT_SAMPLE, ONE_DAY } exposure_rule;

static void samples_free(samples *s)
{
    free(s->population);
    free(s->replicate);
    free(s->id);
    free(s->time);
    free(s->signal);
    for (int g = 0; g < N_GENERA; g++) free(s->density[g]);
    memset(s, 0, sizeof *s);
}

/* The row a line's name belongs in, or NULL for rows we do not use. */
static double **row_for(samples *s, const char *name)
{
    if (strcmp(name, "Population") == 0) return &s->population;
    if (strcmp(name, "Replicate") == 0) return &s->replicate;
    if (strcmp(name, "ID") == 0) return &s->id;
    if (strcmp(name, "time (in d)") == 0) return &s->time;
    if (strcmp(name, "Clindamycin signal") == 0) return &s->signal;
    for (int g = 0; g < N_GENERA; g++)
        if (strcmp(name, published_names[g]) == 0) return &s->density[g];
    return NULL;
}

/* Parse the numeric fields after the row name of one line into *row. */
static gs_status parse_row(char *fields, const char *path, long line, const char *name,
                           samples *s, double **row, gs_err *err)
{
    size_t n = 1;
    for (const char *c = fields; *c; c++) n += *c == ',';
    if (s->n == 0) s->n = n;
    if (n != s->n)
        return gs_fail(err, GS_ERR_INPUT, "%s:%ld: row '%s' has %zu samples, expected %zu",
                       path, line, name, n, s->n);
    if (*row)
        return gs_fail(err, GS_ERR_INPUT, "%s:%ld: row '%s' appears twice", path, line, name);
    *row = malloc(n * sizeof **row);
    if (!*row) return gs_fail(err, GS_ERR_NOMEM, "out of memory reading %s", path);
    char *field = fields;
    for (size_t k = 0; k < n; k++) {
        char *comma = strchr(field, ',');
        if (comma) *comma = '\0';
        char *end;
        errno = 0;
        double v = strtod(field, &end);
        if (end == field || *end != '\0' || errno != 0 || !isfinite(v) || v < 0)
            return gs_fail(err, GS_ERR_INPUT,
                           "%s:%ld: row '%s', sample %zu: '%s' is not a non-negative number",
                           path, line, name, k + 1, field);
        (*row)[k] = v;
        field = comma ? comma + 1 : field + strlen(field);
    }
    return GS_OK;
}

static gs_status check_complete(const samples *s, const char *path, gs_err *err)
{
    if (!s->population || !s->replicate || !s->id || !s->time || !s->signal)
        return gs_fail(err, GS_ERR_INPUT,
                       "%s: a row is missing (Population, Replicate, ID, time (in d) and "
                       "Clindamycin signal are required)", path);
    for (int g = 0; g < N_GENERA; g++)
        if (!s->density[g])
            return gs_fail(err, GS_ERR_INPUT, "%s: the row of genus '%s' is missing", path,
                           published_names[g]);
    return GS_OK;
}

static gs_status read_samples(samples *s, gs_err *err)
{
    char path[4096];
    gs_status st = gs_data_path(DATA_FILE, path, sizeof path, err);
    if (st != GS_OK) return st;
    FILE *f = fopen(path, "r");
    if (!f) return gs_fail(err, GS_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    char *buf = NULL;
    size_t cap = 0;
    long line = 0;
    while (st == GS_OK && getline(&buf, &cap, f) != -1) {
        line++;
        buf[strcspn(buf, "\r\n")] = '\0';
        char *comma = strchr(buf, ',');
        if (!comma) continue;
        *comma = '\0';
        double **row = row_for(s, buf);
        if (row) st = parse_row(comma + 1, path, line, buf, s, row, err);
    }
    if (st == GS_OK && ferror(f)) st = gs_fail(err, GS_ERR_IO, "cannot read %s", path);
    free(buf);
    fclose(f);
    if (st == GS_OK) st = check_complete(s, path, err);
    return st;
}

/* One mouse: the columns of its samples, in time order. */
typedef struct mouse {
    int id, population, replicate;
    size_t n;
    size_t *cols;
} mouse;

/* Breakpoints of the piecewise problem of one mouse: exposure window
 * edges and introduction times, sorted and unique, after t0. */
static size_t breakpoints(const samples *s, const mouse *m, exposure_rule rule,
                          double *bp, size_t cap)
{
    size_t n = 0;
    double t0 = s->time[m->cols[0]], tend = s->time[m->cols[m->n - 1]];
    for (size_t k = 0; k < m->n && n + 2 <= cap; k++) {
        size_t c = m->cols[k];
        if (s->signal[c] > 0) {
            double stop = rule == ONE_DAY || k + 1 == m->n ? s->time[c] + 1.0
                                                          : s->time[m->cols[k + 1]];
            bp[n++] = s->time[c];
            bp[n++] = stop;
        }
        for (int g = 0; g < N_GENERA && n < cap; g++)
            if (k > 0 && s->density[g][m->cols[0]] == 0 && s->density[g][c] > 0 &&
                s->density[g][m->cols[k - 1]] == 0)
                bp[n++] = s->time[c];
    }
    /* sort, drop duplicates and anything outside (t0, tend) */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && bp[j - 1] > bp[j]; j--) {
            double t = bp[j];
            bp[j] = bp[j - 1];
            bp[j - 1] = t;
        }
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (bp[i] > t0 && bp[i] < tend && (u == 0 || bp[i] > bp[u - 1])) bp[u++] = bp[i];
    return u;
}

/* Is u = 1 on the piece that starts at t? */
static int exposed_at(const samples *s, const mouse *m, exposure_rule rule, double t)
{
    for (size_t k = 0; k < m->n; k++) {
        size_t c = m->cols[k];
        if (s->signal[c] <= 0) continue;
        double stop = rule == ONE_DAY || k + 1 == m->n ? s->time[c] + 1.0
                                                      : s->time[m->cols[k + 1]];
        if (t >= s->time[c] && t < stop) return 1;
    }
    return 0;
}

/* Simulate one mouse; sim[k * N_GENERA + g] at the mouse's sample k. */
static gs_status simulate_mouse(gs_model *model, gs_solver *solver, const gs_schedule *sched,
                                int exposure_param, const samples *s, const mouse *m,
                                exposure_rule rule, double *sim, gs_err *err)
{
    double bp[MAX_SEGMENTS];
    size_t n_bp = breakpoints(s, m, rule, bp, MAX_SEGMENTS);
    double y[N_GENERA];
    for (int g = 0; g < N_GENERA; g++) y[g] = sim[g] = s->density[g][m->cols[0]];
    double *params = gs_model_params(model);
    double times[MAX_SEGMENTS + 1], out[(MAX_SEGMENTS + 1) * N_GENERA];
    size_t next = 1;  /* next sample to fill */
    double t = s->time[m->cols[0]];
    for (size_t seg = 0; seg <= n_bp; seg++) {
        double stop = seg < n_bp ? bp[seg] : s->time[m->cols[m->n - 1]];
        size_t nt = 0, first = next;
        while (next < m->n && s->time[m->cols[next]] <= stop && nt < MAX_SEGMENTS)
            times[nt++] = s->time[m->cols[next++]];
        int ends_on_sample = nt > 0 && times[nt - 1] == stop;
        if (!ends_on_sample) times[nt++] = stop;
        params[exposure_param] = exposed_at(s, m, rule, t) ? 1.0 : 0.0;
        gs_status st = gs_solver_run(solver, sched, t, y, times, nt, out, err);
        if (st != GS_OK) {
            char msg[GS_ERR_MSG_MAX];
            snprintf(msg, sizeof msg, "%s", err ? err->msg : "");
            return gs_fail(err, st, "stein2013, mouse %d: %s", m->id, msg);
        }
        for (size_t k = 0; k < nt - (ends_on_sample ? 0 : 1); k++)
            memcpy(sim + (first + k) * N_GENERA, out + k * N_GENERA, sizeof y);
        memcpy(y, out + (nt - 1) * N_GENERA, sizeof y);
        t = stop;
        /* introductions at this breakpoint: absent at first, measured now */
        for (size_t k = 1; k < m->n; k++) {
            size_t c = m->cols[k];
            if (s->time[c] != t) continue;
            for (int g = 0; g < N_GENERA; g++)
                if (s->density[g][m->cols[0]] == 0 && s->density[g][m->cols[k - 1]] == 0 &&
                    s->density[g][c] > 0 && y[g] == 0) {
                    y[g] = s->density[g][c];
                    sim[k * N_GENERA + g] = y[g];
                }
        }
    }
    params[exposure_param] = 0.0;
    assert(next == m->n);
    return GS_OK;
}

/* Group the columns into mice, in order of first appearance. */
static gs_status group_mice(const samples *s, mouse **out, size_t *n_out, gs_err *err)
{
    mouse *mice = calloc(s->n, sizeof *mice);
    if (!mice) return gs_fail(err, GS_ERR_NOMEM, "out of memory grouping samples");
    size_t n = 0;
    for (size_t c = 0; c < s->n; c++) {
        size_t i = 0;
        while (i < n && mice[i].id != (int)s->id[c]) i++;
        if (i == n) {
            mice[n].id = (int)s->id[c];
            mice[n].population = (int)s->population[c];
            mice[n].replicate = (int)s->replicate[c];
            mice[n].cols = malloc(s->n * sizeof(size_t));
            if (!mice[n].cols) {
                for (size_t j = 0; j < n; j++) free(mice[j].cols);
                free(mice);
                return gs_fail(err, GS_ERR_NOMEM, "out of memory grouping samples");
            }
            n++;
        }
        mouse *m = &mice[i];
        if (m->n > 0 && s->time[c] <= s->time[m->cols[m->n - 1]]) {
            gs_fail(err, GS_ERR_INPUT,
                    "%s: the samples of mouse %d are not in increasing time "
                    "(day %g after day %g)", DATA_FILE, m->id, s->time[c],
                    s->time[m->cols[m->n - 1]]);
            for (size_t j = 0; j < n; j++) free(mice[j].cols);
            free(mice);
            return GS_ERR_INPUT;
        }
        m->cols[m->n++] = c;
    }
    for (size_t i = 0; i < n; i++) {
        if (mice[i].n > MAX_SEGMENTS) {
            int id = mice[i].id;
            for (size_t j = 0; j < n; j++) free(mice[j].cols);
            free(mice);
            return gs_fail(err, GS_ERR_INPUT, "%s: mouse %d has more than %d samples",
                           DATA_FILE, id, MAX_SEGMENTS);
        }
    }
    *out = mice;
    *n_out = n;
    return GS_OK;
}

static json_t *series_object(const char *const *names, const double *values, size_t n,
                             size_t stride)
{
    json_t *o = json_object();
    for (int g = 0; g < N_GENERA; g++) {
        json_t *a = json_array();
        for (size_t k = 0; k < n; k++) json_array_append_new(a, json_real(values[k * stride + g]));
        json_object_set_new(o, names[g], a);
    }
    return o;
}

/* Accumulated error statistics of one genus (or all). */
typedef struct err_acc {
    double sq, sum, sq_persist;
    long n;
} err_acc;

static double lg(double x) { return log10(x + FLOOR); }

/* Run every mouse under one exposure rule.  With mice_json != NULL, the
 * per-mouse series are appended to it and per-genus errors filled in. */
static gs_status run_all(const samples *s, const mouse *mice, size_t n_mice,
                         exposure_rule rule, const char *const *genera, json_t *mice_json,
                         err_acc *per_genus, err_acc *overall, gs_err *err)
{
    const char *names[] = {BLOCK};
    gs_model *model = NULL;
    gs_solver *solver = NULL;
    gs_schedule sched = {0};
    gs_solve_opts opts;
    gs_solve_opts_default(&opts);
    opts.rtol = 1e-8;   /* tighter than the default: densities span 1e-7..5 */
    opts.atol = 1e-12;
    gs_status st = gs_model_compose(names, 1, &model, err);
    if (st == GS_OK) st = gs_solver_new(model, &opts, &solver, err);
    if (st == GS_OK) st = gs_schedule_init(&sched, err);
    int exposure = -1;
    if (st == GS_OK) {
        exposure = gs_model_find_param(model, BLOCK ".clindamycin_exposure");
        if (exposure < 0)
            st = gs_fail(err, GS_ERR_INTERNAL, "block %s has no clindamycin_exposure", BLOCK);
    }
    double *sim = malloc(s->n * N_GENERA * sizeof *sim);
    double *meas = malloc(s->n * N_GENERA * sizeof *meas);
    double *times = malloc(s->n * sizeof *times);
    if (st == GS_OK && (!sim || !meas || !times))
        st = gs_fail(err, GS_ERR_NOMEM, "out of memory simulating stein2013");
    memset(overall, 0, sizeof *overall);
    if (per_genus) memset(per_genus, 0, N_GENERA * sizeof *per_genus);
    for (size_t i = 0; st == GS_OK && i < n_mice; i++) {
        const mouse *m = &mice[i];
        st = simulate_mouse(model, solver, &sched, exposure, s, m, rule, sim, err);
        if (st != GS_OK) break;
        for (size_t k = 0; k < m->n; k++) {
            times[k] = s->time[m->cols[k]];
            for (int g = 0; g < N_GENERA; g++) {
                meas[k * N_GENERA + g] = s->density[g][m->cols[k]];
                if (!isfinite(sim[k * N_GENERA + g]))
                    st = gs_fail(err, GS_ERR_SOLVER, "stein2013, mouse %d: %s is not finite "
                                 "on day %g", m->id, genera[g], times[k]);
            }
        }
        for (size_t k = 1; st == GS_OK && k < m->n; k++)
            for (int g = 0; g < N_GENERA; g++) {
                double d = lg(sim[k * N_GENERA + g]) - lg(meas[k * N_GENERA + g]);
                double dp = lg(meas[g]) - lg(meas[k * N_GENERA + g]);
                err_acc *accs[2] = {overall, per_genus ? &per_genus[g] : NULL};
                for (int a = 0; a < 2; a++) {
                    if (!accs[a]) continue;
                    accs[a]->sq += d * d;
                    accs[a]->sum += d;
                    accs[a]->sq_persist += dp * dp;
                    accs[a]->n++;
                }
            }
        if (st != GS_OK || !mice_json) continue;
        json_t *intro = json_object();
        for (size_t k = 1; k < m->n; k++)
            for (int g = 0; g < N_GENERA; g++)
                if (meas[g] == 0 && meas[(k - 1) * N_GENERA + g] == 0 &&
                    meas[k * N_GENERA + g] > 0)
                    json_object_set_new(intro, genera[g], json_real(times[k]));
        json_t *t = json_array();
        for (size_t k = 0; k < m->n; k++) json_array_append_new(t, json_real(times[k]));
        json_array_append_new(
            mice_json,
            json_pack("{s:i,s:i,s:i,s:b,s:o,s:o,s:o,s:o}", "id", m->id, "population",
                      m->population, "replicate", m->replicate, "clindamycin",
                      s->signal[m->cols[0]] > 0, "introduced", intro, "times", t, "measured",
                      series_object(genera, meas, m->n, N_GENERA), "simulated",
                      series_object(genera, sim, m->n, N_GENERA)));
    }
    free(sim);
    free(meas);
    free(times);
    gs_schedule_free(&sched);
    gs_solver_free(solver);
    gs_model_free(model);
    return st;
}

static json_t *error_json(const err_acc *a)
{
    assert(a->n > 0);
    return json_pack("{s:f,s:f,s:f,s:I}", "rmse_log10", sqrt(a->sq / (double)a->n),
                     "bias_log10", a->sum / (double)a->n, "rmse_log10_persistence",
                     sqrt(a->sq_persist / (double)a->n), "n", (json_int_t)a->n);
}

/* Contract (reproduce.h): on GS_OK, *out is a new JSON document the caller
 * owns (schema in docs/model/stein2013.md); on failure *out is NULL and err
 * says what went wrong and where (data file:line, mouse, day). */
gs_status gs_reproduce_stein2013(json_t **out, gs_err *err)
{
    *out = NULL;
    const gs_block *blk = gs_block_find(BLOCK);
    if (!blk || blk->n_states != N_GENERA)
        return gs_fail(err, GS_ERR_INTERNAL, "the block %s with %d genera is not registered",
                       BLOCK, N_GENERA);
    const char *genera[N_GENERA];
    for (int g = 0; g < N_GENERA; g++) genera[g] = blk->states[g].name;

    samples s = {0};
    mouse *mice = NULL;
    size_t n_mice = 0;
    gs_status st = read_samples(&s, err);
    if (st == GS_OK) st = group_mice(&s, &mice, &n_mice, err);
    json_t *mice_json = json_array();
    err_acc per_genus[N_GENERA], overall, overall_one_day;
    if (st == GS_OK)
        st = run_all(&s, mice, n_mice, TO_NEXT_SAMPLE, genera, mice_json, per_genus, &overall,
                     err);
    if (st == GS_OK)
        st = run_all(&s, mice, n_mice, ONE_DAY, genera, NULL, NULL, &overall_one_day, err);
    for (size_t i = 0; i < n_mice; i++) free(mice[i].cols);
    free(mice);
    samples_free(&s);
    if (st != GS_OK) {
        json_decref(mice_json);
        return st;
    }
    json_t *names = json_array(), *published = json_array(), *errors = json_object();
    for (int g = 0; g < N_GENERA; g++) {
        json_array_append_new(names, json_string(genera[g]));
        json_array_append_new(published, json_string(published_names[g]));
        json_object_set_new(errors, genera[g], error_json(&per_genus[g]));
    }
    json_t *one_day = json_pack("{s:s,s:o}", "exposure",
                                "u = 1 on [dose day, dose day + 1)", "error_overall",
                                error_json(&overall_one_day));
    *out = json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:{s:o}}", "model", "stein2013",
        "time_unit", "days", "density_unit", "1e11 16S rDNA copies per cm3",
        "exposure", "u = 1 from each dosed sample until the next sample (day 0 to 2)",
        "error_metric",
        "d = log10(simulated + 1e-6) - log10(measured + 1e-6) over every sample after the "
        "first; rmse_log10 = sqrt(mean d^2), bias_log10 = mean d; rmse_log10_persistence "
        "is the same for a forecast that keeps the first sample",
        "genera", names, "published_names", published, "mice", mice_json, "error_per_genus",
        errors, "error_overall", error_json(&overall), "sensitivity", "exposure_one_day",
        one_day);
    if (!*out) return gs_fail(err, GS_ERR_NOMEM, "out of memory building the stein2013 JSON");
    return GS_OK;
}
