/*
 * cmd_model.c - commands that describe the model: version, blocks, params,
 * interventions, links.  Everything printed comes from the registries, so
 * the listing can never disagree with what the integrator runs.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "util/csv_out.h"
#include "gutskin/model.h"

int gs_cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("gutskin %s\n", GS_VERSION);
    return GS_EXIT_OK;
}

/* Parse the only option these listing commands take: --format. */
static int parse_listing_opts(const char *cmd, int argc, char **argv, gs_format *fmt,
                              int *first_arg)
{
    static const struct option opts[] = {{"format", required_argument, 0, 'f'},
                                         {0, 0, 0, 0}};
    *fmt = GS_FMT_TEXT;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":f:", opts, NULL)) != -1) {
        if (c == 'f') {
            int rc = gs_cli_parse_format(cmd, optarg, 7u, fmt);
            if (rc) return rc;
        } else {
            return gs_cli_bad_option(cmd, c, argv);
        }
    }
    *first_arg = optind;
    return 0;
}

static json_t *quantity_json(const char *block, const gs_quantity *q, int with_value)
{
    json_t *o = json_object();
    char name[128];
    snprintf(name, sizeof name, "%s.%s", block, q->name);
    json_object_set_new(o, "name", json_string(name));
    json_object_set_new(o, "unit", json_string(q->unit));
    if (with_value) {
        json_object_set_new(o, "value", json_real(q->value));
        json_object_set_new(o, "min", json_real(q->lo));
        json_object_set_new(o, "max", json_real(q->hi));
    }
    json_object_set_new(o, "grade", json_string(gs_grade_name(q->grade)));
    json_object_set_new(o, "source", json_string(q->source));
    json_object_set_new(o, "about", json_string(q->about));
    return o;
}

static int print_json(json_t *root)
{
    int rc = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
    putchar('\n');
    json_decref(root);
    return rc == 0 ? GS_EXIT_OK : GS_EXIT_FAIL;
}

int gs_cmd_blocks(int argc, char **argv)
{
    if (gs_cli_wants_help(argc, argv)) {
        printf("usage: gutskin blocks [--format text|csv|json]\n\n"
               "Lists every block of the model with its source and its states,\n"
               "inputs and outputs (clinical scores).  Skin blocks are marked [skin];\n"
               "published models kept only for validation, never part of a person,\n"
               "are marked [reference].\n");
        return GS_EXIT_OK;
    }
    gs_format fmt;
    int first, rc = parse_listing_opts("blocks", argc, argv, &fmt, &first);
    if (rc) return rc;
    size_t n;
    const gs_block *const *reg = gs_block_registry(&n);
    if (fmt == GS_FMT_JSON) {
        json_t *arr = json_array();
        for (size_t b = 0; b < n; b++) {
            const gs_block *blk = reg[b];
            json_t *o = json_object();
            json_object_set_new(o, "name", json_string(blk->name));
            json_object_set_new(o, "title", json_string(blk->title));
            json_object_set_new(o, "citation", json_string(blk->citation));
            json_object_set_new(o, "skin", json_boolean(blk->flags & GS_BLOCK_SKIN));
            json_object_set_new(o, "reference", json_boolean(blk->flags & GS_BLOCK_REFERENCE));
            const struct { const char *key; const gs_quantity *q; size_t n; int v; } t[] = {
                {"states", blk->states, blk->n_states, 1},
                {"inputs", blk->inputs, blk->n_inputs, 1},
                {"outputs", blk->outputs, blk->n_outputs, 0}};
            for (size_t k = 0; k < 3; k++) {
                json_t *a = json_array();
                for (size_t i = 0; i < t[k].n; i++)
                    json_array_append_new(a, quantity_json(blk->name, &t[k].q[i], t[k].v));
                json_object_set_new(o, t[k].key, a);
            }
            json_array_append_new(arr, o);
        }
        return print_json(arr);
    }
    if (fmt == GS_FMT_CSV) printf("block,kind,name,unit,about\n");
    for (size_t b = 0; b < n; b++) {
        const gs_block *blk = reg[b];
        if (fmt == GS_FMT_TEXT)
            printf("%s%s%s - %s\n  source: %s\n", blk->name,
                   blk->flags & GS_BLOCK_SKIN ? " [skin]" : "",
                   blk->flags & GS_BLOCK_REFERENCE ? " [reference]" : "", blk->title,
                   blk->citation);
        const struct { const char *kind; const gs_quantity *q; size_t n; } t[] = {
            {"state", blk->states, blk->n_states},
            {"input", blk->inputs, blk->n_inputs},
            {"output", blk->outputs, blk->n_outputs}};
        for (size_t k = 0; k < 3; k++) {
            for (size_t i = 0; i < t[k].n; i++) {
                const gs_quantity *q = &t[k].q[i];
                if (fmt == GS_FMT_TEXT) {
                    printf("  %-7s %-28s %-22s %s\n", t[k].kind, q->name, q->unit, q->about);
                } else {
                    printf("%s,%s,%s,", blk->name, t[k].kind, q->name);
                    gs_csv_put(stdout, q->unit);
                    putchar(',');
                    gs_csv_put(stdout, q->about);
                    putchar('\n');
                }
            }
        }
        if (fmt == GS_FMT_TEXT) putchar('\n');
    }
    return GS_EXIT_OK;
}

