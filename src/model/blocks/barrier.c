/*
 * barrier.c - the intestinal epithelial barrier: tight-junction integrity
 * J in [0, 1] and the permeability it implies.
 *
 * Form after Arciero et al. 2010 (PLoS ONE 5:e10066), where the epithelial
 * layer is a variable that heals toward intact and is damaged by
 * inflammation and luminal bacteria, with probiotics helping it heal:
 *
 *   dJ/dt = repair x (1 - J) - damage x J
 *   repair = repair_base + repair_butyrate B/(B + k_butyrate)
 *            + repair_zinc Zn^2/(Zn^2 + k_zinc^2) + repair_glutamine G/(G + k_glutamine)
 *            + repair_probiotic S/(S + k_probiotic)
 *   damage = damage_base + damage_inflammation I + damage_pathobionts X
 *            + damage_alcohol A/(A + k_alcohol) + damage_nsaid N/(N + k_nsaid)
 *            + damage_diet max(DII, 0)
 *
 * so J* = repair / (repair + damage) and J returns with the rate
 * repair + damage, about 1/3 per day in health (enterocyte turnover 3-5
 * days).  Outputs, from J only:
 *   permeability = floor + (1 - floor)(1 - J)/(1 - J_ref)   (1 at J_ref)
 *   lactulose_mannitol = lmr_ref x permeability
 *   zonulin = zonulin_base + zonulin_gain (1 - J)
 * The weights of each helper and each insult are assumptions (see
 * docs/model/gut.md): no paper measured them in people.  Time in days.
 *
 * The block gives its Jacobian analytically (jac, output_jac below), so
 * the solver needs no difference quotients for it (docs/solver.md).
 */
#include "gutskin/model.h"
#include "gutskin/blocks.h"

#define ARCIERO "Arciero 2010, PLoS ONE 5:e10066 (form: healing toward intact, damage by inflammation and bacteria)"
/* Healthy systemic.inflammation of the composed gut + systemic model
 * (docs/model/gut.md, "Healthy steady state"). */

enum { INTEGRITY, N_STATES };
enum { REPAIR_BASE, REPAIR_BUTYRATE, K_BUTYRATE, REPAIR_ZINC, K_ZINC,
       REPAIR_GLUTAMINE, K_GLUTAMINE, REPAIR_PROBIOTIC, K_PROBIOTIC,
       DAMAGE_BASE, DAMAGE_INFLAMMATION, DAMAGE_PATHOBIONTS, DAMAGE_ALCOHOL, K_ALCOHOL,
       DAMAGE_NSAID, K_NSAID, DAMAGE_DIET,
       INTEGRITY_REF, PERMEABILITY_FLOOR, LMR_REF, ZONULIN_BASE, ZONULIN_GAIN, N_PARAMS };
enum { IN_BUTYRATE, IN_ZINC, IN_GLUTAMINE, IN_PROBIOTIC, IN_INFLAMMATION,
       IN_PATHOBIONTS, IN_ALCOHOL, IN_NSAID, IN_DIET, N_INPUTS };
enum { OUT_PERMEABILITY, OUT_LMR, OUT_ZONULIN, N_OUTPUTS };

static const gs_quantity states[] = {
    {"integrity", "fraction", 0.9, 0, 1, GS_ASSUMPTION,
     "assumption: a healthy barrier at 0.9 of intact", "tight-junction integrity J"},
};

