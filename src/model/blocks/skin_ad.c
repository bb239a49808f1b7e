/*
 * skin_ad.c - atopic dermatitis: the quantitative systems pharmacology
 * model of Miyano, Irvine & Tanaka 2022 (Allergy 77:582-594,
 * doi:10.1111/all.14870), converted from weeks to days, plus one
 * labelled assumption coupling it to systemic inflammation.
 *
 * States (Miyano's names in brackets): skin barrier integrity [SB],
 * infiltrated pathogens [IP], T helper cells [Th1, Th2, Th17, Th22] and
 * cytokines [IL4, IL13, IL17, IL22, IL31, IFNg, TSLP, OX40L].
 *
 * Weeks to days, term by term (docs/model/skin.md has the full table):
 * every term of every equation is a rate per week.  Its leading constant
 * is divided by 7: k1, k2, k3, d1, d2 (barrier), d8 (= k4, pathogen
 * influx and basal elimination), k5..k8 and d9 (T cells), and every
 * production and decay constant of the cytokines (k11..k26, d10..d17).
 * Constants that only appear inside dimensionless factors - saturation
 * and inhibition constants b1..b9, d3..d7, k9, k10 - are unchanged.  One
 * term of dIP/dt, IP (1+d4 IP)(1+d5 IL17')... /((1+b7 IL4')(1+b8 IL13')),
 * has no constant in front: its rate is an implicit 1 per week, which
 * becomes the explicit parameter ip_elimination_rate = 1/7 per day.  The
 * right-hand side is then exactly the paper's divided by 7, so the
 * solution at day 7t equals the paper's at week t.
 *
 * Parameter defaults are exp(mu), the median virtual patient of the
 * published distribution (data/reference/miyano2022/mu.csv, MIT licence).
 *
 * Drugs enter as inputs fed by dose.<drug> (fraction of the target
 * blocked).  Blockades of the same cytokine combine as the product of
 * the remaining fractions; tralokinumab neutralises IL-13 only partly
 * (a2 = 0.4396).  Standard care multiplies k3 (Miyano's placebo effect).
 *
 * Gut coupling (GS_ASSUMPTION, no paper measured it): systemic
 * inflammation above a resting reference speeds barrier disruption and
 * pathogen infiltration.  At input 0 (no systemic block) and at any
 * level up to the reference the block is exactly Miyano's model.
 */
#include "gutskin/model.h"
#include "gutskin/blocks.h"

#include <assert.h>

#define MIYANO "Miyano 2022 Allergy 77:582"
#define MIYANO_README "Miyano 2022 Allergy 77:582 (data/reference/miyano2022)"

enum { SB, IP, TH1, TH2, TH17, TH22, IL4, IL13, IL17, IL22, IL31, IFNG, TSLP, OX40L };
/* The first 51 parameters are in the order of mu.csv. */
enum { K1, K2, K3, B1, B2, B3, B4, B5, D1, D2, D3, B6, D4, D5, D6, D7, B7, B8, D8,
       K5, K9, D9, B9, K6, K10, K7, K8, K11, K12, D10, K13, K14, D11, K15, K16, D12,
       K17, K18, D13, K19, K20, D14, K21, K22, D15, K23, K24, D16, K25, K26, D17,
       IP_ELIM, A2, INFL_REF, INFL_BARRIER, INFL_INFILTRATION,
       SCORAD_E1, SCORAD_S1, SCORAD_E2, SCORAD_S2, SCORAD_MAX };
enum { STANDARD_CARE, DUPILUMAB, NEMOLIZUMAB, TEZEPELUMAB, GBR830, FEZAKINUMAB,
       SECUKINUMAB, RIFNG, TRALOKINUMAB, LEBRIKIZUMAB, SYSTEMIC_INFLAMMATION };
enum { EASI, SCORAD };

