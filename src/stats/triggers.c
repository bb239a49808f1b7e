/*
 * triggers.c - which exposures precede a worse outcome: for each exposure
 * x lag x outcome, OLS of outcome_t on exposure_{t-lag} with outcome_{t-1}
 * as covariate, over complete days; a p-value from circular shifts of the
 * exposure series; Benjamini-Hochberg across all tests.
 *
 * Why circular shifts: days are not independent (a flare lasts; meals
 * repeat), so a t-test's p-value would be too small.  Rotating the
 * exposure series against the outcome (a "circular shift" or "toroidal
 * shift" permutation) keeps the autocorrelation of both series and breaks
 * only their alignment, so under no association the observed statistic
 * is one draw among the shifted ones.
 *
 * Why an FFT: the OLS statistic of a shifted series needs only ten sums
 * (n, sums of x, x^2, y, l = y_{t-1}, y^2, l^2, y l, x y, x l) over the
 * complete days, and each sum, as a function of the shift, is a circular
 * cross-correlation of one outcome-side series (masked by complete
 * outcome days) with one exposure-side series (masked by days with food
 * logged).  One FFT per series and one inverse per sum give the statistic
 * at EVERY shift and every lag at once, in O(T log T) instead of O(T) per
 * shift.  A lag only offsets the shift; the few days before the journal
 * starts (t < lag), which a circular sum would wrongly include, are
 * subtracted term by term.
 */
#include "gutskin/stats.h"

#include <assert.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fft_halfcomplex.h>
#include <gsl/gsl_fft_real.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#define MIN_DAYS 30
#define MIN_SHIFT 7     /* a shift of less than a week would keep most alignment */
#define MAX_LAG 3

/* outcome-side series: each is masked by "y_t and y_{t-1} known" */
enum { A_M, A_Y, A_L, A_YY, A_LL, A_YL, A_COUNT };
/* exposure-side series: each is masked by "food logged that day" */
enum { B_M, B_X, B_XX, B_COUNT };
/* the ten sums and the pair of series each correlates */
enum { S_N, S_X, S_XX, S_Y, S_L, S_YY, S_LL, S_YL, S_XY, S_XL, S_COUNT };
static const int sum_a[S_COUNT] = {A_M, A_M, A_M, A_Y, A_L, A_YY, A_LL, A_YL, A_Y, A_L};
static const int sum_b[S_COUNT] = {B_M, B_X, B_XX, B_M, B_M, B_M, B_M, B_M, B_X, B_X};

void gs_trigger_opts_default(gs_trigger_opts *opts)
{
    opts->lag_min = 0;
    opts->lag_max = 3;
    opts->permutations = 1000;
    opts->seed = 1;
    opts->min_exposed = 10;
    opts->min_unexposed = 10;
    opts->cooccur = 0.9;
    opts->threads = 0;
}

void gs_trigger_scan_free(gs_trigger_scan *scan)
{
    if (!scan) return;
    free(scan->rows);
    free(scan->pairs);
    free(scan);
}

/* The smallest length >= n whose only prime factors are 2, 3 and 5, where
 * GSL's mixed-radix FFT is fastest. */
static size_t smooth_length(size_t n)
{
    for (size_t m = n;; m++) {
        size_t r = m;
        while (r % 2 == 0) r /= 2;
        while (r % 3 == 0) r /= 3;
        while (r % 5 == 0) r /= 5;
        if (r == 1) return m;
    }
}

/* The OLS coefficient of x and its t statistic, from the ten sums, with
 * the intercept and l partialled out (Frisch-Waugh-Lovell).  Returns 0
 * when x carries no information apart from l (or too few days). */
static int ols_from_sums(const double *s, double *b, double *se, double *t)
{
    double n = s[S_N];
    if (n < 4.5) return 0;
    double cxx = s[S_XX] - s[S_X] * s[S_X] / n;
    double cxl = s[S_XL] - s[S_X] * s[S_L] / n;
    double cll = s[S_LL] - s[S_L] * s[S_L] / n;
    double cxy = s[S_XY] - s[S_X] * s[S_Y] / n;
    double cly = s[S_YL] - s[S_L] * s[S_Y] / n;
    double cyy = s[S_YY] - s[S_Y] * s[S_Y] / n;
    double pxx = cxx, pxy = cxy, pyy = cyy;
    if (cll > 1e-9 * (1 + fabs(s[S_LL]))) {
        pxx -= cxl * cxl / cll;
        pxy -= cxl * cly / cll;
        pyy -= cly * cly / cll;
    }
    if (!(pxx > 1e-9 * (1 + fabs(cxx)))) return 0;
    double rss = pyy - pxy * pxy / pxx;
    if (rss < 1e-12 * (1 + fabs(cyy))) rss = 1e-12 * (1 + fabs(cyy));
    *b = pxy / pxx;
    *se = sqrt(rss / (n - 3) / pxx);
    *t = *b / *se;
    return 1;
}

