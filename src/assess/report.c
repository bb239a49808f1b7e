/*
 * report.c - the self-check's report, as JSON and as text.
 *
 * One builder makes the JSON; the text is printed from it, so the two can
 * never say different things.  Order matters and is fixed: the disclaimer,
 * then red flags; on any red flag the report says "see a clinician now",
 * names the signs and ends there, with nothing about the gut-skin story
 * (a person with blood in their stool should not be reading about food
 * triggers).  Otherwise: the groups of signs present and how strongly,
 * what that does and does not mean, and what to track for how long.
 *
 * The tracking period: GS_ASSESS_TRACK_WEEKS (6) weeks, about 42 days.  A
 * food eaten two or three times a week then appears on roughly 12 to 18
 * days and is absent on the rest, enough days on both sides for the
 * single-person statistics (DESIGN.md: lagged regressions, lags 0-3 days,
 * with a minimum of exposed and unexposed days) to compare; and skin
 * changes over weeks, so a shorter record would mostly show day-to-day
 * noise.  No paper: these are the product's honesty rules (DESIGN.md).
 */
#include "gutskin/assess.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gutskin/event.h"

#define DISCLAIMER "This self-check is not a diagnosis and not treatment advice."
#define ACTION "see a clinician now"

static void add_text(json_t *list, const char *text)
{
    json_array_append_new(list, json_string(text));
}

/* "gutskin log skin itch 0-10" for a "kind name" track entry. */
static void log_command(const char *entry, char *buf, size_t len)
{
    char kind_word[32];
    const char *space = strchr(entry, ' ');
    size_t klen = space ? (size_t)(space - entry) : strlen(entry);
    snprintf(kind_word, sizeof kind_word, "%.*s", (int)(klen < 31 ? klen : 31), entry);
    gs_event_kind kind;
    double lo = 0, hi = 0;
    int whole = 0, req = 0;
    gs_err err;
    if (space && gs_event_kind_parse(kind_word, &kind, &err) == GS_OK &&
        gs_event_value_range(kind, space + 1, &lo, &hi, &whole, &req, &err) == GS_OK) {
        const char *const *names = gs_event_kind_names(kind);
        int only_name = names && names[0] && !names[1];  /* "stool bristol": log stool N */
        if (only_name)
            snprintf(buf, len, "gutskin log %s N   (N from %g to %g)", kind_word, lo, hi);
        else
            snprintf(buf, len, "gutskin log %s %s N   (N from %g to %g)", kind_word, space + 1,
                     lo, hi);
        return;
    }
    snprintf(buf, len, "gutskin log %s ...", entry);
}

static json_t *group_json(const gs_assess_instrument *inst, size_t g,
                          const gs_assess_group_result *r)
{
    const gs_assess_group *grp = &inst->groups[g];
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(grp->id));
    json_object_set_new(o, "title", json_string(grp->title));
    json_object_set_new(o, "section", json_string(gs_assess_section_name(grp->section)));
    json_object_set_new(o, "answered", json_boolean(r->answered));
    json_object_set_new(o, "present", json_boolean(r->present));
    const char *strength = gs_assess_strength(r->severity);
    json_object_set_new(o, "severity", strength ? json_integer((json_int_t)r->severity)
                                                : json_null());
    json_object_set_new(o, "strength", strength ? json_string(strength)
                                                : json_string(r->present ? "not rated" : "absent"));
    json_object_set_new(o, "duration", r->duration >= 0
        ? json_string(inst->items[r->duration_item].choices[r->duration].text) : json_null());
    if (grp->note) json_object_set_new(o, "note", json_string(grp->note));
    return o;
}

/* The red-flag part: the action and the signs. */
static void red_flags_json(json_t *rep, const gs_assess_instrument *inst,
                           const gs_assess_result *res)
{
    json_t *flags = json_array();
    for (size_t i = 0; i < res->n_flags; i++) {
        const gs_assess_item *item = &inst->items[res->flags[i]];
        json_t *f = json_object();
        json_object_set_new(f, "item", json_string(item->id));
        json_object_set_new(f, "sign", json_string(item->sign));
        json_array_append_new(flags, f);
    }
    json_object_set_new(rep, "red_flags", flags);
    if (res->n_flags == 0) return;
    json_object_set_new(rep, "action", json_string(ACTION));
    json_object_set_new(rep, "message", json_string(
        "These signs need a clinician to examine you soon, whatever their cause; if they are "
        "severe or getting worse quickly, seek urgent care. The self-check stops here: it does "
        "not look for a gut-skin link while a warning sign is unexplained."));
}