static const gs_quantity states[] = {
    {"barrier_integrity", "fraction (0-1)", 0.5931, 0, 1, GS_MEASURED,
     MIYANO_README " initial state", "skin barrier integrity (SB)"},
    {"infiltrated_pathogens", "relative", 0.4069, 0, 100, GS_MEASURED,
     MIYANO_README " initial state", "pathogens and allergens infiltrated into the skin (IP)"},
    {"th1", "model units", 3.1, 0, 1e6, GS_MEASURED, MIYANO_README " initial state",
     "type 1 T helper cells"},
    {"th2", "model units", 8.7, 0, 1e6, GS_MEASURED, MIYANO_README " initial state",
     "type 2 T helper cells"},
    {"th17", "model units", 2.0, 0, 1e6, GS_MEASURED, MIYANO_README " initial state",
     "type 17 T helper cells"},
    {"th22", "model units", 21.0, 0, 1e6, GS_MEASURED, MIYANO_README " initial state",
     "type 22 T helper cells"},
    {"il4", "model units", 38.0, 0, 1e6, GS_MEASURED, MIYANO_README " initial state",
     "interleukin-4"},
    {"il13", "model units", 40.5, 0, 1e6, GS_MEASURED, MIYANO_README " initial state",
     "interleukin-13"},
    {"il17", "model units", 5.4, 0, 1e6, GS_MEASURED, MIYANO_README " initial state",
     "interleukin-17"},
    {"il22", "model units", 3.0, 0, 1e6, GS_MEASURED, MIYANO_README " initial state",
     "interleukin-22"},
    {"il31", "model units", 2.0, 0, 1e6, GS_MEASURED, MIYANO_README " initial state",
     "interleukin-31 (itch)"},
    {"ifng", "model units", 1.5, 0, 1e6, GS_MEASURED, MIYANO_README " initial state",
     "interferon-gamma"},
    {"tslp", "model units", 4.4, 0, 1e6, GS_MEASURED, MIYANO_README " initial state",
     "thymic stromal lymphopoietin"},
    {"ox40l", "model units", 9.7, 0, 1e6, GS_MEASURED, MIYANO_README " initial state",
     "OX40 ligand"},
};

