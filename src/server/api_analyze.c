/*
 * api_analyze.c - GET /api/v1/analyze/{triggers,effect,power}: the
 * statistics on the journal, as `gutskin analyze ... --format json`
 * prints them.
 *
 * The analyses live in one place, the analyze command (src/cli/
 * cmd_analyze.c over src/stats/), which reads the journal, builds the
 * daily panel and words the readings.  Rather than keep a second copy of
 * that in the server, a request runs the same binary as a child process
 * (the server's own executable, found at start) with the journal's path
 * and the request's options, and answers its JSON.  A child also keeps a
 * long permutation scan off the server's memory and lets it use every
 * core.  Options reach the child as single "--name=value" arguments,
 * never through a shell; the command checks them and its sentence comes
 * back as a 400 naming the field.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "server/api_journal.h"

extern char **environ;

#define ARGS_MAX 24
#define OUT_MAX (16 * 1024 * 1024)

/* The query parameters an analysis takes and the options they become. */
typedef struct param {
    const char *query, *option;
} param;

static const param TRIGGERS[] = {{"outcome", "--outcome"}, {"lags", "--lags"},
                                 {"permutations", "--permutations"}, {"seed", "--seed"},
                                 {"min_days", "--min-days"}, {NULL, NULL}};
static const param EFFECT[] = {{"outcome", "--outcome"}, {"washin", "--washin"}, {NULL, NULL}};
static const param POWER[] = {{"outcome", "--outcome"}, {"change", "--change"},
                              {"days_so_far", "--days-so-far"}, {"before", "--before"},
                              {"sd", "--sd"}, {"phi", "--phi"}, {"reps", "--reps"},
                              {"seed", "--seed"}, {NULL, NULL}};

