/*
 * skin_acne.c - acne vulgaris as four coupled pools: sebum, comedones,
 * Cutibacterium acnes and inflammatory lesions (papules and pustules).
 *
 * No published ODE model of acne lesions exists, so the structure follows
 * the accepted pathogenesis (Williams, Dellavalle & Garner 2012, Lancet
 * 379:361): androgen- and IGF-1-driven sebum production, follicular
 * hyperkeratinisation forming (micro)comedones, C. acnes growing on sebum,
 * and inflammation of the follicle.  Every rate and gain is a labelled
 * assumption except e_igf, fitted to the low-GL trial of Smith 2007 through
 * the hormones block (docs/model/skin.md), and all are scaled so that the
 * default person has moderate acne with
 * about 25 inflammatory and 35 non-inflammatory lesions on the face (about
 * 60 in total, as at baseline in Smith 2007, Am J Clin Nutr 86:107), and
 * so that lesion counts move over the weeks of a 12-week trial.
 *
 *   sebum'      = k_sebum (igf1^e_igf - sebum)
 *   comedones'  = k_comedo_clear (comedones_ref sebum keratinisation - comedones)
 *   c_acnes'    = r_acnes c_acnes (1 - c_acnes / capacity),
 *                 capacity = acnes_floor + (1 - acnes_floor) sebum
 *   lesions'    = k_lesion_resolve (lesions_ref (comedones/comedones_ref)
 *                   c_acnes inflammation_factor calming - lesions)
 * with
 *   keratinisation      = (1 + g_va) / (1 + g_va vitamin_a / vitamin_a_ref)
 *   inflammation_factor = (1 + g_infl inflammation) / (1 + g_infl inflammation_ref)
 *   calming             = exp(-g_zinc (zinc/zinc_ref - 1)) exp(-g_o3 (omega3/omega3_ref - 1))
 * Each factor is 1 at the input's healthy default, positive and monotone,
 * so the default person sits at a steady state and the directions are
 * those of the evidence: IGF-1 raises sebum (Melnik 2009, Exp Dermatol
 * 18:833; Smith 2008, J Dermatol Sci 50:41), vitamin A normalises
 * follicular keratinisation, zinc (Yee 2020, Dermatol Ther 33:e14252) and
 * omega-3 (Jung 2014, Acta Derm Venereol 94:521) calm inflammatory
 * lesions, and systemic inflammation worsens them.
 *
 * The block gives its Jacobian analytically (jac, output_jac below), so
 * the solver needs no difference quotients for it (docs/solver.md).
 */
#include "gutskin/model.h"
#include "gutskin/blocks.h"

#include <math.h>


enum { SEBUM, COMEDONES, C_ACNES, LESIONS };
enum { K_SEBUM, E_IGF, K_COMEDO_CLEAR, COMEDONES_REF, G_VA, VITAMIN_A_REF, R_ACNES,
       ACNES_FLOOR, K_LESION_RESOLVE, LESIONS_REF, G_INFL, INFL_REF, G_ZINC, ZINC_REF,
       G_O3, O3_REF };
enum { IGF1, ZINC, VITAMIN_A, OMEGA3, INFLAMMATION };
enum { INFLAMMATORY_COUNT, COMEDONE_COUNT, TOTAL_LESIONS };

static const gs_quantity states[] = {
    {"sebum", "relative (1 = usual)", 1, 0, 20, GS_ASSUMPTION,
     "assumption: 1 = the person's sebum excretion at their usual diet",
     "sebum excretion rate"},
    {"comedones", "lesions (face)", 35, 0, 1000, GS_ASSUMPTION,
     "Smith 2007 Am J Clin Nutr 86:107: about 60 lesions in total at baseline",
     "non-inflammatory lesions (open and closed comedones)"},
    {"c_acnes", "relative (1 = usual)", 1, 0, 20, GS_ASSUMPTION,
     "assumption: 1 = load supported by usual sebum", "Cutibacterium acnes load in follicles"},
    {"inflammatory_lesions", "lesions (face)", 25, 0, 1000, GS_ASSUMPTION,
     "moderate acne: 20-40 inflammatory lesions (Smith 2007 baseline range)",
     "papules and pustules"},
};

