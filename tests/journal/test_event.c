/* Tests of the entry table and wall-clock times (src/journal/event.c). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "gutskin/event.h"

static void test_time_round_trip(void **state)
{
    (void)state;
    const char *texts[] = {"2026-03-01T21:30:00+01:00", "2026-03-01T21:30:05Z",
                           "2026-03-01T21:30:00", "1969-12-31T23:59:59-05:30",
                           "2024-02-29T00:00:00"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        gs_time t;
        gs_err err;
        assert_int_equal(gs_time_parse(texts[i], &t, &err), GS_OK);
        char buf[GS_TIME_TEXT_MAX];
        gs_time_format(&t, buf);
        assert_string_equal(buf, texts[i]);
    }
}

static void test_time_forms(void **state)
{
    (void)state;
    gs_time a, b;
    gs_err err;
    assert_int_equal(gs_time_parse("2026-03-01 21:30", &a, &err), GS_OK);
    assert_int_equal(gs_time_parse("2026-03-01T21:30:00", &b, &err), GS_OK);
    assert_true(a.wall == b.wall && !a.has_offset);
    assert_int_equal(gs_time_parse("2026-03-01T21:30+0130", &a, &err), GS_OK);
    assert_int_equal(a.offset_min, 90);
    assert_int_equal(gs_time_parse("2026-03-01", &a, &err), GS_OK);
    assert_int_equal(a.wall % 86400, 12 * 3600);
    /* 1970-01-01T00:00 is second 0; 2000-03-01 is day 11017 */
    assert_int_equal(gs_time_parse("1970-01-01T00:00Z", &a, &err), GS_OK);
    assert_int_equal(a.wall, 0);
    assert_int_equal(gs_time_parse("2000-03-01T00:00", &a, &err), GS_OK);
    assert_int_equal(a.wall / 86400, 11017);
}

static void test_time_rejects(void **state)
{
    (void)state;
    const char *bad[] = {"2026-02-30", "2023-02-29", "2026-13-01", "2026-03-01T24:00",
                         "2026-03-01T12:60", "2026-03-01T12:00+15:00", "yesterday",
                         "2026-03-01T12:00 extra", "2026-3-1", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gs_time t;
        gs_err err;
        assert_int_equal(gs_time_parse(bad[i], &t, &err), GS_ERR_INPUT);
        assert_non_null(strstr(err.msg, "time '"));
    }
}

static void test_day_start(void **state)
{
    (void)state;
    gs_time snack, dinner, breakfast;
    gs_err err;
    assert_int_equal(gs_time_parse("2026-03-02T00:30", &snack, &err), GS_OK);
    assert_int_equal(gs_time_parse("2026-03-01T19:00", &dinner, &err), GS_OK);
    assert_int_equal(gs_time_parse("2026-03-02T07:00", &breakfast, &err), GS_OK);
    /* with a 04:00 day start the midnight snack belongs to the evening before */
    assert_true(gs_time_day(&snack, 240) == gs_time_day(&dinner, 240));
    assert_true(gs_time_day(&breakfast, 240) == gs_time_day(&dinner, 240) + 1);
    /* with midnight as day start it does not */
    assert_true(gs_time_day(&snack, 0) == gs_time_day(&breakfast, 0));
    char buf[11];
    gs_day_format(gs_time_day(&snack, 240), buf);
    assert_string_equal(buf, "2026-03-01");
    gs_time early;
    assert_int_equal(gs_time_parse("1970-01-01T01:00", &early, &err), GS_OK);
    assert_int_equal(gs_time_day(&early, 240), -1);
}

static gs_status check(gs_event_kind kind, const char *name, double value, gs_err *err)
{
    gs_event ev;
    gs_event_init(&ev, kind);
    strcpy(ev.name, name);
    ev.value = value;
    return gs_event_check(&ev, err);
}

static void test_event_table(void **state)
{
    (void)state;
    gs_err err;
    assert_int_equal(check(GS_EVENT_GUT, "bloating", 6, &err), GS_OK);
    assert_int_equal(check(GS_EVENT_GUT, "pain", 12, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "outside 0-10"));
    assert_int_equal(check(GS_EVENT_GUT, "bloatin", 3, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "did you mean 'bloating'"));
    assert_int_equal(check(GS_EVENT_GUT, "bloating", NAN, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "needs a value"));
    assert_int_equal(check(GS_EVENT_STOOL, "bristol", 4, &err), GS_OK);
    assert_int_equal(check(GS_EVENT_STOOL, "bristol", 4.5, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "whole number from 1 to 7"));
    assert_int_equal(check(GS_EVENT_STOOL, "bristol", 8, &err), GS_ERR_INPUT);
    assert_int_equal(check(GS_EVENT_SKIN, "lesions", 12, &err), GS_OK);
    assert_int_equal(check(GS_EVENT_SKIN, "lesions", 12.5, &err), GS_ERR_INPUT);
    assert_int_equal(check(GS_EVENT_SKIN, "itch", 11, &err), GS_ERR_INPUT);
    assert_int_equal(check(GS_EVENT_SLEEP, "hours", 6.5, &err), GS_OK);
    assert_int_equal(check(GS_EVENT_SLEEP, "hours", 25, &err), GS_ERR_INPUT);
    assert_int_equal(check(GS_EVENT_FOOD, "oat porridge with milk", NAN, &err), GS_OK);
    assert_int_equal(check(GS_EVENT_FOOD, "oat porridge", 0, &err), GS_ERR_INPUT);
    assert_int_equal(check(GS_EVENT_FOOD, "", NAN, &err), GS_ERR_INPUT);
    assert_int_equal(check(GS_EVENT_START, "zinc", 30, &err), GS_OK);
    /* a probiotic dose in CFU, written as a plain number */
    assert_int_equal(check(GS_EVENT_START, "lactobacillus rhamnosus", 1e10, &err), GS_OK);
    assert_int_equal(check(GS_EVENT_START, "zinc", -1, &err), GS_ERR_INPUT);
    assert_int_equal(check(GS_EVENT_FOOD, "tea\nwith milk", NAN, &err), GS_ERR_INPUT);
}

static void test_kinds(void **state)
{
    (void)state;
    gs_event_kind k;
    gs_err err;
    for (int i = 0; i < GS_EVENT_KIND_COUNT; i++) {
        assert_int_equal(gs_event_kind_parse(gs_event_kind_name(i), &k, &err), GS_OK);
        assert_int_equal(k, i);
    }
    assert_int_equal(gs_event_kind_parse("skn", &k, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "did you mean 'skin'"));
    assert_null(gs_event_kind_name(GS_EVENT_KIND_COUNT));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_round_trip), cmocka_unit_test(test_time_forms),
        cmocka_unit_test(test_time_rejects),    cmocka_unit_test(test_day_start),
        cmocka_unit_test(test_event_table),     cmocka_unit_test(test_kinds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
