/*
 * analyze_doc.h - inside the analyze module (include/gutskin/analyze.h):
 * the builders of each analysis' document, called by gs_analyze_run with
 * options already checked, and the small helpers they share.
 */
#ifndef GS_STATS_ANALYZE_DOC_H
#define GS_STATS_ANALYZE_DOC_H

#include "gutskin/analyze.h"

/* analyze_triggers.c */
gs_status gs_analyze_triggers_doc(const gs_daily *panel, const gs_analyze_opts *o,
                                  json_t **doc, const char **field, gs_err *err);
/* analyze_effect.c: effect and power */
gs_status gs_analyze_effect_doc(const gs_daily *panel, const gs_analyze_opts *o, json_t **doc,
                                const char **field, gs_err *err);
gs_status gs_analyze_power_doc(const gs_daily *panel, const gs_analyze_opts *o, json_t **doc,
                               const char **field, gs_err *err);

/* The logged days (row numbers) and values of outcome o in panel rows
 * [from, to); day and y hold to - from entries.  Returns how many. */
size_t gs_analyze_outcome_days(const gs_daily *panel, size_t o, size_t from, size_t to,
                               int64_t *day, double *y);

/* A JSON real, or null when v is not finite. */
json_t *gs_analyze_json_num(double v);

#endif
