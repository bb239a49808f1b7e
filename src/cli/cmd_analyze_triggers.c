/*
 * cmd_analyze_triggers.c - `gutskin analyze triggers`: which food tags are
 * followed by a higher score.  The library builds the document
 * (gs_analyze_run); this file prints it as JSON, or renders it as text
 * (possible triggers first) or CSV (one line per test).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/analyze.h"

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

/* ---- text ------------------------------------------------------------------------ */

typedef struct row_ref {
    const json_t *row;
    size_t index;         /* in the document: tag-major, so ties keep that order */
    double p, q;
} row_ref;

static int cmp_q(const void *a, const void *b)
{
    const row_ref *x = a, *y = b;
    if (x->q != y->q) return x->q < y->q ? -1 : 1;
    if (x->p != y->p) return x->p < y->p ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

static void print_row_text(const json_t *r)
{
    char pt[16];
    double p = gs_cli_jnum(r, "p");
    const char *with = gs_cli_jstr(r, "together_with");
    if (p < 0.001) snprintf(pt, sizeof pt, "<0.001");
    else snprintf(pt, sizeof pt, "%.3f", p);
    printf("  %-22s %3lld  %-16s %+6.2f  %+6.2f to %+6.2f  %7s  %6.3f  %5lld/%-5lld%s%s\n",
           gs_cli_jstr(r, "tag"), gs_cli_jint(r, "lag"), gs_cli_jstr(r, "outcome"),
           gs_cli_jnum(r, "effect"), gs_cli_jnum(r, "low"), gs_cli_jnum(r, "high"), pt,
           gs_cli_jnum(r, "q"), gs_cli_jint(r, "days_with"), gs_cli_jint(r, "days_without"),
           with[0] ? "  with " : "", with);
    const json_t *a = json_object_get(r, "allowing_for");
    if (a) {
        double lo = gs_cli_jnum(a, "low"), hi = gs_cli_jnum(a, "high");
        printf("      allowing for %s: %+.2f (%+.2f to %+.2f)%s\n", gs_cli_jstr(a, "tag"),
               gs_cli_jnum(a, "effect"), lo, hi,
               lo <= 0 && hi >= 0 ? " - may only travel with it" : "");
    }
}

/* The header: what was run.  The tags seen and the outcomes tested are
 * those the rows name (every tag eaten has a row per outcome and lag). */
static void print_header(const json_t *doc, const gs_analyze_opts *o)
{
    const json_t *rows = json_object_get(doc, "rows");
    size_t n = json_array_size(rows), tags = 0, n_out = 0;
    const char *outs[GS_ANALYZE_OUTCOMES_MAX];
    for (size_t i = 0; i < n; i++) {
        const json_t *r = json_array_get(rows, i);
        const char *tag = gs_cli_jstr(r, "tag"), *out = gs_cli_jstr(r, "outcome");
        if (i == 0 || strcmp(tag, gs_cli_jstr(json_array_get(rows, i - 1), "tag")) != 0) tags++;
        size_t k = 0;
        while (k < n_out && strcmp(outs[k], out) != 0) k++;
        if (k == n_out && n_out < GS_ANALYZE_OUTCOMES_MAX) outs[n_out++] = out;
    }
    printf("Triggers: %lld days (%s to %s); %lld tests run ", gs_cli_jint(doc, "days"),
           gs_cli_jstr(doc, "first_day"), gs_cli_jstr(doc, "last_day"),
           gs_cli_jint(doc, "tests"));
    if (n)
        printf("(%zu tags seen x lags %d-%d x %zu outcome%s)", tags, o->lag_min, o->lag_max,
               n_out, n_out == 1 ? "" : "s");
    else
        printf("(no tag eaten yet)");
    printf(", %lld circular shifts, seed %lld.\n", gs_cli_jint(doc, "permutations"),
           gs_cli_jint(doc, "seed"));
}

/* Tags not tested yet: one line per tag and outcome, the longest wait
 * over its lags (rows of one tag and outcome are consecutive). */
static void print_waiting(const json_t *rows)
{
    size_t n = json_array_size(rows);
    int shown = 0;
    for (size_t i = 0; i < n;) {
        const json_t *first = json_array_get(rows, i);
        const char *tag = gs_cli_jstr(first, "tag"), *out = gs_cli_jstr(first, "outcome");
        long long wait = 0, ne = gs_cli_jint(first, "days_with");
        int never = 0, any = 0;
        size_t j = i;
        for (; j < n; j++) {
            const json_t *r = json_array_get(rows, j);
            if (strcmp(gs_cli_jstr(r, "tag"), tag) || strcmp(gs_cli_jstr(r, "outcome"), out))
                break;
            if (json_is_true(json_object_get(r, "tested"))) continue;
            any = 1;
            long long more = gs_cli_jint(r, "more_days");   /* null: never seen complete */
            if (more < 0) never = 1;
            else if (more > wait) wait = more;
        }
        if (any) {
            if (!shown++) printf("\nNot enough data yet:\n");
            if (never)
                printf("  %-22s %-16s not enough data yet: no complete day %s it so far\n", tag,
                       out, ne ? "without" : "with");
            else
                printf("  %-22s %-16s not enough data yet: about %lld more days (%lld days with "
                       "it)\n",
                       tag, out, wait, ne);
        }
        i = j;
    }
}

static void triggers_text(const json_t *doc, const gs_analyze_opts *o)
{
    print_header(doc, o);
    const json_t *rows = json_object_get(doc, "rows");
    size_t n = json_array_size(rows), nt = 0, hits = 0;
    row_ref *tested = malloc((n + 1) * sizeof *tested);
    if (!tested) return;
    for (size_t i = 0; i < n; i++) {
        const json_t *r = json_array_get(rows, i);
        if (json_is_true(json_object_get(r, "tested")))
            tested[nt++] = (row_ref){r, i, gs_cli_jnum(r, "p"), gs_cli_jnum(r, "q")};
    }
    qsort(tested, nt, sizeof *tested, cmp_q);
    while (hits < nt && tested[hits].q < GS_ANALYZE_Q_LEVEL) hits++;
    const char *head = "  tag                    lag  outcome          effect  95% interval        "
                       "      p       q  days with/without\n";
    if (hits) {
        printf("\nPossible triggers (q < %.2f):\n%s", GS_ANALYZE_Q_LEVEL, head);
        for (size_t i = 0; i < hits; i++) print_row_text(tested[i].row);
    } else {
        printf("\nNo tag reached q < %.2f: nothing stands out yet.\n", GS_ANALYZE_Q_LEVEL);
    }
    size_t more = nt - hits < 5 ? nt - hits : 5;
    if (more) {
        printf("\nClosest of the rest (not evidence of a trigger):\n%s", head);
        for (size_t i = hits; i < hits + more; i++) print_row_text(tested[i].row);
    }
    free(tested);
    print_waiting(rows);
    const json_t *pairs = json_object_get(doc, "together");
    if (json_array_size(pairs)) {
        printf("\nTags that (nearly) always come together - their effects cannot be told apart:\n");
        for (size_t k = 0; k < json_array_size(pairs); k++) {
            const json_t *pr = json_array_get(pairs, k);
            printf("  %s + %s: together on %.0f%% of the days either was eaten (%lld days)\n",
                   gs_cli_jstr(pr, "a"), gs_cli_jstr(pr, "b"), 100 * gs_cli_jnum(pr, "jaccard"),
                   gs_cli_jint(pr, "days_together"));
        }
    }
    long long never = gs_cli_jint(doc, "tags_never_eaten");
    if (never > 0) printf("\n%lld tags never eaten in this journal were not tested.\n", never);
    printf("\n%s\n", GS_ANALYZE_DISCLAIMER);
}

/* ---- CSV -------------------------------------------------------------------------- */

static void csv_num(double v)
{
    if (isfinite(v)) printf(",%.6g", v);
    else printf(",");
}

static void triggers_csv(const json_t *doc)
{
    printf("tag,outcome,lag,tested,days,days_with,days_without,effect,low,high,p,q,more_days,"
           "together_with\n");
    const json_t *rows = json_object_get(doc, "rows");
    for (size_t i = 0; i < json_array_size(rows); i++) {
        const json_t *r = json_array_get(rows, i);
        int tested = json_is_true(json_object_get(r, "tested"));
        printf("%s,%s,%lld,%d,%lld,%lld,%lld", gs_cli_jstr(r, "tag"), gs_cli_jstr(r, "outcome"),
               gs_cli_jint(r, "lag"), tested, gs_cli_jint(r, "days"),
               gs_cli_jint(r, "days_with"), gs_cli_jint(r, "days_without"));
        csv_num(gs_cli_jnum(r, "effect"));
        csv_num(gs_cli_jnum(r, "low"));
        csv_num(gs_cli_jnum(r, "high"));
        csv_num(gs_cli_jnum(r, "p"));
        csv_num(gs_cli_jnum(r, "q"));
        /* an untested row without more_days was never seen on a complete day: -1 */
        if (tested) printf(",");
        else printf(",%lld", gs_cli_jint(r, "more_days"));
        printf(",%s\n", gs_cli_jstr(r, "together_with"));
    }
}

int gs_cmd_analyze_triggers(int argc, char **argv)
{
    const char *cmd = "analyze triggers";
    if (gs_cli_wants_help(argc, argv)) {
        triggers_help();
        return GS_EXIT_OK;
    }
    gs_analyze_opts o;
    gs_analyze_opts_default(&o, GS_ANALYZE_TRIGGERS);
    gs_format fmt = GS_FMT_TEXT;
    const char *db = NULL;
    int n_pos, rc = gs_cli_analyze_args(cmd, argc, argv, &o, 7u, &fmt, &db, NULL, 0, &n_pos);
    json_t *doc = NULL;
    if (!rc) rc = gs_cli_analyze_run(cmd, db, &o, &doc);
    if (rc) return rc;
    if (fmt == GS_FMT_TEXT) {
        triggers_text(doc, &o);
    } else if (fmt == GS_FMT_CSV) {
        triggers_csv(doc);
        fprintf(stderr, "gutskin %s: %s\n", cmd, GS_ANALYZE_DISCLAIMER);
    } else {
        gs_cli_analyze_json(cmd, doc);
    }
    json_decref(doc);
    return GS_EXIT_OK;
}
