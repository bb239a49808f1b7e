/* Stein 2013 reproduction: the compiled parameter table equals the
 * published CSV; the simulated series and the error per genus are pinned so
 * any change to the block or the protocol is caught; and the qualitative
 * facts of the paper hold in both the measured and the simulated series
 * (checked against the data before being written down here). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "gutskin/model.h"
#include "gutskin/reproduce.h"

#define N_GENERA 11

static json_t *mouse(json_t *root, int id)
{
    json_t *mice = json_object_get(root, "mice"), *m;
    size_t i;
    json_array_foreach(mice, i, m) {
        if (json_integer_value(json_object_get(m, "id")) == id) return m;
    }
    fail_msg("mouse %d is missing", id);
    return NULL;
}

static double value(json_t *m, const char *series, const char *genus, size_t k)
{
    json_t *a = json_object_get(json_object_get(m, series), genus);
    assert_non_null(a);
    assert_true(k < json_array_size(a));
    return json_real_value(json_array_get(a, k));
}

static size_t n_samples(json_t *m) { return json_array_size(json_object_get(m, "times")); }

static double err_of(json_t *root, const char *genus, const char *key)
{
    json_t *e = json_object_get(json_object_get(root, "error_per_genus"), genus);
    assert_non_null(e);
    return json_real_value(json_object_get(e, key));
}

/* Every number of the block equals the published table in data/. */
static void table_matches_published_csv(void **state)
{
    (void)state;
    const gs_block *b = gs_block_find("gut_mouse_stein2013");
    assert_non_null(b);
    assert_true(b->flags & GS_BLOCK_REFERENCE);
    assert_false(b->flags & GS_BLOCK_SKIN);
    assert_int_equal(b->n_states, N_GENERA);
    assert_int_equal(b->n_params, N_GENERA + N_GENERA * N_GENERA + N_GENERA + 1);
    FILE *f = fopen("data/reference/stein2013/stein_parameters.csv", "r");
    assert_non_null(f);
    char line[4096];
    assert_non_null(fgets(line, sizeof line, f));  /* header */
    for (int i = 0; i < N_GENERA; i++) {
        assert_non_null(fgets(line, sizeof line, f));
        char *field = strchr(line, ',');
        assert_non_null(field);
        for (int c = 0; c < N_GENERA + 2; c++) {
            char *end;
            double v = strtod(field + 1, &end);
            assert_true(end != field + 1);
            size_t p = c < N_GENERA ? (size_t)(N_GENERA + i * N_GENERA + c)    /* M_ij */
                       : c == N_GENERA ? (size_t)i                              /* mu_i */
                                       : (size_t)(N_GENERA * (N_GENERA + 1) + i); /* eps_i */
            if (b->params[p].value != v)
                fail_msg("%s is %.17g in the block but %.17g in the CSV", b->params[p].name,
                         b->params[p].value, v);
            field = end;
        }
    }
    fclose(f);
    int i = gs_quantity_index(b->params, b->n_params, "m_blautia_by_coprobacillus");
    assert_true(i >= 0);
    assert_float_equal(b->params[i].value, 0.55363, 0);
    i = gs_quantity_index(b->params, b->n_params, "eps_enterobacteriaceae_undefined");
    assert_true(i >= 0);
    assert_float_equal(b->params[i].value, 3.7009, 0);
}

/* The block's analytic Jacobian equals central differences of its
 * right-hand side, with and without the antibiotic. */
