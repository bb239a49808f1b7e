/*
 * cmd_analyze.c - `gutskin analyze triggers|effect|power`: the statistics
 * on one person's journal (docs/statistics.md).  The analyses themselves
 * are library calls (include/gutskin/analyze.h) that return a JSON
 * document, the same the web server answers; the command reads its
 * options into the library's options struct, runs the analysis on the
 * journal (--db, else the default path) and prints the document, or
 * renders it as text or CSV (cmd_analyze_triggers.c, cmd_analyze_effect.c).
 * Every report ends with the line that it is not a diagnosis.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/analyze.h"
#include "gutskin/journal.h"
#include "gutskin/lexicon.h"

#define OPTS_MAX 24
#define OPT_FORMAT 900   /* above any character getopt returns */
#define OPT_DB 901
#define OPT_TABLE 1000 /* + i: the i-th option of the library's table */

int gs_cli_analyze_args(const char *cmd, int argc, char **argv, gs_analyze_opts *o,
                        unsigned formats, gs_format *fmt, const char **db, const char **pos,
                        int max_pos, int *n_pos)
{
    /* the long options: the library's table, spelt as the command does */
    struct option longopts[OPTS_MAX + 3];
    char names[OPTS_MAX][32];
    int n = 0;
    const char *name;
    for (size_t i = 0; (name = gs_analyze_option_name(o->analysis, 0, i)) && n < OPTS_MAX; i++) {
        if (strcmp(name, "name") == 0) continue;   /* effect's NAME is an argument */
        size_t k = 0;
        for (; name[k] && k + 1 < sizeof names[n]; k++) names[n][k] = name[k] == '_' ? '-' : name[k];
        names[n][k] = '\0';
        longopts[n] = (struct option){names[n], required_argument, NULL, OPT_TABLE + (int)i};
        n++;
    }
    longopts[n++] = (struct option){"format", required_argument, NULL, OPT_FORMAT};
    longopts[n++] = (struct option){"db", required_argument, NULL, OPT_DB};
    longopts[n] = (struct option){NULL, 0, NULL, 0};
    o->cli_spelling = 1;
    int c, rc;
    gs_err err;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        if (c >= OPT_TABLE) {
            name = gs_analyze_option_name(o->analysis, 0, (size_t)(c - OPT_TABLE));
            if (gs_analyze_opts_set(o, name, optarg, &err)) return gs_cli_fail(cmd, &err);
        } else if (c == OPT_FORMAT) {
            if ((rc = gs_cli_parse_format(cmd, optarg, formats, fmt))) return rc;
        } else if (c == OPT_DB) {
            *db = optarg;
        } else {
            return gs_cli_bad_option(cmd, c, argv);
        }
    }
    *n_pos = 0;
    for (; optind < argc; optind++) {
        if (*n_pos == max_pos)
            return gs_cli_error(cmd, GS_EXIT_USAGE, "unexpected argument '%s'; see --help",
                                argv[optind]);
        pos[(*n_pos)++] = argv[optind];
    }
    return 0;
}

int gs_cli_analyze_run(const char *cmd, const char *db_path, const gs_analyze_opts *o,
                       json_t **doc)
{
    gs_err err;
    gs_daily *panel = NULL;
    gs_status st = gs_analyze_check(o, NULL, &err);
    if (!st && gs_analyze_needs_journal(o)) {
        gs_db *db = NULL;
        gs_lexicon *lex = NULL;
        st = gs_db_open(db_path, &db, &err);
        if (!st) st = gs_lexicon_load(NULL, &lex, &err);
        if (!st) st = gs_db_apply_user_tags(db, lex, &err);
        if (!st) st = gs_analyze_panel(db, lex, &panel, &err);
        gs_lexicon_free(lex);
        gs_db_close(db);
    }
    if (!st) st = gs_analyze_run(panel, o, doc, NULL, &err);
    gs_daily_free(panel);
    return st ? gs_cli_fail(cmd, &err) : 0;
}

void gs_cli_analyze_json(const char *cmd, const json_t *doc)
{
    json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
    printf("\n");
    fprintf(stderr, "gutskin %s: %s\n", cmd, GS_ANALYZE_DISCLAIMER);
}

double gs_cli_jnum(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

long long gs_cli_jint(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_integer(v) ? (long long)json_integer_value(v) : -1;
}

const char *gs_cli_jstr(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* ---- dispatch ------------------------------------------------------------------------ */

int gs_cmd_analyze(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } subs[] = {{"triggers", gs_cmd_analyze_triggers},
                {"effect", gs_cmd_analyze_effect},
                {"power", gs_cmd_analyze_power}};
    if (argc >= 2)
        for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
            if (strcmp(argv[1], subs[i].name) == 0) return subs[i].fn(argc - 1, argv + 1);
    FILE *f = argc >= 2 && gs_cli_wants_help(2, argv) ? stdout : stderr;
    fprintf(f, "usage: gutskin analyze triggers|effect|power [options]\n\n"
               "  triggers  which food tags are followed by a higher score (lags 0-3 days)\n"
               "  effect    did starting an intervention change a score\n"
               "  power     how many more days would detect a given change\n\n"
               "Run 'gutskin analyze SUBCOMMAND --help' for its options.\n%s\n",
            GS_ANALYZE_DISCLAIMER);
    if (f == stdout) return GS_EXIT_OK;
    if (argc >= 2)
        fprintf(stderr, "gutskin analyze: '%s' is not one of triggers, effect, power\n", argv[1]);
    return GS_EXIT_USAGE;
}
