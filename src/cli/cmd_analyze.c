/*
 * cmd_analyze.c - `gutskin analyze triggers|effect|power`: the statistics
 * on one person's journal (include/gutskin/stats.h, docs/statistics.md).
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

#include "cli/cli.h"
#include "gutskin/daily.h"
#include "gutskin/journal.h"
#include "gutskin/lexicon.h"
#include "gutskin/stats.h"

#define DISCLAIMER                                                                         \
    "Not a diagnosis and not treatment advice: associations in one person's journal, to " \
    "discuss with a clinician."
#define Q_LEVEL 0.1

/* ---- the journal as a panel ------------------------------------------------ */

static int load_panel(const char *cmd, const char *db_path, gs_daily **panel)
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
static int find_outcome(const char *cmd, const gs_daily *p, const char *name, size_t *out)
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
static int default_outcome(const char *cmd, const gs_daily *p, size_t *out)
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

static void day_text(const gs_daily *p, size_t d, char *buf)
{
    gs_day_format(p->first_day + (int64_t)d, buf);
}

static json_t *num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

/* ---- triggers ------------------------------------------------------------------ */

static void triggers_help(void)
{
    printf("usage: gutskin analyze triggers [--outcome NAME ...] [--lags A-B]\n"
           "                                [--permutations N] [--seed S] [--threads T]\n"
           "                                [--min-days N] [--format text|csv|json] [--db PATH]\n\n"
           "Which foods' tags are followed by a higher score.  For each tag, lag (days\n"
           "between eating and the score, default 0-3) and outcome (default every score\n"
           "logged; repeat --outcome to choose), a regression of the day's score on the\n"
           "tag LAG days before, allowing for the day before's score.  The effect is in\n"
           "score points with a 95%% interval; p comes from N circular shifts of the\n"
           "tag's days against the scores (default 1000), which respects that days are\n"
           "not independent; q is the Benjamini-Hochberg adjusted p over all tests, and\n"
           "q < 0.1 is reported as a possible trigger.  A test runs only with at least\n"
           "--min-days (default 10) complete days with the tag and as many without;\n"
           "otherwise it says how many more days that should take.  Tags that nearly\n"
           "always come together are flagged: their effects cannot be told apart.\n\n"
           "%s\n",
           DISCLAIMER);
}

static int parse_lags(const char *text, gs_trigger_opts *o)
{
    int a, b;
    char tail;
    if (sscanf(text, "%d-%d%c", &a, &b, &tail) == 2 || (sscanf(text, "%d%c", &a, &tail) == 1 && (b = a, 1))) {
        if (a >= 0 && b <= 3 && a <= b) {
            o->lag_min = a;
            o->lag_max = b;
            return 0;
        }
    }
    return gs_cli_error("analyze triggers", GS_EXIT_USAGE,
                        "--lags '%s' must be A-B (or A) with 0 <= A <= B <= 3", text);
}

static int cmp_q(const void *a, const void *b)
{
    const gs_trigger_row *x = *(const gs_trigger_row *const *)a,
                         *y = *(const gs_trigger_row *const *)b;
    if (x->q != y->q) return x->q < y->q ? -1 : 1;
    if (x->p != y->p) return x->p < y->p ? -1 : 1;
    return (x->exposure > y->exposure) - (x->exposure < y->exposure);
}

static void print_row_text(const gs_daily *p, const gs_trigger_row *r)
{
    char pt[16];
    if (r->p < 0.001) snprintf(pt, sizeof pt, "<0.001");
    else snprintf(pt, sizeof pt, "%.3f", r->p);
    printf("  %-22s %3d  %-16s %+6.2f  %+6.2f to %+6.2f  %7s  %6.3f  %5zu/%-5zu%s%s\n",
           p->exposure_names[r->exposure], r->lag, p->outcome_names[r->outcome], r->effect,
           r->lo, r->hi, pt, r->q, r->n_exposed, r->n_unexposed,
           r->cooccurs_with >= 0 ? "  with " : "",
           r->cooccurs_with >= 0 ? p->exposure_names[r->cooccurs_with] : "");
}

