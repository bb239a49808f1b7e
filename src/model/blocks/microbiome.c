/*
 * microbiome.c - the gut microbiome as four functional groups in the
 * generalised Lotka-Volterra form of Stein et al. 2013 (PLoS Comput Biol
 * 9:e1003388):
 *
 *     dx_i/dt = x_i (mu_i(diet) + sum_j M_ij x_j - eps_i u(t)) + seed_i
 *
 * with x = (fermenters, commensals, pathobionts) in relative densities (a
 * healthy total of about 1), growth rates mu_i shifted by the diet, an
 * interaction matrix M (self-limitation on the diagonal, competition off
 * it) and antibiotic susceptibilities eps_i acting on the dose u(t), as in
 * Stein 2013.  A small seeding term stands for re-colonisation from food
 * and the environment; it keeps every group recoverable after an
 * antibiotic course and every state positive.
 *
 * The dosed probiotic strain does not colonise an adult gut: it enters at
 * a rate proportional to the dose (saturating at very high doses), washes
 * out within days and competes with pathobionts.
 *
 * Numbers: the structure is Stein 2013; the values of mu and M are ours,
 * chosen so that the usual Western diet gives the healthy composition
 * (docs/model/gut.md), and are labelled assumptions.  Time is in days.
 *
 * The block gives its Jacobian analytically (jac, output_jac below), so
 * the solver needs no difference quotients for it (docs/solver.md).
 */
#include "gutskin/model.h"
#include "gutskin/blocks.h"

#define STEIN "Stein 2013, PLoS Comput Biol 9:e1003388 (gLV form)"
#define ASSUMED_M "assumption: competition chosen so the usual diet gives the healthy composition"

enum { FERMENTERS, COMMENSALS, PATHOBIONTS, PROBIOTIC };
enum { MU_F, MU_C, MU_B, FIBRE_REF, K_FIBRE, FIBRE_FLOOR,
       GL_PATHOBIONTS, GL_REF, ALCOHOL_PATHOBIONTS, DII_PATHOBIONTS,
       M_FF, M_FC, M_FB, M_CF, M_CC, M_CB, M_BF, M_BC, M_BB, M_BS,
       SEED,
       EPS_AB_F, EPS_AB_C, EPS_AB_B, EPS_AB_S,
       RIF_F, RIF_C, RIF_B, RIF_REF,
       PROBIOTIC_INTAKE_MAX, PROBIOTIC_HALF_DOSE, PROBIOTIC_WASHOUT, N_PARAMS };
enum { IN_FIBRE, IN_GL, IN_ALCOHOL, IN_DII, IN_PROBIOTIC, IN_ANTIBIOTIC, IN_RIFAXIMIN,
       N_INPUTS };
enum { OUT_TOTAL, OUT_DYSBIOSIS, N_OUTPUTS };

static const gs_quantity states[] = {
    {"fermenters", "relative density", 0.30, 0, 10, GS_ASSUMPTION,
     "assumption: butyrate producers (Faecalibacterium, Roseburia, ...) about 30% of a healthy total",
     "fibre-fermenting butyrate producers"},
    {"commensals", "relative density", 0.62, 0, 10, GS_ASSUMPTION,
     "assumption: the rest of a healthy community",
     "other commensals (Bacteroides, ...)"},
    {"pathobionts", "relative density", 0.05, 0, 10, GS_ASSUMPTION,
     "assumption: Proteobacteria (mostly Enterobacteriaceae) a few percent in health",
     "gram-negative pathobionts (Enterobacteriaceae, ...)"},
    {"probiotic", "relative density", 0, 0, 10, GS_ASSUMPTION,
     "assumption: absent unless dosed", "the dosed probiotic strain"},
};

