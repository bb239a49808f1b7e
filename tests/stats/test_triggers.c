/*
 * Tests of the trigger scan (src/stats/triggers.c) on panels built in
 * memory: the FFT sums against a direct regression day by day, the
 * permutation p-value against a direct count over the same shifts,
 * planted triggers found with intervals covering them, false discoveries
 * at no more than the nominal rate over many seeds, the minimum-data gate,
 * co-occurrence warnings and independence from the thread count.
 */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gutskin/stats.h"

static int sanitized(void)
{
    const char *s = getenv("GS_SANITIZED");
    return s && strcmp(s, "1") == 0;
}

/* A panel of T days, E exposures (each eaten on a day with probability
 * 0.3; no food logged on 5% of days), one outcome: AR(1) with phi 0.5 and
 * noise sd 1, plus beta on the day `lag` after exposure `planted` (none
 * when planted < 0); 4% of outcome days missing.  Exposure `twin` (when
 * >= 0) copies exposure 0 except on 2% of days. */
static gs_daily *make_panel(unsigned long seed, size_t T, size_t E, int planted, int lag,
                            double beta, int twin)
{
    char names[64][32];
    const char *np[64];
    for (size_t e = 0; e < E; e++) {
        snprintf(names[e], sizeof names[e], "tag%zu", e);
        np[e] = names[e];
    }
    const char *outs[] = {"skin.itch"};
    gs_daily *p;
    gs_err err;
    assert_int_equal(gs_daily_alloc(20000, T, E, np, 1, outs, 0, NULL, &p, &err), GS_OK);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    for (size_t t = 0; t < T; t++) {
        int logged = gsl_rng_uniform(r) >= 0.05;
        for (size_t e = 0; e < E; e++)
            p->exposure[e * T + t] = logged ? (gsl_rng_uniform(r) < 0.3) : NAN;
        if (twin >= 0 && logged && gsl_rng_uniform(r) >= 0.02)
            p->exposure[(size_t)twin * T + t] = p->exposure[t];
    }
    double y = 4;
    for (size_t t = 0; t < T; t++) {
        double x = 0;
        if (planted >= 0 && t >= (size_t)lag) {
            x = p->exposure[(size_t)planted * T + t - (size_t)lag];
            if (isnan(x)) x = 0;
        }
        y = 4 + 0.5 * (y - 4) + beta * x + gsl_ran_gaussian(r, 1.0);
        p->outcome[t] = gsl_rng_uniform(r) < 0.04 ? NAN : y;
    }
    gsl_rng_free(r);
    return p;
}

/* Rows of outcome 0 for one exposure and lag. */
static const gs_trigger_row *find_row(const gs_trigger_scan *s, size_t e, int lag)
{
    for (size_t i = 0; i < s->n_rows; i++)
        if (s->rows[i].exposure == e && s->rows[i].lag == lag) return &s->rows[i];
    return NULL;
}

/* OLS of y_t on 1, x_{(t - lag + shift) mod T} (missing when t - lag < 0)
 * and y_{t-1}, directly (a GLS fit with phi = 0 is OLS). */
static int direct_fit(const gs_daily *p, size_t e, int lag, size_t shift, gs_gls_fit *fit,
                      size_t *n_exposed)
{
    size_t T = p->n_days, n = 0;
    int64_t *t = malloc(T * sizeof *t);
    double *X = malloc(T * 3 * sizeof *X), *y = malloc(T * sizeof *y);
    *n_exposed = 0;
    for (size_t d = 1; d < T; d++) {
        if (d < (size_t)lag) continue;
        double x = p->exposure[e * T + (d - (size_t)lag + shift) % T];
        double yy = p->outcome[d], yl = p->outcome[d - 1];
        if (isnan(x) || isnan(yy) || isnan(yl)) continue;
        t[n] = (int64_t)d;
        X[n * 3] = 1;
        X[n * 3 + 1] = x;
        X[n * 3 + 2] = yl;
        y[n] = yy;
        *n_exposed += x == 1;
        n++;
    }
    gs_err err;
    gs_status st = gs_stats_gls_ar1_at(t, X, y, n, 3, 0.0, fit, &err);
    free(t);
    free(X);
    free(y);
    return st == GS_OK ? (int)n : -1;
}

