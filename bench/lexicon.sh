#!/bin/sh
# bench/lexicon.sh - how fast the food table tags a journal's food entries
# (issue 4): builds bench/lexicon.c against the libgutskin.a of a build
# directory and runs it from the source tree (so it loads the shipped
# data/foods/lexicon.csv).  Prints the program's JSON on stdout.
#
# Environment: BUILD (build dir, default build), N (entries, default 10000),
# REPEAT (passes, the fastest is reported, default 20), CC (default cc).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
BUILD=${BUILD:-build}
N=${N:-10000}
REPEAT=${REPEAT:-20}
CC=${CC:-cc}
case $BUILD in /*) lib=$BUILD/libgutskin.a ;; *) lib=$root/$BUILD/libgutskin.a ;; esac
if [ ! -f "$lib" ]; then
    echo "lexicon: $lib not found; run 'make build' first (or set BUILD)" >&2
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
# The same optimisation as the default RelWithDebInfo build of libgutskin;
# GS_DATA_DIR is baked into the library, so the table is the source tree's.
(cd "$root" && $CC -std=c11 -O2 -g -Wall -Wextra -Werror -Iinclude bench/lexicon.c "$lib" \
    $(pkg-config --libs libfyaml jansson gsl cairo) -lsundials_cvode -lsundials_nvecserial \
    -fopenmp -lm -o "$tmp/lexicon")
(cd "$root" && "$tmp/lexicon" "$N" "$REPEAT")
