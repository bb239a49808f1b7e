/*
 * synth.c - synthetic journals (see include/gutskin/synth.h).
 *
 * The person: a repertoire of 40 lexicon foods (two thirds of the table
 * when it is smaller) eaten with Zipf-like preferences (a few staples, a
 * long tail), so the same foods and hence the same tag combinations recur
 * as in real diets; breakfast draws from the first third.  Weekends add drink (Friday and Saturday evenings) and
 * fried food.  Every planted trigger tag gets three foods carrying it into
 * the repertoire, so it is eaten often enough to be testable.
 *
 * Scores: one AR(1) series per outcome, logged once a day in the evening
 * (sleep in the morning), each day missed with a small probability, and
 * whole days with nothing logged (missing_days).  A late snack after
 * midnight now and then exercises the day start.
 */
#include "gutskin/synth.h"

#include <assert.h>
#include <errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gutskin/event.h"
#include "journal/csv.h"

#define REPERTOIRE 40   /* foods a person eats, at most */
#define MIN_FOODS 10

void gs_synth_opts_default(gs_synth_opts *o)
{
    memset(o, 0, sizeof *o);
    o->days = 365;
    o->seed = 1;
    o->outcome = "skin.itch";
    o->first_date = "2025-01-06";
    o->missing_days = 0.05;
}

/* The next ':'-separated part of *s into buf; 0 when there is none. */
static int next_part(const char **s, char *buf, size_t len)
{
    if (!*s) return 0;
    const char *colon = strchr(*s, ':');
    size_t n = colon ? (size_t)(colon - *s) : strlen(*s);
    if (n >= len) n = len - 1;
    memcpy(buf, *s, n);
    buf[n] = '\0';
    *s = colon ? colon + 1 : NULL;
    return 1;
}

static int parse_number(const char *text, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(text, &end);
    return *text && !*end && !errno && isfinite(*v);
}

gs_status gs_synth_parse_trigger(const char *text, gs_synth_trigger *t, gs_err *err)
{
    const char *s = text;
    char lag[32], eff[32];
    double v;
    if (!next_part(&s, t->tag, sizeof t->tag) || !t->tag[0] || !next_part(&s, lag, sizeof lag) ||
        !next_part(&s, eff, sizeof eff) || s)
        return gs_fail(err, GS_ERR_INPUT, "--trigger '%s' must be TAG:LAG:EFFECT, e.g. dairy:1:1.5",
                       text);
    if (!parse_number(lag, &v) || v != floor(v) || v < 0 || v > 3)
        return gs_fail(err, GS_ERR_INPUT, "--trigger '%s': lag '%s' must be a whole number from 0 to 3",
                       text, lag);
    t->lag = (int)v;
    if (!parse_number(eff, &t->effect) || fabs(t->effect) > 10)
        return gs_fail(err, GS_ERR_INPUT, "--trigger '%s': effect '%s' must be a number from -10 to 10",
                       text, eff);
    return GS_OK;
}

gs_status gs_synth_parse_effect(const char *text, gs_synth_effect *e, gs_err *err)
{
    const char *s = text;
    char day[32], change[32], stop[32];
    double v;
    if (!next_part(&s, e->name, sizeof e->name) || !e->name[0] || !next_part(&s, day, sizeof day) ||
        !next_part(&s, change, sizeof change))
        return gs_fail(err, GS_ERR_INPUT,
                       "--effect '%s' must be NAME:DAY:CHANGE[:STOPDAY], e.g. zinc:90:-1.5", text);
    if (!parse_number(day, &v) || v != floor(v) || v < 1 || v > 100000)
        return gs_fail(err, GS_ERR_INPUT, "--effect '%s': day '%s' must be a whole number from 1",
                       text, day);
    e->day = (int)v;
    if (!parse_number(change, &e->change) || fabs(e->change) > 10)
        return gs_fail(err, GS_ERR_INPUT, "--effect '%s': change '%s' must be a number from -10 to 10",
                       text, change);
    e->stop_day = -1;
    if (next_part(&s, stop, sizeof stop)) {
        if (s || !parse_number(stop, &v) || v != floor(v) || v <= e->day || v > 100000)
            return gs_fail(err, GS_ERR_INPUT,
                           "--effect '%s': stop day '%s' must be a whole number after the start day %d",
                           text, stop, e->day);
        e->stop_day = (int)v;
    }
    return GS_OK;
}

