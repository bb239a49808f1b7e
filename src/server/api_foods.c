/*
 * api_foods.c - foods and their exposure tags over HTTP: what the lexicon
 * finds in a text being typed (with suggestions for the word being
 * typed), the tags (shipped and the person's own), adding a tag, and the
 * logged foods no lexicon food matches.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "server/api_journal.h"

#define SUGGEST_MAX 8

static json_t *food_tags_json(const gs_lexicon *lex, size_t food)
{
    const size_t *tags;
    size_t n = gs_lexicon_food_tags(lex, food, &tags);
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        json_array_append_new(arr, json_string(gs_lexicon_tag_name(lex, tags[i])));
    return arr;
}

/* Does name start with the prefix (ASCII case folded)? */
static int starts_with_folded(const char *name, const char *prefix, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!name[i] || tolower((unsigned char)name[i]) != tolower((unsigned char)prefix[i]))
            return 0;
    return 1;
}

/* GET /foods/suggest?q=TEXT: {"matches": [{"food", "offset", "length",
 * "tags"}], "tags": [...], "suggestions": [{"food", "tags"}]}.  The
 * suggestions complete the last word being typed (2 letters or more). */
void gs_api_foods_suggest(gs_request *rq, gs_reply *rp)
{
    const char *q = gs_request_query(rq, "q");
    if (!q) {
        gs_reply_error(rp, 400, "q", "q is required: the food text typed so far");
        return;
    }
    if (strlen(q) > GS_EVENT_NAME_MAX) {
        gs_reply_error(rp, 400, "q", "q is %zu bytes long; a food is at most %d", strlen(q),
                       GS_EVENT_NAME_MAX);
        return;
    }
    gs_server_journal *j = rq->ctx->journal;
    size_t slot;
    gs_sjournal_acquire(j, &slot);  /* only to check the lexicon is current */
    const gs_lexicon *lex = gs_sjournal_lexicon(j, slot);
    gs_sjournal_release(j, slot);
    gs_lexicon_hit hits[32];
    size_t n = gs_lexicon_match(lex, q, hits, 32);
    json_t *matches = json_array(), *tags = json_array(), *sugg = json_array();
    for (size_t i = 0; i < n && i < 32; i++)
        json_array_append_new(matches, json_pack("{s:s, s:I, s:I, s:o}", "food",
                                                 gs_lexicon_food_name(lex, hits[i].food),
                                                 "offset", (json_int_t)hits[i].offset,
                                                 "length", (json_int_t)hits[i].length, "tags",
                                                 food_tags_json(lex, hits[i].food)));
    size_t n_tags = gs_lexicon_tag_count(lex);
    unsigned char *present = calloc(n_tags ? n_tags : 1, 1);
    if (present) gs_lexicon_tags_of(lex, q, present);
    for (size_t t = 0; present && t < n_tags; t++)
        if (present[t]) json_array_append_new(tags, json_string(gs_lexicon_tag_name(lex, t)));
    free(present);
    /* the word being typed: the text after the last space */
    const char *last = strrchr(q, ' ');
    last = last ? last + 1 : q;
    size_t len = strlen(last);
    size_t shown = 0;
    for (size_t f = 0; len >= 2 && f < gs_lexicon_food_count(lex) && shown < SUGGEST_MAX; f++) {
        const char *name = gs_lexicon_food_name(lex, f);
        if (!starts_with_folded(name, last, len)) continue;
        json_array_append_new(sugg, json_pack("{s:s, s:o}", "food", name, "tags",
                                              food_tags_json(lex, f)));
        shown++;
    }
    gs_sjournal_lexicon_done(j);
    gs_reply_json(rp, 200, json_pack("{s:o, s:o, s:o}", "matches", matches, "tags", tags,
                                     "suggestions", sugg));
}

