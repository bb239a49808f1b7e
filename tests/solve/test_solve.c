/* Tests of the integrator on the systemic block (Reynolds 2006). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gutskin/model.h"
#include "gutskin/solve.h"

static gs_model *reynolds(double k_pg_per_hour, double p0)
{
    gs_model *m = NULL;
    gs_err err;
    const char *names[] = {"systemic"};
    assert_int_equal(gs_model_compose(names, 1, &m, &err), GS_OK);
    assert_int_equal(gs_model_set_param(m, "systemic.k_pg", 24 * k_pg_per_hour, &err), GS_OK);
    /* The paper's model: no endotoxin influx from a gut. */
    assert_int_equal(gs_model_set_param(m, "systemic.k_translocation", 0, &err), GS_OK);
    assert_int_equal(gs_model_set_initial(m, "systemic.pathogen", p0, &err), GS_OK);
    return m;
}

/* Small inoculum with slow growth is cleared: the paper's "health". */
static void small_inoculum_heals(void **state)
{
    (void)state;
    gs_model *m = reynolds(0.3, 0.5);
    gs_solver *s;
    gs_err err;
    gs_schedule sched;
    assert_int_equal(gs_solver_new(m, NULL, &s, &err), GS_OK);
    assert_int_equal(gs_schedule_init(&sched, &err), GS_OK);
    double times[] = {0, 48.0 / 24, 500.0 / 24}, out[3 * 4];
    assert_int_equal(gs_solver_run(s, &sched, 0, gs_model_initial(m), times, 3, out, &err), GS_OK);
    assert_float_equal(out[0], 0.5, 0);            /* t = 0 is the initial state */
    assert_true(out[2 * 4 + 0] < 0.01);             /* pathogen cleared */
    assert_true(out[2 * 4 + 2] < 0.1);              /* damage resolved */
    const gs_solve_stats *st = gs_solver_stats(s);
    assert_true(st->steps > 0 && st->rhs_evals >= st->steps);
    gs_schedule_free(&sched);
    gs_solver_free(s);
    gs_model_free(m);
}

/* Fast growth and a large inoculum persist: "septic". */
static void large_inoculum_persists(void **state)
{
    (void)state;
    gs_model *m = reynolds(0.6, 8);
    gs_solver *s;
    gs_err err;
    gs_schedule sched;
    assert_int_equal(gs_solver_new(m, NULL, &s, &err), GS_OK);
    assert_int_equal(gs_schedule_init(&sched, &err), GS_OK);
    double times[] = {500.0 / 24}, out[4];
    assert_int_equal(gs_solver_run(s, &sched, 0, gs_model_initial(m), times, 1, out, &err), GS_OK);
    assert_true(out[0] >= 0.01);
    gs_schedule_free(&sched);
    gs_solver_free(s);
    gs_model_free(m);
}

/* A schedule change restarts the integrator; the result must not depend
 * on how the sample times fall relative to the change. */
static void restarts_at_schedule_changes(void **state)
{
    (void)state;
    gs_model *m = reynolds(0, 0);
    gs_solver *s;
    gs_err err;
    gs_schedule sched;
    assert_int_equal(gs_solver_new(m, NULL, &s, &err), GS_OK);
    assert_int_equal(gs_schedule_init(&sched, &err), GS_OK);
    /* The systemic block alone has no dose inputs, so a span only splits
     * the run into segments; the solution must be the same. */
    double times[] = {1, 2, 3, 10}, a[4 * 4], b[4 * 4];
    gs_model_initial(m)[0] = 1.0;
    assert_int_equal(gs_solver_run(s, &sched, 0, gs_model_initial(m), times, 4, a, &err), GS_OK);
    long restarts_before = gs_solver_stats(s)->restarts;
    assert_int_equal(gs_schedule_add(&sched, "zinc", 1.5, 2.5, 20, &err), GS_OK);
    assert_int_equal(gs_solver_run(s, &sched, 0, gs_model_initial(m), times, 4, b, &err), GS_OK);
    assert_true(gs_solver_stats(s)->restarts - restarts_before == 3);
    for (int i = 0; i < 16; i++) assert_float_equal(a[i], b[i], 1e-6 * (1 + fabs(a[i])));
    gs_schedule_free(&sched);
    gs_solver_free(s);
    gs_model_free(m);
}

