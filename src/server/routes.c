/*
 * routes.c - the API's route table and the small helpers handlers share.
 *
 * Adding an endpoint is one handler and one row below, like a subcommand
 * in src/cli/main.c.  The journal, statistics and self-check endpoints of
 * issue 5 slot in here as rows when their layers exist.
 */
#include <microhttpd.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "server/http.h"

static void api_index(gs_request *rq, gs_reply *rp);

static const gs_route routes[] = {
    {"GET", "/api/v1", api_index, "this list of endpoints"},
    /* the model: every listing comes from the registries */
    {"GET", "/api/v1/model/blocks", gs_api_blocks, "blocks with states, inputs and outputs"},
    {"GET", "/api/v1/model/params", gs_api_params, "parameters with range, grade and source"},
    {"GET", "/api/v1/model/interventions", gs_api_interventions, "what a schedule can dose"},
    {"GET", "/api/v1/model/links", gs_api_links, "couplings between blocks with evidence grade"},
    /* scenarios: the examples, and running one sent as JSON */
    {"GET", "/api/v1/scenarios", gs_api_scenarios, "the example scenarios"},
    {"GET", "/api/v1/scenarios/:name", gs_api_scenario_get, "an example scenario as JSON"},
    {"POST", "/api/v1/simulate", gs_api_simulate, "run a scenario (JSON), series out"},
    /* in-silico trials as jobs */
    {"GET", "/api/v1/trials", gs_api_trials_list, "example trials and submitted jobs"},
    {"GET", "/api/v1/trials/examples/:name", gs_api_trial_example, "an example trial's YAML"},
    {"POST", "/api/v1/trials", gs_api_trial_submit, "submit a trial job (example or YAML)"},
    {"GET", "/api/v1/trials/:id", gs_api_trial_get, "a job's progress and result"},
    {"DELETE", "/api/v1/trials/:id", gs_api_trial_cancel, "cancel a job"},
    {"GET", "/api/v1/calibration", gs_api_calibration, "the calibration report (as a job)"},
    /* --- later: journal, foods, interventions, self-check, analyses --- */
    /* the journal: entries, interventions, settings */
    {"GET", "/api/v1/entries", gs_api_entries_list, "entries by range (?from=&to=, days or times)"},
    {"POST", "/api/v1/entries", gs_api_entries_create, "log one entry or a batch (all or nothing)"},
    {"GET", "/api/v1/entries/:id", gs_api_entry_get, "one entry"},
    {"PUT", "/api/v1/entries/:id", gs_api_entry_update, "change an entry (checked again)"},
    {"DELETE", "/api/v1/entries/:id", gs_api_entry_delete, "delete an entry"},
    {"GET", "/api/v1/interventions", gs_api_interventions_list, "interventions running and past"},
    {"POST", "/api/v1/interventions/start", gs_api_intervention_start, "start an intervention"},
    {"POST", "/api/v1/interventions/stop", gs_api_intervention_stop, "stop an intervention"},
    {"GET", "/api/v1/config", gs_api_config_get, "the journal's settings (day start)"},
    {"PUT", "/api/v1/config/day-start", gs_api_config_day_start, "set the day start (HH:MM)"},
    /* foods and tags */
    {"GET", "/api/v1/foods/suggest", gs_api_foods_suggest, "foods and tags in a typed text"},
    {"GET", "/api/v1/foods/untagged", gs_api_foods_untagged, "logged foods no lexicon food matches"},
    {"GET", "/api/v1/tags", gs_api_tags_list, "exposure tags and the person's own"},
    {"POST", "/api/v1/tags", gs_api_tags_add, "put a food under a tag"},
    /* the self-check */
    {"GET", "/api/v1/check/instrument", gs_api_check_instrument, "the questions of an instrument"},
    {"POST", "/api/v1/check", gs_api_check_submit, "answers in, report out (stored)"},
    {"GET", "/api/v1/check/responses", gs_api_check_responses, "stored self-checks"},
    /* export and import */
    {"GET", "/api/v1/export", gs_api_export, "the journal as csv, json or fhir"},
    {"POST", "/api/v1/import", gs_api_import, "import a CSV body, all or nothing"},
    /* the statistics (gutskin analyze ... --format json) */
    {"GET", "/api/v1/analyze/triggers", gs_api_analyze_triggers, "foods' tags that precede a higher score"},
    {"GET", "/api/v1/analyze/effect", gs_api_analyze_effect, "did an intervention change a score (?name=)"},
    {"GET", "/api/v1/analyze/power", gs_api_analyze_power, "days still needed to detect a change"},
};

