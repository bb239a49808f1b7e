/*
 * lexicon_words.h - private to the food table (lexicon.c): cutting a text
 * into words and reducing each word to the key that matching compares.
 *
 * The table's names and the person's text go through this one tokenizer,
 * so whatever it does to a word it does to both sides.
 */
#ifndef GS_JOURNAL_LEXICON_WORDS_H
#define GS_JOURNAL_LEXICON_WORDS_H

#include <stddef.h>
#include <stdint.h>

#define LEX_WORD_MAX 63      /* bytes of one word's key; longer never matches */
#define LEX_GAP_MAX 3        /* bytes of punctuation a name may have between words */

/* One word of a text: where it is, and its key. */
typedef struct lex_word {
    size_t start, end;  /* byte span in the original text */
    uint32_t hash;      /* FNV-1a of key */
    unsigned len;       /* bytes of key */
    int unmatchable;    /* key too long or empty: matches nothing */
    unsigned gap_len;   /* punctuation since the word before, spaces and */
    char gap[LEX_GAP_MAX + 1]; /* hyphens left out ("&" in "fish & chips") */
    int gap_long;       /* more punctuation than that: no food spans it */
    char key[LEX_WORD_MAX + 1];
} lex_word;

/* Read the next word of text at or after byte *pos into w and move *pos
 * past it.  Returns 0 (w untouched but for its gap) at the end of the
 * text.  A word's key is its letters and digits in ASCII lower case, with
 * Latin-1 accents folded, a final possessive 's dropped, other apostrophes
 * removed and plural endings reduced; w->gap holds the punctuation between
 * it and the word before (spaces and hyphens left out). */
int gs_lexicon_next_word(const char *text, size_t *pos, lex_word *w);

#endif
