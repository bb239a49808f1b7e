/*
 * cmd_tag.c - foods and their exposure tags: what the lexicon finds in a
 * logged food, `gutskin tag add FOOD TAG` (the person's own tags, stored
 * in the journal and replayed onto the shipped lexicon), `tag list` and
 * `tag untagged` (logged foods that match no lexicon food).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/journal_cli.h"
#include "journal/csv.h"

/* The shipped lexicon with the journal's own tags replayed onto it. */
static gs_status load_lexicon(gs_db *db, gs_lexicon **lex, gs_err *err)
{
    gs_status st = gs_lexicon_load(NULL, lex, err);
    if (st) return st;
    if ((st = gs_db_apply_user_tags(db, *lex, err))) {
        gs_lexicon_free(*lex);
        *lex = NULL;
    }
    return st;
}

void gs_jcli_food_tags_message(const char *cmd, gs_db *db, const char *text)
{
    gs_lexicon *lex;
    gs_err err;
    if (load_lexicon(db, &lex, &err) != GS_OK) {
        fprintf(stderr, "gutskin %s: the entry is kept, but its tags are unknown: %s\n", cmd,
                err.msg);
        return;
    }
    gs_lexicon_hit hits[16];
    size_t n = gs_lexicon_match(lex, text, hits, 16);
    if (n == 0) {
        fprintf(stderr,
                "gutskin %s: no food of the lexicon is in '%s'; it is kept untagged. "
                "Tag it with: gutskin tag add \"%s\" TAG (for example dairy, gluten, "
                "fermented)\n",
                cmd, text, text);
        gs_lexicon_free(lex);
        return;
    }
    size_t n_tags = gs_lexicon_tag_count(lex);
    unsigned char *present = calloc(n_tags ? n_tags : 1, 1);
    if (!present) {
        gs_lexicon_free(lex);
        return;
    }
    gs_lexicon_tags_of(lex, text, present);
    fprintf(stderr, "gutskin %s: tags:", cmd);
    size_t shown = 0;
    for (size_t t = 0; t < n_tags; t++)
        if (present[t]) fprintf(stderr, "%s %s", shown++ ? "," : "", gs_lexicon_tag_name(lex, t));
    if (!shown) fprintf(stderr, " none");
    fprintf(stderr, " (found:");
    for (size_t i = 0; i < n && i < 16; i++)
        fprintf(stderr, "%s %s", i ? "," : "", gs_lexicon_food_name(lex, hits[i].food));
    fprintf(stderr, ")\n");
    free(present);
    gs_lexicon_free(lex);
}

static const char tag_help[] =
    "usage: gutskin tag add FOOD TAG [--db PATH]\n"
    "       gutskin tag list [--format text|csv|json] [--db PATH]\n"
    "       gutskin tag untagged [--format text|csv|json] [--db PATH]\n"
    "\n"
    "Foods you log are matched against a lexicon of common foods, each carrying\n"
    "exposure tags (dairy, gluten, high_glycaemic, fermented, ...) that the statistics\n"
    "test as possible triggers.  Teach it your own foods:\n"
    "  add FOOD TAG   put FOOD (matched inside what you log, ignoring case and plurals)\n"
    "                 under TAG (a-z, 0-9, _; a new tag is created); kept in the journal\n"
    "  list           the tags you added\n"
    "  untagged       foods you logged that match no food of the lexicon, with how often\n";

/* One distinct untagged food text and how often it was logged. */
typedef struct untagged {
    const char *text;
    size_t count;
    gs_time last;
} untagged;

