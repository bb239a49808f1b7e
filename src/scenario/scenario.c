/*
 * scenario.c - read a scenario file (YAML, libfyaml) and validate it into
 * a composed model, a schedule and run settings.  The format is specified
 * key by key in docs/scenarios.md; this file is its only implementation.
 *
 * Errors: every rejected input is reported as one sentence
 * "FILE:LINE:COLUMN: what was expected" with a 1-based position.  Syntax
 * errors come from libfyaml's diagnostics, collected (never printed by the
 * library) and reformatted; semantic errors use the position of the
 * offending scalar's token.  libfyaml 0.7 has no start mark for mapping or
 * sequence nodes, so an error about a whole collection points at its
 * first scalar, or at the key that introduced it when it is empty.
 * Name and range checks are those of the model and schedule layers
 * (gs_model_set_param, gs_schedule_add, ...), so the "did you mean"
 * suggestions and ranges are the same everywhere.
 *
 * No paper: this is file handling.
 */
#include "gutskin/scenario.h"

#include "util/yaml_read.h"

#include <assert.h>
#include <errno.h>
#include <libfyaml.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct loader {
    gs_yaml y;          /* the file, its path and the caller's gs_err */
    gs_scenario *sc;
} loader;

/* ---- the person: skin blocks, model composition, overrides ---------- */

/* Is block b one the person always has (not a skin condition, and not a
 * reference-only block)? */
static int always_active(const gs_block *b)
{
    return !(b->flags & (GS_BLOCK_SKIN | GS_BLOCK_REFERENCE));
}

static int is_skin(const gs_block *b)
{
    return (b->flags & GS_BLOCK_SKIN) && !(b->flags & GS_BLOCK_REFERENCE);
}

static gs_status unknown_skin_block(loader *ld, gs_ypos p, const char *name)
{
    size_t n;
    const gs_block *const *reg = gs_block_registry(&n);
    const gs_block *blk = gs_block_find(name);
    if (blk && (blk->flags & GS_BLOCK_REFERENCE))
        return gs_yaml_fail(&ld->y, p, "'%s' is a reference model kept to validate a paper, not "
                        "part of a person; person.skin lists skin conditions only", name);
    if (blk)
        return gs_yaml_fail(&ld->y, p, "'%s' is not a skin block; gut and systemic blocks are "
                        "always active, person.skin lists skin conditions only", name);
    const char *names[64];
    char list[512] = "";
    size_t k = 0;
    for (size_t b = 0; b < n && k < 64; b++) {
        if (!is_skin(reg[b])) continue;
        names[k++] = reg[b]->name;
        if (list[0]) strncat(list, ", ", sizeof list - strlen(list) - 1);
        strncat(list, reg[b]->name, sizeof list - strlen(list) - 1);
    }
    const char *near = gs_nearest_name(name, names, k);
    if (near)
        return gs_yaml_fail(&ld->y, p, "unknown skin block '%s' (did you mean '%s'?)", name, near);
    return gs_yaml_fail(&ld->y, p, "unknown skin block '%s'; expected one of: %s", name,
                    k ? list : "(none registered yet)");
}

/* Compose every always-active block plus the skin blocks named in node
 * (a list of names, a single name, or absent), in registry order. */