static void triggers_text(const gs_daily *p, const gs_trigger_scan *s, const gs_trigger_opts *o,
                          size_t n_out)
{
    char a[11], b[11];
    day_text(p, 0, a);
    day_text(p, p->n_days - 1, b);
    printf("Triggers: %zu days (%s to %s); %zu tests run (%zu tags seen x lags %d-%d x %zu "
           "outcome%s), %zu circular shifts, seed %lu.\n",
           p->n_days, a, b, s->n_tested, p->n_exposures - s->n_never_seen, o->lag_min,
           o->lag_max, n_out, n_out == 1 ? "" : "s", s->n_shifts, o->seed);
    const gs_trigger_row **tested = malloc((s->n_tested + 1) * sizeof *tested);
    if (!tested) return;
    size_t nt = 0;
    for (size_t i = 0; i < s->n_rows; i++)
        if (s->rows[i].tested) tested[nt++] = &s->rows[i];
    qsort(tested, nt, sizeof *tested, cmp_q);
    size_t hits = 0;
    while (hits < nt && tested[hits]->q < Q_LEVEL) hits++;
    const char *head = "  tag                    lag  outcome          effect  95% interval        "
                       "      p       q  days with/without\n";
    if (hits) {
        printf("\nPossible triggers (q < %.2f):\n%s", Q_LEVEL, head);
        for (size_t i = 0; i < hits; i++) print_row_text(p, tested[i]);
    } else {
        printf("\nNo tag reached q < %.2f: nothing stands out yet.\n", Q_LEVEL);
    }
    size_t more = nt - hits < 5 ? nt - hits : 5;
    if (more) {
        printf("\nClosest of the rest (not evidence of a trigger):\n%s", head);
        for (size_t i = hits; i < hits + more; i++) print_row_text(p, tested[i]);
    }
    free(tested);
    /* not enough data: one line per tag and outcome, the longest wait over its lags */
    int shown = 0;
    for (size_t i = 0; i < s->n_rows;) {
        size_t j = i;
        long wait = 0;
        int never = 0, any = 0;
        size_t ne = s->rows[i].n_exposed;
        while (j < s->n_rows && s->rows[j].exposure == s->rows[i].exposure &&
               s->rows[j].outcome == s->rows[i].outcome) {
            if (!s->rows[j].tested) {
                any = 1;
                if (s->rows[j].more_days < 0) never = 1;
                else if (s->rows[j].more_days > wait) wait = s->rows[j].more_days;
            }
            j++;
        }
        if (any) {
            if (!shown++) printf("\nNot enough data yet:\n");
            if (never)
                printf("  %-22s %-16s not enough data yet: no complete day %s it so far\n",
                       p->exposure_names[s->rows[i].exposure], p->outcome_names[s->rows[i].outcome],
                       ne ? "without" : "with");
            else
                printf("  %-22s %-16s not enough data yet: about %ld more days (%zu days with it)\n",
                       p->exposure_names[s->rows[i].exposure], p->outcome_names[s->rows[i].outcome],
                       wait, ne);
        }
        i = j;
    }
    if (s->n_pairs) {
        printf("\nTags that (nearly) always come together - their effects cannot be told apart:\n");
        for (size_t k = 0; k < s->n_pairs; k++)
            printf("  %s + %s: together on %.0f%% of the days either was eaten (%zu days)\n",
                   p->exposure_names[s->pairs[k].a], p->exposure_names[s->pairs[k].b],
                   100 * s->pairs[k].jaccard, s->pairs[k].days_both);
    }
    if (s->n_never_seen)
        printf("\n%zu tags never eaten in this journal were not tested.\n", s->n_never_seen);
    printf("\n%s\n", DISCLAIMER);
}

static void csv_num(double v)
{
    if (isfinite(v)) printf(",%.6g", v);
    else printf(",");
}

static void triggers_csv(const gs_daily *p, const gs_trigger_scan *s)
{
    printf("tag,outcome,lag,tested,days,days_with,days_without,effect,low,high,p,q,more_days,"
           "together_with\n");
    for (size_t i = 0; i < s->n_rows; i++) {
        const gs_trigger_row *r = &s->rows[i];
        printf("%s,%s,%d,%d,%zu,%zu,%zu", p->exposure_names[r->exposure],
               p->outcome_names[r->outcome], r->lag, r->tested, r->n_days, r->n_exposed,
               r->n_unexposed);
        csv_num(r->effect);
        csv_num(r->lo);
        csv_num(r->hi);
        csv_num(r->p);
        csv_num(r->q);
        if (r->tested) printf(",");
        else printf(",%ld", r->more_days);
        printf(",%s\n", r->cooccurs_with >= 0 ? p->exposure_names[r->cooccurs_with] : "");
    }
}

