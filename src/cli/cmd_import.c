/*
 * cmd_import.c - `gutskin import FILE.csv` (all or nothing, every bad row
 * named) and `gutskin export` (CSV, JSON, FHIR R4), the journal's doors
 * to other tools.  An export written with --out appears whole or not at
 * all, with mode 0600: it is as private as the journal.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/journal_cli.h"

#define GS_IMPORT_MAX_PROBLEMS 50

static void print_problem(void *ctx, const char *message)
{
    fprintf(stderr, "gutskin %s: %s\n", (const char *)ctx, message);
}

int gs_cmd_import(int argc, char **argv)
{
    const char *cmd = "import";
    if (gs_cli_wants_help(argc, argv)) {
        printf("usage: gutskin import FILE.csv [--db PATH]\n\n"
               "Add the rows of a CSV with the header timestamp,kind,name,value,unit,note to\n"
               "the journal, all or nothing: every row is checked like `gutskin log` checks\n"
               "it, each bad row is named as FILE:LINE: field and what is allowed (the first\n"
               "%d), and if any row is bad nothing is written.  Times are ISO 8601 with or\n"
               "without a UTC offset; kind is food, gut, stool, skin, body, sleep, stress,\n"
               "start or stop, or setting, tag and response as written by `gutskin export`.\n"
               "See docs/journal.md for every column.\n",
               GS_IMPORT_MAX_PROBLEMS);
        return GS_EXIT_OK;
    }
    gs_jcli_opts o;
    int rc = gs_jcli_args(cmd, argc, argv, GS_JBIT(DB), &o);
    if (rc) return rc;
    if (o.n_words != 1) return gs_cli_error(cmd, GS_EXIT_USAGE, "give one FILE.csv to import");
    gs_db *db;
    if ((rc = gs_jcli_open(cmd, o.opt[GS_JOPT_DB], &db))) return rc;
    gs_db_import_result res;
    gs_err err;
    gs_status st = gs_db_import_csv(db, o.words[0], print_problem, (void *)cmd,
                                    GS_IMPORT_MAX_PROBLEMS, &res, &err);
    gs_db_close(db);
    if (st) return gs_cli_fail(cmd, &err);
    fprintf(stderr,
            "gutskin import: %s: %zu entries, %zu self-checks, %zu food tags, %zu settings "
            "imported\n",
            o.words[0], res.entries, res.responses, res.tags, res.settings);
    return GS_EXIT_OK;
}

/* Write the export to a temporary file beside path, then rename it over
 * path, so a failure never leaves half an export. */
static int export_to_file(const char *cmd, gs_db *db, gs_db_export_format fmt,
                          const char *path)
{
    size_t len = strlen(path) + 16;
    char *tmp = malloc(len);
    if (!tmp) return gs_cli_error(cmd, GS_EXIT_FAIL, "out of memory");
    snprintf(tmp, len, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp); /* mode 0600 */
    if (fd < 0) {
        int rc = gs_cli_error(cmd, GS_EXIT_FAIL, "cannot write %s: %s", path, strerror(errno));
        free(tmp);
        return rc;
    }
    FILE *f = fdopen(fd, "w");
    gs_err err;
    gs_status st = f ? gs_db_export(db, fmt, f, &err)
                     : gs_fail(&err, GS_ERR_IO, "cannot write %s", path);
    if (f && fclose(f) != 0 && st == GS_OK)
        st = gs_fail(&err, GS_ERR_IO, "cannot write %s: %s", path, strerror(errno));
    if (!f) close(fd);
    if (st == GS_OK && rename(tmp, path) != 0)
        st = gs_fail(&err, GS_ERR_IO, "cannot write %s: %s", path, strerror(errno));
    if (st) unlink(tmp);
    free(tmp);
    return st ? gs_cli_fail(cmd, &err) : GS_EXIT_OK;
}

int gs_cmd_export(int argc, char **argv)
{
    const char *cmd = "export";
    if (gs_cli_wants_help(argc, argv)) {
        printf("usage: gutskin export [--format csv|json|fhir] [--out PATH] [--db PATH]\n\n"
               "Write the whole journal (default to stdout):\n"
               "  csv   the import format; `gutskin import` of it into an empty journal gives\n"
               "        the same journal (entries, interventions, self-checks, food tags,\n"
               "        day start)\n"
               "  json  one document with the entries, interventions as periods, self-checks,\n"
               "        food tags and settings, for your own tools (not read back)\n"
               "  fhir  a FHIR R4 Bundle of Observations and QuestionnaireResponses to share\n"
               "        with a clinician's system (not read back)\n"
               "--out writes the file whole or not at all, readable only by you (0600).\n"
               "A journal is a record for you, not a diagnosis and not treatment advice.\n");
        return GS_EXIT_OK;
    }
    gs_jcli_opts o;
    int rc = gs_jcli_args(cmd, argc, argv, GS_JBIT(DB) | GS_JBIT(FORMAT) | GS_JBIT(OUT), &o);
    if (rc) return rc;
    if (o.n_words) return gs_cli_error(cmd, GS_EXIT_USAGE, "unexpected '%s'; see --help", o.words[0]);
    gs_db_export_format fmt = GS_DB_EXPORT_CSV;
    const char *f = o.opt[GS_JOPT_FORMAT];
    if (f && strcmp(f, "json") == 0)
        fmt = GS_DB_EXPORT_JSON;
    else if (f && strcmp(f, "fhir") == 0)
        fmt = GS_DB_EXPORT_FHIR;
    else if (f && strcmp(f, "csv") != 0)
        return gs_cli_error(cmd, GS_EXIT_USAGE, "--format '%s' is not one of csv|json|fhir", f);
    gs_db *db;
    if ((rc = gs_jcli_open(cmd, o.opt[GS_JOPT_DB], &db))) return rc;
    if (o.opt[GS_JOPT_OUT]) {
        rc = export_to_file(cmd, db, fmt, o.opt[GS_JOPT_OUT]);
    } else {
        gs_err err;
        if (gs_db_export(db, fmt, stdout, &err) != GS_OK) rc = gs_cli_fail(cmd, &err);
    }
    gs_db_close(db);
    return rc;
}
