/*
 * plot.c - line charts of time courses as PNG, with cairo's image surface
 * and its toy text API (no font configuration needed beyond a sans face).
 *
 * Layout, top to bottom: title; one lane per intervention bar, labelled;
 * the panels, equal heights, sharing the x axis (tick labels only under
 * the last); the x label; the note.  Each panel has a y axis with "nice"
 * ticks (1, 2, 5 x 10^k), its title and ylabel, and a legend to its right.
 * Bar spans are repeated in the panels as faint vertical lines so an
 * effect can be read against the day it started.
 *
 * No paper: this is drawing.
 */
#include "gutskin/plot.h"

#include <assert.h>
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define FONT "sans-serif"

typedef struct rgb {
    double r, g, b;
} rgb;

/* A palette that stays distinguishable in print and for common colour
 * vision deficiencies (Okabe & Ito 2008). */
static const rgb palette[] = {
    {0.000, 0.447, 0.698}, {0.835, 0.369, 0.000}, {0.000, 0.620, 0.451},
    {0.800, 0.475, 0.655}, {0.337, 0.706, 0.914}, {0.902, 0.624, 0.000},
    {0.400, 0.400, 0.400}, {0.000, 0.000, 0.000},
};
#define N_COLOURS (sizeof palette / sizeof palette[0])

static void set_colour(cairo_t *cr, size_t i, double alpha)
{
    const rgb *c = &palette[i % N_COLOURS];
    cairo_set_source_rgba(cr, c->r, c->g, c->b, alpha);
}

/* A tick step of 1, 2 or 5 x 10^k giving about `target` intervals. */
static double nice_step(double range, int target)
{
    assert(range > 0 && target > 0);
    double raw = range / target;
    double mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    double nice = f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10;
    return nice * mag;
}

/* Format a tick value without float noise (0.30000000000000004). */
static void tick_label(char *buf, size_t len, double v, double step)
{
    if (fabs(v) < step * 1e-6) v = 0;
    int decimals = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
    if (decimals > 9 || fabs(v) >= 1e6) snprintf(buf, len, "%.4g", v);
    else snprintf(buf, len, "%.*f", decimals, v);
}

static void text_at(cairo_t *cr, double x, double y, const char *s, double size,
                    double align /* 0 left, 0.5 centre, 1 right */)
{
    cairo_set_font_size(cr, size);
    cairo_text_extents_t ext;
    cairo_text_extents(cr, s, &ext);
    cairo_move_to(cr, x - align * ext.x_advance, y);
    cairo_show_text(cr, s);
}

/* Copy s into buf, shortened with "..." to fit width pixels at size. */
static const char *fit_text(cairo_t *cr, const char *s, double size, double width,
                            char *buf, size_t len)
{
    snprintf(buf, len, "%s", s);
    cairo_set_font_size(cr, size);
    cairo_text_extents_t ext;
    cairo_text_extents(cr, buf, &ext);
    size_t n = strlen(buf);
    while (ext.x_advance > width && n > 4) {
        n--;
        buf[n - 3] = '.';
        buf[n - 2] = '.';
        buf[n - 1] = '.';
        buf[n] = '\0';
        cairo_text_extents(cr, buf, &ext);
    }
    return buf;
}

typedef struct frame {
    double left, right, top, bottom;  /* pixels of the plotting area */
    double x0, x1, y0, y1;            /* data range */
} frame;

static double px_x(const frame *f, double x)
{
    return f->left + (x - f->x0) / (f->x1 - f->x0) * (f->right - f->left);
}
static double px_y(const frame *f, double y)
{
    return f->bottom - (y - f->y0) / (f->y1 - f->y0) * (f->bottom - f->top);
}

/* The data range of a panel, padded; a flat or empty panel gets a
 * visible range around its value. */
