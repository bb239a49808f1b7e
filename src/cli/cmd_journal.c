/*
 * cmd_journal.c - writing to the journal from the command line: log,
 * start, stop, undo, edit, config.  Every entry goes through gs_db_add,
 * which checks it against the one table of names and ranges (event.c).
 * What was written is said back on stderr, so a typo is seen at once.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/journal_cli.h"

int gs_jcli_open(const char *cmd, const char *path, gs_db **db)
{
    gs_err err;
    if (gs_db_open(path, db, &err) != GS_OK) return gs_cli_fail(cmd, &err);
    return 0;
}

int gs_jcli_parse_amount(const char *cmd, const char *opt, const char *text, double *value,
                         char *unit)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || errno || !isfinite(v)) {
        v = NAN; /* words alone: "half a bowl" */
        end = (char *)text;
    }
    while (*end == ' ') end++;
    if (strlen(end) > GS_EVENT_UNIT_MAX)
        return gs_cli_error(cmd, GS_EXIT_USAGE,
                            "%s '%s': the unit after the number must be at most %d characters "
                            "(e.g. \"30 mg\", \"200g\", \"1 bowl\")",
                            opt, text, GS_EVENT_UNIT_MAX);
    if (!isnan(v) && v <= 0)
        return gs_cli_error(cmd, GS_EXIT_USAGE, "%s '%s' must be above 0", opt, text);
    *value = v;
    snprintf(unit, GS_EVENT_UNIT_MAX + 1, "%s", end);
    return 0;
}

int gs_jcli_parse_time(const char *cmd, const char *opt, const char *text, gs_time *t)
{
    gs_err err;
    if (gs_time_parse(text, t, &err) != GS_OK)
        return gs_cli_error(cmd, GS_EXIT_USAGE, "%s: %s", opt, err.msg);
    return 0;
}

const char *gs_jcli_bristol_words(int type)
{
    static const char *const words[] = {"",
                                        "separate hard lumps",
                                        "lumpy and sausage-shaped",
                                        "a sausage with cracks on it",
                                        "a smooth, soft sausage",
                                        "soft blobs with clear edges",
                                        "mushy, ragged pieces",
                                        "watery, no solid pieces"};
    return type >= 1 && type <= 7 ? words[type] : "";
}

void gs_jcli_describe(const gs_event *ev, int day_start, char *buf, size_t len)
{
    char when[GS_TIME_TEXT_MAX], day[11], what[GS_EVENT_NAME_MAX + 120];
    gs_time_format(&ev->at, when);
    gs_day_format(gs_time_day(&ev->at, day_start), day);
    const char *kind = gs_event_kind_name(ev->kind);
    switch (ev->kind) {
    case GS_EVENT_FOOD:
    case GS_EVENT_START:
    case GS_EVENT_STOP:
        if (!isnan(ev->value))
            snprintf(what, sizeof what, "%s '%s' (%g%s%s)", kind, ev->name, ev->value,
                     ev->unit[0] ? " " : "", ev->unit);
        else if (ev->unit[0])
            snprintf(what, sizeof what, "%s '%s' (%s)", kind, ev->name, ev->unit);
        else
            snprintf(what, sizeof what, "%s '%s'", kind, ev->name);
        break;
    case GS_EVENT_STOOL:
        snprintf(what, sizeof what, "stool type %g (%s)", ev->value,
                 gs_jcli_bristol_words((int)ev->value));
        break;
    case GS_EVENT_SLEEP:
        snprintf(what, sizeof what, "sleep %g hours", ev->value);
        break;
    case GS_EVENT_STRESS:
        snprintf(what, sizeof what, "stress %g", ev->value);
        break;
    default:
        snprintf(what, sizeof what, "%s %s %g", kind, ev->name, ev->value);
    }
    snprintf(buf, len, "%s at %s (day %s)%s%s%s", what, when, day, ev->note[0] ? ", note \"" : "",
             ev->note, ev->note[0] ? "\"" : "");
}