static gs_status compose_person(loader *ld, struct fy_node *skin, gs_ypos at)
{
    size_t n_reg;
    const gs_block *const *reg = gs_block_registry(&n_reg);
    char *chosen = calloc(n_reg + 1, 1);
    const char **names = calloc(n_reg + 1, sizeof *names);
    gs_status st = GS_OK;
    if (!chosen || !names) {
        st = gs_fail(ld->y.err, GS_ERR_NOMEM, "out of memory composing the model");
        goto done;
    }
    if (!gs_yaml_is_null(skin)) {
        struct fy_node *items[64];
        size_t n_items = 0;
        if (fy_node_get_type(skin) == FYNT_SEQUENCE) {
            void *it = NULL;
            struct fy_node *item;
            while ((item = fy_node_sequence_iterate(skin, &it)) != NULL) {
                if (n_items == 64) {
                    st = gs_yaml_fail(&ld->y, gs_yaml_pos(item, at), "too many skin blocks listed");
                    goto done;
                }
                items[n_items++] = item;
            }
        } else {
            items[n_items++] = skin;
        }
        for (size_t i = 0; i < n_items; i++) {
            const char *name;
            st = gs_yaml_text(&ld->y, items[i], at, "a skin block name such as skin_acne", &name);
            if (st != GS_OK) goto done;
            gs_ypos p = gs_yaml_pos(items[i], at);
            const gs_block *blk = gs_block_find(name);
            size_t b = 0;
            while (b < n_reg && reg[b] != blk) b++;
            if (!blk || b == n_reg || !is_skin(blk)) {
                st = unknown_skin_block(ld, p, name);
                goto done;
            }
            if (chosen[b]) {
                st = gs_yaml_fail(&ld->y, p, "skin block '%s' is listed twice", name);
                goto done;
            }
            chosen[b] = 1;
        }
    }
    size_t n = 0;
    for (size_t b = 0; b < n_reg; b++)
        if (always_active(reg[b]) || chosen[b]) names[n++] = reg[b]->name;
    st = gs_model_compose(names, n, &ld->sc->model, ld->y.err);
    if (st == GS_ERR_INPUT) st = gs_yaml_prefix(&ld->y, at);
done:
    free(chosen);
    free(names);
    return st;
}

/* When "block.name" names a registered block that is not active, say so
 * (the model layer would only say the name is unknown). */
static gs_status check_block_active(loader *ld, gs_ypos p, const char *qualified,
                                    const char *what)
{
    const char *dot = strchr(qualified, '.');
    if (!dot) return GS_OK;
    char block[64];
    size_t len = (size_t)(dot - qualified);
    if (len >= sizeof block) return GS_OK;
    memcpy(block, qualified, len);
    block[len] = '\0';
    const gs_block *blk = gs_block_find(block);
    if (blk && !gs_model_has_block(ld->sc->model, block)) {
        if (blk->flags & GS_BLOCK_REFERENCE)
            return gs_yaml_fail(&ld->y, p, "%s '%s' belongs to %s, a reference model that is not "
                            "part of a person", what, qualified, block);
        return gs_yaml_fail(&ld->y, p, "%s '%s' belongs to the skin block %s, which this person "
                        "does not have (add it to person.skin)", what, qualified, block);
    }
    return GS_OK;
}

/* params / initial: a mapping of "block.name": number. */
static gs_status read_overrides(loader *ld, struct fy_node *node, gs_ypos at, int is_param)
{
    if (gs_yaml_is_null(node)) return GS_OK;
    const char *what = is_param ? "parameter" : "state";
    if (fy_node_get_type(node) != FYNT_MAPPING)
        return gs_yaml_fail(&ld->y, gs_yaml_pos(node, at),
                        "expected person.%s as a mapping of block.%s: value, got %s",
                        is_param ? "params" : "initial", is_param ? "param" : "state",
                        gs_yaml_type_word(node));
    size_t n_items = (size_t)fy_node_mapping_item_count(node);
    if (!is_param && n_items) {
        ld->sc->initial = calloc(n_items, sizeof *ld->sc->initial);
        if (!ld->sc->initial) return gs_fail(ld->y.err, GS_ERR_NOMEM, "out of memory");
    }
    void *it = NULL;
    struct fy_node_pair *pair;
    while ((pair = fy_node_mapping_iterate(node, &it)) != NULL) {
        struct fy_node *k = fy_node_pair_key(pair), *v = fy_node_pair_value(pair);
        const char *name;
        gs_status st = gs_yaml_text(&ld->y, k, at, is_param ? "a parameter name block.param"
                                                    : "a state name block.state", &name);
        if (st != GS_OK) return st;
        gs_ypos kp = gs_yaml_pos(k, at);
        if ((st = check_block_active(ld, kp, name, what)) != GS_OK) return st;
        int idx = is_param ? gs_model_find_param(ld->sc->model, name)
                           : gs_model_find_state(ld->sc->model, name);
        if (idx < 0) {
            /* let the model layer word it, with its suggestion */
            if (is_param) gs_model_set_param(ld->sc->model, name, 0, ld->y.err);
            else gs_model_set_initial(ld->sc->model, name, 0, ld->y.err);
            return gs_yaml_prefix(&ld->y, kp);
        }
        char what_num[160];
        snprintf(what_num, sizeof what_num, "a number for %s", name);
        double value;
        if ((st = gs_yaml_number(&ld->y, v, kp, what_num, &value)) != GS_OK) return st;
        st = is_param ? gs_model_set_param(ld->sc->model, name, value, ld->y.err)
                      : gs_model_set_initial(ld->sc->model, name, value, ld->y.err);
        if (st != GS_OK) return gs_yaml_prefix(&ld->y, gs_yaml_pos(v, kp));
        if (!is_param) {
            assert(ld->sc->n_initial < n_items);
            ld->sc->initial[ld->sc->n_initial++] = (gs_scenario_initial){idx, value};
        }
    }
    return GS_OK;
}

