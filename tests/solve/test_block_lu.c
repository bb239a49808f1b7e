/*
 * test_block_lu.c - the block-triangular LU of src/solve/block_lu.c.
 *
 * Matrices with a hidden block triangular form (blocks of random sizes,
 * entries below them at random, rows and columns then numbered in a random
 * order): the planner finds exactly those blocks, and the solve satisfies
 * A x = b to rounding.  A singular diagonal block is reported with the
 * state whose pivot vanished.  A full matrix is one block.  The pattern
 * built from a composed model holds every non-zero of its Jacobian, and
 * gives the full axis the block structure the links imply.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gutskin/model.h"
#include "solve/block_lu.h"

static uint64_t rng = 0xb10c;
static double uniform(void)
{
    uint64_t x = (rng += 0x9e3779b97f4a7c15ULL);
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return (double)(x >> 11) / 9007199254740992.0;
}

enum { N = 30 };

/* A matrix with n_blocks diagonal blocks (of the sizes in size[]) in a
 * hidden order perm[], entries below the blocks with probability 0.2;
 * a[k * N + i] column-major, pattern alike. */
static void hidden_btf(const size_t *size, size_t n_blocks, double *a, unsigned char *pattern)
{
    size_t perm[N], block_of[N];
    for (size_t i = 0; i < N; i++) perm[i] = i;
    for (size_t i = N - 1; i > 0; i--) {  /* Fisher-Yates */
        size_t j = (size_t)(uniform() * (double)(i + 1));
        size_t t = perm[i]; perm[i] = perm[j]; perm[j] = t;
    }
    size_t pos = 0;
    for (size_t d = 0; d < n_blocks; d++)
        for (size_t r = 0; r < size[d]; r++) block_of[pos++] = d;
    assert_int_equal(pos, N);
    memset(a, 0, N * N * sizeof *a);
    memset(pattern, 0, N * N);
    for (size_t r = 0; r < N; r++)      /* position in the hidden order */
        for (size_t c = 0; c < N; c++) {
            int inside = block_of[r] == block_of[c];
            int below = block_of[c] < block_of[r] && uniform() < 0.2;
            if (!inside && !below) continue;
            /* every entry inside a block is set, so each block is one
             * strongly connected component; diagonally dominant */
            double v = uniform() - 0.5;
            if (r == c) v = 4.0 + uniform();
            size_t i = perm[r], k = perm[c];
            a[k * N + i] = v;
            pattern[k * N + i] = 1;
        }
}

static void solves_hidden_block_triangular_systems(void **state)
{
    (void)state;
    const size_t sizes[][8] = {{4, 2, 8, 2, 2, 8, 3, 1}, {1, 1, 1, 1, 1, 1, 1, 23},
                               {10, 10, 10}};
    const size_t counts[] = {8, 8, 3};
    double a[N * N], x[N], b[N];
    unsigned char pattern[N * N];
    for (size_t t = 0; t < 3; t++) {
        for (int rep = 0; rep < 5; rep++) {
            hidden_btf(sizes[t], counts[t], a, pattern);
            gs_block_lu *f = gs_block_lu_new(N, pattern);
            assert_non_null(f);
            assert_int_equal(gs_block_lu_n_blocks(f), counts[t]);
            size_t largest = 0;
            for (size_t d = 0; d < counts[t]; d++)
                if (sizes[t][d] > largest) largest = sizes[t][d];
            assert_int_equal(gs_block_lu_largest_block(f), largest);
            assert_int_equal(gs_block_lu_factor(f, a), 0);
            for (size_t i = 0; i < N; i++) x[i] = b[i] = uniform() - 0.5;
            gs_block_lu_solve(f, a, x);
            for (size_t i = 0; i < N; i++) {  /* residual of row i */
                double r = -b[i];
                for (size_t k = 0; k < N; k++) r += a[k * N + i] * x[k];
                assert_true(fabs(r) < 1e-12);
            }
            gs_block_lu_free(f);
        }
    }
}

