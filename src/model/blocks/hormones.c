/*
 * hormones.c - insulin and free IGF-1, the diet-driven hormones of the
 * acne story (Smith et al. 2007, Am J Clin Nutr 86:107).
 *
 *   target insulin = (b + (1 - b) GL/GL_ref) x max(0, 1 + r (I - I_ref))
 *   d insulin/dt = k_insulin (target - insulin)
 *   d igf1/dt = k_igf1 (1 + g (insulin - 1) - igf1)
 *
 * Both are relative to 1 at the usual glycaemic load (150 a day) and
 * healthy inflammation.  Glycaemic load raises daily insulin exposure
 * above a basal part b; systemic inflammation lowers insulin sensitivity,
 * so more insulin is needed for the same load; insulin lowers IGFBP-1 and
 * so raises free IGF-1 over days to weeks.  Smith 2007 found that 12 weeks
 * of a low-glycaemic-load diet improved insulin sensitivity and raised
 * IGFBP-1 (lowering free IGF-1); it gives the direction and the rough
 * size (tens of percent), not a fit.  Time in days.
 *
 * The block gives its Jacobian analytically (jac, output_jac below), so
 * the solver needs no difference quotients for it (docs/solver.md).
 */
#include "gutskin/model.h"
#include "gutskin/blocks.h"

#include <math.h>

/* Healthy systemic.inflammation of the composed gut + systemic model
 * (docs/model/gut.md, "Healthy steady state"). */
#define SMITH "Smith 2007, Am J Clin Nutr 86:107 (direction and rough size)"

enum { INSULIN, IGF1, N_STATES };
enum { K_INSULIN, INSULIN_BASAL, GL_REF, INSULIN_INFLAMMATION, INFLAMMATION_REF,
       K_IGF1, IGF1_INSULIN, FASTING_INSULIN_REF, N_PARAMS };
enum { IN_GL, IN_INFLAMMATION, N_INPUTS };
enum { OUT_FASTING_INSULIN, N_OUTPUTS };

static const gs_quantity states[] = {
    {"insulin", "relative (1 = usual)", 1, 0, 100, GS_ASSUMPTION,
     "assumption: relative to the usual diet", "daily insulin exposure"},
    {"igf1", "relative (1 = usual)", 1, 0, 100, GS_ASSUMPTION,
     "assumption: relative to the usual diet", "free (bioavailable) IGF-1"},
};

static const gs_quantity params[] = {
    {"k_insulin", "1/day", 0.5, 0.01, 100, GS_ASSUMPTION,
     "assumption: fasting insulin adapts to a new diet within days",
     "adaptation rate of insulin exposure"},
    {"insulin_basal", "fraction", 0.4, 0, 1, GS_ASSUMPTION,
     "assumption: chosen so a low-GL diet (GL about 90) lowers insulin about 25%, "
     "the size of the change in Smith 2007",
     "basal share of insulin exposure, independent of glycaemic load"},
    {"gl_ref", "GL units/day", 150, 1, 400, GS_MEASURED,
     "usual glycaemic load about 150 (Smith 2007 baseline)", "usual glycaemic load"},
    {"insulin_inflammation", "per N*-unit", 4, 0, 1000, GS_ASSUMPTION,
     "assumption: CRP 3 mg/L raises insulin need about 20% "
     "(direction: Hotamisligil 2006, Nature 444:860, inflammation causes insulin resistance)",
     "loss of insulin sensitivity per unit of systemic inflammation"},
    {"inflammation_ref", "N* units", GS_INFLAMMATION_HEALTHY, 0, 1, GS_ASSUMPTION,
     "healthy systemic inflammation of the composed model (docs/model/gut.md)",
     "inflammation at usual insulin sensitivity"},
    {"k_igf1", "1/day", 0.1, 0.001, 10, GS_ASSUMPTION,
     "assumption: free IGF-1 follows insulin over one to two weeks (IGFBP-1 regulation)",
     "adaptation rate of free IGF-1"},
    {"igf1_insulin", "dimensionless", 0.5, 0, 10, GS_ASSUMPTION, SMITH,
     "relative rise of free IGF-1 per relative rise of insulin"},
    {"fasting_insulin_ref", "uU/mL", 8, 0.1, 100, GS_ASSUMPTION,
     "assumption: typical healthy fasting insulin 5-10 uU/mL",
     "fasting insulin at the usual diet (for the output)"},
};