/* The p-value from the shifted statistics.  With at least TAIL_COUNT of
 * the random shifts as extreme as the observed statistic, the share of
 * them (counting the observed, so p is never 0).  Fewer than that, and a
 * count says little: a journal of T days has only about T distinct
 * shifts, so p could never fall below about 1/T, and after
 * Benjamini-Hochberg over hundreds of tests nothing could ever be found.
 * There the tail is fitted (the idea of Knijnenburg et al. 2009,
 * Bioinformatics 25:i161, with a Student t tail instead of a generalised
 * Pareto one): the statistic at EVERY shift, in order, gives a mean m, a
 * standard deviation s (which carry the inflation autocorrelation causes)
 * and a lag-one correlation r between neighbouring shifts; with the
 * effective number of shifts n' = n (1 - r) / (1 + r), the tail is that of
 * a t distribution with n' - 1 degrees of freedom at |t - m| / s, which
 * allows for s being estimated from few independent shifts. */
#define TAIL_COUNT 10
typedef struct tail_fit {
    double mean, sd, df;
} tail_fit;

static double shift_p(double tobs, size_t extreme, size_t n_shifts, const tail_fit *tail)
{
    if (extreme >= TAIL_COUNT || !(tail->sd > 0) || tail->df < 2)
        return (double)(extreme + 1) / (double)(n_shifts + 1);
    return 2 * gsl_cdf_tdist_Q(fabs(tobs - tail->mean) / tail->sd, tail->df);
}

typedef struct scan_ctx {
    const gs_daily *panel;
    const gs_trigger_opts *opts;
    size_t T, N;                      /* days; padded FFT length */
    size_t n_out;
    const size_t *outcomes;
    double *a_time;                   /* n_out x A_COUNT x T: outcome-side series */
    double *a_freq;                   /* n_out x A_COUNT x N: their spectra */
    const size_t *shifts;
    size_t n_shifts;
    gsl_fft_real_wavetable *rwt;
    gsl_fft_halfcomplex_wavetable *hwt;
} scan_ctx;

/* Outcome-side series of outcome o: complete days are t >= 1 with y_t and
 * y_{t-1} known; y is centred on those days (the slope and its t do not
 * change; the sums of squares stay small). */
static void outcome_series(const scan_ctx *c, size_t o, double *time, double *freq,
                           gsl_fft_real_workspace *ws)
{
    const double *y = c->panel->outcome + c->outcomes[o] * c->T;
    size_t T = c->T, N = c->N;
    double mean = 0;
    size_t n = 0;
    for (size_t t = 1; t < T; t++)
        if (!isnan(y[t]) && !isnan(y[t - 1])) {
            mean += y[t];
            n++;
        }
    mean = n ? mean / (double)n : 0;
    for (int a = 0; a < A_COUNT; a++) {
        double *s = time + (size_t)a * T;
        for (size_t t = 0; t < T; t++) {
            int ok = t >= 1 && !isnan(y[t]) && !isnan(y[t - 1]);
            double yy = ok ? y[t] - mean : 0, ll = ok ? y[t - 1] - mean : 0;
            double v = 0;
            switch (a) {
            case A_M: v = ok; break;
            case A_Y: v = yy; break;
            case A_L: v = ll; break;
            case A_YY: v = yy * yy; break;
            case A_LL: v = ll * ll; break;
            case A_YL: v = yy * ll; break;
            }
            s[t] = v;
        }
        double *f = freq + (size_t)a * N;
        memcpy(f, s, T * sizeof *f);
        memset(f + T, 0, (N - T) * sizeof *f);
        gsl_fft_real_transform(f, 1, N, c->rwt, ws);
    }
}

