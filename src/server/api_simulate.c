/*
 * api_simulate.c - scenarios over HTTP: the example scenarios as JSON
 * (GET /api/v1/scenarios, /api/v1/scenarios/NAME) and running one sent as
 * JSON (POST /api/v1/simulate).  The scenario layer does the work
 * (gs_scenario_from_json, gs_scenario_run); this file only maps errors to
 * statuses and the result to columns a chart can draw directly.
 *
 * A run of the default person takes milliseconds, which is what lets the
 * Simulator page re-run the whole scenario while an intervention is being
 * dragged instead of interpolating.
 */
#define _GNU_SOURCE
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "gutskin/paths.h"
#include "gutskin/scenario_json.h"
#include "server/http.h"

/* Samples (rows x columns) one reply may carry: ten years daily of every
 * column is below it, hourly sampling of a decade is not. */
#define SIMULATE_VALUES_MAX 4000000

/* Is s[0..len) a safe example name: letters, digits, '-' and '_' only, so
 * it can never leave the examples' directory? */
int gs_server_safe_name(const char *s, size_t len)
{
    if (len == 0 || len > 64) return 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return 0;
    }
    return 1;
}

/* The basenames (without .yaml) of data/DIR/ *.yaml as a JSON array of
 * {"name": ..., ...} objects, each filled by describe(path, object). */
json_t *gs_server_examples(const char *dir, void (*describe)(const char *path, json_t *o))
{
    char pattern[4200];
    gs_err err;
    json_t *arr = json_array();
    if (gs_data_path(dir, pattern, sizeof pattern - 16, &err) != GS_OK) return arr;
    strcat(pattern, "/*.yaml");
    glob_t g;
    if (glob(pattern, 0, NULL, &g) != 0) return arr;
    for (size_t i = 0; arr && i < g.gl_pathc; i++) {
        const char *base = strrchr(g.gl_pathv[i], '/');
        base = base ? base + 1 : g.gl_pathv[i];
        json_t *o = json_object();
        json_object_set_new(o, "name", json_stringn(base, strlen(base) - 5));
        if (describe) describe(g.gl_pathv[i], o);
        json_array_append_new(arr, o);
    }
    globfree(&g);
    return arr;
}

static void describe_scenario(const char *path, json_t *o)
{
    json_t *doc;
    gs_err err;
    if (gs_scenario_yaml_to_json(path, &doc, &err) != GS_OK) return;
    json_t *title = json_object_get(doc, "name");
    if (json_is_string(title)) json_object_set(o, "title", title);
    json_t *person = json_object_get(doc, "person");
    json_t *skin = person ? json_object_get(person, "skin") : NULL;
    if (skin) json_object_set(o, "skin", skin);
    json_decref(doc);
}

void gs_api_scenarios(gs_request *rq, gs_reply *rp)
{
    (void)rq;
    gs_reply_json(rp, 200, gs_server_examples("scenarios", describe_scenario));
}

void gs_api_scenario_get(gs_request *rq, gs_reply *rp)
{
    if (!gs_server_safe_name(rq->param[0], rq->param_len[0])) {
        gs_reply_error(rp, 404, "name", "no example scenario by that name; GET "
                       "/api/v1/scenarios lists them");
        return;
    }
    char rel[128], path[4200];
    snprintf(rel, sizeof rel, "scenarios/%.*s.yaml", (int)rq->param_len[0], rq->param[0]);
    gs_err err;
    json_t *doc;
    if (gs_data_path(rel, path, sizeof path, &err) != GS_OK ||
        gs_scenario_yaml_to_json(path, &doc, &err) != GS_OK) {
        gs_reply_error(rp, 404, "name", "no example scenario '%.*s'; GET /api/v1/scenarios "
                       "lists them", (int)rq->param_len[0], rq->param[0]);
        return;
    }
    gs_reply_json(rp, 200, doc);
}

/* Which result columns the reply carries: all, or the comma-separated
 * "block.name" list of ?columns=.  keep[j] = 1 for each kept column. */