static void steady_state_is_detected(void **state)
{
    (void)state;
    gs_model *m = reynolds(0, 0);
    gs_solver *s;
    gs_err err;
    gs_schedule sched;
    assert_int_equal(gs_solver_new(m, NULL, &s, &err), GS_OK);
    assert_int_equal(gs_schedule_init(&sched, &err), GS_OK);
    double y[4] = {0, 0, 0, 1.0}, used = 0;  /* C_A displaced from s_c/mu_c */
    assert_int_equal(gs_solver_steady(s, &sched, y, 10, 1e-6, 1000, &used, &err), GS_OK);
    assert_float_equal(y[3], 0.125, 1e-5);
    assert_true(used >= 10 && used <= 1000);
    /* Too short a budget fails and names the state still moving. */
    double y2[4] = {0, 0, 0, 1.0};
    assert_int_equal(gs_solver_steady(s, &sched, y2, 0.01, 1e-9, 0.02, NULL, &err),
                     GS_ERR_SOLVER);
    assert_non_null(strstr(err.msg, "systemic."));
    gs_schedule_free(&sched);
    gs_solver_free(s);
    gs_model_free(m);
}

/* Issue 3: a slow state far from its steady state.  Dermal collagen
 * relaxes with a time constant of about 8000 days; started at 0.5 of its
 * steady state 1, integration alone would need about 140 years before it
 * moved by less than 3e-6 per 30 days, beyond the 100-year cap, so the
 * burn-in used to fail ("skin_ageing.collagen still changes").  Newton's
 * step to where it is heading, checked by 300 days that move nothing,
 * finds it, and a full-axis patient with its collagen set off too. */
static void slow_state_reaches_its_steady_state(void **state)
{
    (void)state;
    gs_err err;
    gs_schedule sched;
    assert_int_equal(gs_schedule_init(&sched, &err), GS_OK);
    gs_model *m = NULL;
    const char *names[] = {"skin_ageing"};
    assert_int_equal(gs_model_compose(names, 1, &m, &err), GS_OK);
    gs_solver *s;
    assert_int_equal(gs_solver_new(m, NULL, &s, &err), GS_OK);
    double y[1] = {0.5}, used = 0;
    assert_int_equal(gs_solver_steady(s, &sched, y, 30, 3e-6, 36525, &used, &err), GS_OK);
    assert_float_equal(y[0], 1.0, 1e-6);  /* every input at its default: synthesis = degradation */
    assert_true(used > 0 && used < 3650);
    gs_solver_free(s);
    gs_model_free(m);

    /* the full axis, collagen off by 40% and the gut disturbed */
    size_t n_reg;
    const gs_block *const *reg = gs_block_registry(&n_reg);
    const char *all[64];
    size_t nb = 0;
    for (size_t b = 0; b < n_reg && nb < 64; b++)
        if (!(reg[b]->flags & GS_BLOCK_REFERENCE)) all[nb++] = reg[b]->name;
    assert_int_equal(gs_model_compose(all, nb, &m, &err), GS_OK);
    assert_int_equal(gs_model_set_initial(m, "skin_ageing.collagen", 1.4, &err), GS_OK);
    assert_int_equal(gs_model_set_initial(m, "microbiome.pathobionts", 0.3, &err), GS_OK);
    assert_int_equal(gs_solver_new(m, NULL, &s, &err), GS_OK);
    size_t n = gs_model_n_states(m);
    double *ya = malloc(n * sizeof *ya), *dy = malloc(n * sizeof *dy);
    assert_true(ya && dy);
    memcpy(ya, gs_model_initial(m), n * sizeof *ya);
    assert_int_equal(gs_solver_steady(s, &sched, ya, 30, 3e-6, 36525, &used, &err), GS_OK);
    /* a steady state: every derivative tiny next to its state's scale */
    size_t n_iv;
    gs_intervention_registry(&n_iv);
    double *dose = calloc(n_iv, sizeof *dose);
    assert_non_null(dose);
    gs_schedule_doses_at(&sched, 0, dose);
    gs_model_rhs(m, ya, dose, dy);
    int c = gs_model_find_state(m, "skin_ageing.collagen");
    for (size_t i = 0; i < n; i++) assert_true(fabs(dy[i]) <= 1e-7 * (fabs(ya[i]) + 1e-3));
    assert_float_equal(ya[c], 1.0, 1e-3);  /* the healthy gut's collagen */
    free(ya); free(dy); free(dose);
    gs_solver_free(s);
    gs_model_free(m);
    gs_schedule_free(&sched);
}

/* A non-finite value is an error that names block, state and day. */
static void non_finite_state_is_named(void **state)
{
    (void)state;
    gs_model *m = reynolds(0.3, 0);
    gs_solver *s;
    gs_err err;
    gs_schedule sched;
    assert_int_equal(gs_solver_new(m, NULL, &s, &err), GS_OK);
    assert_int_equal(gs_schedule_init(&sched, &err), GS_OK);
    double y0[4] = {NAN, 0, 0, 0.125}, times[] = {1}, out[4];
    assert_int_equal(gs_solver_run(s, &sched, 0, y0, times, 1, out, &err), GS_ERR_SOLVER);
    assert_non_null(strstr(err.msg, "systemic.pathogen"));
    assert_non_null(strstr(err.msg, "day 0"));
    gs_schedule_free(&sched);
    gs_solver_free(s);
    gs_model_free(m);
}

