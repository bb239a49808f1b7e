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
};

const gs_link *gs_link_registry(size_t *n)
{
    *n = GS_COUNT(links);
    return links;
}
