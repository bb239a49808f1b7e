/*
 * daily.h - a journal as a daily panel: one row per journal day, with the
 * exposures (food tags), outcomes (symptom scores) and interventions of
 * that day.  The statistics (stats.h) work on panels, never on raw events.
 *
 * Days are journal days (gs_time_day with the journal's day start), so a
 * 01:30 snack belongs to the evening before.  Missing is NaN, never 0:
 *
 *   exposure[e][d]  1 if any food eaten on day d carries tag e, 0 if foods
 *                   were logged on d but none carries it, NaN if no food
 *                   at all was logged on d;
 *   outcome[o][d]   the mean of the values of kind.name o logged on d
 *                   ("skin.itch", "stool.bristol", ...), NaN when none;
 *   active[i][d]    1 while intervention i runs: from the day of its start
 *                   event up to (not including) the day of its stop event,
 *                   or to the end when it was never stopped.
 */
#ifndef GUTSKIN_DAILY_H
#define GUTSKIN_DAILY_H

#include <stddef.h>
#include <stdint.h>

#include "gutskin/event.h"
#include "gutskin/lexicon.h"
#include "gutskin/status.h"

typedef struct gs_daily {
    int64_t first_day;      /* gs_time_day number of row 0 */
    size_t n_days;

    size_t n_exposures;
    char **exposure_names;  /* lexicon tags */
    double *exposure;       /* n_exposures x n_days: exposure[e * n_days + d] */

    size_t n_outcomes;
    char **outcome_names;   /* "kind.name" */
    double *outcome;        /* n_outcomes x n_days */

    size_t n_interventions;
    char **intervention_names;
    unsigned char *active;  /* n_interventions x n_days */
    int64_t *first_start;   /* row of each intervention's first start */
} gs_daily;

/* Allocate a panel of n_days rows with the given names (copied); values
 * start missing (NaN) and interventions inactive.  Names may be NULL when
 * the count is 0.  Free with gs_daily_free. */
gs_status gs_daily_alloc(int64_t first_day, size_t n_days, size_t n_exposures,
                         const char *const *exposure_names, size_t n_outcomes,
                         const char *const *outcome_names, size_t n_interventions,
                         const char *const *intervention_names, gs_daily **out, gs_err *err);

/* Build the panel of events (any order) cut at day_start_min (0-1439).
 * Exposures are all tags of lex, in its order; outcomes are the kind.name
 * pairs that occur, in the order of the entry table (event.h);
 * interventions in the order of their first start.  A stop with no
 * running start is ignored (it stops nothing).  The panel spans the first
 * to the last day with any event; no events is an input error. */
gs_status gs_daily_build(const gs_event *events, size_t n_events, const gs_lexicon *lex,
                         int day_start_min, gs_daily **out, gs_err *err);

void gs_daily_free(gs_daily *panel);

/* Index of a name, or -1. */
int gs_daily_outcome_index(const gs_daily *panel, const char *name);
int gs_daily_exposure_index(const gs_daily *panel, const char *name);
int gs_daily_intervention_index(const gs_daily *panel, const char *name);

#endif
