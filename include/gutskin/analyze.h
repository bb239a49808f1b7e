/*
 * analyze.h - the analyses of one person's journal as documents, for the
 * command (`gutskin analyze triggers|effect|power`) and the web server
 * (GET /api/v1/analyze/...) alike:
 *
 *   triggers  which food tags are followed by a higher score (lags 0-3
 *             days; gs_stats_triggers, Benjamini-Hochberg q-values)
 *   effect    did starting an intervention change a score (segmented
 *             regression with AR(1) errors; gs_stats_segmented)
 *   power     how many more days would detect a given change
 *             (gs_stats_power_days)
 *
 * A caller fills a gs_analyze_opts (from argv, a query string or plain
 * C), builds the daily panel of the journal with gs_analyze_panel, and
 * gets the answer from gs_analyze_run as a jansson document: the one
 * `gutskin analyze ... --format json` prints and the server sends.  The
 * options live in one table (analyze.c) with their ranges, so both front
 * ends refuse the same values with the same sentence.  A refusal is
 * GS_ERR_INPUT with a sentence naming the option and what is allowed, and
 * the option's name (as a query parameter) in *field.
 *
 * docs/statistics.md describes the methods and every key of the documents.
 */
#ifndef GUTSKIN_ANALYZE_H
#define GUTSKIN_ANALYZE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "gutskin/daily.h"
#include "gutskin/journal.h"
#include "gutskin/lexicon.h"
#include "gutskin/stats.h"
#include "gutskin/status.h"

/* The line every analysis carries (DESIGN.md, honesty rules). */
#define GS_ANALYZE_DISCLAIMER                                                              \
    "Not a diagnosis and not treatment advice: associations in one person's journal, to " \
    "discuss with a clinician."

/* A trigger is reported as possible below this Benjamini-Hochberg q. */
#define GS_ANALYZE_Q_LEVEL 0.1

/* Outcomes one trigger scan may name. */
#define GS_ANALYZE_OUTCOMES_MAX 32

typedef enum gs_analysis {
    GS_ANALYZE_TRIGGERS,
    GS_ANALYZE_EFFECT,
    GS_ANALYZE_POWER
} gs_analysis;

/* The options of one analysis.  Each field names the analyses that read
 * it, its allowed range and (in brackets) the default that
 * gs_analyze_opts_default sets.  Texts are borrowed: they must outlive
 * the call to gs_analyze_run. */
typedef struct gs_analyze_opts {
    gs_analysis analysis;
    int cli_spelling;          /* messages name options as the command
                                  does (--min-days) rather than as query
                                  parameters (min_days) [0] */
    const char *outcomes[GS_ANALYZE_OUTCOMES_MAX];
    size_t n_outcomes;         /* "skin.itch", or "itch" when only one kind
                                  has it.  triggers: up to 32 [none: every
                                  score logged]; effect, power: at most 1
                                  [none: the first skin score, else the
                                  first score] */
    const char *name;          /* effect: the intervention, as started;
                                  required [NULL] */
    int lag_min, lag_max;      /* triggers: 0 <= lag_min <= lag_max <= 3 [0-3] */
    size_t permutations;       /* triggers: circular shifts, 1-1000000 [1000] */
    unsigned long seed;        /* triggers, power: 0-4294967295 [1] */
    int threads;               /* triggers: 1-1024, 0 the runtime's default [0] */
    size_t min_days;           /* triggers: complete days with a tag, and
                                  without it, before it is tested, 3-1000 [10] */
    int washin;                /* effect: days after the start left out, 0-365 [0] */
    size_t run;                /* effect: which run of the intervention
                                  (a stretch of days from a start to its
                                  stop), 1-based, 1-1000 and at most the
                                  runs in the journal [0: the most recent] */
    size_t reps;               /* effect, power: simulated journals per
                                  length, 10-100000 [400] */
    double change;             /* power: the level change to detect,
                                  -100 to 100 and not 0; required [NAN] */
    size_t days_so_far;        /* power: days logged since the start, 0-36500 [0] */
    size_t before;             /* power: days logged before the start,
                                  3-36500 [0: the outcome's days in the
                                  journal, or 28 when sd and phi are given] */
    double sd, phi;            /* power: the outcome's day-to-day sd
                                  (1e-06 to 1000) and correlation (-0.99 to
                                  0.99), both or neither [NAN: estimated
                                  from the journal] */
} gs_analyze_opts;

