/*
 * Entries to a daily panel (src/stats/daily.c) on a hand-made journal:
 * the day start, missing against 0, the mean of a day's scores, and
 * interventions from start to stop.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gutskin/daily.h"

static gs_event ev(const char *at, gs_event_kind kind, const char *name, double value)
{
    gs_event e;
    gs_event_init(&e, kind);
    gs_err err;
    assert_int_equal(gs_time_parse(at, &e.at, &err), GS_OK);
    snprintf(e.name, sizeof e.name, "%s", name);
    e.value = value;
    return e;
}

static void test_build_by_hand(void **state)
{
    (void)state;
    gs_lexicon *lex;
    gs_err err;
    assert_int_equal(gs_lexicon_load(NULL, &lex, &err), GS_OK);
    /* given out of order on purpose: the panel does not need sorted input */
    gs_event e[] = {
        ev("2026-03-02T08:00", GS_EVENT_FOOD, "toast with butter", NAN),  /* day 1 */
        ev("2026-03-01T12:00", GS_EVENT_FOOD, "a glass of milk", NAN),    /* day 0 */
        ev("2026-03-02T02:30", GS_EVENT_FOOD, "Toast", NAN),  /* 02:30: still day 0 */
        ev("2026-03-01T09:00", GS_EVENT_SKIN, "itch", 4),
        ev("2026-03-01T21:00", GS_EVENT_SKIN, "itch", 6),                /* mean 5 */
        ev("2026-03-03T21:00", GS_EVENT_SKIN, "itch", 2),                /* day 2 */
        ev("2026-03-02T07:00", GS_EVENT_SLEEP, "hours", 7.5),
        ev("2026-03-01T08:00", GS_EVENT_START, "zinc", 25),
        ev("2026-03-03T08:00", GS_EVENT_STOP, "zinc", NAN),
        ev("2026-03-02T08:00", GS_EVENT_STOP, "probiotic", NAN),  /* never started */
        ev("2026-03-04T10:00", GS_EVENT_START, "fish oil", NAN),
    };
    gs_daily *p;
    assert_int_equal(gs_daily_build(e, sizeof e / sizeof e[0], lex, 240, &p, &err), GS_OK);
    assert_int_equal(p->n_days, 4);  /* 1 to 4 March */
    char day[11];
    gs_day_format(p->first_day, day);
    assert_string_equal(day, "2026-03-01");
    int dairy = gs_daily_exposure_index(p, "dairy"), gluten = gs_daily_exposure_index(p, "gluten");
    assert_true(dairy >= 0 && gluten >= 0);
    size_t T = p->n_days;
    /* day 0: milk and (after midnight) toast; day 1: toast and butter;
       days 2 and 3: no food at all, so missing, not 0 */
    assert_true(p->exposure[(size_t)dairy * T + 0] == 1);
    assert_true(p->exposure[(size_t)gluten * T + 0] == 1);
    assert_true(p->exposure[(size_t)dairy * T + 1] == 1);  /* butter */
    assert_true(p->exposure[(size_t)gluten * T + 1] == 1);
    assert_true(isnan(p->exposure[(size_t)dairy * T + 2]));
    assert_true(isnan(p->exposure[(size_t)gluten * T + 3]));
    int alcohol = gs_daily_exposure_index(p, "alcohol");
    assert_true(p->exposure[(size_t)alcohol * T + 0] == 0);
    /* outcomes in the entry table's order (skin before sleep); means */
    assert_int_equal(p->n_outcomes, 2);
    assert_string_equal(p->outcome_names[0], "skin.itch");
    assert_string_equal(p->outcome_names[1], "sleep.hours");
    assert_true(p->outcome[0] == 5 && isnan(p->outcome[1]) && p->outcome[2] == 2);
    assert_true(p->outcome[T + 1] == 7.5);
    /* zinc on days 0 and 1 (stopped on day 2); fish oil from day 3 on;
       the stop of a probiotic never started is no intervention */
    assert_int_equal(p->n_interventions, 2);
    int z = gs_daily_intervention_index(p, "zinc"), f = gs_daily_intervention_index(p, "fish oil");
    assert_true(z >= 0 && f >= 0);
    assert_int_equal(gs_daily_intervention_index(p, "probiotic"), -1);
    unsigned char want_z[] = {1, 1, 0, 0}, want_f[] = {0, 0, 0, 1};
    assert_memory_equal(p->active + (size_t)z * T, want_z, 4);
    assert_memory_equal(p->active + (size_t)f * T, want_f, 4);
    assert_int_equal(p->first_start[z], 0);
    assert_int_equal(p->first_start[f], 3);
    gs_daily_free(p);

    /* with the day starting at midnight the 02:30 toast moves to day 1 */
    assert_int_equal(gs_daily_build(e, sizeof e / sizeof e[0], lex, 0, &p, &err), GS_OK);
    /* day 0 had milk only now: dairy 1, gluten 0 */
    assert_true(p->exposure[(size_t)gluten * p->n_days + 0] == 0);
    gs_daily_free(p);

    assert_int_equal(gs_daily_build(e, 0, lex, 240, &p, &err), GS_ERR_INPUT);
    assert_int_equal(gs_daily_build(e, 3, lex, 1440, &p, &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "0 to 1439"));
    gs_lexicon_free(lex);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build_by_hand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
