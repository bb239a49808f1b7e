/*
 * skin_ageing.c - dermal collagen as a balance of synthesis and
 * degradation, the slow variable of intrinsic skin ageing.
 *
 *   collagen' = k_turnover (synthesis - degradation collagen)
 *   synthesis   = (2 va/(va + va_ref))^w_va (2 zn/(zn + zn_ref))^w_zn
 *   degradation = (1 - ox_share + ox_share oxidative_stress^g_ox)
 *                 (1 + g_infl I)/(1 + g_infl inflammation_ref)
 *
 * Collagen is relative to a young adult (1).  Its turnover is slow: the
 * half-life of human skin collagen is about 15 years (Verzijl 2000, J Biol
 * Chem 275:39027), so k_turnover = ln 2 / 15 years.  Reactive oxygen species
 * induce matrix metalloproteinases that cleave collagen (Fisher 2002, Arch
 * Dermatol 138:1462), and chronic inflammation does the same; vitamin A
 * (retinoids raise procollagen synthesis, Varani 2000 J Invest Dermatol
 * 114:480) and zinc (a cofactor of collagen synthesis and remodelling)
 * support synthesis.  Every factor is 1 at the input's healthy default,
 * so the default person is at a steady state of 1; the gains are
 * assumptions.  The block does not know age: the ~1% per year decline of
 * skin collagen in adults (Shuster 1975, Br J Dermatol 93:639) would need
 * an age-dependent synthesis and is left out.
 *
 * The block gives its Jacobian analytically (jac, output_jac below), so
 * the solver needs no difference quotients for it (docs/solver.md).
 */
#include "gutskin/model.h"
#include "gutskin/blocks.h"

#include <math.h>

#define DAYS_PER_YEAR 365.25

enum { COLLAGEN };
enum { K_TURNOVER, W_VA, VA_REF, W_ZN, ZN_REF, OX_SHARE, G_OX, G_INFL, INFL_REF };
enum { VITAMIN_A, ZINC, OXIDATIVE_STRESS, INFLAMMATION };
enum { OUT_COLLAGEN, OUT_LOSS };

static const gs_quantity states[] = {
    {"collagen", "relative (1 = young adult)", 1, 0, 2, GS_ASSUMPTION,
     "assumption: 1 = dermal collagen density of a young adult", "dermal collagen density"},
};

static const gs_quantity params[] = {
    {"k_turnover", "1/day", 0.69314718055994531 / (15.0 * DAYS_PER_YEAR),
     0.69314718055994531 / (40.0 * DAYS_PER_YEAR), 0.69314718055994531 / (1.0 * DAYS_PER_YEAR),
     GS_MEASURED, "Verzijl 2000 J Biol Chem 275:39027: skin collagen half-life about 15 years",
     "dermal collagen turnover rate (ln 2 / half-life)"},
    {"w_va", "dimensionless", 0.2, 0, 2, GS_ASSUMPTION,
     "assumption: direction from Varani 2000 J Invest Dermatol 114:480 (retinol raises "
     "procollagen in aged skin)", "weight of vitamin A in collagen synthesis"},
    {"vitamin_a_ref", "umol/L", 2.0, 0.1, 10, GS_ASSUMPTION,
     "healthy serum retinol about 2 umol/L", "reference serum retinol"},
    {"w_zn", "dimensionless", 0.2, 0, 2, GS_ASSUMPTION,
     "assumption: zinc is a cofactor of collagen synthesis and remodelling",
     "weight of zinc in collagen synthesis"},
    {"zinc_ref", "umol/L", 14, 1, 40, GS_ASSUMPTION, "healthy serum zinc about 14 umol/L",
     "reference serum zinc"},
    {"ox_share", "fraction", 0.5, 0, 1, GS_ASSUMPTION,
     "assumption: about half of dermal collagen breakdown at rest is ROS/MMP-driven, the "
     "rest constitutive", "share of collagen degradation that scales with oxidative stress"},
    {"g_ox", "dimensionless", 1.0, 0, 5, GS_ASSUMPTION,
     "assumption: degradation proportional to oxidative stress (ROS induce MMP-1; "
     "Fisher 2002 Arch Dermatol 138:1462)", "elasticity of collagen degradation to oxidative stress"},
    {"g_infl", "1/N*-unit", 10, 0, 1000, GS_ASSUMPTION,
     "assumption: inflammatory cytokines induce MMPs in the dermis",
     "sensitivity of collagen degradation to systemic inflammation"},
    {"inflammation_ref", "N* units", GS_INFLAMMATION_HEALTHY, 0, 1, GS_ASSUMPTION,
     "systemic.inflammation at rest", "systemic inflammation with no extra effect"},
};

static const gs_quantity inputs[] = {
    {"vitamin_a", "umol/L", 2.0, 0, 10, GS_ASSUMPTION, "see links.c: vitamin_a_to_collagen",
     "serum retinol"},
    {"zinc", "umol/L", 14, 0, 50, GS_ASSUMPTION, "see links.c: zinc_to_collagen", "serum zinc"},
    {"oxidative_stress", "ratio (1 = healthy)", 1, 0, 100, GS_ASSUMPTION,
     "see links.c: oxidative_stress_to_collagen", "ROS over antioxidant capacity"},
    {"systemic_inflammation", "N* units", GS_INFLAMMATION_HEALTHY, 0, 100, GS_ASSUMPTION,
     "see links.c: inflammation_to_collagen", "systemic inflammation"},
};

