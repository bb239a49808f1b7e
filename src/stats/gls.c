/*
 * gls.c - linear regression with AR(1) errors on integer days, by
 * restricted maximum likelihood, as nlme::gls with corAR1 computes it
 * (Pinheiro & Bates 2000, Mixed-Effects Models in S and S-PLUS, sections
 * 5.1 and 5.3; the REML criterion of Harville 1974).
 *
 * With corr(e_i, e_j) = phi^|t_i - t_j|, the errors observed on days t_1 <
 * t_2 < ... form a Markov chain: e_i given e_{i-1} has coefficient
 * r_i = phi^(t_i - t_{i-1}) and variance sigma^2 (1 - r_i^2).  So the
 * whitening transform is row by row (Prais-Winsten with gaps):
 *     z_1 = w_1,    z_i = (w_i - r_i w_{i-1}) / sqrt(1 - r_i^2)
 * for each column w of X and for y, and log|R| = sum log(1 - r_i^2).
 * Given phi, GLS is OLS on the whitened rows.  The restricted
 * log-likelihood, with sigma^2 profiled out, is, up to a constant,
 *     l(phi) = -(n-p)/2 log RSS(phi) - 1/2 log|R| - 1/2 log|Z'Z|
 * and phi maximises it.  sigma^2 = RSS / (n - p); cov(beta) = sigma^2
 * (Z'Z)^-1.  The least squares use a modified Gram-Schmidt QR of Z (p is
 * small), so log|Z'Z| = 2 sum log|R_jj|.
 */
#include "gutskin/stats.h"

#include <assert.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PHI_EDGE 0.99   /* the grid's end; |phi| beyond it is a random walk */

typedef struct gls_work {
    const int64_t *t;
    const double *X, *y;
    size_t n, p;
    double *q;     /* n x p, column-major: whitened X, then Q */
    double *r;     /* n: whitened y, then the residual */
    double R[GS_GLS_MAX_COEF][GS_GLS_MAX_COEF];
    double qty[GS_GLS_MAX_COEF];
    double rss, logdet_r, logdet_zz;
    int rank_ok;
} gls_work;

/* Whiten, factor and solve at phi; sets rss, log-determinants, R, qty. */
static void gls_solve(gls_work *w, double phi)
{
    size_t n = w->n, p = w->p;
    w->logdet_r = 0;
    for (size_t i = 0; i < n; i++) {
        double rho = 0, c = 1;
        if (i > 0) {
            rho = pow(phi, (double)(w->t[i] - w->t[i - 1]));
            double v = 1 - rho * rho;
            c = 1 / sqrt(v);
            w->logdet_r += log(v);
        }
        for (size_t j = 0; j < p; j++) {
            double prev = i > 0 ? w->X[(i - 1) * p + j] : 0;
            w->q[j * n + i] = (w->X[i * p + j] - rho * prev) * c;
        }
        w->r[i] = (w->y[i] - (i > 0 ? rho * w->y[i - 1] : 0)) * c;
    }
    /* modified Gram-Schmidt, y carried along as a last column */
    w->rank_ok = 1;
    w->logdet_zz = 0;
    for (size_t j = 0; j < p; j++) {
        double *qj = w->q + j * n;
        double norm0 = 0;
        for (size_t i = 0; i < n; i++) norm0 += qj[i] * qj[i];
        for (size_t k = 0; k < j; k++) {
            const double *qk = w->q + k * n;
            double d = 0;
            for (size_t i = 0; i < n; i++) d += qk[i] * qj[i];
            w->R[k][j] = d;
            for (size_t i = 0; i < n; i++) qj[i] -= d * qk[i];
        }
        double norm = 0;
        for (size_t i = 0; i < n; i++) norm += qj[i] * qj[i];
        norm = sqrt(norm);
        if (!(norm > 1e-10 * sqrt(norm0)) || norm == 0) {
            w->rank_ok = 0;
            return;
        }
        w->R[j][j] = norm;
        for (size_t k = j + 1; k < p; k++) w->R[k][j] = 0;
        for (size_t i = 0; i < n; i++) qj[i] /= norm;
        w->logdet_zz += 2 * log(norm);
        double d = 0;
        for (size_t i = 0; i < n; i++) d += qj[i] * w->r[i];
        w->qty[j] = d;
        for (size_t i = 0; i < n; i++) w->r[i] -= d * qj[i];
    }
    double rss = 0;
    for (size_t i = 0; i < n; i++) rss += w->r[i] * w->r[i];
    w->rss = rss;
}

/* The restricted log-likelihood at phi (sigma^2 profiled out), with the
 * constants nlme adds, so that it is comparable to logLik(gls_fit). */
