/*
 * calibrate.c - run the calibration targets (published trial effects) and
 * fit the parameters graded "fitted" to them (docs/calibration.md).
 *
 * A calibration file is a trial file plus a `target` mapping (the
 * published effect of one row of the team's reference/calibration.md:
 * Kim 2014, Smith 2007, Yee 2020, Zheng 2023 twice, Parodi 2008).  The
 * model's effect is computed with the trial statistics of stats.c - the
 * Welch mean difference, Hedges' g (Hedges & Olkin 1985), Newcombe's
 * hybrid score interval for a difference of proportions (Newcombe 1998) -
 * on the completed patients of the target's arm and control arm.
 *
 * The fit minimises S = sum_t ((model_t - published_t) / SE_t)^2, with
 * SE_t = (hi_t - lo_t) / (2 z_0.975) the published standard error, over
 * the logarithms of the fitted parameters (clamped to their bounds) by
 * the Nelder-Mead simplex (Nelder & Mead 1965; GSL nmsimplex2).  model_t
 * is the mean of the target's estimates at its own seed and the fit
 * file's extra `seeds`: one draw of a few hundred virtual patients moves
 * an estimate by its sampling error, and a fit to one draw can sit at the
 * edge of a published interval for every other draw.  Every evaluation
 * runs every trial with the same seeds and patients (common random
 * numbers), so S is a deterministic function of the parameters and
 * differences between evaluations are the parameters' doing.
 */
#include "gutskin/calibrate.h"

#include <assert.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/yaml_read.h"

#ifndef M_LN2
#define M_LN2 0.69314718055994530942
#endif

#define Z975 1.959964
#define FAILED_OBJECTIVE 1e6   /* a target whose statistic failed counts this much */

const char *gs_cal_statistic_name(gs_cal_statistic s)
{
    switch (s) {
    case GS_CAL_MEAN_DIFFERENCE: return "mean_difference";
    case GS_CAL_SMD: return "smd";
    case GS_CAL_PROPORTION_DIFFERENCE: return "proportion_difference";
    }
    return "unknown";
}

int gs_cal_met(double estimate, gs_interval published)
{
    return isfinite(estimate) && estimate >= published.lo && estimate <= published.hi;
}

double gs_cal_distance(double estimate, gs_interval published)
{
    double se = (published.hi - published.lo) / (2.0 * Z975);
    assert(se > 0);
    return (estimate - published.estimate) / se;
}

/* ---- loading -------------------------------------------------------------- */

static gs_status read_interval(const gs_yaml *y, struct fy_node *node, gs_ypos at,
                               gs_interval *out)
{
    gs_yfield f[] = {{"estimate", NULL, at}, {"lo", NULL, at}, {"hi", NULL, at}};
    gs_status st = gs_yaml_fields(y, node, at, "published", f, 3);
    if (st != GS_OK) return st;
    double *v[] = {&out->estimate, &out->lo, &out->hi};
    for (int i = 0; i < 3; i++) {
        if (!f[i].value)
            return gs_yaml_fail(y, gs_yaml_pos(node, at), "'published' is missing '%s'",
                                f[i].key);
        if ((st = gs_yaml_number(y, f[i].value, f[i].key_pos, "a number", v[i])) != GS_OK)
            return st;
    }
    if (!(out->lo < out->hi) || out->estimate < out->lo || out->estimate > out->hi)
        return gs_yaml_fail(y, gs_yaml_pos(node, at), "'published' needs lo < hi with the "
                            "estimate between them (got %g, %g to %g)", out->estimate, out->lo,
                            out->hi);
    return GS_OK;
}

