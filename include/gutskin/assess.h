/*
 * assess.h - the self-check of the signs: questionnaires ("instruments")
 * read from YAML files in data/instruments/, answers checked against each
 * item's type and range, groups of signs scored, red flags detected, and a
 * report that puts red flags first.
 *
 * An instrument is data: groups of signs (skin, gut, body, red flags) and
 * items (questions) that belong to a group.  An item is asked only when its
 * conditions on earlier answers hold.  Red-flag items name a sign; when
 * their answer meets the item's red-flag rule, the report says "see a
 * clinician now" with that sign and says nothing else about the gut-skin
 * story.  The format is described in docs/self-check.md.
 *
 * Answers are kept as numbers, one per item: yes/no as 1/0, a choice as the
 * index of the chosen option, a scale or number as its value.
 *
 * Not a diagnosis and not treatment advice; every report says so.
 */
#ifndef GUTSKIN_ASSESS_H
#define GUTSKIN_ASSESS_H

#include <stddef.h>
#include <stdio.h>

#include "gutskin/status.h"

#define GS_ASSESS_RULES_MAX 4     /* conditions on one item */
#define GS_ASSESS_CHOICES_MAX 32  /* options of one choice item */
#define GS_ASSESS_TRACK_MAX 8     /* things to log per group */
#define GS_ASSESS_SCALE_MAX 10    /* scales run 0..10 */

/* How many weeks of tracking the report suggests, and why that many. */
#define GS_ASSESS_TRACK_WEEKS 6

typedef enum gs_assess_type {
    GS_ASSESS_YES_NO,
    GS_ASSESS_CHOICE,
    GS_ASSESS_SCALE,   /* whole numbers 0..10 */
    GS_ASSESS_NUMBER   /* a number in [min, max], whole when asked */
} gs_assess_type;

/* What an item tells about its group of signs. */
typedef enum gs_assess_role {
    GS_ASSESS_DETAIL,    /* context only; counted nowhere */
    GS_ASSESS_PRESENCE,  /* yes/no: yes means the group's signs are present */
    GS_ASSESS_SEVERITY,  /* scale: how strongly (the group's highest counts) */
    GS_ASSESS_DURATION   /* choice: for how long */
} gs_assess_role;

typedef enum gs_assess_section {
    GS_ASSESS_RED_FLAGS,
    GS_ASSESS_SKIN,
    GS_ASSESS_GUT,
    GS_ASSESS_BODY,
    GS_ASSESS_SECTION_COUNT
} gs_assess_section;

typedef enum gs_assess_test {
    GS_ASSESS_IS,        /* answer == value */
    GS_ASSESS_IN,        /* answer (yes/no or choice index) in the set mask */
    GS_ASSESS_AT_LEAST,  /* answer >= value */
    GS_ASSESS_AT_MOST    /* answer <= value */
} gs_assess_test;

/* A test on one item's answer: a condition for asking, or a red-flag rule. */
typedef struct gs_assess_rule {
    size_t item;              /* the item whose answer is tested */
    gs_assess_test test;
    double value;             /* for IS, AT_LEAST, AT_MOST */
    unsigned long long set;   /* for IN: bit k set when answer k is in the set */
} gs_assess_rule;

typedef struct gs_assess_choice {
    char *id;
    char *text;
} gs_assess_choice;

typedef struct gs_assess_item {
    char *id;
    char *text;
    gs_assess_type type;
    gs_assess_role role;
    size_t group;                 /* index into the instrument's groups */
    gs_assess_choice *choices;    /* GS_ASSESS_CHOICE only */
    size_t n_choices;
    double min, max;              /* the allowed range (scale: 0..10; yes/no: 0..1) */
    int whole;                    /* only whole numbers */
    char *unit;                   /* GS_ASSESS_NUMBER only */
    char *low, *high;             /* what a scale's 0 and 10 mean (optional) */
    gs_assess_rule when[GS_ASSESS_RULES_MAX];  /* all must hold to ask */
    size_t n_when;
    char *sign;                   /* red-flag items: the sign the report names */
    gs_assess_rule flag;          /* red-flag items: when the answer is a red flag */
    int line;                     /* 1-based line of the item in its file */
} gs_assess_item;

typedef struct gs_assess_group {
    char *id;
    char *title;
    gs_assess_section section;
    char *note;                          /* what the signs look like (optional) */
    char *track[GS_ASSESS_TRACK_MAX];    /* "kind name" journal entries to log */
    size_t n_track;
} gs_assess_group;

typedef struct gs_assess_instrument {
    char *id;
    int version;
    char *title;
    char *intro;      /* optional */
    gs_assess_group *groups;
    size_t n_groups;
    gs_assess_item *items;
    size_t n_items;
} gs_assess_instrument;

/* One answer per item, in item order. */
typedef struct gs_assess_answer {
    int given;     /* 0: not answered */
    double value;
    int line;      /* where an answers file gave it (1-based), 0 otherwise */
} gs_assess_answer;

/* A group's result. */
typedef struct gs_assess_group_result {
    int answered;   /* any item of the group was answered */
    int present;    /* a presence item was answered yes */
    double severity;      /* highest severity answer, NAN when none */
    int duration;         /* choice index of the duration item, -1 when none */
    size_t duration_item; /* that item, valid when duration >= 0 */
} gs_assess_group_result;

