/*
 * cmd_analyze_effect.c - `gutskin analyze effect` (did starting something
 * change a score: gs_stats_segmented) and `gutskin analyze power` (how many
 * more days would detect a change: gs_stats_power_days).
 */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/analyze.h"
#include "cli/cli.h"

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

int gs_analyze_power(int argc, char **argv)
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
            if ((rc = gs_analyze_parse_real(cmd, "--change", optarg, -100, 100, &o.change))) return rc;
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
            if ((rc = gs_analyze_parse_real(cmd, "--sd", optarg, 1e-6, 1000, &o.sd))) return rc;
            have_sd = 1;
            break;
        case 'P':
            if ((rc = gs_analyze_parse_real(cmd, "--phi", optarg, -0.99, 0.99, &o.phi))) return rc;
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
        if ((rc = gs_analyze_load_panel(cmd, db, &p))) return rc;
        rc = outcome ? gs_analyze_find_outcome(cmd, p, outcome, &oi) : gs_analyze_default_outcome(cmd, p, &oi);
        if (!rc && gs_analyze_person_noise(p, oi, 0, p->n_days, &o.sd, &o.phi, &n_days, &err))
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
    gs_analyze_power_sentence(sentence, sizeof sentence, more, o.change, outcome_name, o.so_far);
    if (fmt == GS_FMT_JSON) {
        json_t *root = json_pack("{s:s,s:f,s:f,s:f,s:s,s:I,s:I,s:o,s:f,s:I,s:s,s:s}", "outcome",
                                 outcome_name, "change", o.change, "sd", o.sd, "phi", o.phi,
                                 "sd_phi_source", source, "days_before", (json_int_t)o.before,
                                 "days_so_far", (json_int_t)o.so_far, "more_days",
                                 more < 0 ? json_null() : json_integer(more), "power", pw,
                                 "simulations", (json_int_t)o.reps, "reading", sentence,
                                 "disclaimer", GS_ANALYZE_DISCLAIMER);
        json_dumpf(root, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
        printf("\n");
        json_decref(root);
        fprintf(stderr, "gutskin %s: %s\n", cmd, GS_ANALYZE_DISCLAIMER);
    } else {
        printf("Power: %s, day-to-day sd %.3g and correlation %.2f (%s); %zu days before the "
               "start, %zu since; %zu simulated journals per length.\n",
               outcome_name, o.sd, o.phi, source, o.before, o.so_far, o.reps);
        printf("%s%s.\n", sentence, more >= 0 ? "" : "");
        if (more >= 0) printf("(power at that length: %.0f%%)\n", 100 * pw);
        printf("\n%s\n", GS_ANALYZE_DISCLAIMER);
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
           GS_ANALYZE_DISCLAIMER);
}

int gs_analyze_effect(int argc, char **argv)
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
    if ((rc = gs_analyze_load_panel(cmd, db, &p))) return rc;
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
    if (!rc) rc = outcome ? gs_analyze_find_outcome(cmd, p, outcome, &oi) : gs_analyze_default_outcome(cmd, p, &oi);
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
    size_t n = gs_analyze_outcome_days(p, oi, 0, end, day, y);
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
        if (!gs_analyze_person_noise(p, oi, 0, start, &sd, &phi, &nd, &e2)) {
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
                gs_analyze_power_sentence(more_text, sizeof more_text, more, change, oname, seg.n_after);
                st = GS_OK;
                snprintf(reading, sizeof reading,
                         "%zu days of %s before starting %s and %zu after are too few to "
                         "estimate a change. For a change of one day-to-day standard "
                         "deviation: %s.",
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
            gs_analyze_power_sentence(more_text, sizeof more_text, more, change, oname, seg.n_after);
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
                                 "disclaimer", GS_ANALYZE_DISCLAIMER);
        if (more_text[0]) {
            json_object_set_new(root, "more_days", more < 0 ? json_null() : json_integer(more));
            json_object_set_new(root, "more_days_for_change", json_real(change));
            json_object_set_new(root, "more_days_reading", json_string(more_text));
        }
        json_dumpf(root, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
        printf("\n");
        json_decref(root);
        fprintf(stderr, "gutskin %s: %s\n", cmd, GS_ANALYZE_DISCLAIMER);
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
        printf("\n%s\n", GS_ANALYZE_DISCLAIMER);
    }
    gs_daily_free(p);
    return GS_EXIT_OK;
}