static const gs_quantity params[] = {
    {"k1", "1/day", 0.244409508, 0.004636, 12.89, GS_MEASURED,
     MIYANO ", mu.csv line 1: exp(0.537), /7 per week to per day",
     "barrier recovery, basal"},
    {"k2", "1/(day IL-22 unit)", 0.03187573716, 0.004535, 0.224, GS_MEASURED,
     MIYANO ", mu.csv line 2: exp(-1.5), /7 per week to per day",
     "barrier recovery promoted by IL-22"},
    {"k3", "1/day", 2.729421961, 0.002252, 3308, GS_MEASURED,
     MIYANO ", mu.csv line 3: exp(2.95), /7 per week to per day",
     "barrier recovery by standard care (x standard_care)"},
    {"b1", "1/IL-4 unit", 0.0001682600262, 9.493e-06, 0.002982, GS_MEASURED,
     MIYANO ", mu.csv line 4: exp(-8.69), unchanged (no time unit)",
     "inhibition of barrier recovery by IL-4"},
    {"b2", "1/IL-13 unit", 0.02901332708, 1.076e-05, 78.26, GS_MEASURED,
     MIYANO ", mu.csv line 5: exp(-3.54), unchanged (no time unit)",
     "inhibition of barrier recovery by IL-13"},
    {"b3", "1/IL-17 unit", 0.01984109474, 0.003465, 0.1136, GS_MEASURED,
     MIYANO ", mu.csv line 6: exp(-3.92), unchanged (no time unit)",
     "inhibition of barrier recovery by IL-17"},
    {"b4", "1/IL-22 unit", 0.5515625659, 0.0102, 29.81, GS_MEASURED,
     MIYANO ", mu.csv line 7: exp(-0.595), unchanged (no time unit)",
     "inhibition of barrier recovery by IL-22"},
    {"b5", "1/IL-31 unit", 0.1236871358, 0.001354, 11.3, GS_MEASURED,
     MIYANO ", mu.csv line 8: exp(-2.09), unchanged (no time unit)",
     "inhibition of barrier recovery by IL-31"},
    {"d1", "1/day", 0.0288712165, 1.374e-05, 60.65, GS_MEASURED,
     MIYANO ", mu.csv line 9: exp(-1.599), /7 per week to per day",
     "barrier disruption, basal"},
    {"d2", "1/(day IL-31 unit)", 0.01019446708, 0.0005986, 0.1736, GS_MEASURED,
     MIYANO ", mu.csv line 10: exp(-2.64), /7 per week to per day",
     "barrier disruption by IL-31 (scratching)"},
    {"d3", "1/IP unit", 3.490342957, 3.908e-05, 3.118e+05, GS_MEASURED,
     MIYANO ", mu.csv line 11: exp(1.25), unchanged (no time unit)",
     "barrier disruption amplified by infiltrated pathogens"},
    {"b6", "1/SB unit", 1.484384191, 0.1612, 13.67, GS_MEASURED,
     MIYANO ", mu.csv line 12: exp(0.395), unchanged (no time unit)",
     "inhibition of pathogen infiltration by the barrier"},
    {"d4", "1/IP unit", 0.3678794412, 0.03439, 3.935, GS_MEASURED,
     MIYANO ", mu.csv line 13: exp(-1), unchanged (no time unit)",
     "pathogen elimination, self-amplified"},
    {"d5", "1/IL-17 unit", 0.006096746566, 0.0006589, 0.05642, GS_MEASURED,
     MIYANO ", mu.csv line 14: exp(-5.1), unchanged (no time unit)",
     "pathogen elimination promoted by IL-17"},
    {"d6", "1/IL-22 unit", 0.006670903306, 0.0009539, 0.04665, GS_MEASURED,
     MIYANO ", mu.csv line 15: exp(-5.01), unchanged (no time unit)",
     "pathogen elimination promoted by IL-22"},
    {"d7", "1/IFNg unit", 0.000166585811, 7.505e-06, 0.003698, GS_MEASURED,
     MIYANO ", mu.csv line 16: exp(-8.7), unchanged (no time unit)",
     "pathogen elimination promoted by IFN-gamma"},
    {"b7", "1/IL-4 unit", 0.0003388340834, 0.0002139, 0.0005367, GS_MEASURED,
     MIYANO ", mu.csv line 17: exp(-7.99), unchanged (no time unit)",
     "inhibition of pathogen elimination by IL-4"},
    {"b8", "1/IL-13 unit", 0.03019738342, 0.02375, 0.03839, GS_MEASURED,
     MIYANO ", mu.csv line 18: exp(-3.5), unchanged (no time unit)",
     "inhibition of pathogen elimination by IL-13"},
    {"d8", "1/day", 0.0288712165, 0.02415, 0.03451, GS_MEASURED,
     MIYANO ", mu.csv line 19: exp(-1.599), /7 per week to per day",
     "pathogen infiltration (k4 = d8) and basal elimination"},
    {"k5", "1/day", 2.729421961, 2.258, 3.299, GS_MEASURED,
     MIYANO ", mu.csv line 20: exp(2.95), /7 per week to per day",
     "Th1 differentiation"},
    {"k9", "1/IFNg unit", 0.03615283175, 0.000251, 5.207, GS_MEASURED,
     MIYANO ", mu.csv line 21: exp(-3.32), unchanged (no time unit)",
     "Th1 differentiation promoted by IFN-gamma"},
    {"d9", "1/day", 0.08256989361, 0.0531, 0.1284, GS_MEASURED,
     MIYANO ", mu.csv line 22: exp(-0.5482), /7 per week to per day",
     "T-cell decay"},
    {"b9", "1/OX40L unit", 0.06994822174, 0.01561, 0.3135, GS_MEASURED,
     MIYANO ", mu.csv line 23: exp(-2.66), unchanged (no time unit)",
     "inhibition of T-cell decay by OX40L"},
    {"k6", "1/day", 6.987269503, 6.881, 7.095, GS_MEASURED,
     MIYANO ", mu.csv line 24: exp(3.89), /7 per week to per day",
     "Th2 differentiation"},
    {"k10", "1/IL-4 unit", 0.002967605145, 0.002118, 0.004159, GS_MEASURED,
     MIYANO ", mu.csv line 25: exp(-5.82), unchanged (no time unit)",
     "Th2 differentiation promoted by IL-4"},
    {"k7", "1/day", 1.923391148, 1.357, 2.725, GS_MEASURED,
     MIYANO ", mu.csv line 26: exp(2.6), /7 per week to per day",
     "Th17 differentiation"},
    {"k8", "1/day", 17.88728009, 1.664, 192.3, GS_MEASURED,
     MIYANO ", mu.csv line 27: exp(4.83), /7 per week to per day",
     "Th22 differentiation"},
    {"k11", "1/day", 34.95599032, 15.47, 78.97, GS_MEASURED,
     MIYANO ", mu.csv line 28: exp(5.5), /7 per week to per day",
     "production of IL-4 by Th2"},
    {"k12", "IL-4 units/day", 1486.366531, 118.4, 1.866e+04, GS_MEASURED,
     MIYANO ", mu.csv line 29: exp(9.25), /7 per week to per day",
     "basal production of IL-4"},
    {"d10", "1/day", 52.56706857, 17.59, 157.1, GS_MEASURED,
     MIYANO ", mu.csv line 30: exp(5.908), /7 per week to per day",
     "decay of IL-4"},
    {"k13", "1/day", 110.3977608, 17.36, 702.1, GS_MEASURED,
     MIYANO ", mu.csv line 31: exp(6.65), /7 per week to per day",
     "production of IL-13 by Th2"},
    {"k14", "IL-13 units/day", 986.4275201, 101.9, 9548, GS_MEASURED,
     MIYANO ", mu.csv line 32: exp(8.84), /7 per week to per day",
     "basal production of IL-13"},
    {"d11", "1/day", 52.56706857, 30.18, 91.57, GS_MEASURED,
     MIYANO ", mu.csv line 33: exp(5.908), /7 per week to per day",
     "decay of IL-13"},
    {"k15", "1/day", 7.878124366, 2.063, 30.09, GS_MEASURED,
     MIYANO ", mu.csv line 34: exp(4.01), /7 per week to per day",
     "production of IL-17 by Th17"},
    {"k16", "IL-17 units/day", 2.00188623, 0.02856, 140.3, GS_MEASURED,
     MIYANO ", mu.csv line 35: exp(2.64), /7 per week to per day",
     "basal production of IL-17"},
    {"d12", "1/day", 3.999182043, 0.2302, 69.48, GS_MEASURED,
     MIYANO ", mu.csv line 36: exp(3.332), /7 per week to per day",
     "decay of IL-17"},
    {"k17", "1/day", 0.4695830296, 0.1676, 1.315, GS_MEASURED,
     MIYANO ", mu.csv line 37: exp(1.19), /7 per week to per day",
     "production of IL-22 by Th22"},
    {"k18", "IL-22 units/day", 0.6151370755, 0.5356, 0.7065, GS_MEASURED,
     MIYANO ", mu.csv line 38: exp(1.46), /7 per week to per day",
     "basal production of IL-22"},
    {"d13", "1/day", 3.999182043, 0.242, 66.09, GS_MEASURED,
     MIYANO ", mu.csv line 39: exp(3.332), /7 per week to per day",
     "decay of IL-22"},
    {"k19", "1/day", 0.6663700387, 0.2616, 1.697, GS_MEASURED,
     MIYANO ", mu.csv line 40: exp(1.54), /7 per week to per day",
     "production of IL-31 by Th2"},
    {"k20", "IL-31 units/day", 1.045076252, 0.05867, 18.62, GS_MEASURED,
     MIYANO ", mu.csv line 41: exp(1.99), /7 per week to per day",
     "basal production of IL-31"},
    {"d14", "1/day", 3.999182043, 2.426, 6.594, GS_MEASURED,
     MIYANO ", mu.csv line 42: exp(3.332), /7 per week to per day",
     "decay of IL-31"},
    {"k21", "1/day", 0.2260701004, 0.001523, 33.55, GS_MEASURED,
     MIYANO ", mu.csv line 43: exp(0.459), /7 per week to per day",
     "production of IFN-gamma by Th1"},
    {"k22", "IFN-gamma units/day", 1.962246226, 0.3359, 11.46, GS_MEASURED,
     MIYANO ", mu.csv line 44: exp(2.62), /7 per week to per day",
     "basal production of IFN-gamma"},
    {"d15", "1/day", 2.085669383, 1.005, 4.328, GS_MEASURED,
     MIYANO ", mu.csv line 45: exp(2.681), /7 per week to per day",
     "decay of IFN-gamma"},
    {"k23", "1/day", 7.799735719, 0.5736, 106.1, GS_MEASURED,
     MIYANO ", mu.csv line 46: exp(4), /7 per week to per day",
     "production of TSLP by IP"},
    {"k24", "TSLP units/day", 11.99020242, 0.4672, 307.7, GS_MEASURED,
     MIYANO ", mu.csv line 47: exp(4.43), /7 per week to per day",
     "basal production of TSLP"},
    {"d16", "1/day", 3.999182043, 1.442, 11.09, GS_MEASURED,
     MIYANO ", mu.csv line 48: exp(3.332), /7 per week to per day",
     "decay of TSLP"},
    {"k25", "1/day", 0.2176406112, 0.01965, 2.411, GS_MEASURED,
     MIYANO ", mu.csv line 49: exp(0.421), /7 per week to per day",
     "production of OX40L by TSLP"},
    {"k26", "OX40L units/day", 0.7665079959, 0.01552, 37.87, GS_MEASURED,
     MIYANO ", mu.csv line 50: exp(1.68), /7 per week to per day",
     "basal production of OX40L"},
    {"d17", "1/day", 0.2314225198, 0.07111, 0.7531, GS_MEASURED,
     MIYANO ", mu.csv line 51: exp(0.4824), /7 per week to per day",
     "decay of OX40L"},

    {"ip_elimination_rate", "1/day", 1.0 / 7.0, 1.0 / 7.0, 1.0 / 7.0, GS_MEASURED,
     MIYANO ": the implicit unit rate (1 per week) of the IP elimination term",
     "rate in front of IP (1+d4 IP)(1+d5 IL17')...; fixed by the unit conversion"},
    {"tralokinumab_il13_fraction", "dimensionless", 0.4396, 0, 1, GS_MEASURED,
     MIYANO_README ": a2 = 0.4396",
     "share of IL-13 that tralokinumab neutralises at full dose (a2)"},
    {"inflammation_ref", "N* units", 0.005, 0, 1, GS_ASSUMPTION,
     "assumption: about twice systemic.inflammation at rest (0.00263); a healthy gut "
     "stays below it, so the block is exactly Miyano's",
     "systemic inflammation below this has no effect on the skin"},
    {"inflammation_barrier_gain", "1/N*-unit", 2.886, 0, 1000, GS_FITTED,
     "fitted to ad-probiotic (docs/calibration.md)",
     "relative increase of barrier disruption (d1 term) per unit of excess inflammation"},
    {"inflammation_infiltration_gain", "1/N*-unit", 630.6, 0, 1000, GS_FITTED,
     "fitted to ad-probiotic (docs/calibration.md)",
     "relative increase of pathogen infiltration (k4 term) per unit of excess inflammation"},
    {"scorad_easi_moderate", "EASI", 6.0, 6.0, 6.0, GS_MEASURED,
     "Chopra 2017 Br J Dermatol 177:1316, EASI moderate from 6.0",
     "EASI at the mild/moderate boundary (SCORAD mapping knot)"},
    {"scorad_at_moderate", "SCORAD", 29.0, 29.0, 29.0, GS_MEASURED,
     "Chopra 2017 Br J Dermatol 177:1316, SCORAD moderate from 29.0",
     "SCORAD at the mild/moderate boundary"},
    {"scorad_easi_severe", "EASI", 23.0, 23.0, 23.0, GS_MEASURED,
     "Chopra 2017 Br J Dermatol 177:1316, EASI severe from 23.0",
     "EASI at the moderate/severe boundary (SCORAD mapping knot)"},
    {"scorad_at_severe", "SCORAD", 49.0, 49.0, 49.0, GS_MEASURED,
     "Chopra 2017 Br J Dermatol 177:1316, SCORAD severe from 49.0",
     "SCORAD at the moderate/severe boundary"},
    {"scorad_max", "SCORAD", 103.0, 103.0, 103.0, GS_MEASURED,
     "SCORAD maximum 103 at EASI maximum 72 (European Task Force 1993; Hanifin 2001)",
     "SCORAD at EASI 72"},
};