static const gs_quantity inputs[] = {
    {"glycaemic_load", "GL units/day", 150, 0, 400, GS_MEASURED, "dose.glycaemic_load",
     "daily glycaemic load"},
    {"inflammation", "N* units", GS_INFLAMMATION_HEALTHY, 0, 100, GS_ASSUMPTION,
     "see links.c: inflammation_insulin_resistance", "systemic inflammation"},
};

static const gs_quantity outputs[] = {
    {"fasting_insulin", "uU/mL", 0, 0, 0, GS_ASSUMPTION, "fasting_insulin_ref x insulin",
     "fasting insulin proxy"},
};

_Static_assert(GS_COUNT(states) == N_STATES, "hormones: state table and enum differ");
_Static_assert(GS_COUNT(params) == N_PARAMS, "hormones: parameter table and enum differ");
_Static_assert(GS_COUNT(inputs) == N_INPUTS, "hormones: input table and enum differ");
_Static_assert(GS_COUNT(outputs) == N_OUTPUTS, "hormones: output table and enum differ");

static void rhs(const double *y, const double *p, const double *in, double *dy)
{
    double load = fmax(in[IN_GL], 0.0) / p[GL_REF];
    double resistance = fmax(0.0, 1.0 + p[INSULIN_INFLAMMATION] *
                                            (in[IN_INFLAMMATION] - p[INFLAMMATION_REF]));
    double target = (p[INSULIN_BASAL] + (1.0 - p[INSULIN_BASAL]) * load) * resistance;
    dy[INSULIN] = p[K_INSULIN] * (target - y[INSULIN]);
    double igf_target = fmax(0.0, 1.0 + p[IGF1_INSULIN] * (y[INSULIN] - 1.0));
    dy[IGF1] = p[K_IGF1] * (igf_target - y[IGF1]);
}

static void output(const double *y, const double *p, double *out)
{
    out[OUT_FASTING_INSULIN] = p[FASTING_INSULIN_REF] * y[INSULIN];
}

/* d dydt / d y and d dydt / d in, row-major (model.h, gs_jac_fn); a
 * clamp at 0 that holds gives the derivative 0 of its branch. */
static void jac(const double *y, const double *p, const double *in, double *dfdy,
                double *dfdin)
{
#define DY(i, k) dfdy[(i) * N_STATES + (k)]
#define DIN(i, j) dfdin[(i) * N_INPUTS + (j)]
    double load = fmax(in[IN_GL], 0.0) / p[GL_REF];
    double resistance_raw = 1.0 + p[INSULIN_INFLAMMATION] * (in[IN_INFLAMMATION] - p[INFLAMMATION_REF]);
    double resistance = fmax(0.0, resistance_raw);
    DY(INSULIN, INSULIN) = -p[K_INSULIN];
    if (in[IN_GL] > 0)
        DIN(INSULIN, IN_GL) = p[K_INSULIN] * (1.0 - p[INSULIN_BASAL]) / p[GL_REF] * resistance;
    if (resistance_raw > 0)
        DIN(INSULIN, IN_INFLAMMATION) = p[K_INSULIN] *
            (p[INSULIN_BASAL] + (1.0 - p[INSULIN_BASAL]) * load) * p[INSULIN_INFLAMMATION];
    if (1.0 + p[IGF1_INSULIN] * (y[INSULIN] - 1.0) > 0)
        DY(IGF1, INSULIN) = p[K_IGF1] * p[IGF1_INSULIN];
    DY(IGF1, IGF1) = -p[K_IGF1];
#undef DY
#undef DIN
}

/* d out / d y, row-major (model.h, gs_output_jac_fn). */
static void output_jac(const double *y, const double *p, double *dout)
{
    (void)y;
    dout[OUT_FASTING_INSULIN * N_STATES + INSULIN] = p[FASTING_INSULIN_REF];
}

const gs_block gs_block_hormones = {
    .name = "hormones",
    .title = "hormones: insulin exposure and free IGF-1",
    .citation = "Smith RN et al. Am J Clin Nutr 2007;86:107-115",
    .states = states, .n_states = GS_COUNT(states),
    .params = params, .n_params = GS_COUNT(params),
    .inputs = inputs, .n_inputs = GS_COUNT(inputs),
    .outputs = outputs, .n_outputs = GS_COUNT(outputs),
    .rhs = rhs,
    .output = output,
    .jac = jac,
    .output_jac = output_jac,
};