int gs_cmd_params(int argc, char **argv)
{
    if (gs_cli_wants_help(argc, argv)) {
        printf("usage: gutskin params [BLOCK] [--format text|csv|json]\n\n"
               "Lists the parameters of every block (or of BLOCK) with unit, value,\n"
               "allowed range, evidence grade (measured, fitted, assumption) and source.\n");
        return GS_EXIT_OK;
    }
    gs_format fmt;
    int first, rc = parse_listing_opts("params", argc, argv, &fmt, &first);
    if (rc) return rc;
    const char *only = first < argc ? argv[first] : NULL;
    if (only && !gs_block_find(only)) {
        size_t n;
        const gs_block *const *reg = gs_block_registry(&n);
        const char *names[64];
        size_t k = 0;
        for (; k < n && k < 64; k++) names[k] = reg[k]->name;
        const char *near = gs_nearest_name(only, names, k);
        return gs_cli_error("params", GS_EXIT_USAGE, "unknown block '%s'%s%s%s", only,
                            near ? " (did you mean '" : "; see 'gutskin blocks'",
                            near ? near : "", near ? "'?)" : "");
    }
    size_t n;
    const gs_block *const *reg = gs_block_registry(&n);
    json_t *arr = fmt == GS_FMT_JSON ? json_array() : NULL;
    if (fmt == GS_FMT_CSV) printf("name,unit,value,min,max,grade,source,about\n");
    for (size_t b = 0; b < n; b++) {
        const gs_block *blk = reg[b];
        if (only && strcmp(only, blk->name) != 0) continue;
        for (size_t i = 0; i < blk->n_params; i++) {
            const gs_quantity *q = &blk->params[i];
            if (fmt == GS_FMT_JSON) {
                json_array_append_new(arr, quantity_json(blk->name, q, 1));
            } else if (fmt == GS_FMT_CSV) {
                printf("%s.%s,", blk->name, q->name);
                gs_csv_put(stdout, q->unit);
                printf(",%.10g,%.10g,%.10g,%s,", q->value, q->lo, q->hi,
                       gs_grade_name(q->grade));
                gs_csv_put(stdout, q->source);
                putchar(',');
                gs_csv_put(stdout, q->about);
                putchar('\n');
            } else {
                printf("%s.%s = %g %s  [%g, %g]  %s\n    %s\n    source: %s\n", blk->name,
                       q->name, q->value, q->unit, q->lo, q->hi, gs_grade_name(q->grade),
                       q->about, q->source);
            }
        }
    }
    return arr ? print_json(arr) : GS_EXIT_OK;
}

int gs_cmd_interventions(int argc, char **argv)
{
    if (gs_cli_wants_help(argc, argv)) {
        printf("usage: gutskin interventions [--format text|csv|json]\n\n"
               "Lists everything a scenario's schedule can dose, with its unit, usual\n"
               "value (when not scheduled) and allowed range.\n");
        return GS_EXIT_OK;
    }
    gs_format fmt;
    int first, rc = parse_listing_opts("interventions", argc, argv, &fmt, &first);
    if (rc) return rc;
    size_t n;
    const gs_intervention *reg = gs_intervention_registry(&n);
    json_t *arr = fmt == GS_FMT_JSON ? json_array() : NULL;
    if (fmt == GS_FMT_CSV) printf("name,unit,usual,min,max,about\n");
    for (size_t i = 0; i < n; i++) {
        const gs_intervention *iv = &reg[i];
        if (arr) {
            json_array_append_new(arr, json_pack("{s:s,s:s,s:f,s:f,s:f,s:s}", "name",
                                                 iv->name, "unit", iv->unit, "usual",
                                                 iv->baseline, "min", iv->lo, "max",
                                                 iv->hi, "about", iv->about));
        } else if (fmt == GS_FMT_CSV) {
            printf("%s,", iv->name);
            gs_csv_put(stdout, iv->unit);
            printf(",%g,%g,%g,", iv->baseline, iv->lo, iv->hi);
            gs_csv_put(stdout, iv->about);
            putchar('\n');
        } else {
            printf("%-18s %-28s usual %-6g range %g to %g\n    %s\n", iv->name, iv->unit,
                   iv->baseline, iv->lo, iv->hi, iv->about);
        }
    }
    return arr ? print_json(arr) : GS_EXIT_OK;
}

int gs_cmd_links(int argc, char **argv)
{
    if (gs_cli_wants_help(argc, argv)) {
        printf("usage: gutskin links [--format text|csv|json]\n\n"
               "Lists the named couplings between blocks (and from interventions)\n"
               "with their evidence grade and the reason for their form.\n");
        return GS_EXIT_OK;
    }
    gs_format fmt;
    int first, rc = parse_listing_opts("links", argc, argv, &fmt, &first);
    if (rc) return rc;
    size_t n;
    const gs_link *reg = gs_link_registry(&n);
    json_t *arr = fmt == GS_FMT_JSON ? json_array() : NULL;
    if (fmt == GS_FMT_CSV) printf("name,to,from,grade,source,why\n");
    for (size_t i = 0; i < n; i++) {
        const gs_link *l = &reg[i];
        if (arr) {
            json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "name",
                                                 l->name, "to", l->to, "from", l->from,
                                                 "grade", gs_grade_name(l->grade),
                                                 "source", l->source, "why", l->why));
        } else if (fmt == GS_FMT_CSV) {
            printf("%s,%s,%s,%s,", l->name, l->to, l->from, gs_grade_name(l->grade));
            gs_csv_put(stdout, l->source);
            putchar(',');
            gs_csv_put(stdout, l->why);
            putchar('\n');
        } else {
            printf("%-30s %s <- %s  [%s]\n    %s\n    source: %s\n", l->name, l->to,
                   l->from, gs_grade_name(l->grade), l->why, l->source);
        }
    }
    return arr ? print_json(arr) : GS_EXIT_OK;
}
