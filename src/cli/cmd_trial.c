/*
 * cmd_trial.c - `gutskin trial FILE`: run an in-silico trial (docs/trials.md)
 * and print its summary as JSON (default) or CSV; optionally one CSV row per
 * virtual patient.
 *
 * The summary reaches stdout only after the whole run; messages, timing and
 * the progress bar go to stderr, so the JSON is byte-identical for any
 * --threads.  Exit 0 on success (failed patients are counted in the output
 * and named on stderr, never dropped), 1 when the run could not complete or
 * no patient met the inclusion criteria, 2 for a bad option or trial file.
 *
 * With --mpi the patients are spread over the ranks of an Open MPI job
 * (src/trial/mpi.c) and every rank reads the file and runs this command;
 * only rank 0 prints, writes --patients-out and shows the progress bar, and
 * it prints exactly what one process would.  MPI is started only for
 * --mpi, so a plain run pays nothing for it.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/csv_out.h"
#include "gutskin/progress.h"
#include "gutskin/trial.h"
#ifdef GS_HAVE_MPI
#include "gutskin/trial_mpi.h"
#endif

#define CMD "trial"
#define STDERR_FAILURES 5   /* failed patients named on stderr */

typedef struct trial_args {
    const char *file;
    long patients;       /* 0: the file's */
    long long seed;      /* -1: the file's */
    int threads;         /* 0: OpenMP's default */
    gs_format fmt;
    const char *patients_out;
    int progress;
    int mpi;             /* --mpi: spread the patients over MPI ranks */
} trial_args;

/* Where this process stands in the run: one process, or a rank of many. */
typedef struct trial_place {
    int mpi;             /* MPI was started */
    int rank, size;      /* 0 of 1 without MPI */
} trial_place;

static void help(void)
{
    printf("usage: gutskin trial FILE [--patients N] [--seed S] [--threads T]\n"
           "                     [--format json|csv] [--patients-out PATH.csv] [--progress]\n"
           "       mpirun -n K gutskin trial FILE --mpi [options]\n\n"
           "Runs the in-silico trial in FILE (YAML, see docs/trials.md and the examples\n"
           "in data/trials/): virtual patients drawn from a population, burned in to a\n"
           "steady state, screened by the inclusion criteria, allocated to the arms in\n"
           "turn and followed daily.  Prints per arm n, mean and SD of every endpoint,\n"
           "responder proportions with Wilson intervals, median time to response, the\n"
           "days to half and 90%% of the final improvement, and each arm against the\n"
           "control: mean difference (Welch 95%% CI), Hedges' g with CI, difference of\n"
           "proportions (Newcombe 95%% CI).  Excluded and failed patients are counted,\n"
           "with reasons.\n\n"
           "options:\n"
           "  --patients N      virtual patients to screen (overrides the file)\n"
           "  --seed S          random seed, 0 to 4294967295 (overrides the file); the same\n"
           "                    seed gives the same output for any number of threads\n"
           "                    and of MPI ranks\n"
           "  --threads T       worker threads (default: all cores, or OMP_NUM_THREADS;\n"
           "                    with --mpi, per rank: the cores mpirun gave it)\n"
           "  --format F        json (default) or csv (one row per statistic)\n"
           "  --patients-out P  also write one CSV row per virtual patient to P\n"
           "  --progress        show the progress bar even when stderr is not a terminal\n"
           "  --mpi             spread the patients over the ranks of an Open MPI job\n"
           "                    (mpirun -n K); each rank runs T threads, rank 0 gathers\n"
           "                    and prints exactly what one process would print for the\n"
           "                    same seed.  Alone, without mpirun, it runs as 1 rank.\n"
           "                    mpirun binds each rank to one core by default; give\n"
           "                    --bind-to none (or --map-by slot:PE=T) for T threads a rank\n\n"
           "exit status: 0 success, 1 the run failed or nobody met the inclusion criteria,\n"
           "2 a bad option or trial file (FILE:LINE:COLUMN and what was expected).\n\n"
           "Exploratory model output: not a diagnosis and not treatment advice.\n");
}