/* How each outcome behaves: mean, sd of the day-to-day noise, phi, the
 * resolution people log it at, and an hour it is logged. */
typedef struct scale {
    const char *name;
    double mean, sd, phi, step;
    int hour;
} scale;

static const scale scales[] = {
    {"skin.itch", 4.0, 1.0, 0.5, 1, 21},       {"skin.redness", 3.5, 0.9, 0.6, 1, 21},
    {"gut.bloating", 3.0, 1.1, 0.4, 1, 21},    {"stool.bristol", 4.0, 0.9, 0.2, 1, 8},
    {"sleep.hours", 7.0, 0.8, 0.3, 0.25, 7},   {"stress.level", 4.0, 1.2, 0.6, 1, 21},
    {"body.fatigue", 4.0, 1.0, 0.5, 1, 21},
};
#define N_SCALES (sizeof scales / sizeof scales[0])

typedef struct person {
    size_t food[REPERTOIRE];
    double weight[REPERTOIRE];
    size_t n_food, n_breakfast;
    size_t drink[8], n_drink;
    size_t fried[8], n_fried;
    gsl_ran_discrete_t *pick, *pick_breakfast;
} person;

/* Foods carrying tag (up to max), in random order; -1 tag gives none. */
static size_t foods_with_tag(const gs_lexicon *lex, int tag, size_t *out, size_t max,
                             gsl_rng *r)
{
    if (tag < 0) return 0;
    size_t nf = gs_lexicon_food_count(lex), n = 0;
    size_t *all = malloc((nf + 1) * sizeof *all);
    if (!all) return 0;
    for (size_t f = 0; f < nf; f++) {
        const size_t *tags;
        size_t nt = gs_lexicon_food_tags(lex, f, &tags);
        for (size_t k = 0; k < nt; k++)
            if (tags[k] == (size_t)tag) {
                all[n++] = f;
                break;
            }
    }
    if (n) gsl_ran_shuffle(r, all, n, sizeof *all);
    if (n > max) n = max;
    memcpy(out, all, n * sizeof *out);
    free(all);
    return n;
}

static int in_repertoire(const person *p, size_t f)
{
    for (size_t i = 0; i < p->n_food; i++)
        if (p->food[i] == f) return 1;
    return 0;
}

static gs_status make_person(const gs_synth_opts *o, const gs_lexicon *lex, gsl_rng *r,
                             person *p, gs_err *err)
{
    memset(p, 0, sizeof *p);
    size_t nf = gs_lexicon_food_count(lex);
    if (nf < MIN_FOODS)
        return gs_fail(err, GS_ERR_INPUT, "the lexicon has %zu foods; synth needs at least %d",
                       nf, MIN_FOODS);
    size_t want = nf >= REPERTOIRE * 3 / 2 ? REPERTOIRE : nf * 2 / 3;
    /* the planted tags' foods first, then a random draw */
    for (size_t k = 0; k < o->n_triggers; k++) {
        int tag = gs_lexicon_tag_index(lex, o->triggers[k].tag);
        size_t got[3];
        size_t n = foods_with_tag(lex, tag, got, 3, r);
        for (size_t i = 0; i < n && p->n_food < want / 2; i++)
            if (!in_repertoire(p, got[i])) p->food[p->n_food++] = got[i];
    }
    while (p->n_food < want) {
        size_t f = gsl_rng_uniform_int(r, nf);
        if (!in_repertoire(p, f)) p->food[p->n_food++] = f;
    }
    /* preferences: Zipf-like over a shuffled order, planted foods kept
       in the middle so they are eaten on a fair share of days */
    gsl_ran_shuffle(r, p->food, p->n_food, sizeof p->food[0]);
    for (size_t i = 0; i < p->n_food; i++) p->weight[i] = 1.0 / (1.0 + 0.3 * (double)i);
    p->pick = gsl_ran_discrete_preproc(p->n_food, p->weight);
    p->n_breakfast = p->n_food / 3;
    p->pick_breakfast = gsl_ran_discrete_preproc(p->n_breakfast, p->weight);
    p->n_drink = foods_with_tag(lex, gs_lexicon_tag_index(lex, "alcohol"), p->drink, 4, r);
    p->n_fried = foods_with_tag(lex, gs_lexicon_tag_index(lex, "fried"), p->fried, 4, r);
    if (!p->pick || !p->pick_breakfast)
        return gs_fail(err, GS_ERR_NOMEM, "out of memory for the synthetic person");
    return GS_OK;
}

