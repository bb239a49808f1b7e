/*
 * lexicon.c - the food table and finding its foods inside free text.
 * See include/gutskin/lexicon.h for the contract and docs/foods.md for
 * the rules as a user sees them.
 *
 * The table's names and the person's text go through one tokenizer
 * (next_word), which cuts text into words and reduces each word to a key:
 * ASCII lower case, Latin-1 accents folded ("crème" -> "creme"), a
 * possessive 's dropped, plural endings reduced by a handful of rules.
 * Because both sides are reduced the same way, the rules only have to be
 * consistent, not good English: "cookie" and "cookies" both become
 * "cooky", "cheese" and "cheeses" both "chees".
 *
 * A food's name and each of its aliases is a pattern: a sequence of word
 * keys.  Patterns are kept sorted by first word, most words first, and an
 * open-addressing hash table maps a first word to its run of patterns.
 * Matching a text is one table probe per word of the text plus a few
 * comparisons, and the longest pattern starting at a word wins because it
 * comes first in the run.  The text itself is never copied or changed:
 * hits are byte offsets into it.
 */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gutskin/lexicon.h"
#include "gutskin/paths.h"

#define LEX_WORD_MAX 63      /* bytes of one word's key; longer never matches */
#define LEX_PATTERN_WORDS 12 /* words of one food name; also the match window */
#define LEX_FOOD_MAX 80      /* characters (code points) of a food name */
#define LEX_TAG_MAX 40       /* bytes of a tag name */
#define LEX_LINE_MAX 4096    /* bytes of one line of a table file */
#define LEX_GAP_MAX 3        /* bytes of punctuation a name may have between words */
#define LEX_KEY_MAX 255      /* bytes of a name's key (word offsets are bytes) */

/* ---- words ---------------------------------------------------------- */

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

/* Read the next word of text at or after *pos into w.  Returns 0 at the
 * end of the text. */
static int next_word(const char *text, size_t *pos, lex_word *w)
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

/* ---- the table ------------------------------------------------------ */

typedef struct lex_tag {
    char *name;
    char *about;
} lex_tag;

typedef struct lex_food {
    char *name;      /* as written in the table or by the person */
    char **aliases;  /* other names, as written */
    size_t n_aliases;
    size_t *tags;    /* tag indices, in the order they were given */
    size_t n_tags, cap_tags;
} lex_food;

/* A name or alias of a food as a sequence of word keys. */
typedef struct lex_pattern {
    size_t food;
    size_t line;     /* line of the table file, 0 for an addition */
    size_t alias;    /* 0: the food's name; k: its alias k-1 */
    char *key;       /* the word keys joined by single spaces */
    unsigned n_words;
    unsigned char off[LEX_PATTERN_WORDS], len[LEX_PATTERN_WORDS];
    unsigned char gap_len[LEX_PATTERN_WORDS];   /* punctuation before word j */
    char gap[LEX_PATTERN_WORDS][LEX_GAP_MAX];
    uint32_t hash[LEX_PATTERN_WORDS];
} lex_pattern;

/* A slot of the first-word index: patterns[first .. first+count) all
 * start with the word whose hash is hash.  count 0 marks an empty slot. */
typedef struct lex_slot {
    uint32_t hash;
    uint32_t first, count;
} lex_slot;

struct gs_lexicon {
    lex_tag *tags;
    size_t n_tags, cap_tags;
    lex_food *foods;
    size_t n_foods, cap_foods;
    lex_pattern *patterns; /* sorted by first word, then most words first */
    size_t n_patterns, cap_patterns;
    lex_slot *slots;       /* power-of-two table over the first words */
    size_t n_slots;
};

/* Grow *arr (of elem-sized items, *cap of them) to hold one more. */
static int grow(void **arr, size_t *cap, size_t used, size_t elem)
{
    if (used < *cap) return 1;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *p = realloc(*arr, ncap * elem);
    if (!p) return 0;
    *arr = p;
    *cap = ncap;
    return 1;
}

