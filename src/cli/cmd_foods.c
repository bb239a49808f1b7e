/*
 * cmd_foods.c - `gutskin foods`: the food table the journal tags food
 * entries with (data/foods/lexicon.csv), and what a text would match.
 *
 *   gutskin foods [--tag TAG] [--format text|csv|json] [--lexicon FILE]
 *   gutskin foods tags [--format text|csv|json] [--lexicon FILE]
 *   gutskin foods match TEXT [--format text|csv|json] [--lexicon FILE]
 *
 * Everything printed comes from gs_lexicon, so `foods match` shows exactly
 * what the journal and the statistics will see for a food entry.
 */
#include <getopt.h>
#include <unistd.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/csv_out.h"
#include "gutskin/journal.h"
#include "gutskin/lexicon.h"

static const char *const CMD = "foods";

static void usage(void)
{
    printf("usage: gutskin foods [--tag TAG] [--format text|csv|json] [--lexicon FILE] [--db PATH]\n"
           "       gutskin foods tags [--format text|csv|json] [--lexicon FILE] [--db PATH]\n"
           "       gutskin foods match TEXT [--format text|csv|json] [--lexicon FILE]\n\n"
           "Lists the food table that turns what you wrote you ate into exposure tags\n"
           "(dairy, gluten, high_glycaemic, ...), the tags with what each means, or the\n"
           "foods and tags found in TEXT.  Matching ignores case, plurals, accents and\n"
           "hyphens, needs whole words, and takes the longest food first (\"ice cream\",\n"
           "not \"cream\").  A text with no known food is kept by the journal as untagged.\n\n"
           "  --tag TAG       only the foods carrying TAG\n"
           "  --format F      text (default), csv or json\n"
           "  --lexicon FILE  another table in the same format (tags.csv beside it)\n"
           "  --db PATH       the journal whose own tags (gutskin tag add) are added; by\n"
           "                  default the default journal's, when it exists\n\n"
           "The table is gutskin's own; docs/foods.md gives each tag's rule.  Tags say\n"
           "what a food usually contains: not a diagnosis and not treatment advice.\n");
}

/* Print s left-aligned in width columns, counting UTF-8 characters, not
 * bytes, so "crème brûlée" lines up with "ice cream". */
static void print_padded(const char *s, int width)
{
    int chars = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        chars += (*p & 0xC0) != 0x80;
    fputs(s, stdout);
    for (; chars < width; chars++) putchar(' ');
}

static int print_json(json_t *root)
{
    if (!root) return gs_cli_error(CMD, GS_EXIT_FAIL, "out of memory building JSON");
    int rc = json_dumpf(root, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(root);
    return rc == 0 ? GS_EXIT_OK : GS_EXIT_FAIL;
}

/* The tags of food joined by spaces into buf. */
static void tag_list(const gs_lexicon *lex, size_t food, char *buf, size_t len)
{
    const size_t *tags;
    size_t n = gs_lexicon_food_tags(lex, food, &tags);
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t used = strlen(buf);
        snprintf(buf + used, len - used, "%s%s", i ? " " : "", gs_lexicon_tag_name(lex, tags[i]));
    }
}

static json_t *tags_json(const gs_lexicon *lex, size_t food)
{
    const size_t *tags;
    size_t n = gs_lexicon_food_tags(lex, food, &tags);
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(gs_lexicon_tag_name(lex, tags[i])));
    return a;
}

static int food_has_tag(const gs_lexicon *lex, size_t food, int tag)
{
    const size_t *tags;
    size_t n = gs_lexicon_food_tags(lex, food, &tags);
    for (size_t i = 0; i < n; i++)
        if (tags[i] == (size_t)tag) return 1;
    return 0;
}

/* Fail with "unknown tag" naming the nearest known one. */
static int unknown_tag(const gs_lexicon *lex, const char *tag)
{
    size_t n = gs_lexicon_tag_count(lex);
    const char **names = malloc((n + 1) * sizeof *names);
    if (!names) return gs_cli_error(CMD, GS_EXIT_FAIL, "out of memory");
    for (size_t i = 0; i < n; i++) names[i] = gs_lexicon_tag_name(lex, i);
    const char *near = gs_nearest_name(tag, names, n);
    int rc = gs_cli_error(CMD, GS_EXIT_USAGE,
                          "--tag '%s' is not a known tag%s%s%s; 'gutskin foods tags' lists them",
                          tag, near ? " (did you mean '" : "", near ? near : "",
                          near ? "'?)" : "");
    free(names);
    return rc;
}

