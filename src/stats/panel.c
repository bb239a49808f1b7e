/*
 * panel.c - allocation and lookup of a daily panel (include/gutskin/daily.h);
 * building one from journal entries is daily.c, which needs the lexicon.
 */
#include "gutskin/daily.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void free_names(char **names, size_t n)
{
    if (!names) return;
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
}

void gs_daily_free(gs_daily *panel)
{
    if (!panel) return;
    free_names(panel->exposure_names, panel->n_exposures);
    free_names(panel->outcome_names, panel->n_outcomes);
    free_names(panel->intervention_names, panel->n_interventions);
    free(panel->exposure);
    free(panel->outcome);
    free(panel->active);
    free(panel->first_start);
    free(panel);
}

static char **copy_names(const char *const *names, size_t n, int *ok)
{
    char **out = calloc(n + 1, sizeof *out);
    if (!out) {
        *ok = 0;
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        if (!(out[i] = strdup(names[i]))) *ok = 0;
    return out;
}

gs_status gs_daily_alloc(int64_t first_day, size_t n_days, size_t n_exposures,
                         const char *const *exposure_names, size_t n_outcomes,
                         const char *const *outcome_names, size_t n_interventions,
                         const char *const *intervention_names, gs_daily **out, gs_err *err)
{
    assert(out);
    *out = NULL;
    if (n_days == 0) return gs_fail(err, GS_ERR_INPUT, "a panel needs at least one day");
    gs_daily *p = calloc(1, sizeof *p);
    if (!p) return gs_fail(err, GS_ERR_NOMEM, "out of memory for a panel");
    int ok = 1;
    p->first_day = first_day;
    p->n_days = n_days;
    p->n_exposures = n_exposures;
    p->n_outcomes = n_outcomes;
    p->n_interventions = n_interventions;
    p->exposure_names = copy_names(exposure_names, n_exposures, &ok);
    p->outcome_names = copy_names(outcome_names, n_outcomes, &ok);
    p->intervention_names = copy_names(intervention_names, n_interventions, &ok);
    p->exposure = malloc((n_exposures * n_days + 1) * sizeof *p->exposure);
    p->outcome = malloc((n_outcomes * n_days + 1) * sizeof *p->outcome);
    p->active = calloc(n_interventions * n_days + 1, 1);
    p->first_start = malloc((n_interventions + 1) * sizeof *p->first_start);
    if (!ok || !p->exposure || !p->outcome || !p->active || !p->first_start) {
        gs_daily_free(p);
        return gs_fail(err, GS_ERR_NOMEM, "out of memory for a panel of %zu days", n_days);
    }
    for (size_t i = 0; i < n_exposures * n_days; i++) p->exposure[i] = NAN;
    for (size_t i = 0; i < n_outcomes * n_days; i++) p->outcome[i] = NAN;
    for (size_t i = 0; i < n_interventions; i++) p->first_start[i] = -1;
    *out = p;
    return GS_OK;
}

static int index_of(char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0) return (int)i;
    return -1;
}

int gs_daily_outcome_index(const gs_daily *p, const char *name)
{
    return index_of(p->outcome_names, p->n_outcomes, name);
}

int gs_daily_exposure_index(const gs_daily *p, const char *name)
{
    return index_of(p->exposure_names, p->n_exposures, name);
}

int gs_daily_intervention_index(const gs_daily *p, const char *name)
{
    return index_of(p->intervention_names, p->n_interventions, name);
}

