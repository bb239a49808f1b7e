/*
 * paths.c - locating data files.
 */
#include "gutskin/paths.h"

#include <stdio.h>
#include <stdlib.h>

gs_status gs_data_path(const char *relative, char *buf, size_t len, gs_err *err)
{
    const char *dir = getenv("GUTSKIN_DATA_DIR");
    if (!dir || !dir[0]) dir = GS_DATA_DIR;
    int n = snprintf(buf, len, "%s/%s", dir, relative);
    if (n < 0 || (size_t)n >= len)
        return gs_fail(err, GS_ERR_IO, "data path %s/%s is too long", dir, relative);
    return GS_OK;
}
