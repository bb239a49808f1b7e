/*
 * analyze.c - the options of the analyses (one table: name, which
 * analyses read it, range), checking them, the journal as a panel, and
 * what the analyses share: finding an outcome, the person's day-to-day
 * noise, the "not enough data yet" sentence.  The documents themselves
 * are built in analyze_triggers.c and analyze_effect.c.
 */
#include "gutskin/analyze.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats/analyze_doc.h"

/* ---- the options ------------------------------------------------------------ */

typedef enum opt_kind {
    K_OUTCOME,   /* appended to outcomes[] */
    K_NAME,      /* const char * */
    K_LAGS,      /* lag_min, lag_max */
    K_INT,       /* int */
    K_SIZE,      /* size_t */
    K_ULONG,     /* unsigned long */
    K_REAL       /* double; NAN: not given */
} opt_kind;

#define TRIG (1u << GS_ANALYZE_TRIGGERS)
#define EFF (1u << GS_ANALYZE_EFFECT)
#define POW (1u << GS_ANALYZE_POWER)

typedef struct opt_row {
    const char *name;    /* as a query parameter; the command spells it
                            --name with '-' for '_' */
    unsigned analyses;   /* mask of 1 << gs_analysis */
    opt_kind kind;
    size_t offset;       /* into gs_analyze_opts */
    double lo, hi;       /* the range of a number (whole ones are exact) */
    unsigned flags;
} opt_row;

/* flags of a row */
enum {
    ZERO_UNSET = 1,   /* 0 means "not given": the default decides */
    NOT_WEB = 2       /* not offered over HTTP: the server's cores are shared */
};

#define AT(f) offsetof(gs_analyze_opts, f)

/* Messages list the options in this order. */
static const opt_row OPTS[] = {
    {"name", EFF, K_NAME, AT(name), 0, 0, 0},
    {"outcome", TRIG | EFF | POW, K_OUTCOME, AT(outcomes), 0, 0, 0},
    {"lags", TRIG, K_LAGS, AT(lag_min), 0, 3, 0},
    {"permutations", TRIG, K_SIZE, AT(permutations), 1, 1000000, 0},
    {"threads", TRIG, K_INT, AT(threads), 1, 1024, ZERO_UNSET | NOT_WEB},
    {"min_days", TRIG, K_SIZE, AT(min_days), 3, 1000, 0},
    {"washin", EFF, K_INT, AT(washin), 0, 365, 0},
    {"run", EFF, K_SIZE, AT(run), 1, 1000, ZERO_UNSET},
    {"change", POW, K_REAL, AT(change), -100, 100, 0},
    {"days_so_far", POW, K_SIZE, AT(days_so_far), 0, 36500, 0},
    {"before", POW, K_SIZE, AT(before), 3, 36500, ZERO_UNSET},
    {"sd", POW, K_REAL, AT(sd), 1e-6, 1000, 0},
    {"phi", POW, K_REAL, AT(phi), -0.99, 0.99, 0},
    {"reps", EFF | POW, K_SIZE, AT(reps), 10, 100000, 0},
    {"seed", TRIG | POW, K_ULONG, AT(seed), 0, 4294967295.0, 0},
};
#define N_OPTS (sizeof OPTS / sizeof OPTS[0])

static const char *const ANALYSIS_NAMES[] = {"triggers", "effect", "power"};

void gs_analyze_opts_default(gs_analyze_opts *o, gs_analysis analysis)
{
    memset(o, 0, sizeof *o);
    o->analysis = analysis;
    o->lag_min = 0;
    o->lag_max = 3;
    o->permutations = 1000;
    o->seed = 1;
    o->threads = 0;
    o->min_days = 10;
    o->washin = 0;
    o->reps = 400;
    o->change = NAN;
    o->days_so_far = 0;
    o->before = 0;
    o->sd = NAN;
    o->phi = NAN;
}

const char *gs_analyze_option_name(gs_analysis analysis, int web, size_t i)
{
    for (size_t k = 0; k < N_OPTS; k++) {
        if (!(OPTS[k].analyses & (1u << analysis)) || (web && (OPTS[k].flags & NOT_WEB)))
            continue;
        if (i-- == 0) return OPTS[k].name;
    }
    return NULL;
}

/* The option as the caller's user writes it: "--min-days" or "min_days"
 * (the command takes an effect's name as its argument NAME). */
static const char *spell(const gs_analyze_opts *o, const char *name, char *buf, size_t len)
{
    if (!o->cli_spelling) return name;
    if (strcmp(name, "name") == 0) return "NAME";
    size_t k = (size_t)snprintf(buf, len, "--%s", name);
    for (size_t i = 2; i < k && i < len; i++)
        if (buf[i] == '_') buf[i] = '-';
    return buf;
}