static int triggers_json(const gs_daily *p, const gs_trigger_scan *s, const gs_trigger_opts *o)
{
    char a[11], b[11];
    day_text(p, 0, a);
    day_text(p, p->n_days - 1, b);
    json_t *rows = json_array(), *pairs = json_array();
    for (size_t i = 0; i < s->n_rows; i++) {
        const gs_trigger_row *r = &s->rows[i];
        json_t *j = json_pack("{s:s,s:s,s:i,s:b,s:I,s:I,s:I}", "tag",
                              p->exposure_names[r->exposure], "outcome",
                              p->outcome_names[r->outcome], "lag", r->lag, "tested", r->tested,
                              "days", (json_int_t)r->n_days, "days_with",
                              (json_int_t)r->n_exposed, "days_without",
                              (json_int_t)r->n_unexposed);
        json_object_set_new(j, "effect", num(r->effect));
        json_object_set_new(j, "low", num(r->lo));
        json_object_set_new(j, "high", num(r->hi));
        json_object_set_new(j, "p", num(r->p));
        json_object_set_new(j, "q", num(r->q));
        json_object_set_new(j, "more_days", r->tested || r->more_days < 0
                                                ? json_null()
                                                : json_integer(r->more_days));
        json_object_set_new(j, "together_with",
                            r->cooccurs_with >= 0 ? json_string(p->exposure_names[r->cooccurs_with])
                                                  : json_null());
        json_array_append_new(rows, j);
    }
    for (size_t k = 0; k < s->n_pairs; k++)
        json_array_append_new(pairs, json_pack("{s:s,s:s,s:f,s:I}", "a",
                                               p->exposure_names[s->pairs[k].a], "b",
                                               p->exposure_names[s->pairs[k].b], "jaccard",
                                               s->pairs[k].jaccard, "days_together",
                                               (json_int_t)s->pairs[k].days_both));
    json_t *root = json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:f,s:o,s:o,s:s}", "first_day", a,
                             "last_day", b, "days", (json_int_t)p->n_days, "tests",
                             (json_int_t)s->n_tested, "permutations", (json_int_t)s->n_shifts,
                             "seed", (json_int_t)o->seed, "tags_never_eaten",
                             (json_int_t)s->n_never_seen, "q_level", Q_LEVEL, "rows", rows,
                             "together", pairs, "disclaimer", DISCLAIMER);
    if (!root) return gs_cli_error("analyze triggers", GS_EXIT_FAIL, "could not build the JSON");
    json_dumpf(root, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
    printf("\n");
    json_decref(root);
    return 0;
}

