/*
 * api_entries.c - the journal's entries over HTTP: create (one or a
 * batch, all or nothing), read by range, read one, update, delete; the
 * interventions (start, stop, running and past); the day start.
 *
 * Every write is checked by the functions the command line uses
 * (gs_event_check through gs_db_add and gs_db_edit), so the rules of what
 * a journal may hold stay in event.c; this file only maps JSON onto a
 * gs_event and names the field a refusal is about.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api_journal.h"

#define ENTRY_KEYS "timestamp, kind, name, value, unit, note"

/* ---- shared with the other journal files --------------------------------- */

/* The length of the valid UTF-8 sequence at p (1-4), or 0 when the bytes
 * there are not one (overlong forms and surrogates included). */
static size_t utf8_len(const unsigned char *p)
{
    if (p[0] < 0x80) return 1;
    size_t n = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 && p[0] < 0xe0 ? 2 : 0;
    if (!n) return 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xc0) != 0x80) return 0;
    if (n == 3 && ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0))) return 0;
    if (n == 4 && ((p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90))) return 0;
    return n;
}

json_t *gs_api_text(const char *s)
{
    json_t *j = json_string(s);
    if (j) return j;
    /* not UTF-8 (an old import may hold Latin-1): each stray byte becomes
     * U+FFFD, as in the list's direct writer */
    size_t len = strlen(s);
    char *clean = malloc(3 * len + 1), *o = clean;
    if (!clean) return NULL;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = utf8_len(p);
        if (n == 0) {
            memcpy(o, "\xef\xbf\xbd", 3);
            o += 3;
            p++;
        } else {
            memcpy(o, p, n);
            o += n;
            p += n;
        }
    }
    *o = '\0';
    j = json_string(clean);
    free(clean);
    return j;
}

json_t *gs_api_entry_json(const gs_event *ev, int day_start)
{
    char when[GS_TIME_TEXT_MAX], day[11];
    gs_time_format(&ev->at, when);
    gs_day_format(gs_time_day(&ev->at, day_start), day);
    return json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "id", (json_int_t)ev->id,
                     "timestamp", when, "day", day, "kind", gs_event_kind_name(ev->kind),
                     "name", gs_api_text(ev->name), "value", isnan(ev->value) ? json_null()
                                                                : json_real(ev->value),
                     "unit", gs_api_text(ev->unit), "note", gs_api_text(ev->note));
}

void gs_api_journal_fail(gs_reply *rp, const gs_err *err, const char *field)
{
    if (err->status == GS_ERR_INPUT) gs_reply_error(rp, 400, field, "%s", err->msg);
    else gs_reply_error(rp, 500, NULL, "the journal: %s", err->msg);
}

void gs_api_day_start_text(int minutes, char *buf)
{
    snprintf(buf, 6, "%02u:%02u", (unsigned)(minutes / 60) % 24u, (unsigned)minutes % 60u);
}

/* ---- JSON -> entry ---------------------------------------------------------- */

/* Copy a JSON string member into buf (max bytes); a missing member leaves
 * buf as it is.  Fails naming the field when it is not a string or too
 * long. */
static int take_text(json_t *o, const char *key, char *buf, size_t max, const char *where,
                     gs_reply *rp)
{
    json_t *v = json_object_get(o, key);
    if (!v) return 0;
    char field[96];
    snprintf(field, sizeof field, "%s%s", where, key);
    if (!json_is_string(v)) {
        gs_reply_error(rp, 400, field, "%s must be a string", field);
        return -1;
    }
    if (json_string_length(v) > max) {
        gs_reply_error(rp, 400, field, "%s is %zu bytes long; at most %zu are allowed", field,
                       json_string_length(v), max);
        return -1;
    }
    snprintf(buf, max + 1, "%s", json_string_value(v));
    return 0;
}

/* Apply the members of o onto ev (for create: ev is fresh and kind is
 * required; for update: kind may be repeated but not changed).  where is
 * the field prefix ("" or "entries[3]."). */
