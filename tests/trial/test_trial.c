/* In-silico trials end to end through the library: trial files (every
 * error a FILE:LINE:COLUMN sentence), determinism across threads,
 * inclusion criteria, failure accounting, endpoints and the timeline on
 * hand-made series. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "gutskin/trial.h"

static char dir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/gs-test-trial-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[320];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *write_file(const char *name, const char *text)
{
    static char path[2][320];
    static int which;
    which = !which;
    snprintf(path[which], sizeof path[which], "%s/%s", dir, name);
    FILE *f = fopen(path[which], "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    return path[which];
}

static const char *variability =
    "name: test spread\n"
    "vary:\n"
    "  - {param: skin_acne.lesions_ref, cv: 0.4, source: \"assumption: test\"}\n"
    "  - {param: hormones.igf1_insulin, sd_log: 0.3, source: \"assumption: test\"}\n";

/* A small acne trial; `extra` is appended (more top-level keys). */
static const char *small_trial(const char *include, const char *extra)
{
    static char text[4096];
    write_file("spread.yaml", variability);
    snprintf(text, sizeof text,
             "name: small trial\n"
             "population:\n"
             "  person: {skin: [skin_acne], usual: {glycaemic_load: 180}}\n"
             "  variability: spread.yaml\n"
             "  include:\n"
             "    - %s\n"
             "patients: 16\n"
             "days: 28\n"
             "arms:\n"
             "  - {name: control, control: true}\n"
             "  - name: low_gl\n"
             "    schedule: [{intervention: glycaemic_load, start: 0, stop: 28, dose: 90}]\n"
             "endpoints:\n"
             "  - {name: change, score: skin_acne.total_lesions, day: 28, kind: change}\n"
             "  - {name: half, score: skin_acne.total_lesions, day: 28, kind: responder, "
             "threshold_percent: -5}\n"
             "  - {name: ttr, score: skin_acne.total_lesions, kind: time_to_response, "
             "threshold_percent: -5}\n"
             "%s",
             include, extra);
    return write_file("trial.yaml", text);
}

static void expect_error(const char *text, const char *where, const char *words)
{
    const char *path = write_file("bad.yaml", text);
    gs_trial t;
    gs_err err;
    gs_err_clear(&err);
    gs_status st = gs_trial_load(path, &t, &err);
    gs_trial_free(&t);
    char prefix[400];
    snprintf(prefix, sizeof prefix, "%s:%s: ", path, where);
    if (st != GS_ERR_INPUT || strncmp(err.msg, prefix, strlen(prefix)) != 0 ||
        !strstr(err.msg, words))
        fail_msg("expected an input error at %s saying '%s', got status %d: %s", where, words,
                 (int)st, err.msg);
}

static const char *head =
    "name: bad\n"
    "population: {person: {skin: [skin_acne]}}\n";

