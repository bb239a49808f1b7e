/* Tests of the food table and matching foods in text (src/journal/lexicon.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "gutskin/lexicon.h"

/* ---- helpers --------------------------------------------------------- */

static gs_lexicon *shipped(void)
{
    gs_lexicon *lex = NULL;
    gs_err err;
    gs_status st = gs_lexicon_load(NULL, &lex, &err);
    if (st) print_error("%s\n", err.msg);
    assert_int_equal(st, GS_OK);
    assert_non_null(lex);
    return lex;
}

/* The names of the foods found in text, joined by ';' ("" for none). */
static const char *found(const gs_lexicon *lex, const char *text)
{
    static char buf[1024];
    gs_lexicon_hit hits[32];
    size_t n = gs_lexicon_match(lex, text, hits, 32);
    assert_true(n <= 32);
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i) strcat(buf, ";");
        strcat(buf, gs_lexicon_food_name(lex, hits[i].food));
    }
    return buf;
}

/* Expect text to match exactly the foods in want (names joined by ';'). */
static void expect(const gs_lexicon *lex, const char *text, const char *want)
{
    const char *got = found(lex, text);
    if (strcmp(got, want) != 0) print_error("text '%s': found '%s', want '%s'\n", text, got, want);
    assert_string_equal(got, want);
}

static int has_tag(const gs_lexicon *lex, const char *text, const char *tag)
{
    size_t nt = gs_lexicon_tag_count(lex);
    unsigned char *present = calloc(nt, 1);
    assert_non_null(present);
    gs_lexicon_tags_of(lex, text, present);
    int t = gs_lexicon_tag_index(lex, tag);
    assert_true(t >= 0);
    int r = present[t];
    free(present);
    return r;
}

/* A scratch directory holding tags.csv and lexicon.csv. */
typedef struct scratch {
    char dir[64], tags[96], foods[96];
} scratch;

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void scratch_make(scratch *s, const char *tags, const char *foods)
{
    strcpy(s->dir, "/tmp/gs_lexicon_XXXXXX");
    assert_non_null(mkdtemp(s->dir));
    snprintf(s->tags, sizeof s->tags, "%s/tags.csv", s->dir);
    snprintf(s->foods, sizeof s->foods, "%s/lexicon.csv", s->dir);
    if (tags) write_file(s->tags, tags);
    if (foods) write_file(s->foods, foods);
}

static void scratch_remove(scratch *s)
{
    unlink(s->tags);
    unlink(s->foods);
    rmdir(s->dir);
}

static const char *small_tags = "tag,about\n"
                                "dairy,from milk\n"
                                "fermented,made by microbes\n"
                                "gluten,from wheat\n";

/* Load tags and foods from a scratch directory; expect failure with a
 * message containing every one of the NULL-terminated fragments. */
static void expect_load_error(const char *tags, const char *foods, ...)
{
    scratch s;
    scratch_make(&s, tags, foods);
    gs_lexicon *lex = (gs_lexicon *)&s; /* must be reset to NULL */
    gs_err err;
    gs_status st = gs_lexicon_load(s.foods, &lex, &err);
    assert_int_not_equal(st, GS_OK);
    assert_null(lex);
    va_list ap;
    va_start(ap, foods);
    for (const char *frag; (frag = va_arg(ap, const char *));) {
        char want[256];
        /* "@" stands for the scratch directory */
        const char *at = strchr(frag, '@');
        if (at) snprintf(want, sizeof want, "%.*s%s%s", (int)(at - frag), frag, s.dir, at + 1);
        else snprintf(want, sizeof want, "%s", frag);
        if (!strstr(err.msg, want)) print_error("message '%s' lacks '%s'\n", err.msg, want);
        assert_non_null(strstr(err.msg, want));
    }
    va_end(ap);
    scratch_remove(&s);
}

/* ---- matching on the shipped table ------------------------------------ */

static void test_header_example(void **state)
{
    (void)state;
    gs_lexicon *lex = shipped();
    expect(lex, "oat porridge with milk", "oat porridge;milk");
    assert_true(has_tag(lex, "oat porridge with milk", "high_fibre"));
    assert_true(has_tag(lex, "oat porridge with milk", "gluten"));
    assert_true(has_tag(lex, "oat porridge with milk", "dairy"));
    assert_false(has_tag(lex, "oat porridge with milk", "alcohol"));
    gs_lexicon_free(lex);
}

