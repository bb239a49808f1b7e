/*
 * server.c - `gutskin serve`'s HTTP layer on libmicrohttpd: the checks
 * every request passes (server.h's security model), the body limit, the
 * one-time login link, the embedded pages, and dispatch through the route
 * table to a handler.
 *
 * Order of the checks, and why:
 *   1. Host: a page on another site can point its own DNS name at
 *      127.0.0.1 (DNS rebinding); its requests then carry its name in Host,
 *      so anything but this server's address or localhost is refused (403)
 *      before anything else, for pages and API alike.
 *   2. Origin: a browser names the page that sent a request; when it is
 *      not this server the request is cross-site (403).  No CORS header is
 *      ever sent, so the browser will not let a foreign page read a reply.
 *   3. Body size: refused before reading (Content-Length) or as soon as a
 *      chunked body passes the limit (413); nothing is half-processed.
 *   4. Token, for /api/ only: a bearer header or the login cookie (401).
 *
 * Each connection's state (its body so far) hangs off MHD's per-request
 * pointer; the server itself is read-only after start, except the
 * one-time code's "used" flag (an atomic) and the pages' gzip forms, made
 * on first request under their own mutex.
 */
#define _GNU_SOURCE
#include "gutskin/server.h"

#include <arpa/inet.h>
#include <assert.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server/assets.h"
#include "server/http.h"
#include "server/jobs.h"
#include "server/journal_pool.h"

#define COOKIE_NAME "gs_token"
#define HOSTS_MAX 3
#define ASSETS_GZ_MAX 64  /* more pages than web/ holds; beyond: sent as they are */

#define CSP                                                                                  \
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "         \
    "form-action 'self'; frame-ancestors 'none'"

struct gs_server {
    struct MHD_Daemon *daemon;
    int port;
    char bind[INET_ADDRSTRLEN];
    char token[GS_SERVER_TOKEN_HEX + 1];
    char login_code[GS_SERVER_TOKEN_HEX + 1];
    atomic_int login_used;
    char host[HOSTS_MAX][64];    /* acceptable Host headers */
    char origin[HOSTS_MAX][80];  /* acceptable Origin headers */
    size_t n_hosts;
    size_t body_max;
    int quiet;
    gs_server_ctx ctx;
    /* the embedded pages' gzip forms, each made once on first request */
    pthread_mutex_t assets_lock;
    struct {
        const gs_asset *asset;
        gs_shared_bytes *gz;
    } assets_gz[ASSETS_GZ_MAX];
    size_t n_assets_gz;
};

/* What MHD keeps for us between the calls of one request. */
typedef struct conn_state {
    char *body;
    size_t len, cap;
    int too_big;
} conn_state;

/* ---- replies ------------------------------------------------------------- */

static void add_common_headers(struct MHD_Response *r)
{
    MHD_add_response_header(r, "Content-Security-Policy", CSP);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
}

/* A response that sends b and lets go of it when done; NULL (and b let
 * go of) when out of memory. */
static struct MHD_Response *shared_response(gs_shared_bytes *b)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer_with_free_callback_cls(b->len, b->data,
                                                               gs_shared_bytes_unref, b);
    if (!r) gs_shared_bytes_unref(b);
    return r;
}

/* The gzip form of text[0..len) for a client that accepts it, when worth
 * it (compress.c); NULL: send text as it is. */
static gs_shared_bytes *gzip_of(int gzip_ok, const char *type, const char *text, size_t len)
{
    if (!gzip_ok || len < GS_GZIP_MIN || !gs_http_compressible(type)) return NULL;
    return gs_gzip_new(text, len, GS_GZIP_LEVEL);
}