static const gs_quantity inputs[] = {
    {"standard_care", "adherence 0-1", 0, 0, 1, GS_MEASURED,
     MIYANO ": k3, the standard-care effect, is on during treatment",
     "standard topical care and emollients; multiplies k3"},
    {"dupilumab", "fraction blocked", 0, 0, 1, GS_MEASURED, MIYANO,
     "blockade of IL-4 and IL-13"},
    {"nemolizumab", "fraction blocked", 0, 0, 1, GS_MEASURED, MIYANO, "blockade of IL-31"},
    {"tezepelumab", "fraction blocked", 0, 0, 1, GS_MEASURED, MIYANO, "blockade of TSLP"},
    {"gbr830", "fraction blocked", 0, 0, 1, GS_MEASURED, MIYANO, "blockade of OX40"},
    {"fezakinumab", "fraction blocked", 0, 0, 1, GS_MEASURED, MIYANO, "blockade of IL-22"},
    {"secukinumab", "fraction blocked", 0, 0, 1, GS_MEASURED, MIYANO, "blockade of IL-17"},
    {"rifng", "IFNg model units", 0, 0, 1000, GS_MEASURED, MIYANO,
     "recombinant IFN-gamma added to IFNg (Miyano used 210)"},
    {"tralokinumab", "fraction blocked", 0, 0, 1, GS_MEASURED, MIYANO,
     "partial blockade of IL-13 (times a2)"},
    {"lebrikizumab", "fraction blocked", 0, 0, 1, GS_MEASURED, MIYANO, "blockade of IL-13"},
    {"systemic_inflammation", "N* units", 0, 0, 100, GS_ASSUMPTION,
     "see links.c: inflammation_to_eczema", "systemic inflammation from the gut"},
};