void gs_lexicon_free(gs_lexicon *lex)
{
    if (!lex) return;
    for (size_t i = 0; i < lex->n_tags; i++) {
        free(lex->tags[i].name);
        free(lex->tags[i].about);
    }
    for (size_t i = 0; i < lex->n_foods; i++) {
        lex_food *f = &lex->foods[i];
        free(f->name);
        for (size_t a = 0; a < f->n_aliases; a++) free(f->aliases[a]);
        free(f->aliases);
        free(f->tags);
    }
    for (size_t i = 0; i < lex->n_patterns; i++) free(lex->patterns[i].key);
    free(lex->tags);
    free(lex->foods);
    free(lex->patterns);
    free(lex->slots);
    free(lex);
}

/* Is name a tag name: lower case letters, digits, '_', 1-40 bytes? */
static int valid_tag_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > LEX_TAG_MAX) return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')) return 0;
    return 1;
}

int gs_lexicon_tag_index(const gs_lexicon *lex, const char *tag)
{
    for (size_t i = 0; i < lex->n_tags; i++)
        if (strcmp(lex->tags[i].name, tag) == 0) return (int)i;
    return -1;
}

/* "did you mean" for an unknown tag, or "". */
static void tag_hint(const gs_lexicon *lex, const char *tag, char *buf, size_t len)
{
    const char **names = malloc((lex->n_tags + 1) * sizeof *names);
    buf[0] = '\0';
    if (!names) return;
    for (size_t i = 0; i < lex->n_tags; i++) names[i] = lex->tags[i].name;
    const char *near = gs_nearest_name(tag, names, lex->n_tags);
    if (near) snprintf(buf, len, "; did you mean '%s'?", near);
    free(names);
}

static gs_status append_tag(gs_lexicon *lex, const char *name, const char *about, gs_err *err)
{
    if (!grow((void **)&lex->tags, &lex->cap_tags, lex->n_tags, sizeof *lex->tags))
        return gs_fail(err, GS_ERR_NOMEM, "out of memory adding tag '%s'", name);
    char *n = strdup(name), *a = strdup(about);
    if (!n || !a) {
        free(n);
        free(a);
        return gs_fail(err, GS_ERR_NOMEM, "out of memory adding tag '%s'", name);
    }
    lex->tags[lex->n_tags++] = (lex_tag){n, a};
    return GS_OK;
}

/* Give food the tag unless it has it already. */
static gs_status food_add_tag(lex_food *f, size_t tag, gs_err *err)
{
    for (size_t i = 0; i < f->n_tags; i++)
        if (f->tags[i] == tag) return GS_OK;
    if (!grow((void **)&f->tags, &f->cap_tags, f->n_tags, sizeof *f->tags))
        return gs_fail(err, GS_ERR_NOMEM, "out of memory tagging '%s'", f->name);
    f->tags[f->n_tags++] = tag;
    return GS_OK;
}

/* Check a food name and cut it into the pattern p (key allocated).  what
 * names the name in messages ("FILE:LINE: field 'food'" or "food"). */