static gs_status read_target(const gs_yaml *y, struct fy_node *node, gs_ypos at,
                             gs_cal_target *t)
{
    gs_yfield f[] = {{"id", NULL, at},        {"outcome", NULL, at}, {"arm", NULL, at},
                     {"endpoint", NULL, at},  {"statistic", NULL, at}, {"sign", NULL, at},
                     {"published", NULL, at}, {"source", NULL, at}, {"about", NULL, at}};
    gs_status st = gs_yaml_fields(y, node, at, "target", f, GS_COUNT(f));
    if (st != GS_OK) return st;
    gs_ypos entry = gs_yaml_pos(node, at);
    for (int i = 0; i < 8; i++)
        if (!f[i].value)
            return gs_yaml_fail(y, entry, "the target is missing '%s'", f[i].key);
    if ((st = gs_yaml_strdup(y, f[0].value, f[0].key_pos, "the target's id", &t->id)) ||
        (st = gs_yaml_strdup(y, f[1].value, f[1].key_pos, "the outcome", &t->outcome)) ||
        (st = gs_yaml_strdup(y, f[7].value, f[7].key_pos, "the source", &t->source)))
        return st;
    const char *text;
    if ((st = gs_yaml_text(y, f[2].value, f[2].key_pos, "an arm name", &text)) != GS_OK)
        return st;
    size_t a = 0;
    while (a < t->trial.n_arms && strcmp(t->trial.arms[a].name, text) != 0) a++;
    if (a == t->trial.n_arms || a == t->trial.control)
        return gs_yaml_fail(y, gs_yaml_pos(f[2].value, entry), "'%s' is not a non-control arm "
                            "of this trial", text);
    t->arm = a;
    if ((st = gs_yaml_text(y, f[3].value, f[3].key_pos, "an endpoint name", &text)) != GS_OK)
        return st;
    size_t e = 0;
    while (e < t->trial.n_endpoints && strcmp(t->trial.endpoints[e].name, text) != 0) e++;
    if (e == t->trial.n_endpoints)
        return gs_yaml_fail(y, gs_yaml_pos(f[3].value, entry), "'%s' is not an endpoint of "
                            "this trial", text);
    t->endpoint = e;
    if ((st = gs_yaml_text(y, f[4].value, f[4].key_pos, "a statistic", &text)) != GS_OK)
        return st;
    gs_endpoint_kind kind = t->trial.endpoints[e].kind;
    int continuous = kind == GS_EP_VALUE || kind == GS_EP_CHANGE || kind == GS_EP_PERCENT_CHANGE;
    if (strcmp(text, "mean_difference") == 0) t->statistic = GS_CAL_MEAN_DIFFERENCE;
    else if (strcmp(text, "smd") == 0) t->statistic = GS_CAL_SMD;
    else if (strcmp(text, "proportion_difference") == 0)
        t->statistic = GS_CAL_PROPORTION_DIFFERENCE;
    else
        return gs_yaml_fail(y, gs_yaml_pos(f[4].value, entry), "unknown statistic '%s' "
                            "(expected mean_difference, smd or proportion_difference)", text);
    if ((t->statistic == GS_CAL_PROPORTION_DIFFERENCE) == continuous)
        return gs_yaml_fail(y, gs_yaml_pos(f[4].value, entry), "statistic %s does not fit "
                            "endpoint '%s' of kind %s", text, t->trial.endpoints[e].name,
                            gs_endpoint_kind_name(kind));
    if ((st = gs_yaml_number(y, f[5].value, f[5].key_pos, "1 or -1 for 'sign'", &t->sign)))
        return st;
    if (t->sign != 1 && t->sign != -1)
        return gs_yaml_fail(y, gs_yaml_pos(f[5].value, entry), "expected 1 or -1 for 'sign', "
                            "got %g", t->sign);
    return read_interval(y, f[6].value, f[6].key_pos, &t->published);
}

gs_status gs_cal_target_load(const char *path, gs_cal_target *t, gs_err *err)
{
    assert(path && t);
    memset(t, 0, sizeof *t);
    gs_status st = gs_trial_load_with(path, "target", &t->trial, err);
    if (st != GS_OK) return st;
    gs_yaml y;
    struct fy_node *root = NULL;
    if ((st = gs_yaml_open(&y, path, "calibration file", &root, err)) == GS_OK) {
        gs_ypos top = {0, 0};
        struct fy_node *target = fy_node_mapping_lookup_by_string(root, "target", 6);
        if (!target)
            st = gs_yaml_fail(&y, top, "the calibration file is missing 'target' (the "
                              "published effect: id, outcome, arm, endpoint, statistic, sign, "
                              "published, source)");
        else
            st = read_target(&y, target, gs_yaml_pos(target, top), t);
    }
    gs_yaml_close(&y);
    return st;
}

