/*
 * block_lu.c - LU of a matrix with a known zero pattern by its block
 * triangular form (see block_lu.h for the why and the contract).
 *
 * Planning (once per solver): Tarjan's strongly connected components of
 * the graph "row i depends on column k" (Tarjan 1972, SIAM J Comput 1:146)
 * come out dependencies first, which is the order forward substitution
 * needs.  Each component is a diagonal block; every pattern entry whose
 * row and column lie in different components lies below the diagonal
 * blocks in that order.
 *
 * Factor: each diagonal block is copied into compact column-major storage
 * and factored with partial pivoting (LINPACK's right-looking order, as
 * solve.c's dense kernel).  Solve: block by block, subtract the known
 * columns' contributions, then solve the diagonal block.
 */
#include "solve/block_lu.h"

#include "gutskin/model.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct gs_block_lu {
    size_t n, n_blocks, largest;
    size_t *order;        /* n: the states, block by block */
    size_t *start;        /* n_blocks + 1: block d is order[start[d] .. start[d+1]) */
    size_t *lower_start;  /* n + 1: row order[r]'s entries left of its block
                             are lower_*[lower_start[r] .. lower_start[r+1]) */
    size_t *lower_at, *lower_col;  /* the entry's index in the matrix (k n + i)
                                      and its column k */
    size_t *factor_off;   /* n_blocks: where block d's factors start */
    double *factors;      /* sum of block sizes squared */
    size_t *pivots;       /* n: block-local pivot rows, at start[d] */
    double *inv_diag;     /* n: 1 / U's diagonal, at start[d] (a multiply
                             is much faster than a divide in the solve) */
    double *work;         /* largest: one block's right-hand side */
};

#define UNSET ((size_t)-1)

/* Tarjan's algorithm, recursive (n is a few dozen states). */
typedef struct tarjan {
    size_t n, next_index, sp;
    const unsigned char *pattern;
    size_t *index, *low, *stack;
    unsigned char *on_stack;
    gs_block_lu *f;  /* components are appended to f->order / f->start */
    size_t placed;
} tarjan;

static int depends(const tarjan *t, size_t i, size_t k)
{
    return i != k && t->pattern[k * t->n + i];
}

static void strongconnect(tarjan *t, size_t v)
{
    t->index[v] = t->low[v] = t->next_index++;
    t->stack[t->sp++] = v;
    t->on_stack[v] = 1;
    for (size_t w = 0; w < t->n; w++) {
        if (!depends(t, v, w)) continue;
        if (t->index[w] == UNSET) {
            strongconnect(t, w);
            if (t->low[w] < t->low[v]) t->low[v] = t->low[w];
        } else if (t->on_stack[w] && t->index[w] < t->low[v]) {
            t->low[v] = t->index[w];
        }
    }
    if (t->low[v] != t->index[v]) return;
    /* v roots a component: pop it, and keep its states in ascending order
     * so the plan depends only on the pattern. */
    gs_block_lu *f = t->f;
    size_t first = t->placed;
    size_t w;
    do {
        w = t->stack[--t->sp];
        t->on_stack[w] = 0;
        size_t j = t->placed++;
        while (j > first && f->order[j - 1] > w) {
            f->order[j] = f->order[j - 1];
            j--;
        }
        f->order[j] = w;
    } while (w != v);
    f->start[++f->n_blocks] = t->placed;
}

void gs_block_lu_free(gs_block_lu *f)
{
    if (!f) return;
    free(f->order);
    free(f->start);
    free(f->lower_start);
    free(f->lower_at);
    free(f->lower_col);
    free(f->inv_diag);
    free(f->factor_off);
    free(f->factors);
    free(f->pivots);
    free(f->work);
    free(f);
}