static void jacobian_matches_differences(void **state)
{
    (void)state;
    const gs_block *b = gs_block_find("gut_mouse_stein2013");
    assert_non_null(b);
    assert_non_null(b->jac);
    double p[N_GENERA * N_GENERA + 2 * N_GENERA + 1];
    assert_int_equal(b->n_params, sizeof p / sizeof p[0]);
    for (size_t i = 0; i < b->n_params; i++) p[i] = b->params[i].value;
    double x[N_GENERA];
    for (int i = 0; i < N_GENERA; i++) x[i] = 0.05 + 0.1 * i;
    for (int u = 0; u <= 1; u++) {
        p[b->n_params - 1] = u;
        double jac[N_GENERA * N_GENERA] = {0}, fp[N_GENERA], fm[N_GENERA];
        b->jac(x, p, NULL, jac, NULL);
        for (int k = 0; k < N_GENERA; k++) {
            double h = 1e-6, xk = x[k];
            x[k] = xk + h;
            b->rhs(x, p, NULL, fp);
            x[k] = xk - h;
            b->rhs(x, p, NULL, fm);
            x[k] = xk;
            for (int i = 0; i < N_GENERA; i++) {
                double fd = (fp[i] - fm[i]) / (2 * h);
                if (fabs(jac[i * N_GENERA + k] - fd) > 1e-6 * (1 + fabs(fd)))
                    fail_msg("d f_%d / d x_%d: analytic %g, differences %g (u = %d)", i, k,
                             jac[i * N_GENERA + k], fd, u);
            }
        }
    }
}

static void layout_of_the_output(void **state)
{
    json_t *root = *state;
    assert_string_equal(json_string_value(json_object_get(root, "model")), "stein2013");
    assert_int_equal(json_array_size(json_object_get(root, "genera")), N_GENERA);
    assert_int_equal(json_array_size(json_object_get(root, "mice")), 9);
    json_t *m = mouse(root, 3);
    assert_int_equal(json_integer_value(json_object_get(m, "population")), 3);
    assert_int_equal(n_samples(m), 10);  /* mouse 3 has no day-9 sample */
    /* C. difficile enters population 3 at its first positive sample. */
    assert_float_equal(json_real_value(json_object_get(json_object_get(m, "introduced"),
                                                       "clostridium_difficile")), 2.0, 0);
    /* The first sample is the initial state. */
    assert_float_equal(value(m, "simulated", "barnesiella", 0),
                       value(m, "measured", "barnesiella", 0), 0);
}

static void pinned_values(void **state)
{
    json_t *root = *state;
    assert_float_equal(value(mouse(root, 1), "simulated", "enterobacteriaceae_undefined", 1),
                       0.072656, 1e-5);
    assert_float_equal(value(mouse(root, 6), "simulated", "blautia", 10), 0.98028, 1e-4);
    assert_float_equal(value(mouse(root, 2), "simulated", "barnesiella", 3), 1.85756, 1e-4);
    assert_float_equal(value(mouse(root, 9), "simulated", "clostridium_difficile", 10),
                       0.076052, 1e-5);
    static const struct { const char *genus; double rmse, bias; } pinned[] = {
        {"barnesiella", 0.957116, 0.160319},
        {"lachnospiraceae_undefined", 1.351375, 0.069671},
        {"lachnospiraceae_unclassified", 1.619668, 0.131619},
        {"other", 1.528479, -0.246760},
        {"blautia", 1.441647, -0.239657},
        {"mollicutes_undefined", 1.119704, -0.162552},
        {"akkermansia", 1.781140, 0.024647},
        {"coprobacillus", 1.955906, 0.324876},
        {"clostridium_difficile", 1.125626, -0.633440},
        {"enterococcus", 1.338823, 0.028724},
        {"enterobacteriaceae_undefined", 0.852197, 0.091090},
    };
    for (size_t i = 0; i < sizeof pinned / sizeof pinned[0]; i++) {
        assert_float_equal(err_of(root, pinned[i].genus, "rmse_log10"), pinned[i].rmse, 1e-4);
        assert_float_equal(err_of(root, pinned[i].genus, "bias_log10"), pinned[i].bias, 1e-4);
        assert_int_equal(json_integer_value(json_object_get(
                             json_object_get(json_object_get(root, "error_per_genus"),
                                             pinned[i].genus), "n")), 68);
    }
    json_t *all = json_object_get(root, "error_overall");
    assert_float_equal(json_real_value(json_object_get(all, "rmse_log10")), 1.408342, 1e-4);
    assert_float_equal(json_real_value(json_object_get(all, "rmse_log10_persistence")),
                       2.213320, 1e-4);
    json_t *one_day = json_object_get(json_object_get(json_object_get(root, "sensitivity"),
                                                      "exposure_one_day"), "error_overall");
    assert_float_equal(json_real_value(json_object_get(one_day, "rmse_log10")), 1.636787, 1e-4);
}

