/* Miyano 2022 reproduction: the skin_ad block against an independent
 * weekly transcription of the paper's equations, its defaults against
 * the published distribution, and the virtual trial's published shape
 * (dupilumab and lebrikizumab far above placebo, no arm below placebo,
 * baseline EASI about 30) plus determinism across threads and seeds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gutskin/model.h"
#include "gutskin/reproduce.h"

static const char *const arm_names[] = {"placebo",     "dupilumab",   "nemolizumab", "tezepelumab",
                                        "gbr830",      "fezakinumab", "secukinumab", "rifng",
                                        "tralokinumab", "lebrikizumab"};

static int sanitized(void)
{
    const char *s = getenv("GS_SANITIZED");
    return s && strcmp(s, "1") == 0;
}

static double read_number(FILE *f)
{
    double x;
    assert_int_equal(fscanf(f, "%lf", &x), 1);
    return x;
}

/* The paper's right-hand side in weeks, written from the reference README
 * independently of the block (k holds the 51 sampled values in csv order,
 * e the blockades, dose_ifng the added IFN-gamma). */
enum { K1, K2, K3, B1, B2, B3, B4, B5, D1, D2, D3, B6, D4, D5, D6, D7, B7, B8, D8,
       K5, K9, D9, B9, K6, K10, K7, K8, K11, K12, D10, K13, K14, D11, K15, K16, D12,
       K17, K18, D13, K19, K20, D14, K21, K22, D15, K23, K24, D16, K25, K26, D17 };
static void weekly_rhs(const double *k, const double *x, double e_il4, double e_il13,
                       double a2, double dose_ifng, double *f)
{
    double SB = x[0], IP = x[1], Th1 = x[2], Th2 = x[3], Th17 = x[4], Th22 = x[5];
    double IL4 = (1 - e_il4) * x[6], IL13 = (1 - e_il13 * a2) * x[7], IL17 = x[8],
           IL22 = x[9], IL31 = x[10], IFNg = x[11] + dose_ifng, TSLP = x[12], OX40L = x[13];
    f[0] = (1 - SB) * (k[K1] + k[K2] * IL22 + k[K3]) /
               ((1 + k[B1] * IL4) * (1 + k[B2] * IL13) * (1 + k[B3] * IL17) *
                (1 + k[B4] * IL22) * (1 + k[B5] * IL31)) -
           SB * (k[D1] * (1 + k[D3] * IP) + k[D2] * IL31);
    f[1] = k[D8] / (1 + k[B6] * SB) -
           IP * ((1 + k[D4] * IP) * (1 + k[D5] * IL17) * (1 + k[D6] * IL22) *
                     (1 + k[D7] * IFNg) / ((1 + k[B7] * IL4) * (1 + k[B8] * IL13)) +
                 k[D8]);
    double Q = 4 + k[K9] * IFNg + k[K10] * IL4, R = k[D9] / (1 + k[B9] * OX40L);
    f[2] = k[K5] * IP * (1 + k[K9] * IFNg) / Q - R * Th1;
    f[3] = k[K6] * IP * (1 + k[K10] * IL4) / Q - R * Th2;
    f[4] = k[K7] * IP / Q - R * Th17;
    f[5] = k[K8] * IP / Q - R * Th22;
    f[6] = k[K11] * Th2 + k[K12] - k[D10] * x[6];
    f[7] = k[K13] * Th2 + k[K14] - k[D11] * x[7];
    f[8] = k[K15] * Th17 + k[K16] - k[D12] * x[8];
    f[9] = k[K17] * Th22 + k[K18] - k[D13] * x[9];
    f[10] = k[K19] * Th2 + k[K20] - k[D14] * x[10];
    f[11] = k[K21] * Th1 + k[K22] - k[D15] * x[11];
    f[12] = k[K23] * IP + k[K24] - k[D16] * x[12];
    f[13] = k[K25] * TSLP + k[K26] - k[D17] * x[13];
}

/* The block's defaults are exp(mu) with rates per day, and its rhs in
 * days is exactly the paper's weekly rhs divided by 7, with and without
 * drugs and standard care. */