static const gs_quantity params[] = {
    {"k_sebum", "1/day", 1.0 / 14.0, 1.0 / 60, 1, GS_ASSUMPTION,
     "assumption: sebocyte maturation and transit take about 2 weeks (Plewig & Kligman, "
     "Acne and Rosacea, 3rd ed.)", "rate at which sebum output follows its drive"},
    {"e_igf", "dimensionless", 0.9, 0, 4, GS_FITTED,
     "fitted to acne-low-gl (docs/calibration.md)",
     "elasticity of sebum output to IGF-1"},
    {"k_comedo_clear", "1/day", 1.0 / 42.0, 1.0 / 180, 1, GS_ASSUMPTION,
     "assumption: a comedone persists about 6 weeks; microcomedone cycle of weeks",
     "comedone turnover"},
    {"comedones_ref", "lesions (face)", 35, 0, 500, GS_ASSUMPTION,
     "Smith 2007: about 60 total lesions at baseline, 35 non-inflammatory assumed",
     "comedones at usual sebum and keratinisation"},
    {"g_va", "dimensionless", 1.0, 0, 20, GS_ASSUMPTION,
     "assumption: vitamin A deficiency causes follicular hyperkeratosis; retinoids "
     "normalise keratinisation", "strength of vitamin A against hyperkeratinisation"},
    {"vitamin_a_ref", "umol/L", 2.0, 0.1, 10, GS_ASSUMPTION,
     "healthy serum retinol about 2 umol/L (nutrients block)", "reference serum retinol"},
    {"r_acnes", "1/day", 0.5, 0.01, 10, GS_ASSUMPTION,
     "assumption: C. acnes regrows within days (doubling in follicles of the order of a day)",
     "C. acnes net growth rate"},
    {"acnes_floor", "relative", 0.02, 1e-4, 0.5, GS_ASSUMPTION,
     "assumption: a small load persists without sebum", "carrying capacity without sebum"},
    {"k_lesion_resolve", "1/day", 0.1, 0.01, 1, GS_ASSUMPTION,
     "assumption: a papule or pustule resolves in about 10 days", "inflammatory lesion turnover"},
    {"lesions_ref", "lesions (face)", 25, 0, 500, GS_ASSUMPTION,
     "moderate acne: 20-40 inflammatory lesions", "inflammatory lesions at all factors 1"},
    {"g_infl", "1/N*-unit", 20, 0, 1000, GS_ASSUMPTION,
     "assumption: systemic inflammation of 0.05 (about 10x rest) nearly doubles lesion "
     "formation", "sensitivity of follicular inflammation to systemic inflammation"},
    {"inflammation_ref", "N* units", GS_INFLAMMATION_HEALTHY, 0, 1, GS_ASSUMPTION,
     "systemic.inflammation at rest", "systemic inflammation with no extra effect"},
    {"g_zinc", "dimensionless", 3.012, 0, 20, GS_FITTED,
     "fitted to acne-zinc (docs/calibration.md)",
     "anti-inflammatory effect per relative rise of serum zinc"},
    {"zinc_ref", "umol/L", 14, 1, 40, GS_ASSUMPTION, "healthy serum zinc about 14 umol/L",
     "reference serum zinc"},
    {"g_o3", "dimensionless", 0.5, 0, 10, GS_ASSUMPTION,
     "assumption: Jung 2014 Acta Derm Venereol 94:521 (2 g/day EPA+DHA for 10 weeks lowered "
     "inflammatory lesions)", "anti-inflammatory effect per relative rise of the omega-3 index"},
    {"omega3_ref", "%", 5, 1, 15, GS_ASSUMPTION, "typical Western omega-3 index about 5%",
     "reference omega-3 index"},
};