void gs_cal_target_free(gs_cal_target *t)
{
    if (!t) return;
    free(t->id);
    free(t->outcome);
    free(t->source);
    gs_trial_free(&t->trial);
    memset(t, 0, sizeof *t);
}

/* ---- running -------------------------------------------------------------- */

/* The completed patients' values of endpoint e in arm a. */
static size_t collect(const gs_trial_results *res, size_t a, size_t e, double *x)
{
    size_t n = 0;
    for (long i = 0; i < res->patients; i++) {
        const gs_patient_result *r = &res->patient[i];
        if (r->fate == GS_FATE_COMPLETED && r->arm == (int)a) x[n++] = r->value[e];
    }
    return n;
}

gs_status gs_cal_run(const gs_cal_target *t, const gs_trial_opts *opts, gs_cal_result *r,
                     gs_err *err)
{
    assert(t && r);
    memset(r, 0, sizeof *r);
    r->model = (gs_interval){NAN, NAN, NAN};
    gs_trial_results res;
    gs_status st = gs_trial_run(&t->trial, opts, &res, err);
    if (st != GS_OK) return st;
    size_t n = (size_t)res.patients;
    double *x = malloc((n + 1) * sizeof *x), *c = malloc((n + 1) * sizeof *c);
    if (!x || !c) {
        free(x);
        free(c);
        gs_trial_results_free(&res);
        return gs_fail(err, GS_ERR_NOMEM, "out of memory for target %s", t->id);
    }
    for (long i = 0; i < res.patients; i++) r->failed += res.patient[i].fate == GS_FATE_FAILED;
    r->n_arm = collect(&res, t->arm, t->endpoint, x);
    r->n_control = collect(&res, t->trial.control, t->endpoint, c);
    gs_interval v = {NAN, NAN, NAN};
    if (t->statistic == GS_CAL_PROPORTION_DIFFERENCE) {
        if (r->n_arm && r->n_control) {
            size_t ka = 0, kc = 0;
            for (size_t i = 0; i < r->n_arm; i++) ka += x[i] != 0;
            for (size_t i = 0; i < r->n_control; i++) kc += c[i] != 0;
            v = gs_stats_newcombe(ka, r->n_arm, kc, r->n_control);
        }
    } else if (r->n_arm >= 2 && r->n_control >= 2) {
        double ma, sa, mc, sc, df;
        gs_stats_mean_sd(x, r->n_arm, &ma, &sa);
        gs_stats_mean_sd(c, r->n_control, &mc, &sc);
        v = t->statistic == GS_CAL_SMD ? gs_stats_hedges_g(ma, sa, r->n_arm, mc, sc, r->n_control)
                                       : gs_stats_welch(ma, sa, r->n_arm, mc, sc, r->n_control,
                                                        &df);
    }
    free(x);
    free(c);
    gs_trial_results_free(&res);
    if (t->sign < 0) v = (gs_interval){-v.estimate, -v.hi, -v.lo};
    r->model = v;
    r->ok = isfinite(v.estimate);
    r->met = gs_cal_met(v.estimate, t->published);
    return GS_OK;
}

/* ---- parameters ------------------------------------------------------------ */

gs_status gs_cal_set_param(gs_cal_target *targets, size_t n, const char *name, double value,
                           gs_err *err)
{
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        gs_model *m = targets[i].trial.pop.model;
        if (gs_model_find_param(m, name) < 0) continue;
        found = 1;
        gs_status st = gs_model_set_param(m, name, value, err);
        if (st != GS_OK) return st;
    }
    if (!found)
        return gs_fail(err, GS_ERR_INPUT, "no calibration target's model has the parameter "
                       "'%s'", name);
    return GS_OK;
}

