/*
 * api_check.c - the self-check of the signs over HTTP: the questions of
 * an instrument (with the conditions that decide which are asked, so a
 * page can ask them in order), answers in and the report out (stored in
 * the journal), and the stored responses.  Answers are read, checked and
 * scored by src/assess/, exactly as `gutskin check --answers` does.
 */
#include <stdlib.h>
#include <string.h>

#include "gutskin/assess.h"
#include "server/api_journal.h"

#define INSTRUMENT_DEFAULT "signs"

static const char *test_name(gs_assess_test t)
{
    switch (t) {
    case GS_ASSESS_IS: return "is";
    case GS_ASSESS_IN: return "in";
    case GS_ASSESS_AT_LEAST: return "at_least";
    case GS_ASSESS_AT_MOST: return "at_most";
    }
    return "?";
}

static json_t *rule_json(const gs_assess_instrument *inst, const gs_assess_rule *r)
{
    json_t *o = json_pack("{s:s, s:s}", "item", inst->items[r->item].id, "test",
                          test_name(r->test));
    if (r->test == GS_ASSESS_IN) {
        json_t *set = json_array();
        for (unsigned k = 0; k < 64; k++)
            if (r->set & (1ULL << k)) json_array_append_new(set, json_integer(k));
        json_object_set_new(o, "set", set);
    } else {
        json_object_set_new(o, "value", json_real(r->value));
    }
    return o;
}

static json_t *instrument_json(const gs_assess_instrument *inst)
{
    json_t *groups = json_array(), *items = json_array();
    for (size_t g = 0; g < inst->n_groups; g++) {
        const gs_assess_group *gr = &inst->groups[g];
        json_array_append_new(groups, json_pack("{s:s, s:s, s:s, s:s}", "id", gr->id, "title",
                                                gr->title, "section",
                                                gs_assess_section_name(gr->section), "note",
                                                gr->note ? gr->note : ""));
    }
    for (size_t k = 0; k < inst->n_items; k++) {
        const gs_assess_item *it = &inst->items[k];
        const gs_assess_group *gr = &inst->groups[it->group];
        char allowed[512];
        gs_assess_allowed(inst, k, allowed, sizeof allowed);
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:f, s:f, s:b, s:s}", "id", it->id,
                              "text", it->text, "type", gs_assess_type_name(it->type), "group",
                              gr->id, "section", gs_assess_section_name(gr->section), "min",
                              it->min, "max", it->max, "whole", it->whole, "allowed", allowed);
        if (it->type == GS_ASSESS_CHOICE) {
            json_t *ch = json_array();
            for (size_t c = 0; c < it->n_choices; c++)
                json_array_append_new(ch, json_pack("{s:s, s:s}", "id", it->choices[c].id,
                                                    "text", it->choices[c].text));
            json_object_set_new(o, "choices", ch);
        }
        if (it->unit) json_object_set_new(o, "unit", json_string(it->unit));
        if (it->low) json_object_set_new(o, "low", json_string(it->low));
        if (it->high) json_object_set_new(o, "high", json_string(it->high));
        json_t *when = json_array();
        for (size_t r = 0; r < it->n_when; r++)
            json_array_append_new(when, rule_json(inst, &it->when[r]));
        json_object_set_new(o, "when", when);
        if (it->sign) {
            json_object_set_new(o, "sign", json_string(it->sign));
            json_object_set_new(o, "flag", rule_json(inst, &it->flag));
        }
        json_array_append_new(items, o);
    }
    return json_pack("{s:s, s:i, s:s, s:s, s:o, s:o, s:s}", "id", inst->id, "version",
                     inst->version, "title", inst->title, "intro",
                     inst->intro ? inst->intro : "", "groups", groups, "items", items,
                     "disclaimer", "This self-check is not a diagnosis and not treatment "
                     "advice.");
}

/* Load the instrument named by the string id (NULL: the default); on
 * failure fills rp (400 naming field) and returns NULL.  Only shipped
 * instruments, by id: a request never names a file. */
static gs_assess_instrument *load(const char *id, const char *field, gs_reply *rp)
{
    if (!id) id = INSTRUMENT_DEFAULT;
    if (!gs_server_safe_name(id, strlen(id))) {
        gs_reply_error(rp, 400, field, "%s '%s' is not an instrument id (letters, digits, "
                       "'-' and '_')", field, id);
        return NULL;
    }
    gs_assess_instrument *inst;
    gs_err err;
    if (gs_assess_load_id(id, &inst, &err) != GS_OK) {
        gs_api_journal_fail(rp, &err, field);
        return NULL;
    }
    return inst;
}

/* GET /check/instrument[?id=ID] */
void gs_api_check_instrument(gs_request *rq, gs_reply *rp)
{
    gs_assess_instrument *inst = load(gs_request_query(rq, "id"), "id", rp);
    if (!inst) return;
    gs_reply_json(rp, 200, instrument_json(inst));
    gs_assess_free(inst);
}