static const opt_row *find_row(const char *name)
{
    char canon[32];
    size_t n = strlen(name);
    if (n >= sizeof canon) return NULL;
    for (size_t i = 0; i <= n; i++) canon[i] = name[i] == '-' ? '_' : name[i];
    for (size_t i = 0; i < N_OPTS; i++)
        if (strcmp(OPTS[i].name, canon) == 0) return &OPTS[i];
    return NULL;
}

static gs_status unknown_option(const gs_analyze_opts *o, const char *name, gs_err *err)
{
    char list[256] = "", sp[40];
    const char *opt;
    for (size_t i = 0; (opt = gs_analyze_option_name(o->analysis, 0, i)); i++) {
        strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
        strncat(list, spell(o, opt, sp, sizeof sp), sizeof list - strlen(list) - 1);
    }
    return gs_fail(err, GS_ERR_INPUT, "'%s' is not an option of analyze %s; it takes %s", name,
                   ANALYSIS_NAMES[o->analysis], list);
}

/* "OPT 'TEXT' must be ..." for a number outside its range or not one. */
static gs_status out_of_range(const gs_analyze_opts *o, const opt_row *r, const char *text,
                              gs_err *err)
{
    char sp[40];
    const char *what = spell(o, r->name, sp, sizeof sp);
    if (r->kind == K_REAL)
        return gs_fail(err, GS_ERR_INPUT, "%s '%s' must be a number from %g to %g", what, text,
                       r->lo, r->hi);
    return gs_fail(err, GS_ERR_INPUT, "%s '%s' must be a whole number from %.0f to %.0f", what,
                   text, r->lo, r->hi);
}

static gs_status bad_lags(const gs_analyze_opts *o, const char *text, gs_err *err)
{
    char sp[40];
    return gs_fail(err, GS_ERR_INPUT, "%s '%s' must be A-B (or A) with 0 <= A <= B <= 3",
                   spell(o, "lags", sp, sizeof sp), text);
}

gs_status gs_analyze_opts_set(gs_analyze_opts *o, const char *name, const char *text,
                              gs_err *err)
{
    assert(o && name && text);
    const opt_row *r = find_row(name);
    if (!r || !(r->analyses & (1u << o->analysis))) return unknown_option(o, name, err);
    char *at = (char *)o + r->offset;
    switch (r->kind) {
    case K_OUTCOME:
        if (o->analysis != GS_ANALYZE_TRIGGERS) o->n_outcomes = 0;
        if (o->n_outcomes == GS_ANALYZE_OUTCOMES_MAX) {
            char sp[40];
            return gs_fail(err, GS_ERR_INPUT, "at most %d %s", GS_ANALYZE_OUTCOMES_MAX,
                           spell(o, "outcome", sp, sizeof sp));
        }
        o->outcomes[o->n_outcomes++] = text;
        return GS_OK;
    case K_NAME:
        *(const char **)at = text;
        return GS_OK;
    case K_LAGS: {
        int a, b;
        char tail;
        if (sscanf(text, "%d-%d%c", &a, &b, &tail) != 2) {
            if (sscanf(text, "%d%c", &a, &tail) != 1) return bad_lags(o, text, err);
            b = a;
        }
        if (!(a >= 0 && b <= 3 && a <= b)) return bad_lags(o, text, err);
        o->lag_min = a;
        o->lag_max = b;
        return GS_OK;
    }
    case K_REAL: {
        char *end;
        double v = strtod(text, &end);
        if (!*text || *end || !(v >= r->lo && v <= r->hi)) return out_of_range(o, r, text, err);
        *(double *)at = v;
        return GS_OK;
    }
    default: {
        char *end;
        errno = 0;
        long long v = strtoll(text, &end, 10);
        if (!*text || *end || errno || v < (long long)r->lo || v > (long long)r->hi)
            return out_of_range(o, r, text, err);
        if (r->kind == K_INT) *(int *)at = (int)v;
        else if (r->kind == K_SIZE) *(size_t *)at = (size_t)v;
        else *(unsigned long *)at = (unsigned long)v;
        return GS_OK;
    }
    }
}

/* The value of a number option, for checking a struct filled in C. */
static double number_of(const gs_analyze_opts *o, const opt_row *r)
{
    const char *at = (const char *)o + r->offset;
    switch (r->kind) {
    case K_INT: return *(const int *)at;
    case K_SIZE: return (double)*(const size_t *)at;
    case K_ULONG: return (double)*(const unsigned long *)at;
    default: return *(const double *)at;
    }
}

static gs_status fail_on(const char **field, const char *name, gs_status st)
{
    if (field) *field = name;
    return st;
}

