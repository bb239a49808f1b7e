/*
 * cmd_show.c - `gutskin show`: the journal's entries grouped by journal
 * day (days start at the journal's day start, default 04:00), as text,
 * CSV or JSON.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/journal_cli.h"
#include "journal/csv.h"

static const char show_help[] =
    "usage: gutskin show [--from DATE] [--to DATE] [--format text|csv|json] [--db PATH]\n"
    "\n"
    "The journal's entries in time order, grouped by journal day.  --from and --to are\n"
    "journal days (YYYY-MM-DD), both included; a day runs from the day start (default\n"
    "04:00) to the next, so 01:30 on the 2nd shows under the 1st, marked +1d.\n"
    "Each entry shows its ID for `gutskin edit`.  csv and json carry the same columns:\n"
    "id, day, timestamp, kind, name, value, unit, note.\n"
    "A journal is a record for you, not a diagnosis and not treatment advice.\n";

/* The journal day named by text: a plain date is that day; a date-time
 * is the journal day it falls in. */
static int parse_day(const char *opt, const char *text, int day_start, int64_t *day)
{
    gs_time t;
    int rc = gs_jcli_parse_time("show", opt, text, &t);
    if (rc) return rc;
    if (strlen(text) == 10)
        *day = t.wall >= 0 ? t.wall / 86400 : -((-t.wall + 86399) / 86400);
    else
        *day = gs_time_day(&t, day_start);
    return 0;
}

/* What an entry says, without its time. */
static void entry_words(const gs_event *ev, char *buf, size_t len)
{
    switch (ev->kind) {
    case GS_EVENT_FOOD:
    case GS_EVENT_START:
    case GS_EVENT_STOP:
        if (!isnan(ev->value))
            snprintf(buf, len, "%s (%g%s%s)", ev->name, ev->value, ev->unit[0] ? " " : "",
                     ev->unit);
        else if (ev->unit[0])
            snprintf(buf, len, "%s (%s)", ev->name, ev->unit);
        else
            snprintf(buf, len, "%s", ev->name);
        break;
    case GS_EVENT_STOOL:
        snprintf(buf, len, "type %g, %s", ev->value, gs_jcli_bristol_words((int)ev->value));
        break;
    case GS_EVENT_SLEEP:
        snprintf(buf, len, "%g hours", ev->value);
        break;
    case GS_EVENT_STRESS:
        snprintf(buf, len, "%g", ev->value);
        break;
    default:
        snprintf(buf, len, "%s %g", ev->name, ev->value);
    }
}

static void show_text(gs_db *db, const gs_event *evs, size_t n)
{
    int ds = gs_db_day_start(db);
    int64_t shown_day = INT64_MIN;
    for (size_t i = 0; i < n; i++) {
        const gs_event *ev = &evs[i];
        int64_t day = gs_time_day(&ev->at, ds);
        if (day != shown_day) {
            char d[11];
            gs_day_format(day, d);
            printf("%s%s\n", i ? "\n" : "", d);
            shown_day = day;
        }
        /* the calendar date of the clock time (gs_time_day with no shift) */
        int64_t calendar = gs_time_day(&ev->at, 0);
        int64_t secs = ev->at.wall - calendar * 86400;
        char words[GS_EVENT_NAME_MAX + 80];
        entry_words(ev, words, sizeof words);
        printf("  #%-5lld %02d:%02d%s  %-6s  %s%s%s\n", (long long)ev->id, (int)(secs / 3600),
               (int)(secs / 60 % 60), calendar > day ? " +1d" : "    ",
               gs_event_kind_name(ev->kind), words, ev->note[0] ? "  -- " : "", ev->note);
    }
    gs_db_intervention *iv;
    size_t k;
    gs_err err;
    if (gs_db_interventions(db, 1, &iv, &k, &err) == GS_OK) {
        for (size_t i = 0; i < k; i++) {
            char when[GS_TIME_TEXT_MAX];
            gs_time_format(&iv[i].start, when);
            printf("%srunning: %s since %s\n", i ? "" : "\n", iv[i].name, when);
        }
        free(iv);
    }
}

