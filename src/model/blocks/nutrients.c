/*
 * nutrients.c - three nutrients that the gut must absorb and that the skin
 * needs: serum zinc, serum retinol (vitamin A) and the omega-3 index.
 *
 * Each follows intake x absorption - turnover toward a level set by what
 * is absorbed:
 *
 *   absorption a = (J / J_ref)^e x (1 + c I_ref) / (1 + c I)      (1 in health)
 *   d zinc/dt = k_zinc (g_zinc x a x Amax_zn Z/(Z + K_zn) - zinc),  Z = diet + dose
 *   d vitamin_a/dt = k_va (g_va x a x V/(V + K_va) - vitamin_a),    V = diet + dose
 *   d omega3_index/dt = k_o3 (floor + span x aW/(aW + K_o3) - omega3_index),
 *                                                                   W = diet + dose
 *
 * Absorption saturates with intake (zinc: Hambidge 2010; retinol is
 * buffered by liver stores; the omega-3 index levels off, Flock 2013).  A
 * leaky barrier (J below J_ref) and systemic inflammation lower absorption:
 * that is an assumption of the gut-skin story.  The better-documented
 * reason serum zinc and retinol fall in inflammation is redistribution in
 * the acute-phase response (Tomkins 2003); it is lumped into the same
 * factor here and said so in docs/model/gut.md.
 *
 * Output omega3_drive = d_max x max(O3I - floor, 0)/(max(O3I - floor, 0) + K)
 * in [0, d_max) feeds systemic.anti_inflammatory_drive (link
 * omega3_resolution).  Time in days.
 *
 * The block gives its Jacobian analytically (jac, output_jac below), so
 * the solver needs no difference quotients for it (docs/solver.md).
 */
#include "gutskin/model.h"
#include "gutskin/blocks.h"

#include <math.h>

/* Healthy systemic.inflammation of the composed gut + systemic model
 * (docs/model/gut.md, "Healthy steady state"). */

enum { ZINC, VITAMIN_A, OMEGA3, N_STATES };
enum { INTEGRITY_REF, INTEGRITY_EXPONENT, INFLAMMATION_REF, INFLAMMATION_ABSORPTION,
       ZINC_DIET, ZINC_ABSORB_MAX, K_ZINC_ABSORB, ZINC_GAIN, K_ZINC,
       VA_DIET, K_VA_ABSORB, VA_GAIN, K_VA,
       O3_DIET, O3_FLOOR, O3_SPAN, K_O3_ABSORB, K_O3,
       DRIVE_MAX, DRIVE_FLOOR, DRIVE_HALF, N_PARAMS };
enum { IN_INTEGRITY, IN_INFLAMMATION, IN_ZINC_DOSE, IN_VA_DOSE, IN_O3_DOSE, N_INPUTS };
enum { OUT_OMEGA3_DRIVE, N_OUTPUTS };

static const gs_quantity states[] = {
    {"zinc", "umol/L", 14, 0, 100, GS_MEASURED,
     "healthy adult serum zinc about 11-18 umol/L (IZiNCG 2004 cut-off 10.7 morning fasting)",
     "serum zinc"},
    {"vitamin_a", "umol/L", 2.0, 0, 20, GS_MEASURED,
     "healthy serum retinol about 1.05-3 umol/L (WHO 2011: below 0.7 deficient)",
     "serum retinol"},
    {"omega3_index", "% of RBC fatty acids", 5.0, 0, 30, GS_MEASURED,
     "Harris & von Schacky 2004 (Prev Med 39:212); Western diets about 4-6%",
     "EPA+DHA share of red-cell fatty acids"},
};