/* ---- option parsing ----------------------------------------------------- */

/* The options of the journal's commands; each command allows a subset. */
static const char *const option_names[GS_JOPT_COUNT] = {
    [GS_JOPT_DB] = "--db",       [GS_JOPT_AT] = "--at",     [GS_JOPT_NOTE] = "--note",
    [GS_JOPT_PORTION] = "--portion", [GS_JOPT_DOSE] = "--dose", [GS_JOPT_VALUE] = "--value",
    [GS_JOPT_NAME] = "--name",   [GS_JOPT_UNIT] = "--unit", [GS_JOPT_FROM] = "--from",
    [GS_JOPT_TO] = "--to",       [GS_JOPT_FORMAT] = "--format", [GS_JOPT_OUT] = "--out",
};

int gs_jcli_args(const char *cmd, int argc, char **argv, unsigned allowed, gs_jcli_opts *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
            if (o->n_words == GS_JCLI_MAX_WORDS)
                return gs_cli_error(cmd, GS_EXIT_USAGE, "too many arguments ('%s'); see --help",
                                    a);
            o->words[o->n_words++] = a;
            continue;
        }
        const char *eq = strchr(a, '=');
        size_t len = eq ? (size_t)(eq - a) : strlen(a);
        int which = -1;
        for (int k = 0; k < GS_JOPT_COUNT; k++)
            if (option_names[k] && strlen(option_names[k]) == len &&
                strncmp(option_names[k], a, len) == 0)
                which = k;
        if (which < 0 || !(allowed & (1u << which)))
            return gs_cli_error(cmd, GS_EXIT_USAGE, "unknown option '%.*s'; see --help",
                                (int)len, a);
        if (!eq && i + 1 >= argc)
            return gs_cli_error(cmd, GS_EXIT_USAGE, "%s needs a value", option_names[which]);
        o->opt[which] = eq ? eq + 1 : argv[++i];
    }
    return 0;
}

/* ---- log ---------------------------------------------------------------- */

static const char log_help[] =
    "usage: gutskin log KIND ... [--at TIME] [--note TEXT] [--db PATH]\n"
    "\n"
    "Write one entry to the journal (default $XDG_DATA_HOME/gutskin/journal.db):\n"
    "  gutskin log food \"oat porridge with milk\" [--portion \"1 bowl\"|200g]\n"
    "  gutskin log gut bloating|pain|gas|urgency|nausea 0-10\n"
    "  gutskin log stool 1-7             Bristol stool form type\n"
    "  gutskin log skin itch|redness|flushing|dryness|pain|overall 0-10\n"
    "  gutskin log skin lesions COUNT    0-1000\n"
    "  gutskin log body fatigue|brain_fog|joint_pain|headache|mood 0-10\n"
    "  gutskin log sleep HOURS           0-24\n"
    "  gutskin log stress 0-10\n"
    "\n"
    "--at TIME is when it happened (default now): 2026-03-01T21:30, \"2026-03-01 21:30\",\n"
    "with an optional +01:00 or Z.  Days start at the journal's day start (default\n"
    "04:00, see `gutskin config day-start`), so a midnight snack counts to the day before.\n"
    "Bristol types: 1 separate hard lumps, 2 lumpy and sausage-shaped, 3 a sausage with\n"
    "cracks, 4 a smooth soft sausage, 5 soft blobs with clear edges, 6 mushy ragged\n"
    "pieces, 7 watery, no solid pieces.\n"
    "A journal is a record for you, not a diagnosis and not treatment advice.\n";

/* Parse a value word; 0 or GS_EXIT_USAGE. */
static int parse_value(const char *cmd, const char *what, const char *text, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(text, &end);
    if (!*text || *end || errno || !isfinite(*v))
        return gs_cli_error(cmd, GS_EXIT_USAGE, "%s value '%s' is not a number", what, text);
    return 0;
}