static void test_case_and_plurals(void **state)
{
    (void)state;
    gs_lexicon *lex = shipped();
    expect(lex, "MILK", "milk");
    expect(lex, "Two Eggs", "eggs");
    expect(lex, "an egg", "eggs");
    expect(lex, "strawberries", "strawberry");
    expect(lex, "Strawberry", "strawberry");
    expect(lex, "tomatoes", "tomato");
    expect(lex, "TOMATOES", "tomato");
    expect(lex, "potatoes", "potato");
    expect(lex, "two loaves", "loaf");
    expect(lex, "berries", "berries");
    expect(lex, "a berry", "berries");
    expect(lex, "cheeses", "cheese");
    expect(lex, "coffees", "coffee");
    gs_lexicon_free(lex);
}

static void test_aliases(void **state)
{
    (void)state;
    gs_lexicon *lex = shipped();
    expect(lex, "yogurt", "yogurt");
    expect(lex, "Yoghurt", "yogurt");
    expect(lex, "yoghurts", "yogurt");
    expect(lex, "zucchini", "courgette");
    expect(lex, "courgettes", "courgette");
    expect(lex, "shepherd's pie", "shepherd's pie");
    expect(lex, "shepherds pies", "shepherd's pie");
    expect(lex, "Shepherd\xe2\x80\x99s pie", "shepherd's pie"); /* curly apostrophe */
    expect(lex, "cottage pie", "shepherd's pie");
    expect(lex, "crème brûlée", "crème brûlée");
    expect(lex, "CRÈME BRÛLÉE", "crème brûlée");
    expect(lex, "creme brulee", "crème brûlée");
    expect(lex, "cre\xcc\x80me brule\xcc\x81" "e", "crème brûlée"); /* combining accents */
    gs_lexicon_free(lex);
}

static void test_longest_match(void **state)
{
    (void)state;
    gs_lexicon *lex = shipped();
    expect(lex, "ice cream", "ice cream");
    expect(lex, "cream", "cream");
    expect(lex, "ice cream with cream", "ice cream;cream");
    expect(lex, "milk chocolate", "milk chocolate");
    expect(lex, "chocolate milk", "chocolate milk");
    expect(lex, "hot chocolate", "hot chocolate");
    expect(lex, "greek yogurt", "greek yogurt");
    expect(lex, "iced coffee", "iced coffee");
    expect(lex, "cream cheese", "cream cheese");
    expect(lex, "white bread", "white bread");
    expect(lex, "red wine", "red wine");
    /* punctuation between words ends a food: two foods, not one */
    expect(lex, "milk, chocolate", "milk;chocolate");
    expect(lex, "ice. cream", "cream");
    /* hyphens join like spaces */
    expect(lex, "ice-cream", "ice cream");
    gs_lexicon_free(lex);
}

static void test_word_boundaries(void **state)
{
    (void)state;
    gs_lexicon *lex = shipped();
    expect(lex, "buttermilk", "buttermilk");
    expect(lex, "teapot", "");
    expect(lex, "milky creamy teaspoon", "");
    expect(lex, "Beerhouse eggplantish", "");
    expect(lex, "butterscotch", "");
    expect(lex, "my toaster", "");
    expect(lex, "", "");
    expect(lex, "   ,;!  ", "");
    gs_lexicon_free(lex);
}

static void test_several_foods(void **state)
{
    (void)state;
    gs_lexicon *lex = shipped();
    expect(lex, "eggs, toast, coffee and a beer", "eggs;toast;coffee;beer");
    expect(lex, "tea;coffee/milk(butter)", "tea;coffee;milk;butter");
    expect(lex, "Kefir then yoghurt then kefir", "kefir;yogurt;kefir");
    /* offsets and lengths are bytes of the original text */
    const char *text = "2 EGGS & Ice-Cream";
    gs_lexicon_hit hits[4];
    assert_int_equal(gs_lexicon_match(lex, text, hits, 4), 2);
    assert_int_equal(hits[0].offset, 2);
    assert_int_equal(hits[0].length, 4);
    assert_int_equal(hits[1].offset, 9);
    assert_int_equal(hits[1].length, 9);
    /* more foods than room: the count is still the whole count */
    assert_int_equal(gs_lexicon_match(lex, "tea tea tea tea tea", hits, 2), 5);
    assert_int_equal(gs_lexicon_match(lex, "tea tea tea", NULL, 0), 3);
    gs_lexicon_free(lex);
}

