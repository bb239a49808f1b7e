/*
 * triggers_bench.c - the trigger scan of issue 4's benchmark: 3 years
 * (1095 days), 300 exposures, lags 0-3, 3 outcomes, 1000 circular shifts
 * (3600 tests, 3.6 million regressions).
 *
 * usage: triggers_bench DIR [THREADS]
 * Generates the panel (seed 1; exposures eaten on 5-50% of days, 5% of
 * days without food logged, AR(1) outcomes with 3% missing and three
 * planted triggers), writes it to DIR/exposures.csv, DIR/outcomes.csv and
 * the shifts to DIR/shifts.csv (so bench/stats/triggers.R runs the same
 * tests on the same data), times gs_stats_triggers (wall and CPU clock
 * around the call only), writes its rows to DIR/c_rows.csv and prints
 * one JSON line with the times.
 */
#define _POSIX_C_SOURCE 200809L
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "gutskin/stats.h"

#define DAYS 1095
#define EXPOSURES 300
#define OUTCOMES 3
#define SHIFTS 1000

static double now(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: triggers_bench DIR [THREADS]\n");
        return 2;
    }
    const char *dir = argv[1];
    int threads = argc > 2 ? atoi(argv[2]) : 1;
    char names[EXPOSURES][16];
    const char *np[EXPOSURES], *outs[OUTCOMES] = {"skin.itch", "gut.bloating", "skin.redness"};
    for (int e = 0; e < EXPOSURES; e++) {
        snprintf(names[e], sizeof names[e], "tag%03d", e);
        np[e] = names[e];
    }
    gs_daily *p;
    gs_err err;
    if (gs_daily_alloc(20000, DAYS, EXPOSURES, np, OUTCOMES, outs, 0, NULL, &p, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 1);
    double rate[EXPOSURES];
    for (int e = 0; e < EXPOSURES; e++) rate[e] = 0.05 + 0.45 * gsl_rng_uniform(r);
    for (size_t t = 0; t < DAYS; t++) {
        int logged = gsl_rng_uniform(r) >= 0.05;
        for (size_t e = 0; e < EXPOSURES; e++)
            p->exposure[e * DAYS + t] = logged ? (gsl_rng_uniform(r) < rate[e]) : NAN;
    }
    /* planted: tag010 at lag 1 on outcome 0, tag020 at lag 0 on outcome 1,
       tag030 at lag 2 on outcome 2 */
    const int plant_e[OUTCOMES] = {10, 20, 30}, plant_lag[OUTCOMES] = {1, 0, 2};
    for (size_t o = 0; o < OUTCOMES; o++) {
        double u = 0;
        for (size_t t = 0; t < DAYS; t++) {
            double x = 0;
            if (t >= (size_t)plant_lag[o]) {
                x = p->exposure[(size_t)plant_e[o] * DAYS + t - (size_t)plant_lag[o]];
                if (isnan(x)) x = 0;
            }
            u = 0.5 * u + 0.8 * x + gsl_ran_gaussian(r, 1.0);
            p->outcome[o * DAYS + t] = gsl_rng_uniform(r) < 0.03 ? NAN : 4 + u;
        }
    }
    gsl_rng_free(r);

    char path[4096];
    snprintf(path, sizeof path, "%s/exposures.csv", dir);
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return 1;
    }
    for (int e = 0; e < EXPOSURES; e++) fprintf(f, "%s%s", e ? "," : "", names[e]);
    fprintf(f, "\n");
    for (size_t t = 0; t < DAYS; t++)
        for (size_t e = 0; e < EXPOSURES; e++) {
            double x = p->exposure[e * DAYS + t];
            if (isnan(x)) fputs("NA", f);
            else fprintf(f, "%.0f", x);
            fputc(e + 1 < EXPOSURES ? ',' : '\n', f);
        }
    fclose(f);
    snprintf(path, sizeof path, "%s/outcomes.csv", dir);
    f = fopen(path, "w");
    fprintf(f, "%s,%s,%s\n", outs[0], outs[1], outs[2]);
    for (size_t t = 0; t < DAYS; t++)
        for (size_t o = 0; o < OUTCOMES; o++) {
            double y = p->outcome[o * DAYS + t];
            if (isnan(y)) fprintf(f, "NA");
            else fprintf(f, "%.17g", y);
            fputc(o + 1 < OUTCOMES ? ',' : '\n', f);
        }
    fclose(f);
    /* the shifts, drawn as gs_stats_triggers documents */
    snprintf(path, sizeof path, "%s/shifts.csv", dir);
    f = fopen(path, "w");
    gsl_rng *rs = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rs, 1);
    fprintf(f, "shift\n");
    for (int i = 0; i < SHIFTS; i++) fprintf(f, "%lu\n", 7 + gsl_rng_uniform_int(rs, DAYS - 13));
    gsl_rng_free(rs);
    fclose(f);

    gs_trigger_opts opts;
    gs_trigger_opts_default(&opts);
    opts.permutations = SHIFTS;
    opts.seed = 1;
    opts.threads = threads;
    size_t outcomes[OUTCOMES] = {0, 1, 2};
    gs_trigger_scan *s;
    double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    gs_status st = gs_stats_triggers(p, outcomes, OUTCOMES, &opts, &s, &err);
    double w1 = now(CLOCK_MONOTONIC), c1 = now(CLOCK_PROCESS_CPUTIME_ID);
    if (st) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    snprintf(path, sizeof path, "%s/c_rows.csv", dir);
    f = fopen(path, "w");
    fprintf(f, "tag,outcome,lag,tested,effect,low,high,p,q\n");
    size_t found = 0;
    for (size_t i = 0; i < s->n_rows; i++) {
        const gs_trigger_row *row = &s->rows[i];
        fprintf(f, "%s,%s,%d,%d,%.10g,%.10g,%.10g,%.10g,%.10g\n", names[row->exposure],
                outs[row->outcome], row->lag, row->tested, row->effect, row->lo, row->hi, row->p,
                row->q);
        found += row->tested && row->q < 0.1;
    }
    fclose(f);
    printf("{\"days\": %d, \"exposures\": %d, \"outcomes\": %d, \"lags\": 4, \"shifts\": %d, "
           "\"tests\": %zu, \"threads\": %d, \"wall_s\": %.4f, \"cpu_s\": %.4f, "
           "\"discoveries\": %zu}\n",
           DAYS, EXPOSURES, OUTCOMES, SHIFTS, s->n_tested, threads, w1 - w0, c1 - c0, found);
    gs_trigger_scan_free(s);
    gs_daily_free(p);
    return 0;
}