static gs_status make_pattern(const char *name, const char *what, lex_pattern *p, gs_err *err)
{
    size_t chars = 0;
    for (const unsigned char *s = (const unsigned char *)name; *s; s++) {
        if (*s < 0x20 || *s == 0x7F)
            return gs_fail(err, GS_ERR_INPUT, "%s '%s' contains a control character", what,
                           name);
        if ((*s & 0xC0) != 0x80) chars++;
    }
    if (chars == 0 || chars > LEX_FOOD_MAX)
        return gs_fail(err, GS_ERR_INPUT, "%s '%s' must be 1 to %d characters", what, name,
                       LEX_FOOD_MAX);
    memset(p, 0, sizeof *p);
    char key[LEX_KEY_MAX + 1];
    size_t klen = 0, pos = 0;
    lex_word w;
    while (next_word(name, &pos, &w)) {
        if (w.unmatchable)
            return gs_fail(err, GS_ERR_INPUT, "%s '%s' has a word of more than %d letters",
                           what, name, LEX_WORD_MAX);
        if (p->n_words && w.gap_long)
            return gs_fail(err, GS_ERR_INPUT,
                           "%s '%s' has more than %d characters of punctuation between two "
                           "words", what, name, LEX_GAP_MAX);
        if (p->n_words == LEX_PATTERN_WORDS)
            return gs_fail(err, GS_ERR_INPUT, "%s '%s' has more than %d words", what, name,
                           LEX_PATTERN_WORDS);
        /* the key keeps the punctuation between words: "fish &chip" */
        size_t sep = p->n_words ? 1 + w.gap_len : 0;
        if (klen + sep + w.len > LEX_KEY_MAX)
            return gs_fail(err, GS_ERR_INPUT, "%s '%s' is too long once folded (%d bytes)",
                           what, name, LEX_KEY_MAX);
        if (p->n_words) {
            key[klen++] = ' ';
            memcpy(key + klen, w.gap, w.gap_len);
            klen += w.gap_len;
            p->gap_len[p->n_words] = (unsigned char)w.gap_len;
            memcpy(p->gap[p->n_words], w.gap, w.gap_len);
        }
        p->off[p->n_words] = (unsigned char)klen;
        p->len[p->n_words] = (unsigned char)w.len;
        p->hash[p->n_words] = w.hash;
        memcpy(key + klen, w.key, w.len);
        klen += w.len;
        p->n_words++;
    }
    if (p->n_words == 0)
        return gs_fail(err, GS_ERR_INPUT, "%s '%s' has no letters or digits", what, name);
    key[klen] = '\0';
    p->key = strdup(key);
    if (!p->key) return gs_fail(err, GS_ERR_NOMEM, "out of memory reading food '%s'", name);
    return GS_OK;
}

/* A pattern's name as written. */
static const char *pattern_text(const gs_lexicon *lex, const lex_pattern *p)
{
    const lex_food *f = &lex->foods[p->food];
    return p->alias ? f->aliases[p->alias - 1] : f->name;
}

/* Order of the pattern array: by first word, then most words first (so
 * the longest candidate is tried first), then by the whole key. */
static int pattern_cmp(const void *a, const void *b)
{
    const lex_pattern *p = a, *q = b;
    size_t n = p->len[0] < q->len[0] ? p->len[0] : q->len[0];
    int c = memcmp(p->key, q->key, n);
    if (c) return c;
    if (p->len[0] != q->len[0]) return p->len[0] < q->len[0] ? -1 : 1;
    if (p->n_words != q->n_words) return p->n_words > q->n_words ? -1 : 1;
    return strcmp(p->key, q->key);
}

static int same_first_word(const lex_pattern *p, const lex_pattern *q)
{
    return p->len[0] == q->len[0] && memcmp(p->key, q->key, p->len[0]) == 0;
}

/* Sort the patterns and rebuild the first-word index.  Fails naming the
 * two lines when two names (of any foods) reduce to the same key. */
static gs_status rebuild_index(gs_lexicon *lex, const char *file, gs_err *err)
{
    qsort(lex->patterns, lex->n_patterns, sizeof *lex->patterns, pattern_cmp);
    const lex_pattern *dup = NULL, *dup_of = NULL;
    for (size_t i = 1; i < lex->n_patterns; i++) {
        const lex_pattern *p = &lex->patterns[i - 1], *q = &lex->patterns[i];
        if (strcmp(p->key, q->key) != 0) continue;
        const lex_pattern *later = p->line > q->line ? p : q, *earlier = later == p ? q : p;
        if (!dup || later->line < dup->line) dup = later, dup_of = earlier;
    }
    if (dup)
        return gs_fail(err, GS_ERR_INPUT,
                       "%s:%zu: field 'food': '%s' is the same name as '%s' on line %zu "
                       "(names are compared ignoring case, plurals and accents)",
                       file, dup->line, pattern_text(lex, dup), pattern_text(lex, dup_of),
                       dup_of->line);
    size_t words = 0;
    for (size_t i = 0; i < lex->n_patterns; i++)
        if (i == 0 || !same_first_word(&lex->patterns[i - 1], &lex->patterns[i])) words++;
    size_t n_slots = 16;
    while (n_slots < 2 * words) n_slots *= 2;
    lex_slot *slots = calloc(n_slots, sizeof *slots);
    if (!slots) return gs_fail(err, GS_ERR_NOMEM, "out of memory indexing the food table");
    for (size_t i = 0; i < lex->n_patterns;) {
        size_t j = i + 1;
        while (j < lex->n_patterns && same_first_word(&lex->patterns[i], &lex->patterns[j]))
            j++;
        uint32_t h = lex->patterns[i].hash[0];
        size_t s = h & (n_slots - 1);
        while (slots[s].count) s = (s + 1) & (n_slots - 1);
        slots[s] = (lex_slot){h, (uint32_t)i, (uint32_t)(j - i)};
        i = j;
    }
    free(lex->slots);
    lex->slots = slots;
    lex->n_slots = n_slots;
    return GS_OK;
}

