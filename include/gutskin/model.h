/*
 * model.h - the declarative model layer of libgutskin (pure: no I/O).
 *
 * A block is data plus one function: tables of states, parameters, inputs
 * and outputs, each entry carrying a name, unit, default, bounds and
 * provenance, and a right-hand side that maps (states, parameters, inputs)
 * to state derivatives.  Time is in days everywhere; published models in
 * other units are converted in their block and the conversion documented.
 *
 * Blocks never refer to each other.  A link (links.c) wires one block's
 * input to another block's state or output, or to an intervention's dose,
 * and carries its own evidence grade.  An input without an active source
 * keeps its default value, so any subset of blocks composes.
 *
 * Composition (gs_model_compose) resolves every name to an index once;
 * evaluating the composed right-hand side never looks anything up by name.
 *
 * Outputs (clinical scores, permeability, CRP proxy, ...) are functions of
 * the block's own states and parameters only.  That rule is what lets the
 * composed model evaluate all outputs first and then every right-hand side,
 * with no ordering between blocks.
 */
#ifndef GUTSKIN_MODEL_H
#define GUTSKIN_MODEL_H

#include <stddef.h>

#include "gutskin/status.h"

#define GS_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* How much we know about a number or a coupling. */
typedef enum gs_grade {
    GS_MEASURED,   /* taken from a paper that measured or fitted it to data */
    GS_FITTED,     /* fitted by us to a published trial (calibration.md) */
    GS_ASSUMPTION  /* no paper measured it: a labelled assumption */
} gs_grade;

const char *gs_grade_name(gs_grade g);

/* One entry of a block's tables. */
typedef struct gs_quantity {
    const char *name;   /* [a-z0-9_]+, unique within its table */
    const char *unit;   /* e.g. "1/day", "g/day", "dimensionless" */
    double value;       /* state: initial value; parameter: value;
                           input: value when no link feeds it;
                           output: unused (0) */
    double lo, hi;      /* allowed range; overrides outside it are rejected */
    gs_grade grade;
    const char *source; /* citation, e.g. "Reynolds 2006, Table 1" */
    const char *about;  /* one line for people */
} gs_quantity;

/* dydt = f(y, p, in).  Arrays are in the order of the block's tables. */
typedef void (*gs_rhs_fn)(const double *y, const double *p, const double *in,
                          double *dydt);
/* out = g(y, p): outputs depend on the block's own states and params. */
typedef void (*gs_output_fn)(const double *y, const double *p, double *out);

/* Optional analytic Jacobian of a block's right-hand side at (y, p, in).
 * Both arrays are ROW-MAJOR, one row per derivative dydt[i]:
 *   dfdy[i * n_states + k]  = d dydt[i] / d y[k]    (n_states x n_states)
 *   dfdin[i * n_inputs + j] = d dydt[i] / d in[j]   (n_states x n_inputs)
 * They arrive zeroed; the function sets the entries that are not zero.
 * Where the right-hand side has a kink (a clamp, a max), give the
 * derivative of the branch the right-hand side takes at that point. */
typedef void (*gs_jac_fn)(const double *y, const double *p, const double *in,
                          double *dfdy, double *dfdin);
/* Optional Jacobian of a block's outputs, ROW-MAJOR, one row per output:
 *   dout[o * n_states + k] = d out[o] / d y[k]     (n_outputs x n_states),
 * zeroed on entry like the above. */
typedef void (*gs_output_jac_fn)(const double *y, const double *p, double *dout);

enum { GS_BLOCK_SKIN = 1u << 0,       /* a skin condition the person may have */
       GS_BLOCK_REFERENCE = 1u << 1   /* a published model kept for validation;
                                         never composed into a person */ };

