/* The progress bar: silent for short runs and when not wanted; after a
 * second it shows done/total, the rate and the time left; thread-safe
 * counting. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "gutskin/progress.h"

static char *contents(FILE *f)
{
    static char buf[4096];
    fflush(f);
    rewind(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    return buf;
}

static void test_quiet_when_short_or_unwanted(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    /* a file is not a terminal: AUTO means no bar at all */
    assert_null(gs_progress_new("patients", 10, GS_PROGRESS_AUTO, f));
    assert_null(gs_progress_new("patients", 10, GS_PROGRESS_NEVER, f));
    /* ALWAYS, but finished within a second: nothing printed */
    gs_progress *p = gs_progress_new("patients", 10, GS_PROGRESS_ALWAYS, f);
    assert_non_null(p);
    gs_progress_add(p, 10);
    assert_int_equal(gs_progress_done(p), 10);
    gs_progress_finish(p);
    assert_string_equal(contents(f), "");
    /* NULL is accepted everywhere */
    gs_progress_add(NULL, 1);
    gs_progress_finish(NULL);
    fclose(f);
}

static void test_shows_after_a_second(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    gs_progress *p = gs_progress_new("patients", 100, GS_PROGRESS_ALWAYS, f);
    assert_non_null(p);
    long total = 0;
#pragma omp parallel for reduction(+ : total)
    for (int i = 0; i < 25; i++) {
        gs_progress_add(p, 1);
        total++;
    }
    assert_int_equal(gs_progress_done(p), 25);
    struct timespec wait = {1, 100000000};  /* 1.1 s */
    nanosleep(&wait, NULL);
    gs_progress_add(p, 25);
    gs_progress_finish(p);
    const char *s = contents(f);
    assert_non_null(strstr(s, "50/100 patients"));
    assert_non_null(strstr(s, "patients/s"));
    assert_non_null(strstr(s, "left"));
    assert_non_null(strstr(s, "[###############..............."));  /* half full */
    assert_int_equal(s[strlen(s) - 1], '\n');                  /* line ended */
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quiet_when_short_or_unwanted),
        cmocka_unit_test(test_shows_after_a_second),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
