/*
 * timeline.c - the day by which half (90%) of a score's final
 * improvement is reached (timeline.h).
 *
 * With F the improvement at the last sample, the answer is the first
 * sample interval in which the improvement reaches share * F, and the day
 * within it by linear interpolation.  A score that overshoots and comes
 * back still counts its first crossing: that is when the person first saw
 * that much improvement.  No paper: a descriptive measure (issue 3, item
 * 6); the 1% floor is a choice, documented in docs/trials.md and
 * docs/scenarios.md.
 */
#include "gutskin/timeline.h"

#include <assert.h>
#include <math.h>

double gs_timeline_day(const double *days, const double *x, size_t n, int higher_better,
                       double share)
{
    assert(x || n == 0);
    assert(share > 0 && share <= 1);
    if (n < 2) return NAN;
    double final = higher_better ? x[n - 1] - x[0] : x[0] - x[n - 1];
    if (!(final > 0) || final < GS_TIMELINE_MIN_PERCENT / 100.0 * fabs(x[0])) return NAN;
    double target = share * final, before = 0;
    for (size_t k = 1; k < n; k++) {
        double now = higher_better ? x[k] - x[0] : x[0] - x[k];
        if (now >= target) {
            double step = now - before;
            double within = fmin(1.0, fmax(0.0, step > 0 ? (target - before) / step : 1.0));
            double d0 = days ? days[k - 1] : (double)(k - 1), d1 = days ? days[k] : (double)k;
            return d0 + within * (d1 - d0);
        }
        before = now;
    }
    return days ? days[n - 1] : (double)(n - 1);  /* reached at the end, by definition */
}