/* c = IFFT(conj(A) B): the linear cross-correlation sum_t a(t) b(t + k),
 * k = -(T-1)..T-1 stored mod N; folded into the circular one of length T. */
static void circular_xcorr(const scan_ctx *c, const double *fa, const double *fb,
                           double *tmp, double *circ, gsl_fft_real_workspace *ws)
{
    size_t N = c->N, T = c->T;
    tmp[0] = fa[0] * fb[0];
    size_t k = 1;
    for (; 2 * k < N; k++) {
        double ar = fa[2 * k - 1], ai = fa[2 * k], br = fb[2 * k - 1], bi = fb[2 * k];
        tmp[2 * k - 1] = ar * br + ai * bi;
        tmp[2 * k] = ar * bi - ai * br;
    }
    if (N % 2 == 0) tmp[N - 1] = fa[N - 1] * fb[N - 1];
    gsl_fft_halfcomplex_inverse(tmp, 1, N, c->hwt, ws);
    circ[0] = tmp[0];
    for (size_t j = 1; j < T; j++) circ[j] = tmp[j] + tmp[N - T + j];
}

/* The ten sums of lag L at circular offset k (exposure index t + k for
 * outcome day t): the circular sums minus the days t < L, whose exposure
 * day t - L lies before the journal started. */
static void sums_at(const scan_ctx *c, const double *circ, const double *a_time,
                    const double *b_time, int L, size_t k, double *s)
{
    size_t T = c->T;
    for (int j = 0; j < S_COUNT; j++) {
        double v = circ[(size_t)j * T + k];
        const double *a = a_time + (size_t)sum_a[j] * T, *b = b_time + (size_t)sum_b[j] * T;
        for (int t = 0; t < L; t++) v -= a[t] * b[((size_t)t + k) % T];
        s[j] = v;
    }
}

/* Mean, sd and effective degrees of freedom of the statistic over every
 * shift MIN_SHIFT..T-MIN_SHIFT in order (see shift_p). */
static void fit_tail(const scan_ctx *c, const double *circ, const double *a_time,
                     const double *b_time, int L, tail_fit *tail)
{
    size_t T = c->T, n = 0;
    double sum = 0, sumsq = 0, cross = 0, prev = NAN, first = NAN, last = NAN;
    for (size_t sh = MIN_SHIFT; sh + MIN_SHIFT <= T; sh++) {
        double s[S_COUNT], b, se, t;
        sums_at(c, circ, a_time, b_time, L, (sh + T - (size_t)L) % T, s);
        if (!ols_from_sums(s, &b, &se, &t)) {
            prev = NAN;
            continue;
        }
        if (isnan(first)) first = t;
        last = t;
        n++;
        sum += t;
        sumsq += t * t;
        if (!isnan(prev)) cross += prev * t;
        prev = t;
    }
    if (n < 20) return;
    double m = sum / (double)n;
    double var = (sumsq - (double)n * m * m) / (double)(n - 1);
    if (!(var > 0)) return;
    /* lag-one autocovariance around the mean, over neighbouring shifts */
    double ac = (cross - m * (2 * sum - first - last) + (double)(n - 1) * m * m) /
                ((double)(n - 1) * var);
    if (ac < 0) ac = 0;
    if (ac > 0.95) ac = 0.95;
    tail->mean = m;
    tail->sd = sqrt(var);
    tail->df = (double)n * (1 - ac) / (1 + ac) - 1;
}