/* Fill in the time and note, write ev, say what was written. */
static int write_entry(const char *cmd, const gs_jcli_opts *o, gs_event *ev)
{
    int rc;
    if (o->opt[GS_JOPT_AT]) {
        if ((rc = gs_jcli_parse_time(cmd, "--at", o->opt[GS_JOPT_AT], &ev->at))) return rc;
    } else {
        ev->at = gs_time_now();
    }
    if (o->opt[GS_JOPT_NOTE]) {
        if (strlen(o->opt[GS_JOPT_NOTE]) > GS_EVENT_NOTE_MAX)
            return gs_cli_error(cmd, GS_EXIT_USAGE, "--note must be at most %d characters",
                                GS_EVENT_NOTE_MAX);
        snprintf(ev->note, sizeof ev->note, "%s", o->opt[GS_JOPT_NOTE]);
    }
    gs_db *db;
    if ((rc = gs_jcli_open(cmd, o->opt[GS_JOPT_DB], &db))) return rc;
    gs_err err;
    if (gs_db_add(db, ev, &err) != GS_OK) {
        gs_db_close(db);
        return gs_cli_fail(cmd, &err);
    }
    char said[GS_EVENT_NAME_MAX + GS_EVENT_NOTE_MAX + 200];
    gs_jcli_describe(ev, gs_db_day_start(db), said, sizeof said);
    fprintf(stderr, "gutskin %s: entry %lld: %s\n", cmd, (long long)ev->id, said);
    if (ev->kind == GS_EVENT_FOOD) gs_jcli_food_tags_message(cmd, db, ev->name);
    gs_db_close(db);
    return GS_EXIT_OK;
}

int gs_cmd_log(int argc, char **argv)
{
    const char *cmd = "log";
    if (gs_cli_wants_help(argc, argv)) {
        fputs(log_help, stdout);
        return GS_EXIT_OK;
    }
    gs_jcli_opts o;
    int rc = gs_jcli_args(cmd, argc, argv, GS_JBIT(DB) | GS_JBIT(AT) | GS_JBIT(NOTE) | GS_JBIT(PORTION), &o);
    if (rc) return rc;
    if (o.n_words < 1)
        return gs_cli_error(cmd, GS_EXIT_USAGE,
                            "say what to log: food, gut, stool, skin, body, sleep or stress; "
                            "see --help");
    gs_event_kind kind = GS_EVENT_FOOD;
    gs_err err;
    if (gs_event_kind_parse(o.words[0], &kind, &err) != GS_OK) {
        /* "log mood 3": a name of some kind, written without the kind */
        for (int k = 0; k < GS_EVENT_KIND_COUNT; k++) {
            const char *const *names = gs_event_kind_names((gs_event_kind)k);
            for (size_t i = 0; names && names[i]; i++)
                if (strcmp(names[i], o.words[0]) == 0)
                    return gs_cli_error(cmd, GS_EXIT_USAGE,
                                        "%s is a %s measure: gutskin log %s %s VALUE",
                                        o.words[0], gs_event_kind_name((gs_event_kind)k),
                                        gs_event_kind_name((gs_event_kind)k), o.words[0]);
        }
        return gs_cli_fail(cmd, &err);
    }
    if (kind == GS_EVENT_START || kind == GS_EVENT_STOP)
        return gs_cli_error(cmd, GS_EXIT_USAGE, "use `gutskin %s NAME` for interventions",
                            o.words[0]);
    if (o.opt[GS_JOPT_PORTION] && kind != GS_EVENT_FOOD)
        return gs_cli_error(cmd, GS_EXIT_USAGE, "--portion is for `log food` only");
    gs_event ev;
    gs_event_init(&ev, kind);
    const char *const *names = gs_event_kind_names(kind);
    /* kinds with one name (stool, sleep, stress) take just the value */
    int one_name = names && names[0] && !names[1];
    int want = kind == GS_EVENT_FOOD || one_name ? 2 : 3;
    if (o.n_words != want) {
        if (kind == GS_EVENT_FOOD)
            return gs_cli_error(cmd, GS_EXIT_USAGE,
                                "log food takes one text in quotes: gutskin log food \"oat "
                                "porridge with milk\"");
        return gs_cli_error(cmd, GS_EXIT_USAGE, "log %s takes %s; see --help", o.words[0],
                            one_name ? "one value" : "a name and a value");
    }
    if (kind == GS_EVENT_FOOD) {
        if (strlen(o.words[1]) > GS_EVENT_NAME_MAX)
            return gs_cli_error(cmd, GS_EXIT_USAGE, "food text must be at most %d characters",
                                GS_EVENT_NAME_MAX);
        snprintf(ev.name, sizeof ev.name, "%s", o.words[1]);
        if (o.opt[GS_JOPT_PORTION] &&
            (rc = gs_jcli_parse_amount(cmd, "--portion", o.opt[GS_JOPT_PORTION], &ev.value,
                                       ev.unit)))
            return rc;
    } else {
        const char *name = one_name ? names[0] : o.words[1];
        if (strlen(name) > GS_EVENT_NAME_MAX)
            return gs_cli_error(cmd, GS_EXIT_USAGE, "name too long");
        snprintf(ev.name, sizeof ev.name, "%s", name);
        char what[GS_EVENT_NAME_MAX + 16];
        snprintf(what, sizeof what, "%s %s", o.words[0], ev.name);
        if ((rc = parse_value(cmd, what, o.words[want - 1], &ev.value))) return rc;
    }
    if (gs_event_check(&ev, &err) != GS_OK) return gs_cli_fail(cmd, &err);
    return write_entry(cmd, &o, &ev);
}

