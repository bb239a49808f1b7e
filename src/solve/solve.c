/*
 * solve.c - CVODE (BDF) over a composed model and a schedule.
 *
 * Doses are piecewise constant, so the right-hand side has jumps at every
 * schedule change.  Integrating across a jump would make CVODE shrink its
 * step to resolve a discontinuity it cannot see, or worse step over it;
 * instead each constant-dose segment is its own initial value problem,
 * started with CVodeReInit and ended exactly with a stop time.
 *
 * The Newton iteration's Jacobian is the composed model's analytic one
 * (gs_model_jacobian) when every block provides its derivatives, and
 * CVODE's difference quotients otherwise.
 *
 * The vector, dense-matrix and LU kernels CVODE calls are gutskin's own
 * (see "Kernels" below): same arithmetic as SUNDIALS', compiled with
 * optimisation, because Debian's SUNDIALS is not.  By default the Newton
 * matrix is factored block by block (block_lu.h), and the burn-in finds
 * slow steady states with Newton's method ("Burn-in" below).
 */
#include "gutskin/solve.h"

#include <assert.h>
#include <cvode/cvode.h>
#include <math.h>
#include <nvector/nvector_serial.h>
#include <stdlib.h>
#include <string.h>
#include <sundials/sundials_context.h>
#include <sundials/sundials_linearsolver.h>
#include <sundials/sundials_matrix.h>
#include <sundials/sundials_nvector.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>

#include "solve/block_lu.h"

struct gs_solver {
    gs_model *model;
    size_t n;
    gs_solve_opts opts;
    SUNContext ctx;
    void *cvode;
    N_Vector y;
    SUNMatrix A;
    SUNLinearSolver LS;
    gs_block_lu *block_lu; /* the block-triangular plan of the model's pattern */
    double *dose;        /* doses of the current segment */
    long bad_state;      /* first state whose derivative was not finite, or -1 */
    int analytic_jac;    /* CVODE calls jac_wrapper, not difference quotients */
    int counting;        /* CVODE holds counters of a segment not yet added */
    gs_solve_stats stats;
};

/* ---- Kernels -------------------------------------------------------------
 *
 * CVODE spends nearly all of its time in small vector operations and in the
 * dense LU factorisation and solve, not in our right-hand sides.  The
 * SUNDIALS 6.4.1 libraries of Debian 12 (libsundials-cvode6 6.4.1+dfsg1-3)
 * are compiled without optimisation: their kernels keep every variable in
 * memory (objdump of SUNDlsMat_denseGETRS or N_VLinearSum_Serial shows it),
 * which makes a 14 x 14 back-substitution cost about 0.7 microseconds.
 * SUNDIALS lets a program supply its own implementation of any operation
 * through the ops table of each vector, matrix and linear solver (clones
 * copy the table), so the solver installs the kernels below, compiled with
 * the rest of gutskin.  They perform the same floating-point operations in
 * the same order as SUNDIALS' serial and dense implementations, so the
 * results are bit-for-bit the same (tests/solve/test_solve.c checks this
 * against the library's kernels); only the speed differs.
 */

static inline double *vec(N_Vector v) { return NV_DATA_S(v); }
static inline sunindextype len(N_Vector v) { return NV_LENGTH_S(v); }

/* z = a x + b y.  SUNDIALS forms a (x + y) when a == b and a (x - y) when
 * a == -b (other than +-1, where every form gives the same bits); the same
 * here, so the rounding is the same. */
static void k_linear_sum(sunrealtype a, N_Vector x, sunrealtype b, N_Vector y, N_Vector z)
{
    const double *xd = vec(x), *yd = vec(y);
    double *zd = vec(z);
    sunindextype n = len(x);
    if (a == 1.0 && b == 1.0) {  /* the predictor's zn[j-1] += zn[j] */
        for (sunindextype i = 0; i < n; i++) zd[i] = xd[i] + yd[i];
    } else if (a == b && a != -1.0) {
        for (sunindextype i = 0; i < n; i++) zd[i] = a * (xd[i] + yd[i]);
    } else if (a == -b && a != 1.0 && a != -1.0) {
        for (sunindextype i = 0; i < n; i++) zd[i] = a * (xd[i] - yd[i]);
    } else {
        for (sunindextype i = 0; i < n; i++) zd[i] = a * xd[i] + b * yd[i];
    }
}

static void k_const(sunrealtype c, N_Vector z)
{
    double *zd = vec(z);
    for (sunindextype i = 0, n = len(z); i < n; i++) zd[i] = c;
}

static void k_prod(N_Vector x, N_Vector y, N_Vector z)
{
    const double *xd = vec(x), *yd = vec(y);
    double *zd = vec(z);
    for (sunindextype i = 0, n = len(x); i < n; i++) zd[i] = xd[i] * yd[i];
}

