/*
 * analyze_triggers.c - the document of `analyze triggers`: every
 * tag x lag x outcome test of gs_stats_triggers, each possible trigger
 * also allowing for the strongest other one at its outcome and lag, the
 * tags that come together, and what was run (days, tests, shifts, seed).
 * docs/statistics.md lists the keys.
 */
#include <math.h>
#include <stdlib.h>

#include "stats/analyze_doc.h"

/* For a possible trigger r: the strongest possible trigger (largest |t|)
 * of the same outcome and lag, when that is another tag, and r's effect
 * allowing for it.  Returns 1 when there is one and the fit succeeded
 * (tags that cannot be told apart on these days get no such line). */
static int allowing_for(const gs_daily *p, const gs_trigger_scan *s, const gs_trigger_row *r,
                        size_t *lead, double *eff, double *lo, double *hi)
{
    if (!r->tested || !(r->q < GS_ANALYZE_Q_LEVEL)) return 0;
    const gs_trigger_row *best = NULL;
    for (size_t i = 0; i < s->n_rows; i++) {
        const gs_trigger_row *x = &s->rows[i];
        if (!x->tested || !(x->q < GS_ANALYZE_Q_LEVEL) || x->outcome != r->outcome ||
            x->lag != r->lag)
            continue;
        if (!best || fabs(x->t) > fabs(best->t)) best = x;
    }
    if (!best || best == r) return 0;
    size_t n;
    gs_err err;
    if (gs_stats_trigger_adjusted(p, r->outcome, r->lag, r->exposure, best->exposure, eff, lo,
                                  hi, &n, &err))
        return 0;
    *lead = best->exposure;
    return 1;
}

static json_t *row_json(const gs_daily *p, const gs_trigger_scan *s, const gs_trigger_row *r)
{
    json_t *j = json_pack("{s:s,s:s,s:i,s:b,s:I,s:I,s:I}", "tag",
                          p->exposure_names[r->exposure], "outcome",
                          p->outcome_names[r->outcome], "lag", r->lag, "tested", r->tested,
                          "days", (json_int_t)r->n_days, "days_with", (json_int_t)r->n_exposed,
                          "days_without", (json_int_t)r->n_unexposed);
    if (!j) return NULL;
    json_object_set_new(j, "effect", gs_analyze_json_num(r->effect));
    json_object_set_new(j, "low", gs_analyze_json_num(r->lo));
    json_object_set_new(j, "high", gs_analyze_json_num(r->hi));
    json_object_set_new(j, "p", gs_analyze_json_num(r->p));
    json_object_set_new(j, "q", gs_analyze_json_num(r->q));
    json_object_set_new(j, "more_days",
                        r->tested || r->more_days < 0 ? json_null() : json_integer(r->more_days));
    json_object_set_new(j, "together_with",
                        r->cooccurs_with >= 0 ? json_string(p->exposure_names[r->cooccurs_with])
                                              : json_null());
    size_t lead;
    double e, lo, hi;
    if (allowing_for(p, s, r, &lead, &e, &lo, &hi))
        json_object_set_new(j, "allowing_for",
                            json_pack("{s:s,s:f,s:f,s:f}", "tag", p->exposure_names[lead],
                                      "effect", e, "low", lo, "high", hi));
    return j;
}

static json_t *scan_json(const gs_daily *p, const gs_trigger_scan *s, unsigned long seed)
{
    char a[11], b[11];
    gs_day_format(p->first_day, a);
    gs_day_format(p->first_day + (int64_t)p->n_days - 1, b);
    json_t *rows = json_array(), *pairs = json_array();
    int ok = rows && pairs;
    for (size_t i = 0; ok && i < s->n_rows; i++)
        ok = json_array_append_new(rows, row_json(p, s, &s->rows[i])) == 0;
    for (size_t k = 0; ok && k < s->n_pairs; k++)
        ok = json_array_append_new(pairs, json_pack("{s:s,s:s,s:f,s:I}", "a",
                                               p->exposure_names[s->pairs[k].a], "b",
                                               p->exposure_names[s->pairs[k].b], "jaccard",
                                               s->pairs[k].jaccard, "days_together",
                                               (json_int_t)s->pairs[k].days_both)) == 0;
    if (!ok) {
        json_decref(rows);
        json_decref(pairs);
        return NULL;
    }
    return json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:f,s:o,s:o,s:s}", "first_day", a, "last_day",
                     b, "days", (json_int_t)p->n_days, "tests", (json_int_t)s->n_tested,
                     "permutations", (json_int_t)s->n_shifts, "seed", (json_int_t)seed,
                     "tags_never_eaten", (json_int_t)s->n_never_seen, "q_level",
                     GS_ANALYZE_Q_LEVEL, "rows", rows, "together", pairs, "disclaimer",
                     GS_ANALYZE_DISCLAIMER);
}

gs_status gs_analyze_triggers_doc(const gs_daily *p, const gs_analyze_opts *o, json_t **doc,
                                  const char **field, gs_err *err)
{
    size_t outs[GS_ANALYZE_OUTCOMES_MAX], n_out = 0;
    if (o->n_outcomes == 0) {
        for (size_t k = 0; k < p->n_outcomes && k < GS_ANALYZE_OUTCOMES_MAX; k++)
            outs[n_out++] = k;
        if (n_out == 0) return gs_fail(err, GS_ERR_INPUT, "the journal has no scores logged yet");
    }
    for (size_t k = 0; k < o->n_outcomes; k++) {
        gs_status st = gs_analyze_find_outcome(p, o->outcomes[k], &outs[n_out++], err);
        if (st) {
            if (field) *field = "outcome";
            return st;
        }
    }
    gs_trigger_opts t;
    gs_trigger_opts_default(&t);
    t.lag_min = o->lag_min;
    t.lag_max = o->lag_max;
    t.permutations = o->permutations;
    t.seed = o->seed;
    t.threads = o->threads;
    t.min_exposed = t.min_unexposed = o->min_days;
    gs_trigger_scan *s = NULL;
    gs_status st = gs_stats_triggers(p, outs, n_out, &t, &s, err);
    if (st) return st;
    *doc = scan_json(p, s, o->seed);
    gs_trigger_scan_free(s);
    return *doc ? GS_OK : gs_fail(err, GS_ERR_NOMEM, "out of memory for the triggers' document");
}
