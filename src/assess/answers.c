/*
 * answers.c - answers to an instrument: one answer checked against its
 * item's type and range, conditions and red-flag rules, and answers files
 * (YAML or JSON, item id -> answer).
 *
 * The same parser serves the terminal, answers files and the values inside
 * an instrument's rules, so "yes", a choice id and "7" mean the same thing
 * everywhere.  No paper: this is input checking.
 */
#include "gutskin/assess.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/yaml_read.h"

#define ANSWER_TEXT_MAX 256

gs_assess_answer *gs_assess_answers_new(const gs_assess_instrument *inst)
{
    return calloc(inst->n_items ? inst->n_items : 1, sizeof(gs_assess_answer));
}

void gs_assess_allowed(const gs_assess_instrument *inst, size_t k, char *buf, size_t len)
{
    assert(k < inst->n_items);
    const gs_assess_item *item = &inst->items[k];
    switch (item->type) {
    case GS_ASSESS_YES_NO: snprintf(buf, len, "yes or no"); return;
    case GS_ASSESS_SCALE:
        snprintf(buf, len, "a whole number from 0 to %d", GS_ASSESS_SCALE_MAX);
        return;
    case GS_ASSESS_NUMBER:
        snprintf(buf, len, "%s from %g to %g %s", item->whole ? "a whole number" : "a number",
                 item->min, item->max, item->unit);
        return;
    case GS_ASSESS_CHOICE: {
        snprintf(buf, len, "one of ");
        for (size_t c = 0; c < item->n_choices; c++) {
            size_t used = strlen(buf);
            snprintf(buf + used, len - used, "%s%s", c ? ", " : "", item->choices[c].id);
        }
        size_t used = strlen(buf);
        snprintf(buf + used, len - used, " (or its number, 1-%zu)", item->n_choices);
        return;
    }
    }
}

/* A finite number filling the whole of text. */
static int parse_number(const char *text, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || errno == ERANGE || !isfinite(v)) return 0;
    if (strpbrk(text, "xX")) return 0;  /* strtod reads hexadecimal; people do not */
    *out = v;
    return 1;
}

gs_status gs_assess_parse_answer(const gs_assess_instrument *inst, size_t k, const char *text,
                                 double *value, gs_err *err)
{
    assert(k < inst->n_items);
    const gs_assess_item *item = &inst->items[k];
    /* trimmed copy: a terminal line may carry spaces */
    char t[ANSWER_TEXT_MAX];
    while (isspace((unsigned char)*text)) text++;
    snprintf(t, sizeof t, "%s", text);
    size_t n = strlen(t);
    while (n > 0 && isspace((unsigned char)t[n - 1])) t[--n] = '\0';
    double v;
    switch (item->type) {
    case GS_ASSESS_YES_NO:
        if (!strcasecmp(t, "yes") || !strcasecmp(t, "y") || !strcasecmp(t, "true")) v = 1;
        else if (!strcasecmp(t, "no") || !strcasecmp(t, "n") || !strcasecmp(t, "false")) v = 0;
        else goto bad;
        break;
    case GS_ASSESS_CHOICE: {
        size_t c = 0;
        while (c < item->n_choices && strcasecmp(t, item->choices[c].id) != 0) c++;
        if (c == item->n_choices) {
            if (!parse_number(t, &v) || v != floor(v) || v < 1 || v > (double)item->n_choices)
                goto bad;
            c = (size_t)v - 1;
        }
        v = (double)c;
        break;
    }
    case GS_ASSESS_SCALE:
    case GS_ASSESS_NUMBER:
        if (!parse_number(t, &v) || v < item->min || v > item->max ||
            (item->whole && v != floor(v)))
            goto bad;
        if (v == 0) v = 0;  /* no negative zero */
        break;
    default: goto bad;
    }
    *value = v;
    return GS_OK;
bad:;
    char allowed[1024];
    gs_assess_allowed(inst, k, allowed, sizeof allowed);
    return gs_fail(err, GS_ERR_INPUT, "item '%s': '%s' is not an allowed answer; expected %s",
                   item->id, t, allowed);
}

int gs_assess_rule_holds(const gs_assess_rule *rule, const gs_assess_answer *answers)
{
    const gs_assess_answer *a = &answers[rule->item];
    if (!a->given) return 0;
    switch (rule->test) {
    case GS_ASSESS_IS: return a->value == rule->value;
    case GS_ASSESS_IN:
        return a->value >= 0 && a->value < 64 && ((rule->set >> (unsigned)a->value) & 1u);
    case GS_ASSESS_AT_LEAST: return a->value >= rule->value;
    case GS_ASSESS_AT_MOST: return a->value <= rule->value;
    }
    return 0;
}

