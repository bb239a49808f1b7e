/*
 * csv_out.c - one CSV field, quoted only when it must be (csv_out.h).
 */
#include "util/csv_out.h"

#include <string.h>

void gs_csv_put(FILE *f, const char *text)
{
    size_t len = strlen(text);
    int quote = strpbrk(text, ",\"\r\n") != NULL ||
                (len > 0 && (text[0] == ' ' || text[len - 1] == ' '));
    if (!quote) {
        fputs(text, f);
        return;
    }
    fputc('"', f);
    for (const char *p = text; *p; p++) {
        if (*p == '"') fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
}
