/*
 * systemic.c - systemic inflammation: the reduced acute inflammatory
 * response model of Reynolds et al. 2006 (J Theor Biol 242:220), converted
 * from hours to days.
 *
 * States: P pathogen or endotoxin load (1e6 cells/cc equivalents), N*
 * activated phagocytes, D tissue damage, C_A anti-inflammatory mediator.
 *
 * Conversion to days: every term of every equation is a rate per hour.
 * The leading rate constant of each term (k_pg, k_pm, k_pn, s_nr, mu_n,
 * k_dn, mu_d, s_c, k_cn, mu_c) is multiplied by 24; constants that only
 * appear inside ratios (s_m/(mu_m + k_mp P), R/(mu_nr + R)) or as
 * thresholds (P_inf, x_dn, c_inf, k_np, k_nn, k_nd, k_cnd) are unchanged,
 * because the ratio of two rates is the same in any time unit.  The result
 * is exactly 24 times the paper's right-hand side, so a solution in days
 * sampled at t/24 equals the paper's solution at t hours.
 *
 * Coupling: endotoxin translocated through a leaky gut barrier enters as
 * an influx to P: influx = k_translocation x gut_permeability x
 * luminal_endotoxin (inputs from barrier.permeability and
 * metabolites.endotoxin_lumen).  Outputs may not read other blocks, so the
 * product is formed here, in the receiving right-hand side.  Unlinked, both
 * inputs take their healthy value 1.  In the axis, P stands for blood
 * endotoxin, which does not replicate, so k_pg defaults to 0 here; the
 * reproduction of the paper sets it to 0.3 or 0.6 per hour and sets
 * k_translocation to 0 so the paper's model runs unchanged.
 *
 * The block gives its Jacobian analytically (jac, output_jac below): the
 * derivatives of the equations above, term by term, so the solver needs
 * no finite differences for it.
 */
#include "gutskin/model.h"
#include "gutskin/blocks.h"

#include <math.h>

#define H 24.0  /* hours per day */
#define REYNOLDS "Reynolds 2006, J Theor Biol 242:220, Table 1"
/* Endotoxin influx at healthy permeability and luminal endotoxin; see
 * docs/model/gut.md, "Calibration of k_translocation". */
#define K_TRANSLOCATION_DEFAULT 0.1

enum { P, N, D, CA };
enum { K_PG, K_PM, K_MP, S_M, MU_M, P_INF, K_PN, K_NP, K_NN, S_NR, MU_NR, MU_N,
       K_ND, K_DN, X_DN, MU_D, C_INF, S_C, K_CN, K_CND, MU_C, CRP_BASE, CRP_GAIN,
       K_TRANSLOCATION };
enum { GUT_PERMEABILITY, LUMINAL_ENDOTOXIN, ANTI_INFLAMMATORY };
enum { INFLAMMATION, CRP };

static const gs_quantity states[] = {
    {"pathogen", "1e6 cells/cc", 0, 0, 100, GS_MEASURED, REYNOLDS,
     "pathogen or endotoxin load in blood and tissue (P)"},
    {"phagocytes", "N* units", 0, 0, 100, GS_MEASURED, REYNOLDS,
     "activated phagocytes (N*)"},
    {"damage", "D units", 0, 0, 100, GS_MEASURED, REYNOLDS, "tissue damage (D)"},
    {"anti_inflammatory", "C_A units", 0.125, 0, 100, GS_MEASURED, REYNOLDS,
     "anti-inflammatory mediator (C_A); initial s_c/mu_c"},
};

