/*
 * instrument.c - read and check a self-check instrument (YAML).  The format
 * is described key by key in docs/self-check.md; this is its only reader.
 *
 * Checking is strict because a questionnaire that silently skips a
 * question, or a red flag that can never fire, is worse than none: every
 * key is declared, every id is unique, every condition names an earlier
 * item and a value that item can take, every red-flag rule can be met,
 * red flags come before everything else (they are asked first), and every
 * group of signs can be found present.  Errors are "PATH:LINE:COLUMN: ..."
 * (trial/yaml_read.h).  No paper: this is file handling.
 */
#include "gutskin/assess.h"

#include <assert.h>
#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gutskin/event.h"
#include "gutskin/paths.h"
#include "util/yaml_read.h"

#define ID_MAX 64
#define VERSION_MAX 1000000

static const char *const section_names[GS_ASSESS_SECTION_COUNT] = {
    [GS_ASSESS_RED_FLAGS] = "red_flags", [GS_ASSESS_SKIN] = "skin",
    [GS_ASSESS_GUT] = "gut", [GS_ASSESS_BODY] = "body"};
static const char *const type_names[] = {[GS_ASSESS_YES_NO] = "yes_no",
                                         [GS_ASSESS_CHOICE] = "choice",
                                         [GS_ASSESS_SCALE] = "scale",
                                         [GS_ASSESS_NUMBER] = "number"};
static const char *const role_names[] = {[GS_ASSESS_DETAIL] = "detail",
                                         [GS_ASSESS_PRESENCE] = "presence",
                                         [GS_ASSESS_SEVERITY] = "severity",
                                         [GS_ASSESS_DURATION] = "duration"};
#define N_TYPES (sizeof type_names / sizeof type_names[0])
#define N_ROLES (sizeof role_names / sizeof role_names[0])

const char *gs_assess_section_name(gs_assess_section section)
{
    return section < GS_ASSESS_SECTION_COUNT ? section_names[section] : NULL;
}

const char *gs_assess_type_name(gs_assess_type type)
{
    return (size_t)type < N_TYPES ? type_names[type] : NULL;
}

typedef struct reader {
    gs_yaml y;
    gs_assess_instrument *inst;
    char **item_ids;   /* every item's id, read before the items themselves */
    size_t n_ids;
    gs_ypos *group_pos; /* where each group starts, for messages about a group */
} reader;

/* ---- small readers ---------------------------------------------------------- */

/* An id: letters, digits, '_' (and '-' when dash), starting with a letter
 * or digit, at most ID_MAX bytes. */
static gs_status read_id(reader *rd, struct fy_node *node, gs_ypos at, const char *what,
                         int dash, char **out)
{
    char *text;
    gs_status st = gs_yaml_strdup(&rd->y, node, at, what, &text);
    if (st != GS_OK) return st;
    int ok = strlen(text) <= ID_MAX && isalnum((unsigned char)text[0]);
    for (const char *p = text; ok && *p; p++)
        ok = (isalnum((unsigned char)*p) && !isupper((unsigned char)*p)) || *p == '_' ||
             (dash && *p == '-');
    if (!ok) {
        gs_status bad = gs_yaml_fail(&rd->y, gs_yaml_pos(node, at),
                                     "%s '%s' must be lower-case letters, digits and '_'%s, "
                                     "at most %d characters", what, text,
                                     dash ? " or '-'" : "", ID_MAX);
        free(text);
        return bad;
    }
    *out = text;
    return GS_OK;
}

/* A word from a fixed list; the message names the list. */
static gs_status read_word(reader *rd, struct fy_node *node, gs_ypos at, const char *key,
                           const char *const *words, size_t n, int *out)
{
    const char *text;
    gs_status st = gs_yaml_text(&rd->y, node, at, "a word", &text);
    if (st != GS_OK) return st;
    for (size_t i = 0; i < n; i++)
        if (words[i] && strcmp(text, words[i]) == 0) {
            *out = (int)i;
            return GS_OK;
        }
    char list[256] = "";
    for (size_t i = 0; i < n; i++) {
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", words[i]);
    }
    const char *near = gs_nearest_name(text, words, n);
    return gs_yaml_fail(&rd->y, gs_yaml_pos(node, at), "%s '%s' is not one of %s%s%s%s", key,
                        text, list, near ? " (did you mean '" : "", near ? near : "",
                        near ? "'?)" : "");
}

static gs_status read_bool(reader *rd, struct fy_node *node, gs_ypos at, const char *key,
                           int *out)
{
    const char *text;
    gs_status st = gs_yaml_text(&rd->y, node, at, "true or false", &text);
    if (st != GS_OK) return st;
    if (strcmp(text, "true") == 0 || strcmp(text, "yes") == 0) *out = 1;
    else if (strcmp(text, "false") == 0 || strcmp(text, "no") == 0) *out = 0;
    else
        return gs_yaml_fail(&rd->y, gs_yaml_pos(node, at), "'%s' must be true or false, got '%s'",
                            key, text);
    return GS_OK;
}

