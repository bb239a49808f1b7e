/*
 * progress.h - a progress bar on stderr for long runs (trials, later
 * calibration and benchmarks), with items per second and time left.
 *
 * DESIGN.md: progress goes to stderr, only when stderr is a terminal or
 * the user asked for it, and only for runs long enough to need it: the
 * bar first appears one second after the start, so a quick run prints
 * nothing.  gs_progress_add may be called from many threads at once; one
 * of them redraws at most ten times a second.  Never on stdout, so data
 * output stays clean.
 */
#ifndef GUTSKIN_PROGRESS_H
#define GUTSKIN_PROGRESS_H

#include <stdio.h>

typedef struct gs_progress gs_progress;

typedef enum gs_progress_mode {
    GS_PROGRESS_AUTO,    /* show when `out` is a terminal */
    GS_PROGRESS_ALWAYS,  /* show (--progress), terminal or not */
    GS_PROGRESS_NEVER
} gs_progress_mode;

/* A bar counting `total` items called `unit` ("patients") on out (stderr
 * when NULL).  Returns NULL when out of memory, or when mode says the bar
 * is not wanted; every function accepts NULL and then does nothing. */
gs_progress *gs_progress_new(const char *unit, long total, gs_progress_mode mode,
                             FILE *out);

/* n more items are done.  Thread-safe. */
void gs_progress_add(gs_progress *p, long n);

/* Items done so far. */
long gs_progress_done(const gs_progress *p);

/* Draw the final state (when the bar was ever shown), end its line and
 * free it. */
void gs_progress_finish(gs_progress *p);

#endif