static void test_utf8_untouched(void **state)
{
    (void)state;
    gs_lexicon *lex = shipped();
    const char *text = "caf\xc3\xa9 \xf0\x9f\x98\x80tea\xe2\x80\x94\xe5\x8d\x88\xe9\xa5\xad milk";
    char copy[128];
    strcpy(copy, text);
    gs_lexicon_hit hits[4];
    assert_int_equal(gs_lexicon_match(lex, text, hits, 4), 2);
    assert_memory_equal(text + hits[0].offset, "tea", 3);
    assert_int_equal(hits[0].length, 3);
    assert_memory_equal(text + hits[1].offset, "milk", 4);
    assert_string_equal(text, copy);
    /* broken UTF-8 is walked past, byte by byte */
    expect(lex, "\xff\xfetea\xc3", "tea");
    expect(lex, "\xc3(milk\xe2\x82", "milk");
    /* a letter glued to a food makes another word */
    expect(lex, "tea\xd0\xb6", "");
    gs_lexicon_free(lex);
}

/* Texts of random words, punctuation and bytes: every hit lies inside
 * the text, hits are ordered and disjoint, and each hit's span, matched
 * alone, finds the same food again. */
static void test_random_texts(void **state)
{
    (void)state;
    gs_lexicon *lex = shipped();
    static const char *const pieces[] = {
        "milk", "Ice", "cream", "-", ", ", " ", "and", "tomatoes", "red", "wine", "vinegar",
        "\xc3\xa9", "\xff", "\xe2\x80\x99s", "'", "pie", "shepherd", "chips", "fish", "ÉCLAIR",
        "sweet", "potato", "\xf0\x9f\x8d\x95", "chocolate", "chip", "cookies", "\t", "x"};
    const size_t np = sizeof pieces / sizeof pieces[0];
    unsigned long long seed = 12345;
    char text[256], span[256];
    gs_lexicon_hit hits[64], again[4];
    for (int round = 0; round < 5000; round++) {
        text[0] = '\0';
        int k = 1 + (int)(seed % 12);
        for (int i = 0; i < k; i++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            strcat(text, pieces[(seed >> 33) % np]);
        }
        size_t len = strlen(text);
        size_t n = gs_lexicon_match(lex, text, hits, 64);
        assert_true(n <= 64);
        size_t end = 0;
        for (size_t i = 0; i < n; i++) {
            assert_true(hits[i].food < gs_lexicon_food_count(lex));
            assert_true(hits[i].length > 0);
            assert_true(hits[i].offset >= end);
            end = hits[i].offset + hits[i].length;
            assert_true(end <= len);
            memcpy(span, text + hits[i].offset, hits[i].length);
            span[hits[i].length] = '\0';
            assert_int_equal(gs_lexicon_match(lex, span, again, 4), 1);
            assert_int_equal(again[0].food, hits[i].food);
        }
    }
    gs_lexicon_free(lex);
}

static void test_tags_of(void **state)
{
    (void)state;
    gs_lexicon *lex = shipped();
    size_t nt = gs_lexicon_tag_count(lex);
    unsigned char *present = calloc(nt, 1);
    assert_non_null(present);
    assert_int_equal(gs_lexicon_tags_of(lex, "beer and chocolate", present), 2);
    size_t marked = 0;
    for (size_t t = 0; t < nt; t++) marked += present[t];
    assert_true(present[gs_lexicon_tag_index(lex, "alcohol")]);
    assert_true(present[gs_lexicon_tag_index(lex, "chocolate")]);
    assert_false(present[gs_lexicon_tag_index(lex, "dairy")]);
    /* exactly the union of the two foods' tags */
    size_t want = 0;
    unsigned char *u = calloc(nt, 1);
    assert_non_null(u);
    gs_lexicon_hit hits[2];
    gs_lexicon_match(lex, "beer and chocolate", hits, 2);
    for (int h = 0; h < 2; h++) {
        const size_t *tags;
        size_t n = gs_lexicon_food_tags(lex, hits[h].food, &tags);
        for (size_t i = 0; i < n; i++) u[tags[i]] = 1;
    }
    for (size_t t = 0; t < nt; t++) want += u[t];
    assert_int_equal(marked, want);
    /* not cleared first */
    assert_int_equal(gs_lexicon_tags_of(lex, "milk", present), 1);
    assert_true(present[gs_lexicon_tag_index(lex, "alcohol")]);
    assert_true(present[gs_lexicon_tag_index(lex, "dairy")]);
    assert_int_equal(gs_lexicon_tags_of(lex, "nothing known here", present), 0);
    free(u);
    free(present);
    gs_lexicon_free(lex);
}