/* usual: a mapping of intervention: usual daily value. */
static gs_status read_usual(loader *ld, struct fy_node *node, gs_ypos at)
{
    if (gs_yaml_is_null(node)) return GS_OK;
    if (fy_node_get_type(node) != FYNT_MAPPING)
        return gs_yaml_fail(&ld->y, gs_yaml_pos(node, at),
                        "expected person.usual as a mapping of intervention: usual value, got %s",
                        gs_yaml_type_word(node));
    void *it = NULL;
    struct fy_node_pair *pair;
    while ((pair = fy_node_mapping_iterate(node, &it)) != NULL) {
        struct fy_node *k = fy_node_pair_key(pair), *v = fy_node_pair_value(pair);
        const char *name;
        gs_status st = gs_yaml_text(&ld->y, k, at, "an intervention name", &name);
        if (st != GS_OK) return st;
        gs_ypos kp = gs_yaml_pos(k, at);
        if (gs_intervention_index(name) < 0) {
            gs_schedule_set_baseline(&ld->sc->schedule, name, 0, ld->y.err);
            return gs_yaml_prefix(&ld->y, kp);
        }
        char what[160];
        snprintf(what, sizeof what, "a number for the usual %s", name);
        double value;
        if ((st = gs_yaml_number(&ld->y, v, kp, what, &value)) != GS_OK) return st;
        if (gs_schedule_set_baseline(&ld->sc->schedule, name, value, ld->y.err) != GS_OK)
            return gs_yaml_prefix(&ld->y, gs_yaml_pos(v, kp));
    }
    return GS_OK;
}

static gs_status read_person(loader *ld, struct fy_node *node, gs_ypos at)
{
    gs_yfield f[] = {{"skin", NULL, at}, {"usual", NULL, at}, {"params", NULL, at},
                 {"initial", NULL, at}};
    gs_status st = gs_yaml_fields(&ld->y, node, at, "person", f, GS_COUNT(f));
    if (st != GS_OK) return st;
    gs_yfield *skin = gs_yaml_field(f, GS_COUNT(f), "skin");
    if ((st = compose_person(ld, skin->value, skin->value ? skin->key_pos : at)) != GS_OK)
        return st;
    gs_yfield *params = gs_yaml_field(f, GS_COUNT(f), "params");
    if ((st = read_overrides(ld, params->value, params->key_pos, 1)) != GS_OK) return st;
    gs_yfield *initial = gs_yaml_field(f, GS_COUNT(f), "initial");
    if ((st = read_overrides(ld, initial->value, initial->key_pos, 0)) != GS_OK) return st;
    gs_yfield *usual = gs_yaml_field(f, GS_COUNT(f), "usual");
    return read_usual(ld, usual->value, usual->key_pos);
}

/* ---- the schedule ---------------------------------------------------- */

