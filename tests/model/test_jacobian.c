/*
 * test_jacobian.c - the analytic Jacobians (model.h: gs_block.jac,
 * gs_block.output_jac, gs_model_jacobian) against central finite
 * differences of the right-hand sides they differentiate.
 *
 * For every registered block: at several random
 * states, parameters and inputs, d f/d y, d f/d in and d out/d y agree with
 * central differences to about 1e-6 relative.  The composed Jacobian of a
 * model whose blocks are coupled through an output (systemic.inflammation
 * -> skin_ad.systemic_inflammation) agrees with central differences of
 * gs_model_rhs, including the cross terms of the link, and so does the
 * full axis (every non-reference block, every link) at its default state
 * and at random states and doses.  Every registered block gives one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gutskin/model.h"

#define TRIALS 8
/* Agreement: |analytic - fd| <= REL |fd| + REL_ROW max|row|, the second
 * term for entries that are tiny next to the rest of their row, where a
 * difference quotient of a large right-hand side carries rounding noise. */
#define REL 1e-6
#define REL_ROW 1e-8

/* splitmix64: a small deterministic generator, so failures reproduce. */
static uint64_t rng_state = 0x5eed;
static double uniform(double lo, double hi)
{
    uint64_t x = (rng_state += 0x9e3779b97f4a7c15ULL);
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return lo + (hi - lo) * (double)(x >> 11) / 9007199254740992.0;
}

/* A random value for a table entry: around its default (a factor e up or
 * down) and inside its range; entries whose default is 0 are drawn from
 * the start of their range, or from the whole range when it spans both
 * signs (so a clamp at 0, like max(DII, 0), is seen on both branches).
 * Dimensionless fractions (hi <= 1) stay inside (0.05, 0.95), and every
 * value stays 0.1% of the range away from its ends, so no clamp at an end
 * of the range (1 - J at J = 1) is at its kink. */
static double draw(const gs_quantity *q)
{
    double v;
    if (q->hi <= 1.0 && q->lo >= 0.0 && q->value == 0.0)
        v = q->lo + (q->hi - q->lo) * uniform(0.05, 0.95);
    else if (q->value > 0.0)
        v = q->value * exp(uniform(-1.0, 1.0));
    else if (q->value == 0.0 && q->lo < 0.0 && q->hi > 0.0)
        v = q->lo + (q->hi - q->lo) * uniform(0.05, 0.95);
    else
        v = q->lo + (fmin(q->hi, q->lo + 1.0) - q->lo) * uniform(0.05, 0.95);
    double margin = 1e-3 * (q->hi - q->lo);
    if (v < q->lo + margin) v = q->lo + margin;
    if (v > q->hi - margin) v = q->hi - margin;
    return v;
}

/* Central differences are taken with three relative steps; an entry
 * agrees when the difference quotient of any of them does.  One step alone
 * is either too large for a steep Hill term (truncation error) or too
 * small for a small derivative in a row of large terms (rounding error);
 * a wrong derivative agrees with none. */
static const double steps[] = {1e-4, 1e-5, 1e-6};
static double step_rel = 1e-5;
static double step_for(double x) { return step_rel * fmax(fabs(x), 1e-3); }

/* Keep in best[] whichever of best[] and fd[] is closer to analytic[],
 * entry by entry (first: just copy fd). */
static void keep_closest(double *best, const double *fd, const double *analytic, size_t count,
                         int first)
{
    for (size_t i = 0; i < count; i++)
        if (first || fabs(fd[i] - analytic[i]) < fabs(best[i] - analytic[i])) best[i] = fd[i];
}

/* Does an analytic matrix (row-major rows x cols) agree with a finite
 * difference one?  Returns 1, or 0 with the first disagreeing entry in
 * *row, *col. */
static int agree(const double *analytic, const double *fd, size_t rows, size_t cols,
                 size_t *row, size_t *col)
{
    for (size_t i = 0; i < rows; i++) {
        double biggest = 0;
        for (size_t k = 0; k < cols; k++) biggest = fmax(biggest, fabs(fd[i * cols + k]));
        for (size_t k = 0; k < cols; k++) {
            double a = analytic[i * cols + k], f = fd[i * cols + k];
            if (!(fabs(a - f) <= REL * fabs(f) + REL_ROW * biggest)) {
                *row = i;
                *col = k;
                return 0;
            }
        }
    }
    return 1;
}

