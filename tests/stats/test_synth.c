/*
 * Synthetic journals (src/stats/synth.c) through the whole analysis in
 * process: CSV -> entries -> daily panel (src/stats/daily.c) -> trigger
 * scan and segmented regression.  Realistic journals: tags co-occur as in
 * meals, weekends differ, days are missed.
 *   - every written row passes the journal's entry check;
 *   - planted triggers are found (q < 0.1, interval covering the planted
 *     effect) over many seeds;
 *   - journals with nothing planted give a discovery in no more than the
 *     nominal share of seeds (binomial bound);
 *   - a planted intervention effect is recovered.
 * For a longer measurement of the null rate: GS_NULL_SEEDS=1000 (the
 * bound then no longer applies) and GS_DIAG=1 to print every null test's
 * tag, lag, p and exposed days.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gutskin/daily.h"
#include "gutskin/stats.h"
#include "gutskin/synth.h"
#include "journal/csv.h"

static gs_lexicon *lex;

static int sanitized(void)
{
    const char *s = getenv("GS_SANITIZED");
    return s && strcmp(s, "1") == 0;
}

static int setup(void **state)
{
    (void)state;
    gs_err err;
    return gs_lexicon_load(NULL, &lex, &err) == GS_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    gs_lexicon_free(lex);
    return 0;
}

/* Write the journal of o, read it back as checked entries, build the panel. */
static gs_daily *synth_panel(const gs_synth_opts *o)
{
    char path[] = "/tmp/gs-synth-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    gs_err err;
    assert_int_equal(gs_synth_write(o, lex, f, &err), GS_OK);
    fclose(f);
    gs_csv csv;
    assert_int_equal(gs_csv_open(&csv, path, &err), GS_OK);
    size_t cap = 1024, n = 0, nf;
    gs_event *ev = malloc(cap * sizeof *ev);
    char *fields[8];
    long line;
    assert_int_equal(gs_csv_next(&csv, fields, 8, &nf, &line, &err), 1);  /* header */
    assert_string_equal(fields[0], "timestamp");
    int r;
    while ((r = gs_csv_next(&csv, fields, 8, &nf, &line, &err)) == 1) {
        assert_int_equal(nf, 6);
        if (n == cap) ev = realloc(ev, (cap *= 2) * sizeof *ev);
        gs_event_kind kind;
        assert_int_equal(gs_event_kind_parse(fields[1], &kind, &err), GS_OK);
        gs_event_init(&ev[n], kind);
        assert_int_equal(gs_time_parse(fields[0], &ev[n].at, &err), GS_OK);
        snprintf(ev[n].name, sizeof ev[n].name, "%s", fields[2]);
        ev[n].value = fields[3][0] ? strtod(fields[3], NULL) : NAN;
        snprintf(ev[n].unit, sizeof ev[n].unit, "%s", fields[4]);
        if (gs_event_check(&ev[n], &err) != GS_OK) fail_msg("line %ld: %s", line, err.msg);
        n++;
    }
    assert_int_equal(r, 0);
    gs_csv_free(&csv);
    remove(path);
    gs_daily *p;
    assert_int_equal(gs_daily_build(ev, n, lex, 240, &p, &err), GS_OK);
    free(ev);
    return p;
}

static gs_trigger_scan *scan(const gs_daily *p, const char *outcome, size_t perms,
                             unsigned long seed)
{
    int k = gs_daily_outcome_index(p, outcome);
    assert_true(k >= 0);
    size_t o = (size_t)k;
    gs_trigger_opts opts;
    gs_trigger_opts_default(&opts);
    opts.permutations = perms;
    opts.seed = seed;
    gs_trigger_scan *s;
    gs_err err;
    assert_int_equal(gs_stats_triggers(p, &o, 1, &opts, &s, &err), GS_OK);
    return s;
}

static void test_panel_shape(void **state)
{
    (void)state;
    gs_synth_opts o;
    gs_synth_opts_default(&o);
    o.days = 120;
    o.n_effects = 1;
    gs_err err;
    assert_int_equal(gs_synth_parse_effect("zinc:60:-1:100", &o.effects[0], &err), GS_OK);
    gs_daily *p = synth_panel(&o);
    assert_int_equal(p->n_days, 120);
    assert_int_equal(p->n_exposures, gs_lexicon_tag_count(lex));
    assert_true(gs_daily_outcome_index(p, "skin.itch") >= 0);
    assert_true(gs_daily_outcome_index(p, "sleep.hours") >= 0);
    int z = gs_daily_intervention_index(p, "zinc");
    assert_true(z >= 0);
    assert_int_equal(p->first_start[z], 60);
    /* active from its start day up to (not including) its stop day */
    for (size_t d = 0; d < 120; d++)
        assert_int_equal(p->active[(size_t)z * 120 + d], d >= 60 && d < 100);
    /* some days without food (NaN), the rest 0/1 */
    size_t missing = 0;
    for (size_t d = 0; d < 120; d++) {
        double x = p->exposure[d];
        if (isnan(x)) missing++;
        else assert_true(x == 0 || x == 1);
    }
    assert_true(missing > 0 && missing < 30);
    gs_daily_free(p);
    /* bad plants are refused naming the range */
    gs_synth_trigger t;
    assert_int_equal(gs_synth_parse_trigger("dairy:5:1", &t, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "0 to 3"));
    o.n_triggers = 1;
    assert_int_equal(gs_synth_parse_trigger("moonbeams:1:1", &o.triggers[0], &err), GS_OK);
    FILE *devnull = fopen("/dev/null", "w");
    assert_int_equal(gs_synth_write(&o, lex, devnull, &err), GS_ERR_INPUT);
    fclose(devnull);
    assert_non_null(strstr(err.msg, "moonbeams"));
}

