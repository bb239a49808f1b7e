/* Reynolds 2006 reproduction: the paper's three outcomes over the grid,
 * and pinned values so a change to the systemic block cannot pass
 * unnoticed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "gutskin/reproduce.h"

static json_t *find_case(json_t *root, double k_pg, double p0)
{
    json_t *cases = json_object_get(root, "cases"), *c;
    size_t i;
    json_array_foreach(cases, i, c) {
        if (json_real_value(json_object_get(c, "k_pg")) == k_pg &&
            json_real_value(json_object_get(c, "P0")) == p0)
            return c;
    }
    return NULL;
}

static double sample(json_t *c, size_t i, const char *key)
{
    return json_real_value(json_object_get(json_array_get(json_object_get(c, "samples"), i), key));
}

static void outcomes_over_the_grid(void **state)
{
    json_t *root = *state;
    assert_string_equal(json_string_value(json_object_get(root, "time_unit")), "hours");
    assert_int_equal(json_array_size(json_object_get(root, "cases")), 12);
    /* Slow growth: small inocula heal, large ones leave damage (aseptic). */
    const char *slow[] = {"health", "health", "health", "aseptic", "aseptic", "aseptic"};
    const double p0[] = {0.1, 0.5, 1, 2, 4, 8};
    for (int i = 0; i < 6; i++) {
        json_t *c = find_case(root, 0.3, p0[i]);
        assert_non_null(c);
        assert_string_equal(json_string_value(json_object_get(c, "outcome")), slow[i]);
    }
    /* Fast growth: only the smallest inoculum is cleared; the rest persist. */
    assert_string_equal(json_string_value(json_object_get(find_case(root, 0.6, 0.1), "outcome")),
                        "health");
    for (int i = 1; i < 6; i++)
        assert_string_equal(
            json_string_value(json_object_get(find_case(root, 0.6, p0[i]), "outcome")), "septic");
}

static void pinned_values(void **state)
{
    json_t *root = *state;
    json_t *c = find_case(root, 0.3, 1);
    /* Damage peaks then resolves for a moderate inoculum. */
    assert_float_equal(sample(c, 0, "t"), 48, 0);
    assert_float_equal(sample(c, 0, "D"), 3.269, 2e-3);
    assert_float_equal(sample(c, 1, "D"), 0.565, 2e-3);
    /* Aseptic death: damage settles at k_dn/mu_d = 17.5 times the Hill term. */
    c = find_case(root, 0.3, 8);
    assert_float_equal(sample(c, 2, "D"), 17.398, 2e-3);
    /* Septic death: the pathogen settles near 4.94 (1e6/cc). */
    c = find_case(root, 0.6, 2);
    assert_float_equal(sample(c, 2, "P"), 4.9365, 1e-3);
    assert_float_equal(sample(c, 2, "D"), 17.492, 2e-3);
}

static int setup(void **state)
{
    json_t *root = NULL;
    gs_err err;
    if (gs_reproduce_reynolds2006(&root, &err) != GS_OK) return -1;
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
        cmocka_unit_test(outcomes_over_the_grid),
        cmocka_unit_test(pinned_values),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
