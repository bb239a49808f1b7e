/*
 * cmd_calibrate.c - `gutskin calibrate`: run every calibration target
 * (data/calibration/ID.yaml, one per row of the team's calibration.md) and
 * report the published effect beside the model's, met or not; with --fit,
 * move the parameters of data/calibration/fit.yaml to the targets (GSL
 * Nelder-Mead, common random numbers) and write the fitted set.
 *
 * No paper of its own: the statistics are the trial layer's and the fit
 * is described in src/calib/calibrate.c and docs/calibration.md.
 */
#include <errno.h>
#include <getopt.h>
#include <glob.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "gutskin/calibrate.h"
#include "gutskin/paths.h"

#define CMD "calibrate"
#define DEFAULT_DIR "calibration"

#define EVIDENCE                                                                             \
    "\"Leaky gut syndrome\" is not an accepted diagnosis and has no validated test (Lacy, "  \
    "Wise, Cangemi, Gastroenterol Hepatol 2024;20:264); restoring barrier function has not " \
    "been shown to improve clinical disease (Camilleri, Gut 2019;68:1516); the Cochrane "    \
    "review of probiotics for eczema (Makrgeorgou et al. 2018, CD006135.pub3) finds little " \
    "or no difference in patient-rated symptoms. Every gut-to-skin coupling in the model is " \
    "an assumption calibrated to these targets, not a measured mechanism."

typedef struct cal_args {
    gs_format fmt;
    long patients;
    long long seed;   /* -1: the files' */
    int threads;
    const char *target, *dir, *fit_out;
    int fit;
} cal_args;

static void help(void)
{
    printf("usage: gutskin calibrate [--format text|json] [--patients N] [--seed S]\n"
           "                         [--threads T] [--target ID] [--dir DIR]\n"
           "       gutskin calibrate --fit [--fitted-out PATH] [same options]\n\n"
           "Runs every calibration target (DIR/*.yaml, default data/calibration: a trial\n"
           "design plus a published effect with its 95%% CI, docs/calibration.md) and\n"
           "prints per target the published effect, the model's effect with its 95%% CI,\n"
           "and whether it is met (the model's point estimate inside the published CI).\n"
           "With --fit, first moves the parameters listed in DIR/fit.yaml to minimise the\n"
           "sum of squared standardised distances to the published estimates (GSL\n"
           "Nelder-Mead, the same seeds at every step) and writes the fitted set to\n"
           "DIR/fitted.yaml (or PATH) with each value, the old value and provenance.\n\n"
           "options:\n"
           "  --format F      text (default) or json\n"
           "  --patients N    virtual patients per target (overrides the files)\n"
           "  --seed S        random seed for every target (overrides the files)\n"
           "  --threads T     worker threads (default: all cores)\n"
           "  --target ID     run only this target\n"
           "  --dir DIR       the calibration files' directory\n"
           "  --fit           fit the parameters of DIR/fit.yaml first\n"
           "  --fitted-out P  where --fit writes the fitted set\n\n"
           "exit status: 0 the report was printed (also when targets are not met),\n"
           "1 a run failed, 2 a bad option or file (FILE:LINE:COLUMN).\n\n"
           "Exploratory model output: not a diagnosis and not treatment advice.\n");
}

