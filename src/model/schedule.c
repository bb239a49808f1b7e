/*
 * schedule.c - interventions as piecewise-constant doses over days.
 *
 * On any day an intervention's dose is the dose of the span covering that
 * day, else the person's baseline (their usual diet; zero for supplements
 * and drugs).  Spans of one intervention may not overlap, so the value is
 * never ambiguous.  The integrator restarts at every span boundary, which
 * gs_schedule_next_change reports.
 */
#include "gutskin/model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *suggest_intervention(const char *name)
{
    size_t n;
    const gs_intervention *reg = gs_intervention_registry(&n);
    const char *names[128];
    size_t k = 0;
    for (; k < n && k < 128; k++) names[k] = reg[k].name;
    return gs_nearest_name(name, names, k);
}

static gs_status unknown_intervention(const char *name, gs_err *err)
{
    const char *near = suggest_intervention(name);
    return gs_fail(err, GS_ERR_INPUT, "unknown intervention '%s'%s%s%s", name,
                   near ? " (did you mean '" : " (see 'gutskin interventions')",
                   near ? near : "", near ? "'?)" : "");
}

gs_status gs_schedule_init(gs_schedule *s, gs_err *err)
{
    size_t n;
    const gs_intervention *reg = gs_intervention_registry(&n);
    memset(s, 0, sizeof *s);
    s->baseline = calloc(n + 1, sizeof *s->baseline);
    if (!s->baseline) return gs_fail(err, GS_ERR_NOMEM, "out of memory for a schedule");
    for (size_t i = 0; i < n; i++) s->baseline[i] = reg[i].baseline;
    return GS_OK;
}

void gs_schedule_free(gs_schedule *s)
{
    if (!s) return;
    free(s->baseline);
    free(s->spans);
    memset(s, 0, sizeof *s);
}

gs_status gs_schedule_copy(gs_schedule *dst, const gs_schedule *src, gs_err *err)
{
    size_t n;
    gs_intervention_registry(&n);
    gs_status st = gs_schedule_init(dst, err);
    if (st != GS_OK) return st;
    memcpy(dst->baseline, src->baseline, n * sizeof *dst->baseline);
    if (src->n_spans) {
        dst->spans = malloc(src->n_spans * sizeof *dst->spans);
        if (!dst->spans) {
            gs_schedule_free(dst);
            return gs_fail(err, GS_ERR_NOMEM, "out of memory for a schedule");
        }
        memcpy(dst->spans, src->spans, src->n_spans * sizeof *dst->spans);
        dst->n_spans = dst->cap = src->n_spans;
    }
    return GS_OK;
}

static gs_status check_dose(const gs_intervention *iv, double dose, const char *what,
                            gs_err *err)
{
    if (!isfinite(dose) || dose < iv->lo || dose > iv->hi)
        return gs_fail(err, GS_ERR_INPUT,
                       "%s of %s = %g is out of range: allowed %g to %g %s", what,
                       iv->name, dose, iv->lo, iv->hi, iv->unit);
    return GS_OK;
}

gs_status gs_schedule_set_baseline(gs_schedule *s, const char *name, double value,
                                   gs_err *err)
{
    int k = gs_intervention_index(name);
    if (k < 0) return unknown_intervention(name, err);
    size_t n;
    const gs_intervention *reg = gs_intervention_registry(&n);
    gs_status st = check_dose(&reg[k], value, "usual value", err);
    if (st != GS_OK) return st;
    s->baseline[k] = value;
    return GS_OK;
}

gs_status gs_schedule_add(gs_schedule *s, const char *name, double start,
                          double stop, double dose, gs_err *err)
{
    int k = gs_intervention_index(name);
    if (k < 0) return unknown_intervention(name, err);
    size_t n;
    const gs_intervention *reg = gs_intervention_registry(&n);
    gs_status st = check_dose(&reg[k], dose, "dose", err);
    if (st != GS_OK) return st;
    if (!isfinite(start) || start < 0)
        return gs_fail(err, GS_ERR_INPUT,
                       "%s: start day %g must be 0 or later", name, start);
    if (!(stop > start))  /* also rejects NaN */
        return gs_fail(err, GS_ERR_INPUT,
                       "%s: stop day %g must be after start day %g (a duration must be positive)",
                       name, stop, start);
    for (size_t i = 0; i < s->n_spans; i++) {
        const gs_dose_span *o = &s->spans[i];
        if (o->intervention == k && start < o->stop && o->start < stop)
            return gs_fail(err, GS_ERR_INPUT,
                           "%s: days %g to %g overlap an earlier %s span (days %g to %g); "
                           "end one before the next starts",
                           name, start, stop, name, o->start, o->stop);
    }
    if (s->n_spans == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 8;
        gs_dose_span *p = realloc(s->spans, cap * sizeof *p);
        if (!p) return gs_fail(err, GS_ERR_NOMEM, "out of memory for a schedule");
        s->spans = p;
        s->cap = cap;
    }
    s->spans[s->n_spans++] = (gs_dose_span){k, start, stop, dose};
    return GS_OK;
}

void gs_schedule_doses_at(const gs_schedule *s, double t, double *dose)
{
    size_t n;
    gs_intervention_registry(&n);
    memcpy(dose, s->baseline, n * sizeof *dose);
    for (size_t i = 0; i < s->n_spans; i++) {
        const gs_dose_span *sp = &s->spans[i];
        if (t >= sp->start && t < sp->stop) dose[sp->intervention] = sp->dose;
    }
}

double gs_schedule_next_change(const gs_schedule *s, double t)
{
    double next = INFINITY;
    for (size_t i = 0; i < s->n_spans; i++) {
        const gs_dose_span *sp = &s->spans[i];
        if (sp->start > t && sp->start < next) next = sp->start;
        if (sp->stop > t && sp->stop < next) next = sp->stop;
    }
    return next;
}