static const gs_quantity inputs[] = {
    {"igf1", "relative (1 = usual)", 1, 0, 10, GS_ASSUMPTION, "see links.c: igf1_to_sebum",
     "IGF-1 from the hormones block"},
    {"zinc", "umol/L", 14, 0, 50, GS_ASSUMPTION, "see links.c: zinc_to_acne",
     "serum zinc from the nutrients block"},
    {"vitamin_a", "umol/L", 2.0, 0, 10, GS_ASSUMPTION, "see links.c: vitamin_a_to_acne",
     "serum retinol from the nutrients block"},
    {"omega3_index", "%", 5.0, 0, 20, GS_ASSUMPTION, "see links.c: omega3_to_acne",
     "omega-3 index from the nutrients block"},
    {"systemic_inflammation", "N* units", GS_INFLAMMATION_HEALTHY, 0, 100, GS_ASSUMPTION,
     "see links.c: inflammation_to_acne", "systemic inflammation"},
};

static const gs_quantity outputs[] = {
    {"inflammatory_count", "lesions (face)", 0, 0, 0, GS_ASSUMPTION, "inflammatory_lesions",
     "papules and pustules"},
    {"comedone_count", "lesions (face)", 0, 0, 0, GS_ASSUMPTION, "comedones",
     "open and closed comedones"},
    {"total_lesions", "lesions (face)", 0, 0, 0, GS_ASSUMPTION,
     "inflammatory + non-inflammatory, as counted in Smith 2007", "total lesion count"},
};

static double nonneg(double x) { return x > 0 ? x : 0; }

static void rhs(const double *y, const double *p, const double *in, double *dy)
{
    double sebum = nonneg(y[SEBUM]), comedones = nonneg(y[COMEDONES]);
    double acnes = nonneg(y[C_ACNES]);
    double sebum_drive = pow(nonneg(in[IGF1]), p[E_IGF]);
    double keratinisation =
        (1.0 + p[G_VA]) / (1.0 + p[G_VA] * nonneg(in[VITAMIN_A]) / p[VITAMIN_A_REF]);
    double inflamed = (1.0 + p[G_INFL] * nonneg(in[INFLAMMATION])) /
                      (1.0 + p[G_INFL] * p[INFL_REF]);
    double calming = exp(-p[G_ZINC] * (nonneg(in[ZINC]) / p[ZINC_REF] - 1.0)) *
                     exp(-p[G_O3] * (nonneg(in[OMEGA3]) / p[O3_REF] - 1.0));

    dy[SEBUM] = p[K_SEBUM] * (sebum_drive - y[SEBUM]);
    dy[COMEDONES] = p[K_COMEDO_CLEAR] * (p[COMEDONES_REF] * sebum * keratinisation - y[COMEDONES]);
    double capacity = p[ACNES_FLOOR] + (1.0 - p[ACNES_FLOOR]) * sebum;
    dy[C_ACNES] = p[R_ACNES] * acnes * (1.0 - acnes / capacity);
    dy[LESIONS] = p[K_LESION_RESOLVE] *
                  (p[LESIONS_REF] * (comedones / p[COMEDONES_REF]) * acnes * inflamed * calming -
                   y[LESIONS]);
}

static void output(const double *y, const double *p, double *out)
{
    (void)p;
    out[INFLAMMATORY_COUNT] = y[LESIONS];
    out[COMEDONE_COUNT] = y[COMEDONES];
    out[TOTAL_LESIONS] = y[LESIONS] + y[COMEDONES];
}

/* d dydt / d y and d dydt / d in, row-major (model.h, gs_jac_fn): the
 * derivatives of the four equations above; where a state or input is
 * clamped at 0 the derivative is that of the branch taken. */
