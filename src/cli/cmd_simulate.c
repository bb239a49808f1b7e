/*
 * cmd_simulate.c - `gutskin simulate FILE`: run a scenario file and print
 * (or write) one row per sample day with every state and output, and
 * optionally draw the run as a PNG.  The scenario format and the output
 * columns are documented in docs/scenarios.md.
 *
 * Nothing partial is ever presented as complete: the table is built in
 * memory and reaches stdout only after the whole run succeeded; --out and
 * --plot are written to temporary files beside their targets and renamed
 * into place only when both are complete, so a failed run leaves any
 * existing file untouched.
 *
 * The summary on stderr (and the JSON "timeline" key) answers "how long
 * until my skin improves?": for each active skin block's main clinical
 * scores, the day by which half and 90% of the improvement from day 0 to
 * the last day is reached (gs_timeline_day, src/util/timeline.c; the same
 * definition as a trial arm's timeline, docs/trials.md).
 */
#include <assert.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/csv_out.h"
#include "gutskin/scenario.h"
#include "gutskin/timeline.h"

#define CMD "simulate"
#define DISCLAIMER                                                                  \
    "Exploratory model output: not a diagnosis and not treatment advice. Every "   \
    "gut-to-skin coupling is an assumption (see docs/model.md)."

static void help(void)
{
    printf("usage: gutskin simulate FILE [--days N] [--every D] [--format csv|json]\n"
           "                        [--out PATH] [--plot PATH.png]\n\n"
           "Runs the scenario in FILE (YAML, see docs/scenarios.md): the person is\n"
           "burned in to a steady state on their usual diet, then the schedule runs\n"
           "from day 0.  Prints one row per sample day: `day`, then every state and\n"
           "every output of the model, named block.name.\n\n"
           "options:\n"
           "  --days N        simulated days after burn-in, 1 to %d (overrides the file)\n"
           "  --every D       sampling interval in days, %.4g to N (overrides the file)\n"
           "  --format F      csv (default) or json: {\"scenario\", \"columns\", \"units\",\n"
           "                  \"rows\": [[day, ...], ...], \"timeline\": [...]}\n"
           "  --out PATH      write the table to PATH instead of stdout (atomically)\n"
           "  --plot PATH     draw gut, systemic and skin panels with the schedule as PNG\n\n"
           "timeline (on stderr, and the JSON \"timeline\" key): for each active skin\n"
           "block's main scores (acne total_lesions and inflammatory_count, AD easi and\n"
           "scorad, rosacea papule_count and erythema_score, ageing collagen, where\n"
           "higher is better) the day by which half and 90%% of the improvement from\n"
           "day 0 to the last day is reached, or \"no improvement\" when the score\n"
           "improved by less than 1%% of its day-0 value.  JSON entries: {\"score\",\n"
           "\"unit\", \"better\", \"day_0\", \"last_day\", \"final\", \"improved\",\n"
           "\"day_half\", \"day_90_percent\"} (days null without improvement).\n\n"
           "exit status: 0 success, 1 the solver failed (block, state and day named),\n"
           "2 a bad option or scenario (FILE:LINE:COLUMN and what was expected).\n\n"
           "%s\n",
           GS_SCENARIO_DAYS_MAX, GS_SCENARIO_EVERY_MIN, DISCLAIMER);
}

/* ---- timeline ---------------------------------------------------------- */

/* The main clinical scores of each skin block and which way is better:
 * the scores the skin blocks' papers and trials report (docs/model.md). */
static const struct timeline_score {
    const char *name;
    int higher_better;
} TIMELINE_SCORES[] = {
    {"skin_acne.total_lesions", 0},      {"skin_acne.inflammatory_count", 0},
    {"skin_ad.easi", 0},                 {"skin_ad.scorad", 0},
    {"skin_rosacea.papule_count", 0},    {"skin_rosacea.erythema_score", 0},
    {"skin_ageing.collagen", 1},
};
#define N_TIMELINE_SCORES (sizeof TIMELINE_SCORES / sizeof TIMELINE_SCORES[0])