static const gs_quantity outputs[] = {
    {"collagen", "relative (1 = young adult)", 0, 0, 0, GS_ASSUMPTION, "the collagen state",
     "dermal collagen density"},
    {"collagen_loss", "% of young adult", 0, 0, 0, GS_ASSUMPTION, "100 (1 - collagen)",
     "collagen lost (negative: above a young adult's)"},
};

static double nonneg(double x) { return x > 0 ? x : 0; }

/* 2x/(x + ref): 0 at 0, 1 at ref, saturating at 2. */
static double relative_supply(double x, double ref)
{
    x = nonneg(x);
    return 2.0 * x / (x + ref);
}

static void rhs(const double *y, const double *p, const double *in, double *dy)
{
    double synthesis = pow(relative_supply(in[VITAMIN_A], p[VA_REF]), p[W_VA]) *
                       pow(relative_supply(in[ZINC], p[ZN_REF]), p[W_ZN]);
    double oxidative = pow(nonneg(in[OXIDATIVE_STRESS]), p[G_OX]);
    double degradation = (1.0 - p[OX_SHARE] + p[OX_SHARE] * oxidative) *
                         (1.0 + p[G_INFL] * nonneg(in[INFLAMMATION])) /
                         (1.0 + p[G_INFL] * p[INFL_REF]);
    dy[COLLAGEN] = p[K_TURNOVER] * (synthesis - degradation * y[COLLAGEN]);
}

static void output(const double *y, const double *p, double *out)
{
    (void)p;
    out[OUT_COLLAGEN] = y[COLLAGEN];
    out[OUT_LOSS] = 100.0 * (1.0 - y[COLLAGEN]);
}

/* d relative_supply / d x for x > 0 (0 on the clamped branch). */
static double relative_supply_slope(double x, double ref)
{
    return x > 0 ? 2.0 * ref / ((x + ref) * (x + ref)) : 0.0;
}

/* d x^w / d x for x > 0 (0 on the clamped branch and when w = 0). */
static double power_slope(double x, double w) { return x > 0 && w != 0 ? w * pow(x, w - 1.0) : 0.0; }

/* d dydt / d y and d dydt / d in, row-major (model.h, gs_jac_fn). */
static void jac(const double *y, const double *p, const double *in, double *dfdy,
                double *dfdin)
{
    double sva = relative_supply(in[VITAMIN_A], p[VA_REF]);
    double szn = relative_supply(in[ZINC], p[ZN_REF]);
    double pva = pow(sva, p[W_VA]), pzn = pow(szn, p[W_ZN]);
    double oxidative = pow(nonneg(in[OXIDATIVE_STRESS]), p[G_OX]);
    double infl_den = 1.0 + p[G_INFL] * p[INFL_REF];
    double ox_part = 1.0 - p[OX_SHARE] + p[OX_SHARE] * oxidative;
    double infl_part = (1.0 + p[G_INFL] * nonneg(in[INFLAMMATION])) / infl_den;
    double k = p[K_TURNOVER], c = y[COLLAGEN];

    dfdy[COLLAGEN] = -k * ox_part * infl_part;
    double *d = dfdin + COLLAGEN * (INFLAMMATION + 1);
    if (in[VITAMIN_A] > 0)
        d[VITAMIN_A] = k * power_slope(sva, p[W_VA]) *
                       relative_supply_slope(in[VITAMIN_A], p[VA_REF]) * pzn;
    if (in[ZINC] > 0)
        d[ZINC] = k * pva * power_slope(szn, p[W_ZN]) *
                  relative_supply_slope(in[ZINC], p[ZN_REF]);
    d[OXIDATIVE_STRESS] =
        -k * c * p[OX_SHARE] * power_slope(in[OXIDATIVE_STRESS], p[G_OX]) * infl_part;
    if (in[INFLAMMATION] > 0) d[INFLAMMATION] = -k * c * ox_part * p[G_INFL] / infl_den;
}

/* d out / d y, row-major (model.h, gs_output_jac_fn). */
static void output_jac(const double *y, const double *p, double *dout)
{
    (void)y; (void)p;
    dout[OUT_COLLAGEN] = 1.0;
    dout[OUT_LOSS] = -100.0;
}

const gs_block gs_block_skin_ageing = {
    .name = "skin_ageing",
    .title = "skin ageing: dermal collagen, synthesis minus oxidative degradation",
    .citation = "turnover: Verzijl 2000 J Biol Chem 275:39027; mechanism: Fisher 2002 "
                "Arch Dermatol 138:1462",
    .states = states, .n_states = GS_COUNT(states),
    .params = params, .n_params = GS_COUNT(params),
    .inputs = inputs, .n_inputs = GS_COUNT(inputs),
    .outputs = outputs, .n_outputs = GS_COUNT(outputs),
    .rhs = rhs,
    .output = output,
    .jac = jac,
    .output_jac = output_jac,
    .flags = GS_BLOCK_SKIN,
};