static void panel_range(const gs_plot *p, const gs_plot_panel *pan, double *lo, double *hi)
{
    double a = INFINITY, b = -INFINITY;
    for (size_t s = 0; s < pan->n_series; s++)
        for (size_t i = 0; i < p->n; i++) {
            double v = pan->series[s].y[i];
            if (!isfinite(v)) continue;
            if (v < a) a = v;
            if (v > b) b = v;
        }
    if (!(a <= b)) {
        a = 0;
        b = 1;
    }
    double span = b - a, mag = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    if (span <= 1e-4 * mag || span == 0) {
        /* flat at plotting resolution: show it as flat, not magnified
         * solver noise */
        double mid = (a + b) / 2;
        double d = mag > 0 ? mag * 0.05 : 1;
        a = mid;
        b = mid;
        a -= d;
        b += d;
    } else {
        a -= 0.06 * span;
        b += 0.06 * span;
    }
    *lo = a;
    *hi = b;
}

static void draw_x_ticks(cairo_t *cr, const frame *f, int labels)
{
    double step = nice_step(f->x1 - f->x0, 8);
    cairo_set_line_width(cr, 1);
    for (double x = ceil(f->x0 / step) * step; x <= f->x1 + step * 1e-9; x += step) {
        double px = px_x(f, x);
        cairo_set_source_rgb(cr, 0.9, 0.9, 0.9);
        cairo_move_to(cr, px, f->top);
        cairo_line_to(cr, px, f->bottom);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        cairo_move_to(cr, px, f->bottom);
        cairo_line_to(cr, px, f->bottom + 4);
        cairo_stroke(cr);
        if (labels) {
            char buf[32];
            tick_label(buf, sizeof buf, x, step);
            text_at(cr, px, f->bottom + 17, buf, 12, 0.5);
        }
    }
}

static void draw_y_ticks(cairo_t *cr, const frame *f)
{
    double step = nice_step(f->y1 - f->y0, 4);
    cairo_set_line_width(cr, 1);
    for (double y = ceil(f->y0 / step) * step; y <= f->y1 + step * 1e-9; y += step) {
        double py = px_y(f, y);
        cairo_set_source_rgb(cr, 0.9, 0.9, 0.9);
        cairo_move_to(cr, f->left, py);
        cairo_line_to(cr, f->right, py);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        cairo_move_to(cr, f->left - 4, py);
        cairo_line_to(cr, f->left, py);
        cairo_stroke(cr);
        char buf[32];
        tick_label(buf, sizeof buf, y, step);
        text_at(cr, f->left - 7, py + 4, buf, 11, 1.0);
    }
}