static int parse_args(int argc, char **argv, trial_args *a)
{
    static const struct option longopts[] = {
        {"patients", required_argument, NULL, 'n'}, {"seed", required_argument, NULL, 's'},
        {"threads", required_argument, NULL, 't'},  {"format", required_argument, NULL, 'f'},
        {"patients-out", required_argument, NULL, 'o'},
        {"progress", no_argument, NULL, 'p'},       {"mpi", no_argument, NULL, 'm'},
        {NULL, 0, NULL, 0}};
    memset(a, 0, sizeof *a);
    a->seed = -1;
    a->fmt = GS_FMT_JSON;
    optind = 1;
    opterr = 0;
    int c, rc;
    long long v;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (c) {
        case 'n':
            if ((rc = gs_cli_parse_whole(CMD, "--patients", optarg, 1, GS_TRIAL_PATIENTS_MAX, &v))) return rc;
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
        case 'f':
            if ((rc = gs_cli_parse_format(CMD, optarg, (1u << GS_FMT_CSV) | (1u << GS_FMT_JSON),
                                          &a->fmt)))
                return rc;
            break;
        case 'o':
            if (!*optarg) return gs_cli_error(CMD, GS_EXIT_USAGE, "--patients-out needs a path");
            a->patients_out = optarg;
            break;
        case 'p': a->progress = 1; break;
        case 'm': a->mpi = 1; break;
        default:
            return gs_cli_bad_option(CMD, c, argv);
        }
    }
    if (optind >= argc)
        return gs_cli_error(CMD, GS_EXIT_USAGE, "which trial? usage: gutskin trial FILE "
                            "[options] (examples in data/trials/)");
    if (optind + 1 < argc)
        return gs_cli_error(CMD, GS_EXIT_USAGE, "one trial file at a time; unexpected '%s'",
                            argv[optind + 1]);
    a->file = argv[optind];
    return 0;
}

/* ---- CSV: one row per statistic ---------------------------------------- */

static void csv_value(FILE *f, json_t *v)
{
    fputc(',', f);
    if (json_is_number(v)) fprintf(f, "%.10g", json_number_value(v));
    else if (json_is_string(v)) gs_csv_put(f, json_string_value(v));
    /* null: empty */
}

static void csv_row(FILE *f, const char *section, const char *arm, const char *endpoint,
                    const char *statistic, json_t *n, json_t *estimate, json_t *lo, json_t *hi)
{
    gs_csv_put(f, section);
    fputc(',', f);
    gs_csv_put(f, arm);
    fputc(',', f);
    gs_csv_put(f, endpoint);
    fputc(',', f);
    gs_csv_put(f, statistic);
    csv_value(f, n);
    csv_value(f, estimate);
    csv_value(f, lo);
    csv_value(f, hi);
    fputc('\n', f);
}

