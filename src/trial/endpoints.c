/*
 * endpoints.c - one patient's endpoints and timeline from its daily
 * samples (docs/trials.md, "Endpoints" and "Timeline").
 *
 * Percent change is 100 (x_d - x_0) / x_0 with x_0 the baseline (day 0,
 * the steady state); a responder's percent change reaches the threshold
 * (at or below it for a fall, at or above it for a rise), as EASI-75 and
 * "lesion count halved" are defined in the trials they come from (e.g.
 * Miyano 2022; Smith 2007).  Time to response is the first visit day
 * at which the patient is a responder: trials assess at scheduled visits
 * (Smith 2007 every 4 weeks), so a value that crosses the threshold
 * between two visits is seen at the next one.  Without `visits` every
 * day is a visit.
 *
 * Timeline: the improvement at day t is x_0 - x_t (or x_t - x_0 when a
 * higher score is better); with F the improvement at the last day, the
 * day by which half (90%) of it is reached is the first crossing of
 * 0.5 F (0.9 F), interpolated linearly between the daily samples.  A
 * patient whose score did not improve by at least 1% of its baseline by
 * the end has no timeline (NAN).
 *
 * gs_trial_observe turns the model's daily scores into what the trial
 * measures (measurement error, placebo response: gs_observe) before the
 * endpoints are computed; the timeline follows the model's score.
 * gs_timeline_day itself lives in src/util/timeline.c (shared with
 * scenarios).
 */
#include "gutskin/trial.h"
#include "gutskin/timeline.h"

#include <assert.h>
#include <math.h>

const char *gs_endpoint_kind_name(gs_endpoint_kind k)
{
    switch (k) {
    case GS_EP_VALUE: return "value";
    case GS_EP_CHANGE: return "change";
    case GS_EP_PERCENT_CHANGE: return "percent_change";
    case GS_EP_RESPONDER: return "responder";
    case GS_EP_TIME_TO_RESPONSE: return "time_to_response";
    }
    return "unknown";
}

static int responds(double percent, double threshold)
{
    return threshold < 0 ? percent <= threshold : percent >= threshold;
}

void gs_trial_observe(const gs_trial *t, long patient, double *series)
{
    size_t stride = (size_t)t->days + 1;
    for (size_t e = 0; e < t->n_endpoints; e++) {
        double *x = series + e * stride;
        for (size_t d = 0; d < stride; d++)
            x[d] = gs_observe(&t->pop, t->seed, patient, t->endpoints[e].column, (int)d, x[d]);
    }
}

gs_status gs_trial_endpoints(const gs_trial *t, const double *series, const double *timeline,
                             gs_patient_result *r, gs_err *err)
{
    int days = t->days;
    size_t stride = (size_t)days + 1;
    for (size_t e = 0; e < t->n_endpoints; e++) {
        const gs_endpoint *ep = &t->endpoints[e];
        const double *x = series + e * stride;
        double base = x[0];
        r->baseline[e] = base;
        int relative = ep->kind == GS_EP_PERCENT_CHANGE || ep->kind == GS_EP_RESPONDER ||
                       ep->kind == GS_EP_TIME_TO_RESPONSE;
        if (relative && base == 0)
            return gs_fail(err, GS_ERR_SOLVER, "endpoint %s: the baseline score is 0, so a "
                           "percent change is undefined (add an inclusion criterion with a "
                           "positive min)", ep->name);
        assert(ep->day >= 0 && ep->day <= days);
        double at = x[ep->day];
        switch (ep->kind) {
        case GS_EP_VALUE: r->value[e] = at; break;
        case GS_EP_CHANGE: r->value[e] = at - base; break;
        case GS_EP_PERCENT_CHANGE: r->value[e] = 100.0 * (at - base) / base; break;
        case GS_EP_RESPONDER:
            r->value[e] = responds(100.0 * (at - base) / base, ep->threshold_percent);
            break;
        case GS_EP_TIME_TO_RESPONSE: {
            r->value[e] = NAN;
            size_t n = t->n_visits ? t->n_visits : (size_t)days;
            for (size_t v = 0; v < n; v++) {
                int d = t->n_visits ? t->visits[v] : (int)v + 1;
                assert(d >= 1 && d <= days);
                if (responds(100.0 * (x[d] - base) / base, ep->threshold_percent)) {
                    r->value[e] = d;
                    break;
                }
            }
            break;
        }
        }
    }
    r->t50 = gs_timeline_day(NULL, timeline, stride, t->timeline_higher_better, 0.5);
    r->t90 = gs_timeline_day(NULL, timeline, stride, t->timeline_higher_better, 0.9);
    return GS_OK;
}
