/*
 * trial_file.c - read a trial file (YAML) into a gs_trial.  The format is
 * specified key by key in docs/trials.md; this is its only reader.
 *
 * The person is composed like a scenario's (every gut and systemic block
 * plus the listed skin blocks, in registry order) and its names and
 * ranges are checked by the model and schedule layers, so messages and
 * "did you mean" suggestions match `gutskin simulate`.  Every error is
 * "FILE:LINE:COLUMN: what was expected" (util/yaml_read.h); errors in a
 * variability file name that file.
 *
 * No paper: this is file handling.
 */
#include "gutskin/trial.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/yaml_read.h"

#define DEFAULT_PATIENTS 200
#define DEFAULT_DAYS 84
#define DEFAULT_SEED 1
#define MAX_SKIN 16
#define THRESHOLD_MIN -100.0
#define THRESHOLD_MAX 1000.0

/* Burn-in: as the scenario runner's (src/scenario/run.c): no state moves
 * by more than 3e-6 relative over 30 days, within 100 years. */
#define BURN_IN_WINDOW 30.0
#define BURN_IN_TOL 3e-6
#define BURN_IN_MAX_DAYS 36525.0

typedef struct reader {
    gs_yaml y;
    gs_trial *t;
    const char *extra_key;  /* a top-level key another reader owns, or NULL */
} reader;

/* ---- the person ---------------------------------------------------------- */

static int is_skin_block(const gs_block *b)
{
    return b && (b->flags & GS_BLOCK_SKIN) && !(b->flags & GS_BLOCK_REFERENCE);
}

/* Compose the always-active blocks plus the skin blocks listed in node. */
static gs_status compose(reader *rd, struct fy_node *node, gs_ypos at)
{
    size_t n_reg;
    const gs_block *const *reg = gs_block_registry(&n_reg);
    const gs_block *chosen[MAX_SKIN];
    size_t n_chosen = 0;
    gs_status st = GS_OK;
    struct fy_node *single[1] = {node};
    int is_list = node && fy_node_get_type(node) == FYNT_SEQUENCE;
    void *it = NULL;
    struct fy_node *item;
    size_t k = 0;
    while (node && !fy_node_is_null(node) &&
           (item = is_list ? fy_node_sequence_iterate(node, &it) : (k ? NULL : single[0])) != NULL) {
        k++;
        const char *name;
        if ((st = gs_yaml_text(&rd->y, item, at, "a skin block name such as skin_acne",
                               &name)) != GS_OK)
            return st;
        gs_ypos p = gs_yaml_pos(item, at);
        const gs_block *b = gs_block_find(name);
        if (!is_skin_block(b)) {
            const char *names[64];
            size_t n = 0;
            for (size_t i = 0; i < n_reg && n < 64; i++)
                if (is_skin_block(reg[i])) names[n++] = reg[i]->name;
            const char *near = gs_nearest_name(name, names, n);
            return gs_yaml_fail(&rd->y, p, "'%s' is not a skin condition%s%s%s; person.skin "
                                "lists skin blocks (gutskin blocks shows them)", name,
                                near ? " (did you mean '" : "", near ? near : "",
                                near ? "'?)" : "");
        }
        for (size_t i = 0; i < n_chosen; i++)
            if (chosen[i] == b)
                return gs_yaml_fail(&rd->y, p, "skin block '%s' is listed twice", name);
        if (n_chosen == MAX_SKIN) return gs_yaml_fail(&rd->y, p, "too many skin blocks");
        chosen[n_chosen++] = b;
    }
    const char **names = calloc(n_reg, sizeof *names);
    if (!names) return gs_fail(rd->y.err, GS_ERR_NOMEM, "out of memory composing the model");
    size_t n = 0;
    for (size_t i = 0; i < n_reg; i++) {
        int wanted = !(reg[i]->flags & (GS_BLOCK_SKIN | GS_BLOCK_REFERENCE));
        for (size_t c = 0; c < n_chosen; c++) wanted |= chosen[c] == reg[i];
        if (wanted) names[n++] = reg[i]->name;
    }
    st = gs_model_compose(names, n, &rd->t->pop.model, rd->y.err);
    free(names);
    if (st == GS_ERR_INPUT) st = gs_yaml_prefix(&rd->y, at);
    return st;
}

/* person.params: block.param: value */
static gs_status read_params(reader *rd, struct fy_node *node, gs_ypos at)
{
    if (!node || fy_node_is_null(node)) return GS_OK;
    if (fy_node_get_type(node) != FYNT_MAPPING)
        return gs_yaml_fail(&rd->y, gs_yaml_pos(node, at), "expected person.params as a "
                            "mapping of block.param: value, got %s", gs_yaml_type_word(node));
    void *it = NULL;
    struct fy_node_pair *pair;
    while ((pair = fy_node_mapping_iterate(node, &it)) != NULL) {
        const char *name;
        gs_status st = gs_yaml_text(&rd->y, fy_node_pair_key(pair), at, "a parameter name",
                                    &name);
        if (st != GS_OK) return st;
        gs_ypos kp = gs_yaml_pos(fy_node_pair_key(pair), at);
        double v = 0;
        if (gs_model_find_param(rd->t->pop.model, name) >= 0) {
            char what[160];
            snprintf(what, sizeof what, "a number for %s", name);
            if ((st = gs_yaml_number(&rd->y, fy_node_pair_value(pair), kp, what, &v)) != GS_OK)
                return st;
            kp = gs_yaml_pos(fy_node_pair_value(pair), kp);
        }
        if (gs_model_set_param(rd->t->pop.model, name, v, rd->y.err) != GS_OK)
            return gs_yaml_prefix(&rd->y, kp);
    }
    return GS_OK;
}

