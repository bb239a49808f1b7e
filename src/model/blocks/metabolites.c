/*
 * metabolites.c - what the microbiome makes in the colonic lumen: butyrate
 * and endotoxin (lipopolysaccharide, LPS).
 *
 *   d butyrate/dt = yield x fermenters x fibre/(fibre + k_substrate)
 *                   + dose x colon_fraction / (molar_mass x colon_volume)
 *                   - uptake x butyrate
 *   d endotoxin/dt = lps_rate x (pathobionts + w x commensals)
 *                    - transit x endotoxin
 *
 * Butyrate is made by fermentation of fibre (saturating in substrate) by
 * the fermenters and used or absorbed by colonocytes within hours; an oral
 * postbiotic (sodium butyrate, mg/day) adds the part that reaches the
 * colon.  Luminal endotoxin comes mostly from gram-negative pathobionts
 * (Enterobacteriaceae, whose hexa-acylated LPS is the immunogenic kind);
 * Bacteroides LPS among the commensals counts with a small weight; it is
 * cleared by colonic transit.  Healthy levels: colonic butyrate about
 * 15-20 mM (Cummings 1987), endotoxin 1 by definition.  Time in days.
 *
 * The block gives its Jacobian analytically (jac, output_jac below), so
 * the solver needs no difference quotients for it (docs/solver.md).
 */
#include "gutskin/model.h"
#include "gutskin/blocks.h"

#define CUMMINGS "Cummings 1987, Gut 28:1221: butyrate about 11-26 mM in human colonic contents"

enum { BUTYRATE, ENDOTOXIN, N_STATES };
enum { BUTYRATE_YIELD, K_SUBSTRATE, BUTYRATE_UPTAKE, COLON_FRACTION, MOLAR_MASS,
       COLON_VOLUME, LPS_RATE, LPS_COMMENSAL_WEIGHT, TRANSIT, BUTYRATE_REF, N_PARAMS };
enum { IN_FERMENTERS, IN_COMMENSALS, IN_PATHOBIONTS, IN_FIBRE, IN_BUTYRATE_DOSE, N_INPUTS };
enum { OUT_BUTYRATE_RELATIVE, N_OUTPUTS };

static const gs_quantity states[] = {
    {"butyrate", "mM", 17, 0, 200, GS_MEASURED, CUMMINGS,
     "butyrate in colonic contents"},
    {"endotoxin_lumen", "relative (1 = healthy)", 1, 0, 100, GS_ASSUMPTION,
     "assumption: relative units, 1 in health", "luminal endotoxin (LPS)"},
};

static const gs_quantity params[] = {
    {"butyrate_yield", "mM/day per density", 301.8, 0, 5000, GS_ASSUMPTION,
     "assumption: chosen so fermenters 0.3 on 15 g fibre give 17 mM (Cummings 1987)",
     "butyrate production per fermenter density at saturating substrate"},
    {"k_substrate", "g fibre/day", 2, 0.1, 100, GS_ASSUMPTION,
     "assumption: butyrate rises less than proportionally with fibre above usual intakes",
     "half-saturation of fermentation in fibre"},
    {"butyrate_uptake", "1/day", 4.7, 0.1, 100, GS_ASSUMPTION,
     "assumption: about 95% of SCFA absorbed, turnover within hours; with 40 mmol/day "
     "made in 0.5 L this gives 17 mM (Cummings & Macfarlane 1991, J Appl Bacteriol 70:443)",
     "uptake and use of butyrate by colonocytes"},
    {"colon_fraction", "fraction", 0.3, 0, 1, GS_ASSUMPTION,
     "assumption: most oral butyrate is absorbed in the small intestine unless "
     "colon-release coated",
     "fraction of an oral butyrate dose reaching the colon"},
    {"molar_mass", "mg/mmol", 110.1, 50, 500, GS_MEASURED, "sodium butyrate, C4H7NaO2",
     "molar mass of the dosed salt"},
    {"colon_volume", "L", 0.5, 0.05, 5, GS_ASSUMPTION,
     "assumption: proximal colonic contents about 0.5 L",
     "volume that a dose dilutes into"},
    {"lps_rate", "relative/day per density", 11.218, 0, 1000, GS_ASSUMPTION,
     "assumption: chosen so healthy pathobionts and commensals give endotoxin 1",
     "endotoxin release per pathobiont density"},
    {"lps_commensal_weight", "fraction", 0.02, 0, 1, GS_ASSUMPTION,
     "assumption: Bacteroides LPS is far less immunostimulatory (d'Hennezel 2017, mSystems 2:e00046)",
     "immunogenic endotoxin per commensal, relative to a pathobiont"},
    {"transit", "1/day", 0.7, 0.05, 10, GS_MEASURED,
     "Degen & Phillips 1996, Gut 39:299: colonic transit about 1-1.5 days",
     "clearance of luminal endotoxin by transit"},
    {"butyrate_ref", "mM", 17, 1, 100, GS_MEASURED, CUMMINGS,
     "healthy colonic butyrate (for the relative output)"},
};