gs_status gs_analyze_check(const gs_analyze_opts *o, const char **field, gs_err *err)
{
    assert(o);
    if (field) *field = NULL;
    if ((unsigned)o->analysis > GS_ANALYZE_POWER)
        return gs_fail(err, GS_ERR_INPUT, "analysis %d is not one of triggers, effect, power",
                       (int)o->analysis);
    char sp[40], text[64];
    for (size_t i = 0; i < N_OPTS; i++) {
        const opt_row *r = &OPTS[i];
        if (!(r->analyses & (1u << o->analysis))) continue;
        if (r->kind == K_LAGS) {
            if (!(o->lag_min >= 0 && o->lag_max <= 3 && o->lag_min <= o->lag_max)) {
                snprintf(text, sizeof text, "%d-%d", o->lag_min, o->lag_max);
                return fail_on(field, r->name, bad_lags(o, text, err));
            }
        } else if (r->kind == K_OUTCOME) {
            size_t most = o->analysis == GS_ANALYZE_TRIGGERS ? GS_ANALYZE_OUTCOMES_MAX : 1;
            if (o->n_outcomes > most)
                return fail_on(field, r->name,
                               gs_fail(err, GS_ERR_INPUT, "give at most %zu %s", most,
                                       spell(o, r->name, sp, sizeof sp)));
            for (size_t k = 0; k < o->n_outcomes; k++)
                if (!o->outcomes[k] || !o->outcomes[k][0])
                    return fail_on(field, r->name,
                                   gs_fail(err, GS_ERR_INPUT, "%s must not be empty",
                                           spell(o, r->name, sp, sizeof sp)));
        } else if (r->kind != K_NAME) {
            double v = number_of(o, r);
            if (isnan(v) || (v == 0 && (r->flags & ZERO_UNSET)))
                continue;   /* not given: the defaults, or the checks below, decide */
            if (!(v >= r->lo && v <= r->hi)) {
                snprintf(text, sizeof text, "%.10g", v);
                return fail_on(field, r->name, out_of_range(o, r, text, err));
            }
        }
    }
    if (o->analysis == GS_ANALYZE_EFFECT && (!o->name || !o->name[0]))
        return fail_on(field, "name",
                       gs_fail(err, GS_ERR_INPUT,
                               o->cli_spelling
                                   ? "give one intervention NAME (as in 'gutskin start NAME'); "
                                     "see --help"
                                   : "name is required: the intervention (as started in the "
                                     "journal) whose effect to estimate"));
    if (o->analysis == GS_ANALYZE_POWER) {
        const char *c = spell(o, "change", sp, sizeof sp);
        if (isnan(o->change))
            return fail_on(field, "change",
                           gs_fail(err, GS_ERR_INPUT, "%s%s is required: the change in the "
                                   "outcome's points to detect", c, o->cli_spelling ? " D" : ""));
        if (o->change == 0)
            return fail_on(field, "change", gs_fail(err, GS_ERR_INPUT, "%s must not be 0", c));
        if (isnan(o->sd) != isnan(o->phi)) {
            char sp2[40];
            return fail_on(field, isnan(o->sd) ? "sd" : "phi",
                           gs_fail(err, GS_ERR_INPUT, "give %s and %s together, or neither to "
                                   "estimate both from the journal",
                                   spell(o, "sd", sp, sizeof sp), spell(o, "phi", sp2,
                                                                        sizeof sp2)));
        }
    }
    return GS_OK;
}

int gs_analyze_needs_journal(const gs_analyze_opts *o)
{
    return !(o->analysis == GS_ANALYZE_POWER && !isnan(o->sd) && !isnan(o->phi));
}

gs_status gs_analyze_run(const gs_daily *panel, const gs_analyze_opts *o, json_t **doc,
                         const char **field, gs_err *err)
{
    assert(o && doc);
    *doc = NULL;
    gs_status st = gs_analyze_check(o, field, err);
    if (st) return st;
    if (!panel && gs_analyze_needs_journal(o))
        return gs_fail(err, GS_ERR_INTERNAL, "analyze %s needs the journal's panel",
                       ANALYSIS_NAMES[o->analysis]);
    switch (o->analysis) {
    case GS_ANALYZE_TRIGGERS: return gs_analyze_triggers_doc(panel, o, doc, field, err);
    case GS_ANALYZE_EFFECT: return gs_analyze_effect_doc(panel, o, doc, field, err);
    default: return gs_analyze_power_doc(panel, o, doc, field, err);
    }
}

/* ---- the journal as a panel ----------------------------------------------- */