static void k_div(N_Vector x, N_Vector y, N_Vector z)
{
    const double *xd = vec(x), *yd = vec(y);
    double *zd = vec(z);
    for (sunindextype i = 0, n = len(x); i < n; i++) zd[i] = xd[i] / yd[i];
}

static void k_scale(sunrealtype c, N_Vector x, N_Vector z)
{
    const double *xd = vec(x);
    double *zd = vec(z);
    for (sunindextype i = 0, n = len(x); i < n; i++) zd[i] = c * xd[i];
}

static void k_abs(N_Vector x, N_Vector z)
{
    const double *xd = vec(x);
    double *zd = vec(z);
    for (sunindextype i = 0, n = len(x); i < n; i++) zd[i] = fabs(xd[i]);
}

static void k_inv(N_Vector x, N_Vector z)
{
    const double *xd = vec(x);
    double *zd = vec(z);
    for (sunindextype i = 0, n = len(x); i < n; i++) zd[i] = 1.0 / xd[i];
}

static void k_add_const(N_Vector x, sunrealtype b, N_Vector z)
{
    const double *xd = vec(x);
    double *zd = vec(z);
    for (sunindextype i = 0, n = len(x); i < n; i++) zd[i] = xd[i] + b;
}

static sunrealtype k_max_norm(N_Vector x)
{
    const double *xd = vec(x);
    double m = 0;
    for (sunindextype i = 0, n = len(x); i < n; i++)
        if (fabs(xd[i]) > m) m = fabs(xd[i]);
    return m;
}

/* sqrt(sum (x w)^2 / n), summed in index order as SUNDIALS does. */
static sunrealtype k_wrms_norm(N_Vector x, N_Vector w)
{
    const double *xd = vec(x), *wd = vec(w);
    sunindextype n = len(x);
    double sum = 0;
    for (sunindextype i = 0; i < n; i++) {
        double p = xd[i] * wd[i];
        sum += p * p;
    }
    sum /= (double)n;
    return sum <= 0 ? 0 : sqrt(sum);
}

static sunrealtype k_min(N_Vector x)
{
    const double *xd = vec(x);
    double m = xd[0];
    for (sunindextype i = 1, n = len(x); i < n; i++)
        if (xd[i] < m) m = xd[i];
    return m;
}

/* z = sum c[i] X[i], accumulated vector by vector as SUNDIALS' generic
 * fallback does (scale, then z += c[i] X[i]). */
static int k_linear_combination(int nvec, sunrealtype *c, N_Vector *X, N_Vector z)
{
    k_scale(c[0], X[0], z);
    double *zd = vec(z);
    sunindextype n = len(z);
    for (int v = 1; v < nvec; v++) {
        const double *xd = vec(X[v]);
        double cv = c[v];
        for (sunindextype i = 0; i < n; i++) zd[i] = cv * xd[i] + zd[i];
    }
    return 0;
}

/* Z[v] = a[v] x + Y[v] */
static int k_scale_add_multi(int nvec, sunrealtype *a, N_Vector x, N_Vector *Y, N_Vector *Z)
{
    const double *xd = vec(x);
    sunindextype n = len(x);
    for (int v = 0; v < nvec; v++) {
        const double *yd = vec(Y[v]);
        double *zd = vec(Z[v]);
        double av = a[v];
        for (sunindextype i = 0; i < n; i++) zd[i] = av * xd[i] + yd[i];
    }
    return 0;
}

static int k_scale_vector_array(int nvec, sunrealtype *c, N_Vector *X, N_Vector *Z)
{
    for (int v = 0; v < nvec; v++) k_scale(c[v], X[v], Z[v]);
    return 0;
}

static int k_const_vector_array(int nvec, sunrealtype c, N_Vector *Z)
{
    for (int v = 0; v < nvec; v++) k_const(c, Z[v]);
    return 0;
}

static int k_linear_sum_vector_array(int nvec, sunrealtype a, N_Vector *X, sunrealtype b,
                                     N_Vector *Y, N_Vector *Z)
{
    for (int v = 0; v < nvec; v++) k_linear_sum(a, X[v], b, Y[v], Z[v]);
    return 0;
}

static int k_wrms_norm_vector_array(int nvec, N_Vector *X, N_Vector *W, sunrealtype *norms)
{
    for (int v = 0; v < nvec; v++) norms[v] = k_wrms_norm(X[v], W[v]);
    return 0;
}

static void install_vector_kernels(N_Vector v)
{
    N_Vector_Ops o = v->ops;
    o->nvlinearsum = k_linear_sum;
    o->nvconst = k_const;
    o->nvprod = k_prod;
    o->nvdiv = k_div;
    o->nvscale = k_scale;
    o->nvabs = k_abs;
    o->nvinv = k_inv;
    o->nvaddconst = k_add_const;
    o->nvmaxnorm = k_max_norm;
    o->nvwrmsnorm = k_wrms_norm;
    o->nvmin = k_min;
    o->nvlinearcombination = k_linear_combination;
    o->nvscaleaddmulti = k_scale_add_multi;
    o->nvscalevectorarray = k_scale_vector_array;
    o->nvconstvectorarray = k_const_vector_array;
    o->nvlinearsumvectorarray = k_linear_sum_vector_array;
    o->nvwrmsnormvectorarray = k_wrms_norm_vector_array;
}