static const gs_quantity params[] = {
    {"k_pg", "1/day", 0, 0, 24, GS_ASSUMPTION,
     "Reynolds 2006 used 0.3-0.6/h for live pathogen; 0 here",
     "pathogen growth rate; endotoxin does not replicate"},
    {"k_pm", "1/(M-units day)", 0.6 * H, 0, 1e3, GS_MEASURED, REYNOLDS,
     "clearance by resting macrophages"},
    {"k_mp", "1/(1e6 cells/cc)", 0.01, 0, 10, GS_MEASURED, REYNOLDS,
     "macrophage exhaustion by pathogen (ratio term)"},
    {"s_m", "M-units (ratio term)", 0.005, 0, 10, GS_MEASURED, REYNOLDS,
     "macrophage source (ratio with mu_m)"},
    {"mu_m", "(ratio term)", 0.002, 1e-6, 10, GS_MEASURED, REYNOLDS,
     "macrophage decay (ratio with s_m)"},
    {"p_inf", "1e6 cells/cc", 20, 1, 1e3, GS_MEASURED, REYNOLDS,
     "pathogen carrying capacity"},
    {"k_pn", "1/(N*-units day)", 1.8 * H, 0, 1e3, GS_MEASURED, REYNOLDS,
     "pathogen killing by activated phagocytes"},
    {"k_np", "(activation weight)", 0.1, 0, 10, GS_MEASURED, REYNOLDS,
     "phagocyte activation by pathogen"},
    {"k_nn", "(activation weight)", 0.01, 0, 10, GS_MEASURED, REYNOLDS,
     "phagocyte self-activation"},
    {"s_nr", "N*-units/day", 0.08 * H, 0, 100, GS_MEASURED, REYNOLDS,
     "maximal recruitment of activated phagocytes"},
    {"mu_nr", "(activation units)", 0.12, 1e-6, 10, GS_MEASURED, REYNOLDS,
     "half-saturation of recruitment"},
    {"mu_n", "1/day", 0.05 * H, 0, 100, GS_MEASURED, REYNOLDS,
     "decay of activated phagocytes"},
    {"k_nd", "(activation weight)", 0.02, 0, 10, GS_MEASURED, REYNOLDS,
     "phagocyte activation by damage"},
    {"k_dn", "D-units/day", 0.35 * H, 0, 100, GS_MEASURED, REYNOLDS,
     "maximal damage rate from activated phagocytes"},
    {"x_dn", "N*-units", 0.06, 1e-6, 10, GS_MEASURED, REYNOLDS,
     "half-saturation of damage (Hill exponent 6)"},
    {"mu_d", "1/day", 0.02 * H, 0, 100, GS_MEASURED, REYNOLDS, "damage repair"},
    {"c_inf", "C_A units", 0.28, 1e-6, 10, GS_MEASURED, REYNOLDS,
     "strength of anti-inflammatory suppression"},
    {"s_c", "C_A units/day", 0.0125 * H, 0, 10, GS_MEASURED, REYNOLDS,
     "baseline anti-inflammatory source"},
    {"k_cn", "C_A units/day", 0.04 * H, 0, 10, GS_MEASURED, REYNOLDS,
     "maximal anti-inflammatory production"},
    {"k_cnd", "(weight)", 48, 0, 1e3, GS_MEASURED, REYNOLDS,
     "damage weight in anti-inflammatory production"},
    {"mu_c", "1/day", 0.1 * H, 0, 100, GS_MEASURED, REYNOLDS,
     "anti-inflammatory decay"},
    {"crp_base", "mg/L", 1.0, 0, 10, GS_ASSUMPTION,
     "Pepys & Hirschfield 2003: median CRP of healthy adults about 0.8-1 mg/L",
     "CRP proxy at rest"},
    {"crp_gain", "mg/L per N*-unit", 110, 0, 1000, GS_ASSUMPTION,
     "assumption: scales activated phagocytes to a low-grade CRP range; the low-grade "
     "branch ends near f(N*) = 0.03 (docs/model/gut.md), so 110 maps it to 1-4 mg/L",
     "CRP proxy gain"},
    {"k_translocation", "1e6 cells/cc per day", K_TRANSLOCATION_DEFAULT, 0, 100, GS_ASSUMPTION,
     "assumption: calibrated so the healthy gut gives CRP about 1 mg/L and a leaky gut "
     "with pathobiont overgrowth 3-10 mg/L (docs/model/gut.md)",
     "endotoxin influx at healthy permeability and luminal endotoxin (both 1)"},
};