/* All tests of one exposure (row block rows[0 .. n_out * n_lags - 1]). */
static void scan_exposure(const scan_ctx *c, size_t e, gs_trigger_row *rows, double *work,
                          gsl_fft_real_workspace *ws)
{
    size_t T = c->T, N = c->N;
    int n_lags = c->opts->lag_max - c->opts->lag_min + 1;
    double *b_time = work;                          /* B_COUNT x T */
    double *b_freq = b_time + B_COUNT * T;          /* B_COUNT x N */
    double *tmp = b_freq + B_COUNT * N;             /* N */
    double *circ = tmp + N;                         /* S_COUNT x T */
    const double *x = c->panel->exposure + e * T;
    for (size_t t = 0; t < T; t++) {
        int known = !isnan(x[t]);
        b_time[B_M * T + t] = known;
        b_time[B_X * T + t] = known ? x[t] : 0;
        b_time[B_XX * T + t] = known ? x[t] * x[t] : 0;
    }
    for (int b = 0; b < B_COUNT; b++) {
        double *f = b_freq + (size_t)b * N;
        memcpy(f, b_time + (size_t)b * T, T * sizeof *f);
        memset(f + T, 0, (N - T) * sizeof *f);
        gsl_fft_real_transform(f, 1, N, c->rwt, ws);
    }
    double tq_cache_df = -1, tq = 0;
    for (size_t o = 0; o < c->n_out; o++) {
        const double *a_time = c->a_time + o * A_COUNT * T;
        const double *a_freq = c->a_freq + o * A_COUNT * N;
        for (int j = 0; j < S_COUNT; j++)
            circular_xcorr(c, a_freq + (size_t)sum_a[j] * N, b_freq + (size_t)sum_b[j] * N,
                           tmp, circ + (size_t)j * T, ws);
        for (int li = 0; li < n_lags; li++) {
            int L = c->opts->lag_min + li;
            gs_trigger_row *r = &rows[o * (size_t)n_lags + (size_t)li];
            r->exposure = e;
            r->outcome = c->outcomes[o];
            r->lag = L;
            r->effect = r->lo = r->hi = r->t = r->p = r->q = NAN;
            r->cooccurs_with = -1;
            r->more_days = 0;
            double s[S_COUNT];
            sums_at(c, circ, a_time, b_time, L, (T - (size_t)L) % T, s);
            long n = lround(s[S_N]), ne = lround(s[S_X]);
            r->n_days = (size_t)n;
            r->n_exposed = (size_t)ne;
            r->n_unexposed = (size_t)(n - ne);
            size_t need_e = c->opts->min_exposed, need_u = c->opts->min_unexposed;
            if (r->n_exposed < need_e || r->n_unexposed < need_u) {
                /* days until the gate opens at this journal's current rate */
                double more = 0;
                if (r->n_exposed < need_e) {
                    if (r->n_exposed == 0) more = -1;
                    else more = fmax(more, (double)(need_e - r->n_exposed) * (double)T /
                                               (double)r->n_exposed);
                }
                if (more >= 0 && r->n_unexposed < need_u) {
                    if (r->n_unexposed == 0) more = -1;
                    else more = fmax(more, (double)(need_u - r->n_unexposed) * (double)T /
                                               (double)r->n_unexposed);
                }
                r->tested = 0;
                r->more_days = more < 0 ? -1 : (long)ceil(more);
                continue;
            }
            double b, se, tobs;
            if (!ols_from_sums(s, &b, &se, &tobs)) {
                /* the exposure is a copy of yesterday's outcome: nothing to test */
                r->tested = 0;
                r->more_days = -1;
                continue;
            }
            r->tested = 1;
            double df = (double)n - 3;
            if (df != tq_cache_df) {
                tq = gsl_cdf_tdist_Pinv(0.975, df);
                tq_cache_df = df;
            }
            r->effect = b;
            r->t = tobs;
            r->lo = b - tq * se;
            r->hi = b + tq * se;
            /* two-sided: |t| at least as large; the tolerance keeps rounding
               in the FFT from splitting exact ties */
            double bar = fabs(tobs) * (1 - 1e-9);
            size_t extreme = 0;
            for (size_t i = 0; i < c->n_shifts; i++) {
                size_t k = (c->shifts[i] + T - (size_t)L) % T;
                sums_at(c, circ, a_time, b_time, L, k, s);
                double bs, ses, ts;
                if (ols_from_sums(s, &bs, &ses, &ts) && fabs(ts) >= bar) extreme++;
            }
            tail_fit tail = {0, 0, 0};
            if (extreme < TAIL_COUNT) fit_tail(c, circ, a_time, b_time, L, &tail);
            r->p = shift_p(tobs, extreme, c->n_shifts, &tail);
        }
    }
}