static void draw_panel(cairo_t *cr, const gs_plot *p, const gs_plot_panel *pan,
                       const frame *f, int last, double legend_x, double legend_w)
{
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, f->left, f->top, f->right - f->left, f->bottom - f->top);
    cairo_fill(cr);
    draw_x_ticks(cr, f, last);
    draw_y_ticks(cr, f);

    /* intervention spans, faint */
    cairo_set_line_width(cr, 1);
    for (size_t b = 0; b < p->n_bars; b++) {
        const double ends[2] = {p->bars[b].start, p->bars[b].stop};
        for (int e = 0; e < 2; e++) {
            if (ends[e] <= f->x0 || ends[e] >= f->x1) continue;
            set_colour(cr, b + 3, 0.45);
            double dash[] = {4, 3};
            cairo_set_dash(cr, dash, 2, 0);
            cairo_move_to(cr, px_x(f, ends[e]), f->top);
            cairo_line_to(cr, px_x(f, ends[e]), f->bottom);
            cairo_stroke(cr);
            cairo_set_dash(cr, NULL, 0, 0);
        }
    }

    /* series */
    cairo_save(cr);
    cairo_rectangle(cr, f->left, f->top, f->right - f->left, f->bottom - f->top);
    cairo_clip(cr);
    cairo_set_line_width(cr, 2);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    for (size_t s = 0; s < pan->n_series; s++) {
        set_colour(cr, s, 1);
        int pen = 0;
        for (size_t i = 0; i < p->n; i++) {
            double v = pan->series[s].y[i];
            if (!isfinite(v)) {
                pen = 0;
                continue;
            }
            if (pen) cairo_line_to(cr, px_x(f, p->x[i]), px_y(f, v));
            else cairo_move_to(cr, px_x(f, p->x[i]), px_y(f, v));
            pen = 1;
        }
        if (p->n == 1) cairo_rel_line_to(cr, 1, 0);
        cairo_stroke(cr);
    }
    cairo_restore(cr);

    /* frame, title, ylabel */
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_set_line_width(cr, 1);
    cairo_rectangle(cr, f->left + 0.5, f->top + 0.5, f->right - f->left - 1,
                    f->bottom - f->top - 1);
    cairo_stroke(cr);
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    text_at(cr, f->left, f->top - 6, pan->title ? pan->title : "", 13, 0);
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    if (pan->ylabel) {
        char buf[128];
        fit_text(cr, pan->ylabel, 12, f->bottom - f->top, buf, sizeof buf);
        cairo_save(cr);
        cairo_translate(cr, f->left - 58, (f->top + f->bottom) / 2);
        cairo_rotate(cr, -M_PI / 2);
        text_at(cr, 0, 0, buf, 12, 0.5);
        cairo_restore(cr);
    }

    /* legend */
    double ly = f->top + 14;
    if (pan->n_series == 0) {
        cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
        text_at(cr, legend_x, ly, "(no series in this model)", 11, 0);
    }
    for (size_t s = 0; s < pan->n_series; s++) {
        set_colour(cr, s, 1);
        cairo_set_line_width(cr, 3);
        cairo_move_to(cr, legend_x, ly - 4);
        cairo_line_to(cr, legend_x + 20, ly - 4);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        char buf[128];
        fit_text(cr, pan->series[s].label ? pan->series[s].label : "", 11,
                 legend_w - 26, buf, sizeof buf);
        text_at(cr, legend_x + 26, ly, buf, 11, 0);
        ly += 17;
        if (ly > f->bottom) break;
    }
}

/* The intervention lanes: one per bar, labelled at its start. */
static void draw_bars(cairo_t *cr, const gs_plot *p, const frame *f, double top,
                      double lane_h)
{
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    for (size_t b = 0; b < p->n_bars; b++) {
        const gs_plot_bar *bar = &p->bars[b];
        double y = top + (double)b * lane_h;
        double a = bar->start < f->x0 ? f->x0 : bar->start;
        double z = bar->stop > f->x1 ? f->x1 : bar->stop;
        if (z <= a) {
            cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
            char buf[160];
            snprintf(buf, sizeof buf, "%s (outside the simulated days)",
                     bar->label ? bar->label : "");
            text_at(cr, f->left + 4, y + lane_h - 5, buf, 11, 0);
            continue;
        }
        double x0 = px_x(f, a), x1 = px_x(f, z);
        set_colour(cr, b + 3, 0.85);
        cairo_rectangle(cr, x0, y + 2, x1 - x0 < 2 ? 2 : x1 - x0, lane_h - 4);
        cairo_fill(cr);
        const char *label = bar->label ? bar->label : "";
        char buf[160];
        double inside = x1 - x0 - 8, after = f->right + 240 - x1 - 6, before = x0 - 8;
        cairo_set_font_size(cr, 11);
        cairo_text_extents_t ext;
        cairo_text_extents(cr, label, &ext);
        double ty = y + lane_h - 6;
        if (ext.x_advance <= inside) {  /* white on the bar */
            cairo_set_source_rgb(cr, 1, 1, 1);
            text_at(cr, x0 + 4, ty, label, 11, 0);
        } else if (ext.x_advance <= after) {  /* dark, after the bar */
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            text_at(cr, x1 + 4, ty, label, 11, 0);
        } else if (ext.x_advance <= before) {  /* dark, before the bar */
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            text_at(cr, x0 - 4, ty, label, 11, 1.0);
        } else {  /* shortened, wherever there is most room */
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            if (after >= before) {
                fit_text(cr, label, 11, after, buf, sizeof buf);
                text_at(cr, x1 + 4, ty, buf, 11, 0);
            } else {
                fit_text(cr, label, 11, before, buf, sizeof buf);
                text_at(cr, x0 - 4, ty, buf, 11, 1.0);
            }
        }
    }
}

