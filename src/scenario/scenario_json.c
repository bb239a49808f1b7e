/*
 * scenario_json.c - a scenario as JSON (scenario_json.h): the keys of
 * docs/scenarios.md read from a jansson document, with every error naming
 * its field.  Name and range checks are those of the model and schedule
 * layers (gs_model_set_param, gs_schedule_add, ...), as in scenario.c, so
 * the sentences and "did you mean" suggestions match the YAML loader's;
 * only the position differs (a field path instead of FILE:LINE:COLUMN).
 *
 * No paper: this is input handling.
 */
#include "gutskin/scenario_json.h"

#include <assert.h>
#include <libfyaml.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
    gs_scenario *sc;
    gs_err *err;
    char *field;          /* out: the offending field, may be NULL */
    size_t field_len;
} reader;

static gs_status fail_at(reader *rd, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static gs_status fail_at(reader *rd, const char *field, const char *fmt, ...)
{
    char msg[GS_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (rd->field) snprintf(rd->field, rd->field_len, "%s", field);
    if (!field[0]) return gs_fail(rd->err, GS_ERR_INPUT, "%s", msg);
    return gs_fail(rd->err, GS_ERR_INPUT, "%s: %s", field, msg);
}

/* Put the field in front of a sentence a lower layer wrote on rd->err. */
static gs_status prefix_at(reader *rd, const char *field)
{
    char msg[GS_ERR_MSG_MAX];
    snprintf(msg, sizeof msg, "%s", rd->err->msg);
    return fail_at(rd, field, "%s", msg);
}

static const char *type_word(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "a list";
    case JSON_STRING: return "text";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "true/false";
    case JSON_NULL: return "null";
    }
    return "something else";
}

static gs_status get_number(reader *rd, const json_t *v, const char *field, const char *what,
                            double *out)
{
    if (!json_is_number(v)) {
        if (json_is_string(v))
            return fail_at(rd, field, "expected %s, got the text \"%s\" (send numbers without "
                           "quotes)", what, json_string_value(v));
        return fail_at(rd, field, "expected %s, got %s", what, type_word(v));
    }
    double x = json_number_value(v);
    if (!isfinite(x)) return fail_at(rd, field, "expected %s, got a non-finite number", what);
    *out = x;
    return GS_OK;
}

static gs_status get_ranged(reader *rd, const json_t *v, const char *field, double lo,
                            double hi, int whole, const char *unit, double *out)
{
    char what[160];
    snprintf(what, sizeof what, "%s from %g to %g %s", whole ? "a whole number" : "a number",
             lo, hi, unit);
    double x;
    gs_status st = get_number(rd, v, field, what, &x);
    if (st != GS_OK) return st;
    if (x < lo || x > hi || (whole && floor(x) != x))
        return fail_at(rd, field, "is %g; expected %s", x, what);
    *out = x;
    return GS_OK;
}

static gs_status get_text(reader *rd, const json_t *v, const char *field, const char *what,
                          const char **out)
{
    if (!json_is_string(v)) return fail_at(rd, field, "expected %s, got %s", what, type_word(v));
    *out = json_string_value(v);
    return GS_OK;
}

/* Every key of obj must be in keys[]; name the first that is not. */
static gs_status check_keys(reader *rd, const json_t *obj, const char *field,
                            const char *const *keys, size_t n_keys)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        size_t i = 0;
        while (i < n_keys && strcmp(keys[i], key) != 0) i++;
        if (i < n_keys) continue;
        char list[256] = "", at[256];
        for (size_t j = 0; j < n_keys; j++) {
            if (j) strncat(list, ", ", sizeof list - strlen(list) - 1);
            strncat(list, keys[j], sizeof list - strlen(list) - 1);
        }
        const char *near = gs_nearest_name(key, keys, n_keys);
        snprintf(at, sizeof at, "%s%s%s", field, field[0] ? "." : "", key);
        return fail_at(rd, at, "unknown key%s%s%s; expected one of %s",
                       near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "",
                       list);
    }
    return GS_OK;
}

/* ---- the person ------------------------------------------------------ */

static int is_skin(const gs_block *b)
{
    return (b->flags & GS_BLOCK_SKIN) && !(b->flags & GS_BLOCK_REFERENCE);
}