/* A non-empty list node (a single value is not a list here). */
static gs_status want_list(reader *rd, struct fy_node *node, gs_ypos at, const char *what)
{
    if (!node || fy_node_get_type(node) != FYNT_SEQUENCE || fy_node_sequence_item_count(node) < 1)
        return gs_yaml_fail(&rd->y, gs_yaml_pos(node, at), "expected %s as a list with at "
                            "least one entry, got %s", what,
                            !node || gs_yaml_is_null(node) ? "nothing"
                            : fy_node_get_type(node) == FYNT_SEQUENCE ? "an empty list"
                                                                       : gs_yaml_type_word(node));
    return GS_OK;
}

static gs_status required(reader *rd, gs_yfield *f, gs_ypos at, const char *where)
{
    if (f->value && !gs_yaml_is_null(f->value)) return GS_OK;
    return gs_yaml_fail(&rd->y, f->value ? gs_yaml_pos(f->value, at) : at,
                        "%s needs '%s'", where, f->key);
}

/* ---- groups ------------------------------------------------------------------ */

/* "kind name" of a journal entry the journal accepts (event.h). */
static gs_status read_track(reader *rd, struct fy_node *node, gs_ypos at, char **out)
{
    char *text;
    gs_status st = gs_yaml_strdup(&rd->y, node, at, "a journal entry such as 'skin itch'", &text);
    if (st != GS_OK) return st;
    gs_ypos p = gs_yaml_pos(node, at);
    char kind_word[32];
    const char *space = strchr(text, ' ');
    size_t klen = space ? (size_t)(space - text) : strlen(text);
    snprintf(kind_word, sizeof kind_word, "%.*s", (int)(klen < 31 ? klen : 31), text);
    gs_event_kind kind;
    gs_err sub;
    gs_err_clear(&sub);
    st = gs_event_kind_parse(kind_word, &kind, &sub);
    if (st == GS_OK && gs_event_kind_names(kind)) {
        double lo, hi;
        int whole, req;
        st = space ? gs_event_value_range(kind, space + 1, &lo, &hi, &whole, &req, &sub)
                   : gs_fail(&sub, GS_ERR_INPUT, "'%s' needs a name after the kind, as in "
                             "'%s %s'", text, kind_word, gs_event_kind_names(kind)[0]);
    } else if (st == GS_OK && space) {
        st = gs_fail(&sub, GS_ERR_INPUT, "'%s': a %s entry is logged without a fixed name; "
                     "write '%s' alone", text, kind_word, kind_word);
    }
    if (st != GS_OK) {
        free(text);
        return gs_yaml_fail(&rd->y, p, "track entry: %s", sub.msg);
    }
    *out = text;
    return GS_OK;
}

static gs_status read_group(reader *rd, struct fy_node *node, gs_ypos at, gs_assess_group *g)
{
    gs_yfield f[] = {{"id", NULL, at},   {"title", NULL, at}, {"section", NULL, at},
                     {"note", NULL, at}, {"track", NULL, at}};
    const size_t n = sizeof f / sizeof f[0];
    gs_status st = gs_yaml_fields(&rd->y, node, at, "a group", f, n);
    if (st != GS_OK) return st;
    if (!node || fy_node_get_type(node) != FYNT_MAPPING)
        return gs_yaml_fail(&rd->y, gs_yaml_pos(node, at), "expected a group as a mapping with "
                            "id, title and section");
    for (size_t i = 0; i < 3; i++)
        if ((st = required(rd, &f[i], at, "a group")) != GS_OK) return st;
    if ((st = read_id(rd, f[0].value, at, "group id", 0, &g->id)) != GS_OK) return st;
    if ((st = gs_yaml_strdup(&rd->y, f[1].value, at, "a title", &g->title)) != GS_OK) return st;
    int section;
    if ((st = read_word(rd, f[2].value, at, "section", section_names, GS_ASSESS_SECTION_COUNT,
                        &section)) != GS_OK)
        return st;
    g->section = (gs_assess_section)section;
    if (f[3].value && (st = gs_yaml_strdup(&rd->y, f[3].value, at, "a note", &g->note)) != GS_OK)
        return st;
    struct fy_node *track = f[4].value;
    if (g->section == GS_ASSESS_RED_FLAGS) {
        if (track)
            return gs_yaml_fail(&rd->y, f[4].key_pos, "group '%s' holds red flags, which end "
                                "the self-check; it has nothing to track", g->id);
        return GS_OK;
    }
    if (!track)
        return gs_yaml_fail(&rd->y, gs_yaml_pos(node, at), "group '%s' needs 'track': the "
                            "journal entries to log to test a gut link, e.g. [skin itch]",
                            g->id);
    if ((st = want_list(rd, track, f[4].key_pos, "track")) != GS_OK) return st;
    void *it = NULL;
    struct fy_node *e;
    while ((e = fy_node_sequence_iterate(track, &it)) != NULL) {
        if (g->n_track == GS_ASSESS_TRACK_MAX)
            return gs_yaml_fail(&rd->y, gs_yaml_pos(e, at), "group '%s' tracks more than %d "
                                "entries", g->id, GS_ASSESS_TRACK_MAX);
        if ((st = read_track(rd, e, at, &g->track[g->n_track])) != GS_OK) return st;
        g->n_track++;
    }
    return GS_OK;
}

