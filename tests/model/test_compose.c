/* Tests of composition: naming, offsets, parameter checks, clones, and the
 * integrity of the registries (every link resolves to real names). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>

#include "gutskin/model.h"

static gs_model *compose1(const char *name)
{
    gs_model *m = NULL;
    gs_err err;
    const char *names[] = {name};
    assert_int_equal(gs_model_compose(names, 1, &m, &err), GS_OK);
    return m;
}

static void names_and_offsets(void **state)
{
    (void)state;
    gs_model *m = compose1("systemic");
    const gs_block *blk = gs_block_find("systemic");
    assert_int_equal(gs_model_n_states(m), blk->n_states);
    assert_int_equal(gs_model_n_params(m), blk->n_params);
    char buf[96];
    assert_string_equal(gs_model_state_name(m, 0, buf, sizeof buf), "systemic.pathogen");
    assert_int_equal(gs_model_find_state(m, "systemic.damage"), 2);
    assert_int_equal(gs_model_find_state(m, "systemic.nothing"), -1);
    assert_int_equal(gs_model_find_output(m, "systemic.crp"), 1);
    assert_true(gs_model_find_param(m, "systemic.k_pg") >= 0);
    assert_true(gs_model_has_block(m, "systemic"));
    assert_false(gs_model_has_block(m, "barrier"));
    gs_model_free(m);
}

static void unknown_and_duplicate_blocks(void **state)
{
    (void)state;
    gs_model *m = NULL;
    gs_err err;
    const char *bad[] = {"systemc"};
    assert_int_equal(gs_model_compose(bad, 1, &m, &err), GS_ERR_INPUT);
    assert_null(m);
    assert_non_null(strstr(err.msg, "did you mean 'systemic'"));
    const char *twice[] = {"systemic", "systemic"};
    assert_int_equal(gs_model_compose(twice, 2, &m, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "twice"));
}

static void params_are_range_checked(void **state)
{
    (void)state;
    gs_model *m = compose1("systemic");
    gs_err err;
    int k = gs_model_find_param(m, "systemic.k_pg");
    assert_int_equal(gs_model_set_param(m, "systemic.k_pg", 7.2, &err), GS_OK);
    assert_float_equal(gs_model_params(m)[k], 7.2, 0);
    assert_int_equal(gs_model_set_param(m, "systemic.k_pg", -1, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "out of range"));
    assert_int_equal(gs_model_set_param(m, "systemic.k_pg", NAN, &err), GS_ERR_INPUT);
    assert_int_equal(gs_model_set_param(m, "systemic.k_pgg", 1, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "did you mean 'systemic.k_pg'"));
    assert_int_equal(gs_model_set_initial(m, "systemic.pathogen", 2, &err), GS_OK);
    assert_float_equal(gs_model_initial(m)[0], 2, 0);
    gs_model_free(m);
}

static void clones_are_deep(void **state)
{
    (void)state;
    gs_model *m = compose1("systemic");
    gs_model *c = gs_model_clone(m);
    assert_non_null(c);
    gs_model_params(c)[0] = 99;
    gs_model_initial(c)[0] = 42;
    assert_float_not_equal(gs_model_params(m)[0], 99, 0);
    assert_float_not_equal(gs_model_initial(m)[0], 42, 0);
    /* Same right-hand side at the same point. */
    double y[4] = {1, 0.1, 0.05, 0.2}, d1[4], d2[4], dose[64] = {0};
    gs_model_params(c)[0] = gs_model_params(m)[0];
    gs_model_rhs(m, y, dose, d1);
    gs_model_rhs(c, y, dose, d2);
    assert_memory_equal(d1, d2, sizeof d1);
    gs_model_free(m);
    gs_model_free(c);
}

/* Every quantity of every block: finite default inside its range, a
 * unit, a source, and a unique name. */
static void block_tables_are_well_formed(void **state)
{
    (void)state;
    size_t n;
    const gs_block *const *reg = gs_block_registry(&n);
    for (size_t b = 0; b < n; b++) {
        const gs_block *blk = reg[b];
        assert_non_null(blk->rhs);
        assert_true(blk->n_outputs == 0 || blk->output != NULL);
        const gs_quantity *tables[] = {blk->states, blk->params, blk->inputs};
        size_t counts[] = {blk->n_states, blk->n_params, blk->n_inputs};
        for (int t = 0; t < 3; t++) {
            for (size_t i = 0; i < counts[t]; i++) {
                const gs_quantity *q = &tables[t][i];
                if (!(isfinite(q->value) && q->value >= q->lo && q->value <= q->hi))
                    fail_msg("%s.%s default %g outside [%g, %g]", blk->name, q->name,
                             q->value, q->lo, q->hi);
                assert_true(q->unit && q->unit[0]);
                assert_true(q->source && q->source[0]);
                assert_int_equal(gs_quantity_index(tables[t], counts[t], q->name), (int)i);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_and_offsets),
        cmocka_unit_test(unknown_and_duplicate_blocks),
        cmocka_unit_test(params_are_range_checked),
        cmocka_unit_test(clones_are_deep),
        cmocka_unit_test(block_tables_are_well_formed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
