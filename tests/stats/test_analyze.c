/*
 * Tests of the analyses as library calls (include/gutskin/analyze.h):
 * every refused option names itself, its text and what is allowed, in the
 * query-parameter or the command's spelling, and *field names it; the
 * documents have the keys the command and the server print; on a panel
 * with a planted trigger (dairy, lag 1, +2) and a planted intervention
 * effect (zinc, -2) the documents find both, and agree with calling the
 * statistics directly; power answers without a journal; the journal
 * becomes a panel through gs_analyze_panel.
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "gutskin/analyze.h"

#define T_DAYS 240
#define ZINC_DAY 150

/* 240 days: dairy, fried and nuts each eaten on a day with probability
 * 0.3; skin.itch = 3 + 2 dairy(day before) + AR(1) noise (phi 0.4, sd 1);
 * gut.bloating = 4 - 2 from day 150 (zinc started) + the same kind of
 * noise.  No day is missing. */
static gs_daily *planted_panel(unsigned long seed)
{
    const char *tags[] = {"dairy", "fried", "nuts"};
    const char *outs[] = {"gut.bloating", "skin.itch"};
    const char *ivs[] = {"zinc"};
    gs_daily *p;
    gs_err err;
    assert_int_equal(gs_daily_alloc(20000, T_DAYS, 3, tags, 2, outs, 1, ivs, &p, &err), GS_OK);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    double e_itch = 0, e_bloat = 0;
    for (size_t t = 0; t < T_DAYS; t++) {
        for (size_t e = 0; e < 3; e++) p->exposure[e * T_DAYS + t] = gsl_rng_uniform(r) < 0.3;
        e_itch = 0.4 * e_itch + gsl_ran_gaussian(r, 1);
        e_bloat = 0.4 * e_bloat + gsl_ran_gaussian(r, 1);
        double dairy_before = t > 0 ? p->exposure[t - 1] : 0;
        p->outcome[1 * T_DAYS + t] = 3 + 2 * dairy_before + e_itch;
        p->outcome[0 * T_DAYS + t] = 4 - (t >= ZINC_DAY ? 2 : 0) + e_bloat;
        p->active[t] = t >= ZINC_DAY;
    }
    p->first_start[0] = ZINC_DAY;
    gsl_rng_free(r);
    return p;
}

/* Does doc have exactly the keys in want (NULL-terminated)? */
static void assert_keys(const json_t *doc, const char *const *want)
{
    size_t n = 0;
    for (; want[n]; n++)
        if (!json_object_get(doc, want[n])) fail_msg("the document lacks \"%s\"", want[n]);
    assert_int_equal(json_object_size(doc), n);
}

/* ---- options ------------------------------------------------------------------ */