static const gs_quantity params[] = {
    {"integrity_ref", "fraction", 0.9, 0.01, 1, GS_ASSUMPTION,
     "healthy barrier integrity (barrier.c)", "integrity at full absorption"},
    {"integrity_exponent", "dimensionless", 1, 0, 10, GS_ASSUMPTION,
     "assumption: absorption falls in proportion to integrity",
     "how steeply a leaky barrier lowers absorption"},
    {"inflammation_ref", "N* units", GS_INFLAMMATION_HEALTHY, 0, 1, GS_ASSUMPTION,
     "healthy systemic inflammation of the composed model (docs/model/gut.md)",
     "inflammation at full absorption"},
    {"inflammation_absorption", "per N*-unit", 3, 0, 1000, GS_ASSUMPTION,
     "assumption: CRP 3 mg/L lowers serum zinc about 10% (direction: Tomkins 2003, "
     "Proc Nutr Soc 62:455; BRINDA)",
     "fall of absorption per unit of systemic inflammation"},
    {"zinc_diet", "mg/day", 10, 0, 100, GS_MEASURED,
     "usual adult intake about 9-13 mg/day (NHANES)", "dietary zinc"},
    {"zinc_absorb_max", "mg/day", 4.5, 0.1, 50, GS_ASSUMPTION,
     "after Hambidge 2010 (Am J Clin Nutr 91:1478S): absorbed zinc saturates with intake",
     "maximal absorbed zinc"},
    {"k_zinc_absorb", "mg/day", 5, 0.1, 100, GS_ASSUMPTION,
     "assumption: about 30% absorbed at 10 mg/day (Hambidge 2010)",
     "intake at half-maximal absorption"},
    {"zinc_gain", "umol/L per mg/day", 4.6667, 0, 100, GS_ASSUMPTION,
     "assumption: chosen so the usual diet gives 14 umol/L",
     "serum zinc per mg/day absorbed"},
    {"k_zinc", "1/day", 0.1, 0.001, 10, GS_ASSUMPTION,
     "assumption: serum zinc settles within weeks of a change in intake",
     "relaxation rate of serum zinc"},
    {"vitamin_a_diet", "ug RAE/day", 700, 0, 5000, GS_MEASURED,
     "usual adult intake about 600-900 ug RAE/day (IOM 2001)", "dietary vitamin A"},
    {"k_vitamin_a_absorb", "ug RAE/day", 300, 1, 10000, GS_ASSUMPTION,
     "assumption: liver stores buffer serum retinol, so it saturates with intake",
     "intake at half-maximal effect on serum retinol"},
    {"vitamin_a_gain", "umol/L", 2.8571, 0, 20, GS_ASSUMPTION,
     "assumption: chosen so the usual diet gives 2.0 umol/L",
     "serum retinol at saturating intake"},
    {"k_vitamin_a", "1/day", 0.02, 0.001, 10, GS_ASSUMPTION,
     "assumption: serum retinol follows liver stores over weeks to months",
     "relaxation rate of serum retinol"},
    {"omega3_diet", "mg EPA+DHA/day", 150, 0, 5000, GS_MEASURED,
     "usual Western intake about 100-200 mg/day", "dietary EPA+DHA"},
    {"omega3_floor", "%", 3.8, 0, 20, GS_ASSUMPTION,
     "assumption: index without dietary EPA+DHA (synthesis from ALA)",
     "omega-3 index without intake"},
    {"omega3_span", "%", 9, 0, 30, GS_ASSUMPTION,
     "after Flock 2013 (J Am Heart Assoc 2:e000513): 1800 mg/day raises the index "
     "to about 9-10%",
     "maximal rise of the index"},
    {"k_omega3_absorb", "mg/day", 1000, 1, 10000, GS_ASSUMPTION,
     "after Flock 2013 dose-response", "intake at half the maximal rise"},
    {"k_omega3", "1/day", 0.023, 0.001, 1, GS_ASSUMPTION,
     "after Flock 2013: half-way to the new level in about 30 days (red-cell turnover)",
     "relaxation rate of the omega-3 index"},
    {"drive_max", "fraction", 0.5, 0, 0.99, GS_ASSUMPTION,
     "assumption: omega-3 at most halves phagocyte activation (Calder 2017)",
     "maximal anti-inflammatory drive"},
    {"drive_floor", "%", 4, 0, 20, GS_ASSUMPTION,
     "assumption: no effect below an index of 4% (the high-risk range)",
     "index below which there is no drive"},
    {"drive_half", "%", 4, 0.01, 50, GS_ASSUMPTION,
     "assumption: half effect at 8% (the target range of Harris 2004)",
     "index above the floor at half-maximal drive"},
};

