/*
 * solve.h - integrate a composed model over a schedule with SUNDIALS CVODE.
 *
 * A gs_solver owns one SUNDIALS context, one CVODE instance (BDF, a direct
 * linear solver on a dense matrix) and its vectors; it is bound to one gs_model and
 * must be used by one thread at a time.  Blocks never see CVODE.
 */
#ifndef GUTSKIN_SOLVE_H
#define GUTSKIN_SOLVE_H

#include <stddef.h>

#include "gutskin/model.h"
#include "gutskin/status.h"

/* Where the Newton iteration's Jacobian comes from. */
enum { GS_JACOBIAN_AUTO = 0,             /* analytic when gs_model_has_jacobian(),
                                            else finite differences (default) */
       GS_JACOBIAN_FINITE_DIFFERENCE = 1 /* always CVODE's difference quotients */ };

/* How the Newton iteration's linear systems are solved. */
enum { GS_LINEAR_SOLVER_BLOCK = 0, /* LU of the diagonal blocks of the Newton
                                      matrix's block triangular form, from the
                                      model's structure (default) */
       GS_LINEAR_SOLVER_DENSE = 1  /* dense LU of the whole matrix */ };

typedef struct gs_solve_opts {
    double rtol;      /* relative tolerance (default 1e-6) */
    double atol;      /* absolute tolerance, every state (default 1e-9) */
    long max_steps;   /* internal steps between two outputs (default 50000) */
    int jacobian;     /* GS_JACOBIAN_AUTO (default) or GS_JACOBIAN_FINITE_DIFFERENCE;
                         either way the tolerances, and so the accuracy asked
                         for, are the same */
    int library_kernels; /* 0 (default): gutskin's own vector, dense-matrix and
                            LU kernels, bit-for-bit the same arithmetic as
                            SUNDIALS' but compiled with gutskin (Debian's
                            SUNDIALS is built unoptimised); 1: SUNDIALS' own
                            (which implies a dense LU) */
    int linear_solver;   /* GS_LINEAR_SOLVER_BLOCK (default) or _DENSE; the
                            same systems solved exactly either way, so only
                            rounding differs; a model that is one diagonal
                            block always uses the dense kernels */
} gs_solve_opts;

typedef struct gs_solve_stats {
    long steps;          /* internal steps taken */
    long rhs_evals;      /* right-hand side evaluations, including those for
                            finite-difference Jacobians and the burn-in's
                            Newton iterations */
    long jac_evals;      /* Jacobian evaluations (burn-in Newton included) */
    long lin_setups;     /* linear solver setups */
    long err_test_fails; /* local error test failures */
    long nonlin_fails;   /* nonlinear solver convergence failures */
    long restarts;       /* re-initialisations at schedule changes */
} gs_solve_stats;

typedef struct gs_solver gs_solver;

void gs_solve_opts_default(gs_solve_opts *opts);

/* Create a solver for m (which must outlive it).  opts may be NULL for the
 * defaults. */
gs_status gs_solver_new(gs_model *m, const gs_solve_opts *opts, gs_solver **out,
                        gs_err *err);
void gs_solver_free(gs_solver *s);

/* Integrate from state y0 at day t0 under sched and write the state at each
 * of times[0..n_times) (ascending, each >= t0) into out[k * n_states + i].
 * CVODE is re-initialised at every schedule change so a dose step is never
 * smoothed over.  On failure (CVODE error, non-finite value) returns
 * GS_ERR_SOLVER with a message naming the block, the state and the day;
 * out is then incomplete and must not be used. */
gs_status gs_solver_run(gs_solver *s, const gs_schedule *sched, double t0,
                        const double *y0, const double *times, size_t n_times,
                        double *out, gs_err *err);

/* Run y (in place) to a steady state under the schedule's baseline doses
 * (its spans are ignored): integrate in windows of `window` days until no
 * state changes by more than tol relative (plus 1e-9 absolute) across a
 * window.  After the 3rd window (then the 9th, 21st, 45th, ...: the gaps
 * double) it also takes Newton's method on dydt = 0 from the current state (with
 * the analytic Jacobian) to the steady state the trajectory is heading
 * for, and accepts that point when it lies in every state's range and ten
 * more windows from it move no state by more than the same tolerance; so a
 * slow state (dermal collagen, time constant about 8000 days) does not
 * need centuries of integration.  Fails with GS_ERR_SOLVER, naming the
 * state still moving, after max_days.  *days_used, when not NULL, receives
 * the burn-in length (including the check). */
gs_status gs_solver_steady(gs_solver *s, const gs_schedule *sched, double *y,
                           double window, double tol, double max_days,
                           double *days_used, gs_err *err);

/* Cumulative statistics since the solver was created. */
const gs_solve_stats *gs_solver_stats(const gs_solver *s);

/* 1 when the solver uses the composed model's analytic Jacobian, 0 when it
 * uses finite differences (requested, or some block lacks a Jacobian:
 * gs_model_has_jacobian says which). */
int gs_solver_uses_analytic_jacobian(const gs_solver *s);

#endif