/* Dense matrices (column-major): B = A, A = c A + I, A = 0. */
static int k_mat_copy(SUNMatrix A, SUNMatrix B)
{
    if (SM_ROWS_D(A) != SM_ROWS_D(B) || SM_COLUMNS_D(A) != SM_COLUMNS_D(B))
        return SUNMAT_ILL_INPUT;
    memcpy(SM_DATA_D(B), SM_DATA_D(A), (size_t)SM_LDATA_D(A) * sizeof(double));
    return SUNMAT_SUCCESS;
}

static int k_mat_scale_add_identity(sunrealtype c, SUNMatrix A)
{
    sunindextype rows = SM_ROWS_D(A), cols = SM_COLUMNS_D(A);
    for (sunindextype j = 0; j < cols; j++) {
        double *col = SM_COLUMN_D(A, j);
        for (sunindextype i = 0; i < rows; i++) col[i] *= c;
        if (j < rows) col[j] += 1.0;
    }
    return SUNMAT_SUCCESS;
}

static int k_mat_zero(SUNMatrix A)
{
    memset(SM_DATA_D(A), 0, (size_t)SM_LDATA_D(A) * sizeof(double));
    return SUNMAT_SUCCESS;
}

static void install_matrix_kernels(SUNMatrix A);

/* A dense matrix's clone does not inherit its ops (CVODE clones A into the
 * saved Jacobian it copies back at every linear-solver setup), so the
 * clone gets the kernels installed too. */
static SUNMatrix k_mat_clone(SUNMatrix A)
{
    SUNMatrix B = SUNMatClone_Dense(A);
    if (B) install_matrix_kernels(B);
    return B;
}

static void install_matrix_kernels(SUNMatrix A)
{
    A->ops->clone = k_mat_clone;
    A->ops->copy = k_mat_copy;
    A->ops->scaleaddi = k_mat_scale_add_identity;
    A->ops->zero = k_mat_zero;
}

/* LU factorisation with partial pivoting, in place, of the n x n
 * column-major matrix whose columns are col[0..n): L below the diagonal
 * (unit diagonal implied), U on and above it, the row swapped into
 * position k in pivots[k].  Returns 0, or k + 1 when column k has no
 * non-zero pivot.  Row operations in the order of SUNDlsMat_denseGETRF
 * (LINPACK's right-looking form), so the factors have the same bits. */
static sunindextype dense_lu_factor(double **col, sunindextype n, sunindextype *pivots)
{
    for (sunindextype k = 0; k < n; k++) {
        double *ck = col[k];
        sunindextype piv = k;
        for (sunindextype i = k + 1; i < n; i++)
            if (fabs(ck[i]) > fabs(ck[piv])) piv = i;
        pivots[k] = piv;
        if (ck[piv] == 0.0) return k + 1;
        if (piv != k) {
            for (sunindextype j = 0; j < n; j++) {
                double t = col[j][piv];
                col[j][piv] = col[j][k];
                col[j][k] = t;
            }
        }
        double inv_pivot = 1.0 / ck[k];
        for (sunindextype i = k + 1; i < n; i++) ck[i] *= inv_pivot;
        for (sunindextype j = k + 1; j < n; j++) {
            double *cj = col[j];
            double a_kj = cj[k];
            if (a_kj == 0.0) continue;
            for (sunindextype i = k + 1; i < n; i++) cj[i] -= a_kj * ck[i];
        }
    }
    return 0;
}

/* Solve (LU) x = P b in place in b, with the factors of dense_lu_factor. */
static void dense_lu_solve(double *const *col, sunindextype n, const sunindextype *pivots,
                           double *restrict b)
{
    for (sunindextype k = 0; k < n; k++) {
        sunindextype p = pivots[k];
        if (p != k) {
            double t = b[k];
            b[k] = b[p];
            b[p] = t;
        }
    }
    for (sunindextype k = 0; k + 1 < n; k++) {  /* L y = P b */
        const double *restrict ck = col[k];
        double bk = b[k];
        for (sunindextype i = k + 1; i < n; i++) b[i] -= ck[i] * bk;
    }
    for (sunindextype k = n - 1; k > 0; k--) {  /* U x = y */
        const double *restrict ck = col[k];
        b[k] /= ck[k];
        double bk = b[k];
        for (sunindextype i = 0; i < k; i++) b[i] -= ck[i] * bk;
    }
    b[0] /= col[0][0];
}

/* The setup and solve operations of SUNDIALS' dense linear solver, on its
 * own content (pivots, last_flag) and matrix, with the kernels above. */
