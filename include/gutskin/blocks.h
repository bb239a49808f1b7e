/*
 * blocks.h - every block definition, for the registry and for tests.
 * Adding a block: one file in src/model/blocks/, one line here and one
 * line in src/model/registry.c.
 */
#ifndef GUTSKIN_BLOCKS_H
#define GUTSKIN_BLOCKS_H

#include "gutskin/model.h"

/* gut */
extern const gs_block gs_block_microbiome;
extern const gs_block gs_block_metabolites;
extern const gs_block gs_block_barrier;
extern const gs_block gs_block_oxidative;
extern const gs_block gs_block_nutrients;
extern const gs_block gs_block_hormones;
/* systemic */
extern const gs_block gs_block_systemic;
/* skin */
extern const gs_block gs_block_skin_ad;
extern const gs_block gs_block_skin_acne;
extern const gs_block gs_block_skin_rosacea;
extern const gs_block gs_block_skin_ageing;
/* reference models (not part of the axis) */
extern const gs_block gs_block_gut_mouse_stein2013;

#endif
