/*
 * export.c - the whole journal as the interchange CSV (lossless), as one
 * JSON document, or as a FHIR R4 Bundle.  See include/gutskin/journal.h
 * and docs/journal.md for the shapes.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "journal/csv.h"
#include "journal/db_internal.h"

#define GS_FHIR_SYSTEM "urn:gutskin:journal"
#define GS_DISCLAIMER "gutskin journal export: not a diagnosis and not treatment advice."

/* Everything an export needs, read once. */
typedef struct journal_dump {
    gs_event *ev;
    size_t n_ev;
    gs_db_response *resp;
    size_t n_resp;
    gs_db_tag *tags;
    size_t n_tags;
    gs_db_intervention *iv;
    size_t n_iv;
    int day_start;
} journal_dump;

static void dump_free(journal_dump *d)
{
    free(d->ev);
    gs_db_responses_free(d->resp, d->n_resp);
    free(d->tags);
    free(d->iv);
}

static gs_status dump_read(gs_db *db, journal_dump *d, gs_err *err)
{
    memset(d, 0, sizeof *d);
    d->day_start = gs_db_day_start(db);
    gs_status st;
    if ((st = gs_db_events(db, NULL, NULL, &d->ev, &d->n_ev, err)) ||
        (st = gs_db_responses(db, &d->resp, &d->n_resp, err)) ||
        (st = gs_db_tags(db, &d->tags, &d->n_tags, err)) ||
        (st = gs_db_interventions(db, 0, &d->iv, &d->n_iv, err)))
        dump_free(d);
    return st;
}

/* The shortest text of v that reads back as v ("" for NAN). */
static void format_value(double v, char buf[32])
{
    if (isnan(v)) {
        buf[0] = '\0';
        return;
    }
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(buf, 32, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) return;
    }
}

/* A response's answers and report as one compact JSON object text, the
 * same bytes whichever way the texts were spaced when stored. */
static char *response_note(const gs_db_response *r)
{
    json_t *a = json_loads(r->answers, JSON_DECODE_ANY, NULL);
    json_t *p = json_loads(r->report, JSON_DECODE_ANY, NULL);
    json_t *o = json_object();
    json_object_set_new(o, "answers", a ? a : json_null());
    json_object_set_new(o, "report", p ? p : json_null());
    char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return text;
}

/* ---- CSV -------------------------------------------------------------- */

static void csv_row(FILE *f, const char *time, const char *kind, const char *name,
                    const char *value, const char *unit, const char *note)
{
    gs_csv_put(f, time);
    fputc(',', f);
    fputs(kind, f);
    fputc(',', f);
    gs_csv_put(f, name);
    fputc(',', f);
    gs_csv_put(f, value);
    fputc(',', f);
    gs_csv_put(f, unit);
    fputc(',', f);
    gs_csv_put(f, note);
    fputc('\n', f);
}

static int by_id(const void *a, const void *b)
{
    int64_t x = ((const gs_event *)a)->id, y = ((const gs_event *)b)->id;
    return (x > y) - (x < y);
}

/* The setting, the tags, the entries in the order they were written, then
 * the self-checks in time order.  Written order, not time order: importing
 * the file replays the very sequence of writes that built the journal, so
 * every start and stop meets the same running interventions it met then
 * (a course logged late, inside an earlier one's dates, included), and
 * `undo` after a round trip removes the same entry. */
static gs_status export_csv(const journal_dump *d, FILE *f, gs_err *err)
{
    gs_event *ev = malloc((d->n_ev ? d->n_ev : 1) * sizeof *ev);
    if (!ev) return gs_fail(err, GS_ERR_NOMEM, "out of memory exporting");
    if (d->n_ev) memcpy(ev, d->ev, d->n_ev * sizeof *ev);
    qsort(ev, d->n_ev, sizeof *ev, by_id);
    fputs("timestamp,kind,name,value,unit,note\n", f);
    char value[32], when[GS_TIME_TEXT_MAX];
    snprintf(value, sizeof value, "%d", d->day_start);
    csv_row(f, "", "setting", "day_start", value, "min", "");
    for (size_t i = 0; i < d->n_tags; i++)
        csv_row(f, "", "tag", d->tags[i].food, "", "", d->tags[i].tag);
    for (size_t i = 0; i < d->n_ev; i++) {
        gs_time_format(&ev[i].at, when);
        format_value(ev[i].value, value);
        csv_row(f, when, gs_event_kind_name(ev[i].kind), ev[i].name, value, ev[i].unit,
                ev[i].note);
    }
    free(ev);
    for (size_t i = 0; i < d->n_resp; i++) {
        const gs_db_response *x = &d->resp[i];
        char *note = response_note(x);
        if (!note) return gs_fail(err, GS_ERR_NOMEM, "out of memory exporting");
        gs_time_format(&x->at, when);
        csv_row(f, when, "response", x->instrument, "", "", note);
        free(note);
    }
    return GS_OK;
}