gs_status gs_analyze_panel(gs_db *db, const gs_lexicon *lex, gs_daily **panel, gs_err *err)
{
    assert(db && lex && panel);
    *panel = NULL;
    gs_event *ev = NULL;
    size_t n = 0;
    gs_status st = gs_db_events(db, NULL, NULL, &ev, &n, err);
    if (!st && n == 0)
        st = gs_fail(err, GS_ERR_INPUT, "the journal %s has no entries yet", gs_db_path(db));
    if (!st) st = gs_daily_build(ev, n, lex, gs_db_day_start(db), panel, err);
    free(ev);
    return st;
}

/* ---- what the analyses share -------------------------------------------------- */

gs_status gs_analyze_find_outcome(const gs_daily *p, const char *name, size_t *out, gs_err *err)
{
    int k = gs_daily_outcome_index(p, name);
    if (k < 0 && !strchr(name, '.')) {
        for (size_t o = 0; o < p->n_outcomes; o++) {
            const char *dot = strchr(p->outcome_names[o], '.');
            if (dot && strcmp(dot + 1, name) == 0) {
                if (k >= 0)
                    return gs_fail(err, GS_ERR_INPUT,
                                   "outcome '%s' is ambiguous; write kind.name (%s or %s)",
                                   name, p->outcome_names[k], p->outcome_names[o]);
                k = (int)o;
            }
        }
    }
    if (k < 0) {
        char list[768] = "";
        for (size_t o = 0; o < p->n_outcomes; o++) {
            strncat(list, o ? ", " : "", sizeof list - strlen(list) - 1);
            strncat(list, p->outcome_names[o], sizeof list - strlen(list) - 1);
        }
        return gs_fail(err, GS_ERR_INPUT, "outcome '%s' is not logged in this journal; it has %s",
                       name, p->n_outcomes ? list : "no scores yet");
    }
    *out = (size_t)k;
    return GS_OK;
}

gs_status gs_analyze_default_outcome(const gs_daily *p, size_t *out, gs_err *err)
{
    for (size_t o = 0; o < p->n_outcomes; o++)
        if (strncmp(p->outcome_names[o], "skin.", 5) == 0) {
            *out = o;
            return GS_OK;
        }
    if (p->n_outcomes == 0)
        return gs_fail(err, GS_ERR_INPUT, "the journal has no scores logged yet");
    *out = 0;
    return GS_OK;
}

size_t gs_analyze_outcome_days(const gs_daily *p, size_t o, size_t from, size_t to,
                               int64_t *day, double *y)
{
    size_t n = 0;
    for (size_t d = from; d < to; d++) {
        double v = p->outcome[o * p->n_days + d];
        if (isnan(v)) continue;
        day[n] = (int64_t)d;
        y[n] = v;
        n++;
    }
    return n;
}

gs_status gs_analyze_person_noise(const gs_daily *p, size_t o, size_t from, size_t to,
                                  double *sd, double *phi, size_t *n_days, gs_err *err)
{
    int64_t *day = malloc((p->n_days + 1) * sizeof *day);
    double *y = malloc((p->n_days + 1) * sizeof *y), *X = malloc((p->n_days + 1) * sizeof *X);
    if (!day || !y || !X) {
        free(day);
        free(y);
        free(X);
        return gs_fail(err, GS_ERR_NOMEM, "out of memory");
    }
    size_t n = gs_analyze_outcome_days(p, o, from, to, day, y);
    for (size_t i = 0; i < n; i++) X[i] = 1;
    *n_days = n;
    gs_gls_fit f;
    gs_status st = n < 10 ? gs_fail(err, GS_ERR_INPUT,
                                    "not enough data yet: about %zu more days of %s to estimate "
                                    "its day-to-day spread",
                                    10 - n, p->outcome_names[o])
                          : gs_stats_gls_ar1(day, X, y, n, 1, &f, err);
    if (!st) {
        *sd = f.sigma;
        *phi = f.phi;
    }
    free(day);
    free(y);
    free(X);
    return st;
}

void gs_analyze_power_sentence(char *buf, size_t len, long more, double change,
                               const char *outcome, size_t so_far)
{
    if (more < 0)
        snprintf(buf, len,
                 "not enough data yet: even 10 more years of days after the start would not "
                 "detect a change of %.2g in %s with 80%% power; a longer run-in before "
                 "starting helps more",
                 change, outcome);
    else if (more == 0)
        snprintf(buf, len, "the %zu days since the start are enough to detect a change of %.2g "
                           "in %s with 80%% power", so_far, change, outcome);
    else
        snprintf(buf, len, "not enough data yet: about %ld more days to detect a change of %.2g "
                           "in %s with 80%% power", more, change, outcome);
}

json_t *gs_analyze_json_num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}