static void free_person(person *p)
{
    if (p->pick) gsl_ran_discrete_free(p->pick);
    if (p->pick_breakfast) gsl_ran_discrete_free(p->pick_breakfast);
}

/* One CSV row; the time is day d of the journal at h:m (h may be >= 24
 * for after midnight). */
static void row(FILE *out, int64_t day0_wall, size_t d, int h, int m, const char *kind,
                const char *name, double value, const char *unit)
{
    gs_time t = {day0_wall + (int64_t)d * 86400 + h * 3600 + m * 60, 0, 0};
    char buf[GS_TIME_TEXT_MAX];
    gs_time_format(&t, buf);
    fprintf(out, "%s,%s,", buf, kind);
    gs_csv_put(out, name);
    if (isnan(value)) fprintf(out, ",,");
    else fprintf(out, ",%g,", value);
    fprintf(out, "%s,\n", unit);
}

static void meal(FILE *out, int64_t w0, size_t d, int h, int m, const person *p,
                 const gs_lexicon *lex, gsl_ran_discrete_t *pick, int n_foods, gsl_rng *r,
                 unsigned char *present)
{
    for (int i = 0; i < n_foods; i++) {
        size_t f = p->food[gsl_ran_discrete(r, pick)];
        const char *name = gs_lexicon_food_name(lex, f);
        gs_lexicon_tags_of(lex, name, present);
        row(out, w0, d, h, m + i, "food", name, NAN, "");
    }
}