static gs_status read_span(loader *ld, struct fy_node *node, gs_ypos at, size_t index)
{
    char where[64];
    snprintf(where, sizeof where, "schedule entry %zu", index + 1);
    gs_yfield f[] = {{"intervention", NULL, at}, {"start", NULL, at}, {"stop", NULL, at},
                 {"days", NULL, at}, {"dose", NULL, at}};
    gs_status st = gs_yaml_fields(&ld->y, node, at, where, f, GS_COUNT(f));
    if (st != GS_OK) return st;
    gs_ypos entry = gs_yaml_pos(node, at);
    gs_yfield *iv = gs_yaml_field(f, 5, "intervention"), *start = gs_yaml_field(f, 5, "start"),
          *stop = gs_yaml_field(f, 5, "stop"), *days = gs_yaml_field(f, 5, "days"),
          *dose = gs_yaml_field(f, 5, "dose");
    const char *required[] = {"intervention", "start", "dose"};
    for (size_t i = 0; i < GS_COUNT(required); i++)
        if (!gs_yaml_field(f, 5, required[i])->value)
            return gs_yaml_fail(&ld->y, entry, "%s is missing the required key '%s'", where,
                            required[i]);
    if (!stop->value && !days->value)
        return gs_yaml_fail(&ld->y, entry, "%s needs 'stop' (the day it ends) or 'days' (how long "
                        "it lasts)", where);
    if (stop->value && days->value)
        return gs_yaml_fail(&ld->y, days->key_pos, "%s has both 'stop' and 'days'; give one", where);

    const char *name;
    if ((st = gs_yaml_text(&ld->y, iv->value, iv->key_pos, "an intervention name", &name)) != GS_OK)
        return st;
    gs_ypos name_pos = gs_yaml_pos(iv->value, iv->key_pos);
    int k = gs_intervention_index(name);
    if (k < 0) {
        gs_schedule_add(&ld->sc->schedule, name, 0, 1, 0, ld->y.err);
        return gs_yaml_prefix(&ld->y, name_pos);
    }
    size_t n_iv;
    const gs_intervention *reg = gs_intervention_registry(&n_iv);
    char what[160];
    double t0, t1, amount;
    snprintf(what, sizeof what, "a start day for %s (0 or later)", name);
    if ((st = gs_yaml_number(&ld->y, start->value, start->key_pos, what, &t0)) != GS_OK) return st;
    gs_ypos start_pos = gs_yaml_pos(start->value, start->key_pos), stop_pos;
    if (stop->value) {
        snprintf(what, sizeof what, "a stop day for %s", name);
        if ((st = gs_yaml_number(&ld->y, stop->value, stop->key_pos, what, &t1)) != GS_OK) return st;
        stop_pos = gs_yaml_pos(stop->value, stop->key_pos);
    } else {
        double d;
        snprintf(what, sizeof what, "a duration in days for %s", name);
        if ((st = gs_yaml_number(&ld->y, days->value, days->key_pos, what, &d)) != GS_OK) return st;
        stop_pos = gs_yaml_pos(days->value, days->key_pos);
        if (!(d > 0))
            return gs_yaml_fail(&ld->y, stop_pos, "%s: a duration of %g days is not positive; "
                            "expected a number of days above 0", name, d);
        t1 = t0 + d;
    }
    snprintf(what, sizeof what, "a dose for %s in %s", name, reg[k].unit);
    if ((st = gs_yaml_number(&ld->y, dose->value, dose->key_pos, what, &amount)) != GS_OK) return st;
    gs_ypos dose_pos = gs_yaml_pos(dose->value, dose->key_pos);

    /* The schedule layer checks in this order: dose, start, stop, overlap;
     * point at the node each check is about. */
    gs_ypos blame = start_pos;
    if (amount < reg[k].lo || amount > reg[k].hi) blame = dose_pos;
    else if (t0 < 0) blame = start_pos;
    else if (!(t1 > t0)) blame = stop_pos;
    if (gs_schedule_add(&ld->sc->schedule, name, t0, t1, amount, ld->y.err) != GS_OK)
        return gs_yaml_prefix(&ld->y, blame);
    return GS_OK;
}

static gs_status read_schedule(loader *ld, struct fy_node *node, gs_ypos at)
{
    if (gs_yaml_is_null(node)) return GS_OK;
    if (fy_node_get_type(node) != FYNT_SEQUENCE)
        return gs_yaml_fail(&ld->y, gs_yaml_pos(node, at),
                        "expected schedule as a list of entries "
                        "(- {intervention: NAME, start: DAY, stop: DAY, dose: AMOUNT}), got %s",
                        gs_yaml_type_word(node));
    void *it = NULL;
    struct fy_node *item;
    size_t i = 0;
    while ((item = fy_node_sequence_iterate(node, &it)) != NULL) {
        gs_status st = read_span(ld, item, at, i++);
        if (st != GS_OK) return st;
    }
    return GS_OK;
}

/* ---- top level ------------------------------------------------------- */

