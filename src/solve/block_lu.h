/*
 * block_lu.h - LU factorisation and solve of a dense matrix whose zero
 * pattern is known in advance, by its block triangular form (internal to
 * libgutskin's solve layer).
 *
 * The Newton matrix I - gamma J of a composed model is mostly zero: a
 * block's derivatives depend on its own states and on the few states and
 * outputs its links read.  Ordering the states by the strongly connected
 * components of that dependency graph, dependencies first, makes the
 * matrix block lower triangular (Duff & Reid 1978, ACM TOMS 4:137; the
 * same idea as KLU's BTF step).  Only the diagonal blocks need an LU
 * factorisation (partial pivoting inside each); the blocks below the
 * diagonal are used as they are, by forward substitution.  For the full
 * 40-state axis the largest diagonal block has 14 states (skin_ad), so a
 * factorisation costs a few percent of a dense 40 x 40 one.
 *
 * The matrix itself stays in the caller's dense column-major storage
 * (SUNDIALS' dense matrix): factor reads it and keeps only the factors of
 * the diagonal blocks; solve reads the entries below the diagonal blocks
 * from the same matrix, which must not change between the two.  Entries
 * outside the pattern must be zero; they are never read.
 */
#ifndef GUTSKIN_SOLVE_BLOCK_LU_H
#define GUTSKIN_SOLVE_BLOCK_LU_H

#include <stddef.h>

typedef struct gs_block_lu gs_block_lu;

/* Plan the factorisation of n x n matrices with the zero pattern
 * pattern[k * n + i] (column-major; non-zero where entry (i, k) may be
 * non-zero; the diagonal is taken as non-zero whatever it says).  NULL on
 * out of memory. */
gs_block_lu *gs_block_lu_new(size_t n, const unsigned char *pattern);
void gs_block_lu_free(gs_block_lu *f);

/* Number of diagonal blocks, and the size of the largest. */
size_t gs_block_lu_n_blocks(const gs_block_lu *f);
size_t gs_block_lu_largest_block(const gs_block_lu *f);

/* Factor the diagonal blocks of the column-major matrix a (leading
 * dimension n).  Returns 0, or i + 1 when the pivot of state i (in the
 * matrix's own numbering) is zero: the matrix is singular. */
size_t gs_block_lu_factor(gs_block_lu *f, const double *a);

/* Solve a x = b in place in x (b on entry), with the factors of the last
 * gs_block_lu_factor of the same matrix a. */
void gs_block_lu_solve(gs_block_lu *f, const double *a, double *x);

/* The zero pattern of composed model m's Jacobian, pattern[k * n + i]
 * (n states): block b's rows depend on b's own states, on the state a
 * state-fed input reads and on every state of a block whose output an
 * output-fed input reads; dose-fed inputs are constant in y.  The caller
 * frees it; NULL on out of memory. */
struct gs_model;
unsigned char *gs_block_lu_model_pattern(const struct gs_model *m);

#endif
