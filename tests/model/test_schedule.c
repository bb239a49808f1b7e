/* Tests of schedules: baselines, spans, validation, change points. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>

#include "gutskin/model.h"

static void doses_follow_spans_and_baselines(void **state)
{
    (void)state;
    gs_schedule s;
    gs_err err;
    assert_int_equal(gs_schedule_init(&s, &err), GS_OK);
    int fibre = gs_intervention_index("fibre"), pro = gs_intervention_index("probiotic");
    assert_true(fibre >= 0 && pro >= 0);
    assert_int_equal(gs_schedule_set_baseline(&s, "fibre", 10, &err), GS_OK);
    assert_int_equal(gs_schedule_add(&s, "fibre", 28, 84, 30, &err), GS_OK);
    assert_int_equal(gs_schedule_add(&s, "probiotic", 56, 84, 10, &err), GS_OK);
    size_t n;
    gs_intervention_registry(&n);
    double dose[64];
    assert_true(n <= 64);
    gs_schedule_doses_at(&s, 0, dose);
    assert_float_equal(dose[fibre], 10, 0);
    assert_float_equal(dose[pro], 0, 0);
    gs_schedule_doses_at(&s, 28, dose);  /* start is inclusive */
    assert_float_equal(dose[fibre], 30, 0);
    gs_schedule_doses_at(&s, 84, dose);  /* stop is exclusive */
    assert_float_equal(dose[fibre], 10, 0);
    assert_float_equal(gs_schedule_next_change(&s, 0), 28, 0);
    assert_float_equal(gs_schedule_next_change(&s, 28), 56, 0);
    assert_float_equal(gs_schedule_next_change(&s, 56), 84, 0);
    assert_true(isinf(gs_schedule_next_change(&s, 84)));
    gs_schedule_free(&s);
}

static void bad_spans_are_rejected_with_reasons(void **state)
{
    (void)state;
    gs_schedule s;
    gs_err err;
    assert_int_equal(gs_schedule_init(&s, &err), GS_OK);
    assert_int_equal(gs_schedule_add(&s, "fiber", 0, 10, 20, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "did you mean 'fibre'"));
    assert_int_equal(gs_schedule_add(&s, "zinc", 0, 10, 500, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "allowed 0 to 150 mg/day"));
    assert_int_equal(gs_schedule_add(&s, "zinc", 10, 5, 30, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "must be after"));
    assert_int_equal(gs_schedule_add(&s, "zinc", -1, 5, 30, &err), GS_ERR_INPUT);
    assert_int_equal(gs_schedule_add(&s, "zinc", 0, NAN, 30, &err), GS_ERR_INPUT);
    assert_int_equal(gs_schedule_add(&s, "zinc", 0, 10, 30, &err), GS_OK);
    assert_int_equal(gs_schedule_add(&s, "zinc", 5, 15, 30, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "overlap"));
    assert_int_equal(gs_schedule_add(&s, "zinc", 10, 15, 30, &err), GS_OK);  /* adjacent */
    assert_int_equal(gs_schedule_set_baseline(&s, "fibre", -3, &err), GS_ERR_INPUT);
    assert_int_equal(s.n_spans, 2);
    gs_schedule_free(&s);
}

static void copies_are_independent(void **state)
{
    (void)state;
    gs_schedule a, b;
    gs_err err;
    assert_int_equal(gs_schedule_init(&a, &err), GS_OK);
    assert_int_equal(gs_schedule_add(&a, "zinc", 0, 10, 30, &err), GS_OK);
    assert_int_equal(gs_schedule_copy(&b, &a, &err), GS_OK);
    assert_int_equal(gs_schedule_add(&b, "zinc", 20, 30, 30, &err), GS_OK);
    assert_int_equal(a.n_spans, 1);
    assert_int_equal(b.n_spans, 2);
    gs_schedule_free(&a);
    gs_schedule_free(&b);
}

static void growing_past_initial_capacity(void **state)
{
    (void)state;
    gs_schedule s;
    gs_err err;
    assert_int_equal(gs_schedule_init(&s, &err), GS_OK);
    for (int i = 0; i < 40; i++)
        assert_int_equal(gs_schedule_add(&s, "alcohol", 7 * i, 7 * i + 2, 20, &err), GS_OK);
    assert_int_equal(s.n_spans, 40);
    assert_float_equal(gs_schedule_next_change(&s, 272), 273, 0);
    gs_schedule_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(doses_follow_spans_and_baselines),
        cmocka_unit_test(bad_spans_are_rejected_with_reasons),
        cmocka_unit_test(copies_are_independent),
        cmocka_unit_test(growing_past_initial_capacity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