static void test_fft_sums_match_direct_regression(void **state)
{
    (void)state;
    gs_daily *p = make_panel(7, 200, 3, 1, 2, 1.0, -1);
    gs_trigger_opts o;
    gs_trigger_opts_default(&o);
    o.permutations = 150;
    o.seed = 11;
    size_t out = 0;
    gs_trigger_scan *s;
    gs_err err;
    assert_int_equal(gs_stats_triggers(p, &out, 1, &o, &s, &err), GS_OK);
    assert_int_equal(s->n_rows, 3 * 4);
    /* the shifts, drawn as documented in stats.h */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, o.seed);
    size_t shifts[150];
    for (size_t i = 0; i < 150; i++) shifts[i] = 7 + gsl_rng_uniform_int(r, 200 - 13);
    gsl_rng_free(r);
    for (size_t e = 0; e < 3; e++)
        for (int lag = 0; lag <= 3; lag++) {
            const gs_trigger_row *row = find_row(s, e, lag);
            assert_non_null(row);
            assert_true(row->tested);
            gs_gls_fit f;
            size_t ne;
            int n = direct_fit(p, e, lag, 0, &f, &ne);
            assert_int_equal(n, (int)row->n_days);
            assert_int_equal(ne, row->n_exposed);
            assert_true(fabs(f.coef[1] - row->effect) < 1e-8);
            assert_true(fabs(f.lo[1] - row->lo) < 1e-8 && fabs(f.hi[1] - row->hi) < 1e-8);
            double tobs = fabs(f.coef[1] / f.se[1]);
            assert_true(fabs(tobs - fabs(row->t)) < 1e-7);
            size_t extreme = 0;
            for (size_t i = 0; i < 150; i++) {
                gs_gls_fit g;
                direct_fit(p, e, lag, shifts[i], &g, &ne);
                if (fabs(g.coef[1] / g.se[1]) >= tobs * (1 - 1e-9)) extreme++;
            }
            double want = (double)(extreme + 1) / 151.0;
            if (extreme < 10) {
                /* the t tail fitted to every shift 7..193 in order */
                double ts[200], m = 0, v = 0, ac = 0;
                size_t n_sh = 0;
                for (size_t sh = 7; sh + 7 <= 200; sh++) {
                    gs_gls_fit g;
                    direct_fit(p, e, lag, sh, &g, &ne);
                    ts[n_sh++] = g.coef[1] / g.se[1];
                }
                for (size_t i = 0; i < n_sh; i++) m += ts[i] / (double)n_sh;
                for (size_t i = 0; i < n_sh; i++) v += (ts[i] - m) * (ts[i] - m);
                for (size_t i = 1; i < n_sh; i++) ac += (ts[i - 1] - m) * (ts[i] - m);
                ac /= v;
                v /= (double)(n_sh - 1);
                ac = ac < 0 ? 0 : ac > 0.95 ? 0.95 : ac;
                double df = (double)n_sh * (1 - ac) / (1 + ac) - 1;
                want = 2 * gsl_cdf_tdist_Q(fabs(row->t - m) / sqrt(v), df);
            }
            assert_true(fabs(row->p - want) < 1e-6 * want + 1e-12);
        }
    /* the planted one (exposure 1 at lag 2) stands out */
    assert_true(find_row(s, 1, 2)->p < 0.01);
    gs_trigger_scan_free(s);
    gs_daily_free(p);
}

static void test_planted_triggers_found(void **state)
{
    (void)state;
    int seeds = sanitized() ? 6 : 20, covered = 0;
    for (int k = 0; k < seeds; k++) {
        int lag = k % 4;
        double beta = 1.0 + 0.25 * (k % 3);
        gs_daily *p = make_panel(1000 + (unsigned long)k, 365, 12, 5, lag, beta, -1);
        gs_trigger_opts o;
        gs_trigger_opts_default(&o);
        o.permutations = 400;
        o.seed = (unsigned long)k + 1;
        size_t out = 0;
        gs_trigger_scan *s;
        gs_err err;
        assert_int_equal(gs_stats_triggers(p, &out, 1, &o, &s, &err), GS_OK);
        const gs_trigger_row *row = find_row(s, 5, lag);
        assert_true(row->tested);
        assert_true(row->q < 0.1);
        if (row->lo <= beta && beta <= row->hi) covered++;
        gs_trigger_scan_free(s);
        gs_daily_free(p);
    }
    /* 95% intervals: with 20 seeds, fewer than 16 covering has
       probability below 0.3% if the coverage is right */
    assert_true(covered >= seeds - (seeds >= 20 ? 4 : 2));
}