static void write_csv(FILE *f, json_t *s)
{
    fputs("section,arm,endpoint,statistic,n,estimate,low,high\n", f);
    json_t *scr = json_object_get(s, "screening");
    const char *counts[] = {"screened", "included", "excluded", "failed_at_screening",
                            "failed_in_arm"};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
        csv_row(f, "screening", "", "", counts[i], NULL, json_object_get(scr, counts[i]), NULL,
                NULL);
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(scr, "exclusions"), i, row)
        csv_row(f, "screening", "", json_string_value(json_object_get(row, "criterion")),
                "excluded_by", NULL, json_object_get(row, "excluded"), NULL, NULL);
    json_t *arm;
    json_array_foreach(json_object_get(s, "arms"), i, arm) {
        const char *name = json_string_value(json_object_get(arm, "name"));
        const char *arm_counts[] = {"allocated", "excluded", "failed", "completed"};
        for (size_t k = 0; k < 4; k++)
            csv_row(f, "arm", name, "", arm_counts[k], NULL, json_object_get(arm, arm_counts[k]),
                    NULL, NULL);
        size_t j;
        json_t *ep;
        json_array_foreach(json_object_get(arm, "endpoints"), j, ep) {
            const char *en = json_string_value(json_object_get(ep, "name"));
            json_t *n = json_object_get(ep, "n"), *ci = json_object_get(ep, "ci");
            if (json_object_get(ep, "mean")) {
                csv_row(f, "arm", name, en, "mean", n, json_object_get(ep, "mean"), NULL, NULL);
                csv_row(f, "arm", name, en, "sd", n, json_object_get(ep, "sd"), NULL, NULL);
            } else if (json_object_get(ep, "proportion")) {
                csv_row(f, "arm", name, en, "proportion", n, json_object_get(ep, "proportion"),
                        json_array_get(ci, 0), json_array_get(ci, 1));
            } else {
                csv_row(f, "arm", name, en, "median_day", n, json_object_get(ep, "median_day"),
                        json_array_get(ci, 0), json_array_get(ci, 1));
                csv_row(f, "arm", name, en, "responded", n, json_object_get(ep, "responded"),
                        NULL, NULL);
            }
        }
        json_t *tl = json_object_get(arm, "timeline");
        const char *score = json_string_value(json_object_get(tl, "score"));
        const char *which[] = {"day_half", "day_90_percent"};
        csv_row(f, "timeline", name, score, "improved", NULL, json_object_get(tl, "improved"),
                NULL, NULL);
        for (size_t k = 0; k < 2; k++) {
            json_t *q = json_object_get(tl, which[k]);
            csv_row(f, "timeline", name, score, which[k], NULL, json_object_get(q, "median"),
                    json_object_get(q, "q1"), json_object_get(q, "q3"));
        }
    }
    json_t *cmp;
    json_array_foreach(json_object_get(s, "comparisons"), i, cmp) {
        const char *name = json_string_value(json_object_get(cmp, "arm"));
        size_t j;
        json_t *ep;
        json_array_foreach(json_object_get(cmp, "endpoints"), j, ep) {
            const char *en = json_string_value(json_object_get(ep, "name"));
            json_t *ci = json_object_get(ep, "ci");
            const char *keys[] = {"mean_difference", "proportion_difference",
                                  "responded_difference"};
            for (size_t k = 0; k < 3; k++)
                if (json_object_get(ep, keys[k]))
                    csv_row(f, "comparison", name, en, keys[k], NULL,
                            json_object_get(ep, keys[k]), json_array_get(ci, 0),
                            json_array_get(ci, 1));
            if (json_object_get(ep, "smd")) {
                json_t *sci = json_object_get(ep, "smd_ci");
                csv_row(f, "comparison", name, en, "smd_hedges_g", NULL,
                        json_object_get(ep, "smd"), json_array_get(sci, 0),
                        json_array_get(sci, 1));
            }
            if (json_object_get(ep, "median_day"))
                csv_row(f, "comparison", name, en, "median_day", NULL,
                        json_object_get(ep, "median_day"), NULL, NULL);
        }
    }
}

/* ---- one row per patient ----------------------------------------------- */

static void csv_number(FILE *f, double v)
{
    if (isfinite(v)) fprintf(f, ",%.10g", v);
    else fputc(',', f);
}

static gs_status write_patients(const char *path, const gs_trial *t,
                                const gs_trial_results *res, gs_err *err)
{
    FILE *f = fopen(path, "w");
    if (!f) return gs_fail(err, GS_ERR_IO, "cannot write %s: %s", path, strerror(errno));
    static const char *fates[] = {"completed", "excluded", "failed", "not_run"};
    fputs("patient,arm,fate,reason", f);
    for (size_t e = 0; e < t->n_endpoints; e++) {
        fputs(",", f);
        gs_csv_put(f, t->endpoints[e].name);
        fputs("_baseline,", f);
        gs_csv_put(f, t->endpoints[e].name);
    }
    fputs(",day_half,day_90_percent\n", f);
    for (long i = 0; i < res->patients; i++) {
        const gs_patient_result *r = &res->patient[i];
        fprintf(f, "%ld,", i);
        gs_csv_put(f, r->arm >= 0 ? t->arms[r->arm].name : "");
        fprintf(f, ",%s,", fates[r->fate]);
        if (r->fate == GS_FATE_FAILED) {
            gs_csv_put(f, r->failure ? r->failure : "reason unavailable (out of memory)");
        } else if (r->fate == GS_FATE_EXCLUDED) {
            char name[128], why[192];
            const gs_criterion *c = &t->pop.include[r->criterion];
            snprintf(why, sizeof why, "baseline %s outside %g to %g",
                     gs_population_column_name(&t->pop, c->column, name, sizeof name), c->lo,
                     c->hi);
            gs_csv_put(f, why);
        }
        for (size_t e = 0; e < t->n_endpoints; e++) {
            csv_number(f, r->baseline[e]);
            csv_number(f, r->value[e]);
        }
        csv_number(f, r->t50);
        csv_number(f, r->t90);
        fputc('\n', f);
    }
    if (ferror(f) | (fclose(f) != 0))
        return gs_fail(err, GS_ERR_IO, "error writing %s", path);
    return GS_OK;
}

