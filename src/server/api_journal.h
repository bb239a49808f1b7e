/*
 * api_journal.h - what the journal's endpoint files (api_entries.c,
 * api_foods.c, api_check.c, api_port.c) share: borrowing a connection,
 * an entry as JSON, and a day or time from a query parameter.
 */
#ifndef GS_SERVER_API_JOURNAL_H
#define GS_SERVER_API_JOURNAL_H

#include <jansson.h>

#include "gutskin/event.h"
#include "gutskin/journal.h"
#include "server/http.h"
#include "server/journal_pool.h"

#define GS_JOURNAL_DISCLAIMER "A record for you: not a diagnosis and not treatment advice."

/* An entry as the API shows it: id, timestamp, day (the journal day at
 * day_start), kind, name, value (null when none), unit, note. */
json_t *gs_api_entry_json(const gs_event *ev, int day_start);

/* A JSON string of s; bytes that are not UTF-8 become U+FFFD (a journal
 * imported from an old Latin-1 file may hold them). */
json_t *gs_api_text(const char *s);

/* A failed journal call as a reply: GS_ERR_INPUT is 400 (with field, may
 * be NULL), anything else 500. */
void gs_api_journal_fail(gs_reply *rp, const gs_err *err, const char *field);

/* "HH:MM" of a day start in minutes; buf holds 6 bytes. */
void gs_api_day_start_text(int minutes, char *buf);

#endif