/* A full pattern is one block of N; a diagonal one is N blocks of 1. */
static void full_and_diagonal_patterns(void **state)
{
    (void)state;
    unsigned char pattern[N * N];
    memset(pattern, 1, sizeof pattern);
    gs_block_lu *f = gs_block_lu_new(N, pattern);
    assert_non_null(f);
    assert_int_equal(gs_block_lu_n_blocks(f), 1);
    gs_block_lu_free(f);
    memset(pattern, 0, sizeof pattern);
    f = gs_block_lu_new(N, pattern);
    assert_non_null(f);
    assert_int_equal(gs_block_lu_n_blocks(f), N);
    assert_int_equal(gs_block_lu_largest_block(f), 1);
    gs_block_lu_free(f);
}

/* A zero pivot names the state: state 7 alone in its block, set to 0. */
static void singular_block_names_the_state(void **state)
{
    (void)state;
    double a[N * N];
    unsigned char pattern[N * N];
    memset(pattern, 0, sizeof pattern);
    memset(a, 0, sizeof a);
    for (size_t i = 0; i < N; i++) {
        pattern[i * N + i] = 1;
        a[i * N + i] = 1.0 + (double)i;
    }
    a[7 * N + 7] = 0.0;
    gs_block_lu *f = gs_block_lu_new(N, pattern);
    assert_non_null(f);
    assert_int_equal(gs_block_lu_factor(f, a), 7 + 1);
    a[7 * N + 7] = 2.0;
    assert_int_equal(gs_block_lu_factor(f, a), 0);
    gs_block_lu_free(f);
}

/* Every non-zero of the full axis' analytic Jacobian, at its default state
 * and at perturbed states with random doses, lies inside the model's
 * pattern; and the pattern splits the axis into its expected blocks. */
static void model_pattern_covers_the_jacobian(void **state)
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
    size_t n = gs_model_n_states(m);
    unsigned char *pattern = gs_block_lu_model_pattern(m);
    double *jac = calloc(n * n, sizeof *jac), *y = calloc(n, sizeof *y);
    double *dose = calloc(n_iv, sizeof *dose);
    assert_true(pattern && jac && y && dose);
    size_t inside = 0;
    for (int trial = 0; trial < 20; trial++) {
        for (size_t i = 0; i < n; i++)
            y[i] = gs_model_initial(m)[i] * (trial ? 0.5 + uniform() : 1.0) + 0.01 * uniform();
        for (size_t d = 0; d < n_iv; d++)
            dose[d] = trial ? iv[d].lo + (iv[d].hi - iv[d].lo) * uniform() : iv[d].baseline;
        gs_model_jacobian(m, y, dose, jac);
        for (size_t e = 0; e < n * n; e++) {
            if (jac[e] == 0.0) continue;
            if (!pattern[e]) {
                char rn[96], cn[96];
                print_error("d %s / d %s = %g is outside the pattern\n",
                            gs_model_state_name(m, e % n, rn, sizeof rn),
                            gs_model_state_name(m, e / n, cn, sizeof cn), jac[e]);
                fail();
            }
            inside++;
        }
    }
    assert_true(inside > 0);
    gs_block_lu *f = gs_block_lu_new(n, pattern);
    assert_non_null(f);
    /* a block's own states are one dense block of the pattern; barrier,
     * systemic and nutrients feed each other (one block of 8), the rest
     * are their own; skin_ad's 14 states are the largest. */
    assert_true(gs_block_lu_n_blocks(f) >= 8);
    assert_int_equal(gs_block_lu_largest_block(f), 14);
    gs_block_lu_free(f);
    free(pattern); free(jac); free(y); free(dose);
    gs_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(solves_hidden_block_triangular_systems),
        cmocka_unit_test(full_and_diagonal_patterns),
        cmocka_unit_test(singular_block_names_the_state),
        cmocka_unit_test(model_pattern_covers_the_jacobian),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