static gs_status skin_name_error(reader *rd, const char *field, const char *name)
{
    const gs_block *blk = gs_block_find(name);
    if (blk && !is_skin(blk))
        return fail_at(rd, field, "'%s' is not a skin condition; gut and systemic blocks are "
                       "always active, person.skin lists skin blocks only", name);
    size_t n;
    const gs_block *const *reg = gs_block_registry(&n);
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
    if (near) return fail_at(rd, field, "unknown skin block '%s' (did you mean '%s'?)", name, near);
    return fail_at(rd, field, "unknown skin block '%s'; expected one of: %s", name, list);
}

/* Compose every always-active block plus the listed skin blocks, in
 * registry order (the same model scenario.c composes). */
static gs_status compose(reader *rd, const json_t *skin)
{
    size_t n_reg;
    const gs_block *const *reg = gs_block_registry(&n_reg);
    char chosen[128] = {0};
    const char *names[128];
    assert(n_reg <= 128);
    if (skin && !json_is_null(skin)) {
        const json_t *one[1] = {skin};
        size_t n_items = json_is_array(skin) ? json_array_size(skin) : 1;
        for (size_t i = 0; i < n_items; i++) {
            const json_t *item = json_is_array(skin) ? json_array_get(skin, i) : one[0];
            char field[64];
            if (json_is_array(skin)) snprintf(field, sizeof field, "person.skin[%zu]", i);
            else snprintf(field, sizeof field, "person.skin");
            const char *name = NULL;
            gs_status st = get_text(rd, item, field, "a skin block name such as skin_acne", &name);
            if (st != GS_OK) return st;
            const gs_block *blk = gs_block_find(name);
            size_t b = 0;
            while (b < n_reg && reg[b] != blk) b++;
            if (!blk || b == n_reg || !is_skin(blk)) return skin_name_error(rd, field, name);
            if (chosen[b]) return fail_at(rd, field, "skin block '%s' is listed twice", name);
            chosen[b] = 1;
        }
    }
    size_t n = 0;
    for (size_t b = 0; b < n_reg; b++)
        if (!(reg[b]->flags & (GS_BLOCK_SKIN | GS_BLOCK_REFERENCE)) || chosen[b])
            names[n++] = reg[b]->name;
    gs_status st = gs_model_compose(names, n, &rd->sc->model, rd->err);
    return st == GS_ERR_INPUT ? prefix_at(rd, "person.skin") : st;
}

/* person.params / person.initial: {"block.name": number}. */
static gs_status read_overrides(reader *rd, const json_t *obj, int is_param)
{
    const char *where = is_param ? "person.params" : "person.initial";
    if (!obj || json_is_null(obj)) return GS_OK;
    if (!json_is_object(obj))
        return fail_at(rd, where, "expected an object of \"block.%s\": number, got %s",
                       is_param ? "param" : "state", type_word(obj));
    gs_scenario *sc = rd->sc;
    if (!is_param && json_object_size(obj)) {
        sc->initial = calloc(json_object_size(obj), sizeof *sc->initial);
        if (!sc->initial) return gs_fail(rd->err, GS_ERR_NOMEM, "out of memory");
    }
    const char *name = NULL;
    json_t *v;
    json_object_foreach((json_t *)obj, name, v) {
        char field[256];
        snprintf(field, sizeof field, "%s.%s", where, name);
        int idx = is_param ? gs_model_find_param(sc->model, name)
                           : gs_model_find_state(sc->model, name);
        const char *dot = strchr(name, '.');
        char block[64];
        if (idx < 0 && dot && (size_t)(dot - name) < sizeof block) {
            snprintf(block, sizeof block, "%.*s", (int)(dot - name), name);
            const gs_block *blk = gs_block_find(block);
            if (blk && !gs_model_has_block(sc->model, block))
                return fail_at(rd, field, "'%s' belongs to %s, which this person does not "
                               "have%s", name, block, (blk->flags & GS_BLOCK_REFERENCE)
                               ? " (a reference model, never part of a person)"
                               : " (add it to person.skin)");
        }
        if (idx < 0) {  /* the model layer words it, with its suggestion */
            if (is_param) gs_model_set_param(sc->model, name, 0, rd->err);
            else gs_model_set_initial(sc->model, name, 0, rd->err);
            return prefix_at(rd, field);
        }
        char what[160];
        snprintf(what, sizeof what, "a number for %s", name);
        double x;
        gs_status st = get_number(rd, v, field, what, &x);
        if (st != GS_OK) return st;
        st = is_param ? gs_model_set_param(sc->model, name, x, rd->err)
                      : gs_model_set_initial(sc->model, name, x, rd->err);
        if (st != GS_OK) return prefix_at(rd, field);
        if (!is_param) sc->initial[sc->n_initial++] = (gs_scenario_initial){idx, x};
    }
    return GS_OK;
}