static enum MHD_Result send_reply(gs_server *s, struct MHD_Connection *c, const char *method,
                                  const char *url, gs_reply *rp)
{
    struct MHD_Response *r;
    const char *type = rp->type;
    int gzip_ok = gs_http_gzip_accepted(
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding"));
    int gzipped = 0;
    if (rp->gzipped) {  /* an embedded page, compressed once (static_file) */
        assert(rp->shared);
        r = shared_response(rp->shared);
        rp->shared = NULL;
        gzipped = 1;
    } else if (rp->json) {
        char *text = json_dumps(rp->json, JSON_COMPACT | JSON_REAL_PRECISION(10));
        json_decref(rp->json);
        rp->json = NULL;
        type = "application/json";
        if (!text) {
            static const char oom[] = "{\"error\":\"out of memory writing the reply\"}";
            rp->status = 500;
            r = MHD_create_response_from_buffer(sizeof oom - 1, (void *)oom, MHD_RESPMEM_PERSISTENT);
        } else {
            size_t len = strlen(text);
            gs_shared_bytes *gz = gzip_of(gzip_ok, type, text, len);
            if (gz) {
                free(text);
                r = shared_response(gz);
                gzipped = 1;
            } else {
                r = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
                if (!r) free(text);
            }
        }
    } else if (rp->shared) {
        gs_shared_bytes *b = rp->shared;
        rp->shared = NULL;
        if (gzip_ok && b->len >= GS_GZIP_MIN && gs_http_compressible(type)) {
            /* kept with b: a cached reply is compressed once */
            gs_shared_bytes *gz = gs_shared_bytes_gzip(b);
            if (gz) {
                gs_shared_bytes_unref(b);
                b = gz;
                gzipped = 1;
            }
        }
        r = shared_response(b);
    } else if (rp->raw_owned) {
        gs_shared_bytes *gz = gzip_of(gzip_ok, type, rp->raw_owned, rp->raw_len);
        if (gz) {
            free(rp->raw_owned);
            r = shared_response(gz);
            gzipped = 1;
        } else {
            r = MHD_create_response_from_buffer(rp->raw_len, rp->raw_owned, MHD_RESPMEM_MUST_FREE);
            if (!r) free(rp->raw_owned);
        }
        rp->raw_owned = NULL;
    } else {
        r = MHD_create_response_from_buffer(rp->raw_len, (void *)rp->raw, MHD_RESPMEM_PERSISTENT);
    }
    if (!r) return MHD_NO;
    if (type) MHD_add_response_header(r, "Content-Type", type);
    if (gzipped) MHD_add_response_header(r, "Content-Encoding", "gzip");
    /* a cache between us and the client must not hand one client's
     * encoding to another */
    if (gs_http_compressible(type) || rp->gzipped)
        MHD_add_response_header(r, "Vary", "Accept-Encoding");
    add_common_headers(r);
    MHD_add_response_header(r, "Cache-Control", rp->cache ? "max-age=60" : "no-store");
    if (rp->location[0]) MHD_add_response_header(r, "Location", rp->location);
    if (rp->cookie[0]) MHD_add_response_header(r, "Set-Cookie", rp->cookie);
    if (rp->allow[0]) MHD_add_response_header(r, "Allow", rp->allow);
    if (rp->status == 401) MHD_add_response_header(r, "WWW-Authenticate", "Bearer realm=\"gutskin\"");
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)rp->status, r);
    MHD_destroy_response(r);
    if (!s->quiet) fprintf(stderr, "gutskin serve: %s %s %d\n", method, url, rp->status);
    return ok;
}

static void plain_page(gs_reply *rp, int status, const char *html)
{
    rp->status = status;
    rp->raw = html;
    rp->raw_len = strlen(html);
    rp->type = "text/html; charset=utf-8";
}

/* ---- the checks ------------------------------------------------------------ */

static int host_ok(const gs_server *s, const char *host)
{
    if (!host) return 0;
    for (size_t i = 0; i < s->n_hosts; i++)
        if (strcasecmp(host, s->host[i]) == 0) return 1;
    return 0;
}

static int origin_ok(const gs_server *s, const char *origin)
{
    for (size_t i = 0; i < s->n_hosts; i++)
        if (strcasecmp(origin, s->origin[i]) == 0) return 1;
    return 0;
}