static void assert_agree(const char *what, const char *block, const double *analytic,
                         const double *fd, size_t rows, size_t cols)
{
    size_t i, k;
    if (!agree(analytic, fd, rows, cols, &i, &k)) {
        print_error("%s of block %s, row %zu column %zu: analytic %.12g, "
                    "finite difference %.12g\n", what, block, i, k,
                    analytic[i * cols + k], fd[i * cols + k]);
        fail();
    }
}

static void check_block(const gs_block *b)
{
    size_t ns = b->n_states, np = b->n_params, ni = b->n_inputs, no = b->n_outputs;
    double *y = calloc(ns + 1, sizeof *y), *p = calloc(np + 1, sizeof *p);
    double *in = calloc(ni + 1, sizeof *in), *dy = calloc(ns + 1, sizeof *dy);
    double *fp = calloc(ns + no + 1, sizeof *fp), *fm = calloc(ns + no + 1, sizeof *fm);
    double *jy = calloc(ns * ns + 1, sizeof *jy), *jin = calloc(ns * ni + 1, sizeof *jin);
    double *fy = calloc(ns * ns + 1, sizeof *fy), *fin = calloc(ns * ni + 1, sizeof *fin);
    double *jo = calloc(no * ns + 1, sizeof *jo), *fo = calloc(no * ns + 1, sizeof *fo);
    size_t big = ns * ns + ns * ni + no * ns + 1;
    double *tmp = calloc(big, sizeof *tmp);
    assert_true(y && p && in && dy && fp && fm && jy && jin && fy && fin && jo && fo && tmp);
    for (int trial = 0; trial < TRIALS; trial++) {
        for (size_t k = 0; k < ns; k++) y[k] = draw(&b->states[k]);
        for (size_t k = 0; k < np; k++) p[k] = draw(&b->params[k]);
        for (size_t k = 0; k < ni; k++) in[k] = draw(&b->inputs[k]);
        memset(jy, 0, ns * ns * sizeof *jy);
        memset(jin, 0, ns * ni * sizeof *jin);
        b->jac(y, p, in, jy, jin);
        if (b->output_jac) {
            memset(jo, 0, no * ns * sizeof *jo);
            b->output_jac(y, p, jo);
        }
        for (size_t st = 0; st < GS_COUNT(steps); st++) {
            step_rel = steps[st];
            for (size_t k = 0; k < ns; k++) {  /* column k of d f/d y */
                double y0 = y[k], h = step_for(y0);
                y[k] = y0 + h;
                b->rhs(y, p, in, fp);
                y[k] = y0 - h;
                b->rhs(y, p, in, fm);
                y[k] = y0;
                for (size_t i = 0; i < ns; i++) tmp[i * ns + k] = (fp[i] - fm[i]) / (2 * h);
            }
            keep_closest(fy, tmp, jy, ns * ns, st == 0);
            for (size_t j = 0; j < ni; j++) {  /* column j of d f/d in */
                double v0 = in[j], h = step_for(v0);
                in[j] = v0 + h;
                b->rhs(y, p, in, fp);
                in[j] = v0 - h;
                b->rhs(y, p, in, fm);
                in[j] = v0;
                for (size_t i = 0; i < ns; i++) tmp[i * ni + j] = (fp[i] - fm[i]) / (2 * h);
            }
            keep_closest(fin, tmp, jin, ns * ni, st == 0);
            if (!b->output_jac) continue;
            for (size_t k = 0; k < ns; k++) {
                double y0 = y[k], h = step_for(y0);
                y[k] = y0 + h;
                b->output(y, p, fp);
                y[k] = y0 - h;
                b->output(y, p, fm);
                y[k] = y0;
                for (size_t o = 0; o < no; o++) tmp[o * ns + k] = (fp[o] - fm[o]) / (2 * h);
            }
            keep_closest(fo, tmp, jo, no * ns, st == 0);
        }
        step_rel = 1e-5;
        assert_agree("d rhs/d state", b->name, jy, fy, ns, ns);
        assert_agree("d rhs/d input", b->name, jin, fin, ns, ni);
        if (b->output_jac) assert_agree("d output/d state", b->name, jo, fo, no, ns);
    }
    free(tmp);
    free(y); free(p); free(in); free(dy); free(fp); free(fm);
    free(jy); free(jin); free(fy); free(fin); free(jo); free(fo);
}

