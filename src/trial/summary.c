/*
 * summary.c - reduce a trial's patient results, in patient order, to the
 * JSON summary of docs/trials.md: screening counts with the reasons for
 * exclusion and failure, per-arm statistics of every endpoint, each arm
 * against control, and the timeline of improvement.  The statistics are
 * those of stats.c; nothing here depends on how the patients were run.
 */
#include "gutskin/trial.h"

#include <assert.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DISCLAIMER                                                                       \
    "Exploratory model output: not a diagnosis and not treatment advice. Virtual "      \
    "patients differ only in the parameters the variability file lets vary; every "     \
    "gut-to-skin coupling is an assumption (see docs/model.md)."

static json_t *number(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

/* A day, or "not reached". */
static json_t *day_or_not_reached(double v)
{
    return isfinite(v) ? json_real(v) : json_string("not reached");
}

static json_t *pair(double lo, double hi)
{
    json_t *a = json_array();
    json_array_append_new(a, number(lo));
    json_array_append_new(a, number(hi));
    return a;
}

/* The values of endpoint e for the completed patients of arm a, in
 * patient order; returns how many. */
static size_t collect(const gs_trial_results *res, int a, size_t e, double *x)
{
    size_t n = 0;
    for (long i = 0; i < res->patients; i++) {
        const gs_patient_result *r = &res->patient[i];
        if (r->fate == GS_FATE_COMPLETED && r->arm == a) x[n++] = r->value[e];
    }
    return n;
}

static size_t count_true(const double *x, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += x[i] != 0 && !isnan(x[i]);
    return k;
}

static size_t count_finite(const double *x, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += isfinite(x[i]) != 0;
    return k;
}

/* Median and quartiles of the finite values of x (which is reordered). */
static json_t *quartiles(double *x, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i])) x[k++] = x[i];
    json_t *o = json_object();
    if (k == 0) {
        json_object_set_new(o, "median", json_null());
        json_object_set_new(o, "q1", json_null());
        json_object_set_new(o, "q3", json_null());
        return o;
    }
    gsl_sort(x, 1, k);
    json_object_set_new(o, "median", json_real(gsl_stats_quantile_from_sorted_data(x, 1, k, 0.5)));
    json_object_set_new(o, "q1", json_real(gsl_stats_quantile_from_sorted_data(x, 1, k, 0.25)));
    json_object_set_new(o, "q3", json_real(gsl_stats_quantile_from_sorted_data(x, 1, k, 0.75)));
    return o;
}

static int is_continuous(gs_endpoint_kind k)
{
    return k == GS_EP_VALUE || k == GS_EP_CHANGE || k == GS_EP_PERCENT_CHANGE;
}

static json_t *endpoint_stats(const gs_trial *t, size_t e, double *x, size_t n)
{
    const gs_endpoint *ep = &t->endpoints[e];
    json_t *o = json_object();
    char score[128];
    json_object_set_new(o, "name", json_string(ep->name));
    json_object_set_new(o, "kind", json_string(gs_endpoint_kind_name(ep->kind)));
    json_object_set_new(o, "score",
                        json_string(gs_population_column_name(&t->pop, ep->column, score,
                                                              sizeof score)));
    json_object_set_new(o, "n", json_integer((json_int_t)n));
    if (is_continuous(ep->kind)) {
        double mean, sd;
        gs_stats_mean_sd(x, n, &mean, &sd);
        json_object_set_new(o, "day", json_integer(ep->day));
        json_object_set_new(o, "mean", number(mean));
        json_object_set_new(o, "sd", number(sd));
    } else if (ep->kind == GS_EP_RESPONDER) {
        size_t k = count_true(x, n);
        gs_interval w = gs_stats_wilson(k, n);
        json_object_set_new(o, "day", json_integer(ep->day));
        json_object_set_new(o, "threshold_percent", json_real(ep->threshold_percent));
        json_object_set_new(o, "responders", json_integer((json_int_t)k));
        json_object_set_new(o, "proportion", number(w.estimate));
        json_object_set_new(o, "ci", pair(w.lo, w.hi));
    } else {
        gs_interval m = gs_stats_median_time(x, n, t->days);
        json_object_set_new(o, "threshold_percent", json_real(ep->threshold_percent));
        json_object_set_new(o, "responded", json_integer((json_int_t)count_finite(x, n)));
        json_object_set_new(o, "median_day", n ? day_or_not_reached(m.estimate) : json_null());
        json_t *ci = json_array();
        json_array_append_new(ci, n ? day_or_not_reached(m.lo) : json_null());
        json_array_append_new(ci, n ? day_or_not_reached(m.hi) : json_null());
        json_object_set_new(o, "ci", ci);
    }
    return o;
}

