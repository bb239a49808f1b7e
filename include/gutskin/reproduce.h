/*
 * reproduce.h - reproductions of published models, run exactly as their
 * papers describe, as evidence that our blocks implement them faithfully.
 * Each returns a JSON document (jansson; the caller owns the reference)
 * whose schema is documented in docs/model.md and in `gutskin reproduce
 * --help`.
 */
#ifndef GUTSKIN_REPRODUCE_H
#define GUTSKIN_REPRODUCE_H

#include <jansson.h>

#include "gutskin/status.h"

/* Reynolds 2006: k_pg in {0.3, 0.6}/h x P0 in {0.1, 0.5, 1, 2, 4, 8};
 * states at 48, 168, 500 h and the outcome health / aseptic / septic. */
gs_status gs_reproduce_reynolds2006(json_t **out, gs_err *err);

/* Miyano 2022: the published virtual trial of ten arms over 24 weeks.
 * threads <= 0 means OpenMP's default.  Results do not depend on threads. */
gs_status gs_reproduce_miyano2022(int patients, unsigned long seed, int threads,
                                  json_t **out, gs_err *err);

/* Stein 2013: the 11-genus mouse gut model with clindamycin, against the
 * measured series; error per genus. */
gs_status gs_reproduce_stein2013(json_t **out, gs_err *err);

#endif
