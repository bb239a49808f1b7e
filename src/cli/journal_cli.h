/*
 * journal_cli.h - what the journal's commands (cmd_journal.c, cmd_show.c,
 * cmd_tag.c, cmd_import.c) share: opening the journal named by --db, and
 * saying back what an entry holds.
 */
#ifndef GS_CLI_JOURNAL_H
#define GS_CLI_JOURNAL_H

#include <stddef.h>

#include "cli/cli.h"
#include "gutskin/journal.h"

/* The options of the journal's commands. */
enum {
    GS_JOPT_DB, GS_JOPT_AT, GS_JOPT_NOTE, GS_JOPT_PORTION, GS_JOPT_DOSE, GS_JOPT_VALUE,
    GS_JOPT_NAME, GS_JOPT_UNIT, GS_JOPT_FROM, GS_JOPT_TO, GS_JOPT_FORMAT, GS_JOPT_OUT,
    GS_JOPT_COUNT
};
#define GS_JCLI_MAX_WORDS 8

typedef struct gs_jcli_opts {
    const char *opt[GS_JOPT_COUNT]; /* NULL when not given */
    const char *words[GS_JCLI_MAX_WORDS];
    int n_words;
} gs_jcli_opts;

/* Split argv[1..] into options ("--name VALUE" or "--name=VALUE"; only
 * those with bit (1u << GS_JOPT_x) in allowed) and words, in any order;
 * a word may start with '-' ("-1" is a word).  Returns 0 or prints what
 * is wrong and returns GS_EXIT_USAGE. */
int gs_jcli_args(const char *cmd, int argc, char **argv, unsigned allowed, gs_jcli_opts *o);
#define GS_JBIT(x) (1u << GS_JOPT_##x)

/* Open the journal at path (NULL: the default).  Returns 0, or prints
 * the reason as "gutskin CMD: ..." and returns the exit code. */
int gs_jcli_open(const char *cmd, const char *path, gs_db **db);

/* An amount as people write it: "30 mg", "200g", "1 bowl", "2.5", or
 * words alone ("half a bowl": no number).  *value is NAN without a
 * number; unit holds GS_EVENT_UNIT_MAX + 1 bytes.  Returns 0 or prints
 * what is wrong and returns GS_EXIT_USAGE. */
int gs_jcli_parse_amount(const char *cmd, const char *opt, const char *text, double *value,
                         char *unit);

/* Parse a --at/--from/--to time (gs_time_parse); 0 or GS_EXIT_USAGE. */
int gs_jcli_parse_time(const char *cmd, const char *opt, const char *text, gs_time *t);

/* One line saying what ev holds and when: "gut bloating 6 at
 * 2026-03-01T21:30:00 (day 2026-03-01)"; a stool entry carries the
 * wording of its Bristol type. */
void gs_jcli_describe(const gs_event *ev, int day_start, char *buf, size_t len);

/* The short wording of Bristol stool type 1-7 ("" outside). */
const char *gs_jcli_bristol_words(int type);

/* The message after `log food`: the tags the lexicon (with the person's
 * own tags) finds in text, or that it is kept untagged and how to tag
 * it.  Printed to stderr; a lexicon that fails to load is reported but
 * does not fail the log (the entry is already written). */
void gs_jcli_food_tags_message(const char *cmd, gs_db *db, const char *text);

#endif
