/*
 * cmd_synth.c - `gutskin synth`: write a synthetic journal as import CSV
 * (include/gutskin/synth.h), for trying the statistics and for tests.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "gutskin/lexicon.h"
#include "gutskin/synth.h"

#define CMD "synth"

static void help(void)
{
    printf("usage: gutskin synth --days N [--seed S] [--trigger TAG:LAG:EFFECT ...]\n"
           "                     [--effect NAME:DAY:CHANGE[:STOPDAY] ...] [--outcome NAME]\n"
           "                     [--start YYYY-MM-DD] [--missing SHARE] [--out FILE]\n\n"
           "Write a synthetic journal in the interchange CSV (timestamp,kind,name,value,\n"
           "unit,note) that 'gutskin import' reads: several meals a day of foods from the\n"
           "lexicon, weekend drinks and fried food, AR(1) autocorrelated scores logged\n"
           "daily, some days missed.  The outcome (default skin.itch) carries the plants:\n"
           "  --trigger TAG:LAG:EFFECT  the outcome rises by EFFECT LAG days (0-3) after a\n"
           "                            day with a food tagged TAG (repeatable)\n"
           "  --effect NAME:DAY:CHANGE[:STOPDAY]  start intervention NAME on day DAY\n"
           "                            (0-based; stop on STOPDAY); the outcome's level\n"
           "                            moves by CHANGE while it runs (repeatable)\n"
           "  --days N                  days to write (1-36500)\n"
           "  --seed S                  random seed (default 1)\n"
           "  --start DATE              date of day 0 (default 2025-01-06, a Monday)\n"
           "  --missing SHARE           share of days with nothing logged (default 0.05)\n"
           "  --out FILE                write there instead of stdout\n\n"
           "Synthetic data: not a person, not a diagnosis and not treatment advice.\n");
}

int gs_cmd_synth(int argc, char **argv)
{
    if (gs_cli_wants_help(argc, argv)) {
        help();
        return GS_EXIT_OK;
    }
    static const struct option longopts[] = {
        {"days", required_argument, NULL, 'd'},    {"seed", required_argument, NULL, 's'},
        {"trigger", required_argument, NULL, 't'}, {"effect", required_argument, NULL, 'e'},
        {"outcome", required_argument, NULL, 'o'}, {"start", required_argument, NULL, 'a'},
        {"missing", required_argument, NULL, 'm'}, {"out", required_argument, NULL, 'w'},
        {NULL, 0, NULL, 0}};
    gs_synth_opts o;
    gs_synth_opts_default(&o);
    const char *out_path = NULL;
    int have_days = 0, c, rc;
    long long v;
    gs_err err;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            if ((rc = gs_cli_parse_whole(CMD, "--days", optarg, 1, 36500, &v))) return rc;
            o.days = (size_t)v;
            have_days = 1;
            break;
        case 's':
            if ((rc = gs_cli_parse_whole(CMD, "--seed", optarg, 0, 4294967295LL, &v))) return rc;
            o.seed = (unsigned long)v;
            break;
        case 't':
            if (o.n_triggers == GS_SYNTH_MAX_PLANTS)
                return gs_cli_error(CMD, GS_EXIT_USAGE, "at most %d --trigger options",
                                    GS_SYNTH_MAX_PLANTS);
            if (gs_synth_parse_trigger(optarg, &o.triggers[o.n_triggers], &err))
                return gs_cli_fail(CMD, &err);
            o.n_triggers++;
            break;
        case 'e':
            if (o.n_effects == GS_SYNTH_MAX_PLANTS)
                return gs_cli_error(CMD, GS_EXIT_USAGE, "at most %d --effect options",
                                    GS_SYNTH_MAX_PLANTS);
            if (gs_synth_parse_effect(optarg, &o.effects[o.n_effects], &err))
                return gs_cli_fail(CMD, &err);
            o.n_effects++;
            break;
        case 'o': o.outcome = optarg; break;
        case 'a': o.first_date = optarg; break;
        case 'm': {
            char *end;
            o.missing_days = strtod(optarg, &end);
            if (!*optarg || *end || !(o.missing_days >= 0 && o.missing_days <= 0.9))
                return gs_cli_error(CMD, GS_EXIT_USAGE,
                                    "--missing '%s' must be a share from 0 to 0.9", optarg);
            break;
        }
        case 'w': out_path = optarg; break;
        default:
            return gs_cli_bad_option(CMD, c, argv);
        }
    }
    if (optind < argc)
        return gs_cli_error(CMD, GS_EXIT_USAGE, "unexpected argument '%s'; see --help",
                            argv[optind]);
    if (!have_days) return gs_cli_error(CMD, GS_EXIT_USAGE, "--days N is required; see --help");
    gs_lexicon *lex;
    if (gs_lexicon_load(NULL, &lex, &err)) return gs_cli_fail(CMD, &err);
    /* write to a temporary file beside --out and rename, so a failed run
       leaves no half-written journal */
    char tmp[4096] = "";
    FILE *f = stdout;
    if (out_path) {
        snprintf(tmp, sizeof tmp, "%s.tmp", out_path);
        f = fopen(tmp, "w");
        if (!f) {
            gs_lexicon_free(lex);
            return gs_cli_error(CMD, GS_EXIT_FAIL, "cannot write '%s'", tmp);
        }
    }
    gs_status st = gs_synth_write(&o, lex, f, &err);
    gs_lexicon_free(lex);
    if (out_path) {
        if (fclose(f) != 0 && !st) st = gs_fail(&err, GS_ERR_IO, "cannot write '%s'", tmp);
        if (!st && rename(tmp, out_path) != 0)
            st = gs_fail(&err, GS_ERR_IO, "cannot rename '%s' to '%s'", tmp, out_path);
        if (st) remove(tmp);
    } else if (fflush(stdout) != 0 && !st) {
        st = gs_fail(&err, GS_ERR_IO, "cannot write to stdout");
    }
    if (st) return gs_cli_fail(CMD, &err);
    return GS_EXIT_OK;
}
