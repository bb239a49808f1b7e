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

#include <assert.h>
#include <errno.h>
#include <libfyaml.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A position in the file, 0-based as libfyaml counts. */
typedef struct pos {
    int line, col;
} pos;

typedef struct loader {
    const char *path;
    gs_err *err;
    gs_scenario *sc;
} loader;

/* ---- positions and error messages ---------------------------------- */

/* The position of the first scalar inside node, or fallback. */
static pos node_pos(struct fy_node *node, pos fallback)
{
    if (!node) return fallback;
    switch (fy_node_get_type(node)) {
    case FYNT_SCALAR: {
        struct fy_token *tok = fy_node_get_scalar_token(node);
        const struct fy_mark *m = tok ? fy_token_start_mark(tok) : NULL;
        if (!m) return fallback;
        /* libfyaml marks a quoted scalar at its text; point at the quote */
        enum fy_node_style style = fy_node_get_style(node);
        int quoted = style == FYNS_SINGLE_QUOTED || style == FYNS_DOUBLE_QUOTED;
        return (pos){m->line, quoted && m->column > 0 ? m->column - 1 : m->column};
    }
    case FYNT_MAPPING: {
        void *it = NULL;
        struct fy_node_pair *pair = fy_node_mapping_iterate(node, &it);
        return pair ? node_pos(fy_node_pair_key(pair), fallback) : fallback;
    }
    case FYNT_SEQUENCE: {
        void *it = NULL;
        struct fy_node *item = fy_node_sequence_iterate(node, &it);
        return item ? node_pos(item, fallback) : fallback;
    }
    }
    return fallback;
}