static json_t *comparison_stats(const gs_trial *t, size_t e, const double *x, size_t n,
                                const double *c, size_t nc)
{
    const gs_endpoint *ep = &t->endpoints[e];
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(ep->name));
    json_object_set_new(o, "kind", json_string(gs_endpoint_kind_name(ep->kind)));
    if (is_continuous(ep->kind)) {
        double m1, s1, m0, s0, df;
        gs_stats_mean_sd(x, n, &m1, &s1);
        gs_stats_mean_sd(c, nc, &m0, &s0);
        gs_interval d = gs_stats_welch(m1, s1, n, m0, s0, nc, &df);
        gs_interval g = gs_stats_hedges_g(m1, s1, n, m0, s0, nc);
        json_object_set_new(o, "mean_difference", number(d.estimate));
        json_object_set_new(o, "ci", pair(d.lo, d.hi));
        json_object_set_new(o, "welch_df", number(df));
        json_object_set_new(o, "smd", number(g.estimate));
        json_object_set_new(o, "smd_ci", pair(g.lo, g.hi));
    } else {
        /* responders at the day, or responded by the end */
        size_t k = ep->kind == GS_EP_RESPONDER ? count_true(x, n) : count_finite(x, n);
        size_t kc = ep->kind == GS_EP_RESPONDER ? count_true(c, nc) : count_finite(c, nc);
        gs_interval d = gs_stats_newcombe(k, n, kc, nc);
        json_object_set_new(o, ep->kind == GS_EP_RESPONDER ? "proportion_difference"
                                                           : "responded_difference",
                            number(d.estimate));
        json_object_set_new(o, "ci", pair(d.lo, d.hi));
        if (ep->kind == GS_EP_TIME_TO_RESPONSE) {
            gs_interval m1 = gs_stats_median_time(x, n, t->days);
            gs_interval m0 = gs_stats_median_time(c, nc, t->days);
            json_object_set_new(o, "median_day", n ? day_or_not_reached(m1.estimate)
                                                   : json_null());
            json_object_set_new(o, "control_median_day",
                                nc ? day_or_not_reached(m0.estimate) : json_null());
        }
    }
    return o;
}

static json_t *timeline(const gs_trial *t, const gs_trial_results *res, int a, double *x)
{
    json_t *o = json_object();
    char score[128];
    json_object_set_new(o, "score", json_string(gs_population_column_name(
                                        &t->pop, t->timeline_column, score, sizeof score)));
    json_object_set_new(o, "better", json_string(t->timeline_higher_better ? "higher" : "lower"));
    for (int which = 0; which < 2; which++) {
        size_t n = 0;
        for (long i = 0; i < res->patients; i++) {
            const gs_patient_result *r = &res->patient[i];
            if (r->fate == GS_FATE_COMPLETED && r->arm == a) x[n++] = which ? r->t90 : r->t50;
        }
        if (!which) json_object_set_new(o, "improved", json_integer((json_int_t)count_finite(x, n)));
        json_object_set_new(o, which ? "day_90_percent" : "day_half", quartiles(x, n));
    }
    return o;
}