/* What the groups present mean and do not mean, and what to track. */
static void signs_json(json_t *rep, const gs_assess_instrument *inst,
                       const gs_assess_result *res)
{
    json_t *groups = json_array();
    int skin = 0, gut = 0, body = 0, marked = 0, any = 0;
    json_t *log = json_array(), *commands = json_array();
    for (size_t g = 0; g < inst->n_groups; g++) {
        const gs_assess_group *grp = &inst->groups[g];
        const gs_assess_group_result *r = &res->groups[g];
        if (grp->section == GS_ASSESS_RED_FLAGS) continue;
        json_array_append_new(groups, group_json(inst, g, r));
        if (!r->present) continue;
        any = 1;
        skin |= grp->section == GS_ASSESS_SKIN;
        gut |= grp->section == GS_ASSESS_GUT;
        body |= grp->section == GS_ASSESS_BODY;
        marked |= !isnan(r->severity) && r->severity >= 7;
        for (size_t t = 0; t < grp->n_track; t++) {
            int seen = 0;
            for (size_t i = 0; i < json_array_size(log); i++)
                seen |= strcmp(json_string_value(json_array_get(log, i)), grp->track[t]) == 0;
            if (seen) continue;
            char cmd[256];
            log_command(grp->track[t], cmd, sizeof cmd);
            add_text(log, grp->track[t]);
            add_text(commands, cmd);
        }
    }
    json_object_set_new(rep, "groups", groups);

    json_t *means = json_array(), *not_means = json_array();
    if (!any) {
        add_text(means, "You did not report any of the groups of signs this self-check asks "
                        "about.");
    } else if (skin && gut) {
        add_text(means, "You reported signs in both your skin and your gut. That combination "
                        "is what the gut-skin idea is about, and it is worth testing in your "
                        "own records whether one follows the other.");
    } else if (skin) {
        add_text(means, "You reported skin signs without gut signs. A gut link is less likely "
                        "to show in your records, but foods can still be tested as triggers.");
    } else if (gut) {
        add_text(means, "You reported gut signs without skin signs. Your records can still "
                        "show which foods come before the gut symptoms.");
    } else {
        add_text(means, "You reported general signs (such as tiredness, brain fog or joint "
                        "pain) without skin or gut signs.");
    }
    if (any && body)
        add_text(means, "Brain fog, fatigue and joint pain have many causes; they are tracked "
                        "here only to see whether they move with your gut and skin.");
    if (marked)
        add_text(means, "You rated at least one group as marked (7 or more out of 10). Signs "
                        "that strong are worth raising with a clinician even without a warning "
                        "sign.");
    add_text(not_means, "The group names describe signs, not conditions: only a clinician "
                        "who examines you can say whether you have acne, rosacea, eczema, "
                        "psoriasis or a gut disorder.");
    add_text(not_means, "Having gut and skin signs at the same time does not show that one "
                        "causes the other; both are common, and they often occur together by "
                        "chance.");
    add_text(not_means, "\"Leaky gut\" is not an accepted diagnosis and has no validated test; "
                        "these answers cannot show whether your gut barrier is involved.");
    json_object_set_new(rep, "meaning", means);
    json_object_set_new(rep, "not_meaning", not_means);

    if (!any) {
        json_decref(log);
        json_decref(commands);
        return;
    }
    add_text(log, "food");
    add_text(commands, "gutskin log food \"what you ate\"");
    add_text(log, "start/stop");
    add_text(commands, "gutskin start NAME / gutskin stop NAME (any change you make)");
    json_t *s = json_object();
    json_object_set_new(s, "weeks", json_integer(GS_ASSESS_TRACK_WEEKS));
    json_object_set_new(s, "days", json_integer(7 * GS_ASSESS_TRACK_WEEKS));
    char why[1024];
    snprintf(why, sizeof why,
             "%d weeks give about %d days. A food eaten two or three times a week then appears "
             "on roughly 12 to 18 of them and is missing on the rest: enough days with and "
             "without it for the statistics to compare at lags of 0 to 3 days. Skin changes "
             "over weeks, so a shorter record would mostly show day-to-day noise.",
             GS_ASSESS_TRACK_WEEKS, 7 * GS_ASSESS_TRACK_WEEKS);
    json_object_set_new(s, "why", json_string(why));
    json_object_set_new(s, "log", log);
    json_object_set_new(s, "commands", commands);
    json_object_set_new(s, "then", json_string(
        "Then run `gutskin analyze triggers` to see which foods, if any, come before changes, "
        "and `gutskin analyze effect NAME` for a change you started."));
    json_object_set_new(rep, "suggestion", s);
}