static gs_status read_groups(reader *rd, struct fy_node *node, gs_ypos at)
{
    gs_status st = want_list(rd, node, at, "'groups'");
    if (st != GS_OK) return st;
    gs_assess_instrument *inst = rd->inst;
    size_t n = (size_t)fy_node_sequence_item_count(node);
    inst->groups = calloc(n, sizeof *inst->groups);
    rd->group_pos = calloc(n, sizeof *rd->group_pos);
    if (!inst->groups || !rd->group_pos) return gs_fail(rd->y.err, GS_ERR_NOMEM, "out of memory");
    void *it = NULL;
    struct fy_node *g;
    while ((g = fy_node_sequence_iterate(node, &it)) != NULL) {
        rd->group_pos[inst->n_groups] = gs_yaml_pos(g, at);
        gs_assess_group *grp = &inst->groups[inst->n_groups++];
        if ((st = read_group(rd, g, at, grp)) != GS_OK) return st;
        for (size_t k = 0; k + 1 < inst->n_groups; k++)
            if (strcmp(inst->groups[k].id, grp->id) == 0)
                return gs_yaml_fail(&rd->y, gs_yaml_pos(g, at), "group id '%s' appears twice",
                                    grp->id);
    }
    return GS_OK;
}

/* ---- rules: conditions and red-flag rules ------------------------------------- */

/* The value text of one answer inside a rule, checked against item k. */
static gs_status rule_value(reader *rd, size_t k, struct fy_node *node, gs_ypos at,
                            double *out)
{
    const char *text;
    gs_status st = gs_yaml_text(&rd->y, node, at, "an answer", &text);
    if (st != GS_OK) return st;
    if ((st = gs_assess_parse_answer(rd->inst, k, text, out, rd->y.err)) != GS_OK)
        return gs_yaml_prefix(&rd->y, gs_yaml_pos(node, at));
    return GS_OK;
}

/* One rule mapping: {item: ID, is|in|at_least|at_most: ...}; `self` is
 * the item the rule tests when it has no 'item' key (red-flag rules), or
 * -1 when 'item' is required (conditions on the item `owner`). */
static gs_status read_rule(reader *rd, struct fy_node *node, gs_ypos at, long self,
                           size_t owner, gs_assess_rule *r)
{
    gs_yfield f[] = {{"item", NULL, at},     {"is", NULL, at},     {"in", NULL, at},
                     {"at_least", NULL, at}, {"at_most", NULL, at}};
    const size_t n = sizeof f / sizeof f[0];
    const char *where = self >= 0 ? "a red-flag rule" : "a condition";
    gs_status st = gs_yaml_fields(&rd->y, node, at, where, f, n);
    if (st != GS_OK) return st;
    if (!node || fy_node_get_type(node) != FYNT_MAPPING)
        return gs_yaml_fail(&rd->y, gs_yaml_pos(node, at), "expected %s as a mapping such as "
                            "{%sis: yes}", where, self >= 0 ? "" : "item: ID, ");
    gs_ypos p = gs_yaml_pos(node, at);
    const gs_assess_instrument *inst = rd->inst;
    if (self >= 0) {
        if (f[0].value)
            return gs_yaml_fail(&rd->y, f[0].key_pos, "a red-flag rule tests its own item's "
                                "answer; remove 'item'");
        r->item = (size_t)self;
    } else {
        if (!f[0].value)
            return gs_yaml_fail(&rd->y, p, "a condition needs 'item': the id of an earlier "
                                "item whose answer it tests");
        const char *id;
        if ((st = gs_yaml_text(&rd->y, f[0].value, at, "an item id", &id)) != GS_OK) return st;
        long k = gs_assess_item_find(inst, id);
        gs_ypos ip = gs_yaml_pos(f[0].value, at);
        if (strcmp(id, inst->items[owner].id) == 0)
            return gs_yaml_fail(&rd->y, ip, "item '%s' cannot be a condition on itself", id);
        if (k < 0) {
            const char *near = gs_nearest_name(id, (const char *const *)rd->item_ids, rd->n_ids);
            long later = -1;
            for (size_t i = 0; i < rd->n_ids; i++)
                if (strcmp(rd->item_ids[i], id) == 0) later = (long)i;
            if (later >= 0)
                return gs_yaml_fail(&rd->y, ip, "condition names item '%s', which comes later; "
                                    "a condition can only test an earlier answer", id);
            return gs_yaml_fail(&rd->y, ip, "condition names an unknown item '%s'%s%s%s", id,
                                near ? " (did you mean '" : "", near ? near : "",
                                near ? "'?)" : "");
        }
        r->item = (size_t)k;
    }
    const gs_assess_item *target = &inst->items[r->item];
    int n_tests = 0;
    for (size_t i = 1; i < n; i++) n_tests += f[i].value != NULL;
    if (n_tests != 1)
        return gs_yaml_fail(&rd->y, p, "%s needs exactly one of is, in, at_least, at_most; "
                            "it has %d", where, n_tests);
    int ordered = target->type == GS_ASSESS_SCALE || target->type == GS_ASSESS_NUMBER;
    if (f[1].value) {
        r->test = GS_ASSESS_IS;
        return rule_value(rd, r->item, f[1].value, at, &r->value);
    }
    if (f[2].value) {
        r->test = GS_ASSESS_IN;
        if (ordered)
            return gs_yaml_fail(&rd->y, f[2].key_pos, "'in' tests yes/no and choice answers; "
                                "item '%s' is a %s: use at_least or at_most", target->id,
                                gs_assess_type_name(target->type));
        if ((st = want_list(rd, f[2].value, f[2].key_pos, "'in'")) != GS_OK) return st;
        void *it = NULL;
        struct fy_node *e;
        while ((e = fy_node_sequence_iterate(f[2].value, &it)) != NULL) {
            double v;
            if ((st = rule_value(rd, r->item, e, at, &v)) != GS_OK) return st;
            r->set |= 1ull << (unsigned)v;
        }
        return GS_OK;
    }
    size_t fi = f[3].value ? 3 : 4;
    r->test = fi == 3 ? GS_ASSESS_AT_LEAST : GS_ASSESS_AT_MOST;
    if (!ordered)
        return gs_yaml_fail(&rd->y, f[fi].key_pos, "'%s' tests scale and number answers; item "
                            "'%s' is %s: use is or in", f[fi].key, target->id,
                            target->type == GS_ASSESS_YES_NO ? "a yes/no question" : "a choice");
    return rule_value(rd, r->item, f[fi].value, at, &r->value);
}