static const gs_quantity params[] = {
    {"repair_base", "1/day", 0.1, 0, 10, GS_ASSUMPTION,
     "assumption: with the helpers, repair + damage about 1/3 per day "
     "(enterocyte turnover 3-5 days, van der Flier & Clevers 2009, Annu Rev Physiol 71:241)",
     "repair rate without butyrate, zinc, glutamine or probiotic"},
    {"repair_butyrate", "1/day", 0.2, 0, 10, GS_ASSUMPTION,
     "assumption: direction from Peng 2009 (J Nutr 139:1619), butyrate assembles tight junctions",
     "maximal extra repair from butyrate"},
    {"k_butyrate", "mM", 10, 0.1, 100, GS_ASSUMPTION,
     "assumption: half effect below the healthy 15-20 mM", "half-effect butyrate"},
    {"repair_zinc", "1/day", 0.1, 0, 10, GS_ASSUMPTION,
     "assumption: direction from Sturniolo 2001 (Inflamm Bowel Dis 7:94), zinc repairs leaky gut",
     "maximal extra repair from zinc"},
    {"k_zinc", "umol/L", 8, 0.1, 50, GS_ASSUMPTION,
     "assumption: half effect at the deficiency threshold (serum zinc below about 10 umol/L)",
     "half-effect serum zinc (Hill exponent 2)"},
    {"repair_glutamine", "1/day", 0.1, 0, 10, GS_ASSUMPTION,
     "assumption: size so 15 g/day lowers permeability about 20-30% "
     "(Zhou 2019, Gut 68:996, lactulose/mannitol fell on 15 g/day)",
     "maximal extra repair from glutamine"},
    {"k_glutamine", "g/day", 10, 0.1, 100, GS_ASSUMPTION,
     "assumption", "half-effect glutamine dose"},
    {"repair_probiotic", "1/day", 0.5562, 0, 10, GS_FITTED,
     "fitted to barrier-probiotic-zonulin, barrier-probiotic-lps, ad-probiotic (docs/calibration.md)",
     "maximal extra repair from the probiotic strain"},
    {"k_probiotic", "relative density", 0.05, 1e-4, 10, GS_ASSUMPTION,
     "assumption: half effect at the density of a 10e9 CFU/day dose",
     "half-effect probiotic density"},
    {"damage_base", "1/day", 0.0208, 0, 10, GS_ASSUMPTION,
     "assumption: chosen so the healthy gut has J = 0.9",
     "damage from everyday wear"},
    {"damage_inflammation", "1/day per N*-unit", 1.0, 0, 100, GS_ASSUMPTION,
     "assumption: direction from Ma 2004 (Am J Physiol GI 286:G367), TNF opens tight junctions",
     "damage per unit of systemic inflammation"},
    {"damage_pathobionts", "1/day per density", 0.2, 0, 100, GS_ASSUMPTION,
     "assumption: pathobionts and their LPS disrupt tight junctions",
     "damage per pathobiont density"},
    {"damage_alcohol", "1/day", 0.1, 0, 10, GS_ASSUMPTION,
     "assumption: direction from Bjarnason 1984 (Lancet 1:179), alcohol raises permeability",
     "maximal damage from alcohol"},
    {"k_alcohol", "g/day", 40, 1, 500, GS_ASSUMPTION,
     "assumption: half effect at about four drinks a day", "half-effect alcohol intake"},
    {"damage_nsaid", "1/day", 0.15, 0, 10, GS_ASSUMPTION,
     "assumption: size so 1200 mg/day raises permeability about 2.4-fold "
     "(Bjarnason 1993, Gastroenterology 104:1832)",
     "maximal damage from NSAIDs"},
    {"k_nsaid", "mg/day", 1200, 1, 10000, GS_ASSUMPTION,
     "assumption: half effect at a usual anti-inflammatory dose", "half-effect NSAID dose"},
    {"damage_diet", "1/day per DII unit", 0.003, 0, 1, GS_ASSUMPTION,
     "assumption: direction from Chassaing 2015 (Nature 519:92), emulsifiers thin the mucus",
     "damage per unit of pro-inflammatory diet (DII above 0)"},
    {"integrity_ref", "fraction", 0.9, 0.01, 0.99, GS_ASSUMPTION,
     "assumption: the healthy integrity", "integrity at which permeability is 1"},
    {"permeability_floor", "relative", 0.2, 0, 1, GS_ASSUMPTION,
     "assumption: transcellular and pore-pathway flux remain with intact junctions",
     "permeability of a fully intact barrier"},
    {"lmr_ref", "ratio", 0.025, 0.001, 1, GS_MEASURED,
     "Camilleri 2019, Gut 68:1516: healthy urinary lactulose/mannitol about 0.01-0.03",
     "lactulose/mannitol ratio at healthy permeability"},
    {"zonulin_base", "ng/mL", 1, 0, 200, GS_FITTED,
     "tied to barrier.zonulin_gain (30 + -0.1 * it) so that the healthy zonulin proxy stays 30 ng/mL at integrity 0.9 (docs/model/gut.md); fitted to barrier-probiotic-zonulin (docs/calibration.md)",
     "zonulin proxy of a fully intact barrier"},
    {"zonulin_gain", "ng/mL per unit of 1 - J", 290, 0, 2000, GS_FITTED,
     "fitted to barrier-probiotic-zonulin (docs/calibration.md)",
     "rise of the zonulin proxy as integrity falls"},
};