typedef struct gs_assess_result {
    size_t n_flags;
    size_t *flags;           /* indices of items whose answer is a red flag */
    gs_assess_group_result *groups;  /* one per group */
} gs_assess_result;

/* The section word ("red_flags", "skin", "gut", "body"). */
const char *gs_assess_section_name(gs_assess_section section);

/* The type word ("yes_no", "choice", "scale", "number"). */
const char *gs_assess_type_name(gs_assess_type type);

/* Read and check an instrument file.  Every error is one sentence
 * "PATH:LINE:COLUMN: what was expected": unknown keys, wrong types,
 * missing fields, duplicate item, group or choice ids, conditions naming
 * unknown or later items or values the item cannot take, red-flag rules
 * outside red-flag groups, journal entries to track that the journal does
 * not know.  On success *out is owned by the caller (gs_assess_free). */
gs_status gs_assess_load(const char *path, gs_assess_instrument **out, gs_err *err);

/* Load the shipped instrument called id: <data dir>/instruments/ID.yaml,
 * whose id must be ID.  An unknown id fails with GS_ERR_INPUT naming the
 * instruments that exist. */
gs_status gs_assess_load_id(const char *id, gs_assess_instrument **out, gs_err *err);

void gs_assess_free(gs_assess_instrument *inst);

/* The index of the item called id, or -1. */
long gs_assess_item_find(const gs_assess_instrument *inst, const char *id);

/* A new all-unanswered answer array for inst (free with free()), or NULL
 * when out of memory. */
gs_assess_answer *gs_assess_answers_new(const gs_assess_instrument *inst);

/* Parse text as an answer to item k: "yes"/"no" (also y/n/true/false),
 * a choice id or its 1-based number, a whole number 0..10, or a number in
 * the item's range.  Fails with GS_ERR_INPUT naming the item id and the
 * allowed answers. */
gs_status gs_assess_parse_answer(const gs_assess_instrument *inst, size_t k, const char *text,
                                 double *value, gs_err *err);

/* "yes or no", "one of none, spreading, blistering (or 1-3)", "a whole
 * number from 0 to 10", "a number from 0 to 70 bowel movements a week":
 * the allowed answers of item k, for messages and prompts. */
void gs_assess_allowed(const gs_assess_instrument *inst, size_t k, char *buf, size_t len);

/* Does the rule hold for the answers given?  A rule on an unanswered item
 * does not hold. */
int gs_assess_rule_holds(const gs_assess_rule *rule, const gs_assess_answer *answers);

/* Is item k asked, given the answers so far (all its conditions hold)? */
int gs_assess_is_asked(const gs_assess_instrument *inst, size_t k,
                       const gs_assess_answer *answers);

/* Is item k a red-flag item whose given answer meets its red-flag rule? */
int gs_assess_is_flagged(const gs_assess_instrument *inst, size_t k,
                         const gs_assess_answer *answers);

/* Read answers from a YAML or JSON file mapping item id -> answer.  Every
 * error names PATH:LINE:COLUMN and the item id: unknown items (with the
 * nearest id), answers outside the item's allowed set, items answered
 * twice.  The answers are then checked with gs_assess_answers_check. */
gs_status gs_assess_answers_read(const gs_assess_instrument *inst, const char *path,
                                 gs_assess_answer *answers, gs_err *err);

/* The same from JSON text (an HTTP request body, or answers stored in the
 * journal): an object of item id -> true/false, a choice id, or a number.
 * Messages name the item id (there are no lines to name). */
gs_status gs_assess_answers_from_json(const gs_assess_instrument *inst, const char *json,
                                      gs_assess_answer *answers, gs_err *err);

/* Check a complete set of answers: no answer to an item whose conditions
 * do not hold (it would not have been asked), and every asked red-flag item
 * answered (a report cannot say "no red flags" otherwise).  Messages name
 * the item id, and `source` (a file name, or NULL) with the line. */
gs_status gs_assess_answers_check(const gs_assess_instrument *inst,
                                  const gs_assess_answer *answers, const char *source,
                                  gs_err *err);

/* Score answers: red flags, then per group presence, highest severity and
 * duration.  *out is owned by the caller (gs_assess_result_free). */
gs_status gs_assess_score(const gs_assess_instrument *inst, const gs_assess_answer *answers,
                          gs_assess_result *out, gs_err *err);
void gs_assess_result_free(gs_assess_result *res);

/* "mild" (0-3), "moderate" (4-6), "marked" (7-10), or NULL for NAN. */
const char *gs_assess_strength(double severity);

/* The answers as a JSON object text {"item id": answer, ...} (yes/no as
 * true/false, choices by id, numbers as numbers), newly allocated. */
char *gs_assess_answers_json(const gs_assess_instrument *inst, const gs_assess_answer *answers);

/* The report as JSON text, newly allocated: instrument, disclaimer, red
 * flags; then, only when there is no red flag, the groups present, what
 * that means and does not mean, and the tracking suggestion. */
char *gs_assess_report_json(const gs_assess_instrument *inst, const gs_assess_answer *answers,
                            const gs_assess_result *res);

/* The same report as plain text for a person reading it. */
void gs_assess_report_text(FILE *out, const gs_assess_instrument *inst,
                           const gs_assess_answer *answers, const gs_assess_result *res);

#endif