static const gs_quantity inputs[] = {
    {"gut_permeability", "relative (1 = healthy)", 1, 0, 100, GS_ASSUMPTION,
     "see links.c: endotoxin_translocation", "paracellular permeability of the gut barrier"},
    {"luminal_endotoxin", "relative (1 = healthy)", 1, 0, 100, GS_ASSUMPTION,
     "see links.c: luminal_endotoxin_load", "endotoxin in the gut lumen"},
    {"anti_inflammatory_drive", "fraction", 0, 0, 1, GS_ASSUMPTION,
     "see links.c", "extra suppression of phagocyte activation (omega-3)"},
};

static const gs_quantity outputs[] = {
    {"inflammation", "N* units", 0, 0, 0, GS_MEASURED, REYNOLDS,
     "effective activated phagocytes f(N*) after anti-inflammatory suppression"},
    {"crp", "mg/L", 0, 0, 0, GS_ASSUMPTION, "crp_base + crp_gain * f(N*)",
     "C-reactive protein proxy"},
};

/* f(V) = V / (1 + (C_A/c_inf)^2): suppression by the anti-inflammatory
 * mediator, optionally strengthened by an external drive. */
static double suppress(double v, double ca, const double *p, double drive)
{
    double r = ca / p[C_INF];
    return v / ((1.0 + r * r) * (1.0 + drive));
}

static void rhs(const double *y, const double *p, const double *in, double *dy)
{
    double drive = in[ANTI_INFLAMMATORY];
    double fN = suppress(y[N], y[CA], p, drive);
    double R = suppress(p[K_NN] * y[N] + p[K_NP] * y[P] + p[K_ND] * y[D], y[CA], p, drive);
    double fn6 = pow(fN, 6), x6 = pow(p[X_DN], 6);
    double fND = suppress(y[N] + p[K_CND] * y[D], y[CA], p, drive);
    double influx = p[K_TRANSLOCATION] * in[GUT_PERMEABILITY] * in[LUMINAL_ENDOTOXIN];

    dy[P] = p[K_PG] * y[P] * (1.0 - y[P] / p[P_INF])
            - p[K_PM] * p[S_M] * y[P] / (p[MU_M] + p[K_MP] * y[P])
            - p[K_PN] * fN * y[P] + influx;
    dy[N] = p[S_NR] * R / (p[MU_NR] + R) - p[MU_N] * y[N];
    dy[D] = p[K_DN] * fn6 / (x6 + fn6) - p[MU_D] * y[D];
    dy[CA] = p[S_C] + p[K_CN] * fND / (1.0 + fND) - p[MU_C] * y[CA];
}

static void output(const double *y, const double *p, double *out)
{
    /* Outputs may not read inputs, so the omega-3 drive is not applied
     * here; it acts through the dynamics of N*. */
    double fN = suppress(y[N], y[CA], p, 0.0);
    out[INFLAMMATION] = fN;
    out[CRP] = p[CRP_BASE] + p[CRP_GAIN] * fN;
}

/* The suppression factor s = 1 / ((1 + r^2)(1 + drive)), r = C_A / c_inf,
 * and its derivatives with respect to C_A and to the drive. */
typedef struct suppression {
    double s, ds_dca, ds_ddrive;
} suppression;

static suppression suppression_at(double ca, const double *p, double drive)
{
    double r = ca / p[C_INF];
    suppression f;
    f.s = 1.0 / ((1.0 + r * r) * (1.0 + drive));
    f.ds_dca = -f.s * 2.0 * r / (p[C_INF] * (1.0 + r * r));
    f.ds_ddrive = -f.s / (1.0 + drive);
    return f;
}