static int list_foods(const gs_lexicon *lex, const char *tag_name, gs_format fmt)
{
    int tag = -1;
    if (tag_name && (tag = gs_lexicon_tag_index(lex, tag_name)) < 0)
        return unknown_tag(lex, tag_name);
    json_t *arr = fmt == GS_FMT_JSON ? json_array() : NULL;
    if (fmt == GS_FMT_CSV) printf("food,tags,aliases\n");
    char tags[1024];
    for (size_t f = 0; f < gs_lexicon_food_count(lex); f++) {
        if (tag >= 0 && !food_has_tag(lex, f, tag)) continue;
        const char *name = gs_lexicon_food_name(lex, f);
        const char *const *aliases;
        size_t na = gs_lexicon_food_aliases(lex, f, &aliases);
        tag_list(lex, f, tags, sizeof tags);
        if (fmt == GS_FMT_JSON) {
            json_t *al = json_array();
            for (size_t a = 0; a < na; a++) json_array_append_new(al, json_string(aliases[a]));
            json_array_append_new(arr, json_pack("{s:s,s:o,s:o}", "food", name, "tags",
                                                 tags_json(lex, f), "aliases", al));
        } else if (fmt == GS_FMT_CSV) {
            gs_csv_put(stdout, name);
            putchar(',');
            gs_csv_put(stdout, tags);
            putchar(',');
            char joined[2048] = "";
            for (size_t a = 0; a < na; a++) {
                size_t used = strlen(joined);
                snprintf(joined + used, sizeof joined - used, "%s%s", a ? "|" : "", aliases[a]);
            }
            gs_csv_put(stdout, joined);
            putchar('\n');
        } else {
            print_padded(name, 30);
            printf(" %s\n", tags);
            if (na) {
                printf("%-30s also:", "");
                for (size_t a = 0; a < na; a++) printf("%s %s", a ? "," : "", aliases[a]);
                putchar('\n');
            }
        }
    }
    return fmt == GS_FMT_JSON ? print_json(arr) : GS_EXIT_OK;
}

static int list_tags(const gs_lexicon *lex, gs_format fmt)
{
    size_t nt = gs_lexicon_tag_count(lex), nf = gs_lexicon_food_count(lex);
    json_t *arr = fmt == GS_FMT_JSON ? json_array() : NULL;
    if (fmt == GS_FMT_CSV) printf("tag,foods,about\n");
    for (size_t t = 0; t < nt; t++) {
        size_t count = 0;
        for (size_t f = 0; f < nf; f++) count += food_has_tag(lex, f, (int)t);
        const char *name = gs_lexicon_tag_name(lex, t), *about = gs_lexicon_tag_about(lex, t);
        if (fmt == GS_FMT_JSON) {
            json_array_append_new(arr, json_pack("{s:s,s:I,s:s}", "tag", name, "foods",
                                                 (json_int_t)count, "about", about));
        } else if (fmt == GS_FMT_CSV) {
            printf("%s,%zu,", name, count);
            gs_csv_put(stdout, about);
            putchar('\n');
        } else {
            printf("%-22s %4zu  %s\n", name, count, about);
        }
    }
    return fmt == GS_FMT_JSON ? print_json(arr) : GS_EXIT_OK;
}

static int match_text(const gs_lexicon *lex, const char *text, gs_format fmt)
{
    size_t n = gs_lexicon_match(lex, text, NULL, 0);
    gs_lexicon_hit *hits = calloc(n ? n : 1, sizeof *hits);
    unsigned char *present = calloc(gs_lexicon_tag_count(lex) + 1, 1);
    if (!hits || !present) {
        free(hits);
        free(present);
        return gs_cli_error(CMD, GS_EXIT_FAIL, "out of memory");
    }
    gs_lexicon_match(lex, text, hits, n);
    gs_lexicon_tags_of(lex, text, present);
    json_t *foods = fmt == GS_FMT_JSON ? json_array() : NULL;
    if (fmt == GS_FMT_CSV) printf("food,matched,offset,length,tags\n");
    char tags[1024];
    for (size_t i = 0; i < n; i++) {
        const char *name = gs_lexicon_food_name(lex, hits[i].food);
        int len = (int)hits[i].length;
        const char *at = text + hits[i].offset;
        tag_list(lex, hits[i].food, tags, sizeof tags);
        if (fmt == GS_FMT_JSON) {
            json_array_append_new(foods, json_pack("{s:s,s:s%,s:I,s:I,s:o}", "food", name,
                                                   "matched", at, (size_t)len, "offset",
                                                   (json_int_t)hits[i].offset, "length",
                                                   (json_int_t)len, "tags",
                                                   tags_json(lex, hits[i].food)));
        } else if (fmt == GS_FMT_CSV) {
            char *span = strndup(at, (size_t)len);
            if (!span) break;
            gs_csv_put(stdout, name);
            putchar(',');
            gs_csv_put(stdout, span);
            printf(",%zu,%d,%s\n", hits[i].offset, len, tags);
            free(span);
        } else {
            print_padded(name, 24);
            printf(" \"%.*s\"  %s\n", len, at, tags);
        }
    }
    int rc = GS_EXIT_OK;
    if (fmt == GS_FMT_JSON) {
        json_t *all = json_array();
        for (size_t t = 0; t < gs_lexicon_tag_count(lex); t++)
            if (present[t]) json_array_append_new(all, json_string(gs_lexicon_tag_name(lex, t)));
        rc = print_json(json_pack("{s:s,s:o,s:o}", "text", text, "foods", foods, "tags", all));
    } else if (fmt == GS_FMT_TEXT && n) {
        printf("tags:");
        for (size_t t = 0; t < gs_lexicon_tag_count(lex); t++)
            if (present[t]) printf(" %s", gs_lexicon_tag_name(lex, t));
        putchar('\n');
    }
    if (n == 0)
        fprintf(stderr,
                "gutskin foods: no known food in \"%s\"; a journal keeps such an entry as "
                "untagged (tag it with 'gutskin tag add FOOD TAG')\n",
                text);
    free(hits);
    free(present);
    return rc;
}