static const gs_quantity outputs[] = {
    {"easi", "EASI (0-72)", 0, 0, 72, GS_MEASURED, MIYANO ": EASI = 72 (2 IP + 2 (1 - SB)) / 4",
     "Eczema Area and Severity Index"},
    {"scorad", "SCORAD (0-103)", 0, 0, 103, GS_ASSUMPTION,
     "assumption: piecewise-linear map of EASI through the severity-strata "
     "boundaries of Chopra 2017 Br J Dermatol 177:1316",
     "SCORing Atopic Dermatitis"},
};

static double easi_of(const double *y)
{
    return 72.0 * (2.0 * y[IP] + 2.0 * (1.0 - y[SB])) / 4.0;
}

static double clamp01(double x) { return x < 0 ? 0 : (x > 1 ? 1 : x); }

static void rhs(const double *y, const double *p, const double *in, double *dy)
{
    /* Remaining fractions of each cytokine after the drugs. */
    double dup = clamp01(in[DUPILUMAB]);
    double il4 = (1.0 - dup) * y[IL4];
    double il13 = (1.0 - dup) * (1.0 - p[A2] * clamp01(in[TRALOKINUMAB])) *
                  (1.0 - clamp01(in[LEBRIKIZUMAB])) * y[IL13];
    double il17 = (1.0 - clamp01(in[SECUKINUMAB])) * y[IL17];
    double il22 = (1.0 - clamp01(in[FEZAKINUMAB])) * y[IL22];
    double il31 = (1.0 - clamp01(in[NEMOLIZUMAB])) * y[IL31];
    double tslp = (1.0 - clamp01(in[TEZEPELUMAB])) * y[TSLP];
    double ox40l = (1.0 - clamp01(in[GBR830])) * y[OX40L];
    double ifng = y[IFNG] + (in[RIFNG] > 0 ? in[RIFNG] : 0.0);

    /* Excess systemic inflammation (assumption); 0 at rest and unlinked. */
    double excess = in[SYSTEMIC_INFLAMMATION] - p[INFL_REF];
    if (excess < 0) excess = 0;
    double disrupt = 1.0 + p[INFL_BARRIER] * excess;
    double infiltrate = 1.0 + p[INFL_INFILTRATION] * excess;

    double k3 = p[K3] * clamp01(in[STANDARD_CARE]);
    double recovery = (1.0 - y[SB]) * (p[K1] + p[K2] * il22 + k3) /
                      ((1.0 + p[B1] * il4) * (1.0 + p[B2] * il13) * (1.0 + p[B3] * il17) *
                       (1.0 + p[B4] * il22) * (1.0 + p[B5] * il31));
    dy[SB] = recovery - y[SB] * (p[D1] * (1.0 + p[D3] * y[IP]) * disrupt + p[D2] * il31);

    double elimination = (1.0 + p[D4] * y[IP]) * (1.0 + p[D5] * il17) * (1.0 + p[D6] * il22) *
                         (1.0 + p[D7] * ifng) / ((1.0 + p[B7] * il4) * (1.0 + p[B8] * il13));
    /* k4 = d8 (Miyano 2022). */
    dy[IP] = p[D8] * infiltrate / (1.0 + p[B6] * y[SB]) -
             y[IP] * (p[IP_ELIM] * elimination + p[D8]);

    double q = 4.0 + p[K9] * ifng + p[K10] * il4;
    double r = p[D9] / (1.0 + p[B9] * ox40l);
    dy[TH1] = p[K5] * y[IP] * (1.0 + p[K9] * ifng) / q - r * y[TH1];
    dy[TH2] = p[K6] * y[IP] * (1.0 + p[K10] * il4) / q - r * y[TH2];
    dy[TH17] = p[K7] * y[IP] / q - r * y[TH17];
    dy[TH22] = p[K8] * y[IP] / q - r * y[TH22];

    dy[IL4] = p[K11] * y[TH2] + p[K12] - p[D10] * y[IL4];
    dy[IL13] = p[K13] * y[TH2] + p[K14] - p[D11] * y[IL13];
    dy[IL17] = p[K15] * y[TH17] + p[K16] - p[D12] * y[IL17];
    dy[IL22] = p[K17] * y[TH22] + p[K18] - p[D13] * y[IL22];
    dy[IL31] = p[K19] * y[TH2] + p[K20] - p[D14] * y[IL31];
    dy[IFNG] = p[K21] * y[TH1] + p[K22] - p[D15] * y[IFNG];
    dy[TSLP] = p[K23] * y[IP] + p[K24] - p[D16] * y[TSLP];
    dy[OX40L] = p[K25] * tslp + p[K26] - p[D17] * y[OX40L];
}