static const gs_quantity params[] = {
    {"mu_fermenters", "1/day", 0.7747, 0, 10, GS_ASSUMPTION, ASSUMED_M,
     "net growth rate of fermenters on the usual fibre intake"},
    {"mu_commensals", "1/day", 0.7248, 0, 10, GS_ASSUMPTION, ASSUMED_M,
     "net growth rate of other commensals"},
    {"mu_pathobionts", "1/day", 0.868, 0, 10, GS_ASSUMPTION, ASSUMED_M,
     "net growth rate of pathobionts on the usual diet"},
    {"fibre_ref", "g/day", 15, 1, 100, GS_MEASURED,
     "usual Western intake about 15 g/day (interventions.c)",
     "fibre intake at which mu_fermenters applies"},
    {"k_fibre", "g/day", 15, 0.1, 200, GS_ASSUMPTION,
     "assumption: fermenters' growth half-saturates at the usual intake",
     "half-saturation of fermenters' growth in fibre"},
    {"fibre_floor", "fraction", 0.3, 0, 1, GS_ASSUMPTION,
     "assumption: mucus glycans and resistant starch keep some growth without fibre",
     "fermenters' growth without dietary fibre, as a fraction of the usual"},
    {"gl_pathobionts", "1/day", 0.05, 0, 2, GS_ASSUMPTION,
     "assumption: direction from high-sugar diets favouring Proteobacteria (small)",
     "extra pathobiont growth per usual glycaemic load above the usual"},
    {"gl_ref", "GL units/day", 150, 1, 400, GS_MEASURED,
     "usual glycaemic load about 150 (interventions.c; Smith 2007)",
     "usual glycaemic load"},
    {"alcohol_pathobionts", "1/day per g/day", 0.004, 0, 0.1, GS_ASSUMPTION,
     "assumption: direction from Mutlu 2012 (Am J Physiol GI 302:G966), alcohol dysbiosis",
     "extra pathobiont growth per gram of alcohol a day"},
    {"dii_pathobionts", "1/day per DII unit", 0.03, 0, 1, GS_ASSUMPTION,
     "assumption: direction from Western-diet and emulsifier studies (Chassaing 2015)",
     "extra pathobiont growth per unit of dietary inflammatory index"},
    {"m_ff", "1/day per density", -1.5, -20, 0, GS_ASSUMPTION, ASSUMED_M,
     "self-limitation of fermenters (M_ff)"},
    {"m_fc", "1/day per density", -0.5, -20, 20, GS_ASSUMPTION, ASSUMED_M,
     "effect of commensals on fermenters (M_fc)"},
    {"m_fb", "1/day per density", -0.3, -20, 20, GS_ASSUMPTION, ASSUMED_M,
     "effect of pathobionts on fermenters (M_fb)"},
    {"m_cf", "1/day per density", -0.3, -20, 20, GS_ASSUMPTION, ASSUMED_M,
     "effect of fermenters on commensals (M_cf)"},
    {"m_cc", "1/day per density", -1.0, -20, 0, GS_ASSUMPTION, ASSUMED_M,
     "self-limitation of commensals (M_cc)"},
    {"m_cb", "1/day per density", -0.3, -20, 20, GS_ASSUMPTION, ASSUMED_M,
     "effect of pathobionts on commensals (M_cb)"},
    {"m_bf", "1/day per density", -0.5, -20, 20, GS_ASSUMPTION,
     "assumption: butyrate producers keep the colon anaerobic, against Enterobacteriaceae (Byndloss 2017)",
     "effect of fermenters on pathobionts (M_bf)"},
    {"m_bc", "1/day per density", -1.0, -20, 20, GS_ASSUMPTION,
     "assumption: colonisation resistance by the commensal community",
     "effect of commensals on pathobionts (M_bc)"},
    {"m_bb", "1/day per density", -2.0, -20, 0, GS_ASSUMPTION, ASSUMED_M,
     "self-limitation of pathobionts (M_bb)"},
    {"m_bs", "1/day per density", -0.05369, -20, 0, GS_FITTED,
     "fitted to barrier-probiotic-lps (docs/calibration.md)",
     "effect of the probiotic strain on pathobionts (M_bs)"},
    {"seed", "density/day", 1e-4, 0, 0.1, GS_ASSUMPTION,
     "assumption: re-colonisation from food and environment",
     "seeding of each resident group"},
    {"eps_antibiotic_fermenters", "1/day per full course", 2.0, 0, 20, GS_ASSUMPTION,
     "assumption: strict anaerobes very susceptible (Stein 2013 eps form; Dethlefsen 2011)",
     "antibiotic kill rate of fermenters"},
    {"eps_antibiotic_commensals", "1/day per full course", 1.5, 0, 20, GS_ASSUMPTION,
     "assumption (Stein 2013 eps form)", "antibiotic kill rate of commensals"},
    {"eps_antibiotic_pathobionts", "1/day per full course", 0.5, 0, 20, GS_ASSUMPTION,
     "assumption: Enterobacteriaceae often resistant and bloom after antibiotics",
     "antibiotic kill rate of pathobionts"},
    {"eps_antibiotic_probiotic", "1/day per full course", 2.0, 0, 20, GS_ASSUMPTION,
     "assumption (Stein 2013 eps form)", "antibiotic kill rate of the probiotic strain"},
    {"rifaximin_fermenters", "1/day at rifaximin_ref", 0.05, 0, 20, GS_ASSUMPTION,
     "assumption: rifaximin is gut-local and spares colonic commensals (eubiotic)",
     "rifaximin kill rate of fermenters"},
    {"rifaximin_commensals", "1/day at rifaximin_ref", 0.05, 0, 20, GS_ASSUMPTION,
     "assumption: rifaximin spares most commensals", "rifaximin kill rate of commensals"},
    {"rifaximin_pathobionts", "1/day at rifaximin_ref", 0.6, 0, 20, GS_ASSUMPTION,
     "assumption: acts mostly on small-intestinal gram-negative overgrowth",
     "rifaximin kill rate of pathobionts"},
    {"rifaximin_ref", "mg/day", 1200, 1, 2000, GS_MEASURED,
     "Parodi 2008 (Clin Gastroenterol Hepatol 6:759): 1200 mg/day for 10 days",
     "reference rifaximin dose of the kill rates"},
    {"probiotic_intake_max", "density/day", 0.1, 0, 10, GS_ASSUMPTION,
     "assumption: 10e9 CFU/day gives a strain density of about 5% of the total",
     "maximal entry rate of the probiotic strain"},
    {"probiotic_half_dose", "1e9 CFU/day", 50, 0.1, 1e4, GS_ASSUMPTION,
     "assumption: entry proportional to dose up to about 50e9 CFU/day",
     "dose at half the maximal entry rate"},
    {"probiotic_washout", "1/day", 0.35, 0.01, 10, GS_ASSUMPTION,
     "order of magnitude from Alander 1999 (Appl Environ Microbiol 65:351): "
     "faecal recovery falls within days of stopping, half-life about 2 days",
     "wash-out rate of the probiotic strain"},
};