static void api_index(gs_request *rq, gs_reply *rp)
{
    (void)rq;
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < sizeof routes / sizeof routes[0]; i++)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "method", routes[i].method,
                                             "path", routes[i].pattern, "summary",
                                             routes[i].summary));
    gs_reply_json(rp, 200, json_pack("{s:o, s:s}", "endpoints", arr, "disclaimer",
                                     GS_DISCLAIMER));
}

const gs_route *gs_server_routes(size_t *n)
{
    *n = sizeof routes / sizeof routes[0];
    return routes;
}

/* Does path match pattern?  Captures ":x" segments into rq. */
static int match(const char *pattern, const char *path, gs_request *rq)
{
    int k = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p == ':') {
            const char *end = strchr(s, '/');
            size_t len = end ? (size_t)(end - s) : strlen(s);
            if (len == 0 || k == GS_ROUTE_PARAMS_MAX) return 0;
            rq->param[k] = s;
            rq->param_len[k++] = len;
            s += len;
            while (*p && *p != '/') p++;
            continue;
        }
        if (*p != *s) return 0;
        p++;
        s++;
    }
    return *p == '\0' && *s == '\0';
}

const gs_route *gs_server_route_find(const char *method, const char *path, gs_request *rq,
                                     int *path_matched, char *allow, size_t allow_len)
{
    *path_matched = 0;
    allow[0] = '\0';
    const gs_route *found = NULL;
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        gs_request probe = *rq;
        if (!match(routes[i].pattern, path, &probe)) continue;
        /* a literal row ("examples/:name") wins over a capture ("/:id") of
         * the same method because it comes first in the table */
        if (strcmp(routes[i].method, method) == 0) {
            if (!found) {
                found = &routes[i];
                *rq = probe;
            }
            continue;
        }
        *path_matched = 1;
        if (!strstr(allow, routes[i].method)) {
            if (allow[0]) strncat(allow, ", ", allow_len - strlen(allow) - 1);
            strncat(allow, routes[i].method, allow_len - strlen(allow) - 1);
        }
    }
    if (found) *path_matched = 1;
    return found;
}

const char *gs_request_query(const gs_request *rq, const char *key)
{
    if (!rq->conn) return NULL;
    return MHD_lookup_connection_value((struct MHD_Connection *)rq->conn,
                                       MHD_GET_ARGUMENT_KIND, key);
}

gs_shared_bytes *gs_shared_bytes_new(const char *data, size_t len)
{
    gs_shared_bytes *b = malloc(sizeof *b + len + 1);
    if (!b) return NULL;
    atomic_init(&b->refs, 1);
    atomic_init(&b->gzip, NULL);
    b->len = len;
    memcpy(b->data, data, len);
    b->data[len] = '\0';
    return b;
}

gs_shared_bytes *gs_shared_bytes_ref(gs_shared_bytes *b)
{
    atomic_fetch_add(&b->refs, 1);
    return b;
}

void gs_shared_bytes_unref(void *p)
{
    gs_shared_bytes *b = p;
    if (b && atomic_fetch_sub(&b->refs, 1) == 1) {
        gs_shared_bytes_unref(atomic_load(&b->gzip));
        free(b);
    }
}

void gs_reply_json(gs_reply *rp, int status, json_t *json)
{
    if (rp->json) json_decref(rp->json);
    rp->json = json;
    rp->status = json ? status : 500;
    if (!json) rp->json = json_pack("{s:s}", "error", "out of memory building the reply");
}

void gs_reply_error(gs_reply *rp, int status, const char *field, const char *fmt, ...)
{
    char msg[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *o = json_object();
    if (o) {
        json_object_set_new(o, "error", json_string(msg));
        if (field) json_object_set_new(o, "field", json_string(field));
    }
    gs_reply_json(rp, status, o);
}

json_t *gs_request_json(const gs_request *rq, gs_reply *rp)
{
    if (rq->body_len == 0) {
        gs_reply_error(rp, 400, NULL, "the request has no body; expected a JSON object");
        return NULL;
    }
    json_error_t je;
    json_t *root = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        gs_reply_error(rp, 400, NULL, "the request body is not valid JSON: line %d, column "
                       "%d: %s", je.line, je.column, je.text);
        return NULL;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        gs_reply_error(rp, 400, NULL, "the request body must be a JSON object {...}");
        return NULL;
    }
    return root;
}