static void test_set_names_option_and_range(void **state)
{
    (void)state;
    gs_analyze_opts o;
    gs_err err;
    gs_analyze_opts_default(&o, GS_ANALYZE_TRIGGERS);
    assert_int_equal(gs_analyze_opts_set(&o, "lags", "0-9", &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "lags '0-9'"));
    assert_non_null(strstr(err.msg, "0 <= A <= B <= 3"));
    assert_null(strstr(err.msg, "--"));
    assert_int_equal(gs_analyze_opts_set(&o, "permutations", "abc", &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "permutations 'abc' must be a whole number from 1 to 1000000"));
    /* the command's spelling: --min-days, whichever way the name is written */
    o.cli_spelling = 1;
    assert_int_equal(gs_analyze_opts_set(&o, "min-days", "2", &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "--min-days '2' must be a whole number from 3 to 1000"));
    assert_int_equal(gs_analyze_opts_set(&o, "min_days", "12", &err), GS_OK);
    assert_int_equal(o.min_days, 12);
    assert_int_equal(gs_analyze_opts_set(&o, "lags", "2", &err), GS_OK);
    assert_int_equal(o.lag_min, 2);
    assert_int_equal(o.lag_max, 2);
    /* an option of another analysis: refused, listing those it takes */
    assert_int_equal(gs_analyze_opts_set(&o, "washin", "3", &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "'washin' is not an option of analyze triggers"));
    assert_non_null(strstr(err.msg, "--permutations"));
    /* outcomes add up in a scan, and replace each other elsewhere */
    assert_int_equal(gs_analyze_opts_set(&o, "outcome", "itch", &err), GS_OK);
    assert_int_equal(gs_analyze_opts_set(&o, "outcome", "gut.bloating", &err), GS_OK);
    assert_int_equal(o.n_outcomes, 2);
    gs_analyze_opts_default(&o, GS_ANALYZE_POWER);
    assert_int_equal(gs_analyze_opts_set(&o, "outcome", "itch", &err), GS_OK);
    assert_int_equal(gs_analyze_opts_set(&o, "outcome", "skin.redness", &err), GS_OK);
    assert_int_equal(o.n_outcomes, 1);
    assert_string_equal(o.outcomes[0], "skin.redness");
    assert_int_equal(gs_analyze_opts_set(&o, "change", "-5x", &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "change '-5x' must be a number from -100 to 100"));
    assert_int_equal(gs_analyze_opts_set(&o, "phi", "0.995", &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "phi '0.995' must be a number from -0.99 to 0.99"));
    /* threads are the command's only: the server's list leaves them out */
    const char *name;
    int web_threads = 0, cli_threads = 0;
    for (size_t i = 0; (name = gs_analyze_option_name(GS_ANALYZE_TRIGGERS, 1, i)); i++)
        web_threads |= strcmp(name, "threads") == 0;
    for (size_t i = 0; (name = gs_analyze_option_name(GS_ANALYZE_TRIGGERS, 0, i)); i++)
        cli_threads |= strcmp(name, "threads") == 0;
    assert_false(web_threads);
    assert_true(cli_threads);
}

/* gs_analyze_check on a struct filled in C: the field at fault. */
static void expect_field(const gs_analyze_opts *o, const char *field, const char *words)
{
    const char *f = "unset";
    gs_err err;
    gs_status st = gs_analyze_check(o, &f, &err);
    if (st != GS_ERR_INPUT) fail_msg("expected a refusal naming %s", field);
    assert_string_equal(f, field);
    if (!strstr(err.msg, words)) fail_msg("\"%s\" does not say \"%s\"", err.msg, words);
}

static void test_check_names_the_field(void **state)
{
    (void)state;
    gs_analyze_opts o;
    const char *f = "unset";
    gs_err err;
    gs_analyze_opts_default(&o, GS_ANALYZE_TRIGGERS);
    assert_int_equal(gs_analyze_check(&o, &f, &err), GS_OK);
    assert_null(f);
    o.permutations = 0;
    expect_field(&o, "permutations", "from 1 to 1000000");
    gs_analyze_opts_default(&o, GS_ANALYZE_TRIGGERS);
    o.lag_min = 2;
    o.lag_max = 1;
    expect_field(&o, "lags", "'2-1'");
    gs_analyze_opts_default(&o, GS_ANALYZE_TRIGGERS);
    o.min_days = 2;
    expect_field(&o, "min_days", "from 3 to 1000");
    gs_analyze_opts_default(&o, GS_ANALYZE_EFFECT);
    expect_field(&o, "name", "name is required");
    o.name = "zinc";
    o.washin = 400;
    expect_field(&o, "washin", "from 0 to 365");
    gs_analyze_opts_default(&o, GS_ANALYZE_POWER);
    expect_field(&o, "change", "change is required");
    o.change = 0;
    expect_field(&o, "change", "must not be 0");
    o.change = 1;
    o.sd = 1;
    expect_field(&o, "phi", "sd and phi together");
    o.sd = NAN;
    o.phi = 0.3;
    expect_field(&o, "sd", "sd and phi together");
    o.sd = 1;
    o.before = 2;
    expect_field(&o, "before", "from 3 to 36500");
    o.before = 0;   /* not given: the default */
    assert_int_equal(gs_analyze_check(&o, &f, &err), GS_OK);
    assert_false(gs_analyze_needs_journal(&o));
}

/* ---- the documents ----------------------------------------------------------- */

static const char *const TRIGGER_KEYS[] = {"first_day", "last_day", "days", "tests",
                                           "permutations", "seed", "tags_never_eaten", "q_level",
                                           "rows", "together", "disclaimer", NULL};