static int authorised(const gs_server *s, struct MHD_Connection *c)
{
    const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
        const char *t = auth + 7;
        while (*t == ' ') t++;
        return gs_server_secret_equal(t, strlen(t), s->token);
    }
    const char *cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, COOKIE_NAME);
    return cookie && gs_server_secret_equal(cookie, strlen(cookie), s->token);
}

/* GET /login?code=CODE: the one-time link.  Sets the cookie and sends the
 * browser to the app; the code works once. */
static void login(gs_server *s, struct MHD_Connection *c, gs_reply *rp)
{
    const char *code = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "code");
    if (!s->login_code[0] || !code ||
        !gs_server_secret_equal(code, strlen(code), s->login_code)) {
        plain_page(rp, 403, "<!doctype html><title>gutskin</title><p>This login link is not "
                            "valid. Use the link that <code>gutskin serve</code> printed.</p>\n");
        return;
    }
    if (atomic_exchange(&s->login_used, 1)) {
        plain_page(rp, 403, "<!doctype html><title>gutskin</title><p>This login link was "
                            "already used; each link works once. Restart <code>gutskin "
                            "serve</code> for a new one, or send the token from the token file "
                            "as <code>Authorization: Bearer</code>.</p>\n");
        return;
    }
    snprintf(rp->cookie, sizeof rp->cookie, "%s=%s; HttpOnly; SameSite=Strict; Path=/",
             COOKIE_NAME, s->token);
    snprintf(rp->location, sizeof rp->location, "/");
    plain_page(rp, 303, "<!doctype html><title>gutskin</title><p><a href=\"/\">Continue</a></p>\n");
}

/* A new reference to the gzip form of page a, made on its first request
 * (compressed once per server, at zlib's best level since it is once);
 * NULL: send it as it is (out of memory, or the table is full). */
static gs_shared_bytes *asset_gzip(gs_server *s, const gs_asset *a)
{
    gs_shared_bytes *gz = NULL;
    pthread_mutex_lock(&s->assets_lock);
    size_t i = 0;
    while (i < s->n_assets_gz && s->assets_gz[i].asset != a) i++;
    if (i < s->n_assets_gz) {
        gz = s->assets_gz[i].gz;
    } else if (i < ASSETS_GZ_MAX && (gz = gs_gzip_new((const char *)a->data, a->len, 9))) {
        s->assets_gz[i].asset = a;
        s->assets_gz[i].gz = gz;
        s->n_assets_gz++;
    }
    if (gz) gs_shared_bytes_ref(gz);
    pthread_mutex_unlock(&s->assets_lock);
    return gz;
}

/* Pages worth compressing: text (HTML, CSS, JavaScript, SVG) of 1 KiB or more. */
static int asset_compressible(const gs_asset *a)
{
    return a->len >= GS_GZIP_MIN &&
           (strncmp(a->type, "text/", 5) == 0 || strncmp(a->type, "image/svg", 9) == 0);
}

static void static_file(gs_server *s, struct MHD_Connection *c, const char *method,
                        const char *path, gs_reply *rp)
{
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        snprintf(rp->allow, sizeof rp->allow, "GET, HEAD");
        gs_reply_error(rp, 405, NULL, "pages are read with GET");
        return;
    }
    const gs_asset *a = gs_asset_find(strcmp(path, "/") == 0 ? "/index.html" : path);
    if (!a) {
        plain_page(rp, 404, "<!doctype html><title>gutskin</title><p>No such page. "
                            "<a href=\"/\">Start</a></p>\n");
        return;
    }
    rp->status = 200;
    rp->raw = (const char *)a->data;
    rp->raw_len = a->len;
    rp->type = a->type;
    if (asset_compressible(a) &&
        gs_http_gzip_accepted(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding")) &&
        (rp->shared = asset_gzip(s, a)))
        rp->gzipped = 1;
}

