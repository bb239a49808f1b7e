/*
 * analyze.h - what the `gutskin analyze` subcommands share (cmd_analyze.c):
 * reading their options into a gs_analyze_opts, running the analysis on
 * the journal through the library (include/gutskin/analyze.h), printing
 * its document, and reading values back out of it for the text and CSV
 * renderings.  Internal to src/cli/.
 */
#ifndef GS_CLI_ANALYZE_H
#define GS_CLI_ANALYZE_H

#include <jansson.h>

#include "cli/cli.h"
#include "gutskin/analyze.h"

/* The subcommands (argv[0] is the subcommand's name). */
int gs_cmd_analyze_triggers(int argc, char **argv);
int gs_cmd_analyze_effect(int argc, char **argv);
int gs_cmd_analyze_power(int argc, char **argv);

/* Read argv into o (set to the defaults of its analysis by the caller):
 * every option of the library's table as --name (with '-' for '_'), plus
 * --format (one of the mask formats) and --db.  Up to max_pos positional
 * arguments go to pos (*n_pos of them).  Returns 0, or prints the error as
 * "gutskin CMD: ..." and returns the exit code. */
int gs_cli_analyze_args(const char *cmd, int argc, char **argv, gs_analyze_opts *o,
                        unsigned formats, gs_format *fmt, const char **db, const char **pos,
                        int max_pos, int *n_pos);

/* Check o, read the journal at db_path (NULL: the default) when the
 * analysis needs it (lexicon plus the person's own tags) and run it.
 * Returns 0 with *doc, or prints the error and returns the exit code. */
int gs_cli_analyze_run(const char *cmd, const char *db_path, const gs_analyze_opts *o,
                       json_t **doc);

/* Print doc as `--format json` does, and the disclaimer to stderr. */
void gs_cli_analyze_json(const char *cmd, const json_t *doc);

/* Members of a document: a number (NAN when null or missing), a whole
 * number (-1 when null or missing), a string ("" when missing). */
double gs_cli_jnum(const json_t *o, const char *key);
long long gs_cli_jint(const json_t *o, const char *key);
const char *gs_cli_jstr(const json_t *o, const char *key);

#endif