/* SCORAD from EASI: piecewise linear through (0,0), the two stratum
 * boundaries of Chopra 2017, and (72,103).  Monotone; an assumption. */
static double scorad_of(double easi, const double *p)
{
    double e1 = p[SCORAD_E1], s1 = p[SCORAD_S1], e2 = p[SCORAD_E2], s2 = p[SCORAD_S2];
    assert(0 < e1 && e1 < e2 && e2 < 72.0);
    if (easi <= 0) return 0;
    if (easi < e1) return s1 * easi / e1;
    if (easi < e2) return s1 + (s2 - s1) * (easi - e1) / (e2 - e1);
    if (easi < 72.0) return s2 + (p[SCORAD_MAX] - s2) * (easi - e2) / (72.0 - e2);
    return p[SCORAD_MAX];
}

static void output(const double *y, const double *p, double *out)
{
    out[EASI] = easi_of(y);
    out[SCORAD] = scorad_of(out[EASI], p);
}

/* Derivative of clamp01 on the branch it takes (0 outside (0, 1)). */
static double clamp01_slope(double x) { return x > 0 && x < 1 ? 1.0 : 0.0; }

/* The analytic Jacobian of rhs() (model.h, gs_jac_fn: row-major dfdy
 * [14 x 14] and dfdin [14 x 11], zeroed on entry).  Each equation is first
 * differentiated with respect to the effective quantities the drugs act
 * on (the blocked cytokines, IFN-gamma with rIFN-gamma, k3 with standard
 * care, the excess systemic inflammation), then the chain rule carries
 * those partials to the states and to the inputs. */
