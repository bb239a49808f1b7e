/*
 * synth.h - synthetic journals for testing the statistics: a person who
 * eats from a repertoire of lexicon foods (so tags co-occur as real meals
 * make them), drinks and eats fried food more at weekends, logs AR(1)
 * autocorrelated skin and gut scores, misses some days, starts and stops
 * interventions, and whose chosen outcome responds to planted triggers
 * and intervention effects.  Written as the interchange CSV
 * (timestamp,kind,name,value,unit,note) that `gutskin import` reads.
 *
 * The generating model of the chosen outcome (docs/statistics.md):
 *   u_t = phi u_{t-1} + sum_k effect_k x_k(t - lag_k) + e_t,  e_t ~ N(0, sd^2)
 *   y_t = mean + u_t + sum_j change_j [intervention j active on day t]
 * rounded to the scale's resolution and clamped to its range; x_k(d) is 1
 * when a food eaten on journal day d carries tag k.  So a trigger effect
 * is the immediate rise on the day given yesterday's score (what `analyze
 * triggers` estimates), and an intervention shifts the level (what
 * `analyze effect` estimates).
 */
#ifndef GUTSKIN_SYNTH_H
#define GUTSKIN_SYNTH_H

#include <stddef.h>
#include <stdio.h>

#include "gutskin/lexicon.h"
#include "gutskin/status.h"

#define GS_SYNTH_MAX_PLANTS 16

typedef struct gs_synth_trigger {
    char tag[41];
    int lag;           /* 0-3 days */
    double effect;     /* rise of the outcome */
} gs_synth_trigger;

typedef struct gs_synth_effect {
    char name[81];     /* the intervention */
    int day;           /* journal day (0-based) of its start */
    int stop_day;      /* day of its stop, -1 for never */
    double change;     /* level change of the outcome while it runs */
} gs_synth_effect;

typedef struct gs_synth_opts {
    size_t days;
    unsigned long seed;
    const char *outcome;       /* "kind.name" that carries the plants */
    const char *first_date;    /* "YYYY-MM-DD" of day 0 */
    gs_synth_trigger triggers[GS_SYNTH_MAX_PLANTS];
    size_t n_triggers;
    gs_synth_effect effects[GS_SYNTH_MAX_PLANTS];
    size_t n_effects;
    double missing_days;       /* share of days with nothing logged */
} gs_synth_opts;

/* 365 days, seed 1, skin.itch, from 2025-01-06 (a Monday), 5% missing. */
void gs_synth_opts_default(gs_synth_opts *opts);

/* Parse "TAG:LAG:EFFECT" and "NAME:DAY:CHANGE[:STOPDAY]"; errors name the
 * part and its allowed range. */
gs_status gs_synth_parse_trigger(const char *text, gs_synth_trigger *t, gs_err *err);
gs_status gs_synth_parse_effect(const char *text, gs_synth_effect *e, gs_err *err);

/* Write the journal to out.  Triggers must name tags of lex; the outcome
 * must be a kind.name the entry table allows (not food/start/stop). */
gs_status gs_synth_write(const gs_synth_opts *opts, const gs_lexicon *lex, FILE *out,
                         gs_err *err);

#endif
