/*
 * interventions.c - the table of everything a schedule can dose.
 *
 * Diet entries have a usual value (a typical Western adult diet); a
 * schedule span replaces it.  Supplements and drugs default to zero.
 * Supplements are described by composition, never by brand.  Biologics
 * follow Miyano 2022: the dose is the fraction of the target cytokine
 * blocked (the published protocol uses 0.99).
 */
#include "gutskin/model.h"

#include <string.h>

static const gs_intervention interventions[] = {
    /* name, unit, baseline, lo, hi, about */
    {"fibre", "g/day", 15, 0, 100,
     "dietary fibre; usual Western intake about 15 g/day, recommended 25-30"},
    {"glycaemic_load", "GL units/day", 150, 0, 400,
     "daily glycaemic load; Smith 2007 low-GL diet about 80-100, usual about 150"},
    {"alcohol", "g ethanol/day", 0, 0, 200,
     "alcohol; 10 g is about one standard drink"},
    {"inflammatory_food", "dietary inflammatory index", 0, -8, 8,
     "dietary inflammatory index (DII): negative anti-, positive pro-inflammatory"},
    {"probiotic", "1e9 CFU/day", 0, 0, 1000,
     "oral probiotic, mixed lactobacilli and bifidobacteria, billions of CFU per day"},
    {"butyrate", "mg/day", 0, 0, 4000, "postbiotic: oral sodium butyrate"},
    {"zinc", "mg/day", 0, 0, 150, "supplemental elemental zinc (diet is separate)"},
    {"vitamin_a", "ug RAE/day", 0, 0, 3000,
     "supplemental vitamin A, retinol activity equivalents (upper limit 3000)"},
    {"omega3", "mg EPA+DHA/day", 0, 0, 5000, "supplemental long-chain omega-3"},
    {"glutamine", "g/day", 0, 0, 30, "supplemental L-glutamine"},
    {"antibiotic", "fraction of a full course", 0, 0, 1,
     "broad-spectrum systemic antibiotic; 1 = a full therapeutic dose"},
    {"rifaximin", "mg/day", 0, 0, 1650,
     "gut-local, non-absorbed antibiotic (Parodi 2008 used 1200 mg/day)"},
    {"nsaid", "mg ibuprofen-equivalent/day", 0, 0, 3200,
     "non-steroidal anti-inflammatory drug; damages the small-intestinal barrier"},
    {"emollient", "adherence 0-1", 0, 0, 1,
     "standard topical skin care and emollients; 1 = as prescribed"},
    /* Biologics of the Miyano 2022 protocol: fraction of the target blocked. */
    {"dupilumab", "fraction blocked", 0, 0, 1, "anti-IL-4Ra: blocks IL-4 and IL-13"},
    {"nemolizumab", "fraction blocked", 0, 0, 1, "anti-IL-31RA: blocks IL-31"},
    {"tezepelumab", "fraction blocked", 0, 0, 1, "anti-TSLP"},
    {"gbr830", "fraction blocked", 0, 0, 1, "anti-OX40"},
    {"fezakinumab", "fraction blocked", 0, 0, 1, "anti-IL-22"},
    {"secukinumab", "fraction blocked", 0, 0, 1, "anti-IL-17A"},
    {"rifng", "model units", 0, 0, 1000,
     "recombinant interferon-gamma, added to IFN-gamma (Miyano 2022 used 210)"},
    {"tralokinumab", "fraction blocked", 0, 0, 1,
     "anti-IL-13, partial neutralisation (Miyano a2 = 0.4396)"},
    {"lebrikizumab", "fraction blocked", 0, 0, 1, "anti-IL-13"},
};

const gs_intervention *gs_intervention_registry(size_t *n)
{
    *n = GS_COUNT(interventions);
    return interventions;
}

int gs_intervention_index(const char *name)
{
    for (size_t i = 0; i < GS_COUNT(interventions); i++)
        if (strcmp(interventions[i].name, name) == 0) return (int)i;
    return -1;
}