static const gs_quantity inputs[] = {
    {"butyrate", "mM", 17, 0, 200, GS_ASSUMPTION, "see links.c: butyrate_repair",
     "colonic butyrate"},
    {"zinc", "umol/L", 14, 0, 100, GS_ASSUMPTION, "see links.c: zinc_repair", "serum zinc"},
    {"glutamine", "g/day", 0, 0, 30, GS_ASSUMPTION, "see links.c: glutamine_repair",
     "glutamine supplement"},
    {"probiotic", "relative density", 0, 0, 10, GS_ASSUMPTION,
     "see links.c: probiotic_repair", "the probiotic strain"},
    {"inflammation", "N* units", GS_INFLAMMATION_HEALTHY, 0, 100, GS_ASSUMPTION,
     "see links.c: inflammation_damages_barrier", "systemic inflammation"},
    {"pathobionts", "relative density", 0.05, 0, 10, GS_ASSUMPTION,
     "see links.c: pathobiont_damage", "gram-negative pathobionts"},
    {"alcohol", "g/day", 0, 0, 200, GS_ASSUMPTION, "see links.c: alcohol_damage",
     "alcohol intake"},
    {"nsaid", "mg/day", 0, 0, 3200, GS_ASSUMPTION, "see links.c: nsaid_damage",
     "NSAID dose"},
    {"inflammatory_food", "DII units", 0, -8, 8, GS_ASSUMPTION, "see links.c: diet_damage",
     "dietary inflammatory index"},
};

static const gs_quantity outputs[] = {
    {"permeability", "relative (1 = healthy)", 0, 0, 0, GS_ASSUMPTION,
     "floor + (1 - floor)(1 - J)/(1 - integrity_ref)",
     "paracellular permeability"},
    {"lactulose_mannitol", "ratio", 0, 0, 0, GS_ASSUMPTION, "lmr_ref x permeability",
     "urinary lactulose/mannitol ratio proxy"},
    {"zonulin", "ng/mL", 0, 0, 0, GS_ASSUMPTION, "zonulin_base + zonulin_gain (1 - J)",
     "serum zonulin proxy"},
};

_Static_assert(GS_COUNT(states) == N_STATES, "barrier: state table and enum differ");
_Static_assert(GS_COUNT(params) == N_PARAMS, "barrier: parameter table and enum differ");
_Static_assert(GS_COUNT(inputs) == N_INPUTS, "barrier: input table and enum differ");
_Static_assert(GS_COUNT(outputs) == N_OUTPUTS, "barrier: output table and enum differ");

static double nonneg(double v) { return v > 0 ? v : 0; }
static double saturating(double v, double k) { v = nonneg(v); return v / (v + k); }

static void rhs(const double *y, const double *p, const double *in, double *dy)
{
    double zinc = nonneg(in[IN_ZINC]);
    double zinc2 = zinc * zinc;
    double repair = p[REPAIR_BASE]
                    + p[REPAIR_BUTYRATE] * saturating(in[IN_BUTYRATE], p[K_BUTYRATE])
                    + p[REPAIR_ZINC] * zinc2 / (zinc2 + p[K_ZINC] * p[K_ZINC])
                    + p[REPAIR_GLUTAMINE] * saturating(in[IN_GLUTAMINE], p[K_GLUTAMINE])
                    + p[REPAIR_PROBIOTIC] * saturating(in[IN_PROBIOTIC], p[K_PROBIOTIC]);
    double damage = p[DAMAGE_BASE]
                    + p[DAMAGE_INFLAMMATION] * nonneg(in[IN_INFLAMMATION])
                    + p[DAMAGE_PATHOBIONTS] * nonneg(in[IN_PATHOBIONTS])
                    + p[DAMAGE_ALCOHOL] * saturating(in[IN_ALCOHOL], p[K_ALCOHOL])
                    + p[DAMAGE_NSAID] * saturating(in[IN_NSAID], p[K_NSAID])
                    + p[DAMAGE_DIET] * nonneg(in[IN_DIET]);
    dy[INTEGRITY] = repair * (1.0 - y[INTEGRITY]) - damage * y[INTEGRITY];
}

static void output(const double *y, const double *p, double *out)
{
    double leak = (1.0 - y[INTEGRITY]) / (1.0 - p[INTEGRITY_REF]);
    double perm = p[PERMEABILITY_FLOOR] + (1.0 - p[PERMEABILITY_FLOOR]) * nonneg(leak);
    out[OUT_PERMEABILITY] = perm;
    out[OUT_LMR] = p[LMR_REF] * perm;
    out[OUT_ZONULIN] = p[ZONULIN_BASE] + p[ZONULIN_GAIN] * nonneg(1.0 - y[INTEGRITY]);
}

/* d v/(v + k) / d v for v > 0 (0 on the clamped branch). */
static double saturating_slope(double v, double k) { return v > 0 ? k / ((v + k) * (v + k)) : 0; }

