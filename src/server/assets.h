/*
 * assets.h - the web pages (web/) embedded into the binary at build time
 * (cmake/embed_assets.cmake writes the table), so a single file runs the
 * app with no files beside it and nothing fetched from elsewhere.
 */
#ifndef GS_SERVER_ASSETS_H
#define GS_SERVER_ASSETS_H

#include <stddef.h>

typedef struct gs_asset {
    const char *path;            /* "/index.html", "/vendor/uPlot.iife.min.js" */
    const char *type;            /* Content-Type */
    const unsigned char *data;
    size_t len;
} gs_asset;

/* The asset served at path, or NULL. */
const gs_asset *gs_asset_find(const char *path);

#endif