static int entry_from_json(json_t *o, gs_event *ev, int creating, const char *where,
                           gs_reply *rp)
{
    char field[96];
    if (!json_is_object(o)) {
        snprintf(field, sizeof field, "%.*s", (int)(where[0] ? strlen(where) - 1 : 0), where);
        gs_reply_error(rp, 400, where[0] ? field : NULL, "%s must be an object with "
                       ENTRY_KEYS, where[0] ? field : "the entry");
        return -1;
    }
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v) {
        static const char *const known[] = {"timestamp", "kind", "name", "value", "unit",
                                            "note", "id", "day", NULL};
        size_t k = 0;
        while (known[k] && strcmp(known[k], key) != 0) k++;
        if (!known[k]) {
            snprintf(field, sizeof field, "%s%s", where, key);
            gs_reply_error(rp, 400, field, "unknown key '%s'; an entry has " ENTRY_KEYS, key);
            return -1;
        }
    }
    char word[16] = "";
    if (take_text(o, "kind", word, sizeof word - 1, where, rp)) return -1;
    snprintf(field, sizeof field, "%skind", where);
    gs_event_kind kind = ev->kind;
    if (word[0] || creating) {
        gs_err err;
        if (!word[0]) {
            gs_reply_error(rp, 400, field, "%s is required: one of food, gut, stool, skin, "
                           "body, sleep, stress, start, stop", field);
            return -1;
        }
        if (gs_event_kind_parse(word, &kind, &err) != GS_OK) {
            gs_reply_error(rp, 400, field, "%s", err.msg);
            return -1;
        }
        if (!creating && kind != ev->kind) {
            gs_reply_error(rp, 400, field, "an entry keeps its kind (%s); delete it and create "
                           "a %s entry instead", gs_event_kind_name(ev->kind), word);
            return -1;
        }
    }
    if (creating) gs_event_init(ev, kind);
    char ts[64] = "";
    if (take_text(o, "timestamp", ts, sizeof ts - 1, where, rp)) return -1;
    if (ts[0]) {
        gs_err err;
        if (gs_time_parse(ts, &ev->at, &err) != GS_OK) {
            snprintf(field, sizeof field, "%stimestamp", where);
            gs_reply_error(rp, 400, field, "%s: %s", field, err.msg);
            return -1;
        }
    } else if (creating) {
        ev->at = gs_time_now();
    }
    if (take_text(o, "name", ev->name, GS_EVENT_NAME_MAX, where, rp) ||
        take_text(o, "unit", ev->unit, GS_EVENT_UNIT_MAX, where, rp) ||
        take_text(o, "note", ev->note, GS_EVENT_NOTE_MAX, where, rp))
        return -1;
    if (creating && !ev->name[0]) {  /* kinds with one name need not say it */
        const char *const *names = gs_event_kind_names(kind);
        if (names && names[0] && !names[1]) snprintf(ev->name, sizeof ev->name, "%s", names[0]);
    }
    v = json_object_get(o, "value");
    if (v) {
        snprintf(field, sizeof field, "%svalue", where);
        if (json_is_null(v)) {
            ev->value = NAN;
        } else if (json_is_number(v)) {
            ev->value = json_number_value(v);
        } else {
            gs_reply_error(rp, 400, field, "%s must be a number or null%s", field,
                           json_is_string(v) ? " (not a string)" : "");
            return -1;
        }
    }
    /* the one table decides; name the field its sentence is about */
    gs_err err;
    if (gs_event_check(ev, &err) != GS_OK) {
        double lo, hi;
        int whole, required;
        gs_err ignore;
        const char *f = "value";
        if (!ev->name[0] || (gs_event_kind_names(kind) &&
                             gs_event_value_range(kind, ev->name, &lo, &hi, &whole, &required,
                                                  &ignore) != GS_OK))
            f = "name";
        else if (strstr(err.msg, "unit") && !strstr(err.msg, "value"))
            f = "unit";
        snprintf(field, sizeof field, "%s%s", where, f);
        gs_reply_error(rp, 400, field, "%s: %s", field, err.msg);
        return -1;
    }
    return 0;
}

/* Parse a path id; 404 when it is not a positive whole number. */
/* Read entry id into *ev; when there is none, answer 404 (any other
 * failure as the journal's error) and return -1. */