/* Replay the person's own tags (`gutskin tag add`) from the journal at
 * db_path, or from the default journal when it exists; a missing default
 * journal is not created just to list foods.  Returns 0 or an exit code. */
static int apply_journal_tags(const char *db_path, gs_lexicon *lex)
{
    char def[4096];
    gs_err err;
    if (!db_path) {
        if (gs_db_default_path(def, sizeof def, &err) != GS_OK || access(def, F_OK) != 0)
            return 0;
        db_path = def;
    }
    gs_db *db;
    if (gs_db_open(db_path, &db, &err) != GS_OK) return gs_cli_fail(CMD, &err);
    gs_status st = gs_db_apply_user_tags(db, lex, &err);
    gs_db_close(db);
    return st ? gs_cli_fail(CMD, &err) : 0;
}

int gs_cmd_foods(int argc, char **argv)
{
    if (gs_cli_wants_help(argc, argv)) {
        usage();
        return GS_EXIT_OK;
    }
    static const struct option opts[] = {{"tag", required_argument, 0, 't'},
                                         {"format", required_argument, 0, 'f'},
                                         {"lexicon", required_argument, 0, 'l'},
                                         {"db", required_argument, 0, 'd'},
                                         {0, 0, 0, 0}};
    gs_format fmt = GS_FMT_TEXT;
    const char *tag = NULL, *path = NULL, *db_path = NULL;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":t:f:l:d:", opts, NULL)) != -1) {
        if (c == 'd') {
            db_path = optarg;
        } else if (c == 't') {
            tag = optarg;
        } else if (c == 'f') {
            int rc = gs_cli_parse_format(CMD, optarg, 7u, &fmt);
            if (rc) return rc;
        } else if (c == 'l') {
            path = optarg;
        } else {
            return gs_cli_bad_option(CMD, c, argv);
        }
    }
    const char *action = optind < argc ? argv[optind] : NULL;
    int n_args = argc - optind;
    if (action && strcmp(action, "match") == 0) {
        if (n_args != 2)
            return gs_cli_error(CMD, GS_EXIT_USAGE,
                                "match takes one TEXT (quote it): gutskin foods match \"TEXT\"");
        if (tag) return gs_cli_error(CMD, GS_EXIT_USAGE, "--tag is for the food list, not match");
    } else if (action && strcmp(action, "tags") == 0) {
        if (n_args != 1 || tag)
            return gs_cli_error(CMD, GS_EXIT_USAGE, "tags takes no arguments and no --tag");
    } else if (action) {
        static const char *const actions[] = {"match", "tags"};
        const char *near = gs_nearest_name(action, actions, 2);
        return gs_cli_error(CMD, GS_EXIT_USAGE, "unknown action '%s'%s%s%s; see --help",
                            action, near ? " (did you mean '" : "", near ? near : "",
                            near ? "'?)" : "");
    }
    gs_lexicon *lex;
    gs_err err;
    if (gs_lexicon_load(path, &lex, &err)) return gs_cli_fail(CMD, &err);
    int rc = apply_journal_tags(db_path, lex);
    if (rc) {
        gs_lexicon_free(lex);
        return rc;
    }
    if (!action) rc = list_foods(lex, tag, fmt);
    else if (strcmp(action, "tags") == 0) rc = list_tags(lex, fmt);
    else rc = match_text(lex, argv[optind + 1], fmt);
    gs_lexicon_free(lex);
    return rc;
}