/* One score's timeline over a run. */
typedef struct timeline_row {
    const char *score, *unit;
    int higher_better;
    double day0, final, last_day;
    double day_half, day_90;  /* NAN: no improvement */
} timeline_row;

/* First result column named `name`, or -1 when the model lacks it (the
 * skin block is not active). */
static long find_column(const gs_scenario *sc, const gs_scenario_result *res, const char *name,
                        const char **unit)
{
    char buf[160];
    for (size_t j = 0; j < res->n_cols; j++)
        if (strcmp(gs_scenario_column_name(sc, j, buf, sizeof buf, unit), name) == 0)
            return (long)j;
    return -1;
}

/* Fill rows (room for N_TIMELINE_SCORES) with the timeline of every main
 * score the run has; returns how many.  Fails only when out of memory. */
static gs_status compute_timeline(const gs_scenario *sc, const gs_scenario_result *res,
                                  timeline_row *rows, size_t *n_rows, gs_err *err)
{
    assert(res->n_rows >= 1);
    *n_rows = 0;
    double *x = malloc(res->n_rows * sizeof *x);
    if (!x) return gs_fail(err, GS_ERR_NOMEM, "out of memory for the timeline");
    for (size_t s = 0; s < N_TIMELINE_SCORES; s++) {
        const char *unit = "";
        long j = find_column(sc, res, TIMELINE_SCORES[s].name, &unit);
        if (j < 0) continue;
        for (size_t r = 0; r < res->n_rows; r++) x[r] = res->values[r * res->n_cols + (size_t)j];
        timeline_row *t = &rows[(*n_rows)++];
        t->score = TIMELINE_SCORES[s].name;
        t->unit = unit;
        t->higher_better = TIMELINE_SCORES[s].higher_better;
        t->day0 = x[0];
        t->final = x[res->n_rows - 1];
        t->last_day = res->days[res->n_rows - 1];
        t->day_half = gs_timeline_day(res->days, x, res->n_rows, t->higher_better, 0.5);
        t->day_90 = gs_timeline_day(res->days, x, res->n_rows, t->higher_better, 0.9);
    }
    free(x);
    return GS_OK;
}

static json_t *day_or_null(double day)
{
    return isnan(day) ? json_null() : json_real(day);
}