static const char *const ROW_KEYS[] = {"tag", "lag", "outcome", "tested", "days", "days_with",
                                       "days_without", "effect", "low", "high", "p", "q",
                                       "more_days", "together_with", NULL};

static void test_triggers_document(void **state)
{
    (void)state;
    gs_daily *p = planted_panel(7);
    gs_analyze_opts o;
    gs_analyze_opts_default(&o, GS_ANALYZE_TRIGGERS);
    o.outcomes[o.n_outcomes++] = "itch";   /* one kind has it: skin.itch */
    o.permutations = 200;
    o.seed = 5;
    json_t *doc = NULL;
    const char *field = "unset";
    gs_err err;
    gs_status st = gs_analyze_run(p, &o, &doc, &field, &err);
    if (st) fail_msg("%s", err.msg);
    assert_keys(doc, TRIGGER_KEYS);
    assert_int_equal(json_integer_value(json_object_get(doc, "days")), T_DAYS);
    assert_int_equal(json_integer_value(json_object_get(doc, "permutations")), 200);
    assert_int_equal(json_integer_value(json_object_get(doc, "seed")), 5);
    assert_non_null(strstr(json_string_value(json_object_get(doc, "disclaimer")),
                           "Not a diagnosis"));
    /* the same scan run directly: the document carries its numbers */
    gs_trigger_opts t;
    gs_trigger_opts_default(&t);
    t.permutations = 200;
    t.seed = 5;
    size_t itch = 1;
    gs_trigger_scan *s;
    assert_int_equal(gs_stats_triggers(p, &itch, 1, &t, &s, &err), GS_OK);
    json_t *rows = json_object_get(doc, "rows");
    assert_int_equal(json_array_size(rows), 3 * 4);   /* tags x lags x one outcome */
    assert_int_equal(json_array_size(rows), s->n_rows);
    int found = 0;
    for (size_t i = 0; i < s->n_rows; i++) {
        json_t *r = json_array_get(rows, i);
        const gs_trigger_row *x = &s->rows[i];
        if (i == 0) assert_keys(r, ROW_KEYS);
        assert_string_equal(json_string_value(json_object_get(r, "tag")),
                            p->exposure_names[x->exposure]);
        assert_string_equal(json_string_value(json_object_get(r, "outcome")), "skin.itch");
        assert_int_equal(json_integer_value(json_object_get(r, "lag")), x->lag);
        assert_true(x->tested);
        assert_true(json_real_value(json_object_get(r, "effect")) == x->effect);
        assert_true(json_real_value(json_object_get(r, "q")) == x->q);
        if (x->exposure == 0 && x->lag == 1) {
            found = 1;
            assert_true(x->q < GS_ANALYZE_Q_LEVEL);
            assert_true(x->lo <= 2 && 2 <= x->hi);
        }
    }
    assert_true(found);
    gs_trigger_scan_free(s);
    json_decref(doc);
    gs_daily_free(p);
}

static const char *const EFFECT_KEYS[] = {"intervention", "outcome", "washin", "days_before",
                                          "days_after", "coefficients", "phi", "sigma",
                                          "reading", "disclaimer", "run", "runs",
                                          "run_start", "run_last_day", "run_stopped",
                                          "before_from", NULL};