gs_block_lu *gs_block_lu_new(size_t n, const unsigned char *pattern)
{
    assert(n > 0);
    gs_block_lu *f = calloc(1, sizeof *f);
    tarjan t = {.n = n, .pattern = pattern, .f = f};
    size_t *block_of = NULL;
    if (!f) return NULL;
    f->n = n;
    f->order = malloc(n * sizeof *f->order);
    f->start = calloc(n + 1, sizeof *f->start);
    f->lower_start = calloc(n + 1, sizeof *f->lower_start);
    f->factor_off = calloc(n, sizeof *f->factor_off);
    f->pivots = calloc(n, sizeof *f->pivots);
    f->inv_diag = calloc(n, sizeof *f->inv_diag);
    t.index = malloc(n * sizeof *t.index);
    t.low = malloc(n * sizeof *t.low);
    t.stack = malloc(n * sizeof *t.stack);
    t.on_stack = calloc(n, 1);
    block_of = malloc(n * sizeof *block_of);
    if (!f->order || !f->start || !f->lower_start || !f->factor_off || !f->pivots || !f->inv_diag ||
        !t.index || !t.low || !t.stack || !t.on_stack || !block_of)
        goto fail;
    for (size_t v = 0; v < n; v++) t.index[v] = UNSET;
    for (size_t v = 0; v < n; v++)
        if (t.index[v] == UNSET) strongconnect(&t, v);
    assert(t.placed == n && f->start[f->n_blocks] == n);

    size_t n_factors = 0, n_lower = 0;
    for (size_t d = 0; d < f->n_blocks; d++) {
        size_t s = f->start[d + 1] - f->start[d];
        if (s > f->largest) f->largest = s;
        f->factor_off[d] = n_factors;
        n_factors += s * s;
        for (size_t r = f->start[d]; r < f->start[d + 1]; r++) block_of[f->order[r]] = d;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < n; k++)
            if (depends(&t, i, k) && block_of[k] != block_of[i]) {
                assert(block_of[k] < block_of[i]);  /* below the diagonal blocks */
                n_lower++;
            }
    f->factors = malloc(n_factors * sizeof *f->factors);
    f->work = malloc(f->largest * sizeof *f->work);
    f->lower_at = malloc((n_lower + 1) * sizeof *f->lower_at);
    f->lower_col = malloc((n_lower + 1) * sizeof *f->lower_col);
    if (!f->factors || !f->work || !f->lower_at || !f->lower_col) goto fail;
    size_t e = 0;
    for (size_t r = 0; r < n; r++) {
        size_t i = f->order[r];
        f->lower_start[r] = e;
        for (size_t k = 0; k < n; k++)
            if (depends(&t, i, k) && block_of[k] != block_of[i]) {
                f->lower_at[e] = k * n + i;
                f->lower_col[e] = k;
                e++;
            }
    }
    f->lower_start[n] = e;
    assert(e == n_lower);
    free(t.index); free(t.low); free(t.stack); free(t.on_stack); free(block_of);
    return f;
fail:
    free(t.index); free(t.low); free(t.stack); free(t.on_stack); free(block_of);
    gs_block_lu_free(f);
    return NULL;
}

size_t gs_block_lu_n_blocks(const gs_block_lu *f) { return f->n_blocks; }
size_t gs_block_lu_largest_block(const gs_block_lu *f) { return f->largest; }

/* LU with partial pivoting of the s x s column-major a, in place; the row
 * swapped into position k in piv[k].  Returns 0 or k + 1 for a zero pivot
 * in column k. */
static size_t lu_factor(double *a, size_t s, size_t *piv)
{
    for (size_t k = 0; k < s; k++) {
        double *ck = a + k * s;
        size_t p = k;
        for (size_t i = k + 1; i < s; i++)
            if (fabs(ck[i]) > fabs(ck[p])) p = i;
        piv[k] = p;
        if (ck[p] == 0.0) return k + 1;
        if (p != k)
            for (size_t j = 0; j < s; j++) {
                double tmp = a[j * s + p];
                a[j * s + p] = a[j * s + k];
                a[j * s + k] = tmp;
            }
        double inv = 1.0 / ck[k];
        for (size_t i = k + 1; i < s; i++) ck[i] *= inv;
        for (size_t j = k + 1; j < s; j++) {
            double *cj = a + j * s, akj = cj[k];
            if (akj == 0.0) continue;
            for (size_t i = k + 1; i < s; i++) cj[i] -= akj * ck[i];
        }
    }
    return 0;
}

/* Solve with the factors of lu_factor and the reciprocals of U's
 * diagonal, b in place. */