static void test_planted_triggers_found(void **state)
{
    (void)state;
    /* tags eaten on a fair share of days (dairy, near daily here, would
       mostly stop at the minimum-data gate) */
    const char *plants[] = {"fried:0:1.5", "gluten:1:1.2", "chocolate:2:1.2", "high_fibre:1:1.2",
                            "eggs:3:1.5"};
    int seeds = sanitized() ? 3 : 15, found = 0, covered = 0;
    for (int k = 0; k < seeds; k++) {
        gs_synth_opts o;
        gs_synth_opts_default(&o);
        o.days = 540;
        o.seed = 100 + (unsigned long)k;
        o.n_triggers = 1;
        gs_err err;
        assert_int_equal(gs_synth_parse_trigger(plants[k % 5], &o.triggers[0], &err), GS_OK);
        gs_daily *p = synth_panel(&o);
        gs_trigger_scan *s = scan(p, "skin.itch", 1000, (unsigned long)k + 1);
        int tag = gs_daily_exposure_index(p, o.triggers[0].tag);
        const gs_trigger_row *hit = NULL;
        for (size_t i = 0; i < s->n_rows; i++)
            if ((int)s->rows[i].exposure == tag && s->rows[i].lag == o.triggers[0].lag)
                hit = &s->rows[i];
        assert_non_null(hit);
        assert_true(hit->tested);
        double eff = o.triggers[0].effect;
        found += hit->q < 0.1;
        covered += hit->lo <= eff && eff <= hit->hi;
        if (hit->q >= 0.1 || !(hit->lo <= eff && eff <= hit->hi))
            print_message("seed %d %s: effect %.2f (%.2f to %.2f) q %.3g, %zu/%zu days\n", k,
                          plants[k % 5], hit->effect, hit->lo, hit->hi, hit->q, hit->n_exposed,
                          hit->n_unexposed);
        gs_trigger_scan_free(s);
        gs_daily_free(p);
    }
    print_message("planted triggers: found %d, covered %d of %d\n", found, covered, seeds);
    assert_int_equal(found, seeds);
    /* 95% intervals over 15 seeds: 12 or fewer covering has probability
       about 3.6% if coverage is right */
    assert_true(covered >= seeds - (seeds >= 15 ? 2 : 1));
}

/* No plants: under BH at q < 0.1, P(any discovery) <= 0.1 when nothing
 * is real.  Over 200 seeds the count is Binomial(200, <= 0.1): 31 or more
 * has probability below 1%. */
static void test_null_journals_false_discoveries(void **state)
{
    (void)state;
    int seeds = sanitized() ? 20 : (getenv("GS_NULL_SEEDS") ? atoi(getenv("GS_NULL_SEEDS")) : 200), any = 0;
    for (int k = 0; k < seeds; k++) {
        gs_synth_opts o;
        gs_synth_opts_default(&o);
        o.days = 365;
        o.seed = 7000 + (unsigned long)k;
        gs_daily *p = synth_panel(&o);
        gs_trigger_scan *s = scan(p, "skin.itch", 500, (unsigned long)k + 1);
        int hit = 0;
        for (size_t i = 0; i < s->n_rows; i++) {
            if (s->rows[i].tested && s->rows[i].q < 0.1) hit = 1;
            if (getenv("GS_DIAG") && s->rows[i].tested)
                printf("DIAG %s %d %g %zu\n", p->exposure_names[s->rows[i].exposure], s->rows[i].lag, s->rows[i].p, s->rows[i].n_exposed);
        }
        any += hit;
        gs_trigger_scan_free(s);
        gs_daily_free(p);
    }
    print_message("null synthetic journals with a discovery at q < 0.1: %d of %d\n", any, seeds);
    assert_true(any <= (seeds == 200 ? 30 : 6));
}

static void test_planted_effect_recovered(void **state)
{
    (void)state;
    int seeds = sanitized() ? 3 : 20, covered = 0, clear = 0;
    for (int k = 0; k < seeds; k++) {
        gs_synth_opts o;
        gs_synth_opts_default(&o);
        o.days = 300;
        o.seed = 900 + (unsigned long)k;
        o.n_effects = 1;
        gs_err err;
        assert_int_equal(gs_synth_parse_effect("zinc:150:-2", &o.effects[0], &err), GS_OK);
        gs_daily *p = synth_panel(&o);
        size_t oi = (size_t)gs_daily_outcome_index(p, "skin.itch"), n = 0;
        int64_t day[300];
        double y[300];
        for (size_t d = 0; d < p->n_days; d++)
            if (!isnan(p->outcome[oi * p->n_days + d])) {
                day[n] = (int64_t)d;
                y[n++] = p->outcome[oi * p->n_days + d];
            }
        gs_segmented seg;
        assert_int_equal(gs_stats_segmented(day, y, n, p->first_start[0], 0, &seg, &err), GS_OK);
        clear += seg.fit.hi[GS_SEG_LEVEL] < 0;  /* a fall, clearly */
        covered += seg.fit.lo[GS_SEG_LEVEL] <= -2 && -2 <= seg.fit.hi[GS_SEG_LEVEL];
        gs_daily_free(p);
    }
    print_message("planted effect -2: clear fall in %d, covered in %d of %d\n", clear, covered,
                  seeds);
    /* scores are logged as whole numbers, which blurs the AR(1) a little:
       coverage measured at 54 of 60 seeds (docs/statistics.md) */
    assert_true(clear >= seeds - (seeds >= 20 ? 2 : 1));
    assert_true(covered >= seeds - (seeds >= 20 ? 4 : 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_panel_shape),
        cmocka_unit_test(test_planted_triggers_found),
        cmocka_unit_test(test_null_journals_false_discoveries),
        cmocka_unit_test(test_planted_effect_recovered),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