static void jac(const double *y, const double *p, const double *in, double *dfdy,
                double *dfdin)
{
    enum { NS = LESIONS + 1, NI = INFLAMMATION + 1 };
#define DY(i, k) dfdy[(i) * NS + (k)]
#define DIN(i, j) dfdin[(i) * NI + (j)]
    double sebum = nonneg(y[SEBUM]), comedones = nonneg(y[COMEDONES]);
    double acnes = nonneg(y[C_ACNES]);
    double va = nonneg(in[VITAMIN_A]), ker_den = 1.0 + p[G_VA] * va / p[VITAMIN_A_REF];
    double keratinisation = (1.0 + p[G_VA]) / ker_den;
    double infl_den = 1.0 + p[G_INFL] * p[INFL_REF];
    double inflamed = (1.0 + p[G_INFL] * nonneg(in[INFLAMMATION])) / infl_den;
    double calming = exp(-p[G_ZINC] * (nonneg(in[ZINC]) / p[ZINC_REF] - 1.0)) *
                     exp(-p[G_O3] * (nonneg(in[OMEGA3]) / p[O3_REF] - 1.0));

    /* sebum' = k_sebum (igf1^e - sebum) */
    DY(SEBUM, SEBUM) = -p[K_SEBUM];
    if (in[IGF1] > 0 && p[E_IGF] != 0)
        DIN(SEBUM, IGF1) = p[K_SEBUM] * p[E_IGF] * pow(in[IGF1], p[E_IGF] - 1.0);

    /* comedones' = k (ref sebum keratinisation - comedones) */
    double kc = p[K_COMEDO_CLEAR];
    if (y[SEBUM] > 0) DY(COMEDONES, SEBUM) = kc * p[COMEDONES_REF] * keratinisation;
    DY(COMEDONES, COMEDONES) = -kc;
    if (in[VITAMIN_A] > 0)
        DIN(COMEDONES, VITAMIN_A) = -kc * p[COMEDONES_REF] * sebum * keratinisation *
                                    (p[G_VA] / p[VITAMIN_A_REF]) / ker_den;

    /* c_acnes' = r a (1 - a / capacity), capacity = floor + (1 - floor) sebum */
    double capacity = p[ACNES_FLOOR] + (1.0 - p[ACNES_FLOOR]) * sebum;
    if (y[C_ACNES] > 0) {
        DY(C_ACNES, C_ACNES) = p[R_ACNES] * (1.0 - 2.0 * acnes / capacity);
        if (y[SEBUM] > 0)
            DY(C_ACNES, SEBUM) =
                p[R_ACNES] * acnes * acnes * (1.0 - p[ACNES_FLOOR]) / (capacity * capacity);
    }

    /* lesions' = k (ref (comedones/ref_c) c_acnes inflamed calming - lesions) */
    double kl = p[K_LESION_RESOLVE], scale = p[LESIONS_REF] / p[COMEDONES_REF];
    double formation = scale * comedones * acnes * inflamed * calming;
    if (y[COMEDONES] > 0) DY(LESIONS, COMEDONES) = kl * scale * acnes * inflamed * calming;
    if (y[C_ACNES] > 0) DY(LESIONS, C_ACNES) = kl * scale * comedones * inflamed * calming;
    DY(LESIONS, LESIONS) = -kl;
    if (in[INFLAMMATION] > 0)
        DIN(LESIONS, INFLAMMATION) = kl * scale * comedones * acnes * calming * p[G_INFL] / infl_den;
    if (in[ZINC] > 0) DIN(LESIONS, ZINC) = -kl * formation * p[G_ZINC] / p[ZINC_REF];
    if (in[OMEGA3] > 0) DIN(LESIONS, OMEGA3) = -kl * formation * p[G_O3] / p[O3_REF];
#undef DY
#undef DIN
}

/* d out / d y, row-major (model.h, gs_output_jac_fn): the counts are the
 * states themselves. */
static void output_jac(const double *y, const double *p, double *dout)
{
    (void)y; (void)p;
    enum { NS = LESIONS + 1 };
    dout[INFLAMMATORY_COUNT * NS + LESIONS] = 1.0;
    dout[COMEDONE_COUNT * NS + COMEDONES] = 1.0;
    dout[TOTAL_LESIONS * NS + LESIONS] = 1.0;
    dout[TOTAL_LESIONS * NS + COMEDONES] = 1.0;
}

const gs_block gs_block_skin_acne = {
    .name = "skin_acne",
    .title = "acne vulgaris: sebum, comedones, C. acnes, inflammatory lesions",
    .citation = "structure: Williams 2012 Lancet 379:361; calibration targets Smith 2007 "
                "Am J Clin Nutr 86:107, Yee 2020 Dermatol Ther 33:e14252",
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