static void jac(const double *y, const double *p, const double *in, double *dfdy,
                double *dfdin)
{
    enum { NS = OX40L + 1, NI = SYSTEMIC_INFLAMMATION + 1 };
    /* effective quantities */
    enum { E_IL4, E_IL13, E_IL17, E_IL22, E_IL31, E_TSLP, E_OX40L, E_IFNG, E_K3, E_EXCESS,
           N_EFFECTIVE };
#define DY(i, k) dfdy[(i) * NS + (k)]
#define DIN(i, j) dfdin[(i) * NI + (j)]
    double dup = clamp01(in[DUPILUMAB]), tra = clamp01(in[TRALOKINUMAB]),
           leb = clamp01(in[LEBRIKIZUMAB]);
    double f4 = 1.0 - dup;
    double f13 = (1.0 - dup) * (1.0 - p[A2] * tra) * (1.0 - leb);
    double f17 = 1.0 - clamp01(in[SECUKINUMAB]), f22 = 1.0 - clamp01(in[FEZAKINUMAB]);
    double f31 = 1.0 - clamp01(in[NEMOLIZUMAB]), ftslp = 1.0 - clamp01(in[TEZEPELUMAB]);
    double fox = 1.0 - clamp01(in[GBR830]);
    double il4 = f4 * y[IL4], il13 = f13 * y[IL13], il17 = f17 * y[IL17];
    double il22 = f22 * y[IL22], il31 = f31 * y[IL31], ox40l = fox * y[OX40L];
    double ifng = y[IFNG] + (in[RIFNG] > 0 ? in[RIFNG] : 0.0);
    double excess = in[SYSTEMIC_INFLAMMATION] - p[INFL_REF];
    double excess_slope = excess > 0 ? 1.0 : 0.0;
    if (excess < 0) excess = 0;
    double disrupt = 1.0 + p[INFL_BARRIER] * excess;
    double infiltrate = 1.0 + p[INFL_INFILTRATION] * excess;
    double k3 = p[K3] * clamp01(in[STANDARD_CARE]);

    /* g[i][e] = d dydt[i] / d effective quantity e */
    double g[NS][N_EFFECTIVE] = {{0}};

    /* barrier integrity */
    double i4 = 1.0 + p[B1] * il4, i13 = 1.0 + p[B2] * il13, i17 = 1.0 + p[B3] * il17;
    double i22 = 1.0 + p[B4] * il22, i31 = 1.0 + p[B5] * il31;
    double den = i4 * i13 * i17 * i22 * i31;
    double drive = p[K1] + p[K2] * il22 + k3;
    double recovery = (1.0 - y[SB]) * drive / den;
    DY(SB, SB) = -drive / den - (p[D1] * (1.0 + p[D3] * y[IP]) * disrupt + p[D2] * il31);
    DY(SB, IP) = -y[SB] * p[D1] * p[D3] * disrupt;
    g[SB][E_IL4] = -recovery * p[B1] / i4;
    g[SB][E_IL13] = -recovery * p[B2] / i13;
    g[SB][E_IL17] = -recovery * p[B3] / i17;
    g[SB][E_IL22] = (1.0 - y[SB]) * p[K2] / den - recovery * p[B4] / i22;
    g[SB][E_IL31] = -recovery * p[B5] / i31 - y[SB] * p[D2];
    g[SB][E_K3] = (1.0 - y[SB]) / den;
    g[SB][E_EXCESS] = -y[SB] * p[D1] * (1.0 + p[D3] * y[IP]) * p[INFL_BARRIER];

    /* infiltrated pathogens */
    double e4 = 1.0 + p[B7] * il4, e13 = 1.0 + p[B8] * il13, eip = 1.0 + p[D4] * y[IP];
    double e17 = 1.0 + p[D5] * il17, e22 = 1.0 + p[D6] * il22, eg = 1.0 + p[D7] * ifng;
    double elimination = eip * e17 * e22 * eg / (e4 * e13);
    double lost = y[IP] * p[IP_ELIM] * elimination;  /* the elimination term */
    double shield = 1.0 + p[B6] * y[SB];
    DY(IP, SB) = -p[D8] * infiltrate * p[B6] / (shield * shield);
    DY(IP, IP) = -(p[IP_ELIM] * elimination + p[D8]) - lost * p[D4] / eip;
    g[IP][E_IL17] = -lost * p[D5] / e17;
    g[IP][E_IL22] = -lost * p[D6] / e22;
    g[IP][E_IFNG] = -lost * p[D7] / eg;
    g[IP][E_IL4] = lost * p[B7] / e4;
    g[IP][E_IL13] = lost * p[B8] / e13;
    g[IP][E_EXCESS] = p[D8] * p[INFL_INFILTRATION] / shield;

    /* T helper cells: differentiation over q, decay r slowed by OX40L */
    double q = 4.0 + p[K9] * ifng + p[K10] * il4;
    double r = p[D9] / (1.0 + p[B9] * ox40l);
    double dr_dox = -p[D9] * p[B9] / ((1.0 + p[B9] * ox40l) * (1.0 + p[B9] * ox40l));
    double a1 = p[K5] * (1.0 + p[K9] * ifng), a2 = p[K6] * (1.0 + p[K10] * il4);
    const double lead[4] = {a1, a2, p[K7], p[K8]};  /* numerators over IP */
    for (int t = 0; t < 4; t++) {
        int i = TH1 + t;
        DY(i, IP) = lead[t] / q;
        DY(i, i) = -r;
        g[i][E_IFNG] = -y[IP] * lead[t] * p[K9] / (q * q);
        g[i][E_IL4] = -y[IP] * lead[t] * p[K10] / (q * q);
        g[i][E_OX40L] = -y[i] * dr_dox;
    }
    g[TH1][E_IFNG] += y[IP] * p[K5] * p[K9] / q;
    g[TH2][E_IL4] += y[IP] * p[K6] * p[K10] / q;

    /* cytokines: production by their source minus first-order decay */
    DY(IL4, TH2) = p[K11];   DY(IL4, IL4) = -p[D10];
    DY(IL13, TH2) = p[K13];  DY(IL13, IL13) = -p[D11];
    DY(IL17, TH17) = p[K15]; DY(IL17, IL17) = -p[D12];
    DY(IL22, TH22) = p[K17]; DY(IL22, IL22) = -p[D13];
    DY(IL31, TH2) = p[K19];  DY(IL31, IL31) = -p[D14];
    DY(IFNG, TH1) = p[K21];  DY(IFNG, IFNG) = -p[D15];
    DY(TSLP, IP) = p[K23];   DY(TSLP, TSLP) = -p[D16];
    g[OX40L][E_TSLP] = p[K25];
    DY(OX40L, OX40L) = -p[D17];

    /* chain rule: effective quantity -> state (its remaining fraction) */
    const struct { int e, state; double fraction; } to_state[] = {
        {E_IL4, IL4, f4},     {E_IL13, IL13, f13},    {E_IL17, IL17, f17},
        {E_IL22, IL22, f22},  {E_IL31, IL31, f31},    {E_TSLP, TSLP, ftslp},
        {E_OX40L, OX40L, fox}, {E_IFNG, IFNG, 1.0},
    };
    /* effective quantity -> input: d effective / d input */
    const struct { int e, input; double slope; } to_input[] = {
        {E_IL4, DUPILUMAB, -y[IL4] * clamp01_slope(in[DUPILUMAB])},
        {E_IL13, DUPILUMAB, -y[IL13] * (1.0 - p[A2] * tra) * (1.0 - leb) *
                                clamp01_slope(in[DUPILUMAB])},
        {E_IL13, TRALOKINUMAB, -y[IL13] * (1.0 - dup) * p[A2] * (1.0 - leb) *
                                   clamp01_slope(in[TRALOKINUMAB])},
        {E_IL13, LEBRIKIZUMAB, -y[IL13] * (1.0 - dup) * (1.0 - p[A2] * tra) *
                                   clamp01_slope(in[LEBRIKIZUMAB])},
        {E_IL17, SECUKINUMAB, -y[IL17] * clamp01_slope(in[SECUKINUMAB])},
        {E_IL22, FEZAKINUMAB, -y[IL22] * clamp01_slope(in[FEZAKINUMAB])},
        {E_IL31, NEMOLIZUMAB, -y[IL31] * clamp01_slope(in[NEMOLIZUMAB])},
        {E_TSLP, TEZEPELUMAB, -y[TSLP] * clamp01_slope(in[TEZEPELUMAB])},
        {E_OX40L, GBR830, -y[OX40L] * clamp01_slope(in[GBR830])},
        {E_IFNG, RIFNG, in[RIFNG] > 0 ? 1.0 : 0.0},
        {E_K3, STANDARD_CARE, p[K3] * clamp01_slope(in[STANDARD_CARE])},
        {E_EXCESS, SYSTEMIC_INFLAMMATION, excess_slope},
    };
    for (int i = 0; i < NS; i++) {
        for (size_t c = 0; c < GS_COUNT(to_state); c++)
            DY(i, to_state[c].state) += g[i][to_state[c].e] * to_state[c].fraction;
        for (size_t c = 0; c < GS_COUNT(to_input); c++)
            DIN(i, to_input[c].input) += g[i][to_input[c].e] * to_input[c].slope;
    }
#undef DY
#undef DIN
}

const gs_block gs_block_skin_ad = {
    .name = "skin_ad",
    .title = "atopic dermatitis (Miyano 2022 QSP model, in days)",
    .citation = "Miyano T, Irvine AD, Tanaka RJ. Allergy 2022;77:582-594, doi:10.1111/all.14870",
    .states = states, .n_states = GS_COUNT(states),
    .params = params, .n_params = GS_COUNT(params),
    .inputs = inputs, .n_inputs = GS_COUNT(inputs),
    .outputs = outputs, .n_outputs = GS_COUNT(outputs),
    .rhs = rhs,
    .output = output,
    .flags = GS_BLOCK_SKIN,
    .jac = jac,
};