/* The run of patterns whose first word is w, or NULL (and *count 0). */
static const lex_pattern *first_word_run(const gs_lexicon *lex, const lex_word *w,
                                         size_t *count)
{
    *count = 0;
    if (!lex->n_slots) return NULL;
    for (size_t s = w->hash & (lex->n_slots - 1); lex->slots[s].count;
         s = (s + 1) & (lex->n_slots - 1)) {
        const lex_slot *sl = &lex->slots[s];
        const lex_pattern *p = &lex->patterns[sl->first];
        if (sl->hash == w->hash && p->len[0] == w->len && memcmp(p->key, w->key, w->len) == 0) {
            *count = sl->count;
            return p;
        }
    }
    return NULL;
}

/* The pattern with exactly the key of p, or NULL. */
static const lex_pattern *find_pattern(const gs_lexicon *lex, const lex_pattern *p)
{
    lex_word w;
    w.hash = p->hash[0];
    w.len = p->len[0];
    memcpy(w.key, p->key, p->len[0]);
    size_t n;
    const lex_pattern *run = first_word_run(lex, &w, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(run[i].key, p->key) == 0) return &run[i];
    return NULL;
}

/* ---- reading the files ---------------------------------------------- */

/* Split a CSV line into at most max fields (in place; quotes "" allowed).
 * Returns the number of fields, or -1 on a quote left open. */
static int csv_split(char *line, char **fields, int max)
{
    int n = 0;
    char *r = line, *w;
    for (;;) {
        if (n == max) return max + 1;
        fields[n++] = w = r;
        if (*r == '"') {
            r++;
            for (;;) {
                if (!*r) return -1;
                if (*r == '"' && r[1] == '"') *w++ = '"', r += 2;
                else if (*r == '"') { r++; break; }
                else *w++ = *r++;
            }
            if (*r && *r != ',') return -1;
        } else {
            while (*r && *r != ',') *w++ = *r++;
        }
        if (!*r) { *w = '\0'; return n; }
        *w = '\0';
        r++;
    }
}

/* A line reader that knows its file name and line number. */
typedef struct lex_file {
    FILE *f;
    const char *path;
    size_t line;
    char buf[LEX_LINE_MAX + 2];
} lex_file;

/* The next line that is neither blank nor a '#' comment, without its
 * line ending; NULL at the end.  *st is set on a failure. */
static char *next_line(lex_file *lf, gs_status *st, gs_err *err)
{
    *st = GS_OK;
    while (fgets(lf->buf, sizeof lf->buf, lf->f)) {
        lf->line++;
        size_t n = strlen(lf->buf);
        if (n > LEX_LINE_MAX) {
            *st = gs_fail(err, GS_ERR_INPUT, "%s:%zu: line longer than %d bytes", lf->path,
                          lf->line, LEX_LINE_MAX);
            return NULL;
        }
        while (n && (lf->buf[n - 1] == '\n' || lf->buf[n - 1] == '\r')) lf->buf[--n] = '\0';
        if (lf->line == 1 && strncmp(lf->buf, "\xEF\xBB\xBF", 3) == 0) /* byte order mark */
            memmove(lf->buf, lf->buf + 3, n - 2);
        const char *p = lf->buf;
        while (*p == ' ' || *p == '\t') p++;
        if (*p == '\0' || *p == '#') continue;
        return lf->buf;
    }
    if (ferror(lf->f))
        *st = gs_fail(err, GS_ERR_IO, "%s: read error after line %zu", lf->path, lf->line);
    return NULL;
}