static int k_ls_setup(SUNLinearSolver S, SUNMatrix A)
{
    SUNLinearSolverContent_Dense c = S->content;
    if (SUNMatGetID(A) != SUNMATRIX_DENSE || SM_ROWS_D(A) != SM_COLUMNS_D(A)) {
        c->last_flag = SUNLS_ILL_INPUT;
        return SUNLS_ILL_INPUT;
    }
    c->last_flag = dense_lu_factor(SM_COLS_D(A), SM_ROWS_D(A), c->pivots);
    return c->last_flag > 0 ? SUNLS_LUFACT_FAIL : SUNLS_SUCCESS;
}

static int k_ls_solve(SUNLinearSolver S, SUNMatrix A, N_Vector x, N_Vector b, sunrealtype tol)
{
    (void)tol;
    SUNLinearSolverContent_Dense c = S->content;
    if (x != b) memcpy(vec(x), vec(b), (size_t)len(b) * sizeof(double));
    dense_lu_solve(SM_COLS_D(A), SM_ROWS_D(A), c->pivots, vec(x));
    c->last_flag = SUNLS_SUCCESS;
    return SUNLS_SUCCESS;
}

/* ---- Block-triangular linear solver ---------------------------------------
 *
 * The composed model's Newton matrix is mostly zero (block_lu.h), so by
 * default the solver factors only the diagonal blocks of its block
 * triangular form.  CVODE sees an ordinary direct linear solver on its
 * dense matrix: it still forms I - gamma J there (the scale-add and copy
 * kernels above); only setup and solve differ.  The zero pattern is the
 * model's structure (gs_block_lu_model_pattern).  A difference-quotient
 * Jacobian has exact zeros outside it too (an evaluation that does not
 * read a state gives the same bits when the state moves). */

typedef struct block_ls {
    gs_block_lu *lu;       /* owned by the gs_solver */
    sunindextype last_flag;
} block_ls;

static SUNLinearSolver_Type block_ls_type(SUNLinearSolver S)
{
    (void)S;
    return SUNLINEARSOLVER_DIRECT;
}

static SUNLinearSolver_ID block_ls_id(SUNLinearSolver S)
{
    (void)S;
    return SUNLINEARSOLVER_CUSTOM;
}

static int block_ls_initialize(SUNLinearSolver S)
{
    ((block_ls *)S->content)->last_flag = SUNLS_SUCCESS;
    return SUNLS_SUCCESS;
}

static int block_ls_setup(SUNLinearSolver S, SUNMatrix A)
{
    block_ls *c = S->content;
    if (SUNMatGetID(A) != SUNMATRIX_DENSE) {
        c->last_flag = SUNLS_ILL_INPUT;
        return SUNLS_ILL_INPUT;
    }
    c->last_flag = (sunindextype)gs_block_lu_factor(c->lu, SM_DATA_D(A));
    return c->last_flag > 0 ? SUNLS_LUFACT_FAIL : SUNLS_SUCCESS;
}

static int block_ls_solve(SUNLinearSolver S, SUNMatrix A, N_Vector x, N_Vector b,
                          sunrealtype tol)
{
    (void)tol;
    block_ls *c = S->content;
    if (x != b) memcpy(vec(x), vec(b), (size_t)len(b) * sizeof(double));
    gs_block_lu_solve(c->lu, SM_DATA_D(A), vec(x));
    c->last_flag = SUNLS_SUCCESS;
    return SUNLS_SUCCESS;
}

static sunindextype block_ls_last_flag(SUNLinearSolver S)
{
    return ((block_ls *)S->content)->last_flag;
}

static int block_ls_free(SUNLinearSolver S)
{
    if (!S) return SUNLS_SUCCESS;
    free(S->content);
    S->content = NULL;
    SUNLinSolFreeEmpty(S);
    return SUNLS_SUCCESS;
}

/* A SUNDIALS direct linear solver over lu, or NULL on out of memory. */
static SUNLinearSolver block_ls_new(gs_block_lu *lu, SUNContext ctx)
{
    SUNLinearSolver S = SUNLinSolNewEmpty(ctx);
    if (!S) return NULL;
    block_ls *c = calloc(1, sizeof *c);
    if (!c) {
        SUNLinSolFreeEmpty(S);
        return NULL;
    }
    c->lu = lu;
    S->content = c;
    S->ops->gettype = block_ls_type;
    S->ops->getid = block_ls_id;
    S->ops->initialize = block_ls_initialize;
    S->ops->setup = block_ls_setup;
    S->ops->solve = block_ls_solve;
    S->ops->lastflag = block_ls_last_flag;
    S->ops->free = block_ls_free;
    return S;
}

void gs_solve_opts_default(gs_solve_opts *o)
{
    o->rtol = 1e-6;
    o->atol = 1e-9;
    o->max_steps = 50000;
    o->jacobian = GS_JACOBIAN_AUTO;
    o->library_kernels = 0;
    o->linear_solver = GS_LINEAR_SOLVER_BLOCK;
}

