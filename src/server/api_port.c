/*
 * api_port.c - the journal out and in over HTTP: GET /export in the
 * interchange CSV, JSON or FHIR (the bytes of `gutskin export`), and POST
 * /import of a CSV body, all or nothing (gs_db_import_csv: one
 * transaction; every refused row named by line and field).
 *
 * The importer reads a file, so the body goes to a private temporary file
 * (mode 0600, removed at once after); its name never reaches the reply:
 * the problems say "line N" instead.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/api_journal.h"

#define PROBLEMS_MAX 50

void gs_api_export(gs_request *rq, gs_reply *rp)
{
    const char *f = gs_request_query(rq, "format");
    gs_db_export_format fmt;
    const char *type;
    if (!f || strcmp(f, "csv") == 0) fmt = GS_DB_EXPORT_CSV, type = "text/csv; charset=utf-8";
    else if (strcmp(f, "json") == 0) fmt = GS_DB_EXPORT_JSON, type = "application/json";
    else if (strcmp(f, "fhir") == 0) fmt = GS_DB_EXPORT_FHIR, type = "application/fhir+json";
    else {
        gs_reply_error(rp, 400, "format", "format '%s' is not one of csv, json or fhir", f);
        return;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (!out) {
        gs_reply_error(rp, 500, NULL, "out of memory for the export");
        return;
    }
    gs_server_journal *j = rq->ctx->journal;
    size_t slot;
    gs_db *db = gs_sjournal_acquire(j, &slot);
    gs_err err;
    gs_status st = gs_db_export(db, fmt, out, &err);
    gs_sjournal_release(j, slot);
    if (fclose(out) != 0 && st == GS_OK)
        st = gs_fail(&err, GS_ERR_NOMEM, "out of memory writing the export");
    if (st != GS_OK) {
        free(buf);
        gs_reply_error(rp, 500, NULL, "the export failed: %s", err.msg);
        return;
    }
    rp->status = 200;
    rp->raw_owned = buf;
    rp->raw_len = len;
    rp->type = type;
}

typedef struct problems {
    json_t *list;
    const char *path;  /* the body's name in messages, replaced by "line" */
} problems;

/* "PATH:LINE: field: what" -> {"line": LINE, "field": "field", "error": "line LINE: field: what"} */
static void on_problem(void *ctx, const char *message)
{
    problems *p = ctx;
    size_t plen = strlen(p->path);
    const char *rest = strncmp(message, p->path, plen) == 0 && message[plen] == ':'
                           ? message + plen + 1 : message;
    char *end;
    long line = strtol(rest, &end, 10);
    if (end == rest || *end != ':') {
        json_array_append_new(p->list, json_pack("{s:s}", "error", rest));
        return;
    }
    const char *what = end + 1;
    while (*what == ' ') what++;
    char field[32] = "";
    const char *colon = strchr(what, ':');
    if (colon && (size_t)(colon - what) < sizeof field && !memchr(what, ' ', (size_t)(colon - what)))
        snprintf(field, sizeof field, "%.*s", (int)(colon - what), what);
    char text[1200];
    snprintf(text, sizeof text, "line %ld: %s", line, what);
    json_t *o = json_pack("{s:i, s:s}", "line", (int)line, "error", text);
    if (field[0]) json_object_set_new(o, "field", json_string(field));
    json_array_append_new(p->list, o);
}

/* POST /import with the CSV as the body: 200 with what was written, or
 * 400 with {"error", "field": "line N: field", "problems": [...]} and
 * nothing written. */
void gs_api_import(gs_request *rq, gs_reply *rp)
{
    if (rq->body_len == 0) {
        gs_reply_error(rp, 400, NULL, "the request has no body; send the CSV "
                       "(timestamp,kind,name,value,unit,note) as the body");
        return;
    }
    /* messages name the body "request", replaced by "line" below */
    const char path[] = "request";
    problems p = {json_array(), path};
    gs_db_import_result res = {0};
    gs_server_journal *j = rq->ctx->journal;
    size_t slot;
    gs_db *db = gs_sjournal_acquire_writer(j, &slot);
    gs_err err;
    gs_status st = gs_db_import_csv_text(db, rq->body, rq->body_len, path, on_problem, &p,
                                         PROBLEMS_MAX, &res, &err);
    int day_start = gs_db_day_start(db);
    gs_sjournal_release_writer(j, slot);
    if (st == GS_OK && (res.tags || res.settings))
        st = gs_sjournal_refresh(j, day_start, &err);
    if (st != GS_OK) {
        char msg[GS_ERR_MSG_MAX + 16];
        size_t plen = strlen(path);
        const char *rest = err.msg;
        if (strncmp(rest, path, plen) == 0 && rest[plen] == ':') rest += plen + 1;
        char *end;
        long line = strtol(rest, &end, 10);
        if (end != rest && *end == ':') snprintf(msg, sizeof msg, "line %ld:%s", line, end + 1);
        else snprintf(msg, sizeof msg, "%s", rest + (*rest == ' '));
        json_t *first = json_array_get(p.list, 0);
        char field[64] = "";
        if (first && json_object_get(first, "field"))
            snprintf(field, sizeof field, "line %d: %s",
                     (int)json_integer_value(json_object_get(first, "line")),
                     json_string_value(json_object_get(first, "field")));
        else if (first && json_object_get(first, "line"))
            snprintf(field, sizeof field, "line %d",
                     (int)json_integer_value(json_object_get(first, "line")));
        else if (end != rest && *end == ':')
            snprintf(field, sizeof field, "line %ld", line);
        gs_reply_error(rp, err.status == GS_ERR_INPUT ? 400 : 500, field[0] ? field : NULL, "%s",
                       msg);
        if (rp->json) json_object_set_new(rp->json, "problems", p.list);
        else json_decref(p.list);
        return;
    }
    json_decref(p.list);
    gs_reply_json(rp, 200, json_pack("{s:I, s:I, s:I, s:I}", "entries", (json_int_t)res.entries,
                                     "responses", (json_int_t)res.responses, "tags",
                                     (json_int_t)res.tags, "settings",
                                     (json_int_t)res.settings));
}
