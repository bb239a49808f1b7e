/*
 * reynolds2006.c - reproduce the outcomes of Reynolds et al. 2006.
 *
 * The systemic block is the paper's model with rates converted to days.
 * Here it runs alone, with the paper's growth rates k_pg (per hour,
 * converted) and initial pathogen loads, and the states are reported at
 * the paper's times in hours.  Outcomes follow the paper's three fates:
 * health (pathogen and damage cleared), aseptic death (pathogen cleared,
 * damage persists) and septic death (pathogen persists), read at 500 h.
 * The gut's endotoxin translocation (systemic.k_translocation) is switched
 * off, so the block is exactly the paper's model.
 */
#include "gutskin/reproduce.h"

#include "gutskin/model.h"
#include "gutskin/solve.h"

static const double k_pg_values[] = {0.3, 0.6};
static const double p0_values[] = {0.1, 0.5, 1, 2, 4, 8};
static const double hours[] = {48, 168, 500};

static const char *outcome(double p, double d)
{
    if (p >= 0.01) return "septic";
    return d < 0.1 ? "health" : "aseptic";
}

static gs_status run_case(gs_model *m, gs_solver *s, const gs_schedule *sched,
                          double k_pg, double p0, json_t *cases, gs_err *err)
{
    gs_status st = gs_model_set_param(m, "systemic.k_pg", 24.0 * k_pg, err);
    if (st != GS_OK) return st;
    double y0[4] = {p0, 0.0, 0.0, 0.125};  /* N*(0)=0, D(0)=0, C_A(0)=s_c/mu_c */
    double days[GS_COUNT(hours)], out[GS_COUNT(hours) * 4];
    for (size_t i = 0; i < GS_COUNT(hours); i++) days[i] = hours[i] / 24.0;
    st = gs_solver_run(s, sched, 0.0, y0, days, GS_COUNT(hours), out, err);
    if (st != GS_OK) return st;
    json_t *samples = json_array();
    for (size_t i = 0; i < GS_COUNT(hours); i++) {
        const double *y = out + 4 * i;
        json_array_append_new(samples,
                              json_pack("{s:f,s:f,s:f,s:f,s:f}", "t", hours[i], "P", y[0],
                                        "N", y[1], "D", y[2], "CA", y[3]));
    }
    const double *end = out + 4 * (GS_COUNT(hours) - 1);
    json_array_append_new(cases, json_pack("{s:f,s:f,s:o,s:s}", "k_pg", k_pg, "P0", p0,
                                           "samples", samples, "outcome",
                                           outcome(end[0], end[2])));
    return GS_OK;
}

gs_status gs_reproduce_reynolds2006(json_t **out, gs_err *err)
{
    *out = NULL;
    const char *names[] = {"systemic"};
    gs_model *m = NULL;
    gs_solver *s = NULL;
    gs_schedule sched = {0};
    gs_status st = gs_model_compose(names, 1, &m, err);
    /* No gut: the paper's model has no endotoxin influx. */
    if (st == GS_OK) st = gs_model_set_param(m, "systemic.k_translocation", 0.0, err);
    if (st == GS_OK) st = gs_solver_new(m, NULL, &s, err);
    if (st == GS_OK) st = gs_schedule_init(&sched, err);
    json_t *cases = json_array();
    for (size_t i = 0; st == GS_OK && i < GS_COUNT(k_pg_values); i++)
        for (size_t j = 0; st == GS_OK && j < GS_COUNT(p0_values); j++)
            st = run_case(m, s, &sched, k_pg_values[i], p0_values[j], cases, err);
    gs_schedule_free(&sched);
    gs_solver_free(s);
    gs_model_free(m);
    if (st != GS_OK) {
        json_decref(cases);
        return st;
    }
    *out = json_pack("{s:s,s:s,s:o}", "model", "reynolds2006", "time_unit", "hours",
                     "cases", cases);
    return GS_OK;
}
