/*
 * analyze_effect.c - the documents of `analyze effect` (did starting an
 * intervention change a score: gs_stats_segmented, read out in plain
 * words, with how many more days would settle it while it is unsettled)
 * and `analyze power` (how many more days would detect a given change:
 * gs_stats_power_days).  docs/statistics.md lists the keys.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats/analyze_doc.h"

static gs_status input_fail(const char **field, const char *name, gs_status st)
{
    if (field) *field = name;
    return st;
}

/* The index of intervention name, or an error listing those started. */
static gs_status find_intervention(const gs_daily *p, const char *name, int *out, gs_err *err)
{
    int iv = gs_daily_intervention_index(p, name);
    if (iv < 0) {
        char list[768] = "";
        for (size_t k = 0; k < p->n_interventions; k++) {
            strncat(list, k ? ", " : "", sizeof list - strlen(list) - 1);
            strncat(list, p->intervention_names[k], sizeof list - strlen(list) - 1);
        }
        return gs_fail(err, GS_ERR_INPUT,
                       "no intervention '%s' was started in this journal; started: %s", name,
                       p->n_interventions ? list : "none");
    }
    *out = iv;
    return GS_OK;
}

/* The answer of an effect analysis before it becomes a document. */
typedef struct effect_answer {
    gs_segmented seg;        /* seg.fit.n == 0: too few days to fit */
    char reading[1024];      /* the plain reading */
    char more_text[512];     /* "" or how many more days would settle it */
    long more;
    double change;           /* the change more_text is about */
    size_t run, n_runs;      /* the run analysed (1-based) of how many */
    size_t from, start, end; /* rows: the first "before" day (the previous
                                run's stop, else row 0), the run's start,
                                and the day after its last (n_days while
                                it still runs) */
} effect_answer;

/* The runs of intervention iv: maximal stretches of active days.  Finds
 * run number want (1-based; 0: the last) and fills a->run, n_runs, from,
 * start, end; GS_ERR_INPUT naming the runs there are when want exceeds
 * them. */
static gs_status find_run(const gs_daily *p, int iv, const gs_analyze_opts *o, effect_answer *a,
                          gs_err *err)
{
    size_t T = p->n_days, n = 0, prev_end = 0;
    const unsigned char *on = p->active + (size_t)iv * T;
    int found = 0;
    for (size_t d = 0; d < T;) {
        if (!on[d]) {
            d++;
            continue;
        }
        size_t s = d;
        while (d < T && on[d]) d++;
        n++;
        if (!o->run || n == o->run) {   /* the last one seen wins when o->run is 0 */
            a->from = prev_end;
            a->start = s;
            a->end = d;
            found = 1;
        }
        prev_end = d;
    }
    a->n_runs = n;
    if (n == 0)
        return gs_fail(err, GS_ERR_INPUT,
                       "%s has no day of its own in this journal: it was stopped on the day "
                       "it was started", o->name);
    if (!found)
        return gs_fail(err, GS_ERR_INPUT, "%s %zu: %s was run %zu time%s in this journal (runs "
                       "1-%zu)", o->cli_spelling ? "--run" : "run", o->run, o->name, n,
                       n == 1 ? "" : "s", n);
    assert(a->from <= a->start && a->start < a->end && a->end <= T);
    a->run = o->run ? o->run : n;
    return GS_OK;
}

/* Too few days after the start to fit (but 3 before): how many more, for
 * a change of one day-to-day sd.  GS_OK with the reading, or the status
 * of what failed (the caller then reports the segmented fit's error). */
static gs_status too_few(const gs_daily *p, size_t oi, size_t start, const gs_analyze_opts *o,
                         effect_answer *a)
{
    double sd, phi;
    size_t nd;
    gs_err e2;
    gs_status st = gs_analyze_person_noise(p, oi, a->from, start, &sd, &phi, &nd, &e2);
    if (st) return st;
    gs_power_opts po;
    gs_power_opts_default(&po);
    po.change = a->change = sd;
    po.sd = sd;
    po.phi = phi;
    po.before = a->seg.n_before;
    po.so_far = a->seg.n_after;
    po.reps = o->reps;
    double pw;
    if ((st = gs_stats_power_days(&po, &a->more, &pw, &e2))) return st;
    const char *oname = p->outcome_names[oi];
    gs_analyze_power_sentence(a->more_text, sizeof a->more_text, a->more, a->change, oname,
                              a->seg.n_after);
    snprintf(a->reading, sizeof a->reading,
             "%zu days of %s before starting %s and %zu after are too few to estimate a "
             "change. For a change of one day-to-day standard deviation: %s.",
             a->seg.n_before, oname, o->name, a->seg.n_after, a->more_text);
    a->seg.fit.n = 0;
    return GS_OK;
}