/* POST /check {"instrument"?, "answers": {...}, "timestamp"?}: 201 with
 * {"id", "timestamp", "instrument", "report"}; the report puts red flags
 * first ("see a clinician now"). */
void gs_api_check_submit(gs_request *rq, gs_reply *rp)
{
    json_t *body = gs_request_json(rq, rp);
    if (!body) return;
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v) {
        if (strcmp(key, "instrument") && strcmp(key, "answers") && strcmp(key, "timestamp")) {
            gs_reply_error(rp, 400, key, "unknown key '%s'; the body has answers, and "
                           "optionally instrument and timestamp", key);
            json_decref(body);
            return;
        }
    }
    json_t *answers_in = json_object_get(body, "answers");
    if (!json_is_object(answers_in)) {
        gs_reply_error(rp, 400, "answers", "answers must be an object of item id -> answer "
                       "(true/false, a choice id, or a number)");
        json_decref(body);
        return;
    }
    json_t *inst_id = json_object_get(body, "instrument");
    if (inst_id && !json_is_string(inst_id)) {
        gs_reply_error(rp, 400, "instrument", "instrument must be a string (an id)");
        json_decref(body);
        return;
    }
    gs_time at = gs_time_now();
    gs_err err;
    json_t *ts = json_object_get(body, "timestamp");
    if (ts && (!json_is_string(ts) || gs_time_parse(json_string_value(ts), &at, &err) != GS_OK)) {
        gs_reply_error(rp, 400, "timestamp", "timestamp: %s", json_is_string(ts) ? err.msg
                       : "must be an ISO 8601 time as a string");
        json_decref(body);
        return;
    }
    gs_assess_instrument *inst = load(json_string_value(inst_id), "instrument", rp);
    if (!inst) {
        json_decref(body);
        return;
    }
    char *text = json_dumps(answers_in, JSON_COMPACT);
    gs_assess_answer *answers = gs_assess_answers_new(inst);
    gs_assess_result res = {0};
    gs_status st = text && answers ? GS_OK : gs_fail(&err, GS_ERR_NOMEM, "out of memory");
    if (st == GS_OK) st = gs_assess_answers_from_json(inst, text, answers, &err);
    if (st == GS_OK) st = gs_assess_answers_check(inst, answers, NULL, &err);
    if (st == GS_OK) st = gs_assess_score(inst, answers, &res, &err);
    if (st != GS_OK) {
        gs_api_journal_fail(rp, &err, "answers");
    } else {
        char *answers_json = gs_assess_answers_json(inst, answers);
        char *report_json = gs_assess_report_json(inst, answers, &res);
        json_t *report = report_json ? json_loads(report_json, 0, NULL) : NULL;
        int64_t id = 0;
        gs_server_journal *j = rq->ctx->journal;
        size_t slot;
        gs_db *db = gs_sjournal_acquire_writer(j, &slot);
        st = answers_json && report ? gs_db_response_add(db, &at, inst->id, answers_json,
                                                         report_json, &id, &err)
                                    : gs_fail(&err, GS_ERR_NOMEM, "out of memory");
        gs_sjournal_release_writer(j, slot);
        if (st != GS_OK) {
            json_decref(report);
            gs_reply_error(rp, 500, NULL, "the report was made but not stored: %s", err.msg);
        } else {
            char when[GS_TIME_TEXT_MAX];
            gs_time_format(&at, when);
            gs_reply_json(rp, 201, json_pack("{s:I, s:s, s:s, s:b, s:o}", "id", (json_int_t)id,
                                             "timestamp", when, "instrument", inst->id,
                                             "red_flag", res.n_flags > 0, "report", report));
        }
        free(answers_json);
        free(report_json);
    }
    gs_assess_result_free(&res);
    free(answers);
    free(text);
    gs_assess_free(inst);
    json_decref(body);
}

/* GET /check/responses: the stored self-checks, newest first. */
void gs_api_check_responses(gs_request *rq, gs_reply *rp)
{
    gs_server_journal *j = rq->ctx->journal;
    size_t slot;
    gs_db *db = gs_sjournal_acquire(j, &slot);
    gs_db_response *r = NULL;
    size_t n = 0;
    gs_err err;
    gs_status st = gs_db_responses(db, &r, &n, &err);
    gs_sjournal_release(j, slot);
    if (st != GS_OK) {
        gs_api_journal_fail(rp, &err, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = n; arr && i-- > 0;) {
        char when[GS_TIME_TEXT_MAX];
        gs_time_format(&r[i].at, when);
        json_t *answers = json_loads(r[i].answers, 0, NULL);
        json_t *report = json_loads(r[i].report, 0, NULL);
        json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:o, s:o}", "id",
                                             (json_int_t)r[i].id, "timestamp", when,
                                             "instrument", r[i].instrument, "answers",
                                             answers ? answers : json_null(), "report",
                                             report ? report : json_null()));
    }
    gs_db_responses_free(r, n);
    gs_reply_json(rp, 200, arr);
}