/* person.usual: intervention: usual value */
static gs_status read_usual(reader *rd, struct fy_node *node, gs_ypos at)
{
    if (!node || fy_node_is_null(node)) return GS_OK;
    if (fy_node_get_type(node) != FYNT_MAPPING)
        return gs_yaml_fail(&rd->y, gs_yaml_pos(node, at), "expected person.usual as a "
                            "mapping of intervention: usual value, got %s",
                            gs_yaml_type_word(node));
    void *it = NULL;
    struct fy_node_pair *pair;
    while ((pair = fy_node_mapping_iterate(node, &it)) != NULL) {
        const char *name;
        gs_status st = gs_yaml_text(&rd->y, fy_node_pair_key(pair), at, "an intervention name",
                                    &name);
        if (st != GS_OK) return st;
        gs_ypos kp = gs_yaml_pos(fy_node_pair_key(pair), at);
        double v = 0;
        if (gs_intervention_index(name) >= 0) {
            char what[160];
            snprintf(what, sizeof what, "a number for the usual %s", name);
            if ((st = gs_yaml_number(&rd->y, fy_node_pair_value(pair), kp, what, &v)) != GS_OK)
                return st;
            kp = gs_yaml_pos(fy_node_pair_value(pair), kp);
        }
        if (gs_schedule_set_baseline(&rd->t->pop.usual, name, v, rd->y.err) != GS_OK)
            return gs_yaml_prefix(&rd->y, kp);
    }
    return GS_OK;
}

static gs_status read_person(reader *rd, struct fy_node *node, gs_ypos at)
{
    gs_yfield f[] = {{"skin", NULL, at}, {"usual", NULL, at}, {"params", NULL, at},
                     {"initial", NULL, at}};
    gs_status st = gs_yaml_fields(&rd->y, node, at, "person", f, GS_COUNT(f));
    if (st != GS_OK) return st;
    if (f[3].value)
        return gs_yaml_fail(&rd->y, f[3].key_pos, "a trial's patients start from their own "
                            "steady state, so person.initial is not used here; shape the "
                            "population with person.params and the variability file");
    if ((st = compose(rd, f[0].value, f[0].key_pos)) != GS_OK) return st;
    if ((st = read_params(rd, f[2].value, f[2].key_pos)) != GS_OK) return st;
    return read_usual(rd, f[1].value, f[1].key_pos);
}

/* ---- scores -------------------------------------------------------------- */

/* A score "block.state" or "block.output" of the person's model. */
static gs_status read_score(reader *rd, struct fy_node *node, gs_ypos at, int *column)
{
    const char *name;
    gs_status st = gs_yaml_text(&rd->y, node, at, "a score block.name (a state or an output)",
                                &name);
    if (st != GS_OK) return st;
    gs_ypos p = gs_yaml_pos(node, at);
    *column = gs_population_column(&rd->t->pop, name);
    if (*column >= 0) return GS_OK;
    gs_model *m = rd->t->pop.model;
    size_t ns = gs_model_n_states(m), n = ns + gs_model_n_outputs(m);
    char (*names)[96] = calloc(n, sizeof *names);
    const char **ptrs = calloc(n, sizeof *ptrs);
    if (!names || !ptrs) {
        free(names);
        free(ptrs);
        return gs_fail(rd->y.err, GS_ERR_NOMEM, "out of memory");
    }
    for (size_t j = 0; j < n; j++)
        ptrs[j] = gs_population_column_name(&rd->t->pop, (int)j, names[j], sizeof names[j]);
    const char *near = gs_nearest_name(name, ptrs, n);
    char hint[160] = "";
    if (near) snprintf(hint, sizeof hint, " (did you mean '%s'?)", near);
    st = gs_yaml_fail(&rd->y, p, "unknown score '%s'%s; a score is a state or output of the "
                      "person's model, block.name (gutskin blocks lists them; is the skin "
                      "block in person.skin?)", name, hint);
    free(names);
    free(ptrs);
    return st;
}

/* ---- lists ----------------------------------------------------------------- */

typedef gs_status (*item_fn)(reader *rd, struct fy_node *item, gs_ypos at, size_t index);

/* A list of at least `min` items into a new zeroed array of elem_size
 * entries; *count grows before each item is read, so the caller frees
 * what a failed item left half-filled.  `expected` completes "expected
 * 'KEY' as ...". */