static void block_is_the_paper_in_days(void **state)
{
    (void)state;
    const gs_block *b = gs_block_find("skin_ad");
    assert_non_null(b);
    assert_int_equal(b->n_states, 14);
    assert_true(b->flags & GS_BLOCK_SKIN);
    FILE *f = fopen("data/reference/miyano2022/mu.csv", "r");
    assert_non_null(f);
    double k[51];
    for (int n = 0; n < 51; n++) k[n] = exp(read_number(f));
    fclose(f);
    /* Per-day defaults: a rate constant is exp(mu)/7, the rest exp(mu). */
    const char *nonrate[] = {"b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8",
                             "b9", "d3", "d4", "d5", "d6", "d7", "k9", "k10"};
    for (int n = 0; n < 51; n++) {
        int rate = 1;
        for (size_t j = 0; j < sizeof nonrate / sizeof nonrate[0]; j++)
            if (strcmp(b->params[n].name, nonrate[j]) == 0) rate = 0;
        double want = rate ? k[n] / 7.0 : k[n];
        assert_float_equal(b->params[n].value, want, 1e-9 * want);
        assert_true(b->params[n].lo <= b->params[n].value && b->params[n].value <= b->params[n].hi);
    }
    double p[128], in[16] = {0}, dy[14], fw[14];
    assert_true(b->n_params <= 128 && b->n_inputs <= 16);
    for (size_t i = 0; i < b->n_params; i++) p[i] = b->params[i].value;
    int care = gs_quantity_index(b->inputs, b->n_inputs, "standard_care");
    int dup = gs_quantity_index(b->inputs, b->n_inputs, "dupilumab");
    int tralo = gs_quantity_index(b->inputs, b->n_inputs, "tralokinumab");
    int rifng = gs_quantity_index(b->inputs, b->n_inputs, "rifng");
    assert_true(care >= 0 && dup >= 0 && tralo >= 0 && rifng >= 0);
    double x[14] = {0.41, 0.73, 2.5, 9.1, 1.7, 18.0, 35.0, 44.0, 6.1, 2.2, 3.3, 1.9, 5.2, 8.8};
    struct { double care, dup, tralo, rifng; } cases[] = {
        {0, 0, 0, 0}, {1, 0, 0, 0}, {1, 0.99, 0, 0}, {1, 0, 0.99, 0}, {1, 0, 0, 210}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        in[care] = cases[c].care;
        in[dup] = cases[c].dup;
        in[tralo] = cases[c].tralo;
        in[rifng] = cases[c].rifng;
        double kk[51];
        memcpy(kk, k, sizeof kk);
        kk[K3] *= cases[c].care;
        double e13 = cases[c].dup > 0 ? cases[c].dup : cases[c].tralo;
        double a2 = cases[c].tralo > 0 ? 0.4396 : 1.0;
        b->rhs(x, p, in, dy);
        weekly_rhs(kk, x, cases[c].dup, e13, a2, cases[c].rifng, fw);
        for (int i = 0; i < 14; i++)
            assert_float_equal(7.0 * dy[i], fw[i], 1e-10 * (fabs(fw[i]) + 1e-3));
    }
}

/* EASI is Miyano's formula; SCORAD rises with EASI through the Chopra
 * 2017 stratum boundaries. */
static void scores(void **state)
{
    (void)state;
    const gs_block *b = gs_block_find("skin_ad");
    double p[128], out[4], y[14] = {0};
    for (size_t i = 0; i < b->n_params; i++) p[i] = b->params[i].value;
    y[0] = 0.5; y[1] = 0.3;
    b->output(y, p, out);
    assert_float_equal(out[0], 72.0 * (2 * 0.3 + 2 * 0.5) / 4, 1e-12);
    y[0] = 1; y[1] = 0;
    b->output(y, p, out);
    assert_float_equal(out[0], 0, 1e-12);
    assert_float_equal(out[1], 0, 1e-12);
    /* EASI 23 maps to SCORAD 49 (severe boundary), 6 to 29. */
    y[0] = 1; y[1] = 23.0 / 36.0;
    b->output(y, p, out);
    assert_float_equal(out[1], 49.0, 1e-9);
    y[1] = 6.0 / 36.0;
    b->output(y, p, out);
    assert_float_equal(out[1], 29.0, 1e-9);
    double last = -1;
    for (double e = 0; e <= 72; e += 0.5) {
        y[1] = e / 36.0;
        b->output(y, p, out);
        assert_true(out[1] > last);
        last = out[1];
    }
    assert_float_equal(last, 103.0, 1e-9);
}

