/*
 * plot.h - a small line-chart writer (cairo, PNG) for time courses.
 *
 * One figure: a title, a row of labelled bars on the time axis (the
 * interventions), then panels stacked vertically that share the x axis,
 * each with its own y axis, series and legend, and a one-line note at the
 * bottom.  The caller chooses and scales the data; this only draws.
 */
#ifndef GUTSKIN_PLOT_H
#define GUTSKIN_PLOT_H

#include <stddef.h>

#include "gutskin/status.h"

typedef struct gs_plot_series {
    const char *label;   /* legend text */
    const double *y;     /* n values, one per x */
} gs_plot_series;

typedef struct gs_plot_panel {
    const char *title;   /* drawn at the panel's top left */
    const char *ylabel;  /* y axis label (unit, or "relative to day 0") */
    const gs_plot_series *series;
    size_t n_series;
} gs_plot_panel;

typedef struct gs_plot_bar {
    const char *label;   /* e.g. "fibre 30 g/day" */
    double start, stop;  /* in x units */
} gs_plot_bar;

typedef struct gs_plot {
    int width, height;   /* pixels; 0 for 1200 x 900 */
    const char *title;
    const char *note;    /* one line at the bottom, may be NULL */
    const char *xlabel;
    const double *x;     /* n ascending values */
    size_t n;
    const gs_plot_panel *panels;
    size_t n_panels;
    const gs_plot_bar *bars;
    size_t n_bars;
} gs_plot;

/* Draw the figure and write it as a PNG to path (the file is written
 * directly; callers wanting atomicity pass a temporary path).  Fails with
 * GS_ERR_INPUT for an empty figure and GS_ERR_IO naming the path when
 * cairo cannot write it.  Non-finite values leave gaps in a line. */
gs_status gs_plot_write_png(const gs_plot *p, const char *path, gs_err *err);

#endif