static gs_status read_usual(reader *rd, const json_t *obj)
{
    if (!obj || json_is_null(obj)) return GS_OK;
    if (!json_is_object(obj))
        return fail_at(rd, "person.usual", "expected an object of intervention: usual value, "
                       "got %s", type_word(obj));
    const char *name = NULL;
    json_t *v;
    json_object_foreach((json_t *)obj, name, v) {
        char field[256], what[160];
        snprintf(field, sizeof field, "person.usual.%s", name);
        if (gs_intervention_index(name) < 0) {
            gs_schedule_set_baseline(&rd->sc->schedule, name, 0, rd->err);
            return prefix_at(rd, field);
        }
        snprintf(what, sizeof what, "a number for the usual %s", name);
        double x;
        gs_status st = get_number(rd, v, field, what, &x);
        if (st != GS_OK) return st;
        if (gs_schedule_set_baseline(&rd->sc->schedule, name, x, rd->err) != GS_OK)
            return prefix_at(rd, field);
    }
    return GS_OK;
}

static gs_status read_person(reader *rd, const json_t *person)
{
    static const char *const keys[] = {"skin", "usual", "params", "initial"};
    if (person && !json_is_null(person) && !json_is_object(person))
        return fail_at(rd, "person", "expected an object with keys skin, usual, params, "
                       "initial, got %s", type_word(person));
    gs_status st;
    if (person && json_is_object(person) &&
        (st = check_keys(rd, person, "person", keys, GS_COUNT(keys))) != GS_OK)
        return st;
    const json_t *p = json_is_object(person) ? person : NULL;
    if ((st = compose(rd, p ? json_object_get(p, "skin") : NULL)) != GS_OK) return st;
    if (!p) return GS_OK;
    if ((st = read_overrides(rd, json_object_get(p, "params"), 1)) != GS_OK) return st;
    if ((st = read_overrides(rd, json_object_get(p, "initial"), 0)) != GS_OK) return st;
    return read_usual(rd, json_object_get(p, "usual"));
}

/* ---- the schedule ------------------------------------------------------ */

static gs_status read_span(reader *rd, const json_t *span, size_t i)
{
    static const char *const keys[] = {"intervention", "start", "stop", "days", "dose"};
    char at[64], field[96];
    snprintf(at, sizeof at, "schedule[%zu]", i);
    if (!json_is_object(span))
        return fail_at(rd, at, "expected an object {intervention, start, stop or days, dose}, "
                       "got %s", type_word(span));
    gs_status st = check_keys(rd, span, at, keys, GS_COUNT(keys));
    if (st != GS_OK) return st;
    const char *required[] = {"intervention", "start", "dose"};
    for (size_t k = 0; k < GS_COUNT(required); k++) {
        if (json_object_get(span, required[k])) continue;
        snprintf(field, sizeof field, "%s.%s", at, required[k]);
        return fail_at(rd, field, "is missing; every schedule entry needs intervention, "
                       "start and dose");
    }
    const json_t *stop = json_object_get(span, "stop"), *days = json_object_get(span, "days");
    if (!stop && !days)
        return fail_at(rd, at, "needs 'stop' (the day it ends) or 'days' (how long it lasts)");
    if (stop && days) {
        snprintf(field, sizeof field, "%s.days", at);
        return fail_at(rd, field, "the entry has both 'stop' and 'days'; give one");
    }
    const char *name = NULL;
    snprintf(field, sizeof field, "%s.intervention", at);
    if ((st = get_text(rd, json_object_get(span, "intervention"), field, "an intervention name",
                       &name)) != GS_OK)
        return st;
    int k = gs_intervention_index(name);
    if (k < 0) {
        gs_schedule_add(&rd->sc->schedule, name, 0, 1, 0, rd->err);
        return prefix_at(rd, field);
    }
    size_t n_iv;
    const gs_intervention *reg = gs_intervention_registry(&n_iv);
    double t0, t1, dose;
    char what[160], f_start[96], f_stop[96], f_dose[96];
    snprintf(f_start, sizeof f_start, "%s.start", at);
    snprintf(f_stop, sizeof f_stop, "%s.%s", at, stop ? "stop" : "days");
    snprintf(f_dose, sizeof f_dose, "%s.dose", at);
    snprintf(what, sizeof what, "a start day for %s (0 or later)", name);
    if ((st = get_number(rd, json_object_get(span, "start"), f_start, what, &t0)) != GS_OK)
        return st;
    if (stop) {
        snprintf(what, sizeof what, "a stop day for %s", name);
        if ((st = get_number(rd, stop, f_stop, what, &t1)) != GS_OK) return st;
    } else {
        double d;
        snprintf(what, sizeof what, "a duration in days for %s", name);
        if ((st = get_number(rd, days, f_stop, what, &d)) != GS_OK) return st;
        if (!(d > 0))
            return fail_at(rd, f_stop, "%s: a duration of %g days is not positive; expected "
                           "a number of days above 0", name, d);
        t1 = t0 + d;
    }
    snprintf(what, sizeof what, "a dose for %s in %s", name, reg[k].unit);
    if ((st = get_number(rd, json_object_get(span, "dose"), f_dose, what, &dose)) != GS_OK)
        return st;
    /* the schedule layer checks dose, start, stop, then overlap; blame the
     * field each check is about */
    const char *blame = f_start;
    if (dose < reg[k].lo || dose > reg[k].hi) blame = f_dose;
    else if (t0 < 0) blame = f_start;
    else if (!(t1 > t0)) blame = f_stop;
    if (gs_schedule_add(&rd->sc->schedule, name, t0, t1, dose, rd->err) != GS_OK)
        return prefix_at(rd, blame);
    return GS_OK;
}