int gs_assess_is_asked(const gs_assess_instrument *inst, size_t k,
                       const gs_assess_answer *answers)
{
    assert(k < inst->n_items);
    const gs_assess_item *item = &inst->items[k];
    for (size_t i = 0; i < item->n_when; i++) {
        assert(item->when[i].item < k);  /* conditions test earlier items only */
        if (!gs_assess_rule_holds(&item->when[i], answers)) return 0;
    }
    return 1;
}

int gs_assess_is_flagged(const gs_assess_instrument *inst, size_t k,
                         const gs_assess_answer *answers)
{
    assert(k < inst->n_items);
    const gs_assess_item *item = &inst->items[k];
    return item->sign && gs_assess_rule_holds(&item->flag, answers);
}

/* The text of answer value v to item k ("yes", a choice id, "7"). */
static void answer_text(const gs_assess_item *item, double v, char *buf, size_t len)
{
    if (item->type == GS_ASSESS_YES_NO) snprintf(buf, len, "%s", v ? "yes" : "no");
    else if (item->type == GS_ASSESS_CHOICE && v >= 0 && v < (double)item->n_choices)
        snprintf(buf, len, "%s", item->choices[(size_t)v].id);
    else snprintf(buf, len, "%g", v);
}

/* "acne_now is yes", "rf_rash is one of spreading, blistering". */
static void rule_text(const gs_assess_instrument *inst, const gs_assess_rule *r, char *buf,
                      size_t len)
{
    const gs_assess_item *t = &inst->items[r->item];
    char v[256];
    answer_text(t, r->value, v, sizeof v);
    switch (r->test) {
    case GS_ASSESS_IS: snprintf(buf, len, "%s is %s", t->id, v); return;
    case GS_ASSESS_AT_LEAST: snprintf(buf, len, "%s is at least %s", t->id, v); return;
    case GS_ASSESS_AT_MOST: snprintf(buf, len, "%s is at most %s", t->id, v); return;
    case GS_ASSESS_IN:
        snprintf(buf, len, "%s is one of ", t->id);
        for (size_t c = 0, n = 0; c < 64 && c <= (size_t)t->max; c++) {
            if (!((r->set >> c) & 1u)) continue;
            answer_text(t, (double)c, v, sizeof v);
            size_t used = strlen(buf);
            snprintf(buf + used, len - used, "%s%s", n++ ? ", " : "", v);
        }
        return;
    }
}

gs_status gs_assess_answers_check(const gs_assess_instrument *inst,
                                  const gs_assess_answer *answers, const char *source,
                                  gs_err *err)
{
    char where[1200];
    for (size_t k = 0; k < inst->n_items; k++) {
        const gs_assess_item *item = &inst->items[k];
        const gs_assess_answer *a = &answers[k];
        if (source && a->line > 0) snprintf(where, sizeof where, "%s:%d: ", source, a->line);
        else if (source) snprintf(where, sizeof where, "%s: ", source);
        else where[0] = '\0';
        int asked = gs_assess_is_asked(inst, k, answers);
        if (a->given && !asked) {
            char cond[512] = "";
            for (size_t i = 0; i < item->n_when; i++) {
                if (gs_assess_rule_holds(&item->when[i], answers)) continue;
                rule_text(inst, &item->when[i], cond, sizeof cond);
                break;
            }
            return gs_fail(err, GS_ERR_INPUT, "%sitem '%s' is asked only when %s, which the "
                           "answers do not say; remove its answer or change that one",
                           where, item->id, cond);
        }
        if (asked && !a->given && item->sign) {
            char allowed[1024];
            gs_assess_allowed(inst, k, allowed, sizeof allowed);
            return gs_fail(err, GS_ERR_INPUT, "%sthe red-flag item '%s' has no answer; every "
                           "red-flag question must be answered (%s): %s", where, item->id,
                           allowed, item->text);
        }
    }
    return GS_OK;
}