static int rhs_wrapper(sunrealtype t, N_Vector y, N_Vector ydot, void *data)
{
    (void)t;
    gs_solver *s = data;
    double *dy = N_VGetArrayPointer(ydot);
    gs_model_rhs(s->model, N_VGetArrayPointer(y), s->dose, dy);
    for (size_t i = 0; i < s->n; i++) {
        if (!isfinite(dy[i])) {
            if (s->bad_state < 0) s->bad_state = (long)i;
            return 1;  /* recoverable: CVODE retries with a smaller step */
        }
    }
    return 0;
}

/* CVLsJacFn: the composed model's analytic Jacobian, written straight into
 * CVODE's dense matrix (column-major, as gs_model_jacobian writes it). */
static int jac_wrapper(sunrealtype t, N_Vector y, N_Vector fy, SUNMatrix J, void *data,
                       N_Vector tmp1, N_Vector tmp2, N_Vector tmp3)
{
    (void)t; (void)fy; (void)tmp1; (void)tmp2; (void)tmp3;
    gs_solver *s = data;
    assert(SUNDenseMatrix_Rows(J) == (sunindextype)s->n);
    double *a = SUNDenseMatrix_Data(J);
    gs_model_jacobian(s->model, N_VGetArrayPointer(y), s->dose, a);
    for (size_t i = 0; i < s->n * s->n; i++)
        if (!isfinite(a[i])) return 1;  /* recoverable: CVODE retries */
    return 0;
}

/* CVODE prints its own errors to stderr by default; we report them as
 * sentences through gs_err instead, so silence the default handler. */
static void quiet_handler(int code, const char *module, const char *function,
                          char *msg, void *data)
{
    (void)code; (void)module; (void)function; (void)msg; (void)data;
}

void gs_solver_free(gs_solver *s)
{
    if (!s) return;
    if (s->cvode) CVodeFree(&s->cvode);
    if (s->LS) SUNLinSolFree(s->LS);
    if (s->A) SUNMatDestroy(s->A);
    if (s->y) N_VDestroy(s->y);
    if (s->ctx) SUNContext_Free(&s->ctx);
    gs_block_lu_free(s->block_lu);
    free(s->dose);
    free(s);
}

gs_status gs_solver_new(gs_model *m, const gs_solve_opts *opts, gs_solver **out,
                        gs_err *err)
{
    *out = NULL;
    gs_solver *s = calloc(1, sizeof *s);
    if (!s) return gs_fail(err, GS_ERR_NOMEM, "out of memory creating the solver");
    s->model = m;
    s->n = gs_model_n_states(m);
    s->bad_state = -1;
    if (opts)
        s->opts = *opts;
    else
        gs_solve_opts_default(&s->opts);
    size_t n_iv;
    gs_intervention_registry(&n_iv);
    s->dose = calloc(n_iv + 1, sizeof *s->dose);
    if (!s->dose || s->n == 0) goto fail;
    if (SUNContext_Create(NULL, &s->ctx) != 0) goto fail;
    s->y = N_VNew_Serial((sunindextype)s->n, s->ctx);
    if (!s->y) goto fail;
    memcpy(N_VGetArrayPointer(s->y), gs_model_initial(m), s->n * sizeof(double));
    /* before CVodeInit, whose clones of y copy its ops */
    if (!s->opts.library_kernels) install_vector_kernels(s->y);
    s->cvode = CVodeCreate(CV_BDF, s->ctx);
    if (!s->cvode) goto fail;
    if (CVodeSetErrHandlerFn(s->cvode, quiet_handler, NULL) != CV_SUCCESS) goto fail;
    if (CVodeInit(s->cvode, rhs_wrapper, 0.0, s->y) != CV_SUCCESS) goto fail;
    if (CVodeSStolerances(s->cvode, s->opts.rtol, s->opts.atol) != CV_SUCCESS) goto fail;
    if (CVodeSetUserData(s->cvode, s) != CV_SUCCESS) goto fail;
    if (CVodeSetMaxNumSteps(s->cvode, s->opts.max_steps) != CV_SUCCESS) goto fail;
    s->A = SUNDenseMatrix((sunindextype)s->n, (sunindextype)s->n, s->ctx);
    if (!s->A) goto fail;
    if (!s->opts.library_kernels) install_matrix_kernels(s->A);  /* before CVODE clones A */
    /* the plan serves the burn-in's Newton iteration whatever the linear
     * solver; the Jacobian has the same pattern as the Newton matrix */
    unsigned char *pattern = gs_block_lu_model_pattern(m);
    if (!pattern) goto fail;
    s->block_lu = gs_block_lu_new(s->n, pattern);
    free(pattern);
    if (!s->block_lu) goto fail;
    /* A model that is one diagonal block (skin_ad alone: the Miyano
     * trial) gains nothing from the plan; it keeps the dense kernels and
     * their bit-for-bit agreement with SUNDIALS'. */
    if (!s->opts.library_kernels && s->opts.linear_solver == GS_LINEAR_SOLVER_BLOCK &&
        gs_block_lu_n_blocks(s->block_lu) > 1) {
        s->LS = block_ls_new(s->block_lu, s->ctx);
        if (!s->LS) goto fail;
    } else {
        s->LS = SUNLinSol_Dense(s->y, s->A, s->ctx);
        if (!s->LS) goto fail;
        if (!s->opts.library_kernels) {
            s->LS->ops->setup = k_ls_setup;
            s->LS->ops->solve = k_ls_solve;
        }
    }
    if (CVodeSetLinearSolver(s->cvode, s->LS, s->A) != CVLS_SUCCESS) goto fail;
    if (s->opts.jacobian != GS_JACOBIAN_FINITE_DIFFERENCE && gs_model_has_jacobian(m, NULL, 0)) {
        /* An analytic Jacobian costs about one right-hand side, not n of
         * them, so refresh it every 10 steps rather than CVODE's default
         * 51: the Newton iteration converges better and the Miyano trial
         * takes 6% fewer steps.  The error test, and so the accuracy, is
         * unchanged. */
        if (CVodeSetJacFn(s->cvode, jac_wrapper) != CVLS_SUCCESS ||
            CVodeSetJacEvalFrequency(s->cvode, 10) != CVLS_SUCCESS)
            goto fail;
        s->analytic_jac = 1;
    }
    *out = s;
    return GS_OK;
fail:
    gs_solver_free(s);
    if (gs_model_n_states(m) == 0)
        return gs_fail(err, GS_ERR_INPUT, "the model has no states to integrate");
    return gs_fail(err, GS_ERR_NOMEM, "could not create the CVODE solver");
}