/* Journals with nothing planted: with BH at q < 0.1 under the complete
 * null, P(any discovery) <= 0.1.  Over 200 seeds the count of journals
 * with a discovery is Binomial(200, <= 0.1): 31 or more has probability
 * below 1% at exactly 0.1. */
static void test_null_false_discoveries_at_nominal_rate(void **state)
{
    (void)state;
    int seeds = sanitized() ? 40 : 200, with_discovery = 0;
    for (int k = 0; k < seeds; k++) {
        gs_daily *p = make_panel(50000 + (unsigned long)k, 300, 10, -1, 0, 0, -1);
        gs_trigger_opts o;
        gs_trigger_opts_default(&o);
        o.permutations = 500;
        o.seed = (unsigned long)k + 7;
        size_t out = 0;
        gs_trigger_scan *s;
        gs_err err;
        assert_int_equal(gs_stats_triggers(p, &out, 1, &o, &s, &err), GS_OK);
        int any = 0;
        for (size_t i = 0; i < s->n_rows; i++)
            if (s->rows[i].tested && s->rows[i].q < 0.1) any = 1;
        with_discovery += any;
        gs_trigger_scan_free(s);
        gs_daily_free(p);
    }
    print_message("null journals with a discovery at q < 0.1: %d of %d\n", with_discovery, seeds);
    assert_true(with_discovery <= (seeds == 200 ? 30 : 9));
}

static void test_minimum_data_gate(void **state)
{
    (void)state;
    gs_daily *p = make_panel(3, 120, 3, -1, 0, 0, -1);
    size_t T = p->n_days;
    /* exposure 2: eaten on exactly 6 days, each 20 days apart */
    for (size_t t = 0; t < T; t++)
        if (!isnan(p->exposure[2 * T + t])) p->exposure[2 * T + t] = 0;
    size_t eaten = 0;
    for (size_t t = 5; t < T && eaten < 6; t += 20) {
        p->exposure[2 * T + t] = 1;
        p->outcome[t] = p->outcome[t - 1] = 4;  /* make each a complete day */
        eaten++;
    }
    gs_trigger_opts o;
    gs_trigger_opts_default(&o);
    o.permutations = 50;
    o.lag_max = 0;
    size_t out = 0;
    gs_trigger_scan *s;
    gs_err err;
    assert_int_equal(gs_stats_triggers(p, &out, 1, &o, &s, &err), GS_OK);
    const gs_trigger_row *row = find_row(s, 2, 0);
    assert_false(row->tested);
    assert_int_equal(row->n_exposed, 6);
    assert_true(isnan(row->effect) && isnan(row->p) && isnan(row->q));
    /* 4 more exposed days at 6 per 120 days: 80 days */
    assert_int_equal(row->more_days, 80);
    assert_true(find_row(s, 0, 0)->tested);
    assert_int_equal(s->n_tested, 2);
    gs_trigger_scan_free(s);

    /* too short a journal is refused with the days still needed */
    gs_daily *q;
    const char *tag[] = {"dairy"}, *oc[] = {"skin.itch"};
    assert_int_equal(gs_daily_alloc(0, 20, 1, tag, 1, oc, 0, NULL, &q, &err), GS_OK);
    assert_int_equal(gs_stats_triggers(q, &out, 1, &o, &s, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "not enough data yet: about 10 more days"));
    gs_daily_free(q);
    gs_daily_free(p);
}