static json_t *screening(const gs_trial *t, const gs_trial_results *res)
{
    long included = 0, excluded = 0, failed_screen = 0, failed_arm = 0, not_run = 0;
    long *by_criterion = calloc(t->pop.n_include + 1, sizeof *by_criterion);
    json_t *failures = json_array();
    for (long i = 0; i < res->patients; i++) {
        const gs_patient_result *r = &res->patient[i];
        if (r->fate == GS_FATE_NOT_RUN) {
            not_run++;
            continue;
        }
        if (r->fate == GS_FATE_EXCLUDED) {
            excluded++;
            assert(r->criterion >= 0 && (size_t)r->criterion < t->pop.n_include);
            if (by_criterion) by_criterion[r->criterion]++;
            continue;
        }
        if (r->fate == GS_FATE_FAILED) {
            if (!r->included) failed_screen++;
            else {
                failed_arm++;
                included++;
            }
            if (json_array_size(failures) < GS_TRIAL_MAX_REPORTED_FAILURES)
                json_array_append_new(failures, json_string(r->failure ? r->failure
                                                                       : "reason unavailable "
                                                                         "(out of memory)"));
            continue;
        }
        included++;
    }
    json_t *o = json_object();
    json_object_set_new(o, "screened", json_integer(res->patients));
    json_object_set_new(o, "included", json_integer(included));
    json_object_set_new(o, "excluded", json_integer(excluded));
    json_object_set_new(o, "failed_at_screening", json_integer(failed_screen));
    json_object_set_new(o, "failed_in_arm", json_integer(failed_arm));
    if (not_run) json_object_set_new(o, "not_run", json_integer(not_run));
    json_t *why = json_array();
    for (size_t c = 0; c < t->pop.n_include; c++) {
        const gs_criterion *cr = &t->pop.include[c];
        char name[128], text[256];
        gs_population_column_name(&t->pop, cr->column, name, sizeof name);
        if (isinf(cr->lo)) snprintf(text, sizeof text, "%s <= %g", name, cr->hi);
        else if (isinf(cr->hi)) snprintf(text, sizeof text, "%s >= %g", name, cr->lo);
        else snprintf(text, sizeof text, "%g <= %s <= %g", cr->lo, name, cr->hi);
        json_t *row = json_object();
        json_object_set_new(row, "criterion", json_string(text));
        json_object_set_new(row, "excluded", json_integer(by_criterion ? by_criterion[c] : -1));
        json_array_append_new(why, row);
    }
    json_object_set_new(o, "exclusions", why);
    json_object_set_new(o, "failures", failures);
    free(by_criterion);
    return o;
}

