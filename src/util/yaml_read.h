/*
 * yaml_read.h - reading people's YAML files (scenarios, trials,
 * variability files, calibration targets, questionnaires) with every
 * error as one sentence "FILE:LINE:COLUMN: what was expected".
 *
 * Internal to libgutskin; the one set of YAML helpers every loader uses.
 * Syntax errors come from libfyaml's collected diagnostics (never printed
 * by the library); semantic errors point at the start of the offending
 * scalar's token (a quoted scalar at its quote); libfyaml 0.7 has no start
 * mark for mappings or lists, so a whole collection is located by its
 * first scalar.
 */
#ifndef GS_UTIL_YAML_READ_H
#define GS_UTIL_YAML_READ_H

#include <libfyaml.h>
#include <stddef.h>

#include "gutskin/status.h"

/* A 0-based position, as libfyaml counts. */
typedef struct gs_ypos {
    int line, col;
} gs_ypos;

typedef struct gs_yaml {
    const char *path;
    gs_err *err;
    struct fy_diag *diag;
    struct fy_parser *parser;
    struct fy_document *doc;
    char *text;     /* the whole file: libfyaml parses from memory, so a
                       pipe (/dev/stdin) reads like a regular file */
} gs_yaml;

/* Parse the single YAML document at path; *root is its root node (NULL
 * for an empty file).  `what` names the file kind in messages ("trial
 * file").  Close with gs_yaml_close, also after a failure. */
gs_status gs_yaml_open(gs_yaml *y, const char *path, const char *what,
                       struct fy_node **root, gs_err *err);
void gs_yaml_close(gs_yaml *y);

/* The position of node (its first scalar), or fallback. */
gs_ypos gs_yaml_pos(struct fy_node *node, gs_ypos fallback);

/* Fail with GS_ERR_INPUT "PATH:LINE:COL: message". */
gs_status gs_yaml_fail(const gs_yaml *y, gs_ypos p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Put "PATH:LINE:COL: " before the message a lower layer left on y->err. */
gs_status gs_yaml_prefix(const gs_yaml *y, gs_ypos p);

/* A YAML null: absent, an empty value, or a plain ~ / null (YAML 1.2 core
 * schema; libfyaml 0.7's fy_node_is_null does not count a plain ~). */
int gs_yaml_is_null(struct fy_node *node);

/* "a single value" / "a list" / "a mapping", for messages. */
const char *gs_yaml_type_word(struct fy_node *node);

/* A scalar's text, or "expected WHAT, got a list" (or "got nothing" for
 * a null). */
gs_status gs_yaml_text(const gs_yaml *y, struct fy_node *node, gs_ypos at, const char *what,
                       const char **out);

/* A plain scalar that is a finite number. */
gs_status gs_yaml_number(const gs_yaml *y, struct fy_node *node, gs_ypos at,
                         const char *what, double *out);

/* A number in [lo, hi], whole when `whole`; the message names key and unit. */
gs_status gs_yaml_ranged(const gs_yaml *y, struct fy_node *node, gs_ypos at,
                         const char *key, double lo, double hi, int whole,
                         const char *unit, double *out);

/* A mapping's keys, declared by the caller; value NULL when absent. */
typedef struct gs_yfield {
    const char *key;
    struct fy_node *value;
    gs_ypos key_pos;
} gs_yfield;

/* Walk a mapping: every key must be declared in fields (else "unknown key
 * 'x' in WHERE (did you mean 'y'?)"); fill in the values.  A null node is
 * an empty mapping. */
gs_status gs_yaml_fields(const gs_yaml *y, struct fy_node *node, gs_ypos at,
                         const char *where, gs_yfield *fields, size_t n_fields);

/* The declared field called key (which must exist). */
gs_yfield *gs_yaml_field(gs_yfield *fields, size_t n_fields, const char *key);

/* Copy a scalar's text into a new string (*out, freed by the caller). */
gs_status gs_yaml_strdup(const gs_yaml *y, struct fy_node *node, gs_ypos at,
                         const char *what, char **out);

#endif