static void api(gs_server *s, struct MHD_Connection *c, const char *method, const char *path,
                conn_state *cs, gs_reply *rp)
{
    if (!authorised(s, c)) {
        gs_reply_error(rp, 401, NULL, "the access token is missing or wrong: send "
                       "'Authorization: Bearer TOKEN' (the token file that gutskin serve "
                       "names) or open the login link it printed");
        return;
    }
    gs_request rq = {0};
    rq.method = method;
    rq.path = path;
    rq.body = cs->body ? cs->body : "";
    rq.body_len = cs->len;
    rq.conn = c;
    rq.ctx = &s->ctx;
    int path_matched;
    const gs_route *route = gs_server_route_find(method, path, &rq, &path_matched, rp->allow,
                                                 sizeof rp->allow);
    if (route) {
        rp->allow[0] = '\0';
        route->fn(&rq, rp);
        return;
    }
    if (path_matched) {
        gs_reply_error(rp, 405, NULL, "%s is not allowed on %s; allowed: %s", method, path,
                       rp->allow);
        return;
    }
    rp->allow[0] = '\0';
    gs_reply_error(rp, 404, NULL, "no endpoint %s %s; GET /api/v1 lists them", method, path);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **state)
{
    (void)version;
    gs_server *s = cls;
    conn_state *cs = *state;
    gs_reply rp = {0};
    if (!cs) {  /* the first call: headers only */
        if (!(cs = calloc(1, sizeof *cs))) return MHD_NO;
        *state = cs;
        const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
        if (!host_ok(s, host)) {
            gs_reply_error(&rp, 403, NULL, "the Host header '%s' is not this server's address "
                           "(%s); open %s instead", host ? host : "", s->host[0], s->origin[0]);
            return send_reply(s, c, method, url, &rp);
        }
        const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
        if (origin && !origin_ok(s, origin)) {
            gs_reply_error(&rp, 403, NULL, "requests from another site (Origin %s) are refused",
                           origin);
            return send_reply(s, c, method, url, &rp);
        }
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > s->body_max) {
            gs_reply_error(&rp, 413, NULL, "the request body of %s bytes is larger than the "
                           "%zu bytes allowed", cl, s->body_max);
            return send_reply(s, c, method, url, &rp);
        }
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        if (cs->too_big) return MHD_YES;
        if (cs->len + n > s->body_max) {
            cs->too_big = 1;
            free(cs->body);
            cs->body = NULL;
            cs->len = cs->cap = 0;
            return MHD_YES;
        }
        if (cs->len + n + 1 > cs->cap) {
            size_t cap = cs->cap ? cs->cap : 4096;
            while (cap < cs->len + n + 1) cap *= 2;
            char *b = realloc(cs->body, cap);
            if (!b) return MHD_NO;
            cs->body = b;
            cs->cap = cap;
        }
        memcpy(cs->body + cs->len, upload_data, n);
        cs->len += n;
        cs->body[cs->len] = '\0';
        return MHD_YES;
    }
    if (cs->too_big) {
        gs_reply_error(&rp, 413, NULL, "the request body is larger than the %zu bytes allowed",
                       s->body_max);
    } else if (strncmp(url, "/api/", 5) == 0 || strcmp(url, "/api") == 0) {
        api(s, c, method, url, cs, &rp);
    } else if (strcmp(url, "/login") == 0 && strcmp(method, "GET") != 0) {
        snprintf(rp.allow, sizeof rp.allow, "GET");
        gs_reply_error(&rp, 405, NULL, "the login link is opened with GET");
    } else if (strcmp(url, "/login") == 0) {
        login(s, c, &rp);
    } else {
        static_file(s, c, method, url, &rp);
    }
    return send_reply(s, c, method, url, &rp);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **state,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)c, (void)toe;
    conn_state *cs = *state;
    if (!cs) return;
    free(cs->body);
    free(cs);
    *state = NULL;
}

/* ---- start and stop ------------------------------------------------------- */

static int is_hex(const char *s, size_t len)
{
    if (!s || strlen(s) != len) return 0;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return 0;
    return 1;
}