static gs_status open_table(lex_file *lf, const char *path, const char *header, gs_err *err)
{
    lf->path = path;
    lf->line = 0;
    lf->f = fopen(path, "r");
    if (!lf->f)
        return gs_fail(err, GS_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    gs_status st;
    char *line = next_line(lf, &st, err);
    if (!line && !st)
        st = gs_fail(err, GS_ERR_INPUT, "%s: empty; the first line must be '%s'", path, header);
    else if (line && strcmp(line, header) != 0)
        st = gs_fail(err, GS_ERR_INPUT, "%s:%zu: header must be '%s'", path, lf->line, header);
    if (st) fclose(lf->f);
    return st;
}

/* Trim spaces at both ends of s, in place. */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = '\0';
    return s;
}

static gs_status load_tags(gs_lexicon *lex, const char *path, gs_err *err)
{
    lex_file lf;
    gs_status st = open_table(&lf, path, "tag,about", err);
    if (st) return st;
    char *line, *f[2];
    while ((line = next_line(&lf, &st, err))) {
        int n = csv_split(line, f, 2);
        if (n != 2) {
            st = gs_fail(err, GS_ERR_INPUT, "%s:%zu: %s", path, lf.line,
                         n < 0 ? "a quote is left open"
                               : "expected 2 fields: tag,about (quote an 'about' with commas)");
            break;
        }
        char *tag = trim(f[0]), *about = trim(f[1]);
        if (!valid_tag_name(tag)) {
            st = gs_fail(err, GS_ERR_INPUT,
                         "%s:%zu: field 'tag': '%s' is not a tag name (lower case letters, "
                         "digits and '_', 1-%d characters)", path, lf.line, tag, LEX_TAG_MAX);
            break;
        }
        if (gs_lexicon_tag_index(lex, tag) >= 0) {
            st = gs_fail(err, GS_ERR_INPUT, "%s:%zu: field 'tag': '%s' is listed twice", path,
                         lf.line, tag);
            break;
        }
        if (!*about) {
            st = gs_fail(err, GS_ERR_INPUT, "%s:%zu: field 'about': tag '%s' needs a description",
                         path, lf.line, tag);
            break;
        }
        if ((st = append_tag(lex, tag, about, err))) break;
    }
    fclose(lf.f);
    return st;
}