static const gs_quantity inputs[] = {
    {"integrity", "fraction", 0.9, 0, 1, GS_ASSUMPTION,
     "see links.c: barrier_absorption", "barrier integrity"},
    {"inflammation", "N* units", GS_INFLAMMATION_HEALTHY, 0, 100, GS_ASSUMPTION,
     "see links.c: inflammation_absorption", "systemic inflammation"},
    {"zinc_dose", "mg/day", 0, 0, 150, GS_MEASURED, "dose.zinc", "zinc supplement"},
    {"vitamin_a_dose", "ug RAE/day", 0, 0, 3000, GS_MEASURED, "dose.vitamin_a",
     "vitamin A supplement"},
    {"omega3_dose", "mg/day", 0, 0, 5000, GS_MEASURED, "dose.omega3",
     "omega-3 supplement (EPA+DHA)"},
};

static const gs_quantity outputs[] = {
    {"omega3_drive", "fraction", 0, 0, 0, GS_ASSUMPTION,
     "drive_max x x/(x + drive_half), x = max(omega3_index - drive_floor, 0)",
     "anti-inflammatory drive of the omega-3 index, in [0, drive_max)"},
};

_Static_assert(GS_COUNT(states) == N_STATES, "nutrients: state table and enum differ");
_Static_assert(GS_COUNT(params) == N_PARAMS, "nutrients: parameter table and enum differ");
_Static_assert(GS_COUNT(inputs) == N_INPUTS, "nutrients: input table and enum differ");
_Static_assert(GS_COUNT(outputs) == N_OUTPUTS, "nutrients: output table and enum differ");

/* Fraction of the healthy absorption: 1 at J_ref and I_ref, lower with a
 * leaky barrier or inflammation. */
static double absorption(const double *p, double integrity, double inflammation)
{
    double j = fmax(integrity, 0.0) / p[INTEGRITY_REF];
    double i = fmax(inflammation, 0.0);
    return pow(j, p[INTEGRITY_EXPONENT]) * (1.0 + p[INFLAMMATION_ABSORPTION] * p[INFLAMMATION_REF]) /
           (1.0 + p[INFLAMMATION_ABSORPTION] * i);
}

static void rhs(const double *y, const double *p, const double *in, double *dy)
{
    double a = absorption(p, in[IN_INTEGRITY], in[IN_INFLAMMATION]);

    double zn = p[ZINC_DIET] + fmax(in[IN_ZINC_DOSE], 0.0);
    double zn_absorbed = a * p[ZINC_ABSORB_MAX] * zn / (zn + p[K_ZINC_ABSORB]);
    dy[ZINC] = p[K_ZINC] * (p[ZINC_GAIN] * zn_absorbed - y[ZINC]);

    double va = p[VA_DIET] + fmax(in[IN_VA_DOSE], 0.0);
    dy[VITAMIN_A] = p[K_VA] * (p[VA_GAIN] * a * va / (va + p[K_VA_ABSORB]) - y[VITAMIN_A]);

    double o3 = a * (p[O3_DIET] + fmax(in[IN_O3_DOSE], 0.0));
    double target = p[O3_FLOOR] + p[O3_SPAN] * o3 / (o3 + p[K_O3_ABSORB]);
    dy[OMEGA3] = p[K_O3] * (target - y[OMEGA3]);
}

static void output(const double *y, const double *p, double *out)
{
    double x = fmax(y[OMEGA3] - p[DRIVE_FLOOR], 0.0);
    out[OUT_OMEGA3_DRIVE] = p[DRIVE_MAX] * x / (x + p[DRIVE_HALF]);
}

/* d dydt / d y and d dydt / d in, row-major (model.h, gs_jac_fn).  The
 * inputs act through the absorption a (barrier integrity, inflammation)
 * and through the doses; where a value is clamped at 0 the derivative is
 * that of the branch taken. */