json_t *gs_trial_summary(const gs_trial *t, const gs_trial_results *res)
{
    assert(t && res);
    size_t n_max = (size_t)res->patients;
    double *x = malloc((n_max + 1) * sizeof *x), *c = malloc((n_max + 1) * sizeof *c);
    json_t *root = json_object();
    if (!x || !c || !root) {
        free(x);
        free(c);
        json_decref(root);
        return NULL;
    }
    json_object_set_new(root, "trial", json_string(t->name));
    json_object_set_new(root, "file", json_string(t->path));
    json_object_set_new(root, "seed", json_integer((json_int_t)t->seed));
    json_object_set_new(root, "patients", json_integer(t->patients));
    json_object_set_new(root, "days", json_integer(t->days));
    json_object_set_new(root, "screening", screening(t, res));
    if (t->n_visits) {  /* present only when the file sets `visits` */
        json_t *vs = json_object(), *days = json_array();
        if (t->visits_every) json_object_set_new(vs, "every", json_integer(t->visits_every));
        for (size_t v = 0; v < t->n_visits; v++)
            json_array_append_new(days, json_integer(t->visits[v]));
        json_object_set_new(vs, "days", days);
        json_object_set_new(root, "visits", vs);
    }
    if (t->pop.n_measure) {  /* the measurement model the endpoints saw */
        json_t *ms = json_array();
        for (size_t i = 0; i < t->pop.n_measure; i++) {
            const gs_measurement *m = &t->pop.measure[i];
            char score[128];
            json_t *row = json_object();
            json_object_set_new(row, "score", json_string(gs_population_column_name(
                                                  &t->pop, m->column, score, sizeof score)));
            json_object_set_new(row, "sd", json_real(m->sd));
            json_object_set_new(row, "cv", json_real(m->cv));
            json_object_set_new(row, "placebo_percent", json_real(m->placebo_percent));
            json_object_set_new(row, "placebo_sd", json_real(m->placebo_sd));
            json_object_set_new(row, "placebo_days", json_real(m->placebo_days));
            json_object_set_new(row, "source", json_string(m->source));
            json_array_append_new(ms, row);
        }
        json_object_set_new(root, "measurement", ms);
    }

    json_t *baseline = json_array();
    for (size_t e = 0; e < t->n_endpoints; e++) {
        size_t first = 0;  /* one row per distinct score */
        while (t->endpoints[first].column != t->endpoints[e].column) first++;
        if (first != e) continue;
        size_t n = 0;
        for (long i = 0; i < res->patients; i++)
            if (res->patient[i].fate == GS_FATE_COMPLETED) x[n++] = res->patient[i].baseline[e];
        double mean, sd;
        gs_stats_mean_sd(x, n, &mean, &sd);
        json_t *row = json_object();
        char score[128];
        json_object_set_new(row, "score", json_string(gs_population_column_name(
                                              &t->pop, t->endpoints[e].column, score,
                                              sizeof score)));
        json_object_set_new(row, "n", json_integer((json_int_t)n));
        json_object_set_new(row, "mean", number(mean));
        json_object_set_new(row, "sd", number(sd));
        json_array_append_new(baseline, row);
    }
    json_object_set_new(root, "baseline", baseline);

    json_t *arms = json_array();
    for (size_t a = 0; a < t->n_arms; a++) {
        long allocated = 0, excluded = 0, failed = 0;
        for (long i = 0; i < res->patients; i++) {
            const gs_patient_result *r = &res->patient[i];
            if (r->arm != (int)a) continue;
            allocated++;
            excluded += r->fate == GS_FATE_EXCLUDED;
            failed += r->fate == GS_FATE_FAILED;
        }
        json_t *arm = json_object(), *eps = json_array();
        json_object_set_new(arm, "name", json_string(t->arms[a].name));
        json_object_set_new(arm, "control", json_boolean(a == t->control));
        json_object_set_new(arm, "allocated", json_integer(allocated));
        json_object_set_new(arm, "excluded", json_integer(excluded));
        json_object_set_new(arm, "failed", json_integer(failed));
        json_object_set_new(arm, "completed", json_integer(allocated - excluded - failed));
        for (size_t e = 0; e < t->n_endpoints; e++) {
            size_t n = collect(res, (int)a, e, x);
            json_array_append_new(eps, endpoint_stats(t, e, x, n));
        }
        json_object_set_new(arm, "endpoints", eps);
        json_object_set_new(arm, "timeline", timeline(t, res, (int)a, x));
        json_array_append_new(arms, arm);
    }
    json_object_set_new(root, "arms", arms);

    json_t *comparisons = json_array();
    for (size_t a = 0; a < t->n_arms; a++) {
        if (a == t->control) continue;
        json_t *cmp = json_object(), *eps = json_array();
        json_object_set_new(cmp, "arm", json_string(t->arms[a].name));
        json_object_set_new(cmp, "control", json_string(t->arms[t->control].name));
        for (size_t e = 0; e < t->n_endpoints; e++) {
            size_t n = collect(res, (int)a, e, x);
            size_t nc = collect(res, (int)t->control, e, c);
            json_array_append_new(eps, comparison_stats(t, e, x, n, c, nc));
        }
        json_object_set_new(cmp, "endpoints", eps);
        json_array_append_new(comparisons, cmp);
    }
    json_object_set_new(root, "comparisons", comparisons);
    json_object_set_new(root, "disclaimer", json_string(DISCLAIMER));
    free(x);
    free(c);
    return root;
}