static gs_status fail_pos(loader *ld, pos p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static gs_status fail_pos(loader *ld, pos p, const char *fmt, ...)
{
    char msg[GS_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return gs_fail(ld->err, GS_ERR_INPUT, "%s:%d:%d: %s", ld->path, p.line + 1,
                   p.col + 1, msg);
}

/* Prefix an error a lower layer already wrote on ld->err with a position. */
static gs_status prefix_pos(loader *ld, pos p)
{
    char msg[GS_ERR_MSG_MAX];
    snprintf(msg, sizeof msg, "%s", ld->err->msg);
    return fail_pos(ld, p, "%s", msg);
}

/* ---- typed scalar access -------------------------------------------- */

/* A YAML null: absent, an empty value, or a plain ~ / null (YAML 1.2 core
 * schema; libfyaml 0.7.12's fy_node_is_null does not count a plain ~). */
static int is_null(struct fy_node *node)
{
    if (!node || fy_node_is_null(node)) return 1;
    if (fy_node_get_type(node) != FYNT_SCALAR || fy_node_get_style(node) != FYNS_PLAIN)
        return 0;
    size_t len;
    const char *s = fy_node_get_scalar(node, &len);
    if (!s) return 0;
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
    for (size_t i = 0; i < GS_COUNT(nulls); i++)
        if (strlen(nulls[i]) == len && strncmp(s, nulls[i], len) == 0) return 1;
    return 0;
}

static const char *type_word(struct fy_node *node)
{
    switch (fy_node_get_type(node)) {
    case FYNT_SCALAR: return "a single value";
    case FYNT_SEQUENCE: return "a list";
    case FYNT_MAPPING: return "a mapping";
    }
    return "something else";
}

/* The text of a scalar node, or an error "expected WHAT". */
static gs_status get_text(loader *ld, struct fy_node *node, pos at, const char *what,
                          const char **out)
{
    if (is_null(node))  /* `key:` with no value, or ~ / null */
        return fail_pos(ld, node_pos(node, at), "expected %s, got nothing", what);
    if (fy_node_get_type(node) != FYNT_SCALAR)
        return fail_pos(ld, node_pos(node, at), "expected %s, got %s", what,
                        type_word(node));
    const char *s = fy_node_get_scalar0(node);
    if (!s) return gs_fail(ld->err, GS_ERR_NOMEM, "out of memory reading %s", ld->path);
    *out = s;
    return GS_OK;
}

/* A plain (unquoted) scalar that is a finite number. */
static gs_status get_number(loader *ld, struct fy_node *node, pos at, const char *what,
                            double *out)
{
    const char *s;
    gs_status st = get_text(ld, node, at, what, &s);
    if (st != GS_OK) return st;
    pos p = node_pos(node, at);
    if (fy_node_get_style(node) != FYNS_PLAIN)
        return fail_pos(ld, p, "expected %s, got the quoted text \"%s\" (write numbers "
                        "without quotes)", what, s);
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*s == '\0' || *end != '\0' || errno == ERANGE || !isfinite(v))
        return fail_pos(ld, p, "expected %s, got '%s'", what, s);
    *out = v;
    return GS_OK;
}

/* A number in [lo, hi]; whole when `whole`. */
static gs_status get_ranged(loader *ld, struct fy_node *node, pos at, const char *key,
                            double lo, double hi, int whole, const char *unit,
                            double *out)
{
    char what[160];
    snprintf(what, sizeof what, "%s for '%s' (%g to %g %s)",
             whole ? "a whole number" : "a number", key, lo, hi, unit);
    double v;
    gs_status st = get_number(ld, node, at, what, &v);
    if (st != GS_OK) return st;
    if (v < lo || v > hi || (whole && floor(v) != v))
        return fail_pos(ld, node_pos(node, at), "'%s' is %g; expected %s", key, v, what);
    *out = v;
    return GS_OK;
}

/* ---- mappings: known keys, unknown keys, required keys --------------- */

typedef struct field {
    const char *key;
    struct fy_node *value;  /* NULL when absent */
    pos key_pos;
} field;

/* Walk mapping node: every key must be one of fields[].key; fill in the
 * value nodes.  `where` names the mapping in messages ("the scenario",
 * "a schedule entry").  A null node (an empty `key:`) is an empty mapping. */
static gs_status read_fields(loader *ld, struct fy_node *node, pos at, const char *where,
                             field *fields, size_t n_fields)
{
    for (size_t i = 0; i < n_fields; i++) fields[i].value = NULL;
    if (is_null(node)) return GS_OK;
    if (fy_node_get_type(node) != FYNT_MAPPING) {
        char keys[256] = "";
        for (size_t i = 0; i < n_fields; i++) {
            if (i) strncat(keys, ", ", sizeof keys - strlen(keys) - 1);
            strncat(keys, fields[i].key, sizeof keys - strlen(keys) - 1);
        }
        return fail_pos(ld, node_pos(node, at), "expected %s as a mapping with keys %s, got %s",
                        where, keys, type_word(node));
    }
    void *it = NULL;
    struct fy_node_pair *pair;
    while ((pair = fy_node_mapping_iterate(node, &it)) != NULL) {
        struct fy_node *k = fy_node_pair_key(pair);
        const char *name;
        gs_status st = get_text(ld, k, at, "a key", &name);
        if (st != GS_OK) return st;
        pos kp = node_pos(k, at);
        size_t i = 0;
        while (i < n_fields && strcmp(fields[i].key, name) != 0) i++;
        if (i == n_fields) {
            const char *names[16];
            char keys[256] = "";
            assert(n_fields <= 16);
            for (size_t j = 0; j < n_fields; j++) {
                names[j] = fields[j].key;
                if (j) strncat(keys, ", ", sizeof keys - strlen(keys) - 1);
                strncat(keys, fields[j].key, sizeof keys - strlen(keys) - 1);
            }
            const char *near = gs_nearest_name(name, names, n_fields);
            return fail_pos(ld, kp, "unknown key '%s' in %s%s%s%s; expected one of %s", name,
                            where, near ? " (did you mean '" : "", near ? near : "",
                            near ? "'?)" : "", keys);
        }
        fields[i].value = fy_node_pair_value(pair);
        fields[i].key_pos = kp;
    }
    return GS_OK;
}

static field *field_of(field *fields, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(fields[i].key, key) == 0) return &fields[i];
    assert(!"field not declared");
    return NULL;
}

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

