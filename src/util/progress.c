/*
 * progress.c - the progress bar of progress.h.
 *
 * The count is a C11 atomic, so worker threads only add to it; whichever
 * thread wins an atomic flag redraws, at most every 100 ms, starting one
 * second after the bar was created.  Time left is the items still to do
 * divided by the mean rate so far.  A redraw is one line starting with a
 * carriage return; in a log file (--progress to a file) the lines simply
 * accumulate, one every 100 ms at most.  No paper: this is plumbing.
 */
#define _POSIX_C_SOURCE 200809L
#include "gutskin/progress.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SHOW_AFTER 1.0      /* seconds before the bar first appears */
#define REDRAW_EVERY 0.1    /* seconds between redraws */
#define BAR_WIDTH 30

struct gs_progress {
    FILE *out;
    char unit[32];
    long total;
    struct timespec start;
    atomic_long done;
    atomic_flag drawing;
    double last_draw;       /* seconds since start; written under `drawing` */
    int shown;              /* written under `drawing` */
};

static double seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + 1e-9 * (double)(now.tv_nsec - t0->tv_nsec);
}

gs_progress *gs_progress_new(const char *unit, long total, gs_progress_mode mode, FILE *out)
{
    if (!out) out = stderr;
    if (mode == GS_PROGRESS_NEVER) return NULL;
    if (mode == GS_PROGRESS_AUTO && !isatty(fileno(out))) return NULL;
    gs_progress *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->out = out;
    snprintf(p->unit, sizeof p->unit, "%s", unit ? unit : "items");
    p->total = total > 0 ? total : 0;
    clock_gettime(CLOCK_MONOTONIC, &p->start);
    atomic_init(&p->done, 0);
    atomic_flag_clear(&p->drawing);
    return p;
}

/* "1:02:03" or "2:03" */
static void format_duration(double s, char *buf, size_t len)
{
    if (!(s >= 0) || s > 1e7) {
        snprintf(buf, len, "--:--");
        return;
    }
    long t = (long)(s + 0.5);
    if (t >= 3600) snprintf(buf, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else snprintf(buf, len, "%ld:%02ld", t / 60, t % 60);
}

static void draw(gs_progress *p, long done, double elapsed)
{
    double frac = p->total > 0 ? (double)done / (double)p->total : 0;
    if (frac > 1) frac = 1;
    int filled = (int)(frac * BAR_WIDTH);
    char bar[BAR_WIDTH + 1];
    for (int i = 0; i < BAR_WIDTH; i++) bar[i] = i < filled ? '#' : '.';
    bar[BAR_WIDTH] = '\0';
    double rate = elapsed > 0 ? (double)done / elapsed : 0;
    char left[32], spent[32];
    format_duration(rate > 0 ? (double)(p->total - done) / rate : -1, left, sizeof left);
    format_duration(elapsed, spent, sizeof spent);
    fprintf(p->out, "\r[%s] %ld/%ld %s  %.0f %s/s  %s elapsed  %s left ", bar, done,
            p->total, p->unit, rate, p->unit, spent, left);
    fflush(p->out);
    p->shown = 1;
    p->last_draw = elapsed;
}

void gs_progress_add(gs_progress *p, long n)
{
    if (!p) return;
    long done = atomic_fetch_add(&p->done, n) + n;
    if (atomic_flag_test_and_set(&p->drawing)) return;  /* another thread draws */
    double elapsed = seconds_since(&p->start);
    if (elapsed >= SHOW_AFTER && (!p->shown || elapsed - p->last_draw >= REDRAW_EVERY))
        draw(p, done, elapsed);
    atomic_flag_clear(&p->drawing);
}

long gs_progress_done(const gs_progress *p)
{
    return p ? atomic_load(&((gs_progress *)p)->done) : 0;
}

void gs_progress_finish(gs_progress *p)
{
    if (!p) return;
    if (p->shown) {
        draw(p, atomic_load(&p->done), seconds_since(&p->start));
        fputc('\n', p->out);
        fflush(p->out);
    }
    free(p);
}