/* Run the median Miyano patient: burn-in without treatment, then 24 weeks
 * of dupilumab with standard care, sampled weekly, into out[25 x 14]. */
static void median_patient(const gs_solve_opts *opts, double *out, int *analytic,
                           long *rhs_evals)
{
    gs_model *m = NULL;
    gs_solver *s;
    gs_err err;
    const char *names[] = {"skin_ad"};
    assert_int_equal(gs_model_compose(names, 1, &m, &err), GS_OK);
    assert_int_equal(gs_model_n_states(m), 14);
    assert_int_equal(gs_solver_new(m, opts, &s, &err), GS_OK);
    gs_schedule burn, arm;
    assert_int_equal(gs_schedule_init(&burn, &err), GS_OK);
    assert_int_equal(gs_schedule_set_baseline(&burn, "emollient", 0, &err), GS_OK);
    assert_int_equal(gs_schedule_init(&arm, &err), GS_OK);
    assert_int_equal(gs_schedule_add(&arm, "emollient", 0, 168, 1, &err), GS_OK);
    assert_int_equal(gs_schedule_add(&arm, "dupilumab", 0, 168, 0.99, &err), GS_OK);
    double base[14], t_burn = 7000, times[25];
    for (int w = 0; w < 25; w++) times[w] = 7.0 * w;
    assert_int_equal(gs_solver_run(s, &burn, 0, gs_model_initial(m), &t_burn, 1, base, &err),
                     GS_OK);
    assert_int_equal(gs_solver_run(s, &arm, 0, base, times, 25, out, &err), GS_OK);
    *analytic = gs_solver_uses_analytic_jacobian(s);
    *rhs_evals = gs_solver_stats(s)->rhs_evals;
    gs_schedule_free(&burn);
    gs_schedule_free(&arm);
    gs_solver_free(s);
    gs_model_free(m);
}

/* The analytic Jacobian changes how the Newton iteration converges, not
 * the answer: the same trajectory within the solver's tolerance, and no
 * right-hand-side evaluations spent on difference quotients. */
static void analytic_jacobian_gives_the_same_solution(void **state)
{
    (void)state;
    gs_solve_opts opts;
    gs_solve_opts_default(&opts);
    assert_int_equal(opts.jacobian, GS_JACOBIAN_AUTO);
    double a[25 * 14], f[25 * 14];
    int analytic;
    long evals_a, evals_f;
    median_patient(&opts, a, &analytic, &evals_a);
    assert_int_equal(analytic, 1);
    opts.jacobian = GS_JACOBIAN_FINITE_DIFFERENCE;
    median_patient(&opts, f, &analytic, &evals_f);
    assert_int_equal(analytic, 0);
    for (int i = 0; i < 25 * 14; i++) assert_float_equal(a[i], f[i], 1e-4 * (fabs(f[i]) + 1e-3));
    assert_true(evals_a < evals_f);
    /* the treatment works in both: barrier integrity up after 24 weeks */
    assert_true(a[24 * 14 + 0] > a[0]);
}

/* Finite differences when asked (gs_solve_opts.jacobian): every block now
 * gives a Jacobian, so this is the path a block without one would take;
 * the solver reports it and still solves the coupled gut-systemic model. */
static void finite_differences_when_asked(void **state)
{
    (void)state;
    gs_model *m = NULL;
    gs_solver *s;
    gs_err err;
    const char *names[] = {"systemic", "barrier"};
    assert_int_equal(gs_model_compose(names, 2, &m, &err), GS_OK);
    gs_solve_opts opts;
    gs_solve_opts_default(&opts);
    opts.jacobian = GS_JACOBIAN_FINITE_DIFFERENCE;
    assert_int_equal(gs_solver_new(m, &opts, &s, &err), GS_OK);
    assert_int_equal(gs_solver_uses_analytic_jacobian(s), 0);
    gs_schedule sched;
    assert_int_equal(gs_schedule_init(&sched, &err), GS_OK);
    size_t n = gs_model_n_states(m);
    double times[] = {10}, *out = calloc(n, sizeof *out);
    assert_non_null(out);
    assert_int_equal(gs_solver_run(s, &sched, 0, gs_model_initial(m), times, 1, out, &err), GS_OK);
    assert_true(gs_solver_stats(s)->jac_evals > 0);
    free(out);
    gs_schedule_free(&sched);
    gs_solver_free(s);
    gs_model_free(m);
}

/* The full axis (every non-reference block) with the block-triangular
 * linear solver (the default) and with a dense LU: the same systems solved
 * exactly either way, so the trajectories agree to the integration
 * tolerance, over 84 days of fibre, probiotic and butyrate; and so does the
 * block LU on CVODE's difference-quotient Jacobian (exact zeros outside
 * the pattern too). */
