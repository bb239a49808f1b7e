/*
 * daily.c - journal entries to a daily panel (see include/gutskin/daily.h;
 * allocation and lookup are in panel.c).
 *
 * Three passes over the events: find the span of days and which outcomes
 * and interventions occur; fill exposures and outcome sums; replay starts
 * and stops in time order.  Missing stays NaN: a day without food is not a
 * day without dairy.
 */
#include "gutskin/daily.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_outcome_kind(gs_event_kind k)
{
    return k == GS_EVENT_GUT || k == GS_EVENT_STOOL || k == GS_EVENT_SKIN ||
           k == GS_EVENT_BODY || k == GS_EVENT_SLEEP || k == GS_EVENT_STRESS;
}

/* Outcome slot of (kind, name) in the entry table's order: a running
 * number over all kinds' allowed names, or -1. */
static int outcome_slot(gs_event_kind kind, const char *name)
{
    int slot = 0;
    for (int k = 0; k < GS_EVENT_KIND_COUNT; k++) {
        if (!is_outcome_kind((gs_event_kind)k)) continue;
        const char *const *names = gs_event_kind_names((gs_event_kind)k);
        for (size_t i = 0; names && names[i]; i++, slot++)
            if ((gs_event_kind)k == kind && strcmp(names[i], name) == 0) return slot;
    }
    return -1;
}

static int outcome_slot_count(void)
{
    int n = 0;
    for (int k = 0; k < GS_EVENT_KIND_COUNT; k++) {
        if (!is_outcome_kind((gs_event_kind)k)) continue;
        const char *const *names = gs_event_kind_names((gs_event_kind)k);
        for (size_t i = 0; names && names[i]; i++) n++;
    }
    return n;
}

/* The "kind.name" of slot s into buf. */
static void outcome_slot_name(int s, char *buf, size_t len)
{
    for (int k = 0; k < GS_EVENT_KIND_COUNT; k++) {
        if (!is_outcome_kind((gs_event_kind)k)) continue;
        const char *const *names = gs_event_kind_names((gs_event_kind)k);
        for (size_t i = 0; names && names[i]; i++)
            if (s-- == 0) {
                snprintf(buf, len, "%s.%s", gs_event_kind_name((gs_event_kind)k), names[i]);
                return;
            }
    }
    assert(!"outcome slot out of range");
}

typedef struct dated {
    int64_t day, wall;
    size_t at;
} dated;

static int by_time(const void *a, const void *b)
{
    const dated *x = a, *y = b;
    if (x->wall != y->wall) return x->wall < y->wall ? -1 : 1;
    return x->at < y->at ? -1 : x->at > y->at;
}