/* The plain reading of a fit, and while its interval includes no change,
 * how many more days would detect a change of the size estimated. */
static gs_status read_fit(const gs_daily *p, size_t oi, const gs_analyze_opts *o,
                          effect_answer *a, gs_err *err)
{
    const gs_gls_fit *f = &a->seg.fit;
    const char *oname = p->outcome_names[oi];
    double L = f->coef[GS_SEG_LEVEL], lo = f->lo[GS_SEG_LEVEL], hi = f->hi[GS_SEG_LEVEL];
    double S = 7 * f->coef[GS_SEG_SLOPE], slo = 7 * f->lo[GS_SEG_SLOPE],
           shi = 7 * f->hi[GS_SEG_SLOPE];
    int clear = lo > 0 || hi < 0;
    size_t k;
    if (clear)
        k = (size_t)snprintf(a->reading, sizeof a->reading,
                             "%s %s by %.2g points (95%% interval %.2g to %.2g) after starting "
                             "%s%s",
                             oname, L < 0 ? "fell" : "rose", fabs(L), fabs(L < 0 ? hi : lo),
                             fabs(L < 0 ? lo : hi), o->name, o->washin ? " and its wash-in" : "");
    else
        k = (size_t)snprintf(a->reading, sizeof a->reading,
                             "%s changed by %+.2g points after starting %s, but the 95%% "
                             "interval (%+.2g to %+.2g) includes no change",
                             oname, L, o->name, lo, hi);
    if (k < sizeof a->reading)
        snprintf(a->reading + k, sizeof a->reading - k,
                 "; its trend changed by %+.2g points a week (95%% interval %+.2g to %+.2g). "
                 "Based on %zu days before and %zu after; day-to-day correlation %.2f.",
                 S, slo, shi, a->seg.n_before, a->seg.n_after, f->phi);
    if (clear) return GS_OK;
    gs_power_opts po;
    gs_power_opts_default(&po);
    /* the size estimated, but at least a quarter of a standard deviation */
    a->change = fmax(fabs(L), 0.25 * f->sigma);
    po.change = a->change;
    po.sd = f->sigma;
    po.phi = f->phi;
    po.before = a->seg.n_before;
    po.so_far = a->seg.n_after;
    po.reps = o->reps;
    double pw;
    gs_status st = gs_stats_power_days(&po, &a->more, &pw, err);
    if (st) return st;
    gs_analyze_power_sentence(a->more_text, sizeof a->more_text, a->more, a->change, oname,
                              a->seg.n_after);
    return GS_OK;
}

static json_t *effect_json(const gs_daily *p, const char *oname, const gs_analyze_opts *o, const effect_answer *a)
{
    static const char *coef_names[] = {"intercept", "time", "level", "slope"};
    const gs_gls_fit *f = &a->seg.fit;
    json_t *coefs = json_object();
    for (int j = 0; coefs && f->n && j < GS_SEG_COEF; j++)
        json_object_set_new(coefs, coef_names[j],
                            json_pack("{s:f,s:f,s:f,s:f}", "estimate", f->coef[j], "se",
                                      f->se[j], "low", f->lo[j], "high", f->hi[j]));
    json_t *root = json_pack("{s:s,s:s,s:i,s:I,s:I,s:o,s:o,s:o,s:s,s:s}", "intervention",
                             o->name, "outcome", oname, "washin", o->washin, "days_before",
                             (json_int_t)a->seg.n_before, "days_after",
                             (json_int_t)a->seg.n_after, "coefficients", coefs, "phi",
                             f->n ? json_real(f->phi) : json_null(), "sigma",
                             f->n ? json_real(f->sigma) : json_null(), "reading", a->reading,
                             "disclaimer", GS_ANALYZE_DISCLAIMER);
    if (root) {   /* which run, of how many, and its days */
        char d0[11], d1[11], d2[11];
        gs_day_format(p->first_day + (int64_t)a->from, d0);
        gs_day_format(p->first_day + (int64_t)a->start, d1);
        gs_day_format(p->first_day + (int64_t)a->end - 1, d2);
        json_object_set_new(root, "run", json_integer((json_int_t)a->run));
        json_object_set_new(root, "runs", json_integer((json_int_t)a->n_runs));
        json_object_set_new(root, "run_start", json_string(d1));
        json_object_set_new(root, "run_last_day", json_string(d2));
        json_object_set_new(root, "run_stopped", json_boolean(a->end < p->n_days));
        json_object_set_new(root, "before_from", json_string(d0));
    }
    if (root && a->more_text[0]) {
        json_object_set_new(root, "more_days", a->more < 0 ? json_null() : json_integer(a->more));
        json_object_set_new(root, "more_days_for_change", json_real(a->change));
        json_object_set_new(root, "more_days_reading", json_string(a->more_text));
    }
    return root;
}