/* d dydt / d y and d dydt / d in, row-major (model.h, gs_jac_fn):
 * dJ/dt = repair (1 - J) - damage J, so d/dJ = -(repair + damage) and
 * d/d in = (1 - J) d repair/d in - J d damage/d in. */
static void jac(const double *y, const double *p, const double *in, double *dfdy,
                double *dfdin)
{
    double zinc = nonneg(in[IN_ZINC]);
    double zinc2 = zinc * zinc, kz2 = p[K_ZINC] * p[K_ZINC];
    double repair = p[REPAIR_BASE]
                    + p[REPAIR_BUTYRATE] * saturating(in[IN_BUTYRATE], p[K_BUTYRATE])
                    + p[REPAIR_ZINC] * zinc2 / (zinc2 + kz2)
                    + p[REPAIR_GLUTAMINE] * saturating(in[IN_GLUTAMINE], p[K_GLUTAMINE])
                    + p[REPAIR_PROBIOTIC] * saturating(in[IN_PROBIOTIC], p[K_PROBIOTIC]);
    double damage = p[DAMAGE_BASE]
                    + p[DAMAGE_INFLAMMATION] * nonneg(in[IN_INFLAMMATION])
                    + p[DAMAGE_PATHOBIONTS] * nonneg(in[IN_PATHOBIONTS])
                    + p[DAMAGE_ALCOHOL] * saturating(in[IN_ALCOHOL], p[K_ALCOHOL])
                    + p[DAMAGE_NSAID] * saturating(in[IN_NSAID], p[K_NSAID])
                    + p[DAMAGE_DIET] * nonneg(in[IN_DIET]);
    double open = 1.0 - y[INTEGRITY], j = y[INTEGRITY];
    dfdy[INTEGRITY] = -(repair + damage);
    double *d = dfdin + INTEGRITY * N_INPUTS;
    d[IN_BUTYRATE] = open * p[REPAIR_BUTYRATE] * saturating_slope(in[IN_BUTYRATE], p[K_BUTYRATE]);
    if (in[IN_ZINC] > 0)
        d[IN_ZINC] = open * p[REPAIR_ZINC] * 2.0 * zinc * kz2 / ((zinc2 + kz2) * (zinc2 + kz2));
    d[IN_GLUTAMINE] =
        open * p[REPAIR_GLUTAMINE] * saturating_slope(in[IN_GLUTAMINE], p[K_GLUTAMINE]);
    d[IN_PROBIOTIC] =
        open * p[REPAIR_PROBIOTIC] * saturating_slope(in[IN_PROBIOTIC], p[K_PROBIOTIC]);
    if (in[IN_INFLAMMATION] > 0) d[IN_INFLAMMATION] = -j * p[DAMAGE_INFLAMMATION];
    if (in[IN_PATHOBIONTS] > 0) d[IN_PATHOBIONTS] = -j * p[DAMAGE_PATHOBIONTS];
    d[IN_ALCOHOL] = -j * p[DAMAGE_ALCOHOL] * saturating_slope(in[IN_ALCOHOL], p[K_ALCOHOL]);
    d[IN_NSAID] = -j * p[DAMAGE_NSAID] * saturating_slope(in[IN_NSAID], p[K_NSAID]);
    if (in[IN_DIET] > 0) d[IN_DIET] = -j * p[DAMAGE_DIET];
}

/* d out / d y, row-major (model.h, gs_output_jac_fn); one state, so one
 * column. */
static void output_jac(const double *y, const double *p, double *dout)
{
    double dperm = 0.0;
    if (1.0 - y[INTEGRITY] > 0)  /* the leak is not clamped */
        dperm = -(1.0 - p[PERMEABILITY_FLOOR]) / (1.0 - p[INTEGRITY_REF]);
    dout[OUT_PERMEABILITY] = dperm;
    dout[OUT_LMR] = p[LMR_REF] * dperm;
    dout[OUT_ZONULIN] = 1.0 - y[INTEGRITY] > 0 ? -p[ZONULIN_GAIN] : 0.0;
}

const gs_block gs_block_barrier = {
    .name = "barrier",
    .title = "intestinal barrier: tight-junction integrity and permeability",
    .citation = "Arciero JC et al. PLoS ONE 2010;5:e10066, doi:10.1371/journal.pone.0010066",
    .states = states, .n_states = GS_COUNT(states),
    .params = params, .n_params = GS_COUNT(params),
    .inputs = inputs, .n_inputs = GS_COUNT(inputs),
    .outputs = outputs, .n_outputs = GS_COUNT(outputs),
    .rhs = rhs,
    .output = output,
    .jac = jac,
    .output_jac = output_jac,
};
