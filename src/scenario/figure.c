/*
 * figure.c - the figure of a scenario run: intervention bars above three
 * panels (gut, systemic, skin) on a shared day axis.
 *
 * Series are chosen by name from what the composed model has, in the
 * order of the preference lists below; a panel whose preferred names are
 * all absent falls back to the outputs (then states) of its blocks.  The
 * skin panel shows the outputs (clinical scores) of every active skin
 * block.  Where a panel mixes units, every series is drawn relative to
 * its day-0 value and the axis says so; a series that is 0 at day 0 is
 * drawn relative to its largest absolute value instead, and its legend
 * says "/ max".
 *
 * No paper: this is presentation.
 */
#include "gutskin/scenario.h"
#include "gutskin/plot.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SERIES 6
#define LABEL_LEN 96

static const char *const gut_preferred[] = {
    "barrier.integrity",           "barrier.permeability",
    "metabolites.butyrate_relative", "metabolites.endotoxin_lumen",
    "microbiome.pathobionts",      "microbiome.probiotic",
};
static const char *const systemic_preferred[] = {
    "systemic.crp", "oxidative.oxidative_stress", "oxidative.ros", "hormones.igf1",
};
/* Clinical scores; a skin block missing here shows its first outputs. */
static const char *const skin_preferred[] = {
    "skin_acne.inflammatory_count", "skin_acne.comedone_count", "skin_acne.total_lesions",
    "skin_ad.easi",                 "skin_ad.scorad",
    "skin_rosacea.erythema_score",  "skin_rosacea.papule_count",
    "skin_ageing.collagen",
};

typedef enum { PANEL_GUT, PANEL_SYSTEMIC, PANEL_SKIN, N_PANELS } panel_kind;

static panel_kind block_panel(const gs_block *b)
{
    if (b->flags & GS_BLOCK_SKIN) return PANEL_SKIN;
    if (strcmp(b->name, "systemic") == 0 || strcmp(b->name, "oxidative") == 0 ||
        strcmp(b->name, "hormones") == 0)
        return PANEL_SYSTEMIC;
    return PANEL_GUT;
}

typedef struct chosen {
    size_t col[MAX_SERIES];
    size_t n;
} chosen;

static int column_of(const gs_scenario *sc, const char *name)
{
    int i = gs_model_find_state(sc->model, name);
    if (i >= 0) return i;
    i = gs_model_find_output(sc->model, name);
    return i < 0 ? -1 : (int)gs_model_n_states(sc->model) + i;
}

static void add_col(chosen *c, size_t col)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->col[i] == col) return;
    if (c->n < MAX_SERIES) c->col[c->n++] = col;
}

/* The block's outputs, or its states when it has none, up to `limit`. */
static void add_block(const gs_scenario *sc, size_t b, chosen *c, size_t limit)
{
    const gs_model *m = sc->model;
    const gs_block *blk = gs_model_block(m, b);
    size_t ns = gs_model_n_states(m), added = 0;
    if (blk->n_outputs) {
        size_t off = gs_model_output_offset(m, b);
        for (size_t i = 0; i < blk->n_outputs && added < limit; i++, added++)
            add_col(c, ns + off + i);
    } else {
        size_t off = gs_model_state_offset(m, b);
        for (size_t i = 0; i < blk->n_states && added < limit; i++, added++)
            add_col(c, off + i);
    }
}

/* Is column col zero on every sample (a probiotic never dosed)? */
static int all_zero(const gs_scenario_result *res, size_t col)
{
    for (size_t r = 0; r < res->n_rows; r++)
        if (res->values[r * res->n_cols + col] != 0) return 0;
    return 1;
}

static void choose(const gs_scenario *sc, const gs_scenario_result *res, panel_kind kind,
                   chosen *c)
{
    c->n = 0;
    const char *const *pref = kind == PANEL_GUT        ? gut_preferred
                              : kind == PANEL_SYSTEMIC ? systemic_preferred
                                                       : skin_preferred;
    size_t n_pref = kind == PANEL_GUT        ? GS_COUNT(gut_preferred)
                    : kind == PANEL_SYSTEMIC ? GS_COUNT(systemic_preferred)
                                             : GS_COUNT(skin_preferred);
    for (size_t i = 0; i < n_pref; i++) {
        int col = column_of(sc, pref[i]);
        if (col >= 0 && !all_zero(res, (size_t)col)) add_col(c, (size_t)col);
    }
    if (kind != PANEL_SKIN && c->n) return;
    /* Blocks of this panel that no preferred name covers (every block for
     * the gut and systemic panels when none matched). */
    size_t nb = gs_model_n_blocks(sc->model);
    for (size_t b = 0; b < nb; b++) {
        const gs_block *blk = gs_model_block(sc->model, b);
        if (block_panel(blk) != kind) continue;
        size_t len = strlen(blk->name);
        int covered = 0;
        for (size_t i = 0; i < n_pref && !covered; i++)
            covered = strncmp(pref[i], blk->name, len) == 0 && pref[i][len] == '.';
        if (!covered) add_block(sc, b, c, kind == PANEL_SKIN ? 3 : 2);
    }
}