/* Pairs of seen exposures whose exposed days (nearly) coincide. */
static gs_status find_cooccurrence(const gs_daily *panel, const size_t *seen, size_t n_seen,
                                   double threshold, gs_trigger_scan *scan, gs_err *err)
{
    size_t T = panel->n_days, words = (T + 63) / 64;
    uint64_t *bits = calloc(n_seen * words + 1, sizeof *bits);
    size_t *count = calloc(n_seen + 1, sizeof *count);
    if (!bits || !count) {
        free(bits);
        free(count);
        return gs_fail(err, GS_ERR_NOMEM, "out of memory for co-occurrence of %zu exposures",
                       n_seen);
    }
    for (size_t i = 0; i < n_seen; i++) {
        const double *x = panel->exposure + seen[i] * T;
        for (size_t t = 0; t < T; t++)
            if (x[t] == 1) {
                bits[i * words + t / 64] |= (uint64_t)1 << (t % 64);
                count[i]++;
            }
    }
    size_t cap = 0;
    for (size_t i = 0; i < n_seen; i++)
        for (size_t j = i + 1; j < n_seen; j++) {
            /* Jaccard >= threshold needs the smaller count near the larger */
            size_t lo = count[i] < count[j] ? count[i] : count[j];
            size_t hi = count[i] < count[j] ? count[j] : count[i];
            if ((double)lo < threshold * (double)hi) continue;
            size_t both = 0;
            for (size_t w = 0; w < words; w++)
                both += (size_t)__builtin_popcountll(bits[i * words + w] & bits[j * words + w]);
            size_t either = count[i] + count[j] - both;
            double jac = either ? (double)both / (double)either : 0;
            if (both < 3 || jac < threshold) continue;
            if (scan->n_pairs == cap) {
                cap = cap ? 2 * cap : 16;
                gs_cooccur *np = realloc(scan->pairs, cap * sizeof *np);
                if (!np) {
                    free(bits);
                    free(count);
                    return gs_fail(err, GS_ERR_NOMEM, "out of memory for co-occurring pairs");
                }
                scan->pairs = np;
            }
            scan->pairs[scan->n_pairs++] = (gs_cooccur){seen[i], seen[j], jac, both};
        }
    free(bits);
    free(count);
    return GS_OK;
}

