/*
 * usertags.c - the person's stored food tags replayed onto a lexicon.
 * Its own file so that programs which never load a lexicon do not link
 * one in.  See include/gutskin/journal.h.
 */
#include <stdlib.h>

#include "journal/db_internal.h"

gs_status gs_db_apply_user_tags(gs_db *db, gs_lexicon *lex, gs_err *err)
{
    gs_db_tag *tags;
    size_t n;
    gs_status st = gs_db_tags(db, &tags, &n, err);
    if (st) return st;
    for (size_t i = 0; i < n && st == GS_OK; i++)
        st = gs_lexicon_add(lex, tags[i].food, tags[i].tag, err);
    free(tags);
    return st;
}
