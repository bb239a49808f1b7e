/*
 * yaml_read.c - the YAML reading helpers of yaml_read.h.
 *
 * libfyaml parses with its diagnostics collected (never printed by the
 * library); the first collected error becomes "PATH:LINE:COL: YAML syntax
 * error: ...".  libfyaml 0.7 gives no start mark for mappings or lists,
 * so a collection is located by its first scalar.  No paper: file
 * handling.
 */
#include "util/yaml_read.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 24

gs_ypos gs_yaml_pos(struct fy_node *node, gs_ypos fallback)
{
    if (!node) return fallback;
    enum fy_node_type type = fy_node_get_type(node);
    if (type == FYNT_MAPPING) {
        void *it = NULL;
        struct fy_node_pair *first = fy_node_mapping_iterate(node, &it);
        return first ? gs_yaml_pos(fy_node_pair_key(first), fallback) : fallback;
    }
    if (type == FYNT_SEQUENCE) {
        void *it = NULL;
        struct fy_node *first = fy_node_sequence_iterate(node, &it);
        return first ? gs_yaml_pos(first, fallback) : fallback;
    }
    struct fy_token *tok = fy_node_get_scalar_token(node);
    const struct fy_mark *mark = tok ? fy_token_start_mark(tok) : NULL;
    if (!mark) return fallback;
    enum fy_node_style style = fy_node_get_style(node);
    int quote = (style == FYNS_SINGLE_QUOTED || style == FYNS_DOUBLE_QUOTED) && mark->column > 0;
    gs_ypos p = {mark->line, mark->column - (quote ? 1 : 0)};
    return p;
}

gs_status gs_yaml_fail(const gs_yaml *y, gs_ypos p, const char *fmt, ...)
{
    char msg[GS_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return gs_fail(y->err, GS_ERR_INPUT, "%s:%d:%d: %s", y->path, p.line + 1, p.col + 1, msg);
}

gs_status gs_yaml_prefix(const gs_yaml *y, gs_ypos p)
{
    char msg[GS_ERR_MSG_MAX];
    snprintf(msg, sizeof msg, "%s", y->err ? y->err->msg : "invalid value");
    return gs_yaml_fail(y, p, "%s", msg);
}

int gs_yaml_is_null(struct fy_node *node)
{
    if (!node || fy_node_is_null(node)) return 1;
    if (fy_node_get_type(node) != FYNT_SCALAR || fy_node_get_style(node) != FYNS_PLAIN)
        return 0;
    size_t len;
    const char *s = fy_node_get_scalar(node, &len);
    if (!s) return 0;
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
    for (size_t i = 0; i < sizeof nulls / sizeof nulls[0]; i++)
        if (strlen(nulls[i]) == len && strncmp(s, nulls[i], len) == 0) return 1;
    return 0;
}

const char *gs_yaml_type_word(struct fy_node *node)
{
    enum fy_node_type type = fy_node_get_type(node);
    if (type == FYNT_SEQUENCE) return "a list";
    if (type == FYNT_MAPPING) return "a mapping";
    return "a single value";
}

gs_status gs_yaml_text(const gs_yaml *y, struct fy_node *node, gs_ypos at, const char *what,
                       const char **out)
{
    if (gs_yaml_is_null(node))  /* `key:` with no value, or ~ / null */
        return gs_yaml_fail(y, gs_yaml_pos(node, at), "expected %s, got nothing", what);
    if (fy_node_get_type(node) != FYNT_SCALAR)
        return gs_yaml_fail(y, gs_yaml_pos(node, at), "expected %s, got %s", what,
                            gs_yaml_type_word(node));
    const char *text = fy_node_get_scalar0(node);
    if (!text) return gs_fail(y->err, GS_ERR_NOMEM, "out of memory reading %s", y->path);
    *out = text;
    return GS_OK;
}

gs_status gs_yaml_strdup(const gs_yaml *y, struct fy_node *node, gs_ypos at,
                         const char *what, char **out)
{
    const char *text;
    gs_status st = gs_yaml_text(y, node, at, what, &text);
    if (st != GS_OK) return st;
    if (!text[0]) return gs_yaml_fail(y, gs_yaml_pos(node, at), "expected %s, got nothing", what);
    *out = strdup(text);
    return *out ? GS_OK : gs_fail(y->err, GS_ERR_NOMEM, "out of memory reading %s", y->path);
}

gs_status gs_yaml_number(const gs_yaml *y, struct fy_node *node, gs_ypos at,
                         const char *what, double *out)
{
    const char *text;
    gs_status st = gs_yaml_text(y, node, at, what, &text);
    if (st != GS_OK) return st;
    gs_ypos p = gs_yaml_pos(node, at);
    if (fy_node_get_style(node) != FYNS_PLAIN)
        return gs_yaml_fail(y, p, "expected %s, got the quoted text \"%s\" (write numbers "
                            "without quotes)", what, text);
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || errno == ERANGE || !isfinite(v))
        return gs_yaml_fail(y, p, "expected %s, got '%s'", what, text);
    *out = v;
    return GS_OK;
}

