/*
 * bench/lexicon.c - how fast the food table tags a journal's food entries.
 *
 * A journal of a few years holds about 10,000 food entries, and the
 * trigger analysis turns every one of them into exposure tags on every
 * run (gs_lexicon_tags_of).  This program loads the shipped table
 * (data/foods/lexicon.csv), writes N synthetic entries the way people
 * write them - one to four foods or their aliases, in mixed case,
 * sometimes plural, joined by "with", "and", commas and portions, one in
 * ten naming nothing the table knows - and times tagging all of them,
 * REPEAT times, keeping the fastest pass.
 *
 * Usage: lexicon [N [REPEAT]]   (defaults 10000 and 20)
 * Prints one JSON object on stdout.  Built by bench/lexicon.sh against the
 * libgutskin.a of a build directory.
 */
#define _POSIX_C_SOURCE 200809L

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gutskin/lexicon.h"

static double seconds_now(void)
{
    struct timespec ts;
    int rc = clock_gettime(CLOCK_MONOTONIC, &ts);
    assert(rc == 0);
    (void)rc;
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* A small fixed-seed generator, so every run tags the same entries. */
static unsigned long long rng_state = 0x9E3779B97F4A7C15ull;
static unsigned rng_below(unsigned n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}

static const char *const joiners[] = {" with ", " and ", ", ", " + ", " then ", " on "};
static const char *const portions[] = {"", "", "", "2 ", "a bowl of ", "a slice of ",
                                       "some ", "half a ", "large "};
static const char *const unknown[] = {"leftovers from the party", "something at grandma's",
                                      "the usual", "skipped lunch", "snack at work"};

/* One food's name or one of its aliases, appended to buf as people write it. */
static void append_food(const gs_lexicon *lex, char *buf, size_t len)
{
    size_t f = rng_below((unsigned)gs_lexicon_food_count(lex));
    const char *const *aliases;
    size_t na = gs_lexicon_food_aliases(lex, f, &aliases);
    size_t pick = rng_below((unsigned)na + 1);
    const char *name = pick == 0 ? gs_lexicon_food_name(lex, f) : aliases[pick - 1];
    size_t used = strlen(buf);
    snprintf(buf + used, len - used, "%s%s%s", portions[rng_below(9)], name,
             rng_below(4) == 0 ? "s" : "");
    if (rng_below(5) == 0) /* Capitalised, as typed on a phone */
        buf[used] = (char)toupper((unsigned char)buf[used]);
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000;
    int repeat = argc > 2 ? atoi(argv[2]) : 20;
    if (n == 0 || repeat < 1) {
        fprintf(stderr, "usage: lexicon [N [REPEAT]]\n");
        return 2;
    }
    gs_lexicon *lex;
    gs_err err;
    double t0 = seconds_now();
    if (gs_lexicon_load(NULL, &lex, &err)) {
        fprintf(stderr, "lexicon: %s\n", err.msg);
        return 1;
    }
    double load_s = seconds_now() - t0;

    enum { ENTRY_MAX = 200 };
    char *entries = malloc(n * ENTRY_MAX);
    size_t nt = gs_lexicon_tag_count(lex);
    unsigned char *present = malloc(nt);
    if (!entries || !present) return 1;
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++) {
        char *e = entries + i * ENTRY_MAX;
        e[0] = '\0';
        if (rng_below(10) == 0) {
            snprintf(e, ENTRY_MAX, "%s", unknown[rng_below(5)]);
        } else {
            unsigned k = 1 + rng_below(4);
            for (unsigned j = 0; j < k; j++) {
                if (j) strncat(e, joiners[rng_below(6)], ENTRY_MAX - strlen(e) - 1);
                append_food(lex, e, ENTRY_MAX);
            }
        }
        bytes += strlen(e);
    }

    double best = 1e300;
    size_t found = 0, tagged = 0;
    for (int r = 0; r < repeat; r++) {
        size_t f = 0, t = 0;
        double s = seconds_now();
        for (size_t i = 0; i < n; i++) {
            memset(present, 0, nt);
            f += gs_lexicon_tags_of(lex, entries + i * ENTRY_MAX, present);
            for (size_t k = 0; k < nt; k++) t += present[k];
        }
        double dt = seconds_now() - s;
        if (dt < best) best = dt;
        found = f, tagged = t;
    }
    printf("{\"foods_in_table\": %zu, \"tags\": %zu, \"entries\": %zu, \"bytes\": %zu, "
           "\"foods_found\": %zu, \"tags_marked\": %zu, \"load_ms\": %.3f, "
           "\"tag_all_ms\": %.3f, \"us_per_entry\": %.3f, \"entries_per_s\": %.0f}\n",
           gs_lexicon_food_count(lex), nt, n, bytes, found, tagged, 1e3 * load_s, 1e3 * best,
           1e6 * best / (double)n, (double)n / best);
    free(entries);
    free(present);
    gs_lexicon_free(lex);
    return 0;
}