const gs_solve_stats *gs_solver_stats(const gs_solver *s) { return &s->stats; }

/* 1 when CVODE gets the model's analytic Jacobian, 0 for difference quotients. */
int gs_solver_uses_analytic_jacobian(const gs_solver *s) { return s->analytic_jac; }

/* Add CVODE's counters for the segment just finished to the totals. */
static void collect_stats(gs_solver *s)
{
    long v;
    if (!s->counting) return;
    s->counting = 0;
    if (CVodeGetNumSteps(s->cvode, &v) == CV_SUCCESS) s->stats.steps += v;
    if (CVodeGetNumRhsEvals(s->cvode, &v) == CV_SUCCESS) s->stats.rhs_evals += v;
    if (CVodeGetNumLinRhsEvals(s->cvode, &v) == CV_SUCCESS) s->stats.rhs_evals += v;
    if (CVodeGetNumJacEvals(s->cvode, &v) == CV_SUCCESS) s->stats.jac_evals += v;
    if (CVodeGetNumLinSolvSetups(s->cvode, &v) == CV_SUCCESS) s->stats.lin_setups += v;
    if (CVodeGetNumErrTestFails(s->cvode, &v) == CV_SUCCESS) s->stats.err_test_fails += v;
    if (CVodeGetNumNonlinSolvConvFails(s->cvode, &v) == CV_SUCCESS) s->stats.nonlin_fails += v;
}

/* The state CVODE struggled with most: the one whose estimated local error,
 * weighted by its tolerance, is largest. */
static size_t worst_state(gs_solver *s)
{
    if (s->bad_state >= 0) return (size_t)s->bad_state;
    N_Vector ele = N_VClone(s->y), ewt = N_VClone(s->y);
    size_t worst = 0;
    if (ele && ewt && CVodeGetEstLocalErrors(s->cvode, ele) == CV_SUCCESS &&
        CVodeGetErrWeights(s->cvode, ewt) == CV_SUCCESS) {
        const double *e = N_VGetArrayPointer(ele), *w = N_VGetArrayPointer(ewt);
        double best = -1;
        for (size_t i = 0; i < s->n; i++) {
            double v = fabs(e[i] * w[i]);
            if (!isfinite(v)) v = INFINITY;
            if (v > best) {
                best = v;
                worst = i;
            }
        }
    }
    if (ele) N_VDestroy(ele);
    if (ewt) N_VDestroy(ewt);
    return worst;
}

static gs_status solver_failure(gs_solver *s, int flag, double t, gs_err *err)
{
    char name[128];
    size_t i = worst_state(s);
    gs_model_state_name(s->model, i, name, sizeof name);
    /* SUNDIALS 6 returns the flag's name in a malloc'ed string we must free. */
    char *flag_name = s->bad_state >= 0 ? NULL : CVodeGetReturnFlagName(flag);
    const char *why = s->bad_state >= 0 ? "its rate of change is not a finite number"
                      : flag_name      ? flag_name
                                       : "CVODE failed";
    gs_status st = gs_fail(err, GS_ERR_SOLVER,
                           "the solver failed at day %.4g in block %.*s, state %s: %s", t,
                           (int)(strchr(name, '.') - name), name, name, why);
    free(flag_name);
    return st;
}