typedef struct gs_block {
    const char *name;      /* "barrier", "skin_acne", ... */
    const char *title;     /* one line */
    const char *citation;  /* the paper(s) the block follows */
    const gs_quantity *states;  size_t n_states;
    const gs_quantity *params;  size_t n_params;
    const gs_quantity *inputs;  size_t n_inputs;
    const gs_quantity *outputs; size_t n_outputs;
    gs_rhs_fn rhs;
    gs_output_fn output;   /* NULL when n_outputs == 0 */
    unsigned flags;
    /* Optional analytic derivatives ("analytic Jacobians where a block can
     * give them"); NULL when the block has none.  Without them the solver
     * uses finite differences for the whole composed model. */
    gs_jac_fn jac;
    gs_output_jac_fn output_jac;  /* needed only when an output feeds a link */
} gs_block;

/* An intervention: an exogenous input with a piecewise-constant dose.
 * When a schedule does not cover a day, the dose is the baseline (the
 * person's usual diet; zero for supplements and drugs). */
typedef struct gs_intervention {
    const char *name;   /* "fibre", "probiotic", "dupilumab", ... */
    const char *unit;   /* "g/day", "1e9 CFU/day", "fraction blocked" */
    double baseline;    /* default usual value */
    double lo, hi;      /* allowed dose range */
    const char *about;
} gs_intervention;

/* A named coupling: target input <- source value. */
typedef struct gs_link {
    const char *name;  /* "endotoxin_translocation", ... */
    const char *to;    /* "block.input" */
    const char *from;  /* "block.state", "block.output" or "dose.intervention" */
    gs_grade grade;
    const char *source;
    const char *why;   /* why this coupling, in one line */
} gs_link;

/* Registries (registry.c, interventions.c, links.c): static tables. */
const gs_block *const *gs_block_registry(size_t *n);
const gs_block *gs_block_find(const char *name);
const gs_intervention *gs_intervention_registry(size_t *n);
int gs_intervention_index(const char *name);  /* -1 when unknown */
const gs_link *gs_link_registry(size_t *n);

/* Index of name in a quantity table, or -1. */
int gs_quantity_index(const gs_quantity *table, size_t n, const char *name);

/* ---- Composed model ---------------------------------------------------- */

typedef struct gs_model gs_model;

/* Compose the named blocks (in the given order) into one ODE system and
 * resolve every link whose target and source are both present.  Unknown
 * block names fail with GS_ERR_INPUT and a suggestion.  On success *out
 * owns a model the caller frees with gs_model_free. */
gs_status gs_model_compose(const char *const *block_names, size_t n_blocks,
                           gs_model **out, gs_err *err);

/* A deep copy: same blocks, parameters and initial state.  NULL on OOM. */
gs_model *gs_model_clone(const gs_model *m);
void gs_model_free(gs_model *m);

size_t gs_model_n_blocks(const gs_model *m);
const gs_block *gs_model_block(const gs_model *m, size_t b);
size_t gs_model_n_states(const gs_model *m);
size_t gs_model_n_outputs(const gs_model *m);
size_t gs_model_n_params(const gs_model *m);
size_t gs_model_n_links(const gs_model *m);      /* links resolved */
const gs_link *gs_model_link(const gs_model *m, size_t i);

/* Offsets of block b's states, outputs and params in the composed vectors. */
size_t gs_model_state_offset(const gs_model *m, size_t b);
size_t gs_model_output_offset(const gs_model *m, size_t b);
size_t gs_model_param_offset(const gs_model *m, size_t b);

/* The block that owns composed state i, and the state's table entry. */
size_t gs_model_state_block(const gs_model *m, size_t i);
const gs_quantity *gs_model_state_info(const gs_model *m, size_t i);
const gs_quantity *gs_model_output_info(const gs_model *m, size_t i);
const gs_quantity *gs_model_param_info(const gs_model *m, size_t i);
/* "block.name" of composed state / output / param i, written to buf. */
const char *gs_model_state_name(const gs_model *m, size_t i, char *buf, size_t len);
const char *gs_model_output_name(const gs_model *m, size_t i, char *buf, size_t len);
const char *gs_model_param_name(const gs_model *m, size_t i, char *buf, size_t len);