/* The value of name in the first target that has it, or NAN. */
static double get_param(const gs_cal_target *targets, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        int k = gs_model_find_param(targets[i].trial.pop.model, name);
        if (k >= 0) return gs_model_params_const(targets[i].trial.pop.model)[k];
    }
    return NAN;
}

/* ---- the fit file ------------------------------------------------------------ */

static gs_status read_fit_param(const gs_yaml *y, struct fy_node *node, gs_ypos at,
                                gs_fit_param *p, size_t index)
{
    char where[64];
    snprintf(where, sizeof where, "fitted parameter %zu", index + 1);
    gs_yfield f[] = {{"param", NULL, at},   {"lo", NULL, at},    {"hi", NULL, at},
                     {"targets", NULL, at}, {"about", NULL, at}, {"tie", NULL, at},
                     {"start", NULL, at}};
    gs_status st = gs_yaml_fields(y, node, at, where, f, GS_COUNT(f));
    if (st != GS_OK) return st;
    gs_ypos entry = gs_yaml_pos(node, at);
    for (int i = 0; i < 4; i++)
        if (!f[i].value) return gs_yaml_fail(y, entry, "%s is missing '%s'", where, f[i].key);
    if ((st = gs_yaml_strdup(y, f[0].value, f[0].key_pos, "block.param", &p->name)) ||
        (st = gs_yaml_number(y, f[1].value, f[1].key_pos, "a number for 'lo'", &p->lo)) ||
        (st = gs_yaml_number(y, f[2].value, f[2].key_pos, "a number for 'hi'", &p->hi)))
        return st;
    p->start = NAN;
    if (f[6].value &&
        (st = gs_yaml_number(y, f[6].value, f[6].key_pos, "a number for 'start'", &p->start)))
        return st;
    if (!(p->hi > p->lo) || !(p->lo > 0 || p->hi < 0))
        return gs_yaml_fail(y, gs_yaml_pos(f[2].value, entry), "%s needs lo < hi, both "
                            "positive or both negative (the search is on the logarithm)", where);
    struct fy_node *list = f[3].value;
    if (fy_node_get_type(list) != FYNT_SEQUENCE || fy_node_sequence_item_count(list) < 1)
        return gs_yaml_fail(y, gs_yaml_pos(list, entry), "expected 'targets' as a list of "
                            "target ids");
    size_t k = (size_t)fy_node_sequence_item_count(list);
    if (!(p->targets = calloc(k, sizeof *p->targets)))
        return gs_fail(y->err, GS_ERR_NOMEM, "out of memory");
    void *it = NULL;
    struct fy_node *item;
    while ((item = fy_node_sequence_iterate(list, &it)) != NULL) {
        if ((st = gs_yaml_strdup(y, item, entry, "a target id", &p->targets[p->n_targets])))
            return st;
        p->n_targets++;
    }
    if (!f[5].value) return GS_OK;
    gs_ypos tat = gs_yaml_pos(f[5].value, entry);
    gs_yfield tf[] = {{"param", NULL, tat}, {"intercept", NULL, tat}, {"slope", NULL, tat},
                      {"why", NULL, tat}};
    if ((st = gs_yaml_fields(y, f[5].value, tat, "tie", tf, GS_COUNT(tf))) != GS_OK) return st;
    for (int i = 0; i < 4; i++)
        if (!tf[i].value) return gs_yaml_fail(y, tat, "'tie' is missing '%s'", tf[i].key);
    if ((st = gs_yaml_strdup(y, tf[0].value, tf[0].key_pos, "block.param", &p->tie)) ||
        (st = gs_yaml_number(y, tf[1].value, tf[1].key_pos, "a number", &p->tie_intercept)) ||
        (st = gs_yaml_number(y, tf[2].value, tf[2].key_pos, "a number", &p->tie_slope)) ||
        (st = gs_yaml_strdup(y, tf[3].value, tf[3].key_pos, "a reason", &p->tie_why)))
        return st;
    return GS_OK;
}