gs_status gs_stats_triggers(const gs_daily *panel, const size_t *outcomes, size_t n_outcomes,
                            const gs_trigger_opts *opts, gs_trigger_scan **out, gs_err *err)
{
    assert(panel && opts && out);
    *out = NULL;
    size_t T = panel->n_days;
    if (T < MIN_DAYS)
        return gs_fail(err, GS_ERR_INPUT,
                       "not enough data yet: about %zu more days (the journal spans %zu days; "
                       "trigger analysis needs at least %d)",
                       (size_t)MIN_DAYS - T, T, MIN_DAYS);
    if (opts->lag_min < 0 || opts->lag_max > MAX_LAG || opts->lag_min > opts->lag_max)
        return gs_fail(err, GS_ERR_INPUT, "lags %d-%d must lie within 0-%d", opts->lag_min,
                       opts->lag_max, MAX_LAG);
    if (opts->permutations < 1 || opts->permutations > 1000000)
        return gs_fail(err, GS_ERR_INPUT, "permutations %zu must be from 1 to 1000000",
                       opts->permutations);
    if (n_outcomes == 0) return gs_fail(err, GS_ERR_INPUT, "no outcome to test");
    for (size_t o = 0; o < n_outcomes; o++)
        if (outcomes[o] >= panel->n_outcomes)
            return gs_fail(err, GS_ERR_INTERNAL, "outcome index %zu out of range", outcomes[o]);

    gs_trigger_scan *scan = calloc(1, sizeof *scan);
    size_t *seen = malloc((panel->n_exposures + 1) * sizeof *seen);
    size_t *shifts = malloc(opts->permutations * sizeof *shifts);
    if (!scan || !seen || !shifts) {
        free(scan);
        free(seen);
        free(shifts);
        return gs_fail(err, GS_ERR_NOMEM, "out of memory for the trigger scan");
    }
    size_t n_seen = 0;
    for (size_t e = 0; e < panel->n_exposures; e++) {
        const double *x = panel->exposure + e * T;
        size_t t = 0;
        while (t < T && x[t] != 1) t++;
        if (t < T) seen[n_seen++] = e;
    }
    scan->n_never_seen = panel->n_exposures - n_seen;

    /* one set of shifts for every test, drawn before any thread starts */
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng) {
        free(seen);
        free(shifts);
        gs_trigger_scan_free(scan);
        return gs_fail(err, GS_ERR_NOMEM, "out of memory for the random number generator");
    }
    gsl_rng_set(rng, opts->seed);
    for (size_t i = 0; i < opts->permutations; i++)
        shifts[i] = MIN_SHIFT + gsl_rng_uniform_int(rng, T - 2 * MIN_SHIFT + 1);
    gsl_rng_free(rng);
    scan->n_shifts = opts->permutations;

    gs_status st = find_cooccurrence(panel, seen, n_seen, opts->cooccur, scan, err);
    int n_lags = opts->lag_max - opts->lag_min + 1;
    size_t per_exposure = n_outcomes * (size_t)n_lags;
    scan->n_rows = n_seen * per_exposure;
    scan->rows = calloc(scan->n_rows + 1, sizeof *scan->rows);

    scan_ctx c = {.panel = panel, .opts = opts, .T = T, .N = smooth_length(2 * T),
                  .n_out = n_outcomes, .outcomes = outcomes, .shifts = shifts,
                  .n_shifts = opts->permutations};
    c.a_time = malloc(n_outcomes * A_COUNT * T * sizeof *c.a_time);
    c.a_freq = malloc(n_outcomes * A_COUNT * c.N * sizeof *c.a_freq);
    c.rwt = gsl_fft_real_wavetable_alloc(c.N);
    c.hwt = gsl_fft_halfcomplex_wavetable_alloc(c.N);
    gsl_fft_real_workspace *ws0 = gsl_fft_real_workspace_alloc(c.N);
    if (!st && (!scan->rows || !c.a_time || !c.a_freq || !c.rwt || !c.hwt || !ws0))
        st = gs_fail(err, GS_ERR_NOMEM, "out of memory for the trigger scan of %zu days", T);
    if (!st)
        for (size_t o = 0; o < n_outcomes; o++)
            outcome_series(&c, o, c.a_time + o * A_COUNT * T, c.a_freq + o * A_COUNT * c.N,
                           ws0);
    if (ws0) gsl_fft_real_workspace_free(ws0);

    int failed = 0;
    if (!st) {
        size_t work_len = B_COUNT * T + B_COUNT * c.N + c.N + S_COUNT * T;
#ifdef _OPENMP
        int threads = opts->threads > 0 ? opts->threads : omp_get_max_threads();
#pragma omp parallel num_threads(threads) reduction(| : failed)
#endif
        {
            double *work = malloc(work_len * sizeof *work);
            gsl_fft_real_workspace *ws = gsl_fft_real_workspace_alloc(c.N);
            if (!work || !ws) failed = 1;
#ifdef _OPENMP
#pragma omp for schedule(dynamic, 4)
#endif
            for (size_t i = 0; i < n_seen; i++)
                if (work && ws) scan_exposure(&c, seen[i], scan->rows + i * per_exposure, work, ws);
            free(work);
            if (ws) gsl_fft_real_workspace_free(ws);
        }
        if (failed) st = gs_fail(err, GS_ERR_NOMEM, "out of memory in a trigger-scan thread");
    }
    free(c.a_time);
    free(c.a_freq);
    if (c.rwt) gsl_fft_real_wavetable_free(c.rwt);
    if (c.hwt) gsl_fft_halfcomplex_wavetable_free(c.hwt);
    free(shifts);

    double *p = NULL;
    if (!st) {
        p = malloc((scan->n_rows + 1) * sizeof *p);
        if (!p) st = gs_fail(err, GS_ERR_NOMEM, "out of memory for %zu p-values", scan->n_rows);
    }
    if (!st) {
        for (size_t i = 0; i < scan->n_rows; i++) {
            p[i] = scan->rows[i].tested ? scan->rows[i].p : NAN;
            scan->n_tested += scan->rows[i].tested != 0;
        }
        st = gs_stats_bh(p, scan->n_rows, p, err);
    }
    if (!st) {
        for (size_t i = 0; i < scan->n_rows; i++) {
            gs_trigger_row *r = &scan->rows[i];
            r->q = p[i];
            /* the partner most often together with this exposure */
            double best = -1;
            for (size_t k = 0; k < scan->n_pairs; k++) {
                const gs_cooccur *pr = &scan->pairs[k];
                if ((pr->a == r->exposure || pr->b == r->exposure) && pr->jaccard > best) {
                    best = pr->jaccard;
                    r->cooccurs_with = (int)(pr->a == r->exposure ? pr->b : pr->a);
                }
            }
        }
    }
    free(p);
    free(seen);
    if (st) {
        gs_trigger_scan_free(scan);
        return st;
    }
    *out = scan;
    return GS_OK;
}