static void test_effect_document(void **state)
{
    (void)state;
    gs_daily *p = planted_panel(7);
    gs_analyze_opts o;
    gs_analyze_opts_default(&o, GS_ANALYZE_EFFECT);
    o.name = "zinc";
    o.outcomes[o.n_outcomes++] = "gut.bloating";
    json_t *doc = NULL;
    gs_err err;
    gs_status st = gs_analyze_run(p, &o, &doc, NULL, &err);
    if (st) fail_msg("%s", err.msg);
    assert_keys(doc, EFFECT_KEYS);   /* a clear change: no "more days" */
    assert_int_equal(json_integer_value(json_object_get(doc, "days_before")), ZINC_DAY);
    assert_int_equal(json_integer_value(json_object_get(doc, "days_after")), T_DAYS - ZINC_DAY);
    /* the same regression run directly: the document carries its numbers */
    int64_t day[T_DAYS];
    for (size_t t = 0; t < T_DAYS; t++) day[t] = (int64_t)t;
    gs_segmented seg;
    assert_int_equal(gs_stats_segmented(day, p->outcome, T_DAYS, ZINC_DAY, 0, &seg, &err), GS_OK);
    json_t *level = json_object_get(json_object_get(doc, "coefficients"), "level");
    double est = json_real_value(json_object_get(level, "estimate")),
           se = json_real_value(json_object_get(level, "se")),
           hi = json_real_value(json_object_get(level, "high"));
    assert_true(est == seg.fit.coef[GS_SEG_LEVEL] && se == seg.fit.se[GS_SEG_LEVEL]);
    assert_true(json_real_value(json_object_get(doc, "phi")) == seg.fit.phi);
    /* a clear fall, near the planted -2 */
    if (!(hi < 0 && fabs(est + 2) < 3 * se)) fail_msg("level %g (se %g)", est, se);
    assert_non_null(strstr(json_string_value(json_object_get(doc, "reading")),
                           "gut.bloating fell by"));
    json_decref(doc);
    /* skin.itch (the default outcome) did not move with zinc: how many more days */
    o.n_outcomes = 0;
    assert_int_equal(gs_analyze_run(p, &o, &doc, NULL, &err), GS_OK);
    assert_string_equal(json_string_value(json_object_get(doc, "outcome")), "skin.itch");
    json_t *more = json_object_get(doc, "more_days_reading");
    level = json_object_get(json_object_get(doc, "coefficients"), "level");
    if (json_real_value(json_object_get(level, "low")) <= 0 &&
        json_real_value(json_object_get(level, "high")) >= 0)
        assert_non_null(more);
    json_decref(doc);
    gs_daily_free(p);
}

/* Two runs of zinc: days 100-159 and 200-239; gut.bloating is 2 lower
 * while it runs and back at 4 between the runs.  Each run is analysed
 * against the days back to the previous run's stop only, exactly as the
 * segmented regression on those days alone; the default is the last run;
 * a run past the count is refused naming "run". */
static void test_effect_runs(void **state)
{
    (void)state;
    gs_daily *p = planted_panel(11);
    for (size_t t = 0; t < T_DAYS; t++) {
        int on = (t >= 100 && t < 160) || t >= 200;
        int was_on = t >= ZINC_DAY;   /* as planted_panel set it */
        p->outcome[t] += 2.0 * was_on - 2.0 * on;
        p->active[t] = (unsigned char)on;
    }
    p->first_start[0] = 100;
    gs_analyze_opts o;
    gs_analyze_opts_default(&o, GS_ANALYZE_EFFECT);
    o.name = "zinc";
    o.outcomes[o.n_outcomes++] = "gut.bloating";
    static const struct {
        size_t run, from, start, end;
        const char *start_date, *from_date;
    } want[] = {{1, 0, 100, 160, "2025-01-12", "2024-10-04"},
                {2, 160, 200, T_DAYS, "2025-04-22", "2025-03-13"},
                {0, 160, 200, T_DAYS, "2025-04-22", "2025-03-13"}};
    gs_err err;
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        o.run = want[k].run;
        json_t *doc = NULL;
        if (gs_analyze_run(p, &o, &doc, NULL, &err)) fail_msg("run %zu: %s", o.run, err.msg);
        assert_int_equal(json_integer_value(json_object_get(doc, "run")),
                         want[k].run ? want[k].run : 2);
        assert_int_equal(json_integer_value(json_object_get(doc, "runs")), 2);
        assert_string_equal(json_string_value(json_object_get(doc, "run_start")),
                            want[k].start_date);
        assert_string_equal(json_string_value(json_object_get(doc, "before_from")),
                            want[k].from_date);
        assert_true(json_is_true(json_object_get(doc, "run_stopped")) ==
                    (want[k].end < T_DAYS));
        assert_int_equal(json_integer_value(json_object_get(doc, "days_before")),
                         want[k].start - want[k].from);
        assert_int_equal(json_integer_value(json_object_get(doc, "days_after")),
                         want[k].end - want[k].start);
        int64_t day[T_DAYS];
        size_t n = want[k].end - want[k].from;
        for (size_t t = 0; t < n; t++) day[t] = (int64_t)(want[k].from + t);
        gs_segmented seg;
        assert_int_equal(gs_stats_segmented(day, p->outcome + want[k].from, n,
                                            (int64_t)want[k].start, 0, &seg, &err),
                         GS_OK);
        json_t *level = json_object_get(json_object_get(doc, "coefficients"), "level");
        double est = json_real_value(json_object_get(level, "estimate")),
               se = json_real_value(json_object_get(level, "se")),
               hi = json_real_value(json_object_get(level, "high"));
        assert_true(est == seg.fit.coef[GS_SEG_LEVEL]);
        if (!(hi < 0 && fabs(est + 2) < 3 * se)) fail_msg("run %zu: level %g (se %g)", o.run, est, se);
        json_decref(doc);
    }
    const char *field = NULL;
    json_t *doc = NULL;
    o.run = 3;
    assert_int_equal(gs_analyze_run(p, &o, &doc, &field, &err), GS_ERR_INPUT);
    assert_null(doc);
    assert_string_equal(field, "run");
    assert_string_equal(err.msg, "run 3: zinc was run 2 times in this journal (runs 1-2)");
    o.run = 1001;
    assert_int_equal(gs_analyze_check(&o, &field, &err), GS_ERR_INPUT);
    assert_string_equal(field, "run");
    assert_non_null(strstr(err.msg, "run '1001' must be a whole number from 1 to 1000"));
    assert_int_equal(gs_analyze_opts_set(&o, "run", "0", &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "from 1 to 1000"));
    assert_int_equal(gs_analyze_opts_set(&o, "run", "2", &err), GS_OK);
    assert_int_equal(o.run, 2);
    gs_daily_free(p);
}

