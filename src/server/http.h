/*
 * http.h - what the server's modules share: a request as a handler sees
 * it, the reply it fills in, and the route table's row.
 *
 * A handler never talks to libmicrohttpd.  It reads a gs_request (method,
 * path, the captured path parameters, the query, the whole body) and fills
 * a gs_reply (status plus a JSON document, or raw bytes); server.c turns
 * that into a response with the security headers.  So every endpoint is a
 * plain function that tests can reason about, and the route table is the
 * one place that lists the API.
 */
#ifndef GS_SERVER_HTTP_H
#define GS_SERVER_HTTP_H

#include <jansson.h>
#include <stddef.h>

#include "gutskin/server.h"

#define GS_ROUTE_PARAMS_MAX 2

typedef struct gs_jobs gs_jobs;
typedef struct gs_server_journal gs_server_journal;  /* journal_pool.h */

/* Read-only context shared by all handlers of one server. */
typedef struct gs_server_ctx {
    gs_jobs *jobs;
    int job_threads;
    gs_server_journal *journal;  /* the journal's connections and lexicon */
} gs_server_ctx;

/* Reply bytes that several replies may send at once (a cached answer):
 * freed when the last holder lets go, which may be libmicrohttpd once the
 * last response using them is sent. */
typedef struct gs_shared_bytes {
    _Atomic int refs;
    /* the gzip form of data, made on first need (gs_shared_bytes_gzip)
     * and freed with these bytes: a cached reply compresses once */
    struct gs_shared_bytes *_Atomic gzip;
    size_t len;
    char data[];
} gs_shared_bytes;

/* A copy of data[0..len) with one reference, or NULL (out of memory). */
gs_shared_bytes *gs_shared_bytes_new(const char *data, size_t len);
gs_shared_bytes *gs_shared_bytes_ref(gs_shared_bytes *b);
void gs_shared_bytes_unref(void *b);   /* void *: libmicrohttpd's free callback */

/* ---- compressed replies (compress.c) ------------------------------------ */

/* JSON replies of at least this many bytes are sent gzip-compressed to
 * clients that accept it; below it the gzip header and the saving are
 * about the same size. */
#define GS_GZIP_MIN 1024
/* zlib's level: 1, measured against 6 in bench/server/gzip_levels.c */
#define GS_GZIP_LEVEL 1

/* Does the Accept-Encoding header value (NULL: none sent) let a reply be
 * gzip-compressed?  Per RFC 9110, 12.5.3: codings are case-blind, "x-gzip"
 * is gzip, a q-value of 0 refuses, "*" stands for gzip when gzip is not
 * named, and a named "identity" with a higher q than gzip is preferred.
 * A malformed element is ignored; no header means no. */
int gs_http_gzip_accepted(const char *accept_encoding);

/* Is a reply of this Content-Type one that is compressed (JSON) when it
 * has at least GS_GZIP_MIN bytes and the client accepts gzip?  Such
 * replies carry "Vary: Accept-Encoding" whatever their size. */
int gs_http_compressible(const char *type);

/* data[0..len) as a gzip stream (RFC 1952) at zlib level (1-9) in new
 * bytes with one reference; NULL when out of memory (the caller sends
 * identity). */
gs_shared_bytes *gs_gzip_new(const char *data, size_t len, int level);

/* A new reference to the gzip form of b, compressed on the first call and
 * kept with b (so a cached reply compresses once however often it is
 * sent, from whichever threads); NULL when out of memory. */
gs_shared_bytes *gs_shared_bytes_gzip(gs_shared_bytes *b);

typedef struct gs_request {
    const char *method;
    const char *path;                          /* without the query */
    const char *param[GS_ROUTE_PARAMS_MAX];    /* ":name" segments, in order */
    size_t param_len[GS_ROUTE_PARAMS_MAX];
    const char *body;                          /* NUL-terminated, may be "" */
    size_t body_len;
    void *conn;                                /* for gs_request_query */
    gs_server_ctx *ctx;
} gs_request;

typedef struct gs_reply {
    int status;
    json_t *json;            /* owned; sent as application/json */
    const char *raw;         /* or static bytes (an embedded asset) */
    size_t raw_len;
    const char *type;        /* Content-Type of raw */
    char *raw_owned;         /* or malloc()ed bytes (raw_len of them) the server frees */
    gs_shared_bytes *shared; /* or shared bytes: the reply holds one reference */
    char location[256];      /* a Location header when not empty */
    char cookie[160];        /* a Set-Cookie header when not empty */
    char allow[64];          /* an Allow header (405) when not empty */
    int cache;               /* 1: assets may be cached for a while */
    int gzipped;             /* 1: shared holds gzip bytes already (an asset) */
} gs_reply;

typedef void (*gs_route_fn)(gs_request *rq, gs_reply *rp);