static void test_bad_files(void **state)
{
    (void)state;
    char text[2048];
    const char *arms = "arms:\n  - {name: a, control: true}\n  - {name: b}\n";
    const char *eps = "endpoints:\n  - {name: e, score: skin_acne.total_lesions, day: 10, "
                      "kind: change}\n";
    /* unknown key, with a suggestion */
    snprintf(text, sizeof text, "%spatient: 10\n%s%s", head, arms, eps);
    expect_error(text, "3:1", "unknown key 'patient' in the trial (did you mean 'patients'?)");
    /* unknown score */
    snprintf(text, sizeof text, "%s%sendpoints:\n  - {name: e, score: skin_acne.total_lesion, "
             "day: 10, kind: change}\n", head, arms);
    expect_error(text, "7:22", "unknown score 'skin_acne.total_lesion' (did you mean "
                 "'skin_acne.total_lesions'?)");
    /* a score of a skin block the person does not have */
    snprintf(text, sizeof text, "%s%sendpoints:\n  - {name: e, score: skin_ad.easi, "
             "day: 10, kind: change}\n", head, arms);
    expect_error(text, "7:22", "unknown score 'skin_ad.easi'");
    /* missing control arm */
    snprintf(text, sizeof text, "%sarms:\n  - {name: a}\n  - {name: b}\n%s", head, eps);
    expect_error(text, "3:1", "no arm has control: true");
    /* two controls */
    snprintf(text, sizeof text, "%sarms:\n  - {name: a, control: true}\n  - {name: b, "
             "control: true}\n%s", head, eps);
    expect_error(text, "3:1", "exactly one arm is the control");
    /* threshold out of range */
    snprintf(text, sizeof text, "%s%sendpoints:\n  - {name: e, score: skin_acne.total_lesions,"
             " day: 10, kind: responder, threshold_percent: -150}\n", head, arms);
    expect_error(text, "7:92", "'threshold_percent' is -150; expected a number for "
                 "'threshold_percent' (-100 to 1000");
    /* threshold 0 */
    snprintf(text, sizeof text, "%s%sendpoints:\n  - {name: e, score: skin_acne.total_lesions,"
             " kind: time_to_response, threshold_percent: 0}\n", head, arms);
    expect_error(text, "7:90", "'threshold_percent' is 0");
    /* an unknown Jacobian choice */
    snprintf(text, sizeof text, "%ssolver: {jacobian: exact}\n%s%s", head, arms, eps);
    expect_error(text, "3:20", "expected 'auto' or 'finite_difference' for 'jacobian'");
    /* negative days */
    snprintf(text, sizeof text, "%sdays: -5\n%s%s", head, arms, eps);
    expect_error(text, "3:7", "'days' is -5; expected a whole number for 'days' (1 to 3650");
    /* an endpoint day after the end */
    snprintf(text, sizeof text, "%sdays: 5\n%s%s", head, arms, eps);
    expect_error(text, "8:52", "'day' is 10; expected a whole number for 'day' (0 to 5");
    /* a responder without a threshold */
    snprintf(text, sizeof text, "%s%sendpoints:\n  - {name: e, score: skin_acne.total_lesions,"
             " day: 10, kind: responder}\n", head, arms);
    expect_error(text, "7:6", "needs 'threshold_percent'");
    /* an unknown kind */
    snprintf(text, sizeof text, "%s%sendpoints:\n  - {name: e, score: skin_acne.total_lesions,"
             " day: 10, kind: responders}\n", head, arms);
    expect_error(text, "7:62", "unknown endpoint kind 'responders'");
    /* a dose outside the intervention's range, at the dose */
    snprintf(text, sizeof text, "%sarms:\n  - {name: a, control: true}\n  - name: b\n"
             "    schedule: [{intervention: zinc, start: 0, stop: 10, dose: 500}]\n%s", head, eps);
    expect_error(text, "6:63", "zinc");
    /* person.initial is refused with the reason */
    expect_error("name: bad\npopulation:\n  person: {initial: {skin_acne.sebum: 2}}\n", "3:12",
                 "own steady state");
    /* a YAML syntax error */
    expect_error("name: bad\npopulation: {person: [\n", "3:1", "YAML syntax error");
    /* an empty file */
    expect_error("", "1:1", "the file is empty");
    /* an inclusion criterion with max below min */
    snprintf(text, sizeof text, "name: bad\npopulation:\n  person: {skin: [skin_acne]}\n"
             "  include: [{score: skin_acne.total_lesions, min: 10, max: 5}]\n%s%s", arms, eps);
    expect_error(text, "4:60", "'max' 5 is below 'min' 10");
    /* visits: an unknown key, a day beyond the trial, not increasing, every out of range */
    snprintf(text, sizeof text, "%sdays: 20\nvisits: {each: 7}\n%s%s", head, arms, eps);
    expect_error(text, "4:10", "unknown key 'each' in visits; expected one of every");
    snprintf(text, sizeof text, "%sdays: 20\nvisits: [7, 14, 28]\n%s%s", head, arms, eps);
    expect_error(text, "4:17", "'visit' is 28; expected a whole number for 'visit' (1 to 20");
    snprintf(text, sizeof text, "%sdays: 20\nvisits: [7, 14, 14]\n%s%s", head, arms, eps);
    expect_error(text, "4:17", "visit day 14 comes after day 14; list the visits in "
                 "increasing order");
    snprintf(text, sizeof text, "%sdays: 20\nvisits: [0, 14]\n%s%s", head, arms, eps);
    expect_error(text, "4:10", "'visit' is 0");
    snprintf(text, sizeof text, "%sdays: 20\nvisits: {every: 21}\n%s%s", head, arms, eps);
    expect_error(text, "4:17", "'every' is 21; expected a whole number for 'every' (1 to 20");
    snprintf(text, sizeof text, "%sdays: 20\nvisits: weekly\n%s%s", head, arms, eps);
    expect_error(text, "4:9", "expected 'visits' as a list of days");
}