gs_status gs_analyze_effect_doc(const gs_daily *p, const gs_analyze_opts *o, json_t **doc,
                                const char **field, gs_err *err)
{
    int iv = -1;
    size_t oi = 0;
    gs_status st = find_intervention(p, o->name, &iv, err);
    if (st) return input_fail(field, "name", st);
    st = o->n_outcomes ? gs_analyze_find_outcome(p, o->outcomes[0], &oi, err)
                       : gs_analyze_default_outcome(p, &oi, err);
    if (st) return input_fail(field, "outcome", st);
    effect_answer a;
    memset(&a, 0, sizeof a);
    a.change = NAN;
    /* the run's days up to its stop, and before it those back to the
     * previous run's stop: an earlier run's days are no baseline */
    if ((st = find_run(p, iv, o, &a, err)))
        return input_fail(field, a.n_runs ? "run" : "name", st);
    size_t T = p->n_days, start = a.start, end = a.end;
    int64_t *day = malloc((T + 1) * sizeof *day);
    double *y = malloc((T + 1) * sizeof *y);
    if (!day || !y) {
        free(day);
        free(y);
        return gs_fail(err, GS_ERR_NOMEM, "out of memory for %zu days", T);
    }
    size_t n = gs_analyze_outcome_days(p, oi, a.from, end, day, y);
    st = gs_stats_segmented(day, y, n, (int64_t)start, o->washin, &a.seg, err);
    free(day);
    free(y);
    if (st == GS_ERR_INPUT && a.seg.n_before >= 3 && !too_few(p, oi, start, o, &a))
        st = GS_OK;
    else if (!st)
        st = read_fit(p, oi, o, &a, err);
    if (st) return st;
    *doc = effect_json(p, p->outcome_names[oi], o, &a);
    return *doc ? GS_OK : gs_fail(err, GS_ERR_NOMEM, "out of memory for the effect's document");
}

gs_status gs_analyze_power_doc(const gs_daily *p, const gs_analyze_opts *o, json_t **doc,
                               const char **field, gs_err *err)
{
    gs_power_opts po;
    gs_power_opts_default(&po);
    po.change = o->change;
    po.so_far = o->days_so_far;
    po.reps = o->reps;
    po.seed = o->seed;
    if (o->before) po.before = o->before;
    const char *source = "given";
    char outcome_name[128] = "the outcome";
    if (gs_analyze_needs_journal(o)) {
        size_t oi, n_days = 0;
        gs_status st = o->n_outcomes ? gs_analyze_find_outcome(p, o->outcomes[0], &oi, err)
                                     : gs_analyze_default_outcome(p, &oi, err);
        if (st) return input_fail(field, "outcome", st);
        st = gs_analyze_person_noise(p, oi, 0, p->n_days, &po.sd, &po.phi, &n_days, err);
        if (st) return st;
        snprintf(outcome_name, sizeof outcome_name, "%s", p->outcome_names[oi]);
        if (!o->before) po.before = n_days > po.so_far + 3 ? n_days - po.so_far : 3;
        source = "estimated from the journal";
    } else {
        po.sd = o->sd;
        po.phi = o->phi;
        if (o->n_outcomes) snprintf(outcome_name, sizeof outcome_name, "%s", o->outcomes[0]);
    }
    long more;
    double pw;
    gs_status st = gs_stats_power_days(&po, &more, &pw, err);
    if (st) return st;
    char sentence[512];
    gs_analyze_power_sentence(sentence, sizeof sentence, more, po.change, outcome_name,
                              po.so_far);
    *doc = json_pack("{s:s,s:f,s:f,s:f,s:s,s:I,s:I,s:o,s:f,s:I,s:s,s:s}", "outcome",
                     outcome_name, "change", po.change, "sd", po.sd, "phi", po.phi,
                     "sd_phi_source", source, "days_before", (json_int_t)po.before,
                     "days_so_far", (json_int_t)po.so_far, "more_days",
                     more < 0 ? json_null() : json_integer(more), "power", pw, "simulations",
                     (json_int_t)po.reps, "reading", sentence, "disclaimer",
                     GS_ANALYZE_DISCLAIMER);
    return *doc ? GS_OK : gs_fail(err, GS_ERR_NOMEM, "out of memory for the power document");
}