static int choose_columns(const gs_scenario *sc, size_t n_cols, const char *list, char *keep,
                          gs_reply *rp)
{
    memset(keep, list ? 0 : 1, n_cols);
    if (!list) return 1;
    const char *s = list;
    while (*s) {
        const char *end = strchr(s, ',');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        char want[128];
        snprintf(want, sizeof want, "%.*s", (int)(len < sizeof want ? len : sizeof want - 1), s);
        size_t j = 0;
        for (char name[128]; j < n_cols; j++)
            if (strcmp(gs_scenario_column_name(sc, j, name, sizeof name, NULL), want) == 0) break;
        if (j == n_cols) {
            gs_reply_error(rp, 400, "columns", "unknown column '%s' in ?columns=; expected "
                           "block.state or block.output names of this person's model (GET "
                           "/api/v1/model/blocks)", want);
            return 0;
        }
        keep[j] = 1;
        s += len + (end != NULL);
    }
    return 1;
}

void gs_api_simulate(gs_request *rq, gs_reply *rp)
{
    json_t *body = gs_request_json(rq, rp);
    if (!body) return;
    gs_scenario sc;
    gs_err err;
    gs_err_clear(&err);
    char field[256];
    gs_status st = gs_scenario_from_json(body, "request", &sc, field, sizeof field, &err);
    json_decref(body);
    if (st != GS_OK) {
        gs_reply_error(rp, st == GS_ERR_INPUT ? 400 : 500, st == GS_ERR_INPUT ? field : NULL,
                       "%s", err.msg);
        gs_scenario_free(&sc);
        return;
    }
    size_t n_rows = gs_scenario_n_samples(sc.days, sc.every);
    size_t n_cols = gs_model_n_states(sc.model) + gs_model_n_outputs(sc.model);
    if (n_rows * n_cols > SIMULATE_VALUES_MAX) {
        gs_reply_error(rp, 400, "every", "%zu samples of %zu columns is more than one reply "
                       "carries (%d values); sample less often or simulate fewer days",
                       n_rows, n_cols, SIMULATE_VALUES_MAX);
        gs_scenario_free(&sc);
        return;
    }
    char *keep = malloc(n_cols);
    if (!keep || !choose_columns(&sc, n_cols, gs_request_query(rq, "columns"), keep, rp)) {
        if (!keep) gs_reply_error(rp, 500, NULL, "out of memory");
        free(keep);
        gs_scenario_free(&sc);
        return;
    }
    gs_scenario_result res;
    if ((st = gs_scenario_run(&sc, &res, &err)) != GS_OK) {
        /* a solver failure is the model's answer to this input, not a
         * server fault: 422 with the sentence naming block, state and day */
        gs_reply_error(rp, st == GS_ERR_SOLVER ? 422 : st == GS_ERR_INPUT ? 400 : 500, NULL,
                       "%s", err.msg);
        free(keep);
        gs_scenario_free(&sc);
        return;
    }
    json_t *cols = json_array(), *units = json_array(), *data = json_array(),
           *day = json_array();
    json_array_append_new(cols, json_string("day"));
    json_array_append_new(units, json_string("day"));
    for (size_t r = 0; r < res.n_rows; r++) json_array_append_new(day, json_real(res.days[r]));
    json_array_append_new(data, day);
    for (size_t j = 0; j < n_cols; j++) {
        if (!keep[j]) continue;
        char name[128];
        const char *unit;
        json_array_append_new(cols, json_string(gs_scenario_column_name(&sc, j, name,
                                                                        sizeof name, &unit)));
        json_array_append_new(units, json_string(unit));
        json_t *v = json_array();
        for (size_t r = 0; r < res.n_rows; r++)
            json_array_append_new(v, json_real(res.values[r * res.n_cols + j]));
        json_array_append_new(data, v);
    }
    json_t *out = json_pack("{s:s, s:i, s:f, s:f, s:o, s:o, s:o, s:s}", "scenario", sc.name,
                            "days", sc.days, "every", sc.every, "burn_in_days",
                            res.burn_in_days, "columns", cols, "units", units, "data", data,
                            "disclaimer", GS_DISCLAIMER);
    gs_reply_json(rp, 200, out);
    gs_scenario_result_free(&res);
    free(keep);
    gs_scenario_free(&sc);
}
