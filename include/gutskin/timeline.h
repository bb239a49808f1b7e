/*
 * timeline.h - "how long until my skin improves?": the day by which a
 * share (half, 90%) of a score's final improvement is reached.
 *
 * Used by a scenario's run (`gutskin simulate`, docs/scenarios.md,
 * "Timeline") and by every patient of a trial (docs/trials.md,
 * "Timeline").  It sits in the utility layer so both can call it.  No
 * paper defines it: it is the descriptive measure issue 3 asks for, the
 * same idea as a pharmacodynamic onset time (time to 50% / 90% of the
 * final effect), computed on the model's own score.
 */
#ifndef GUTSKIN_TIMELINE_H
#define GUTSKIN_TIMELINE_H

#include <stddef.h>

/* A score improved only when it moved at least this percentage of its
 * baseline in the better direction by the last sample; smaller changes
 * are the residual drift of a burn-in or noise no clinician would call
 * improvement. */
#define GS_TIMELINE_MIN_PERCENT 1.0

/* The day by which `share` (0 < share <= 1, e.g. 0.5 or 0.9) of the final
 * improvement of score x is reached: x[k] sampled at days[k] (days NULL:
 * day k), k = 0..n-1, days increasing, x[0] the baseline.  The
 * improvement at sample k is x[0] - x[k] (x[k] - x[0] when higher_better);
 * the day is the first crossing of share times the improvement at the
 * last sample, linear between samples.  NAN when n < 2 or the score
 * improved by less than GS_TIMELINE_MIN_PERCENT of its baseline by the
 * last sample ("no improvement"). */
double gs_timeline_day(const double *days, const double *x, size_t n, int higher_better,
                       double share);

#endif
