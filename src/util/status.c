/*
 * status.c - error recording and "did you mean" suggestions.
 */
#include "gutskin/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

gs_status gs_fail(gs_err *err, gs_status st, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->status = st;
    }
    return st;
}

void gs_err_clear(gs_err *err)
{
    if (!err) return;
    err->status = GS_OK;
    err->msg[0] = '\0';
}

int gs_exit_code(gs_status st)
{
    switch (st) {
    case GS_OK: return 0;
    case GS_ERR_INPUT: return 2;
    default: return 1;
    }
}

/* Levenshtein distance with two rows; names are short, so O(nm) is fine. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t *prev = calloc(lb + 1, sizeof *prev);
    size_t *cur = calloc(lb + 1, sizeof *cur);
    if (!prev || !cur) {
        free(prev);
        free(cur);
        return (size_t)-1;
    }
    for (size_t j = 0; j <= lb; j++) prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            size_t best = sub < del ? sub : del;
            cur[j] = best < ins ? best : ins;
        }
        size_t *t = prev; prev = cur; cur = t;
    }
    size_t d = prev[lb];
    free(prev);
    free(cur);
    return d;
}

const char *gs_nearest_name(const char *name, const char *const *candidates,
                            size_t n_candidates)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; i < n_candidates; i++) {
        size_t d = edit_distance(name, candidates[i]);
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    /* A suggestion is only useful when it is plausibly a typo: allow about
     * one edit in three characters, and at least two edits. */
    size_t len = strlen(name), limit = len / 3 > 2 ? len / 3 : 2;
    return best_d <= limit ? best : NULL;
}