static double gls_reml(gls_work *w, double phi)
{
    gls_solve(w, phi);
    if (!w->rank_ok || !(w->rss > 0)) return -HUGE_VAL;
    double np = (double)(w->n - w->p);
    return -0.5 * np * (log(2 * M_PI * w->rss / np) + 1) - 0.5 * w->logdet_r -
           0.5 * w->logdet_zz;
}

static double neg_reml(double phi, void *arg)
{
    double l = gls_reml(arg, phi);
    return isfinite(l) ? -l : 1e300;
}

/* Fill fit from the factorisation at phi. */
static gs_status gls_finish(gls_work *w, double phi, gs_gls_fit *fit, gs_err *err)
{
    double l = gls_reml(w, phi);
    if (!w->rank_ok)
        return gs_fail(err, GS_ERR_INPUT,
                       "the regression's columns are collinear (for example, no days "
                       "on one side of the start)");
    size_t n = w->n, p = w->p;
    memset(fit, 0, sizeof *fit);
    fit->n = n;
    fit->p = p;
    fit->phi = phi;
    fit->loglik = l;
    double s2 = w->rss / (double)(n - p);
    fit->sigma = sqrt(s2);
    /* beta = R^-1 Q'y; cov = s2 R^-1 R^-T */
    double Ri[GS_GLS_MAX_COEF][GS_GLS_MAX_COEF] = {{0}};
    for (size_t j = p; j-- > 0;) {
        double v = w->qty[j];
        for (size_t k = j + 1; k < p; k++) v -= w->R[j][k] * fit->coef[k];
        fit->coef[j] = v / w->R[j][j];
        Ri[j][j] = 1 / w->R[j][j];
        for (size_t k = j + 1; k < p; k++) {
            double s = 0;
            for (size_t m = j + 1; m <= k; m++) s += w->R[j][m] * Ri[m][k];
            Ri[j][k] = -s / w->R[j][j];
        }
    }
    double tq = gsl_cdf_tdist_Pinv(0.975, (double)(n - p));
    for (size_t j = 0; j < p; j++) {
        double v = 0;
        for (size_t k = j; k < p; k++) v += Ri[j][k] * Ri[j][k];
        fit->se[j] = sqrt(s2 * v);
        fit->lo[j] = fit->coef[j] - tq * fit->se[j];
        fit->hi[j] = fit->coef[j] + tq * fit->se[j];
    }
    return GS_OK;
}

static gs_status gls_check(const int64_t *t, const double *X, const double *y, size_t n,
                           size_t p, gs_err *err)
{
    if (p == 0 || p > GS_GLS_MAX_COEF)
        return gs_fail(err, GS_ERR_INTERNAL, "%zu coefficients; 1 to %d allowed", p,
                       GS_GLS_MAX_COEF);
    if (n < p + 2)
        return gs_fail(err, GS_ERR_INPUT, "%zu days are too few for %zu coefficients", n, p);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && t[i] <= t[i - 1])
            return gs_fail(err, GS_ERR_INTERNAL, "days must increase (row %zu)", i);
        if (!isfinite(y[i])) return gs_fail(err, GS_ERR_INTERNAL, "y is not finite at row %zu", i);
        for (size_t j = 0; j < p; j++)
            if (!isfinite(X[i * p + j]))
                return gs_fail(err, GS_ERR_INTERNAL, "X is not finite at row %zu", i);
    }
    return GS_OK;
}

static gs_status work_alloc(gls_work *w, const int64_t *t, const double *X, const double *y,
                            size_t n, size_t p, gs_err *err)
{
    memset(w, 0, sizeof *w);
    w->t = t;
    w->X = X;
    w->y = y;
    w->n = n;
    w->p = p;
    w->q = malloc(n * p * sizeof *w->q);
    w->r = malloc(n * sizeof *w->r);
    if (!w->q || !w->r) {
        free(w->q);
        free(w->r);
        return gs_fail(err, GS_ERR_NOMEM, "out of memory for a regression of %zu days", n);
    }
    return GS_OK;
}

gs_status gs_stats_gls_ar1_at(const int64_t *t, const double *X, const double *y, size_t n,
                              size_t p, double phi, gs_gls_fit *fit, gs_err *err)
{
    gs_status st = gls_check(t, X, y, n, p, err);
    if (st) return st;
    if (!(phi > -1 && phi < 1))
        return gs_fail(err, GS_ERR_INPUT, "phi %g must lie strictly between -1 and 1", phi);
    gls_work w;
    if ((st = work_alloc(&w, t, X, y, n, p, err))) return st;
    st = gls_finish(&w, phi, fit, err);
    free(w.q);
    free(w.r);
    return st;
}