/* ---- start / stop ------------------------------------------------------- */

static int start_or_stop(int argc, char **argv, gs_event_kind kind)
{
    const char *cmd = kind == GS_EVENT_START ? "start" : "stop";
    if (gs_cli_wants_help(argc, argv)) {
        if (kind == GS_EVENT_START)
            printf("usage: gutskin start NAME [--dose \"30 mg\"] [--at TIME] [--note TEXT] "
                   "[--db PATH]\n\n"
                   "Record that you started an intervention (a diet, a supplement, a\n"
                   "probiotic, a medicine): its name as you will call it when you stop it, and\n"
                   "its dose by composition (\"30 mg\", \"10 billion CFU\"), not by brand.\n"
                   "Starting something already running is refused.\n"
                   "A journal is a record for you, not a diagnosis and not treatment advice.\n");
        else
            printf("usage: gutskin stop NAME [--at TIME] [--note TEXT] [--db PATH]\n\n"
                   "Record that you stopped an intervention started with `gutskin start NAME`.\n"
                   "Stopping something that is not running is refused, naming what is.\n");
        return GS_EXIT_OK;
    }
    gs_jcli_opts o;
    unsigned allowed = GS_JBIT(DB) | GS_JBIT(AT) | GS_JBIT(NOTE);
    if (kind == GS_EVENT_START) allowed |= GS_JBIT(DOSE);
    int rc = gs_jcli_args(cmd, argc, argv, allowed, &o);
    if (rc) return rc;
    if (o.n_words != 1)
        return gs_cli_error(cmd, GS_EXIT_USAGE, "give one NAME (in quotes if it has spaces)");
    gs_event ev;
    gs_event_init(&ev, kind);
    if (strlen(o.words[0]) > GS_EVENT_NAME_MAX)
        return gs_cli_error(cmd, GS_EXIT_USAGE, "NAME must be at most %d characters",
                            GS_EVENT_NAME_MAX);
    snprintf(ev.name, sizeof ev.name, "%s", o.words[0]);
    if (o.opt[GS_JOPT_DOSE] &&
        (rc = gs_jcli_parse_amount(cmd, "--dose", o.opt[GS_JOPT_DOSE], &ev.value, ev.unit)))
        return rc;
    return write_entry(cmd, &o, &ev);
}