/* Read both pipes to the end (the child may fill either first). */
static int drain(int out_fd, int err_fd, char **out, size_t *out_len, char *err, size_t err_cap)
{
    size_t cap = 65536, len = 0, elen = 0;
    char *buf = malloc(cap);
    if (!buf) return -1;
    struct pollfd p[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
    int open_fds = 2;
    while (open_fds > 0) {
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (int k = 0; k < 2; k++) {
            if (p[k].fd < 0 || !(p[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char chunk[65536];
            ssize_t n = read(p[k].fd, chunk, sizeof chunk);
            if (n <= 0) {
                p[k].fd = -1;
                open_fds--;
                continue;
            }
            if (k == 0) {
                if (len + (size_t)n + 1 > cap && cap < OUT_MAX) {
                    while (len + (size_t)n + 1 > cap && cap < OUT_MAX) cap *= 2;
                    char *grown = realloc(buf, cap);
                    if (!grown) break;
                    buf = grown;
                }
                size_t take = len + (size_t)n + 1 <= cap ? (size_t)n : cap - len - 1;
                memcpy(buf + len, chunk, take);
                len += take;
            } else {
                size_t take = elen + (size_t)n + 1 <= err_cap ? (size_t)n : err_cap - elen - 1;
                memcpy(err + elen, chunk, take);
                elen += take;
            }
        }
    }
    buf[len] = '\0';
    err[elen] = '\0';
    *out = buf;
    *out_len = len;
    return 0;
}

/* "--min-days 10 is ..." -> "min_days" when it names one of ps, else NULL */
static const char *field_of(const char *msg, const param *ps, const char *name_field)
{
    for (const param *p = ps; p->query; p++)
        if (strstr(msg, p->option)) return p->query;
    return name_field;
}

static void run(gs_request *rq, gs_reply *rp, const char *what, const param *ps,
                const char *name)
{
    const char *exe = rq->ctx->exe;
    if (!exe || !exe[0]) {
        gs_reply_error(rp, 500, NULL, "the server does not know where its own gutskin binary "
                       "is, so it cannot run the analysis");
        return;
    }
    char *argv[ARGS_MAX];
    char *owned[ARGS_MAX];
    int argc = 0, n_owned = 0;
    argv[argc++] = (char *)exe;
    argv[argc++] = "analyze";
    argv[argc++] = (char *)what;
    if (name) argv[argc++] = (char *)name;
    argv[argc++] = "--format=json";
    char dbopt[4200];
    snprintf(dbopt, sizeof dbopt, "--db=%s", gs_sjournal_path(rq->ctx->journal));
    argv[argc++] = dbopt;
    for (const param *p = ps; p->query && argc < ARGS_MAX - 1; p++) {
        const char *v = gs_request_query(rq, p->query);
        if (!v) continue;
        if (!v[0] || strlen(v) > 200) {
            gs_reply_error(rp, 400, p->query, "%s must be 1 to 200 characters", p->query);
            goto done;
        }
        if (asprintf(&owned[n_owned], "%s=%s", p->option, v) < 0) {
            gs_reply_error(rp, 500, NULL, "out of memory");
            goto done;
        }
        argv[argc++] = owned[n_owned++];
    }
    argv[argc] = NULL;

    int out_pipe[2], err_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) < 0) {
        gs_reply_error(rp, 500, NULL, "cannot start the analysis: %s", strerror(errno));
        goto done;
    }
    if (pipe2(err_pipe, O_CLOEXEC) < 0) {
        close(out_pipe[0]);
        close(out_pipe[1]);
        gs_reply_error(rp, 500, NULL, "cannot start the analysis: %s", strerror(errno));
        goto done;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out_pipe[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&fa, err_pipe[1], STDERR_FILENO);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    /* `serve` blocks SIGINT and SIGTERM in every thread (it waits for them
     * in sigwait); the child gets them back, and their default actions */
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, deflt;
    sigemptyset(&none);
    sigemptyset(&deflt);
    sigaddset(&deflt, SIGINT);
    sigaddset(&deflt, SIGTERM);
    sigaddset(&deflt, SIGPIPE);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &deflt);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid;
    int rc = posix_spawn(&pid, exe, &fa, &attr, argv, environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (rc != 0) {
        close(out_pipe[0]);
        close(err_pipe[0]);
        gs_reply_error(rp, 500, NULL, "cannot run %s: %s", exe, strerror(rc));
        goto done;
    }
    char *out = NULL, err[2048];
    size_t out_len = 0;
    int drained = drain(out_pipe[0], err_pipe[0], &out, &out_len, err, sizeof err);
    close(out_pipe[0]);
    close(err_pipe[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    /* the command's one sentence, without its "gutskin analyze X: " prefix
     * and without the disclaimer line it always adds */
    char *line = err, *msg = err;
    while (line && *line) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        if (!strstr(line, "Not a diagnosis")) { msg = line; break; }
        line = nl ? nl + 1 : NULL;
    }
    char prefix[64];
    snprintf(prefix, sizeof prefix, "gutskin analyze %s: ", what);
    if (strncmp(msg, prefix, strlen(prefix)) == 0) msg += strlen(prefix);
    if (drained < 0) {
        gs_reply_error(rp, 500, NULL, "out of memory reading the analysis");
    } else if (code == 0) {
        json_error_t je;
        json_t *doc = json_loadb(out, out_len, 0, &je);
        if (doc) gs_reply_json(rp, 200, doc);
        else gs_reply_error(rp, 500, NULL, "the analysis printed no JSON: %s", je.text);
    } else if (code == 2) {
        gs_reply_error(rp, 400, field_of(msg, ps, name ? "name" : NULL), "%s", msg);
    } else {
        gs_reply_error(rp, 500, NULL, "the analysis failed (exit %d): %s", code, msg);
    }
    free(out);
done:
    for (int i = 0; i < n_owned; i++) free(owned[i]);
}

void gs_api_analyze_triggers(gs_request *rq, gs_reply *rp)
{
    run(rq, rp, "triggers", TRIGGERS, NULL);
}

void gs_api_analyze_effect(gs_request *rq, gs_reply *rp)
{
    const char *name = gs_request_query(rq, "name");
    if (!name || !name[0] || name[0] == '-' || strlen(name) > GS_EVENT_NAME_MAX) {
        gs_reply_error(rp, 400, "name", "name is required: the intervention (as started in "
                       "the journal) whose effect to estimate");
        return;
    }
    run(rq, rp, "effect", EFFECT, name);
}

void gs_api_analyze_power(gs_request *rq, gs_reply *rp)
{
    run(rq, rp, "power", POWER, NULL);
}