gs_status gs_daily_build(const gs_event *ev, size_t n, const gs_lexicon *lex,
                         int day_start_min, gs_daily **out, gs_err *err)
{
    assert(out && lex);
    *out = NULL;
    if (n == 0) return gs_fail(err, GS_ERR_INPUT, "the journal has no entries to analyse");
    if (day_start_min < 0 || day_start_min > 1439)
        return gs_fail(err, GS_ERR_INPUT, "day start %d minutes must be from 0 to 1439",
                       day_start_min);

    int n_slots = outcome_slot_count();
    int *slot_used = calloc((size_t)n_slots, sizeof *slot_used);
    dated *order = malloc(n * sizeof *order);
    const char **iv_names = malloc(n * sizeof *iv_names);
    if (!slot_used || !order || !iv_names) {
        free(slot_used);
        free(order);
        free(iv_names);
        return gs_fail(err, GS_ERR_NOMEM, "out of memory for %zu entries", n);
    }
    int64_t first = INT64_MAX, last = INT64_MIN;
    size_t n_iv = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t d = gs_time_day(&ev[i].at, day_start_min);
        order[i] = (dated){d, ev[i].at.wall, i};
        if (d < first) first = d;
        if (d > last) last = d;
        if (is_outcome_kind(ev[i].kind)) {
            int s = outcome_slot(ev[i].kind, ev[i].name);
            if (s >= 0 && !isnan(ev[i].value)) slot_used[s] = 1;
        } else if (ev[i].kind == GS_EVENT_START) {
            size_t k = 0;
            while (k < n_iv && strcmp(iv_names[k], ev[i].name) != 0) k++;
            if (k == n_iv) iv_names[n_iv++] = ev[i].name;
        }
    }
    /* wall-clock order, so a start and a stop on one day replay as written */
    qsort(order, n, sizeof *order, by_time);

    size_t n_tags = gs_lexicon_tag_count(lex);
    const char **tag_names = malloc((n_tags + 1) * sizeof *tag_names);
    const char **out_names = malloc(((size_t)n_slots + 1) * sizeof *out_names);
    char (*out_buf)[64] = malloc(((size_t)n_slots + 1) * sizeof *out_buf);
    int *slot_col = malloc(((size_t)n_slots + 1) * sizeof *slot_col);
    gs_status st = GS_OK;
    gs_daily *p = NULL;
    if (!tag_names || !out_names || !out_buf || !slot_col) {
        st = gs_fail(err, GS_ERR_NOMEM, "out of memory for %zu tags", n_tags);
        goto done;
    }
    for (size_t t = 0; t < n_tags; t++) tag_names[t] = gs_lexicon_tag_name(lex, t);
    size_t n_out = 0;
    for (int s = 0; s < n_slots; s++) {
        slot_col[s] = -1;
        if (!slot_used[s]) continue;
        outcome_slot_name(s, out_buf[n_out], sizeof out_buf[n_out]);
        out_names[n_out] = out_buf[n_out];
        slot_col[s] = (int)n_out++;
    }
    size_t T = (size_t)(last - first + 1);
    st = gs_daily_alloc(first, T, n_tags, tag_names, n_out, out_names, n_iv, iv_names, &p, err);
    if (st) goto done;

    double *sum = calloc(n_out * T + 1, sizeof *sum);
    unsigned *count = calloc(n_out * T + 1, sizeof *count);
    unsigned char *present = calloc(n_tags + 1, 1);
    int64_t *running = malloc((n_iv + 1) * sizeof *running);  /* day started, or -1 */
    if (!sum || !count || !present || !running) {
        free(sum);
        free(count);
        free(present);
        free(running);
        st = gs_fail(err, GS_ERR_NOMEM, "out of memory for a panel of %zu days", T);
        goto done;
    }
    for (size_t k = 0; k < n_iv; k++) running[k] = -1;
    for (size_t j = 0; j < n; j++) {
        const gs_event *e = &ev[order[j].at];
        size_t d = (size_t)(order[j].day - first);
        if (e->kind == GS_EVENT_FOOD) {
            /* a food logged makes the day known: 0 for every tag not yet seen */
            memset(present, 0, n_tags);
            gs_lexicon_tags_of(lex, e->name, present);
            for (size_t t = 0; t < n_tags; t++) {
                double *x = &p->exposure[t * T + d];
                if (isnan(*x) || present[t]) *x = present[t] ? 1 : 0;
            }
        } else if (is_outcome_kind(e->kind)) {
            int s = outcome_slot(e->kind, e->name);
            if (s < 0 || isnan(e->value)) continue;
            size_t o = (size_t)slot_col[s];
            sum[o * T + d] += e->value;
            count[o * T + d]++;
        } else if (e->kind == GS_EVENT_START || e->kind == GS_EVENT_STOP) {
            int k = gs_daily_intervention_index(p, e->name);
            if (k < 0) continue;  /* a stop of something never started */
            if (e->kind == GS_EVENT_START) {
                if (running[k] < 0) running[k] = (int64_t)d;
                if (p->first_start[k] < 0) p->first_start[k] = (int64_t)d;
            } else if (running[k] >= 0) {
                for (int64_t x = running[k]; x < (int64_t)d; x++) p->active[(size_t)k * T + (size_t)x] = 1;
                running[k] = -1;
            }
        }
    }
    for (size_t k = 0; k < n_iv; k++)
        if (running[k] >= 0)
            for (size_t x = (size_t)running[k]; x < T; x++) p->active[k * T + x] = 1;
    for (size_t i = 0; i < n_out * T; i++)
        if (count[i]) p->outcome[i] = sum[i] / count[i];
    free(sum);
    free(count);
    free(present);
    free(running);

done:
    free(slot_used);
    free(order);
    free(iv_names);
    free(tag_names);
    free(out_names);
    free(out_buf);
    free(slot_col);
    if (st) {
        gs_daily_free(p);
        return st;
    }
    *out = p;
    return GS_OK;
}
