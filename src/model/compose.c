/*
 * compose.c - turn a list of blocks into one ODE system.
 *
 * Composition concatenates the blocks' states, parameters, inputs and
 * outputs into flat vectors and resolves each link once into a (kind,
 * index) pair.  gs_model_rhs then runs in three passes with no name
 * lookups: all outputs, all inputs gathered, all right-hand sides.
 *
 * gs_model_jacobian assembles the dense Jacobian of the composed system
 * the same way: each block's d f/d y on the diagonal, and for each
 * resolved link the chain rule through the link's source - d f/d in for
 * an input fed by a state, d f/d in x d out/d y for one fed by an output,
 * nothing for a dose (piecewise constant in time, independent of y).
 */
#include "gutskin/model.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum source_kind { SRC_DEFAULT, SRC_STATE, SRC_OUTPUT, SRC_DOSE };

typedef struct input_source {
    enum source_kind kind;
    size_t index;   /* into y, outputs or dose, by kind */
} input_source;

struct gs_model {
    size_t n_blocks;
    const gs_block **blocks;
    /* offsets[b] of block b in each composed vector; offsets[n_blocks] = total */
    size_t *state_off, *output_off, *param_off, *input_off;
    double *params;        /* n_params */
    double *initial;       /* n_states */
    input_source *inputs;  /* n_inputs */
    double *input_default; /* n_inputs */
    const gs_link **links; /* resolved links */
    size_t n_links;
    /* scratch for gs_model_rhs */
    double *outputs;       /* n_outputs */
    double *input_values;  /* n_inputs */
    /* scratch for gs_model_jacobian: one block's d f/d y and d f/d in
     * (sized for the largest block), every block's d out/d y */
    double *jac_y, *jac_in, *jac_out;
    size_t *jac_out_off;   /* n_blocks + 1 offsets into jac_out */
    unsigned char *feeds;  /* feeds[b]: some resolved input reads block b's outputs */
};

#define N_STATES(m) ((m)->state_off[(m)->n_blocks])
#define N_OUTPUTS(m) ((m)->output_off[(m)->n_blocks])
#define N_PARAMS(m) ((m)->param_off[(m)->n_blocks])
#define N_INPUTS(m) ((m)->input_off[(m)->n_blocks])

const char *gs_grade_name(gs_grade g)
{
    switch (g) {
    case GS_MEASURED: return "measured";
    case GS_FITTED: return "fitted";
    case GS_ASSUMPTION: return "assumption";
    }
    return "unknown";
}

int gs_quantity_index(const gs_quantity *table, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(table[i].name, name) == 0) return (int)i;
    return -1;
}

void gs_model_free(gs_model *m)
{
    if (!m) return;
    free(m->blocks);
    free(m->state_off);
    free(m->output_off);
    free(m->param_off);
    free(m->input_off);
    free(m->params);
    free(m->initial);
    free(m->inputs);
    free(m->input_default);
    free(m->links);
    free(m->outputs);
    free(m->input_values);
    free(m->jac_y);
    free(m->jac_in);
    free(m->jac_out);
    free(m->jac_out_off);
    free(m->feeds);
    free(m);
}

/* Allocate every array of a model whose blocks and offsets are known. */
static int alloc_vectors(gs_model *m, size_t n_links)
{
    size_t ns = N_STATES(m), no = N_OUTPUTS(m), np = N_PARAMS(m), ni = N_INPUTS(m);
    /* +1 so that empty vectors still get a valid pointer */
    m->params = calloc(np + 1, sizeof *m->params);
    m->initial = calloc(ns + 1, sizeof *m->initial);
    m->inputs = calloc(ni + 1, sizeof *m->inputs);
    m->input_default = calloc(ni + 1, sizeof *m->input_default);
    m->links = calloc(n_links + 1, sizeof *m->links);
    m->outputs = calloc(no + 1, sizeof *m->outputs);
    m->input_values = calloc(ni + 1, sizeof *m->input_values);
    size_t max_yy = 0, max_yin = 0;
    m->jac_out_off = calloc(m->n_blocks + 1, sizeof *m->jac_out_off);
    m->feeds = calloc(m->n_blocks + 1, sizeof *m->feeds);
    if (!m->jac_out_off || !m->feeds) return 0;
    for (size_t b = 0; b < m->n_blocks; b++) {
        const gs_block *blk = m->blocks[b];
        size_t yy = blk->n_states * blk->n_states, yin = blk->n_states * blk->n_inputs;
        if (yy > max_yy) max_yy = yy;
        if (yin > max_yin) max_yin = yin;
        m->jac_out_off[b + 1] = m->jac_out_off[b] + blk->n_outputs * blk->n_states;
    }
    m->jac_y = calloc(max_yy + 1, sizeof *m->jac_y);
    m->jac_in = calloc(max_yin + 1, sizeof *m->jac_in);
    m->jac_out = calloc(m->jac_out_off[m->n_blocks] + 1, sizeof *m->jac_out);
    return m->params && m->initial && m->inputs && m->input_default &&
           m->links && m->outputs && m->input_values && m->jac_y && m->jac_in &&
           m->jac_out;
}