gs_status gs_assess_answers_read(const gs_assess_instrument *inst, const char *path,
                                 gs_assess_answer *answers, gs_err *err)
{
    gs_yaml y;
    struct fy_node *root;
    gs_status st = gs_yaml_open(&y, path, "answers file", &root, err);
    gs_ypos top = {0, 0};
    for (size_t k = 0; k < inst->n_items; k++) answers[k] = (gs_assess_answer){0, 0, 0};
    if (st == GS_OK && (!root || fy_node_get_type(root) != FYNT_MAPPING))
        st = gs_yaml_fail(&y, gs_yaml_pos(root, top), "expected the answers as a mapping of "
                          "item id to answer, e.g. {\"%s\": \"yes\"}, got %s",
                          inst->n_items ? inst->items[0].id : "id",
                          root ? gs_yaml_type_word(root) : "an empty file");
    void *it = NULL;
    struct fy_node_pair *pair;
    while (st == GS_OK && (pair = fy_node_mapping_iterate(root, &it)) != NULL) {
        struct fy_node *key = fy_node_pair_key(pair), *value = fy_node_pair_value(pair);
        const char *id, *text;
        if ((st = gs_yaml_text(&y, key, top, "an item id", &id)) != GS_OK) break;
        gs_ypos kp = gs_yaml_pos(key, top);
        long k = gs_assess_item_find(inst, id);
        if (k < 0) {
            const char **ids = malloc((inst->n_items ? inst->n_items : 1) * sizeof *ids);
            if (!ids) {
                st = gs_fail(err, GS_ERR_NOMEM, "out of memory");
                break;
            }
            for (size_t i = 0; i < inst->n_items; i++) ids[i] = inst->items[i].id;
            const char *near = gs_nearest_name(id, ids, inst->n_items);
            st = gs_yaml_fail(&y, kp, "'%s' is not an item of instrument '%s'%s%s%s", id,
                              inst->id, near ? " (did you mean '" : "", near ? near : "",
                              near ? "'?)" : "");
            free(ids);
            break;
        }
        if (answers[k].given) {
            st = gs_yaml_fail(&y, kp, "item '%s' is answered twice", id);
            break;
        }
        if (!value || gs_yaml_is_null(value)) continue;  /* left unanswered */
        gs_ypos vp = gs_yaml_pos(value, kp);
        if ((st = gs_yaml_text(&y, value, vp, "an answer (a single value)", &text)) != GS_OK)
            break;
        if ((st = gs_assess_parse_answer(inst, (size_t)k, text, &answers[k].value, err)) != GS_OK) {
            st = gs_yaml_prefix(&y, vp);
            break;
        }
        answers[k].given = 1;
        answers[k].line = kp.line + 1;
    }
    gs_yaml_close(&y);
    if (st == GS_OK) st = gs_assess_answers_check(inst, answers, path, err);
    return st;
}

gs_status gs_assess_answers_from_json(const gs_assess_instrument *inst, const char *json,
                                      gs_assess_answer *answers, gs_err *err)
{
    for (size_t k = 0; k < inst->n_items; k++) answers[k] = (gs_assess_answer){0, 0, 0};
    json_error_t jerr;
    json_t *o = json_loads(json, JSON_REJECT_DUPLICATES, &jerr);
    if (!o)
        return gs_fail(err, GS_ERR_INPUT, "answers are not valid JSON (line %d, column %d): %s",
                       jerr.line, jerr.column, jerr.text);
    gs_status st = GS_OK;
    if (!json_is_object(o))
        st = gs_fail(err, GS_ERR_INPUT, "expected the answers as a JSON object of item id to "
                     "answer");
    const char *id;
    json_t *v;
    json_object_foreach(o, id, v) {
        if (st != GS_OK) break;
        long k = gs_assess_item_find(inst, id);
        if (k < 0) {
            st = gs_fail(err, GS_ERR_INPUT, "'%s' is not an item of instrument '%s'", id,
                         inst->id);
            break;
        }
        char text[64];
        if (json_is_null(v)) continue;
        if (json_is_boolean(v)) snprintf(text, sizeof text, "%s", json_is_true(v) ? "yes" : "no");
        else if (json_is_integer(v))
            snprintf(text, sizeof text, "%lld", (long long)json_integer_value(v));
        else if (json_is_real(v)) snprintf(text, sizeof text, "%.17g", json_real_value(v));
        else if (json_is_string(v)) snprintf(text, sizeof text, "%s", json_string_value(v));
        else {
            st = gs_fail(err, GS_ERR_INPUT, "item '%s': expected a single answer, got a JSON %s",
                         id, json_is_array(v) ? "array" : "object");
            break;
        }
        st = gs_assess_parse_answer(inst, (size_t)k, text, &answers[k].value, err);
        answers[k].given = st == GS_OK;
    }
    json_decref(o);
    if (st == GS_OK) st = gs_assess_answers_check(inst, answers, NULL, err);
    return st;
}

char *gs_assess_answers_json(const gs_assess_instrument *inst, const gs_assess_answer *answers)
{
    json_t *o = json_object();
    if (!o) return NULL;
    for (size_t k = 0; k < inst->n_items; k++) {
        const gs_assess_item *item = &inst->items[k];
        const gs_assess_answer *a = &answers[k];
        if (!a->given) continue;
        json_t *v;
        if (item->type == GS_ASSESS_YES_NO) v = json_boolean(a->value != 0);
        else if (item->type == GS_ASSESS_CHOICE)
            v = json_string(item->choices[(size_t)a->value].id);
        else if (item->whole) v = json_integer((json_int_t)a->value);
        else v = json_real(a->value);
        json_object_set_new(o, item->id, v);
    }
    char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(o);
    return text;
}
