/*
 * cmd_analyze_effect.c - `gutskin analyze effect` (did starting something
 * change a score) and `gutskin analyze power` (how many more days would
 * detect a change).  The library builds the documents (gs_analyze_run);
 * this file prints them as JSON or renders them as text.
 */
#include <math.h>
#include <stdio.h>

#include "cli/analyze.h"

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
           GS_ANALYZE_DISCLAIMER);
}

static void power_text(const json_t *doc)
{
    long long more = gs_cli_jint(doc, "more_days");   /* null: not within ten years */
    printf("Power: %s, day-to-day sd %.3g and correlation %.2f (%s); %lld days before the "
           "start, %lld since; %lld simulated journals per length.\n",
           gs_cli_jstr(doc, "outcome"), gs_cli_jnum(doc, "sd"), gs_cli_jnum(doc, "phi"),
           gs_cli_jstr(doc, "sd_phi_source"), gs_cli_jint(doc, "days_before"),
           gs_cli_jint(doc, "days_so_far"), gs_cli_jint(doc, "simulations"));
    printf("%s.\n", gs_cli_jstr(doc, "reading"));
    if (more >= 0) printf("(power at that length: %.0f%%)\n", 100 * gs_cli_jnum(doc, "power"));
    printf("\n%s\n", GS_ANALYZE_DISCLAIMER);
}

int gs_cmd_analyze_power(int argc, char **argv)
{
    const char *cmd = "analyze power";
    if (gs_cli_wants_help(argc, argv)) {
        power_help();
        return GS_EXIT_OK;
    }
    gs_analyze_opts o;
    gs_analyze_opts_default(&o, GS_ANALYZE_POWER);
    gs_format fmt = GS_FMT_TEXT;
    const char *db = NULL;
    int n_pos, rc = gs_cli_analyze_args(cmd, argc, argv, &o,
                                        (1u << GS_FMT_TEXT) | (1u << GS_FMT_JSON), &fmt, &db,
                                        NULL, 0, &n_pos);
    json_t *doc = NULL;
    if (!rc) rc = gs_cli_analyze_run(cmd, db, &o, &doc);
    if (rc) return rc;
    if (fmt == GS_FMT_JSON) gs_cli_analyze_json(cmd, doc);
    else power_text(doc);
    json_decref(doc);
    return GS_EXIT_OK;
}

/* ---- effect ----------------------------------------------------------------------- */

static void effect_help(void)
{
    printf("usage: gutskin analyze effect NAME [--outcome NAME] [--washin DAYS] [--run N]\n"
           "                              [--format text|json] [--db PATH]\n\n"
           "Did starting intervention NAME change an outcome (default: the first skin\n"
           "score logged)?  A segmented regression of the daily score on time, a level\n"
           "change and a slope change at the start, with AR(1) errors (one day's\n"
           "deviation carries into the next) fitted by restricted maximum likelihood,\n"
           "as R's nlme::gls(y ~ time + level + slope, correlation = corAR1()) does.\n"
           "--washin DAYS leaves out the first DAYS after the start and measures the\n"
           "change from then on.  Days after the intervention was stopped are left out.\n"
           "--run N analyses its N-th run (a start to its stop; default: the most\n"
           "recent); the days before it count back to the previous run's stop only.\n"
           "When the interval still includes no change, it says how many more days\n"
           "would detect a change of the size estimated (80%% power).\n\n%s\n",
           GS_ANALYZE_DISCLAIMER);
}

static void effect_text(const json_t *doc)
{
    static const char *coef_names[] = {"intercept", "time", "level", "slope"};
    const json_t *coefs = json_object_get(doc, "coefficients");
    int fitted = json_object_size(coefs) > 0;   /* empty: too few days to fit */
    printf("Effect of %s on %s (segmented regression, AR(1) errors, REML)\n",
           gs_cli_jstr(doc, "intervention"), gs_cli_jstr(doc, "outcome"));
    printf("  run %lld of %lld: from %s to %s%s; before it from %s\n", gs_cli_jint(doc, "run"),
           gs_cli_jint(doc, "runs"), gs_cli_jstr(doc, "run_start"),
           gs_cli_jstr(doc, "run_last_day"),
           json_is_true(json_object_get(doc, "run_stopped")) ? "" : " (still running)",
           gs_cli_jstr(doc, "before_from"));
    if (fitted) {
        printf("  %-10s %9s %9s   %s\n", "term", "estimate", "se", "95% interval");
        for (int j = 0; j < 4; j++) {
            const json_t *c = json_object_get(coefs, coef_names[j]);
            printf("  %-10s %+9.3f %9.3f   %+.3f to %+.3f\n", coef_names[j],
                   gs_cli_jnum(c, "estimate"), gs_cli_jnum(c, "se"), gs_cli_jnum(c, "low"),
                   gs_cli_jnum(c, "high"));
        }
        printf("  phi %.3f, residual sd %.3f, %lld days (wash-in %lld days left out)\n\n",
               gs_cli_jnum(doc, "phi"), gs_cli_jnum(doc, "sigma"),
               gs_cli_jint(doc, "days_before") + gs_cli_jint(doc, "days_after"),
               gs_cli_jint(doc, "washin"));
    }
    printf("%s\n", gs_cli_jstr(doc, "reading"));
    const char *more = gs_cli_jstr(doc, "more_days_reading");
    if (fitted && more[0]) printf("%s.\n", more);
    printf("\n%s\n", GS_ANALYZE_DISCLAIMER);
}

int gs_cmd_analyze_effect(int argc, char **argv)
{
    const char *cmd = "analyze effect";
    if (gs_cli_wants_help(argc, argv)) {
        effect_help();
        return GS_EXIT_OK;
    }
    gs_analyze_opts o;
    gs_analyze_opts_default(&o, GS_ANALYZE_EFFECT);
    gs_format fmt = GS_FMT_TEXT;
    const char *db = NULL;
    int n_pos, rc = gs_cli_analyze_args(cmd, argc, argv, &o,
                                        (1u << GS_FMT_TEXT) | (1u << GS_FMT_JSON), &fmt, &db,
                                        &o.name, 1, &n_pos);
    json_t *doc = NULL;
    if (!rc) rc = gs_cli_analyze_run(cmd, db, &o, &doc);
    if (rc) return rc;
    if (fmt == GS_FMT_JSON) gs_cli_analyze_json(cmd, doc);
    else effect_text(doc);
    json_decref(doc);
    return GS_EXIT_OK;
}
