/*
 * cmd_serve.c - `gutskin serve`: the local web app (docs/web.md).
 *
 * Reads or creates the access token beside the journal, starts the server
 * (src/server/), prints the address and a one-time login link on stdout,
 * and serves until SIGINT or SIGTERM.  The signals are blocked before any
 * thread starts, so the server's threads inherit the mask and only this
 * thread receives them, in sigwait: no handler, no global flag.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "gutskin/server.h"

#define CMD "serve"

static void help(void)
{
    printf("usage: gutskin serve [--port N] [--bind ADDRESS] [--db PATH] [--token-file PATH]\n"
           "                     [--threads N] [--db-connections N] [--quiet]\n\n"
           "Serves the local web app: pages (Today, Timeline, Self-check, Simulator, ...)\n"
           "and the JSON API under /api/v1 (docs/web.md) on the journal at --db.  Prints\n"
           "the address and a one-time login link that sets a cookie in the browser;\n"
           "scripts send the token from the token file as 'Authorization: Bearer TOKEN'.\n"
           "Stops on Ctrl-C.\n\n"
           "options:\n"
           "  --port N          TCP port (default %d; 0: any free port, printed)\n"
           "  --bind ADDRESS    numeric IPv4 address to listen on (default 127.0.0.1);\n"
           "                    anything but loopback lets other machines connect and\n"
           "                    prints a warning\n"
           "  --db PATH         the journal; the token file serve.token lives beside it\n"
           "                    (default directory: $XDG_DATA_HOME/gutskin, else\n"
           "                    ~/.local/share/gutskin)\n"
           "  --token-file PATH where the access token is kept (created with mode 0600)\n"
           "  --threads N       HTTP worker threads (default 4)\n"
           "  --db-connections N  SQLite connections to the journal (default: one per\n"
           "                    thread for reading plus one for writing; 1: one\n"
           "                    connection behind a mutex)\n"
           "  --quiet           do not log requests on stderr\n\n"
           "exit status: 0 stopped by a signal, 1 the server could not start, 2 a bad option.\n\n"
           "Exploratory model output: not a diagnosis and not treatment advice.\n",
           GS_SERVER_PORT_DEFAULT);
}

/* Is the dotted IPv4 address a loopback one (127.0.0.0/8)? */
static int is_loopback(const char *addr)
{
    struct in_addr a;
    return inet_pton(AF_INET, addr, &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

int gs_cmd_serve(int argc, char **argv)
{
    if (gs_cli_wants_help(argc, argv)) {
        help();
        return GS_EXIT_OK;
    }
    static const struct option longopts[] = {
        {"port", required_argument, NULL, 'p'},   {"bind", required_argument, NULL, 'b'},
        {"db", required_argument, NULL, 'd'},     {"token-file", required_argument, NULL, 't'},
        {"threads", required_argument, NULL, 'n'}, {"quiet", no_argument, NULL, 'q'},
        {"db-connections", required_argument, NULL, 'c'}, {NULL, 0, NULL, 0}};
    gs_server_opts o = {0};
    o.port = GS_SERVER_PORT_DEFAULT;
    const char *db = NULL, *token_file = NULL;
    optind = 1;
    opterr = 0;
    int c, rc;
    long long v;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (c) {
        case 'p':
            if ((rc = gs_cli_parse_whole(CMD, "--port", optarg, 0, 65535, &v))) return rc;
            o.port = (int)v;
            break;
        case 'b': o.bind = optarg; break;
        case 'd': db = optarg; break;
        case 't': token_file = optarg; break;
        case 'n':
            if ((rc = gs_cli_parse_whole(CMD, "--threads", optarg, 1, 256, &v))) return rc;
            o.http_threads = (int)v;
            break;
        case 'q': o.quiet = 1; break;
        case 'c':
            if ((rc = gs_cli_parse_whole(CMD, "--db-connections", optarg, 1, 256, &v))) return rc;
            o.db_connections = (int)v;
            break;
        default:
            return gs_cli_bad_option(CMD, c, argv);
        }
    }
    if (optind < argc)
        return gs_cli_error(CMD, GS_EXIT_USAGE, "unexpected '%s'; see --help", argv[optind]);
    if (db && !db[0]) return gs_cli_error(CMD, GS_EXIT_USAGE, "--db needs a path");
    if (token_file && !token_file[0])
        return gs_cli_error(CMD, GS_EXIT_USAGE, "--token-file needs a path");
    struct in_addr probe;
    if (o.bind && inet_pton(AF_INET, o.bind, &probe) != 1)
        return gs_cli_error(CMD, GS_EXIT_USAGE, "--bind '%s' is not a numeric IPv4 address "
                            "such as 127.0.0.1", o.bind);

    gs_err err;
    gs_err_clear(&err);
    char path[4096], token[GS_SERVER_TOKEN_HEX + 1], code[GS_SERVER_TOKEN_HEX + 1];
    if (token_file) snprintf(path, sizeof path, "%s", token_file);
    else if (gs_server_token_path(db, path, sizeof path, &err) != GS_OK)
        return gs_cli_fail(CMD, &err);
    int created;
    if (gs_server_token_load_or_create(path, token, &created, &err) != GS_OK ||
        gs_server_random_hex(code, GS_SERVER_TOKEN_BYTES, &err) != GS_OK)
        return gs_cli_fail(CMD, &err);
    o.token = token;
    o.login_code = code;
    o.db_path = db;

    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);

    gs_server *srv;
    if (gs_server_start(&o, &srv, &err) != GS_OK) return gs_cli_fail(CMD, &err);
    const char *bind = o.bind ? o.bind : "127.0.0.1";
    if (!is_loopback(bind))
        fprintf(stderr, "gutskin %s: WARNING: listening on %s, not on loopback: other machines "
                "on the network can reach this server; anyone with the token can read and "
                "change the journal.  Traffic is plain HTTP (not encrypted).\n", CMD, bind);
    fprintf(stderr, "gutskin %s: %s the access token %s\n", CMD, created ? "created" : "using",
            path);
    fprintf(stderr, "gutskin %s: serving http://%s:%d/ until Ctrl-C; open this one-time "
            "link in your browser:\n", CMD, bind, gs_server_port(srv));
    printf("http://%s:%d/login?code=%s\n", bind, gs_server_port(srv), code);
    fflush(stdout);
    fprintf(stderr, "Exploratory model output: not a diagnosis and not treatment advice.\n");

    int sig;
    sigwait(&stop, &sig);
    fprintf(stderr, "gutskin %s: stopping (%s)\n", CMD, sig == SIGINT ? "SIGINT" : "SIGTERM");
    gs_server_stop(srv);
    return GS_EXIT_OK;
}