gs_status gs_scenario_plot(const gs_scenario *sc, const gs_scenario_result *res,
                           const char *path, gs_err *err)
{
    assert(sc && res && path);
    if (res->n_rows == 0)
        return gs_fail(err, GS_ERR_INPUT, "nothing to plot: the run has no samples");
    static const char *const titles[N_PANELS] = {
        "Gut: barrier, metabolites, microbiome", "Systemic: inflammation, oxidative stress",
        "Skin: clinical scores of the active skin blocks"};
    size_t n = res->n_rows;
    chosen ch[N_PANELS];
    size_t total = 0;
    for (int k = 0; k < N_PANELS; k++) {
        choose(sc, res, (panel_kind)k, &ch[k]);
        total += ch[k].n;
    }
    double *data = malloc((total + 1) * n * sizeof *data);
    char (*labels)[LABEL_LEN] = calloc(total + 1, sizeof *labels);
    gs_plot_series *series = calloc(total + 1, sizeof *series);
    gs_plot_bar *bars = calloc(sc->schedule.n_spans + 1, sizeof *bars);
    char (*bar_labels)[LABEL_LEN] = calloc(sc->schedule.n_spans + 1, sizeof *bar_labels);
    gs_status st = GS_OK;
    if (!data || !labels || !series || !bars || !bar_labels) {
        st = gs_fail(err, GS_ERR_NOMEM, "out of memory drawing the plot");
        goto done;
    }

    gs_plot_panel panels[N_PANELS];
    char ylabels[N_PANELS][LABEL_LEN];
    size_t s = 0;
    size_t used_panels = 0;
    for (int k = 0; k < N_PANELS; k++) {
        /* Skip an empty skin panel (no skin block active). */
        if (k == PANEL_SKIN && ch[k].n == 0) continue;
        const char *unit0 = NULL;
        int mixed = 0;
        for (size_t i = 0; i < ch[k].n; i++) {
            const char *unit;
            char name[LABEL_LEN];
            gs_scenario_column_name(sc, ch[k].col[i], name, sizeof name, &unit);
            if (!unit0) unit0 = unit;
            else if (strcmp(unit0, unit) != 0) mixed = 1;
        }
        gs_plot_panel *pan = &panels[used_panels++];
        pan->title = titles[k];
        pan->series = series + s;
        pan->n_series = ch[k].n;
        if (mixed) snprintf(ylabels[k], LABEL_LEN, "relative to day 0 (day 0 = 1)");
        else snprintf(ylabels[k], LABEL_LEN, "%s", unit0 ? unit0 : "");
        pan->ylabel = ylabels[k];
        for (size_t i = 0; i < ch[k].n; i++, s++) {
            size_t col = ch[k].col[i];
            double *y = data + s * n;
            char name[LABEL_LEN - 8];  /* room for " / max" */
            const char *unit;
            gs_scenario_column_name(sc, col, name, sizeof name, &unit);
            for (size_t r = 0; r < n; r++) y[r] = res->values[r * res->n_cols + col];
            if (mixed) {
                double scale = y[0], peak = 0;
                const char *how = "";
                for (size_t r = 0; r < n; r++)
                    if (fabs(y[r]) > peak) peak = fabs(y[r]);
                /* 0 on day 0, at plotting resolution: scale by the peak */
                if (!(fabs(scale) > 1e-6 * peak)) {
                    scale = peak;
                    how = " / max";
                }
                if (scale > 0 || scale < 0)
                    for (size_t r = 0; r < n; r++) y[r] /= scale;
                snprintf(labels[s], LABEL_LEN, "%s%s", name, how);
            } else {
                snprintf(labels[s], LABEL_LEN, "%s", name);
            }
            series[s].label = labels[s];
            series[s].y = y;
        }
    }

    size_t n_iv;
    const gs_intervention *reg = gs_intervention_registry(&n_iv);
    for (size_t i = 0; i < sc->schedule.n_spans; i++) {
        const gs_dose_span *sp = &sc->schedule.spans[i];
        assert(sp->intervention >= 0 && (size_t)sp->intervention < n_iv);
        const gs_intervention *iv = &reg[sp->intervention];
        snprintf(bar_labels[i], LABEL_LEN, "%s %g %s (days %g-%g)", iv->name, sp->dose,
                 iv->unit, sp->start, sp->stop);
        bars[i] = (gs_plot_bar){bar_labels[i], sp->start, sp->stop};
    }

    char xlabel[160];
    if (res->burn_in_days >= 730)
        snprintf(xlabel, sizeof xlabel,
                 "day (after a %.0f-day, about %.0f-year, burn-in on the usual diet)",
                 res->burn_in_days, res->burn_in_days / 365.25);
    else if (res->burn_in_days > 0)
        snprintf(xlabel, sizeof xlabel, "day (after a %.0f-day burn-in on the usual diet)",
                 res->burn_in_days);
    else
        snprintf(xlabel, sizeof xlabel, "day");
    gs_plot plot = {
        .width = 1200, .height = 900,
        .title = sc->name,
        .note = "Exploratory model output: not a diagnosis and not treatment advice. "
                "Gut-to-skin couplings are assumptions (docs/model.md).",
        .xlabel = xlabel,
        .x = res->days, .n = n,
        .panels = panels, .n_panels = used_panels,
        .bars = bars, .n_bars = sc->schedule.n_spans,
    };
    st = gs_plot_write_png(&plot, path, err);
done:
    free(data);
    free(labels);
    free(series);
    free(bars);
    free(bar_labels);
    return st;
}