/* The "timeline" array of the JSON output; NULL when out of memory. */
static json_t *timeline_json(const timeline_row *rows, size_t n)
{
    json_t *arr = json_array();
    if (!arr) return NULL;
    for (size_t i = 0; i < n; i++) {
        const timeline_row *t = &rows[i];
        json_t *o = json_pack("{s:s, s:s, s:s, s:f, s:f, s:f, s:b, s:o, s:o}", "score", t->score,
                              "unit", t->unit, "better", t->higher_better ? "higher" : "lower",
                              "day_0", t->day0, "last_day", t->last_day, "final", t->final,
                              "improved", !isnan(t->day_half), "day_half",
                              day_or_null(t->day_half), "day_90_percent", day_or_null(t->day_90));
        if (!o || json_array_append_new(arr, o)) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

/* The timeline lines of the stderr summary.  Days are rounded up: half of
 * the improvement reached at day 60.3 is reached "by day 61". */
static void print_timeline(const timeline_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const timeline_row *t = &rows[i];
        fprintf(stderr, "gutskin %s: timeline: %s (%s is better) %.4g on day 0, %.4g on day %g: ",
                CMD, t->score, t->higher_better ? "higher" : "lower", t->day0, t->final,
                t->last_day);
        if (isnan(t->day_half))
            fprintf(stderr, "no improvement\n");
        else
            fprintf(stderr, "half of the improvement by day %.0f, 90%% by day %.0f\n",
                    ceil(t->day_half - 1e-9), ceil(t->day_90 - 1e-9));
    }
}

/* ---- output tables --------------------------------------------------- */

static void write_csv(FILE *f, const gs_scenario *sc, const gs_scenario_result *res)
{
    char name[160];
    fputs("day", f);
    for (size_t j = 0; j < res->n_cols; j++) {
        fputc(',', f);
        gs_csv_put(f, gs_scenario_column_name(sc, j, name, sizeof name, NULL));
    }
    fputc('\n', f);
    for (size_t r = 0; r < res->n_rows; r++) {
        fprintf(f, "%.10g", res->days[r]);
        const double *row = res->values + r * res->n_cols;
        for (size_t j = 0; j < res->n_cols; j++) fprintf(f, ",%.10g", row[j]);
        fputc('\n', f);
    }
}

static gs_status write_json(FILE *f, const gs_scenario *sc, const gs_scenario_result *res,
                            const timeline_row *tl, size_t n_tl, gs_err *err)
{
    json_t *root = json_object(), *cols = json_array(), *units = json_array(),
           *rows = json_array(), *timeline = timeline_json(tl, n_tl);
    if (!root || !cols || !units || !rows || !timeline) goto nomem;
    json_object_set_new(root, "scenario", json_string(sc->name));
    json_object_set_new(root, "file", json_string(sc->path));
    json_object_set_new(root, "burn_in_days", json_real(res->burn_in_days));
    json_object_set_new(root, "columns", cols);
    json_object_set_new(root, "units", units);
    json_object_set_new(root, "rows", rows);
    json_object_set_new(root, "timeline", timeline);
    json_array_append_new(cols, json_string("day"));
    json_array_append_new(units, json_string("day"));
    char name[160];
    for (size_t j = 0; j < res->n_cols; j++) {
        const char *unit;
        gs_scenario_column_name(sc, j, name, sizeof name, &unit);
        if (json_array_append_new(cols, json_string(name)) ||
            json_array_append_new(units, json_string(unit)))
            goto nomem;
    }
    for (size_t r = 0; r < res->n_rows; r++) {
        json_t *row = json_array();
        if (!row || json_array_append_new(rows, row)) goto nomem;
        json_array_append_new(row, json_real(res->days[r]));
        for (size_t j = 0; j < res->n_cols; j++)
            if (json_array_append_new(row, json_real(res->values[r * res->n_cols + j])))
                goto nomem;
    }
    int rc = json_dumpf(root, f, JSON_COMPACT | JSON_REAL_PRECISION(10));
    fputc('\n', f);
    json_decref(root);
    if (rc != 0) return gs_fail(err, GS_ERR_IO, "could not write the JSON output");
    return GS_OK;
nomem:
    json_decref(root);
    json_decref(cols);
    json_decref(units);
    json_decref(rows);
    json_decref(timeline);
    return gs_fail(err, GS_ERR_NOMEM, "out of memory building the JSON output");
}

/* ---- atomic files ----------------------------------------------------- */

/* Create an empty temporary file beside target; *tmp receives its path. */
static gs_status temp_beside(const char *target, char **tmp, gs_err *err)
{
    size_t len = strlen(target) + 16;
    char *p = malloc(len);
    if (!p) return gs_fail(err, GS_ERR_NOMEM, "out of memory");
    snprintf(p, len, "%s.tmp-XXXXXX", target);
    int fd = mkstemp(p);
    if (fd < 0) {
        gs_status st = gs_fail(err, GS_ERR_IO, "cannot create a file beside %s: %s", target,
                               strerror(errno));
        free(p);
        return st;
    }
    /* mkstemp makes the file 0600; give it the mode a new file would get. */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) {
        gs_status st = gs_fail(err, GS_ERR_IO, "cannot set the mode of %s: %s", p,
                               strerror(errno));
        close(fd);
        unlink(p);
        free(p);
        return st;
    }
    close(fd);
    *tmp = p;
    return GS_OK;
}

static gs_status write_file(const char *path, const char *data, size_t len, gs_err *err)
{
    FILE *f = fopen(path, "wb");
    if (!f) return gs_fail(err, GS_ERR_IO, "cannot write %s: %s", path, strerror(errno));
    size_t w = fwrite(data, 1, len, f);
    int bad = w != len || fflush(f) != 0 || fsync(fileno(f)) != 0;
    int e = errno;
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (bad) return gs_fail(err, GS_ERR_IO, "cannot write %s: %s", path, strerror(e));
    return GS_OK;
}

/* ---- options ---------------------------------------------------------- */

typedef struct sim_args {
    const char *file, *out, *plot;
    long days;      /* 0: from the file */
    double every;   /* 0: from the file */
    gs_format fmt;
} sim_args;

