/*
 * import.c - the interchange CSV into the journal, all or nothing.
 *
 * Every row is checked and written inside one transaction; a refused row
 * is reported (FILE:LINE: field: what is wrong) and the import goes on
 * checking the rest, so one run names every bad row; at the end, any
 * refused row rolls the whole transaction back.  SQLite's transaction is
 * what makes a killed import harmless: nothing is visible to anyone until
 * COMMIT, and a WAL journal left by a dead process is discarded on the
 * next open.  See include/gutskin/journal.h.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "journal/csv.h"
#include "journal/db_internal.h"

enum { COL_TIME, COL_KIND, COL_NAME, COL_VALUE, COL_UNIT, COL_NOTE, COL_COUNT };
static const char *const header[COL_COUNT] = {"timestamp", "kind", "name",
                                              "value",     "unit", "note"};

typedef struct import_ctx {
    gs_db *db;
    const char *path;
    gs_db_problem_fn problem;
    void *problem_ctx;
    size_t max_problems;
    gs_db_import_result *res;
    gs_err fatal;              /* why the journal itself failed, if it did */
} import_ctx;

/* Report one refused row; always returns GS_ERR_INPUT. */
static gs_status refuse(import_ctx *c, long line, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static gs_status refuse(import_ctx *c, long line, const char *field, const char *fmt, ...)
{
    c->res->bad_rows++;
    if (!c->problem || c->res->bad_rows > c->max_problems) return GS_ERR_INPUT;
    char what[GS_ERR_MSG_MAX], msg[GS_ERR_MSG_MAX + 600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(msg, sizeof msg, "%s:%ld: %s%s%s", c->path, line, field ? field : "",
             field ? ": " : "", what);
    c->problem(c->problem_ctx, msg);
    return GS_ERR_INPUT;
}

/* A number field: empty is NAN; anything but a whole number text fails. */
static int parse_value(const char *text, double *v)
{
    if (!text[0]) {
        *v = NAN;
        return 1;
    }
    char *end;
    errno = 0;
    *v = strtod(text, &end);
    return *end == '\0' && errno == 0 && isfinite(*v);
}

static gs_status import_setting(import_ctx *c, long line, char **f)
{
    if (strcmp(f[COL_NAME], "day_start") != 0)
        return refuse(c, line, "name", "setting '%s' is not one of day_start", f[COL_NAME]);
    double v;
    if (!parse_value(f[COL_VALUE], &v) || isnan(v) || v != floor(v) || v < 0 || v > 1439)
        return refuse(c, line, "value",
                      "day_start '%s' must be whole minutes after midnight from 0 to 1439",
                      f[COL_VALUE]);
    gs_err err;
    if (gs_db_set_day_start(c->db, (int)v, &err))
        return refuse(c, line, "value", "%s", err.msg);
    c->res->settings++;
    return GS_OK;
}

static gs_status import_tag(import_ctx *c, long line, char **f)
{
    gs_err err;
    if (gs_db_tag_add(c->db, f[COL_NAME], f[COL_NOTE], &err))
        return refuse(c, line, strstr(err.msg, "tag '") == err.msg ? "note" : "name", "%s",
                      err.msg);
    c->res->tags++;
    return GS_OK;
}

static gs_status import_response(import_ctx *c, long line, char **f, const gs_time *at)
{
    json_error_t jerr;
    json_t *doc = json_loads(f[COL_NOTE], JSON_REJECT_DUPLICATES, &jerr);
    json_t *answers = doc ? json_object_get(doc, "answers") : NULL;
    json_t *report = doc ? json_object_get(doc, "report") : NULL;
    if (!answers || !report) {
        json_decref(doc);
        return refuse(c, line, "note",
                      "a response row's note must be a JSON object with \"answers\" and "
                      "\"report\"%s%s",
                      doc ? "" : ": ", doc ? "" : jerr.text);
    }
    size_t flags = JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY;
    char *a = json_dumps(answers, flags), *r = json_dumps(report, flags);
    json_decref(doc);
    gs_err err;
    gs_status st = a && r ? gs_db_response_add(c->db, at, f[COL_NAME], a, r, NULL, &err)
                          : gs_fail(&err, GS_ERR_NOMEM, "out of memory");
    free(a);
    free(r);
    if (st == GS_ERR_INPUT) return refuse(c, line, "name", "%s", err.msg);
    if (st) {
        c->fatal = err;
        return st;
    }
    c->res->responses++;
    return GS_OK;
}

/* One entry row: each field checked in turn so the message names it. */
static gs_status import_entry(import_ctx *c, long line, char **f, gs_event_kind kind,
                              const gs_time *at)
{
    gs_event ev;
    gs_event_init(&ev, kind);
    ev.at = *at;
    const char *word = gs_event_kind_name(kind);
    size_t len = strlen(f[COL_NAME]);
    if (len < 1 || len > GS_EVENT_NAME_MAX)
        return refuse(c, line, "name", "%s name must be 1 to %d characters", word,
                      GS_EVENT_NAME_MAX);
    memcpy(ev.name, f[COL_NAME], len + 1);
    double lo, hi;
    int whole, required;
    gs_err err;
    if (gs_event_value_range(kind, ev.name, &lo, &hi, &whole, &required, &err))
        return refuse(c, line, "name", "%s", err.msg);
    if (!parse_value(f[COL_VALUE], &ev.value))
        return refuse(c, line, "value", "'%s' is not a number (%s %s takes %g to %g)",
                      f[COL_VALUE], word, ev.name, lo, hi);
    if (strlen(f[COL_UNIT]) > GS_EVENT_UNIT_MAX)
        return refuse(c, line, "unit", "unit must be at most %d characters", GS_EVENT_UNIT_MAX);
    if (strlen(f[COL_NOTE]) > GS_EVENT_NOTE_MAX)
        return refuse(c, line, "note", "note must be at most %d characters", GS_EVENT_NOTE_MAX);
    snprintf(ev.unit, sizeof ev.unit, "%s", f[COL_UNIT]);
    snprintf(ev.note, sizeof ev.note, "%s", f[COL_NOTE]);
    if (gs_event_check(&ev, &err)) return refuse(c, line, "value", "%s", err.msg);
    gs_status st = gs_db_add(c->db, &ev, &err);
    if (st == GS_ERR_INPUT) return refuse(c, line, "name", "%s", err.msg);
    if (st) { /* the journal itself failed: stop */
        c->fatal = err;
        return st;
    }
    c->res->entries++;
    return GS_OK;
}

static gs_status import_row(import_ctx *c, long line, char **f)
{
    const char *k = f[COL_KIND];
    if (strcmp(k, "setting") == 0) return import_setting(c, line, f);
    if (strcmp(k, "tag") == 0) return import_tag(c, line, f);
    gs_event_kind kind = GS_EVENT_FOOD;
    gs_err err;
    int is_response = strcmp(k, "response") == 0;
    if (!is_response && gs_event_kind_parse(k, &kind, &err))
        return refuse(c, line, "kind", "%s (or setting, tag, response)", err.msg);
    gs_time at;
    if (gs_time_parse(f[COL_TIME], &at, &err)) return refuse(c, line, "timestamp", "%s", err.msg);
    return is_response ? import_response(c, line, f, &at) : import_entry(c, line, f, kind, &at);
}

/* The test hook of the crash-safety test: pause inside the transaction. */
static void maybe_pause(size_t rows_done)
{
    const char *after = getenv("GS_TEST_IMPORT_PAUSE_AFTER");
    if (!after || (size_t)atol(after) != rows_done) return;
    fprintf(stderr, "gutskin import: paused after %zu rows (GS_TEST_IMPORT_PAUSE_AFTER)\n",
            rows_done);
    fflush(stderr);
    for (;;) pause();
}

/* Import the records of csv (named path in messages) and free it: the
 * body of gs_db_import_csv and gs_db_import_csv_text. */
static gs_status import_all(gs_db *db, gs_csv csv, const char *path, gs_db_problem_fn problem,
                            void *ctx, size_t max_problems, gs_db_import_result *res,
                            gs_err *err)
{
    gs_status st;
    char *f[COL_COUNT];
    size_t n;
    long line;
    int rc = gs_csv_next(&csv, f, COL_COUNT, &n, &line, err);
    int header_ok = rc == 1 && n == COL_COUNT;
    for (size_t i = 0; header_ok && i < COL_COUNT; i++) header_ok = strcmp(f[i], header[i]) == 0;
    if (!header_ok) {
        gs_csv_free(&csv);
        return gs_fail(err, GS_ERR_INPUT,
                       "%s:1: the first line must be the header "
                       "timestamp,kind,name,value,unit,note",
                       path);
    }
    if ((st = gs_db_begin(db, err))) {
        gs_csv_free(&csv);
        return st;
    }
    import_ctx c = {db, path, problem, ctx, max_problems, res, {GS_OK, ""}};
    size_t rows = 0;
    gs_err rowerr;
    while ((rc = gs_csv_next(&csv, f, COL_COUNT, &n, &line, &rowerr)) != 0) {
        if (rc < 0) {
            refuse(&c, line, NULL, "%s", strchr(rowerr.msg, ':') + 2);
            continue;
        }
        if (n == 1 && f[0][0] == '\0') continue; /* a blank line */
        if (n != COL_COUNT) {
            refuse(&c, line, NULL, "expected %d fields (timestamp,kind,name,value,unit,note), "
                   "found %zu", COL_COUNT, n);
            continue;
        }
        st = import_row(&c, line, f);
        if (st != GS_OK && st != GS_ERR_INPUT) break;
        maybe_pause(++rows);
        st = GS_OK;
    }
    gs_csv_free(&csv);
    if (st) {
        gs_db_rollback(db);
        memset(res, 0, sizeof *res);
        return gs_fail(err, st, "%s: the journal failed at line %ld, nothing was imported: %s",
                       path, line, c.fatal.msg);
    }
    if (res->bad_rows) {
        gs_db_rollback(db);
        size_t bad = res->bad_rows;
        memset(res, 0, sizeof *res);
        res->bad_rows = bad;
        return gs_fail(err, GS_ERR_INPUT, "%s: %zu bad row%s%s; nothing was imported", path, bad,
                       bad == 1 ? "" : "s",
                       problem && bad > max_problems ? " (the first ones are listed)" : "");
    }
    return gs_db_commit(db, err);
}

gs_status gs_db_import_csv(gs_db *db, const char *path, gs_db_problem_fn problem, void *ctx,
                           size_t max_problems, gs_db_import_result *res, gs_err *err)
{
    memset(res, 0, sizeof *res);
    gs_csv csv;
    gs_status st = gs_csv_open(&csv, path, err);
    if (st) return st;
    return import_all(db, csv, path, problem, ctx, max_problems, res, err);
}

gs_status gs_db_import_csv_text(gs_db *db, const char *text, size_t len, const char *name,
                                gs_db_problem_fn problem, void *ctx, size_t max_problems,
                                gs_db_import_result *res, gs_err *err)
{
    memset(res, 0, sizeof *res);
    gs_csv csv;
    gs_status st = gs_csv_from_text(&csv, text, len, name, err);
    if (st) return st;
    return import_all(db, csv, name, problem, ctx, max_problems, res, err);
}