static gs_status unknown_skin_block(loader *ld, pos p, const char *name)
{
    size_t n;
    const gs_block *const *reg = gs_block_registry(&n);
    const gs_block *blk = gs_block_find(name);
    if (blk && (blk->flags & GS_BLOCK_REFERENCE))
        return fail_pos(ld, p, "'%s' is a reference model kept to validate a paper, not "
                        "part of a person; person.skin lists skin conditions only", name);
    if (blk)
        return fail_pos(ld, p, "'%s' is not a skin block; gut and systemic blocks are "
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
        return fail_pos(ld, p, "unknown skin block '%s' (did you mean '%s'?)", name, near);
    return fail_pos(ld, p, "unknown skin block '%s'; expected one of: %s", name,
                    k ? list : "(none registered yet)");
}

/* Compose every always-active block plus the skin blocks named in node
 * (a list of names, a single name, or absent), in registry order. */
static gs_status compose_person(loader *ld, struct fy_node *skin, pos at)
{
    size_t n_reg;
    const gs_block *const *reg = gs_block_registry(&n_reg);
    char *chosen = calloc(n_reg + 1, 1);
    const char **names = calloc(n_reg + 1, sizeof *names);
    gs_status st = GS_OK;
    if (!chosen || !names) {
        st = gs_fail(ld->err, GS_ERR_NOMEM, "out of memory composing the model");
        goto done;
    }
    if (!is_null(skin)) {
        struct fy_node *items[64];
        size_t n_items = 0;
        if (fy_node_get_type(skin) == FYNT_SEQUENCE) {
            void *it = NULL;
            struct fy_node *item;
            while ((item = fy_node_sequence_iterate(skin, &it)) != NULL) {
                if (n_items == 64) {
                    st = fail_pos(ld, node_pos(item, at), "too many skin blocks listed");
                    goto done;
                }
                items[n_items++] = item;
            }
        } else {
            items[n_items++] = skin;
        }
        for (size_t i = 0; i < n_items; i++) {
            const char *name;
            st = get_text(ld, items[i], at, "a skin block name such as skin_acne", &name);
            if (st != GS_OK) goto done;
            pos p = node_pos(items[i], at);
            const gs_block *blk = gs_block_find(name);
            size_t b = 0;
            while (b < n_reg && reg[b] != blk) b++;
            if (!blk || b == n_reg || !is_skin(blk)) {
                st = unknown_skin_block(ld, p, name);
                goto done;
            }
            if (chosen[b]) {
                st = fail_pos(ld, p, "skin block '%s' is listed twice", name);
                goto done;
            }
            chosen[b] = 1;
        }
    }
    size_t n = 0;
    for (size_t b = 0; b < n_reg; b++)
        if (always_active(reg[b]) || chosen[b]) names[n++] = reg[b]->name;
    st = gs_model_compose(names, n, &ld->sc->model, ld->err);
    if (st == GS_ERR_INPUT) st = prefix_pos(ld, at);
done:
    free(chosen);
    free(names);
    return st;
}

/* When "block.name" names a registered block that is not active, say so
 * (the model layer would only say the name is unknown). */
static gs_status check_block_active(loader *ld, pos p, const char *qualified,
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
            return fail_pos(ld, p, "%s '%s' belongs to %s, a reference model that is not "
                            "part of a person", what, qualified, block);
        return fail_pos(ld, p, "%s '%s' belongs to the skin block %s, which this person "
                        "does not have (add it to person.skin)", what, qualified, block);
    }
    return GS_OK;
}

