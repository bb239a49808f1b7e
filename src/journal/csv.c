/*
 * csv.c - reading and writing RFC 4180 CSV.  See csv.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "journal/csv.h"

static gs_status adopt(gs_csv *csv, char *buf, size_t len, const char *name, gs_err *err);

gs_status gs_csv_open(gs_csv *csv, const char *path, gs_err *err)
{
    memset(csv, 0, sizeof *csv);
    FILE *f = fopen(path, "rb");
    if (!f) return gs_fail(err, GS_ERR_INPUT, "cannot read %s: %s", path, strerror(errno));
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            fclose(f);
            return gs_fail(err, GS_ERR_NOMEM, "out of memory reading %s", path);
        }
        len += fread(buf + len, 1, cap - len - 1, f);
        if (len < cap - 1) break;
        cap *= 2;
        char *grown = realloc(buf, cap);
        if (!grown) free(buf);
        buf = grown;
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        return gs_fail(err, GS_ERR_IO, "cannot read %s", path);
    }
    buf[len] = '\0';
    return adopt(csv, buf, len, path, err);
}

gs_status gs_csv_from_text(gs_csv *csv, const char *text, size_t len, const char *name,
                           gs_err *err)
{
    memset(csv, 0, sizeof *csv);
    char *buf = malloc(len + 1);
    if (!buf) return gs_fail(err, GS_ERR_NOMEM, "out of memory reading %s", name);
    memcpy(buf, text, len);
    buf[len] = '\0';
    return adopt(csv, buf, len, name, err);
}

/* Take buf (len bytes and a NUL, malloc()ed) as csv's text; frees it on
 * failure. */
static gs_status adopt(gs_csv *csv, char *buf, size_t len, const char *name, gs_err *err)
{
    if (memchr(buf, '\0', len)) {
        free(buf);
        return gs_fail(err, GS_ERR_INPUT, "%s is not a text file (it holds NUL bytes)", name);
    }
    csv->buf = buf;
    csv->len = len;
    csv->line = 1;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) csv->pos = 3; /* UTF-8 BOM */
    return GS_OK;
}

void gs_csv_free(gs_csv *csv)
{
    free(csv->buf);
    memset(csv, 0, sizeof *csv);
}

/* Skip to just after the end of the current line (for recovery). */
static void skip_line(gs_csv *csv)
{
    while (csv->pos < csv->len && csv->buf[csv->pos] != '\n') csv->pos++;
    if (csv->pos < csv->len) {
        csv->pos++;
        csv->line++;
    }
}

int gs_csv_next(gs_csv *csv, char **fields, size_t max, size_t *n, long *line, gs_err *err)
{
    *n = 0;
    *line = csv->line;
    if (csv->pos >= csv->len) return 0;
    char *b = csv->buf;
    size_t r = csv->pos, w = csv->pos;
    for (;;) {
        /* one field: text is written compacted at w, never past r */
        size_t start = w;
        if (b[r] == '"') {
            long opened = csv->line;
            r++;
            for (;;) {
                if (r >= csv->len) {
                    csv->pos = csv->len;
                    gs_fail(err, GS_ERR_INPUT, "line %ld: a quoted field opened here is never "
                            "closed", opened);
                    return -1;
                }
                if (b[r] == '"') {
                    if (b[r + 1] == '"') {
                        b[w++] = '"';
                        r += 2;
                        continue;
                    }
                    r++;
                    break;
                }
                if (b[r] == '\n') csv->line++;
                b[w++] = b[r++];
            }
            if (b[r] != ',' && b[r] != '\n' && b[r] != '\0' && !(b[r] == '\r' && b[r + 1] == '\n')) {
                csv->pos = r;
                gs_fail(err, GS_ERR_INPUT, "line %ld: text after a closing quote (a quote inside "
                        "a quoted field is written twice: \"\")", csv->line);
                skip_line(csv);
                return -1;
            }
        } else {
            while (b[r] != ',' && b[r] != '\n' && b[r] != '\0' && !(b[r] == '\r' && b[r + 1] == '\n')) {
                if (b[r] == '"') {
                    csv->pos = r;
                    gs_fail(err, GS_ERR_INPUT, "line %ld: a quote inside an unquoted field "
                            "(quote the whole field and double the quote)", csv->line);
                    skip_line(csv);
                    return -1;
                }
                b[w++] = b[r++];
            }
        }
        char delim = b[r];
        if (delim == '\r') delim = b[++r]; /* CRLF */
        b[w++] = '\0';
        if (*n < max) fields[*n] = b + start;
        (*n)++;
        if (delim == ',') {
            r++;
            continue;
        }
        if (delim == '\n') {
            r++;
            csv->line++;
        }
        csv->pos = r;
        return 1;
    }
}