static double series(json_t *root, const char *arm, int week)
{
    json_t *a = json_object_get(json_object_get(root, "easi75"), arm);
    assert_non_null(a);
    assert_int_equal(json_array_size(a), 25);
    return json_real_value(json_array_get(a, (size_t)week));
}

static char *run(int patients, unsigned long seed, int threads)
{
    json_t *root = NULL;
    gs_err err;
    gs_err_clear(&err);
    gs_status st = gs_reproduce_miyano2022(patients, seed, threads, &root, &err);
    if (st != GS_OK) fail_msg("miyano2022 failed: %s", err.msg);
    char *s = json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(10));
    json_decref(root);
    assert_non_null(s);
    return s;
}

/* The published trial's shape over a large virtual population. */
static void published_trial(void **state)
{
    (void)state;
    int patients = sanitized() ? 1000 : 2000;
    json_t *root = NULL;
    gs_err err;
    gs_err_clear(&err);
    assert_int_equal(gs_reproduce_miyano2022(patients, 1, 2, &root, &err), GS_OK);
    assert_string_equal(json_string_value(json_object_get(root, "model")), "miyano2022");
    assert_int_equal(json_integer_value(json_object_get(root, "patients")), patients);
    assert_int_equal(json_integer_value(json_object_get(root, "failed")), 0);
    json_int_t included = json_integer_value(json_object_get(root, "included"));
    assert_true(included > patients * 9 / 10);
    assert_int_equal(json_array_size(json_object_get(root, "weeks")), 25);
    double easi0 = json_real_value(json_object_get(json_object_get(root, "baseline_mean"), "EASI"));
    assert_true(easi0 > 20 && easi0 < 40);
    double noise = sanitized() ? 4.0 : 2.5;  /* percentage points */
    for (int w = 16; w <= 24; w += 8) {
        double placebo = series(root, "placebo", w);
        assert_true(placebo > 5 && placebo < 50);
        assert_true(series(root, "dupilumab", w) > placebo + 25);
        assert_true(series(root, "lebrikizumab", w) > placebo + 25);
        for (size_t a = 0; a < sizeof arm_names / sizeof arm_names[0]; a++)
            assert_true(series(root, arm_names[a], w) >= placebo - noise);
    }
    for (size_t a = 0; a < sizeof arm_names / sizeof arm_names[0]; a++)
        assert_float_equal(series(root, arm_names[a], 0), 0, 0);
    json_decref(root);
}

static void deterministic(void **state)
{
    (void)state;
    int patients = sanitized() ? 40 : 200;
    char *one = run(patients, 7, 1), *two = run(patients, 7, 2), *again = run(patients, 7, 2);
    char *other = run(patients, 8, 2);
    assert_string_equal(one, two);
    assert_string_equal(two, again);
    assert_string_not_equal(one, other);
    free(one);
    free(two);
    free(again);
    free(other);
}

static void rejects_no_patients(void **state)
{
    (void)state;
    json_t *root = NULL;
    gs_err err;
    gs_err_clear(&err);
    assert_int_equal(gs_reproduce_miyano2022(0, 1, 1, &root, &err), GS_ERR_INPUT);
    assert_null(root);
    assert_non_null(strstr(err.msg, "at least 1"));
}

/* Without its data files the reproduction says which file it could not
 * open instead of running on garbage. */
static void reports_missing_data(void **state)
{
    (void)state;
    json_t *root = NULL;
    gs_err err;
    gs_err_clear(&err);
    assert_int_equal(setenv("GUTSKIN_DATA_DIR", "/nonexistent-gutskin-data", 1), 0);
    gs_status st = gs_reproduce_miyano2022(10, 1, 1, &root, &err);
    assert_int_equal(unsetenv("GUTSKIN_DATA_DIR"), 0);
    assert_int_equal(st, GS_ERR_IO);
    assert_null(root);
    assert_non_null(strstr(err.msg, "/nonexistent-gutskin-data/reference/miyano2022/mu.csv"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(block_is_the_paper_in_days),
        cmocka_unit_test(scores),
        cmocka_unit_test(published_trial),
        cmocka_unit_test(deterministic),
        cmocka_unit_test(rejects_no_patients),
        cmocka_unit_test(reports_missing_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