static gs_status read_list(reader *rd, struct fy_node *node, gs_ypos at, const char *key,
                           size_t min, const char *expected, size_t elem_size, void **array,
                           size_t *count, item_fn read_item)
{
    if (!node || fy_node_get_type(node) != FYNT_SEQUENCE ||
        (size_t)fy_node_sequence_item_count(node) < min)
        return gs_yaml_fail(&rd->y, gs_yaml_pos(node, at), "expected '%s' as %s%s%s", key,
                            expected, node ? ", got " : "",
                            !node ? ""
                            : fy_node_get_type(node) == FYNT_SEQUENCE ? "a shorter list"
                                                                       : gs_yaml_type_word(node));
    size_t n = (size_t)fy_node_sequence_item_count(node);
    if (!(*array = calloc(n ? n : 1, elem_size)))
        return gs_fail(rd->y.err, GS_ERR_NOMEM, "out of memory reading %s", rd->y.path);
    void *it = NULL;
    struct fy_node *item;
    while ((item = fy_node_sequence_iterate(node, &it)) != NULL) {
        (*count)++;
        gs_status st = read_item(rd, item, at, *count - 1);
        if (st != GS_OK) return st;
    }
    return GS_OK;
}

/* ---- population ---------------------------------------------------------- */

static gs_status read_criterion(reader *rd, struct fy_node *node, gs_ypos at, size_t index)
{
    char where[64];
    snprintf(where, sizeof where, "inclusion criterion %zu", index + 1);
    gs_yfield f[] = {{"score", NULL, at}, {"min", NULL, at}, {"max", NULL, at}};
    gs_status st = gs_yaml_fields(&rd->y, node, at, where, f, 3);
    if (st != GS_OK) return st;
    gs_ypos entry = gs_yaml_pos(node, at);
    if (!f[0].value) return gs_yaml_fail(&rd->y, entry, "%s is missing 'score'", where);
    if (!f[1].value && !f[2].value)
        return gs_yaml_fail(&rd->y, entry, "%s needs 'min', 'max' or both", where);
    gs_criterion *c = &rd->t->pop.include[index];
    c->lo = -INFINITY;
    c->hi = INFINITY;
    if ((st = read_score(rd, f[0].value, f[0].key_pos, &c->column)) != GS_OK) return st;
    if (f[1].value &&
        (st = gs_yaml_number(&rd->y, f[1].value, f[1].key_pos, "a number for 'min'", &c->lo)) !=
            GS_OK)
        return st;
    if (f[2].value &&
        (st = gs_yaml_number(&rd->y, f[2].value, f[2].key_pos, "a number for 'max'", &c->hi)) !=
            GS_OK)
        return st;
    if (c->lo > c->hi)
        return gs_yaml_fail(&rd->y, gs_yaml_pos(f[2].value, entry), "%s: 'max' %g is below "
                            "'min' %g, so nobody could be included", where, c->hi, c->lo);
    return GS_OK;
}

/* variability: a path or a list of paths, relative to the trial file. */
static gs_status read_variability(reader *rd, struct fy_node *node, gs_ypos at)
{
    int is_list = fy_node_get_type(node) == FYNT_SEQUENCE;
    void *it = NULL;
    struct fy_node *item;
    size_t k = 0;
    while ((item = is_list ? fy_node_sequence_iterate(node, &it) : (k ? NULL : node)) != NULL) {
        k++;
        const char *rel;
        gs_status st = gs_yaml_text(&rd->y, item, at, "the path of a variability file", &rel);
        if (st != GS_OK) return st;
        char path[4096];
        const char *slash = strrchr(rd->y.path, '/');
        int n = rel[0] == '/' || !slash
                    ? snprintf(path, sizeof path, "%s", rel)
                    : snprintf(path, sizeof path, "%.*s/%s", (int)(slash - rd->y.path),
                               rd->y.path, rel);
        if (n < 0 || (size_t)n >= sizeof path)
            return gs_yaml_fail(&rd->y, gs_yaml_pos(item, at), "the path is too long");
        st = gs_population_load_variability(&rd->t->pop, path, rd->y.err);
        if (st != GS_OK) {
            /* say which line of the trial named the file */
            char msg[GS_ERR_MSG_MAX];
            snprintf(msg, sizeof msg, "%s", rd->y.err->msg);
            gs_ypos p = gs_yaml_pos(item, at);
            gs_fail(rd->y.err, st, "%s (the variability file named at %s:%d:%d)", msg,
                    rd->y.path, p.line + 1, p.col + 1);
            return st;
        }
    }
    return GS_OK;
}

static gs_status read_population(reader *rd, struct fy_node *node, gs_ypos at)
{
    gs_yfield f[] = {{"person", NULL, at}, {"variability", NULL, at}, {"include", NULL, at}};
    gs_status st = gs_yaml_fields(&rd->y, node, at, "population", f, 3);
    if (st != GS_OK) return st;
    if (f[0].value) st = read_person(rd, f[0].value, f[0].key_pos);
    else st = compose(rd, NULL, at);
    if (st != GS_OK) return st;
    if (f[1].value && (st = read_variability(rd, f[1].value, f[1].key_pos)) != GS_OK)
        return st;
    struct fy_node *inc = f[2].value;
    if (!inc || fy_node_is_null(inc)) return GS_OK;
    return read_list(rd, inc, f[2].key_pos, "include", 0, "a list of {score, min, max}",
                     sizeof *rd->t->pop.include, (void **)&rd->t->pop.include,
                     &rd->t->pop.n_include, read_criterion);
}

/* ---- arms ---------------------------------------------------------------- */

