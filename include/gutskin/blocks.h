/*
 * blocks.h - every block definition, for the registry and for tests.
 * Adding a block: one file in src/model/blocks/, one line here and one
 * line in src/model/registry.c.
 */
#ifndef GUTSKIN_BLOCKS_H
#define GUTSKIN_BLOCKS_H

#include "gutskin/model.h"

/* systemic.inflammation (f(N*) of Reynolds 2006) at the healthy steady state
 * of the composed axis on the usual diet.  Blocks that read inflammation use
 * it as their input's default and as the reference above which inflammation
 * acts, so a healthy gut leaves them at rest.  test_blocks_gut's
 * composed_axis_is_healthy measures it; change it here if the systemic or
 * barrier calibration moves it. */
#define GS_INFLAMMATION_HEALTHY 0.00263

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