/* ---- the shipped table as data ---------------------------------------- */

static void test_shipped_table(void **state)
{
    (void)state;
    gs_lexicon *lex = shipped();
    size_t nf = gs_lexicon_food_count(lex), nt = gs_lexicon_tag_count(lex);
    /* issue 4: at least 300 common foods */
    if (nf < 300) print_error("%zu foods in the shipped table, want at least 300\n", nf);
    assert_true(nf >= 300);
    size_t *used = calloc(nt, sizeof *used);
    assert_non_null(used);
    for (size_t f = 0; f < nf; f++) {
        const size_t *tags;
        size_t n = gs_lexicon_food_tags(lex, f, &tags);
        if (n == 0) print_error("food '%s' has no tag\n", gs_lexicon_food_name(lex, f));
        assert_true(n >= 1);
        for (size_t i = 0; i < n; i++) {
            assert_true(tags[i] < nt);
            used[tags[i]]++;
        }
        /* every name and alias, written alone, finds its own food whole */
        const char *const *aliases;
        size_t na = gs_lexicon_food_aliases(lex, f, &aliases);
        for (size_t a = 0; a <= na; a++) {
            const char *name = a == 0 ? gs_lexicon_food_name(lex, f) : aliases[a - 1];
            gs_lexicon_hit hit;
            size_t hits = gs_lexicon_match(lex, name, &hit, 1);
            if (hits != 1 || hit.food != f)
                print_error("'%s' does not find itself (%zu hits)\n", name, hits);
            assert_int_equal(hits, 1);
            assert_int_equal(hit.food, f);
            assert_int_equal(hit.offset, 0);
            assert_int_equal(hit.length, strlen(name));
        }
    }
    /* every tag known, described, and used by some food */
    for (size_t t = 0; t < nt; t++) {
        const char *name = gs_lexicon_tag_name(lex, t);
        assert_int_equal(gs_lexicon_tag_index(lex, name), (int)t);
        if (strlen(gs_lexicon_tag_about(lex, t)) < 10 || used[t] == 0)
            print_error("tag '%s': about '%s', %zu foods\n", name,
                        gs_lexicon_tag_about(lex, t), used[t]);
        assert_true(strlen(gs_lexicon_tag_about(lex, t)) >= 10);
        assert_true(used[t] > 0);
    }
    const char *required[] = {"dairy", "gluten", "high_glycaemic", "added_sugar", "alcohol",
                              "fried", "processed_meat", "fermented", "high_fibre",
                              "high_histamine", "caffeine", "chocolate", "spicy", "whey",
                              "oily_fish", "nuts", "eggs", "soy"};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        assert_true(gs_lexicon_tag_index(lex, required[i]) >= 0);
    assert_int_equal(gs_lexicon_tag_index(lex, "no_such_tag"), -1);
    free(used);
    gs_lexicon_free(lex);
}

/* ---- loading errors ----------------------------------------------------- */

static void test_load_ok_small(void **state)
{
    (void)state;
    scratch s;
    scratch_make(&s, small_tags,
                 "\xEF\xBB\xBF# a comment, after a byte order mark\r\n\nfood,tags\r\n"
                 "yogurt|yoghurt,dairy fermented\n"
                 "\"white bread\",gluten\n");
    gs_lexicon *lex;
    gs_err err;
    assert_int_equal(gs_lexicon_load(s.foods, &lex, &err), GS_OK);
    assert_int_equal(gs_lexicon_food_count(lex), 2);
    assert_int_equal(gs_lexicon_tag_count(lex), 3);
    assert_string_equal(gs_lexicon_tag_name(lex, 1), "fermented");
    assert_string_equal(gs_lexicon_tag_about(lex, 1), "made by microbes");
    assert_string_equal(gs_lexicon_food_name(lex, 1), "white bread");
    const char *const *aliases;
    assert_int_equal(gs_lexicon_food_aliases(lex, 0, &aliases), 1);
    assert_string_equal(aliases[0], "yoghurt");
    const size_t *tags;
    assert_int_equal(gs_lexicon_food_tags(lex, 0, &tags), 2);
    assert_int_equal(tags[0], 0);
    assert_int_equal(tags[1], 1);
    gs_lexicon_free(lex);
    scratch_remove(&s);
}