static const gs_quantity inputs[] = {
    {"fibre", "g/day", 15, 0, 100, GS_MEASURED, "dose.fibre", "dietary fibre"},
    {"glycaemic_load", "GL units/day", 150, 0, 400, GS_MEASURED, "dose.glycaemic_load",
     "daily glycaemic load"},
    {"alcohol", "g/day", 0, 0, 200, GS_MEASURED, "dose.alcohol", "alcohol intake"},
    {"inflammatory_food", "DII units", 0, -8, 8, GS_MEASURED, "dose.inflammatory_food",
     "dietary inflammatory index"},
    {"probiotic", "1e9 CFU/day", 0, 0, 1000, GS_MEASURED, "dose.probiotic",
     "probiotic dose"},
    {"antibiotic", "fraction of a full course", 0, 0, 1, GS_MEASURED, "dose.antibiotic",
     "broad-spectrum antibiotic"},
    {"rifaximin", "mg/day", 0, 0, 1650, GS_MEASURED, "dose.rifaximin",
     "gut-local antibiotic"},
};

static const gs_quantity outputs[] = {
    {"total", "relative density", 0, 0, 0, GS_ASSUMPTION, "sum of the four groups",
     "total bacterial density (about 1 in health)"},
    {"dysbiosis", "ratio", 0, 0, 0, GS_ASSUMPTION,
     "pathobionts / (fermenters + commensals)",
     "pathobiont-to-commensal ratio (about 0.05 in health)"},
};

_Static_assert(GS_COUNT(states) == PROBIOTIC + 1, "microbiome: state table and enum differ");
_Static_assert(GS_COUNT(params) == N_PARAMS, "microbiome: parameter table and enum differ");
_Static_assert(GS_COUNT(inputs) == N_INPUTS, "microbiome: input table and enum differ");
_Static_assert(GS_COUNT(outputs) == N_OUTPUTS, "microbiome: output table and enum differ");

/* Fermenters' growth relative to the usual diet: a floor plus a saturating
 * dependence on fibre, equal to 1 at fibre_ref. */
static double fibre_factor(double fibre, const double *p)
{
    double f = fibre > 0 ? fibre : 0;
    double sat = f / (f + p[K_FIBRE]);
    double sat_ref = p[FIBRE_REF] / (p[FIBRE_REF] + p[K_FIBRE]);
    return p[FIBRE_FLOOR] + (1.0 - p[FIBRE_FLOOR]) * sat / sat_ref;
}