/* One row of lexicon.csv: "name|alias|alias" and "tag tag tag". */
static gs_status load_food_row(gs_lexicon *lex, lex_file *lf, char *names, char *tags,
                               gs_err *err)
{
    char what[600];
    snprintf(what, sizeof what, "%s:%zu: field 'food':", lf->path, lf->line);
    /* tags first, so a row is either wholly added or not at all */
    size_t row_tags[64], n_row_tags = 0;
    for (char *save = NULL, *t = strtok_r(tags, " \t", &save); t;
         t = strtok_r(NULL, " \t", &save)) {
        if (!valid_tag_name(t))
            return gs_fail(err, GS_ERR_INPUT,
                           "%s:%zu: field 'tags': '%s' is not a tag name (lower case letters, "
                           "digits and '_', 1-%d characters; tags are separated by spaces)",
                           lf->path, lf->line, t, LEX_TAG_MAX);
        int ti = gs_lexicon_tag_index(lex, t);
        if (ti < 0) {
            char hint[80];
            tag_hint(lex, t, hint, sizeof hint);
            return gs_fail(err, GS_ERR_INPUT,
                           "%s:%zu: field 'tags': unknown tag '%s' (not in tags.csv%s)",
                           lf->path, lf->line, t, hint);
        }
        for (size_t i = 0; i < n_row_tags; i++)
            if (row_tags[i] == (size_t)ti)
                return gs_fail(err, GS_ERR_INPUT, "%s:%zu: field 'tags': '%s' given twice",
                               lf->path, lf->line, t);
        if (n_row_tags == sizeof row_tags / sizeof row_tags[0])
            return gs_fail(err, GS_ERR_INPUT, "%s:%zu: field 'tags': more than %zu tags",
                           lf->path, lf->line, sizeof row_tags / sizeof row_tags[0]);
        row_tags[n_row_tags++] = (size_t)ti;
    }
    if (n_row_tags == 0)
        return gs_fail(err, GS_ERR_INPUT,
                       "%s:%zu: field 'tags' is empty; every food needs at least one tag",
                       lf->path, lf->line);
    if (!grow((void **)&lex->foods, &lex->cap_foods, lex->n_foods, sizeof *lex->foods))
        return gs_fail(err, GS_ERR_NOMEM, "out of memory reading %s", lf->path);
    lex_food *food = &lex->foods[lex->n_foods];
    memset(food, 0, sizeof *food);
    size_t n_names = 1, first_pattern = lex->n_patterns;
    for (const char *c = names; *c; c++) n_names += *c == '|';
    if (n_names > 1 && !(food->aliases = calloc(n_names - 1, sizeof *food->aliases)))
        return gs_fail(err, GS_ERR_NOMEM, "out of memory reading %s", lf->path);
    gs_status st = GS_OK;
    char *nm = names;
    for (size_t k = 0; k < n_names && !st; k++) {
        char *bar = strchr(nm, '|');
        if (bar) *bar = '\0';
        nm = trim(nm);
        lex_pattern p;
        if ((st = make_pattern(nm, what, &p, err))) break;
        p.food = lex->n_foods;
        p.line = lf->line;
        p.alias = k;
        char *copy = strdup(nm);
        if (!copy || !grow((void **)&lex->patterns, &lex->cap_patterns, lex->n_patterns,
                           sizeof *lex->patterns)) {
            free(copy);
            free(p.key);
            st = gs_fail(err, GS_ERR_NOMEM, "out of memory reading %s", lf->path);
            break;
        }
        lex->patterns[lex->n_patterns++] = p;
        if (k == 0) food->name = copy;
        else food->aliases[food->n_aliases++] = copy;
        if (bar) nm = bar + 1;
    }
    if (!st) {
        food->tags = malloc(n_row_tags * sizeof *food->tags);
        if (!food->tags) st = gs_fail(err, GS_ERR_NOMEM, "out of memory reading %s", lf->path);
    }
    if (st) { /* undo the half-made row */
        for (size_t i = first_pattern; i < lex->n_patterns; i++) free(lex->patterns[i].key);
        lex->n_patterns = first_pattern;
        free(food->name);
        for (size_t a = 0; a < food->n_aliases; a++) free(food->aliases[a]);
        free(food->aliases);
        return st;
    }
    memcpy(food->tags, row_tags, n_row_tags * sizeof *row_tags);
    food->n_tags = food->cap_tags = n_row_tags;
    lex->n_foods++;
    return GS_OK;
}

static gs_status load_foods(gs_lexicon *lex, const char *path, gs_err *err)
{
    lex_file lf;
    gs_status st = open_table(&lf, path, "food,tags", err);
    if (st) return st;
    char *line, *f[2];
    while ((line = next_line(&lf, &st, err))) {
        int n = csv_split(line, f, 2);
        if (n != 2) {
            st = gs_fail(err, GS_ERR_INPUT, "%s:%zu: %s", path, lf.line,
                         n < 0 ? "a quote is left open"
                               : "expected 2 fields: food,tags (food: name|alias|...; tags "
                                 "separated by spaces)");
            break;
        }
        if ((st = load_food_row(lex, &lf, f[0], f[1], err))) break;
    }
    fclose(lf.f);
    if (!st) st = rebuild_index(lex, path, err);
    return st;
}