/* Does some registered link read an output of block b? */
static int outputs_feed_a_link(const gs_block *b)
{
    size_t n;
    const gs_link *links = gs_link_registry(&n);
    size_t len = strlen(b->name);
    for (size_t l = 0; l < n; l++) {
        const char *from = links[l].from;
        if (strncmp(from, b->name, len) == 0 && from[len] == '.' &&
            gs_quantity_index(b->outputs, b->n_outputs, from + len + 1) >= 0)
            return 1;
    }
    return 0;
}

/* Every block gives a Jacobian, every block whose outputs feed a link
 * gives their Jacobian too, and they agree with finite differences at
 * TRIALS random states, parameters and inputs each. */
static void block_jacobians_match_finite_differences(void **state)
{
    (void)state;
    size_t n;
    const gs_block *const *reg = gs_block_registry(&n);
    for (size_t b = 0; b < n; b++) {
        if (!reg[b]->jac) {
            print_error("block %s has no analytic Jacobian\n", reg[b]->name);
            fail();
        }
        if (!reg[b]->output_jac && outputs_feed_a_link(reg[b])) {
            print_error("block %s has no Jacobian of its outputs\n", reg[b]->name);
            fail();
        }
        check_block(reg[b]);
    }
    assert_true(n >= 12);
    assert_true(outputs_feed_a_link(gs_block_find("barrier")));  /* permeability */
    assert_false(outputs_feed_a_link(gs_block_find("skin_ad")));
}

/* The comparison can fail: the systemic block's Jacobian with one entry
 * off by one part in 1e4 is flagged, at the entry changed. */
static void the_check_can_fail(void **state)
{
    (void)state;
    const gs_block *b = gs_block_find("systemic");
    double y[4], p[64], in[3], jy[16] = {0}, jin[12] = {0}, fy[16], fp[4], fm[4];
    assert_true(b->n_params <= 64 && b->n_states == 4 && b->n_inputs == 3);
    for (size_t k = 0; k < 4; k++) y[k] = 0.5 + 0.1 * (double)k;
    for (size_t k = 0; k < b->n_params; k++) p[k] = b->params[k].value;
    for (size_t k = 0; k < 3; k++) in[k] = b->inputs[k].value;
    b->jac(y, p, in, jy, jin);
    for (size_t k = 0; k < 4; k++) {
        double y0 = y[k], h = step_for(y0);
        y[k] = y0 + h;
        b->rhs(y, p, in, fp);
        y[k] = y0 - h;
        b->rhs(y, p, in, fm);
        y[k] = y0;
        for (size_t i = 0; i < 4; i++) fy[i * 4 + k] = (fp[i] - fm[i]) / (2 * h);
    }
    size_t row, col;
    assert_true(agree(jy, fy, 4, 4, &row, &col));
    jy[1 * 4 + 3] *= 1 + 1e-4;  /* d(dN/dt)/d(C_A) */
    assert_false(agree(jy, fy, 4, 4, &row, &col));
    assert_int_equal(row, 1);
    assert_int_equal(col, 3);
}

/* systemic + skin_ad: the composed Jacobian (column-major) against central
 * differences of gs_model_rhs, with the inflammation link active. */
