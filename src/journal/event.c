/*
 * event.c - the table of what a journal entry may say, and wall-clock
 * times as people write them.  See include/gutskin/event.h.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "gutskin/event.h"

static const char *const gut_names[] = {"bloating", "pain", "gas", "urgency", "nausea", NULL};
static const char *const stool_names[] = {"bristol", NULL};
static const char *const skin_names[] = {"itch",  "redness", "lesions", "flushing",
                                         "dryness", "pain",  "overall", NULL};
static const char *const body_names[] = {"fatigue", "brain_fog", "joint_pain", "headache",
                                         "mood", NULL};
static const char *const sleep_names[] = {"hours", NULL};
static const char *const stress_names[] = {"level", NULL};

/* One row per kind: its CSV word, allowed names (NULL: free text), and
 * the value range that holds for every name of the kind.  Exceptions by
 * name (skin lesions are a count) are in gs_event_value_range. */
static const struct {
    const char *word;
    const char *const *names;
    double lo, hi;
    int whole, required;
} kinds[GS_EVENT_KIND_COUNT] = {
    [GS_EVENT_FOOD] = {"food", NULL, 0, 1e6, 0, 0},
    [GS_EVENT_GUT] = {"gut", gut_names, 0, 10, 0, 1},
    [GS_EVENT_STOOL] = {"stool", stool_names, 1, 7, 1, 1},
    [GS_EVENT_SKIN] = {"skin", skin_names, 0, 10, 0, 1},
    [GS_EVENT_BODY] = {"body", body_names, 0, 10, 0, 1},
    [GS_EVENT_SLEEP] = {"sleep", sleep_names, 0, 24, 0, 1},
    [GS_EVENT_STRESS] = {"stress", stress_names, 0, 10, 0, 1},
    /* doses reach 1e12 CFU for probiotics (written as plain numbers) */
    [GS_EVENT_START] = {"start", NULL, 0, 1e13, 0, 0},
    [GS_EVENT_STOP] = {"stop", NULL, 0, 1e13, 0, 0},
};

const char *gs_event_kind_name(gs_event_kind kind)
{
    return (unsigned)kind < GS_EVENT_KIND_COUNT ? kinds[kind].word : NULL;
}

gs_status gs_event_kind_parse(const char *word, gs_event_kind *kind, gs_err *err)
{
    const char *words[GS_EVENT_KIND_COUNT];
    for (int k = 0; k < GS_EVENT_KIND_COUNT; k++) {
        words[k] = kinds[k].word;
        if (strcmp(word, kinds[k].word) == 0) {
            *kind = (gs_event_kind)k;
            return GS_OK;
        }
    }
    const char *near = gs_nearest_name(word, words, GS_EVENT_KIND_COUNT);
    return gs_fail(err, GS_ERR_INPUT,
                   "kind '%s' is not one of food, gut, stool, skin, body, sleep, stress, "
                   "start, stop%s%s%s",
                   word, near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
}

const char *const *gs_event_kind_names(gs_event_kind kind)
{
    return (unsigned)kind < GS_EVENT_KIND_COUNT ? kinds[kind].names : NULL;
}

/* "a, b or c" of a NULL-terminated list, into buf. */
static void join_names(const char *const *names, char *buf, size_t len)
{
    buf[0] = '\0';
    for (size_t i = 0; names[i]; i++) {
        const char *sep = i == 0 ? "" : names[i + 1] ? ", " : " or ";
        size_t used = strlen(buf);
        snprintf(buf + used, len - used, "%s%s", sep, names[i]);
    }
}

gs_status gs_event_value_range(gs_event_kind kind, const char *name, double *lo,
                               double *hi, int *whole, int *required, gs_err *err)
{
    if ((unsigned)kind >= GS_EVENT_KIND_COUNT)
        return gs_fail(err, GS_ERR_INTERNAL, "event kind %d out of range", (int)kind);
    const char *const *names = kinds[kind].names;
    if (names) {
        size_t n = 0;
        while (names[n] && strcmp(names[n], name) != 0) n++;
        if (!names[n]) {
            char list[256];
            join_names(names, list, sizeof list);
            const char *near = gs_nearest_name(name, (const char *const *)names, n);
            return gs_fail(err, GS_ERR_INPUT, "%s name '%s' is not one of %s%s%s%s",
                           kinds[kind].word, name, list, near ? " (did you mean '" : "",
                           near ? near : "", near ? "'?)" : "");
        }
    }
    *lo = kinds[kind].lo;
    *hi = kinds[kind].hi;
    *whole = kinds[kind].whole;
    *required = kinds[kind].required;
    if (kind == GS_EVENT_SKIN && strcmp(name, "lesions") == 0) {
        *hi = 1000;
        *whole = 1;
    }
    return GS_OK;
}

gs_status gs_event_check(const gs_event *ev, gs_err *err)
{
    const char *word = gs_event_kind_name(ev->kind);
    if (!word) return gs_fail(err, GS_ERR_INPUT, "event kind %d out of range", (int)ev->kind);
    if (ev->name[0] == '\0' || memchr(ev->name, '\0', sizeof ev->name) == NULL)
        return gs_fail(err, GS_ERR_INPUT, "%s name must be 1 to %d characters", word,
                       GS_EVENT_NAME_MAX);
    if (!memchr(ev->unit, '\0', sizeof ev->unit) || !memchr(ev->note, '\0', sizeof ev->note))
        return gs_fail(err, GS_ERR_INPUT, "%s unit or note too long", word);
    for (const char *p = ev->name; *p; p++)
        if ((unsigned char)*p < 0x20)
            return gs_fail(err, GS_ERR_INPUT, "%s name contains a control character", word);
    double lo, hi;
    int whole, required;
    gs_status st = gs_event_value_range(ev->kind, ev->name, &lo, &hi, &whole, &required, err);
    if (st) return st;
    if (isnan(ev->value)) {
        if (required)
            return gs_fail(err, GS_ERR_INPUT, "%s %s needs a value from %g to %g", word,
                           ev->name, lo, hi);
        return GS_OK;
    }
    if (!isfinite(ev->value) || ev->value < lo || ev->value > hi)
        return gs_fail(err, GS_ERR_INPUT, "%s %s value %g is outside %g-%g", word, ev->name,
                       ev->value, lo, hi);
    if (whole && ev->value != floor(ev->value))
        return gs_fail(err, GS_ERR_INPUT, "%s %s value %g must be a whole number from %g to %g",
                       word, ev->name, ev->value, lo, hi);
    if (ev->kind == GS_EVENT_FOOD && ev->value <= 0)
        return gs_fail(err, GS_ERR_INPUT, "food portion %g must be above 0", ev->value);
    return GS_OK;
}

void gs_event_init(gs_event *ev, gs_event_kind kind)
{
    memset(ev, 0, sizeof *ev);
    ev->kind = kind;
    ev->value = NAN;
}

/* ---- time ---------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil algorithm, public domain). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* Read exactly n digits at *p into *out; advances *p. */
static int digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i])) return 0;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return 1;
}