static const gs_quantity inputs[] = {
    {"fermenters", "relative density", 0.30, 0, 10, GS_ASSUMPTION,
     "see links.c: fermentation_butyrate", "fibre fermenters"},
    {"commensals", "relative density", 0.62, 0, 10, GS_ASSUMPTION,
     "see links.c: commensal_endotoxin", "other commensals"},
    {"pathobionts", "relative density", 0.05, 0, 10, GS_ASSUMPTION,
     "see links.c: pathobiont_endotoxin", "gram-negative pathobionts"},
    {"fibre", "g/day", 15, 0, 100, GS_MEASURED, "dose.fibre", "fermentable substrate"},
    {"butyrate_dose", "mg/day", 0, 0, 4000, GS_MEASURED, "dose.butyrate",
     "oral sodium butyrate"},
};

static const gs_quantity outputs[] = {
    {"butyrate_relative", "ratio", 0, 0, 0, GS_ASSUMPTION, "butyrate / butyrate_ref",
     "colonic butyrate relative to a healthy gut"},
};

_Static_assert(GS_COUNT(states) == N_STATES, "metabolites: state table and enum differ");
_Static_assert(GS_COUNT(params) == N_PARAMS, "metabolites: parameter table and enum differ");
_Static_assert(GS_COUNT(inputs) == N_INPUTS, "metabolites: input table and enum differ");
_Static_assert(GS_COUNT(outputs) == N_OUTPUTS, "metabolites: output table and enum differ");

static double nonneg(double v) { return v > 0 ? v : 0; }

static void rhs(const double *y, const double *p, const double *in, double *dy)
{
    double fibre = nonneg(in[IN_FIBRE]);
    double fermentation = p[BUTYRATE_YIELD] * nonneg(in[IN_FERMENTERS]) * fibre /
                          (fibre + p[K_SUBSTRATE]);
    double postbiotic = nonneg(in[IN_BUTYRATE_DOSE]) * p[COLON_FRACTION] /
                        (p[MOLAR_MASS] * p[COLON_VOLUME]);
    dy[BUTYRATE] = fermentation + postbiotic - p[BUTYRATE_UPTAKE] * y[BUTYRATE];

    double gram_negative = nonneg(in[IN_PATHOBIONTS]) +
                           p[LPS_COMMENSAL_WEIGHT] * nonneg(in[IN_COMMENSALS]);
    dy[ENDOTOXIN] = p[LPS_RATE] * gram_negative - p[TRANSIT] * y[ENDOTOXIN];
}

static void output(const double *y, const double *p, double *out)
{
    out[OUT_BUTYRATE_RELATIVE] = y[BUTYRATE] / p[BUTYRATE_REF];
}

/* d dydt / d y and d dydt / d in, row-major (model.h, gs_jac_fn); where an
 * input is clamped at 0 the derivative is that of the branch taken. */
static void jac(const double *y, const double *p, const double *in, double *dfdy,
                double *dfdin)
{
    (void)y;
#define DY(i, k) dfdy[(i) * N_STATES + (k)]
#define DIN(i, j) dfdin[(i) * N_INPUTS + (j)]
    double fibre = nonneg(in[IN_FIBRE]), k = p[K_SUBSTRATE];
    DY(BUTYRATE, BUTYRATE) = -p[BUTYRATE_UPTAKE];
    DY(ENDOTOXIN, ENDOTOXIN) = -p[TRANSIT];
    if (in[IN_FERMENTERS] > 0) DIN(BUTYRATE, IN_FERMENTERS) = p[BUTYRATE_YIELD] * fibre / (fibre + k);
    if (in[IN_FIBRE] > 0)
        DIN(BUTYRATE, IN_FIBRE) =
            p[BUTYRATE_YIELD] * nonneg(in[IN_FERMENTERS]) * k / ((fibre + k) * (fibre + k));
    if (in[IN_BUTYRATE_DOSE] > 0)
        DIN(BUTYRATE, IN_BUTYRATE_DOSE) = p[COLON_FRACTION] / (p[MOLAR_MASS] * p[COLON_VOLUME]);
    if (in[IN_PATHOBIONTS] > 0) DIN(ENDOTOXIN, IN_PATHOBIONTS) = p[LPS_RATE];
    if (in[IN_COMMENSALS] > 0) DIN(ENDOTOXIN, IN_COMMENSALS) = p[LPS_RATE] * p[LPS_COMMENSAL_WEIGHT];
#undef DY
#undef DIN
}

/* d out / d y, row-major (model.h, gs_output_jac_fn). */
static void output_jac(const double *y, const double *p, double *dout)
{
    (void)y;
    dout[OUT_BUTYRATE_RELATIVE * N_STATES + BUTYRATE] = 1.0 / p[BUTYRATE_REF];
}

const gs_block gs_block_metabolites = {
    .name = "metabolites",
    .title = "colonic metabolites: butyrate and luminal endotoxin",
    .citation = "Cummings JH et al. Gut 1987;28:1221-1227 (colonic SCFA); "
                "Cummings & Macfarlane, J Appl Bacteriol 1991;70:443-459",
    .states = states, .n_states = GS_COUNT(states),
    .params = params, .n_params = GS_COUNT(params),
    .inputs = inputs, .n_inputs = GS_COUNT(inputs),
    .outputs = outputs, .n_outputs = GS_COUNT(outputs),
    .rhs = rhs,
    .output = output,
    .jac = jac,
    .output_jac = output_jac,
};