gs_status gs_synth_write(const gs_synth_opts *o, const gs_lexicon *lex, FILE *out,
                         gs_err *err)
{
    assert(o && lex && out);
    if (o->days < 1 || o->days > 36500)
        return gs_fail(err, GS_ERR_INPUT, "--days %zu must be from 1 to 36500", o->days);
    size_t plant = N_SCALES;
    for (size_t s = 0; s < N_SCALES; s++)
        if (strcmp(scales[s].name, o->outcome) == 0) plant = s;
    if (plant == N_SCALES) {
        char list[256] = "";
        for (size_t s = 0; s < N_SCALES; s++) {
            strncat(list, s ? ", " : "", sizeof list - strlen(list) - 1);
            strncat(list, scales[s].name, sizeof list - strlen(list) - 1);
        }
        return gs_fail(err, GS_ERR_INPUT, "--outcome '%s' is not one of %s", o->outcome, list);
    }
    for (size_t k = 0; k < o->n_triggers; k++)
        if (gs_lexicon_tag_index(lex, o->triggers[k].tag) < 0)
            return gs_fail(err, GS_ERR_INPUT, "--trigger tag '%s' is not a tag of the lexicon",
                           o->triggers[k].tag);
    for (size_t k = 0; k < o->n_effects; k++)
        if ((size_t)o->effects[k].day >= o->days)
            return gs_fail(err, GS_ERR_INPUT, "--effect %s starts on day %d, after the last day %zu",
                           o->effects[k].name, o->effects[k].day, o->days - 1);
    gs_time t0;
    if (gs_time_parse(o->first_date, &t0, err)) return GS_ERR_INPUT;
    int64_t w0 = t0.wall - t0.wall % 86400;  /* midnight of day 0 */

    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    size_t n_tags = gs_lexicon_tag_count(lex);
    size_t D = o->days;
    unsigned char *eaten = calloc(D * (n_tags + 1), 1);  /* tags per day */
    unsigned char *food_logged = calloc(D, 1);
    if (!r || !eaten || !food_logged) {
        if (r) gsl_rng_free(r);
        free(eaten);
        free(food_logged);
        return gs_fail(err, GS_ERR_NOMEM, "out of memory for %zu synthetic days", D);
    }
    gsl_rng_set(r, o->seed);
    person p;
    gs_status st = make_person(o, lex, r, &p, err);
    if (st) goto done;

    fprintf(out, "timestamp,kind,name,value,unit,note\n");
    double u[N_SCALES];
    for (size_t s = 0; s < N_SCALES; s++) u[s] = gsl_ran_gaussian(r, scales[s].sd);
    for (size_t d = 0; d < D; d++) {
        int weekday = (int)((d + (size_t)(((w0 / 86400) % 7 + 7 + 3) % 7)) % 7); /* 0 = Monday */
        int nothing = gsl_rng_uniform(r) < o->missing_days;
        int no_food = nothing || gsl_rng_uniform(r) < 0.03;
        unsigned char *today = eaten + d * (n_tags + 1);
        for (size_t k = 0; k < o->n_effects; k++) {
            const gs_synth_effect *e = &o->effects[k];
            if ((size_t)e->day == d) row(out, w0, d, 8, 0, "start", e->name, NAN, "");
            if (e->stop_day >= 0 && (size_t)e->stop_day == d && d < D)
                row(out, w0, d, 8, 1, "stop", e->name, NAN, "");
        }
        /* sleep is logged on waking, before the day's meals */
        if (!no_food) {
            food_logged[d] = 1;
            meal(out, w0, d, 8, 0, &p, lex, p.pick_breakfast, 1 + (gsl_rng_uniform(r) < 0.5), r, today);
            meal(out, w0, d, 12, 30, &p, lex, p.pick, 2, r, today);
            if (gsl_rng_uniform(r) < 0.5) meal(out, w0, d, 16, 0, &p, lex, p.pick, 1, r, today);
            meal(out, w0, d, 19, 0, &p, lex, p.pick, 2 + (gsl_rng_uniform(r) < 0.5), r, today);
            int weekend = weekday >= 4;  /* Friday to Sunday */
            if ((weekday == 4 || weekday == 5) && p.n_drink && gsl_rng_uniform(r) < 0.6) {
                const char *name = gs_lexicon_food_name(lex, p.drink[gsl_rng_uniform_int(r, p.n_drink)]);
                gs_lexicon_tags_of(lex, name, today);
                row(out, w0, d, 21, 30, "food", name, NAN, "");
            }
            if (weekend && p.n_fried && gsl_rng_uniform(r) < 0.5) {
                const char *name = gs_lexicon_food_name(lex, p.fried[gsl_rng_uniform_int(r, p.n_fried)]);
                gs_lexicon_tags_of(lex, name, today);
                row(out, w0, d, 20, 0, "food", name, NAN, "");
            }
            /* a late snack at 00:40 belongs to this journal day */
            if (d + 1 < D && gsl_rng_uniform(r) < 0.08)
                meal(out, w0, d, 24, 40, &p, lex, p.pick, 1, r, today);
        }
        for (size_t s = 0; s < N_SCALES; s++) {
            const scale *sc = &scales[s];
            double drive = 0;
            if (s == plant)
                for (size_t k = 0; k < o->n_triggers; k++) {
                    const gs_synth_trigger *tr = &o->triggers[k];
                    if (d < (size_t)tr->lag) continue;
                    size_t dd = d - (size_t)tr->lag;
                    int tag = gs_lexicon_tag_index(lex, tr->tag);
                    if (food_logged[dd] && eaten[dd * (n_tags + 1) + (size_t)tag]) drive += tr->effect;
                }
            u[s] = sc->phi * u[s] + drive + gsl_ran_gaussian(r, sc->sd);
            double y = sc->mean + u[s];
            if (s == plant)
                for (size_t k = 0; k < o->n_effects; k++) {
                    const gs_synth_effect *e = &o->effects[k];
                    if (d >= (size_t)e->day && (e->stop_day < 0 || d < (size_t)e->stop_day))
                        y += e->change;
                }
            double lo, hi;
            int whole, required;
            gs_event_kind kind;
            char kname[16];
            const char *dot = strchr(sc->name, '.');
            snprintf(kname, sizeof kname, "%.*s", (int)(dot - sc->name), sc->name);
            gs_event_kind_parse(kname, &kind, NULL);
            gs_event_value_range(kind, dot + 1, &lo, &hi, &whole, &required, NULL);
            y = round(y / sc->step) * sc->step;
            y = y < lo ? lo : y > hi ? hi : y;
            if (nothing || gsl_rng_uniform(r) < 0.04) continue;
            row(out, w0, d, sc->hour, 5 * (int)s, kname, dot + 1, y, strcmp(kname, "sleep") ? "" : "h");
        }
    }
    if (ferror(out)) st = gs_fail(err, GS_ERR_IO, "could not write the synthetic journal");
done:
    free_person(&p);
    gsl_rng_free(r);
    free(eaten);
    free(food_logged);
    return st;
}