static gs_status read_span(reader *rd, gs_schedule *sched, struct fy_node *node, gs_ypos at,
                           const char *arm, size_t index)
{
    char where[160];
    snprintf(where, sizeof where, "schedule entry %zu of arm '%s'", index + 1, arm);
    gs_yfield f[] = {{"intervention", NULL, at}, {"start", NULL, at}, {"stop", NULL, at},
                     {"days", NULL, at}, {"dose", NULL, at}};
    gs_status st = gs_yaml_fields(&rd->y, node, at, where, f, 5);
    if (st != GS_OK) return st;
    gs_ypos entry = gs_yaml_pos(node, at);
    if (!f[0].value || !f[1].value || !f[4].value)
        return gs_yaml_fail(&rd->y, entry, "%s needs 'intervention', 'start' and 'dose'", where);
    if (!f[2].value == !f[3].value)
        return gs_yaml_fail(&rd->y, entry, "%s needs exactly one of 'stop' (the day it ends) "
                            "and 'days' (how long it lasts)", where);
    const char *name;
    if ((st = gs_yaml_text(&rd->y, f[0].value, f[0].key_pos, "an intervention name", &name)) !=
        GS_OK)
        return st;
    gs_ypos name_pos = gs_yaml_pos(f[0].value, f[0].key_pos);
    double start, end, dose;
    if ((st = gs_yaml_number(&rd->y, f[1].value, f[1].key_pos, "a start day", &start)) != GS_OK ||
        (st = gs_yaml_number(&rd->y, f[2].value ? f[2].value : f[3].value,
                             f[2].value ? f[2].key_pos : f[3].key_pos,
                             f[2].value ? "a stop day" : "a number of days", &end)) != GS_OK ||
        (st = gs_yaml_number(&rd->y, f[4].value, f[4].key_pos, "a dose", &dose)) != GS_OK)
        return st;
    gs_ypos start_pos = gs_yaml_pos(f[1].value, entry), dose_pos = gs_yaml_pos(f[4].value, entry);
    gs_ypos end_pos = gs_yaml_pos(f[2].value ? f[2].value : f[3].value, entry);
    if (f[3].value) end += start;
    if (start > rd->t->days)
        return gs_yaml_fail(&rd->y, start_pos, "%s starts on day %g, after the trial's last "
                            "day %d", where, start, rd->t->days);
    /* blame the node the schedule layer's check is about */
    int k = gs_intervention_index(name);
    gs_ypos blame = name_pos;
    if (k >= 0) {
        size_t n_iv;
        const gs_intervention *iv = gs_intervention_registry(&n_iv);
        blame = (dose < iv[k].lo || dose > iv[k].hi) ? dose_pos
                : start < 0                           ? start_pos
                : !(end > start)                      ? end_pos
                                                      : entry;
    }
    if (gs_schedule_add(sched, name, start, end, dose, rd->y.err) != GS_OK)
        return gs_yaml_prefix(&rd->y, blame);
    return GS_OK;
}

static gs_status read_arm(reader *rd, struct fy_node *node, gs_ypos at, size_t index)
{
    char where[64];
    snprintf(where, sizeof where, "arm %zu", index + 1);
    gs_yfield f[] = {{"name", NULL, at}, {"about", NULL, at}, {"control", NULL, at},
                     {"schedule", NULL, at}};
    gs_status st = gs_yaml_fields(&rd->y, node, at, where, f, 4);
    if (st != GS_OK) return st;
    gs_ypos entry = gs_yaml_pos(node, at);
    gs_arm *arm = &rd->t->arms[index];
    if (!f[0].value) return gs_yaml_fail(&rd->y, entry, "%s is missing 'name'", where);
    if ((st = gs_yaml_strdup(&rd->y, f[0].value, f[0].key_pos, "an arm name", &arm->name)) !=
        GS_OK)
        return st;
    for (size_t a = 0; a < index; a++)
        if (strcmp(rd->t->arms[a].name, arm->name) == 0)
            return gs_yaml_fail(&rd->y, gs_yaml_pos(f[0].value, entry), "two arms are called "
                                "'%s'; arm names must differ", arm->name);
    if (f[2].value) {
        const char *text;
        if ((st = gs_yaml_text(&rd->y, f[2].value, f[2].key_pos, "true or false for 'control'",
                               &text)) != GS_OK)
            return st;
        if (strcmp(text, "true") != 0 && strcmp(text, "false") != 0)
            return gs_yaml_fail(&rd->y, gs_yaml_pos(f[2].value, entry), "expected true or false "
                                "for 'control', got '%s'", text);
        arm->control = text[0] == 't';
    }
    if ((st = gs_schedule_copy(&arm->schedule, &rd->t->pop.usual, rd->y.err)) != GS_OK)
        return st;
    struct fy_node *sched = f[3].value;
    if (!sched || fy_node_is_null(sched)) return GS_OK;
    if (fy_node_get_type(sched) != FYNT_SEQUENCE)
        return gs_yaml_fail(&rd->y, gs_yaml_pos(sched, f[3].key_pos), "expected the schedule "
                            "of arm '%s' as a list of {intervention, start, stop, dose}, got %s",
                            arm->name, gs_yaml_type_word(sched));
    void *it = NULL;
    struct fy_node *item;
    size_t i = 0;
    while ((item = fy_node_sequence_iterate(sched, &it)) != NULL)
        if ((st = read_span(rd, &arm->schedule, item, f[3].key_pos, arm->name, i++)) != GS_OK)
            return st;
    return GS_OK;
}

