/*
 * event.h - one journal entry as it travels between layers: a row of the
 * interchange CSV (timestamp,kind,name,value,unit,note), a row the journal
 * stores, a row the synthetic-journal generator writes, and what the
 * statistics aggregate into days.
 *
 * One table (src/journal/event.c) says, per kind, which names are allowed
 * and what range a value must lie in; every door into the journal (the
 * `log` commands, `import`, the HTTP API) checks an event with
 * gs_event_check, so the rules live in one place.
 *
 * Time is kept as written: the wall-clock time the person saw, plus the
 * UTC offset when one was given.  Days are cut on wall-clock time at the
 * configured day start (default 04:00), so a midnight snack counts to the
 * evening before wherever the person was.
 */
#ifndef GUTSKIN_EVENT_H
#define GUTSKIN_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "gutskin/status.h"

typedef enum gs_event_kind {
    GS_EVENT_FOOD,    /* name: what was eaten (free text); value/unit: portion */
    GS_EVENT_GUT,     /* bloating, pain, gas, urgency, nausea: 0-10 */
    GS_EVENT_STOOL,   /* name "bristol": Bristol stool form type 1-7 */
    GS_EVENT_SKIN,    /* itch, redness, flushing, dryness, pain, overall: 0-10;
                         lesions: a count 0-1000 */
    GS_EVENT_BODY,    /* fatigue, brain_fog, joint_pain, headache, mood: 0-10 */
    GS_EVENT_SLEEP,   /* name "hours": 0-24 */
    GS_EVENT_STRESS,  /* name "level": 0-10 */
    GS_EVENT_START,   /* name: an intervention; value/unit: dose (optional) */
    GS_EVENT_STOP,    /* name: an intervention started before */
    GS_EVENT_KIND_COUNT
} gs_event_kind;

#define GS_EVENT_NAME_MAX 200  /* bytes of name, food text included */
#define GS_EVENT_UNIT_MAX 24
#define GS_EVENT_NOTE_MAX 500
#define GS_TIME_TEXT_MAX 32

/* A wall-clock time as written, e.g. "2026-03-01T21:30:00+01:00". */
typedef struct gs_time {
    int64_t wall;      /* seconds since 1970-01-01T00:00 of the wall clock
                          (the time read as if it were UTC) */
    int has_offset;    /* 1 when the text carried Z or +hh:mm */
    int offset_min;    /* the offset in minutes east of UTC (0 without) */
} gs_time;

typedef struct gs_event {
    int64_t id;                 /* journal row id; 0 when not stored */
    gs_time at;
    gs_event_kind kind;
    char name[GS_EVENT_NAME_MAX + 1];
    double value;               /* NAN when the row has none */
    char unit[GS_EVENT_UNIT_MAX + 1];
    char note[GS_EVENT_NOTE_MAX + 1];
} gs_event;

/* The CSV word for a kind ("food", "gut", ...), or NULL if out of range. */
const char *gs_event_kind_name(gs_event_kind kind);

/* The kind called word; fails with GS_ERR_INPUT naming the allowed set. */
gs_status gs_event_kind_parse(const char *word, gs_event_kind *kind, gs_err *err);

/* The names a kind allows, NULL-terminated; NULL when any name is allowed
 * (food, start, stop). */
const char *const *gs_event_kind_names(gs_event_kind kind);

/* The value range of a kind and name: *lo..*hi, *whole when only whole
 * numbers are allowed, *required when a value must be given.  Fails with
 * GS_ERR_INPUT when name is not one the kind allows. */
gs_status gs_event_value_range(gs_event_kind kind, const char *name, double *lo,
                               double *hi, int *whole, int *required, gs_err *err);

/* Check an event against the table: a name the kind allows (suggesting the
 * nearest on a typo), a value within its range, lengths within the
 * limits above.  The message names the field and the allowed range or set,
 * e.g. "gut pain value 12 is outside 0-10".  Does not check time. */
gs_status gs_event_check(const gs_event *ev, gs_err *err);

/* Set *ev to an empty event of kind (value NAN, strings empty, id 0). */
void gs_event_init(gs_event *ev, gs_event_kind kind);

/* Parse an ISO 8601 time: "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]" (a space
 * instead of T is accepted), optionally followed by "Z" or "+HH:MM" /
 * "-HH:MM" / "+HHMM".  A date alone means 12:00 of that day (midday, so
 * it lands in that journal day whatever the day start).  Fails with
 * GS_ERR_INPUT saying what was expected and where in the text. */
gs_status gs_time_parse(const char *text, gs_time *t, gs_err *err);

/* Format t as "YYYY-MM-DDTHH:MM:SS" plus "+HH:MM"/"Z" when it has an
 * offset; buf must hold GS_TIME_TEXT_MAX bytes.  gs_time_parse of the
 * result gives t back exactly. */
void gs_time_format(const gs_time *t, char *buf);

/* The journal day a time belongs to: whole days since 1970-01-01 of the
 * wall clock shifted back by day_start_min minutes (0-1439), so with the
 * default 240 (04:00) a time of 01:30 counts to the day before. */
int64_t gs_time_day(const gs_time *t, int day_start_min);

/* "YYYY-MM-DD" of a day number from gs_time_day; buf holds 11 bytes. */
void gs_day_format(int64_t day, char *buf);

/* The current wall-clock time with the local UTC offset. */
gs_time gs_time_now(void);

#endif