gs_status gs_fit_spec_load(const char *path, gs_fit_spec *f, gs_err *err)
{
    memset(f, 0, sizeof *f);
    f->iterations = 150;
    f->step = 0.5;
    f->polish = 0;
    gs_yaml y;
    struct fy_node *root = NULL;
    gs_status st = gs_yaml_open(&y, path, "fit file", &root, err);
    gs_ypos top = {0, 0};
    gs_yfield fields[] = {{"fit", NULL, top},  {"iterations", NULL, top}, {"about", NULL, top},
                          {"step", NULL, top}, {"polish", NULL, top}, {"seeds", NULL, top}};
    if (st == GS_OK) st = gs_yaml_fields(&y, root, top, "the fit file", fields, 6);
    if (st == GS_OK && fields[5].value) {
        struct fy_node *seeds = fields[5].value;
        if (fy_node_get_type(seeds) != FYNT_SEQUENCE)
            st = gs_yaml_fail(&y, gs_yaml_pos(seeds, fields[5].key_pos),
                              "expected 'seeds' as a list of whole numbers (random seeds run "
                              "besides each target's own)");
        size_t ns = st == GS_OK ? (size_t)fy_node_sequence_item_count(seeds) : 0;
        if (st == GS_OK && ns > 0 && !(f->extra_seeds = calloc(ns, sizeof *f->extra_seeds)))
            st = gs_fail(err, GS_ERR_NOMEM, "out of memory");
        void *it = NULL;
        struct fy_node *item;
        while (st == GS_OK && (item = fy_node_sequence_iterate(seeds, &it)) != NULL) {
            double v;
            if ((st = gs_yaml_ranged(&y, item, fields[5].key_pos, "seeds", 0, 4294967295.0, 1,
                                     "random seed", &v)) == GS_OK)
                f->extra_seeds[f->n_extra_seeds++] = (unsigned long)v;
        }
    }
    if (st == GS_OK && fields[3].value) {
        double v;
        if ((st = gs_yaml_ranged(&y, fields[3].value, fields[3].key_pos, "step", 0.001, 5, 0,
                                 "on the logarithm", &v)) == GS_OK)
            f->step = v;
    }
    if (st == GS_OK && fields[4].value) {
        double v;
        if ((st = gs_yaml_ranged(&y, fields[4].value, fields[4].key_pos, "polish", 0, 10, 1,
                                 "coordinate sweeps", &v)) == GS_OK)
            f->polish = (int)v;
    }
    if (st == GS_OK && fields[1].value) {
        double v;
        if ((st = gs_yaml_ranged(&y, fields[1].value, fields[1].key_pos, "iterations", 1, 10000,
                                 1, "Nelder-Mead iterations", &v)) == GS_OK)
            f->iterations = (int)v;
    }
    struct fy_node *list = fields[0].value;
    if (st == GS_OK && (!list || fy_node_get_type(list) != FYNT_SEQUENCE ||
                        fy_node_sequence_item_count(list) < 1))
        st = gs_yaml_fail(&y, gs_yaml_pos(list, top), "expected 'fit' as a list of {param, lo, "
                          "hi, targets}");
    if (st == GS_OK) {
        size_t n = (size_t)fy_node_sequence_item_count(list);
        if (!(f->params = calloc(n, sizeof *f->params))) st = gs_fail(err, GS_ERR_NOMEM, "out of memory");
        void *it = NULL;
        struct fy_node *item;
        while (st == GS_OK && (item = fy_node_sequence_iterate(list, &it)) != NULL) {
            f->n_params++;
            st = read_fit_param(&y, item, fields[0].key_pos, &f->params[f->n_params - 1],
                                f->n_params - 1);
        }
    }
    gs_yaml_close(&y);
    return st;
}

void gs_fit_spec_free(gs_fit_spec *f)
{
    if (!f) return;
    for (size_t i = 0; i < f->n_params; i++) {
        free(f->params[i].name);
        free(f->params[i].tie);
        free(f->params[i].tie_why);
        for (size_t k = 0; k < f->params[i].n_targets; k++) free(f->params[i].targets[k]);
        free(f->params[i].targets);
    }
    free(f->params);
    free(f->extra_seeds);
    memset(f, 0, sizeof *f);
}

