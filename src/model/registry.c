/*
 * registry.c - the table of blocks, in the order they appear in output.
 * Gut blocks first, then systemic, then skin, so a composed state vector
 * reads from cause to effect.
 */
#include "gutskin/blocks.h"

#include <string.h>

static const gs_block *const blocks[] = {
    /* gut */
    &gs_block_microbiome,
    &gs_block_metabolites,
    &gs_block_barrier,
    &gs_block_oxidative,
    &gs_block_nutrients,
    &gs_block_hormones,
    /* systemic */
    &gs_block_systemic,
    /* skin */
    &gs_block_skin_ad,
    &gs_block_skin_acne,
    &gs_block_skin_rosacea,
    &gs_block_skin_ageing,
    /* reference models (not part of the axis) */
    &gs_block_gut_mouse_stein2013,
};

const gs_block *const *gs_block_registry(size_t *n)
{
    *n = GS_COUNT(blocks);
    return blocks;
}

const gs_block *gs_block_find(const char *name)
{
    for (size_t i = 0; i < GS_COUNT(blocks); i++)
        if (strcmp(blocks[i]->name, name) == 0) return blocks[i];
    return NULL;
}