static json_t *report(const gs_assess_instrument *inst, const gs_assess_answer *answers,
                      const gs_assess_result *res)
{
    (void)answers;
    json_t *rep = json_object();
    json_t *id = json_object();
    json_object_set_new(id, "id", json_string(inst->id));
    json_object_set_new(id, "version", json_integer(inst->version));
    json_object_set_new(id, "title", json_string(inst->title));
    json_object_set_new(rep, "instrument", id);
    json_object_set_new(rep, "disclaimer", json_string(DISCLAIMER));
    red_flags_json(rep, inst, res);
    if (res->n_flags == 0) signs_json(rep, inst, res);
    return rep;
}

char *gs_assess_report_json(const gs_assess_instrument *inst, const gs_assess_answer *answers,
                            const gs_assess_result *res)
{
    json_t *rep = report(inst, answers, res);
    char *text = json_dumps(rep, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(rep);
    return text;
}

static void print_list(FILE *out, json_t *list, const char *bullet)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) fprintf(out, "%s%s\n", bullet, json_string_value(v));
}

/* "Label: a, b, c." for a non-empty list of titles. */
static void print_titles(FILE *out, const char *label, json_t *titles)
{
    if (json_array_size(titles) == 0) return;
    fprintf(out, "%s: ", label);
    size_t i;
    json_t *t;
    json_array_foreach(titles, i, t) fprintf(out, "%s%s", i ? ", " : "", json_string_value(t));
    fprintf(out, ".\n");
}

void gs_assess_report_text(FILE *out, const gs_assess_instrument *inst,
                           const gs_assess_answer *answers, const gs_assess_result *res)
{
    json_t *rep = report(inst, answers, res);
    fprintf(out, "%s (%s, version %d)\n%s\n\n", inst->title, inst->id, inst->version, DISCLAIMER);
    json_t *flags = json_object_get(rep, "red_flags");
    if (json_array_size(flags) > 0) {
        fprintf(out, "RED FLAG: %s.\nYou reported:\n", ACTION);
        size_t i;
        json_t *f;
        json_array_foreach(flags, i, f)
            fprintf(out, "  - %s\n", json_string_value(json_object_get(f, "sign")));
        fprintf(out, "%s\n", json_string_value(json_object_get(rep, "message")));
        json_decref(rep);
        return;
    }
    fprintf(out, "No red flags in your answers.\n\nSigns present:\n");
    size_t i, n_present = 0;
    json_t *g;
    json_t *absent = json_array(), *unanswered = json_array();
    json_array_foreach(json_object_get(rep, "groups"), i, g) {
        if (!json_is_true(json_object_get(g, "present"))) {
            json_array_append(json_is_true(json_object_get(g, "answered")) ? absent : unanswered,
                              json_object_get(g, "title"));
            continue;
        }
        n_present++;
        json_t *sev = json_object_get(g, "severity"), *dur = json_object_get(g, "duration");
        char strength[64];
        if (json_is_integer(sev))
            snprintf(strength, sizeof strength, "%s (%d/10)",
                     json_string_value(json_object_get(g, "strength")),
                     (int)json_integer_value(sev));
        else snprintf(strength, sizeof strength, "strength not rated");
        fprintf(out, "  %-5s %-26s %s%s%s\n", json_string_value(json_object_get(g, "section")),
                json_string_value(json_object_get(g, "title")), strength,
                json_is_string(dur) ? ", " : "", json_is_string(dur) ? json_string_value(dur) : "");
    }
    if (n_present == 0) fprintf(out, "  none\n");
    print_titles(out, "Not present", absent);
    print_titles(out, "Not answered", unanswered);
    json_decref(absent);
    json_decref(unanswered);
    fprintf(out, "\nWhat this means:\n");
    print_list(out, json_object_get(rep, "meaning"), "  - ");
    fprintf(out, "What it does not mean:\n");
    print_list(out, json_object_get(rep, "not_meaning"), "  - ");
    json_t *s = json_object_get(rep, "suggestion");
    if (s) {
        fprintf(out, "\nTo test a gut link, track for %d weeks.\n%s\nEach day, log:\n",
                (int)json_integer_value(json_object_get(s, "weeks")),
                json_string_value(json_object_get(s, "why")));
        print_list(out, json_object_get(s, "commands"), "  ");
        fprintf(out, "%s\n", json_string_value(json_object_get(s, "then")));
    }
    json_decref(rep);
}
