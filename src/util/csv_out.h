/*
 * csv_out.h - writing one CSV field (RFC 4180), the one writer every
 * table-shaped output uses: simulate, trial, params, foods, the journal's
 * export and synth.
 */
#ifndef GS_UTIL_CSV_OUT_H
#define GS_UTIL_CSV_OUT_H

#include <stdio.h>

/* Write text as one field: quoted (inner quotes doubled) when it holds a
 * comma, a quote, a line break or leading or trailing spaces, so a CSV
 * reader gets exactly text back; as it is otherwise. */
void gs_csv_put(FILE *f, const char *text);

#endif