/* ---- JSON ------------------------------------------------------------- */

static json_t *json_value(double v) { return isnan(v) ? json_null() : json_real(v); }

static json_t *json_time(const gs_time *t)
{
    char buf[GS_TIME_TEXT_MAX];
    gs_time_format(t, buf);
    return json_string(buf);
}

static json_t *json_text(const char *text)
{
    json_t *j = json_loads(text, JSON_DECODE_ANY, NULL);
    return j ? j : json_string(text);
}

static json_t *export_json_doc(const journal_dump *d)
{
    json_t *root = json_object();
    json_object_set_new(root, "format", json_string("gutskin-journal"));
    json_object_set_new(root, "schema_version", json_integer(GS_DB_SCHEMA_VERSION));
    json_object_set_new(root, "disclaimer", json_string(GS_DISCLAIMER));
    char hm[24];
    snprintf(hm, sizeof hm, "%02d:%02d", d->day_start / 60, d->day_start % 60);
    json_object_set_new(root, "day_start", json_string(hm));
    json_t *tags = json_array();
    for (size_t i = 0; i < d->n_tags; i++)
        json_array_append_new(tags, json_pack("{s:s, s:s}", "food", d->tags[i].food, "tag",
                                              d->tags[i].tag));
    json_object_set_new(root, "tags", tags);
    json_t *entries = json_array();
    for (size_t i = 0; i < d->n_ev; i++) {
        const gs_event *ev = &d->ev[i];
        char day[11];
        gs_day_format(gs_time_day(&ev->at, d->day_start), day);
        json_array_append_new(
            entries, json_pack("{s:I, s:o, s:s, s:s, s:s, s:o, s:s, s:s}", "id",
                               (json_int_t)ev->id, "timestamp", json_time(&ev->at), "day", day,
                               "kind", gs_event_kind_name(ev->kind), "name", ev->name, "value",
                               json_value(ev->value), "unit", ev->unit, "note", ev->note));
    }
    json_object_set_new(root, "entries", entries);
    json_t *ivs = json_array();
    for (size_t i = 0; i < d->n_iv; i++) {
        const gs_db_intervention *x = &d->iv[i];
        json_array_append_new(
            ivs, json_pack("{s:s, s:o, s:s, s:o, s:o}", "name", x->name, "dose",
                           json_value(x->dose), "unit", x->unit, "start", json_time(&x->start),
                           "stop", x->stop_id ? json_time(&x->stop) : json_null()));
    }
    json_object_set_new(root, "interventions", ivs);
    json_t *resp = json_array();
    for (size_t i = 0; i < d->n_resp; i++) {
        const gs_db_response *x = &d->resp[i];
        json_array_append_new(resp, json_pack("{s:I, s:o, s:s, s:o, s:o}", "id",
                                              (json_int_t)x->id, "timestamp", json_time(&x->at),
                                              "instrument", x->instrument, "answers",
                                              json_text(x->answers), "report",
                                              json_text(x->report)));
    }
    json_object_set_new(root, "responses", resp);
    return root;
}

/* ---- FHIR R4 ---------------------------------------------------------- */

/* A FHIR dateTime: FHIR requires an offset once a time is given, so an
 * entry written without one gets this computer's offset at that date. */
