/*
 * lexicon.h - from what a person wrote they ate to the exposures the
 * statistics test: a table of common foods (data/foods/lexicon.csv), each
 * carrying exposure tags (dairy, gluten, high_glycaemic, ...), matched
 * case- and plural-insensitively inside free text.
 *
 * "oat porridge with milk" matches "oat porridge" and "milk", so it
 * carries high_fibre, gluten (oats are usually contaminated) and dairy.
 * A longer food wins over a shorter one inside it ("ice cream" over
 * "cream"), and a match must start and end at a word boundary ("milk"
 * does not match inside "buttermilk" when "buttermilk" is itself a food).
 *
 * People extend it: gs_lexicon_add puts a food (new or known) under a tag
 * (new or known); the journal stores these additions and replays them
 * onto the shipped table when it loads.
 */
#ifndef GUTSKIN_LEXICON_H
#define GUTSKIN_LEXICON_H

#include <stddef.h>

#include "gutskin/status.h"

typedef struct gs_lexicon gs_lexicon;

/* Load the table at path (NULL: the shipped data/foods/lexicon.csv).
 * Errors name FILE:LINE and the field.  Free with gs_lexicon_free. */
gs_status gs_lexicon_load(const char *path, gs_lexicon **out, gs_err *err);
void gs_lexicon_free(gs_lexicon *lex);

/* Put food under tag, adding either when new.  A tag is lower case
 * letters, digits and '_' (1-40 characters); a food is 1-80 characters of
 * text.  Adding a pair that is already there succeeds and changes
 * nothing. */
gs_status gs_lexicon_add(gs_lexicon *lex, const char *food, const char *tag, gs_err *err);

/* Tags: indices 0..n-1, stable for the life of the lexicon (additions
 * append).  gs_lexicon_tag_index returns -1 for an unknown tag. */
size_t gs_lexicon_tag_count(const gs_lexicon *lex);
const char *gs_lexicon_tag_name(const gs_lexicon *lex, size_t tag);
const char *gs_lexicon_tag_about(const gs_lexicon *lex, size_t tag); /* one line, or "" */
int gs_lexicon_tag_index(const gs_lexicon *lex, const char *tag);

/* Foods: indices 0..n-1, stable likewise; each with its tags. */
size_t gs_lexicon_food_count(const gs_lexicon *lex);
const char *gs_lexicon_food_name(const gs_lexicon *lex, size_t food);
size_t gs_lexicon_food_tags(const gs_lexicon *lex, size_t food, const size_t **tags);

/* One food found in a text: which food, and where (byte offset, length). */
typedef struct gs_lexicon_hit {
    size_t food;
    size_t offset, length;
} gs_lexicon_hit;

/* Find the foods in text, left to right, without overlaps.  Writes at
 * most max_hits hits and returns how many foods were found (which may be
 * more than max_hits).  A text with no hit is an untagged food: the
 * journal keeps it and lists it so the person can tag it. */
size_t gs_lexicon_match(const gs_lexicon *lex, const char *text, gs_lexicon_hit *hits,
                        size_t max_hits);

/* Mark the tags of every food in text: present[t] = 1 for each tag t
 * carried by a matched food (present has gs_lexicon_tag_count entries and
 * is not cleared first).  Returns the number of foods matched. */
size_t gs_lexicon_tags_of(const gs_lexicon *lex, const char *text, unsigned char *present);

/* The other names a food is known by, as written in the
 * table ("yoghurt" for "yogurt"): sets *aliases to an array of them and
 * returns how many (0 for a food added by a person). */
size_t gs_lexicon_food_aliases(const gs_lexicon *lex, size_t food,
                               const char *const **aliases);

#endif