static int parse_args(int argc, char **argv, sim_args *a)
{
    static const struct option opts[] = {{"days", required_argument, 0, 'd'},
                                         {"every", required_argument, 0, 'e'},
                                         {"format", required_argument, 0, 'f'},
                                         {"out", required_argument, 0, 'o'},
                                         {"plot", required_argument, 0, 'p'},
                                         {0, 0, 0, 0}};
    memset(a, 0, sizeof *a);
    a->fmt = GS_FMT_CSV;
    optind = 1;
    opterr = 0;
    int c, rc;
    char *end;
    while ((c = getopt_long(argc, argv, ":d:e:f:o:p:", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            errno = 0;
            a->days = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || errno || a->days < 1 ||
                a->days > GS_SCENARIO_DAYS_MAX)
                return gs_cli_error(CMD, GS_EXIT_USAGE,
                                    "--days '%s' must be a whole number of days from 1 to %d",
                                    optarg, GS_SCENARIO_DAYS_MAX);
            break;
        case 'e':
            errno = 0;
            a->every = strtod(optarg, &end);
            if (*optarg == '\0' || *end != '\0' || errno || !isfinite(a->every) ||
                a->every < GS_SCENARIO_EVERY_MIN || a->every > GS_SCENARIO_DAYS_MAX)
                return gs_cli_error(CMD, GS_EXIT_USAGE,
                                    "--every '%s' must be a number of days from %.4g to %d",
                                    optarg, GS_SCENARIO_EVERY_MIN, GS_SCENARIO_DAYS_MAX);
            break;
        case 'f':
            if ((rc = gs_cli_parse_format(CMD, optarg, (1u << GS_FMT_CSV) | (1u << GS_FMT_JSON),
                                          &a->fmt)))
                return rc;
            break;
        case 'o':
            if (!*optarg) return gs_cli_error(CMD, GS_EXIT_USAGE, "--out needs a path");
            a->out = optarg;
            break;
        case 'p':
            if (!*optarg) return gs_cli_error(CMD, GS_EXIT_USAGE, "--plot needs a path");
            a->plot = optarg;
            break;
        default:
            return gs_cli_bad_option(CMD, c, argv);
        }
    }
    if (optind >= argc)
        return gs_cli_error(CMD, GS_EXIT_USAGE,
                            "which scenario? usage: gutskin simulate FILE [options] "
                            "(examples in data/scenarios/)");
    if (optind + 1 < argc)
        return gs_cli_error(CMD, GS_EXIT_USAGE, "one scenario file at a time; unexpected '%s'",
                            argv[optind + 1]);
    a->file = argv[optind];
    if (a->out && a->plot && strcmp(a->out, a->plot) == 0)
        return gs_cli_error(CMD, GS_EXIT_USAGE, "--out and --plot name the same file '%s'",
                            a->out);
    return 0;
}

/* Tell about spans that the run never reaches. */
static void warn_unreached(const gs_scenario *sc)
{
    size_t n;
    const gs_intervention *reg = gs_intervention_registry(&n);
    for (size_t i = 0; i < sc->schedule.n_spans; i++) {
        const gs_dose_span *sp = &sc->schedule.spans[i];
        if (sp->start >= sc->days)
            fprintf(stderr,
                    "gutskin %s: note: %s starts on day %g, at or after the last simulated "
                    "day %d, so it has no effect in this run\n",
                    CMD, reg[sp->intervention].name, sp->start, sc->days);
    }
}