static json_t *fhir_time(const gs_time *t)
{
    gs_time u = *t;
    if (!u.has_offset) {
        time_t secs = (time_t)u.wall;
        struct tm tm;
        gmtime_r(&secs, &tm);
        tm.tm_isdst = -1;
        time_t as_local = mktime(&tm);
        u.offset_min = as_local == (time_t)-1 ? 0 : (int)((u.wall - (int64_t)as_local) / 60);
        u.has_offset = 1;
    }
    char buf[GS_TIME_TEXT_MAX];
    gs_time_format(&u, buf);
    if (u.offset_min == 0) { /* FHIR accepts Z; +00:00 reads better beside others */
        size_t n = strlen(buf);
        snprintf(buf + n - 1, sizeof buf - (n - 1), "+00:00");
    }
    return json_string(buf);
}

static json_t *coding(const char *system, const char *code, const char *display)
{
    return json_pack("{s:s, s:s, s:s}", "system", system, "code", code, "display", display);
}

/* The UCUM unit of an observation's value. */
static const char *ucum_of(const gs_event *ev, const char **text)
{
    if (ev->kind == GS_EVENT_SLEEP) return *text = "h", "h";
    if (ev->kind == GS_EVENT_STOOL) return *text = "Bristol type", "{BristolType}";
    if (ev->kind == GS_EVENT_SKIN && strcmp(ev->name, "lesions") == 0)
        return *text = "lesions", "{lesions}";
    return *text = "score 0-10", "{score}";
}

static json_t *fhir_observation(const gs_event *ev)
{
    const char *kind = gs_event_kind_name(ev->kind);
    char code[GS_EVENT_NAME_MAX + 16], display[GS_EVENT_NAME_MAX + 16], id[32];
    snprintf(id, sizeof id, "entry-%lld", (long long)ev->id);
    json_t *o = json_pack("{s:s, s:s, s:s}", "resourceType", "Observation", "id", id, "status",
                          "final");
    json_t *codings = json_array();
    if (ev->kind == GS_EVENT_FOOD) {
        json_array_append_new(codings, coding(GS_FHIR_SYSTEM, "food", "food eaten"));
        json_object_set_new(o, "valueString", json_string(ev->name));
        if (!isnan(ev->value) || ev->unit[0]) {
            json_t *q = json_object();
            if (!isnan(ev->value)) json_object_set_new(q, "value", json_real(ev->value));
            if (ev->unit[0]) json_object_set_new(q, "unit", json_string(ev->unit));
            json_t *comp = json_pack("{s:{s:[o]}, s:o}", "code", "coding",
                                     coding(GS_FHIR_SYSTEM, "food.portion", "portion"),
                                     "valueQuantity", q);
            json_object_set_new(o, "component", json_pack("[o]", comp));
        }
    } else {
        snprintf(code, sizeof code, "%s.%s", kind, ev->name);
        snprintf(display, sizeof display, "%s %s", kind, ev->name);
        if (ev->kind == GS_EVENT_SLEEP)
            json_array_append_new(codings, coding("http://loinc.org", "93832-4", "Sleep duration"));
        json_array_append_new(codings, coding(GS_FHIR_SYSTEM, code, display));
        const char *unit_text;
        const char *ucum = ucum_of(ev, &unit_text);
        json_object_set_new(o, "valueQuantity",
                            json_pack("{s:f, s:s, s:s, s:s}", "value", ev->value, "unit",
                                      unit_text, "system", "http://unitsofmeasure.org", "code",
                                      ucum));
    }
    json_object_set_new(o, "code", json_pack("{s:o}", "coding", codings));
    json_object_set_new(o, "effectiveDateTime", fhir_time(&ev->at));
    if (ev->note[0])
        json_object_set_new(o, "note", json_pack("[{s:s}]", "text", ev->note));
    return o;
}

static json_t *fhir_intervention(const gs_db_intervention *x)
{
    char id[32];
    snprintf(id, sizeof id, "entry-%lld", (long long)x->start_id);
    json_t *period = json_pack("{s:o}", "start", fhir_time(&x->start));
    if (x->stop_id) json_object_set_new(period, "end", fhir_time(&x->stop));
    json_t *o = json_pack("{s:s, s:s, s:s, s:{s:[o]}, s:o, s:s}", "resourceType", "Observation",
                          "id", id, "status", "final", "code", "coding",
                          coding(GS_FHIR_SYSTEM, "intervention", "intervention taken"),
                          "effectivePeriod", period, "valueString", x->name);
    if (!isnan(x->dose) || x->unit[0]) {
        json_t *q = json_object();
        if (!isnan(x->dose)) json_object_set_new(q, "value", json_real(x->dose));
        if (x->unit[0]) json_object_set_new(q, "unit", json_string(x->unit));
        json_object_set_new(o, "component",
                            json_pack("[{s:{s:[o]}, s:o}]", "code", "coding",
                                      coding(GS_FHIR_SYSTEM, "intervention.dose", "dose"),
                                      "valueQuantity", q));
    }
    return o;
}

