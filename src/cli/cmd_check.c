/*
 * cmd_check.c - `gutskin check`: the self-check of the signs.
 *
 * Answers come from a terminal (one question at a time, conditions
 * respected, an invalid answer re-asked with the allowed ones) or from an
 * answers file (YAML or JSON, item id -> answer).  Red-flag questions come
 * first; once one fires, no further sign questions are asked.  The report
 * goes to stdout (text or JSON), questions and messages to stderr; then the
 * answers and the report are stored in the journal unless --no-store.
 *
 * --interactive asks line by line even when stdin is not a terminal, so
 * scripts and tests can drive the question-and-answer path with a pipe.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "gutskin/assess.h"
#include "gutskin/event.h"
#include "gutskin/journal.h"

#define CMD "check"
#define DEFAULT_INSTRUMENT "signs"

typedef struct check_args {
    const char *answers, *instrument, *db, *at;
    int no_store, interactive;
    gs_format fmt;
} check_args;

static void help(void)
{
    printf("usage: gutskin check [--answers FILE] [--instrument ID|FILE] [--db PATH]\n"
           "                     [--no-store] [--at TIME] [--format text|json]\n\n"
           "The self-check of the signs: warning signs first, then skin (acne, rosacea,\n"
           "eczema, psoriasis, early skin ageing), gut (bloating, gas, constipation,\n"
           "diarrhoea, food reactions) and body (brain fog, fatigue, joint pain).\n"
           "In a terminal it asks one question at a time; otherwise give --answers.\n"
           "Any warning sign ends the self-check with \"see a clinician now\". Otherwise\n"
           "the report lists the groups of signs present and how strongly, what that does\n"
           "and does not mean, and what to track for how many weeks to test a gut link.\n"
           "The answers and the report are stored in the journal.\n\n"
           "options:\n"
           "  --answers FILE     answers as YAML or JSON: item id -> answer (yes/no, a\n"
           "                     choice id, a number); red-flag questions must be answered\n"
           "  --instrument ID    a questionnaire in data/instruments/ (default: %s),\n"
           "                     or the path of an instrument file (a name with '/' or .yaml)\n"
           "  --db PATH          the journal (default $XDG_DATA_HOME/gutskin/journal.db)\n"
           "  --no-store         do not store the answers and the report\n"
           "  --at TIME          when the self-check was taken, ISO 8601 (default: now)\n"
           "  --format F         text (default) or json\n"
           "  --interactive      ask line by line even when stdin is not a terminal\n\n"
           "exit status: 0 the report was printed (also on a red flag), 1 it could not be\n"
           "stored, 2 a bad option, instrument or answer (FILE:LINE and the item id).\n\n"
           "This self-check is not a diagnosis and not treatment advice. docs/self-check.md\n"
           "describes what is asked and how the report is made.\n",
           DEFAULT_INSTRUMENT);
}

static int parse_args(int argc, char **argv, check_args *a)
{
    static const struct option longopts[] = {
        {"answers", required_argument, NULL, 'a'}, {"instrument", required_argument, NULL, 'i'},
        {"db", required_argument, NULL, 'd'},      {"no-store", no_argument, NULL, 'n'},
        {"at", required_argument, NULL, 't'},      {"format", required_argument, NULL, 'f'},
        {"interactive", no_argument, NULL, 'I'},   {NULL, 0, NULL, 0}};
    memset(a, 0, sizeof *a);
    a->instrument = DEFAULT_INSTRUMENT;
    a->fmt = GS_FMT_TEXT;
    optind = 1;
    opterr = 0;
    int c, rc;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (c) {
        case 'a': a->answers = optarg; break;
        case 'i': a->instrument = optarg; break;
        case 'd': a->db = optarg; break;
        case 'n': a->no_store = 1; break;
        case 't': a->at = optarg; break;
        case 'I': a->interactive = 1; break;
        case 'f':
            if ((rc = gs_cli_parse_format(CMD, optarg, (1u << GS_FMT_TEXT) | (1u << GS_FMT_JSON),
                                          &a->fmt)))
                return rc;
            break;
        default:
            return gs_cli_bad_option(CMD, c, argv);
        }
    }
    if (optind < argc)
        return gs_cli_error(CMD, GS_EXIT_USAGE, "unexpected '%s'; see --help", argv[optind]);
    if (a->answers && a->interactive)
        return gs_cli_error(CMD, GS_EXIT_USAGE, "--answers and --interactive exclude each "
                            "other: answers come from a file or from questions, not both");
    if (!a->answers && !a->interactive) {
        if (!isatty(STDIN_FILENO))
            return gs_cli_error(CMD, GS_EXIT_USAGE, "stdin is not a terminal, so the "
                                "questions cannot be asked; give --answers FILE (or "
                                "--interactive to read one answer per line from stdin)");
        a->interactive = 1;
    }
    return 0;
}

/* ---- asking in a terminal ------------------------------------------------------ */

static void print_question(const gs_assess_instrument *inst, size_t k, int number)
{
    const gs_assess_item *item = &inst->items[k];
    fprintf(stderr, "\n%d. %s\n", number, item->text);
    switch (item->type) {
    case GS_ASSESS_YES_NO: fprintf(stderr, "   (yes/no) "); break;
    case GS_ASSESS_CHOICE:
        for (size_t c = 0; c < item->n_choices; c++)
            fprintf(stderr, "   %zu) %s\n", c + 1, item->choices[c].text);
        fprintf(stderr, "   (1-%zu) ", item->n_choices);
        break;
    case GS_ASSESS_SCALE:
        if (item->low && item->high)
            fprintf(stderr, "   0 = %s, 10 = %s\n", item->low, item->high);
        fprintf(stderr, "   (0-10) ");
        break;
    case GS_ASSESS_NUMBER:
        fprintf(stderr, "   (%g-%g %s) ", item->min, item->max, item->unit);
        break;
    }
    fflush(stderr);
}