/* Set *o to the defaults of analysis. */
void gs_analyze_opts_default(gs_analyze_opts *o, gs_analysis analysis);

/* Set option name ("min_days", also spelt "min-days") of o->analysis from
 * its text (borrowed for "outcome" and "name"): a whole or real number
 * within the option's range, "A-B" or "A" for lags; "outcome" adds one
 * more outcome to a trigger scan and replaces it otherwise.  Fails with
 * GS_ERR_INPUT, naming the option, the text and what is allowed, when the
 * text is not that, or when o->analysis takes no such option (the sentence
 * lists those it takes). */
gs_status gs_analyze_opts_set(gs_analyze_opts *o, const char *name, const char *text,
                              gs_err *err);

/* The i-th option (as a query parameter) that analysis takes, or NULL
 * past the last.  web: only those offered over HTTP (all but threads:
 * the server's cores are shared by its requests). */
const char *gs_analyze_option_name(gs_analysis analysis, int web, size_t i);

/* Check every option o->analysis reads against its range, and what only
 * the options together decide (an effect needs a name, power a change and
 * sd with phi).  On failure GS_ERR_INPUT and *field (may be NULL) is the
 * option at fault. */
gs_status gs_analyze_check(const gs_analyze_opts *o, const char **field, gs_err *err);

/* Does o need the journal?  Every analysis does, except power given sd
 * and phi. */
int gs_analyze_needs_journal(const gs_analyze_opts *o);

/* The daily panel of the journal db (at its day start), with the foods'
 * tags from lex (which should carry the person's own tags:
 * gs_db_apply_user_tags).  GS_ERR_INPUT "the journal PATH has no entries
 * yet" when it is empty.  Free with gs_daily_free.  The analyses read
 * only the panel, so a caller may give the connection back before the
 * (possibly long) gs_analyze_run. */
gs_status gs_analyze_panel(gs_db *db, const gs_lexicon *lex, gs_daily **panel, gs_err *err);

/* Run o->analysis on panel (NULL allowed when !gs_analyze_needs_journal)
 * and return its document in *doc (a new reference; NULL on failure).
 * The options are checked first (gs_analyze_check).  GS_ERR_INPUT with
 * *field (may be NULL) set to the option at fault, or to NULL when it is
 * the journal that is too short ("not enough data yet: about N more
 * days ..."); other statuses are runtime failures. */
gs_status gs_analyze_run(const gs_daily *panel, const gs_analyze_opts *o, json_t **doc,
                         const char **field, gs_err *err);

/* ---- pieces the analyses share, for callers with a panel of their own ---- */

/* The panel index of outcome name ("skin.itch", or "itch" when only one
 * kind has it).  GS_ERR_INPUT naming the outcomes logged when it is not
 * one of them, or when "itch" is ambiguous. */
gs_status gs_analyze_find_outcome(const gs_daily *panel, const char *name, size_t *out,
                                  gs_err *err);

/* The default outcome: the first skin score logged, else the first score
 * (GS_ERR_INPUT when none is logged). */
gs_status gs_analyze_default_outcome(const gs_daily *panel, size_t *out, gs_err *err);

/* The day-to-day standard deviation and AR(1) correlation of outcome o
 * over panel rows [from, to): the REML fit of a constant mean with AR(1)
 * errors to the days it was logged (*n_days of them).  Needs 10 such
 * days; fewer is GS_ERR_INPUT "not enough data yet: about N more days". */
gs_status gs_analyze_person_noise(const gs_daily *panel, size_t o, size_t from, size_t to,
                                  double *sd, double *phi, size_t *n_days, gs_err *err);

/* The sentence of a power answer into buf: "not enough data yet: about
 * MORE more days to detect a change of CHANGE in OUTCOME with 80% power"
 * (more > 0), that the so_far days are enough (more == 0), or that not
 * even ten years would do (more < 0). */
void gs_analyze_power_sentence(char *buf, size_t len, long more, double change,
                               const char *outcome, size_t so_far);

#endif