static int analyze_triggers(int argc, char **argv)
{
    const char *cmd = "analyze triggers";
    if (gs_cli_wants_help(argc, argv)) {
        triggers_help();
        return GS_EXIT_OK;
    }
    static const struct option longopts[] = {
        {"outcome", required_argument, NULL, 'o'}, {"lags", required_argument, NULL, 'l'},
        {"permutations", required_argument, NULL, 'n'}, {"seed", required_argument, NULL, 's'},
        {"threads", required_argument, NULL, 't'}, {"min-days", required_argument, NULL, 'm'},
        {"format", required_argument, NULL, 'f'}, {"db", required_argument, NULL, 'd'},
        {NULL, 0, NULL, 0}};
    gs_trigger_opts o;
    gs_trigger_opts_default(&o);
    const char *names[32], *db = NULL;
    size_t n_names = 0;
    gs_format fmt = GS_FMT_TEXT;
    int c, rc;
    long long v;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            if (n_names == 32) return gs_cli_error(cmd, GS_EXIT_USAGE, "at most 32 --outcome");
            names[n_names++] = optarg;
            break;
        case 'l':
            if ((rc = parse_lags(optarg, &o))) return rc;
            break;
        case 'n':
            if ((rc = gs_cli_parse_whole(cmd, "--permutations", optarg, 1, 1000000, &v))) return rc;
            o.permutations = (size_t)v;
            break;
        case 's':
            if ((rc = gs_cli_parse_whole(cmd, "--seed", optarg, 0, 4294967295LL, &v))) return rc;
            o.seed = (unsigned long)v;
            break;
        case 't':
            if ((rc = gs_cli_parse_whole(cmd, "--threads", optarg, 1, 1024, &v))) return rc;
            o.threads = (int)v;
            break;
        case 'm':
            if ((rc = gs_cli_parse_whole(cmd, "--min-days", optarg, 3, 1000, &v))) return rc;
            o.min_exposed = o.min_unexposed = (size_t)v;
            break;
        case 'f':
            if ((rc = gs_cli_parse_format(cmd, optarg, 7u, &fmt))) return rc;
            break;
        case 'd': db = optarg; break;
        case ':':
            return gs_cli_error(cmd, GS_EXIT_USAGE, "option '%s' needs a value; see --help",
                                argv[optind - 1]);
        default:
            return gs_cli_error(cmd, GS_EXIT_USAGE, "unknown option '%s'; see --help",
                                argv[optind - 1]);
        }
    }
    if (optind < argc)
        return gs_cli_error(cmd, GS_EXIT_USAGE, "unexpected argument '%s'; see --help", argv[optind]);
    gs_daily *p;
    if ((rc = load_panel(cmd, db, &p))) return rc;
    size_t outs[32], n_out = 0;
    if (n_names == 0) {
        for (size_t k = 0; k < p->n_outcomes && k < 32; k++) outs[n_out++] = k;
        if (n_out == 0) rc = gs_cli_error(cmd, GS_EXIT_USAGE, "the journal has no scores logged yet");
    }
    for (size_t k = 0; k < n_names && !rc; k++) rc = find_outcome(cmd, p, names[k], &outs[n_out++]);
    gs_trigger_scan *s = NULL;
    gs_err err;
    if (!rc && gs_stats_triggers(p, outs, n_out, &o, &s, &err)) rc = gs_cli_fail(cmd, &err);
    if (!rc) {
        if (fmt == GS_FMT_TEXT) triggers_text(p, s, &o, n_out);
        else if (fmt == GS_FMT_CSV) triggers_csv(p, s);
        else rc = triggers_json(p, s, &o);
        if (fmt != GS_FMT_TEXT) fprintf(stderr, "gutskin %s: %s\n", cmd, DISCLAIMER);
    }
    gs_trigger_scan_free(s);
    gs_daily_free(p);
    return rc;
}

/* ---- power ------------------------------------------------------------------------ */