gs_status gs_lexicon_load(const char *path, gs_lexicon **out, gs_err *err)
{
    *out = NULL;
    char shipped[4096], tags_path[4096];
    gs_status st;
    if (!path) {
        if ((st = gs_data_path("foods/lexicon.csv", shipped, sizeof shipped, err))) return st;
        path = shipped;
    }
    /* the tags live beside the table: DIR/tags.csv */
    const char *slash = strrchr(path, '/');
    int n = slash ? snprintf(tags_path, sizeof tags_path, "%.*s/tags.csv",
                             (int)(slash - path), path)
                  : snprintf(tags_path, sizeof tags_path, "tags.csv");
    if (n < 0 || (size_t)n >= sizeof tags_path)
        return gs_fail(err, GS_ERR_IO, "food table path %s is too long", path);
    FILE *probe = fopen(path, "r"); /* name the table, not its tags, when it is missing */
    if (!probe) return gs_fail(err, GS_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    fclose(probe);
    gs_lexicon *lex = calloc(1, sizeof *lex);
    if (!lex) return gs_fail(err, GS_ERR_NOMEM, "out of memory loading %s", path);
    if ((st = load_tags(lex, tags_path, err)) || (st = load_foods(lex, path, err))) {
        gs_lexicon_free(lex);
        return st;
    }
    *out = lex;
    return GS_OK;
}

gs_status gs_lexicon_add(gs_lexicon *lex, const char *food, const char *tag, gs_err *err)
{
    if (!valid_tag_name(tag))
        return gs_fail(err, GS_ERR_INPUT,
                       "tag '%s' is not a tag name (lower case letters, digits and '_', 1-%d "
                       "characters)", tag, LEX_TAG_MAX);
    char name[LEX_FOOD_MAX * 4 + 1];
    while (*food == ' ' || *food == '\t') food++;
    size_t len = strlen(food);
    while (len && (food[len - 1] == ' ' || food[len - 1] == '\t')) len--;
    if (len >= sizeof name)
        return gs_fail(err, GS_ERR_INPUT, "food '%.*s...' must be 1 to %d characters", 40, food,
                       LEX_FOOD_MAX);
    memcpy(name, food, len);
    name[len] = '\0';
    lex_pattern p;
    gs_status st = make_pattern(name, "food", &p, err);
    if (st) return st;
    const lex_pattern *known = find_pattern(lex, &p);
    int ti = gs_lexicon_tag_index(lex, tag);
    if (ti < 0) { /* a new tag: append it (its index is the old count) */
        if ((st = append_tag(lex, tag, "", err))) {
            free(p.key);
            return st;
        }
        ti = (int)lex->n_tags - 1;
    }
    if (known) {
        free(p.key);
        return food_add_tag(&lex->foods[known->food], (size_t)ti, err);
    }
    /* a new food: its pattern, its record, then the index */
    p.food = lex->n_foods;
    p.line = 0;
    lex_food f = {0};
    f.name = strdup(name);
    if (!f.name || !grow((void **)&lex->foods, &lex->cap_foods, lex->n_foods, sizeof *lex->foods) ||
        !grow((void **)&lex->patterns, &lex->cap_patterns, lex->n_patterns,
              sizeof *lex->patterns) ||
        food_add_tag(&f, (size_t)ti, err)) {
        free(f.name);
        free(f.tags);
        free(p.key);
        return gs_fail(err, GS_ERR_NOMEM, "out of memory adding food '%s'", name);
    }
    lex->foods[lex->n_foods++] = f;
    lex->patterns[lex->n_patterns++] = p;
    st = rebuild_index(lex, "(addition)", err);
    assert(st != GS_ERR_INPUT); /* find_pattern ruled out a duplicate */
    return st;
}

size_t gs_lexicon_tag_count(const gs_lexicon *lex) { return lex->n_tags; }

const char *gs_lexicon_tag_name(const gs_lexicon *lex, size_t tag)
{
    assert(tag < lex->n_tags);
    return lex->tags[tag].name;
}

const char *gs_lexicon_tag_about(const gs_lexicon *lex, size_t tag)
{
    assert(tag < lex->n_tags);
    return lex->tags[tag].about;
}

size_t gs_lexicon_food_count(const gs_lexicon *lex) { return lex->n_foods; }

const char *gs_lexicon_food_name(const gs_lexicon *lex, size_t food)
{
    assert(food < lex->n_foods);
    return lex->foods[food].name;
}

size_t gs_lexicon_food_tags(const gs_lexicon *lex, size_t food, const size_t **tags)
{
    assert(food < lex->n_foods);
    *tags = lex->foods[food].tags;
    return lex->foods[food].n_tags;
}

size_t gs_lexicon_food_aliases(const gs_lexicon *lex, size_t food, const char *const **aliases)
{
    assert(food < lex->n_foods);
    *aliases = (const char *const *)lex->foods[food].aliases;
    return lex->foods[food].n_aliases;
}

/* ---- matching ------------------------------------------------------- */

typedef void (*lex_visit)(void *ctx, size_t food, size_t offset, size_t length);

/* Walk text word by word through a window of the next LEX_PATTERN_WORDS
 * words; at each word take the longest pattern that starts there, report
 * it and jump past it, else move on one word.  Returns the hits. */
static size_t scan(const gs_lexicon *lex, const char *text, lex_visit visit, void *ctx)
{
    lex_word win[LEX_PATTERN_WORDS];
    size_t pos = 0, head = 0, have = 0, found = 0;
    int more = 1;
    for (;;) {
        while (more && have < LEX_PATTERN_WORDS) {
            if (next_word(text, &pos, &win[(head + have) % LEX_PATTERN_WORDS])) have++;
            else more = 0;
        }
        if (have == 0) break;
        const lex_word *w0 = &win[head];
        size_t n = 0, used = 1;
        const lex_pattern *run = w0->unmatchable ? NULL : first_word_run(lex, w0, &n);
        for (size_t i = 0; i < n; i++) { /* most words first */
            const lex_pattern *p = &run[i];
            if (p->n_words > have) continue;
            size_t j = 1;
            for (; j < p->n_words; j++) {
                const lex_word *w = &win[(head + j) % LEX_PATTERN_WORDS];
                if (w->unmatchable || w->gap_long || w->gap_len != p->gap_len[j] ||
                    memcmp(w->gap, p->gap[j], w->gap_len) != 0 || w->hash != p->hash[j] ||
                    w->len != p->len[j] || memcmp(w->key, p->key + p->off[j], w->len) != 0)
                    break;
            }
            if (j < p->n_words) continue;
            const lex_word *last = &win[(head + p->n_words - 1) % LEX_PATTERN_WORDS];
            if (visit) visit(ctx, p->food, w0->start, last->end - w0->start);
            found++;
            used = p->n_words;
            break;
        }
        head = (head + used) % LEX_PATTERN_WORDS;
        have -= used;
    }
    return found;
}

typedef struct hit_sink {
    gs_lexicon_hit *hits;
    size_t max, n;
} hit_sink;

static void collect_hit(void *ctx, size_t food, size_t offset, size_t length)
{
    hit_sink *s = ctx;
    if (s->n < s->max) s->hits[s->n] = (gs_lexicon_hit){food, offset, length};
    s->n++;
}

size_t gs_lexicon_match(const gs_lexicon *lex, const char *text, gs_lexicon_hit *hits,
                        size_t max_hits)
{
    hit_sink sink = {hits, hits ? max_hits : 0, 0};
    return scan(lex, text, collect_hit, &sink);
}

typedef struct tag_sink {
    const gs_lexicon *lex;
    unsigned char *present;
} tag_sink;

static void mark_tags(void *ctx, size_t food, size_t offset, size_t length)
{
    (void)offset;
    (void)length;
    tag_sink *s = ctx;
    const lex_food *f = &s->lex->foods[food];
    for (size_t i = 0; i < f->n_tags; i++) s->present[f->tags[i]] = 1;
}

size_t gs_lexicon_tags_of(const gs_lexicon *lex, const char *text, unsigned char *present)
{
    tag_sink sink = {lex, present};
    return scan(lex, text, mark_tags, &sink);
}
