/* Tests of the link table (src/model/links.c) against the REGISTERED block
 * tables, not just an active model: every link feeds a real input of a
 * registered block from a real state or output of a registered block or
 * from a registered intervention; no input is fed twice; names are unique
 * and carry a source and a reason; and composing every registered block
 * at once succeeds and resolves every link.  The check is written as a
 * function so that it can be shown to reject broken links. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gutskin/model.h"

/* The registered block named by the part of q before the dot, and the
 * part after it in *rest; NULL when there is no dot or no such block. */
static const gs_block *block_of(const char *q, const char **rest)
{
    const char *dot = strchr(q, '.');
    if (!dot || dot == q || dot[1] == '\0') return NULL;
    char name[64];
    size_t len = (size_t)(dot - q);
    if (len >= sizeof name) return NULL;
    memcpy(name, q, len);
    name[len] = '\0';
    *rest = dot + 1;
    return gs_block_find(name);
}

/* 1 when the link is well-formed against the registries; otherwise 0 and
 * a sentence in why. */
static int check_link(const gs_link *l, char *why, size_t len)
{
    if (!l->name || !l->name[0]) {
        snprintf(why, len, "a link has no name");
        return 0;
    }
    if (!l->source || !l->source[0] || !l->why || !l->why[0]) {
        snprintf(why, len, "link %s has no source or no reason", l->name);
        return 0;
    }
    if (l->grade != GS_MEASURED && l->grade != GS_FITTED && l->grade != GS_ASSUMPTION) {
        snprintf(why, len, "link %s has no valid grade", l->name);
        return 0;
    }
    const char *rest;
    const gs_block *to = block_of(l->to, &rest);
    if (!to) {
        snprintf(why, len, "link %s: target %s is not block.input of a registered block",
                 l->name, l->to);
        return 0;
    }
    if (gs_quantity_index(to->inputs, to->n_inputs, rest) < 0) {
        snprintf(why, len, "link %s: block %s has no input %s", l->name, to->name, rest);
        return 0;
    }
    if (strncmp(l->from, "dose.", 5) == 0) {
        if (gs_intervention_index(l->from + 5) < 0) {
            snprintf(why, len, "link %s: no intervention named %s", l->name, l->from + 5);
            return 0;
        }
        return 1;
    }
    const gs_block *from = block_of(l->from, &rest);
    if (!from) {
        snprintf(why, len, "link %s: source %s is not a registered block or dose", l->name,
                 l->from);
        return 0;
    }
    if (gs_quantity_index(from->states, from->n_states, rest) < 0 &&
        gs_quantity_index(from->outputs, from->n_outputs, rest) < 0) {
        snprintf(why, len, "link %s: block %s has no state or output %s", l->name, from->name,
                 rest);
        return 0;
    }
    if (from == to) {
        snprintf(why, len, "link %s feeds block %s from itself", l->name, to->name);
        return 0;
    }
    return 1;
}

static void every_link_names_real_quantities(void **state)
{
    (void)state;
    size_t n;
    const gs_link *links = gs_link_registry(&n);
    assert_true(n > 0);
    char why[256];
    for (size_t i = 0; i < n; i++)
        if (!check_link(&links[i], why, sizeof why)) fail_msg("%s", why);
}

static void no_input_is_fed_twice_and_names_are_unique(void **state)
{
    (void)state;
    size_t n;
    const gs_link *links = gs_link_registry(&n);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            if (strcmp(links[i].to, links[j].to) == 0)
                fail_msg("input %s is fed by links %s and %s", links[i].to, links[i].name,
                         links[j].name);
            if (strcmp(links[i].name, links[j].name) == 0)
                fail_msg("two links are named %s", links[i].name);
        }
    }
}

/* The checker rejects each kind of broken link, with a sentence naming it. */
static void broken_links_are_rejected(void **state)
{
    (void)state;
    static const struct { gs_link link; const char *expect; } bad[] = {
        {{"typo_input", "barrier.integrty", "microbiome.pathobionts", GS_ASSUMPTION, "s", "w"},
         "no input integrty"},
        {{"no_block", "gutt.fibre", "dose.fibre", GS_ASSUMPTION, "s", "w"},
         "not block.input"},
        {{"no_dose", "microbiome.fibre", "dose.fiber", GS_ASSUMPTION, "s", "w"},
         "no intervention named fiber"},
        {{"no_source", "barrier.butyrate", "metabolites.butyrat", GS_ASSUMPTION, "s", "w"},
         "no state or output butyrat"},
        {{"input_as_source", "barrier.butyrate", "nutrients.zinc_dose", GS_ASSUMPTION, "s", "w"},
         "no state or output zinc_dose"},
        {{"no_reason", "barrier.butyrate", "metabolites.butyrate", GS_ASSUMPTION, "s", ""},
         "no source or no reason"},
    };
    char why[256];
    for (size_t i = 0; i < GS_COUNT(bad); i++) {
        assert_int_equal(check_link(&bad[i].link, why, sizeof why), 0);
        if (!strstr(why, bad[i].expect)) fail_msg("'%s' lacks '%s'", why, bad[i].expect);
    }
    const gs_link good = {"ok", "barrier.butyrate", "metabolites.butyrate", GS_ASSUMPTION, "s", "w"};
    assert_int_equal(check_link(&good, why, sizeof why), 1);
}

/* Every registered block at once composes, and then every link resolves,
 * because every link's blocks are present. */
static void all_registered_blocks_compose(void **state)
{
    (void)state;
    size_t nb, nl;
    const gs_block *const *reg = gs_block_registry(&nb);
    gs_link_registry(&nl);
    const char **names = calloc(nb + 1, sizeof *names);
    assert_non_null(names);
    for (size_t b = 0; b < nb; b++) names[b] = reg[b]->name;
    gs_model *m = NULL;
    gs_err err;
    gs_status st = gs_model_compose(names, nb, &m, &err);
    if (st != GS_OK) fail_msg("composing all %zu blocks: %s", nb, err.msg);
    assert_int_equal(gs_model_n_blocks(m), nb);
    assert_int_equal(gs_model_n_links(m), nl);
    gs_model_free(m);
    free(names);
}

/* The gut-to-systemic translocation is wired as docs/model/gut.md says:
 * permeability and luminal endotoxin feed the systemic block, and omega-3
 * feeds its anti-inflammatory drive. */
static void gut_to_systemic_links_resolve(void **state)
{
    (void)state;
    const char *names[] = {"barrier", "metabolites", "nutrients", "systemic"};
    gs_model *m = NULL;
    gs_err err;
    assert_int_equal(gs_model_compose(names, 4, &m, &err), GS_OK);
    const char *want[] = {"endotoxin_translocation", "luminal_endotoxin_load",
                          "omega3_resolution"};
    for (size_t w = 0; w < GS_COUNT(want); w++) {
        int found = 0;
        for (size_t i = 0; i < gs_model_n_links(m); i++)
            if (strcmp(gs_model_link(m, i)->name, want[w]) == 0) found = 1;
        if (!found) fail_msg("link %s did not resolve", want[w]);
    }
    gs_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_link_names_real_quantities),
        cmocka_unit_test(no_input_is_fed_twice_and_names_are_unique),
        cmocka_unit_test(broken_links_are_rejected),
        cmocka_unit_test(all_registered_blocks_compose),
        cmocka_unit_test(gut_to_systemic_links_resolve),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