/* Check a sampled state for NaN or infinity. */
static gs_status check_finite(gs_solver *s, const double *y, double t, gs_err *err)
{
    for (size_t i = 0; i < s->n; i++) {
        if (!isfinite(y[i])) {
            char name[128];
            gs_model_state_name(s->model, i, name, sizeof name);
            return gs_fail(err, GS_ERR_SOLVER,
                           "the solution became non-finite at day %.4g: state %s = %g",
                           t, name, y[i]);
        }
    }
    return GS_OK;
}

/* Start a constant-dose segment at t from y, ending exactly at t_stop. */
static gs_status start_segment(gs_solver *s, double t, double t_stop, gs_err *err)
{
    s->bad_state = -1;
    collect_stats(s);
    if (CVodeReInit(s->cvode, t, s->y) != CV_SUCCESS ||
        CVodeSetStopTime(s->cvode, t_stop) != CV_SUCCESS)
        return gs_fail(err, GS_ERR_SOLVER, "could not restart the solver at day %g", t);
    s->stats.restarts++;
    s->counting = 1;
    return GS_OK;
}

gs_status gs_solver_run(gs_solver *s, const gs_schedule *sched, double t0,
                        const double *y0, const double *times, size_t n_times,
                        double *out, gs_err *err)
{
    double *y = N_VGetArrayPointer(s->y);
    memcpy(y, y0, s->n * sizeof(double));
    double t = t0;
    size_t k = 0;
    gs_status st = check_finite(s, y, t, err);
    if (st != GS_OK) return st;
    while (k < n_times) {
        if (times[k] < t0 || (k > 0 && times[k] < times[k - 1]))
            return gs_fail(err, GS_ERR_INPUT,
                           "sample times must be ascending and not before day %g", t0);
        if (times[k] <= t) {  /* sample at the current point */
            memcpy(out + k * s->n, y, s->n * sizeof(double));
            k++;
            continue;
        }
        double seg_end = gs_schedule_next_change(sched, t);
        if (seg_end > times[n_times - 1]) seg_end = times[n_times - 1];
        gs_schedule_doses_at(sched, t, s->dose);
        if ((st = start_segment(s, t, seg_end, err)) != GS_OK) return st;
        double tret = t;
        while (k < n_times && times[k] <= seg_end) {
            int flag = CVode(s->cvode, times[k], s->y, &tret, CV_NORMAL);
            if (flag < 0) return solver_failure(s, flag, tret, err);
            if ((st = check_finite(s, y, times[k], err)) != GS_OK) return st;
            memcpy(out + k * s->n, y, s->n * sizeof(double));
            k++;
        }
        if (tret < seg_end) {
            int flag = CVode(s->cvode, seg_end, s->y, &tret, CV_NORMAL);
            if (flag < 0) return solver_failure(s, flag, tret, err);
        }
        t = seg_end;
    }
    collect_stats(s);
    return GS_OK;
}

/* ---- Burn-in to a steady state -------------------------------------------
 *
 * Integrating until nothing moves works for fast processes but not for
 * slow ones: dermal collagen relaxes with a time constant of about 8000
 * days, so a state that starts 30% away from its own steady state needs
 * more than 100 years to move by less than 3e-6 per 30 days.  Once the
 * fast transients have died out, the burn-in therefore also asks where
 * the trajectory is going: Newton's method on F(y) = 0 from the current
 * state, with the analytic Jacobian, finds the steady state it is heading
 * for (for a slow linear sink such as collagen in one step).  The point is
 * taken only if Newton converges, it lies inside every state's allowed
 * range, and integrating from it for VERIFY_WINDOWS windows moves no state
 * by more than the same tolerance the plain test uses; a point that is not
 * an attracting steady state drifts away in that time unless it repels at
 * less than a few hundredths per day (a departure the size of the
 * integration error must grow 30- to 3000-fold to show).  Otherwise the
 * burn-in goes on from where the trajectory was, and tries again after
 * twice as long. */

enum { FIRST_NEWTON_WINDOW = 3,  /* 90 days: fast transients (hours to weeks)
                                    have died out */
       VERIFY_WINDOWS = 10,      /* 300 days at the 30-day window */
       NEWTON_ITERATIONS = 10 };

/* max_i |d_i| / (rtol |y_i| + atol): a step in units of the tolerance. */
static double weighted_max(const gs_solver *s, const double *d, const double *y)
{
    double m = 0;
    for (size_t i = 0; i < s->n; i++) {
        double v = fabs(d[i]) / (s->opts.rtol * fabs(y[i]) + s->opts.atol);
        if (!(v <= m)) m = v;  /* NaN wins */
    }
    return m;
}