/* params / initial: a mapping of "block.name": number. */
static gs_status read_overrides(loader *ld, struct fy_node *node, pos at, int is_param)
{
    if (is_null(node)) return GS_OK;
    const char *what = is_param ? "parameter" : "state";
    if (fy_node_get_type(node) != FYNT_MAPPING)
        return fail_pos(ld, node_pos(node, at),
                        "expected person.%s as a mapping of block.%s: value, got %s",
                        is_param ? "params" : "initial", is_param ? "param" : "state",
                        type_word(node));
    size_t n_items = (size_t)fy_node_mapping_item_count(node);
    if (!is_param && n_items) {
        ld->sc->initial = calloc(n_items, sizeof *ld->sc->initial);
        if (!ld->sc->initial) return gs_fail(ld->err, GS_ERR_NOMEM, "out of memory");
    }
    void *it = NULL;
    struct fy_node_pair *pair;
    while ((pair = fy_node_mapping_iterate(node, &it)) != NULL) {
        struct fy_node *k = fy_node_pair_key(pair), *v = fy_node_pair_value(pair);
        const char *name;
        gs_status st = get_text(ld, k, at, is_param ? "a parameter name block.param"
                                                    : "a state name block.state", &name);
        if (st != GS_OK) return st;
        pos kp = node_pos(k, at);
        if ((st = check_block_active(ld, kp, name, what)) != GS_OK) return st;
        int idx = is_param ? gs_model_find_param(ld->sc->model, name)
                           : gs_model_find_state(ld->sc->model, name);
        if (idx < 0) {
            /* let the model layer word it, with its suggestion */
            if (is_param) gs_model_set_param(ld->sc->model, name, 0, ld->err);
            else gs_model_set_initial(ld->sc->model, name, 0, ld->err);
            return prefix_pos(ld, kp);
        }
        char what_num[160];
        snprintf(what_num, sizeof what_num, "a number for %s", name);
        double value;
        if ((st = get_number(ld, v, kp, what_num, &value)) != GS_OK) return st;
        st = is_param ? gs_model_set_param(ld->sc->model, name, value, ld->err)
                      : gs_model_set_initial(ld->sc->model, name, value, ld->err);
        if (st != GS_OK) return prefix_pos(ld, node_pos(v, kp));
        if (!is_param) {
            assert(ld->sc->n_initial < n_items);
            ld->sc->initial[ld->sc->n_initial++] = (gs_scenario_initial){idx, value};
        }
    }
    return GS_OK;
}

/* usual: a mapping of intervention: usual daily value. */
static gs_status read_usual(loader *ld, struct fy_node *node, pos at)
{
    if (is_null(node)) return GS_OK;
    if (fy_node_get_type(node) != FYNT_MAPPING)
        return fail_pos(ld, node_pos(node, at),
                        "expected person.usual as a mapping of intervention: usual value, got %s",
                        type_word(node));
    void *it = NULL;
    struct fy_node_pair *pair;
    while ((pair = fy_node_mapping_iterate(node, &it)) != NULL) {
        struct fy_node *k = fy_node_pair_key(pair), *v = fy_node_pair_value(pair);
        const char *name;
        gs_status st = get_text(ld, k, at, "an intervention name", &name);
        if (st != GS_OK) return st;
        pos kp = node_pos(k, at);
        if (gs_intervention_index(name) < 0) {
            gs_schedule_set_baseline(&ld->sc->schedule, name, 0, ld->err);
            return prefix_pos(ld, kp);
        }
        char what[160];
        snprintf(what, sizeof what, "a number for the usual %s", name);
        double value;
        if ((st = get_number(ld, v, kp, what, &value)) != GS_OK) return st;
        if (gs_schedule_set_baseline(&ld->sc->schedule, name, value, ld->err) != GS_OK)
            return prefix_pos(ld, node_pos(v, kp));
    }
    return GS_OK;
}

static gs_status read_person(loader *ld, struct fy_node *node, pos at)
{
    field f[] = {{"skin", NULL, at}, {"usual", NULL, at}, {"params", NULL, at},
                 {"initial", NULL, at}};
    gs_status st = read_fields(ld, node, at, "person", f, GS_COUNT(f));
    if (st != GS_OK) return st;
    field *skin = field_of(f, GS_COUNT(f), "skin");
    if ((st = compose_person(ld, skin->value, skin->value ? skin->key_pos : at)) != GS_OK)
        return st;
    field *params = field_of(f, GS_COUNT(f), "params");
    if ((st = read_overrides(ld, params->value, params->key_pos, 1)) != GS_OK) return st;
    field *initial = field_of(f, GS_COUNT(f), "initial");
    if ((st = read_overrides(ld, initial->value, initial->key_pos, 0)) != GS_OK) return st;
    field *usual = field_of(f, GS_COUNT(f), "usual");
    return read_usual(ld, usual->value, usual->key_pos);
}