/* ---- top level ---------------------------------------------------------- */

static gs_status read_solver(reader *rd, const json_t *o)
{
    static const char *const keys[] = {"rtol", "atol", "max_steps", "jacobian"};
    if (!json_is_object(o)) return fail_at(rd, "solver", "expected an object, got %s", type_word(o));
    gs_status st = check_keys(rd, o, "solver", keys, GS_COUNT(keys));
    if (st != GS_OK) return st;
    gs_solve_opts *s = &rd->sc->solver;
    double x;
    const json_t *v;
    if ((v = json_object_get(o, "rtol"))) {
        if ((st = get_ranged(rd, v, "solver.rtol", 1e-12, 1e-2, 0, "(relative)", &x)) != GS_OK)
            return st;
        s->rtol = x;
    }
    if ((v = json_object_get(o, "atol"))) {
        if ((st = get_ranged(rd, v, "solver.atol", 1e-15, 1e-3, 0, "in each state's unit",
                             &x)) != GS_OK)
            return st;
        s->atol = x;
    }
    if ((v = json_object_get(o, "max_steps"))) {
        if ((st = get_ranged(rd, v, "solver.max_steps", 1, 1e7, 1, "steps between two samples",
                             &x)) != GS_OK)
            return st;
        s->max_steps = (long)x;
    }
    if ((v = json_object_get(o, "jacobian"))) {
        const char *how;
        const char *what = "'auto' or 'finite_difference'";
        if ((st = get_text(rd, v, "solver.jacobian", what, &how)) != GS_OK) return st;
        if (strcmp(how, "auto") == 0) s->jacobian = GS_JACOBIAN_AUTO;
        else if (strcmp(how, "finite_difference") == 0) s->jacobian = GS_JACOBIAN_FINITE_DIFFERENCE;
        else return fail_at(rd, "solver.jacobian", "expected %s, got '%s'", what, how);
    }
    return GS_OK;
}

