/* Distributed trials (src/trial/mpi.c) inside one process: the split of
 * the patients over ranks, the packing of per-patient results that ranks
 * send to rank 0 (a round trip gives the same summary bytes; malformed
 * messages are refused naming the patient), and a run as a 1-rank MPI job
 * (an Open MPI singleton) against a plain run.  tests/cli/trial_mpi.sh runs
 * the real thing with mpirun and 2 and 3 ranks. */
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
#include "gutskin/trial_mpi.h"

static char dir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/gs-test-mpi-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    gs_mpi_stop();
    char cmd[320];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *name, const char *text, char *path, size_t len)
{
    snprintf(path, len, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* A trial whose 30 patients meet every fate but "not run": a spread of
 * skin_ad.k6 far wider than its range makes about half fail at screening
 * (with a sentence each), an EASI floor excludes a few, the rest complete
 * (counts pinned in test_pack_round_trip); the emollient arm improves, so
 * its timeline days and times to response are numbers, the control's NaN. */
static void load_mixed(gs_trial *t)
{
    char vary[320], trial[320];
    write_file("wide.yaml",
               "name: wide\nvary:\n"
               "  - {param: skin_ad.k6, sd_log: 1.5, source: \"test: wider than its range\"}\n"
               "  - {param: skin_ad.k1, sd_log: 0.5, source: \"test\"}\n",
               vary, sizeof vary);
    write_file("mixed.yaml",
               "name: mixed fates\n"
               "population:\n"
               "  person: {skin: [skin_ad]}\n"
               "  variability: wide.yaml\n"
               "  include:\n"
               "    - {score: skin_ad.easi, min: 14}\n"
               "patients: 30\n"
               "days: 14\n"
               "arms:\n"
               "  - {name: a, control: true}\n"
               "  - name: b\n"
               "    schedule: [{intervention: emollient, start: 0, stop: 14, dose: 1}]\n"
               "endpoints:\n"
               "  - {name: change, score: skin_ad.easi, day: 14, kind: change}\n"
               "  - {name: pct, score: skin_ad.easi, day: 14, kind: percent_change}\n"
               "  - {name: ttr, score: skin_ad.easi, kind: time_to_response, "
               "threshold_percent: -20}\n",
               trial, sizeof trial);
    gs_err err;
    gs_err_clear(&err);
    if (gs_trial_load(trial, t, &err) != GS_OK) fail_msg("load failed: %s", err.msg);
}

static void run(const gs_trial *t, long first, long count, gs_trial_results *res)
{
    gs_err err;
    gs_err_clear(&err);
    gs_trial_opts opts = {2, NULL, first, count};
    if (gs_trial_run(t, &opts, res, &err) != GS_OK) fail_msg("run failed: %s", err.msg);
}

static char *summary_text(const gs_trial *t, const gs_trial_results *res)
{
    json_t *s = gs_trial_summary(t, res);
    assert_non_null(s);
    char *text = json_dumps(s, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    json_decref(s);
    assert_non_null(text);
    return text;
}

/* Empty results of t's shape: every patient not run. */
static void empty(const gs_trial *t, gs_trial_results *res)
{
    run(t, t->patients, 0, res);
    for (long i = 0; i < res->patients; i++)
        assert_int_equal(res->patient[i].fate, GS_FATE_NOT_RUN);
}

/* The blocks cover [0, n) in rank order, without gaps or overlaps, and
 * differ in size by at most one, also with more ranks than patients. */
static void test_share(void **state)
{
    (void)state;
    const long sizes_n[] = {0, 1, 5, 7, 100, 1000003};
    const int ranks[] = {1, 2, 3, 8};
    for (size_t a = 0; a < sizeof sizes_n / sizeof *sizes_n; a++) {
        for (size_t b = 0; b < sizeof ranks / sizeof *ranks; b++) {
            long n = sizes_n[a], next = 0, lo = n, hi = 0;
            for (int r = 0; r < ranks[b]; r++) {
                long first, count;
                gs_mpi_share(n, r, ranks[b], &first, &count);
                assert_int_equal(first, next);
                next = first + count;
                if (count < lo) lo = count;
                if (count > hi) hi = count;
            }
            assert_int_equal(next, n);
            assert_true(hi - lo <= 1);
        }
    }
    long first, count;
    gs_mpi_share(10, 1, 3, &first, &count);  /* 4, 3, 3 */
    assert_int_equal(first, 4);
    assert_int_equal(count, 3);
}

/* Packing every patient in uneven chunks and unpacking into empty
 * results reproduces each patient field for field (NaN where NaN, the
 * failure sentences) and the summary byte for byte. */
static void test_pack_round_trip(void **state)
{
    (void)state;
    gs_trial t;
    load_mixed(&t);
    gs_trial_results whole, copy;
    run(&t, 0, 0, &whole);
    long fates[3] = {0, 0, 0};
    for (long i = 0; i < whole.patients; i++) fates[whole.patient[i].fate]++;
    assert_int_equal(fates[GS_FATE_COMPLETED], 14);
    assert_int_equal(fates[GS_FATE_EXCLUDED], 2);
    assert_int_equal(fates[GS_FATE_FAILED], 14);
    /* lose one sentence to "out of memory": it must travel as lost */
    long lost = -1;
    for (long i = 0; i < whole.patients && lost < 0; i++)
        if (whole.patient[i].fate == GS_FATE_FAILED) lost = i;
    free(whole.patient[lost].failure);
    whole.patient[lost].failure = NULL;

    empty(&t, &copy);
    size_t width = gs_trial_pack_width(t.n_endpoints);
    assert_int_equal(width, 6 + 2 * 3);
    /* both kinds of timeline travel: numbers (emollient) and NaN (control) */
    int finite_t90 = 0, nan_t90 = 0;
    for (long i = 0; i < whole.patients; i++) {
        if (whole.patient[i].fate != GS_FATE_COMPLETED) continue;
        if (isfinite(whole.patient[i].t90)) finite_t90++;
        else nan_t90++;
    }
    assert_true(finite_t90 > 0 && nan_t90 > 0);
    const long chunk = 7;
    double *numbers = malloc((size_t)chunk * width * sizeof *numbers);
    char *text = malloc((size_t)chunk * (GS_ERR_MSG_MAX + 256));
    assert_non_null(numbers);
    assert_non_null(text);
    gs_err err;
    gs_err_clear(&err);
    for (long at = 0; at < whole.patients; at += chunk) {
        long n = whole.patients - at < chunk ? whole.patients - at : chunk;
        size_t len = 99;
        gs_trial_pack(&whole, t.n_endpoints, at, n, numbers, text, &len);
        if (gs_trial_unpack(&copy, t.n_endpoints, t.n_arms, t.pop.n_include, at, n, numbers,
                            text, len, &err) != GS_OK)
            fail_msg("unpack of %ld + %ld failed: %s", at, n, err.msg);
    }
    for (long i = 0; i < whole.patients; i++) {
        const gs_patient_result *a = &whole.patient[i], *b = &copy.patient[i];
        assert_int_equal(a->fate, b->fate);
        assert_int_equal(a->arm, b->arm);
        assert_int_equal(a->included, b->included);
        assert_int_equal(a->criterion, b->criterion);
        assert_memory_equal(a->baseline, b->baseline, t.n_endpoints * sizeof(double));
        assert_memory_equal(a->value, b->value, t.n_endpoints * sizeof(double));
        assert_memory_equal(&a->t50, &b->t50, sizeof(double));
        assert_memory_equal(&a->t90, &b->t90, sizeof(double));
        if (a->failure) assert_string_equal(a->failure, b->failure);
        else assert_null(b->failure);
    }
    assert_null(copy.patient[lost].failure);
    char *x = summary_text(&t, &whole), *y = summary_text(&t, &copy);
    assert_string_equal(x, y);
    assert_non_null(strstr(y, "all fell outside its range"));
    free(x);
    free(y);
    free(numbers);
    free(text);
    gs_trial_results_free(&copy);
    gs_trial_results_free(&whole);
    gs_trial_free(&t);
}

/* Unpack refuses what a correct sender never sends, naming the patient. */
static void test_unpack_refuses(void **state)
{
    (void)state;
    gs_trial t;
    load_mixed(&t);
    gs_trial_results whole, copy;
    run(&t, 0, 0, &whole);
    size_t width = gs_trial_pack_width(t.n_endpoints);
    double *numbers = malloc(30 * width * sizeof *numbers);
    char *text = malloc(30 * (GS_ERR_MSG_MAX + 256) + 1);
    assert_non_null(numbers);
    assert_non_null(text);
    size_t len = 0;
    gs_trial_pack(&whole, t.n_endpoints, 0, 30, numbers, text, &len);
    assert_true(len > 0);
    gs_err err;

    /* an arm that does not exist */
    empty(&t, &copy);
    numbers[3 * width + 1] = (double)t.n_arms;
    gs_err_clear(&err);
    assert_int_equal(gs_trial_unpack(&copy, t.n_endpoints, t.n_arms, t.pop.n_include, 0, 30,
                                     numbers, text, len, &err), GS_ERR_INTERNAL);
    assert_non_null(strstr(err.msg, "the gathered result of patient 3 is malformed"));
    numbers[3 * width + 1] = 0;
    /* a fate that is not a whole number */
    numbers[5 * width] = 0.5;
    gs_trial_results_free(&copy);
    empty(&t, &copy);
    assert_int_equal(gs_trial_unpack(&copy, t.n_endpoints, t.n_arms, t.pop.n_include, 0, 30,
                                     numbers, text, len, &err), GS_ERR_INTERNAL);
    assert_non_null(strstr(err.msg, "patient 5 is malformed (fate 0.5,"));
    numbers[5 * width] = (double)whole.patient[5].fate;

    /* sentences cut short: the last failed patient's is missing */
    long last_failed = -1;
    for (long i = 0; i < 30; i++)
        if (whole.patient[i].fate == GS_FATE_FAILED) last_failed = i;
    size_t last_len = strlen(whole.patient[last_failed].failure) + 1;
    gs_trial_results_free(&copy);
    empty(&t, &copy);
    assert_int_equal(gs_trial_unpack(&copy, t.n_endpoints, t.n_arms, t.pop.n_include, 0, 30,
                                     numbers, text, len - last_len, &err), GS_ERR_INTERNAL);
    char expect[128];
    snprintf(expect, sizeof expect, "the failure sentence of patient %ld is missing",
             last_failed);
    assert_non_null(strstr(err.msg, expect));

    /* bytes left over after the last sentence */
    text[len] = '\0';
    gs_trial_results_free(&copy);
    empty(&t, &copy);
    assert_int_equal(gs_trial_unpack(&copy, t.n_endpoints, t.n_arms, t.pop.n_include, 0, 30,
                                     numbers, text, len + 1, &err), GS_ERR_INTERNAL);
    assert_non_null(strstr(err.msg, "1 bytes of failure sentences were left over after "
                                    "patients 0 to 29"));

    /* a patient rank 0 ran itself arrives again */
    assert_int_equal(gs_trial_unpack(&whole, t.n_endpoints, t.n_arms, t.pop.n_include, 0, 30,
                                     numbers, text, len, &err), GS_ERR_INTERNAL);
    assert_non_null(strstr(err.msg, "patient 0 arrived in the gather but was already run"));

    free(numbers);
    free(text);
    gs_trial_results_free(&copy);
    gs_trial_results_free(&whole);
    gs_trial_free(&t);
}

/* Alone (no mpirun) MPI starts as one rank; a distributed run then equals
 * a plain one, and agreeing on an outcome hands it back unchanged. */
static void test_singleton(void **state)
{
    (void)state;
    int rank = -1, size = -1;
    gs_err err;
    gs_err_clear(&err);
    if (gs_mpi_start(&rank, &size, &err) != GS_OK) fail_msg("MPI did not start: %s", err.msg);
    assert_int_equal(rank, 0);
    assert_int_equal(size, 1);
    gs_trial t;
    load_mixed(&t);
    gs_trial_results plain, spread;
    run(&t, 0, 0, &plain);
    gs_trial_opts opts = {2, NULL, 5, 3};  /* first / count are the rank's business */
    if (gs_trial_run_mpi(&t, &opts, &spread, &err) != GS_OK)
        fail_msg("distributed run failed: %s", err.msg);
    char *x = summary_text(&t, &plain), *y = summary_text(&t, &spread);
    assert_string_equal(x, y);
    free(x);
    free(y);

    gs_err_clear(&err);
    assert_int_equal(gs_mpi_agree(&err), GS_OK);
    gs_fail(&err, GS_ERR_INPUT, "trial.yaml:3:7: expected a number");
    assert_int_equal(gs_mpi_agree(&err), GS_ERR_INPUT);
    assert_string_equal(err.msg, "trial.yaml:3:7: expected a number");
    gs_trial_results_free(&spread);
    gs_trial_results_free(&plain);
    gs_trial_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_share),
        cmocka_unit_test(test_pack_round_trip),
        cmocka_unit_test(test_unpack_refuses),
        cmocka_unit_test(test_singleton),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