/* Ask every item whose conditions hold, in order; after a red flag, only
 * the remaining red-flag questions.  Fails with GS_ERR_INPUT when the
 * input ends before the questions do. */
static gs_status ask(const gs_assess_instrument *inst, gs_assess_answer *answers, gs_err *err)
{
    char *line = NULL;
    size_t cap = 0;
    int number = 0, flagged = 0;
    gs_status st = GS_OK;
    if (inst->intro) fprintf(stderr, "%s\n%s\n", inst->title, inst->intro);
    fprintf(stderr, "This self-check is not a diagnosis and not treatment advice.\n");
    for (size_t k = 0; k < inst->n_items && st == GS_OK; k++) {
        const gs_assess_item *item = &inst->items[k];
        if (!gs_assess_is_asked(inst, k, answers)) continue;
        if (flagged && !item->sign) break;  /* red flags come first (the loader checks) */
        print_question(inst, k, ++number);
        for (;;) {
            if (getline(&line, &cap, stdin) < 0) {
                st = gs_fail(err, GS_ERR_INPUT, "the input ended before question %d (item "
                             "'%s') was answered; nothing was stored", number, item->id);
                break;
            }
            gs_err bad;
            gs_err_clear(&bad);
            if (gs_assess_parse_answer(inst, k, line, &answers[k].value, &bad) == GS_OK) {
                answers[k].given = 1;
                break;
            }
            char allowed[1024];
            gs_assess_allowed(inst, k, allowed, sizeof allowed);
            fprintf(stderr, "   Please answer %s: ", allowed);
            fflush(stderr);
        }
        if (st == GS_OK && gs_assess_is_flagged(inst, k, answers)) flagged = 1;
    }
    free(line);
    if (flagged) fprintf(stderr, "\nA warning sign: the self-check stops here.\n");
    fputc('\n', stderr);
    return st;
}

/* ---- the journal ----------------------------------------------------------------- */

static int store(const check_args *a, const gs_time *at, const gs_assess_instrument *inst,
                 const gs_assess_answer *answers, const gs_assess_result *res)
{
    gs_err err;
    gs_err_clear(&err);
    char *answers_json = gs_assess_answers_json(inst, answers);
    char *report_json = gs_assess_report_json(inst, answers, res);
    gs_db *db = NULL;
    int64_t id = 0;
    gs_status st = answers_json && report_json ? GS_OK
                   : gs_fail(&err, GS_ERR_NOMEM, "out of memory writing the report");
    if (st == GS_OK) st = gs_db_open(a->db, &db, &err);
    if (st == GS_OK)
        st = gs_db_response_add(db, at, inst->id, answers_json, report_json, &id, &err);
    if (st == GS_OK) fprintf(stderr, "gutskin check: stored as response %lld in %s\n",
                             (long long)id, gs_db_path(db));
    gs_db_close(db);
    free(answers_json);
    free(report_json);
    if (st == GS_OK) return GS_EXIT_OK;
    gs_cli_error(CMD, GS_EXIT_FAIL, "the answers were not stored: %s", err.msg);
    return GS_EXIT_FAIL;  /* the report was printed: a store failure is a runtime failure */
}

/* An --instrument value that is a path rather than an id. */
static int is_path(const char *s)
{
    size_t n = strlen(s);
    return strchr(s, '/') || (n > 5 && strcmp(s + n - 5, ".yaml") == 0);
}

int gs_cmd_check(int argc, char **argv)
{
    if (gs_cli_wants_help(argc, argv)) {
        help();
        return GS_EXIT_OK;
    }
    check_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc) return rc;
    gs_err err;
    gs_err_clear(&err);
    gs_time at = gs_time_now();
    if (a.at && gs_time_parse(a.at, &at, &err) != GS_OK)
        return gs_cli_error(CMD, GS_EXIT_USAGE, "--at: %s", err.msg);
    gs_assess_instrument *inst = NULL;
    gs_status st = is_path(a.instrument) ? gs_assess_load(a.instrument, &inst, &err)
                                         : gs_assess_load_id(a.instrument, &inst, &err);
    if (st != GS_OK) return gs_cli_fail(CMD, &err);
    gs_assess_answer *answers = gs_assess_answers_new(inst);
    gs_assess_result res = {0};
    if (!answers) st = gs_fail(&err, GS_ERR_NOMEM, "out of memory");
    else if (a.answers) st = gs_assess_answers_read(inst, a.answers, answers, &err);
    else if ((st = ask(inst, answers, &err)) == GS_OK)
        st = gs_assess_answers_check(inst, answers, NULL, &err);
    if (st == GS_OK) st = gs_assess_score(inst, answers, &res, &err);
    if (st != GS_OK) {
        rc = gs_cli_fail(CMD, &err);
    } else {
        if (a.fmt == GS_FMT_JSON) {
            char *json = gs_assess_report_json(inst, answers, &res);
            if (json) printf("%s\n", json);
            else rc = gs_cli_error(CMD, GS_EXIT_FAIL, "out of memory writing the report");
            free(json);
        } else {
            gs_assess_report_text(stdout, inst, answers, &res);
        }
        fflush(stdout);
        if (!rc && !a.no_store) rc = store(&a, &at, inst, answers, &res);
    }
    gs_assess_result_free(&res);
    free(answers);
    gs_assess_free(inst);
    return rc;
}