/* ---- the fit ----------------------------------------------------------------- */

typedef struct fit_ctx {
    gs_cal_target *targets;
    size_t n;
    gs_fit_spec *spec;
    const gs_trial_opts *opts;
    gs_status status;   /* the first failure that stopped the fit */
    gs_err err;
    long evaluations;
} fit_ctx;

/* The search runs on x = ln(|v|); a parameter with negative bounds keeps
 * its sign (a competition coefficient, say). */
static double fit_sign(const gs_fit_param *p)
{
    return p->hi < 0 ? -1.0 : 1.0;
}

static double clamp_log(const gs_fit_param *p, double x)
{
    double a = fabs(p->lo), b = fabs(p->hi);
    return fmin(log(fmax(a, b)), fmax(log(fmin(a, b)), x));
}

/* The parameter value at search coordinate x, inside [lo, hi]. */
static double fit_value(const gs_fit_param *p, double x)
{
    return fmin(p->hi, fmax(p->lo, fit_sign(p) * exp(clamp_log(p, x))));
}

/* S(x): set the parameters, run every target, sum squared distances. */
static double objective(const gsl_vector *x, void *data)
{
    fit_ctx *c = data;
    if (c->status != GS_OK) return GSL_POSINF;
    for (size_t i = 0; i < c->spec->n_params; i++) {
        const gs_fit_param *p = &c->spec->params[i];
        double v = fit_value(p, gsl_vector_get(x, i));
        if (gs_cal_set_param(c->targets, c->n, p->name, v, &c->err) != GS_OK ||
            (p->tie && gs_cal_set_param(c->targets, c->n, p->tie,
                                        p->tie_intercept + p->tie_slope * v, &c->err) != GS_OK)) {
            c->status = c->err.status;
            return GSL_POSINF;
        }
    }
    double s = 0;
    for (size_t t = 0; t < c->n; t++) {
        /* the mean estimate over the target's own seed and the extra ones */
        gs_cal_target *target = &c->targets[t];
        unsigned long own = target->trial.seed;
        double sum = 0;
        int ok = 1;
        for (size_t k = 0; k <= c->spec->n_extra_seeds && ok; k++) {
            gs_cal_result r;
            target->trial.seed = k == 0 ? own : c->spec->extra_seeds[k - 1];
            gs_status rs = gs_cal_run(target, c->opts, &r, &c->err);
            target->trial.seed = own;
            if (rs != GS_OK) {
                c->status = c->err.status;
                return GSL_POSINF;
            }
            ok = r.ok;
            sum += r.model.estimate;
        }
        double d = ok ? gs_cal_distance(sum / (double)(c->spec->n_extra_seeds + 1),
                                        target->published) : 0;
        s += ok ? d * d : FAILED_OBJECTIVE;
    }
    c->evaluations++;
    return s;
}