/* Punctuation inside a name must be there in the text too. */
static void test_punctuation_in_names(void **state)
{
    (void)state;
    scratch s;
    scratch_make(&s, small_tags,
                 "food,tags\n"
                 "fish & chips|fish and chips,gluten\n"
                 "mac 'n' cheese,dairy\n"
                 "fish,fermented\n");
    gs_lexicon *lex;
    gs_err err;
    assert_int_equal(gs_lexicon_load(s.foods, &lex, &err), GS_OK);
    expect(lex, "Fish & Chips", "fish & chips");
    expect(lex, "fish&chips", "fish & chips");
    expect(lex, "fish and chips", "fish & chips");
    expect(lex, "fish, chips", "fish");
    expect(lex, "fish / chips", "fish");
    expect(lex, "mac \xe2\x80\x98n\xe2\x80\x99 cheese", "mac 'n' cheese"); /* curly quotes */
    expect(lex, "mac \"n\" cheese", "");
    expect(lex, "mac \xe2\x80\x99n\xe2\x80\x99 cheese", "mac 'n' cheese");
    expect(lex, "mac 'n' cheese", "mac 'n' cheese");
    /* additions may carry punctuation too */
    assert_int_equal(gs_lexicon_add(lex, "PB&J", "gluten", &err), GS_OK);
    expect(lex, "a pb & j sandwich", "PB&J");
    expect(lex, "pb j", "");
    gs_lexicon_free(lex);
    scratch_remove(&s);
}

static void test_load_errors(void **state)
{
    (void)state;
    expect_load_error(small_tags, "food,tags\nmilk,Dairy\n", "@/lexicon.csv:2:",
                      "field 'tags'", "'Dairy' is not a tag name", NULL);
    expect_load_error(small_tags, "food,tags\n# c\nmilk,dairy\nkefir,dary fermented\n",
                      "@/lexicon.csv:4:", "unknown tag 'dary'", "did you mean 'dairy'", NULL);
    expect_load_error(small_tags, "food,tags\nyogurt,dairy\nmilk,dairy\nYoghurts|yogurts,dairy\n",
                      "@/lexicon.csv:4:", "field 'food'", "same name as 'yogurt' on line 2",
                      NULL);
    expect_load_error(small_tags, "food,tags\nmilk|Milks,dairy\n", "@/lexicon.csv:2:",
                      "same name as 'milk' on line 2", NULL);
    expect_load_error(small_tags, "food,tags\nmilk,\n", "@/lexicon.csv:2:", "field 'tags' is empty",
                      NULL);
    expect_load_error(small_tags, "food,tags\nmilk,dairy dairy\n", "@/lexicon.csv:2:",
                      "'dairy' given twice", NULL);
    expect_load_error(small_tags, "food,tags\nmilk,dairy,extra\n", "@/lexicon.csv:2:",
                      "expected 2 fields", NULL);
    expect_load_error(small_tags, "food,tags\n\"milk,dairy\n", "@/lexicon.csv:2:",
                      "quote is left open", NULL);
    expect_load_error(small_tags, "food,tags\n|milk,dairy\n", "@/lexicon.csv:2:",
                      "field 'food'", "must be 1 to 80 characters", NULL);
    expect_load_error(small_tags, "food,tags\n!!!,dairy\n", "@/lexicon.csv:2:",
                      "has no letters or digits", NULL);
    expect_load_error(small_tags, "food,tags\nfish ... !! chips,dairy\n", "@/lexicon.csv:2:",
                      "more than 3 characters of punctuation between two words", NULL);
    expect_load_error(small_tags, "name,tags\nmilk,dairy\n", "@/lexicon.csv:1:",
                      "header must be 'food,tags'", NULL);
    expect_load_error(small_tags, "", "@/lexicon.csv: empty", NULL);
    expect_load_error(small_tags, NULL, "cannot open @/lexicon.csv", NULL);
    expect_load_error(NULL, "food,tags\nmilk,dairy\n", "cannot open @/tags.csv", NULL);
    expect_load_error("tag,about\ndairy,x\ndairy,y\n", "food,tags\n", "@/tags.csv:3:",
                      "'dairy' is listed twice", NULL);
    expect_load_error("tag,about\nhigh-fibre,x\n", "food,tags\n", "@/tags.csv:2:",
                      "field 'tag'", "'high-fibre' is not a tag name", NULL);
    expect_load_error("tag,about\ndairy,\n", "food,tags\n", "@/tags.csv:2:", "field 'about'",
                      NULL);
}

/* ---- additions ------------------------------------------------------------ */