/* `visits` parses into increasing days within the trial; {every: N} gives
 * N, 2N, ... up to days; without it there are none (every day). */
static void test_visits_parse(void **state)
{
    (void)state;
    gs_trial t;
    gs_err err;
    gs_err_clear(&err);
    assert_int_equal(gs_trial_load(small_trial("{score: skin_acne.total_lesions, min: 1}",
                                               "visits: {every: 10}\n"), &t, &err), GS_OK);
    assert_int_equal(t.n_visits, 2);  /* days 28: visits 10, 20 */
    assert_int_equal(t.visits[0], 10);
    assert_int_equal(t.visits[1], 20);
    assert_int_equal(t.visits_every, 10);
    gs_trial_free(&t);
    assert_int_equal(gs_trial_load(small_trial("{score: skin_acne.total_lesions, min: 1}",
                                               "visits: [3, 14, 28]\n"), &t, &err), GS_OK);
    assert_int_equal(t.n_visits, 3);
    assert_true(t.visits[0] == 3 && t.visits[1] == 14 && t.visits[2] == 28);
    assert_int_equal(t.visits_every, 0);
    gs_trial_free(&t);
    assert_int_equal(gs_trial_load(small_trial("{score: skin_acne.total_lesions, min: 1}", ""),
                                   &t, &err), GS_OK);
    assert_int_equal(t.n_visits, 0);
    assert_null(t.visits);
    gs_trial_free(&t);
}

/* The first-visit rule: a value that crosses the threshold between two
 * visits responds at the next visit; a patient who crosses and recovers
 * between visits never responds; with a visit every day the result is
 * the first day the value is past the threshold. */