/* 'when': one condition, or a list of conditions that must all hold. */
static gs_status read_when(reader *rd, struct fy_node *node, gs_ypos at, size_t owner,
                           gs_assess_item *item)
{
    if (fy_node_get_type(node) != FYNT_SEQUENCE)
        return read_rule(rd, node, at, -1, owner, &item->when[item->n_when++]);
    gs_status st = want_list(rd, node, at, "'when'");
    if (st != GS_OK) return st;
    void *it = NULL;
    struct fy_node *e;
    while ((e = fy_node_sequence_iterate(node, &it)) != NULL) {
        if (item->n_when == GS_ASSESS_RULES_MAX)
            return gs_yaml_fail(&rd->y, gs_yaml_pos(e, at), "item '%s' has more than %d "
                                "conditions", item->id, GS_ASSESS_RULES_MAX);
        if ((st = read_rule(rd, e, at, -1, owner, &item->when[item->n_when++])) != GS_OK)
            return st;
    }
    return GS_OK;
}

/* Could any answer to the item meet rule r (so the red flag can fire)? */
static int rule_can_hold(const gs_assess_item *item, const gs_assess_rule *r)
{
    switch (r->test) {
    case GS_ASSESS_IS: return 1;  /* the value was checked against the item */
    case GS_ASSESS_IN: return r->set != 0;
    case GS_ASSESS_AT_LEAST: return r->value <= item->max;
    case GS_ASSESS_AT_MOST: return r->value >= item->min;
    }
    return 0;
}

/* red_flag: {sign: TEXT, when: RULE} on item k. */
static gs_status read_red_flag(reader *rd, struct fy_node *node, gs_ypos at, size_t k)
{
    gs_assess_item *item = &rd->inst->items[k];
    gs_yfield f[] = {{"sign", NULL, at}, {"when", NULL, at}};
    gs_status st = gs_yaml_fields(&rd->y, node, at, "a red flag", f, 2);
    if (st != GS_OK) return st;
    if (fy_node_get_type(node) != FYNT_MAPPING)
        return gs_yaml_fail(&rd->y, gs_yaml_pos(node, at), "expected red_flag as a mapping "
                            "{sign: TEXT, when: {is: yes}}");
    for (size_t i = 0; i < 2; i++)
        if ((st = required(rd, &f[i], at, "a red flag")) != GS_OK) return st;
    if ((st = gs_yaml_strdup(&rd->y, f[0].value, at, "the sign's name", &item->sign)) != GS_OK)
        return st;
    if ((st = read_rule(rd, f[1].value, at, (long)k, k, &item->flag)) != GS_OK) return st;
    if (!rule_can_hold(item, &item->flag))
        return gs_yaml_fail(&rd->y, gs_yaml_pos(f[1].value, at), "the red flag of item '%s' "
                            "can never fire: no allowed answer meets it", item->id);
    return GS_OK;
}

/* ---- items ------------------------------------------------------------------- */

