/*
 * links.c - the named couplings between blocks and from interventions.
 *
 * Each row wires one block input to a state or output of another block,
 * or to an intervention's dose ("dose.<name>").  The coupling's strength
 * and form live in the target block's parameters; the row carries the
 * evidence grade of the link itself.  Every gut-to-skin link is an
 * assumption (reference/calibration.md): no paper measured it.
 */
#include "gutskin/model.h"

static const gs_link links[] = {
    /* name, to, from, grade, source, why */
    /* ---- diet and supplements into the gut; gut to systemic ---- */
    {"omega3_resolution", "systemic.anti_inflammatory_drive", "nutrients.omega3_drive",
     GS_ASSUMPTION, "Calder 2017, Biochem Soc Trans 45:1105 (omega-3 and resolution of inflammation)",
     "long-chain omega-3 fatty acids dampen phagocyte activation"},
    /* ---- systemic and gut to skin ---- */
    {"emollient_standard_care", "skin_ad.standard_care", "dose.emollient", GS_MEASURED,
     "Miyano 2022 Allergy 77:582 (k3, standard care in every arm)",
     "topical care and emollients restore the skin barrier"},
    {"dupilumab_il4_il13", "skin_ad.dupilumab", "dose.dupilumab", GS_MEASURED,
     "Miyano 2022 Allergy 77:582", "anti-IL-4Ra blocks IL-4 and IL-13 signalling"},
    {"nemolizumab_il31", "skin_ad.nemolizumab", "dose.nemolizumab", GS_MEASURED,
     "Miyano 2022 Allergy 77:582", "anti-IL-31RA blocks IL-31"},
    {"tezepelumab_tslp", "skin_ad.tezepelumab", "dose.tezepelumab", GS_MEASURED,
     "Miyano 2022 Allergy 77:582", "anti-TSLP blocks TSLP"},
    {"gbr830_ox40", "skin_ad.gbr830", "dose.gbr830", GS_MEASURED,
     "Miyano 2022 Allergy 77:582", "anti-OX40 blocks OX40 signalling"},
    {"fezakinumab_il22", "skin_ad.fezakinumab", "dose.fezakinumab", GS_MEASURED,
     "Miyano 2022 Allergy 77:582", "anti-IL-22 blocks IL-22"},
    {"secukinumab_il17", "skin_ad.secukinumab", "dose.secukinumab", GS_MEASURED,
     "Miyano 2022 Allergy 77:582", "anti-IL-17A blocks IL-17"},
    {"rifng_ifng", "skin_ad.rifng", "dose.rifng", GS_MEASURED,
     "Miyano 2022 Allergy 77:582", "recombinant IFN-gamma adds to IFN-gamma"},
    {"tralokinumab_il13", "skin_ad.tralokinumab", "dose.tralokinumab", GS_MEASURED,
     "Miyano 2022 Allergy 77:582 (a2 = 0.4396)", "anti-IL-13, partial neutralisation"},
    {"lebrikizumab_il13", "skin_ad.lebrikizumab", "dose.lebrikizumab", GS_MEASURED,
     "Miyano 2022 Allergy 77:582", "anti-IL-13 blocks IL-13"},
    {"inflammation_to_eczema", "skin_ad.systemic_inflammation", "systemic.inflammation",
     GS_ASSUMPTION, "assumption (reference/calibration.md); docs/model/skin.md",
     "circulating inflammation weakens the skin barrier and eases pathogen entry"},
};

const gs_link *gs_link_registry(size_t *n)
{
    *n = GS_COUNT(links);
    return links;
}