static int parse_args(int argc, char **argv, cal_args *a)
{
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'},  {"patients", required_argument, NULL, 'n'},
        {"seed", required_argument, NULL, 's'},    {"threads", required_argument, NULL, 't'},
        {"target", required_argument, NULL, 'i'},  {"dir", required_argument, NULL, 'd'},
        {"fit", no_argument, NULL, 'F'},           {"fitted-out", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0}};
    memset(a, 0, sizeof *a);
    a->seed = -1;
    a->fmt = GS_FMT_TEXT;
    optind = 1;
    opterr = 0;
    int c, rc;
    long long v;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if ((rc = gs_cli_parse_format(CMD, optarg, (1u << GS_FMT_TEXT) | (1u << GS_FMT_JSON),
                                          &a->fmt)))
                return rc;
            break;
        case 'n':
            if ((rc = gs_cli_parse_whole(CMD, "--patients", optarg, 2, GS_TRIAL_PATIENTS_MAX, &v))) return rc;
            a->patients = (long)v;
            break;
        case 's':
            if ((rc = gs_cli_parse_whole(CMD, "--seed", optarg, 0, 4294967295LL, &v))) return rc;
            a->seed = v;
            break;
        case 't':
            if ((rc = gs_cli_parse_whole(CMD, "--threads", optarg, 1, 1024, &v))) return rc;
            a->threads = (int)v;
            break;
        case 'i': a->target = optarg; break;
        case 'd': a->dir = optarg; break;
        case 'F': a->fit = 1; break;
        case 'o': a->fit_out = optarg; break;
        default:
            return gs_cli_bad_option(CMD, c, argv);
        }
    }
    if (optind < argc)
        return gs_cli_error(CMD, GS_EXIT_USAGE, "unexpected '%s'; see --help", argv[optind]);
    return 0;
}

/* Is this file a target (not the fit file or the fitted set)? */
static int is_target_file(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    return strcmp(base, "fit.yaml") != 0 && strcmp(base, "fitted.yaml") != 0;
}

static json_t *interval_json(gs_interval v)
{
    json_t *o = json_object();
    json_object_set_new(o, "estimate", isfinite(v.estimate) ? json_real(v.estimate) : json_null());
    json_object_set_new(o, "lo", isfinite(v.lo) ? json_real(v.lo) : json_null());
    json_object_set_new(o, "hi", isfinite(v.hi) ? json_real(v.hi) : json_null());
    return o;
}

static int write_fitted(const char *path, const gs_fit_spec *f, double before, double after)
{
    FILE *out = fopen(path, "w");
    if (!out)
        return gs_cli_error(CMD, GS_EXIT_FAIL, "cannot write the fitted set to %s: %s", path,
                            strerror(errno));
    fprintf(out, "# The fitted parameter set, written by `gutskin calibrate --fit`\n"
                 "# (docs/calibration.md).  The block tables' defaults equal these values\n"
                 "# (tests/calib/test_calibrate.c checks it).  Objective: sum of squared\n"
                 "# standardised distances to the published estimates, %.4f before, %.4f after.\n"
                 "fitted:\n", before, after);
    for (size_t i = 0; i < f->n_params; i++) {
        const gs_fit_param *p = &f->params[i];
        fprintf(out, "  - param: %s\n    value: %.4g\n    old: %.6g\n    moved_percent: %.1f\n"
                     "    provenance: \"fitted to ", p->name, p->value, p->old_value,
                100.0 * (p->value - p->old_value) / p->old_value);
        for (size_t k = 0; k < p->n_targets; k++)
            fprintf(out, "%s%s", k ? ", " : "", p->targets[k]);
        fprintf(out, " (docs/calibration.md)\"\n");
        if (!p->tie) continue;
        fprintf(out, "  - param: %s\n    value: %.6g\n    old: %.6g\n    moved_percent: %.1f\n"
                     "    provenance: \"tied to %s (%g + %g * it) so that %s; fitted to ",
                p->tie, p->tie_value, p->tie_old,
                p->tie_old != 0 ? 100.0 * (p->tie_value - p->tie_old) / p->tie_old : 0.0,
                p->name, p->tie_intercept, p->tie_slope, p->tie_why);
        for (size_t k = 0; k < p->n_targets; k++)
            fprintf(out, "%s%s", k ? ", " : "", p->targets[k]);
        fprintf(out, " (docs/calibration.md)\"\n");
    }
    if (fclose(out) != 0)
        return gs_cli_error(CMD, GS_EXIT_FAIL, "cannot write %s: %s", path, strerror(errno));
    return 0;
}

