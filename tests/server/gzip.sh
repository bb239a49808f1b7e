#!/bin/sh
# Compressed replies end to end: start `gutskin serve` on a journal of
# synthetic entries and run gzip_test.py against it over loopback (gzip
# replies inflate to exactly the identity bytes, for several endpoints;
# no header, gzip;q=0 and identity get identity; Vary on JSON replies),
# with the default connections and again with one (--db-connections 1).
# usage: gzip.sh PATH/TO/gutskin   (run from the source tree)
set -u
GS=$1
. tests/server/serve_lib.sh

# enough entries that the lists are well above the 1 KiB threshold
"$GS" synth --days 60 --seed 3 >"$T/synth.csv" 2>"$T/err" || fail "synth"
for conns in default 1; do
    mkdir -p "$T/$conns"
    "$GS" import "$T/synth.csv" --db "$T/$conns/j.db" >/dev/null 2>"$T/err" || fail "import"
    if [ $conns = default ]; then start_server --quiet --db "$T/$conns/j.db"
    else start_server --quiet --db "$T/$conns/j.db" --db-connections $conns; fi
    "$PY" tests/server/gzip_test.py "$PORT" "$T/$conns/serve.token" \
        || fail "compressed replies with $conns connection(s)"
    stop_server
done
echo "gzip.sh: all checks passed"