static void composed_jacobian_matches_finite_differences(void **state)
{
    (void)state;
    gs_model *m = NULL;
    gs_err err;
    const char *names[] = {"systemic", "skin_ad"};
    assert_int_equal(gs_model_compose(names, 2, &m, &err), GS_OK);
    char why[256];
    assert_int_equal(gs_model_has_jacobian(m, why, sizeof why), 1);
    assert_string_equal(why, "");
    size_t n = gs_model_n_states(m), n_iv;
    gs_intervention_registry(&n_iv);
    double *y = calloc(n, sizeof *y), *dose = calloc(n_iv, sizeof *dose);
    double *jac = calloc(n * n, sizeof *jac), *fd = calloc(n * n, sizeof *fd);
    double *fp = calloc(n, sizeof *fp), *fm = calloc(n, sizeof *fm);
    assert_true(y && dose && jac && fd && fp && fm);
    const char *drugs[] = {"emollient", "dupilumab", "tralokinumab", "nemolizumab", "rifng"};
    int sb = gs_model_find_state(m, "skin_ad.barrier_integrity");
    int phag = gs_model_find_state(m, "systemic.phagocytes");
    int th1 = gs_model_find_state(m, "skin_ad.th1");
    int ifng = gs_model_find_state(m, "skin_ad.ifng");
    int k21 = gs_model_find_param(m, "skin_ad.k21");
    assert_true(sb >= 0 && phag >= 0 && th1 >= 0 && ifng >= 0 && k21 >= 0);
    for (int trial = 0; trial < TRIALS; trial++) {
        for (size_t i = 0; i < n; i++) y[i] = draw(gs_model_state_info(m, i));
        /* enough activated phagocytes that inflammation exceeds the skin's
         * reference, so the link's cross terms are not zero */
        y[phag] = uniform(0.2, 1.0);
        for (size_t d = 0; d < GS_COUNT(drugs); d++) {
            int k = gs_intervention_index(drugs[d]);
            assert_true(k >= 0);
            dose[k] = strcmp(drugs[d], "rifng") == 0 ? uniform(1, 300) : uniform(0.05, 0.95);
        }
        gs_model_jacobian(m, y, dose, jac);
        for (size_t k = 0; k < n; k++) {
            double y0 = y[k], h = step_for(y0);
            y[k] = y0 + h;
            gs_model_rhs(m, y, dose, fp);
            y[k] = y0 - h;
            gs_model_rhs(m, y, dose, fm);
            y[k] = y0;
            for (size_t i = 0; i < n; i++) fd[k * n + i] = (fp[i] - fm[i]) / (2 * h);
        }
        /* transpose both to row-major for assert_agree */
        double *a = calloc(n * n, sizeof *a), *f = calloc(n * n, sizeof *f);
        assert_true(a && f);
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; k < n; k++) {
                a[i * n + k] = jac[k * n + i];
                f[i * n + k] = fd[k * n + i];
            }
        assert_agree("composed Jacobian", "systemic+skin_ad", a, f, n, n);
        free(a);
        free(f);
        /* the cross term through the link is really there */
        assert_true(jac[(size_t)phag * n + (size_t)sb] < 0);  /* inflammation disrupts */
        /* column-major: column th1, row ifng is d(dIFNg/dt)/d(Th1) = k21 */
        assert_float_equal(jac[(size_t)th1 * n + (size_t)ifng],
                           gs_model_params(m)[k21], 0);
    }
    free(y); free(dose); free(jac); free(fd); free(fp); free(fm);
    gs_model_free(m);
}

/* The composed Jacobian of model m (column-major) against central
 * differences of gs_model_rhs at (y, dose). */
static void assert_composed_agrees(gs_model *m, double *y, const double *dose,
                                   const char *what)
{
    size_t n = gs_model_n_states(m);
    double *jac = calloc(n * n, sizeof *jac), *fd = calloc(n * n, sizeof *fd);
    double *fp = calloc(n, sizeof *fp), *fm = calloc(n, sizeof *fm);
    double *a = calloc(n * n, sizeof *a), *f = calloc(n * n, sizeof *f);
    assert_true(jac && fd && fp && fm && a && f);
    gs_model_jacobian(m, y, dose, jac);
    double *tmp = calloc(n * n, sizeof *tmp);
    assert_non_null(tmp);
    for (size_t st = 0; st < GS_COUNT(steps); st++) {
        step_rel = steps[st];
        for (size_t k = 0; k < n; k++) {
            double y0 = y[k], h = step_for(y0);
            y[k] = y0 + h;
            gs_model_rhs(m, y, dose, fp);
            y[k] = y0 - h;
            gs_model_rhs(m, y, dose, fm);
            y[k] = y0;
            for (size_t i = 0; i < n; i++) tmp[k * n + i] = (fp[i] - fm[i]) / (2 * h);
        }
        keep_closest(fd, tmp, jac, n * n, st == 0);
    }
    step_rel = 1e-5;
    free(tmp);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < n; k++) {
            a[i * n + k] = jac[k * n + i];
            f[i * n + k] = fd[k * n + i];
        }
    size_t row, col;
    if (!agree(a, f, n, n, &row, &col)) {
        char rn[128], cn[128];
        print_error("%s: d %s / d %s: analytic %.12g, finite difference %.12g\n", what,
                    gs_model_state_name(m, row, rn, sizeof rn),
                    gs_model_state_name(m, col, cn, sizeof cn), a[row * n + col],
                    f[row * n + col]);
        fail();
    }
    free(jac); free(fd); free(fp); free(fm); free(a); free(f);
}