/* ---- the schedule ---------------------------------------------------- */

static gs_status read_span(loader *ld, struct fy_node *node, pos at, size_t index)
{
    char where[64];
    snprintf(where, sizeof where, "schedule entry %zu", index + 1);
    field f[] = {{"intervention", NULL, at}, {"start", NULL, at}, {"stop", NULL, at},
                 {"days", NULL, at}, {"dose", NULL, at}};
    gs_status st = read_fields(ld, node, at, where, f, GS_COUNT(f));
    if (st != GS_OK) return st;
    pos entry = node_pos(node, at);
    field *iv = field_of(f, 5, "intervention"), *start = field_of(f, 5, "start"),
          *stop = field_of(f, 5, "stop"), *days = field_of(f, 5, "days"),
          *dose = field_of(f, 5, "dose");
    const char *required[] = {"intervention", "start", "dose"};
    for (size_t i = 0; i < GS_COUNT(required); i++)
        if (!field_of(f, 5, required[i])->value)
            return fail_pos(ld, entry, "%s is missing the required key '%s'", where,
                            required[i]);
    if (!stop->value && !days->value)
        return fail_pos(ld, entry, "%s needs 'stop' (the day it ends) or 'days' (how long "
                        "it lasts)", where);
    if (stop->value && days->value)
        return fail_pos(ld, days->key_pos, "%s has both 'stop' and 'days'; give one", where);

    const char *name;
    if ((st = get_text(ld, iv->value, iv->key_pos, "an intervention name", &name)) != GS_OK)
        return st;
    pos name_pos = node_pos(iv->value, iv->key_pos);
    int k = gs_intervention_index(name);
    if (k < 0) {
        gs_schedule_add(&ld->sc->schedule, name, 0, 1, 0, ld->err);
        return prefix_pos(ld, name_pos);
    }
    size_t n_iv;
    const gs_intervention *reg = gs_intervention_registry(&n_iv);
    char what[160];
    double t0, t1, amount;
    snprintf(what, sizeof what, "a start day for %s (0 or later)", name);
    if ((st = get_number(ld, start->value, start->key_pos, what, &t0)) != GS_OK) return st;
    pos start_pos = node_pos(start->value, start->key_pos), stop_pos;
    if (stop->value) {
        snprintf(what, sizeof what, "a stop day for %s", name);
        if ((st = get_number(ld, stop->value, stop->key_pos, what, &t1)) != GS_OK) return st;
        stop_pos = node_pos(stop->value, stop->key_pos);
    } else {
        double d;
        snprintf(what, sizeof what, "a duration in days for %s", name);
        if ((st = get_number(ld, days->value, days->key_pos, what, &d)) != GS_OK) return st;
        stop_pos = node_pos(days->value, days->key_pos);
        if (!(d > 0))
            return fail_pos(ld, stop_pos, "%s: a duration of %g days is not positive; "
                            "expected a number of days above 0", name, d);
        t1 = t0 + d;
    }
    snprintf(what, sizeof what, "a dose for %s in %s", name, reg[k].unit);
    if ((st = get_number(ld, dose->value, dose->key_pos, what, &amount)) != GS_OK) return st;
    pos dose_pos = node_pos(dose->value, dose->key_pos);

    /* The schedule layer checks in this order: dose, start, stop, overlap;
     * point at the node each check is about. */
    pos blame = start_pos;
    if (amount < reg[k].lo || amount > reg[k].hi) blame = dose_pos;
    else if (t0 < 0) blame = start_pos;
    else if (!(t1 > t0)) blame = stop_pos;
    if (gs_schedule_add(&ld->sc->schedule, name, t0, t1, amount, ld->err) != GS_OK)
        return prefix_pos(ld, blame);
    return GS_OK;
}

