/*
 * bench/journal_write.c - how many entries per second the journal takes
 * through gs_db_add: each in its own transaction (what one HTTP request
 * per entry costs), and in batches inside gs_db_begin/gs_db_commit.
 * Issue 5 needs at least 2000 per second through HTTP.
 *
 * usage: journal_write DIR [N]   (a fresh journal is made in DIR)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "gutskin/journal.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int run(const char *path, long n, long batch, double *rate)
{
    gs_db *db;
    gs_err err;
    if (gs_db_open(path, &db, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    gs_event ev;
    gs_event_init(&ev, GS_EVENT_GUT);
    snprintf(ev.name, sizeof ev.name, "bloating");
    gs_time_parse("2026-03-01T08:00", &ev.at, &err);
    double t0 = now_s();
    for (long i = 0; i < n; i++) {
        if (batch > 1 && i % batch == 0 && gs_db_begin(db, &err)) goto fail;
        ev.value = (double)(i % 11);
        ev.at.wall += 60;
        if (gs_db_add(db, &ev, &err)) goto fail;
        if (batch > 1 && (i % batch == batch - 1 || i == n - 1) && gs_db_commit(db, &err))
            goto fail;
    }
    *rate = n / (now_s() - t0);
    gs_db_close(db);
    return 0;
fail:
    fprintf(stderr, "%s\n", err.msg);
    gs_db_close(db);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: journal_write DIR [N]\n");
        return 2;
    }
    long n = argc > 2 ? atol(argv[2]) : 20000;
    char path[4096];
    double one, batched;
    snprintf(path, sizeof path, "%s/one.db", argv[1]);
    if (run(path, n, 1, &one)) return 1;
    snprintf(path, sizeof path, "%s/batched.db", argv[1]);
    if (run(path, n, 100, &batched)) return 1;
    printf("entries: %ld\n", n);
    printf("one transaction per entry: %.0f entries/s\n", one);
    printf("batches of 100: %.0f entries/s\n", batched);
    return 0;
}