/* ---- the command --------------------------------------------------------- */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Run the trial of a (all ranks alike) and, on rank 0, print its summary. */
static int run_trial(const trial_args *a, const trial_place *where)
{
    gs_err err;
    gs_err_clear(&err);
    gs_trial t;
    gs_trial_results res = {0};
    json_t *summary = NULL;
    int code = GS_EXIT_OK;
    gs_status st = gs_trial_load(a->file, &t, &err);
#ifdef GS_HAVE_MPI
    /* every rank reads the file; one that cannot stops them all */
    if (where->mpi) {
        if (st == GS_OK) gs_err_clear(&err);
        st = gs_mpi_agree(&err);
    }
#endif
    if (st != GS_OK) goto done;
    if (a->patients) t.patients = a->patients;
    if (a->seed >= 0) t.seed = (unsigned long)a->seed;

    gs_trial_opts opts = {a->threads, NULL, 0, 0};
    if (where->rank == 0) {
        long shown = t.patients;
        const char *unit = "patients";
#ifdef GS_HAVE_MPI
        /* rank 0 sees only its own block go by */
        long first;
        if (where->mpi && where->size > 1) {
            gs_mpi_share(t.patients, 0, where->size, &first, &shown);
            unit = "rank-0 patients";
        }
#endif
        opts.progress = gs_progress_new(unit, shown, a->progress ? GS_PROGRESS_ALWAYS
                                                                 : GS_PROGRESS_AUTO, stderr);
        /* mpirun binds each rank to one core unless told otherwise, and
         * threads beyond a rank's cores only take turns */
        int cores = omp_get_num_procs();
        if (where->mpi && a->threads > cores)
            fprintf(stderr, "gutskin %s: --threads %d, but mpirun lets rank 0 use %d core%s; "
                    "give mpirun --bind-to none or --map-by slot:PE=%d\n", CMD, a->threads,
                    cores, cores == 1 ? "" : "s", a->threads);
    }
    double t0 = now_seconds();
#ifdef GS_HAVE_MPI
    if (where->mpi) st = gs_trial_run_mpi(&t, &opts, &res, &err);
    else
#endif
        st = gs_trial_run(&t, &opts, &res, &err);
    double seconds = now_seconds() - t0;
    gs_progress_finish(opts.progress);
    if (st != GS_OK || where->rank != 0) goto done;
    if (!(summary = gs_trial_summary(&t, &res))) {
        st = gs_fail(&err, GS_ERR_NOMEM, "out of memory writing the summary");
        goto done;
    }
    if (a->patients_out && (st = write_patients(a->patients_out, &t, &res, &err)) != GS_OK)
        goto done;
    if (a->fmt == GS_FMT_JSON) {
        if (json_dumpf(summary, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) != 0)
            st = gs_fail(&err, GS_ERR_IO, "cannot write the summary");
        fputc('\n', stdout);
    } else {
        write_csv(stdout, summary);
    }
    if (fflush(stdout) != 0 && st == GS_OK)
        st = gs_fail(&err, GS_ERR_IO, "cannot write the summary: %s", strerror(errno));
    if (st != GS_OK) goto done;

    json_t *scr = json_object_get(summary, "screening");
    long included = (long)json_integer_value(json_object_get(scr, "included"));
    long excluded = (long)json_integer_value(json_object_get(scr, "excluded"));
    long failed = (long)(json_integer_value(json_object_get(scr, "failed_at_screening")) +
                         json_integer_value(json_object_get(scr, "failed_in_arm")));
    char ranks[48] = "";
    if (where->mpi)
        snprintf(ranks, sizeof ranks, " on %d MPI rank%s", where->size,
                 where->size == 1 ? "" : "s");
    fprintf(stderr, "gutskin %s: %s: %ld screened, %ld included, %ld excluded, %ld failed; "
            "%.2f s%s (%.0f patients/s)\n", CMD, t.name, t.patients, included, excluded,
            failed, seconds, ranks, seconds > 0 ? (double)t.patients / seconds : 0.0);
    size_t i;
    json_t *msg;
    json_array_foreach(json_object_get(scr, "failures"), i, msg) {
        if (i == STDERR_FAILURES) break;
        fprintf(stderr, "gutskin %s: failed: %s\n", CMD, json_string_value(msg));
    }
    if (failed > STDERR_FAILURES)
        fprintf(stderr, "gutskin %s: ... and %ld more failed patients (the first %d are in "
                "screening.failures; --patients-out lists every patient)\n", CMD,
                failed - STDERR_FAILURES, GS_TRIAL_MAX_REPORTED_FAILURES);
    if (included == 0 && excluded == 0) {
        fprintf(stderr, "gutskin %s: no patient could be included: all %ld failed at "
                "screening\n", CMD, t.patients);
        code = GS_EXIT_FAIL;
    } else if (included == 0) {
        json_t *row;
        fprintf(stderr, "gutskin %s: no patient met the inclusion criteria (%ld screened):\n",
                CMD, t.patients);
        json_array_foreach(json_object_get(scr, "exclusions"), i, row)
            fprintf(stderr, "gutskin %s:   %s excluded %lld\n", CMD,
                    json_string_value(json_object_get(row, "criterion")),
                    (long long)json_integer_value(json_object_get(row, "excluded")));
        code = GS_EXIT_FAIL;
    }
    fprintf(stderr, "Exploratory model output: not a diagnosis and not treatment advice.\n");

done:
    json_decref(summary);
    gs_trial_results_free(&res);
    gs_trial_free(&t);
    if (st != GS_OK) {
        /* every rank holds the same agreed failure; rank 0 tells it */
        if (where->rank == 0) return gs_cli_fail(CMD, &err);
        return gs_exit_code(st);
    }
    return code;
}

