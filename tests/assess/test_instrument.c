/* Tests of instrument files (src/assess/instrument.c): every shipped
 * instrument loads and covers the signs it must; every kind of mistake in
 * an instrument file is named at its FILE:LINE:COLUMN. */
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "gutskin/assess.h"

static long group_find(const gs_assess_instrument *inst, const char *id)
{
    for (size_t g = 0; g < inst->n_groups; g++)
        if (strcmp(inst->groups[g].id, id) == 0) return (long)g;
    return -1;
}

static void test_shipped_instruments_load(void **state)
{
    (void)state;
    glob_t g;
    assert_int_equal(glob("data/instruments/*.yaml", 0, NULL, &g), 0);
    assert_true(g.gl_pathc >= 1);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        gs_assess_instrument *inst;
        gs_err err;
        gs_err_clear(&err);
        if (gs_assess_load(g.gl_pathv[i], &inst, &err) != GS_OK) fail_msg("%s", err.msg);
        /* the file name is the id, so --instrument ID finds it */
        char want[256];
        snprintf(want, sizeof want, "data/instruments/%s.yaml", inst->id);
        assert_string_equal(g.gl_pathv[i], want);
        assert_true(inst->version >= 1 && inst->n_items > 0);
        gs_assess_instrument *again;
        assert_int_equal(gs_assess_load_id(inst->id, &again, &err), GS_OK);
        assert_int_equal(again->n_items, inst->n_items);
        gs_assess_free(again);
        gs_assess_free(inst);
    }
    globfree(&g);
}

/* The main instrument asks about every sign the issue lists, each sign group
 * with presence and severity (skin also duration), and every red flag of
 * DESIGN.md's honesty rules. */
static void test_signs_covers_the_story(void **state)
{
    (void)state;
    gs_assess_instrument *inst;
    gs_err err;
    assert_int_equal(gs_assess_load_id("signs", &inst, &err), GS_OK);
    const char *groups[] = {"acne", "rosacea", "eczema", "psoriasis", "skin_ageing",
                            "bloating", "gas", "constipation", "diarrhoea", "food_reactions",
                            "brain_fog", "fatigue", "joint_pain"};
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
        long g = group_find(inst, groups[i]);
        if (g < 0) fail_msg("no group %s", groups[i]);
        int roles[4] = {0};
        for (size_t k = 0; k < inst->n_items; k++)
            if (inst->items[k].group == (size_t)g) roles[inst->items[k].role]++;
        assert_int_equal(roles[GS_ASSESS_PRESENCE], 1);
        assert_int_equal(roles[GS_ASSESS_SEVERITY], 1);
        if (inst->groups[g].section == GS_ASSESS_SKIN)
            assert_int_equal(roles[GS_ASSESS_DURATION], 1);
        assert_true(inst->groups[g].n_track >= 1);
    }
    const char *signs[] = {"blood in stool", "black stool", "unintended weight loss", "fever",
                           "night sweats", "severe abdominal pain",
                           "abdominal pain that wakes you at night", "trouble swallowing",
                           "a rapidly spreading or blistering rash", "signs of skin infection"};
    for (size_t i = 0; i < sizeof signs / sizeof signs[0]; i++) {
        int found = 0;
        for (size_t k = 0; k < inst->n_items; k++)
            found |= inst->items[k].sign && strcmp(inst->items[k].sign, signs[i]) == 0;
        if (!found) fail_msg("no red flag '%s'", signs[i]);
    }
    /* red flags come first */
    assert_non_null(inst->items[0].sign);
    gs_assess_free(inst);
}

static void test_unknown_instrument_id(void **state)
{
    (void)state;
    gs_assess_instrument *inst = (void *)1;
    gs_err err;
    assert_int_equal(gs_assess_load_id("poem", &inst, &err), GS_ERR_INPUT);
    assert_null(inst);
    assert_non_null(strstr(err.msg, "no instrument 'poem'"));
    assert_non_null(strstr(err.msg, "signs"));
    assert_int_equal(gs_assess_load_id("../trials/x", &inst, &err), GS_ERR_INPUT);
}