static void test_power_document(void **state)
{
    (void)state;
    gs_analyze_opts o;
    gs_analyze_opts_default(&o, GS_ANALYZE_POWER);
    o.sd = 1;
    o.phi = 0.3;
    o.before = 90;
    o.change = 1;
    o.reps = 200;
    json_t *small = NULL, *big = NULL;
    gs_err err;
    assert_int_equal(gs_analyze_run(NULL, &o, &small, NULL, &err), GS_OK);   /* no journal */
    o.change = 2;
    assert_int_equal(gs_analyze_run(NULL, &o, &big, NULL, &err), GS_OK);
    static const char *const keys[] = {"outcome", "change", "sd", "phi", "sd_phi_source",
                                       "days_before", "days_so_far", "more_days", "power",
                                       "simulations", "reading", "disclaimer", NULL};
    assert_keys(small, keys);
    assert_string_equal(json_string_value(json_object_get(small, "sd_phi_source")), "given");
    json_int_t m1 = json_integer_value(json_object_get(small, "more_days")),
               m2 = json_integer_value(json_object_get(big, "more_days"));
    assert_true(m1 > 3 && m2 < m1);
    assert_true(json_real_value(json_object_get(small, "power")) >= 0.8);
    json_decref(small);
    json_decref(big);
    /* from the journal: the outcome's own spread */
    gs_daily *p = planted_panel(3);
    gs_analyze_opts_default(&o, GS_ANALYZE_POWER);
    o.change = 1;
    o.reps = 50;
    assert_int_equal(gs_analyze_run(p, &o, &small, NULL, &err), GS_OK);
    assert_string_equal(json_string_value(json_object_get(small, "sd_phi_source")),
                        "estimated from the journal");
    assert_int_equal(json_integer_value(json_object_get(small, "days_before")), T_DAYS);
    json_decref(small);
    gs_daily_free(p);
}

/* What the journal does not have is refused naming the option; a journal
 * too short for any test is refused naming none. */