/* Does the command line ask for --mpi (before any "--")?  Looked at before
 * the options are parsed, so that MPI is up and only rank 0 reports a bad
 * option; an abbreviation (--mp) is still honoured, only later. */
static int asks_for_mpi(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) return 0;
        if (strcmp(argv[i], "--mpi") == 0) return 1;
    }
    return 0;
}

/* Point stderr at /dev/null (ranks other than 0 while the identical
 * command line is parsed on every rank); returns the saved descriptor, or
 * -1 when stderr was left as it was. */
static int silence_stderr(void)
{
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    if (saved < 0) return -1;
    int null = open("/dev/null", O_WRONLY);
    if (null < 0 || dup2(null, STDERR_FILENO) < 0) {
        if (null >= 0) close(null);
        close(saved);
        return -1;
    }
    close(null);
    return saved;
}

static void restore_stderr(int saved)
{
    if (saved < 0) return;
    fflush(stderr);
    if (dup2(saved, STDERR_FILENO) < 0) { /* stderr stays silent: nothing else to do */ }
    close(saved);
}

/* Start MPI for --mpi and record the rank; prints why when it cannot. */
static int start_mpi(trial_place *where)
{
#ifdef GS_HAVE_MPI
    gs_err err;
    gs_err_clear(&err);
    if (gs_mpi_start(&where->rank, &where->size, &err) != GS_OK)
        return gs_cli_fail(CMD, &err);
    where->mpi = 1;
    return 0;
#else
    (void)where;
    return gs_cli_error(CMD, GS_EXIT_USAGE, "--mpi: this gutskin was built without Open MPI "
                        "(install libopenmpi-dev, scripts/install-deps.sh, and rebuild)");
#endif
}

int gs_cmd_trial(int argc, char **argv)
{
    if (gs_cli_wants_help(argc, argv)) {
        help();
        return GS_EXIT_OK;
    }
    trial_place where = {0, 0, 1};
    int rc;
    if (asks_for_mpi(argc, argv) && (rc = start_mpi(&where))) return rc;
    trial_args a;
    int saved = where.rank != 0 ? silence_stderr() : -1;
    rc = parse_args(argc, argv, &a);
    restore_stderr(saved);
    if (!rc && a.mpi && !where.mpi) rc = start_mpi(&where);
    if (!rc) rc = run_trial(&a, &where);
#ifdef GS_HAVE_MPI
    if (where.mpi) gs_mpi_stop();
#endif
    return rc;
}