int gs_cmd_simulate(int argc, char **argv)
{
    if (gs_cli_wants_help(argc, argv)) {
        help();
        return GS_EXIT_OK;
    }
    sim_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc) return rc;

    gs_err err;
    gs_err_clear(&err);
    gs_scenario sc;
    gs_scenario_result res = {0};
    char *buf = NULL, *out_tmp = NULL, *plot_tmp = NULL;
    size_t len = 0;
    gs_status st = gs_scenario_load(a.file, &sc, &err);
    if (st != GS_OK) goto done;
    if (a.days) sc.days = (int)a.days;
    if (a.every) sc.every = a.every;
    if (sc.every > sc.days) {
        st = gs_fail(&err, GS_ERR_INPUT,
                     "the sampling interval (%g days) is longer than the run (%d days); "
                     "give --every at most %d",
                     sc.every, sc.days, sc.days);
        goto done;
    }
    if ((st = gs_scenario_run(&sc, &res, &err)) != GS_OK) goto done;
    timeline_row timeline[N_TIMELINE_SCORES];
    size_t n_timeline = 0;
    if ((st = compute_timeline(&sc, &res, timeline, &n_timeline, &err)) != GS_OK) goto done;

    FILE *mem = open_memstream(&buf, &len);
    if (!mem) {
        st = gs_fail(&err, GS_ERR_NOMEM, "out of memory for the output table");
        goto done;
    }
    if (a.fmt == GS_FMT_JSON) st = write_json(mem, &sc, &res, timeline, n_timeline, &err);
    else write_csv(mem, &sc, &res);
    if (fclose(mem) != 0 && st == GS_OK)
        st = gs_fail(&err, GS_ERR_NOMEM, "out of memory for the output table");
    if (st != GS_OK) goto done;

    if (a.out) {
        if ((st = temp_beside(a.out, &out_tmp, &err)) != GS_OK) goto done;
        if ((st = write_file(out_tmp, buf, len, &err)) != GS_OK) goto done;
    }
    if (a.plot) {
        if ((st = temp_beside(a.plot, &plot_tmp, &err)) != GS_OK) goto done;
        if ((st = gs_scenario_plot(&sc, &res, plot_tmp, &err)) != GS_OK) goto done;
    }
    if (out_tmp) {
        if (rename(out_tmp, a.out) != 0) {
            st = gs_fail(&err, GS_ERR_IO, "cannot move the output into %s: %s", a.out,
                         strerror(errno));
            goto done;
        }
        free(out_tmp);
        out_tmp = NULL;
    }
    if (plot_tmp) {
        if (rename(plot_tmp, a.plot) != 0) {
            st = gs_fail(&err, GS_ERR_IO, "cannot move the plot into %s: %s", a.plot,
                         strerror(errno));
            goto done;
        }
        free(plot_tmp);
        plot_tmp = NULL;
    }
    if (!a.out) {
        if (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0) {
            st = gs_fail(&err, GS_ERR_IO, "cannot write the output: %s", strerror(errno));
            goto done;
        }
    }

    warn_unreached(&sc);
    const gs_solve_stats *ss = &res.stats;
    fprintf(stderr, "gutskin %s: %s: %zu rows x %zu columns %s%s%s%s\n", CMD, sc.name,
            res.n_rows, res.n_cols + 1, a.out ? "written to " : "on stdout",
            a.out ? a.out : "", a.plot ? "; plot " : "", a.plot ? a.plot : "");
    if (sc.burn_in_auto && res.burn_in_days >= 730)
        fprintf(stderr,
                "gutskin %s: burn-in: %g days (about %.0f years: a slow state such as "
                "collagen) to a steady state on the usual diet\n",
                CMD, res.burn_in_days, res.burn_in_days / 365.25);
    else if (sc.burn_in_auto)
        fprintf(stderr, "gutskin %s: burn-in: %g days to a steady state on the usual diet\n",
                CMD, res.burn_in_days);
    else
        fprintf(stderr, "gutskin %s: burn-in: %g days on the usual diet (fixed)\n", CMD,
                res.burn_in_days);
    fprintf(stderr,
            "gutskin %s: solver: %ld steps, %ld right-hand-side evaluations, "
            "%ld restarts at schedule changes\n",
            CMD, ss->steps, ss->rhs_evals, ss->restarts);
    print_timeline(timeline, n_timeline);
    fprintf(stderr, "%s\n", DISCLAIMER);

done:
    if (out_tmp) {
        unlink(out_tmp);
        free(out_tmp);
    }
    if (plot_tmp) {
        unlink(plot_tmp);
        free(plot_tmp);
    }
    free(buf);
    gs_scenario_result_free(&res);
    gs_scenario_free(&sc);
    if (st != GS_OK) return gs_cli_fail(CMD, &err);
    return GS_EXIT_OK;
}