static void show_csv(int ds, const gs_event *evs, size_t n)
{
    puts("id,day,timestamp,kind,name,value,unit,note");
    for (size_t i = 0; i < n; i++) {
        const gs_event *ev = &evs[i];
        char day[11], when[GS_TIME_TEXT_MAX], value[32] = "";
        gs_day_format(gs_time_day(&ev->at, ds), day);
        gs_time_format(&ev->at, when);
        if (!isnan(ev->value)) snprintf(value, sizeof value, "%.15g", ev->value);
        printf("%lld,%s,%s,%s,", (long long)ev->id, day, when, gs_event_kind_name(ev->kind));
        gs_csv_put(stdout, ev->name);
        printf(",%s,", value);
        gs_csv_put(stdout, ev->unit);
        putchar(',');
        gs_csv_put(stdout, ev->note);
        putchar('\n');
    }
}

static void show_json(int ds, const gs_event *evs, size_t n)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        const gs_event *ev = &evs[i];
        char day[11], when[GS_TIME_TEXT_MAX];
        gs_day_format(gs_time_day(&ev->at, ds), day);
        gs_time_format(&ev->at, when);
        json_array_append_new(
            list, json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:s, s:s}", "id", (json_int_t)ev->id,
                            "day", day, "timestamp", when, "kind", gs_event_kind_name(ev->kind),
                            "name", ev->name, "value",
                            isnan(ev->value) ? json_null() : json_real(ev->value), "unit",
                            ev->unit, "note", ev->note));
    }
    json_dumpf(list, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    putchar('\n');
    json_decref(list);
}

int gs_cmd_show(int argc, char **argv)
{
    const char *cmd = "show";
    if (gs_cli_wants_help(argc, argv)) {
        fputs(show_help, stdout);
        return GS_EXIT_OK;
    }
    gs_jcli_opts o;
    int rc = gs_jcli_args(cmd, argc, argv,
                          GS_JBIT(DB) | GS_JBIT(FROM) | GS_JBIT(TO) | GS_JBIT(FORMAT), &o);
    if (rc) return rc;
    if (o.n_words) return gs_cli_error(cmd, GS_EXIT_USAGE, "unexpected '%s'; see --help", o.words[0]);
    gs_format fmt = GS_FMT_TEXT;
    if (o.opt[GS_JOPT_FORMAT] &&
        (rc = gs_cli_parse_format(cmd, o.opt[GS_JOPT_FORMAT], 7u, &fmt)))
        return rc;
    gs_db *db;
    if ((rc = gs_jcli_open(cmd, o.opt[GS_JOPT_DB], &db))) return rc;
    int ds = gs_db_day_start(db);
    int64_t from_day = 0, to_day = 0;
    gs_time from = {0, 0, 0}, to = {0, 0, 0};
    if (o.opt[GS_JOPT_FROM] && (rc = parse_day("--from", o.opt[GS_JOPT_FROM], ds, &from_day)))
        goto done;
    if (o.opt[GS_JOPT_TO] && (rc = parse_day("--to", o.opt[GS_JOPT_TO], ds, &to_day)))
        goto done;
    if (o.opt[GS_JOPT_FROM] && o.opt[GS_JOPT_TO] && to_day < from_day) {
        rc = gs_cli_error(cmd, GS_EXIT_USAGE, "--to %s is before --from %s", o.opt[GS_JOPT_TO],
                          o.opt[GS_JOPT_FROM]);
        goto done;
    }
    from.wall = from_day * 86400 + ds * 60;
    to.wall = (to_day + 1) * 86400 + ds * 60 - 1;
    gs_event *evs;
    size_t n;
    gs_err err;
    if (gs_db_events(db, o.opt[GS_JOPT_FROM] ? &from : NULL, o.opt[GS_JOPT_TO] ? &to : NULL, &evs,
                     &n, &err) != GS_OK) {
        rc = gs_cli_fail(cmd, &err);
        goto done;
    }
    if (fmt == GS_FMT_CSV)
        show_csv(ds, evs, n);
    else if (fmt == GS_FMT_JSON)
        show_json(ds, evs, n);
    else if (n == 0)
        fprintf(stderr, "gutskin show: no entries%s; add some with `gutskin log`\n",
                o.opt[GS_JOPT_FROM] || o.opt[GS_JOPT_TO] ? " in those days" : " yet");
    else
        show_text(db, evs, n);
    free(evs);
done:
    gs_db_close(db);
    return rc;
}