static int get_entry(gs_db *db, int64_t id, gs_event *ev, gs_reply *rp)
{
    gs_err err;
    if (gs_db_get(db, id, ev, &err) == GS_OK) return 0;
    if (err.status == GS_ERR_INPUT) gs_reply_error(rp, 404, NULL, "%s", err.msg);
    else gs_api_journal_fail(rp, &err, NULL);
    return -1;
}

static int path_id(gs_request *rq, gs_reply *rp, int64_t *id)
{
    char buf[24];
    if (rq->param_len[0] == 0 || rq->param_len[0] >= sizeof buf) goto bad;
    memcpy(buf, rq->param[0], rq->param_len[0]);
    buf[rq->param_len[0]] = '\0';
    char *end;
    long long v = strtoll(buf, &end, 10);
    if (*end || v <= 0) goto bad;
    *id = v;
    return 0;
bad:
    gs_reply_error(rp, 404, NULL, "'%.*s' is not an entry id (a positive whole number)",
                   (int)(rq->param_len[0] > 40 ? 40 : rq->param_len[0]), rq->param[0]);
    return -1;
}

/* The tags the lexicon finds in a food text: {"tags": [...], "found": [...]}
 * members added to o. */
static void add_food_tags(const gs_lexicon *lex, const char *text, json_t *o)
{
    gs_lexicon_hit hits[16];
    size_t n = gs_lexicon_match(lex, text, hits, 16);
    size_t n_tags = gs_lexicon_tag_count(lex);
    unsigned char *present = calloc(n_tags ? n_tags : 1, 1);
    json_t *tags = json_array(), *found = json_array();
    if (present) gs_lexicon_tags_of(lex, text, present);
    for (size_t t = 0; present && t < n_tags; t++)
        if (present[t]) json_array_append_new(tags, json_string(gs_lexicon_tag_name(lex, t)));
    for (size_t i = 0; i < n && i < 16; i++)
        json_array_append_new(found, json_string(gs_lexicon_food_name(lex, hits[i].food)));
    free(present);
    json_object_set_new(o, "tags", tags);
    json_object_set_new(o, "found", found);
}

/* ---- entries ----------------------------------------------------------------- */

/* A from/to query value: "YYYY-MM-DD" is a journal day (from: its start,
 * to: its end), a full time is itself. */
static int range_end(gs_request *rq, gs_reply *rp, const char *key, int is_to, int day_start,
                     gs_time *t, int *given)
{
    const char *text = gs_request_query(rq, key);
    *given = text != NULL;
    if (!text) return 0;
    gs_err err;
    if (gs_time_parse(text, t, &err) != GS_OK) {
        gs_reply_error(rp, 400, key, "%s: %s", key, err.msg);
        return -1;
    }
    if (strlen(text) == 10) {
        int64_t day = t->wall >= 0 ? t->wall / 86400 : -((-t->wall + 86399) / 86400);
        t->wall = (day + is_to) * 86400 + day_start * 60 - is_to;
    }
    return 0;
}

/* ---- the list as JSON text, written directly ------------------------------------ */

/* A growing text buffer; ok turns 0 on the first failed allocation. */
typedef struct textbuf {
    char *s;
    size_t len, cap;
    int ok;
} textbuf;

