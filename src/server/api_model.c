/*
 * api_model.c - GET /api/v1/model/{blocks,params,interventions,links}:
 * the model described from its registries, so a page can never disagree
 * with what the integrator runs.  The documents have the shape of
 * `gutskin blocks|params|interventions|links --format json`.
 */
#include <string.h>

#include "gutskin/model.h"
#include "server/http.h"

static json_t *quantity_json(const char *block, const gs_quantity *q, int with_value)
{
    char name[128];
    snprintf(name, sizeof name, "%s.%s", block, q->name);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", name, "unit", q->unit, "grade",
                          gs_grade_name(q->grade), "source", q->source ? q->source : "",
                          "about", q->about ? q->about : "");
    if (o && with_value) {
        json_object_set_new(o, "value", json_real(q->value));
        json_object_set_new(o, "min", json_real(q->lo));
        json_object_set_new(o, "max", json_real(q->hi));
    }
    return o;
}

void gs_api_blocks(gs_request *rq, gs_reply *rp)
{
    (void)rq;
    size_t n;
    const gs_block *const *reg = gs_block_registry(&n);
    json_t *arr = json_array();
    for (size_t b = 0; arr && b < n; b++) {
        const gs_block *blk = reg[b];
        json_t *o = json_pack("{s:s, s:s, s:s, s:b, s:b}", "name", blk->name, "title",
                              blk->title, "citation", blk->citation, "skin",
                              (blk->flags & GS_BLOCK_SKIN) != 0, "reference",
                              (blk->flags & GS_BLOCK_REFERENCE) != 0);
        const struct { const char *key; const gs_quantity *q; size_t n; int v; } t[] = {
            {"states", blk->states, blk->n_states, 1},
            {"inputs", blk->inputs, blk->n_inputs, 1},
            {"outputs", blk->outputs, blk->n_outputs, 0}};
        for (size_t k = 0; o && k < 3; k++) {
            json_t *a = json_array();
            for (size_t i = 0; a && i < t[k].n; i++)
                json_array_append_new(a, quantity_json(blk->name, &t[k].q[i], t[k].v));
            json_object_set_new(o, t[k].key, a);
        }
        json_array_append_new(arr, o);
    }
    gs_reply_json(rp, 200, arr);
}

void gs_api_params(gs_request *rq, gs_reply *rp)
{
    const char *only = gs_request_query(rq, "block");
    if (only && !gs_block_find(only)) {
        gs_reply_error(rp, 400, "block", "unknown block '%s'; GET /api/v1/model/blocks lists "
                       "them", only);
        return;
    }
    size_t n;
    const gs_block *const *reg = gs_block_registry(&n);
    json_t *arr = json_array();
    for (size_t b = 0; arr && b < n; b++) {
        if (only && strcmp(only, reg[b]->name) != 0) continue;
        for (size_t i = 0; i < reg[b]->n_params; i++)
            json_array_append_new(arr, quantity_json(reg[b]->name, &reg[b]->params[i], 1));
    }
    gs_reply_json(rp, 200, arr);
}

void gs_api_interventions(gs_request *rq, gs_reply *rp)
{
    (void)rq;
    size_t n;
    const gs_intervention *reg = gs_intervention_registry(&n);
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:f, s:f, s:f, s:s}", "name",
                                             reg[i].name, "unit", reg[i].unit, "usual",
                                             reg[i].baseline, "min", reg[i].lo, "max",
                                             reg[i].hi, "about", reg[i].about));
    gs_reply_json(rp, 200, arr);
}

void gs_api_links(gs_request *rq, gs_reply *rp)
{
    (void)rq;
    size_t n;
    const gs_link *reg = gs_link_registry(&n);
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "name",
                                             reg[i].name, "to", reg[i].to, "from", reg[i].from,
                                             "grade", gs_grade_name(reg[i].grade), "source",
                                             reg[i].source, "why", reg[i].why));
    gs_reply_json(rp, 200, arr);
}