static void lu_solve(const double *a, size_t s, const size_t *piv, const double *inv_diag,
                     double *restrict b)
{
    for (size_t k = 0; k < s; k++)
        if (piv[k] != k) {
            double tmp = b[k];
            b[k] = b[piv[k]];
            b[piv[k]] = tmp;
        }
    for (size_t k = 0; k + 1 < s; k++) {  /* L y = P b */
        const double *restrict ck = a + k * s;
        double bk = b[k];
        for (size_t i = k + 1; i < s; i++) b[i] -= ck[i] * bk;
    }
    for (size_t k = s; k-- > 0;) {  /* U x = y */
        const double *restrict ck = a + k * s;
        b[k] *= inv_diag[k];
        double bk = b[k];
        for (size_t i = 0; i < k; i++) b[i] -= ck[i] * bk;
    }
}

size_t gs_block_lu_factor(gs_block_lu *f, const double *a)
{
    size_t n = f->n;
    for (size_t d = 0; d < f->n_blocks; d++) {
        const size_t *states = f->order + f->start[d];
        size_t s = f->start[d + 1] - f->start[d];
        double *blk = f->factors + f->factor_off[d];
        for (size_t c = 0; c < s; c++) {
            const double *col = a + states[c] * n;
            for (size_t r = 0; r < s; r++) blk[c * s + r] = col[states[r]];
        }
        size_t bad = lu_factor(blk, s, f->pivots + f->start[d]);
        if (bad) return states[bad - 1] + 1;
        for (size_t k = 0; k < s; k++) f->inv_diag[f->start[d] + k] = 1.0 / blk[k * s + k];
    }
    return 0;
}

void gs_block_lu_solve(gs_block_lu *f, const double *a, double *x)
{
    double *restrict w = f->work;
    for (size_t d = 0; d < f->n_blocks; d++) {
        size_t first = f->start[d], s = f->start[d + 1] - first;
        /* the block's right-hand side less the known columns' part */
        for (size_t r = 0; r < s; r++) {
            size_t i = f->order[first + r];
            double acc = x[i];
            for (size_t e = f->lower_start[first + r]; e < f->lower_start[first + r + 1]; e++)
                acc -= a[f->lower_at[e]] * x[f->lower_col[e]];
            w[r] = acc;
        }
        if (s == 1)
            w[0] *= f->inv_diag[first];
        else
            lu_solve(f->factors + f->factor_off[d], s, f->pivots + first, f->inv_diag + first, w);
        for (size_t r = 0; r < s; r++) x[f->order[first + r]] = w[r];
    }
}

/* ---- The zero pattern of a composed model's Jacobian ------------------- */

/* pattern[k * n + i] = 1 where d f_i / d y_k may be non-zero. */
unsigned char *gs_block_lu_model_pattern(const gs_model *m)
{
    size_t n = gs_model_n_states(m), nb = gs_model_n_blocks(m);
    unsigned char *pattern = calloc(n * n, 1);
    if (!pattern) return NULL;
    for (size_t b = 0; b < nb; b++) {
        size_t lo = gs_model_state_offset(m, b), hi = lo + gs_model_block(m, b)->n_states;
        for (size_t k = lo; k < hi; k++)
            for (size_t i = lo; i < hi; i++) pattern[k * n + i] = 1;
    }
    for (size_t l = 0; l < gs_model_n_links(m); l++) {
        const gs_link *link = gs_model_link(m, l);
        if (strncmp(link->from, "dose.", 5) == 0) continue;  /* constant in y */
        size_t to_len = (size_t)(strchr(link->to, '.') - link->to);
        size_t from_len = (size_t)(strchr(link->from, '.') - link->from);
        size_t rows_lo = 0, rows_hi = 0, cols_lo = 0, cols_hi = 0;
        for (size_t b = 0; b < nb; b++) {
            const gs_block *blk = gs_model_block(m, b);
            size_t off = gs_model_state_offset(m, b);
            if (strlen(blk->name) == to_len && strncmp(blk->name, link->to, to_len) == 0) {
                rows_lo = off;
                rows_hi = off + blk->n_states;
            }
            if (strlen(blk->name) == from_len && strncmp(blk->name, link->from, from_len) == 0) {
                cols_lo = off;
                cols_hi = off + blk->n_states;
            }
        }
        int k = gs_model_find_state(m, link->from);
        if (k >= 0) { /* a state-fed input: that one column */
            cols_lo = (size_t)k;
            cols_hi = (size_t)k + 1;
        }
        for (size_t c = cols_lo; c < cols_hi; c++)
            for (size_t i = rows_lo; i < rows_hi; i++) pattern[c * n + i] = 1;
    }
    return pattern;
}