gs_status gs_yaml_ranged(const gs_yaml *y, struct fy_node *node, gs_ypos at,
                         const char *key, double lo, double hi, int whole,
                         const char *unit, double *out)
{
    char what[192];
    snprintf(what, sizeof what, "%s for '%s' (%g to %g %s)",
             whole ? "a whole number" : "a number", key, lo, hi, unit);
    double v;
    gs_status st = gs_yaml_number(y, node, at, what, &v);
    if (st != GS_OK) return st;
    if (v < lo || v > hi || (whole && v != floor(v)))
        return gs_yaml_fail(y, gs_yaml_pos(node, at), "'%s' is %g; expected %s", key, v, what);
    *out = v;
    return GS_OK;
}

/* "a, b, c" of the declared keys. */
static void key_list(const gs_yfield *fields, size_t n, char *buf, size_t len)
{
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t used = strlen(buf);
        snprintf(buf + used, len - used, "%s%s", i ? ", " : "", fields[i].key);
    }
}

gs_status gs_yaml_fields(const gs_yaml *y, struct fy_node *node, gs_ypos at,
                         const char *where, gs_yfield *fields, size_t n_fields)
{
    assert(n_fields <= MAX_FIELDS);
    for (size_t i = 0; i < n_fields; i++) {
        fields[i].value = NULL;
        fields[i].key_pos = at;
    }
    if (gs_yaml_is_null(node)) return GS_OK;
    char keys[512];
    key_list(fields, n_fields, keys, sizeof keys);
    if (fy_node_get_type(node) != FYNT_MAPPING)
        return gs_yaml_fail(y, gs_yaml_pos(node, at), "expected %s as a mapping with keys %s, "
                            "got %s", where, keys, gs_yaml_type_word(node));
    void *it = NULL;
    struct fy_node_pair *pair;
    while ((pair = fy_node_mapping_iterate(node, &it)) != NULL) {
        struct fy_node *key_node = fy_node_pair_key(pair);
        const char *key;
        gs_status st = gs_yaml_text(y, key_node, at, "a key", &key);
        if (st != GS_OK) return st;
        gs_ypos kp = gs_yaml_pos(key_node, at);
        gs_yfield *f = NULL;
        for (size_t i = 0; i < n_fields && !f; i++)
            if (strcmp(fields[i].key, key) == 0) f = &fields[i];
        if (!f) {
            const char *names[MAX_FIELDS];
            for (size_t i = 0; i < n_fields; i++) names[i] = fields[i].key;
            const char *near = gs_nearest_name(key, names, n_fields);
            if (near)
                return gs_yaml_fail(y, kp, "unknown key '%s' in %s (did you mean '%s'?); "
                                    "expected one of %s", key, where, near, keys);
            return gs_yaml_fail(y, kp, "unknown key '%s' in %s; expected one of %s", key,
                                where, keys);
        }
        if (f->value)
            return gs_yaml_fail(y, kp, "key '%s' appears twice in %s", key, where);
        f->value = fy_node_pair_value(pair);
        f->key_pos = kp;
    }
    return GS_OK;
}