/* Split "block.name" into the block's index in m and the name after the
 * dot.  Returns -1 when the block is not part of m. */
static int split_qualified(const gs_model *m, const char *q, const char **rest)
{
    const char *dot = strchr(q, '.');
    if (!dot) return -1;
    size_t len = (size_t)(dot - q);
    for (size_t b = 0; b < m->n_blocks; b++) {
        if (strlen(m->blocks[b]->name) == len &&
            strncmp(m->blocks[b]->name, q, len) == 0) {
            *rest = dot + 1;
            return (int)b;
        }
    }
    return -1;
}

/* Resolve the source side of a link. Returns 1 and fills *src when the
 * source is present in m, 0 when its block is absent, -1 when the name
 * does not exist in a present block (a broken link table). */
static int resolve_source(const gs_model *m, const char *from, input_source *src)
{
    if (strncmp(from, "dose.", 5) == 0) {
        int k = gs_intervention_index(from + 5);
        if (k < 0) return -1;
        src->kind = SRC_DOSE;
        src->index = (size_t)k;
        return 1;
    }
    const char *rest;
    int b = split_qualified(m, from, &rest);
    if (b < 0) return 0;
    const gs_block *blk = m->blocks[b];
    int i = gs_quantity_index(blk->states, blk->n_states, rest);
    if (i >= 0) {
        src->kind = SRC_STATE;
        src->index = m->state_off[b] + (size_t)i;
        return 1;
    }
    i = gs_quantity_index(blk->outputs, blk->n_outputs, rest);
    if (i >= 0) {
        src->kind = SRC_OUTPUT;
        src->index = m->output_off[b] + (size_t)i;
        return 1;
    }
    return -1;
}

/* feeds[b] = 1 when some resolved input reads an output of block b: only
 * those blocks' outputs need evaluating inside the right-hand side. */
static void mark_feeding_blocks(gs_model *m)
{
    size_t ni = N_INPUTS(m);
    memset(m->feeds, 0, m->n_blocks * sizeof *m->feeds);
    for (size_t j = 0; j < ni; j++) {
        if (m->inputs[j].kind != SRC_OUTPUT) continue;
        for (size_t b = 0; b < m->n_blocks; b++)
            if (m->inputs[j].index >= m->output_off[b] && m->inputs[j].index < m->output_off[b + 1])
                m->feeds[b] = 1;
    }
}

static gs_status resolve_links(gs_model *m, gs_err *err)
{
    size_t n_links;
    const gs_link *links = gs_link_registry(&n_links);
    for (size_t l = 0; l < n_links; l++) {
        const char *rest;
        int b = split_qualified(m, links[l].to, &rest);
        if (b < 0) continue;  /* target block not active */
        const gs_block *blk = m->blocks[b];
        int i = gs_quantity_index(blk->inputs, blk->n_inputs, rest);
        if (i < 0)
            return gs_fail(err, GS_ERR_INTERNAL,
                           "link %s: block %s has no input named %s",
                           links[l].name, blk->name, rest);
        input_source src;
        int found = resolve_source(m, links[l].from, &src);
        if (found < 0)
            return gs_fail(err, GS_ERR_INTERNAL,
                           "link %s: source %s does not exist",
                           links[l].name, links[l].from);
        if (found == 0) continue;  /* source block not active: keep default */
        size_t j = m->input_off[b] + (size_t)i;
        if (m->inputs[j].kind != SRC_DEFAULT)
            return gs_fail(err, GS_ERR_INTERNAL,
                           "links: input %s is fed by two links", links[l].to);
        m->inputs[j] = src;
        m->links[m->n_links++] = &links[l];
    }
    return GS_OK;
}