gs_status gs_cal_fit(gs_cal_target *targets, size_t n, gs_fit_spec *f,
                     const gs_trial_opts *opts, double *before, double *after, FILE *progress_log,
                     gs_err *err)
{
    assert(targets && f && f->n_params >= 1);
    size_t k = f->n_params;
    gsl_vector *x = gsl_vector_alloc(k), *step = gsl_vector_alloc(k);
    gsl_multimin_fminimizer *m =
        gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, k);
    if (!x || !step || !m) {
        gsl_vector_free(x);
        gsl_vector_free(step);
        if (m) gsl_multimin_fminimizer_free(m);
        return gs_fail(err, GS_ERR_NOMEM, "out of memory for the fit");
    }
    gs_status st = GS_OK;
    for (size_t i = 0; i < k && st == GS_OK; i++) {
        gs_fit_param *p = &f->params[i];
        p->old_value = get_param(targets, n, p->name);
        if (p->tie) {
            p->tie_old = get_param(targets, n, p->tie);
            double held = p->tie_intercept + p->tie_slope * p->old_value;
            if (!(fabs(held - p->tie_old) <= 1e-9 * fmax(1.0, fabs(held)))) {
                st = gs_fail(err, GS_ERR_INPUT, "the tie of %s does not hold at the defaults: "
                             "%s is %g, but %g + %g * %g = %g", p->name, p->tie, p->tie_old,
                             p->tie_intercept, p->tie_slope, p->old_value, held);
                break;
            }
        }
        if (!isfinite(p->old_value) || fit_sign(p) * p->old_value <= 0)
            st = gs_fail(err, GS_ERR_INPUT, "fitted parameter %s: no target has it, or its "
                         "value %g does not have the sign of its bounds", p->name,
                         p->old_value);
        else {
            double from = isfinite(p->start) ? p->start : p->old_value;
            if (fit_sign(p) * from <= 0) {
                st = gs_fail(err, GS_ERR_INPUT, "fitted parameter %s: start %g does not have "
                             "the sign of its bounds", p->name, from);
                break;
            }
            gsl_vector_set(x, i, clamp_log(p, log(fit_sign(p) * from)));
            gsl_vector_set(step, i, f->step);
        }
    }
    fit_ctx c = {targets, n, f, opts, GS_OK, {0}, 0};
    gs_err_clear(&c.err);
    gsl_multimin_function fn = {objective, k, &c};
    if (st == GS_OK) {
        /* the objective at the defaults, whatever the starting point */
        gsl_vector *defaults = gsl_vector_alloc(k);
        if (!defaults) st = gs_fail(err, GS_ERR_NOMEM, "out of memory for the fit");
        for (size_t i = 0; st == GS_OK && i < k; i++)
            gsl_vector_set(defaults, i, log(fit_sign(&f->params[i]) * f->params[i].old_value));
        if (st == GS_OK) *before = objective(defaults, &c);
        gsl_vector_free(defaults);
        if (st == GS_OK && c.status != GS_OK) {
            if (err) *err = c.err;
            st = c.status;
        }
    }
    if (st == GS_OK) {
        gsl_error_handler_t *old = gsl_set_error_handler_off();
        int rc = gsl_multimin_fminimizer_set(m, &fn, x, step);
        for (int it = 0; rc == GSL_SUCCESS && it < f->iterations && c.status == GS_OK; it++) {
            rc = gsl_multimin_fminimizer_iterate(m);
            double size = gsl_multimin_fminimizer_size(m);
            if (progress_log) fprintf(progress_log, "iteration %d: objective %.4f, simplex size %.4f\n", it + 1,
                             m->fval, size);
            if (gsl_multimin_test_size(size, 1e-3) == GSL_SUCCESS) break;
        }
        gsl_set_error_handler(old);
        if (c.status != GS_OK) {
            if (err) *err = c.err;
            st = c.status;
        } else if (rc != GSL_SUCCESS && rc != GSL_ENOPROG) {
            st = gs_fail(err, GS_ERR_SOLVER, "the Nelder-Mead fit stopped: %s",
                         gsl_strerror(rc));
        }
    }
    /* polish: for each coordinate in turn, the best of 9 points spaced by
     * a factor of 2^(1/4) around the current one (bounds clamp), kept only
     * when it lowers S; it resolves targets the simplex leaves on a steep
     * edge (a proportion that jumps with one parameter) */
    gsl_vector *cur = st == GS_OK ? gsl_vector_alloc(k) : NULL;
    if (st == GS_OK && !cur) st = gs_fail(err, GS_ERR_NOMEM, "out of memory for the fit");
    double fcur = st == GS_OK ? m->fval : 0;
    if (cur) gsl_vector_memcpy(cur, gsl_multimin_fminimizer_x(m));
    for (int sweep = 0; st == GS_OK && sweep < f->polish; sweep++)
        for (size_t i = 0; st == GS_OK && i < k; i++) {
            double x0 = gsl_vector_get(cur, i), bestx = x0;
            for (int j = -4; j <= 4; j++) {
                if (j == 0) continue;
                double xi = clamp_log(&f->params[i], x0 + j * 0.25 * M_LN2);
                gsl_vector_set(cur, i, xi);
                double fx = objective(cur, &c);
                if (c.status != GS_OK) break;
                if (fx < fcur) {
                    fcur = fx;
                    bestx = xi;
                }
            }
            gsl_vector_set(cur, i, bestx);
            if (c.status != GS_OK) {
                if (err) *err = c.err;
                st = c.status;
            } else if (progress_log)
                fprintf(progress_log, "polish %d, %s: objective %.4f\n", sweep + 1,
                        f->params[i].name, fcur);
        }
    if (st == GS_OK) {
        const gsl_vector *best = cur;
        for (size_t i = 0; i < k; i++) {
            gs_fit_param *p = &f->params[i];
            /* 4 significant figures: the precision the block tables carry */
            char buf[64];
            snprintf(buf, sizeof buf, "%.4g", fit_value(p, gsl_vector_get(best, i)));
            p->value = strtod(buf, NULL);
            if (p->tie) {
                snprintf(buf, sizeof buf, "%.6g", p->tie_intercept + p->tie_slope * p->value);
                p->tie_value = strtod(buf, NULL);
            }
            gsl_vector_set(x, i, log(fit_sign(p) * p->value));
        }
        *after = objective(x, &c);  /* also leaves the targets at the fitted values */
        if (c.status != GS_OK) {
            if (err) *err = c.err;
            st = c.status;
        }
    }
    gsl_multimin_fminimizer_free(m);
    gsl_vector_free(cur);
    gsl_vector_free(x);
    gsl_vector_free(step);
    return st;
}

