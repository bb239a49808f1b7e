/*
 * cli.h - shared pieces of the gutskin command.
 *
 * Each subcommand is a function in a cmd_*.c file, listed in the command
 * table of main.c.  A subcommand returns a process exit code: 0 success,
 * 1 runtime failure, 2 usage error.  Data goes to stdout, messages to
 * stderr, always prefixed with "gutskin <command>: ".
 */
#ifndef GS_CLI_H
#define GS_CLI_H

#include <stdio.h>

#include "gutskin/status.h"

#define GS_EXIT_OK 0
#define GS_EXIT_FAIL 1
#define GS_EXIT_USAGE 2

typedef int (*gs_cmd_fn)(int argc, char **argv);

typedef struct gs_command {
    const char *name;
    gs_cmd_fn fn;
    const char *summary;
} gs_command;

/* Subcommands (argv[0] is the subcommand name). */
int gs_cmd_version(int argc, char **argv);
int gs_cmd_blocks(int argc, char **argv);
int gs_cmd_params(int argc, char **argv);
int gs_cmd_interventions(int argc, char **argv);
int gs_cmd_links(int argc, char **argv);
int gs_cmd_reproduce(int argc, char **argv);
int gs_cmd_simulate(int argc, char **argv);
int gs_cmd_trial(int argc, char **argv);
int gs_cmd_calibrate(int argc, char **argv);
/* the private journal: cmd_journal.c, cmd_show.c, cmd_tag.c, cmd_import.c */
int gs_cmd_log(int argc, char **argv);
int gs_cmd_start(int argc, char **argv);
int gs_cmd_stop(int argc, char **argv);
int gs_cmd_show(int argc, char **argv);
int gs_cmd_undo(int argc, char **argv);
int gs_cmd_edit(int argc, char **argv);
int gs_cmd_config(int argc, char **argv);
int gs_cmd_tag(int argc, char **argv);
int gs_cmd_import(int argc, char **argv);
int gs_cmd_export(int argc, char **argv);
/* the self-check of the signs (cmd_check.c) */
int gs_cmd_check(int argc, char **argv);
/* the local web app (issue 5) */
int gs_cmd_serve(int argc, char **argv);
/* the food lexicon (cmd_foods.c) */
int gs_cmd_foods(int argc, char **argv);

/* statistics on one person: cmd_analyze*.c, cmd_synth.c */
int gs_cmd_analyze(int argc, char **argv);
int gs_cmd_synth(int argc, char **argv);
/* Is argv[i] "--help" or "-h"? */
int gs_cli_wants_help(int argc, char **argv);

/* Print "gutskin CMD: message" to stderr; returns code. */
int gs_cli_error(const char *cmd, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The usage error for what getopt_long returned as c, when the option
 * string starts with ':' (so a missing value is ':'): "option '--x' needs
 * a value" or "unknown option '--x'", then "; see --help".  Returns
 * GS_EXIT_USAGE. */
int gs_cli_bad_option(const char *cmd, int c, char **argv);

/* Report a failed gs_err and return its exit code. */
int gs_cli_fail(const char *cmd, const gs_err *err);

/* Parse the whole number text of option opt into *out, within [lo, hi].
 * Returns 0, or prints "gutskin CMD: OPT 'TEXT' must be a whole number from
 * LO to HI" and returns GS_EXIT_USAGE. */
int gs_cli_parse_whole(const char *cmd, const char *opt, const char *text, long long lo,
                       long long hi, long long *out);

/* Output formats of table-shaped results. */
typedef enum { GS_FMT_TEXT, GS_FMT_CSV, GS_FMT_JSON } gs_format;

/* Parse a --format value; allowed is a mask of (1 << gs_format).  Returns
 * 0 and sets *fmt, or prints the allowed set and returns GS_EXIT_USAGE. */
int gs_cli_parse_format(const char *cmd, const char *value, unsigned allowed,
                        gs_format *fmt);

#endif