static void rhs(const double *y, const double *p, const double *in, double *dy)
{
    double f = y[FERMENTERS], c = y[COMMENSALS], b = y[PATHOBIONTS], s = y[PROBIOTIC];
    double ab = in[IN_ANTIBIOTIC];
    double rif = in[IN_RIFAXIMIN] / p[RIF_REF];

    double mu_f = p[MU_F] * fibre_factor(in[IN_FIBRE], p);
    double mu_c = p[MU_C];
    double mu_b = p[MU_B] + p[GL_PATHOBIONTS] * (in[IN_GL] - p[GL_REF]) / p[GL_REF]
                  + p[ALCOHOL_PATHOBIONTS] * in[IN_ALCOHOL]
                  + p[DII_PATHOBIONTS] * in[IN_DII];

    double g_f = mu_f + p[M_FF] * f + p[M_FC] * c + p[M_FB] * b
                 - p[EPS_AB_F] * ab - p[RIF_F] * rif;
    double g_c = mu_c + p[M_CF] * f + p[M_CC] * c + p[M_CB] * b
                 - p[EPS_AB_C] * ab - p[RIF_C] * rif;
    double g_b = mu_b + p[M_BF] * f + p[M_BC] * c + p[M_BB] * b + p[M_BS] * s
                 - p[EPS_AB_B] * ab - p[RIF_B] * rif;

    dy[FERMENTERS] = f * g_f + p[SEED];
    dy[COMMENSALS] = c * g_c + p[SEED];
    dy[PATHOBIONTS] = b * g_b + p[SEED];

    double dose = in[IN_PROBIOTIC] > 0 ? in[IN_PROBIOTIC] : 0;
    double entry = p[PROBIOTIC_INTAKE_MAX] * dose / (dose + p[PROBIOTIC_HALF_DOSE]);
    dy[PROBIOTIC] = entry - (p[PROBIOTIC_WASHOUT] + p[EPS_AB_S] * ab) * s;
}

static void output(const double *y, const double *p, double *out)
{
    (void)p;
    double good = y[FERMENTERS] + y[COMMENSALS];
    out[OUT_TOTAL] = good + y[PATHOBIONTS] + y[PROBIOTIC];
    out[OUT_DYSBIOSIS] = y[PATHOBIONTS] / (good > 1e-12 ? good : 1e-12);
}

/* d dydt / d y and d dydt / d in, row-major (model.h, gs_jac_fn): the
 * derivatives of the equations above term by term.  Where the right-hand
 * side clamps a dose at 0 the derivative is that of the branch taken. */
