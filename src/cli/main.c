/*
 * main.c - the gutskin command: a table of subcommands, like Redis's
 * command table.  Adding a subcommand is one function and one row.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static int cmd_help(int argc, char **argv);

static const gs_command commands[] = {
    {"blocks", gs_cmd_blocks, "list the model's blocks and their states"},
    {"params", gs_cmd_params, "list parameters with unit, range and provenance"},
    {"interventions", gs_cmd_interventions, "list what a schedule can dose"},
    {"links", gs_cmd_links, "list the couplings between blocks with evidence grades"},
    {"simulate", gs_cmd_simulate, "run a scenario file (YAML): a person and a schedule"},
    {"trial", gs_cmd_trial, "run an in-silico trial file (YAML): population, arms, endpoints"},
    {"calibrate", gs_cmd_calibrate, "run the calibration targets (published trials); --fit"},
    {"reproduce", gs_cmd_reproduce, "run a published model as its paper did (JSON)"},
    /* the private journal */
    {"log", gs_cmd_log, "write a journal entry: food, gut, stool, skin, body, sleep, stress"},
    {"start", gs_cmd_start, "record that you started an intervention (with its dose)"},
    {"stop", gs_cmd_stop, "record that you stopped an intervention"},
    {"show", gs_cmd_show, "show the journal by day (text, csv, json)"},
    {"undo", gs_cmd_undo, "remove the journal entry written last"},
    {"edit", gs_cmd_edit, "change a journal entry by its ID"},
    {"config", gs_cmd_config, "show or set the journal's day start"},
    {"tag", gs_cmd_tag, "add your own food tags; list them and the untagged foods"},
    {"import", gs_cmd_import, "add a CSV of entries to the journal, all or nothing"},
    {"export", gs_cmd_export, "write the whole journal as CSV, JSON or FHIR R4"},
    /* the food lexicon */
    {"foods", gs_cmd_foods, "list the food table and its exposure tags; match a text"},
    /* the self-check of the signs */
    {"check", gs_cmd_check, "the self-check of the signs: red flags, groups, what to track"},
    /* the local web app (issue 5) */
    {"serve", gs_cmd_serve, "serve the local web app and JSON API (docs/web.md)"},
    /* statistics on one person */
    {"analyze", gs_cmd_analyze, "triggers, an intervention's effect, days still needed"},
    {"synth", gs_cmd_synth, "write a synthetic journal (import CSV) with planted effects"},
    {"version", gs_cmd_version, "print the version"},
    {"help", cmd_help, "show this help"},
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: gutskin <command> [options]\n\n"
            "gutskin runs an ODE model of the gut-skin axis (scenarios, in-silico trials,\n"
            "reproductions of the published models it is built from) and keeps a private\n"
            "local journal of food, gut, skin and other symptoms with a self-check of the signs.\n"
            "Model output is exploratory: not a diagnosis and not treatment advice.\n\n"
            "commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-14s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nRun 'gutskin <command> --help' for a command's options.\n");
}

static int cmd_help(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    usage(stdout);
    return GS_EXIT_OK;
}

int gs_cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return 1;
    return 0;
}

int gs_cli_error(const char *cmd, int code, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "gutskin %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return code;
}

int gs_cli_bad_option(const char *cmd, int c, char **argv)
{
    const char *what = c == ':' ? "option '%s' needs a value; see --help"
                                : "unknown option '%s'; see --help";
    return gs_cli_error(cmd, GS_EXIT_USAGE, what, argv[optind - 1]);
}

int gs_cli_fail(const char *cmd, const gs_err *err)
{
    return gs_cli_error(cmd, gs_exit_code(err->status), "%s", err->msg);
}

int gs_cli_parse_whole(const char *cmd, const char *opt, const char *text, long long lo,
                       long long hi, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (!*text || *end || errno || v < lo || v > hi)
        return gs_cli_error(cmd, GS_EXIT_USAGE,
                            "%s '%s' must be a whole number from %lld to %lld", opt, text, lo,
                            hi);
    *out = v;
    return 0;
}

int gs_cli_parse_format(const char *cmd, const char *value, unsigned allowed,
                        gs_format *fmt)
{
    static const char *names[] = {"text", "csv", "json"};
    for (int f = 0; f < 3; f++) {
        if ((allowed & (1u << f)) && strcmp(value, names[f]) == 0) {
            *fmt = (gs_format)f;
            return 0;
        }
    }
    char list[64] = "";
    for (int f = 0; f < 3; f++) {
        if (!(allowed & (1u << f))) continue;
        if (list[0]) strncat(list, "|", sizeof list - strlen(list) - 1);
        strncat(list, names[f], sizeof list - strlen(list) - 1);
    }
    return gs_cli_error(cmd, GS_EXIT_USAGE, "--format '%s' is not one of %s", value, list);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return GS_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return GS_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) return gs_cmd_version(1, argv + 1);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    const char *names[sizeof commands / sizeof commands[0]];
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        names[i] = commands[i].name;
    const char *near = gs_nearest_name(argv[1], names, sizeof names / sizeof names[0]);
    fprintf(stderr, "gutskin: unknown command '%s'%s%s%s; run 'gutskin --help'\n",
            argv[1], near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
    return GS_EXIT_USAGE;
}