static void test_run_names_the_field(void **state)
{
    (void)state;
    gs_daily *p = planted_panel(7);
    gs_analyze_opts o;
    json_t *doc = NULL;
    const char *field;
    gs_err err;
    gs_analyze_opts_default(&o, GS_ANALYZE_TRIGGERS);
    o.outcomes[o.n_outcomes++] = "skin.itchy";
    assert_int_equal(gs_analyze_run(p, &o, &doc, &field, &err), GS_ERR_INPUT);
    assert_null(doc);
    assert_string_equal(field, "outcome");
    assert_non_null(strstr(err.msg, "it has gut.bloating, skin.itch"));
    gs_analyze_opts_default(&o, GS_ANALYZE_EFFECT);
    o.name = "magnesium";
    assert_int_equal(gs_analyze_run(p, &o, &doc, &field, &err), GS_ERR_INPUT);
    assert_string_equal(field, "name");
    assert_non_null(strstr(err.msg, "started: zinc"));
    gs_analyze_opts_default(&o, GS_ANALYZE_TRIGGERS);
    assert_int_equal(gs_analyze_run(NULL, &o, &doc, &field, &err), GS_ERR_INTERNAL);
    gs_daily_free(p);
    /* 20 days: not enough for a scan, and no option is at fault */
    const char *outs[] = {"skin.itch"}, *tags[] = {"dairy"};
    assert_int_equal(gs_daily_alloc(20000, 20, 1, tags, 1, outs, 0, NULL, &p, &err), GS_OK);
    for (size_t t = 0; t < 20; t++) p->outcome[t] = 3, p->exposure[t] = t % 2;
    assert_int_equal(gs_analyze_run(p, &o, &doc, &field, &err), GS_ERR_INPUT);
    assert_null(field);
    assert_non_null(strstr(err.msg, "not enough data yet: about 1"));
    gs_daily_free(p);
}

/* ---- the journal as a panel ------------------------------------------------- */

static void add(gs_db *db, gs_event_kind kind, const char *name, double value, const char *when)
{
    gs_event ev;
    gs_err err;
    gs_event_init(&ev, kind);
    snprintf(ev.name, sizeof ev.name, "%s", name);
    ev.value = value;
    assert_int_equal(gs_time_parse(when, &ev.at, &err), GS_OK);
    if (gs_db_add(db, &ev, &err)) fail_msg("%s", err.msg);
}

static void test_panel_from_journal(void **state)
{
    (void)state;
    char dir[] = "/tmp/gs_test_analyze_XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/j.db", dir);
    gs_db *db;
    gs_lexicon *lex;
    gs_daily *p = NULL;
    gs_err err;
    assert_int_equal(gs_db_open(path, &db, &err), GS_OK);
    assert_int_equal(gs_lexicon_load(NULL, &lex, &err), GS_OK);
    assert_int_equal(gs_analyze_panel(db, lex, &p, &err), GS_ERR_INPUT);
    assert_null(p);
    assert_non_null(strstr(err.msg, "has no entries yet"));
    add(db, GS_EVENT_FOOD, "a glass of milk", NAN, "2026-03-01T08:00");
    add(db, GS_EVENT_SKIN, "itch", 5, "2026-03-01T20:00");
    add(db, GS_EVENT_FOOD, "an apple", NAN, "2026-03-03T01:30");   /* the evening of 03-02 */
    add(db, GS_EVENT_SKIN, "itch", 3, "2026-03-03T20:00");
    assert_int_equal(gs_analyze_panel(db, lex, &p, &err), GS_OK);
    assert_int_equal(p->n_days, 3);
    int dairy = gs_daily_exposure_index(p, "dairy"), itch = gs_daily_outcome_index(p, "skin.itch");
    assert_true(dairy >= 0 && itch >= 0);
    assert_true(p->exposure[(size_t)dairy * 3 + 0] == 1);
    assert_true(p->exposure[(size_t)dairy * 3 + 1] == 0);   /* food logged, no dairy */
    assert_true(isnan(p->exposure[(size_t)dairy * 3 + 2]));  /* no food logged */
    assert_true(p->outcome[(size_t)itch * 3 + 2] == 3);
    size_t o;
    assert_int_equal(gs_analyze_find_outcome(p, "itch", &o, &err), GS_OK);
    assert_int_equal(o, (size_t)itch);
    gs_daily_free(p);
    gs_lexicon_free(lex);
    gs_db_close(db);
    unlink(path);
    char side[80];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set_names_option_and_range),
        cmocka_unit_test(test_check_names_the_field),
        cmocka_unit_test(test_triggers_document),
        cmocka_unit_test(test_effect_document),
        cmocka_unit_test(test_effect_runs),
        cmocka_unit_test(test_power_document),
        cmocka_unit_test(test_run_names_the_field),
        cmocka_unit_test(test_panel_from_journal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