/* The model predicts the series better than assuming nothing changes, and
 * the exposure window the parameters were inferred with fits better than a
 * one-day pulse. */
static void better_than_persistence(void **state)
{
    json_t *root = *state;
    json_t *all = json_object_get(root, "error_overall");
    assert_true(json_real_value(json_object_get(all, "rmse_log10")) <
                0.7 * json_real_value(json_object_get(all, "rmse_log10_persistence")));
    json_t *one_day = json_object_get(json_object_get(json_object_get(root, "sensitivity"),
                                                      "exposure_one_day"), "error_overall");
    assert_true(json_real_value(json_object_get(all, "rmse_log10")) <
                json_real_value(json_object_get(one_day, "rmse_log10")));
}

static const int dosed[] = {1, 3, 4, 6, 7, 9};   /* populations 2 and 3 */
static const int untreated[] = {2, 5, 8};        /* population 1 */

/* Clindamycin knocks down the most susceptible genera (eps < -2:
 * Barnesiella and both Lachnospiraceae) by more than 5x by day 2. */
static void clindamycin_knocks_down_susceptible_genera(void **state)
{
    json_t *root = *state;
    const char *susceptible[] = {"barnesiella", "lachnospiraceae_undefined",
                                 "lachnospiraceae_unclassified"};
    const char *series[] = {"measured", "simulated"};
    for (size_t i = 0; i < sizeof dosed / sizeof dosed[0]; i++) {
        json_t *m = mouse(root, dosed[i]);
        assert_true(json_is_true(json_object_get(m, "clindamycin")));
        for (int s = 0; s < 2; s++) {
            double before = 0, after = 0;
            for (int g = 0; g < 3; g++) {
                before += value(m, series[s], susceptible[g], 0);
                after += value(m, series[s], susceptible[g], 1);
            }
            if (!(after < before / 5))
                fail_msg("mouse %d, %s: susceptible genera %g -> %g", dosed[i], series[s],
                         before, after);
        }
    }
}

/* Genera with eps > 0 bloom after the dose: Enterobacteriaceae (eps 3.7)
 * by day 2, Enterococcus (eps 1.07) within the first week. */
static void resistant_genera_bloom(void **state)
{
    json_t *root = *state;
    const char *series[] = {"measured", "simulated"};
    for (size_t i = 0; i < sizeof dosed / sizeof dosed[0]; i++) {
        json_t *m = mouse(root, dosed[i]);
        for (int s = 0; s < 2; s++) {
            double e0 = value(m, series[s], "enterobacteriaceae_undefined", 0);
            double e2 = value(m, series[s], "enterobacteriaceae_undefined", 1);
            if (!(e2 > 3 * e0))
                fail_msg("mouse %d, %s: Enterobacteriaceae %g -> %g", dosed[i], series[s],
                         e0, e2);
            double c0 = value(m, series[s], "enterococcus", 0), peak = 0;
            for (size_t k = 1; k < n_samples(m); k++) {
                double t = json_real_value(json_array_get(json_object_get(m, "times"), k));
                if (t <= 7) peak = fmax(peak, value(m, series[s], "enterococcus", k));
            }
            if (!(peak > 10 * c0))
                fail_msg("mouse %d, %s: Enterococcus %g, first-week peak %g", dosed[i],
                         series[s], c0, peak);
        }
    }
}

/* Without antibiotic (population 1) the dominant genera stay near their
 * initial state: within 10^0.5 simulated, 10^0.6 measured. */