static gs_status read_arms(reader *rd, struct fy_node *node, gs_ypos at)
{
    gs_trial *t = rd->t;
    gs_status st = read_list(rd, node, at, "arms", 2, "a list of at least two arms (one with "
                             "control: true)", sizeof *t->arms, (void **)&t->arms, &t->n_arms,
                             read_arm);
    if (st != GS_OK) return st;
    size_t controls = 0;
    for (size_t a = 0; a < t->n_arms; a++)
        if (t->arms[a].control) {
            if (controls++) {
                return gs_yaml_fail(&rd->y, at, "arms '%s' and '%s' both say control: true; "
                                    "exactly one arm is the control", t->arms[t->control].name,
                                    t->arms[a].name);
            }
            t->control = a;
        }
    if (!controls)
        return gs_yaml_fail(&rd->y, at, "no arm has control: true; mark the arm the others "
                            "are compared with (usually the untreated or placebo arm)");
    return GS_OK;
}

/* ---- measurement --------------------------------------------------------- */

/* One {score, sd, cv, placebo_percent, placebo_sd, placebo_days, source}. */
static gs_status read_measurement(reader *rd, struct fy_node *node, gs_ypos at, size_t index)
{
    char where[64];
    snprintf(where, sizeof where, "measurement %zu", index + 1);
    gs_yfield f[] = {{"score", NULL, at},      {"sd", NULL, at},
                     {"cv", NULL, at},         {"placebo_percent", NULL, at},
                     {"placebo_sd", NULL, at}, {"placebo_days", NULL, at},
                     {"source", NULL, at},     {"about", NULL, at}};
    gs_status st = gs_yaml_fields(&rd->y, node, at, where, f, GS_COUNT(f));
    if (st != GS_OK) return st;
    gs_ypos entry = gs_yaml_pos(node, at);
    gs_measurement *ms = &rd->t->pop.measure[index];
    ms->placebo_days = 14.0;
    if (!f[0].value) return gs_yaml_fail(&rd->y, entry, "%s is missing 'score'", where);
    if (!f[6].value)
        return gs_yaml_fail(&rd->y, entry, "%s is missing 'source' (a citation, or "
                            "\"assumption: ...\")", where);
    if ((st = read_score(rd, f[0].value, f[0].key_pos, &ms->column)) != GS_OK) return st;
    for (size_t i = 0; i < index; i++)
        if (rd->t->pop.measure[i].column == ms->column)
            return gs_yaml_fail(&rd->y, gs_yaml_pos(f[0].value, entry), "%s: this score "
                                "already has a measurement entry", where);
    static const struct {
        size_t field;
        double lo, hi;
        const char *unit;
    } ranges[] = {{1, 0, 1e6, "score units"},
                  {2, 0, 5, "a fraction of the value"},
                  {3, -100, 1000, "percent"},
                  {4, 0, 1000, "percentage points"},
                  {5, 0.1, GS_TRIAL_DAYS_MAX, "days"}};
    double *out[] = {&ms->sd, &ms->cv, &ms->placebo_percent, &ms->placebo_sd, &ms->placebo_days};
    for (size_t r = 0; r < GS_COUNT(ranges); r++) {
        const gs_yfield *g = &f[ranges[r].field];
        if (g->value && (st = gs_yaml_ranged(&rd->y, g->value, g->key_pos, g->key, ranges[r].lo,
                                             ranges[r].hi, 0, ranges[r].unit, out[r])) != GS_OK)
            return st;
    }
    return gs_yaml_strdup(&rd->y, f[6].value, f[6].key_pos, "a source", &ms->source);
}

static gs_status read_measurements(reader *rd, struct fy_node *node, gs_ypos at)
{
    if (!node || fy_node_is_null(node)) return GS_OK;
    return read_list(rd, node, at, "measurement", 0, "a list of {score, sd, cv, "
                     "placebo_percent, placebo_sd, placebo_days, source}",
                     sizeof *rd->t->pop.measure, (void **)&rd->t->pop.measure,
                     &rd->t->pop.n_measure, read_measurement);
}

/* ---- endpoints ----------------------------------------------------------- */