/* The outcome's days and values (finite only), rows [from, to). */
static size_t outcome_days(const gs_daily *p, size_t o, size_t from, size_t to, int64_t *day,
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
static gs_status person_noise(const gs_daily *p, size_t o, size_t from, size_t to, double *sd,
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
    size_t n = outcome_days(p, o, from, to, day, y);
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

static void power_help(void)
{
    printf("usage: gutskin analyze power --outcome NAME --change D [--days-so-far N]\n"
           "                             [--before N] [--sd S --phi P] [--reps N] [--seed S]\n"
           "                             [--format text|json] [--db PATH]\n\n"
           "How many more days after starting something it would take to detect a change\n"
           "of D points in an outcome with 80%% power (5%% two-sided), by simulating\n"
           "journals with the outcome's own day-to-day spread and day-to-day correlation\n"
           "(estimated from the journal, or given with --sd and --phi) and analysing them\n"
           "as 'analyze effect' does.  --before is the number of days logged before the\n"
           "start (default: the outcome's days in the journal, else 28); --days-so-far\n"
           "the days already logged since the start (default 0).\n\n%s\n",
           DISCLAIMER);
}

static int parse_real(const char *cmd, const char *opt, const char *text, double lo, double hi,
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

static void power_sentence(char *buf, size_t len, long more, double change, const char *outcome,
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

static int analyze_power(int argc, char **argv)
{
    const char *cmd = "analyze power";
    if (gs_cli_wants_help(argc, argv)) {
        power_help();
        return GS_EXIT_OK;
    }
    static const struct option longopts[] = {
        {"outcome", required_argument, NULL, 'o'}, {"change", required_argument, NULL, 'c'},
        {"days-so-far", required_argument, NULL, 'k'}, {"before", required_argument, NULL, 'b'},
        {"sd", required_argument, NULL, 'S'}, {"phi", required_argument, NULL, 'P'},
        {"reps", required_argument, NULL, 'r'}, {"seed", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'}, {"db", required_argument, NULL, 'd'},
        {NULL, 0, NULL, 0}};
    gs_power_opts o;
    gs_power_opts_default(&o);
    const char *outcome = NULL, *db = NULL;
    int have_change = 0, have_sd = 0, have_phi = 0, have_before = 0, c, rc;
    long long v;
    gs_format fmt = GS_FMT_TEXT;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': outcome = optarg; break;
        case 'c':
            if ((rc = parse_real(cmd, "--change", optarg, -100, 100, &o.change))) return rc;
            if (o.change == 0) return gs_cli_error(cmd, GS_EXIT_USAGE, "--change must not be 0");
            have_change = 1;
            break;
        case 'k':
            if ((rc = gs_cli_parse_whole(cmd, "--days-so-far", optarg, 0, 36500, &v))) return rc;
            o.so_far = (size_t)v;
            break;
        case 'b':
            if ((rc = gs_cli_parse_whole(cmd, "--before", optarg, 3, 36500, &v))) return rc;
            o.before = (size_t)v;
            have_before = 1;
            break;
        case 'S':
            if ((rc = parse_real(cmd, "--sd", optarg, 1e-6, 1000, &o.sd))) return rc;
            have_sd = 1;
            break;
        case 'P':
            if ((rc = parse_real(cmd, "--phi", optarg, -0.99, 0.99, &o.phi))) return rc;
            have_phi = 1;
            break;
        case 'r':
            if ((rc = gs_cli_parse_whole(cmd, "--reps", optarg, 10, 100000, &v))) return rc;
            o.reps = (size_t)v;
            break;
        case 's':
            if ((rc = gs_cli_parse_whole(cmd, "--seed", optarg, 0, 4294967295LL, &v))) return rc;
            o.seed = (unsigned long)v;
            break;
        case 'f':
            if ((rc = gs_cli_parse_format(cmd, optarg, (1u << GS_FMT_TEXT) | (1u << GS_FMT_JSON), &fmt)))
                return rc;
            break;
        case 'd': db = optarg; break;
        case ':':
            return gs_cli_error(cmd, GS_EXIT_USAGE, "option '%s' needs a value; see --help",
                                argv[optind - 1]);
        default:
            return gs_cli_error(cmd, GS_EXIT_USAGE, "unknown option '%s'; see --help",
                                argv[optind - 1]);
        }
    }
    if (optind < argc)
        return gs_cli_error(cmd, GS_EXIT_USAGE, "unexpected argument '%s'; see --help", argv[optind]);
    if (!have_change) return gs_cli_error(cmd, GS_EXIT_USAGE, "--change D is required; see --help");
    if (have_sd != have_phi)
        return gs_cli_error(cmd, GS_EXIT_USAGE, "give --sd and --phi together, or neither to "
                                                "estimate both from the journal");
    const char *source = "given";
    char outcome_name[128] = "the outcome";
    gs_err err;
    if (!have_sd) {
        gs_daily *p;
        size_t oi, n_days = 0;
        if ((rc = load_panel(cmd, db, &p))) return rc;
        rc = outcome ? find_outcome(cmd, p, outcome, &oi) : default_outcome(cmd, p, &oi);
        if (!rc && person_noise(p, oi, 0, p->n_days, &o.sd, &o.phi, &n_days, &err))
            rc = gs_cli_fail(cmd, &err);
        if (!rc) {
            snprintf(outcome_name, sizeof outcome_name, "%s", p->outcome_names[oi]);
            if (!have_before) o.before = n_days > o.so_far + 3 ? n_days - o.so_far : 3;
        }
        gs_daily_free(p);
        if (rc) return rc;
        source = "estimated from the journal";
    } else if (outcome) {
        snprintf(outcome_name, sizeof outcome_name, "%s", outcome);
    }
    long more;
    double pw;
    if (gs_stats_power_days(&o, &more, &pw, &err)) return gs_cli_fail(cmd, &err);
    char sentence[512];
    power_sentence(sentence, sizeof sentence, more, o.change, outcome_name, o.so_far);
    if (fmt == GS_FMT_JSON) {
        json_t *root = json_pack("{s:s,s:f,s:f,s:f,s:s,s:I,s:I,s:o,s:f,s:I,s:s,s:s}", "outcome",
                                 outcome_name, "change", o.change, "sd", o.sd, "phi", o.phi,
                                 "sd_phi_source", source, "days_before", (json_int_t)o.before,
                                 "days_so_far", (json_int_t)o.so_far, "more_days",
                                 more < 0 ? json_null() : json_integer(more), "power", pw,
                                 "simulations", (json_int_t)o.reps, "reading", sentence,
                                 "disclaimer", DISCLAIMER);
        json_dumpf(root, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
        printf("\n");
        json_decref(root);
        fprintf(stderr, "gutskin %s: %s\n", cmd, DISCLAIMER);
    } else {
        printf("Power: %s, day-to-day sd %.3g and correlation %.2f (%s); %zu days before the "
               "start, %zu since; %zu simulated journals per length.\n",
               outcome_name, o.sd, o.phi, source, o.before, o.so_far, o.reps);
        printf("%s%s.\n", sentence, more >= 0 ? "" : "");
        if (more >= 0) printf("(power at that length: %.0f%%)\n", 100 * pw);
        printf("\n%s\n", DISCLAIMER);
    }
    return GS_EXIT_OK;
}

/* ---- effect ----------------------------------------------------------------------- */

static void effect_help(void)
{
    printf("usage: gutskin analyze effect NAME [--outcome NAME] [--washin DAYS]\n"
           "                              [--format text|json] [--db PATH]\n\n"
           "Did starting intervention NAME change an outcome (default: the first skin\n"
           "score logged)?  A segmented regression of the daily score on time, a level\n"
           "change and a slope change at the start, with AR(1) errors (one day's\n"
           "deviation carries into the next) fitted by restricted maximum likelihood,\n"
           "as R's nlme::gls(y ~ time + level + slope, correlation = corAR1()) does.\n"
           "--washin DAYS leaves out the first DAYS after the start and measures the\n"
           "change from then on.  Days after the intervention was stopped are left out.\n"
           "When the interval still includes no change, it says how many more days\n"
           "would detect a change of the size estimated (80%% power).\n\n%s\n",
           DISCLAIMER);
}

static int analyze_effect(int argc, char **argv)
{
    const char *cmd = "analyze effect";
    if (gs_cli_wants_help(argc, argv)) {
        effect_help();
        return GS_EXIT_OK;
    }
    static const struct option longopts[] = {
        {"outcome", required_argument, NULL, 'o'}, {"washin", required_argument, NULL, 'w'},
        {"format", required_argument, NULL, 'f'}, {"db", required_argument, NULL, 'd'},
        {"reps", required_argument, NULL, 'r'}, {NULL, 0, NULL, 0}};
    const char *outcome = NULL, *db = NULL;
    int washin = 0, c, rc;
    long long v;
    size_t reps = 400;
    gs_format fmt = GS_FMT_TEXT;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': outcome = optarg; break;
        case 'w':
            if ((rc = gs_cli_parse_whole(cmd, "--washin", optarg, 0, 365, &v))) return rc;
            washin = (int)v;
            break;
        case 'r':
            if ((rc = gs_cli_parse_whole(cmd, "--reps", optarg, 10, 100000, &v))) return rc;
            reps = (size_t)v;
            break;
        case 'f':
            if ((rc = gs_cli_parse_format(cmd, optarg, (1u << GS_FMT_TEXT) | (1u << GS_FMT_JSON), &fmt)))
                return rc;
            break;
        case 'd': db = optarg; break;
        case ':':
            return gs_cli_error(cmd, GS_EXIT_USAGE, "option '%s' needs a value; see --help",
                                argv[optind - 1]);
        default:
            return gs_cli_error(cmd, GS_EXIT_USAGE, "unknown option '%s'; see --help",
                                argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return gs_cli_error(cmd, GS_EXIT_USAGE,
                            "give one intervention NAME (as in 'gutskin start NAME'); see --help");
    const char *name = argv[optind];
    gs_daily *p;
    if ((rc = load_panel(cmd, db, &p))) return rc;
    size_t oi = 0;
    int iv = gs_daily_intervention_index(p, name);
    if (iv < 0) {
        char list[1024] = "";
        for (size_t k = 0; k < p->n_interventions; k++) {
            strncat(list, k ? ", " : "", sizeof list - strlen(list) - 1);
            strncat(list, p->intervention_names[k], sizeof list - strlen(list) - 1);
        }
        rc = gs_cli_error(cmd, GS_EXIT_USAGE, "no intervention '%s' was started in this journal; "
                                              "started: %s",
                          name, p->n_interventions ? list : "none");
    }
    if (!rc) rc = outcome ? find_outcome(cmd, p, outcome, &oi) : default_outcome(cmd, p, &oi);
    if (rc) {
        gs_daily_free(p);
        return rc;
    }
    size_t T = p->n_days, start = (size_t)p->first_start[iv], end = start;
    while (end < T && p->active[(size_t)iv * T + end]) end++;
    int64_t *day = malloc((T + 1) * sizeof *day);
    double *y = malloc((T + 1) * sizeof *y);
    if (!day || !y) {
        free(day);
        free(y);
        gs_daily_free(p);
        return gs_cli_error(cmd, GS_EXIT_FAIL, "out of memory");
    }
    size_t n = outcome_days(p, oi, 0, end, day, y);
    const char *oname = p->outcome_names[oi];
    gs_segmented seg;
    gs_err err;
    gs_status st = gs_stats_segmented(day, y, n, (int64_t)start, washin, &seg, &err);
    char reading[1024] = "", more_text[512] = "";
    long more = 0;
    double change = NAN;
    if (st == GS_ERR_INPUT && seg.n_before >= 3) {
        /* too few days after the start: how many more, for a change of one sd */
        double sd, phi;
        size_t nd;
        gs_err e2;
        if (!person_noise(p, oi, 0, start, &sd, &phi, &nd, &e2)) {
            gs_power_opts po;
            gs_power_opts_default(&po);
            po.change = change = sd;
            po.sd = sd;
            po.phi = phi;
            po.before = seg.n_before;
            po.so_far = seg.n_after;
            po.reps = reps;
            double pw;
            if (!gs_stats_power_days(&po, &more, &pw, &e2)) {
                power_sentence(more_text, sizeof more_text, more, change, oname, seg.n_after);
                st = GS_OK;
                snprintf(reading, sizeof reading,
                         "%zu days of %s before starting %s and %zu after are too few to "
                         "estimate a change; %s (one day-to-day standard deviation).",
                         seg.n_before, oname, name, seg.n_after, more_text);
                seg.fit.n = 0;
            }
        }
    }
    free(day);
    free(y);
    if (st) {
        gs_daily_free(p);
        return gs_cli_fail(cmd, &err);
    }
    const gs_gls_fit *f = &seg.fit;
    if (f->n) {
        double L = f->coef[GS_SEG_LEVEL], lo = f->lo[GS_SEG_LEVEL], hi = f->hi[GS_SEG_LEVEL];
        double S = 7 * f->coef[GS_SEG_SLOPE], slo = 7 * f->lo[GS_SEG_SLOPE],
               shi = 7 * f->hi[GS_SEG_SLOPE];
        int clear = lo > 0 || hi < 0;
        size_t k = 0;
        if (clear)
            k = (size_t)snprintf(reading, sizeof reading,
                                 "%s %s by %.2g points (95%% interval %.2g to %.2g) after "
                                 "starting %s%s",
                                 oname, L < 0 ? "fell" : "rose", fabs(L), fabs(L < 0 ? hi : lo),
                                 fabs(L < 0 ? lo : hi), name, washin ? " and its wash-in" : "");
        else
            k = (size_t)snprintf(reading, sizeof reading,
                                 "%s changed by %+.2g points after starting %s, but the 95%% "
                                 "interval (%+.2g to %+.2g) includes no change",
                                 oname, L, name, lo, hi);
        k += (size_t)snprintf(reading + k, sizeof reading - k,
                              "; its trend changed by %+.2g points a week (95%% interval %+.2g "
                              "to %+.2g). Based on %zu days before and %zu after; day-to-day "
                              "correlation %.2f.",
                              S, slo, shi, seg.n_before, seg.n_after, f->phi);
        if (!clear) {
            gs_power_opts po;
            gs_power_opts_default(&po);
            /* the size estimated, but at least a quarter of a standard deviation */
            change = fmax(fabs(L), 0.25 * f->sigma);
            po.change = change;
            po.sd = f->sigma;
            po.phi = f->phi;
            po.before = seg.n_before;
            po.so_far = seg.n_after;
            po.reps = reps;
            double pw;
            if (gs_stats_power_days(&po, &more, &pw, &err)) {
                gs_daily_free(p);
                return gs_cli_fail(cmd, &err);
            }
            power_sentence(more_text, sizeof more_text, more, change, oname, seg.n_after);
        }
    }
    static const char *coef_names[] = {"intercept", "time", "level", "slope"};
    if (fmt == GS_FMT_JSON) {
        json_t *coefs = json_object();
        for (int j = 0; f->n && j < GS_SEG_COEF; j++)
            json_object_set_new(coefs, coef_names[j],
                                json_pack("{s:f,s:f,s:f,s:f}", "estimate", f->coef[j], "se",
                                          f->se[j], "low", f->lo[j], "high", f->hi[j]));
        json_t *root = json_pack("{s:s,s:s,s:i,s:I,s:I,s:o,s:o,s:o,s:s,s:s}", "intervention",
                                 name, "outcome", oname, "washin", washin, "days_before",
                                 (json_int_t)seg.n_before, "days_after",
                                 (json_int_t)seg.n_after, "coefficients", coefs, "phi",
                                 f->n ? json_real(f->phi) : json_null(), "sigma",
                                 f->n ? json_real(f->sigma) : json_null(), "reading", reading,
                                 "disclaimer", DISCLAIMER);
        if (more_text[0]) {
            json_object_set_new(root, "more_days", more < 0 ? json_null() : json_integer(more));
            json_object_set_new(root, "more_days_for_change", json_real(change));
            json_object_set_new(root, "more_days_reading", json_string(more_text));
        }
        json_dumpf(root, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
        printf("\n");
        json_decref(root);
        fprintf(stderr, "gutskin %s: %s\n", cmd, DISCLAIMER);
    } else {
        printf("Effect of %s on %s (segmented regression, AR(1) errors, REML)\n", name, oname);
        if (f->n) {
            printf("  %-10s %9s %9s   %s\n", "term", "estimate", "se", "95% interval");
            for (int j = 0; j < GS_SEG_COEF; j++)
                printf("  %-10s %+9.3f %9.3f   %+.3f to %+.3f\n", coef_names[j], f->coef[j],
                       f->se[j], f->lo[j], f->hi[j]);
            printf("  phi %.3f, residual sd %.3f, %zu days (wash-in %d days left out)\n\n",
                   f->phi, f->sigma, f->n, washin);
        }
        printf("%s\n", reading);
        if (f->n && more_text[0]) printf("%s.\n", more_text);
        printf("\n%s\n", DISCLAIMER);
    }
    gs_daily_free(p);
    return GS_EXIT_OK;
}

/* ---- dispatch ------------------------------------------------------------------------ */

int gs_cmd_analyze(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } subs[] = {{"triggers", analyze_triggers}, {"effect", analyze_effect}, {"power", analyze_power}};
    if (argc >= 2)
        for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
            if (strcmp(argv[1], subs[i].name) == 0) return subs[i].fn(argc - 1, argv + 1);
    FILE *f = argc >= 2 && gs_cli_wants_help(2, argv) ? stdout : stderr;
    fprintf(f, "usage: gutskin analyze triggers|effect|power [options]\n\n"
               "  triggers  which food tags are followed by a higher score (lags 0-3 days)\n"
               "  effect    did starting an intervention change a score\n"
               "  power     how many more days would detect a given change\n\n"
               "Run 'gutskin analyze SUBCOMMAND --help' for its options.\n%s\n",
            DISCLAIMER);
    if (f == stdout) return GS_EXIT_OK;
    if (argc >= 2)
        fprintf(stderr, "gutskin analyze: '%s' is not one of triggers, effect, power\n", argv[1]);
    return GS_EXIT_USAGE;
}
