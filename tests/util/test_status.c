/* Tests of the error type and the "did you mean" suggestions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "gutskin/status.h"

static void fail_formats_and_returns_status(void **state)
{
    (void)state;
    gs_err err;
    gs_err_clear(&err);
    assert_int_equal(gs_fail(&err, GS_ERR_INPUT, "x = %d", 3), GS_ERR_INPUT);
    assert_int_equal(err.status, GS_ERR_INPUT);
    assert_string_equal(err.msg, "x = 3");
    assert_int_equal(gs_fail(NULL, GS_ERR_IO, "ignored"), GS_ERR_IO);
}

static void exit_codes(void **state)
{
    (void)state;
    assert_int_equal(gs_exit_code(GS_OK), 0);
    assert_int_equal(gs_exit_code(GS_ERR_INPUT), 2);
    assert_int_equal(gs_exit_code(GS_ERR_SOLVER), 1);
    assert_int_equal(gs_exit_code(GS_ERR_IO), 1);
}

static void nearest_name_suggests_typos_only(void **state)
{
    (void)state;
    const char *names[] = {"barrier", "microbiome", "systemic", "skin_acne"};
    assert_string_equal(gs_nearest_name("barier", names, 4), "barrier");
    assert_string_equal(gs_nearest_name("skin_acen", names, 4), "skin_acne");
    assert_null(gs_nearest_name("psoriasis_xyz", names, 4));
}

static void long_messages_are_truncated(void **state)
{
    (void)state;
    gs_err err;
    char big[4000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    gs_fail(&err, GS_ERR_INPUT, "%s", big);
    assert_int_equal(strlen(err.msg), GS_ERR_MSG_MAX - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fail_formats_and_returns_status),
        cmocka_unit_test(exit_codes),
        cmocka_unit_test(nearest_name_suggests_typos_only),
        cmocka_unit_test(long_messages_are_truncated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