int gs_cmd_calibrate(int argc, char **argv)
{
    if (gs_cli_wants_help(argc, argv)) {
        help();
        return GS_EXIT_OK;
    }
    cal_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc) return rc;
    gs_err err;
    gs_err_clear(&err);
    char dir[4096];
    if (a.dir) snprintf(dir, sizeof dir, "%s", a.dir);
    else if (gs_data_path(DEFAULT_DIR, dir, sizeof dir, &err) != GS_OK)
        return gs_cli_fail(CMD, &err);
    char pattern[4200];
    snprintf(pattern, sizeof pattern, "%s/*.yaml", dir);
    glob_t g;
    if (glob(pattern, 0, NULL, &g) != 0)
        return gs_cli_error(CMD, GS_EXIT_USAGE, "no calibration files match %s", pattern);
    gs_cal_target *targets = calloc(g.gl_pathc, sizeof *targets);
    size_t n = 0;
    if (!targets) {
        globfree(&g);
        return gs_cli_error(CMD, GS_EXIT_FAIL, "out of memory");
    }
    rc = 0;
    for (size_t i = 0; i < g.gl_pathc && !rc; i++) {
        if (!is_target_file(g.gl_pathv[i])) continue;
        gs_cal_target *t = &targets[n++];
        if (gs_cal_target_load(g.gl_pathv[i], t, &err) != GS_OK) rc = gs_cli_fail(CMD, &err);
        else if (a.target && strcmp(t->id, a.target) != 0) gs_cal_target_free(&targets[--n]);
        else {
            if (a.patients) t->trial.patients = a.patients;
            if (a.seed >= 0) t->trial.seed = (unsigned long)a.seed;
        }
    }
    globfree(&g);
    if (!rc && n == 0)
        rc = gs_cli_error(CMD, GS_EXIT_USAGE, "no calibration target%s%s in %s",
                          a.target ? " called " : "", a.target ? a.target : "", dir);
    gs_trial_opts opts = {a.threads, NULL, 0, 0};

    json_t *fitted = NULL;
    if (!rc && a.fit) {
        char path[4200];
        snprintf(path, sizeof path, "%s/fit.yaml", dir);
        gs_fit_spec spec;
        double before = 0, after = 0;
        if (gs_fit_spec_load(path, &spec, &err) != GS_OK) rc = gs_cli_fail(CMD, &err);
        else if (gs_cal_fit(targets, n, &spec, &opts, &before, &after, stderr, &err) != GS_OK)
            rc = gs_cli_fail(CMD, &err);
        else {
            char out[4200];
            if (a.fit_out) snprintf(out, sizeof out, "%s", a.fit_out);
            else snprintf(out, sizeof out, "%s/fitted.yaml", dir);
            rc = write_fitted(out, &spec, before, after);
            fitted = json_object();
            json_t *ps = json_array();
            for (size_t i = 0; i < spec.n_params; i++) {
                const gs_fit_param *p = &spec.params[i];
                json_t *o = json_object();
                json_object_set_new(o, "param", json_string(p->name));
                json_object_set_new(o, "old", json_real(p->old_value));
                json_object_set_new(o, "value", json_real(p->value));
                json_object_set_new(o, "moved_percent",
                                    json_real(100.0 * (p->value - p->old_value) / p->old_value));
                json_array_append_new(ps, o);
                fprintf(stderr, "gutskin calibrate: %s %.6g -> %.4g (%+.1f%%)\n", p->name,
                        p->old_value, p->value,
                        100.0 * (p->value - p->old_value) / p->old_value);
                if (p->tie) {
                    o = json_object();
                    json_object_set_new(o, "param", json_string(p->tie));
                    json_object_set_new(o, "old", json_real(p->tie_old));
                    json_object_set_new(o, "value", json_real(p->tie_value));
                    json_object_set_new(o, "tied_to", json_string(p->name));
                    json_array_append_new(ps, o);
                    fprintf(stderr, "gutskin calibrate: %s %.6g -> %.6g (tied to %s)\n", p->tie,
                            p->tie_old, p->tie_value, p->name);
                }
            }
            json_object_set_new(fitted, "params", ps);
            json_object_set_new(fitted, "objective_before", json_real(before));
            json_object_set_new(fitted, "objective_after", json_real(after));
            json_object_set_new(fitted, "file", json_string(out));
        }
        gs_fit_spec_free(&spec);
    }

    json_t *root = json_object(), *rows = json_array();
    json_object_set_new(root, "targets", rows);  /* root owns rows from here */
    size_t met = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        const gs_cal_target *t = &targets[i];
        gs_cal_result r;
        if (gs_cal_run(t, &opts, &r, &err) != GS_OK) {
            rc = gs_cli_fail(CMD, &err);
            break;
        }
        met += (size_t)r.met;
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(t->id));
        json_object_set_new(o, "outcome", json_string(t->outcome));
        json_object_set_new(o, "statistic", json_string(gs_cal_statistic_name(t->statistic)));
        json_object_set_new(o, "published", interval_json(t->published));
        json_object_set_new(o, "model", interval_json(r.model));
        json_object_set_new(o, "distance", r.ok ? json_real(gs_cal_distance(
                                                      r.model.estimate, t->published))
                                                : json_null());
        json_object_set_new(o, "met", json_boolean(r.met));
        json_object_set_new(o, "n_arm", json_integer((json_int_t)r.n_arm));
        json_object_set_new(o, "n_control", json_integer((json_int_t)r.n_control));
        json_object_set_new(o, "failed", json_integer(r.failed));
        json_object_set_new(o, "patients", json_integer(t->trial.patients));
        json_object_set_new(o, "seed", json_integer((json_int_t)t->trial.seed));
        json_object_set_new(o, "source", json_string(t->source));
        json_object_set_new(o, "file", json_string(t->trial.path));
        json_array_append_new(rows, o);
    }
    if (!rc) {
        json_object_set_new(root, "met", json_integer((json_int_t)met));
        json_object_set_new(root, "total", json_integer((json_int_t)n));
        if (fitted) json_object_set_new(root, "fit", fitted);
        json_object_set_new(root, "evidence", json_string(EVIDENCE));
        json_object_set_new(root, "disclaimer", json_string("Exploratory model output: not a "
                                                            "diagnosis and not treatment "
                                                            "advice."));
        if (a.fmt == GS_FMT_JSON) {
            char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
            if (!s) rc = gs_cli_error(CMD, GS_EXIT_FAIL, "out of memory");
            else printf("%s\n", s);
            free(s);
        } else {
            printf("%-26s %-22s %-30s %-30s %s\n", "target", "statistic", "published (95% CI)",
                   "model (95% CI)", "met");
            size_t k;
            json_t *o;
            json_array_foreach(json_object_get(root, "targets"), k, o) {
                char pub[64], mod[64];
                json_t *p = json_object_get(o, "published"), *m = json_object_get(o, "model");
                snprintf(pub, sizeof pub, "%.3g (%.3g to %.3g)",
                         json_number_value(json_object_get(p, "estimate")),
                         json_number_value(json_object_get(p, "lo")),
                         json_number_value(json_object_get(p, "hi")));
                if (json_is_null(json_object_get(m, "estimate"))) snprintf(mod, sizeof mod, "n/a");
                else
                    snprintf(mod, sizeof mod, "%.3g (%.3g to %.3g)",
                             json_number_value(json_object_get(m, "estimate")),
                             json_number_value(json_object_get(m, "lo")),
                             json_number_value(json_object_get(m, "hi")));
                printf("%-26s %-22s %-30s %-30s %s\n", json_string_value(json_object_get(o, "id")),
                       json_string_value(json_object_get(o, "statistic")), pub, mod,
                       json_is_true(json_object_get(o, "met")) ? "met" : "NOT met");
            }
            printf("\n%zu of %zu targets met.\n\n%s\nExploratory model output: not a "
                   "diagnosis and not treatment advice.\n", met, n, EVIDENCE);
        }
    }
    if (rc && fitted) json_decref(fitted);
    json_decref(root);
    for (size_t i = 0; i < n; i++) gs_cal_target_free(&targets[i]);
    free(targets);
    return rc;
}