static gs_status read_endpoint(reader *rd, struct fy_node *node, gs_ypos at, size_t index)
{
    char where[64];
    snprintf(where, sizeof where, "endpoint %zu", index + 1);
    gs_yfield f[] = {{"name", NULL, at}, {"score", NULL, at}, {"kind", NULL, at},
                     {"day", NULL, at}, {"threshold_percent", NULL, at}, {"about", NULL, at}};
    gs_status st = gs_yaml_fields(&rd->y, node, at, where, f, 6);
    if (st != GS_OK) return st;
    gs_ypos entry = gs_yaml_pos(node, at);
    gs_endpoint *ep = &rd->t->endpoints[index];
    for (int i = 0; i < 3; i++)
        if (!f[i].value)
            return gs_yaml_fail(&rd->y, entry, "%s is missing '%s'", where, f[i].key);
    if ((st = gs_yaml_strdup(&rd->y, f[0].value, f[0].key_pos, "an endpoint name",
                             &ep->name)) != GS_OK)
        return st;
    for (size_t e = 0; e < index; e++)
        if (strcmp(rd->t->endpoints[e].name, ep->name) == 0)
            return gs_yaml_fail(&rd->y, gs_yaml_pos(f[0].value, entry), "two endpoints are "
                                "called '%s'; endpoint names must differ", ep->name);
    if ((st = read_score(rd, f[1].value, f[1].key_pos, &ep->column)) != GS_OK) return st;
    const char *kind;
    if ((st = gs_yaml_text(&rd->y, f[2].value, f[2].key_pos, "an endpoint kind", &kind)) != GS_OK)
        return st;
    static const gs_endpoint_kind kinds[] = {GS_EP_VALUE, GS_EP_CHANGE, GS_EP_PERCENT_CHANGE,
                                             GS_EP_RESPONDER, GS_EP_TIME_TO_RESPONSE};
    const char *kind_names[GS_COUNT(kinds)];
    size_t k = 0;
    for (size_t i = 0; i < GS_COUNT(kinds); i++) kind_names[i] = gs_endpoint_kind_name(kinds[i]);
    while (k < GS_COUNT(kinds) && strcmp(kind_names[k], kind) != 0) k++;
    if (k == GS_COUNT(kinds))
        return gs_yaml_fail(&rd->y, gs_yaml_pos(f[2].value, entry), "unknown endpoint kind "
                            "'%s'; expected value, change, percent_change, responder or "
                            "time_to_response", kind);
    ep->kind = kinds[k];
    int needs_day = ep->kind != GS_EP_TIME_TO_RESPONSE;
    int needs_threshold = ep->kind == GS_EP_RESPONDER || ep->kind == GS_EP_TIME_TO_RESPONSE;
    if (needs_day && !f[3].value)
        return gs_yaml_fail(&rd->y, entry, "%s (%s) needs 'day', the day it is assessed", where,
                            kind);
    if (!needs_day && f[3].value)
        return gs_yaml_fail(&rd->y, f[3].key_pos, "%s (time_to_response) follows every day to "
                            "the end of the trial; remove 'day'", where);
    if (needs_threshold != !!f[4].value)
        return gs_yaml_fail(&rd->y, needs_threshold ? entry : f[4].key_pos, needs_threshold
                            ? "%s (%s) needs 'threshold_percent', e.g. -75 for a fall by 75%%"
                            : "%s (%s) takes no 'threshold_percent'", where, kind);
    double v;
    if (needs_day) {
        if ((st = gs_yaml_ranged(&rd->y, f[3].value, f[3].key_pos, "day", 0, rd->t->days, 1,
                                 "days, within the trial", &v)) != GS_OK)
            return st;
        ep->day = (int)v;
    } else {
        ep->day = rd->t->days;
    }
    if (needs_threshold) {
        if ((st = gs_yaml_ranged(&rd->y, f[4].value, f[4].key_pos, "threshold_percent",
                                 THRESHOLD_MIN, THRESHOLD_MAX, 0, "percent change from baseline",
                                 &v)) != GS_OK)
            return st;
        if (v == 0)
            return gs_yaml_fail(&rd->y, gs_yaml_pos(f[4].value, entry), "'threshold_percent' is "
                                "0; expected a fall (below 0, e.g. -75) or a rise (above 0)");
        ep->threshold_percent = v;
    }
    return GS_OK;
}

static gs_status read_endpoints(reader *rd, struct fy_node *node, gs_ypos at)
{
    gs_trial *t = rd->t;
    return read_list(rd, node, at, "endpoints", 1, "a list of at least one {name, score, "
                     "kind, ...}", sizeof *t->endpoints, (void **)&t->endpoints,
                     &t->n_endpoints, read_endpoint);
}

static gs_status read_timeline(reader *rd, struct fy_node *node, gs_ypos at)
{
    gs_trial *t = rd->t;
    t->timeline_column = t->endpoints[0].column;
    t->timeline_higher_better = t->endpoints[0].threshold_percent > 0;
    if (!node) return GS_OK;
    gs_yfield f[] = {{"score", NULL, at}, {"better", NULL, at}};
    gs_status st = gs_yaml_fields(&rd->y, node, at, "timeline", f, 2);
    if (st != GS_OK) return st;
    if (f[0].value && (st = read_score(rd, f[0].value, f[0].key_pos, &t->timeline_column)) !=
                          GS_OK)
        return st;
    if (f[1].value) {
        const char *text;
        if ((st = gs_yaml_text(&rd->y, f[1].value, f[1].key_pos, "lower or higher", &text)) !=
            GS_OK)
            return st;
        if (strcmp(text, "lower") != 0 && strcmp(text, "higher") != 0)
            return gs_yaml_fail(&rd->y, gs_yaml_pos(f[1].value, at), "expected lower or higher "
                                "for 'better' (which direction of the score is improvement), "
                                "got '%s'", text);
        t->timeline_higher_better = text[0] == 'h';
    }
    return GS_OK;
}

