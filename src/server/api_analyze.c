/*
 * api_analyze.c - GET /api/v1/analyze/{triggers,effect,power}: the
 * statistics on the journal, the document `gutskin analyze ... --format
 * json` prints, from the same library call (include/gutskin/analyze.h).
 *
 * The query parameters are the analysis' options as the library names
 * them (outcome, lags, permutations, seed, min_days; name, outcome,
 * washin, reps; outcome, change, days_so_far, before, sd, phi, reps, seed), set
 * one by one through gs_analyze_opts_set, so the ranges are the command's.
 * A refused value, or an outcome or intervention the journal does not
 * have, is a 400 naming the parameter.
 *
 * The handler borrows a reader connection only to build the daily panel
 * (and the lexicon's shared lock only while it does), then gives both
 * back before the analysis runs: a trigger scan with many permutations
 * takes a while, in this handler thread, and must not hold up the other
 * requests' connections.
 */
#include <string.h>

#include "gutskin/analyze.h"
#include "server/api_journal.h"

/* The journal's daily panel, built on a borrowed connection. */
static gs_status read_panel(gs_server_journal *j, gs_daily **panel, gs_err *err)
{
    size_t slot;
    gs_db *db = gs_sjournal_acquire(j, &slot);
    const gs_lexicon *lex = gs_sjournal_lexicon(j, slot);
    gs_status st = gs_analyze_panel(db, lex, panel, err);
    gs_sjournal_lexicon_done(j);
    gs_sjournal_release(j, slot);
    return st;
}

static void run(gs_request *rq, gs_reply *rp, gs_analysis analysis)
{
    gs_analyze_opts o;
    gs_analyze_opts_default(&o, analysis);
    gs_err err;
    const char *name, *field = NULL;
    for (size_t i = 0; (name = gs_analyze_option_name(analysis, 1, i)); i++) {
        const char *v = gs_request_query(rq, name);
        if (v && gs_analyze_opts_set(&o, name, v, &err)) {
            gs_reply_error(rp, 400, name, "%s", err.msg);
            return;
        }
    }
    gs_daily *panel = NULL;
    json_t *doc = NULL;
    gs_status st = gs_analyze_check(&o, &field, &err);
    if (!st && gs_analyze_needs_journal(&o)) st = read_panel(rq->ctx->journal, &panel, &err);
    if (!st) st = gs_analyze_run(panel, &o, &doc, &field, &err);
    gs_daily_free(panel);
    if (!st) gs_reply_json(rp, 200, doc);
    else if (st == GS_ERR_INPUT) gs_reply_error(rp, 400, field, "%s", err.msg);
    else gs_reply_error(rp, 500, NULL, "the analysis failed: %s", err.msg);
}

void gs_api_analyze_triggers(gs_request *rq, gs_reply *rp)
{
    run(rq, rp, GS_ANALYZE_TRIGGERS);
}

void gs_api_analyze_effect(gs_request *rq, gs_reply *rp)
{
    run(rq, rp, GS_ANALYZE_EFFECT);
}

void gs_api_analyze_power(gs_request *rq, gs_reply *rp)
{
    run(rq, rp, GS_ANALYZE_POWER);
}