/* Every non-reference block composed: the whole axis has an analytic
 * Jacobian, and it agrees with central differences at the default state
 * and usual doses, and at TRIALS random states with random doses of every
 * intervention (so every dose-fed input is away from 0), including the
 * cross terms of every link. */
static void full_model_jacobian_matches_finite_differences(void **state)
{
    (void)state;
    size_t n_reg, n_iv;
    const gs_block *const *reg = gs_block_registry(&n_reg);
    const gs_intervention *iv = gs_intervention_registry(&n_iv);
    const char *names[64];
    size_t nb = 0;
    for (size_t b = 0; b < n_reg && nb < 64; b++)
        if (!(reg[b]->flags & GS_BLOCK_REFERENCE)) names[nb++] = reg[b]->name;
    gs_model *m = NULL;
    gs_err err;
    assert_int_equal(gs_model_compose(names, nb, &m, &err), GS_OK);
    char why[256];
    assert_int_equal(gs_model_has_jacobian(m, why, sizeof why), 1);
    assert_string_equal(why, "");
    size_t n = gs_model_n_states(m);
    assert_true(n >= 40);
    double *y = calloc(n, sizeof *y), *dose = calloc(n_iv, sizeof *dose);
    assert_true(y && dose);

    /* A state at exactly 0 (the probiotic strain, the pathogen) sits on
     * the kink of a clamp, where the Jacobian gives the side the state
     * moves to (model.h) and a central difference the average of both:
     * move it to that side first. */
    memcpy(y, gs_model_initial(m), n * sizeof *y);
    for (size_t i = 0; i < n; i++)
        if (y[i] == 0.0) y[i] = 1e-6;
    for (size_t d = 0; d < n_iv; d++) dose[d] = iv[d].baseline;
    assert_composed_agrees(m, y, dose, "full model at the default state");

    for (int trial = 0; trial < TRIALS; trial++) {
        for (size_t i = 0; i < n; i++) y[i] = draw(gs_model_state_info(m, i));
        for (size_t d = 0; d < n_iv; d++)
            dose[d] = iv[d].lo + (iv[d].hi - iv[d].lo) * uniform(0.05, 0.95);
        assert_composed_agrees(m, y, dose, "full model at a random state");
    }
    free(y);
    free(dose);
    gs_model_free(m);
}

/* Every block alone and the full axis say they have a Jacobian with an
 * empty reason; the solver then uses it. */
static void every_model_has_a_jacobian(void **state)
{
    (void)state;
    size_t n_reg;
    const gs_block *const *reg = gs_block_registry(&n_reg);
    for (size_t b = 0; b < n_reg; b++) {
        gs_model *m = NULL;
        gs_err err;
        const char *one[] = {reg[b]->name};
        assert_int_equal(gs_model_compose(one, 1, &m, &err), GS_OK);
        char why[256] = "x";
        assert_int_equal(gs_model_has_jacobian(m, why, sizeof why), 1);
        assert_string_equal(why, "");
        gs_model_free(m);
    }
}

/* A clone carries its own Jacobian scratch and gives the same matrix. */
static void clone_gives_the_same_jacobian(void **state)
{
    (void)state;
    gs_model *m = NULL;
    gs_err err;
    const char *names[] = {"systemic", "skin_ad"};
    assert_int_equal(gs_model_compose(names, 2, &m, &err), GS_OK);
    gs_model *c = gs_model_clone(m);
    assert_non_null(c);
    size_t n = gs_model_n_states(m), n_iv;
    gs_intervention_registry(&n_iv);
    double *dose = calloc(n_iv, sizeof *dose);
    double *a = calloc(n * n, sizeof *a), *b = calloc(n * n, sizeof *b);
    assert_true(dose && a && b);
    gs_model_jacobian(m, gs_model_initial(m), dose, a);
    gs_model_jacobian(c, gs_model_initial(c), dose, b);
    assert_memory_equal(a, b, n * n * sizeof *a);
    free(dose); free(a); free(b);
    gs_model_free(c);
    gs_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(block_jacobians_match_finite_differences),
        cmocka_unit_test(the_check_can_fail),
        cmocka_unit_test(composed_jacobian_matches_finite_differences),
        cmocka_unit_test(full_model_jacobian_matches_finite_differences),
        cmocka_unit_test(every_model_has_a_jacobian),
        cmocka_unit_test(clone_gives_the_same_jacobian),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