static gs_status read_schedule(loader *ld, struct fy_node *node, pos at)
{
    if (is_null(node)) return GS_OK;
    if (fy_node_get_type(node) != FYNT_SEQUENCE)
        return fail_pos(ld, node_pos(node, at),
                        "expected schedule as a list of entries "
                        "(- {intervention: NAME, start: DAY, stop: DAY, dose: AMOUNT}), got %s",
                        type_word(node));
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

static gs_status read_solver(loader *ld, struct fy_node *node, pos at)
{
    gs_solve_opts *o = &ld->sc->solver;
    field f[] = {{"rtol", NULL, at}, {"atol", NULL, at}, {"max_steps", NULL, at},
                 {"jacobian", NULL, at}};
    gs_status st = read_fields(ld, node, at, "solver", f, GS_COUNT(f));
    if (st != GS_OK) return st;
    if (f[3].value) {
        const char *how;
        const char *what = "'auto' or 'finite_difference' for 'jacobian'";
        if ((st = get_text(ld, f[3].value, f[3].key_pos, what, &how)) != GS_OK) return st;
        if (strcmp(how, "auto") == 0) o->jacobian = GS_JACOBIAN_AUTO;
        else if (strcmp(how, "finite_difference") == 0)
            o->jacobian = GS_JACOBIAN_FINITE_DIFFERENCE;
        else
            return fail_pos(ld, node_pos(f[3].value, f[3].key_pos), "expected %s, got '%s'",
                            what, how);
    }
    double v;
    if (f[0].value) {
        if ((st = get_ranged(ld, f[0].value, f[0].key_pos, "rtol", 1e-12, 1e-2, 0,
                             "relative", &v)) != GS_OK)
            return st;
        o->rtol = v;
    }
    if (f[1].value) {
        if ((st = get_ranged(ld, f[1].value, f[1].key_pos, "atol", 1e-15, 1e-3, 0,
                             "in each state's unit", &v)) != GS_OK)
            return st;
        o->atol = v;
    }
    if (f[2].value) {
        if ((st = get_ranged(ld, f[2].value, f[2].key_pos, "max_steps", 1, 1e7, 1,
                             "steps between two samples", &v)) != GS_OK)
            return st;
        o->max_steps = (long)v;
    }
    return GS_OK;
}

static gs_status read_burn_in(loader *ld, struct fy_node *node, pos at)
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
    gs_status st = get_number(ld, node, at, what, &v);
    if (st != GS_OK) return st;
    if (v < 0 || v > GS_SCENARIO_BURN_IN_MAX)
        return fail_pos(ld, node_pos(node, at), "'burn_in' is %g; expected %s", v, what);
    sc->burn_in_auto = 0;
    sc->burn_in_days = v;
    return GS_OK;
}

static gs_status read_document(loader *ld, struct fy_node *root)
{
    gs_scenario *sc = ld->sc;
    pos top = {0, 0};
    if (is_null(root))
        return fail_pos(ld, top, "the file is empty; expected a scenario mapping with at "
                        "least 'name' (see docs/scenarios.md)");
    field f[] = {{"name", NULL, top},   {"about", NULL, top},   {"days", NULL, top},
                 {"every", NULL, top},  {"person", NULL, top},  {"burn_in", NULL, top},
                 {"schedule", NULL, top}, {"solver", NULL, top}};
    size_t nf = GS_COUNT(f);
    gs_status st = read_fields(ld, root, top, "the scenario", f, nf);
    if (st != GS_OK) return st;

    field *name = field_of(f, nf, "name");
    if (!name->value)
        return fail_pos(ld, node_pos(root, top),
                        "the scenario is missing the required key 'name' (a title for "
                        "the output)");
    const char *text;
    if ((st = get_text(ld, name->value, name->key_pos, "a title for 'name'", &text)) != GS_OK)
        return st;
    if (!text[0])
        return fail_pos(ld, node_pos(name->value, name->key_pos),
                        "'name' is empty; expected a title for the output");
    if (!(sc->name = strdup(text))) return gs_fail(ld->err, GS_ERR_NOMEM, "out of memory");

    field *about = field_of(f, nf, "about");
    if (about->value &&
        (st = get_text(ld, about->value, about->key_pos, "a text for 'about'", &text)) != GS_OK)
        return st;

    double v;
    field *days = field_of(f, nf, "days");
    if (days->value) {
        if ((st = get_ranged(ld, days->value, days->key_pos, "days", 1,
                             GS_SCENARIO_DAYS_MAX, 1, "days", &v)) != GS_OK)
            return st;
        sc->days = (int)v;
    }
    field *every = field_of(f, nf, "every");
    if (every->value) {
        if ((st = get_ranged(ld, every->value, every->key_pos, "every",
                             GS_SCENARIO_EVERY_MIN, GS_SCENARIO_DAYS_MAX, 0, "days",
                             &v)) != GS_OK)
            return st;
        sc->every = v;
    }
    if (sc->every > sc->days)
        return fail_pos(ld, every->value ? node_pos(every->value, every->key_pos) : top,
                        "'every' is %g days, longer than the %d simulated days; expected "
                        "at most %d", sc->every, sc->days, sc->days);
    field *burn = field_of(f, nf, "burn_in");
    if (burn->value && (st = read_burn_in(ld, burn->value, burn->key_pos)) != GS_OK)
        return st;
    field *solver = field_of(f, nf, "solver");
    if (solver->value && (st = read_solver(ld, solver->value, solver->key_pos)) != GS_OK)
        return st;

    field *person = field_of(f, nf, "person");
    if (person->value) {
        if ((st = read_person(ld, person->value, person->key_pos)) != GS_OK) return st;
    } else if ((st = compose_person(ld, NULL, top)) != GS_OK) {
        return st;
    }
    field *sched = field_of(f, nf, "schedule");
    return read_schedule(ld, sched->value, sched->key_pos);
}