static gs_status read_solver(loader *ld, struct fy_node *node, gs_ypos at)
{
    gs_solve_opts *o = &ld->sc->solver;
    gs_yfield f[] = {{"rtol", NULL, at}, {"atol", NULL, at}, {"max_steps", NULL, at},
                 {"jacobian", NULL, at}};
    gs_status st = gs_yaml_fields(&ld->y, node, at, "solver", f, GS_COUNT(f));
    if (st != GS_OK) return st;
    if (f[3].value) {
        const char *how;
        const char *what = "'auto' or 'finite_difference' for 'jacobian'";
        if ((st = gs_yaml_text(&ld->y, f[3].value, f[3].key_pos, what, &how)) != GS_OK) return st;
        if (strcmp(how, "auto") == 0) o->jacobian = GS_JACOBIAN_AUTO;
        else if (strcmp(how, "finite_difference") == 0)
            o->jacobian = GS_JACOBIAN_FINITE_DIFFERENCE;
        else
            return gs_yaml_fail(&ld->y, gs_yaml_pos(f[3].value, f[3].key_pos), "expected %s, got '%s'",
                            what, how);
    }
    double v;
    if (f[0].value) {
        if ((st = gs_yaml_ranged(&ld->y, f[0].value, f[0].key_pos, "rtol", 1e-12, 1e-2, 0,
                             "relative", &v)) != GS_OK)
            return st;
        o->rtol = v;
    }
    if (f[1].value) {
        if ((st = gs_yaml_ranged(&ld->y, f[1].value, f[1].key_pos, "atol", 1e-15, 1e-3, 0,
                             "in each state's unit", &v)) != GS_OK)
            return st;
        o->atol = v;
    }
    if (f[2].value) {
        if ((st = gs_yaml_ranged(&ld->y, f[2].value, f[2].key_pos, "max_steps", 1, 1e7, 1,
                             "steps between two samples", &v)) != GS_OK)
            return st;
        o->max_steps = (long)v;
    }
    return GS_OK;
}

static gs_status read_burn_in(loader *ld, struct fy_node *node, gs_ypos at)
{
    gs_scenario *sc = ld->sc;
    if (fy_node_get_type(node) == FYNT_SCALAR && fy_node_get_style(node) == FYNS_PLAIN) {
        const char *s = fy_node_get_scalar0(node);
        if (s && strcmp(s, "auto") == 0) {
            sc->burn_in_auto = 1;
            return GS_OK;
        }
    }
    double v;
    char what[160];
    snprintf(what, sizeof what, "'auto' or a number of days for 'burn_in' (0 to %g)",
             GS_SCENARIO_BURN_IN_MAX);
    gs_status st = gs_yaml_number(&ld->y, node, at, what, &v);
    if (st != GS_OK) return st;
    if (v < 0 || v > GS_SCENARIO_BURN_IN_MAX)
        return gs_yaml_fail(&ld->y, gs_yaml_pos(node, at), "'burn_in' is %g; expected %s", v, what);
    sc->burn_in_auto = 0;
    sc->burn_in_days = v;
    return GS_OK;
}