gs_yfield *gs_yaml_field(gs_yfield *fields, size_t n_fields, const char *key)
{
    for (size_t i = 0; i < n_fields; i++)
        if (strcmp(fields[i].key, key) == 0) return &fields[i];
    assert(!"undeclared field");
    return NULL;
}

static void quiet_output(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
    (void)diag;
    (void)user;
    (void)buf;
    (void)len;
}

/* Read the file at path into a new NUL-terminated buffer.  Reads to the
 * end rather than asking for the size, so pipes and /dev/stdin work. */
static gs_status read_whole(const char *path, const char *what, char **out, size_t *len,
                            gs_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return gs_fail(err, GS_ERR_INPUT, "%s: cannot open the %s: %s", path, what,
                       strerror(errno));
    size_t cap = 8192, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1) break;
        char *grown = cap < ((size_t)1 << 30) ? realloc(buf, cap * 2) : NULL;
        if (!grown) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = grown;
        cap *= 2;
    }
    int failed = ferror(f);
    fclose(f);
    if (!buf) return gs_fail(err, GS_ERR_NOMEM, "%s: the %s is too large to read", path, what);
    if (failed) {
        free(buf);
        return gs_fail(err, GS_ERR_IO, "%s: cannot read the %s", path, what);
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return GS_OK;
}

gs_status gs_yaml_open(gs_yaml *y, const char *path, const char *what,
                       struct fy_node **root, gs_err *err)
{
    memset(y, 0, sizeof *y);
    y->path = path;
    y->err = err;
    *root = NULL;
    size_t len = 0;
    gs_status st = read_whole(path, what, &y->text, &len, err);
    if (st != GS_OK) return st;
    struct fy_diag_cfg dcfg;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    dcfg.output_fn = quiet_output;
    dcfg.colorize = false;
    if (!(y->diag = fy_diag_create(&dcfg)))
        return gs_fail(err, GS_ERR_NOMEM, "could not set up YAML diagnostics for %s", path);
    fy_diag_set_collect_errors(y->diag, true);
    struct fy_parse_cfg pcfg;
    memset(&pcfg, 0, sizeof pcfg);
    pcfg.flags = FYPCF_QUIET | FYPCF_RESOLVE_DOCUMENT;
    pcfg.diag = y->diag;
    y->parser = fy_parser_create(&pcfg);
    if (!y->parser || fy_parser_set_string(y->parser, y->text, len) != 0)
        return gs_fail(err, GS_ERR_IO, "%s: cannot read the %s", path, what);
    y->doc = fy_parse_load_document(y->parser);
    struct fy_document *second = y->doc ? fy_parse_load_document(y->parser) : NULL;
    void *it = NULL;
    struct fy_diag_error *syntax = fy_diag_errors_iterate(y->diag, &it);
    if (syntax) {
        /* collected positions are already 1-based */
        st = gs_fail(err, GS_ERR_INPUT, "%s:%d:%d: YAML syntax error: %s", path,
                     syntax->line > 0 ? syntax->line : 1,
                     syntax->column > 0 ? syntax->column : 1,
                     syntax->msg ? syntax->msg : "malformed YAML");
    } else if (second) {
        st = gs_yaml_fail(y, gs_yaml_pos(fy_document_root(second), (gs_ypos){0, 0}),
                          "a second YAML document starts here; a %s holds one document "
                          "(remove the '---' line)", what);
    } else if (y->doc) {
        *root = fy_document_root(y->doc);
    }
    if (second) fy_parse_document_destroy(y->parser, second);
    return st;
}

void gs_yaml_close(gs_yaml *y)
{
    if (y->doc) fy_parse_document_destroy(y->parser, y->doc);
    if (y->parser) fy_parser_destroy(y->parser);
    if (y->diag) fy_diag_destroy(y->diag);
    free(y->text);
    memset(y, 0, sizeof *y);
}