static gs_status read_root(reader *rd, const json_t *root)
{
    static const char *const keys[] = {"name", "about", "days", "every", "person",
                                       "burn_in", "schedule", "solver"};
    gs_scenario *sc = rd->sc;
    if (!json_is_object(root))
        return fail_at(rd, "", "expected a scenario object with at least 'name', got %s",
                       type_word(root));
    gs_status st = check_keys(rd, root, "", keys, GS_COUNT(keys));
    if (st != GS_OK) return st;
    const json_t *v = json_object_get(root, "name");
    const char *text;
    if (!v) return fail_at(rd, "name", "is missing; a scenario needs a title");
    if ((st = get_text(rd, v, "name", "a title", &text)) != GS_OK) return st;
    if (!text[0]) return fail_at(rd, "name", "is empty; expected a title");
    if (!(sc->name = strdup(text))) return gs_fail(rd->err, GS_ERR_NOMEM, "out of memory");
    if ((v = json_object_get(root, "about")) && !json_is_null(v) &&
        (st = get_text(rd, v, "about", "a text", &text)) != GS_OK)
        return st;
    double x;
    if ((v = json_object_get(root, "days"))) {
        if ((st = get_ranged(rd, v, "days", 1, GS_SCENARIO_DAYS_MAX, 1, "days", &x)) != GS_OK)
            return st;
        sc->days = (int)x;
    }
    if ((v = json_object_get(root, "every"))) {
        if ((st = get_ranged(rd, v, "every", GS_SCENARIO_EVERY_MIN, GS_SCENARIO_DAYS_MAX, 0,
                             "days", &x)) != GS_OK)
            return st;
        sc->every = x;
    }
    if (sc->every > sc->days)
        return fail_at(rd, "every", "is %g days, longer than the %d simulated days; expected at "
                       "most %d", sc->every, sc->days, sc->days);
    if ((v = json_object_get(root, "burn_in"))) {
        if (json_is_string(v) && strcmp(json_string_value(v), "auto") == 0) {
            sc->burn_in_auto = 1;
        } else {
            if ((st = get_ranged(rd, v, "burn_in", 0, GS_SCENARIO_BURN_IN_MAX, 0,
                                 "days (or \"auto\")", &x)) != GS_OK)
                return st;
            sc->burn_in_auto = 0;
            sc->burn_in_days = x;
        }
    }
    if ((v = json_object_get(root, "solver")) && (st = read_solver(rd, v)) != GS_OK) return st;
    if ((st = read_person(rd, json_object_get(root, "person"))) != GS_OK) return st;
    v = json_object_get(root, "schedule");
    if (!v || json_is_null(v)) return GS_OK;
    if (!json_is_array(v))
        return fail_at(rd, "schedule", "expected a list of {intervention, start, stop, dose}, "
                       "got %s", type_word(v));
    for (size_t i = 0; i < json_array_size(v); i++)
        if ((st = read_span(rd, json_array_get(v, i), i)) != GS_OK) return st;
    return GS_OK;
}

gs_status gs_scenario_from_json(const json_t *root, const char *label, gs_scenario *sc,
                                char *field, size_t field_len, gs_err *err)
{
    assert(root && sc && err);
    memset(sc, 0, sizeof *sc);
    if (field && field_len) field[0] = '\0';
    sc->days = GS_SCENARIO_DAYS_DEFAULT;
    sc->every = 1;
    sc->burn_in_auto = 1;
    gs_solve_opts_default(&sc->solver);
    gs_status st = gs_schedule_init(&sc->schedule, err);
    if (st != GS_OK) return st;
    if (!(sc->path = strdup(label ? label : "request")))
        return gs_fail(err, GS_ERR_NOMEM, "out of memory");
    reader rd = {sc, err, field, field_len};
    return read_root(&rd, root);
}

/* libfyaml's collected diagnostics stay silent (see scenario.c). */
static void diag_silent(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
    (void)diag, (void)user, (void)buf, (void)len;
}

gs_status gs_scenario_yaml_to_json(const char *path, json_t **out, gs_err *err)
{
    *out = NULL;
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
    struct fy_document *doc = fy_document_build_from_file(&pcfg, path);
    gs_status st = GS_OK;
    if (!doc) {
        st = gs_fail(err, GS_ERR_INPUT, "%s: cannot read it as YAML", path);
    } else {
        /* libfyaml's JSON mode writes plain scalars that look like numbers
         * bare and quotes the rest, which is what jansson should see */
        char *text = fy_emit_document_to_string(doc, FYECF_MODE_JSON_ONELINE);
        json_error_t je;
        if (!text) st = gs_fail(err, GS_ERR_NOMEM, "out of memory converting %s", path);
        else if (!(*out = json_loads(text, 0, &je)))
            st = gs_fail(err, GS_ERR_INTERNAL, "%s: its JSON form does not parse: %s", path,
                         je.text);
        free(text);
        fy_document_destroy(doc);
    }
    fy_diag_destroy(diag);
    return st;
}
