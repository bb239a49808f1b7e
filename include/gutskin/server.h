/*
 * server.h - the local web app's HTTP server (`gutskin serve`, docs/web.md).
 *
 * One process serves the JSON API under /api/v1 and the static pages that
 * were embedded into the binary at build time.  It is meant for one person
 * on their own machine, so the security model is that of a local service
 * that a web page in the same browser must not be able to reach:
 *
 *   - every /api/ call needs the access token, as "Authorization: Bearer
 *     TOKEN" or as the HttpOnly SameSite=Strict cookie that the one-time
 *     login link sets; comparisons take constant time (401 otherwise);
 *   - the Host header must name the bound address or localhost with the
 *     server's port (403 otherwise: DNS rebinding), and an Origin header,
 *     when present, must be this server's own origin (403: cross-site);
 *   - no CORS headers are ever sent; request bodies are limited (413);
 *   - every response carries Content-Security-Policy default-src 'self'
 *     and X-Content-Type-Options nosniff.
 *
 * The server holds no global state: everything lives in the gs_server the
 * caller starts and stops.  Endpoints are rows of a route table
 * (src/server/routes.c), the way the command's subcommands are rows of
 * main.c's table.
 */
#ifndef GUTSKIN_SERVER_H
#define GUTSKIN_SERVER_H

#include <stddef.h>

#include "gutskin/status.h"

#define GS_SERVER_PORT_DEFAULT 8473
#define GS_SERVER_BODY_MAX (1024 * 1024)  /* bytes of a request body */
#define GS_SERVER_TOKEN_BYTES 32          /* random bytes of a token */
#define GS_SERVER_TOKEN_HEX (2 * GS_SERVER_TOKEN_BYTES)
#define GS_SERVER_TOKEN_FILE "serve.token"

typedef struct gs_server_opts {
    const char *bind;       /* numeric IPv4 address; NULL: 127.0.0.1 */
    int port;               /* 0: a free port the system picks */
    const char *token;      /* GS_SERVER_TOKEN_HEX hex digits */
    const char *login_code; /* the one-time login link's code, hex; NULL: none */
    int http_threads;       /* connection thread pool; <= 0: 4 */
    int job_threads;        /* OpenMP threads of one trial job; <= 0: OpenMP's default */
    size_t body_max;        /* 0: GS_SERVER_BODY_MAX */
    int quiet;              /* 1: do not log requests on stderr */
    const char *db_path;    /* the journal; NULL: the default journal */
    int db_connections;     /* connections to it; <= 0: one per HTTP thread plus
                               the writers' one; 1: one shared by everything */
} gs_server_opts;

typedef struct gs_server gs_server;

/* Start serving in background threads (libmicrohttpd's thread pool over
 * epoll, plus one job thread for trials and calibration), with the
 * journal at opts->db_path open.  Fails with GS_ERR_INPUT for a bad
 * address or option or a file that is not a journal, and GS_ERR_IO when
 * the port cannot be bound or the journal cannot be opened.  Stop and free with gs_server_stop. */
gs_status gs_server_start(const gs_server_opts *opts, gs_server **out, gs_err *err);

/* The port actually bound (the one the system picked for port 0). */
int gs_server_port(const gs_server *s);

/* Stop accepting, cancel running jobs, wait for every thread, free. */
void gs_server_stop(gs_server *s);

/* ---- access token (src/server/token.c) --------------------------------- */

/* The token file for a journal at db_path: "serve.token" in the journal's
 * directory; db_path NULL means the default journal's (gs_db_default_path:
 * $XDG_DATA_HOME/gutskin, else $HOME/.local/share/gutskin). */
gs_status gs_server_token_path(const char *db_path, char *buf, size_t len, gs_err *err);

/* Read the token at path, or create it (and its directory, mode 0700)
 * with GS_SERVER_TOKEN_BYTES random bytes as hex, mode 0600, when it does
 * not exist.  Refuses a token file that others may read (mode & 077) or
 * that does not hold exactly GS_SERVER_TOKEN_HEX hex digits.
 * *created says which happened.  token needs GS_SERVER_TOKEN_HEX + 1. */
gs_status gs_server_token_load_or_create(const char *path, char *token, int *created,
                                         gs_err *err);

/* n random bytes from getrandom(2) (or /dev/urandom) as 2n lowercase hex
 * digits plus a NUL into out. */
gs_status gs_server_random_hex(char *out, size_t n_bytes, gs_err *err);

/* 1 when a equals b, in time that depends only on the length of b (the
 * secret's), not on where they differ.  NULL a never equals. */
int gs_server_secret_equal(const char *a, size_t a_len, const char *b);

#endif