/* ---- fitted.yaml ------------------------------------------------------------- */

void gs_fitted_free(char **names, double *values, size_t n)
{
    if (names)
        for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    free(values);
}

gs_status gs_fitted_load(const char *path, char ***names, double **values, size_t *n,
                         gs_err *err)
{
    *names = NULL;
    *values = NULL;
    *n = 0;
    gs_yaml y;
    struct fy_node *root = NULL;
    gs_ypos top = {0, 0};
    gs_status st = gs_yaml_open(&y, path, "fitted set", &root, err);
    struct fy_node *list = st == GS_OK && root && fy_node_get_type(root) == FYNT_MAPPING
                               ? fy_node_mapping_lookup_by_string(root, "fitted", 6)
                               : NULL;
    if (st == GS_OK && (!list || fy_node_get_type(list) != FYNT_SEQUENCE))
        st = gs_yaml_fail(&y, top, "expected 'fitted' as a list of {param, value, ...}");
    if (st == GS_OK) {
        size_t k = (size_t)fy_node_sequence_item_count(list);
        *names = calloc(k + 1, sizeof **names);
        *values = calloc(k + 1, sizeof **values);
        if (!*names || !*values) st = gs_fail(err, GS_ERR_NOMEM, "out of memory");
        void *it = NULL;
        struct fy_node *item;
        while (st == GS_OK && (item = fy_node_sequence_iterate(list, &it)) != NULL) {
            gs_ypos at = gs_yaml_pos(item, top);
            gs_yfield f[] = {{"param", NULL, at}, {"value", NULL, at}, {"old", NULL, at},
                             {"moved_percent", NULL, at}, {"provenance", NULL, at}};
            if ((st = gs_yaml_fields(&y, item, at, "a fitted entry", f, GS_COUNT(f))) != GS_OK)
                break;
            if (!f[0].value || !f[1].value) {
                st = gs_yaml_fail(&y, at, "a fitted entry needs 'param' and 'value'");
                break;
            }
            if ((st = gs_yaml_strdup(&y, f[0].value, f[0].key_pos, "block.param",
                                     &(*names)[*n])) != GS_OK)
                break;
            (*n)++;
            st = gs_yaml_number(&y, f[1].value, f[1].key_pos, "a number", &(*values)[*n - 1]);
        }
    }
    gs_yaml_close(&y);
    return st;
}