gs_status gs_plot_write_png(const gs_plot *p, const char *path, gs_err *err)
{
    assert(p && path);
    if (p->n == 0 || p->n_panels == 0 || !p->x)
        return gs_fail(err, GS_ERR_INPUT, "nothing to plot: the figure has no %s",
                       p->n == 0 ? "samples" : "panels");
    for (size_t i = 1; i < p->n; i++)
        if (!(p->x[i] > p->x[i - 1]))
            return gs_fail(err, GS_ERR_INTERNAL, "plot: x values must ascend (index %zu)", i);
    int width = p->width > 0 ? p->width : 1200, height = p->height > 0 ? p->height : 900;
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surf);
        return gs_fail(err, GS_ERR_NOMEM, "could not create a %dx%d image", width, height);
    }
    cairo_t *cr = cairo_create(surf);
    cairo_set_source_rgb(cr, 0.97, 0.97, 0.97);
    cairo_paint(cr);

    double legend_w = 250;
    frame f = {95, width - legend_w - 20, 0, 0, p->x[0], p->x[p->n - 1], 0, 1};
    if (f.x1 <= f.x0) f.x1 = f.x0 + 1;

    /* title */
    cairo_set_source_rgb(cr, 0.05, 0.05, 0.05);
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    char buf[256];
    fit_text(cr, p->title ? p->title : "", 17, width - 40, buf, sizeof buf);
    text_at(cr, 20, 28, buf, 17, 0);

    /* bars */
    double top = 42;
    double lane_h = p->n_bars > 8 ? 14 : 20;
    if (p->n_bars) {
        cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        text_at(cr, f.left - 8, top + lane_h - 6, "schedule", 12, 1.0);
        draw_bars(cr, p, &f, top, lane_h);
        top += (double)p->n_bars * lane_h + 6;
    }

    /* panels */
    double bottom_area = 62;  /* x ticks, x label, note */
    double gap = 30;
    double avail = height - bottom_area - top - gap * (double)p->n_panels;
    double ph = avail / (double)p->n_panels;
    if (ph < 40) ph = 40;
    for (size_t k = 0; k < p->n_panels; k++) {
        f.top = top + gap + (double)k * (ph + gap);
        f.bottom = f.top + ph;
        panel_range(p, &p->panels[k], &f.y0, &f.y1);
        draw_panel(cr, p, &p->panels[k], &f, k + 1 == p->n_panels, f.right + 15,
                   legend_w);
    }

    /* x label and note */
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    text_at(cr, (f.left + f.right) / 2, f.bottom + 36, p->xlabel ? p->xlabel : "", 13, 0.5);
    if (p->note) {
        cairo_set_source_rgb(cr, 0.55, 0.1, 0.1);
        cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_ITALIC, CAIRO_FONT_WEIGHT_NORMAL);
        fit_text(cr, p->note, 12, width - 40, buf, sizeof buf);
        text_at(cr, 20, height - 10, buf, 12, 0);
    }

    cairo_status_t cs = cairo_status(cr);
    cairo_destroy(cr);
    if (cs == CAIRO_STATUS_SUCCESS) cs = cairo_surface_write_to_png(surf, path);
    cairo_surface_destroy(surf);
    if (cs != CAIRO_STATUS_SUCCESS)
        return gs_fail(err, GS_ERR_IO, "could not write the plot %s: %s", path,
                       cairo_status_to_string(cs));
    return GS_OK;
}