static void test_visits_first_visit(void **state)
{
    (void)state;
    gs_endpoint ep = {"t", 0, GS_EP_TIME_TO_RESPONSE, 10, -20};
    gs_trial t;
    memset(&t, 0, sizeof t);
    t.days = 10;
    t.endpoints = &ep;
    t.n_endpoints = 1;
    /* -20% (80) first reached on day 3 */
    const double falls[11] = {100, 95, 85, 79, 75, 70, 70, 70, 70, 70, 70};
    /* below 80 only on days 3 and 4: noise that a visit on day 5 misses */
    const double blip[11] = {100, 95, 85, 79, 78, 90, 92, 95, 95, 95, 95};
    double baseline, value, timeline[11] = {0};
    gs_patient_result r;
    memset(&r, 0, sizeof r);
    r.baseline = &baseline;
    r.value = &value;
    gs_err err;
    gs_err_clear(&err);
    /* every day (no visits): day 3 */
    assert_int_equal(gs_trial_endpoints(&t, falls, timeline, &r, &err), GS_OK);
    assert_true(value == 3);
    assert_int_equal(gs_trial_endpoints(&t, blip, timeline, &r, &err), GS_OK);
    assert_true(value == 3);
    /* visits on every day 1..10 give the same as no visits */
    int daily[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    t.visits = daily;
    t.n_visits = 10;
    assert_int_equal(gs_trial_endpoints(&t, falls, timeline, &r, &err), GS_OK);
    assert_true(value == 3);
    /* visits on days 5 and 10: the crossing on day 3 is seen on day 5 */
    int sparse[2] = {5, 10};
    t.visits = sparse;
    t.n_visits = 2;
    assert_int_equal(gs_trial_endpoints(&t, falls, timeline, &r, &err), GS_OK);
    assert_true(value == 5);
    /* the blip is over by day 5 and not back by day 10: never */
    assert_int_equal(gs_trial_endpoints(&t, blip, timeline, &r, &err), GS_OK);
    assert_true(isnan(value));
    /* a visit exactly on the crossing day counts */
    int on_day[2] = {3, 10};
    t.visits = on_day;
    assert_int_equal(gs_trial_endpoints(&t, blip, timeline, &r, &err), GS_OK);
    assert_true(value == 3);
}

/* A whole run: with daily visits written out, the run equals the run
 * without `visits` (byte for byte in the summary's arms); with {every: 7}
 * every time to response is a multiple of 7 and no earlier than daily. */
static void test_visits_run(void **state)
{
    (void)state;
    const char *meas = "measurement:\n  - {score: skin_acne.total_lesions, cv: 0.2, "
                       "placebo_percent: -10, placebo_sd: 20, source: \"assumption: test\"}\n";
    char extra[1024], days[200] = "visits: [";
    for (int d = 1; d <= 28; d++)
        snprintf(days + strlen(days), sizeof days - strlen(days), "%d%s", d, d < 28 ? ", " : "]\n");
    const char *inc = "{score: skin_acne.total_lesions, min: 1}";
    gs_trial_opts opts = {1, NULL, 0, 0};
    gs_err err;
    gs_err_clear(&err);
    gs_trial t;
    gs_trial_results none, daily, weekly;
    assert_int_equal(gs_trial_load(small_trial(inc, meas), &t, &err), GS_OK);
    assert_int_equal(gs_trial_run(&t, &opts, &none, &err), GS_OK);
    json_t *a = gs_trial_summary(&t, &none);
    gs_trial_free(&t);
    snprintf(extra, sizeof extra, "%s%s", meas, days);
    assert_int_equal(gs_trial_load(small_trial(inc, extra), &t, &err), GS_OK);
    assert_int_equal(gs_trial_run(&t, &opts, &daily, &err), GS_OK);
    json_t *b = gs_trial_summary(&t, &daily);
    gs_trial_free(&t);
    assert_true(json_equal(json_object_get(a, "arms"), json_object_get(b, "arms")));
    assert_non_null(json_object_get(b, "visits"));
    assert_null(json_object_get(a, "visits"));
    json_decref(a);
    json_decref(b);
    snprintf(extra, sizeof extra, "%svisits: {every: 7}\n", meas);
    assert_int_equal(gs_trial_load(small_trial(inc, extra), &t, &err), GS_OK);
    assert_int_equal(gs_trial_run(&t, &opts, &weekly, &err), GS_OK);
    size_t seen = 0, later = 0;
    for (long i = 0; i < t.patients; i++) {
        const gs_patient_result *d = &daily.patient[i], *w = &weekly.patient[i];
        assert_int_equal(d->fate, w->fate);
        if (d->fate != GS_FATE_COMPLETED) continue;
        assert_true(d->baseline[2] == w->baseline[2]);  /* the same measurement */
        double td = d->value[2], tw = w->value[2];
        if (isnan(tw)) continue;
        seen++;
        assert_true(fmod(tw, 7) == 0);
        assert_false(isnan(td));
        assert_true(tw >= td);
        later += tw > td;
    }
    assert_true(seen > 0);
    assert_true(later > 0);  /* the visits made a difference */
    gs_trial_free(&t);
    gs_trial_results_free(&none);
    gs_trial_results_free(&daily);
    gs_trial_results_free(&weekly);
}

static void test_bad_variability(void **state)
{
    (void)state;
    write_file("spread.yaml", "name: x\nvary:\n  - {param: skin_acne.lesion_ref, cv: 0.3, "
               "source: s}\n");
    const char *trial = write_file("v.yaml",
        "name: v\npopulation:\n  person: {skin: [skin_acne]}\n  variability: spread.yaml\n"
        "arms: [{name: a, control: true}, {name: b}]\n"
        "endpoints: [{name: e, score: skin_acne.total_lesions, day: 1, kind: value}]\n");
    gs_trial t;
    gs_err err;
    gs_err_clear(&err);
    assert_int_equal(gs_trial_load(trial, &t, &err), GS_ERR_INPUT);
    gs_trial_free(&t);
    char want[400];
    snprintf(want, sizeof want, "%s/spread.yaml:3:13: ", dir);
    assert_ptr_equal(strstr(err.msg, want), err.msg);
    assert_non_null(strstr(err.msg, "lesions_ref"));  /* the suggestion */
    snprintf(want, sizeof want, "(the variability file named at %s:4:16)", trial);
    assert_non_null(strstr(err.msg, want));
    /* a spread without a source is refused */
    write_file("spread.yaml", "name: x\nvary:\n  - {param: skin_acne.lesions_ref, cv: 0.3}\n");
    gs_err_clear(&err);
    assert_int_equal(gs_trial_load(trial, &t, &err), GS_ERR_INPUT);
    gs_trial_free(&t);
    assert_non_null(strstr(err.msg, "spread.yaml:3:6: variability entry 1 is missing 'source'"));
}

static json_t *run_summary(gs_trial *t, int threads)
{
    gs_trial_results res;
    gs_err err;
    gs_err_clear(&err);
    gs_trial_opts opts = {threads, NULL, 0, 0};
    if (gs_trial_run(t, &opts, &res, &err) != GS_OK) fail_msg("run failed: %s", err.msg);
    json_t *s = gs_trial_summary(t, &res);
    gs_trial_results_free(&res);
    assert_non_null(s);
    return s;
}

static void load(const char *path, gs_trial *t)
{
    gs_err err;
    gs_err_clear(&err);
    if (gs_trial_load(path, t, &err) != GS_OK) fail_msg("load failed: %s", err.msg);
}

static long screening_count(json_t *s, const char *key)
{
    return (long)json_integer_value(json_object_get(json_object_get(s, "screening"), key));
}

static void test_determinism(void **state)
{
    (void)state;
    gs_trial t;
    load(small_trial("{score: skin_acne.total_lesions, min: 20}", "seed: 7\n"), &t);
    json_t *one = run_summary(&t, 1), *two = run_summary(&t, 2), *three = run_summary(&t, 3);
    char *a = json_dumps(one, JSON_REAL_PRECISION(17)), *b = json_dumps(two, JSON_REAL_PRECISION(17)),
         *c = json_dumps(three, JSON_REAL_PRECISION(17));
    assert_string_equal(a, b);
    assert_string_equal(a, c);
    /* another seed is another population */
    t.seed = 8;
    json_t *other = run_summary(&t, 2);
    char *d = json_dumps(other, JSON_REAL_PRECISION(17));
    assert_string_not_equal(a, d);
    /* the low-GL arm lowers lesions against control (direction, Smith 2007) */
    json_t *cmp = json_array_get(json_object_get(one, "comparisons"), 0);
    json_t *change = json_array_get(json_object_get(cmp, "endpoints"), 0);
    assert_true(json_real_value(json_object_get(change, "mean_difference")) < 0);
    assert_true(json_real_value(json_array_get(json_object_get(change, "ci"), 1)) < 0);
    free(a);
    free(b);
    free(c);
    free(d);
    json_decref(one);
    json_decref(two);
    json_decref(three);
    json_decref(other);
    gs_trial_free(&t);
}

/* Two halves run separately and merged (what distributed ranks will do)
 * summarise to the same bytes as one run; an unmerged half says how many
 * patients were not run. */
static void test_ranges_merge(void **state)
{
    (void)state;
    gs_trial t;
    load(small_trial("{score: skin_acne.total_lesions, min: 20}", "seed: 11\n"), &t);
    json_t *whole = run_summary(&t, 2);
    gs_trial_results a, b;
    gs_err err;
    gs_err_clear(&err);
    gs_trial_opts first = {1, NULL, 0, 7}, rest = {2, NULL, 7, 0};
    assert_int_equal(gs_trial_run(&t, &first, &a, &err), GS_OK);
    assert_int_equal(gs_trial_run(&t, &rest, &b, &err), GS_OK);
    json_t *half = gs_trial_summary(&t, &a);
    assert_int_equal(screening_count(half, "not_run"), 9);
    assert_int_equal(screening_count(half, "screened"), 16);
    assert_int_equal(gs_trial_results_merge(&a, &b, t.n_endpoints, &err), GS_OK);
    json_t *merged = gs_trial_summary(&t, &a);
    char *x = json_dumps(whole, JSON_REAL_PRECISION(17)), *y = json_dumps(merged, JSON_REAL_PRECISION(17));
    assert_string_equal(x, y);
    assert_null(json_object_get(json_object_get(merged, "screening"), "not_run"));
    /* merging again would run patients twice */
    gs_trial_results c;
    assert_int_equal(gs_trial_run(&t, &rest, &c, &err), GS_OK);
    assert_int_equal(gs_trial_results_merge(&a, &c, t.n_endpoints, &err), GS_ERR_INTERNAL);
    /* a range outside the trial is refused */
    gs_trial_opts outside = {1, NULL, 10, 10};
    gs_trial_results d;
    assert_int_equal(gs_trial_run(&t, &outside, &d, &err), GS_ERR_INPUT);
    free(x);
    free(y);
    json_decref(whole);
    json_decref(half);
    json_decref(merged);
    gs_trial_results_free(&a);
    gs_trial_results_free(&b);
    gs_trial_results_free(&c);
    gs_trial_free(&t);
}

static void test_inclusion(void **state)
{
    (void)state;
    gs_trial t;
    /* nobody has a million lesions */
    load(small_trial("{score: skin_acne.total_lesions, min: 1000000}", ""), &t);
    json_t *s = run_summary(&t, 2);
    assert_int_equal(screening_count(s, "included"), 0);
    assert_int_equal(screening_count(s, "excluded"), 16);
    json_t *why = json_array_get(json_object_get(json_object_get(s, "screening"), "exclusions"), 0);
    assert_string_equal(json_string_value(json_object_get(why, "criterion")),
                        "skin_acne.total_lesions >= 1e+06");
    assert_int_equal(json_integer_value(json_object_get(why, "excluded")), 16);
    /* no arm has anyone: n 0, statistics null, not invented */
    json_t *arm = json_array_get(json_object_get(s, "arms"), 1);
    json_t *ep = json_array_get(json_object_get(arm, "endpoints"), 0);
    assert_int_equal(json_integer_value(json_object_get(ep, "n")), 0);
    assert_true(json_is_null(json_object_get(ep, "mean")));
    json_decref(s);
    gs_trial_free(&t);
    /* everybody has between 0 and a million */
    load(small_trial("{score: skin_acne.total_lesions, min: 0, max: 1000000}", ""), &t);
    s = run_summary(&t, 2);
    assert_int_equal(screening_count(s, "included"), 16);
    assert_int_equal(screening_count(s, "excluded"), 0);
    /* equal allocation in turn: 8 and 8 */
    arm = json_array_get(json_object_get(s, "arms"), 0);
    assert_int_equal(json_integer_value(json_object_get(arm, "allocated")), 8);
    assert_int_equal(json_integer_value(json_object_get(arm, "completed")), 8);
    json_decref(s);
    gs_trial_free(&t);
}

static void test_failures_counted(void **state)
{
    (void)state;
    gs_trial t;
    /* a solver allowed 5 steps between samples cannot burn anyone in */
    load(small_trial("{score: skin_acne.total_lesions, min: 0}", "solver: {max_steps: 5}\n"), &t);
    json_t *s = run_summary(&t, 2);
    assert_int_equal(screening_count(s, "failed_at_screening"), 16);
    assert_int_equal(screening_count(s, "included"), 0);
    json_t *failures = json_object_get(json_object_get(s, "screening"), "failures");
    assert_int_equal(json_array_size(failures), 16);
    const char *first = json_string_value(json_array_get(failures, 0));
    assert_non_null(strstr(first, "patient 0, screening: burn-in: "));
    assert_non_null(strstr(first, "CV_TOO_MUCH_WORK"));
    json_decref(s);
    gs_trial_free(&t);

    /* a spread so wide for a parameter with a narrow range that, for some
     * patients, 100 draws all fall outside it: those fail, the rest run */
    write_file("wide.yaml", "name: wide\nvary:\n  - {param: skin_ad.k6, sd_log: 3, "
               "source: \"test: k6 may only vary by 1.5%\"}\n");
    const char *path = write_file("wide-trial.yaml",
        "name: wide\npopulation:\n  person: {skin: [skin_ad]}\n  variability: wide.yaml\n"
        "patients: 30\ndays: 14\n"
        "arms: [{name: a, control: true}, {name: b}]\n"
        "endpoints: [{name: e, score: skin_ad.easi, day: 14, kind: change}]\n");
    load(path, &t);
    s = run_summary(&t, 2);
    long failed = screening_count(s, "failed_at_screening");
    long included = screening_count(s, "included");
    assert_true(failed > 0 && included > 0);
    assert_int_equal(failed + included + screening_count(s, "excluded"), 30);
    failures = json_object_get(json_object_get(s, "screening"), "failures");
    assert_int_equal((long)json_array_size(failures), failed < 20 ? failed : 20);
    assert_non_null(strstr(json_string_value(json_array_get(failures, 0)),
                           "draws of skin_ad.k6 (median 6.98727, sd_log 3) all fell outside "
                           "its range 6.881 to 7.095"));
    /* the arms count only who completed */
    long completed = 0;
    for (size_t a = 0; a < 2; a++)
        completed += (long)json_integer_value(
            json_object_get(json_array_get(json_object_get(s, "arms"), a), "completed"));
    assert_int_equal(completed, included);
    json_decref(s);
    gs_trial_free(&t);
}

static void test_endpoints_by_hand(void **state)
{
    (void)state;
    gs_endpoint eps[5] = {
        {"v", 0, GS_EP_VALUE, 2, 0},
        {"c", 0, GS_EP_CHANGE, 2, 0},
        {"p", 0, GS_EP_PERCENT_CHANGE, 2, 0},
        {"r", 0, GS_EP_RESPONDER, 4, -50},
        {"t", 0, GS_EP_TIME_TO_RESPONSE, 4, -50},
    };
    gs_trial t;
    memset(&t, 0, sizeof t);
    t.days = 4;
    t.endpoints = eps;
    t.n_endpoints = 5;
    /* one score 20, 16, 12, 9, 8 for every endpoint */
    double one[5] = {20, 16, 12, 9, 8}, series[25];
    for (int e = 0; e < 5; e++) memcpy(series + 5 * e, one, sizeof one);
    double baseline[5], value[5];
    gs_patient_result r;
    memset(&r, 0, sizeof r);
    r.baseline = baseline;
    r.value = value;
    gs_err err;
    gs_err_clear(&err);
    assert_int_equal(gs_trial_endpoints(&t, series, one, &r, &err), GS_OK);
    assert_true(value[0] == 12 && value[1] == -8 && value[2] == -40);
    assert_true(value[3] == 1);    /* -60% at day 4 */
    assert_true(value[4] == 3);    /* -55% on day 3, -40% on day 2 */
    /* final improvement 12: half (6) between day 1 (4) and day 2 (8):
     * 1.5; 90% (10.8) between day 2 (8) and day 3 (11): 2 + 2.8/3 */
    assert_true(fabs(r.t50 - 1.5) < 1e-12);
    assert_true(fabs(r.t90 - (2 + 2.8 / 3)) < 1e-12);
    /* a rising score with 'higher is better' */
    t.timeline_higher_better = 1;
    double rising[5] = {1, 2, 3, 4, 5};
    assert_int_equal(gs_trial_endpoints(&t, series, rising, &r, &err), GS_OK);
    assert_true(fabs(r.t50 - 2) < 1e-12);
    /* no improvement (and drift below 1%): no timeline */
    double flat[5] = {10, 10.01, 10.02, 10.03, 10.04};
    assert_int_equal(gs_trial_endpoints(&t, series, flat, &r, &err), GS_OK);
    assert_true(isnan(r.t50) && isnan(r.t90));
    /* sampled weekly (a scenario's run): final improvement 10, half (5)
     * between day 7 (4) and day 14 (8): 7 + 7 / 4 */
    const double weeks[4] = {0, 7, 14, 21}, score[4] = {30, 26, 22, 20};
    assert_true(fabs(gs_timeline_day(weeks, score, 4, 0, 0.5) - 8.75) < 1e-12);
    assert_true(fabs(gs_timeline_day(weeks, score, 4, 0, 0.9) - (14 + 7 * 0.5)) < 1e-12);
    assert_true(isnan(gs_timeline_day(weeks, score, 4, 1, 0.5)));  /* it got worse */
    /* a zero baseline makes a percent change undefined: an error, not inf */
    double zero[25] = {0};
    assert_int_equal(gs_trial_endpoints(&t, zero, one, &r, &err), GS_ERR_SOLVER);
    assert_non_null(strstr(err.msg, "endpoint p: the baseline score is 0"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_files),      cmocka_unit_test(test_bad_variability),
        cmocka_unit_test(test_determinism),    cmocka_unit_test(test_ranges_merge),
        cmocka_unit_test(test_inclusion),
        cmocka_unit_test(test_failures_counted), cmocka_unit_test(test_endpoints_by_hand),
        cmocka_unit_test(test_visits_parse),   cmocka_unit_test(test_visits_first_visit),
        cmocka_unit_test(test_visits_run),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
