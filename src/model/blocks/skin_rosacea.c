/*
 * skin_rosacea.c - papulopustular rosacea driven in part by small-intestinal
 * bacterial overgrowth (SIBO), after Parodi et al. 2008 (Clin Gastroenterol
 * Hepatol 6:759-764): SIBO was far more common in rosacea than in controls,
 * and rifaximin 1200 mg/day for 10 days eradicated it in most patients,
 * whose skin lesions then cleared or greatly improved and stayed so for
 * at least 9 months.
 *
 *   sibo'     = r_sibo sibo (1 - sibo) - kill_max R/(R + rifaximin_ec50) sibo
 *   erythema' = k_erythema (drive (1 + g_alcohol A/(A + k_alcohol)) - erythema)
 *   papules'  = k_papules (papules_ref drive - papules)
 *   drive     = (skin_base + sibo_weight sibo) inflammation_factor
 *   inflammation_factor = (1 + g_infl I) / (1 + g_infl inflammation_ref)
 * R rifaximin mg/day, A alcohol g/day, I systemic inflammation.
 *
 * SIBO load is relative: 1 = the untreated overgrowth of a SIBO-positive
 * patient, 0 = none; a breath test is taken as positive above 0.1.  SIBO
 * regrows logistically over months (remission >= 9 months in Parodi 2008).
 * How SIBO reaches the skin is not known; here it adds to the skin's
 * inflammatory drive (GS_ASSUMPTION; bacterial products and cytokines from
 * the small bowel are the proposed route).  Alcohol raises flushing and so
 * erythema, not papules.
 *
 * Scores: erythema_score maps the erythema state onto the 0-4 Clinician's
 * Erythema Assessment (CEA; Tan 2014 Br J Dermatol 171:1129) as
 * 4 E / (E + 1): the default patient scores 2 (moderate).  papule_count is
 * the count of inflammatory papules and pustules on the face.
 *
 * The block gives its Jacobian analytically (jac, output_jac below), so
 * the solver needs no difference quotients for it (docs/solver.md).
 */
#include "gutskin/model.h"
#include "gutskin/blocks.h"

#define PARODI "Parodi 2008 Clin Gastroenterol Hepatol 6:759"

enum { SIBO, ERYTHEMA, PAPULES };
enum { R_SIBO, KILL_MAX, RIFAXIMIN_EC50, K_ERYTHEMA, K_PAPULES, SKIN_BASE, SIBO_WEIGHT,
       PAPULES_REF, G_ALCOHOL, K_ALCOHOL, G_INFL, INFL_REF, CEA_HALF };
enum { RIFAXIMIN, ALCOHOL, INFLAMMATION };
enum { ERYTHEMA_SCORE, PAPULE_COUNT, SIBO_POSITIVE };

static const gs_quantity states[] = {
    {"sibo", "relative (1 = untreated SIBO)", 1, 0, 1.5, GS_ASSUMPTION,
     PARODI ": 46% of rosacea patients had SIBO; default = a SIBO-positive patient",
     "small-intestinal bacterial overgrowth load"},
    {"erythema", "relative (1 = moderate)", 1, 0, 50, GS_ASSUMPTION,
     "assumption: 1 = the default patient's erythema (CEA 2)", "facial erythema"},
    {"papules", "lesions (face)", 10, 0, 500, GS_ASSUMPTION,
     "assumption: moderate papulopustular rosacea about 10 papules/pustules",
     "inflammatory papules and pustules"},
};