static void jac(const double *y, const double *p, const double *in, double *dfdy,
                double *dfdin)
{
    (void)y;
#define DY(i, k) dfdy[(i) * N_STATES + (k)]
#define DIN(i, j) dfdin[(i) * N_INPUTS + (j)]
    double a = absorption(p, in[IN_INTEGRITY], in[IN_INFLAMMATION]);
    double c = p[INFLAMMATION_ABSORPTION];
    /* a = (J/J_ref)^e (1 + c I_ref)/(1 + c I) */
    double da_dj = 0.0, da_di = 0.0;
    if (in[IN_INTEGRITY] > 0) {
        double j = in[IN_INTEGRITY] / p[INTEGRITY_REF], e = p[INTEGRITY_EXPONENT];
        da_dj = e == 0 ? 0.0
                       : e * pow(j, e - 1.0) / p[INTEGRITY_REF] *
                             (1.0 + c * p[INFLAMMATION_REF]) / (1.0 + c * fmax(in[IN_INFLAMMATION], 0.0));
    }
    if (in[IN_INFLAMMATION] > 0) da_di = -a * c / (1.0 + c * in[IN_INFLAMMATION]);

    /* zinc: k (gain a Amax Z/(Z + K) - zinc) */
    double zn = p[ZINC_DIET] + fmax(in[IN_ZINC_DOSE], 0.0), kz = p[K_ZINC_ABSORB];
    double dzn_da = p[K_ZINC] * p[ZINC_GAIN] * p[ZINC_ABSORB_MAX] * zn / (zn + kz);
    DY(ZINC, ZINC) = -p[K_ZINC];
    DIN(ZINC, IN_INTEGRITY) = dzn_da * da_dj;
    DIN(ZINC, IN_INFLAMMATION) = dzn_da * da_di;
    if (in[IN_ZINC_DOSE] > 0)
        DIN(ZINC, IN_ZINC_DOSE) =
            p[K_ZINC] * p[ZINC_GAIN] * a * p[ZINC_ABSORB_MAX] * kz / ((zn + kz) * (zn + kz));

    /* vitamin A: k (gain a V/(V + K) - vitamin_a) */
    double va = p[VA_DIET] + fmax(in[IN_VA_DOSE], 0.0), kv = p[K_VA_ABSORB];
    double dva_da = p[K_VA] * p[VA_GAIN] * va / (va + kv);
    DY(VITAMIN_A, VITAMIN_A) = -p[K_VA];
    DIN(VITAMIN_A, IN_INTEGRITY) = dva_da * da_dj;
    DIN(VITAMIN_A, IN_INFLAMMATION) = dva_da * da_di;
    if (in[IN_VA_DOSE] > 0)
        DIN(VITAMIN_A, IN_VA_DOSE) = p[K_VA] * p[VA_GAIN] * a * kv / ((va + kv) * (va + kv));

    /* omega-3: k (floor + span o/(o + K) - index), o = a W */
    double w = p[O3_DIET] + fmax(in[IN_O3_DOSE], 0.0), ko = p[K_O3_ABSORB];
    double o3 = a * w;
    double dtarget = p[K_O3] * p[O3_SPAN] * ko / ((o3 + ko) * (o3 + ko));
    DY(OMEGA3, OMEGA3) = -p[K_O3];
    DIN(OMEGA3, IN_INTEGRITY) = dtarget * w * da_dj;
    DIN(OMEGA3, IN_INFLAMMATION) = dtarget * w * da_di;
    if (in[IN_O3_DOSE] > 0) DIN(OMEGA3, IN_O3_DOSE) = dtarget * a;
#undef DY
#undef DIN
}

/* d out / d y, row-major (model.h, gs_output_jac_fn). */
static void output_jac(const double *y, const double *p, double *dout)
{
    double x = y[OMEGA3] - p[DRIVE_FLOOR];
    if (x > 0)
        dout[OUT_OMEGA3_DRIVE * N_STATES + OMEGA3] =
            p[DRIVE_MAX] * p[DRIVE_HALF] / ((x + p[DRIVE_HALF]) * (x + p[DRIVE_HALF]));
}

const gs_block gs_block_nutrients = {
    .name = "nutrients",
    .title = "nutrient status: serum zinc, serum retinol, omega-3 index",
    .citation = "Hambidge KM et al. Am J Clin Nutr 2010;91:1478S (zinc absorption); "
                "Flock MR et al. J Am Heart Assoc 2013;2:e000513 (omega-3 index)",
    .states = states, .n_states = GS_COUNT(states),
    .params = params, .n_params = GS_COUNT(params),
    .inputs = inputs, .n_inputs = GS_COUNT(inputs),
    .outputs = outputs, .n_outputs = GS_COUNT(outputs),
    .rhs = rhs,
    .output = output,
    .jac = jac,
    .output_jac = output_jac,
};
