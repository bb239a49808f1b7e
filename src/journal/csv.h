/*
 * csv.h - RFC 4180 CSV as the journal reads and writes it: fields
 * separated by commas, records by CRLF or LF, a field in double quotes
 * may hold commas, quotes (doubled) and line breaks.  Internal to
 * src/journal/.
 */
#ifndef GS_JOURNAL_CSV_H
#define GS_JOURNAL_CSV_H

#include <stdio.h>

#include "util/csv_out.h"  /* gs_csv_put */

#include "gutskin/status.h"

typedef struct gs_csv {
    char *buf;        /* the whole file, NUL-terminated; fields point into it */
    size_t pos, len;
    long line;        /* line of the next record (1-based) */
} gs_csv;

/* Read the file at path into *csv.  Free with gs_csv_free. */
gs_status gs_csv_open(gs_csv *csv, const char *path, gs_err *err);

/* The same for len bytes of text held in memory (copied); name stands
 * for the file in messages. */
gs_status gs_csv_from_text(gs_csv *csv, const char *text, size_t len, const char *name,
                           gs_err *err);
void gs_csv_free(gs_csv *csv);

/* The next record: up to max fields into fields[] (NUL-terminated,
 * unquoted, valid until gs_csv_free), their count in *n (which may exceed
 * max: the extra fields are skipped), the line it starts on in *line.
 * Returns 1 for a record, 0 at the end, -1 for a malformed record
 * (message in err naming the line; the reader resumes at the next line). */
int gs_csv_next(gs_csv *csv, char **fields, size_t max, size_t *n, long *line, gs_err *err);

#endif
