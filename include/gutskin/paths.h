/*
 * paths.h - where gutskin finds its data files.
 *
 * The data directory is $GUTSKIN_DATA_DIR when set, else the data/ folder
 * of the source tree the binary was built from.
 */
#ifndef GUTSKIN_PATHS_H
#define GUTSKIN_PATHS_H

#include <stddef.h>

#include "gutskin/status.h"

/* Write "<data dir>/<relative>" into buf.  Fails with GS_ERR_IO when the
 * path does not fit. */
gs_status gs_data_path(const char *relative, char *buf, size_t len, gs_err *err);

#endif