/* GET /tags: {"tags": [{"name", "about", "foods"}], "user": [{"food", "tag"}]} */
void gs_api_tags_list(gs_request *rq, gs_reply *rp)
{
    gs_server_journal *j = rq->ctx->journal;
    size_t slot;
    gs_db *db = gs_sjournal_acquire(j, &slot);
    gs_db_tag *user = NULL;
    size_t n_user = 0;
    gs_err err;
    gs_status st = gs_db_tags(db, &user, &n_user, &err);
    const gs_lexicon *lex = gs_sjournal_lexicon(j, slot);
    size_t n_tags = gs_lexicon_tag_count(lex);
    size_t *count = calloc(n_tags ? n_tags : 1, sizeof *count);
    for (size_t f = 0; count && f < gs_lexicon_food_count(lex); f++) {
        const size_t *t;
        size_t k = gs_lexicon_food_tags(lex, f, &t);
        for (size_t i = 0; i < k; i++) count[t[i]]++;
    }
    json_t *tags = json_array();
    for (size_t t = 0; count && t < n_tags; t++)
        json_array_append_new(tags, json_pack("{s:s, s:s, s:I}", "name",
                                               gs_lexicon_tag_name(lex, t), "about",
                                               gs_lexicon_tag_about(lex, t), "foods",
                                               (json_int_t)count[t]));
    gs_sjournal_lexicon_done(j);
    gs_sjournal_release(j, slot);
    free(count);
    if (st != GS_OK) {
        json_decref(tags);
        gs_api_journal_fail(rp, &err, NULL);
        return;
    }
    json_t *u = json_array();
    for (size_t i = 0; i < n_user; i++)
        json_array_append_new(u, json_pack("{s:s, s:s}", "food", user[i].food, "tag",
                                           user[i].tag));
    free(user);
    gs_reply_json(rp, 200, json_pack("{s:o, s:o}", "tags", tags, "user", u));
}

/* POST /tags {"food", "tag"} */
void gs_api_tags_add(gs_request *rq, gs_reply *rp)
{
    json_t *body = gs_request_json(rq, rp);
    if (!body) return;
    const char *food = json_string_value(json_object_get(body, "food"));
    const char *tag = json_string_value(json_object_get(body, "tag"));
    if (!food || !tag || json_object_size(body) != 2) {
        gs_reply_error(rp, 400, !food ? "food" : !tag ? "tag" : NULL, "the body is {\"food\": "
                       "TEXT, \"tag\": TAG} (both strings, nothing else)");
        json_decref(body);
        return;
    }
    gs_err err;
    if (gs_sjournal_tag_add(rq->ctx->journal, food, tag, &err) != GS_OK) {
        /* the lexicon's sentences name which of the two is wrong */
        gs_api_journal_fail(rp, &err, strstr(err.msg, "tag") ? "tag" : "food");
    } else {
        gs_reply_json(rp, 201, json_pack("{s:s, s:s}", "food", food, "tag", tag));
    }
    json_decref(body);
}

/* GET /foods/untagged: [{"food", "times", "last"}] of logged food texts
 * that match no lexicon food, most recent first. */
void gs_api_foods_untagged(gs_request *rq, gs_reply *rp)
{
    gs_server_journal *j = rq->ctx->journal;
    size_t slot;
    gs_db *db = gs_sjournal_acquire(j, &slot);
    gs_event *evs = NULL;
    size_t n = 0;
    gs_err err;
    if (gs_db_events(db, NULL, NULL, &evs, &n, &err) != GS_OK) {
        gs_sjournal_release(j, slot);
        gs_api_journal_fail(rp, &err, NULL);
        return;
    }
    const gs_lexicon *lex = gs_sjournal_lexicon(j, slot);
    gs_sjournal_release(j, slot);
    json_t *list = json_array();
    for (size_t i = n; list && i-- > 0;) {
        gs_lexicon_hit hit;
        if (evs[i].kind != GS_EVENT_FOOD || gs_lexicon_match(lex, evs[i].name, &hit, 1) > 0)
            continue;
        size_t k, size = json_array_size(list);
        for (k = 0; k < size; k++) {
            json_t *o = json_array_get(list, k);
            json_t *t = gs_api_text(evs[i].name);
            int same = t && json_equal(t, json_object_get(o, "food"));
            json_decref(t);
            if (same) {
                json_object_set_new(o, "times",
                                    json_integer(json_integer_value(json_object_get(o, "times")) + 1));
                break;
            }
        }
        if (k == size) {
            char when[GS_TIME_TEXT_MAX];
            gs_time_format(&evs[i].at, when);
            json_array_append_new(list, json_pack("{s:o, s:i, s:s}", "food",
                                                  gs_api_text(evs[i].name), "times", 1, "last",
                                                  when));
        }
    }
    gs_sjournal_lexicon_done(j);
    free(evs);
    gs_reply_json(rp, 200, list);
}