/* One row of the route table: method, path pattern, handler.  A pattern
 * segment ":name" matches one non-empty path segment and is captured into
 * gs_request.param in order. */
typedef struct gs_route {
    const char *method;
    const char *pattern;
    gs_route_fn fn;
    const char *summary;   /* one line, for docs and the 404 message */
} gs_route;

/* The API routes (routes.c); *n receives the count. */
const gs_route *gs_server_routes(size_t *n);

/* Find the route for method and path.  Returns it and fills rq->param;
 * NULL when no pattern matches (*path_matched 0: 404) or only with another
 * method (*path_matched 1: 405, *allow lists the methods). */
const gs_route *gs_server_route_find(const char *method, const char *path, gs_request *rq,
                                     int *path_matched, char *allow, size_t allow_len);

/* A query parameter of the request, or NULL. */
const char *gs_request_query(const gs_request *rq, const char *key);

/* Fill rp with status and {"error": msg} plus, when field is not NULL,
 * {"field": field}.  msg is printf-formatted. */
void gs_reply_error(gs_reply *rp, int status, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* rp gets status and takes ownership of json (NULL: a 500 out of memory). */
void gs_reply_json(gs_reply *rp, int status, json_t *json);

/* Parse the body as a JSON object.  On failure fills rp with 400 and a
 * message naming line and column, and returns NULL. */
json_t *gs_request_json(const gs_request *rq, gs_reply *rp);

/* Is s[0..len) a safe example name (letters, digits, '-', '_'; at most 64),
 * so that it can never name a file outside the examples' directory? */
int gs_server_safe_name(const char *s, size_t len);

/* The examples data/DIR/NAME.yaml as a JSON array of {"name": NAME, ...},
 * each object completed by describe(path, object) when not NULL. */
json_t *gs_server_examples(const char *dir, void (*describe)(const char *path, json_t *o));

/* The one line every report carries (DESIGN.md, honesty rules). */
#define GS_DISCLAIMER "Exploratory model output: not a diagnosis and not treatment advice."

/* ---- endpoint handlers, grouped by file ------------------------------- */
/* api_model.c */
void gs_api_blocks(gs_request *rq, gs_reply *rp);
void gs_api_params(gs_request *rq, gs_reply *rp);
void gs_api_interventions(gs_request *rq, gs_reply *rp);
void gs_api_links(gs_request *rq, gs_reply *rp);
/* api_simulate.c */
void gs_api_scenarios(gs_request *rq, gs_reply *rp);
void gs_api_scenario_get(gs_request *rq, gs_reply *rp);
void gs_api_simulate(gs_request *rq, gs_reply *rp);
/* api_trials.c */
void gs_api_trials_list(gs_request *rq, gs_reply *rp);
void gs_api_trial_example(gs_request *rq, gs_reply *rp);
void gs_api_trial_submit(gs_request *rq, gs_reply *rp);
void gs_api_trial_get(gs_request *rq, gs_reply *rp);
void gs_api_trial_cancel(gs_request *rq, gs_reply *rp);
void gs_api_calibration(gs_request *rq, gs_reply *rp);
/* api_entries.c (the journal) */
void gs_api_entries_list(gs_request *rq, gs_reply *rp);
void gs_api_entries_create(gs_request *rq, gs_reply *rp);
void gs_api_entry_get(gs_request *rq, gs_reply *rp);
void gs_api_entry_update(gs_request *rq, gs_reply *rp);
void gs_api_entry_delete(gs_request *rq, gs_reply *rp);
void gs_api_interventions_list(gs_request *rq, gs_reply *rp);
void gs_api_intervention_start(gs_request *rq, gs_reply *rp);
void gs_api_intervention_stop(gs_request *rq, gs_reply *rp);
void gs_api_config_get(gs_request *rq, gs_reply *rp);
void gs_api_config_day_start(gs_request *rq, gs_reply *rp);
/* api_foods.c */
void gs_api_foods_suggest(gs_request *rq, gs_reply *rp);
void gs_api_foods_untagged(gs_request *rq, gs_reply *rp);
void gs_api_tags_list(gs_request *rq, gs_reply *rp);
void gs_api_tags_add(gs_request *rq, gs_reply *rp);
/* api_check.c */
void gs_api_check_instrument(gs_request *rq, gs_reply *rp);
void gs_api_check_submit(gs_request *rq, gs_reply *rp);
void gs_api_check_responses(gs_request *rq, gs_reply *rp);
/* api_port.c */
void gs_api_export(gs_request *rq, gs_reply *rp);
void gs_api_import(gs_request *rq, gs_reply *rp);
/* api_analyze.c */
void gs_api_analyze_triggers(gs_request *rq, gs_reply *rp);
void gs_api_analyze_effect(gs_request *rq, gs_reply *rp);
void gs_api_analyze_power(gs_request *rq, gs_reply *rp);

#endif
