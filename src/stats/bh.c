/*
 * bh.c - Benjamini-Hochberg adjusted p-values.
 *
 * Benjamini Y, Hochberg Y (1995) Controlling the false discovery rate.
 * J R Stat Soc B 57:289-300.  The adjusted value of the i-th smallest of
 * m p-values is min over j >= i of m p_(j) / j, capped at 1 (the same as
 * R's p.adjust(p, "BH")); declaring q < alpha keeps the expected share of
 * false discoveries at or below alpha for independent or positively
 * dependent tests.
 */
#include "gutskin/stats.h"

#include <math.h>
#include <stdlib.h>

typedef struct ranked {
    double p;
    size_t at;
} ranked;

static int by_p(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->p < y->p) return -1;
    if (x->p > y->p) return 1;
    /* equal p: keep input order so the result does not depend on qsort */
    return x->at < y->at ? -1 : x->at > y->at;
}

gs_status gs_stats_bh(const double *p, size_t n, double *q, gs_err *err)
{
    ranked *r = malloc((n ? n : 1) * sizeof *r);
    if (!r) return gs_fail(err, GS_ERR_NOMEM, "out of memory for %zu p-values", n);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(p[i])) continue;
        if (p[i] < 0 || p[i] > 1) {
            free(r);
            return gs_fail(err, GS_ERR_INTERNAL, "p-value %zu is %g, outside 0-1", i, p[i]);
        }
        r[m].p = p[i];
        r[m].at = i;
        m++;
    }
    qsort(r, m, sizeof *r, by_p);
    for (size_t i = 0; i < n; i++)
        if (isnan(p[i])) q[i] = NAN;
    /* walk down from the largest p, carrying the running minimum */
    double running = 1.0;
    for (size_t k = m; k-- > 0;) {
        double adj = r[k].p * (double)m / (double)(k + 1);
        if (adj < running) running = adj;
        r[k].p = running;
    }
    for (size_t k = 0; k < m; k++) q[r[k].at] = r[k].p;
    free(r);
    return GS_OK;
}