static void jac(const double *y, const double *p, const double *in, double *dfdy,
                double *dfdin)
{
    enum { NS = PROBIOTIC + 1, NI = N_INPUTS };
#define DY(i, k) dfdy[(i) * NS + (k)]
#define DIN(i, j) dfdin[(i) * NI + (j)]
    double f = y[FERMENTERS], c = y[COMMENSALS], b = y[PATHOBIONTS], s = y[PROBIOTIC];
    double ab = in[IN_ANTIBIOTIC];
    double rif = in[IN_RIFAXIMIN] / p[RIF_REF];
    double mu_f = p[MU_F] * fibre_factor(in[IN_FIBRE], p);
    double mu_b = p[MU_B] + p[GL_PATHOBIONTS] * (in[IN_GL] - p[GL_REF]) / p[GL_REF]
                  + p[ALCOHOL_PATHOBIONTS] * in[IN_ALCOHOL]
                  + p[DII_PATHOBIONTS] * in[IN_DII];
    double g_f = mu_f + p[M_FF] * f + p[M_FC] * c + p[M_FB] * b
                 - p[EPS_AB_F] * ab - p[RIF_F] * rif;
    double g_c = p[MU_C] + p[M_CF] * f + p[M_CC] * c + p[M_CB] * b
                 - p[EPS_AB_C] * ab - p[RIF_C] * rif;
    double g_b = mu_b + p[M_BF] * f + p[M_BC] * c + p[M_BB] * b + p[M_BS] * s
                 - p[EPS_AB_B] * ab - p[RIF_B] * rif;

    /* x_i g_i: d/dx_j = delta_ij g_i + x_i M_ij */
    DY(FERMENTERS, FERMENTERS) = g_f + f * p[M_FF];
    DY(FERMENTERS, COMMENSALS) = f * p[M_FC];
    DY(FERMENTERS, PATHOBIONTS) = f * p[M_FB];
    DY(COMMENSALS, FERMENTERS) = c * p[M_CF];
    DY(COMMENSALS, COMMENSALS) = g_c + c * p[M_CC];
    DY(COMMENSALS, PATHOBIONTS) = c * p[M_CB];
    DY(PATHOBIONTS, FERMENTERS) = b * p[M_BF];
    DY(PATHOBIONTS, COMMENSALS) = b * p[M_BC];
    DY(PATHOBIONTS, PATHOBIONTS) = g_b + b * p[M_BB];
    DY(PATHOBIONTS, PROBIOTIC) = b * p[M_BS];
    DY(PROBIOTIC, PROBIOTIC) = -(p[PROBIOTIC_WASHOUT] + p[EPS_AB_S] * ab);

    /* fibre_factor: floor + (1 - floor) (F/(F + k)) / sat_ref, F > 0 */
    if (in[IN_FIBRE] > 0) {
        double k = p[K_FIBRE], fib = in[IN_FIBRE];
        double sat_ref = p[FIBRE_REF] / (p[FIBRE_REF] + k);
        DIN(FERMENTERS, IN_FIBRE) =
            f * p[MU_F] * (1.0 - p[FIBRE_FLOOR]) * k / ((fib + k) * (fib + k)) / sat_ref;
    }
    DIN(PATHOBIONTS, IN_GL) = b * p[GL_PATHOBIONTS] / p[GL_REF];
    DIN(PATHOBIONTS, IN_ALCOHOL) = b * p[ALCOHOL_PATHOBIONTS];
    DIN(PATHOBIONTS, IN_DII) = b * p[DII_PATHOBIONTS];
    if (in[IN_PROBIOTIC] > 0) {
        double h = p[PROBIOTIC_HALF_DOSE], d = in[IN_PROBIOTIC];
        DIN(PROBIOTIC, IN_PROBIOTIC) = p[PROBIOTIC_INTAKE_MAX] * h / ((d + h) * (d + h));
    }
    DIN(FERMENTERS, IN_ANTIBIOTIC) = -f * p[EPS_AB_F];
    DIN(COMMENSALS, IN_ANTIBIOTIC) = -c * p[EPS_AB_C];
    DIN(PATHOBIONTS, IN_ANTIBIOTIC) = -b * p[EPS_AB_B];
    DIN(PROBIOTIC, IN_ANTIBIOTIC) = -p[EPS_AB_S] * s;
    DIN(FERMENTERS, IN_RIFAXIMIN) = -f * p[RIF_F] / p[RIF_REF];
    DIN(COMMENSALS, IN_RIFAXIMIN) = -c * p[RIF_C] / p[RIF_REF];
    DIN(PATHOBIONTS, IN_RIFAXIMIN) = -b * p[RIF_B] / p[RIF_REF];
#undef DY
#undef DIN
}

/* d out / d y, row-major (model.h, gs_output_jac_fn). */
static void output_jac(const double *y, const double *p, double *dout)
{
    (void)p;
    enum { NS = PROBIOTIC + 1 };
    for (int k = 0; k < NS; k++) dout[OUT_TOTAL * NS + k] = 1.0;
    double good = y[FERMENTERS] + y[COMMENSALS];
    if (good > 1e-12) {
        dout[OUT_DYSBIOSIS * NS + FERMENTERS] = -y[PATHOBIONTS] / (good * good);
        dout[OUT_DYSBIOSIS * NS + COMMENSALS] = -y[PATHOBIONTS] / (good * good);
        dout[OUT_DYSBIOSIS * NS + PATHOBIONTS] = 1.0 / good;
    } else {
        dout[OUT_DYSBIOSIS * NS + PATHOBIONTS] = 1e12;
    }
}

const gs_block gs_block_microbiome = {
    .name = "microbiome",
    .title = "gut microbiome: four functional groups, generalised Lotka-Volterra",
    .citation = "Stein RR et al. PLoS Comput Biol 2013;9:e1003388, doi:10.1371/journal.pcbi.1003388",
    .states = states, .n_states = GS_COUNT(states),
    .params = params, .n_params = GS_COUNT(params),
    .inputs = inputs, .n_inputs = GS_COUNT(inputs),
    .outputs = outputs, .n_outputs = GS_COUNT(outputs),
    .rhs = rhs,
    .output = output,
    .jac = jac,
    .output_jac = output_jac,
};