static gs_status read_solver(reader *rd, struct fy_node *node, gs_ypos at)
{
    gs_solve_opts *o = &rd->t->pop.solver;
    gs_yfield f[] = {{"rtol", NULL, at}, {"atol", NULL, at}, {"max_steps", NULL, at},
                     {"jacobian", NULL, at}};
    gs_status st = gs_yaml_fields(&rd->y, node, at, "solver", f, 4);
    double v;
    if (st == GS_OK && f[0].value &&
        (st = gs_yaml_ranged(&rd->y, f[0].value, f[0].key_pos, "rtol", 1e-12, 1e-2, 0,
                             "relative", &v)) == GS_OK)
        o->rtol = v;
    if (st == GS_OK && f[1].value &&
        (st = gs_yaml_ranged(&rd->y, f[1].value, f[1].key_pos, "atol", 1e-15, 1e-3, 0,
                             "in each state's unit", &v)) == GS_OK)
        o->atol = v;
    if (st == GS_OK && f[2].value &&
        (st = gs_yaml_ranged(&rd->y, f[2].value, f[2].key_pos, "max_steps", 1, 1e7, 1,
                             "steps between two samples", &v)) == GS_OK)
        o->max_steps = (long)v;
    const char *how;
    if (st == GS_OK && f[3].value &&
        (st = gs_yaml_text(&rd->y, f[3].value, f[3].key_pos, "'auto' or 'finite_difference' "
                           "for 'jacobian'", &how)) == GS_OK) {
        if (strcmp(how, "auto") == 0) o->jacobian = GS_JACOBIAN_AUTO;
        else if (strcmp(how, "finite_difference") == 0) o->jacobian = GS_JACOBIAN_FINITE_DIFFERENCE;
        else
            st = gs_yaml_fail(&rd->y, gs_yaml_pos(f[3].value, at), "expected 'auto' or "
                              "'finite_difference' for 'jacobian', got '%s'", how);
    }
    return st;
}

/* ---- visits -------------------------------------------------------------- */

/* visits: a list of days, strictly increasing, each 1..days, or
 * {every: N} with N in 1..days (visits N, 2N, ... up to days). */
static gs_status read_visits(reader *rd, struct fy_node *node, gs_ypos at)
{
    gs_trial *t = rd->t;
    gs_ypos p = gs_yaml_pos(node, at);
    gs_status st;
    double v;
    if (node && fy_node_get_type(node) == FYNT_MAPPING) {
        gs_yfield f[] = {{"every", NULL, at}};
        if ((st = gs_yaml_fields(&rd->y, node, at, "visits", f, 1)) != GS_OK) return st;
        if (!f[0].value)
            return gs_yaml_fail(&rd->y, p, "'visits' as a mapping needs 'every', the days "
                                "between two visits");
        if ((st = gs_yaml_ranged(&rd->y, f[0].value, f[0].key_pos, "every", 1, t->days, 1,
                                 "days between visits, within the trial", &v)) != GS_OK)
            return st;
        t->visits_every = (int)v;
        t->n_visits = (size_t)(t->days / t->visits_every);
        if (!(t->visits = calloc(t->n_visits, sizeof *t->visits)))
            return gs_fail(rd->y.err, GS_ERR_NOMEM, "out of memory reading %s", rd->y.path);
        for (size_t i = 0; i < t->n_visits; i++) t->visits[i] = (int)(i + 1) * t->visits_every;
        return GS_OK;
    }
    if (!node || fy_node_get_type(node) != FYNT_SEQUENCE || !fy_node_sequence_item_count(node))
        return gs_yaml_fail(&rd->y, p, "expected 'visits' as a list of days (e.g. [28, 56, 84]) "
                            "or {every: N}, got %s", !node ? "nothing"
                            : fy_node_get_type(node) == FYNT_SEQUENCE ? "an empty list"
                                                                       : gs_yaml_type_word(node));
    size_t n = (size_t)fy_node_sequence_item_count(node);
    if (!(t->visits = calloc(n, sizeof *t->visits)))
        return gs_fail(rd->y.err, GS_ERR_NOMEM, "out of memory reading %s", rd->y.path);
    void *it = NULL;
    struct fy_node *item;
    while ((item = fy_node_sequence_iterate(node, &it)) != NULL) {
        gs_ypos ip = gs_yaml_pos(item, p);
        if ((st = gs_yaml_ranged(&rd->y, item, p, "visit", 1, t->days, 1,
                                 "a day after the baseline, within the trial", &v)) != GS_OK)
            return st;
        if (t->n_visits && (int)v <= t->visits[t->n_visits - 1])
            return gs_yaml_fail(&rd->y, ip, "visit day %d comes after day %d; list the visits "
                                "in increasing order, each once", (int)v,
                                t->visits[t->n_visits - 1]);
        t->visits[t->n_visits++] = (int)v;
    }
    return GS_OK;
}

/* ---- the document -------------------------------------------------------- */

static gs_status missing(reader *rd, const gs_yfield *f)
{
    static const struct {
        const char *key, *what;
    } hint[] = {{"name", "a title for the output"},
                {"population", "person, variability and include"},
                {"arms", "a list of arms, one with control: true"},
                {"endpoints", "a list of {name, score, kind, ...}"}};
    const char *what = "";
    for (size_t i = 0; i < GS_COUNT(hint); i++)
        if (strcmp(hint[i].key, f->key) == 0) what = hint[i].what;
    return gs_yaml_fail(&rd->y, f->key_pos, "the trial is missing the required key '%s' (%s)",
                        f->key, what);
}