static gs_status read_choices(reader *rd, struct fy_node *node, gs_ypos at,
                              gs_assess_item *item)
{
    gs_status st = want_list(rd, node, at, "'choices'");
    if (st != GS_OK) return st;
    size_t n = (size_t)fy_node_sequence_item_count(node);
    if (n < 2 || n > GS_ASSESS_CHOICES_MAX)
        return gs_yaml_fail(&rd->y, gs_yaml_pos(node, at), "item '%s' has %zu choices; a "
                            "choice item has 2 to %d", item->id, n, GS_ASSESS_CHOICES_MAX);
    if (!(item->choices = calloc(n, sizeof *item->choices)))
        return gs_fail(rd->y.err, GS_ERR_NOMEM, "out of memory");
    void *it = NULL;
    struct fy_node *c;
    while ((c = fy_node_sequence_iterate(node, &it)) != NULL) {
        gs_assess_choice *ch = &item->choices[item->n_choices++];
        gs_yfield f[] = {{"id", NULL, at}, {"text", NULL, at}};
        if ((st = gs_yaml_fields(&rd->y, c, at, "a choice", f, 2)) != GS_OK) return st;
        if (fy_node_get_type(c) != FYNT_MAPPING)
            return gs_yaml_fail(&rd->y, gs_yaml_pos(c, at), "expected a choice as a mapping "
                                "{id: ID, text: TEXT}");
        for (size_t i = 0; i < 2; i++)
            if ((st = required(rd, &f[i], gs_yaml_pos(c, at), "a choice")) != GS_OK) return st;
        if ((st = read_id(rd, f[0].value, at, "choice id", 0, &ch->id)) != GS_OK) return st;
        if ((st = gs_yaml_strdup(&rd->y, f[1].value, at, "the choice's text", &ch->text)) != GS_OK)
            return st;
        for (size_t k = 0; k + 1 < item->n_choices; k++)
            if (strcmp(item->choices[k].id, ch->id) == 0)
                return gs_yaml_fail(&rd->y, gs_yaml_pos(f[0].value, at), "choice id '%s' "
                                    "appears twice in item '%s'", ch->id, item->id);
    }
    return GS_OK;
}

enum { F_ID, F_TEXT, F_TYPE, F_ROLE, F_GROUP, F_CHOICES, F_MIN, F_MAX, F_WHOLE, F_UNIT,
       F_LOW, F_HIGH, F_WHEN, F_RED_FLAG, F_COUNT };

/* A key that only some types allow. */
static gs_status only_for(reader *rd, gs_yfield *f, const gs_assess_item *item, int allowed,
                          const char *types)
{
    if (!f->value || allowed) return GS_OK;
    return gs_yaml_fail(&rd->y, f->key_pos, "'%s' belongs to %s items; item '%s' is a %s",
                        f->key, types, item->id, gs_assess_type_name(item->type));
}