/* libfyaml writes diagnostics through this only when not collecting;
 * collecting is always on, so it stays silent. */
static void diag_silent(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
    (void)diag;
    (void)user;
    (void)buf;
    (void)len;
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

    FILE *f = fopen(path, "rb");
    if (!f)
        return gs_fail(err, GS_ERR_INPUT, "%s: cannot open the scenario file: %s", path,
                       strerror(errno));
    fclose(f);

    struct fy_diag_cfg dcfg;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    dcfg.output_fn = diag_silent;
    dcfg.colorize = false;
    struct fy_diag *diag = fy_diag_create(&dcfg);
    if (!diag) return gs_fail(err, GS_ERR_NOMEM, "could not create the YAML diagnostics");
    fy_diag_set_collect_errors(diag, true);
    struct fy_parse_cfg pcfg = {0};
    pcfg.flags = FYPCF_QUIET | FYPCF_RESOLVE_DOCUMENT;
    pcfg.diag = diag;
    struct fy_parser *parser = fy_parser_create(&pcfg);
    struct fy_document *doc = NULL, *extra = NULL;
    if (!parser || fy_parser_set_input_file(parser, path) != 0) {
        if (parser) fy_parser_destroy(parser);
        fy_diag_destroy(diag);
        return gs_fail(err, GS_ERR_IO, "%s: cannot read the scenario file", path);
    }
    doc = fy_parse_load_document(parser);
    if (doc) extra = fy_parse_load_document(parser);  /* a second document? */

    loader ld = {path, err, sc};
    void *it = NULL;
    struct fy_diag_error *de = fy_diag_errors_iterate(diag, &it);
    if (extra && !de) {
        struct fy_node *r = fy_document_root(extra);
        st = fail_pos(&ld, node_pos(r, (pos){0, 0}),
                      "a second YAML document starts here; a scenario file holds one "
                      "document (remove the '---' line)");
    } else if (de) {
        /* libfyaml's positions in collected errors are already 1-based. */
        st = gs_fail(err, GS_ERR_INPUT, "%s:%d:%d: YAML syntax error: %s", path,
                     de->line > 0 ? de->line : 1, de->column > 0 ? de->column : 1,
                     de->msg ? de->msg : "malformed YAML");
    } else if (!doc) {
        st = fail_pos(&ld, (pos){0, 0}, "the file is empty or not YAML; expected a scenario "
                      "mapping with at least 'name' (see docs/scenarios.md)");
    } else {
        st = read_document(&ld, fy_document_root(doc));
    }
    if (extra) fy_parse_document_destroy(parser, extra);
    if (doc) fy_parse_document_destroy(parser, doc);
    fy_parser_destroy(parser);
    fy_diag_destroy(diag);
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