/* A small valid instrument; the bad cases each change one thing. */
#define HEAD                                      \
    "id: t\n"                                     \
    "version: 1\n"                                \
    "title: T\n"                                  \
    "groups:\n"                                   \
    "  - {id: red, title: R, section: red_flags}\n" \
    "  - {id: skin, title: S, section: skin, track: [skin itch]}\n"
#define RF_ITEM                                           \
    "  - id: rf\n"                                        \
    "    group: red\n"                                    \
    "    type: yes_no\n"                                  \
    "    text: Blood?\n"                                  \
    "    red_flag: {sign: blood, when: {is: yes}}\n"
#define SKIN_ITEM                                         \
    "  - id: now\n"                                       \
    "    group: skin\n"                                   \
    "    role: presence\n"                                \
    "    type: yes_no\n"                                  \
    "    text: Spots?\n"

typedef struct bad_case {
    const char *yaml;
    const char *where;  /* "LINE:COL" */
    const char *says;
} bad_case;

static const bad_case bad_cases[] = {
    /* the valid base, checked to load below, has items at lines 8 and 13 */
    {HEAD "items:\n" RF_ITEM SKIN_ITEM "    txet: oops\n", "18:5",
     "unknown key 'txet' in an item (did you mean 'text'?)"},
    {"id: t\nversion: one\ntitle: T\n", "2:10", "expected a whole number for 'version'"},
    {HEAD "items:\n" RF_ITEM SKIN_ITEM SKIN_ITEM, "18:5", "item id 'now' appears twice"},
    {HEAD "items:\n" RF_ITEM SKIN_ITEM "  - {id: sev, group: skin, type: scale, text: How bad?,"
          " when: {item: nwo, is: yes}}\n", "18:70", "unknown item 'nwo' (did you mean 'now'?)"},
    {HEAD "items:\n" RF_ITEM "  - {id: sev, group: skin, type: scale, text: How bad?,"
          " when: {item: now, is: yes}}\n" SKIN_ITEM, "13:70", "item 'now', which comes later"},
    {HEAD "items:\n" RF_ITEM SKIN_ITEM "  - {id: sev, group: skin, type: scale, text: How bad?,"
          " when: {item: now, is: maybe}}\n", "18:79",
     "item 'now': 'maybe' is not an allowed answer; expected yes or no"},
    {HEAD "items:\n" RF_ITEM SKIN_ITEM "  - {id: sev, group: skin, type: scale, text: How bad?,"
          " when: {item: now, at_least: 1}}\n", "18:75", "'at_least' tests scale and number"},
    {HEAD "items:\n" RF_ITEM SKIN_ITEM "    red_flag: {sign: x, when: {is: yes}}\n", "18:5",
     "group 'skin' is not a red-flag group"},
    {HEAD "items:\n  - {id: rf, group: red, type: yes_no, text: Blood?}\n" SKIN_ITEM, "8:6",
     "needs 'red_flag'"},
    {HEAD "items:\n" SKIN_ITEM RF_ITEM, "13:5", "red flags are asked first"},
    {HEAD "items:\n" RF_ITEM "  - {id: d, group: skin, type: yes_no, text: Hm?}\n", "6:6",
     "group 'skin' has no item with role presence"},
    {HEAD "items:\n" RF_ITEM SKIN_ITEM "  - {id: x, group: skin, type: yes_no, text: X?,"
          " group: skin}\n", "18:50", "YAML syntax error: duplicate key"},
    {HEAD "items:\n" RF_ITEM "  - {id: now, group: skn, role: presence, type: yes_no, text: S}\n",
     "13:22", "unknown group 'skn' (did you mean 'skin'?)"},
    {HEAD "items:\n" RF_ITEM SKIN_ITEM "  - {id: c, group: skin, type: choice, text: C?,"
          " choices: [{id: a, text: A}, {id: a, text: B}]}\n", "18:83",
     "choice id 'a' appears twice in item 'c'"},
    {HEAD "items:\n" RF_ITEM SKIN_ITEM "  - {id: n, group: skin, type: number, text: N?,"
          " min: 0, max: 9}\n", "18:6", "a number item needs 'unit'"},
    {HEAD "items:\n" RF_ITEM SKIN_ITEM "  - {id: n, group: skin, type: scale, text: N?,"
          " unit: kg}\n", "18:49", "'unit' belongs to number items; item 'n' is a scale"},
    {HEAD "items:\n" RF_ITEM "  - {id: now, group: skin, role: severity, type: yes_no, text: S}\n",
     "13:28", "a severity item must be a scale question"},
    {HEAD "items:\n" RF_ITEM "  - {id: now, group: skin, role: presence, type: yes_no, text: S}\n"
          "  - {id: sev, group: skin, type: scale, text: X, when: [{item: now, is: yes}, {item: now,"
          " in: [yes], at_most: 3}]}\n", "14:80", "needs exactly one of is, in, at_least, at_most"},
    {"id: t\nversion: 1\ntitle: T\ngroups:\n  - {id: s, title: S, section: skin, track: [skin itchy]}\n",
     "5:46", "track entry: skin name 'itchy' is not one of"},
    {"id: t\nversion: 1\ntitle: T\ngroups:\n  - {id: s, title: S, section: gut}\n", "5:6",
     "group 's' needs 'track'"},
    {"id: t\nversion: 1\ntitle: T\ngroups:\n  - {id: s, title: S, section: skin\n", "6:1",
     "YAML syntax error"},
    {"id: Bad Id\nversion: 1\n", "1:5", "instrument id 'Bad Id' must be lower-case"},
    {HEAD "items:\n  - id: rf\n    group: red\n    type: scale\n    text: Pain?\n"
          "    red_flag: {sign: pain, when: {at_least: 11}}\n" SKIN_ITEM, "12:45",
     "'11' is not an allowed answer; expected a whole number from 0 to 10"},
    {HEAD "items:\n" RF_ITEM SKIN_ITEM "  - {id: sev, group: skin, type: scale, text: X, "
          "when: {item: sev, is: 1}}\n", "18:63", "cannot be a condition on itself"},
};

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_valid_base_loads(void **state)
{
    (void)state;
    char path[] = "/tmp/gs_assess_XXXXXX.yaml";
    int fd = mkstemps(path, 5);
    assert_true(fd >= 0);
    close(fd);
    write_file(path, HEAD "items:\n" RF_ITEM SKIN_ITEM);
    gs_assess_instrument *inst;
    gs_err err;
    gs_err_clear(&err);
    if (gs_assess_load(path, &inst, &err) != GS_OK) fail_msg("%s", err.msg);
    assert_int_equal(inst->n_items, 2);
    assert_int_equal(inst->items[0].line, 8);
    assert_int_equal(inst->items[1].line, 13);
    gs_assess_free(inst);
    unlink(path);
}

static void test_bad_instruments(void **state)
{
    (void)state;
    char path[] = "/tmp/gs_assess_XXXXXX.yaml";
    int fd = mkstemps(path, 5);
    assert_true(fd >= 0);
    close(fd);
    int failures = 0;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        write_file(path, bad_cases[i].yaml);
        gs_assess_instrument *inst = NULL;
        gs_err err;
        gs_err_clear(&err);
        gs_status st = gs_assess_load(path, &inst, &err);
        char where[512];
        snprintf(where, sizeof where, "%s:%s: ", path, bad_cases[i].where);
        if (st != GS_ERR_INPUT || strncmp(err.msg, where, strlen(where)) != 0 ||
            !strstr(err.msg, bad_cases[i].says))
        {
            print_error("case %zu: expected '%s...%s', got status %d: %s\n", i, where,
                        bad_cases[i].says, (int)st, err.msg);
            failures++;
        }
        assert_null(inst);
    }
    unlink(path);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_instruments_load),
        cmocka_unit_test(test_signs_covers_the_story),
        cmocka_unit_test(test_unknown_instrument_id),
        cmocka_unit_test(test_valid_base_loads),
        cmocka_unit_test(test_bad_instruments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