static void test_add(void **state)
{
    (void)state;
    gs_lexicon *lex = shipped();
    gs_err err;
    size_t nf = gs_lexicon_food_count(lex), nt = gs_lexicon_tag_count(lex);
    int dairy = gs_lexicon_tag_index(lex, "dairy");
    expect(lex, "grandma's kuchen", "");

    /* a new food under a new tag: both appended, indices of others kept */
    assert_int_equal(gs_lexicon_add(lex, "  Grandma's Kuchen ", "treat_day", &err), GS_OK);
    assert_int_equal(gs_lexicon_food_count(lex), nf + 1);
    assert_int_equal(gs_lexicon_tag_count(lex), nt + 1);
    assert_int_equal(gs_lexicon_tag_index(lex, "treat_day"), (int)nt);
    assert_string_equal(gs_lexicon_tag_about(lex, nt), "");
    assert_int_equal(gs_lexicon_tag_index(lex, "dairy"), dairy);
    assert_string_equal(gs_lexicon_food_name(lex, nf), "Grandma's Kuchen");
    expect(lex, "two grandmas kuchens and milk", "Grandma's Kuchen;milk");
    assert_true(has_tag(lex, "grandma's kuchen", "treat_day"));

    /* the same pair again changes nothing */
    assert_int_equal(gs_lexicon_add(lex, "grandmas kuchens", "treat_day", &err), GS_OK);
    assert_int_equal(gs_lexicon_food_count(lex), nf + 1);
    assert_int_equal(gs_lexicon_tag_count(lex), nt + 1);
    const size_t *tags;
    assert_int_equal(gs_lexicon_food_tags(lex, nf, &tags), 1);

    /* a known food found by another spelling gains the tag */
    int fermented = gs_lexicon_tag_index(lex, "fermented");
    assert_false(has_tag(lex, "cream", "fermented"));
    assert_int_equal(gs_lexicon_add(lex, "CREAMS", "fermented", &err), GS_OK);
    assert_int_equal(gs_lexicon_food_count(lex), nf + 1);
    assert_true(has_tag(lex, "cream", "fermented"));
    assert_true(has_tag(lex, "cream", "dairy"));
    assert_int_equal(gs_lexicon_tag_index(lex, "fermented"), fermented);
    assert_int_equal(gs_lexicon_add(lex, "Yoghurts", "treat_day", &err), GS_OK);
    assert_true(has_tag(lex, "yogurt", "treat_day"));

    /* a longer new food wins over the known food inside it */
    assert_int_equal(gs_lexicon_add(lex, "milk pudding cup", "treat_day", &err), GS_OK);
    expect(lex, "a milk pudding cup", "milk pudding cup");

    /* bad input changes nothing */
    assert_int_equal(gs_lexicon_add(lex, "milk", "Dairy", &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "'Dairy' is not a tag name"));
    assert_int_equal(gs_lexicon_add(lex, "milk", "", &err), GS_ERR_INPUT);
    assert_int_equal(gs_lexicon_add(lex, "milk", "a_tag_that_is_much_longer_than_forty_chars",
                                    &err), GS_ERR_INPUT);
    assert_int_equal(gs_lexicon_add(lex, "", "dairy", &err), GS_ERR_INPUT);
    assert_int_equal(gs_lexicon_add(lex, "?!", "dairy", &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "no letters or digits"));
    assert_int_equal(gs_lexicon_add(lex, "tab\there\x01", "dairy", &err), GS_ERR_INPUT);
    char long_food[100];
    memset(long_food, 'a', 81);
    long_food[81] = '\0';
    assert_int_equal(gs_lexicon_add(lex, long_food, "dairy", &err), GS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "1 to 80 characters"));
    assert_int_equal(gs_lexicon_food_count(lex), nf + 2);
    assert_int_equal(gs_lexicon_tag_count(lex), nt + 1);
    gs_lexicon_free(lex);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_example), cmocka_unit_test(test_case_and_plurals),
        cmocka_unit_test(test_aliases),        cmocka_unit_test(test_longest_match),
        cmocka_unit_test(test_word_boundaries), cmocka_unit_test(test_several_foods),
        cmocka_unit_test(test_utf8_untouched), cmocka_unit_test(test_random_texts),
        cmocka_unit_test(test_tags_of),
        cmocka_unit_test(test_shipped_table),  cmocka_unit_test(test_load_ok_small),
        cmocka_unit_test(test_punctuation_in_names), cmocka_unit_test(test_load_errors),    cmocka_unit_test(test_add),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