static void untreated_mice_stay_near_initial_state(void **state)
{
    json_t *root = *state;
    const char *dominant[] = {"barnesiella", "lachnospiraceae_undefined",
                              "lachnospiraceae_unclassified", "other"};
    for (size_t i = 0; i < sizeof untreated / sizeof untreated[0]; i++) {
        json_t *m = mouse(root, untreated[i]);
        assert_false(json_is_true(json_object_get(m, "clindamycin")));
        for (int g = 0; g < 4; g++)
            for (size_t k = 1; k < n_samples(m); k++) {
                double x0 = value(m, "measured", dominant[g], 0);
                double sim = fabs(log10(value(m, "simulated", dominant[g], k) / x0));
                double meas = fabs(log10(value(m, "measured", dominant[g], k) / x0));
                if (!(sim < 0.5 && meas < 0.6))
                    fail_msg("mouse %d, %s, sample %zu: log10 change %g simulated, %g measured",
                             untreated[i], dominant[g], k, sim, meas);
            }
    }
}

/* Once it has entered the cleared gut, C. difficile expands more than
 * 100-fold by day 23 (population 3). */
static void c_difficile_expands_after_antibiotic(void **state)
{
    json_t *root = *state;
    const int pop3[] = {3, 6, 9};
    for (int i = 0; i < 3; i++) {
        json_t *m = mouse(root, pop3[i]);
        size_t last = n_samples(m) - 1;
        for (int s = 0; s < 2; s++) {
            const char *series = s ? "simulated" : "measured";
            double entry = value(m, series, "clostridium_difficile", 1);
            double end = value(m, series, "clostridium_difficile", last);
            if (!(entry > 0 && end > 100 * entry))
                fail_msg("mouse %d, %s: C. difficile %g on day 2, %g on day 23", pop3[i],
                         series, entry, end);
        }
    }
}

/* A malformed series file is reported with its path, line and the field. */
static void malformed_series_is_reported(void **state)
{
    (void)state;
    char dir[] = "/tmp/gutskin-stein-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/reference", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/reference/stein2013", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/reference/stein2013/stein_ic.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("Population,1,1\nReplicate,1,1\nID,1,1\ntime (in d),0,2\nBarnesiella,0.5,x\n", f);
    fclose(f);
    const char *old = getenv("GUTSKIN_DATA_DIR");
    char *saved = old ? strdup(old) : NULL;
    assert_int_equal(setenv("GUTSKIN_DATA_DIR", dir, 1), 0);
    json_t *root = NULL;
    gs_err err;
    gs_err_clear(&err);
    gs_status st = gs_reproduce_stein2013(&root, &err);
    if (saved) setenv("GUTSKIN_DATA_DIR", saved, 1); else unsetenv("GUTSKIN_DATA_DIR");
    free(saved);
    remove(path);
    snprintf(path, sizeof path, "%s/reference/stein2013", dir);
    rmdir(path);
    snprintf(path, sizeof path, "%s/reference", dir);
    rmdir(path);
    rmdir(dir);
    assert_int_equal(st, GS_ERR_INPUT);
    assert_null(root);
    assert_non_null(strstr(err.msg, "stein_ic.csv:5: row 'Barnesiella', sample 2: 'x' is not a "
                                    "non-negative number"));
}

static int setup(void **state)
{
    json_t *root = NULL;
    gs_err err;
    gs_err_clear(&err);
    if (gs_reproduce_stein2013(&root, &err) != GS_OK) {
        fprintf(stderr, "stein2013: %s\n", err.msg);
        return -1;
    }
    *state = root;
    return 0;
}

static int teardown(void **state)
{
    json_decref(*state);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_matches_published_csv),
        cmocka_unit_test(jacobian_matches_differences),
        cmocka_unit_test(layout_of_the_output),
        cmocka_unit_test(pinned_values),
        cmocka_unit_test(better_than_persistence),
        cmocka_unit_test(clindamycin_knocks_down_susceptible_genera),
        cmocka_unit_test(resistant_genera_bloom),
        cmocka_unit_test(untreated_mice_stay_near_initial_state),
        cmocka_unit_test(c_difficile_expands_after_antibiotic),
        cmocka_unit_test(malformed_series_is_reported),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
