/*
 * cmd_analyze.c - `gutskin analyze triggers|effect|power`: the statistics
 * on one person's journal (include/gutskin/stats.h, docs/statistics.md).
 * This file holds the dispatch and what the subcommands share (cli/analyze.h);
 * cmd_analyze_triggers.c and cmd_analyze_effect.c the subcommands.
 *
 * Each reads the journal (--db, else the default path), turns it into a
 * daily panel with the journal's day start and the lexicon plus the
 * person's own tags, and prints a table (text, CSV or JSON) to stdout.
 * Every report ends with the line that it is not a diagnosis.
 */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/analyze.h"
#include "cli/cli.h"
#include "gutskin/journal.h"
#include "gutskin/lexicon.h"

/* ---- the journal as a panel ------------------------------------------------ */

int gs_analyze_load_panel(const char *cmd, const char *db_path, gs_daily **panel)
{
    gs_err err;
    gs_db *db = NULL;
    gs_lexicon *lex = NULL;
    gs_event *ev = NULL;
    size_t n = 0;
    gs_status st = gs_db_open(db_path, &db, &err);
    if (!st) st = gs_lexicon_load(NULL, &lex, &err);
    if (!st) st = gs_db_apply_user_tags(db, lex, &err);
    if (!st) st = gs_db_events(db, NULL, NULL, &ev, &n, &err);
    if (!st && n == 0)
        st = gs_fail(&err, GS_ERR_INPUT, "the journal %s has no entries yet", gs_db_path(db));
    if (!st) st = gs_daily_build(ev, n, lex, gs_db_day_start(db), panel, &err);
    free(ev);
    gs_lexicon_free(lex);
    gs_db_close(db);
    return st ? gs_cli_fail(cmd, &err) : 0;
}

/* Resolve an outcome name ("skin.itch"; "itch" alone when unambiguous). */
int gs_analyze_find_outcome(const char *cmd, const gs_daily *p, const char *name, size_t *out)
{
    int k = gs_daily_outcome_index(p, name);
    if (k < 0 && !strchr(name, '.')) {
        for (size_t o = 0; o < p->n_outcomes; o++) {
            const char *dot = strchr(p->outcome_names[o], '.');
            if (dot && strcmp(dot + 1, name) == 0) {
                if (k >= 0) return gs_cli_error(cmd, GS_EXIT_USAGE,
                                                "--outcome '%s' is ambiguous; write kind.name",
                                                name);
                k = (int)o;
            }
        }
    }
    if (k < 0) {
        char list[1024] = "";
        for (size_t o = 0; o < p->n_outcomes; o++) {
            strncat(list, o ? ", " : "", sizeof list - strlen(list) - 1);
            strncat(list, p->outcome_names[o], sizeof list - strlen(list) - 1);
        }
        return gs_cli_error(cmd, GS_EXIT_USAGE,
                            "--outcome '%s' is not logged in this journal; it has %s", name,
                            p->n_outcomes ? list : "no scores yet");
    }
    *out = (size_t)k;
    return 0;
}

/* The first skin score logged, else the first score: the default outcome. */
int gs_analyze_default_outcome(const char *cmd, const gs_daily *p, size_t *out)
{
    for (size_t o = 0; o < p->n_outcomes; o++)
        if (strncmp(p->outcome_names[o], "skin.", 5) == 0) {
            *out = o;
            return 0;
        }
    if (p->n_outcomes == 0)
        return gs_cli_error(cmd, GS_EXIT_USAGE, "the journal has no scores logged yet");
    *out = 0;
    return 0;
}

void gs_analyze_day_text(const gs_daily *p, size_t d, char *buf)
{
    gs_day_format(p->first_day + (int64_t)d, buf);
}

json_t *gs_analyze_json_num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

/* ---- power ------------------------------------------------------------------------ */

/* The outcome's days and values (finite only), rows [from, to). */
size_t gs_analyze_outcome_days(const gs_daily *p, size_t o, size_t from, size_t to, int64_t *day,
                           double *y)
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

/* The person's day-to-day sd and AR(1) phi of an outcome over rows
 * [from, to): REML fit of a constant mean with AR(1) errors. */
gs_status gs_analyze_person_noise(const gs_daily *p, size_t o, size_t from, size_t to, double *sd,
                              double *phi, size_t *n_days, gs_err *err)
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

int gs_analyze_parse_real(const char *cmd, const char *opt, const char *text, double lo, double hi,
                      double *out)
{
    char *end;
    double v = strtod(text, &end);
    if (!*text || *end || !(v >= lo && v <= hi))
        return gs_cli_error(cmd, GS_EXIT_USAGE, "%s '%s' must be a number from %g to %g", opt,
                            text, lo, hi);
    *out = v;
    return 0;
}

void gs_analyze_power_sentence(char *buf, size_t len, long more, double change, const char *outcome,
                           size_t so_far)
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

/* ---- dispatch ------------------------------------------------------------------------ */

int gs_cmd_analyze(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } subs[] = {{"triggers", gs_analyze_triggers},
                {"effect", gs_analyze_effect},
                {"power", gs_analyze_power}};
    if (argc >= 2)
        for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
            if (strcmp(argv[1], subs[i].name) == 0) return subs[i].fn(argc - 1, argv + 1);
    FILE *f = argc >= 2 && gs_cli_wants_help(2, argv) ? stdout : stderr;
    fprintf(f, "usage: gutskin analyze triggers|effect|power [options]\n\n"
               "  triggers  which food tags are followed by a higher score (lags 0-3 days)\n"
               "  effect    did starting an intervention change a score\n"
               "  power     how many more days would detect a given change\n\n"
               "Run 'gutskin analyze SUBCOMMAND --help' for its options.\n%s\n",
            GS_ANALYZE_DISCLAIMER);
    if (f == stdout) return GS_EXIT_OK;
    if (argc >= 2)
        fprintf(stderr, "gutskin analyze: '%s' is not one of triggers, effect, power\n", argv[1]);
    return GS_EXIT_USAGE;
}

