/*
 * analyze.h - what the `gutskin analyze` subcommands share (cmd_analyze.c):
 * reading the journal into a panel, choosing an outcome, the person's
 * day-to-day noise, and the sentences every report carries.  Internal to
 * src/cli/.
 */
#ifndef GS_CLI_ANALYZE_H
#define GS_CLI_ANALYZE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "gutskin/daily.h"
#include "gutskin/stats.h"

#define GS_ANALYZE_DISCLAIMER                                                              \
    "Not a diagnosis and not treatment advice: associations in one person's journal, to " \
    "discuss with a clinician."

/* The subcommands (argv[0] is the subcommand's name). */
int gs_analyze_triggers(int argc, char **argv);
int gs_analyze_effect(int argc, char **argv);
int gs_analyze_power(int argc, char **argv);

/* Open the journal at db_path (NULL: the default), load the lexicon with
 * the person's own tags and build the daily panel at the journal's day
 * start.  Returns 0, or prints the error as "gutskin CMD: ..." and
 * returns its exit code. */
int gs_analyze_load_panel(const char *cmd, const char *db_path, gs_daily **panel);

/* The panel index of outcome name ("skin.itch", or "itch" when only one
 * kind has it); 0, or an error naming the outcomes logged (exit 2). */
int gs_analyze_find_outcome(const char *cmd, const gs_daily *p, const char *name, size_t *out);

/* The first skin score logged, else the first score (exit 2 when none). */
int gs_analyze_default_outcome(const char *cmd, const gs_daily *p, size_t *out);

/* "YYYY-MM-DD" of panel row d; buf holds 11 bytes. */
void gs_analyze_day_text(const gs_daily *p, size_t d, char *buf);

/* A JSON real, or null when v is not finite. */
json_t *gs_analyze_json_num(double v);

/* The logged days (row numbers) and values of outcome o in rows
 * [from, to); day and y hold to - from entries.  Returns how many. */
size_t gs_analyze_outcome_days(const gs_daily *p, size_t o, size_t from, size_t to,
                               int64_t *day, double *y);

/* The outcome's day-to-day sd and AR(1) phi over rows [from, to): the
 * REML fit of a constant mean with AR(1) errors; needs 10 logged days. */
gs_status gs_analyze_person_noise(const gs_daily *p, size_t o, size_t from, size_t to,
                                  double *sd, double *phi, size_t *n_days, gs_err *err);

/* Parse a number option within [lo, hi]; 0 or exit 2 with the range. */
int gs_analyze_parse_real(const char *cmd, const char *opt, const char *text, double lo,
                          double hi, double *out);

/* The "not enough data yet: about N more days ..." sentence of a power
 * answer (more < 0: not within ten years; 0: enough already). */
void gs_analyze_power_sentence(char *buf, size_t len, long more, double change,
                               const char *outcome, size_t so_far);

#endif