static gs_status read_item(reader *rd, struct fy_node *node, gs_ypos at, size_t k)
{
    gs_assess_instrument *inst = rd->inst;
    gs_assess_item *item = &inst->items[k];
    gs_yfield f[F_COUNT] = {
        [F_ID] = {"id", NULL, at},       [F_TEXT] = {"text", NULL, at},
        [F_TYPE] = {"type", NULL, at},   [F_ROLE] = {"role", NULL, at},
        [F_GROUP] = {"group", NULL, at}, [F_CHOICES] = {"choices", NULL, at},
        [F_MIN] = {"min", NULL, at},     [F_MAX] = {"max", NULL, at},
        [F_WHOLE] = {"whole", NULL, at}, [F_UNIT] = {"unit", NULL, at},
        [F_LOW] = {"low", NULL, at},     [F_HIGH] = {"high", NULL, at},
        [F_WHEN] = {"when", NULL, at},   [F_RED_FLAG] = {"red_flag", NULL, at}};
    gs_status st = gs_yaml_fields(&rd->y, node, at, "an item", f, F_COUNT);
    if (st != GS_OK) return st;
    if (!node || fy_node_get_type(node) != FYNT_MAPPING)
        return gs_yaml_fail(&rd->y, gs_yaml_pos(node, at), "expected an item as a mapping "
                            "with id, group, type and text");
    gs_ypos p = gs_yaml_pos(node, at);
    item->line = p.line + 1;
    const int need[] = {F_ID, F_GROUP, F_TYPE, F_TEXT};
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
        if ((st = required(rd, &f[need[i]], p, "an item")) != GS_OK) return st;
    if ((st = read_id(rd, f[F_ID].value, at, "item id", 0, &item->id)) != GS_OK) return st;
    if ((st = gs_yaml_strdup(&rd->y, f[F_TEXT].value, at, "the question's text", &item->text)))
        return st;
    int type, role = GS_ASSESS_DETAIL;
    if ((st = read_word(rd, f[F_TYPE].value, at, "type", type_names, N_TYPES, &type))) return st;
    item->type = (gs_assess_type)type;
    if (f[F_ROLE].value &&
        (st = read_word(rd, f[F_ROLE].value, at, "role", role_names, N_ROLES, &role)))
        return st;
    item->role = (gs_assess_role)role;

    /* its group */
    const char *gid;
    if ((st = gs_yaml_text(&rd->y, f[F_GROUP].value, at, "a group id", &gid))) return st;
    size_t g = 0;
    while (g < inst->n_groups && strcmp(inst->groups[g].id, gid) != 0) g++;
    if (g == inst->n_groups) {
        const char *names[64];
        size_t n = 0;
        for (size_t i = 0; i < inst->n_groups && n < 64; i++) names[n++] = inst->groups[i].id;
        const char *near = gs_nearest_name(gid, names, n);
        return gs_yaml_fail(&rd->y, gs_yaml_pos(f[F_GROUP].value, at), "item '%s' names an "
                            "unknown group '%s'%s%s%s", item->id, gid,
                            near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
    }
    item->group = g;

    /* its answers */
    int is_choice = item->type == GS_ASSESS_CHOICE, is_num = item->type == GS_ASSESS_NUMBER;
    int is_scale = item->type == GS_ASSESS_SCALE;
    if ((st = only_for(rd, &f[F_CHOICES], item, is_choice, "choice"))) return st;
    if ((st = only_for(rd, &f[F_MIN], item, is_num, "number"))) return st;
    if ((st = only_for(rd, &f[F_MAX], item, is_num, "number"))) return st;
    if ((st = only_for(rd, &f[F_WHOLE], item, is_num, "number"))) return st;
    if ((st = only_for(rd, &f[F_UNIT], item, is_num, "number"))) return st;
    if ((st = only_for(rd, &f[F_LOW], item, is_scale, "scale"))) return st;
    if ((st = only_for(rd, &f[F_HIGH], item, is_scale, "scale"))) return st;
    switch (item->type) {
    case GS_ASSESS_YES_NO:
        item->min = 0, item->max = 1, item->whole = 1;
        break;
    case GS_ASSESS_CHOICE:
        if ((st = required(rd, &f[F_CHOICES], p, "a choice item"))) return st;
        if ((st = read_choices(rd, f[F_CHOICES].value, f[F_CHOICES].key_pos, item))) return st;
        item->min = 0, item->max = (double)item->n_choices - 1, item->whole = 1;
        break;
    case GS_ASSESS_SCALE:
        item->min = 0, item->max = GS_ASSESS_SCALE_MAX, item->whole = 1;
        if (f[F_LOW].value &&
            (st = gs_yaml_strdup(&rd->y, f[F_LOW].value, at, "what 0 means", &item->low)))
            return st;
        if (f[F_HIGH].value &&
            (st = gs_yaml_strdup(&rd->y, f[F_HIGH].value, at, "what 10 means", &item->high)))
            return st;
        break;
    case GS_ASSESS_NUMBER:
        for (int i = F_MIN; i <= F_MAX; i++)
            if ((st = required(rd, &f[i], p, "a number item"))) return st;
        if ((st = required(rd, &f[F_UNIT], p, "a number item"))) return st;
        if ((st = gs_yaml_number(&rd->y, f[F_MIN].value, at, "a number for 'min'", &item->min)))
            return st;
        if ((st = gs_yaml_number(&rd->y, f[F_MAX].value, at, "a number for 'max'", &item->max)))
            return st;
        if (!(item->min < item->max))
            return gs_yaml_fail(&rd->y, gs_yaml_pos(f[F_MAX].value, at), "item '%s': max (%g) "
                                "must be above min (%g)", item->id, item->max, item->min);
        if (f[F_WHOLE].value &&
            (st = read_bool(rd, f[F_WHOLE].value, at, "whole", &item->whole)))
            return st;
        if ((st = gs_yaml_strdup(&rd->y, f[F_UNIT].value, at, "a unit", &item->unit))) return st;
        break;
    }

    /* what it counts toward */
    const gs_assess_group *grp = &inst->groups[g];
    static const gs_assess_type role_type[] = {
        [GS_ASSESS_PRESENCE] = GS_ASSESS_YES_NO, [GS_ASSESS_SEVERITY] = GS_ASSESS_SCALE,
        [GS_ASSESS_DURATION] = GS_ASSESS_CHOICE};
    if (item->role != GS_ASSESS_DETAIL) {
        if (grp->section == GS_ASSESS_RED_FLAGS)
            return gs_yaml_fail(&rd->y, f[F_ROLE].key_pos, "item '%s' is a red flag; red flags "
                                "have no role (remove 'role')", item->id);
        if (item->type != role_type[item->role])
            return gs_yaml_fail(&rd->y, f[F_ROLE].key_pos, "a %s item must be a %s question; "
                                "item '%s' is a %s", role_names[item->role],
                                gs_assess_type_name(role_type[item->role]), item->id,
                                gs_assess_type_name(item->type));
    }
    if (f[F_WHEN].value && (st = read_when(rd, f[F_WHEN].value, f[F_WHEN].key_pos, k, item)))
        return st;
    if (grp->section == GS_ASSESS_RED_FLAGS) {
        if (!f[F_RED_FLAG].value)
            return gs_yaml_fail(&rd->y, p, "item '%s' is in the red-flag group '%s' and needs "
                                "'red_flag': {sign: TEXT, when: RULE}", item->id, grp->id);
        if ((st = read_red_flag(rd, f[F_RED_FLAG].value, f[F_RED_FLAG].key_pos, k))) return st;
    } else if (f[F_RED_FLAG].value) {
        return gs_yaml_fail(&rd->y, f[F_RED_FLAG].key_pos, "item '%s' has a red flag but its "
                            "group '%s' is not a red-flag group", item->id, grp->id);
    }
    return GS_OK;
}

/* Every item's id first, so conditions can tell "unknown" from "later". */
static gs_status read_item_ids(reader *rd, struct fy_node *node)
{
    size_t n = (size_t)fy_node_sequence_item_count(node);
    if (!(rd->item_ids = calloc(n, sizeof *rd->item_ids)))
        return gs_fail(rd->y.err, GS_ERR_NOMEM, "out of memory");
    void *it = NULL;
    struct fy_node *e;
    while ((e = fy_node_sequence_iterate(node, &it)) != NULL) {
        struct fy_node *id = fy_node_get_type(e) == FYNT_MAPPING
                                 ? fy_node_mapping_lookup_by_string(e, "id", FY_NT) : NULL;
        const char *text = id && fy_node_get_type(id) == FYNT_SCALAR ? fy_node_get_scalar0(id)
                                                                    : "";
        if (!(rd->item_ids[rd->n_ids++] = strdup(text ? text : "")))
            return gs_fail(rd->y.err, GS_ERR_NOMEM, "out of memory");
    }
    return GS_OK;
}

static gs_status read_items(reader *rd, struct fy_node *node, gs_ypos at)
{
    gs_status st = want_list(rd, node, at, "'items'");
    if (st != GS_OK) return st;
    if ((st = read_item_ids(rd, node)) != GS_OK) return st;
    gs_assess_instrument *inst = rd->inst;
    inst->items = calloc(rd->n_ids, sizeof *inst->items);
    if (!inst->items) return gs_fail(rd->y.err, GS_ERR_NOMEM, "out of memory");
    void *it = NULL;
    struct fy_node *e;
    int seen_signs = 0;
    while ((e = fy_node_sequence_iterate(node, &it)) != NULL) {
        /* counted before it is read: its own rules check answers against
         * it, and gs_assess_free frees what was read if reading fails */
        size_t k = inst->n_items++;
        if ((st = read_item(rd, e, at, k)) != GS_OK) return st;
        const gs_assess_item *item = &inst->items[k];
        if (gs_assess_item_find(inst, item->id) != (long)k)
            return gs_yaml_fail(&rd->y, gs_yaml_pos(e, at), "item id '%s' appears twice (lines "
                                "%d and %d)", item->id,
                                inst->items[gs_assess_item_find(inst, item->id)].line,
                                item->line);
        int red = inst->groups[item->group].section == GS_ASSESS_RED_FLAGS;
        if (red && seen_signs)
            return gs_yaml_fail(&rd->y, gs_yaml_pos(e, at), "red-flag item '%s' comes after "
                                "other items; red flags are asked first, so list them first",
                                item->id);
        seen_signs |= !red;
    }
    return GS_OK;
}

/* Every group of signs has an item that can find it present, and at most
 * one duration item; every group has at least one item. */
static gs_status check_groups(reader *rd)
{
    const gs_assess_instrument *inst = rd->inst;
    for (size_t g = 0; g < inst->n_groups; g++) {
        const gs_assess_group *grp = &inst->groups[g];
        size_t n = 0, presence = 0, duration = 0;
        for (size_t k = 0; k < inst->n_items; k++) {
            if (inst->items[k].group != g) continue;
            n++;
            presence += inst->items[k].role == GS_ASSESS_PRESENCE;
            duration += inst->items[k].role == GS_ASSESS_DURATION;
        }
        gs_ypos at = rd->group_pos[g];
        if (n == 0)
            return gs_yaml_fail(&rd->y, at, "group '%s' has no items", grp->id);
        if (grp->section != GS_ASSESS_RED_FLAGS && presence == 0)
            return gs_yaml_fail(&rd->y, at, "group '%s' has no item with role presence, so its "
                                "signs could never be found present", grp->id);
        if (duration > 1)
            return gs_yaml_fail(&rd->y, at, "group '%s' has %zu items with role duration; at "
                                "most one", grp->id, duration);
    }
    return GS_OK;
}

/* ---- the file ---------------------------------------------------------------- */

gs_status gs_assess_load(const char *path, gs_assess_instrument **out, gs_err *err)
{
    *out = NULL;
    reader rd;
    memset(&rd, 0, sizeof rd);
    struct fy_node *root;
    gs_status st = gs_yaml_open(&rd.y, path, "instrument file", &root, err);
    gs_ypos top = {0, 0};
    if (st == GS_OK && !(rd.inst = calloc(1, sizeof *rd.inst)))
        st = gs_fail(err, GS_ERR_NOMEM, "out of memory");
    gs_yfield f[] = {{"id", NULL, top},    {"version", NULL, top}, {"title", NULL, top},
                     {"intro", NULL, top}, {"groups", NULL, top},  {"items", NULL, top}};
    const size_t n = sizeof f / sizeof f[0];
    if (st == GS_OK && !root)
        st = gs_yaml_fail(&rd.y, top, "the instrument file is empty; expected id, version, "
                          "title, groups and items");
    if (st == GS_OK) st = gs_yaml_fields(&rd.y, root, top, "an instrument", f, n);
    if (st == GS_OK && fy_node_get_type(root) != FYNT_MAPPING)
        st = gs_yaml_fail(&rd.y, top, "expected an instrument as a mapping");
    double version = 0;
    if (st == GS_OK && (st = required(&rd, &f[0], top, "an instrument")) == GS_OK)
        st = read_id(&rd, f[0].value, top, "instrument id", 1, &rd.inst->id);
    if (st == GS_OK && (st = required(&rd, &f[1], top, "an instrument")) == GS_OK)
        st = gs_yaml_ranged(&rd.y, f[1].value, top, "version", 1, VERSION_MAX, 1, "", &version);
    if (st == GS_OK && (st = required(&rd, &f[2], top, "an instrument")) == GS_OK) {
        rd.inst->version = (int)version;
        st = gs_yaml_strdup(&rd.y, f[2].value, top, "a title", &rd.inst->title);
    }
    if (st == GS_OK && f[3].value)
        st = gs_yaml_strdup(&rd.y, f[3].value, top, "an introduction", &rd.inst->intro);
    if (st == GS_OK && (st = required(&rd, &f[4], top, "an instrument")) == GS_OK)
        st = read_groups(&rd, f[4].value, f[4].key_pos);
    if (st == GS_OK && (st = required(&rd, &f[5], top, "an instrument")) == GS_OK)
        st = read_items(&rd, f[5].value, f[5].key_pos);
    if (st == GS_OK) st = check_groups(&rd);
    for (size_t i = 0; i < rd.n_ids; i++) free(rd.item_ids[i]);
    free(rd.item_ids);
    free(rd.group_pos);
    gs_yaml_close(&rd.y);
    if (st != GS_OK) {
        gs_assess_free(rd.inst);
        return st;
    }
    *out = rd.inst;
    return GS_OK;
}

/* "a, b, c" of the ids of the .yaml files in dir, for the unknown-id message. */
static void list_ids(const char *dir, char *buf, size_t len)
{
    buf[0] = '\0';
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".yaml") != 0) continue;
        size_t used = strlen(buf);
        snprintf(buf + used, len - used, "%s%.*s", used ? ", " : "", (int)(n - 5), e->d_name);
    }
    closedir(d);
}