/* One answer of a QuestionnaireResponse item from a JSON value. */
static json_t *fhir_answer(json_t *v)
{
    if (json_is_string(v)) return json_pack("{s:O}", "valueString", v);
    if (json_is_integer(v)) return json_pack("{s:O}", "valueInteger", v);
    if (json_is_real(v)) return json_pack("{s:O}", "valueDecimal", v);
    if (json_is_boolean(v)) return json_pack("{s:O}", "valueBoolean", v);
    char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
    json_t *a = json_pack("{s:s}", "valueString", text ? text : "");
    free(text);
    return a;
}

static json_t *fhir_response(const gs_db_response *x)
{
    char id[32], questionnaire[200];
    snprintf(id, sizeof id, "response-%lld", (long long)x->id);
    snprintf(questionnaire, sizeof questionnaire, "%s:questionnaire:%s", GS_FHIR_SYSTEM,
             x->instrument);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:o}", "resourceType", "QuestionnaireResponse",
                          "id", id, "status", "completed", "questionnaire", questionnaire,
                          "authored", fhir_time(&x->at));
    json_t *answers = json_loads(x->answers, JSON_DECODE_ANY, NULL);
    json_t *items = json_array();
    if (json_is_object(answers)) {
        const char *key;
        json_t *v;
        json_object_foreach(answers, key, v) {
            if (json_is_null(v)) continue;
            json_t *list = json_array();
            if (json_is_array(v)) {
                size_t i;
                json_t *e;
                json_array_foreach(v, i, e) json_array_append_new(list, fhir_answer(e));
            } else {
                json_array_append_new(list, fhir_answer(v));
            }
            json_array_append_new(items, json_pack("{s:s, s:o}", "linkId", key, "answer", list));
        }
    }
    json_decref(answers);
    json_object_set_new(o, "item", items);
    json_object_set_new(o, "extension",
                        json_pack("[{s:s, s:s}]", "url", GS_FHIR_SYSTEM ":report", "valueString",
                                  x->report));
    return o;
}

static json_t *export_fhir_doc(const journal_dump *d)
{
    gs_time now = gs_time_now();
    json_t *entries = json_array();
    for (size_t i = 0; i < d->n_ev; i++) {
        gs_event_kind k = d->ev[i].kind;
        if (k == GS_EVENT_START || k == GS_EVENT_STOP) continue; /* as periods below */
        json_array_append_new(entries, json_pack("{s:o}", "resource", fhir_observation(&d->ev[i])));
    }
    for (size_t i = 0; i < d->n_iv; i++)
        json_array_append_new(entries, json_pack("{s:o}", "resource", fhir_intervention(&d->iv[i])));
    for (size_t i = 0; i < d->n_resp; i++)
        json_array_append_new(entries, json_pack("{s:o}", "resource", fhir_response(&d->resp[i])));
    return json_pack("{s:s, s:s, s:o, s:{s:[{s:s}]}, s:o}", "resourceType", "Bundle", "type",
                     "collection", "timestamp", fhir_time(&now), "meta", "tag", "display",
                     GS_DISCLAIMER, "entry", entries);
}

gs_status gs_db_export(gs_db *db, gs_db_export_format format, FILE *out, gs_err *err)
{
    journal_dump d;
    gs_status st = dump_read(db, &d, err);
    if (st) return st;
    if (format == GS_DB_EXPORT_CSV) {
        st = export_csv(&d, out, err);
    } else {
        json_t *doc = format == GS_DB_EXPORT_JSON ? export_json_doc(&d) : export_fhir_doc(&d);
        if (!doc || json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)
            st = gs_fail(err, GS_ERR_IO, "cannot write the export");
        else
            fputc('\n', out);
        json_decref(doc);
    }
    dump_free(&d);
    if (st == GS_OK && (fflush(out) != 0 || ferror(out)))
        st = gs_fail(err, GS_ERR_IO, "cannot write the export");
    return st;
}
