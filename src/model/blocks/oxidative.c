/*
 * oxidative.c - systemic oxidative stress: reactive oxygen species (ROS)
 * and the antioxidant capacity that quenches them, both relative to a
 * healthy steady state of 1.
 *
 *   dR/dt = k_ros (drive - R (w + (1 - w) A))
 *   drive = max(0, 1 + g_inflammation (I - I_ref) + g_alcohol Alc/(Alc + k_alcohol))
 *   dA/dt = supply - turnover A - consumption R A
 *   oxidative_stress = R / A
 *
 * ROS are made by activated phagocytes (respiratory burst) and by ethanol
 * metabolism (CYP2E1), and removed by reaction with antioxidants, which
 * are used up in the process and resupplied.  A fraction w of ROS removal
 * does not use the antioxidant pool (enzymes such as catalase, repair), so
 * ROS stay bounded even when antioxidants are exhausted.  With supply =
 * turnover + consumption, R = A = 1 in health.  The form is a minimal production-
 * quenching balance; no paper fitted it, so every number is an assumption
 * (docs/model/gut.md).  The state R stands for a slow marker of oxidative
 * damage (lipid peroxidation, e.g. malondialdehyde), not for radicals that
 * live microseconds.  Time in days.
 *
 * The block gives its Jacobian analytically (jac, output_jac below), so
 * the solver needs no difference quotients for it (docs/solver.md).
 */
#include "gutskin/model.h"
#include "gutskin/blocks.h"

#include <math.h>

/* Healthy systemic.inflammation of the composed gut + systemic model
 * (docs/model/gut.md, "Healthy steady state"). */

enum { ROS, ANTIOXIDANT, N_STATES };
enum { K_ROS, G_INFLAMMATION, INFLAMMATION_REF, G_ALCOHOL, K_ALCOHOL, CLEARANCE_OTHER,
       SUPPLY, TURNOVER, CONSUMPTION, N_PARAMS };
enum { IN_INFLAMMATION, IN_ALCOHOL, N_INPUTS };
enum { OUT_STRESS, N_OUTPUTS };

static const gs_quantity states[] = {
    {"ros", "relative (1 = healthy)", 1, 0, 100, GS_ASSUMPTION,
     "assumption: relative units", "reactive oxygen species (oxidative damage marker)"},
    {"antioxidant", "relative (1 = healthy)", 1, 0, 100, GS_ASSUMPTION,
     "assumption: relative units", "antioxidant capacity (glutathione, vitamins C and E)"},
};

static const gs_quantity params[] = {
    {"k_ros", "1/day", 5, 0.01, 1000, GS_ASSUMPTION,
     "assumption: a lipid-peroxidation marker turns over within hours",
     "production and removal rate of ROS"},
    {"g_inflammation", "per N*-unit", 5, 0, 1000, GS_ASSUMPTION,
     "assumption: CRP 3 mg/L raises ROS about 25% (direction: respiratory burst)",
     "rise of ROS production per unit of systemic inflammation"},
    {"inflammation_ref", "N* units", GS_INFLAMMATION_HEALTHY, 0, 1, GS_ASSUMPTION,
     "healthy systemic inflammation of the composed model (docs/model/gut.md)",
     "inflammation at which ROS production is 1"},
    {"g_alcohol", "fraction", 0.5, 0, 10, GS_ASSUMPTION,
     "assumption: direction from Wu & Cederbaum 2003 (Alcohol Res Health 27:277), CYP2E1",
     "maximal relative rise of ROS production from alcohol"},
    {"k_alcohol", "g/day", 40, 1, 500, GS_ASSUMPTION, "assumption",
     "half-effect alcohol intake"},
    {"clearance_other", "fraction", 0.3, 0.01, 1, GS_ASSUMPTION,
     "assumption: part of ROS removal does not use up antioxidants",
     "fraction w of ROS removal independent of antioxidant capacity"},
    {"supply", "1/day", 0.15, 0, 100, GS_ASSUMPTION,
     "assumption: turnover + consumption so that A = 1 in health",
     "antioxidant supply (diet and synthesis)"},
    {"turnover", "1/day", 0.1, 0, 100, GS_ASSUMPTION,
     "assumption: antioxidant pools turn over in about a week",
     "antioxidant loss other than by ROS"},
    {"consumption", "1/day", 0.05, 0, 100, GS_ASSUMPTION,
     "assumption: a third of antioxidant loss is by quenching ROS in health",
     "antioxidant used per unit ROS"},
};

static const gs_quantity inputs[] = {
    {"inflammation", "N* units", GS_INFLAMMATION_HEALTHY, 0, 100, GS_ASSUMPTION,
     "see links.c: inflammation_ros", "systemic inflammation"},
    {"alcohol", "g/day", 0, 0, 200, GS_ASSUMPTION, "see links.c: alcohol_ros",
     "alcohol intake"},
};