/* Composed index of "block.name", or -1. */
int gs_model_find_state(const gs_model *m, const char *qualified);
int gs_model_find_output(const gs_model *m, const char *qualified);
int gs_model_find_param(const gs_model *m, const char *qualified);
/* Is block `name` part of this model? */
int gs_model_has_block(const gs_model *m, const char *name);

/* Parameter values and initial state, owned by the model. */
double *gs_model_params(gs_model *m);
const double *gs_model_params_const(const gs_model *m);
double *gs_model_initial(gs_model *m);

/* Set "block.param" / "block.state" by name, checking the table's range.
 * Errors name the quantity, the value and the allowed range, and suggest
 * the nearest name when the name is unknown. */
gs_status gs_model_set_param(gs_model *m, const char *qualified, double value,
                             gs_err *err);
gs_status gs_model_set_initial(gs_model *m, const char *qualified, double value,
                               gs_err *err);

/* Composed right-hand side: dydt = F(y; params, dose).  dose has one entry
 * per registered intervention (gs_intervention_registry order).  Not
 * thread-safe on one model (it uses the model's scratch buffers); clone
 * the model for each thread. */
void gs_model_rhs(gs_model *m, const double *y, const double *dose, double *dydt);

/* All outputs at state y, into out[gs_model_n_outputs]. */
void gs_model_outputs(gs_model *m, const double *y, double *out);

/* Can the composed model give an analytic Jacobian?  It can when every
 * block has a jac function and every block whose outputs feed a resolved
 * link has an output_jac function.  Returns 1 if so; otherwise 0, and
 * when why != NULL writes a sentence starting "no analytic Jacobian: "
 * that names the block and what it lacks into why[len]. */
int gs_model_has_jacobian(const gs_model *m, char *why, size_t len);

/* Dense Jacobian of gs_model_rhs at (y, dose), COLUMN-MAJOR (the storage
 * of LAPACK and of SUNDIALS' dense matrices):
 *   jac[k * n + i] = d dydt[i] / d y[k],  n = gs_model_n_states(m).
 * Assembled from the blocks' own Jacobians (diagonal blocks) and the
 * resolved links (an input fed by a state adds d f/d in directly, one fed
 * by an output adds d f/d in x d out/d y, one fed by a dose adds nothing).
 * Requires gs_model_has_jacobian(m).  Not thread-safe on one model (it
 * uses the model's scratch buffers), like gs_model_rhs. */
void gs_model_jacobian(gs_model *m, const double *y, const double *dose, double *jac);

/* ---- Schedules --------------------------------------------------------- */

typedef struct gs_dose_span {
    int intervention;   /* index in the intervention registry */
    double start, stop; /* days; dose applies on [start, stop) */
    double dose;
} gs_dose_span;

typedef struct gs_schedule {
    double *baseline;   /* one per registered intervention */
    gs_dose_span *spans;
    size_t n_spans, cap;
} gs_schedule;

/* A schedule whose baselines are the registry defaults and no spans. */
gs_status gs_schedule_init(gs_schedule *s, gs_err *err);
void gs_schedule_free(gs_schedule *s);
gs_status gs_schedule_copy(gs_schedule *dst, const gs_schedule *src, gs_err *err);

/* Set the person's usual value of an intervention (e.g. fibre 12 g/day). */
gs_status gs_schedule_set_baseline(gs_schedule *s, const char *name,
                                   double value, gs_err *err);

/* Add a span.  Rejects unknown names (with a suggestion), doses outside
 * the intervention's range, stop <= start, negative start, and overlap
 * with another span of the same intervention. */
gs_status gs_schedule_add(gs_schedule *s, const char *name, double start,
                          double stop, double dose, gs_err *err);

/* Doses in force on [t, next breakpoint), into dose[n interventions]. */
void gs_schedule_doses_at(const gs_schedule *s, double t, double *dose);

/* The first span boundary strictly after t, or INFINITY. */
double gs_schedule_next_change(const gs_schedule *s, double t);

#endif