static void block_solver_matches_dense(void **state)
{
    (void)state;
    size_t n_reg;
    const gs_block *const *reg = gs_block_registry(&n_reg);
    const char *names[64];
    size_t nb = 0;
    for (size_t b = 0; b < n_reg && nb < 64; b++)
        if (!(reg[b]->flags & GS_BLOCK_REFERENCE)) names[nb++] = reg[b]->name;
    gs_model *m = NULL;
    gs_err err;
    assert_int_equal(gs_model_compose(names, nb, &m, &err), GS_OK);
    gs_schedule sched;
    assert_int_equal(gs_schedule_init(&sched, &err), GS_OK);
    assert_int_equal(gs_schedule_add(&sched, "fibre", 0, 84, 30, &err), GS_OK);
    assert_int_equal(gs_schedule_add(&sched, "probiotic", 0, 84, 10, &err), GS_OK);
    assert_int_equal(gs_schedule_add(&sched, "butyrate", 14, 84, 600, &err), GS_OK);
    size_t n = gs_model_n_states(m);
    double times[13], *out[3];
    for (size_t k = 0; k < 13; k++) times[k] = 7.0 * (double)k;
    long lin_setups[3];
    /* 0: block LU, 1: dense LU, 2: block LU on difference quotients */
    for (int dense = 0; dense <= 2; dense++) {
        gs_solve_opts opts;
        gs_solve_opts_default(&opts);
        assert_int_equal(opts.linear_solver, GS_LINEAR_SOLVER_BLOCK);
        opts.linear_solver = dense == 1 ? GS_LINEAR_SOLVER_DENSE : GS_LINEAR_SOLVER_BLOCK;
        if (dense == 2) opts.jacobian = GS_JACOBIAN_FINITE_DIFFERENCE;
        gs_solver *s;
        assert_int_equal(gs_solver_new(m, &opts, &s, &err), GS_OK);
        assert_int_equal(gs_solver_uses_analytic_jacobian(s), dense != 2);
        out[dense] = calloc(13 * n, sizeof *out[dense]);
        assert_non_null(out[dense]);
        assert_int_equal(gs_solver_run(s, &sched, 0, gs_model_initial(m), times, 13, out[dense],
                                       &err), GS_OK);
        lin_setups[dense] = gs_solver_stats(s)->lin_setups;
        gs_solver_free(s);
    }
    assert_true(lin_setups[0] > 0 && lin_setups[1] > 0 && lin_setups[2] > 0);
    for (size_t i = 0; i < 13 * n; i++) {
        assert_float_equal(out[0][i], out[1][i], 1e-4 * fabs(out[1][i]) + 1e-7);
        assert_float_equal(out[2][i], out[1][i], 1e-4 * fabs(out[1][i]) + 1e-7);
    }
    /* and the programme did something: the probiotic strain is there */
    int s_idx = gs_model_find_state(m, "microbiome.probiotic");
    assert_true(out[0][12 * n + (size_t)s_idx] > 0.01);
    free(out[0]);
    free(out[1]);
    free(out[2]);
    gs_schedule_free(&sched);
    gs_model_free(m);
}

/* gutskin's vector, matrix and LU kernels do the same arithmetic as
 * SUNDIALS' own: the same trajectory to the last bit, with the analytic
 * Jacobian and with difference quotients. */
static void own_kernels_are_bit_identical(void **state)
{
    (void)state;
    gs_solve_opts opts;
    double own[25 * 14], lib[25 * 14];
    int analytic;
    long evals_own, evals_lib;
    for (int fd = 0; fd <= 1; fd++) {
        gs_solve_opts_default(&opts);
        assert_int_equal(opts.library_kernels, 0);
        opts.linear_solver = GS_LINEAR_SOLVER_DENSE;  /* the library's is dense */
        opts.jacobian = fd ? GS_JACOBIAN_FINITE_DIFFERENCE : GS_JACOBIAN_AUTO;
        median_patient(&opts, own, &analytic, &evals_own);
        opts.library_kernels = 1;
        median_patient(&opts, lib, &analytic, &evals_lib);
        assert_memory_equal(own, lib, sizeof own);
        assert_int_equal(evals_own, evals_lib);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(small_inoculum_heals),
        cmocka_unit_test(large_inoculum_persists),
        cmocka_unit_test(restarts_at_schedule_changes),
        cmocka_unit_test(steady_state_is_detected),
        cmocka_unit_test(slow_state_reaches_its_steady_state),
        cmocka_unit_test(non_finite_state_is_named),
        cmocka_unit_test(analytic_jacobian_gives_the_same_solution),
        cmocka_unit_test(finite_differences_when_asked),
        cmocka_unit_test(own_kernels_are_bit_identical),
        cmocka_unit_test(block_solver_matches_dense),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