int gs_cmd_start(int argc, char **argv) { return start_or_stop(argc, argv, GS_EVENT_START); }
int gs_cmd_stop(int argc, char **argv) { return start_or_stop(argc, argv, GS_EVENT_STOP); }

/* ---- undo / edit -------------------------------------------------------- */

int gs_cmd_undo(int argc, char **argv)
{
    const char *cmd = "undo";
    if (gs_cli_wants_help(argc, argv)) {
        printf("usage: gutskin undo [--db PATH]\n\n"
               "Remove the entry written last (by log, start, stop or import) and say what it\n"
               "was.  Undoing a stop makes the intervention run again.\n");
        return GS_EXIT_OK;
    }
    gs_jcli_opts o;
    int rc = gs_jcli_args(cmd, argc, argv, GS_JBIT(DB), &o);
    if (rc) return rc;
    if (o.n_words) return gs_cli_error(cmd, GS_EXIT_USAGE, "undo takes no arguments");
    gs_db *db;
    if ((rc = gs_jcli_open(cmd, o.opt[GS_JOPT_DB], &db))) return rc;
    gs_event ev;
    gs_err err;
    if (gs_db_undo(db, &ev, &err) != GS_OK) {
        gs_db_close(db);
        return gs_cli_fail(cmd, &err);
    }
    char said[GS_EVENT_NAME_MAX + GS_EVENT_NOTE_MAX + 200];
    gs_jcli_describe(&ev, gs_db_day_start(db), said, sizeof said);
    fprintf(stderr, "gutskin undo: removed entry %lld: %s\n", (long long)ev.id, said);
    gs_db_close(db);
    return GS_EXIT_OK;
}

int gs_cmd_edit(int argc, char **argv)
{
    const char *cmd = "edit";
    if (gs_cli_wants_help(argc, argv)) {
        printf("usage: gutskin edit ID [--value V] [--at TIME] [--name N] [--unit U] "
               "[--note TEXT] [--db PATH]\n\n"
               "Change an entry (its ID is shown by `gutskin show` and after `log`).  The\n"
               "entry is checked again as when it was logged; its kind stays.  --value -\n"
               "clears an optional value (a portion or a dose); --note '' clears the note.\n"
               "Renaming a start or a stop renames both of the pair.\n");
        return GS_EXIT_OK;
    }
    gs_jcli_opts o;
    int rc = gs_jcli_args(cmd, argc, argv,
                          GS_JBIT(DB) | GS_JBIT(AT) | GS_JBIT(NOTE) | GS_JBIT(VALUE) |
                              GS_JBIT(NAME) | GS_JBIT(UNIT),
                          &o);
    if (rc) return rc;
    long long id;
    if (o.n_words != 1)
        return gs_cli_error(cmd, GS_EXIT_USAGE, "give the ID of one entry; see `gutskin show`");
    if ((rc = gs_cli_parse_whole(cmd, "ID", o.words[0], 1, INT64_MAX, &id))) return rc;
    if (!o.opt[GS_JOPT_AT] && !o.opt[GS_JOPT_NOTE] && !o.opt[GS_JOPT_VALUE] &&
        !o.opt[GS_JOPT_NAME] && !o.opt[GS_JOPT_UNIT])
        return gs_cli_error(cmd, GS_EXIT_USAGE,
                            "say what to change: --value, --at, --name, --unit or --note");
    gs_db *db;
    if ((rc = gs_jcli_open(cmd, o.opt[GS_JOPT_DB], &db))) return rc;
    gs_event ev;
    gs_err err;
    if (gs_db_get(db, id, &ev, &err) != GS_OK) {
        gs_db_close(db);
        return gs_cli_fail(cmd, &err);
    }
    rc = 0;
    if (o.opt[GS_JOPT_AT]) rc = gs_jcli_parse_time(cmd, "--at", o.opt[GS_JOPT_AT], &ev.at);
    if (!rc && o.opt[GS_JOPT_VALUE]) {
        if (strcmp(o.opt[GS_JOPT_VALUE], "-") == 0)
            ev.value = NAN;
        else
            rc = parse_value(cmd, "--value", o.opt[GS_JOPT_VALUE], &ev.value);
    }
    const char *texts[3] = {o.opt[GS_JOPT_NAME], o.opt[GS_JOPT_UNIT], o.opt[GS_JOPT_NOTE]};
    char *slots[3] = {ev.name, ev.unit, ev.note};
    size_t sizes[3] = {sizeof ev.name, sizeof ev.unit, sizeof ev.note};
    const char *opts[3] = {"--name", "--unit", "--note"};
    for (int i = 0; i < 3 && !rc; i++) {
        if (!texts[i]) continue;
        if (strlen(texts[i]) >= sizes[i])
            rc = gs_cli_error(cmd, GS_EXIT_USAGE, "%s must be at most %zu characters", opts[i],
                              sizes[i] - 1);
        else
            snprintf(slots[i], sizes[i], "%s", texts[i]);
    }
    if (!rc && gs_db_edit(db, &ev, &err) != GS_OK) rc = gs_cli_fail(cmd, &err);
    if (!rc) {
        char said[GS_EVENT_NAME_MAX + GS_EVENT_NOTE_MAX + 200];
        gs_jcli_describe(&ev, gs_db_day_start(db), said, sizeof said);
        fprintf(stderr, "gutskin edit: entry %lld is now: %s\n", (long long)ev.id, said);
    }
    gs_db_close(db);
    return rc;
}