gs_status gs_stats_gls_ar1(const int64_t *t, const double *X, const double *y, size_t n,
                           size_t p, gs_gls_fit *fit, gs_err *err)
{
    gs_status st = gls_check(t, X, y, n, p, err);
    if (st) return st;
    gls_work w;
    if ((st = work_alloc(&w, t, X, y, n, p, err))) return st;

    /* a grid first: the restricted likelihood in phi can have more than
       one local maximum, and Brent needs a bracket */
    enum { GRID = 199 };
    double best_l = -HUGE_VAL, best_phi = 0;
    int best_k = -1;
    for (int k = 0; k < GRID; k++) {
        double phi = -PHI_EDGE + 2 * PHI_EDGE * k / (GRID - 1);
        double l = gls_reml(&w, phi);
        if (l > best_l) {
            best_l = l;
            best_phi = phi;
            best_k = k;
        }
    }
    if (best_k < 0) {
        free(w.q);
        free(w.r);
        return gs_fail(err, GS_ERR_INPUT,
                       "the regression's columns are collinear (for example, no days "
                       "on one side of the start)");
    }
    double step = 2 * PHI_EDGE / (GRID - 1);
    double a = best_phi - step, b = best_phi + step;
    if (best_k == 0) a = -0.9999;
    if (best_k == GRID - 1) b = 0.9999;
    gsl_function f = {neg_reml, &w};
    double fa = neg_reml(a, &w), fb = neg_reml(b, &w), fm = -best_l;
    if (fm < fa && fm < fb) {
        gsl_min_fminimizer *m = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
        if (!m) {
            free(w.q);
            free(w.r);
            return gs_fail(err, GS_ERR_NOMEM, "out of memory for the minimiser");
        }
        gsl_error_handler_t *old = gsl_set_error_handler_off();
        if (gsl_min_fminimizer_set_with_values(m, &f, best_phi, fm, a, fa, b, fb) ==
            GSL_SUCCESS) {
            for (int it = 0; it < 200; it++) {
                if (gsl_min_fminimizer_iterate(m) != GSL_SUCCESS) break;
                double lo = gsl_min_fminimizer_x_lower(m), hi = gsl_min_fminimizer_x_upper(m);
                if (gsl_min_test_interval(lo, hi, 1e-11, 0) == GSL_SUCCESS) break;
            }
            best_phi = gsl_min_fminimizer_x_minimum(m);
        }
        gsl_set_error_handler(old);
        gsl_min_fminimizer_free(m);
    }
    /* else the maximum sits at the edge of the grid: keep the grid point */
    st = gls_finish(&w, best_phi, fit, err);
    free(w.q);
    free(w.r);
    return st;
}

gs_status gs_stats_segmented(const int64_t *day, const double *y, size_t n, int64_t start,
                             int washin, gs_segmented *seg, gs_err *err)
{
    assert(seg);
    memset(seg, 0, sizeof *seg);
    if (washin < 0) return gs_fail(err, GS_ERR_INPUT, "wash-in %d days must be 0 or more", washin);
    int64_t eff = start + washin;
    size_t kept = 0, before = 0, after = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && day[i] <= day[i - 1])
            return gs_fail(err, GS_ERR_INTERNAL, "days must increase (row %zu)", i);
        if (day[i] < start) before++;
        else if (day[i] >= eff) after++;
    }
    kept = before + after;
    seg->effective_day = eff;
    seg->n_before = before;
    seg->n_after = after;
    if (before < 3 || after < 3 || kept < 8)
        return gs_fail(err, GS_ERR_INPUT,
                       "%zu days before and %zu after the start (after any wash-in) are too "
                       "few: at least 3 before, 3 after and 8 in all",
                       before, after);
    int64_t *t = malloc(kept * sizeof *t);
    double *X = malloc(kept * GS_SEG_COEF * sizeof *X), *yy = malloc(kept * sizeof *yy);
    if (!t || !X || !yy) {
        free(t);
        free(X);
        free(yy);
        return gs_fail(err, GS_ERR_NOMEM, "out of memory for %zu days", kept);
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (day[i] >= start && day[i] < eff) continue;
        int post = day[i] >= eff;
        t[k] = day[i];
        X[k * GS_SEG_COEF + GS_SEG_INTERCEPT] = 1;
        X[k * GS_SEG_COEF + GS_SEG_TIME] = (double)(day[i] - day[0]);
        X[k * GS_SEG_COEF + GS_SEG_LEVEL] = post;
        X[k * GS_SEG_COEF + GS_SEG_SLOPE] = post ? (double)(day[i] - eff) : 0;
        yy[k] = y[i];
        k++;
    }
    assert(k == kept);
    gs_status st = gs_stats_gls_ar1(t, X, yy, kept, GS_SEG_COEF, &seg->fit, err);
    free(t);
    free(X);
    free(yy);
    return st;
}