static gs_status read_trial(reader *rd, struct fy_node *root)
{
    gs_trial *t = rd->t;
    gs_ypos top = {0, 0};
    if (!root || fy_node_is_null(root))
        return gs_yaml_fail(&rd->y, top, "the file is empty; expected a trial with name, "
                            "population, arms and endpoints (see docs/trials.md)");
    gs_yfield f[] = {{"name", NULL, top},      {"about", NULL, top},    {"population", NULL, top},
                     {"patients", NULL, top},  {"seed", NULL, top},     {"days", NULL, top},
                     {"arms", NULL, top},      {"endpoints", NULL, top}, {"timeline", NULL, top},
                     {"solver", NULL, top},    {"measurement", NULL, top},
                     {"visits", NULL, top},
                     {rd->extra_key ? rd->extra_key : "measurement", NULL, top}};
    size_t nf = GS_COUNT(f) - (rd->extra_key ? 0 : 1);
    gs_status st = gs_yaml_fields(&rd->y, root, top, "the trial", f, nf);
    if (st != GS_OK) return st;
    /* required keys are checked in the order they are read, so the first
     * problem in the file is the one reported */
    const char *required[] = {"name", "population", "arms", "endpoints"};
    for (size_t i = 0; i < GS_COUNT(required); i++) {
        gs_yfield *r = gs_yaml_field(f, nf, required[i]);
        if (!r->value) r->key_pos = gs_yaml_pos(root, top);
    }
    gs_yfield *name = gs_yaml_field(f, nf, "name");
    if (!name->value) return missing(rd, name);
    if ((st = gs_yaml_strdup(&rd->y, name->value, name->key_pos, "a title for 'name'",
                             &t->name)) != GS_OK)
        return st;
    double v;
    gs_yfield *g = gs_yaml_field(f, nf, "patients");
    if (g->value) {
        if ((st = gs_yaml_ranged(&rd->y, g->value, g->key_pos, "patients", 1,
                                 (double)GS_TRIAL_PATIENTS_MAX, 1, "virtual patients screened",
                                 &v)) != GS_OK)
            return st;
        t->patients = (long)v;
    }
    if ((g = gs_yaml_field(f, nf, "seed"))->value) {
        if ((st = gs_yaml_ranged(&rd->y, g->value, g->key_pos, "seed", 0, 4294967295.0, 1,
                                 "the random seed", &v)) != GS_OK)
            return st;
        t->seed = (unsigned long)v;
    }
    if ((g = gs_yaml_field(f, nf, "days"))->value) {
        if ((st = gs_yaml_ranged(&rd->y, g->value, g->key_pos, "days", 1, GS_TRIAL_DAYS_MAX, 1,
                                 "days of treatment and follow-up", &v)) != GS_OK)
            return st;
        t->days = (int)v;
    }
    if ((g = gs_yaml_field(f, nf, "visits"))->value &&
        (st = read_visits(rd, g->value, g->key_pos)) != GS_OK)
        return st;
    if ((g = gs_yaml_field(f, nf, "solver"))->value &&
        (st = read_solver(rd, g->value, g->key_pos)) != GS_OK)
        return st;
    g = gs_yaml_field(f, nf, "population");
    if (!g->value) return missing(rd, g);
    if ((st = read_population(rd, g->value, g->key_pos)) != GS_OK) return st;
    g = gs_yaml_field(f, nf, "arms");
    if (!g->value) return missing(rd, g);
    if ((st = read_arms(rd, g->value, g->key_pos)) != GS_OK) return st;
    g = gs_yaml_field(f, nf, "endpoints");
    if (!g->value) return missing(rd, g);
    if ((st = read_endpoints(rd, g->value, g->key_pos)) != GS_OK) return st;
    g = gs_yaml_field(f, nf, "measurement");
    if ((st = read_measurements(rd, g->value, g->key_pos)) != GS_OK) return st;
    g = gs_yaml_field(f, nf, "timeline");
    return read_timeline(rd, g->value, g->key_pos);
}

gs_status gs_trial_load(const char *path, gs_trial *t, gs_err *err)
{
    return gs_trial_load_with(path, NULL, t, err);
}

gs_status gs_trial_load_with(const char *path, const char *extra_key, gs_trial *t, gs_err *err)
{
    assert(path && t);
    memset(t, 0, sizeof *t);
    t->patients = DEFAULT_PATIENTS;
    t->days = DEFAULT_DAYS;
    t->seed = DEFAULT_SEED;
    t->pop.burn_in = (gs_burn_in){BURN_IN_WINDOW, BURN_IN_TOL, BURN_IN_MAX_DAYS};
    gs_solve_opts_default(&t->pop.solver);
    gs_status st = gs_schedule_init(&t->pop.usual, err);
    if (st != GS_OK) return st;
    if (!(t->path = strdup(path))) return gs_fail(err, GS_ERR_NOMEM, "out of memory");
    reader rd;
    rd.t = t;
    rd.extra_key = extra_key;
    struct fy_node *root = NULL;
    st = gs_yaml_open(&rd.y, path, "trial file", &root, err);
    if (st == GS_OK) st = read_trial(&rd, root);
    gs_yaml_close(&rd.y);
    return st;
}

void gs_trial_free(gs_trial *t)
{
    if (!t) return;
    free(t->path);
    free(t->name);
    gs_population_free(&t->pop);
    for (size_t a = 0; a < t->n_arms; a++) {
        free(t->arms[a].name);
        gs_schedule_free(&t->arms[a].schedule);
    }
    free(t->arms);
    for (size_t e = 0; e < t->n_endpoints; e++) free(t->endpoints[e].name);
    free(t->endpoints);
    free(t->visits);
    memset(t, 0, sizeof *t);
}