/* ---- config ------------------------------------------------------------- */

int gs_cmd_config(int argc, char **argv)
{
    const char *cmd = "config";
    if (gs_cli_wants_help(argc, argv)) {
        printf("usage: gutskin config [day-start [HH:MM]] [--db PATH]\n\n"
               "Show or change the journal's settings (stored in the journal itself).\n"
               "  day-start HH:MM   when a journal day begins (default 04:00): entries before\n"
               "                    it count to the day before.  Changing it regroups every\n"
               "                    day of `show` and of the statistics.\n");
        return GS_EXIT_OK;
    }
    gs_jcli_opts o;
    int rc = gs_jcli_args(cmd, argc, argv, GS_JBIT(DB), &o);
    if (rc) return rc;
    if (o.n_words > 2 || (o.n_words >= 1 && strcmp(o.words[0], "day-start") != 0))
        return gs_cli_error(cmd, GS_EXIT_USAGE, "the one setting is day-start; see --help");
    int minutes = -1;
    if (o.n_words == 2) {
        int h, m, used = 0;
        if (sscanf(o.words[1], "%2d:%2d%n", &h, &m, &used) != 2 || o.words[1][used] ||
            h < 0 || h > 23 || m < 0 || m > 59)
            return gs_cli_error(cmd, GS_EXIT_USAGE,
                                "day-start '%s' must be HH:MM from 00:00 to 23:59", o.words[1]);
        minutes = h * 60 + m;
    }
    gs_db *db;
    if ((rc = gs_jcli_open(cmd, o.opt[GS_JOPT_DB], &db))) return rc;
    gs_err err;
    if (minutes >= 0 && gs_db_set_day_start(db, minutes, &err) != GS_OK) {
        gs_db_close(db);
        return gs_cli_fail(cmd, &err);
    }
    int ds = gs_db_day_start(db);
    printf("day-start %02d:%02d\n", ds / 60, ds % 60);
    gs_db_close(db);
    return GS_EXIT_OK;
}