gs_status gs_server_start(const gs_server_opts *o, gs_server **out, gs_err *err)
{
    assert(o && out);
    *out = NULL;
    const char *bind = o->bind ? o->bind : "127.0.0.1";
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    if (inet_pton(AF_INET, bind, &addr.sin_addr) != 1)
        return gs_fail(err, GS_ERR_INPUT, "--bind '%s' is not a numeric IPv4 address such as "
                       "127.0.0.1", bind);
    if (o->port < 0 || o->port > 65535)
        return gs_fail(err, GS_ERR_INPUT, "--port %d is outside 0 to 65535", o->port);
    if (!is_hex(o->token, GS_SERVER_TOKEN_HEX))
        return gs_fail(err, GS_ERR_INPUT, "the access token must be %d lowercase hex digits",
                       GS_SERVER_TOKEN_HEX);
    if (o->login_code && !is_hex(o->login_code, GS_SERVER_TOKEN_HEX))
        return gs_fail(err, GS_ERR_INPUT, "the login code must be %d lowercase hex digits",
                       GS_SERVER_TOKEN_HEX);
    addr.sin_port = htons((uint16_t)o->port);

    gs_server *s = calloc(1, sizeof *s);
    if (!s) return gs_fail(err, GS_ERR_NOMEM, "out of memory for the server");
    snprintf(s->bind, sizeof s->bind, "%s", bind);
    snprintf(s->token, sizeof s->token, "%s", o->token);
    if (o->login_code) snprintf(s->login_code, sizeof s->login_code, "%s", o->login_code);
    atomic_init(&s->login_used, 0);
    s->body_max = o->body_max ? o->body_max : GS_SERVER_BODY_MAX;
    s->quiet = o->quiet;
    pthread_mutex_init(&s->assets_lock, NULL);
    s->ctx.job_threads = o->job_threads;
    gs_status st = gs_jobs_new(o->job_threads, &s->ctx.jobs, err);
    if (st != GS_OK) {
        free(s);
        return st;
    }
    unsigned threads = o->http_threads > 0 ? (unsigned)o->http_threads : 4;
    /* default: one reader per HTTP thread and the writers' connection */
    st = gs_sjournal_open(o->db_path,
                          o->db_connections > 0 ? o->db_connections : (int)threads + 1,
                          &s->ctx.journal, err);
    if (st != GS_OK) {
        gs_jobs_free(s->ctx.jobs);
        free(s);
        return st;
    }
    s->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, 0, NULL, NULL, on_request, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned)512, MHD_OPTION_END);
    if (!s->daemon) {
        gs_sjournal_close(s->ctx.journal);
        gs_jobs_free(s->ctx.jobs);
        free(s);
        return gs_fail(err, GS_ERR_IO, "cannot listen on %s:%d (in use by another program, or "
                       "not an address of this machine); choose another --port", bind, o->port);
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : o->port;
    const char *names[HOSTS_MAX] = {"127.0.0.1", "localhost", bind};
    size_t n_names = strcmp(bind, "127.0.0.1") == 0 ? 2 : 3;
    for (size_t i = 0; i < n_names; i++) {
        /* a non-loopback bind address comes first: it is what others type */
        const char *h = n_names == 3 ? names[(i + 2) % 3] : names[i];
        snprintf(s->host[i], sizeof s->host[i], "%s:%d", h, s->port);
        snprintf(s->origin[i], sizeof s->origin[i], "http://%s:%d", h, s->port);
    }
    s->n_hosts = n_names;
    *out = s;
    return GS_OK;
}

int gs_server_port(const gs_server *s)
{
    return s->port;
}

void gs_server_stop(gs_server *s)
{
    if (!s) return;
    MHD_stop_daemon(s->daemon);
    gs_jobs_free(s->ctx.jobs);
    gs_sjournal_close(s->ctx.journal);
    for (size_t i = 0; i < s->n_assets_gz; i++) gs_shared_bytes_unref(s->assets_gz[i].gz);
    pthread_mutex_destroy(&s->assets_lock);
    free(s);
}
