/*
 * cmd_analyze_triggers.c - `gutskin analyze triggers`: which food tags are
 * followed by a higher score (gs_stats_triggers), as text, CSV or JSON.
 */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/analyze.h"
#include "cli/cli.h"

#define Q_LEVEL 0.1

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
           GS_ANALYZE_DISCLAIMER);
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

/* For a possible trigger r: the strongest possible trigger (largest |t|)
 * of the same outcome and lag, when that is another tag, and r's effect
 * allowing for it.  Returns 1 when there is one and the fit succeeded. */
static int allowing_for(const gs_daily *p, const gs_trigger_scan *s, const gs_trigger_row *r,
                        size_t *lead, double *eff, double *lo, double *hi)
{
    if (!r->tested || !(r->q < Q_LEVEL)) return 0;
    const gs_trigger_row *best = NULL;
    for (size_t i = 0; i < s->n_rows; i++) {
        const gs_trigger_row *x = &s->rows[i];
        if (!x->tested || !(x->q < Q_LEVEL) || x->outcome != r->outcome || x->lag != r->lag)
            continue;
        if (!best || fabs(x->t) > fabs(best->t)) best = x;
    }
    if (!best || best == r) return 0;
    size_t n;
    gs_err err;
    if (gs_stats_trigger_adjusted(p, r->outcome, r->lag, r->exposure, best->exposure, eff, lo,
                                  hi, &n, &err))
        return 0;
    *lead = best->exposure;
    return 1;
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
    gs_analyze_day_text(p, 0, a);
    gs_analyze_day_text(p, p->n_days - 1, b);
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
        for (size_t i = 0; i < hits; i++) {
            print_row_text(p, tested[i]);
            size_t lead;
            double e, lo, hi;
            if (allowing_for(p, s, tested[i], &lead, &e, &lo, &hi))
                printf("      allowing for %s: %+.2f (%+.2f to %+.2f)%s\n",
                       p->exposure_names[lead], e, lo, hi,
                       lo <= 0 && hi >= 0 ? " - may only travel with it" : "");
        }
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
    printf("\n%s\n", GS_ANALYZE_DISCLAIMER);
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
    gs_analyze_day_text(p, 0, a);
    gs_analyze_day_text(p, p->n_days - 1, b);
    json_t *rows = json_array(), *pairs = json_array();
    for (size_t i = 0; i < s->n_rows; i++) {
        const gs_trigger_row *r = &s->rows[i];
        json_t *j = json_pack("{s:s,s:s,s:i,s:b,s:I,s:I,s:I}", "tag",
                              p->exposure_names[r->exposure], "outcome",
                              p->outcome_names[r->outcome], "lag", r->lag, "tested", r->tested,
                              "days", (json_int_t)r->n_days, "days_with",
                              (json_int_t)r->n_exposed, "days_without",
                              (json_int_t)r->n_unexposed);
        json_object_set_new(j, "effect", gs_analyze_json_num(r->effect));
        json_object_set_new(j, "low", gs_analyze_json_num(r->lo));
        json_object_set_new(j, "high", gs_analyze_json_num(r->hi));
        json_object_set_new(j, "p", gs_analyze_json_num(r->p));
        json_object_set_new(j, "q", gs_analyze_json_num(r->q));
        json_object_set_new(j, "more_days", r->tested || r->more_days < 0
                                                ? json_null()
                                                : json_integer(r->more_days));
        json_object_set_new(j, "together_with",
                            r->cooccurs_with >= 0 ? json_string(p->exposure_names[r->cooccurs_with])
                                                  : json_null());
        size_t lead;
        double e, lo, hi;
        if (allowing_for(p, s, r, &lead, &e, &lo, &hi))
            json_object_set_new(j, "allowing_for",
                                json_pack("{s:s,s:f,s:f,s:f}", "tag", p->exposure_names[lead],
                                          "effect", e, "low", lo, "high", hi));
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
                             "together", pairs, "disclaimer", GS_ANALYZE_DISCLAIMER);
    if (!root) return gs_cli_error("analyze triggers", GS_EXIT_FAIL, "could not build the JSON");
    json_dumpf(root, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
    printf("\n");
    json_decref(root);
    return 0;
}

int gs_analyze_triggers(int argc, char **argv)
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
    if ((rc = gs_analyze_load_panel(cmd, db, &p))) return rc;
    size_t outs[32], n_out = 0;
    if (n_names == 0) {
        for (size_t k = 0; k < p->n_outcomes && k < 32; k++) outs[n_out++] = k;
        if (n_out == 0) rc = gs_cli_error(cmd, GS_EXIT_USAGE, "the journal has no scores logged yet");
    }
    for (size_t k = 0; k < n_names && !rc; k++) rc = gs_analyze_find_outcome(cmd, p, names[k], &outs[n_out++]);
    gs_trigger_scan *s = NULL;
    gs_err err;
    if (!rc && gs_stats_triggers(p, outs, n_out, &o, &s, &err)) rc = gs_cli_fail(cmd, &err);
    if (!rc) {
        if (fmt == GS_FMT_TEXT) triggers_text(p, s, &o, n_out);
        else if (fmt == GS_FMT_CSV) triggers_csv(p, s);
        else rc = triggers_json(p, s, &o);
        if (fmt != GS_FMT_TEXT) fprintf(stderr, "gutskin %s: %s\n", cmd, GS_ANALYZE_DISCLAIMER);
    }
    gs_trigger_scan_free(s);
    gs_daily_free(p);
    return rc;
}