/* Newton's method on F(y) = 0 under the doses in s->dose, from y into y.
 * Returns 1 when converged (last step below a thousandth of the
 * tolerance) inside every state's allowed range, else 0.  work: n + n*n. */
static int newton_steady(gs_solver *s, double *y, double *work)
{
    size_t n = s->n;
    double *f = work, *jac = work + n;
    for (int it = 0; it < NEWTON_ITERATIONS; it++) {
        gs_model_rhs(s->model, y, s->dose, f);
        gs_model_jacobian(s->model, y, s->dose, jac);
        s->stats.rhs_evals++;
        s->stats.jac_evals++;
        for (size_t i = 0; i < n; i++) {
            if (!isfinite(f[i])) return 0;
            f[i] = -f[i];
        }
        if (gs_block_lu_factor(s->block_lu, jac) != 0) return 0;  /* singular */
        gs_block_lu_solve(s->block_lu, jac, f);  /* f = -J^{-1} F */
        for (size_t i = 0; i < n; i++) y[i] += f[i];
        for (size_t i = 0; i < n; i++) {
            const gs_quantity *q = gs_model_state_info(s->model, i);
            if (!(y[i] >= q->lo && y[i] <= q->hi)) return 0;
        }
        if (weighted_max(s, f, y) <= 1e-3) return 1;
    }
    return 0;
}

/* Index of the first state that moved by more than tol (relative) plus
 * 1e-9 between prev and y, or s->n when none did. */
static size_t first_moved(const gs_solver *s, const double *prev, const double *y, double tol)
{
    for (size_t i = 0; i < s->n; i++)
        if (!(fabs(y[i] - prev[i]) <= tol * fabs(y[i]) + 1e-9)) return i;
    return s->n;
}

/* Integrate from t to target (<= the segment's stop time) into s->y. */
static gs_status advance(gs_solver *s, double target, gs_err *err)
{
    double tret;
    int flag = CVode(s->cvode, target, s->y, &tret, CV_NORMAL);
    if (flag < 0) return solver_failure(s, flag, tret, err);
    return check_finite(s, N_VGetArrayPointer(s->y), target, err);
}

gs_status gs_solver_steady(gs_solver *s, const gs_schedule *sched, double *y,
                           double window, double tol, double max_days,
                           double *days_used, gs_err *err)
{
    size_t n = s->n;
    double *yv = N_VGetArrayPointer(s->y);
    /* prev, the pre-jump state, Newton's point, Newton's work */
    double *buf = malloc((4 * n + n * n) * sizeof *buf);
    if (!buf) return gs_fail(err, GS_ERR_NOMEM, "out of memory in the burn-in");
    double *prev = buf, *saved = buf + n, *jump = buf + 2 * n, *work = buf + 3 * n;
    size_t n_iv;
    gs_intervention_registry(&n_iv);
    memcpy(s->dose, sched->baseline, n_iv * sizeof(double));
    memcpy(yv, y, n * sizeof(double));
    gs_status st = start_segment(s, 0.0, max_days, err);
    double t = 0;
    long windows = 0, next_newton = FIRST_NEWTON_WINDOW, gap = FIRST_NEWTON_WINDOW;
    while (st == GS_OK) {
        memcpy(prev, yv, n * sizeof(double));
        double target = t + window > max_days ? max_days : t + window;
        if ((st = advance(s, target, err)) != GS_OK) break;
        t = target;
        windows++;
        size_t moved = first_moved(s, prev, yv, tol);
        if (moved == n) break;  /* steady */
        double verify_end = t + VERIFY_WINDOWS * window;
        if (s->analytic_jac && windows >= next_newton && verify_end <= max_days) {
            next_newton = windows + (gap *= 2);
            memcpy(saved, yv, n * sizeof(double));
            memcpy(jump, yv, n * sizeof(double));
            if (newton_steady(s, jump, work)) {
                memcpy(yv, jump, n * sizeof(double));
                if ((st = start_segment(s, t, max_days, err)) != GS_OK) break;
                gs_status vst = advance(s, verify_end, err);
                if (vst == GS_OK && first_moved(s, jump, yv, tol) == n) {
                    t = verify_end;
                    break;  /* steady: the verification moved nothing */
                }
                /* not an attracting steady state (or the solver failed
                 * there): go on from the trajectory */
                memcpy(yv, saved, n * sizeof(double));
                if ((st = start_segment(s, t, max_days, err)) != GS_OK) break;
                continue;
            }
        }
        if (t >= max_days) {
            char name[128];
            gs_model_state_name(s->model, moved, name, sizeof name);
            st = gs_fail(err, GS_ERR_SOLVER,
                         "no steady state within %g days of burn-in: %s still changes "
                         "(%g to %g over the last %g days)",
                         max_days, name, prev[moved], yv[moved], window);
        }
    }
    collect_stats(s);
    if (st == GS_OK) {
        memcpy(y, yv, n * sizeof(double));
        if (days_used) *days_used = t;
    }
    free(buf);
    return st;
}
