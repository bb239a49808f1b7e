/*
 * lexicon_words.c - the tokenizer of the food table: words and their keys.
 * See lexicon_words.h; docs/foods.md states the rules for users.
 *
 * Because the table's names and the person's text are reduced the same
 * way, the plural rules only have to be consistent, not good English:
 * "cookie" and "cookies" both become "cooky", "cheese" and "cheeses" both
 * "chees".  Only the key is changed; the text itself is never copied or
 * altered, and a word's span is byte offsets into it.
 */
#include <assert.h>
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "journal/lexicon_words.h"

/* Decode one UTF-8 sequence at s (which is not at its terminating NUL).
 * Returns its length in bytes; an invalid byte decodes as U+FFFD of
 * length 1, so a broken text is still walked byte by byte. */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t n;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        n = 2, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, v = c & 0x07, min = 0x10000;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) { /* also stops at the NUL */
            *cp = 0xFFFD;
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = v;
    return n;
}

/* Letters and digits make words; so does most non-ASCII text (accented
 * Latin, Greek, Cyrillic, CJK).  Punctuation, symbols and emoji separate
 * words, so "🍕pizza" and "pizza," both contain the word "pizza". */
static int is_word_cp(uint32_t cp)
{
    if (cp < 0x80) return isalnum((int)cp) != 0;
    if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7 || cp == 0xFFFD) return 0;
    if (cp >= 0x2000 && cp <= 0x2BFF) return 0; /* punctuation, symbols, arrows */
    if (cp >= 0x3000 && cp <= 0x303F) return 0; /* CJK punctuation */
    if (cp >= 0xFE00 && cp <= 0xFE0F) return 0; /* variation selectors */
    if (cp >= 0xFF00 && cp <= 0xFF0F) return 0; /* full-width punctuation */
    if (cp >= 0x1F000) return 0;                /* emoji and pictographs */
    return 1;
}

/* What may stand between the words of one food: "stir-fry", "stir fry". */
static int is_joiner(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '-' || cp == 0xA0 || cp == 0x2010 || cp == 0x2011;
}

static int is_apostrophe(uint32_t cp) { return cp == '\'' || cp == 0x2018 || cp == 0x2019; }

/* ASCII for the Latin-1 letters U+00C0..U+00FF, both cases ("" for the
 * two signs in the block, which never reach here). */
static const char *const latin1_fold[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "y"};

/* Append the key bytes of code point cp (raw bytes src, n long) to w. */
static void key_append(lex_word *w, uint32_t cp, const unsigned char *src, size_t n)
{
    char fold[8];
    const char *add;
    size_t len;
    if (cp < 0x80) {
        fold[0] = (char)tolower((int)cp);
        add = fold, len = 1;
    } else if (cp >= 0xC0 && cp <= 0xFF) {
        add = latin1_fold[cp - 0xC0], len = strlen(add);
    } else if (cp == 0x152 || cp == 0x153) { /* Œ œ */
        add = "oe", len = 2;
    } else if (cp >= 0x300 && cp <= 0x36F) { /* combining accents: "e" + U+0301 */
        return;
    } else {
        add = (const char *)src, len = n;
    }
    if (w->unmatchable || w->len + len > LEX_WORD_MAX) {
        w->unmatchable = 1;
        return;
    }
    memcpy(w->key + w->len, add, len);
    w->len += (unsigned)len;
}

static int ends(const lex_word *w, const char *suffix)
{
    size_t n = strlen(suffix);
    return w->len >= n && memcmp(w->key + w->len - n, suffix, n) == 0;
}

/* Replace the last `drop` bytes of the key by `put`. */
static void swap_end(lex_word *w, size_t drop, const char *put)
{
    size_t n = strlen(put);
    assert(drop <= w->len && n <= drop + 1);
    memcpy(w->key + w->len - drop, put, n);
    w->len = (unsigned)(w->len - drop + n);
}

/* Reduce a key to the form its singular and plural share.  The order
 * matters: the longer endings are tried first. */
static void fold_plural(lex_word *w)
{
    if (w->len < 3) return;
    if (ends(w, "ies")) swap_end(w, 3, "y");        /* berries, pies -> berry, py */
    else if (ends(w, "ie")) swap_end(w, 2, "y");    /* cookie, pie -> cooky, py */
    else if (ends(w, "ves")) swap_end(w, 3, "f");   /* loaves, olives -> loaf, olif */
    else if (ends(w, "ve")) swap_end(w, 2, "f");    /* olive, chive -> olif, chif */
    else if (ends(w, "oes")) swap_end(w, 3, "o");   /* tomatoes -> tomato */
    else if (ends(w, "oe")) swap_end(w, 2, "o");    /* sloe -> slo */
    else if (ends(w, "ses") || ends(w, "xes") || ends(w, "zes") || ends(w, "ches") ||
             ends(w, "shes"))
        swap_end(w, 2, "");                         /* peaches, cheeses -> peach, chees */
    else if (ends(w, "se") || ends(w, "xe") || ends(w, "ze") || ends(w, "che") ||
             ends(w, "she"))
        swap_end(w, 1, "");                         /* cheese, quiche -> chees, quich */
    else if (ends(w, "s") && !ends(w, "ss") && !ends(w, "us"))
        swap_end(w, 1, "");                         /* oats -> oat; hummus, swiss stay */
}

static uint32_t fnv1a(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

/* See lexicon_words.h. */
int gs_lexicon_next_word(const char *text, size_t *pos, lex_word *w)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = *pos, n;
    uint32_t cp;
    w->gap_len = 0;
    w->gap_long = 0;
    for (;; i += n) { /* skip to the first character of a word */
        if (!s[i]) {
            *pos = i;
            return 0;
        }
        n = utf8_decode(s + i, &cp);
        if (is_word_cp(cp)) break;
        if (is_joiner(cp)) continue;
        /* "milk, chocolate" is two foods unless a name has a ',' there */
        const char *mark = is_apostrophe(cp) ? "'" : (const char *)s + i;
        size_t mark_len = is_apostrophe(cp) ? 1 : n;
        if (w->gap_len + mark_len > LEX_GAP_MAX) {
            w->gap_long = 1;
        } else {
            memcpy(w->gap + w->gap_len, mark, mark_len);
            w->gap_len += (unsigned)mark_len;
        }
    }
    w->start = i;
    w->len = 0;
    w->unmatchable = 0;
    while (s[i]) {
        n = utf8_decode(s + i, &cp);
        if (is_word_cp(cp)) {
            key_append(w, cp, s + i, n);
        } else if (is_apostrophe(cp) && s[i + n]) { /* inside a word: "shepherd's" */
            uint32_t after;
            utf8_decode(s + i + n, &after);
            if (!is_word_cp(after)) break;
            key_append(w, '\'', s + i, 1);
        } else {
            break;
        }
        i += n;
    }
    w->end = i;
    *pos = i;
    if (w->unmatchable) return 1;
    if (ends(w, "'s")) w->len -= 2; /* shepherd's pie = shepherds pie */
    size_t k = 0;                   /* other apostrophes do not count */
    for (size_t j = 0; j < w->len; j++)
        if (w->key[j] != '\'') w->key[k++] = w->key[j];
    w->len = (unsigned)k;
    fold_plural(w);
    w->key[w->len] = '\0';
    w->unmatchable = w->len == 0;
    w->hash = fnv1a(w->key, w->len);
    return 1;
}