/* d dydt / d y and d dydt / d in, row-major (model.h, gs_jac_fn). */
static void jac(const double *y, const double *p, const double *in, double *dfdy,
                double *dfdin)
{
    enum { NS = 4, NI = 3 };
#define DY(i, k) dfdy[(i) * NS + (k)]
#define DIN(i, j) dfdin[(i) * NI + (j)]
    double drive = in[ANTI_INFLAMMATORY];
    suppression f = suppression_at(y[CA], p, drive);

    /* fN = N s */
    double fN = y[N] * f.s;
    double fN_n = f.s, fN_ca = y[N] * f.ds_dca, fN_drive = y[N] * f.ds_ddrive;
    /* R = (k_nn N + k_np P + k_nd D) s */
    double v = p[K_NN] * y[N] + p[K_NP] * y[P] + p[K_ND] * y[D];
    double R = v * f.s;
    /* fND = (N + k_cnd D) s */
    double w = y[N] + p[K_CND] * y[D];
    double fND = w * f.s;

    /* dP/dt */
    double sat = p[MU_M] + p[K_MP] * y[P];
    DY(P, P) = p[K_PG] * (1.0 - 2.0 * y[P] / p[P_INF]) -
               p[K_PM] * p[S_M] * p[MU_M] / (sat * sat) - p[K_PN] * fN;
    DY(P, N) = -p[K_PN] * y[P] * fN_n;
    DY(P, CA) = -p[K_PN] * y[P] * fN_ca;
    DIN(P, ANTI_INFLAMMATORY) = -p[K_PN] * y[P] * fN_drive;
    DIN(P, GUT_PERMEABILITY) = p[K_TRANSLOCATION] * in[LUMINAL_ENDOTOXIN];
    DIN(P, LUMINAL_ENDOTOXIN) = p[K_TRANSLOCATION] * in[GUT_PERMEABILITY];

    /* d(N*)/dt = s_nr R / (mu_nr + R) - mu_n N* */
    double g = p[S_NR] * p[MU_NR] / ((p[MU_NR] + R) * (p[MU_NR] + R));
    DY(N, P) = g * p[K_NP] * f.s;
    DY(N, N) = g * p[K_NN] * f.s - p[MU_N];
    DY(N, D) = g * p[K_ND] * f.s;
    DY(N, CA) = g * v * f.ds_dca;
    DIN(N, ANTI_INFLAMMATORY) = g * v * f.ds_ddrive;

    /* dD/dt = k_dn fN^6 / (x_dn^6 + fN^6) - mu_d D */
    double x6 = pow(p[X_DN], 6), fn6 = pow(fN, 6);
    double h = p[K_DN] * 6.0 * pow(fN, 5) * x6 / ((x6 + fn6) * (x6 + fn6));
    DY(D, N) = h * fN_n;
    DY(D, D) = -p[MU_D];
    DY(D, CA) = h * fN_ca;
    DIN(D, ANTI_INFLAMMATORY) = h * fN_drive;

    /* dC_A/dt = s_c + k_cn fND / (1 + fND) - mu_c C_A */
    double c = p[K_CN] / ((1.0 + fND) * (1.0 + fND));
    DY(CA, N) = c * f.s;
    DY(CA, D) = c * p[K_CND] * f.s;
    DY(CA, CA) = c * w * f.ds_dca - p[MU_C];
    DIN(CA, ANTI_INFLAMMATORY) = c * w * f.ds_ddrive;
#undef DY
#undef DIN
}

/* d out / d y, row-major (model.h, gs_output_jac_fn); drive 0 as in output(). */
static void output_jac(const double *y, const double *p, double *dout)
{
    suppression f = suppression_at(y[CA], p, 0.0);
    dout[INFLAMMATION * 4 + N] = f.s;
    dout[INFLAMMATION * 4 + CA] = y[N] * f.ds_dca;
    dout[CRP * 4 + N] = p[CRP_GAIN] * f.s;
    dout[CRP * 4 + CA] = p[CRP_GAIN] * y[N] * f.ds_dca;
}

const gs_block gs_block_systemic = {
    .name = "systemic",
    .title = "systemic inflammation (Reynolds 2006 reduced model, in days)",
    .citation = "Reynolds A et al. J Theor Biol 2006;242:220-236, doi:10.1016/j.jtbi.2006.02.016",
    .states = states, .n_states = GS_COUNT(states),
    .params = params, .n_params = GS_COUNT(params),
    .inputs = inputs, .n_inputs = GS_COUNT(inputs),
    .outputs = outputs, .n_outputs = GS_COUNT(outputs),
    .rhs = rhs,
    .output = output,
    .jac = jac,
    .output_jac = output_jac,
};