gs_status gs_time_parse(const char *text, gs_time *t, gs_err *err)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const char *p = text;
    int y, mo, d, h = 12, mi = 0, s = 0;
    if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
        !digits(&p, 2, &d))
        return gs_fail(err, GS_ERR_INPUT,
                       "time '%s' is not an ISO 8601 date or date-time "
                       "(YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][+HH:MM])",
                       text);
    if (y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1 ||
        d > mdays[mo - 1] + (mo == 2 && is_leap(y)))
        return gs_fail(err, GS_ERR_INPUT, "time '%s' has no such date (years 1900-2200)", text);
    t->has_offset = 0;
    t->offset_min = 0;
    if (*p == 'T' || *p == ' ') {
        p++;
        if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
            return gs_fail(err, GS_ERR_INPUT, "time '%s': expected HH:MM after the date", text);
        if (*p == ':' && (p++, !digits(&p, 2, &s)))
            return gs_fail(err, GS_ERR_INPUT, "time '%s': expected two digits of seconds",
                           text);
        if (*p == '.') /* fractions of a second are dropped */
            for (p++; isdigit((unsigned char)*p); p++) {}
        if (h > 23 || mi > 59 || s > 59)
            return gs_fail(err, GS_ERR_INPUT, "time '%s': hour 0-23, minute and second 0-59",
                           text);
        if (*p == 'Z') {
            p++;
            t->has_offset = 1;
        } else if (*p == '+' || *p == '-') {
            int sign = *p++ == '-' ? -1 : 1, oh = 99, om = 99;
            if (digits(&p, 2, &oh) && *p == ':') p++;
            if (oh > 14 || !digits(&p, 2, &om) || om > 59)
                return gs_fail(err, GS_ERR_INPUT,
                               "time '%s': the UTC offset must be +HH:MM or -HH:MM within "
                               "14 hours",
                               text);
            t->has_offset = 1;
            t->offset_min = sign * (oh * 60 + om);
        }
    }
    if (*p)
        return gs_fail(err, GS_ERR_INPUT, "time '%s': unexpected '%s' at the end", text, p);
    t->wall = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
    return GS_OK;
}

void gs_time_format(const gs_time *t, char *buf)
{
    int64_t day = t->wall >= 0 ? t->wall / 86400 : -((-t->wall + 86399) / 86400);
    int64_t sec = t->wall - day * 86400;
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    int n = snprintf(buf, GS_TIME_TEXT_MAX, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d,
                     (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60));
    if (!t->has_offset) return;
    if (t->offset_min == 0) {
        snprintf(buf + n, GS_TIME_TEXT_MAX - n, "Z");
        return;
    }
    int off = t->offset_min < 0 ? -t->offset_min : t->offset_min;
    snprintf(buf + n, GS_TIME_TEXT_MAX - n, "%c%02d:%02d", t->offset_min < 0 ? '-' : '+',
             off / 60, off % 60);
}

int64_t gs_time_day(const gs_time *t, int day_start_min)
{
    int64_t shifted = t->wall - (int64_t)day_start_min * 60;
    return shifted >= 0 ? shifted / 86400 : -((-shifted + 86399) / 86400);
}

void gs_day_format(int64_t day, char *buf)
{
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    snprintf(buf, 11, "%04d-%02d-%02d", y, m, d);
}

gs_time gs_time_now(void)
{
    time_t now = time(NULL);
    struct tm local;
    localtime_r(&now, &local);
    gs_time t;
    t.wall = days_from_civil(local.tm_year + 1900, local.tm_mon + 1, local.tm_mday) * 86400 +
             local.tm_hour * 3600 + local.tm_min * 60 + local.tm_sec;
    t.offset_min = (int)((t.wall - (int64_t)now) / 60);
    t.has_offset = 1;
    return t;
}
