/*
 * scenario_json.h - a scenario as JSON: the same keys and rules as a
 * scenario file (docs/scenarios.md), for the HTTP API (POST
 * /api/v1/simulate) and the web pages that edit scenarios.
 *
 * A JSON document has no line numbers a person wrote, so errors name the
 * field instead: "schedule[2].dose: ..." (0-based list indices, as a
 * JavaScript program that built the document would count them).
 */
#ifndef GUTSKIN_SCENARIO_JSON_H
#define GUTSKIN_SCENARIO_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "gutskin/scenario.h"
#include "gutskin/status.h"

/* Read and validate the scenario in root (an object with the keys of a
 * scenario file) into *sc, which the caller frees with gs_scenario_free,
 * also after a failure.  label becomes sc->path (e.g. "request").  Input
 * errors return GS_ERR_INPUT with "FIELD: what was expected"; when field
 * is not NULL it receives FIELD alone ("" for the document as a whole). */
gs_status gs_scenario_from_json(const json_t *root, const char *label, gs_scenario *sc,
                                char *field, size_t field_len, gs_err *err);

/* Read the scenario file at path as YAML and give its document as JSON
 * (*out, owned by the caller), so a page can edit an example and send it
 * back to gs_scenario_from_json.  Plain scalars that are numbers become
 * JSON numbers.  Does not validate the scenario. */
gs_status gs_scenario_yaml_to_json(const char *path, json_t **out, gs_err *err);

#endif