static const gs_quantity params[] = {
    {"r_sibo", "1/day", 0.01, 0, 1, GS_ASSUMPTION,
     "assumption: regrowth over months (" PARODI ": remission held at least 9 months)",
     "logistic regrowth rate of SIBO"},
    {"kill_max", "1/day", 0.667, 0, 10, GS_ASSUMPTION,
     "assumption calibrated to " PARODI ": 1200 mg/day for 10 days clears SIBO "
     "(load below 0.1) in most patients",
     "maximal rifaximin kill rate"},
    {"rifaximin_ec50", "mg/day", 400, 1, 5000, GS_ASSUMPTION,
     "assumption: 1200 mg/day gives 75% of the maximal kill",
     "rifaximin dose for half the maximal kill"},
    {"k_erythema", "1/day", 1.0 / 14.0, 1.0 / 180, 10, GS_ASSUMPTION,
     "assumption: erythema settles over weeks after the drive falls",
     "erythema relaxation rate"},
    {"k_papules", "1/day", 1.0 / 21.0, 1.0 / 180, 10, GS_ASSUMPTION,
     "assumption: papulopustular lesions turn over in about 3 weeks",
     "papule relaxation rate"},
    {"skin_base", "relative", 0.0462, 0, 10, GS_FITTED,
     "tied to skin_rosacea.sibo_weight (1 + -1 * it) so that the untreated drive stays 1, so baseline papules and erythema stay at their documented values (docs/model/skin.md); fitted to rosacea-sibo (docs/calibration.md)",
     "inflammatory drive without SIBO"},
    {"sibo_weight", "relative", 0.9538, 0, 10, GS_FITTED,
     "fitted to rosacea-sibo (docs/calibration.md)",
     "inflammatory drive added by untreated SIBO"},
    {"papules_ref", "lesions (face)", 10, 0, 500, GS_ASSUMPTION,
     "assumption: moderate papulopustular rosacea", "papules at drive 1"},
    {"g_alcohol", "dimensionless", 0.5, 0, 10, GS_ASSUMPTION,
     "assumption: alcohol is among the most reported flushing triggers "
     "(National Rosacea Society survey)", "maximal relative rise of erythema with alcohol"},
    {"k_alcohol", "g ethanol/day", 20, 1, 200, GS_ASSUMPTION,
     "assumption: two standard drinks give half the maximal flushing",
     "alcohol dose for half the maximal flushing"},
    {"g_infl", "1/N*-unit", 20, 0, 1000, GS_ASSUMPTION,
     "assumption: same sensitivity as the acne block",
     "sensitivity of skin inflammation to systemic inflammation"},
    {"inflammation_ref", "N* units", GS_INFLAMMATION_HEALTHY, 0, 1, GS_ASSUMPTION,
     "systemic.inflammation at rest", "systemic inflammation with no extra effect"},
    {"cea_half", "relative", 1.0, 0.01, 100, GS_ASSUMPTION,
     "assumption: erythema 1 scores CEA 2 (moderate) on the 0-4 scale of Tan 2014",
     "erythema giving half the maximal CEA score"},
};

static const gs_quantity inputs[] = {
    {"rifaximin", "mg/day", 0, 0, 1650, GS_MEASURED, PARODI " used 1200 mg/day for 10 days",
     "gut-local antibiotic"},
    {"alcohol", "g ethanol/day", 0, 0, 200, GS_ASSUMPTION, "see links.c: alcohol_flushing",
     "alcohol intake"},
    {"systemic_inflammation", "N* units", GS_INFLAMMATION_HEALTHY, 0, 100, GS_ASSUMPTION,
     "see links.c: inflammation_to_rosacea", "systemic inflammation"},
};

static const gs_quantity outputs[] = {
    {"erythema_score", "CEA 0-4", 0, 0, 4, GS_ASSUMPTION,
     "4 E/(E + cea_half) on the Clinician's Erythema Assessment scale (Tan 2014 "
     "Br J Dermatol 171:1129)", "clinician-like erythema grade"},
    {"papule_count", "lesions (face)", 0, 0, 0, GS_ASSUMPTION, "papules",
     "inflammatory papules and pustules"},
    {"sibo_positive", "0/1", 0, 0, 1, GS_ASSUMPTION,
     "assumption: a breath test is positive while the load exceeds 0.1",
     "would a breath test find SIBO"},
};

static double nonneg(double x) { return x > 0 ? x : 0; }

static void rhs(const double *y, const double *p, const double *in, double *dy)
{
    double sibo = nonneg(y[SIBO]);
    double rifaximin = nonneg(in[RIFAXIMIN]), alcohol = nonneg(in[ALCOHOL]);
    double kill = p[KILL_MAX] * rifaximin / (rifaximin + p[RIFAXIMIN_EC50]);
    double inflamed = (1.0 + p[G_INFL] * nonneg(in[INFLAMMATION])) /
                      (1.0 + p[G_INFL] * p[INFL_REF]);
    double drive = (p[SKIN_BASE] + p[SIBO_WEIGHT] * sibo) * inflamed;
    double flushing = 1.0 + p[G_ALCOHOL] * alcohol / (alcohol + p[K_ALCOHOL]);

    dy[SIBO] = p[R_SIBO] * sibo * (1.0 - sibo) - kill * sibo;
    dy[ERYTHEMA] = p[K_ERYTHEMA] * (drive * flushing - y[ERYTHEMA]);
    dy[PAPULES] = p[K_PAPULES] * (p[PAPULES_REF] * drive - y[PAPULES]);
}