static void test_cooccurrence_warning(void **state)
{
    (void)state;
    gs_daily *p = make_panel(5, 200, 4, -1, 0, 0, 3);
    gs_trigger_opts o;
    gs_trigger_opts_default(&o);
    o.permutations = 20;
    size_t out = 0;
    gs_trigger_scan *s;
    gs_err err;
    assert_int_equal(gs_stats_triggers(p, &out, 1, &o, &s, &err), GS_OK);
    assert_int_equal(s->n_pairs, 1);
    assert_int_equal(s->pairs[0].a, 0);
    assert_int_equal(s->pairs[0].b, 3);
    assert_true(s->pairs[0].jaccard >= 0.9);
    assert_int_equal(find_row(s, 3, 1)->cooccurs_with, 0);
    assert_int_equal(find_row(s, 1, 1)->cooccurs_with, -1);
    gs_trigger_scan_free(s);
    gs_daily_free(p);
}

static void test_threads_do_not_change_results(void **state)
{
    (void)state;
    gs_daily *p = make_panel(9, 400, 16, 3, 1, 0.8, -1);
    gs_trigger_opts o;
    gs_trigger_opts_default(&o);
    o.permutations = 300;
    size_t out = 0;
    gs_trigger_scan *a, *b;
    gs_err err;
    o.threads = 1;
    assert_int_equal(gs_stats_triggers(p, &out, 1, &o, &a, &err), GS_OK);
    o.threads = 2;
    assert_int_equal(gs_stats_triggers(p, &out, 1, &o, &b, &err), GS_OK);
    assert_int_equal(a->n_rows, b->n_rows);
    assert_memory_equal(a->rows, b->rows, a->n_rows * sizeof *a->rows);
    gs_trigger_scan_free(a);
    gs_trigger_scan_free(b);
    gs_daily_free(p);
}

/* A passenger: tag 4 is eaten with tag 1 on most days, only tag 1 acts.
 * Alone, tag 4 looks like a trigger; allowing for tag 1 its effect goes
 * to about 0, while tag 1 allowing for tag 4 keeps its effect. */
static void test_adjusted_passenger(void **state)
{
    (void)state;
    gs_daily *p = make_panel(21, 400, 6, -1, 1, 0, -1);
    size_t T = p->n_days;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 3);
    for (size_t t = 0; t < T; t++) {
        double x1 = p->exposure[1 * T + t];
        if (!isnan(x1) && gsl_rng_uniform(r) < 0.75) p->exposure[4 * T + t] = x1;
    }
    /* the outcome, driven by tag 1 alone the day after */
    double y = 4;
    for (size_t t = 0; t < T; t++) {
        double x = t >= 1 && !isnan(p->exposure[1 * T + t - 1]) ? p->exposure[1 * T + t - 1] : 0;
        y = 4 + 0.5 * (y - 4) + 1.5 * x + gsl_ran_gaussian(r, 1.0);
        p->outcome[t] = y;
    }
    gsl_rng_free(r);
    gs_trigger_opts o;
    gs_trigger_opts_default(&o);
    o.permutations = 300;
    size_t out = 0;
    gs_trigger_scan *s;
    gs_err err;
    assert_int_equal(gs_stats_triggers(p, &out, 1, &o, &s, &err), GS_OK);
    assert_true(find_row(s, 4, 1)->q < 0.1);  /* alone it looks like a trigger */
    double e, lo, hi;
    size_t n;
    assert_int_equal(gs_stats_trigger_adjusted(p, 0, 1, 4, 1, &e, &lo, &hi, &n, &err), GS_OK);
    assert_true(lo < 0 && hi > 0);
    assert_int_equal(gs_stats_trigger_adjusted(p, 0, 1, 1, 4, &e, &lo, &hi, &n, &err), GS_OK);
    assert_true(lo <= 1.5 && 1.5 <= hi);
    gs_trigger_scan_free(s);
    gs_daily_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fft_sums_match_direct_regression),
        cmocka_unit_test(test_planted_triggers_found),
        cmocka_unit_test(test_null_false_discoveries_at_nominal_rate),
        cmocka_unit_test(test_minimum_data_gate),
        cmocka_unit_test(test_cooccurrence_warning),
        cmocka_unit_test(test_threads_do_not_change_results),
        cmocka_unit_test(test_adjusted_passenger),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