static void tb_need(textbuf *b, size_t more)
{
    if (!b->ok || b->len + more + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 65536;
    while (cap < b->len + more + 1) cap *= 2;
    char *grown = realloc(b->s, cap);
    if (!grown) {
        b->ok = 0;
        return;
    }
    b->s = grown;
    b->cap = cap;
}

static void tb_put(textbuf *b, const char *s, size_t n)
{
    tb_need(b, n);
    if (!b->ok) return;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

/* s as a JSON string: quotes, backslash and control characters escaped;
 * a byte that is not UTF-8 (an old import may hold Latin-1) becomes
 * U+FFFD rather than making the whole reply invalid JSON */
static void tb_string(textbuf *b, const char *s)
{
    tb_need(b, 2 + 6 * strlen(s));
    if (!b->ok) return;
    char *o = b->s + b->len;
    *o++ = '"';
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = utf8_len(p);
        if (n == 0) {
            o += sprintf(o, "\\ufffd");
            p++;
        } else if (n > 1) {
            memcpy(o, p, n);
            o += n;
            p += n;
        } else if (*p == '"' || *p == '\\') {
            *o++ = '\\';
            *o++ = (char)*p++;
        } else if (*p < 0x20) {
            o += sprintf(o, "\\u%04x", *p++);
        } else {
            *o++ = (char)*p++;
        }
    }
    *o++ = '"';
    *o = '\0';
    b->len = (size_t)(o - b->s);
}

/* ---- numbers and times without printf ------------------------------------------
 * A year is thousands of entries with four numbers each; printf's format
 * parsing was a fifth of an uncached read (perf, bench/server/), about
 * what compressing the reply costs, so the common forms are written by
 * hand.  Each gives exactly the bytes of the printf form it replaces. */

/* v in decimal at o; returns the bytes written (at most 20) */
static size_t put_int(char *o, long long v)
{
    char tmp[24];
    size_t n = 0;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    size_t k = 0;
    if (v < 0) o[k++] = '-';
    while (n) o[k++] = tmp[--n];
    return k;
}

static void put_2digits(char *o, int v)
{
    assert(v >= 0 && v < 100);
    o[0] = (char)('0' + v / 10);
    o[1] = (char)('0' + v % 10);
}

/* As "%.10g": whole numbers below 1e10 by hand, everything else (and -0,
 * which %g writes as "-0") by snprintf. */
static size_t put_value(char *o, size_t max, double v)
{
    if (v == floor(v) && fabs(v) < 1e10 && !(v == 0 && signbit(v)))
        return put_int(o, (long long)v);
    int k = snprintf(o, max, "%.10g", v);
    return k > 0 && (size_t)k < max ? (size_t)k : 0;
}

/* The text of day (gs_day_format) with a one-day memory: entries come in
 * time order, so a year of them asks for about 365 different days. */
typedef struct day_text {
    int64_t day;
    int valid;
    char text[11];
} day_text;

static const char *day_text_of(day_text *c, int64_t day)
{
    if (!c->valid || c->day != day) {
        gs_day_format(day, c->text);
        c->day = day;
        c->valid = 1;
    }
    return c->text;
}

/* As gs_time_format, writing at o (room for GS_TIME_TEXT_MAX bytes);
 * returns the length. */
static size_t put_time(char *o, const gs_time *t, day_text *dates)
{
    int64_t day = t->wall >= 0 ? t->wall / 86400 : -((-t->wall + 86399) / 86400);
    int64_t sec = t->wall - day * 86400;
    int off = t->offset_min < 0 ? -t->offset_min : t->offset_min;
    const char *date = day_text_of(dates, day);
    size_t n = strlen(date);
    if (n != 10 || (t->has_offset && off / 60 >= 100)) {  /* a year beyond 0-9999 */
        gs_time_format(t, o);
        return strlen(o);
    }
    memcpy(o, date, 10);
    o[10] = 'T';
    put_2digits(o + 11, (int)(sec / 3600));
    o[13] = ':';
    put_2digits(o + 14, (int)(sec / 60 % 60));
    o[16] = ':';
    put_2digits(o + 17, (int)(sec % 60));
    n = 19;
    if (t->has_offset && t->offset_min == 0) {
        o[n++] = 'Z';
    } else if (t->has_offset) {
        o[n++] = t->offset_min < 0 ? '-' : '+';
        put_2digits(o + n, off / 60);
        o[n + 2] = ':';
        put_2digits(o + n + 3, off % 60);
        n += 5;
    }
    o[n] = '\0';
    return n;
}

/* The reply of GET /entries without tags: the same document as
 * gs_api_entry_json gives, written without building it (a year of
 * entries is thousands of objects). */
static char *entries_text(const gs_event *evs, size_t n, int ds, size_t *len)
{
    textbuf b = {NULL, 0, 0, 1};
    char num[64];
    day_text walls = {0, 0, ""}, days = {0, 0, ""};
    /* about 130 bytes an entry: one allocation for most lists */
    tb_need(&b, 64 + n * 160);
    tb_put(&b, "{\"entries\":[", 12);
    for (size_t i = 0; i < n && b.ok; i++) {
        const gs_event *e = &evs[i];
        char when[GS_TIME_TEXT_MAX];
        size_t k = 0;
        if (i) num[k++] = ',';
        memcpy(num + k, "{\"id\":", 6);
        k += 6;
        k += put_int(num + k, (long long)e->id);
        tb_put(&b, num, k);
        tb_put(&b, ",\"timestamp\":\"", 14);
        tb_put(&b, when, put_time(when, &e->at, &walls));  /* digits, '-', ':' only */
        tb_put(&b, "\",\"day\":\"", 9);
        const char *day = day_text_of(&days, gs_time_day(&e->at, ds));
        tb_put(&b, day, strlen(day));
        tb_put(&b, "\",\"kind\":", 9);
        tb_string(&b, gs_event_kind_name(e->kind));
        tb_put(&b, ",\"name\":", 8);
        tb_string(&b, e->name);
        if (isnan(e->value)) {
            tb_put(&b, ",\"value\":null", 13);
        } else {
            tb_put(&b, ",\"value\":", 9);
            tb_put(&b, num, put_value(num, sizeof num, e->value));
        }
        tb_put(&b, ",\"unit\":", 8);
        tb_string(&b, e->unit);
        tb_put(&b, ",\"note\":", 8);
        tb_string(&b, e->note);
        tb_put(&b, "}", 1);
    }
    char dstext[6];
    gs_api_day_start_text(ds, dstext);
    int k = snprintf(num, sizeof num, "],\"count\":%zu,\"day_start\":\"%s\"}", n, dstext);
    tb_put(&b, num, (size_t)k);
    if (!b.ok) {
        free(b.s);
        return NULL;
    }
    *len = b.len;
    return b.s;
}

/* GET /entries?from=&to=[&tags=1]: tags=1 adds each food's tags.  The
 * answer is kept per connection and sent again, without a query, while
 * the journal is unchanged (gs_sjournal_cache_get). */
void gs_api_entries_list(gs_request *rq, gs_reply *rp)
{
    gs_server_journal *j = rq->ctx->journal;
    const char *qf = gs_request_query(rq, "from"), *qt = gs_request_query(rq, "to");
    const char *tq = gs_request_query(rq, "tags");
    int with_tags = tq && strcmp(tq, "1") == 0;
    char key[512];
    snprintf(key, sizeof key, "entries|%s|%s|%d", qf ? qf : "-", qt ? qt : "-", with_tags);
    size_t slot;
    gs_db *db = gs_sjournal_acquire(j, &slot);
    uint64_t version[2];
    gs_shared_bytes *cached = gs_sjournal_cache_get(j, slot, key, version);
    if (cached) {  /* the journal has not changed since these bytes were made */
        gs_sjournal_release(j, slot);
        rp->status = 200;
        rp->shared = cached;
        rp->type = "application/json";
        return;
    }
    int ds = gs_db_day_start(db);
    gs_time from = {0, 0, 0}, to = {0, 0, 0};
    int has_from, has_to;
    gs_event *evs = NULL;
    size_t n = 0;
    gs_err err;
    if (range_end(rq, rp, "from", 0, ds, &from, &has_from) ||
        range_end(rq, rp, "to", 1, ds, &to, &has_to))
        goto done;
    if (has_from && has_to && to.wall < from.wall) {
        gs_reply_error(rp, 400, "to", "to (%s) is before from (%s)", qt, qf);
        goto done;
    }
    if (gs_db_events(db, has_from ? &from : NULL, has_to ? &to : NULL, &evs, &n, &err) != GS_OK) {
        gs_api_journal_fail(rp, &err, NULL);
        goto done;
    }
    char *text;
    size_t len = 0;
    if (!with_tags) {
        text = entries_text(evs, n, ds, &len);
    } else {  /* the tags come from the lexicon: built as a document */
        json_t *arr = json_array();
        const gs_lexicon *lex = gs_sjournal_lexicon(j, slot);  /* once per request */
        for (size_t i = 0; arr && i < n; i++) {
            json_t *e = gs_api_entry_json(&evs[i], ds);
            if (e && evs[i].kind == GS_EVENT_FOOD) add_food_tags(lex, evs[i].name, e);
            json_array_append_new(arr, e);
        }
        gs_sjournal_lexicon_done(j);
        char dstext[6];
        gs_api_day_start_text(ds, dstext);
        json_t *doc = json_pack("{s:o, s:I, s:s}", "entries", arr, "count", (json_int_t)n,
                                "day_start", dstext);
        text = doc ? json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
        len = text ? strlen(text) : 0;
        json_decref(doc);
    }
    gs_shared_bytes *bytes = text ? gs_shared_bytes_new(text, len) : NULL;
    free(text);
    if (!bytes) {
        gs_reply_error(rp, 500, NULL, "out of memory writing %zu entries", n);
        goto done;
    }
    gs_sjournal_cache_put(j, slot, key, version, bytes);
    rp->status = 200;
    rp->shared = bytes;  /* our reference goes to the reply */
    rp->type = "application/json";
done:
    free(evs);
    gs_sjournal_release(j, slot);
}

void gs_api_entries_create(gs_request *rq, gs_reply *rp)
{
    json_t *body = gs_request_json(rq, rp);
    if (!body) return;
    json_t *batch = json_object_get(body, "entries");
    if (batch && (!json_is_array(batch) || json_array_size(batch) == 0)) {
        gs_reply_error(rp, 400, "entries", "entries must be a non-empty list of entries");
        json_decref(body);
        return;
    }
    size_t n = batch ? json_array_size(batch) : 1;
    if (batch && json_object_size(body) != 1) {
        gs_reply_error(rp, 400, NULL, "a batch is {\"entries\": [...]} with no other key");
        json_decref(body);
        return;
    }
    gs_event *evs = calloc(n, sizeof *evs);
    if (!evs) {
        gs_reply_error(rp, 500, NULL, "out of memory for %zu entries", n);
        json_decref(body);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        char where[32] = "";
        if (batch) snprintf(where, sizeof where, "entries[%zu].", i);
        if (entry_from_json(batch ? json_array_get(batch, i) : body, &evs[i], 1, where, rp)) {
            free(evs);
            json_decref(body);
            return;
        }
    }
    json_decref(body);
    gs_server_journal *j = rq->ctx->journal;
    size_t slot;
    gs_db *db = gs_sjournal_acquire_writer(j, &slot);
    gs_err err;
    gs_status st = n > 1 ? gs_db_begin(db, &err) : GS_OK;
    size_t i = 0;
    for (; st == GS_OK && i < n; i++) st = gs_db_add(db, &evs[i], &err);
    if (st == GS_OK && n > 1) st = gs_db_commit(db, &err);
    if (st != GS_OK) {
        if (n > 1) gs_db_rollback(db);
        char field[48];
        if (batch) snprintf(field, sizeof field, "entries[%zu].name", i ? i - 1 : 0);
        else snprintf(field, sizeof field, "name");
        if (err.status == GS_ERR_INPUT && batch)
            gs_reply_error(rp, 400, field, "%s: %s; nothing was written", field, err.msg);
        else gs_api_journal_fail(rp, &err, field);
    } else {
        int ds = gs_db_day_start(db);
        json_t *arr = json_array();
        const gs_lexicon *lex = gs_sjournal_lexicon(j, slot);
        for (size_t k = 0; arr && k < n; k++) {
            json_t *e = gs_api_entry_json(&evs[k], ds);
            if (e && evs[k].kind == GS_EVENT_FOOD) add_food_tags(lex, evs[k].name, e);
            json_array_append_new(arr, e);
        }
        gs_sjournal_lexicon_done(j);
        if (batch) {
            gs_reply_json(rp, 201, json_pack("{s:o, s:I}", "entries", arr, "count", (json_int_t)n));
        } else {
            json_t *one = json_incref(json_array_get(arr, 0));
            json_decref(arr);
            gs_reply_json(rp, 201, one);
        }
    }
    gs_sjournal_release_writer(j, slot);
    free(evs);
}

void gs_api_entry_get(gs_request *rq, gs_reply *rp)
{
    int64_t id;
    if (path_id(rq, rp, &id)) return;
    gs_server_journal *j = rq->ctx->journal;
    size_t slot;
    gs_db *db = gs_sjournal_acquire(j, &slot);
    gs_event ev;
    if (get_entry(db, id, &ev, rp) == 0) {
        json_t *e = gs_api_entry_json(&ev, gs_db_day_start(db));
        if (e && ev.kind == GS_EVENT_FOOD) {
            add_food_tags(gs_sjournal_lexicon(j, slot), ev.name, e);
            gs_sjournal_lexicon_done(j);
        }
        gs_reply_json(rp, 200, e);
    }
    gs_sjournal_release(j, slot);
}

void gs_api_entry_update(gs_request *rq, gs_reply *rp)
{
    int64_t id;
    if (path_id(rq, rp, &id)) return;
    json_t *body = gs_request_json(rq, rp);
    if (!body) return;
    gs_server_journal *j = rq->ctx->journal;
    size_t slot;
    gs_db *db = gs_sjournal_acquire_writer(j, &slot);
    gs_event ev;
    gs_err err;
    if (get_entry(db, id, &ev, rp) != 0) {
        /* answered: 404 or the journal's failure */
    } else if (entry_from_json(body, &ev, 0, "", rp) == 0) {
        if (gs_db_edit(db, &ev, &err) != GS_OK) {
            gs_api_journal_fail(rp, &err, json_object_get(body, "timestamp") ? "timestamp"
                                                                              : "name");
        } else if (get_entry(db, id, &ev, rp) == 0) {  /* as stored */
            gs_reply_json(rp, 200, gs_api_entry_json(&ev, gs_db_day_start(db)));
        }
    }
    gs_sjournal_release_writer(j, slot);
    json_decref(body);
}

void gs_api_entry_delete(gs_request *rq, gs_reply *rp)
{
    int64_t id;
    if (path_id(rq, rp, &id)) return;
    gs_server_journal *j = rq->ctx->journal;
    size_t slot;
    gs_db *db = gs_sjournal_acquire_writer(j, &slot);
    gs_event ev;
    gs_err err;
    if (get_entry(db, id, &ev, rp) != 0) {
        /* answered: 404 or the journal's failure */
    } else if (gs_db_delete(db, id, &ev, &err) != GS_OK) {
        if (err.status == GS_ERR_INPUT) gs_reply_error(rp, 409, NULL, "%s", err.msg);
        else gs_api_journal_fail(rp, &err, NULL);
    } else {
        gs_reply_json(rp, 200, json_pack("{s:o}", "deleted",
                                         gs_api_entry_json(&ev, gs_db_day_start(db))));
    }
    gs_sjournal_release_writer(j, slot);
}

/* ---- interventions ------------------------------------------------------------ */

static json_t *intervention_json(const gs_db_intervention *iv, int ds)
{
    char start[GS_TIME_TEXT_MAX], stop[GS_TIME_TEXT_MAX], d0[11], d1[11];
    gs_time_format(&iv->start, start);
    gs_day_format(gs_time_day(&iv->start, ds), d0);
    json_t *o = json_pack("{s:o, s:I, s:s, s:s, s:o, s:o}", "name", gs_api_text(iv->name),
                          "start_id", (json_int_t)iv->start_id, "start", start, "start_day", d0,
                          "dose", isnan(iv->dose) ? json_null() : json_real(iv->dose), "unit",
                          gs_api_text(iv->unit));
    if (o && iv->stop_id) {
        gs_time_format(&iv->stop, stop);
        gs_day_format(gs_time_day(&iv->stop, ds), d1);
        json_object_set_new(o, "stop_id", json_integer(iv->stop_id));
        json_object_set_new(o, "stop", json_string(stop));
        json_object_set_new(o, "stop_day", json_string(d1));
    }
    return o;
}

void gs_api_interventions_list(gs_request *rq, gs_reply *rp)
{
    gs_server_journal *j = rq->ctx->journal;
    size_t slot;
    gs_db *db = gs_sjournal_acquire(j, &slot);
    gs_db_intervention *iv = NULL;
    size_t n = 0;
    gs_err err;
    if (gs_db_interventions(db, 0, &iv, &n, &err) != GS_OK) {
        gs_api_journal_fail(rp, &err, NULL);
    } else {
        int ds = gs_db_day_start(db);
        json_t *running = json_array(), *past = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(iv[i].stop_id ? past : running, intervention_json(&iv[i], ds));
        gs_reply_json(rp, 200, json_pack("{s:o, s:o}", "running", running, "past", past));
    }
    free(iv);
    gs_sjournal_release(j, slot);
}

/* POST start or stop: {"name", "timestamp"?, "value"? (start: dose),
 * "unit"?, "note"?} as an entry of that kind. */
static void start_or_stop(gs_request *rq, gs_reply *rp, const char *kind)
{
    json_t *body = gs_request_json(rq, rp);
    if (!body) return;
    if (json_object_get(body, "kind")) {
        gs_reply_error(rp, 400, "kind", "the path says the kind (%s); leave kind out", kind);
        json_decref(body);
        return;
    }
    if (!json_is_string(json_object_get(body, "name")) ||
        !json_string_length(json_object_get(body, "name"))) {
        gs_reply_error(rp, 400, "name", "name is required: what to %s, as a string", kind);
        json_decref(body);
        return;
    }
    json_object_set_new(body, "kind", json_string(kind));
    gs_event ev;
    if (entry_from_json(body, &ev, 1, "", rp)) {
        json_decref(body);
        return;
    }
    json_decref(body);
    gs_server_journal *j = rq->ctx->journal;
    size_t slot;
    gs_db *db = gs_sjournal_acquire_writer(j, &slot);
    gs_err err;
    if (gs_db_add(db, &ev, &err) != GS_OK) gs_api_journal_fail(rp, &err, "name");
    else gs_reply_json(rp, 201, gs_api_entry_json(&ev, gs_db_day_start(db)));
    gs_sjournal_release_writer(j, slot);
}

void gs_api_intervention_start(gs_request *rq, gs_reply *rp) { start_or_stop(rq, rp, "start"); }
void gs_api_intervention_stop(gs_request *rq, gs_reply *rp) { start_or_stop(rq, rp, "stop"); }

/* ---- settings ------------------------------------------------------------------ */

void gs_api_config_get(gs_request *rq, gs_reply *rp)
{
    gs_server_journal *j = rq->ctx->journal;
    size_t slot;
    gs_db *db = gs_sjournal_acquire(j, &slot);
    int ds = gs_db_day_start(db);
    gs_sjournal_release(j, slot);
    char text[6];
    gs_api_day_start_text(ds, text);
    gs_reply_json(rp, 200, json_pack("{s:s, s:i, s:s, s:s}", "day_start", text,
                                     "day_start_minutes", ds, "journal", gs_sjournal_path(j),
                                     "disclaimer", GS_JOURNAL_DISCLAIMER));
}

/* PUT {"day_start": "HH:MM"} */
void gs_api_config_day_start(gs_request *rq, gs_reply *rp)
{
    json_t *body = gs_request_json(rq, rp);
    if (!body) return;
    json_t *v = json_object_get(body, "day_start");
    const char *text = json_string_value(v);
    int h = -1, m = -1, used = 0;
    if (!text || sscanf(text, "%2d:%2d%n", &h, &m, &used) != 2 || text[used] || h < 0 ||
        h > 23 || m < 0 || m > 59 || json_object_size(body) != 1) {
        gs_reply_error(rp, 400, "day_start", "day_start must be a time of day \"HH:MM\" from "
                       "00:00 to 23:59 (the only key), e.g. {\"day_start\": \"05:00\"}");
        json_decref(body);
        return;
    }
    json_decref(body);
    gs_err err;
    if (gs_sjournal_set_day_start(rq->ctx->journal, h * 60 + m, &err) != GS_OK) {
        gs_api_journal_fail(rp, &err, "day_start");
        return;
    }
    gs_api_config_get(rq, rp);
}