static void output(const double *y, const double *p, double *out)
{
    double e = nonneg(y[ERYTHEMA]);
    out[ERYTHEMA_SCORE] = 4.0 * e / (e + p[CEA_HALF]);
    out[PAPULE_COUNT] = y[PAPULES];
    out[SIBO_POSITIVE] = y[SIBO] > 0.1 ? 1.0 : 0.0;
}

/* d dydt / d y and d dydt / d in, row-major (model.h, gs_jac_fn); where a
 * state or input is clamped at 0 the derivative is that of the branch
 * taken. */
static void jac(const double *y, const double *p, const double *in, double *dfdy,
                double *dfdin)
{
    enum { NS = PAPULES + 1, NI = INFLAMMATION + 1 };
#define DY(i, k) dfdy[(i) * NS + (k)]
#define DIN(i, j) dfdin[(i) * NI + (j)]
    double sibo = nonneg(y[SIBO]);
    double rifaximin = nonneg(in[RIFAXIMIN]), alcohol = nonneg(in[ALCOHOL]);
    double ec50 = p[RIFAXIMIN_EC50], ka = p[K_ALCOHOL];
    double kill = p[KILL_MAX] * rifaximin / (rifaximin + ec50);
    double infl_den = 1.0 + p[G_INFL] * p[INFL_REF];
    double inflamed = (1.0 + p[G_INFL] * nonneg(in[INFLAMMATION])) / infl_den;
    double load = p[SKIN_BASE] + p[SIBO_WEIGHT] * sibo;
    double drive = load * inflamed;
    double flushing = 1.0 + p[G_ALCOHOL] * alcohol / (alcohol + ka);
    double ddrive_dinfl = in[INFLAMMATION] > 0 ? load * p[G_INFL] / infl_den : 0.0;

    if (y[SIBO] > 0) {
        DY(SIBO, SIBO) = p[R_SIBO] * (1.0 - 2.0 * sibo) - kill;
        DY(ERYTHEMA, SIBO) = p[K_ERYTHEMA] * p[SIBO_WEIGHT] * inflamed * flushing;
        DY(PAPULES, SIBO) = p[K_PAPULES] * p[PAPULES_REF] * p[SIBO_WEIGHT] * inflamed;
    }
    if (in[RIFAXIMIN] > 0)
        DIN(SIBO, RIFAXIMIN) =
            -sibo * p[KILL_MAX] * ec50 / ((rifaximin + ec50) * (rifaximin + ec50));

    DY(ERYTHEMA, ERYTHEMA) = -p[K_ERYTHEMA];
    DIN(ERYTHEMA, INFLAMMATION) = p[K_ERYTHEMA] * ddrive_dinfl * flushing;
    if (in[ALCOHOL] > 0)
        DIN(ERYTHEMA, ALCOHOL) =
            p[K_ERYTHEMA] * drive * p[G_ALCOHOL] * ka / ((alcohol + ka) * (alcohol + ka));

    DY(PAPULES, PAPULES) = -p[K_PAPULES];
    DIN(PAPULES, INFLAMMATION) = p[K_PAPULES] * p[PAPULES_REF] * ddrive_dinfl;
#undef DY
#undef DIN
}

/* d out / d y, row-major (model.h, gs_output_jac_fn).  sibo_positive is a
 * step: its derivative is 0 on either side. */
static void output_jac(const double *y, const double *p, double *dout)
{
    enum { NS = PAPULES + 1 };
    if (y[ERYTHEMA] > 0) {
        double e = y[ERYTHEMA], h = p[CEA_HALF];
        dout[ERYTHEMA_SCORE * NS + ERYTHEMA] = 4.0 * h / ((e + h) * (e + h));
    }
    dout[PAPULE_COUNT * NS + PAPULES] = 1.0;
}

const gs_block gs_block_skin_rosacea = {
    .name = "skin_rosacea",
    .title = "rosacea with small-intestinal bacterial overgrowth (Parodi 2008)",
    .citation = "Parodi A et al. Clin Gastroenterol Hepatol 2008;6:759-764, "
                "doi:10.1016/j.cgh.2008.02.054",
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
