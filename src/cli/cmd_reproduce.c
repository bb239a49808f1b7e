/*
 * cmd_reproduce.c - `gutskin reproduce MODEL`: run a published model as
 * its paper did and print the result as JSON.  One row per model in the
 * table below; the work is in src/calib/.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "gutskin/reproduce.h"

typedef struct repro_args {
    int patients;
    unsigned long seed;
    int threads;
} repro_args;

typedef gs_status (*repro_fn)(const repro_args *a, json_t **out, gs_err *err);

static gs_status run_reynolds(const repro_args *a, json_t **out, gs_err *err)
{
    (void)a;
    return gs_reproduce_reynolds2006(out, err);
}

static gs_status run_stein(const repro_args *a, json_t **out, gs_err *err)
{
    (void)a;
    return gs_reproduce_stein2013(out, err);
}

static gs_status run_miyano(const repro_args *a, json_t **out, gs_err *err)
{
    return gs_reproduce_miyano2022(a->patients, a->seed, a->threads, out, err);
}

static const struct {
    const char *name;
    repro_fn fn;
    const char *about;
} models[] = {
    {"reynolds2006", run_reynolds,
     "acute inflammation: 2 growth rates x 6 inocula, states at 48/168/500 h, outcome"},
    {"stein2013", run_stein,
     "mouse gut, 11 genera, clindamycin: simulated vs measured series, error per genus"},
    {"miyano2022", run_miyano,
     "atopic dermatitis: virtual trial of 9 biologics + placebo, EASI-75 weeks 0-24"},
};

static void help(void)
{
    printf("usage: gutskin reproduce MODEL [--format json] [--patients N] [--seed S] "
           "[--threads T]\n\n"
           "Runs a published model exactly as its paper did and prints JSON.\n"
           "--patients, --seed and --threads apply to virtual trials.\n\nmodels:\n");
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++)
        printf("  %-14s %s\n", models[i].name, models[i].about);
}

int gs_cmd_reproduce(int argc, char **argv)
{
    if (gs_cli_wants_help(argc, argv)) {
        help();
        return GS_EXIT_OK;
    }
    static const struct option opts[] = {{"format", required_argument, 0, 'f'},
                                         {"patients", required_argument, 0, 'n'},
                                         {"seed", required_argument, 0, 's'},
                                         {"threads", required_argument, 0, 't'},
                                         {0, 0, 0, 0}};
    repro_args a = {1000, 1, 0};
    gs_format fmt = GS_FMT_JSON;
    optind = 1;
    opterr = 0;
    int c, rc;
    long long v;
    while ((c = getopt_long(argc, argv, ":f:n:s:t:", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if ((rc = gs_cli_parse_format("reproduce", optarg, 1u << GS_FMT_JSON, &fmt)))
                return rc;
            break;
        case 'n':
            if ((rc = gs_cli_parse_whole("reproduce", "--patients", optarg, 1, 10000000, &v))) return rc;
            a.patients = (int)v;
            break;
        case 's':
            if ((rc = gs_cli_parse_whole("reproduce", "--seed", optarg, 0, 2147483647L, &v))) return rc;
            a.seed = (unsigned long)v;
            break;
        case 't':
            if ((rc = gs_cli_parse_whole("reproduce", "--threads", optarg, 1, 1024, &v))) return rc;
            a.threads = (int)v;
            break;
        default:
            return gs_cli_bad_option("reproduce", c, argv);
        }
    }
    if (optind != argc - 1)
        return gs_cli_error("reproduce", GS_EXIT_USAGE,
                            "name one model to reproduce; see --help");
    const char *name = argv[optind];
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
        if (strcmp(name, models[i].name) != 0) continue;
        json_t *out = NULL;
        gs_err err;
        gs_err_clear(&err);
        if (models[i].fn(&a, &out, &err) != GS_OK) return gs_cli_fail("reproduce", &err);
        rc = json_dumpf(out, stdout, JSON_COMPACT | JSON_REAL_PRECISION(10));
        json_decref(out);
        if (rc != 0 || putchar('\n') == EOF || fflush(stdout) != 0)
            return gs_cli_error("reproduce", GS_EXIT_FAIL, "could not write the output");
        return GS_EXIT_OK;
    }
    const char *names[16];
    size_t k = 0;
    for (; k < sizeof models / sizeof models[0] && k < 16; k++) names[k] = models[k].name;
    const char *near = gs_nearest_name(name, names, k);
    return gs_cli_error("reproduce", GS_EXIT_USAGE, "unknown model '%s'%s%s%s", name,
                        near ? " (did you mean '" : "; see --help", near ? near : "",
                        near ? "'?)" : "");
}