static gs_status read_document(loader *ld, struct fy_node *root)
{
    gs_scenario *sc = ld->sc;
    gs_ypos top = {0, 0};
    if (gs_yaml_is_null(root))
        return gs_yaml_fail(&ld->y, top, "the file is empty; expected a scenario mapping with at "
                        "least 'name' (see docs/scenarios.md)");
    gs_yfield f[] = {{"name", NULL, top},   {"about", NULL, top},   {"days", NULL, top},
                 {"every", NULL, top},  {"person", NULL, top},  {"burn_in", NULL, top},
                 {"schedule", NULL, top}, {"solver", NULL, top}};
    size_t nf = GS_COUNT(f);
    gs_status st = gs_yaml_fields(&ld->y, root, top, "the scenario", f, nf);
    if (st != GS_OK) return st;

    gs_yfield *name = gs_yaml_field(f, nf, "name");
    if (!name->value)
        return gs_yaml_fail(&ld->y, gs_yaml_pos(root, top),
                        "the scenario is missing the required key 'name' (a title for "
                        "the output)");
    const char *text;
    if ((st = gs_yaml_text(&ld->y, name->value, name->key_pos, "a title for 'name'", &text)) != GS_OK)
        return st;
    if (!text[0])
        return gs_yaml_fail(&ld->y, gs_yaml_pos(name->value, name->key_pos),
                        "'name' is empty; expected a title for the output");
    if (!(sc->name = strdup(text))) return gs_fail(ld->y.err, GS_ERR_NOMEM, "out of memory");

    gs_yfield *about = gs_yaml_field(f, nf, "about");
    if (about->value &&
        (st = gs_yaml_text(&ld->y, about->value, about->key_pos, "a text for 'about'", &text)) != GS_OK)
        return st;

    double v;
    gs_yfield *days = gs_yaml_field(f, nf, "days");
    if (days->value) {
        if ((st = gs_yaml_ranged(&ld->y, days->value, days->key_pos, "days", 1,
                             GS_SCENARIO_DAYS_MAX, 1, "days", &v)) != GS_OK)
            return st;
        sc->days = (int)v;
    }
    gs_yfield *every = gs_yaml_field(f, nf, "every");
    if (every->value) {
        if ((st = gs_yaml_ranged(&ld->y, every->value, every->key_pos, "every",
                             GS_SCENARIO_EVERY_MIN, GS_SCENARIO_DAYS_MAX, 0, "days",
                             &v)) != GS_OK)
            return st;
        sc->every = v;
    }
    if (sc->every > sc->days)
        return gs_yaml_fail(&ld->y, every->value ? gs_yaml_pos(every->value, every->key_pos) : top,
                        "'every' is %g days, longer than the %d simulated days; expected "
                        "at most %d", sc->every, sc->days, sc->days);
    gs_yfield *burn = gs_yaml_field(f, nf, "burn_in");
    if (burn->value && (st = read_burn_in(ld, burn->value, burn->key_pos)) != GS_OK)
        return st;
    gs_yfield *solver = gs_yaml_field(f, nf, "solver");
    if (solver->value && (st = read_solver(ld, solver->value, solver->key_pos)) != GS_OK)
        return st;

    gs_yfield *person = gs_yaml_field(f, nf, "person");
    if (person->value) {
        if ((st = read_person(ld, person->value, person->key_pos)) != GS_OK) return st;
    } else if ((st = compose_person(ld, NULL, top)) != GS_OK) {
        return st;
    }
    gs_yfield *sched = gs_yaml_field(f, nf, "schedule");
    return read_schedule(ld, sched->value, sched->key_pos);
}

gs_status gs_scenario_load(const char *path, gs_scenario *sc, gs_err *err)
{
    assert(path && sc);
    memset(sc, 0, sizeof *sc);
    sc->days = GS_SCENARIO_DAYS_DEFAULT;
    sc->every = 1;
    sc->burn_in_auto = 1;
    gs_solve_opts_default(&sc->solver);
    gs_status st = gs_schedule_init(&sc->schedule, err);
    if (st != GS_OK) return st;
    if (!(sc->path = strdup(path))) return gs_fail(err, GS_ERR_NOMEM, "out of memory");

    loader ld = {.sc = sc};
    struct fy_node *root;
    st = gs_yaml_open(&ld.y, path, "scenario file", &root, err);
    if (st == GS_OK) {
        if (!ld.y.doc)
            st = gs_yaml_fail(&ld.y, (gs_ypos){0, 0},
                              "the file is empty or not YAML; expected a scenario mapping "
                              "with at least 'name' (see docs/scenarios.md)");
        else
            st = read_document(&ld, root);
    }
    gs_yaml_close(&ld.y);
    return st;
}

void gs_scenario_free(gs_scenario *sc)
{
    if (!sc) return;
    free(sc->path);
    free(sc->name);
    gs_model_free(sc->model);
    gs_schedule_free(&sc->schedule);
    free(sc->initial);
    memset(sc, 0, sizeof *sc);
}

size_t gs_scenario_n_samples(int days, double every)
{
    assert(days >= 1 && every > 0);
    /* 0, every, 2 every, ... up to days; days itself is always the last.
     * The tolerance keeps 84 / (1/24) from losing a sample to rounding. */
    double q = days / every;
    size_t whole = (size_t)floor(q + 1e-9);
    int on_grid = fabs(q - (double)whole) < 1e-9;
    return whole + 1 + (on_grid ? 0 : 1);
}
