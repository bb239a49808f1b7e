#!/bin/sh
# bench/journal_write.sh - builds bench/journal_write.c against the
# libgutskin.a of a build directory and prints the journal's write rate
# (entries per second through gs_db_add, WAL + synchronous=NORMAL) on a
# fresh journal in a temporary directory (on the disk of $TMPDIR).
# Environment: BUILD (default build), N (entries, default 20000), CC.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
BUILD=${BUILD:-build}
N=${N:-20000}
CC=${CC:-cc}
case $BUILD in /*) lib=$BUILD/libgutskin.a ;; *) lib=$root/$BUILD/libgutskin.a ;; esac
[ -f "$lib" ] || { echo "journal_write: $lib not found; build first" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
# shellcheck disable=SC2046
$CC -std=c11 -O2 -Wall -Wextra -I"$root/include" "$here/journal_write.c" "$lib" \
    $(pkg-config --libs sqlite3 libfyaml jansson gsl cairo) -lsundials_cvode -lsundials_nvecserial \
    -fopenmp -lm -o "$tmp/journal_write"
"$tmp/journal_write" "$tmp" "$N"