static int tag_untagged(const char *cmd, gs_db *db, gs_format fmt)
{
    gs_lexicon *lex;
    gs_err err;
    if (load_lexicon(db, &lex, &err) != GS_OK) return gs_cli_fail(cmd, &err);
    gs_event *evs;
    size_t n;
    if (gs_db_events(db, NULL, NULL, &evs, &n, &err) != GS_OK) {
        gs_lexicon_free(lex);
        return gs_cli_fail(cmd, &err);
    }
    untagged *u = calloc(n ? n : 1, sizeof *u);
    size_t nu = 0;
    gs_lexicon_hit hit;
    for (size_t i = 0; u && i < n; i++) {
        if (evs[i].kind != GS_EVENT_FOOD || gs_lexicon_match(lex, evs[i].name, &hit, 1) > 0)
            continue;
        size_t k = 0;
        while (k < nu && strcmp(u[k].text, evs[i].name) != 0) k++;
        if (k == nu) u[nu++].text = evs[i].name;
        u[k].count++;
        u[k].last = evs[i].at;
    }
    int rc = GS_EXIT_OK;
    if (!u) {
        rc = gs_cli_error(cmd, GS_EXIT_FAIL, "out of memory");
    } else if (fmt == GS_FMT_JSON) {
        json_t *list = json_array();
        for (size_t k = 0; k < nu; k++) {
            char when[GS_TIME_TEXT_MAX];
            gs_time_format(&u[k].last, when);
            json_array_append_new(list, json_pack("{s:s, s:I, s:s}", "food", u[k].text, "times",
                                                  (json_int_t)u[k].count, "last", when));
        }
        json_dumpf(list, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        putchar('\n');
        json_decref(list);
    } else if (fmt == GS_FMT_CSV) {
        puts("food,times,last");
        for (size_t k = 0; k < nu; k++) {
            char when[GS_TIME_TEXT_MAX];
            gs_time_format(&u[k].last, when);
            gs_csv_put(stdout, u[k].text);
            printf(",%zu,%s\n", u[k].count, when);
        }
    } else if (nu == 0) {
        fprintf(stderr, "gutskin tag: every food you logged matches the lexicon\n");
    } else {
        for (size_t k = 0; k < nu; k++)
            printf("%4zu x  %s\n", u[k].count, u[k].text);
        fprintf(stderr, "gutskin tag: %zu untagged food%s; tag one with: gutskin tag add FOOD "
                        "TAG\n", nu, nu == 1 ? "" : "s");
    }
    free(u);
    free(evs);
    gs_lexicon_free(lex);
    return rc;
}

static int tag_list(const char *cmd, gs_db *db, gs_format fmt)
{
    gs_db_tag *t;
    size_t n;
    gs_err err;
    if (gs_db_tags(db, &t, &n, &err) != GS_OK) return gs_cli_fail(cmd, &err);
    if (fmt == GS_FMT_JSON) {
        json_t *list = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(list, json_pack("{s:s, s:s}", "food", t[i].food, "tag", t[i].tag));
        json_dumpf(list, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        putchar('\n');
        json_decref(list);
    } else if (fmt == GS_FMT_CSV) {
        puts("food,tag");
        for (size_t i = 0; i < n; i++) {
            gs_csv_put(stdout, t[i].food);
            printf(",%s\n", t[i].tag);
        }
    } else if (n == 0) {
        fprintf(stderr, "gutskin tag: you have added no tags; see gutskin tag --help\n");
    } else {
        for (size_t i = 0; i < n; i++) printf("%-40s %s\n", t[i].food, t[i].tag);
    }
    free(t);
    return GS_EXIT_OK;
}

static int tag_add(const char *cmd, gs_db *db, const char *food, const char *tag)
{
    gs_lexicon *lex;
    gs_err err;
    if (load_lexicon(db, &lex, &err) != GS_OK) return gs_cli_fail(cmd, &err);
    int is_new = gs_lexicon_tag_index(lex, tag) < 0;
    /* the lexicon's rules first, so the journal never stores a pair that
     * would fail when replayed */
    if (gs_lexicon_add(lex, food, tag, &err) != GS_OK || gs_db_tag_add(db, food, tag, &err) != GS_OK) {
        gs_lexicon_free(lex);
        return gs_cli_fail(cmd, &err);
    }
    fprintf(stderr, "gutskin tag: '%s' now carries %s%s\n", food, tag,
            is_new ? " (a new tag: the statistics will test it as an exposure)" : "");
    gs_lexicon_free(lex);
    return GS_EXIT_OK;
}

int gs_cmd_tag(int argc, char **argv)
{
    const char *cmd = "tag";
    if (gs_cli_wants_help(argc, argv)) {
        fputs(tag_help, stdout);
        return GS_EXIT_OK;
    }
    gs_jcli_opts o;
    int rc = gs_jcli_args(cmd, argc, argv, GS_JBIT(DB) | GS_JBIT(FORMAT), &o);
    if (rc) return rc;
    const char *sub = o.n_words ? o.words[0] : "";
    int is_add = strcmp(sub, "add") == 0, is_list = strcmp(sub, "list") == 0,
        is_untagged = strcmp(sub, "untagged") == 0;
    if (!is_add && !is_list && !is_untagged)
        return gs_cli_error(cmd, GS_EXIT_USAGE, "say add, list or untagged; see --help");
    if (is_add && o.n_words != 3)
        return gs_cli_error(cmd, GS_EXIT_USAGE, "tag add takes FOOD and TAG: gutskin tag add "
                                                "kombucha fermented");
    if (!is_add && o.n_words != 1)
        return gs_cli_error(cmd, GS_EXIT_USAGE, "tag %s takes no more words", sub);
    gs_format fmt = GS_FMT_TEXT;
    if (o.opt[GS_JOPT_FORMAT] && (rc = gs_cli_parse_format(cmd, o.opt[GS_JOPT_FORMAT], 7u, &fmt)))
        return rc;
    gs_db *db;
    if ((rc = gs_jcli_open(cmd, o.opt[GS_JOPT_DB], &db))) return rc;
    if (is_add)
        rc = tag_add(cmd, db, o.words[1], o.words[2]);
    else if (is_list)
        rc = tag_list(cmd, db, fmt);
    else
        rc = tag_untagged(cmd, db, fmt);
    gs_db_close(db);
    return rc;
}