gs_status gs_assess_load_id(const char *id, gs_assess_instrument **out, gs_err *err)
{
    *out = NULL;
    char dir[4096], path[4200];
    gs_status st = gs_data_path("instruments", dir, sizeof dir, err);
    if (st != GS_OK) return st;
    int ok = id[0] != '\0' && strlen(id) <= ID_MAX;
    for (const char *p = id; ok && *p; p++)
        ok = isalnum((unsigned char)*p) || *p == '_' || *p == '-';
    snprintf(path, sizeof path, "%s/%s.yaml", dir, id);
    FILE *probe = ok ? fopen(path, "r") : NULL;
    if (!probe) {
        char ids[1024];
        list_ids(dir, ids, sizeof ids);
        return gs_fail(err, GS_ERR_INPUT, "no instrument '%s'; the instruments are: %s", id,
                       ids[0] ? ids : "(none found)");
    }
    fclose(probe);
    if ((st = gs_assess_load(path, out, err)) != GS_OK) return st;
    if (strcmp((*out)->id, id) != 0) {
        st = gs_fail(err, GS_ERR_INPUT, "%s: the file's id is '%s', expected '%s' (the file "
                     "name)", path, (*out)->id, id);
        gs_assess_free(*out);
        *out = NULL;
    }
    return st;
}

void gs_assess_free(gs_assess_instrument *inst)
{
    if (!inst) return;
    for (size_t g = 0; g < inst->n_groups; g++) {
        gs_assess_group *grp = &inst->groups[g];
        free(grp->id);
        free(grp->title);
        free(grp->note);
        for (size_t t = 0; t < grp->n_track; t++) free(grp->track[t]);
    }
    for (size_t k = 0; k < inst->n_items; k++) {
        gs_assess_item *item = &inst->items[k];
        free(item->id);
        free(item->text);
        for (size_t c = 0; c < item->n_choices; c++) {
            free(item->choices[c].id);
            free(item->choices[c].text);
        }
        free(item->choices);
        free(item->unit);
        free(item->low);
        free(item->high);
        free(item->sign);
    }
    free(inst->groups);
    free(inst->items);
    free(inst->id);
    free(inst->title);
    free(inst->intro);
    free(inst);
}

long gs_assess_item_find(const gs_assess_instrument *inst, const char *id)
{
    for (size_t k = 0; k < inst->n_items; k++)
        if (inst->items[k].id && strcmp(inst->items[k].id, id) == 0) return (long)k;
    return -1;
}
