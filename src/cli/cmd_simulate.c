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
 */
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
#include "gutskin/scenario.h"

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
           "                  \"rows\": [[day, ...], ...]}\n"
           "  --out PATH      write the table to PATH instead of stdout (atomically)\n"
           "  --plot PATH     draw gut, systemic and skin panels with the schedule as PNG\n\n"
           "exit status: 0 success, 1 the solver failed (block, state and day named),\n"
           "2 a bad option or scenario (FILE:LINE:COLUMN and what was expected).\n\n"
           "%s\n",
           GS_SCENARIO_DAYS_MAX, GS_SCENARIO_EVERY_MIN, DISCLAIMER);
}

/* ---- output tables --------------------------------------------------- */

static void csv_name(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void write_csv(FILE *f, const gs_scenario *sc, const gs_scenario_result *res)
{
    char name[160];
    fputs("day", f);
    for (size_t j = 0; j < res->n_cols; j++) {
        fputc(',', f);
        csv_name(f, gs_scenario_column_name(sc, j, name, sizeof name, NULL));
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
                            gs_err *err)
{
    json_t *root = json_object(), *cols = json_array(), *units = json_array(),
           *rows = json_array();
    if (!root || !cols || !units || !rows) goto nomem;
    json_object_set_new(root, "scenario", json_string(sc->name));
    json_object_set_new(root, "file", json_string(sc->path));
    json_object_set_new(root, "burn_in_days", json_real(res->burn_in_days));
    json_object_set_new(root, "columns", cols);
    json_object_set_new(root, "units", units);
    json_object_set_new(root, "rows", rows);
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
        case ':':
            return gs_cli_error(CMD, GS_EXIT_USAGE, "option '%s' needs a value; see --help",
                                argv[optind - 1]);
        default:
            return gs_cli_error(CMD, GS_EXIT_USAGE, "unknown option '%s'; see --help",
                                argv[optind - 1]);
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

    FILE *mem = open_memstream(&buf, &len);
    if (!mem) {
        st = gs_fail(&err, GS_ERR_NOMEM, "out of memory for the output table");
        goto done;
    }
    if (a.fmt == GS_FMT_JSON) st = write_json(mem, &sc, &res, &err);
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