static const gs_quantity outputs[] = {
    {"oxidative_stress", "ratio (1 = healthy)", 0, 0, 0, GS_ASSUMPTION, "ros / antioxidant",
     "oxidative stress index"},
};

_Static_assert(GS_COUNT(states) == N_STATES, "oxidative: state table and enum differ");
_Static_assert(GS_COUNT(params) == N_PARAMS, "oxidative: parameter table and enum differ");
_Static_assert(GS_COUNT(inputs) == N_INPUTS, "oxidative: input table and enum differ");
_Static_assert(GS_COUNT(outputs) == N_OUTPUTS, "oxidative: output table and enum differ");

static void rhs(const double *y, const double *p, const double *in, double *dy)
{
    double alcohol = fmax(in[IN_ALCOHOL], 0.0);
    double drive = 1.0 + p[G_INFLAMMATION] * (in[IN_INFLAMMATION] - p[INFLAMMATION_REF])
                   + p[G_ALCOHOL] * alcohol / (alcohol + p[K_ALCOHOL]);
    drive = fmax(drive, 0.0);
    double quench = y[ROS] * y[ANTIOXIDANT];
    double w = p[CLEARANCE_OTHER];
    dy[ROS] = p[K_ROS] * (drive - y[ROS] * (w + (1.0 - w) * y[ANTIOXIDANT]));
    dy[ANTIOXIDANT] = p[SUPPLY] - p[TURNOVER] * y[ANTIOXIDANT] - p[CONSUMPTION] * quench;
}

static void output(const double *y, const double *p, double *out)
{
    (void)p;
    out[OUT_STRESS] = y[ROS] / fmax(y[ANTIOXIDANT], 1e-12);
}

/* d dydt / d y and d dydt / d in, row-major (model.h, gs_jac_fn); while
 * the clamp max(drive, 0) holds the drive at 0 the inputs have no effect. */
static void jac(const double *y, const double *p, const double *in, double *dfdy,
                double *dfdin)
{
#define DY(i, k) dfdy[(i) * N_STATES + (k)]
#define DIN(i, j) dfdin[(i) * N_INPUTS + (j)]
    double alcohol = fmax(in[IN_ALCOHOL], 0.0), k = p[K_ALCOHOL];
    double drive = 1.0 + p[G_INFLAMMATION] * (in[IN_INFLAMMATION] - p[INFLAMMATION_REF])
                   + p[G_ALCOHOL] * alcohol / (alcohol + k);
    double w = p[CLEARANCE_OTHER];
    DY(ROS, ROS) = -p[K_ROS] * (w + (1.0 - w) * y[ANTIOXIDANT]);
    DY(ROS, ANTIOXIDANT) = -p[K_ROS] * y[ROS] * (1.0 - w);
    DY(ANTIOXIDANT, ROS) = -p[CONSUMPTION] * y[ANTIOXIDANT];
    DY(ANTIOXIDANT, ANTIOXIDANT) = -p[TURNOVER] - p[CONSUMPTION] * y[ROS];
    if (drive > 0) {
        DIN(ROS, IN_INFLAMMATION) = p[K_ROS] * p[G_INFLAMMATION];
        if (in[IN_ALCOHOL] > 0)
            DIN(ROS, IN_ALCOHOL) = p[K_ROS] * p[G_ALCOHOL] * k / ((alcohol + k) * (alcohol + k));
    }
#undef DY
#undef DIN
}

/* d out / d y, row-major (model.h, gs_output_jac_fn). */
static void output_jac(const double *y, const double *p, double *dout)
{
    (void)p;
    if (y[ANTIOXIDANT] > 1e-12) {
        dout[OUT_STRESS * N_STATES + ROS] = 1.0 / y[ANTIOXIDANT];
        dout[OUT_STRESS * N_STATES + ANTIOXIDANT] = -y[ROS] / (y[ANTIOXIDANT] * y[ANTIOXIDANT]);
    } else {
        dout[OUT_STRESS * N_STATES + ROS] = 1e12;
    }
}

const gs_block gs_block_oxidative = {
    .name = "oxidative",
    .title = "oxidative stress: ROS against antioxidant capacity",
    .citation = "assumption: minimal production-quenching balance (docs/model/gut.md)",
    .states = states, .n_states = GS_COUNT(states),
    .params = params, .n_params = GS_COUNT(params),
    .inputs = inputs, .n_inputs = GS_COUNT(inputs),
    .outputs = outputs, .n_outputs = GS_COUNT(outputs),
    .rhs = rhs,
    .output = output,
    .jac = jac,
    .output_jac = output_jac,
};