gs_status gs_model_compose(const char *const *block_names, size_t n_blocks,
                           gs_model **out, gs_err *err)
{
    *out = NULL;
    gs_model *m = calloc(1, sizeof *m);
    if (!m) return gs_fail(err, GS_ERR_NOMEM, "out of memory composing the model");
    m->n_blocks = n_blocks;
    m->blocks = calloc(n_blocks + 1, sizeof *m->blocks);
    m->state_off = calloc(n_blocks + 1, sizeof(size_t));
    m->output_off = calloc(n_blocks + 1, sizeof(size_t));
    m->param_off = calloc(n_blocks + 1, sizeof(size_t));
    m->input_off = calloc(n_blocks + 1, sizeof(size_t));
    if (!m->blocks || !m->state_off || !m->output_off || !m->param_off ||
        !m->input_off) {
        gs_model_free(m);
        return gs_fail(err, GS_ERR_NOMEM, "out of memory composing the model");
    }

    size_t n_reg;
    const gs_block *const *reg = gs_block_registry(&n_reg);
    for (size_t b = 0; b < n_blocks; b++) {
        const gs_block *blk = gs_block_find(block_names[b]);
        if (!blk) {
            const char *names[64];
            size_t k = 0;
            for (; k < n_reg && k < 64; k++) names[k] = reg[k]->name;
            const char *near = gs_nearest_name(block_names[b], names, k);
            gs_fail(err, GS_ERR_INPUT, "unknown block '%s'%s%s%s", block_names[b],
                    near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
            gs_model_free(m);
            return GS_ERR_INPUT;
        }
        for (size_t c = 0; c < b; c++) {
            if (m->blocks[c] == blk) {
                gs_fail(err, GS_ERR_INPUT, "block '%s' is listed twice", blk->name);
                gs_model_free(m);
                return GS_ERR_INPUT;
            }
        }
        m->blocks[b] = blk;
        m->state_off[b + 1] = m->state_off[b] + blk->n_states;
        m->output_off[b + 1] = m->output_off[b] + blk->n_outputs;
        m->param_off[b + 1] = m->param_off[b] + blk->n_params;
        m->input_off[b + 1] = m->input_off[b] + blk->n_inputs;
    }

    size_t n_links;
    gs_link_registry(&n_links);
    if (!alloc_vectors(m, n_links)) {
        gs_model_free(m);
        return gs_fail(err, GS_ERR_NOMEM, "out of memory composing the model");
    }
    for (size_t b = 0; b < n_blocks; b++) {
        const gs_block *blk = m->blocks[b];
        for (size_t i = 0; i < blk->n_states; i++)
            m->initial[m->state_off[b] + i] = blk->states[i].value;
        for (size_t i = 0; i < blk->n_params; i++)
            m->params[m->param_off[b] + i] = blk->params[i].value;
        for (size_t i = 0; i < blk->n_inputs; i++)
            m->input_default[m->input_off[b] + i] = blk->inputs[i].value;
    }
    gs_status st = resolve_links(m, err);
    if (st != GS_OK) {
        gs_model_free(m);
        return st;
    }
    mark_feeding_blocks(m);
    *out = m;
    return GS_OK;
}

gs_model *gs_model_clone(const gs_model *src)
{
    gs_model *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    size_t nb = src->n_blocks;
    m->n_blocks = nb;
    m->blocks = malloc((nb + 1) * sizeof *m->blocks);
    m->state_off = malloc((nb + 1) * sizeof(size_t));
    m->output_off = malloc((nb + 1) * sizeof(size_t));
    m->param_off = malloc((nb + 1) * sizeof(size_t));
    m->input_off = malloc((nb + 1) * sizeof(size_t));
    if (!m->blocks || !m->state_off || !m->output_off || !m->param_off ||
        !m->input_off) {
        gs_model_free(m);
        return NULL;
    }
    memcpy(m->blocks, src->blocks, (nb + 1) * sizeof *m->blocks);
    memcpy(m->state_off, src->state_off, (nb + 1) * sizeof(size_t));
    memcpy(m->output_off, src->output_off, (nb + 1) * sizeof(size_t));
    memcpy(m->param_off, src->param_off, (nb + 1) * sizeof(size_t));
    memcpy(m->input_off, src->input_off, (nb + 1) * sizeof(size_t));
    size_t n_links;
    gs_link_registry(&n_links);
    if (!alloc_vectors(m, n_links)) {
        gs_model_free(m);
        return NULL;
    }
    memcpy(m->params, src->params, N_PARAMS(m) * sizeof(double));
    memcpy(m->initial, src->initial, N_STATES(m) * sizeof(double));
    memcpy(m->inputs, src->inputs, N_INPUTS(m) * sizeof *m->inputs);
    memcpy(m->input_default, src->input_default, N_INPUTS(m) * sizeof(double));
    memcpy(m->links, src->links, src->n_links * sizeof *m->links);
    m->n_links = src->n_links;
    memcpy(m->feeds, src->feeds, nb * sizeof *m->feeds);
    return m;
}

size_t gs_model_n_blocks(const gs_model *m) { return m->n_blocks; }
const gs_block *gs_model_block(const gs_model *m, size_t b)
{
    assert(b < m->n_blocks);
    return m->blocks[b];
}
size_t gs_model_n_states(const gs_model *m) { return N_STATES(m); }
size_t gs_model_n_outputs(const gs_model *m) { return N_OUTPUTS(m); }
size_t gs_model_n_params(const gs_model *m) { return N_PARAMS(m); }
size_t gs_model_n_links(const gs_model *m) { return m->n_links; }
const gs_link *gs_model_link(const gs_model *m, size_t i)
{
    assert(i < m->n_links);
    return m->links[i];
}
size_t gs_model_state_offset(const gs_model *m, size_t b) { return m->state_off[b]; }
size_t gs_model_output_offset(const gs_model *m, size_t b) { return m->output_off[b]; }
size_t gs_model_param_offset(const gs_model *m, size_t b) { return m->param_off[b]; }

/* The block whose range [off[b], off[b+1]) holds composed index i. */
static size_t owner(const size_t *off, size_t n_blocks, size_t i)
{
    for (size_t b = 0; b < n_blocks; b++)
        if (i < off[b + 1]) return b;
    assert(!"index beyond the composed vector");
    return n_blocks;
}

size_t gs_model_state_block(const gs_model *m, size_t i)
{
    return owner(m->state_off, m->n_blocks, i);
}

const gs_quantity *gs_model_state_info(const gs_model *m, size_t i)
{
    size_t b = owner(m->state_off, m->n_blocks, i);
    return &m->blocks[b]->states[i - m->state_off[b]];
}

const gs_quantity *gs_model_output_info(const gs_model *m, size_t i)
{
    size_t b = owner(m->output_off, m->n_blocks, i);
    return &m->blocks[b]->outputs[i - m->output_off[b]];
}

const gs_quantity *gs_model_param_info(const gs_model *m, size_t i)
{
    size_t b = owner(m->param_off, m->n_blocks, i);
    return &m->blocks[b]->params[i - m->param_off[b]];
}

static const char *qualified_name(const gs_model *m, const size_t *off,
                                  const gs_quantity *info, size_t i, char *buf,
                                  size_t len)
{
    size_t b = owner(off, m->n_blocks, i);
    snprintf(buf, len, "%s.%s", m->blocks[b]->name, info->name);
    return buf;
}

const char *gs_model_state_name(const gs_model *m, size_t i, char *buf, size_t len)
{
    return qualified_name(m, m->state_off, gs_model_state_info(m, i), i, buf, len);
}
const char *gs_model_output_name(const gs_model *m, size_t i, char *buf, size_t len)
{
    return qualified_name(m, m->output_off, gs_model_output_info(m, i), i, buf, len);
}
const char *gs_model_param_name(const gs_model *m, size_t i, char *buf, size_t len)
{
    return qualified_name(m, m->param_off, gs_model_param_info(m, i), i, buf, len);
}

typedef enum { TABLE_STATES, TABLE_OUTPUTS, TABLE_PARAMS } table_kind;

static int find_in(const gs_model *m, const char *q, table_kind kind)
{
    const char *rest;
    int b = split_qualified(m, q, &rest);
    if (b < 0) return -1;
    const gs_block *blk = m->blocks[b];
    int i;
    switch (kind) {
    case TABLE_STATES:
        i = gs_quantity_index(blk->states, blk->n_states, rest);
        return i < 0 ? -1 : (int)m->state_off[b] + i;
    case TABLE_OUTPUTS:
        i = gs_quantity_index(blk->outputs, blk->n_outputs, rest);
        return i < 0 ? -1 : (int)m->output_off[b] + i;
    case TABLE_PARAMS:
        i = gs_quantity_index(blk->params, blk->n_params, rest);
        return i < 0 ? -1 : (int)m->param_off[b] + i;
    }
    return -1;
}

int gs_model_find_state(const gs_model *m, const char *q) { return find_in(m, q, TABLE_STATES); }
int gs_model_find_output(const gs_model *m, const char *q) { return find_in(m, q, TABLE_OUTPUTS); }
int gs_model_find_param(const gs_model *m, const char *q) { return find_in(m, q, TABLE_PARAMS); }

int gs_model_has_block(const gs_model *m, const char *name)
{
    for (size_t b = 0; b < m->n_blocks; b++)
        if (strcmp(m->blocks[b]->name, name) == 0) return 1;
    return 0;
}

double *gs_model_params(gs_model *m) { return m->params; }
const double *gs_model_params_const(const gs_model *m) { return m->params; }
double *gs_model_initial(gs_model *m) { return m->initial; }

/* Shared body of set_param / set_initial: find, range-check, store. */
static gs_status set_named(gs_model *m, const char *q, double value,
                           table_kind kind, gs_err *err)
{
    const char *what = kind == TABLE_PARAMS ? "parameter" : "state";
    int i = find_in(m, q, kind);
    if (i < 0) {
        /* Suggest among every qualified name of that kind. */
        size_t n = kind == TABLE_PARAMS ? N_PARAMS(m) : N_STATES(m);
        char (*names)[96] = calloc(n + 1, sizeof *names);
        const char **ptrs = calloc(n + 1, sizeof *ptrs);
        const char *near = NULL;
        if (names && ptrs) {
            for (size_t k = 0; k < n; k++) {
                if (kind == TABLE_PARAMS)
                    gs_model_param_name(m, k, names[k], sizeof names[k]);
                else
                    gs_model_state_name(m, k, names[k], sizeof names[k]);
                ptrs[k] = names[k];
            }
            near = gs_nearest_name(q, ptrs, n);
        }
        gs_fail(err, GS_ERR_INPUT, "unknown %s '%s'%s%s%s", what, q,
                near ? " (did you mean '" : " (names are block.name; see 'gutskin params')",
                near ? near : "", near ? "'?)" : "");
        free(names);
        free(ptrs);
        return GS_ERR_INPUT;
    }
    const gs_quantity *info = kind == TABLE_PARAMS ? gs_model_param_info(m, (size_t)i)
                                                   : gs_model_state_info(m, (size_t)i);
    if (!isfinite(value) || value < info->lo || value > info->hi)
        return gs_fail(err, GS_ERR_INPUT,
                       "%s %s = %g is out of range: allowed %g to %g %s", what, q,
                       value, info->lo, info->hi, info->unit);
    if (kind == TABLE_PARAMS)
        m->params[i] = value;
    else
        m->initial[i] = value;
    return GS_OK;
}

gs_status gs_model_set_param(gs_model *m, const char *q, double value, gs_err *err)
{
    return set_named(m, q, value, TABLE_PARAMS, err);
}

gs_status gs_model_set_initial(gs_model *m, const char *q, double value, gs_err *err)
{
    return set_named(m, q, value, TABLE_STATES, err);
}

void gs_model_outputs(gs_model *m, const double *y, double *out)
{
    for (size_t b = 0; b < m->n_blocks; b++) {
        const gs_block *blk = m->blocks[b];
        if (blk->n_outputs == 0) continue;
        assert(blk->output != NULL);
        blk->output(y + m->state_off[b], m->params + m->param_off[b],
                    out + m->output_off[b]);
    }
}

/* The outputs that feed links at y, then every input's value from its
 * source.  (Outputs nothing reads, such as clinical scores, are not
 * evaluated: gs_model_outputs gives those.) */
static void gather_inputs(gs_model *m, const double *y, const double *dose)
{
    for (size_t b = 0; b < m->n_blocks; b++) {
        if (!m->feeds[b]) continue;
        const gs_block *blk = m->blocks[b];
        assert(blk->output != NULL);
        blk->output(y + m->state_off[b], m->params + m->param_off[b],
                    m->outputs + m->output_off[b]);
    }
    size_t ni = N_INPUTS(m);
    for (size_t j = 0; j < ni; j++) {
        const input_source *s = &m->inputs[j];
        switch (s->kind) {
        case SRC_DEFAULT: m->input_values[j] = m->input_default[j]; break;
        case SRC_STATE: m->input_values[j] = y[s->index]; break;
        case SRC_OUTPUT: m->input_values[j] = m->outputs[s->index]; break;
        case SRC_DOSE: m->input_values[j] = dose[s->index]; break;
        }
    }
}

void gs_model_rhs(gs_model *m, const double *y, const double *dose, double *dydt)
{
    gather_inputs(m, y, dose);
    for (size_t b = 0; b < m->n_blocks; b++) {
        const gs_block *blk = m->blocks[b];
        blk->rhs(y + m->state_off[b], m->params + m->param_off[b],
                 m->input_values + m->input_off[b], dydt + m->state_off[b]);
    }
}

/* Does any resolved input of m read an output of block c? */
static int outputs_feed_links(const gs_model *m, size_t c) { return m->feeds[c]; }

/* 1 when every block has jac and every block whose outputs feed a link has
 * output_jac; else 0 and a "no analytic Jacobian: ..." sentence in why. */
int gs_model_has_jacobian(const gs_model *m, char *why, size_t len)
{
    for (size_t b = 0; b < m->n_blocks; b++) {
        const gs_block *blk = m->blocks[b];
        const char *lacks = NULL;
        if (!blk->jac)
            lacks = "has no Jacobian of its right-hand side";
        else if (!blk->output_jac && blk->n_outputs > 0 && outputs_feed_links(m, b))
            lacks = "has no Jacobian of the outputs that feed other blocks";
        if (lacks) {
            if (why && len > 0)
                snprintf(why, len, "no analytic Jacobian: block %s %s", blk->name, lacks);
            return 0;
        }
    }
    if (why && len > 0) why[0] = '\0';
    return 1;
}

/* Column-major dense d F/d y of gs_model_rhs at (y, dose) into jac[n * n];
 * requires gs_model_has_jacobian(m). */
void gs_model_jacobian(gs_model *m, const double *y, const double *dose, double *jac)
{
    assert(gs_model_has_jacobian(m, NULL, 0));
    size_t n = N_STATES(m);
    memset(jac, 0, n * n * sizeof *jac);
    gather_inputs(m, y, dose);
    /* Output Jacobians of the blocks whose outputs feed links. */
    for (size_t c = 0; c < m->n_blocks; c++) {
        const gs_block *blk = m->blocks[c];
        if (blk->n_outputs == 0 || !blk->output_jac || !outputs_feed_links(m, c)) continue;
        double *dout = m->jac_out + m->jac_out_off[c];
        memset(dout, 0, blk->n_outputs * blk->n_states * sizeof *dout);
        blk->output_jac(y + m->state_off[c], m->params + m->param_off[c], dout);
    }
    for (size_t b = 0; b < m->n_blocks; b++) {
        const gs_block *blk = m->blocks[b];
        size_t ns = blk->n_states, nin = blk->n_inputs, so = m->state_off[b];
        memset(m->jac_y, 0, ns * ns * sizeof *m->jac_y);
        memset(m->jac_in, 0, ns * nin * sizeof *m->jac_in);
        blk->jac(y + so, m->params + m->param_off[b], m->input_values + m->input_off[b],
                 m->jac_y, m->jac_in);
        for (size_t i = 0; i < ns; i++)
            for (size_t k = 0; k < ns; k++) jac[(so + k) * n + so + i] = m->jac_y[i * ns + k];
        for (size_t j = 0; j < nin; j++) {
            const input_source *src = &m->inputs[m->input_off[b] + j];
            if (src->kind == SRC_STATE) {
                for (size_t i = 0; i < ns; i++)
                    jac[src->index * n + so + i] += m->jac_in[i * nin + j];
            } else if (src->kind == SRC_OUTPUT) {
                size_t c = owner(m->output_off, m->n_blocks, src->index);
                const gs_block *from = m->blocks[c];
                size_t o = src->index - m->output_off[c], sc = m->state_off[c];
                const double *dout = m->jac_out + m->jac_out_off[c] + o * from->n_states;
                for (size_t k = 0; k < from->n_states; k++) {
                    if (dout[k] == 0) continue;
                    for (size_t i = 0; i < ns; i++)
                        jac[(sc + k) * n + so + i] += m->jac_in[i * nin + j] * dout[k];
                }
            }
            /* SRC_DOSE, SRC_DEFAULT: constant in y, no entry */
        }
    }
}
