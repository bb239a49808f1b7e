/*
 * score.c - from answers to red flags and groups of signs.
 *
 * Deliberately simple, so a person can check it by hand: a red flag is an
 * asked red-flag item whose answer meets its rule; a group of signs is
 * present when one of its presence questions is answered yes; its strength
 * is the highest severity (0-10) given for it, read in three bands; its
 * duration is the chosen option of its duration question.  There is no
 * total score: signs of different conditions do not add up to anything
 * meaningful.  No paper: the bands are the usual thirds of a 0-10 scale.
 */
#include "gutskin/assess.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>

const char *gs_assess_strength(double severity)
{
    if (isnan(severity)) return NULL;
    if (severity < 4) return "mild";
    if (severity < 7) return "moderate";
    return "marked";
}

gs_status gs_assess_score(const gs_assess_instrument *inst, const gs_assess_answer *answers,
                          gs_assess_result *out, gs_err *err)
{
    out->n_flags = 0;
    out->flags = calloc(inst->n_items ? inst->n_items : 1, sizeof *out->flags);
    out->groups = calloc(inst->n_groups ? inst->n_groups : 1, sizeof *out->groups);
    if (!out->flags || !out->groups) {
        gs_assess_result_free(out);
        return gs_fail(err, GS_ERR_NOMEM, "out of memory scoring the self-check");
    }
    for (size_t g = 0; g < inst->n_groups; g++) {
        out->groups[g].severity = NAN;
        out->groups[g].duration = -1;
    }
    for (size_t k = 0; k < inst->n_items; k++) {
        const gs_assess_item *item = &inst->items[k];
        const gs_assess_answer *a = &answers[k];
        if (!a->given || !gs_assess_is_asked(inst, k, answers)) continue;
        assert(item->group < inst->n_groups);
        gs_assess_group_result *r = &out->groups[item->group];
        r->answered = 1;
        if (gs_assess_is_flagged(inst, k, answers)) out->flags[out->n_flags++] = k;
        switch (item->role) {
        case GS_ASSESS_PRESENCE: r->present |= a->value != 0; break;
        case GS_ASSESS_SEVERITY:
            if (isnan(r->severity) || a->value > r->severity) r->severity = a->value;
            break;
        case GS_ASSESS_DURATION:
            r->duration = (int)a->value;
            r->duration_item = k;
            break;
        case GS_ASSESS_DETAIL: break;
        }
    }
    /* a severity without the signs (an answers file may give one) says nothing */
    for (size_t g = 0; g < inst->n_groups; g++)
        if (!out->groups[g].present) {
            out->groups[g].severity = NAN;
            out->groups[g].duration = -1;
        }
    return GS_OK;
}

void gs_assess_result_free(gs_assess_result *res)
{
    if (!res) return;
    free(res->flags);
    free(res->groups);
    res->flags = NULL;
    res->groups = NULL;
    res->n_flags = 0;
}
